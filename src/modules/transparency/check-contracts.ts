/**
 * Spend with no contract: a supplier paid more than the contract threshold
 * over a financial year (1 April to 31 March, the council's accounting year)
 * with no contract on the council's register. The register is the caller's:
 * a set of supplier keys (see `supplierKey`) known to have contracts.
 */
import { financialYearOf } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';
import type { TypedRow } from './read.ts';
import { DEFAULT_SETTINGS, versionOn, type CounterFraudSettings } from './settings.ts';
import { bySupplier, linesOf, longDate, money, PaymentSet, type CheckOptions, type Flag, type Payment } from './payments.ts';
import { classifySupplier } from './suppliers.ts';

export function findSpendWithoutContract(rows: readonly TypedRow[], contracted: ReadonlySet<string>, settings: CounterFraudSettings = DEFAULT_SETTINGS, options: CheckOptions = {}): Flag[] {
  return noContractFlags(new PaymentSet(rows, options), contracted, settings);
}

export function noContractFlags(set: PaymentSet, contracted: ReadonlySet<string>, settings: CounterFraudSettings): Flag[] {
  // Undated payments belong to no year, and a withheld payee cannot be looked up on a register.
  const payments = set.all.filter((p) => p.date !== null && p.key !== null && !p.key.startsWith('withheld:') && !contracted.has(p.key));
  const flags: Flag[] = [];
  for (const [key, supplierPayments] of bySupplier(payments)) {
    for (const [startYear, year] of byFinancialYear(supplierPayments)) {
      const net = year.reduce((sum, p) => sum + p.amountPence, 0);
      const version = versionOn(settings.contractThreshold, year[0]!.date!);
      if (version === null || net <= version.value) continue;
      flags.push(noContractFlag(key, year, net, startYear, version.value, version.source));
    }
  }
  return flags;
}

function byFinancialYear(payments: readonly Payment[]): Map<number, Payment[]> {
  const years = new Map<number, Payment[]>();
  for (const p of payments) {
    const year = financialYearOf(p.date!);
    const list = years.get(year);
    if (list) list.push(p);
    else years.set(year, [p]);
  }
  return years;
}

/** The calendar year in which the financial year holding this date began. */

function noContractFlag(key: string, year: Payment[], net: Pence, startYear: number, threshold: Pence, source: string): Flag {
  const name = year[0]!.name;
  // Councils pay other public bodies under agreements and statute more often than under contracts.
  const publicBody = key.startsWith('name:') && classifySupplier({ name, redacted: false }).kind === 'public-body';
  const first = year[0]!.date!;
  const last = year.at(-1)!.date!;
  const span = first === last ? `on ${longDate(first)}` : `${longDate(first)} to ${longDate(last)}`;
  return {
    check: 'no-contract', severity: publicBody ? 'low' : 'medium', lines: linesOf(year), amountPence: net,
    explanation: `${name} was paid ${money(net)} net in the financial year ${startYear}–${String(startYear + 1).slice(2)} (${year.length} ${year.length === 1 ? 'payment' : 'payments'}, ${span}), over the ${money(threshold)} contract threshold (${source}), and no contract with them is on the register.${publicBody ? ' It looks like a public body, which may be paid under an agreement instead.' : ''}`,
  };
}
