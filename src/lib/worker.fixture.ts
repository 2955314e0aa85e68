/** A module for worker.test.ts to run on a worker thread: it adds up, and remembers the last sum between questions. */
import { isMainThread } from 'node:worker_threads';

let last = 0;

export function work(input: { numbers: number[]; fail?: string }): { sum: number; last: number; sameThread: boolean } {
  if (input.fail) throw new Error(input.fail);
  const sum = input.numbers.reduce((a, b) => a + b, 0);
  const answer = { sum, last, sameThread: isMainThread };
  last = sum;
  return answer;
}
