/**
 * Procurement card checks: spending at merchants a council card should seldom
 * pay (gambling, alcohol, cash), on weekends and bank holidays, and in round
 * amounts. Refunds are left out: money coming back is not the risk.
 */
import type { CardRow, TypedRow } from './read.ts';
import { holidayLookup } from '../../lib/bank-holidays.ts';
import { DEFAULT_SETTINGS, type CounterFraudSettings, type MerchantCategoryRule } from './settings.ts';
import { weekday } from '../../lib/dates.ts';
import { money, PaymentSet, settingByDate, when, type CheckOptions, type Flag, type Payment } from './payments.ts';

const cardPayments = (set: PaymentSet): Payment[] => set.cards.filter((p) => p.amountPence > 0);

/**
 * The merchant category when the file gives one (as words or an ISO 18245
 * code); otherwise the merchant's name, since most councils' card files have
 * no category column at all.
 */
export function findUnusualMerchants(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return unusualMerchantFlags(new PaymentSet(rows, options), settings);
}

export function unusualMerchantFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  // A council's card statements repeat a few thousand merchants and categories, so each is matched once.
  const seen = new Map<string, MerchantCategoryRule | null>();
  const flags: Flag[] = [];
  const rulesOn = settingByDate(settings.unusualMerchantCategories);
  for (const p of cardPayments(set)) {
    const rules = rulesOn(p.date) ?? [];
    const category = p.card!.merchantCategory;
    const id = `${rules.length}\u0000${category ?? ''}\u0000${category === null && !p.card!.redacted ? (p.card!.merchant ?? '') : ''}`;
    let rule = seen.get(id);
    if (rule === undefined) seen.set(id, (rule = ruleFor(rules, p.card!) ?? null));
    if (!rule) continue;
    const because = category === null ? `the merchant’s name suggests ${rule.label}` : `its merchant category, “${category}”, is ${rule.label}`;
    flags.push({
      check: 'card-merchant-category', severity: category === null ? 'low' : 'medium', lines: [p.line], amountPence: p.amountPence,
      explanation: `${money(p.amountPence)} on a procurement card at ${p.name} ${when(p.date)} (line ${p.line}): ${because}, which a council card should seldom pay.`,
    });
  }
  return flags;
}

function ruleFor(rules: readonly MerchantCategoryRule[], card: CardRow): MerchantCategoryRule | undefined {
  const category = card.merchantCategory;
  if (category !== null) return rules.find((r) => matchesCategory(r, category));
  return card.redacted || card.merchant === null ? undefined : rules.find((r) => r.words.test(card.merchant!));
}

const matchesCategory = (rule: MerchantCategoryRule, category: string): boolean => (/^\d{4}$/.test(category) ? rule.codes.includes(category) : rule.words.test(category));

/** Saturdays, Sundays and bank holidays; in a year the holiday calendar does not cover, only weekends can count. */
export function findCardOutOfHours(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return outOfHoursFlags(new PaymentSet(rows, options), settings);
}

export function outOfHoursFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const holidayOn = holidayLookup(settings.bankHolidays);
  const flags: Flag[] = [];
  for (const p of cardPayments(set)) {
    if (p.day === null) continue;
    const day = weekday(p.day);
    const holiday = holidayOn(p.date!) ?? null;
    if (day !== 0 && day !== 6 && holiday === null) continue;
    const what = holiday !== null ? `${holiday}, a bank holiday` : day === 0 ? 'a Sunday' : 'a Saturday';
    flags.push({
      check: 'card-weekend-or-bank-holiday', severity: 'low', lines: [p.line], amountPence: p.amountPence,
      explanation: `${money(p.amountPence)} on a procurement card at ${p.name} ${when(p.date)}, ${what} (line ${p.line}): check it was council business.`,
    });
  }
  return flags;
}

export function findCardRoundSums(rows: readonly TypedRow[], settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return cardRoundSumFlags(new PaymentSet(rows, options), settings);
}

export function cardRoundSumFlags(set: PaymentSet, settings: CounterFraudSettings): Flag[] {
  const flags: Flag[] = [];
  const unitOn = settingByDate(settings.cardRoundUnitPence);
  const floorOn = settingByDate(settings.cardRoundFloorPence);
  for (const p of cardPayments(set)) {
    const unit = unitOn(p.date);
    const floor = floorOn(p.date);
    if (unit === null || floor === null || p.amountPence < floor || p.amountPence % unit !== 0) continue;
    flags.push({
      check: 'card-round-sum', severity: 'low', lines: [p.line], amountPence: p.amountPence,
      explanation: `${money(p.amountPence)} on a procurement card at ${p.name} ${when(p.date)} (line ${p.line}) is an exact multiple of ${money(unit)}, as vouchers, cash and gift cards are.`,
    });
  }
  return flags;
}
