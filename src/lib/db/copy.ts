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

/** The COPY text of rows, `CHUNK_ROWS` at a time, so a big load is made as it is sent; `sent` hears of each chunk. */
function* copyChunks<T>(rows: readonly T[], fields: (row: T) => readonly CopyValue[], sent?: (rows: number) => void): Generator<string> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    let text = '';
    const end = Math.min(i + CHUNK_ROWS, rows.length);
    for (let j = i; j < end; j++) {
      const values = fields(rows[j]!);
      for (let k = 0; k < values.length; k++) text += (k ? '\t' : '') + copyField(values[k]!);
      text += '\n';
    }
    yield text;
    sent?.(end);
  }
}

/** A table or column name as PostgreSQL quotes it (they come from code, but quoting costs nothing). */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Copy `rows` into `table`'s `columns` in the transaction `tx`; `fields` gives each row's values
 * in column order; `progress` hears how many rows have been sent. It all happens inside `tx`, so
 * an error (or a killed process) rolls the rows back with everything else.
 */
export async function copyRows<T>(tx: Tx, table: string, columns: readonly string[], rows: readonly T[], fields: (row: T) => readonly CopyValue[], progress?: (sent: number) => void): Promise<void> {
  if (rows.length === 0) return;
  const target = `${ident(table)} (${columns.map(ident).join(', ')})`;
  const client = sessionClient(tx);
  if (client instanceof pg.Client) {
    await pipeline(Readable.from(copyChunks(rows, fields, progress)), client.query(copyFrom(`copy ${target} from stdin`)));
    return;
  }
  // PGlite takes a COPY's data as one blob, so it gets one COPY a chunk: the file is never held twice.
  for (const chunk of copyChunks(rows, fields, progress)) await client.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([chunk]) });
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
