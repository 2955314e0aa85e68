/**
 * A council's Transparency Code file, bytes in, typed rows out. Every record
 * below the headings is either taken as a row or reported with its line and a
 * reason in plain English; blank lines, repeated headings and the council's own
 * total lines are left out with a warning, never counted as errors.
 */
import type { CalendarDate } from '../../lib/dates.ts';
import { ValidationError } from '../../lib/errors.ts';
import { formatPence, type Pence } from '../../lib/money.ts';
import { csvRecords, type CsvRecord } from './csv.ts';
import { bodyOf, decodeAs, decodeBytes, type TextEncoding } from './decode.ts';
import { FIELDS, normaliseHeading, type Dataset } from './fields.ts';
import { isBlankRecord, proposeLayout, SAMPLE_RECORDS, type ColumnMapping } from './layout.ts';
import { cleanCell, isRedaction, parseAmount, parseDate, type Reading } from './values.ts';

interface RowBase {
  /** The physical line the record starts on. */
  line: number;
}

export interface SpendRow extends RowBase {
  dataset: 'spend-over-500';
  date: CalendarDate | null;
  /** Null when the name is redacted (see `redacted`) or the file leaves it empty. */
  supplier: string | null;
  /** The council withheld the name, as it must for individuals ("REDACTED UNDER DP ACT"). */
  redacted: boolean;
  amountPence: Pence;
  expenseType: string | null;
  serviceArea: string | null;
  description: string | null;
  transactionRef: string | null;
  invoiceRef: string | null;
  supplierId: string | null;
  expenseCode: string | null;
  /** The supplier's VAT registration number, when the file gives one. */
  vatRegistration: string | null;
  irrecoverableVatPence: Pence | null;
  merchantCategory: string | null;
}

export interface CardRow extends RowBase {
  dataset: 'procurement-card';
  date: CalendarDate | null;
  merchant: string | null;
  redacted: boolean;
  amountPence: Pence;
  merchantCategory: string | null;
  purpose: string | null;
  serviceArea: string | null;
  description: string | null;
  transactionRef: string | null;
  irrecoverableVatPence: Pence | null;
}

export interface GrantRow extends RowBase {
  dataset: 'grants-vcse';
  awardDate: CalendarDate | null;
  recipient: string | null;
  redacted: boolean;
  /** Company or charity number; null for "N/A", which is what unregistered groups get. */
  registrationNumber: string | null;
  amountPence: Pence;
  purpose: string | null;
  /** As the council wrote it: "One-off", "12 months". */
  period: string | null;
  department: string | null;
}

/** ok: a real UPRN; unreliable: a spreadsheet rounded it (100071000000); missing: 0, n/a or empty. */
export type UprnStatus = 'ok' | 'unreliable' | 'missing';

export interface LandAssetRow extends RowBase {
  dataset: 'land-assets';
  uprn: string | null;
  uprnStatus: UprnStatus;
  assetId: string | null;
  name: string | null;
  streetNumber: string | null;
  streetName: string | null;
  postTown: string | null;
  postcode: string | null;
  easting: number | null;
  northing: number | null;
  coordinateSystem: string | null;
  tenure: string | null;
  tenureDetail: string | null;
}

export type TypedRow = SpendRow | CardRow | GrantRow | LandAssetRow;

export interface Rejection {
  line: number;
  reason: string;
}

export interface RowsRead {
  rows: TypedRow[];
  rejected: Rejection[];
  warnings: string[];
  /** Rows with a negative amount: credit notes, refunds, reversals. */
  credits: number;
  /** The net sum of the rows taken. */
  totalPence: Pence;
  /** The earliest and latest dates among the rows taken. */
  from: CalendarDate | null;
  to: CalendarDate | null;
}

export interface TransparencyFile extends RowsRead {
  encoding: TextEncoding;
  dataset: Dataset;
  mapping: ColumnMapping;
}

export interface ReadOptions {
  /** Read as this dataset instead of working it out. */
  dataset?: Dataset;
  /** A mapping confirmed or saved earlier; used as it stands. */
  mapping?: ColumnMapping;
}

export function readTransparencyFile(bytes: Uint8Array, options: ReadOptions = {}): TransparencyFile {
  const { text, encoding } = decodeBytes(bytes);
  const { mapping } = layoutOf(text, options);
  return { encoding, dataset: mapping.dataset, mapping, ...readRows(text, mapping) };
}

/**
 * How a decoded file's columns are read: the mapping given, else the one detected. Refused
 * (ValidationError) when the file's columns cannot be recognised or the mapping does not fit
 * its headings: everything that can refuse a file whole is found here, before any row is read.
 */
export function layoutOf(text: string, options: ReadOptions = {}): { dataset: Dataset; mapping: ColumnMapping } {
  let mapping = options.mapping;
  if (!mapping) {
    const proposal = proposeLayout(text, options.dataset ? { dataset: options.dataset } : {});
    if (!proposal.mapping) throw new ValidationError({ file: proposal.notTransparency ?? 'The columns of this file could not be recognised' });
    mapping = proposal.mapping;
  }
  checkAmountColumn(mapping);
  if (mapping.headerLine !== null) {
    const headings = recordOnLine(text, mapping.headerLine);
    if (!headings) throw noHeadingLine(mapping);
    checkHeadings(headings.fields, mapping);
  }
  return { dataset: mapping.dataset, mapping };
}

/** How a file's columns are read, before its rows are (warnings come with the rows). */
export interface FileLayout {
  dataset: Dataset;
  mapping: ColumnMapping;
  warnings: string[];
}

/** A file's layout from its bytes: layoutOf on the start of the file alone, for a big file whose rows are read later, from the bytes. */
export function fileLayout(bytes: Uint8Array, options: ReadOptions = {}): FileLayout {
  const { body, encoding } = bodyOf(bytes);
  return { ...layoutOf(layoutTextOf(body, encoding), options), warnings: [] };
}

/**
 * As much of the start of a file as layoutOf looks at, decoded: the records proposeLayout samples
 * (the headings among them), whole, and the start of the next. layoutOf gives the same answer on
 * it as on the whole file, which a million-row file then need not be decoded for.
 */
export function layoutTextOf(body: Uint8Array, encoding: TextEncoding): string {
  for (let size = 1 << 20; size < body.length; size *= 4) {
    // Cut at a line end: a character boundary in either encoding. Past the cut, the sample is known whole once a record after it has begun.
    const cut = Math.max(body.lastIndexOf(0x0a, size), body.lastIndexOf(0x0d, size));
    if (cut <= 0) continue;
    const text = decodeAs(body.subarray(0, cut + 1), encoding);
    let records = 0;
    for (const _ of csvRecords(text)) if (++records > SAMPLE_RECORDS) return text;
  }
  return decodeAs(body, encoding);
}

/** The record starting on `line`, or null when none does (the line is past the end, or inside a quoted value). */
function recordOnLine(text: string, line: number): CsvRecord | null {
  for (const record of csvRecords(text)) {
    if (record.line === line) return record;
    if (record.line > line) return null;
  }
  return null;
}

function checkAmountColumn(mapping: ColumnMapping): void {
  if (mapping.dataset !== 'land-assets' && mapping.columns.amount === undefined) {
    throw new ValidationError({ mapping: 'Say which column holds the amount: without it no row can be read' });
  }
}

const noHeadingLine = (mapping: ColumnMapping) => new ValidationError({ mapping: `The file has no line ${mapping.headerLine} for the headings the mapping expects` });

// ---------------------------------------------------------------------------

/** The cleaned text of a field in the current record, through the mapping; '' for a field the file lacks. */
class Cells {
  fields: string[] = [];
  private readonly at: Map<string, number>;

  constructor(mapping: ColumnMapping) {
    this.at = new Map(Object.entries(mapping.columns).map(([field, column]) => [field, column.index]));
  }

  get(field: string): string {
    const index = this.at.get(field);
    return index === undefined ? '' : cleanCell(this.fields[index] ?? '');
  }
}
type Built = { row: TypedRow } | { reason: string };

export function readRows(text: string, mapping: ColumnMapping): RowsRead {
  const rows: TypedRow[] = [];
  const taker = new RecordTaker(mapping, (row) => rows.push(row));
  for (const record of csvRecords(text)) taker.take(record);
  const { rowCount: _, ...figures } = taker.finish();
  return { rows, ...figures };
}

/** A file's figures without its rows, as they are gathered. */
export type RowFigures = Omit<RowsRead, 'rows'> & { rowCount: number };

/**
 * The records of a file, taken one at a time in order: each becomes a row (handed to `onRow`),
 * a rejection, a warning or nothing (headings, blank lines, total lines), and the file's
 * figures are gathered as they go. A reader with its own way of building ordinary rows (see
 * payment-bytes.ts) hands over the rest here and counts its own rows in with `counted`.
 */
export class RecordTaker {
  readonly notes = new Notes();
  readonly dates = new DateReader();
  readonly heading: (field: string) => string;
  private readonly mapping: ColumnMapping;
  private readonly onRow: (row: TypedRow) => void;
  private readonly amountAt: number | undefined;
  private readonly dateAt: number | undefined;
  private readonly build: Builder;
  private readonly cells: Cells;
  private readonly rejected: Rejection[] = [];
  private headingsSeen: boolean;
  private sinceTotal = 0;
  private rowCount = 0;
  private credits = 0;
  private totalPence = 0;
  private from: CalendarDate | null = null;
  private to: CalendarDate | null = null;

  constructor(mapping: ColumnMapping, onRow: (row: TypedRow) => void) {
    checkAmountColumn(mapping);
    this.mapping = mapping;
    this.onRow = onRow;
    this.amountAt = mapping.columns.amount?.index;
    this.dateAt = (mapping.columns.date ?? mapping.columns.awardDate)?.index;
    this.build = BUILDERS[mapping.dataset];
    this.cells = new Cells(mapping);
    this.heading = headingOf(mapping);
    this.headingsSeen = mapping.headerLine === null;
  }

  /** True once the records above the headings, and the headings, have gone by. */
  get pastHeadings(): boolean {
    return this.headingsSeen;
  }

  take(record: CsvRecord): void {
    const mapping = this.mapping;
    if (!this.headingsSeen) {
      if (record.line === mapping.headerLine) {
        checkHeadings(record.fields, mapping);
        this.headingsSeen = true;
      }
      return;
    }
    if (record.unclosedQuote) {
      this.rejected.push({ line: record.line, reason: 'A quoted value starting on this line is never closed, so the rest of the file could not be read' });
      return;
    }
    let fields = record.fields;
    if (isBlankRecord(fields)) return;
    const total = totalLine(fields, this.amountAt);
    if (total !== null) {
      this.notes.addTotal(record.line, total, this.sinceTotal);
      this.sinceTotal = 0;
      return;
    }
    if (fields.length < mapping.width) {
      const repaired = this.dateAt === undefined || this.amountAt === undefined ? null : unfuse(fields, mapping.width, this.dateAt, this.amountAt);
      if (!repaired) {
        this.rejected.push({ line: record.line, reason: `The row has ${fields.length} values where the headings have ${mapping.width}, and they cannot be matched to the columns` });
        return;
      }
      this.notes.add('fused', 'Two values had run together with no comma between them and were split back, for example “' + repaired.example + '”', record.line);
      fields = repaired.fields;
    } else if (fields.slice(mapping.width).some((f) => cleanCell(f) !== '')) {
      this.rejected.push({ line: record.line, reason: `The row has ${fields.length} values where the headings have ${mapping.width}: probably a comma inside a name or description that should have been in quotes` });
      return;
    }
    for (const spacer of mapping.spacers) {
      const stray = cleanCell(fields[spacer] ?? '');
      if (stray) this.notes.add(`spacer:${stray}`, `“${stray}” in an empty spacer column (column ${spacer + 1}) was ignored`, record.line);
    }
    this.cells.fields = fields;
    const built = this.build(this.cells, record.line, this.dates, this.notes, this.heading);
    if ('reason' in built) {
      // Only a row that fails can be headings, so the check costs nothing on good rows.
      if (repeatsHeadings(fields, mapping)) this.notes.add('headings', 'The column headings appear again and were left out', record.line);
      else this.rejected.push({ line: record.line, reason: built.reason });
      return;
    }
    const row = built.row;
    this.counted('amountPence' in row ? row.amountPence : null, row.dataset === 'grants-vcse' ? row.awardDate : row.dataset === 'land-assets' ? null : row.date);
    this.onRow(row);
  }

  /** A row taken: its amount (null for land assets) and date go into the file's figures. */
  counted(amountPence: Pence | null, date: CalendarDate | null): void {
    this.rowCount++;
    if (amountPence !== null) {
      this.sinceTotal += amountPence;
      this.totalPence += amountPence;
      if (amountPence < 0) this.credits++;
    }
    if (date !== null) {
      if (this.from === null || date < this.from) this.from = date;
      if (this.to === null || date > this.to) this.to = date;
    }
  }

  /** The figures, once every record has been taken; refused when the headings never came. */
  finish(): RowFigures {
    if (!this.headingsSeen) throw noHeadingLine(this.mapping);
    return { rejected: this.rejected, warnings: this.notes.list(), credits: this.credits, totalPence: this.totalPence, from: this.from, to: this.to, rowCount: this.rowCount };
  }
}

// ---------------------------------------------------------------------------
// Lines that are not rows

/** A saved mapping must still fit: the publisher may have moved its columns since. */
function checkHeadings(fields: string[], mapping: ColumnMapping): void {
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (column.heading === null) continue;
    const found = cleanCell(fields[column.index] ?? '');
    if (normaliseHeading(found) !== normaliseHeading(column.heading)) {
      throw new ValidationError({ mapping: `Column ${column.index + 1} was “${column.heading}” (${field}) in the mapping, but in this file it is “${found}”: check the mapping` });
    }
  }
}

/** Hyndburn's March 2025 file has its headings at the bottom; other exports repeat them on every page. */
function repeatsHeadings(fields: string[], mapping: ColumnMapping): boolean {
  let matches = 0;
  for (const spec of FIELDS[mapping.dataset]) {
    const column = mapping.columns[spec.name];
    if (!column) continue;
    const cell = normaliseHeading(fields[column.index] ?? '');
    if (cell !== '' && (spec.aliases.some((a) => normaliseHeading(a) === cell) || (column.heading !== null && normaliseHeading(column.heading) === cell))) matches++;
  }
  return matches >= 2;
}

/**
 * The council's own total: "Total" in the first cell (Lambeth), or an amount
 * with nothing else on the line (Devon 2026). Returns its amount in pence, or
 * null when the line is not a total.
 */
function totalLine(fields: string[], amountAt: number | undefined): Pence | null {
  if (amountAt === undefined) return null;
  let labelled = false;
  let onlyAmount = true;
  for (let i = 0; i < fields.length; i++) {
    if (i === amountAt) continue;
    const cell = cleanCell(fields[i]!);
    if (cell === '') continue;
    labelled = isTotalLabel(cell);
    onlyAmount = false;
    break;
  }
  if (!labelled && !onlyAmount) return null;
  const amount = parseAmount(cleanCell(fields[amountAt] ?? ''));
  return amount.ok ? amount.value : labelled ? 0 : null;
}

/** "Total", "Grand total", "Sub-total:" and the like, as the first thing on a line, mark a total line. */
export const isTotalLabel = (cell: string): boolean => /^(grand |sub[- ]?)?totals?:?$/i.test(cell);

/**
 * Lambeth's June 2012 export dropped the comma on ~640 rows where a value
 * ended in a digit and the next began with one: "25/06/2012900" is the date
 * 25/06/2012 and £900 ("Catch2212/06/2012" is the supplier Catch22 and a date).
 * The date is split off as dd/mm/yyyy, the form the file's other rows use;
 * taking a two-digit year instead ("25/06/20" and £12,900) would be wrong, and
 * the file's own Total line proves it (see the test). Only a field at or before
 * the date column can hold it, and the parts must land on the date (and amount) columns.
 */
function unfuse(fields: string[], width: number, dateAt: number, amountAt: number): { fields: string[]; example: string } | null {
  if (fields.length !== width - 1 && fields.length !== width - 2) return null;
  for (let i = 0; i <= Math.min(dateAt, fields.length - 1); i++) {
    const m = /^(.*?)(\d{2}\/\d{2}\/\d{4})(.*)$/s.exec(fields[i]!);
    if (!m || (m[1] === '' && m[3] === '')) continue;
    const [, before = '', date = '', after = ''] = m;
    const parts = [before, date, after].filter((p) => p !== '');
    const out = [...fields.slice(0, i), ...parts, ...fields.slice(i + 1)];
    const lands = out.length === width && out[dateAt] === date && (after === '' || (amountAt === dateAt + 1 && parseAmount(after).ok));
    if (lands) return { fields: out, example: fields[i]! };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Rows by dataset

type Builder = (cells: Cells, line: number, dates: DateReader, notes: Notes, heading: (field: string) => string) => Built;

const text = (value: string): string | null => (value === '' ? null : value);
/** "N/A", "n/a", "none" and "-" in a reference column mean there is none. */
export const reference = (value: string): string | null => (value === '' || /^(n\/?a|none|-+|0)$/i.test(value) || isRedaction(value) ? null : value);

function money(cells: Cells, field: string, heading: (field: string) => string): Reading<Pence> {
  const reading = parseAmount(cells.get(field));
  return reading.ok ? reading : { ok: false, reason: `${heading(field)}: ${reading.reason}` };
}

function optionalMoney(cells: Cells, field: string, heading: (field: string) => string): Reading<Pence | null> {
  return cells.get(field) === '' ? { ok: true, value: null } : money(cells, field, heading);
}

/** A payee's name, or null with the redacted flag when the council withheld it. */
function payee(cells: Cells, field: string, line: number, notes: Notes): { name: string | null; redacted: boolean } {
  const value = cells.get(field);
  if (isRedaction(value)) return { name: null, redacted: true };
  if (value === '') notes.add(`no-${field}`, `No ${field === 'recipient' ? 'recipient' : field} name is given`, line);
  return { name: text(value), redacted: false };
}

/** What every payment row has, spend or card: its amount, date, irrecoverable VAT and payee — or why the row cannot be read. */
interface PaymentParts {
  amount: Pence;
  date: CalendarDate | null;
  vat: Pence | null;
  name: string | null;
  redacted: boolean;
}

function payment(cells: Cells, line: number, dates: DateReader, notes: Notes, heading: (field: string) => string, payeeField: 'supplier' | 'merchant'): PaymentParts | { reason: string } {
  const amount = money(cells, 'amount', heading);
  if (!amount.ok) return { reason: amount.reason };
  const date = dates.read(cells.get('date'), 'date', line, notes, heading);
  if (!date.ok) return { reason: date.reason };
  const vat = optionalMoney(cells, 'irrecoverableVat', heading);
  if (!vat.ok) return { reason: vat.reason };
  return { amount: amount.value, date: date.value, vat: vat.value, ...payee(cells, payeeField, line, notes) };
}

const BUILDERS: Record<Dataset, Builder> = {
  'spend-over-500'(cells, line, dates, notes, heading) {
    const p = payment(cells, line, dates, notes, heading, 'supplier');
    if ('reason' in p) return p;
    const { amount, date, vat, name, redacted } = p;
    return {
      row: {
        dataset: 'spend-over-500', line, date, supplier: name, redacted, amountPence: amount,
        expenseType: text(cells.get('expenseType')), serviceArea: text(cells.get('serviceArea')), description: text(cells.get('description')),
        transactionRef: reference(cells.get('transactionRef')), invoiceRef: reference(cells.get('invoiceRef')), supplierId: reference(cells.get('supplierId')),
        expenseCode: reference(cells.get('expenseCode')), vatRegistration: reference(cells.get('vatRegistration')),
        irrecoverableVatPence: vat, merchantCategory: text(cells.get('merchantCategory')),
      },
    };
  },
  'procurement-card'(cells, line, dates, notes, heading) {
    const p = payment(cells, line, dates, notes, heading, 'merchant');
    if ('reason' in p) return p;
    const { amount, date, vat, name, redacted } = p;
    return {
      row: {
        dataset: 'procurement-card', line, date, merchant: name, redacted, amountPence: amount,
        merchantCategory: text(cells.get('merchantCategory')), purpose: text(cells.get('purpose')), serviceArea: text(cells.get('serviceArea')),
        description: text(cells.get('description')), transactionRef: reference(cells.get('transactionRef')), irrecoverableVatPence: vat,
      },
    };
  },
  'grants-vcse'(cells, line, dates, notes, heading) {
    const amount = money(cells, 'amount', heading);
    if (!amount.ok) return { reason: amount.reason };
    const date = dates.read(cells.get('awardDate'), 'awardDate', line, notes, heading);
    if (!date.ok) return { reason: date.reason };
    const { name, redacted } = payee(cells, 'recipient', line, notes);
    return {
      row: {
        dataset: 'grants-vcse', line, awardDate: date.value, recipient: name, redacted, registrationNumber: reference(cells.get('registrationNumber')),
        amountPence: amount.value, purpose: text(cells.get('purpose')), period: text(cells.get('period')), department: text(cells.get('department')),
      },
    };
  },
  'land-assets'(cells, line, _dates, notes, heading) {
    const easting = gridNumber(cells, 'easting', heading);
    if (!easting.ok) return { reason: easting.reason };
    const northing = gridNumber(cells, 'northing', heading);
    if (!northing.ok) return { reason: northing.reason };
    const uprn = reference(cells.get('uprn'));
    const uprnStatus = uprnStatusOf(uprn);
    if (uprnStatus !== 'ok') notes.add(`uprn-${uprnStatus}`, uprnStatus === 'missing' ? 'No UPRN is given (0, n/a or empty)' : 'The UPRN was rounded by a spreadsheet (like 100071000000) and cannot be trusted', line);
    return {
      row: {
        dataset: 'land-assets', line, uprn, uprnStatus, assetId: reference(cells.get('assetId')), name: text(cells.get('name')),
        streetNumber: text(cells.get('streetNumber')), streetName: text(cells.get('streetName')), postTown: text(cells.get('postTown')), postcode: text(cells.get('postcode')),
        easting: easting.value, northing: northing.value, coordinateSystem: text(cells.get('coordinateSystem')), tenure: text(cells.get('tenure')), tenureDetail: text(cells.get('tenureDetail')),
      },
    };
  },
};

/**
 * Excel shows a 12-digit UPRN as 1.00071E+11 and saves it as 100071000000:
 * six significant digits, then zeros. Warwickshire's list has 359 of these,
 * shared by unrelated buildings.
 */
function uprnStatusOf(uprn: string | null): UprnStatus {
  if (uprn === null) return 'missing';
  if (/e\+?\d+$/i.test(uprn)) return 'unreliable';
  const digits = /^\d{1,12}$/.test(uprn) ? uprn.replace(/^0+/, '') : null;
  if (digits === null) return 'unreliable';
  return digits.length >= 10 && /^\d{1,6}0+$/.test(digits) && digits.replace(/0+$/, '').length <= 6 ? 'unreliable' : 'ok';
}

function gridNumber(cells: Cells, field: string, heading: (field: string) => string): Reading<number | null> {
  const value = cells.get(field);
  if (value === '' || /^n\/?a$/i.test(value)) return { ok: true, value: null };
  return /^\d{1,7}(\.\d+)?$/.test(value) ? { ok: true, value: Number(value) } : { ok: false, reason: `${heading(field)}: “${value}” is not a grid reference in metres` };
}

function headingOf(mapping: ColumnMapping): (field: string) => string {
  return (field) => {
    const column = mapping.columns[field];
    const spec = FIELDS[mapping.dataset].find((s) => s.name === field);
    return column?.heading || spec?.label.replace(/^./, (c) => c.toUpperCase()) || field;
  };
}

// ---------------------------------------------------------------------------

/** Dates repeat on thousands of rows, so each distinct text is read once. */
class DateReader {
  private readonly seen = new Map<string, Reading<CalendarDate | null>>();

  read(raw: string, field: string, line: number, notes: Notes, heading: (field: string) => string): Reading<CalendarDate | null> {
    const reading = this.parse(raw, field, heading);
    if (reading.ok && reading.value === null) this.noteMissing(raw, line, notes);
    return reading;
  }

  /** The reading of a cleaned cell, without the warning an undated row gets (see noteMissing). */
  parse(raw: string, field: string, heading: (field: string) => string): Reading<CalendarDate | null> {
    let reading = this.seen.get(raw);
    if (!reading) {
      reading = parseDate(raw);
      if (!reading.ok) reading = { ok: false, reason: `${heading(field)}: ${reading.reason}` };
      this.seen.set(raw, reading);
    }
    return reading;
  }

  /** The warning for a row taken without a date: the cell was empty, or held only a time. */
  noteMissing(raw: string, line: number, notes: Notes): void {
    if (raw === '') notes.add('no-date', 'No date is given', line);
    else notes.add('time-only', `The date is only a time (“${raw}”): the date was lost when the council exported the file`, line);
  }
}

/** Warnings gathered by kind, so a thousand undated rows make one warning with their lines. */
class Notes {
  private readonly kinds = new Map<string, { message: string; lines: number[] }>();
  private readonly totals: string[] = [];

  add(kind: string, message: string, line: number): void {
    const entry = this.kinds.get(kind);
    if (entry) entry.lines.push(line);
    else this.kinds.set(kind, { message, lines: [line] });
  }

  addTotal(line: number, total: Pence, rowsAbove: Pence): void {
    const agreement = total === rowsAbove ? 'it agrees with the rows above it' : `the rows taken above it add up to ${formatPence(rowsAbove)}`;
    this.totals.push(`Line ${line} is a total line (${formatPence(total)}) and was left out; ${agreement}`);
  }

  list(): string[] {
    const gathered = [...this.kinds.values()].map(({ message, lines }) => `${message}: ${lines.length === 1 ? 'line' : `${lines.length.toLocaleString('en-GB')} rows, lines`} ${listLines(lines)}`);
    return [...gathered, ...this.totals];
  }
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return lines.length > 5 ? `${shown} and ${(lines.length - 5).toLocaleString('en-GB')} more` : shown;
}
