/**
 * Amounts that stand out: round sums (exact thousands, above a floor), which
 * estimates, advances and made-up invoices tend to be, and payments far
 * above what a supplier is usually paid.
 */
import type { TypedRow } from './read.ts';
import { DEFAULT_SETTINGS, type CounterFraudSettings } from './settings.ts';
import { money, PaymentSet, settingByDate, when, type CheckOptions, type Flag, type Payment } from './payments.ts';
import type { CalendarDate } from '../../lib/dates.ts';

/** Expenditure rows only: procurement cards have their own, smaller round sums (see check-card.ts). */
export function findRoundSums(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return roundSumFlags(new PaymentSet(rows, options), settings);
}

export function roundSumFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const flags: Flag[] = [];
  const unitOn = settingByDate(settings.roundSumUnitPence);
  const floorOn = settingByDate(settings.roundSumFloorPence);
  for (const p of set.spend) {
    const unit = unitOn(p.date);
    const floor = floorOn(p.date);
    if (unit === null || floor === null || p.amountPence < floor || p.amountPence % unit !== 0) continue;
    flags.push({
      check: 'round-sum', severity: 'low', lines: [p.line], amountPence: p.amountPence,
      explanation: `${money(p.amountPence)} to ${p.name} ${when(p.date)} (line ${p.line}) is an exact multiple of ${money(unit)}: check it was billed, not estimated.`,
    });
  }
  return flags;
}

/**
 * A payment more than k times the median of the supplier's earlier payments,
 * once it has at least m of them. Payments on the same day are not each
 * other's history. The medians come from two heaps, so each supplier costs
 * n log n, not n².
 */
export function findOutOfPattern(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return outOfPatternFlags(new PaymentSet(rows, options), settings);
}

export function outOfPatternFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const flags: Flag[] = [];
  const limits = { multipleOn: settingByDate(settings.outOfPatternMultiple), minEarlierOn: settingByDate(settings.outOfPatternMinEarlier) };
  for (const payments of set.paidBySupplier.values()) {
    const history = new RunningMedian();
    for (let i = 0; i < payments.length;) {
      let j = i;
      while (j < payments.length && payments[j]!.day === payments[i]!.day) j++;
      for (let k = i; k < j; k++) {
        const flag = outOfPattern(payments[k]!, history, limits);
        if (flag) flags.push(flag);
      }
      for (let k = i; k < j; k++) history.add(payments[k]!.amountPence);
      i = j;
    }
  }
  return flags;
}

interface PatternLimits {
  multipleOn: (date: CalendarDate | null) => number | null;
  minEarlierOn: (date: CalendarDate | null) => number | null;
}

function outOfPattern(p: Payment, history: RunningMedian, { multipleOn, minEarlierOn }: PatternLimits): Flag | null {
  const multiple = multipleOn(p.date);
  const minEarlier = minEarlierOn(p.date);
  if (multiple === null || minEarlier === null || history.size < minEarlier) return null;
  const median = history.median();
  if (p.amountPence <= median * multiple) return null;
  return {
    check: 'out-of-pattern', severity: 'medium', lines: [p.line], amountPence: p.amountPence,
    explanation: `${money(p.amountPence)} to ${p.name} ${when(p.date)} (line ${p.line}) is ${(p.amountPence / median).toFixed(1)} times the median of its ${history.size} earlier payments (${money(Math.round(median))}); more than ${multiple} times is out of pattern.`,
  };
}

/** The median of the numbers added so far: a max-heap of the lower half, a min-heap of the upper. */
export class RunningMedian {
  private readonly lower = new Heap((a, b) => a > b);
  private readonly upper = new Heap((a, b) => a < b);

  get size(): number {
    return this.lower.size + this.upper.size;
  }

  add(value: number): void {
    if (this.lower.size === 0 || value <= this.lower.peek()) this.lower.push(value);
    else this.upper.push(value);
    if (this.lower.size > this.upper.size + 1) this.upper.push(this.lower.pop());
    else if (this.upper.size > this.lower.size) this.lower.push(this.upper.pop());
  }

  median(): number {
    return this.lower.size > this.upper.size ? this.lower.peek() : (this.lower.peek() + this.upper.peek()) / 2;
  }
}

class Heap {
  private readonly items: number[] = [];
  private readonly above: (a: number, b: number) => boolean;

  constructor(above: (a: number, b: number) => boolean) {
    this.above = above;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): number {
    return this.items[0]!;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && this.above(items[left]!, items[best]!)) best = left;
        if (right < items.length && this.above(items[right]!, items[best]!)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}
