/**
 * A big payments file's work on a worker thread (src/lib/worker.ts), so this thread is free to
 * pass rows to PostgreSQL, which ingests them on the machine's other core. The worker is sent
 * the file's bytes once and decodes them once; the rows stay here (a million row objects take
 * longer to copy across than to read). It is asked in turn:
 *
 *  1. `layout`: how the file's columns are read (again with another mapping, if the import
 *     tries the publisher's saved one), or why it is refused; no row is read yet;
 *  2. `read`: read the rows with the layout settled on, sending their binary COPY data chunk by
 *     chunk on the port given as they are read, so PostgreSQL takes them while the rest is
 *     read; then answer the file's figures, and keep the rows;
 *  3. `check`: every counter-fraud check over the kept rows, once their import has committed.
 *
 * The import writes and checks the very rows whose figures it records: there is one read.
 */
import type { MessagePort } from 'node:worker_threads';
import { runChecks, type Flag } from './checks.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import { decodeBytes, type TextEncoding } from './decode.ts';
import type { Dataset } from './fields.ts';
import type { ColumnMapping } from './layout.ts';
import { isPaymentRow, paymentsOf } from './payments.ts';
import { paymentCopyStream } from './payment-copy.ts';
import { layoutOf, readDecoded, type ReadOptions, type TransparencyFile, type TypedRow } from './read.ts';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';

/** A file as read, without its rows: what the import records. */
export type FileFigures = Omit<TransparencyFile, 'rows'> & { rowCount: number };

export function figuresOf({ rows, ...figures }: TransparencyFile): FileFigures {
  return { ...figures, rowCount: rows.length };
}

/** How a file's columns are read, before its rows are (warnings come with the rows). */
export interface Layout {
  dataset: Dataset;
  mapping: ColumnMapping;
  warnings: string[];
}

export type CheckQuestion =
  | { layout: { bytes?: Uint8Array; options: ReadOptions } }
  | { read: { options: ReadOptions; authorityId: string; importId: string; port: MessagePort } }
  | { check: { earlier: EarlierPayment[] } };

export type CheckAnswer = { layout: Layout } | { file: FileFigures } | { refused: FieldErrors } | { flags: Flag[] } | null;

/**
 * What `read` sends on its port: a chunk of binary COPY data (whole rows), the rows sent so far
 * and how many the file is expected to hold (estimated from how far through its lines the read
 * is, exact in the last chunk), then the end.
 */
export type CopyMessage = { chunk: ArrayBuffer; sent: number; expected: number } | { end: true };

/** Every check over a file's rows, including repeats of earlier files' payments. */
export function fileFlags(rows: readonly TypedRow[], earlier: readonly EarlierPayment[]): Flag[] {
  const flags = runChecks(rows);
  // With no earlier payment in the file's dates nothing can repeat one, and keying a million payments again would be wasted.
  return earlier.length === 0 ? flags : [...flags, ...duplicatesOfEarlierFiles(paymentsOf(rows), earlier)];
}

let decoded: { text: string; encoding: TextEncoding } | null = null;
let kept: TransparencyFile | null = null;

export function work(question: CheckQuestion): CheckAnswer {
  if ('layout' in question) return refusedOr(() => layout(question.layout.bytes, question.layout.options));
  if ('read' in question) return read(question.read);
  if (!kept) throw new Error('The worker was asked to check before it had read the file');
  return { flags: fileFlags(kept.rows, question.check.earlier) };
}

/** A refusal of the file as an answer (it is the file's fault, not the worker's); any other error is thrown. */
function refusedOr(answer: () => CheckAnswer): CheckAnswer {
  try {
    return answer();
  } catch (err) {
    if (err instanceof ValidationError) return { refused: err.fields };
    throw err;
  }
}

function layout(bytes: Uint8Array | undefined, options: ReadOptions): CheckAnswer {
  if (bytes) decoded = decodeBytes(bytes);
  if (!decoded) throw new Error('The worker was asked for a layout before it was given the file');
  return { layout: { ...layoutOf(decoded.text, options), warnings: [] } };
}

function read({ options, authorityId, importId, port }: { options: ReadOptions; authorityId: string; importId: string; port: MessagePort }): CheckAnswer {
  if (!decoded) throw new Error('The worker was asked to read before it was given the file');
  const file = decoded;
  const lines = lineCount(file.text);
  let lastLine = 1;
  let readAll = false;
  const stream = paymentCopyStream(authorityId, importId, ({ data, sent }) => {
    // Moved, not copied: each chunk has its own buffer.
    const chunk = data.buffer as ArrayBuffer;
    port.postMessage({ chunk, sent, expected: readAll ? sent : Math.max(sent, Math.round((sent * lines) / lastLine)) } satisfies CopyMessage, [chunk]);
  });
  try {
    return refusedOr(() => {
      kept = readDecoded(file, options, (row) => {
        if (!isPaymentRow(row)) return;
        lastLine = row.line;
        stream.add(row);
      });
      // The last chunk comes from end(), so it carries the exact count.
      readAll = true;
      stream.end();
      return { file: figuresOf(kept) };
    });
  } finally {
    port.postMessage({ end: true } satisfies CopyMessage);
    port.close();
  }
}

/** The file's physical lines, counting CR, LF and CRLF each as one line end, as the reader numbers them. */
function lineCount(text: string): number {
  const count = (s: string) => {
    let n = 0;
    for (let at = text.indexOf(s); at !== -1; at = text.indexOf(s, at + s.length)) n++;
    return n;
  };
  return 1 + count('\n') + count('\r') - count('\r\n');
}
