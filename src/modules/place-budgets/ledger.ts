/**
 * The pooled budget's double-entry ledger, pure. Each funding stream has five accounts: what
 * its partner contributed (a credit, so negative), what is still available to allocate, what was
 * top-sliced into the investment fund, what is allocated and not yet spent, and what was spent.
 * Every movement debits one account and credits another by the same amount, so a stream's
 * accounts always sum to zero, and "where did the money go" is the balances of the other four.
 */
import { ValidationError } from '../../lib/errors.ts';
import type { Pence } from '../../lib/money.ts';
import { addDays, type CalendarDate } from '../../lib/dates.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const ACCOUNTS = ['contributed', 'available', 'fund', 'allocated', 'spent'] as const;
export type Account = (typeof ACCOUNTS)[number];

/** Each movement: the account debited, the account credited, and whether it needs the board's decision. */
export const MOVEMENTS = {
  contribution: { label: 'Contribution', debit: 'available', credit: 'contributed', boardDecision: false },
  allocation: { label: 'Allocation', debit: 'allocated', credit: 'available', boardDecision: true },
  'top-slice': { label: 'Top-slice into the investment fund', debit: 'fund', credit: 'available', boardDecision: true },
  release: { label: 'Release from the investment fund', debit: 'allocated', credit: 'fund', boardDecision: true },
  spend: { label: 'Spend', debit: 'spent', credit: 'allocated', boardDecision: false },
  return: { label: 'Return of unspent money', debit: 'available', credit: 'allocated', boardDecision: false },
  clawback: { label: 'Clawback by the partner', debit: 'contributed', credit: 'available', boardDecision: true },
} as const satisfies Record<string, { label: string; debit: Account; credit: Account; boardDecision: boolean }>;
export type Movement = keyof typeof MOVEMENTS;
export const isMovement = (v: string): v is Movement => isKeyOf(MOVEMENTS, v);

export interface Posting {
  streamId: string;
  account: Account;
  /** Only the allocated and spent accounts are kept per allocation. */
  allocationId: string | null;
  amountPence: Pence;
}

const perAllocation = (a: Account) => a === 'allocated' || a === 'spent';

/** The two postings of a movement: the debit first. */
export function postingsFor(kind: Movement, amountPence: Pence, streamId: string, allocationId: string | null): Posting[] {
  const m = MOVEMENTS[kind];
  const leg = (account: Account, amount: Pence): Posting => ({ streamId, account, allocationId: perAllocation(account) ? allocationId : null, amountPence: amount });
  return [leg(m.debit, amountPence), leg(m.credit, -amountPence)];
}

/** A set of postings may be written only if it balances, has no zero lines, and every amount is whole pence. */
export function checkBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new ValidationError({ amount: 'A ledger entry needs a debit and a credit' });
  if (postings.some((p) => !Number.isSafeInteger(p.amountPence) || p.amountPence === 0)) throw new ValidationError({ amount: 'Every line of a ledger entry must be a whole number of pence other than 0' });
  const sum = postings.reduce((s, p) => s + p.amountPence, 0);
  if (sum !== 0) throw new ValidationError({ amount: `The ledger entry does not balance: its lines sum to ${sum} pence, not 0` });
}

export type Balances = Record<Account, Pence>;
export const emptyBalances = (): Balances => ({ contributed: 0, available: 0, fund: 0, allocated: 0, spent: 0 });

/** Balances of the accounts, optionally of one allocation's only. */
export function balances(postings: readonly Posting[], allocationId?: string): Balances {
  const b = emptyBalances();
  for (const p of postings) if (allocationId === undefined || p.allocationId === allocationId) b[p.account] += p.amountPence;
  return b;
}

/** The money a movement draws on must be there: refused with the amount's field, naming what is left. */
export function checkCovered(kind: Movement, amountPence: Pence, from: Balances, format: (p: Pence) => string): void {
  const credit = MOVEMENTS[kind].credit;
  // The contributed account is credit-normal: it is what came in, and may only go up (contribution) or back down to 0 (clawback).
  const left = credit === 'contributed' ? Number.POSITIVE_INFINITY : from[credit];
  if (amountPence > left) {
    const what = { available: 'available to allocate', fund: 'in the investment fund', allocated: 'allocated and unspent', spent: 'spent', contributed: 'contributed' }[credit];
    throw new ValidationError({ amount: `Only ${format(Math.max(left, 0))} is ${what} in this stream` });
  }
}

// ---------------------------------------------------------------------------------------------
// Periods: UK public bodies' financial years begin on 1 April.

/** "2026-27 Q1" is April to June 2026. */
export function financialQuarter(date: CalendarDate): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const fyStart = m >= 4 ? y : y - 1;
  const q = Math.floor(((m + 8) % 12) / 3) + 1;
  return `${fyStart}-${String((fyStart + 1) % 100).padStart(2, '0')} Q${q}`;
}

export const isQuarter = (key: string) => /^\d{4}-\d{2} Q[1-4]$/.test(key) && Number(key.slice(5, 7)) === (Number(key.slice(0, 4)) + 1) % 100;

/** The first and last days of a quarter from its key. */
export function quarterRange(key: string): { from: CalendarDate; to: CalendarDate } {
  const fyStart = Number(key.slice(0, 4));
  const q = Number(key.slice(-1));
  // Each quarter's first day, and the next one's: April, July, October, then January of the next calendar year.
  const starts = [`${fyStart}-04-01`, `${fyStart}-07-01`, `${fyStart}-10-01`, `${fyStart + 1}-01-01`, `${fyStart + 1}-04-01`];
  return { from: starts[q - 1]!, to: addDays(starts[q]!, -1) };
}

export const financialYearOf = (date: CalendarDate) => financialQuarter(date).slice(0, 7);

// ---------------------------------------------------------------------------------------------
// Statements and reconciliation

export interface LedgerEntry {
  transactionId: string;
  kind: Movement;
  occurredOn: CalendarDate;
  description: string;
  streamId: string;
  postings: Posting[];
}

export interface StatementLine {
  occurredOn: CalendarDate;
  kind: Movement;
  description: string;
  streamId: string;
  amountPence: Pence;
  /** What was available in the stream after this line. */
  availableAfter: Pence;
}

export interface Statement {
  quarter: string;
  from: CalendarDate;
  to: CalendarDate;
  opening: Balances;
  lines: StatementLine[];
  closing: Balances;
}

const byDate = (a: LedgerEntry, b: LedgerEntry) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0);

/** A partner's quarter: its streams' balances at the start, every movement in it, and the balances at the end. */
export function statement(entries: readonly LedgerEntry[], quarter: string): Statement {
  const { from, to } = quarterRange(quarter);
  const sorted = [...entries].sort(byDate);
  const before = sorted.filter((e) => e.occurredOn < from);
  const during = sorted.filter((e) => e.occurredOn >= from && e.occurredOn <= to);
  const opening = balances(before.flatMap((e) => e.postings));
  const running = { ...opening };
  const lines = during.map((e) => {
    for (const p of e.postings) running[p.account] += p.amountPence;
    return { occurredOn: e.occurredOn, kind: e.kind, description: e.description, streamId: e.streamId, amountPence: e.postings[0]!.amountPence, availableAfter: running.available };
  });
  return { quarter, from, to, opening, lines, closing: { ...running } };
}

/** The quarters from the first movement to the last, for choosing a statement. */
export function quartersOf(entries: readonly LedgerEntry[]): string[] {
  return [...new Set(entries.map((e) => financialQuarter(e.occurredOn)))].sort();
}

export interface ReconciliationRow {
  streamId: string;
  year: string;
  /** Money moved in the year, by kind. */
  moved: Record<Movement, Pence>;
  /** Balances at the year's end. */
  closing: Balances;
  /** The stream's accounts sum to zero: what came in equals what is held, in the fund, allocated and spent. */
  balanced: boolean;
}

/** Per stream and financial year (streams group into their partners). */
export function reconcile(entries: readonly LedgerEntry[]): ReconciliationRow[] {
  const rows = new Map<string, ReconciliationRow>();
  const running = new Map<string, Balances>();
  for (const e of [...entries].sort(byDate)) {
    const year = financialYearOf(e.occurredOn);
    const key = `${e.streamId} ${year}`;
    const b = running.get(e.streamId) ?? emptyBalances();
    for (const p of e.postings) b[p.account] += p.amountPence;
    running.set(e.streamId, b);
    const row = rows.get(key) ?? { streamId: e.streamId, year, moved: Object.fromEntries(Object.keys(MOVEMENTS).map((k) => [k, 0])) as Record<Movement, Pence>, closing: emptyBalances(), balanced: true };
    row.moved[e.kind] += e.postings[0]!.amountPence;
    row.closing = { ...b };
    row.balanced = ACCOUNTS.reduce((s, a) => s + b[a], 0) === 0;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => (a.streamId === b.streamId ? a.year.localeCompare(b.year) : 0));
}

/** A statement as CSV (RFC 4180, amounts in pounds), one row per movement after the opening balance. */
export function statementCsv(s: Statement, names: { partner: string; stream: (id: string) => string }): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const pounds = (p: Pence) => (p / 100).toFixed(2);
  const rows: string[][] = [
    ['Partner', 'Quarter', 'Date', 'Stream', 'Movement', 'Description', 'Amount', 'Available after'],
    [names.partner, s.quarter, s.from, '', 'Opening balance', 'Available at the start of the quarter', '', pounds(s.opening.available)],
    ...s.lines.map((l) => [names.partner, s.quarter, l.occurredOn, names.stream(l.streamId), MOVEMENTS[l.kind].label, l.description, pounds(l.amountPence), pounds(l.availableAfter)]),
    [names.partner, s.quarter, s.to, '', 'Closing balance', `Contributed ${pounds(-s.closing.contributed)}; in the fund ${pounds(s.closing.fund)}; allocated ${pounds(s.closing.allocated)}; spent ${pounds(s.closing.spent)}`, '', pounds(s.closing.available)],
  ];
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
