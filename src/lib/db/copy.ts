/**
 * Bulk loading through PostgreSQL's COPY, inside an open transaction, on either engine:
 * a server gets `COPY … FROM STDIN` streamed over its connection (pg-copy-streams), PGlite
 * gets the same data through its `/dev/blob` device. COPY skips the per-statement parse, plan
 * and parameter work an INSERT pays, which is what lets a million-row file go in at close to
 * COPY's own speed. Everything else still goes through Drizzle. The data itself is made by
 * copy-format.ts.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './client.ts';
import { BINARY_HEADER, BINARY_TRAILER, copyChunks, type CopyChunk, type CopyFormat, type CopyValue } from './copy-format.ts';

/** A table or column name as PostgreSQL quotes it (they come from code, but quoting costs nothing). */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Copy `rows` into `table`'s `columns` in the transaction `tx`; `fields` gives each row's values
 * in column order; `progress` hears how many rows have been sent. It all happens inside `tx`, so
 * an error (or a killed process) rolls the rows back with everything else.
 */
export async function copyRows<T>(tx: Tx, table: string, columns: readonly string[], rows: readonly T[], fields: (row: T) => readonly CopyValue[], progress?: (sent: number) => void): Promise<void> {
  if (rows.length > 0) await copyData(tx, table, columns, copyChunks(rows, fields), { progress });
}

/**
 * Copy COPY data made elsewhere (copyChunks or binaryCopyChunks, perhaps on a worker thread)
 * into `table`'s `columns` in `tx`, chunk by chunk as the chunks come; `progress` hears of each
 * one taken.
 */
export async function copyData(tx: Tx, table: string, columns: readonly string[], chunks: Iterable<CopyChunk> | AsyncIterable<CopyChunk>, options: { format?: CopyFormat; progress?: (sent: number) => void } = {}): Promise<void> {
  const binary = options.format === 'binary';
  const command = `copy ${ident(table)} (${columns.map(ident).join(', ')})`;
  const client = sessionClient(tx);
  if (client instanceof pg.Client) {
    await pipeline(Readable.from(framed(chunks, binary, options.progress)), client.query(copyFrom(`${command} from stdin${binary ? ' with (format binary)' : ''}`)));
    return;
  }
  // PGlite takes a COPY's data as one blob, so it gets one COPY a chunk: the file is never held twice.
  for await (const { data, sent } of chunks) {
    await client.query(`${command} from '/dev/blob'${binary ? ' with (format binary)' : ''}`, [], { blob: new Blob(binary ? [BINARY_HEADER, data, BINARY_TRAILER] : [data]) });
    options.progress?.(sent);
  }
}

/** The chunks' data, between the binary header and trailer if binary; each chunk counts as sent once the stream asks for the next. */
async function* framed(chunks: Iterable<CopyChunk> | AsyncIterable<CopyChunk>, binary: boolean, progress?: (sent: number) => void): AsyncGenerator<string | Uint8Array> {
  if (binary) yield BINARY_HEADER;
  for await (const { data, sent } of chunks) {
    yield data;
    progress?.(sent);
  }
  if (binary) yield BINARY_TRAILER;
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
