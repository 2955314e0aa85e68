import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { FLOAT } from './arithmetic.ts';
import { appraise, netPresentValue, parseCase, unitsByYear } from './appraisal.ts';

/** A benefit with no adjustments unless the test says otherwise. */
const benefit = (fields: Record<string, unknown>) => ({
  outcome: 'Outcome',
  kind: 'fiscal',
  beneficiary: 'Council',
  cashable: false,
  unitValue: 100,
  deadweight: 0,
  displacement: 0,
  attribution: 0,
  optimismBias: 0,
  ...fields,
});

const baseCase = (fields: Record<string, unknown> = {}) => ({
  name: 'Test case',
  years: 3,
  discounting: { schedule: 'standard' },
  costOptimismBias: 0,
  costs: [{ year: 0, amount: 1000, payer: 'Council' }],
  benefits: [],
  ...fields,
});

/**
 * Coordinated employment support over three years (0–2) at 3.5%:
 * DF(0) = 1, DF(1) = 200/207 = 0.966184, DF(2) = 40000/42849 = 0.933511.
 */
const employmentSupport = baseCase({
  name: 'Coordinated employment support',
  costOptimismBias: 0.1,
  costs: [
    { year: 0, amount: 10000, payer: 'Council' },
    { year: 1, amount: 5000, payer: 'Council' },
    { year: 1, amount: 2000, payer: 'NHS' },
  ],
  benefits: [
    benefit({ outcome: 'Claimant into work', beneficiary: 'DWP', cashable: true, unitValue: 9234, units: [0, 2, 2], deadweight: 0.25, attribution: 0.2 }),
    benefit({ outcome: 'Improved well-being', kind: 'social', beneficiary: 'Residents', unitValue: 1000, firstYearUnits: 10, startYear: 1, durationYears: 2, dropOff: 0.5, displacement: 0.1, optimismBias: 0.2 }),
    benefit({ outcome: 'Fewer GP visits', beneficiary: 'NHS', unitValue: 566, units: [1, 1, 1] }),
  ],
});

describe('appraise', () => {
  it('works out a three-year case as by hand, to the penny', () => {
    const a = appraise(parseCase(employmentSupport));
    // Costs × 1.1 optimism bias: year 0 11,000; year 1 (5,000 + 2,000) × 1.1 × 0.966184 = 7,439.6135.
    expect(a.pvCosts).toBe(1843961); // 18,439.6135
    // DWP: 9,234 × (1 − 0.25) × (1 − 0.2) = 5,540.40 per claimant; 2 a year: 11,080.80 × (0.966184 + 0.933511) = 21,050.1323.
    // Residents: 1,000 × (1 − 0.1) × (1 − 0.2) = 720 a unit; 10 units then 10 × (1 − 0.5) = 5:
    //   7,200 × 0.966184 + 3,600 × 0.933511 = 6,956.5217 + 3,360.6385 = 10,317.1603.
    // NHS: 566 × (1 + 0.966184 + 0.933511) = 1,641.2270.
    expect(a.byKind).toEqual({ fiscal: 2269136, economic: 0, social: 1031716 }); // 21,050.1323 + 1,641.2270 = 22,691.3593
    expect(a.pvCashable).toBe(2105013);
    expect(a.pvBenefits).toBe(3300852); // 21,050.13233 + 10,317.16026 + 1,641.22696 = 33,008.51955
    expect(a.npv).toBe(1456891); // 33,008.51955 − 18,439.61353 = 14,568.90602
    expect(a.bcr).toBe(1.79); // 33,008.51955 / 18,439.61353 = 1.7901
    expect(a.fiscalReturnPerPound).toBe(1.23); // 22,691.3593 / 18,439.6135 = 1.2306
    // Year 0: 566 − 11,000 = −10,434. Year 1: −7,439.6135 + (11,080.80 + 7,200 + 566) × 0.966184 = +10,769.86; cumulative +335.86.
    expect(a.paybackYear).toBe(1);
  });

  it('says who invests and who saves', () => {
    const { byAgency } = appraise(parseCase(employmentSupport));
    // Council pays 11,000 + 5,500 × 0.966184 = 16,314.0097; NHS pays 2,200 × 0.966184 = 2,125.6039 and saves 1,641.2270.
    expect(byAgency).toEqual({
      Council: { pvCosts: 1631401, pvBenefits: 0, net: -1631401 },
      NHS: { pvCosts: 212560, pvBenefits: 164123, net: -48438 }, // 1,641.2270 − 2,125.6039 = −484.3769
      DWP: { pvCosts: 0, pvBenefits: 2105013, net: 2105013 },
      Residents: { pvCosts: 0, pvBenefits: 1031716, net: 1031716 },
    });
    expect(Object.keys(byAgency)).toEqual(['Council', 'NHS', 'DWP', 'Residents']);
  });

  it('drops a first-year figure off year by year, and only while it lasts', () => {
    const c = parseCase(baseCase({ years: 6, benefits: [benefit({ firstYearUnits: 100, startYear: 1, durationYears: 3, dropOff: 0.2 })] }));
    // units(t) = 100 × 0.8^(t − 1) for 1 ≤ t < 4: 0, 100, 80, 64, 0, 0.
    expect(unitsByYear(c.benefits[0]!.profile, 6, FLOAT).map((u) => Number(u.toFixed(10)))).toEqual([0, 100, 80, 64, 0, 0]);
    // PV = 100 × (10,000 × 0.966184 + 8,000 × 0.933511 + 6,400 × 0.901943) = 9,661.8357 + 7,468.0856 + 5,772.4333 = 22,902.3547
    expect(appraise(c).pvBenefits).toBe(2290235);
  });

  it('finds the payback year from cumulative discounted benefits less costs, or none', () => {
    const paying = parseCase(baseCase({ years: 5, benefits: [benefit({ unitValue: 400, units: [0, 1, 1, 1, 1] })] }));
    // Cumulative: −1,000; −1,000 + 386.47 = −613.53; + 373.40 = −240.13; + 360.78 = +120.65 in year 3.
    expect(appraise(paying).paybackYear).toBe(3);
    const never = parseCase(baseCase({ benefits: [benefit({ units: [0, 1, 1] })] }));
    expect(appraise(never).paybackYear).toBeNull();
  });

  it('counts breaking even exactly as paying back, which floating point could miss', () => {
    // Year 0: −1,000; year 1: 1,035 × 200/207 = 1,000 exactly, so the cumulative is 0 in year 1.
    const even = parseCase(baseCase({ years: 2, benefits: [benefit({ unitValue: 1035, units: [0, 1] })] }));
    expect(appraise(even).npv).toBe(0);
    expect(appraise(even).paybackYear).toBe(1);
  });

  it('rounds once, half a penny away from zero, from the exact figure', () => {
    // 10.005 as a double is 10.00499999…; exactly it is half a penny over £10.00, so £10.01.
    const c = parseCase(baseCase({ years: 1, benefits: [benefit({ unitValue: 10.005, units: [1] })] }));
    expect(appraise(c).pvBenefits).toBe(1001);
  });

  it('discounts at the health rate when asked', () => {
    const c = parseCase(baseCase({ years: 2, discounting: 'health', benefits: [benefit({ unitValue: 1015, units: [0, 1] })] }));
    // 1,015 / 1.015 = 1,000.
    expect(appraise(c).pvBenefits).toBe(100000);
    expect(appraise(c).discounting).toMatchObject({ version: 'green-book-2026', schedule: 'health' });
  });

  it('gives the same NPV in floating point, for sensitivity runs', () => {
    const c = parseCase(employmentSupport);
    expect(netPresentValue(c, FLOAT)).toBeCloseTo(14568.906019, 5);
  });
});

/** The field → message map a case is refused with. */
function refusal(raw: unknown): Record<string, string> {
  try {
    parseCase(raw);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('The case was accepted');
}

describe('parseCase refuses bad input, naming the field', () => {
  it('adjustments outside 0–1', () => {
    const fields = refusal(baseCase({ benefits: [benefit({ units: [1] }), benefit({ units: [1] }), benefit({ units: [1], deadweight: 1.2, optimismBias: -0.1 })] }));
    expect(fields).toEqual({
      'benefits[2].deadweight': 'Deadweight must be between 0 and 1 (a share: 0.25 is 25%); it is 1.2',
      'benefits[2].optimismBias': 'The optimism bias on this benefit must be between 0 and 1 (a share: 0.25 is 25%); it is -0.1',
    });
  });

  it('a case with no costs, or none above £0', () => {
    expect(refusal(baseCase({ costs: [] }))).toEqual({ costs: 'A case needs at least one cost' });
    expect(refusal(baseCase({ costs: undefined }))).toEqual({ costs: 'Enter the costs as a list' });
    expect(refusal(baseCase({ costs: [{ year: 0, amount: 0, payer: 'Council' }] })).costs).toMatch(/at least one cost above £0/);
  });

  it('years out of range', () => {
    const fields = refusal(
      baseCase({
        costs: [{ year: 3, amount: 10, payer: 'Council' }],
        benefits: [benefit({ units: [1, 1, 1, 1] }), benefit({ firstYearUnits: 5, startYear: 1, durationYears: 3, dropOff: 0 })],
      }),
    );
    expect(fields).toEqual({
      'costs[0].year': 'The year of the cost must be a whole year from 0 to 2 (the case has 3 years); it is 3',
      'benefits[0].units': 'There are 4 years of units but the case has 3 years (0 to 2)',
      'benefits[1].durationYears': 'The outcome runs to year 3 but the case ends in year 2',
    });
    expect(refusal(baseCase({ years: 0 })).years).toBe('The number of years appraised must be a whole number from 1 to 200; it is 0');
  });

  it('unknown kinds and schedules', () => {
    const fields = refusal(baseCase({ discounting: { schedule: 'treasury' }, benefits: [benefit({ units: [1], kind: 'financial' })] }));
    expect(fields).toEqual({
      'discounting.schedule': 'Unknown discount rate schedule "treasury": use one of standard, health, sensitivity',
      'benefits[0].kind': 'Unknown "financial": enter the kind of benefit, one of fiscal, economic, social',
    });
    expect(refusal(baseCase({ discounting: { version: 'green-book-2003', schedule: 'health' } }))).toEqual({
      'discounting.schedule': 'The green-book-2003 rate table has no health schedule',
    });
  });

  it('negative amounts where not allowed, and pounds beyond the penny', () => {
    const fields = refusal(
      baseCase({
        costOptimismBias: -0.5,
        costs: [{ year: 0, amount: -100, payer: 'Council' }, { year: 0, amount: 10.001, payer: 'Council' }],
        benefits: [benefit({ unitValue: -5, units: [1, -2] })],
      }),
    );
    expect(fields).toEqual({
      costOptimismBias: 'The optimism bias on costs must be 0 or more (0.41 is a 41% uplift); it is -0.5',
      'costs[0].amount': 'The amount in pounds must be pounds and pence, £0 or more (a saving is a benefit); it is -100',
      'costs[1].amount': 'The amount in pounds must be pounds and pence, £0 or more (a saving is a benefit); it is 10.001',
      'benefits[0].unitValue': 'The value of one unit in pounds must be £0 or more; it is -5',
      'benefits[0].units[1]': 'The units in year 1 must be 0 or more; it is -2',
    });
  });

  it('missing and mistyped fields, and both forms of units at once', () => {
    const fields = refusal({
      name: ' ',
      years: '3',
      discounting: 'standard',
      costOptimismBias: 0,
      costs: [{ year: 0, amount: 10 }, 'rent'],
      benefits: [benefit({ kind: 'economic', cashable: true, units: [1] }), benefit({ cashable: 'yes', units: [1], firstYearUnits: 1 }), benefit({})],
    });
    expect(fields).toEqual({
      name: 'Enter the name of the case',
      years: 'Enter the number of years appraised as a number, not "3"',
      'costs[0].payer': 'Enter the agency that pays',
      'costs[1]': 'Each of the costs must be an object { … }',
      'benefits[0].cashable': 'Only a fiscal benefit (a saving to a public agency) can be cashable',
      'benefits[1].cashable': 'Enter whether the saving is cashable as true or false',
      'benefits[1].units': 'Give either units year by year or firstYearUnits with startYear, durationYears and dropOff, not both',
      'benefits[2].units': 'Enter the units of the outcome year by year, like [0, 120, 120], or give firstYearUnits, startYear, durationYears and dropOff',
    });
    expect(refusal([])).toEqual({ case: 'A case must be a JSON object, {"name": …, "years": …, …}' });
  });
});
