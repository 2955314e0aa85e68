import { describe, expect, it } from 'vitest';
import { runInWorker } from './worker.ts';

const FIXTURE = new URL('./worker.fixture.ts', import.meta.url);

describe('runInWorker', () => {
  it('runs a TypeScript module on another thread and brings back its answer', async () => {
    const answer = await runInWorker<{ numbers: number[] }, { sum: number; sameThread: boolean }>(FIXTURE, { numbers: [1, 2, 3.5] });
    expect(answer).toEqual({ sum: 6.5, sameThread: false });
  });

  it('rejects with the worker’s own error when its work throws', async () => {
    await expect(runInWorker(FIXTURE, { numbers: [], fail: 'no numbers' })).rejects.toThrow('no numbers');
  });
});
