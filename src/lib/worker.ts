/**
 * Pure work on a worker thread, so a long computation uses the machine's other core while this
 * thread carries on (streaming a million rows to PostgreSQL, say). The module exports
 * `work(input)`, asked once or several times in turn (it may keep what an earlier question gave
 * it); questions and answers travel by structured clone, so both must be plain data. A throw in
 * `work` rejects that question; a worker that fails or stops rejects every open one.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerSession<I, O> {
  ask(input: I): Promise<O>;
  /** Stop the worker, whatever it is doing. */
  end(): Promise<void>;
}

interface Pending<O> {
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

export function startWorker<I, O>(module: URL): WorkerSession<I, O> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: module.href } });
  const pending = new Map<number, Pending<O>>();
  let next = 0;
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', ({ id, output, error }: { id: number; output?: O; error?: unknown }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (error !== undefined) p?.reject(error);
    else p?.resolve(output as O);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`The worker for ${module.pathname} stopped (exit code ${code}) without answering`)));
  return {
    ask: (input) =>
      new Promise<O>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, input });
      }),
    end: async () => void (await worker.terminate()),
  };
}
