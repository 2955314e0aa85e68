/**
 * A big payments file read from its bytes straight into spend_transactions' binary COPY data,
 * the import worker's way of reading (check-worker.ts). Decoding a million rows to strings, making
 * a row object of each and encoding its strings again for COPY was most of an import's time;
 * here an ordinary record's text cells go from the file's bytes to the COPY data as they are.
 *
 * An ordinary record has the mapping's number of cells, each clean or cleaned byte by byte (outer
 * and repeated white space, line breaks and doubled quotes are ASCII, so that is exact), an
 * amount and a date that read, a payee, and nothing the reader would warn about. Every other
 * record — the lines above and at the headings, blank and total lines, fused or ragged rows, rows
 * to reject, cells needing Unicode-aware cleaning — is decoded and handed to read.ts's
 * RecordTaker, which decides it as readTransparencyFile does. Either way the same rules decide:
 * the amount, the date, redactions and references are read by read.ts's and values.ts's own
 * functions; this file only finds cells and cleans them. The COPY data and figures are the
 * same, byte for byte, as paymentCopyData makes from readTransparencyFile's rows
 * (payment-bytes.test.ts holds it to that on every real file).
 */
import { Buffer } from 'node:buffer';
import type { BinaryCopyStream } from '../../lib/db/copy-format.ts';
import { csvRecords } from './csv.ts';
import { decodeAs, type TextEncoding } from './decode.ts';
import { FIELDS } from './fields.ts';
import type { ColumnMapping } from './layout.ts';
import { PAYMENT_TEXT_FIELDS, PaymentTuples, type PaymentDataset } from './payment-copy.ts';
import { isTotalLabel, RecordTaker, reference, type CardRow, type RowFigures, type SpendRow } from './read.ts';
import type { CalendarDate } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';
import { amountPenceOfBytes, isRedaction, parseAmount, type Reading } from './values.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const NO_COLUMN = -1;

/** How each text column's cell is read: the payee's name, a reference ("N/A" is none) or plain text. */
const PAYEE = 0;
const REFERENCE = 1;
const TEXT = 2;
type TextKind = typeof PAYEE | typeof REFERENCE | typeof TEXT;

export class PaymentBytesReader {
  private readonly bytes: Uint8Array;
  private readonly n: number;
  private readonly utf8: boolean;
  private readonly encoding: TextEncoding;
  private readonly mapping: ColumnMapping;
  private readonly dataset: PaymentDataset;
  private readonly taker: RecordTaker;
  private readonly tuples: PaymentTuples;
  private readonly amountAt: number;
  private readonly dateAt: number;
  private readonly vatAt: number;
  /** The cell of each text column, in PAYMENT_TEXT_FIELDS' order, or NO_COLUMN. */
  private readonly textAt: Int32Array;
  private readonly textKind: TextKind[];

  // The record being read: its cells' bytes (inside any quotes), whether each has doubled quotes, and whether it is plain (unquoted, clean as it is).
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  private plain = new Uint8Array(64);
  private cellCount = 0;
  /** False when a cell's quotes are not closed, or something follows its closing quote. */
  private simple = true;
  private nextLine = 1;
  private at = 0;

  // Cleaned cells that are not a run of the file's bytes are written here, afresh for each record.
  private scratch = new Uint8Array(1 << 16);
  private scratchAt = 0;
  // The body and the scratch buffer as Buffers, to decode cells from, and as DataViews, to copy them to the COPY data from.
  private readonly bodyText: Buffer;
  private readonly bodyData: DataView;
  private scratchText = Buffer.from(this.scratch.buffer);
  private scratchData = new DataView(this.scratch.buffer);
  // The last cell cleaned: its bytes are src[cs, ce).
  private src: Uint8Array;
  private cs = 0;
  private ce = 0;

  private readonly dateCells = new DateCells();
  private readonly sources: DataView[];
  private readonly ranges = new Int32Array(16);

  constructor(body: Uint8Array, encoding: TextEncoding, mapping: ColumnMapping, stream: BinaryCopyStream<SpendRow | CardRow>, ids: { authorityId: string; importId: string }) {
    if (mapping.dataset !== 'spend-over-500' && mapping.dataset !== 'procurement-card') throw new Error(`${mapping.dataset} rows are not payments`);
    this.bytes = body;
    this.bodyText = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.bodyData = new DataView(body.buffer, body.byteOffset, body.byteLength);
    this.n = body.length;
    this.encoding = encoding;
    this.utf8 = encoding === 'utf-8';
    this.mapping = mapping;
    this.dataset = mapping.dataset;
    this.tuples = new PaymentTuples(stream, ids.authorityId, ids.importId, this.dataset);
    this.taker = new RecordTaker(mapping, (row) => stream.add(row as SpendRow | CardRow));
    const at = (field: string) => mapping.columns[field]?.index ?? NO_COLUMN;
    this.amountAt = at('amount');
    this.dateAt = at('date');
    this.vatAt = at('irrecoverableVat');
    const fields = PAYMENT_TEXT_FIELDS[this.dataset];
    this.textAt = Int32Array.from(fields, (field) => (field === null ? NO_COLUMN : at(field)));
    // The builders in read.ts read each payment field by its kind: reference() for references, text() for the rest.
    this.textKind = fields.map((field, j) => (j === 0 ? PAYEE : FIELDS[this.dataset].find((spec) => spec.name === field)?.kind === 'reference' ? REFERENCE : TEXT));
    this.sources = fields.map(() => this.bodyData);
    this.src = body;
  }

  /** How many of the file's bytes have been read. */
  get position(): number {
    return this.at;
  }

  /** Every record, in order, into the stream; the file's figures (the stream's end is the caller's). */
  read(): RowFigures {
    while (this.at < this.n) {
      const start = this.at;
      const line = this.nextLine;
      this.at = this.record(start);
      if (!(this.simple && this.taker.pastHeadings && this.ordinary(line))) this.byTaker(start, this.at, line);
    }
    return this.taker.finish();
  }

  /** A record that is not ordinary, decoded and decided by the taker as readTransparencyFile would. */
  private byTaker(start: number, end: number, line: number): void {
    const record = csvRecords(decodeAs(this.bytes.subarray(start, end), this.encoding)).next().value!;
    this.taker.take({ ...record, line });
  }

  // -------------------------------------------------------------------------
  // Finding the cells

  /** The cells of the record starting at `at`, found as csv.ts finds them; answers where the next record starts. */
  private record(at: number): number {
    const b = this.bytes;
    const n = this.n;
    let count = 0;
    this.simple = true;
    for (;;) {
      if (count === this.starts.length) this.moreCells();
      if (at < n && b[at] === QUOTE) at = this.quoted(at, count);
      else {
        // Noting on the way whether the cell may need cleaning, so that a clean cell is not read a second time to find out.
        let i = at;
        let plain = 1;
        while (i < n) {
          const c = b[i]!;
          if (c > SPACE) {
            if (c === COMMA) break;
            if (c >= 0x80) plain = 0;
          } else {
            if (c === LF || c === CR) break;
            if (c !== SPACE || i === at || b[i - 1] === SPACE) plain = 0;
          }
          i++;
        }
        if (i > at && b[i - 1] === SPACE) plain = 0;
        this.starts[count] = at;
        this.ends[count] = i;
        this.escaped[count] = 0;
        this.plain[count] = plain;
        at = i;
      }
      count++;
      if (at >= n) break;
      const c = b[at++];
      if (c === COMMA) {
        if (at < n) continue;
        // "a,b," at the very end still has an empty last cell.
        if (count === this.starts.length) this.moreCells();
        this.starts[count] = this.ends[count] = at;
        this.escaped[count] = 0;
        this.plain[count] = 1;
        count++;
        break;
      }
      if (c === CR && b[at] === LF) at++;
      this.nextLine++;
      break;
    }
    this.cellCount = count;
    return at;
  }

  /** A quoted cell from its opening quote; answers where it ends. Line breaks inside it count as lines. */
  private quoted(at: number, k: number): number {
    const b = this.bytes;
    let from = at + 1;
    let escaped = 0;
    for (;;) {
      const close = b.indexOf(QUOTE, from);
      if (close === -1) {
        this.nextLine += lineEnds(b, from, this.n);
        this.simple = false;
        return this.n;
      }
      this.nextLine += lineEnds(b, from, close);
      if (b[close + 1] === QUOTE) {
        escaped = 1;
        from = close + 2;
        continue;
      }
      this.starts[k] = at + 1;
      this.ends[k] = close;
      this.escaped[k] = escaped;
      this.plain[k] = 0;
      let i = close + 1;
      // Anything after the closing quote, up to the delimiter, belongs to the cell too: the taker puts it together.
      while (i < this.n) {
        const c = b[i]!;
        if (c === COMMA || c === LF || c === CR) break;
        this.simple = false;
        i++;
      }
      return i;
    }
  }

  private moreCells(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const bigger = make(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.ends = grow(this.ends, (n) => new Int32Array(n));
    this.escaped = grow(this.escaped, (n) => new Uint8Array(n));
    this.plain = grow(this.plain, (n) => new Uint8Array(n));
  }

  // -------------------------------------------------------------------------
  // An ordinary record

  /** Writes the record's payment if it is ordinary and answers true; answers false, having changed nothing, if not. */
  private ordinary(line: number): boolean {
    const mapping = this.mapping;
    const count = this.cellCount;
    if (count < mapping.width) return false;
    this.scratchAt = 0;
    for (let i = mapping.width; i < count; i++) if (!this.isEmpty(i)) return false;
    for (const spacer of mapping.spacers) if (!this.isEmpty(spacer)) return false;

    if (!this.clean(this.amountAt)) return false;
    const amountPence = this.amount();
    if (amountPence === null) return false;
    if (!this.clean(this.dateAt)) return false;
    const dateCell = this.dateCell();
    const date = this.dateCells.readings[dateCell]!;
    if (!date.ok) return false;
    if (this.vatAt !== NO_COLUMN) {
      if (!this.clean(this.vatAt)) return false;
      if (this.ce > this.cs && this.amount() === null) return false;
    }
    if (!this.labelledRow()) return false;

    let redacted = false;
    for (let j = 0; j < this.textAt.length; j++) {
      const cell = this.textAt[j]!;
      if (cell === NO_COLUMN) {
        this.ranges[2 * j] = NO_COLUMN;
        continue;
      }
      if (!this.clean(cell)) return false;
      const kind = this.textKind[j]!;
      // A payment with no payee gets a warning, which is the taker's to give.
      if (this.ce === this.cs && kind === PAYEE) return false;
      let none = this.ce === this.cs;
      if (!none && kind === PAYEE && this.mayBeWithheld()) none = redacted = isRedaction(this.cellText());
      else if (!none && kind === REFERENCE && (this.ce - this.cs <= 4 || this.src[this.cs] === HYPHEN || this.mayBeWithheld())) none = reference(this.cellText()) === null;
      this.sources[j] = this.src === this.bytes ? this.bodyData : this.scratchData;
      this.ranges[2 * j] = none ? NO_COLUMN : this.cs;
      this.ranges[2 * j + 1] = this.ce;
    }

    if (date.value === null) this.taker.dates.noteMissing(this.dateCells.texts[dateCell]!, line, this.taker.notes);
    this.tuples.write(line, date.value, redacted, amountPence, this.sources, this.ranges);
    this.taker.counted(amountPence, date.value);
    return true;
  }

  /** The cleaned date cell's entry in dateCells, read by the taker's DateReader the first time it is met. */
  private dateCell(): number {
    const cells = this.dateCells;
    const found = cells.find(this.src, this.cs, this.ce);
    if (found >= 0) return found;
    const text = this.cellText();
    return cells.add(this.src, this.cs, this.ce, text, this.taker.dates.parse(text, 'date', this.taker.heading));
  }

  /** The cleaned cell's amount in pence, or null when it does not read as one. */
  private amount(): Pence | null {
    const pence = amountPenceOfBytes(this.src, this.cs, this.ce);
    if (pence !== null) return pence;
    const reading = parseAmount(this.cellText());
    return reading.ok ? reading.value : null;
  }

  /** True when the cell is empty once cleaned; false too when it needs the taker to clean it. */
  private isEmpty(cell: number): boolean {
    return cell >= this.cellCount || this.starts[cell] === this.ends[cell] || (this.clean(cell) && this.ce === this.cs);
  }

  /**
   * True when the record is not a total line: its first filled cell other than the amount is
   * there and is not "Total" or the like (see read.ts's totalLine, which decides the rest).
   */
  private labelledRow(): boolean {
    for (let i = 0; i < this.cellCount; i++) {
      if (i === this.amountAt || this.starts[i] === this.ends[i]) continue;
      if (!this.clean(i)) return false;
      if (this.ce === this.cs) continue;
      const first = this.src[this.cs]! | 0x20;
      // Only a cell starting with g, s or t can be "Grand total", "Sub-total" or "Total".
      return (first !== 0x67 && first !== 0x73 && first !== 0x74) || !isTotalLabel(this.cellText());
    }
    return false;
  }

  /** Whether the cleaned cell might be a redaction ("REDACTED", "Name withheld", "Private individual"), which isRedaction then decides. */
  private mayBeWithheld(): boolean {
    const s = this.src;
    for (let k = this.cs; k + 8 <= this.ce; k++) if ((s[k]! | 0x20) === 0x72 && matchesAt(s, k, REDACTED)) return true;
    return (this.ce - this.cs >= 8 && matchesAt(s, this.ce - 8, WITHHELD)) || (this.ce - this.cs >= 10 && matchesAt(s, this.ce - 10, INDIVIDUAL));
  }

  // -------------------------------------------------------------------------
  // Cleaning a cell

  /**
   * The cell as cleanCell (values.ts) leaves it, into src[cs, ce): the file's own bytes when it
   * needs nothing done, else cleaned into the scratch buffer. False when cleaning it takes more
   * than ASCII white space and doubled quotes: the taker then reads the record.
   */
  private clean(cell: number): boolean {
    if (cell === NO_COLUMN || cell >= this.cellCount) {
      this.src = this.bytes;
      this.cs = this.ce = 0;
      return true;
    }
    const b = this.bytes;
    const s = this.starts[cell]!;
    const e = this.ends[cell]!;
    if (this.plain[cell] === 1) {
      this.src = b;
      this.cs = s;
      this.ce = e;
      return true;
    }
    let spaced = false;
    let nonAscii = false;
    let previousWasSpace = true; // so that a leading space counts, as in cleanCell
    for (let k = s; k < e; k++) {
      const c = b[k]!;
      if (c <= SPACE) {
        if (c !== SPACE || previousWasSpace) spaced = true;
        previousWasSpace = true;
        continue;
      }
      previousWasSpace = false;
      if (c < 0x80) continue;
      // A non-breaking space (U+00A0) or "†" (U+2020) is white space to cleanCell; in Windows-1252 any byte above 0x7f would need decoding.
      if (!this.utf8 || (c === 0xc2 && b[k + 1] === 0xa0) || (c === 0xe2 && b[k + 1] === 0x80 && b[k + 2] === 0xa0)) return false;
      nonAscii = true;
    }
    if (previousWasSpace && e > s) spaced = true;
    if (!spaced && this.escaped[cell] === 0) {
      this.src = b;
      this.cs = s;
      this.ce = e;
      return true;
    }
    // cleanCell collapses every Unicode space once it has anything to collapse: that is the taker's to do.
    if (spaced && nonAscii) return false;
    return this.cleanInto(s, e, this.escaped[cell] === 1, spaced);
  }

  /** Cleans the bytes into the scratch buffer: doubled quotes made single, runs of white space one space, none at the ends. */
  private cleanInto(s: number, e: number, escaped: boolean, spaced: boolean): boolean {
    if (this.scratchAt + (e - s) > this.scratch.length) {
      // Cells already cleaned this record keep the old buffer alive until their tuple is written.
      this.scratch = new Uint8Array(Math.max(this.scratch.length * 2, this.scratchAt + (e - s)));
      this.scratchText = Buffer.from(this.scratch.buffer);
      this.scratchData = new DataView(this.scratch.buffer);
      this.scratchAt = 0;
    }
    const b = this.bytes;
    const out = this.scratch;
    const start = this.scratchAt;
    let o = start;
    let spaceDue = false;
    for (let k = s; k < e; k++) {
      const c = b[k]!;
      if (c === QUOTE && escaped) k++; // "" is one quote
      else if (spaced && c <= SPACE) {
        // \s in cleanCell's expression: tab, line feed, vertical tab, form feed, carriage return, space. Other control characters stay, for the taker.
        if (c !== SPACE && (c < 0x09 || c > 0x0d)) return false;
        spaceDue = o > start;
        continue;
      }
      if (spaceDue) {
        out[o++] = SPACE;
        spaceDue = false;
      }
      out[o++] = c;
    }
    this.src = out;
    this.cs = start;
    this.ce = o;
    this.scratchAt = o;
    return true;
  }

  /** The cleaned cell as a string, for the rules that read amounts, dates and words. */
  private cellText(): string {
    const s = this.src;
    const view = s === this.bytes ? this.bodyText : this.scratchText;
    for (let k = this.cs; k < this.ce; k++) if (s[k]! >= 0x80) return view.toString('utf8', this.cs, this.ce);
    return view.toString('latin1', this.cs, this.ce);
  }
}

/**
 * Date cells by their bytes, each with its text and reading. A file's payments fall on a few
 * hundred dates, each written the same way every time, so a cell met before is found by its
 * bytes alone, with no string made or looked up: an open-addressed table of FNV-1a hashes.
 */
export class DateCells {
  readonly texts: string[] = [];
  readonly readings: Reading<CalendarDate | null>[] = [];
  private slots = new Int32Array(1024).fill(-1);
  private hashes: number[] = [];
  private keys = new Uint8Array(1 << 14);
  private keysUsed = 0;
  private keyStarts: number[] = [];
  private keyEnds: number[] = [];

  /** The entry of the cell b[s, e), or -1. */
  find(b: Uint8Array, s: number, e: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(b, s, e) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === -1 || this.holds(entry, b, s, e)) return entry;
    }
  }

  /** Adds the cell b[s, e), not found before, with its text and reading; answers its entry. */
  add(b: Uint8Array, s: number, e: number, text: string, reading: Reading<CalendarDate | null>): number {
    const entry = this.texts.length;
    if (this.keysUsed + (e - s) > this.keys.length) {
      const bigger = new Uint8Array(Math.max(this.keys.length * 2, this.keysUsed + (e - s)));
      bigger.set(this.keys.subarray(0, this.keysUsed));
      this.keys = bigger;
    }
    this.keys.set(b.subarray(s, e), this.keysUsed);
    this.keyStarts.push(this.keysUsed);
    this.keyEnds.push((this.keysUsed += e - s));
    this.texts.push(text);
    this.readings.push(reading);
    this.hashes.push(hashOf(b, s, e));
    // Kept at most half full, so a search ends soon.
    if (2 * this.texts.length > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
    return entry;
  }

  private holds(entry: number, b: Uint8Array, s: number, e: number): boolean {
    const start = this.keyStarts[entry]!;
    if (this.keyEnds[entry]! - start !== e - s) return false;
    const keys = this.keys;
    for (let k = 0; k < e - s; k++) if (keys[start + k] !== b[s + k]) return false;
    return true;
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let entry = 0; entry < this.texts.length; entry++) this.place(entry);
  }
}

/** FNV-1a of b[s, e), as a non-negative 31-bit number. */
function hashOf(b: Uint8Array, s: number, e: number): number {
  let hash = 0x811c9dc5;
  for (let k = s; k < e; k++) hash = Math.imul(hash ^ b[k]!, 0x01000193);
  return hash & 0x7fffffff;
}

const REDACTED = Buffer.from('redacted');
const WITHHELD = Buffer.from('withheld');
const INDIVIDUAL = Buffer.from('individual');

/** Whether `bytes` has the lower-case ASCII `word` at `at`, in either case. */
function matchesAt(bytes: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if ((bytes[at + i]! | 0x20) !== word[i]) return false;
  return true;
}

/** Line ends between `from` and `to`, counting CR, LF and CRLF each as one, as csv.ts counts them. */
function lineEnds(b: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (b[i + 1] === LF) i++;
    }
  }
  return count;
}
