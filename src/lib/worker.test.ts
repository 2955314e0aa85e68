import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keptWorker, startWorker } from './worker.ts';

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

describe('keptWorker', () => {
  it('is one worker for every caller, keeping what it remembers, and a new one once it has stopped', async () => {
    const first = keptWorker<Input, Output>(FIXTURE);
    expect(keptWorker<Input, Output>(FIXTURE)).toBe(first);
    await first.ask({ numbers: [5] });
    expect(await keptWorker<Input, Output>(FIXTURE).ask({ numbers: [1] })).toEqual({ sum: 1, last: 5, sameThread: false });
    await first.end();
    expect(first.stopped).toBe(true);
    await expect(first.ask({ numbers: [1] })).rejects.toThrow(/has stopped/);
    const next = keptWorker<Input, Output>(FIXTURE);
    expect(next).not.toBe(first);
    expect(await next.ask({ numbers: [2] })).toEqual({ sum: 2, last: 0, sameThread: false });
    await next.end();
  });

  it('lets the process exit once nothing is asked, and holds it while a question is open', () => {
    // A child process that asks a kept worker once and prints the answer: it must print, then end by itself.
    const script = `import { keptWorker } from ${JSON.stringify(new URL('./worker.ts', import.meta.url).href)};
      const answer = await keptWorker(new URL(${JSON.stringify(FIXTURE.href)})).ask({ numbers: [4, 5] });
      console.log(JSON.stringify(answer));`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-worker-'));
    const file = path.join(dir, 'ask-once.mts');
    fs.writeFileSync(file, script);
    const child = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ sum: 9, last: 0, sameThread: false });
  });
});
