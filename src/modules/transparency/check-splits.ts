/**
 * Split purchases: several payments to one supplier within a short window,
 * each just below a threshold that together they reach, as when an order is
 * cut up to stay under the level at which quotes, a published contract or a
 * procurement notice would be needed. Each threshold is taken as in force on
 * the payment's date, and a run keeps to one version of it.
 */
import type { TypedRow } from './read.ts';
import { DEFAULT_SETTINGS, versionOn, type CounterFraudSettings, type Threshold, type Version } from './settings.ts';
import { joinWords, linesOf, listDates, listLines, money, oncePerDate, PaymentSet, settingByDate, settingOn, type CheckOptions, type Flag, type Payment } from './payments.ts';
import type { Pence } from '../../lib/money.ts';
import type { CalendarDate } from '../../lib/dates.ts';

interface Part {
  payment: Payment;
  version: Version<Pence>;
}

export function findSplitPurchases(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return splitPurchaseFlags(new PaymentSet(rows, options), settings);
}

export function splitPurchaseFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const groups = set.paidBySupplier;
  const flags: Flag[] = [];
  const floorOn = settingByDate(settings.splitFloorPercent);
  for (const threshold of settings.splitThresholds) {
    if (threshold.versions.length === 0) continue; // the council has not set it
    // Only dated payments are grouped by supplier, so every date here is a date.
    const versionFor = oncePerDate((date) => versionOn(threshold, date!));
    const near = nearAnyVersion(threshold, settings);
    for (const payments of groups.values()) {
      if (payments.length < 2) continue;
      const parts = justBelow(payments, versionFor, floorOn, near);
      flags.push(...runsReaching(parts, threshold, settings));
    }
  }
  return flags;
}

/**
 * Whether an amount could be just below some version of the threshold: most payments are
 * nowhere near one, and are passed over before their date's version and floor are looked up.
 */
function nearAnyVersion(threshold: Threshold, settings: CounterFraudSettings): (pence: Pence) => boolean {
  const values = threshold.versions.map((v) => v.value);
  const floors = settings.splitFloorPercent.versions.map((v) => v.value);
  const [lowest, highest] = [Math.min(...values) * Math.min(...floors), Math.max(...values)];
  return (pence) => pence < highest && pence * 100 >= lowest;
}

function justBelow(payments: readonly Payment[], versionFor: (date: CalendarDate | null) => Version<Pence> | null, floorOn: (date: CalendarDate | null) => number | null, near: (pence: Pence) => boolean): Part[] {
  const parts: Part[] = [];
  for (const payment of payments) {
    if (!near(payment.amountPence)) continue;
    const version = versionFor(payment.date);
    const floor = floorOn(payment.date);
    if (version === null || floor === null) continue;
    if (payment.amountPence < version.value && payment.amountPence * 100 >= version.value * floor) parts.push({ payment, version });
  }
  return parts;
}

/** Greedy runs: from each part, as many as fit in the window under one version; a run that reaches the threshold is flagged and its parts used up. */
function runsReaching(parts: Part[], threshold: Threshold, settings: CounterFraudSettings): Flag[] {
  const flags: Flag[] = [];
  let i = 0;
  while (i < parts.length) {
    const first = parts[i]!;
    const window = settingOn(settings.splitWindowDays, first.payment.date);
    let j = i;
    let total = 0;
    while (j < parts.length && parts[j]!.version === first.version && window !== null && parts[j]!.payment.day! - first.payment.day! <= window) total += parts[j++]!.payment.amountPence;
    if (j - i >= 2 && total >= first.version.value) {
      flags.push(splitFlag(parts.slice(i, j), total, threshold, window!));
      i = j;
    } else i++;
  }
  return flags;
}

function splitFlag(parts: Part[], total: Pence, threshold: Threshold, window: number): Flag {
  const payments = parts.map((p) => p.payment);
  const { version } = parts[0]!;
  const vat = threshold.includesVat ? ' That threshold includes VAT, and the file’s amounts may not.' : '';
  return {
    check: 'split-purchase', severity: threshold.severity, lines: linesOf(payments), amountPence: total,
    explanation: `${payments.length} payments to ${payments[0]!.name} within ${window} days, of ${joinWords(payments.map((p) => money(p.amountPence)))} ${listDates(payments)} (${listLines(payments)}), are each under ${money(version.value)} but together come to ${money(total)}, reaching ${threshold.label} (${version.source}).${vat}`,
  };
}
