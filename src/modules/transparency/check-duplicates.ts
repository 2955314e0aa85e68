/**
 * Duplicate payments: the same amount to the same supplier twice, either
 * with the same invoice or transaction reference (at any distance apart) or
 * within a few days. A credit note for the amount cancels a payment first:
 * paid, credited and paid again is one payment, not a duplicate.
 */
import type { CalendarDate } from '../../lib/dates.ts';
import type { TypedRow } from './read.ts';
import { DEFAULT_SETTINGS, type CounterFraudSettings } from './settings.ts';
import { byDay, linesOf, listDates, listLines, money, PaymentSet, settingOn, type CheckOptions, type Flag, type Payment } from './payments.ts';

export type ReferenceField = 'invoiceRef' | 'transactionRef';
export const REFERENCE_WORDS: Record<ReferenceField, string> = { invoiceRef: 'invoice number', transactionRef: 'transaction number' };

export function findDuplicatePayments(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return duplicatePaymentFlags(new PaymentSet(rows, options), settings);
}

export function duplicatePaymentFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const payments = set.all;
  const identifying = identifyingReferences(payments, settings);
  const flags: Flag[] = [];
  for (const group of sameSupplierAndAmount(payments)) {
    const standing = uncancelled(group);
    if (standing.length < 2) continue;
    const left = new Set(standing);
    for (const field of identifying) {
      for (const same of groupsOf(standing.filter((p) => left.has(p)), (p) => p[field])) {
        flags.push(sameReferenceFlag(same, field));
        for (const p of same) left.delete(p);
      }
    }
    flags.push(...closeTogether([...left], settings));
  }
  return flags;
}

/**
 * Some files number each payment (Devon's transaction numbers); others number
 * payment runs, shared by hundreds of rows (Warwickshire's Transno, Hyndburn's
 * batch references). Only a column whose values are mostly unique says two
 * rows are the same payment.
 */
export function identifyingReferences(payments: readonly Payment[], settings: CounterFraudSettings): ReferenceField[] {
  const percent = settingOn(settings.uniqueReferencePercent, latestDate(payments));
  if (percent === null) return [];
  return (['invoiceRef', 'transactionRef'] as const).filter((field) => mostlyUnique(payments, field, percent));
}

/**
 * Whether at least `percent` of the field's values are distinct; it stops at the first repeat too
 * many, so a payment run number shared by hundreds of rows is found early. The values are kept in
 * an open-addressed table of their payments' positions, hashed here (FNV-1a): a Set of a million
 * strings took 0.9 s, this about 0.35 s.
 */
function mostlyUnique(payments: readonly Payment[], field: ReferenceField, percent: number): boolean {
  let values = 0;
  for (const p of payments) if (p[field] !== null) values++;
  if (values === 0) return false;
  const repeatsAllowed = values - Math.ceil((values * percent) / 100);
  const slots = new Int32Array(2 ** Math.ceil(Math.log2(values * 2 + 1))); // at most half full; 0 is an empty slot, else position + 1
  const mask = slots.length - 1;
  let repeats = 0;
  for (let i = 0; i < payments.length; i++) {
    const value = payments[i]![field];
    if (value === null) continue;
    let hash = 0x811c9dc5;
    for (let j = 0; j < value.length; j++) hash = Math.imul(hash ^ value.charCodeAt(j), 0x01000193);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0) {
        slots[slot] = i + 1;
        break;
      }
      if (payments[held - 1]![field] === value) {
        if (++repeats > repeatsAllowed) return false;
        break;
      }
    }
  }
  return true;
}

/**
 * Payments (and credits) grouped by supplier and amount regardless of sign,
 * only groups with two or more payments. Most amounts are paid once, so a
 * group is a single payment until a second arrives: a million rows make a
 * few thousand arrays, not a million.
 */
function sameSupplierAndAmount(payments: readonly Payment[]): Payment[][] {
  const bySupplier = new Map<string, Map<number, Payment | Payment[]>>();
  for (const p of payments) {
    if (p.key === null || p.amountPence === 0) continue;
    let amounts = bySupplier.get(p.key);
    if (!amounts) bySupplier.set(p.key, (amounts = new Map()));
    const amount = Math.abs(p.amountPence);
    const seen = amounts.get(amount);
    if (seen === undefined) amounts.set(amount, p);
    else if (Array.isArray(seen)) seen.push(p);
    else amounts.set(amount, [seen, p]);
  }
  const groups: Payment[][] = [];
  for (const amounts of bySupplier.values()) {
    for (const group of amounts.values()) if (Array.isArray(group) && group.filter((p) => p.amountPence > 0).length >= 2) groups.push(group);
  }
  return groups;
}

/** The payments no credit cancels: each credit takes the latest payment on or before its date, or failing that the next one. */
function uncancelled(group: Payment[]): Payment[] {
  const sorted = [...group].sort(byDay);
  const standing = sorted.filter((p) => p.amountPence > 0);
  for (const credit of sorted.filter((p) => p.amountPence < 0)) {
    let at = -1;
    for (let i = 0; i < standing.length; i++) if (standing[i]!.day === null || credit.day === null || standing[i]!.day! <= credit.day) at = i;
    standing.splice(at === -1 ? 0 : at, 1);
    if (standing.length === 0) break;
  }
  return standing;
}

function sameReferenceFlag(same: Payment[], field: ReferenceField): Flag {
  const { amountPence, name } = same[0]!;
  return {
    check: 'duplicate-payment', severity: 'high', lines: linesOf(same), amountPence: amountPence * (same.length - 1),
    explanation: `${money(amountPence)} was paid to ${name} ${times(same.length)} with the same ${REFERENCE_WORDS[field]} ${same[0]![field]}, ${listDates(same)} (${listLines(same)}).`,
  };
}

/** Runs of payments each within the window of the one before. */
function closeTogether(payments: Payment[], settings: CounterFraudSettings): Flag[] {
  const dated = payments.filter((p) => p.day !== null).sort(byDay);
  const flags: Flag[] = [];
  let run: Payment[] = [];
  const close = () => {
    if (run.length >= 2) flags.push(closeTogetherFlag(run, settings));
    run = [];
  };
  for (const p of dated) {
    const last = run.at(-1);
    const window = settingOn(settings.duplicateWindowDays, p.date);
    if (last && (window === null || p.day! - last.day! > window)) close();
    run.push(p);
  }
  close();
  return flags;
}

function closeTogetherFlag(run: Payment[], settings: CounterFraudSettings): Flag {
  const { amountPence, name } = run[0]!;
  const window = settingOn(settings.duplicateWindowDays, run[0]!.date)!;
  const oneRun = run.every((p) => p.date === run[0]!.date && p.transactionRef !== null && p.transactionRef === run[0]!.transactionRef);
  // Several clients at one weekly rate are paid in one run: worth a look, seldom a duplicate.
  const note = oneRun ? `, all in payment run ${run[0]!.transactionRef}, as payments for several people at one rate often are` : '';
  return {
    check: 'duplicate-payment', severity: oneRun ? 'low' : 'medium', lines: linesOf(run), amountPence: amountPence * (run.length - 1),
    explanation: `${money(amountPence)} was paid to ${name} ${times(run.length)} ${listDates(run)}, each within ${window} days of the one before (${listLines(run)})${note}.`,
  };
}

const times = (n: number): string => (n === 2 ? 'twice' : `${n} times`);

function groupsOf(payments: readonly Payment[], valueOf: (p: Payment) => string | null): Payment[][] {
  const groups = new Map<string, Payment[]>();
  for (const p of payments) {
    const value = valueOf(p);
    if (value === null) continue;
    const list = groups.get(value);
    if (list) list.push(p);
    else groups.set(value, [p]);
  }
  return [...groups.values()].filter((g) => g.length >= 2);
}

function latestDate(payments: readonly Payment[]): CalendarDate | null {
  let latest: CalendarDate | null = null;
  for (const p of payments) if (p.date !== null && (latest === null || p.date > latest)) latest = p.date;
  return latest;
}
