import { describe, expect, it } from 'vitest';
import { startWorker } from './worker.ts';

const FIXTURE = new URL('./worker.fixture.ts', import.meta.url);
type Input = { numbers: number[]; fail?: string };
type Output = { sum: number; last: number; sameThread: boolean };

/** One question for a worker of its own, stopped once answered. */
async function askOnce(input: Input): Promise<Output> {
  const worker = startWorker<Input, Output>(FIXTURE);
  try {
    return await worker.ask(input);
  } finally {
    await worker.end();
  }
}

describe('a worker asked once', () => {
  it('runs a TypeScript module on another thread and brings back its answer', async () => {
    expect(await askOnce({ numbers: [1, 2, 3.5] })).toEqual({ sum: 6.5, last: 0, sameThread: false });
  });

  it('rejects with the worker’s own error when its work throws', async () => {
    await expect(askOnce({ numbers: [], fail: 'no numbers' })).rejects.toThrow('no numbers');
  });
});

describe('startWorker', () => {
  it('answers questions in turn, asked before it has even loaded, keeping what the module remembers', async () => {
    const worker = startWorker<Input, Output>(FIXTURE);
    try {
      const [first, failed, second] = await Promise.allSettled([worker.ask({ numbers: [2] }), worker.ask({ numbers: [], fail: 'bad' }), worker.ask({ numbers: [3, 4] })]);
      expect(first).toEqual({ status: 'fulfilled', value: { sum: 2, last: 0, sameThread: false } });
      expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'bad' } });
      expect(second).toEqual({ status: 'fulfilled', value: { sum: 7, last: 2, sameThread: false } });
    } finally {
      await worker.end();
    }
  });

  it('rejects an open question when the worker is stopped', async () => {
    const worker = startWorker<Input, Output>(FIXTURE);
    const open = worker.ask({ numbers: [1] });
    await worker.end();
    await expect(open).rejects.toThrow(/stopped/);
  });
});
