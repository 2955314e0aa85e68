/**
 * The counter-fraud checks over a council's Transparency Code rows, all at
 * once or one by one. Each flag is a lead for an officer, never a finding:
 * it says in plain words what was seen and which lines show it.
 */
import type { TypedRow } from './read.ts';
import { findDuplicatePayments } from './check-duplicates.ts';
import { findSplitPurchases } from './check-splits.ts';
import { findSpendWithoutContract } from './check-contracts.ts';
import { findOutOfPattern, findRoundSums } from './check-amounts.ts';
import { findCardOutOfHours, findCardRoundSums, findUnusualMerchants } from './check-card.ts';
import { DEFAULT_SETTINGS, type CounterFraudSettings } from './settings.ts';
import { payeeOf, supplierResolver, type Payee } from './suppliers.ts';
import type { CheckOptions, Flag } from './payments.ts';

export type { CheckName, CheckOptions, Flag } from './payments.ts';
export { findDuplicatePayments, findSplitPurchases, findSpendWithoutContract, findOutOfPattern, findRoundSums, findCardOutOfHours, findCardRoundSums, findUnusualMerchants };

export interface RunOptions extends CheckOptions {
  settings?: CounterFraudSettings;
  /** Supplier keys with a contract on the register; without it the no-contract check is not run. */
  contracted?: ReadonlySet<string>;
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/** Every check, most serious flags first, then by first line. Suppliers are matched through registration numbers seen in the rows. */
export function runChecks(rows: readonly TypedRow[], options: RunOptions = {}): Flag[] {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const check: CheckOptions = { keyOf: options.keyOf ?? supplierResolver(payeesOf(rows)) };
  const flags = [
    ...findDuplicatePayments(rows, settings, check),
    ...findSplitPurchases(rows, settings, check),
    ...(options.contracted ? findSpendWithoutContract(rows, options.contracted, settings, check) : []),
    ...findRoundSums(rows, settings, check),
    ...findOutOfPattern(rows, settings, check),
    ...findUnusualMerchants(rows, settings, check),
    ...findCardOutOfHours(rows, settings, check),
    ...findCardRoundSums(rows, settings, check),
  ];
  return flags.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
}

function* payeesOf(rows: readonly TypedRow[]): Generator<Payee> {
  for (const row of rows) {
    const payee = payeeOf(row);
    if (payee) yield payee;
  }
}
