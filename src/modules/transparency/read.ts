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
import { decodeBytes, type TextEncoding } from './decode.ts';
import { FIELDS, normaliseHeading, type Dataset } from './fields.ts';
import { isBlankRecord, proposeLayout, type ColumnMapping } from './layout.ts';
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
  return readDecoded(decodeBytes(bytes), options);
}

/** A file already decoded, read as readTransparencyFile reads it; `onRow` hears of each row as it is taken, for work that need not wait for the whole file. */
export function readDecoded({ text, encoding }: { text: string; encoding: TextEncoding }, options: ReadOptions, onRow?: (row: TypedRow) => void): TransparencyFile {
  const { mapping } = layoutOf(text, options);
  return { encoding, dataset: mapping.dataset, mapping, ...readRows(text, mapping, onRow) };
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

export function readRows(text: string, mapping: ColumnMapping, onRow?: (row: TypedRow) => void): RowsRead {
  const amountAt = mapping.columns.amount?.index;
  const dateAt = (mapping.columns.date ?? mapping.columns.awardDate)?.index;
  checkAmountColumn(mapping);
  const build = BUILDERS[mapping.dataset];
  const cells = new Cells(mapping);
  const heading = headingOf(mapping);
  const notes = new Notes();
  const dates = new DateReader();
  const rows: TypedRow[] = [];
  const rejected: Rejection[] = [];
  let sinceTotal = 0;
  let headingsSeen = mapping.headerLine === null;

  for (const record of csvRecords(text)) {
    if (!headingsSeen) {
      if (record.line === mapping.headerLine) {
        checkHeadings(record.fields, mapping);
        headingsSeen = true;
      }
      continue;
    }
    if (record.unclosedQuote) {
      rejected.push({ line: record.line, reason: 'A quoted value starting on this line is never closed, so the rest of the file could not be read' });
      continue;
    }
    let fields = record.fields;
    if (isBlankRecord(fields)) continue;
    const total = totalLine(fields, amountAt);
    if (total !== null) {
      notes.addTotal(record.line, total, sinceTotal);
      sinceTotal = 0;
      continue;
    }
    if (fields.length < mapping.width) {
      const repaired = dateAt === undefined || amountAt === undefined ? null : unfuse(fields, mapping.width, dateAt, amountAt);
      if (!repaired) {
        rejected.push({ line: record.line, reason: `The row has ${fields.length} values where the headings have ${mapping.width}, and they cannot be matched to the columns` });
        continue;
      }
      notes.add('fused', 'Two values had run together with no comma between them and were split back, for example “' + repaired.example + '”', record.line);
      fields = repaired.fields;
    } else if (fields.slice(mapping.width).some((f) => cleanCell(f) !== '')) {
      rejected.push({ line: record.line, reason: `The row has ${fields.length} values where the headings have ${mapping.width}: probably a comma inside a name or description that should have been in quotes` });
      continue;
    }
    for (const spacer of mapping.spacers) {
      const stray = cleanCell(fields[spacer] ?? '');
      if (stray) notes.add(`spacer:${stray}`, `“${stray}” in an empty spacer column (column ${spacer + 1}) was ignored`, record.line);
    }
    cells.fields = fields;
    const built = build(cells, record.line, dates, notes, heading);
    if ('reason' in built) {
      // Only a row that fails can be headings, so the check costs nothing on good rows.
      if (repeatsHeadings(fields, mapping)) notes.add('headings', 'The column headings appear again and were left out', record.line);
      else rejected.push({ line: record.line, reason: built.reason });
      continue;
    }
    rows.push(built.row);
    onRow?.(built.row);
    if ('amountPence' in built.row) sinceTotal += built.row.amountPence;
  }
  if (!headingsSeen) throw noHeadingLine(mapping);
  return { rows, rejected, warnings: notes.list(), ...summarise(rows) };
}

function summarise(rows: TypedRow[]): Pick<RowsRead, 'credits' | 'totalPence' | 'from' | 'to'> {
  let credits = 0;
  let totalPence = 0;
  let from: CalendarDate | null = null;
  let to: CalendarDate | null = null;
  for (const row of rows) {
    if ('amountPence' in row) {
      totalPence += row.amountPence;
      if (row.amountPence < 0) credits++;
    }
    const date = row.dataset === 'grants-vcse' ? row.awardDate : row.dataset === 'land-assets' ? null : row.date;
    if (date !== null) {
      if (from === null || date < from) from = date;
      if (to === null || date > to) to = date;
    }
  }
  return { credits, totalPence, from, to };
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
    labelled = /^(grand |sub[- ]?)?totals?:?$/i.test(cell);
    onlyAmount = false;
    break;
  }
  if (!labelled && !onlyAmount) return null;
  const amount = parseAmount(cleanCell(fields[amountAt] ?? ''));
  return amount.ok ? amount.value : labelled ? 0 : null;
}

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
const reference = (value: string): string | null => (value === '' || /^(n\/?a|none|-+|0)$/i.test(value) || isRedaction(value) ? null : value);

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
  const date = dates.read(cells, 'date', line, notes, heading);
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
    const date = dates.read(cells, 'awardDate', line, notes, heading);
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

  read(cells: Cells, field: string, line: number, notes: Notes, heading: (field: string) => string): Reading<CalendarDate | null> {
    const raw = cells.get(field);
    let reading = this.seen.get(raw);
    if (!reading) {
      reading = parseDate(raw);
      if (!reading.ok) reading = { ok: false, reason: `${heading(field)}: ${reading.reason}` };
      this.seen.set(raw, reading);
    }
    if (reading.ok && reading.value === null) {
      if (raw === '') notes.add('no-date', 'No date is given', line);
      else notes.add('time-only', `The date is only a time (“${raw}”): the date was lost when the council exported the file`, line);
    }
    return reading;
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
