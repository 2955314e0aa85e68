/**
 * A big payments file's work on a worker thread (src/lib/worker.ts), so this thread is free to
 * pass rows to PostgreSQL, which ingests them on the machine's other core. The worker is sent
 * the file's bytes once and reads them once; the rows stay here (a million row objects take
 * longer to copy across than to read). It is asked in turn:
 *
 *  1. `read`: read the file (again with another mapping, if the import settles on one) and
 *     answer its figures without its rows, or why it is refused; the last good read is kept;
 *  2. `write`: make the binary COPY data of the kept rows and send it, chunk by chunk, on the port given;
 *  3. `check`: every counter-fraud check over the kept rows, once their import has committed.
 *
 * The import writes and checks the very rows whose figures it records: there is one read.
 */
import type { MessagePort } from 'node:worker_threads';
import { runChecks, type Flag } from './checks.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import { paymentsOf } from './payments.ts';
import { paymentCopyData } from './payment-copy.ts';
import { readTransparencyFile, type ReadOptions, type TransparencyFile, type TypedRow } from './read.ts';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';

/** A file as read, without its rows: what the import records. */
export type FileFigures = Omit<TransparencyFile, 'rows'> & { rowCount: number };

export function figuresOf({ rows, ...figures }: TransparencyFile): FileFigures {
  return { ...figures, rowCount: rows.length };
}

export type CheckQuestion =
  | { read: { bytes?: Uint8Array; options: ReadOptions } }
  | { write: { authorityId: string; importId: string; port: MessagePort } }
  | { check: { earlier: EarlierPayment[] } };

export type CheckAnswer = { file: FileFigures } | { refused: FieldErrors } | { flags: Flag[] } | null;

/** What `write` sends on its port: a chunk of binary COPY data (whole rows) and the rows sent so far, then the end. */
export type CopyMessage = { chunk: ArrayBuffer; sent: number } | { end: true };

/** Every check over a file's rows, including repeats of earlier files' payments. */
export function fileFlags(rows: readonly TypedRow[], earlier: readonly EarlierPayment[]): Flag[] {
  const flags = runChecks(rows);
  // With no earlier payment in the file's dates nothing can repeat one, and keying a million payments again would be wasted.
  return earlier.length === 0 ? flags : [...flags, ...duplicatesOfEarlierFiles(paymentsOf(rows), earlier)];
}

let bytes: Uint8Array | null = null;
let kept: TransparencyFile | null = null;

export function work(question: CheckQuestion): CheckAnswer {
  if ('read' in question) return read(question.read.bytes, question.read.options);
  if (!kept) throw new Error('The worker was asked to write or check before it had read the file');
  if ('write' in question) return write(kept.rows, question.write);
  return { flags: fileFlags(kept.rows, question.check.earlier) };
}

function read(given: Uint8Array | undefined, options: ReadOptions): CheckAnswer {
  bytes = given ?? bytes;
  if (!bytes) throw new Error('The worker was asked to read before it was given the file');
  try {
    kept = readTransparencyFile(bytes, options);
  } catch (err) {
    if (err instanceof ValidationError) return { refused: err.fields };
    throw err;
  }
  return { file: figuresOf(kept) };
}

function write(rows: readonly TypedRow[], { authorityId, importId, port }: { authorityId: string; importId: string; port: MessagePort }): null {
  for (const { data, sent } of paymentCopyData(rows, authorityId, importId)) {
    // Moved, not copied: each chunk has its own buffer.
    const chunk = data.buffer as ArrayBuffer;
    port.postMessage({ chunk, sent } satisfies CopyMessage, [chunk]);
  }
  port.postMessage({ end: true } satisfies CopyMessage);
  port.close();
  return null;
}
