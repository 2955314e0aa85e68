/**
 * Imports of big files run after the officer's request has been answered, so the browser is not
 * left waiting minutes for one response; the officer follows the job's page instead. Jobs live in
 * this process's memory only: that is enough, because an import is one transaction — if the
 * process stops part-way, nothing of the file was kept, and the page says so — and its checks
 * another, which the platform runs again when it next starts if they were cut off.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../lib/errors.ts';
import type { ImportReport } from './service.ts';

export interface ImportJob {
  id: string;
  authorityId: string;
  fileName: string;
  written: number;
  total: number;
  /** The rows have been saved; the checks are running or done. */
  imported: boolean;
  startedAt: Date;
  finishedAt: Date | null;
  report: ImportReport | null;
  /** Why it stopped, in words for the officer. */
  failure: string | null;
}

/** A finished job's page is kept this long, for the officer to come back to. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  /** Start `run` now and return its job; `onError` hears of failures that are not the file's fault. */
  start(authorityId: string, fileName: string, total: number, run: (onProgress: (written: number) => void, onImported: () => void) => Promise<ImportReport>, onError: (err: unknown) => void): ImportJob {
    this.sweep();
    const job: ImportJob = { id: randomUUID(), authorityId, fileName, written: 0, total, imported: false, startedAt: new Date(), finishedAt: null, report: null, failure: null };
    this.jobs.set(job.id, job);
    run((written) => void (job.written = written), () => void (job.imported = true)).then(
      (report) => Object.assign(job, { report, written: job.total, finishedAt: new Date() }),
      (err: unknown) => {
        const failure = err instanceof ValidationError
          ? Object.values(err.fields).join(' ') || err.message
          : job.imported
            ? 'The rows were saved, but checking them for warning signs stopped because of a fault on our side. The checks will be run again when the service next restarts, or when you import the same file again.'
            : 'The import stopped because of a fault on our side. Nothing from the file was kept; import it again.';
        if (!(err instanceof ValidationError)) onError(err);
        Object.assign(job, { failure, finishedAt: new Date() });
      },
    );
    return job;
  }

  /** A job of this authority's, or null (another council's jobs are not there to find). */
  get(authorityId: string, id: string): ImportJob | null {
    this.sweep();
    const job = this.jobs.get(id);
    return job && job.authorityId === authorityId ? job : null;
  }

  private sweep(now = Date.now()): void {
    for (const [id, job] of this.jobs) if (job.finishedAt && now - job.finishedAt.getTime() > KEEP_FINISHED_MS) this.jobs.delete(id);
  }
}
