import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { grantDiversity, grantGroups, isLate, missingFromDraft, organisationIdentifier, panelSummary, parseAssessment, parseCriteria, parseProgramme, weightedTotal, type Criterion } from './rules.ts';

const WARD = '11111111-1111-4111-8111-111111111111';
const OTHER_WARD = '22222222-2222-4222-8222-222222222222';
const programme = {
  eligibility: { organisationTypes: ['charity' as const, 'voluntary_community' as const], wardIds: [WARD], maxAnnualIncomePence: 25_000_00 },
  minAmountPence: 500_00,
  maxAmountPence: 5_000_00,
};
const complete = { title: 'Lunch club', summary: 'Hot lunches twice a week for isolated older residents.', amountRequestedPence: 2_500_00, wardId: WARD, annualIncomePence: 18_000_00 };

describe('a programme as an officer sets it out', () => {
  const good = { title: 'Equality and cohesion fund', prospectus: 'Small grants for work that brings neighbours together.', minAmount: '500', maxAmount: '5,000', deadline: '2027-03-31', criteria: 'Need | 2\nDifference it makes', organisationTypes: ['charity'], wardIds: WARD, maxAnnualIncome: '25,000' };

  it('reads amounts in pence, eligibility rules and weighted criteria', () => {
    const p = parseProgramme(good, [WARD]);
    expect(p.minAmountPence).toBe(50_000);
    expect(p.maxAmountPence).toBe(500_000);
    expect(p.eligibility).toEqual({ organisationTypes: ['charity'], wardIds: [WARD], maxAnnualIncomePence: 2_500_000 });
    expect(p.criteria).toEqual([{ key: 'c1', title: 'Need', weight: 2 }, { key: 'c2', title: 'Difference it makes', weight: 1 }]);
    expect(p.scoreMax).toBe(5);
  });

  it('names every field that is wrong', () => {
    expect(fieldsOf(() => parseProgramme({ ...good, title: '', minAmount: '6000', deadline: '31/03/2027', organisationTypes: ['toString'], wardIds: OTHER_WARD, criteria: 'Need | 0', scoreMax: '11' }, [WARD]))).toEqual({
      title: expect.any(String),
      maxAmount: 'The largest grant must be at least the smallest',
      deadline: expect.stringContaining('YYYY-MM-DD'),
      organisationTypes: expect.any(String),
      wardIds: expect.any(String),
      criteria: expect.any(String),
      scoreMax: expect.any(String),
    });
  });

  it('refuses criteria with a weight that is not a whole number from 1 to 10', () => {
    expect(parseCriteria('Need | 2.5')).toBeNull();
    expect(parseCriteria('Need | 11')).toBeNull();
    expect(parseCriteria('   ')).toBeNull();
  });
});

describe('eligibility: what a draft still lacks', () => {
  it('a complete draft from an eligible organisation lacks nothing', () => {
    expect(missingFromDraft(programme, complete, { type: 'charity' })).toEqual({});
  });

  it('says which organisation types, wards and income band the programme is for', () => {
    expect(missingFromDraft(programme, { ...complete, wardId: OTHER_WARD, annualIncomePence: 25_000_01 }, { type: 'private_company' })).toEqual({
      organisationId: 'This programme is not open to a private company',
      wardId: 'This programme funds work in other wards',
      annualIncome: 'This programme is for organisations with an income of £25,000 or less',
    });
  });

  it('an income exactly at the top of the band is eligible', () => {
    expect(missingFromDraft(programme, { ...complete, annualIncomePence: 25_000_00 }, { type: 'charity' })).toEqual({});
  });

  it('lists each gap of an empty draft', () => {
    expect(Object.keys(missingFromDraft(programme, { title: null, summary: null, amountRequestedPence: null, wardId: null, annualIncomePence: null }, { type: 'charity' }))).toEqual(['title', 'summary', 'amountRequested', 'wardId', 'annualIncome']);
  });

  it('holds the amount to the programme’s range, both ends included', () => {
    expect(missingFromDraft(programme, { ...complete, amountRequestedPence: 500_00 }, { type: 'charity' })).toEqual({});
    expect(missingFromDraft(programme, { ...complete, amountRequestedPence: 5_000_00 }, { type: 'charity' })).toEqual({});
    expect(missingFromDraft(programme, { ...complete, amountRequestedPence: 5_000_01 }, { type: 'charity' })).toEqual({ amountRequested: 'Ask for between £500 and £5,000' });
  });

  it('a programme with no restrictions takes any organisation anywhere', () => {
    const open = { ...programme, eligibility: { organisationTypes: [], wardIds: [], maxAnnualIncomePence: null } };
    expect(missingFromDraft(open, { ...complete, wardId: null, annualIncomePence: null }, { type: 'private_company' })).toEqual({});
  });

  it('counts the deadline day itself as open', () => {
    expect(isLate('2027-03-31', '2027-03-31')).toBe(false);
    expect(isLate('2027-03-31', '2027-04-01')).toBe(true);
  });
});

describe('scoring', () => {
  const criteria: Criterion[] = [{ key: 'c1', title: 'Need', weight: 2 }, { key: 'c2', title: 'Value', weight: 1 }];

  it('weights each score and refuses scores off the scale', () => {
    const a = parseAssessment({ 'score-c1': '4', 'score-c2': '3' }, criteria, 5);
    expect(weightedTotal(criteria, a.scores)).toBe(11);
    expect(fieldsOf(() => parseAssessment({ 'score-c1': '6', 'score-c2': '2.5' }, criteria, 5))).toEqual({
      'score-c1': 'Score “Need” as a whole number from 0 to 5',
      'score-c2': 'Score “Value” as a whole number from 0 to 5',
    });
  });

  it('a declared conflict scores nothing and needs saying what it is', () => {
    expect(parseAssessment({ conflict: 'yes', conflictNote: 'I am a trustee', 'score-c1': '5' }, criteria, 5)).toEqual({ conflict: true, conflictNote: 'I am a trustee', scores: {}, comment: null });
    expect(fieldsOf(() => parseAssessment({ conflict: 'yes' }, criteria, 5))).toEqual({ conflictNote: 'Say what the conflict of interest is' });
  });

  it('the panel’s mean leaves out those with a conflict', () => {
    const summary = panelSummary(criteria, [
      { conflict: false, scores: { c1: 4, c2: 3 } }, // 11
      { conflict: false, scores: { c1: 5, c2: 0 } }, // 10
      { conflict: false, scores: { c1: 2, c2: 2 } }, // 6
      { conflict: true, scores: {} },
    ]);
    expect(summary).toEqual({ scored: 3, conflicts: 1, meanTotal: 9, meanByCriterion: { c1: 3.7, c2: 1.7 } });
    expect(panelSummary(criteria, []).meanTotal).toBeNull();
  });
});

describe('360Giving organisation identifiers', () => {
  it('uses the register that issued the number', () => {
    expect(organisationIdentifier({ charityNumber: '1123456', companyNumber: '05555555' }, 'x')).toBe('GB-CHC-1123456');
    expect(organisationIdentifier({ charityNumber: 'SC012345', companyNumber: null }, 'x')).toBe('GB-SC-SC012345');
    expect(organisationIdentifier({ charityNumber: 'NIC100123', companyNumber: null }, 'x')).toBe('GB-NIC-100123');
    expect(organisationIdentifier({ charityNumber: null, companyNumber: 'ip00525r' }, 'x')).toBe('GB-COH-IP00525R');
    expect(organisationIdentifier({ charityNumber: null, companyNumber: null }, '360G-coproduce-lambeth-org-1')).toBe('360G-coproduce-lambeth-org-1');
  });
});

describe('diversity of grant funding', () => {
  const lambeth = { authorityCode: 'E09000022', wardCodes: new Set(['E05014094', 'E05014095']) };
  const recipient = { organisationType: null, recipientId: '360G-x-org-1', charityNumber: null, postcodeAuthorityCode: null, locationCodes: [] };

  it('counts a grant made here by the organisation’s type, and an imported one by its identifiers', () => {
    expect(grantGroups({ ...recipient, organisationType: 'charity' }, lambeth)).toEqual(['vcs']);
    expect(grantGroups({ ...recipient, organisationType: 'cooperative', charityNumber: '1234567' }, lambeth)).toEqual(['social_enterprise']);
    expect(grantGroups({ ...recipient, organisationType: 'public_service_mutual' }, lambeth)).toEqual(['mutual']);
    expect(grantGroups({ ...recipient, organisationType: 'private_company' }, lambeth)).toEqual([]);
    expect(grantGroups({ ...recipient, recipientId: 'GB-CHC-1094387' }, lambeth)).toEqual(['vcs']);
    expect(grantGroups({ ...recipient, recipientId: 'gb-sc-SC012345' }, lambeth)).toEqual(['vcs']);
    expect(grantGroups({ ...recipient, charityNumber: '1094387' }, lambeth)).toEqual(['vcs']);
    expect(grantGroups({ ...recipient, recipientId: 'GB-MPR-12345R' }, lambeth)).toEqual(['social_enterprise']);
    // A company number says nothing of purpose.
    expect(grantGroups({ ...recipient, recipientId: 'GB-COH-01234567' }, lambeth)).toEqual([]);
  });

  it('is local when the recipient is in the authority or the grant benefits it or one of its wards', () => {
    expect(grantGroups({ ...recipient, postcodeAuthorityCode: 'E09000022' }, lambeth)).toEqual(['local']);
    expect(grantGroups({ ...recipient, postcodeAuthorityCode: 'E09000028' }, lambeth)).toEqual([]);
    expect(grantGroups({ ...recipient, locationCodes: ['E05014095'] }, lambeth)).toEqual(['local']);
    expect(grantGroups({ ...recipient, locationCodes: ['E09000022'] }, lambeth)).toEqual(['local']);
    expect(grantGroups({ ...recipient, locationCodes: ['E05000001', 'E01003000'] }, lambeth)).toEqual([]);
    // An authority with no GSS code matches nothing by a missing code.
    expect(grantGroups({ ...recipient, postcodeAuthorityCode: null }, { authorityCode: null, wardCodes: new Set() })).toEqual([]);
  });

  it('adds grants and money by year and programme, and what each group won', () => {
    const { rows, totals } = grantDiversity([
      { awardDate: '2025-06-01', programme: 'Cohesion fund', amountPence: 1_000_00, groups: ['vcs', 'local'] },
      { awardDate: '2025-07-01', programme: 'Cohesion fund', amountPence: 3_000_00, groups: [] },
      { awardDate: '2026-01-10', programme: 'Capacity fund', amountPence: 2_500_00, groups: ['social_enterprise'] },
      { awardDate: '2026-02-10', programme: 'Cohesion fund', amountPence: 500_00, groups: ['local'] },
    ]);
    expect(rows.map((r) => [r.year, r.programme, r.grants, r.amountPence])).toEqual([
      ['2026', 'Capacity fund', 1, 2_500_00],
      ['2026', 'Cohesion fund', 1, 500_00],
      ['2025', 'Cohesion fund', 2, 4_000_00],
    ]);
    expect(rows[2]!.byGroup.vcs).toEqual({ grants: 1, amountPence: 1_000_00 });
    expect(totals.grants).toBe(4);
    expect(totals.amountPence).toBe(7_000_00);
    expect(totals.byGroup).toEqual({ vcs: { grants: 1, amountPence: 1_000_00 }, social_enterprise: { grants: 1, amountPence: 2_500_00 }, mutual: { grants: 0, amountPence: 0 }, local: { grants: 2, amountPence: 1_500_00 } });
  });
});
