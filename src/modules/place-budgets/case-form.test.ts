import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { caseFromForm, formField, formFromCase } from './case-form.ts';
import type { UnitCost } from './unit-costs.ts';

const CRIME: UnitCost = { code: 'CR1.0', sheet: 'Crime', category: 'Crime', detail: 'Anti-social behaviour', description: 'Incident', unit: 'Per incident', fiscalCost: 67_300, agency: 'Police', agencyDetail: null, priceYear: '2013/14' };
const lookup = (code: string) => (code.toLowerCase() === 'cr1.0' ? CRIME : undefined);

const FORM = {
  title: 'Street triage',
  years: '3',
  schedule: 'health',
  costOptimismBias: '0.1',
  uncertainty: '15',
  seed: '42',
  cost2Year: '0',
  cost2Amount: '12,000.50',
  cost2Payer: 'Police',
  benefit1Outcome: 'Fewer incidents',
  benefit1Kind: 'fiscal',
  benefit1Cashable: 'yes',
  benefit1UnitCode: 'cr1.0',
  benefit1FirstYearUnits: '40',
  benefit1StartYear: '1',
  benefit1DurationYears: '2',
  benefit1DropOff: '0.5',
  benefit1Deadweight: '0.2',
  benefit1Displacement: '0',
  benefit1Attribution: '0',
  benefit1OptimismBias: '0',
};

const errorsOf = (raw: Record<string, string>) => {
  try {
    caseFromForm(raw, lookup);
    return {};
  } catch (err) {
    return (err as ValidationError).fields;
  }
};

describe('a business case from its web form', () => {
  it('becomes the documented JSON form, skipping empty rows and taking unit values from the database', () => {
    const { body, parsed, settings } = caseFromForm(FORM, lookup);
    expect(body).toEqual({
      name: 'Street triage',
      years: 3,
      discounting: { schedule: 'health' },
      costOptimismBias: 0.1,
      costs: [{ year: 0, amount: 12000.5, payer: 'Police' }],
      benefits: [{ outcome: 'Fewer incidents', kind: 'fiscal', cashable: true, unitCode: 'CR1.0', unitValue: 673, beneficiary: 'Police', firstYearUnits: 40, startYear: 1, durationYears: 2, dropOff: 0.5, deadweight: 0.2, displacement: 0, attribution: 0, optimismBias: 0 }],
    });
    expect(parsed.benefits[0]!.profile).toEqual({ firstYearUnits: 40, startYear: 1, durationYears: 2, dropOff: 0.5 });
    expect(settings).toEqual({ title: 'Street triage', uncertainty: 15, seed: 42 });
  });

  it('keeps a unit value typed in over the database’s', () => {
    expect(caseFromForm({ ...FORM, benefit1UnitValue: '500' }, lookup).body.benefits).toEqual([expect.objectContaining({ unitValue: 500, unitCode: 'CR1.0' })]);
  });

  it('names the field typed in for each mistake: adjustments outside 0–1, no costs, an unknown code', () => {
    const { cost2Year: _y, cost2Amount: _a, cost2Payer: _p, ...noCosts } = FORM;
    expect(errorsOf({ ...noCosts, benefit1Deadweight: '-0.1', benefit1Attribution: '2', uncertainty: '101' })).toEqual({
      uncertainty: 'Enter the uncertainty as a whole percentage from 0 to 100',
      cost0Amount: 'A case needs at least one cost',
      benefit1Deadweight: 'Deadweight must be between 0 and 1 (a share: 0.25 is 25%); it is -0.1',
      benefit1Attribution: 'Attribution must be between 0 and 1 (a share: 0.25 is 25%); it is 2',
    });
    expect(errorsOf({ ...FORM, benefit1UnitCode: 'XX9', cost2Amount: 'lots' })).toMatchObject({ benefit1UnitCode: expect.stringMatching(/no unit cost with the code XX9/), cost2Amount: 'Enter the amount in pounds as a number, not "lots"' });
    expect(errorsOf({ ...FORM, title: '' })).toEqual({ title: 'Enter the name of the case' });
  });

  it('maps JSON paths to the rows typed in', () => {
    expect(formField('costs[1].payer', [2, 4], [])).toBe('cost4Payer');
    expect(formField('benefits[0].units', [], [3])).toBe('benefit3FirstYearUnits');
    expect(formField('discounting.schedule', [], [])).toBe('schedule');
    expect(formField('name', [], [])).toBe('title');
  });

  it('goes back into the form for editing', () => {
    const { body, settings } = caseFromForm(FORM, lookup);
    const again = formFromCase(body, settings);
    expect(again).toMatchObject({ title: 'Street triage', years: '3', schedule: 'health', cost0Amount: '12000.5', benefit0UnitCode: 'CR1.0', benefit0Cashable: 'yes', benefit0DropOff: '0.5', seed: '42' });
    expect(caseFromForm(again, lookup).body).toEqual(body);
  });
});
