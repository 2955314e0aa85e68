/**
 * A file's counter-fraud checks on a worker thread (src/lib/worker.ts), so they run on the
 * machine's other core while the import streams the file's rows to the database. The worker is
 * sent the file's bytes, not its rows — a million row objects would take longer to copy across
 * than to read again — and reads them with the mapping the import settled on, which gives the
 * very rows the import writes (readTransparencyFile is pure).
 */
import { runChecks, type Flag } from './checks.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import { paymentsOf } from './payments.ts';
import { readTransparencyFile, type TypedRow } from './read.ts';
import type { Dataset } from './fields.ts';
import type { ColumnMapping } from './layout.ts';

export interface CheckInput {
  bytes: Uint8Array;
  dataset: Dataset;
  mapping: ColumnMapping;
  earlier: EarlierPayment[];
}

export interface CheckOutput {
  flags: Flag[];
  /** What the worker read, for the import to confirm it checked the rows it wrote. */
  rows: number;
  totalPence: number;
  /** Reading and checking, in the worker (for the benchmark). */
  ms: number;
}

/** Every check over a file's rows, including repeats of earlier files' payments. */
export function fileFlags(rows: readonly TypedRow[], earlier: readonly EarlierPayment[]): Flag[] {
  return [...runChecks(rows), ...duplicatesOfEarlierFiles(paymentsOf(rows), earlier)];
}

export function work(input: CheckInput): CheckOutput {
  const start = performance.now();
  const file = readTransparencyFile(input.bytes, { dataset: input.dataset, mapping: input.mapping });
  const flags = fileFlags(file.rows, input.earlier);
  return { flags, rows: file.rows.length, totalPence: file.totalPence, ms: performance.now() - start };
}
