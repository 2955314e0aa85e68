import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { ImportJobs } from './import-jobs.ts';
import type { ImportReport } from './service.ts';

const report = { importId: 'i', alreadyImported: false, dataset: 'spend-over-500', rows: 3, rejected: 0, credits: 0, totalPence: 100, from: null, to: null, warnings: [], errors: [] } as ImportReport;
const settle = () => new Promise((r) => setImmediate(r));

describe('ImportJobs', () => {
  it('follows a job from its progress to its report, for its own authority only', async () => {
    const jobs = new ImportJobs();
    let progress: (n: number) => void = () => {};
    let finish: (r: ImportReport) => void = () => {};
    const job = jobs.start('a1', 'big.csv', 3, (onProgress) => ((progress = onProgress), new Promise((r) => (finish = r))), () => {});
    progress(2);
    expect(jobs.get('a1', job.id)).toMatchObject({ written: 2, total: 3, report: null, failure: null, finishedAt: null });
    expect(jobs.get('a2', job.id)).toBeNull();
    finish(report);
    await settle();
    expect(jobs.get('a1', job.id)).toMatchObject({ written: 3, report, failure: null });
  });

  it('says what was wrong with the file, and keeps faults on our side to the log', async () => {
    const jobs = new ImportJobs();
    const logged: unknown[] = [];
    const refused = jobs.start('a1', 'bad.csv', 1, () => Promise.reject(new ValidationError({ file: 'This is not spend data' })), (e) => logged.push(e));
    const broken = jobs.start('a1', 'x.csv', 1, () => Promise.reject(new Error('connection reset')), (e) => logged.push(e));
    await settle();
    expect(jobs.get('a1', refused.id)?.failure).toBe('This is not spend data');
    expect(jobs.get('a1', broken.id)?.failure).toMatch(/^The import stopped because of a fault on our side\. Nothing from the file was kept/);
    expect(jobs.get('a1', broken.id)?.failure).not.toContain('connection reset');
    expect(logged).toHaveLength(1);
  });
});
