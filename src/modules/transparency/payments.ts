/**
 * What the counter-fraud checks share: the flag they return, and the payment
 * rows (expenditure and procurement card) put in the shape they work on, with
 * the supplier's key and the date as a day number worked out once per
 * distinct name and date, so a million rows cost a million map look-ups.
 */
import { dayNumber, type CalendarDate } from '../../lib/dates.ts';
import { formatPence, type Pence } from '../../lib/money.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';
import { versionOn, type Setting, type Severity } from './settings.ts';
import { payeeName, supplierKey, type Payee } from './suppliers.ts';

export type CheckName =
  | 'duplicate-payment'
  | 'split-purchase'
  | 'no-contract'
  | 'round-sum'
  | 'out-of-pattern'
  | 'card-merchant-category'
  | 'card-weekend-or-bank-holiday'
  | 'card-round-sum';

export interface Flag {
  check: CheckName;
  severity: Severity;
  /** Plain English naming the amounts, dates and supplier. */
  explanation: string;
  /** The file lines of the rows behind the flag. */
  lines: number[];
  /** The money in question; each check says what that is. */
  amountPence: Pence;
}

export interface CheckOptions {
  /** How payees are matched; `supplierResolver` gives one that uses registration numbers seen elsewhere. */
  keyOf?: (payee: Payee) => string | null;
}

export interface Payment {
  line: number;
  date: CalendarDate | null;
  /** Days since 1 January 1970, for windows; null when the file lost the date. */
  day: number | null;
  amountPence: Pence;
  /** Null for a withheld payee the council gave no supplier number, who cannot be matched to anyone. */
  key: string | null;
  /** What to call the payee in an explanation: never a private individual's name. */
  name: string;
  transactionRef: string | null;
  invoiceRef: string | null;
  card: CardRow | null;
}

export function isPaymentRow(row: TypedRow): row is SpendRow | CardRow {
  return row.dataset === 'spend-over-500' || row.dataset === 'procurement-card';
}

export function paymentsOf(rows: readonly TypedRow[], options: CheckOptions = {}): Payment[] {
  const keyOf = options.keyOf ?? supplierKey;
  const byName = new Map<string, { key: string | null; name: string }>();
  const days = new Map<string, number>();
  const out: Payment[] = [];
  for (const row of rows) {
    if (!isPaymentRow(row)) continue;
    const spend = row.dataset === 'spend-over-500' ? row : null;
    const payee: Payee = spend ? { name: spend.supplier, redacted: spend.redacted, supplierId: spend.supplierId } : { name: (row as CardRow).merchant, redacted: row.redacted };
    // A withheld payee's key hangs on the supplier number, not the (absent) name.
    const cacheKey = payee.redacted ? `\u0000${payee.supplierId ?? ''}` : (payee.name ?? '\u0001');
    let who = byName.get(cacheKey);
    if (!who) byName.set(cacheKey, (who = { key: keyOf(payee), name: payeeName(payee) }));
    let day: number | null = null;
    if (row.date !== null) {
      day = days.get(row.date) ?? null;
      if (day === null) days.set(row.date, (day = dayNumber(row.date)));
    }
    out.push({
      line: row.line, date: row.date, day, amountPence: row.amountPence, key: who.key, name: who.name,
      transactionRef: row.transactionRef, invoiceRef: spend?.invoiceRef ?? null, card: spend ? null : (row as CardRow),
    });
  }
  return out;
}


/**
 * The payments of a set of rows, worked out once and shared: \`runChecks\`
 * builds one for all the checks, so a million rows are read, keyed and
 * grouped once, not once per check. Nothing here is changed after it is built.
 */
export class PaymentSet {
  readonly all: readonly Payment[];
  private spendCache: readonly Payment[] | null = null;
  private cardCache: readonly Payment[] | null = null;
  private paidBySupplierCache: Map<string, Payment[]> | null = null;

  constructor(rows: readonly TypedRow[], options: CheckOptions = {}) {
    this.all = paymentsOf(rows, options);
  }

  get spend(): readonly Payment[] {
    return (this.spendCache ??= this.all.filter((p) => p.card === null));
  }

  get cards(): readonly Payment[] {
    return (this.cardCache ??= this.all.filter((p) => p.card !== null));
  }

  /** Dated payments out (no credits) by supplier, in date order. */
  get paidBySupplier(): Map<string, Payment[]> {
    return (this.paidBySupplierCache ??= bySupplier(this.all.filter((p) => p.amountPence > 0 && p.day !== null)));
  }
}

/** Payments grouped by supplier key, each group in date order (undated last); payees with no key are left out. */
export function bySupplier(payments: readonly Payment[]): Map<string, Payment[]> {
  const groups = new Map<string, Payment[]>();
  for (const p of payments) {
    if (p.key === null) continue;
    const list = groups.get(p.key);
    if (list) list.push(p);
    else groups.set(p.key, [p]);
  }
  for (const list of groups.values()) if (list.length > 1) list.sort(byDay);
  return groups;
}

export const byDay = (a: Payment, b: Payment): number => (a.day ?? Infinity) - (b.day ?? Infinity) || a.line - b.line;

/**
 * A setting's value on a date. House settings hold on every date; with no date
 * (a file that lost its dates) the latest version is taken.
 */
export function settingOn<T>(setting: Setting<T>, date: CalendarDate | null): T | null {
  if (date === null) return setting.versions.at(-1)?.value ?? null;
  return versionOn(setting, date)?.value ?? null;
}

/** A function of a date, worked out once for each date: a million payments share a few hundred dates. */
export function oncePerDate<T>(of: (date: CalendarDate | null) => T): (date: CalendarDate | null) => T {
  const seen = new Map<CalendarDate | null, T>();
  return (date) => {
    if (seen.has(date)) return seen.get(date)!;
    const value = of(date);
    seen.set(date, value);
    return value;
  };
}

/** A setting's value by date, each date looked up once. */
export const settingByDate = <T>(setting: Setting<T>): ((date: CalendarDate | null) => T | null) => oncePerDate((date) => settingOn(setting, date));

// ---------------------------------------------------------------------------
// Words

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const money = (pence: Pence): string => formatPence(pence);

/** "3 March 2022", as formatDate says it, without building an Intl formatter for each of thousands of flags. */
export const longDate = (date: CalendarDate): string => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
export const when = (date: CalendarDate | null): string => (date === null ? 'on a date the file does not give' : `on ${longDate(date)}`);

export function listLines(payments: readonly Payment[]): string {
  const lines = payments.map((p) => String(p.line));
  return `${lines.length === 1 ? 'line' : 'lines'} ${listSome(lines, 8)}`;
}

export function listDates(payments: readonly Payment[]): string {
  const dates = [...new Set(payments.map((p) => p.date))];
  return dates.length === 1 ? when(dates[0]!) : `on ${listSome(dates.map((d) => (d === null ? 'an unknown date' : longDate(d))), 6)}`;
}

/** "a, b and c", or "a, b, c and 4 more" past `most`. */
function listSome(words: readonly string[], most: number): string {
  return words.length > most ? `${words.slice(0, most).join(', ')} and ${words.length - most} more` : joinWords(words);
}

export function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export const linesOf = (payments: readonly Payment[]): number[] => payments.map((p) => p.line);
