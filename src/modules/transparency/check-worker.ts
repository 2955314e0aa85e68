/**
 * A big payments file's work on a worker thread (src/lib/worker.ts), so this thread is free to
 * pass rows to PostgreSQL, which ingests them on the machine's other core. The import settles
 * the file's layout itself (fileLayout, from the start of the file: a fifth of a second less
 * than waiting for this thread to start first), then asks in turn:
 *
 *  1. `read`: the file's bytes in shared memory and the mapping settled on: read the rows from
 *     the bytes, sending their binary COPY data chunk by chunk on the port given as it is made,
 *     so PostgreSQL takes them while the rest is read; then answer the file's figures, and keep
 *     the data;
 *  2. `check`: every counter-fraud check over the rows in the kept data, once their import has
 *     committed.
 *
 * The import writes and checks the very rows whose figures it records: there is one read, and
 * the checks see the rows exactly as PostgreSQL took them.
 */
import type { MessagePort } from 'node:worker_threads';
import { runChecks, type Flag } from './checks.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import { bodyOf } from './decode.ts';
import { PaymentBytesReader } from './payment-bytes.ts';
import { paymentsOf } from './payments.ts';
import { paymentCopyStream, paymentsOfCopyData, type PaymentDataset } from './payment-copy.ts';
import type { ReadOptions, TransparencyFile, TypedRow } from './read.ts';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';

/** A file as read, without its rows: what the import records. */
export type FileFigures = Omit<TransparencyFile, 'rows'> & { rowCount: number };

export function figuresOf({ rows, ...figures }: TransparencyFile): FileFigures {
  return { ...figures, rowCount: rows.length };
}

export type CheckQuestion =
  | { read: { bytes: Uint8Array; options: ReadOptions; authorityId: string; importId: string; port: MessagePort } }
  | { check: { earlier: EarlierPayment[] } };

export type CheckAnswer = { file: FileFigures } | { refused: FieldErrors } | { flags: Flag[] } | null;

/**
 * What `read` sends on its port: a chunk of binary COPY data (whole rows, in shared memory), the
 * rows sent so far and how many the file is expected to hold (estimated from how far through its
 * bytes the read is, exact in the last chunk), then the end.
 */
export type CopyMessage = { chunk: Uint8Array; sent: number; expected: number } | { end: true };

/** Every check over a file's rows, including repeats of earlier files' payments. */
export function fileFlags(rows: readonly TypedRow[], earlier: readonly EarlierPayment[]): Flag[] {
  const flags = runChecks(rows);
  // With no earlier payment in the file's dates nothing can repeat one, and keying a million payments again would be wasted.
  return earlier.length === 0 ? flags : [...flags, ...duplicatesOfEarlierFiles(paymentsOf(rows), earlier)];
}

/** The rows read, as the COPY data sent, for the checks; and their dataset. */
let sent: { chunks: Uint8Array[]; dataset: PaymentDataset } | null = null;

export function work(question: CheckQuestion): CheckAnswer {
  if ('read' in question) return read(question.read);
  if (!sent) throw new Error('The worker was asked to check before it had read the file');
  return { flags: fileFlags(paymentsOfCopyData(sent.chunks, sent.dataset), question.check.earlier) };
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

/**
 * The payments, read from the file's bytes (payment-bytes.ts) into COPY data sent chunk by chunk
 * as it is made. The chunks are in shared memory, so they go to the other thread and stay here
 * for the checks with no copy made.
 */
function read({ bytes, options, authorityId, importId, port }: Extract<CheckQuestion, { read: unknown }>['read']): CheckAnswer {
  const mapping = options.mapping;
  if (!mapping || (mapping.dataset !== 'spend-over-500' && mapping.dataset !== 'procurement-card')) throw new Error('The worker reads payments, with their mapping settled');
  const dataset: PaymentDataset = mapping.dataset;
  const chunks: Uint8Array[] = [];
  let readAll = false;
  let reader: PaymentBytesReader | null = null;
  const stream = paymentCopyStream(
    authorityId,
    importId,
    ({ data, sent: rows }) => {
      chunks.push(data);
      const expected = readAll || !reader ? rows : Math.max(rows, Math.round((rows * bytes.length) / reader.position));
      port.postMessage({ chunk: data, sent: rows, expected } satisfies CopyMessage);
    },
    { shared: true },
  );
  try {
    return refusedOr(() => {
      const { body, encoding } = bodyOf(bytes);
      reader = new PaymentBytesReader(body, encoding, mapping, stream, { authorityId, importId });
      const figures = reader.read();
      // The last chunk comes from end(), so it carries the exact count.
      readAll = true;
      stream.end();
      sent = { chunks, dataset };
      return { file: { encoding, dataset, mapping, ...figures } };
    });
  } finally {
    port.postMessage({ end: true } satisfies CopyMessage);
    port.close();
  }
}
