import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { appraise, parseCase } from './appraisal.ts';
import { caseInputs, monteCarlo, randomUnit, switchingValues, xoshiro128starstar, type MonteCarloOptions } from './sensitivity.ts';

const adjustments = { deadweight: 0, displacement: 0, attribution: 0, optimismBias: 0 };
const benefit = (fields: Record<string, unknown>) => ({ outcome: 'Outcome', kind: 'fiscal', beneficiary: 'NHS', cashable: false, unitValue: 100, ...adjustments, ...fields });

/** One year, nothing discounted: cost £1,000; benefit 10 × £150 × (1 − 0.2) = £1,200; NPV £200. */
const oneYearJson = {
  name: 'One year',
  years: 1,
  discounting: 'standard',
  costOptimismBias: 0,
  costs: [{ year: 0, amount: 1000, payer: 'Council' }],
  benefits: [benefit({ units: [10], unitValue: 150, deadweight: 0.2 })],
};
const oneYear = parseCase(oneYearJson);

const byInput = (c: Parameters<typeof switchingValues>[0]) => Object.fromEntries(switchingValues(c).map((s) => [s.input, s.switchingValue]));

describe('switching values', () => {
  it('finds where NPV is zero for every input, worked by hand', () => {
    const values = byInput(oneYear);
    expect(values.costOptimismBias).toBeCloseTo(0.2, 12); // 1,000 × (1 + x) = 1,200
    expect(values['costs[0].amount']).toBeCloseTo(1200, 9); // x = 1,200
    expect(values['benefits[0].unitValue']).toBeCloseTo(125, 9); // 10 × x × 0.8 = 1,000
    expect(values['benefits[0].units[0]']).toBeCloseTo(1000 / 120, 9); // x × 150 × 0.8 = 1,000
    expect(values['benefits[0].deadweight']).toBeCloseTo(1 / 3, 12); // 1,500 × (1 − x) = 1,000
    expect(values['benefits[0].displacement']).toBeCloseTo(1 / 6, 12); // 1,200 × (1 − x) = 1,000
    expect(values['benefits[0].attribution']).toBeCloseTo(1 / 6, 12);
    expect(values['benefits[0].optimismBias']).toBeCloseTo(1 / 6, 12);
  });

  it('has none where no allowed value brings NPV to zero', () => {
    const c = parseCase({ ...oneYearJson, benefits: [...oneYearJson.benefits, benefit({ units: [20] })] });
    // The second benefit alone is worth 20 × £100 = £2,000, more than the £1,000 cost: even 100% deadweight on the first leaves NPV at £1,000.
    expect(byInput(c)['benefits[0].deadweight']).toBeNull();
    expect(byInput(c)['costs[0].amount']).toBeCloseTo(3200, 9);
  });

  it('halves its way to the drop-off at which NPV is zero', () => {
    const c = parseCase({
      ...oneYearJson,
      years: 2,
      costs: [{ year: 0, amount: 1500, payer: 'Council' }],
      benefits: [benefit({ firstYearUnits: 10, startYear: 0, durationYears: 2, dropOff: 0.1, unitValue: 100 })],
    });
    // NPV = 1,000 + 1,000 × (1 − d) / 1.035 − 1,500 = 0 ⇒ 1 − d = 0.5 × 1.035 = 0.5175 ⇒ d = 0.4825.
    expect(byInput(c)['benefits[0].dropOff']).toBeCloseTo(0.4825, 10);
  });
});

describe('xoshiro128**', () => {
  it("gives the reference C implementation's outputs, seeded by SplitMix64", () => {
    // From Vigna's xoshiro128starstar.c and splitmix64.c compiled with gcc, state = two splitmix64 outputs, low word first.
    const first6 = (seed: number) => Array.from({ length: 6 }, xoshiro128starstar(seed));
    expect(first6(0)).toEqual([3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774]);
    expect(first6(42)).toEqual([1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222]);
    expect(first6(20260501)).toEqual([3754760030, 4120435983, 177544891, 2374845564, 1222251029, 3524849440]);
  });

  it('draws evenly from [0, 1)', () => {
    const random = randomUnit(7);
    const draws = Array.from({ length: 100_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const tenths = new Array<number>(10).fill(0);
    for (const u of draws) tenths[Math.floor(u * 10)]!++;
    // About 10,000 in each tenth; the standard deviation of a count is √(100,000 × 0.1 × 0.9) ≈ 95.
    for (const count of tenths) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

/** Benefit £1,200 in year 0; cost drawn from a range, so NPV = 1,200 − cost. */
const fixedBenefit = parseCase({ ...oneYearJson, benefits: [benefit({ units: [1], unitValue: 1200 })] });

describe('Monte Carlo', () => {
  it('gives the distribution of NPV when the cost is uniform on £500–£1,500', () => {
    const result = monteCarlo(fixedBenefit, { ranges: [{ input: 'costs[0].amount', distribution: 'uniform', min: 500, max: 1500 }], runs: 20_000, seed: 42 });
    // NPV is uniform on −£300 to £700: mean £200 (standard error 1,000 / √12 / √20,000 ≈ £2), 30% below zero,
    // 5th percentile 700 − 0.95 × 1,000 = −£250, 95th £650.
    expect(Math.abs(result.meanNpv - 20000)).toBeLessThan(1000);
    expect(result.probabilityNegative).toBeCloseTo(0.3, 1);
    expect(Math.abs(result.percentiles.p5 + 25000)).toBeLessThan(1000);
    expect(Math.abs(result.percentiles.p50 - 20000)).toBeLessThan(1500);
    expect(Math.abs(result.percentiles.p95 - 65000)).toBeLessThan(1000);
    expect(result.histogram).toHaveLength(20);
    expect(result.histogram.reduce((n, b) => n + b.count, 0)).toBe(20_000);
    // Each bin is £50 wide and holds about 1,000 runs.
    for (const bin of result.histogram) expect(Math.abs(bin.count - 1000)).toBeLessThan(150);
    expect(result.histogram[0]!.from).toBeGreaterThanOrEqual(-30000);
    expect(result.histogram.at(-1)!.to).toBeLessThanOrEqual(70000);
  });

  it('draws triangular ranges: cost £500–£1,500, most likely £1,000', () => {
    const result = monteCarlo(fixedBenefit, { ranges: [{ input: 'costs[0].amount', distribution: 'triangular', min: 500, mode: 1000, max: 1500 }], runs: 20_000, seed: 1 });
    // P(NPV < 0) = P(cost > 1,200) = (1,500 − 1,200)² / ((1,500 − 500) × (1,500 − 1,000)) = 90,000 / 500,000 = 0.18.
    expect(result.probabilityNegative).toBeCloseTo(0.18, 1);
    expect(Math.abs(result.meanNpv - 20000)).toBeLessThan(1000);
  });

  const employment = parseCase({
    name: 'Employment support',
    years: 4,
    discounting: 'standard',
    costOptimismBias: 0.1,
    costs: [{ year: 0, amount: 10000, payer: 'Council' }, { year: 1, amount: 5000, payer: 'NHS' }],
    benefits: [
      benefit({ beneficiary: 'DWP', unitValue: 9234, units: [0, 2, 2, 2], deadweight: 0.25 }),
      benefit({ kind: 'social', beneficiary: 'Residents', unitValue: 1000, firstYearUnits: 10, startYear: 1, durationYears: 3, dropOff: 0.3 }),
    ],
  });
  const symmetric: MonteCarloOptions = {
    runs: 10_000,
    seed: 20260501,
    ranges: [
      { input: 'benefits[0].deadweight', distribution: 'uniform', min: 0.15, max: 0.35 },
      { input: 'costs[0].amount', distribution: 'triangular', min: 8000, mode: 10000, max: 12000 },
      { input: 'benefits[1].unitValue', distribution: 'uniform', min: 500, max: 1500 },
      { input: 'costOptimismBias', distribution: 'triangular', min: 0, mode: 0.1, max: 0.2 },
    ],
  };

  it('centres on the deterministic NPV when every range is symmetric about the case', () => {
    // NPV is linear in each of these and they are drawn independently, so its mean is the NPV at the ranges' means.
    const deterministic = appraise(employment).npv;
    const result = monteCarlo(employment, symmetric);
    expect(Math.abs(result.meanNpv - deterministic)).toBeLessThan(0.01 * Math.abs(deterministic));
    expect(Math.abs(result.percentiles.p50 - deterministic)).toBeLessThan(0.02 * Math.abs(deterministic));
    const p = Object.values(result.percentiles);
    expect([...p].sort((a, b) => a - b)).toEqual(p);
  });

  it('gives exactly the same run from the same seed, and another from another', () => {
    expect(monteCarlo(employment, symmetric)).toEqual(monteCarlo(employment, symmetric));
    expect(monteCarlo(employment, { ...symmetric, seed: 2 }).meanNpv).not.toBe(monteCarlo(employment, symmetric).meanNpv);
  });

  it('puts every run in one bin when nothing varies', () => {
    const result = monteCarlo(fixedBenefit, { ranges: [{ input: 'costs[0].amount', distribution: 'uniform', min: 800, max: 800 }], runs: 50, seed: 3, bins: 10 });
    expect(result.histogram).toEqual([{ from: 40000, to: 40000, count: 50 }]);
    expect(result.percentiles.p5).toBe(40000);
  });

  it('refuses ranges outside what an input may take, naming the field', () => {
    let fields: Record<string, string> = {};
    try {
      monteCarlo(employment, {
        runs: 0,
        seed: 1,
        ranges: [
          { input: 'benefits[0].deadweight', distribution: 'uniform', min: 0.5, max: 1.5 },
          { input: 'benefits[9].deadweight', distribution: 'uniform', min: 0, max: 1 },
          { input: 'costs[0].amount', distribution: 'triangular', min: 100, mode: 50, max: 200 },
        ],
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      fields = err.fields;
    }
    expect(fields).toEqual({
      runs: 'Runs must be a whole number from 1 to 1,000,000',
      'ranges[0].max': 'The highest value of benefits[0].deadweight must be a number from 0 to 1, not below the lowest',
      'ranges[1].input': '"benefits[9].deadweight" is not an input of this case (like "benefits[0].deadweight" or "costs[1].amount")',
      'ranges[2].mode': 'The most likely value of costs[0].amount must be between the lowest and the highest',
    });
  });

  it('moves two years of one benefit in the same run', () => {
    const inputs = caseInputs(employment);
    const set = (path: string) => inputs.find((i) => i.path === path)!.set;
    const moved = set('benefits[0].units[2]')(set('benefits[0].units[1]')(employment, 5), 7);
    expect(moved.benefits[0]!.profile).toEqual({ units: [0, 5, 7, 2] });
  });
});
