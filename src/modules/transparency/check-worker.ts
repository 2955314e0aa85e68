/**
 * A big file's counter-fraud checks on a worker thread (src/lib/worker.ts), so they use the
 * machine's other core. The worker is sent the file's bytes, not its rows — a million row
 * objects take longer to copy across than to read again — and is asked twice:
 *
 *  1. `read`, as the import starts: it reads the file as the import's own first read does,
 *     beside it, and keeps the rows;
 *  2. `check`, once the import has settled the mapping and found the earlier files' payments:
 *     it checks the rows it kept (reading again only if the import settled on another mapping)
 *     while the import writes the same rows to the database.
 *
 * readTransparencyFile is pure, so the same bytes and mapping give the very rows the import writes.
 */
import { canonicalJson } from '../../lib/canonical-json.ts';
import { runChecks, type Flag } from './checks.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import { paymentsOf } from './payments.ts';
import { readTransparencyFile, type ReadOptions, type TransparencyFile, type TypedRow } from './read.ts';
import type { Dataset } from './fields.ts';
import type { ColumnMapping } from './layout.ts';

export type CheckQuestion = { read: { bytes: Uint8Array; options: ReadOptions } } | { check: { dataset: Dataset; mapping: ColumnMapping; earlier: EarlierPayment[] } };

export interface CheckAnswer {
  flags: Flag[];
  /** What the worker checked, for the import to confirm it checked the rows it wrote. */
  rows: number;
  totalPence: number;
  /** True when the import settled on another mapping than the first read's, so the file was read again. */
  readAgain: boolean;
}

/** Every check over a file's rows, including repeats of earlier files' payments. */
export function fileFlags(rows: readonly TypedRow[], earlier: readonly EarlierPayment[]): Flag[] {
  return [...runChecks(rows), ...duplicatesOfEarlierFiles(paymentsOf(rows), earlier)];
}

/** The bytes, and the file as first read (null if that read failed: the import's own read says why). */
let kept: { bytes: Uint8Array; file: TransparencyFile | null } | null = null;

export function work(question: CheckQuestion): CheckAnswer | null {
  if ('read' in question) {
    kept = { bytes: question.read.bytes, file: readOrNull(question.read.bytes, question.read.options) };
    return null;
  }
  if (!kept) throw new Error('The checks were asked to check before being given the file');
  const { dataset, mapping, earlier } = question.check;
  const readAgain = kept.file === null || canonicalJson(kept.file.mapping) !== canonicalJson(mapping);
  const file = readAgain ? readTransparencyFile(kept.bytes, { dataset, mapping }) : kept.file!;
  kept = null;
  return { flags: fileFlags(file.rows, earlier), rows: file.rows.length, totalPence: file.totalPence, readAgain };
}

function readOrNull(bytes: Uint8Array, options: ReadOptions): TransparencyFile | null {
  try {
    return readTransparencyFile(bytes, options);
  } catch {
    return null;
  }
}
