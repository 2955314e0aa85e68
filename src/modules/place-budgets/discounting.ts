/**
 * HM Treasury Green Book discount rates, kept as data: each edition of the schedule is a version
 * with its source and the dates it applied, so a change of rates (the independent discount-rate
 * review reported on 30 June 2026) is a new entry here, not a code change, and an old case can
 * still be re-run on the rates it was appraised under.
 *
 * The Green Book discounts "real terms" amounts (base-year prices) at the social time preference
 * rate (STPR), 3.5% = 0.5% pure time preference + 1% catastrophic risk + 1 × 2% wealth effect,
 * falling for the distant future. The health rate, 1.5%, leaves out the wealth effect "because
 * utility from extra life-years does not decline as incomes rise".
 */
import type { Arithmetic } from './arithmetic.ts';

/** A rate that applies from `fromYear` until the next band starts (the last band has no end). */
export interface RateBand {
  fromYear: number;
  ratePercent: number;
}

export const SCHEDULES = ['standard', 'health', 'sensitivity'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface RateTable {
  version: string;
  title: string;
  source: string;
  /** ISO year-month the rates took effect; the day was not retrieved. */
  effectiveFrom: string;
  /** Year-month the next version replaced them, or null for the rates in force. */
  effectiveTo: string | null;
  schedules: Partial<Record<ScheduleName, RateBand[]>>;
}

/** Bands for the years "from the current year", the same cut points for every schedule. */
const bands = (...percents: [number, number, number, number, number, number]): RateBand[] =>
  [1, 31, 76, 126, 201, 301].map((fromYear, i) => ({ fromYear, ratePercent: percents[i]! }));

export const RATE_TABLES: readonly RateTable[] = [
  {
    version: 'green-book-2003',
    title: 'The Green Book (2003): declining long-term discount rate',
    source: 'HM Treasury, The Green Book: Appraisal and Evaluation in Central Government (2003), para 2.8.4 and Annex 6',
    effectiveFrom: '2003-01',
    effectiveTo: '2026-02',
    schedules: { standard: bands(3.5, 3.0, 2.5, 2.0, 1.5, 1.0) },
  },
  {
    version: 'green-book-2026',
    title: 'The Green Book (February 2026): standard, health and additional sensitivity-test rates',
    source:
      'HM Treasury Green Book, February 2026 edition, as tabulated in DfT TAG "Forthcoming change: Green Book updates" ' +
      '(gov.uk/government/publications/tag-forthcoming-changes/forthcoming-change-green-book-updates, updated 16 April 2026)',
    effectiveFrom: '2026-02',
    effectiveTo: null,
    schedules: {
      standard: bands(3.5, 3.0, 2.5, 2.0, 1.5, 1.0),
      // Health (QALY and life-risk) effects.
      health: bands(1.5, 1.29, 1.07, 0.86, 0.64, 0.43),
      // The new test with pure time preference at 0%, "for projects with horizons beyond 50 years".
      sensitivity: bands(3.0, 2.57, 2.14, 1.71, 1.29, 0.86),
    },
  },
];

/** The version in force: the one with no end date. */
export const CURRENT_VERSION = RATE_TABLES.find((t) => t.effectiveTo === null)!.version;

export interface Discounting {
  version: string;
  schedule: ScheduleName;
}

/** The bands of a schedule in a version, or null if that version has no such schedule. */
export function rateBands({ version, schedule }: Discounting): RateBand[] | null {
  return RATE_TABLES.find((t) => t.version === version)?.schedules[schedule] ?? null;
}

/** The rate for year t ≥ 1, as a fraction (3.5% is 0.035). */
export function rateForYear<T>(bandsOf: RateBand[], t: number, A: Arithmetic<T>): T {
  const band = bandsOf.findLast((b) => b.fromYear <= t)!;
  return A.div(A.of(band.ratePercent), A.of(100));
}

/**
 * Discount factors for years 0..years−1. Year 0 is not discounted; each later year divides by
 * (1 + its own band's rate), so the factor chains across bands: DF(t) = DF(t−1) / (1 + r(t)).
 * Not (1 + r(t))^−t, which would take year 40's 3.0% back over years 1–30 as well.
 */
export function discountFactors<T>(bandsOf: RateBand[], years: number, A: Arithmetic<T>): T[] {
  const one = A.of(1);
  const factors = [one];
  for (let t = 1; t < years; t++) factors.push(A.div(factors[t - 1]!, A.add(one, rateForYear(bandsOf, t, A))));
  return factors;
}
