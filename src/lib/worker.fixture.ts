/** A module for worker.test.ts to run on a worker thread. */
import { isMainThread } from 'node:worker_threads';

export function work(input: { numbers: number[]; fail?: string }): { sum: number; sameThread: boolean } {
  if (input.fail) throw new Error(input.fail);
  return { sum: input.numbers.reduce((a, b) => a + b, 0), sameThread: isMainThread };
}
