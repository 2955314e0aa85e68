/**
 * Duplicates across files: a payment in the file being imported that an earlier import already
 * holds — the same supplier and amount with the same identifying reference (at any distance
 * apart), or within the duplicate window. Councils republish and overlap their files, so when
 * most of a file repeats earlier ones that is said once, as a file that looks published again,
 * not as thousands of flags. A credit of the amount to the supplier, in either file, cancels.
 */
import type { CounterFraudSettings } from './settings.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { identifyingReferences, REFERENCE_WORDS, type ReferenceField } from './check-duplicates.ts';
import { joinWords, longDate, money, settingOn, when, type Flag, type Payment } from './payments.ts';

/** A payment from an earlier import, with the file it came in. */
export interface EarlierPayment extends Payment {
  fileName: string;
}

/** Past this share of a file's payments repeating earlier files, the file is flagged once, as republished. */
const REPUBLISHED_SHARE = 0.5;
/** …and only past this many, so a short file with two repeats is flagged payment by payment. */
const REPUBLISHED_MINIMUM = 20;
/** Lines a republished-file flag keeps, for its page of rows; the explanation gives the full count. */
const MOST_LINES = 500;

interface Repeat {
  payment: Payment;
  earlier: EarlierPayment;
  field: ReferenceField | null;
}

export function duplicatesOfEarlierFiles(payments: readonly Payment[], earlier: readonly EarlierPayment[], settings: CounterFraudSettings = DEFAULT_SETTINGS): Flag[] {
  const identifying = identifyingReferences(payments, settings);
  const credited = new Set<string>();
  const before = new Map<string, EarlierPayment[]>();
  const keyOf = (p: Payment) => `${p.key}\u0000${Math.abs(p.amountPence)}`;
  for (const p of [...payments, ...earlier]) if (p.key !== null && p.amountPence < 0) credited.add(keyOf(p));
  for (const p of earlier) {
    if (p.key === null || p.amountPence <= 0 || credited.has(keyOf(p))) continue;
    const list = before.get(keyOf(p));
    if (list) list.push(p);
    else before.set(keyOf(p), [p]);
  }
  const repeats: Repeat[] = [];
  for (const p of payments) {
    if (p.key === null || p.amountPence <= 0) continue;
    const candidates = before.get(keyOf(p));
    if (!candidates) continue;
    const repeat = sameReference(p, candidates, identifying) ?? closeInTime(p, candidates, settings);
    if (repeat) repeats.push(repeat);
  }
  const paid = payments.filter((p) => p.amountPence > 0).length;
  if (repeats.length >= REPUBLISHED_MINIMUM && repeats.length > paid * REPUBLISHED_SHARE) return [republished(repeats, paid)];
  return repeats.map(repeatFlag);
}

function sameReference(p: Payment, candidates: readonly EarlierPayment[], fields: readonly ReferenceField[]): Repeat | null {
  for (const field of fields) {
    if (p[field] === null) continue;
    const earlier = candidates.find((c) => c[field] === p[field]);
    if (earlier) return { payment: p, earlier, field };
  }
  return null;
}

function closeInTime(p: Payment, candidates: readonly EarlierPayment[], settings: CounterFraudSettings): Repeat | null {
  const window = settingOn(settings.duplicateWindowDays, p.date);
  if (window === null || p.day === null) return null;
  const earlier = candidates.find((c) => c.day !== null && Math.abs(c.day - p.day!) <= window);
  return earlier ? { payment: p, earlier, field: null } : null;
}

function repeatFlag({ payment: p, earlier: e, field }: Repeat): Flag {
  const same = field ? `the same ${REFERENCE_WORDS[field]} ${p[field]}` : `within ${Math.abs((p.day ?? 0) - (e.day ?? 0))} days`;
  return {
    check: 'duplicate-payment', severity: field ? 'high' : 'medium', lines: [p.line], amountPence: p.amountPence,
    explanation: `${money(p.amountPence)} was paid to ${p.name} ${when(p.date)} (line ${p.line}), and an earlier file, ${e.fileName}, already has it ${when(e.date)} (line ${e.line}): ${same}.`,
  };
}

function republished(repeats: readonly Repeat[], paid: number): Flag {
  const files = [...new Set(repeats.map((r) => r.earlier.fileName))];
  const dates = repeats.map((r) => r.payment.date).filter((d) => d !== null).sort();
  const span = dates.length ? ` from ${longDate(dates[0]!)} to ${longDate(dates.at(-1)!)}` : '';
  const total = repeats.reduce((sum, r) => sum + r.payment.amountPence, 0);
  return {
    check: 'duplicate-payment', severity: 'high', lines: repeats.slice(0, MOST_LINES).map((r) => r.payment.line), amountPence: total,
    explanation: `${repeats.length.toLocaleString('en-GB')} of this file’s ${paid.toLocaleString('en-GB')} payments${span}, ${money(total)} in all, are already in ${files.length === 1 ? 'an earlier file' : 'earlier files'}, ${joinWords(files.slice(0, 5))}${files.length > 5 ? ` and ${files.length - 5} more` : ''}: the same suppliers and amounts, with the same references or close dates. Is this the same period published again? If so, the repeated payments are counted twice in the open data.`,
  };
}
