/**
 * Bulk loading through PostgreSQL's COPY, inside an open transaction, on either engine:
 * a server gets `COPY … FROM STDIN` streamed over its connection (pg-copy-streams), PGlite
 * gets the same data through its `/dev/blob` device. COPY skips the per-statement parse, plan
 * and parameter work an INSERT pays, which is what lets a million-row file go in at close to
 * COPY's own speed. Everything else still goes through Drizzle.
 *
 * Two of COPY's formats: text, for any table (copyRows), and binary, for the spend import's
 * million rows, which PostgreSQL takes in about half the time of the same rows as text: it
 * parses no uuids, dates or numbers, and nothing is escaped (docs/PERFORMANCE.md).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './client.ts';
import { dayNumber, type CalendarDate } from '../dates.ts';

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

/** Whole rows of COPY data, and how many rows the load has reached with them. */
export interface CopyChunk {
  data: string | Uint8Array;
  sent: number;
}

export type CopyFormat = 'text' | 'binary';

/**
 * The COPY text of rows, `CHUNK_ROWS` at a time, so a big load is made as it is sent. Pure, so a
 * worker thread can make the text of rows it holds and pass the chunks on (see copyData).
 */
export function* copyChunks<T>(rows: Iterable<T>, fields: (row: T) => readonly CopyValue[]): Generator<CopyChunk & { data: string }> {
  let text = '';
  let sent = 0;
  for (const row of rows) {
    const values = fields(row);
    for (let k = 0; k < values.length; k++) text += (k ? '\t' : '') + copyField(values[k]!);
    text += '\n';
    if (++sent % CHUNK_ROWS === 0) {
      yield { data: text, sent };
      text = '';
    }
  }
  if (text !== '') yield { data: text, sent };
}

/** A column's type as COPY's binary format sends it. */
export type BinaryColumn = 'uuid' | 'int4' | 'int8' | 'bool' | 'date' | 'text';

/**
 * The rows as COPY binary tuples, `CHUNK_ROWS` at a time (without the format's header and
 * trailer, which copyData adds). Each chunk has a buffer of its own, so a worker thread can
 * move it to another thread rather than copy it.
 */
export function* binaryCopyChunks<T>(rows: Iterable<T>, columns: readonly BinaryColumn[], fields: (row: T) => readonly CopyValue[]): Generator<CopyChunk & { data: Uint8Array }> {
  const made: (CopyChunk & { data: Uint8Array })[] = [];
  const stream = new BinaryCopyStream(columns, fields, (chunk) => made.push(chunk));
  for (const row of rows) {
    stream.add(row);
    if (made.length > 0) yield* made.splice(0);
  }
  stream.end();
  yield* made;
}

/**
 * Binary COPY tuples made a row at a time and handed on `CHUNK_ROWS` rows at a time, for rows
 * that come one by one: a file's, as it is read, so PostgreSQL takes them while the rest is read.
 * A full chunk is handed on when the next row comes, so the last chunk always comes from `end`.
 */
export class BinaryCopyStream<T> {
  private readonly tuples: TupleWriter;
  private readonly fields: (row: T) => readonly CopyValue[];
  private readonly onChunk: (chunk: CopyChunk & { data: Uint8Array }) => void;
  private sent = 0;

  constructor(columns: readonly BinaryColumn[], fields: (row: T) => readonly CopyValue[], onChunk: (chunk: CopyChunk & { data: Uint8Array }) => void) {
    this.tuples = new TupleWriter(columns);
    this.fields = fields;
    this.onChunk = onChunk;
  }

  add(row: T): void {
    if (this.sent > 0 && this.sent % CHUNK_ROWS === 0) this.onChunk({ data: this.tuples.take(), sent: this.sent });
    this.tuples.add(this.fields(row));
    this.sent++;
  }

  /** Hands on the last rows, if any are left. */
  end(): void {
    if (this.tuples.size > 0) this.onChunk({ data: this.tuples.take(), sent: this.sent });
  }
}

/** Days from 1970-01-01 to 2000-01-01, the day binary dates count from. */
const POSTGRES_EPOCH_DAY = 10_957;
const TWO_TO_32 = 2 ** 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Binary tuples into one growing buffer; uuids repeat down a column (the authority's, the import's), so each is parsed once. */
class TupleWriter {
  private buffer = Buffer.allocUnsafeSlow(1 << 20);
  private at = 0;
  private readonly columns: readonly BinaryColumn[];
  private readonly lastUuid: (readonly [string, Buffer] | null)[];
  private readonly days = new Map<string, number>();

  constructor(columns: readonly BinaryColumn[]) {
    this.columns = columns;
    this.lastUuid = columns.map(() => null);
  }

  get size(): number {
    return this.at;
  }

  add(values: readonly CopyValue[]): void {
    if (values.length !== this.columns.length) throw new Error(`A row has ${values.length} values for ${this.columns.length} columns`);
    this.room(2);
    this.buffer[this.at++] = values.length >> 8;
    this.buffer[this.at++] = values.length & 0xff;
    for (let k = 0; k < values.length; k++) this.field(k, values[k]!);
  }

  /** The tuples so far, in a buffer of their own; the writer starts again empty. */
  take(): Uint8Array {
    const tuples = new Uint8Array(this.at);
    tuples.set(this.buffer.subarray(0, this.at));
    this.at = 0;
    return tuples;
  }

  private field(k: number, value: CopyValue): void {
    const type = this.columns[k]!;
    if (value === null) {
      this.room(4);
      this.int32(-1);
      return;
    }
    if (type === 'text') {
      if (typeof value !== 'string') throw wrongType(k, type, value);
      this.room(4 + value.length * 3); // UTF-8 takes at most three bytes for each UTF-16 unit
      const length = this.text(value, this.at + 4);
      this.int32(length);
      this.at += length;
      return;
    }
    this.room(20);
    if (type === 'int4') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw wrongType(k, type, value);
      this.int32(4);
      this.int32(value);
    } else if (type === 'int8') {
      if (typeof value === 'bigint') {
        this.int32(8);
        this.at = this.buffer.writeBigInt64BE(value, this.at);
        return;
      }
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType(k, type, value);
      const high = Math.floor(value / TWO_TO_32);
      this.int32(8);
      this.int32(high);
      this.int32(value - high * TWO_TO_32);
    } else if (type === 'bool') {
      if (typeof value !== 'boolean') throw wrongType(k, type, value);
      this.int32(1);
      this.buffer[this.at++] = value ? 1 : 0;
    } else if (type === 'date') {
      if (typeof value !== 'string') throw wrongType(k, type, value);
      this.int32(4);
      this.int32(this.day(k, value));
    } else {
      if (typeof value !== 'string') throw wrongType(k, type, value);
      let last = this.lastUuid[k];
      if (!last || last[0] !== value) {
        if (!UUID.test(value)) throw wrongType(k, type, value);
        this.lastUuid[k] = last = [value, Buffer.from(value.replace(/-/g, ''), 'hex')];
      }
      this.int32(16);
      this.at += last[1].copy(this.buffer, this.at);
    }
  }

  /** Four bytes, big-endian, of a signed or unsigned 32-bit number (byte by byte, quicker than Buffer's checked writes). */
  private int32(value: number): void {
    const buffer = this.buffer;
    buffer[this.at] = value >>> 24;
    buffer[this.at + 1] = (value >>> 16) & 0xff;
    buffer[this.at + 2] = (value >>> 8) & 0xff;
    buffer[this.at + 3] = value & 0xff;
    this.at += 4;
  }

  /**
   * A text's UTF-8 bytes at `at`, and how many. Most values are short and ASCII: copied a
   * character at a time they cost a fraction of a call into the native encoder, which takes the rest.
   */
  private text(value: string, at: number): number {
    const buffer = this.buffer;
    const n = value.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) return buffer.write(value, at);
      buffer[at + i] = c;
    }
    return n;
  }

  /** A date as days since 2000-01-01; a file's payments fall on a few hundred dates, so each is worked out once. */
  private day(k: number, value: string): number {
    let day = this.days.get(value);
    if (day === undefined) {
      if (!DATE.test(value)) throw wrongType(k, 'date', value);
      this.days.set(value, (day = dayNumber(value as CalendarDate) - POSTGRES_EPOCH_DAY));
    }
    return day;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }
}

// Made only when needed: a closure made for every field would cost more than the field.
function wrongType(k: number, type: BinaryColumn, value: CopyValue): TypeError {
  return new TypeError(`Column ${k + 1} is ${type}, and ${JSON.stringify(String(value))} is not one`);
}

/** The binary format's signature, flags and (empty) header extension, before the tuples; -1 as a field count after them. */
const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

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
