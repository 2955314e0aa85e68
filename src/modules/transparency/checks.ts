/**
 * The counter-fraud checks over a council's Transparency Code rows, all at
 * once or one by one. Each flag is a lead for an officer, never a finding:
 * it says in plain words what was seen and which lines show it.
 */
import type { TypedRow } from './read.ts';
import { duplicatePaymentFlags, findDuplicatePayments } from './check-duplicates.ts';
import { findSplitPurchases, splitPurchaseFlags } from './check-splits.ts';
import { findSpendWithoutContract, noContractFlags } from './check-contracts.ts';
import { findOutOfPattern, findRoundSums, outOfPatternFlags, roundSumFlags } from './check-amounts.ts';
import { cardRoundSumFlags, findCardOutOfHours, findCardRoundSums, findUnusualMerchants, outOfHoursFlags, unusualMerchantFlags } from './check-card.ts';
import { DEFAULT_SETTINGS, type CounterFraudSettings } from './settings.ts';
import { payeeOf, supplierResolver, type Payee } from './suppliers.ts';
import { PaymentSet, type Flag } from './payments.ts';

export { PaymentSet, type CheckName, type CheckOptions, type Flag } from './payments.ts';
export { findDuplicatePayments, findSplitPurchases, findSpendWithoutContract, findOutOfPattern, findRoundSums, findCardOutOfHours, findCardRoundSums, findUnusualMerchants };
export { duplicatePaymentFlags, splitPurchaseFlags, noContractFlags, roundSumFlags, outOfPatternFlags, unusualMerchantFlags, outOfHoursFlags, cardRoundSumFlags };

export interface RunOptions {
  /** How payees are matched; by default through registration numbers seen in the rows (see \`supplierResolver\`). */
  keyOf?: (payee: Payee) => string | null;
  settings?: CounterFraudSettings;
  /** Supplier keys with a contract on the register; without it the no-contract check is not run. */
  contracted?: ReadonlySet<string>;
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/** Every check over payments read and grouped once, most serious flags first, then by first line. */
export function runChecks(rows: readonly TypedRow[], options: RunOptions = {}): Flag[] {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const set = new PaymentSet(rows, { keyOf: options.keyOf ?? supplierResolver(payeesOf(rows)) });
  const flags = [
    ...duplicatePaymentFlags(set, settings),
    ...splitPurchaseFlags(set, settings),
    ...(options.contracted ? noContractFlags(set, options.contracted, settings) : []),
    ...roundSumFlags(set, settings),
    ...outOfPatternFlags(set, settings),
    ...unusualMerchantFlags(set, settings),
    ...outOfHoursFlags(set, settings),
    ...cardRoundSumFlags(set, settings),
  ];
  return flags.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
}

function* payeesOf(rows: readonly TypedRow[]): Generator<Payee> {
  for (const row of rows) {
    const payee = payeeOf(row);
    if (payee) yield payee;
  }
}
