/**
 * Pure work on a worker thread, so a long computation uses the machine's other core while this
 * thread carries on (streaming a million rows to PostgreSQL, say). The module exports
 * `work(input)`, asked once or several times in turn (it may keep what an earlier question gave
 * it); questions and answers travel by structured clone, so both must be plain data. A throw in
 * `work` rejects that question; a worker that fails or stops rejects every open one.
 */
import { Worker, type MessagePort, type Transferable } from 'node:worker_threads';

export interface WorkerSession<I, O> {
  /** `transfer` moves what it lists (a MessagePort, an ArrayBuffer) to the worker instead of copying it. */
  ask(input: I, transfer?: Transferable[]): Promise<O>;
  /** Stop the worker, whatever it is doing. */
  end(): Promise<void>;
  /** True once the worker has stopped, by `end` or by failing. */
  readonly stopped: boolean;
}

interface Pending<O> {
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * `holdsProcess: 'while-asked'` lets the process exit while the worker has no open question, as a
 * worker kept for later (`keptWorker`) must not keep a finished CLI command running.
 */
export function startWorker<I, O>(module: URL, { holdsProcess = 'always' }: { holdsProcess?: 'always' | 'while-asked' } = {}): WorkerSession<I, O> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: module.href } });
  const pending = new Map<number, Pending<O>>();
  const whileAsked = holdsProcess === 'while-asked';
  if (whileAsked) worker.unref();
  let next = 0;
  let stopped = false;
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', ({ id, output, error }: { id: number; output?: O; error?: unknown }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (whileAsked && pending.size === 0) worker.unref();
    if (error !== undefined) p?.reject(error);
    else p?.resolve(output as O);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    stopped = true;
    failAll(new Error(`The worker for ${module.pathname} stopped (exit code ${code}) without answering`));
  });
  return {
    ask: (input, transfer = []) =>
      new Promise<O>((resolve, reject) => {
        if (stopped) return reject(new Error(`The worker for ${module.pathname} has stopped`));
        const id = next++;
        if (whileAsked && pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, input }, transfer);
      }),
    end: async () => void (await worker.terminate()),
    get stopped() {
      return stopped;
    },
  };
}

const kept = new Map<string, WorkerSession<unknown, unknown>>();

/**
 * One worker per module for the life of the process, started on first use and shared by every
 * caller, so work asked often (a long count, in the server) does not wait each time for a thread
 * to start and its code to load and warm up. It holds the process only while asked; if it stops,
 * the next caller gets a new one. Callers must not `end` it, and its module must keep apart what
 * different callers give it.
 */
export function keptWorker<I, O>(module: URL): WorkerSession<I, O> {
  let session = kept.get(module.href);
  if (!session || session.stopped) kept.set(module.href, (session = startWorker(module, { holdsProcess: 'while-asked' })));
  return session as WorkerSession<I, O>;
}

/**
 * The messages a worker sends on `port` while it answers a question, in order, up to (not
 * including) the one `isEnd` accepts. The answer comes on another channel, so it may arrive
 * before the last messages and does not end them; if it fails, so does this.
 */
export async function* portMessages<M>(port: MessagePort, isEnd: (message: M) => boolean, answer: Promise<unknown>): AsyncGenerator<M> {
  const queue: M[] = [];
  let wake = () => {};
  port.on('message', (message: M) => {
    queue.push(message);
    wake();
  });
  const failed = new Promise<never>((_, reject) => void answer.catch(reject));
  failed.catch(() => {}); // raced below; a failure after the end is the answer's own to report
  try {
    for (;;) {
      if (queue.length === 0) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), failed]);
      const message = queue.shift();
      if (message === undefined) continue;
      if (isEnd(message)) return;
      yield message;
    }
  } finally {
    port.close();
  }
}
