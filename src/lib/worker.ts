/**
 * Pure work on a worker thread, so a long computation uses the machine's other core while this
 * thread carries on (streaming a million rows to PostgreSQL, say). The module exports
 * `work(input)`; input and answer travel by structured clone, so both must be plain data. A
 * throw in the worker, or a worker that stops without answering, rejects the promise.
 */
import { Worker } from 'node:worker_threads';

export function runInWorker<I, O>(module: URL, input: I): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: module.href, input } });
    worker.once('message', resolve);
    worker.once('error', reject);
    // After an answer or an error this changes nothing: a promise settles once.
    worker.once('exit', (code) => reject(new Error(`The worker for ${module.pathname} stopped (exit code ${code}) without answering`)));
  });
}
