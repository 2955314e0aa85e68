/**
 * Bulk loading through PostgreSQL's COPY, inside an open transaction, on either engine:
 * a server gets `COPY … FROM STDIN` streamed over its connection (pg-copy-streams), PGlite
 * gets the same text through its `/dev/blob` device. COPY skips the per-statement parse, plan
 * and parameter work an INSERT pays, which is what lets a million-row file go in at close to
 * COPY's own speed. Everything else still goes through Drizzle.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './client.ts';

/** A value as COPY's text format takes it; null becomes \N. */
export type CopyValue = string | number | bigint | boolean | null;

/** Rows sent to the server per chunk: big enough to keep the pipe full, small enough not to hold the file twice. */
const CHUNK_ROWS = 5_000;

/** COPY text format: backslash, tab, newline and carriage return are escaped; everything else goes as it is. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Whole rows of COPY text, and how many rows the load has reached with them. */
export interface CopyChunk {
  text: string | Buffer;
  sent: number;
}

/**
 * The COPY text of rows, `CHUNK_ROWS` at a time, so a big load is made as it is sent. Pure, so a
 * worker thread can make the text of rows it holds and pass the chunks on (see copyText).
 */
export function* copyChunks<T>(rows: Iterable<T>, fields: (row: T) => readonly CopyValue[]): Generator<CopyChunk & { text: string }> {
  let text = '';
  let sent = 0;
  for (const row of rows) {
    const values = fields(row);
    for (let k = 0; k < values.length; k++) text += (k ? '\t' : '') + copyField(values[k]!);
    text += '\n';
    if (++sent % CHUNK_ROWS === 0) {
      yield { text, sent };
      text = '';
    }
  }
  if (text !== '') yield { text, sent };
}

/** A table or column name as PostgreSQL quotes it (they come from code, but quoting costs nothing). */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Copy `rows` into `table`'s `columns` in the transaction `tx`; `fields` gives each row's values
 * in column order; `progress` hears how many rows have been sent. It all happens inside `tx`, so
 * an error (or a killed process) rolls the rows back with everything else.
 */
export async function copyRows<T>(tx: Tx, table: string, columns: readonly string[], rows: readonly T[], fields: (row: T) => readonly CopyValue[], progress?: (sent: number) => void): Promise<void> {
  if (rows.length > 0) await copyText(tx, table, columns, copyChunks(rows, fields), progress);
}

/**
 * Copy COPY text made elsewhere (copyChunks, perhaps on a worker thread) into `table`'s `columns`
 * in `tx`, chunk by chunk as the chunks come; `progress` hears of each one taken.
 */
export async function copyText(tx: Tx, table: string, columns: readonly string[], chunks: Iterable<CopyChunk> | AsyncIterable<CopyChunk>, progress?: (sent: number) => void): Promise<void> {
  const target = `${ident(table)} (${columns.map(ident).join(', ')})`;
  const client = sessionClient(tx);
  if (client instanceof pg.Client) {
    await pipeline(Readable.from(texts(chunks, progress)), client.query(copyFrom(`copy ${target} from stdin`)));
    return;
  }
  // PGlite takes a COPY's data as one blob, so it gets one COPY a chunk: the file is never held twice.
  for await (const { text, sent } of chunks) {
    await client.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([text]) });
    progress?.(sent);
  }
}

/** The chunks' text; each chunk counts as sent once the stream asks for the next. */
async function* texts(chunks: Iterable<CopyChunk> | AsyncIterable<CopyChunk>, progress?: (sent: number) => void): AsyncGenerator<string | Buffer> {
  for await (const { text, sent } of chunks) {
    yield text;
    progress?.(sent);
  }
}

interface PgliteClient {
  query(sql: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/**
 * The connection under a Drizzle transaction. Drizzle keeps it as `session.client` on both its
 * node-postgres and PGlite drivers; neither exposes it by type, hence the one cast, kept here.
 */
function sessionClient(tx: Tx): pg.Client | PgliteClient {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!client || typeof (client as PgliteClient).query !== 'function') throw new Error('copyRows needs a Drizzle transaction on node-postgres or PGlite');
  return client as pg.Client | PgliteClient;
}
