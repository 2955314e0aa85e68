/** Pure rules of the outcomes framework: indicators, measurement files, and how a chart of one is drawn. */
import { dayNumber, isCalendarDate, type CalendarDate } from '../../lib/dates.ts';
import { FieldChecker, text } from '../../lib/errors.ts';
import { csvRecords } from '../transparency/csv.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const DIRECTIONS = { higher: 'Higher is better', lower: 'Lower is better' } as const;
export type Direction = keyof typeof DIRECTIONS;
export const isDirection = (v: unknown): v is Direction => isKeyOf(DIRECTIONS, v);

export interface IndicatorInput {
  code: string;
  title: string;
  unit: string;
  direction: Direction;
  baselineValue: number;
  baselineOn: CalendarDate;
  targetValue: number;
  targetOn: CalendarDate;
  source: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** A figure as people write it: "12.5", "1,204", "-3", "41%". Null if it is not one. */
export function parseFigure(raw: string): number | null {
  const t = raw.trim().replace(/,(?=\d{3}(\D|$))/g, '').replace(/%$/, '');
  if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A date as an ISO date or as the UK write it (31/03/2026). Null if it is not a real date. */
export function parseDay(raw: string): CalendarDate | null {
  const t = raw.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : t;
  return isCalendarDate(iso) ? iso : null;
}

export function parseIndicator(raw: Record<string, unknown>): IndicatorInput {
  const check = new FieldChecker();
  const code = text(raw.code);
  const title = text(raw.title);
  const unit = text(raw.unit);
  const source = text(raw.source);
  const direction = text(raw.direction);
  check.check(CODE.test(code), 'code', 'Enter a short code of letters, numbers, dots and dashes, like NEET-16-17');
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter what is measured, in 3 to 200 characters');
  check.check(unit.length >= 1 && unit.length <= 40, 'unit', 'Enter the unit, like % or per 1,000 residents');
  check.check(isDirection(direction), 'direction', 'Choose whether higher or lower is better');
  const figure = (field: string, label: string) => {
    const n = parseFigure(text(raw[field]));
    check.check(n !== null, field, `Enter the ${label} as a number, like 12.5`);
    return n ?? 0;
  };
  const day = (field: string, label: string) => {
    const d = parseDay(text(raw[field]));
    check.check(d !== null, field, `Enter the date of the ${label} as a real date, like 2026-03-31`);
    return d ?? '';
  };
  const baselineValue = figure('baselineValue', 'baseline');
  const baselineOn = day('baselineOn', 'baseline');
  const targetValue = figure('targetValue', 'target');
  const targetOn = day('targetOn', 'target');
  if (baselineOn && targetOn) check.check(targetOn > baselineOn, 'targetOn', 'The target date must be after the baseline date');
  check.check(source.length >= 3 && source.length <= 300, 'source', 'Enter where the figures come from, like ONS Annual Population Survey');
  check.throwIfAny();
  return { code, title, unit, direction: direction as Direction, baselineValue, baselineOn, targetValue, targetOn, source };
}

// ------------------------------------------------------------ measurement files

export interface MeasurementRow {
  line: number;
  indicatorId: string;
  /** Null: the figure is for the whole place. */
  wardId: string | null;
  measuredOn: CalendarDate;
  value: number;
}

export interface LineError {
  line: number;
  reason: string;
}

export interface MeasurementLookup {
  /** Indicator code (lower case) → id. */
  indicators: ReadonlyMap<string, string>;
  /** Ward GSS code or name (lower case) → id. */
  wards: ReadonlyMap<string, string>;
}

export const MEASUREMENT_COLUMNS = ['indicator', 'ward', 'date', 'value'] as const;
/** What the ward column says for a figure about the whole place. */
const WHOLE_PLACE = new Set(['', 'all', 'all wards', 'whole borough', 'borough']);
export const MAX_MEASUREMENT_ROWS = 50_000;

/**
 * Reads a measurements file: a header naming the four columns (any order, any case), then a row
 * per figure. Every row is either taken or has its line and reason; the caller takes the file only
 * when there are no errors, so it goes in whole or not at all.
 */
export function parseMeasurementsCsv(csv: string, lookup: MeasurementLookup): { rows: MeasurementRow[]; errors: LineError[] } {
  const rows: MeasurementRow[] = [];
  const errors: LineError[] = [];
  const records = csvRecords(csv.replace(/^\uFEFF/, ''));
  let header: Map<string, number> | null = null;
  const seen = new Map<string, number>();
  for (const record of records) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    if (record.unclosedQuote) {
      errors.push({ line: record.line, reason: 'A quoted value is never closed, so the rest of the file cannot be read' });
      break;
    }
    if (!header) {
      header = new Map(record.fields.map((f, i) => [f.trim().toLowerCase(), i]));
      const missing = MEASUREMENT_COLUMNS.filter((c) => !header!.has(c));
      if (missing.length) {
        errors.push({ line: record.line, reason: `The first line must name the columns ${MEASUREMENT_COLUMNS.join(', ')}; it has no ${missing.join(', ')}` });
        break;
      }
      continue;
    }
    if (rows.length + errors.length >= MAX_MEASUREMENT_ROWS) {
      errors.push({ line: record.line, reason: `A file can hold at most ${MAX_MEASUREMENT_ROWS.toLocaleString('en-GB')} figures; split it` });
      break;
    }
    const cell = (c: (typeof MEASUREMENT_COLUMNS)[number]) => (record.fields[header!.get(c)!] ?? '').trim();
    const row = readRow(record.line, cell, lookup);
    if (typeof row === 'string') {
      errors.push({ line: record.line, reason: row });
      continue;
    }
    const key = `${row.indicatorId}|${row.wardId ?? ''}|${row.measuredOn}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: record.line, reason: `Line ${first} already gives this indicator's figure for this place and date` });
      continue;
    }
    seen.set(key, record.line);
    rows.push(row);
  }
  if (!header) errors.push({ line: 1, reason: 'The file is empty' });
  else if (rows.length === 0 && errors.length === 0) errors.push({ line: 2, reason: 'The file has a header but no figures' });
  return { rows, errors };
}

function readRow(line: number, cell: (c: (typeof MEASUREMENT_COLUMNS)[number]) => string, lookup: MeasurementLookup): MeasurementRow | string {
  const problems: string[] = [];
  const code = cell('indicator');
  const indicatorId = lookup.indicators.get(code.toLowerCase());
  if (!indicatorId) problems.push(code ? `no indicator has the code "${code}"` : 'the indicator is missing');
  const ward = cell('ward');
  const wardId = WHOLE_PLACE.has(ward.toLowerCase()) ? null : lookup.wards.get(ward.toLowerCase());
  if (wardId === undefined) problems.push(`"${ward}" is not one of the council's wards (give its name or GSS code, or leave it empty for the whole place)`);
  const measuredOn = parseDay(cell('date'));
  if (!measuredOn) problems.push(`"${cell('date')}" is not a date like 2026-03-31 or 31/03/2026`);
  const value = parseFigure(cell('value'));
  if (value === null) problems.push(`"${cell('value')}" is not a number`);
  if (problems.length) return problems.join('; ').replace(/^./, (c) => c.toUpperCase());
  return { line, indicatorId: indicatorId!, wardId: wardId ?? null, measuredOn: measuredOn!, value: value! };
}

// ------------------------------------------------------------ progress and charts

export interface Point {
  measuredOn: CalendarDate;
  value: number;
}

export const PROGRESS = {
  met: 'Target met',
  better: 'Better than the baseline',
  same: 'No change from the baseline',
  worse: 'Worse than the baseline',
  none: 'No figures yet',
} as const;
export type Progress = keyof typeof PROGRESS;

/** Where the latest figure stands against the baseline and target, respecting which way is better. */
export function progressOf(indicator: { direction: Direction; baselineValue: number; targetValue: number }, latest: Point | null): Progress {
  if (!latest) return 'none';
  const sign = indicator.direction === 'higher' ? 1 : -1;
  if (sign * (latest.value - indicator.targetValue) >= 0) return 'met';
  const change = sign * (latest.value - indicator.baselineValue);
  return change > 0 ? 'better' : change < 0 ? 'worse' : 'same';
}

export const CHART = { width: 600, height: 240, left: 56, right: 16, top: 16, bottom: 32 } as const;

export interface Chart {
  width: number;
  height: number;
  /** The measured figures joined, as an SVG polyline's points. */
  line: string;
  dots: { x: number; y: number }[];
  baseline: { x: number; y: number };
  target: { x: number; y: number };
  /** The y of the target as a horizontal line across the plot. */
  targetY: number;
  ticks: { y: number; label: string }[];
  xLabels: { x: number; label: string }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Scales an indicator's figures, baseline and target into the chart's box: time runs left to right
 * from the earliest to the latest date of any of them, values bottom to top with a tenth of the range
 * spare either side, so the target is always on the chart.
 */
export function chartOf(indicator: { baselineValue: number; baselineOn: CalendarDate; targetValue: number; targetOn: CalendarDate }, points: readonly Point[]): Chart {
  const sorted = [...points].sort((a, b) => (a.measuredOn < b.measuredOn ? -1 : a.measuredOn > b.measuredOn ? 1 : 0));
  const all: Point[] = [{ measuredOn: indicator.baselineOn, value: indicator.baselineValue }, { measuredOn: indicator.targetOn, value: indicator.targetValue }, ...sorted];
  const days = all.map((p) => dayNumber(p.measuredOn));
  const values = all.map((p) => p.value);
  const [d0, d1] = [Math.min(...days), Math.max(...days)];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const pad = hi === lo ? Math.max(Math.abs(hi) * 0.1, 1) : (hi - lo) * 0.1;
  const [v0, v1] = [lo - pad, hi + pad];
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const x = (d: CalendarDate) => round1(CHART.left + (d1 === d0 ? plotW / 2 : ((dayNumber(d) - d0) / (d1 - d0)) * plotW));
  const y = (v: number) => round1(CHART.top + (1 - (v - v0) / (v1 - v0)) * plotH);
  const dots = sorted.map((p) => ({ x: x(p.measuredOn), y: y(p.value) }));
  const tickValues = [lo, (lo + hi) / 2, hi];
  const first = all.map((p) => p.measuredOn).sort()[0]!;
  const years = [...new Set([indicator.baselineOn, ...sorted.map((p) => p.measuredOn), indicator.targetOn].map((d) => d.slice(0, 4)))].sort();
  return {
    width: CHART.width,
    height: CHART.height,
    line: dots.map((p) => `${p.x},${p.y}`).join(' '),
    dots,
    baseline: { x: x(indicator.baselineOn), y: y(indicator.baselineValue) },
    target: { x: x(indicator.targetOn), y: y(indicator.targetValue) },
    targetY: y(indicator.targetValue),
    ticks: [...new Set(tickValues)].map((v) => ({ y: y(v), label: Number(v.toPrecision(4)).toLocaleString('en-GB') })),
    // Each year labelled where it begins, the first where the chart does.
    xLabels: years.map((year) => ({ x: x(`${year}-01-01` < first ? first : `${year}-01-01`), label: year })),
  };
}
