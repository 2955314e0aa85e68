import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { TROUBLED_FAMILIES_PHASE_1 as TF } from './frameworks.ts';
import { attachmentFeeFor, checkClaim, describeCondition, frameworkTerms, parseEvidence, parseOutcome, parseParticipant, pseudonym, rateOn, type ClaimContext, type Evidence } from './rules.ts';

const terms = frameworkTerms(TF);
const tariffsOf = (key: string) => terms.tariffs.find((t) => t.outcomeKey === key)!.rates;
const outcome = (key: string) => {
  const o = TF.outcomes.find((x) => x.key === key)!;
  return { key: o.key, name: o.name, conditions: o.conditions, exclusiveWith: o.exclusiveWith };
};
const M = Object.fromEntries(TF.outcomes[0]!.conditions.map((c, i) => [['exclusions', 'absence', 'asb', 'offending'][i], c.measure])) as Record<'exclusions' | 'absence' | 'asb' | 'offending', string>;
const EMPLOYMENT = TF.outcomes[1]!.conditions[0]!.measure;

let n = 0;
const ev = (measure: string, periodStart: string, periodEnd: string, value: string): Evidence => ({ id: `e${++n}`, measure, periodStart, periodEnd, value, source: 'test' });

/** A family attached on 1 October 2012 whose children are back in school and whose ASB and offending fell enough. */
const turnedAround = (): Evidence[] => [
  ev(M.exclusions, '2012-10-01', '2013-09-30', '1'),
  ev(M.absence, '2012-10-01', '2013-09-30', '9.5'),
  ev(M.asb, '2012-04-01', '2012-09-30', '10'),
  ev(M.asb, '2013-04-01', '2013-09-30', '4'),
  ev(M.offending, '2012-04-01', '2012-09-30', '3'),
  ev(M.offending, '2013-04-01', '2013-09-30', '2'),
];

const context = (over: Partial<ClaimContext> = {}): ClaimContext => ({
  outcome: outcome('crime_education'),
  tariffs: tariffsOf('crime_education'),
  participant: { attachedOn: '2012-10-01', criteriaMet: ['youth_crime_asb', 'education', 'out_of_work'] },
  eligibility: { minimum: 3 },
  contract: { startDate: TF.effectiveFrom, endDate: TF.effectiveTo, participantCapPence: TF.participantValuePence, contractCapPence: null },
  evidence: turnedAround(),
  standingClaims: [],
  participantCommittedPence: 320_000,
  contractCommittedPence: 320_000,
  claimDate: '2013-10-15',
  today: '2026-12-02',
  ...over,
});

describe('the Troubled Families phase 1 template', () => {
  it('pays the published attachment fees: 80%, 60% and 40% of £4,000', () => {
    expect(terms.attachmentFees.map((f) => [f.from, f.to, f.pence])).toEqual([
      ['2012-04-01', '2013-03-31', 320_000],
      ['2013-04-01', '2014-03-31', 240_000],
      ['2014-04-01', '2015-03-31', 160_000],
    ]);
  });

  it('reproduces the published year-1 results payments: £700 crime and education, £800 employment, £100 progress to work', () => {
    expect(rateOn(tariffsOf('crime_education'), '2012-04-01')!.pence).toBe(70_000);
    expect(rateOn(tariffsOf('continuous_employment'), '2013-03-31')!.pence).toBe(80_000);
    expect(rateOn(tariffsOf('continuous_employment_jsa'), '2012-07-01')!.pence).toBe(80_000);
    expect(rateOn(tariffsOf('progress_to_work'), '2012-07-01')!.pence).toBe(10_000);
  });

  it('gives years 2 and 3 by the same formula: £1,500 / £2,300 crime and education, £1,600 / £2,400 employment, PTW still £100', () => {
    const by = (key: string) => tariffsOf(key).map((r) => r.pence);
    expect(by('crime_education')).toEqual([70_000, 150_000, 230_000]);
    expect(by('continuous_employment')).toEqual([80_000, 160_000, 240_000]);
    expect(by('progress_to_work')).toEqual([10_000, 10_000, 10_000]);
  });

  it('never pays more than £4,000 for a family in any year, whichever results it earns', () => {
    for (const [i, fee] of terms.attachmentFees.entries()) {
      const rate = (k: string) => tariffsOf(k)[i]!.pence;
      expect(fee.pence + rate('crime_education') + rate('progress_to_work')).toBe(400_000);
      expect(fee.pence + rate('continuous_employment')).toBe(400_000);
    }
  });

  it('keeps its source on every fee and tariff, and no rate outside the programme’s years', () => {
    for (const r of [...terms.attachmentFees, ...terms.tariffs.flatMap((t) => t.rates)]) expect(r.source).toMatch(/Financial Framework/);
    expect(rateOn(terms.attachmentFees, '2015-04-01')).toBeUndefined();
    expect(rateOn(terms.attachmentFees, '2012-03-31')).toBeUndefined();
  });

  it('lists employment as replacing the other results, both ways', () => {
    for (const o of TF.outcomes) for (const other of o.exclusiveWith) expect(TF.outcomes.find((x) => x.key === other)!.exclusiveWith).toContain(o.key);
  });
});

describe('checking a claim', () => {
  it('accepts a turned-around family at the year-1 rate, with the evidence it rests on', () => {
    const result = checkClaim(context());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.amountPence).toBe(70_000);
    expect(result.trail.map((t) => [t.role, t.measure])).toEqual([
      ['measurement', M.exclusions],
      ['measurement', M.absence],
      ['baseline', M.asb],
      ['measurement', M.asb],
      ['baseline', M.offending],
      ['measurement', M.offending],
    ]);
  });

  it('pays by the year the family was attached, not the year of the claim', () => {
    const result = checkClaim(context({ participant: { attachedOn: '2013-04-01', criteriaMet: ['a', 'b', 'c'] }, evidence: [], claimDate: '2014-06-01' }));
    expect(result.ok).toBe(false);
    const later = checkClaim(
      context({
        participant: { attachedOn: '2013-04-01', criteriaMet: ['a', 'b', 'c'] },
        evidence: [
          ev(M.exclusions, '2013-04-01', '2014-03-31', '0'),
          ev(M.absence, '2013-04-01', '2014-03-31', '3'),
          ev(M.asb, '2012-10-01', '2013-03-31', '0'),
          ev(M.asb, '2013-10-01', '2014-03-31', '0'),
          ev(M.offending, '2012-10-01', '2013-03-31', '6'),
          ev(M.offending, '2013-10-01', '2014-03-31', '4'),
        ],
        participantCommittedPence: 240_000,
        claimDate: '2014-04-10',
      }),
    );
    expect(later).toMatchObject({ ok: true, amountPence: 150_000 });
  });

  it('refuses a claim without evidence, naming every measure and its window', () => {
    const result = checkClaim(context({ evidence: [] }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(['evidence']);
    for (const measure of Object.values(M)) expect(result.errors.evidence).toContain(`No evidence of “${measure}”`);
    expect(result.errors.evidence).toContain('(rule: measurement window)');
  });

  it('refuses when a threshold is missed, saying what was measured and what was needed', () => {
    const evidence = turnedAround().map((e) => (e.measure === M.absence ? { ...e, value: '15' } : e));
    const result = checkClaim(context({ evidence }));
    expect(result).toEqual({
      ok: false,
      errors: { evidence: `“${M.absence}” was 15 from 2012-10-01 to 2013-09-30: the result needs a value that is below 15 (rule: threshold).` },
    });
  });

  it('measures a reduction against the baseline exactly: 60% of 10 is met by 4, not by 5; 33% of 3 is met by 2', () => {
    const withAsb = (v: string) => turnedAround().map((e) => (e.measure === M.asb && e.periodStart === '2013-04-01' ? { ...e, value: v } : e));
    expect(checkClaim(context({ evidence: withAsb('4') })).ok).toBe(true);
    const missed = checkClaim(context({ evidence: withAsb('5') }));
    expect(missed.ok).toBe(false);
    if (!missed.ok) expect(missed.errors.evidence).toBe(`“${M.asb}” went from 10 to 5: that is not a fall of at least 60% (rule: threshold).`);
  });

  it('counts a baseline of none as met only while it stays at none', () => {
    const noOffending = (after: string) =>
      turnedAround().map((e) => (e.measure === M.offending ? { ...e, value: e.periodStart === '2012-04-01' ? '0' : after } : e));
    expect(checkClaim(context({ evidence: noOffending('0') })).ok).toBe(true);
    expect(checkClaim(context({ evidence: noOffending('1') })).ok).toBe(false);
  });

  it('needs a baseline from before attachment, of exactly the baseline window', () => {
    const shortBaseline = turnedAround().map((e) => (e.measure === M.asb && e.periodStart === '2012-04-01' ? { ...e, periodStart: '2012-05-01' } : e));
    const result = checkClaim(context({ evidence: shortBaseline }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.evidence).toBe(`No baseline evidence of “${M.asb}” covering exactly 6 months before attachment on 2012-10-01 (rule: baseline window).`);
  });

  it('does not count evidence that ends after the claim date, or that began before attachment', () => {
    expect(checkClaim(context({ claimDate: '2013-09-29' })).ok).toBe(false);
    const early = turnedAround().map((e) => (e.measure === M.exclusions ? { ...e, periodStart: '2012-09-30' } : e));
    expect(checkClaim(context({ evidence: early })).ok).toBe(false);
  });

  it('needs employment to last the whole window: 6 months, or 3 on JSA', () => {
    const employed = (end: string) => [ev(EMPLOYMENT, '2013-01-07', end, '6')];
    const six = { outcome: outcome('continuous_employment'), tariffs: tariffsOf('continuous_employment') };
    expect(checkClaim(context({ ...six, evidence: employed('2013-07-06') }))).toMatchObject({ ok: true, amountPence: 80_000 });
    expect(checkClaim(context({ ...six, evidence: employed('2013-07-05') })).ok).toBe(false);
    const jsa = { outcome: outcome('continuous_employment_jsa'), tariffs: tariffsOf('continuous_employment_jsa') };
    expect(checkClaim(context({ ...jsa, evidence: [ev(EMPLOYMENT, '2013-01-07', '2013-04-06', '3')] })).ok).toBe(true);
  });

  it('refuses a second claim for the same result', () => {
    const result = checkClaim(context({ standingClaims: [{ outcomeKey: 'crime_education', outcomeName: 'Education, and crime and anti-social behaviour' }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.outcomeId).toContain('(rule: no double claim)');
  });

  it('refuses crime and education once employment has been claimed, since employment replaces it', () => {
    const result = checkClaim(context({ standingClaims: [{ outcomeKey: 'continuous_employment', outcomeName: 'Continuous employment' }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.outcomeId).toBe('“Continuous employment” has been claimed for this participant, and it cannot be paid as well as “Education, and crime and anti-social behaviour” (rule: results that replace each other).');
  });

  it('holds a participant to the cap and the contract to its cap', () => {
    const overParticipant = checkClaim(context({ participantCommittedPence: 340_000 }));
    expect(overParticipant.ok).toBe(false);
    if (!overParticipant.ok) expect(overParticipant.errors.outcomeId).toBe('Paying £700.00 would take this participant to £4,100.00, over the cap of £4,000.00 per participant (rule: participant cap).');
    expect(checkClaim(context({ participantCommittedPence: 330_000 })).ok).toBe(true);
    const contract = { ...context().contract, contractCapPence: 1_000_000 };
    expect(checkClaim(context({ contract, contractCommittedPence: 930_000 })).ok).toBe(true);
    const overContract = checkClaim(context({ contract, contractCommittedPence: 930_001 }));
    expect(overContract.ok).toBe(false);
    if (!overContract.ok) expect(overContract.errors.outcomeId).toContain('(rule: contract cap)');
  });

  it('refuses an ineligible participant, a claim before attachment or in the future, and a family attached outside the tariffs', () => {
    const ineligible = checkClaim(context({ participant: { attachedOn: '2012-10-01', criteriaMet: ['education', 'out_of_work'] } }));
    expect(ineligible.ok === false && ineligible.errors.eligibility).toBe('The participant meets 2 of the criteria; the contract needs 3 (rule: eligibility).');
    const early = checkClaim(context({ claimDate: '2012-09-01' }));
    expect(early.ok === false && early.errors.claimDate).toBe('The claim date must be on or after the participant was attached (2012-10-01).');
    const future = checkClaim(context({ claimDate: '2027-01-01' }));
    expect(future.ok === false && future.errors.claimDate).toBe('The claim date cannot be after today.');
    const bad = checkClaim(context({ claimDate: '2013-02-30' }));
    expect(bad.ok === false && bad.errors.claimDate).toBe('Enter the claim date as a real date, like 2013-06-30');
    const outside = checkClaim(context({ participant: { attachedOn: '2015-06-01', criteriaMet: ['a', 'b', 'c'] }, claimDate: '2016-01-01' }));
    expect(outside.ok === false && outside.errors.outcomeId).toContain('No tariff for');
  });
});

describe('attaching a participant', () => {
  const contract = { startDate: TF.effectiveFrom, endDate: TF.effectiveTo, cohortLimit: 3, contractCapPence: 1_000_000 };
  const attach = (over: Partial<Parameters<typeof attachmentFeeFor>[0]> = {}) =>
    attachmentFeeFor({ attachedOn: '2013-04-01', contract, fees: terms.attachmentFees, attached: 0, contractCommittedPence: 0, ...over });
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as ValidationError).fields.attachedOn;
    }
    return null;
  };

  it('charges the fee of the year they join, and none where the contract sets no fee', () => {
    expect(attach()).toBe(240_000);
    expect(attach({ attachedOn: '2013-03-31' })).toBe(320_000);
    expect(attach({ fees: [] })).toBe(0);
  });

  it('refuses outside the contract, a full cohort, and a fee over the contract cap', () => {
    expect(refusal(() => attach({ attachedOn: '2015-04-01' }))).toBe('Participants can be attached from 2012-04-01 to 2015-03-31, while the contract runs');
    expect(refusal(() => attach({ attached: 3 }))).toBe('The cohort is full: the contract takes 3 participants (rule: cohort size)');
    expect(attach({ contractCommittedPence: 760_000 })).toBe(240_000);
    expect(refusal(() => attach({ contractCommittedPence: 760_001 }))).toBe('The attachment fee of £2,400.00 would take the contract to £10,000.01, over its cap of £10,000.00 (rule: contract cap)');
    expect(refusal(() => attach({ fees: terms.attachmentFees.slice(0, 1) }))).toBe('No attachment fee is set for 2013-04-01: the contract’s fees cover 2012-04-01 to 2013-03-31');
  });
});

describe('input', () => {
  const expectFields = (fn: () => unknown, fields: string[]) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect(Object.keys((err as ValidationError).fields)).toEqual(fields);
      return;
    }
    throw new Error('expected a ValidationError');
  };

  it('takes a participant with enough criteria, and refuses one with too few', () => {
    const eligibility = TF.eligibility;
    expect(parseParticipant({ name: 'Family A', caseReference: 'TF/1', attachedOn: '2012-10-01', criteriaMet: ['education', 'out_of_work', 'high_cost'] }, eligibility)).toEqual({
      name: 'Family A',
      caseReference: 'TF/1',
      attachedOn: '2012-10-01',
      criteriaMet: ['education', 'out_of_work', 'high_cost'],
    });
    expectFields(() => parseParticipant({ name: '', attachedOn: '2012-13-01', criteriaMet: ['education', 'nonsense'] }, eligibility), ['name', 'attachedOn', 'criteriaMet']);
  });

  it('takes evidence only for the contract’s measures, with a period, a value and a source', () => {
    expect(parseEvidence({ measure: 'ASB', periodStart: '2013-01-01', periodEnd: '2013-06-30', value: '2.5', source: 'Police ASB log' }, ['ASB'], '2026-12-02').value).toBe('2.5');
    expectFields(() => parseEvidence({ measure: 'Other', periodStart: '2013-07-01', periodEnd: '2013-06-30', value: '-1', source: '' }, ['ASB'], '2026-12-02'), ['measure', 'periodEnd', 'value', 'source']);
    expectFields(() => parseEvidence({ measure: 'ASB', periodStart: '2026-12-01', periodEnd: '2026-12-03', value: '1', source: 'Police' }, ['ASB'], '2026-12-02'), ['periodEnd']);
  });

  it('needs a baseline window for a reduction, and a tariff and source for every outcome', () => {
    const good = { name: 'Fewer evictions', measure: 'Eviction notices', test: 'reduction_at_least', threshold: '50', baselineMonths: '6', measurementMonths: '6', tariff: '1,200', source: 'Contract schedule 2' };
    expect(parseOutcome(good)).toMatchObject({ tariffPence: 120_000, condition: { test: 'reduction_at_least', baselineMonths: 6, measurementMonths: 6 } });
    expectFields(() => parseOutcome({ ...good, baselineMonths: '', tariff: '0', source: '' }), ['baselineMonths', 'tariff', 'source']);
    expect(parseOutcome({ ...good, test: 'at_least', baselineMonths: '', measurementMonths: '' }).condition).toMatchObject({ baselineMonths: null, measurementMonths: null });
  });
});

describe('words', () => {
  it('describes conditions and pseudonyms plainly', () => {
    expect(describeCondition(TF.outcomes[0]!.conditions[2]!)).toBe('Anti-social behaviour incidents across the family falls by at least 60% over 6 months after attachment, against the 6 months before attachment');
    expect(pseudonym('TF', 7)).toBe('TF-0007');
  });
});
