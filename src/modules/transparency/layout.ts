/**
 * Where a file's data is and what each column means. Councils put report
 * titles above the headings (Lambeth 9 lines, Warwickshire 2), leave an empty
 * first row (Hyndburn), spread columns across blank spacers (Hyndburn's
 * merged-cell exports) and sometimes leave the headings out altogether
 * (Hyndburn March 2025). This proposes a column mapping, with how sure it is of
 * each column, for a person to confirm or change; the mapping is a plain object
 * that can be saved per publisher and given back to readRows.
 */
import { csvRecords, type CsvRecord } from './csv.ts';
import { DATASETS, FIELDS, normaliseHeading, type Dataset, type FieldSpec } from './fields.ts';
import { cleanCell, parseAmount, parseDate } from './values.ts';

/** high: the heading is one councils use for this field; medium: its words suggest it; low: only the values do. */
export type Confidence = 'high' | 'medium' | 'low';

export interface MappedColumn {
  /** Position in each record, counting from 0 (spacer columns included). */
  index: number;
  /** The heading as the file has it, or null in a file without headings. */
  heading: string | null;
  confidence: Confidence;
}

export interface ColumnMapping {
  dataset: Dataset;
  /** The physical line of the heading row, or null when the file has none. */
  headerLine: number | null;
  /** Fields in a complete record, spacers included. */
  width: number;
  /** Field name (see FIELDS) → its column. Fields the file does not have are absent. */
  columns: Record<string, MappedColumn>;
  /** Blank columns between the real ones, left by merged cells; a value found in one is reported. */
  spacers: number[];
}

export interface LayoutProposal {
  /** Null when the file is not Transparency Code data, or not one of the datasets this reads. */
  dataset: Dataset | null;
  /** Why the file is not Transparency Code data, in plain English; null when it is. */
  notTransparency: string | null;
  mapping: ColumnMapping | null;
  headings: string[] | null;
  /** The Code's mandatory fields that no column holds. */
  missingMandatory: { field: string; label: string }[];
  notes: string[];
}

/** Enough rows to see what the columns hold without reading a million-row file twice. */
export const SAMPLE_RECORDS = 400;
/** Headings are never further down than this (Lambeth's are on line 10). */
const HEADING_SEARCH = 40;

export function proposeLayout(text: string, options: { dataset?: Dataset } = {}): LayoutProposal {
  const sample = takeRecords(text, SAMPLE_RECORDS);
  const headingAt = findHeadingRow(sample);
  const headingRecord = headingAt >= 0 ? sample[headingAt]! : null;
  const headings = headingRecord ? headingRecord.fields.map(cleanCell) : null;
  const data = sample.slice(headingAt + 1).filter((r) => !isBlankRecord(r.fields));
  const notes: string[] = [];
  if (headingRecord && headingRecord.line > 1) {
    notes.push(`The headings are on line ${headingRecord.line}; the ${headingRecord.line - 1} line(s) above them are a title or report preamble and are not read`);
  }

  const aggregated = headings && aggregatedReason(headings, data);
  if (aggregated) return refusal(aggregated, headings);

  const width = headings ? headings.length : modalWidth(data);
  // Only complete rows show what a column holds; Lambeth's fused rows are a value short.
  const complete = data.filter((r) => r.fields.length >= width);
  return proposeColumns(headings, complete.length > 0 ? complete : data, width, headingRecord, notes, options.dataset);
}

function proposeColumns(headings: string[] | null, data: CsvRecord[], width: number, headingRecord: CsvRecord | null, notes: string[], given?: Dataset): LayoutProposal {
  const spacers = findSpacers(headings, data, width);
  if (spacers.length > 0) notes.push(`Columns ${spacers.map((i) => i + 1).join(', ')} are empty spacers and are not read`);
  const columns = (dataset: Dataset) => (headings ? columnsFromHeadings(dataset, headings, data, spacers) : columnsFromValues(dataset, data, width, spacers));

  const dataset = given ?? guessDataset(headings, data, columns);
  if (!dataset) {
    return refusal('This does not look like Transparency Code data: no column holds dates, amounts and names of suppliers or properties that we recognise', headings);
  }
  if (!headings) notes.push('The file has no heading row: the columns were recognised from their values alone, so check each one');
  const mapping: ColumnMapping = { dataset, headerLine: headingRecord?.line ?? null, width, columns: columns(dataset), spacers };
  const missingMandatory = FIELDS[dataset].filter((spec) => spec.mandatory && !(spec.name in mapping.columns)).map(({ name, label }) => ({ field: name, label }));
  return { dataset, notTransparency: null, mapping, headings, missingMandatory, notes };
}

function refusal(reason: string, headings: string[] | null): LayoutProposal {
  return { dataset: null, notTransparency: reason, mapping: null, headings, missingMandatory: [], notes: [] };
}

function takeRecords(text: string, limit: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  for (const record of csvRecords(text)) {
    records.push(record);
    if (records.length >= limit) break;
  }
  return records;
}

export const isBlankRecord = (fields: string[]): boolean => fields.every((f) => cleanCell(f) === '');

// ---------------------------------------------------------------------------
// The heading row

const ALL_SPECS = DATASETS.flatMap((d) => FIELDS[d]);
const ALIASES = new Set(ALL_SPECS.flatMap((spec) => spec.aliases.map(normaliseHeading)));

/** 2 for a heading councils use for some field, 1 for one whose words suggest a field. */
function headingScore(heading: string): number {
  if (heading === '') return 0;
  if (ALIASES.has(normaliseHeading(heading))) return 2;
  const words = heading.toLowerCase();
  return ALL_SPECS.some((spec) => spec.words?.test(words)) ? 1 : 0;
}

/**
 * The heading row is the one among the first few whose cells read most like
 * headings. A row with a date or an amount in it is data, however it reads.
 */
function findHeadingRow(sample: CsvRecord[]): number {
  let best = -1;
  let bestScore = 2; // two recognisable headings at the least
  sample.slice(0, HEADING_SEARCH).forEach((record, i) => {
    const cells = record.fields.map(cleanCell).filter((c) => c !== '');
    if (cells.length < 2 || cells.some(looksLikeData)) return;
    const score = cells.reduce((sum, c) => sum + headingScore(c), 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

const looksLikeData = (cell: string) => {
  const date = parseDate(cell);
  return parseAmount(cell).ok || (date.ok && date.value !== null);
};

// ---------------------------------------------------------------------------
// Which dataset, or none

/**
 * Lambeth's January 2011 file is a pivot table of totals per supplier ("Sum of
 * Invoice Nett Amount"): no dates, no references, one line per supplier. It is
 * a summary of spending, not the transactions the Code asks for.
 */
function aggregatedReason(headings: string[], data: CsvRecord[]): string | null {
  const summary = headings.find((h) => /^(sum|total|count|average) of\b/i.test(h));
  if (summary) {
    return `This file gives totals (“${summary}”), not individual transactions: it has no dates or references, so it is not Transparency Code expenditure data. Ask for the transaction-level file`;
  }
  const hasDate = headings.some((h) => /\bdate\b/i.test(h)) || columnWhere(data, headings.length, (v) => parseDate(v).ok && /\d/.test(v)) >= 0;
  return hasDate || headings.length > 3 ? null : 'This file has no dates and only a few columns: it looks like a summary, not the individual transactions the Transparency Code asks for';
}

function guessDataset(headings: string[] | null, data: CsvRecord[], columns: (d: Dataset) => Record<string, MappedColumn>): Dataset | null {
  let best: Dataset | null = null;
  let bestScore = 0;
  for (const dataset of DATASETS) {
    const mapped = columns(dataset);
    const hasEssentials = dataset === 'land-assets' ? 'uprn' in mapped || 'assetId' in mapped : 'amount' in mapped;
    if (!hasEssentials) continue;
    const score = Object.values(mapped).reduce((s, c) => s + (c.confidence === 'high' ? 2 : 1), 0) + hints(dataset, headings, data, mapped);
    if (score > bestScore) {
      best = dataset;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Card and spend files share their headings (Warwickshire's card file is
 * "Transaction Number, Supplier, Net Amount, Directorate, Date"). Card files
 * mention cards, or are mostly small sums below any spending threshold; a
 * Hyndburn card file in spend layout says "P-CARD" in its references.
 */
function hints(dataset: Dataset, headings: string[] | null, data: CsvRecord[], mapped: Record<string, MappedColumn>): number {
  if (dataset === 'procurement-card') {
    const words = (headings ?? []).join(' ').toLowerCase();
    const mentionsCard = /\bcard\b|merchant|\bmcc\b|\bgpc\b/.test(words) || share(data, (r) => r.fields.some((f) => /\bp-?card\b/i.test(f))) >= 0.2;
    const amountAt = mapped.amount?.index;
    const small = amountAt === undefined ? 0 : share(data, (r) => Math.abs(amountOf(r.fields[amountAt])) < 25_000);
    return (mentionsCard ? 4 : 0) + (small > 0.5 ? 4 : 0);
  }
  if (dataset === 'grants-vcse') return /grant|charity|registration/i.test((headings ?? []).join(' ')) ? 4 : 0;
  return 0;
}

const amountOf = (cell: string | undefined) => {
  const reading = parseAmount(cell ?? '');
  return reading.ok ? reading.value : Number.POSITIVE_INFINITY;
};

const share = (data: CsvRecord[], test: (r: CsvRecord) => boolean) => (data.length === 0 ? 0 : data.filter(test).length / data.length);

// ---------------------------------------------------------------------------
// Columns from headings

function columnsFromHeadings(dataset: Dataset, headings: string[], data: CsvRecord[], spacers: number[]): Record<string, MappedColumn> {
  const columns: Record<string, MappedColumn> = {};
  const taken = new Set(spacers);
  const assign = (spec: FieldSpec, index: number, confidence: Confidence) => {
    columns[spec.name] = { index, heading: headings[index] ?? null, confidence };
    taken.add(index);
  };
  const normalised = headings.map(normaliseHeading);
  const specs = FIELDS[dataset];
  for (const spec of specs) {
    const candidates = spec.aliases
      .map(normaliseHeading)
      .flatMap((alias) => normalised.flatMap((h, i) => (h === alias && !taken.has(i) ? [i] : [])));
    const index = candidates.find((i) => valuesFit(spec, data, i, 0.5));
    if (index !== undefined) assign(spec, index, 'high');
  }
  for (const spec of specs) {
    if (spec.name in columns || !spec.words) continue;
    const index = headings.findIndex((h, i) => !taken.has(i) && spec.words!.test(h.toLowerCase()) && valuesFit(spec, data, i, 0.8));
    if (index >= 0) assign(spec, index, 'medium');
  }
  // A date or amount column under a heading nobody uses ("Posted", "Cost") is still found by its values.
  for (const spec of specs) {
    const byValues = spec.name === 'amount' ? amountColumn : spec.name === 'date' || spec.name === 'awardDate' ? dateColumn : null;
    if (spec.name in columns || !byValues) continue;
    const index = byValues(data, headings.length, taken);
    if (index >= 0) assign(spec, index, 'low');
  }
  return columns;
}

/**
 * A date, amount or number column's values must mostly read as such, or the
 * heading misleads. A heading councils use needs only half (its bad values are
 * then reported row by row); one found by its words needs most.
 */
function valuesFit(spec: FieldSpec, data: CsvRecord[], index: number, share: number): boolean {
  const values = data.map((r) => cleanCell(r.fields[index] ?? '')).filter((v) => v !== '' && !/^n\/?a$/i.test(v));
  if (values.length === 0 || spec.kind === 'text' || spec.kind === 'reference') return true;
  const fits = spec.kind === 'date' ? (v: string) => parseDate(v).ok : spec.kind === 'amount' ? (v: string) => parseAmount(v).ok : (v: string) => /^-?\d+(\.\d+)?$/.test(v);
  return values.filter(fits).length >= values.length * share;
}

// ---------------------------------------------------------------------------
// Columns from values alone (no heading row)

function columnsFromValues(dataset: Dataset, data: CsvRecord[], width: number, spacers: number[]): Record<string, MappedColumn> {
  const columns: Record<string, MappedColumn> = {};
  // Headingless grant registers and asset lists have not been seen; guessing their many text columns would mislead.
  if (dataset !== 'spend-over-500' && dataset !== 'procurement-card') return columns;
  const taken = new Set(spacers);
  const assign = (name: string, index: number) => {
    if (index < 0) return;
    columns[name] = { index, heading: null, confidence: 'low' };
    taken.add(index);
  };
  const names = new Set(FIELDS[dataset].map((s) => s.name));
  const payee = ['supplier', 'merchant', 'recipient'].find((n) => names.has(n));
  const purpose = names.has('expenseType') ? 'expenseType' : 'purpose';
  assign('date', dateColumn(data, width, taken));
  assign('amount', amountColumn(data, width, taken));
  if (names.has('transactionRef')) assign('transactionRef', best(width, taken, (i) => (codeShare(data, i) >= 0.9 && distinctShare(data, i) >= 0.3 ? distinctShare(data, i) : -1)));
  const text = textColumns(data, width, taken);
  if (payee) assign(payee, best(width, taken, (i) => (text.includes(i) && organisationShare(data, i) >= 0.2 ? organisationShare(data, i) : -1)));
  // The purpose is the most varied column of words; publishers then go from the broadest unit to the
  // narrowest, so the service area is the last of the less varied ones (Hyndburn: department, service area).
  const words = textColumns(data, width, taken);
  const purposeAt = best(width, taken, (i) => (words.includes(i) ? distinctShare(data, i) : -1));
  if (names.has(purpose)) assign(purpose, purposeAt);
  const areas = words.filter((i) => i !== purposeAt && distinctShare(data, i) < distinctShare(data, purposeAt));
  if (names.has('serviceArea') && areas.length > 0) assign('serviceArea', areas[areas.length - 1]!);
  return columns;
}

function best(width: number, taken: Set<number>, score: (i: number) => number): number {
  let index = -1;
  let top = 0;
  for (let i = 0; i < width; i++) {
    if (taken.has(i)) continue;
    const s = score(i);
    if (s > top) {
      index = i;
      top = s;
    }
  }
  return index;
}

const valuesAt = (data: CsvRecord[], i: number) => data.map((r) => cleanCell(r.fields[i] ?? '')).filter((v) => v !== '');
const shareOf = (values: string[], test: (v: string) => boolean) => (values.length === 0 ? 0 : values.filter(test).length / values.length);

function columnWhere(data: CsvRecord[], width: number, test: (v: string) => boolean, taken = new Set<number>()): number {
  return best(width, taken, (i) => {
    const s = shareOf(valuesAt(data, i), test);
    return s >= 0.9 ? s : -1;
  });
}

const dateColumn = (data: CsvRecord[], width: number, taken: Set<number>) => columnWhere(data, width, (v) => parseDate(v).ok && /\d/.test(v), taken);

/** Amounts look like money: pence or thousands separators. A column of 1s and 2s (Hyndburn's "Line") is not one. */
function amountColumn(data: CsvRecord[], width: number, taken: Set<number>): number {
  let index = -1;
  let top = 0;
  for (let i = 0; i < width; i++) {
    if (taken.has(i)) continue;
    const values = valuesAt(data, i);
    if (shareOf(values, (v) => parseAmount(v).ok) < 0.9) continue;
    const money = shareOf(values, (v) => /[.,]\d{2}-?$|^£/.test(v));
    if (money >= 0.5 && money >= top) {
      index = i;
      top = money;
    }
  }
  return index;
}

const codeShare = (data: CsvRecord[], i: number) => shareOf(valuesAt(data, i), (v) => /^[A-Z0-9/_.-]*\d[A-Z0-9/_.-]*$/i.test(v) && /[A-Z]/i.test(v));
const distinctShare = (data: CsvRecord[], i: number) => {
  const values = valuesAt(data, i);
  return values.length === 0 ? 0 : new Set(values).size / values.length;
};
const ORGANISATION = /\b(ltd|limited|plc|llp|cic|council|trust|services|partnership|association|society|group|company|co|uk)\b/i;
const organisationShare = (data: CsvRecord[], i: number) => shareOf(valuesAt(data, i), (v) => ORGANISATION.test(v));

/** Columns of words: filled in on most rows, and neither dates, amounts nor codes. */
function textColumns(data: CsvRecord[], width: number, taken: Set<number>): number[] {
  const found: number[] = [];
  for (let i = 0; i < width; i++) {
    if (taken.has(i)) continue;
    const values = valuesAt(data, i);
    if (values.length < data.length * 0.8) continue;
    if (shareOf(values, (v) => parseAmount(v).ok || parseDate(v).ok) >= 0.5 || codeShare(data, i) >= 0.5) continue;
    found.push(i);
  }
  return found;
}

// ---------------------------------------------------------------------------
// Shape

function modalWidth(data: CsvRecord[]): number {
  const counts = new Map<number, number>();
  for (const r of data) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}

/** A spacer has no heading and (almost) nothing in it; Hyndburn October 2024 has one stray "th Grant" in one. */
function findSpacers(headings: string[] | null, data: CsvRecord[], width: number): number[] {
  const spacers: number[] = [];
  for (let i = 0; i < width; i++) {
    if (headings && headings[i] !== '') continue;
    if (valuesAt(data, i).length <= data.length * 0.05) spacers.push(i);
  }
  return spacers;
}
