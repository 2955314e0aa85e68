/**
 * COPY's data formats, made and read back, with no database in sight: text (copyChunks, for any
 * table) and binary (BinaryCopyStream and TupleWriter, for the spend import's million rows,
 * which PostgreSQL takes in about half the time of the same rows as text: it parses no uuids,
 * dates or numbers, and nothing is escaped; docs/PERFORMANCE.md). Kept apart from copy.ts, which
 * sends the data, so the import worker that makes it does not load a database driver.
 */
import { addDays, dayNumber, type CalendarDate } from '../dates.ts';

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

  /** `shared`: chunks in SharedArrayBuffers, so a worker thread can hand them on and keep them, with no copy made. */
  constructor(columns: readonly BinaryColumn[], fields: (row: T) => readonly CopyValue[], onChunk: (chunk: CopyChunk & { data: Uint8Array }) => void, options: { shared?: boolean } = {}) {
    this.tuples = new TupleWriter(columns, options.shared ?? false);
    this.fields = fields;
    this.onChunk = onChunk;
  }

  add(row: T): void {
    this.tuple().values(this.fields(row));
  }

  /**
   * The writer, ready for the next row's fields to be written one by one in column order (every
   * column, with `value` or `utf8`): for a reader that writes fields straight from a file's bytes.
   */
  tuple(): TupleWriter {
    if (this.sent > 0 && this.sent % CHUNK_ROWS === 0) this.onChunk({ data: this.tuples.take(), sent: this.sent });
    this.sent++;
    return this.tuples.start();
  }

  /** Fields of columns `from` on, encoded once for every tuple that has them (see TupleWriter.encoded). */
  encode(from: number, values: readonly CopyValue[]): DataView {
    return this.tuples.encode(from, values);
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
export class TupleWriter {
  // Set by use(), which the constructor calls.
  private buffer!: Buffer;
  private view!: DataView;
  private readonly shared: boolean;
  private at = 0;
  private readonly columns: readonly BinaryColumn[];
  private readonly lastUuid: (readonly [string, Buffer] | null)[];
  private readonly days = new Map<string, number>();

  constructor(columns: readonly BinaryColumn[], shared = false) {
    this.shared = shared;
    this.use(this.allocate(1 << 20));
    this.columns = columns;
    this.lastUuid = columns.map(() => null);
  }

  get size(): number {
    return this.at;
  }

  /** A tuple's start: its field count, which is every column's. */
  start(): this {
    this.room(2);
    this.buffer[this.at++] = this.columns.length >> 8;
    this.buffer[this.at++] = this.columns.length & 0xff;
    return this;
  }

  /** A whole tuple's values, after start. */
  values(values: readonly CopyValue[]): void {
    if (values.length !== this.columns.length) throw new Error(`A row has ${values.length} values for ${this.columns.length} columns`);
    for (let k = 0; k < values.length; k++) this.value(k, values[k]!);
  }

  /**
   * Column k's field from bytes already UTF-8 (a file's, as read): copied as they are, with
   * nothing decoded or encoded. The caller vouches for the encoding; PostgreSQL checks it too.
   * The bytes come as a DataView, so they go four at a time: twice as quick as one by one, and
   * several times quicker than a native copy of a cell's few bytes.
   */
  utf8(k: number, bytes: DataView, start: number, end: number): void {
    if (this.columns[k] !== 'text') throw new TypeError(`Column ${k + 1} is ${this.columns[k]}, not text`);
    const length = end - start;
    this.room(4 + length);
    this.int32(length);
    this.copy(bytes, start, end);
  }

  private copy(bytes: DataView, start: number, end: number): void {
    const view = this.view;
    let at = this.at;
    let i = start;
    for (; i + 4 <= end; i += 4, at += 4) view.setUint32(at, bytes.getUint32(i));
    for (; i < end; i++) view.setUint8(at++, bytes.getUint8(i));
    this.at = at;
  }

  /** The tuples so far; the writer goes on in a new buffer (as big), so they are not copied and the caller may keep or move them. */
  take(): Uint8Array {
    const tuples = this.buffer.subarray(0, this.at);
    this.use(this.allocate(this.buffer.length));
    this.at = 0;
    return tuples;
  }

  private allocate(bytes: number): Buffer {
    return this.shared ? Buffer.from(new SharedArrayBuffer(bytes)) : Buffer.allocUnsafeSlow(bytes);
  }

  private use(buffer: Buffer): void {
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  /**
   * The fields of columns `from` on for these values, encoded once, for `encoded` to write into
   * every tuple that has them: an import's ids and dataset are the same on a million rows.
   */
  encode(from: number, values: readonly CopyValue[]): DataView {
    const writer = new TupleWriter(this.columns.slice(from, from + values.length));
    writer.values(values);
    const fields = writer.take().slice();
    return new DataView(fields.buffer, fields.byteOffset, fields.byteLength);
  }

  /** Fields made by `encode` for the columns next in the tuple. */
  encoded(fields: DataView): void {
    this.room(fields.byteLength);
    this.copy(fields, 0, fields.byteLength);
  }

  /** An int4 column's field: a row's line, say. Checked as `value` checks it, without looking the column up. */
  int4(value: number): void {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new TypeError(`${value} is not an int4`);
    this.room(8);
    this.int32(4);
    this.int32(value);
  }

  /** Column k's field, after the fields before it. */
  value(k: number, value: CopyValue): void {
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

  /** Four bytes, big-endian, of a signed or unsigned 32-bit number (DataView's write: quicker than Buffer's checked one). */
  private int32(value: number): void {
    this.view.setInt32(this.at, value);
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
    const bigger = this.allocate(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.use(bigger);
  }
}

/**
 * The rows of binary COPY tuples (as TupleWriter makes them, without header or trailer), each as
 * its values in column order: how a worker reads back the rows it sent, as PostgreSQL took them.
 * Dates come back as 'YYYY-MM-DD', int8 as numbers (the writer takes only safe integers).
 */
export function* binaryTuples(data: Uint8Array, columns: readonly BinaryColumn[]): Generator<CopyValue[]> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const days = new Map<number, string>();
  let at = 0;
  while (at < bytes.length) {
    const count = bytes.readUInt16BE(at);
    at += 2;
    if (count !== columns.length) throw new Error(`A tuple has ${count} fields for ${columns.length} columns`);
    const values: CopyValue[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const length = bytes.readInt32BE(at);
      at += 4;
      if (length === -1) {
        values[k] = null;
        continue;
      }
      values[k] = fieldValue(bytes, at, length, columns[k]!, days);
      at += length;
    }
    yield values;
  }
}

function fieldValue(bytes: Buffer, at: number, length: number, type: BinaryColumn, days: Map<number, string>): CopyValue {
  switch (type) {
    case 'text':
      return bytes.toString('utf8', at, at + length);
    case 'int4':
      return bytes.readInt32BE(at);
    case 'int8':
      return Number(bytes.readBigInt64BE(at));
    case 'bool':
      return bytes[at] === 1;
    case 'date': {
      const day = bytes.readInt32BE(at);
      let date = days.get(day);
      if (date === undefined) days.set(day, (date = addDays('1970-01-01', day + POSTGRES_EPOCH_DAY)));
      return date;
    }
    case 'uuid': {
      const hex = bytes.toString('hex', at, at + 16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
  }
}

// Made only when needed: a closure made for every field would cost more than the field.
function wrongType(k: number, type: BinaryColumn, value: CopyValue): TypeError {
  return new TypeError(`Column ${k + 1} is ${type}, and ${JSON.stringify(String(value))} is not one`);
}

/** The binary format's signature, flags and (empty) header extension, before the tuples; -1 as a field count after them. */
export const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);
