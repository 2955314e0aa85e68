import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { ConflictError } from '../../lib/errors.ts';
import { EOI_CONTENT, EXCLUDED_SERVICES, REJECTION_GROUNDS, TIMESCALE_NOTICE_DEFAULT, inForceOn } from './law.ts';
import {
  assertMove,
  canMove,
  considerationDeadlines,
  countingStart,
  deadlineStatus,
  eligibility,
  missingContent,
  parseDecision,
  parseDraft,
  parseProcurementStart,
  parseReceipt,
  parseSettings,
  procurementStart,
  stateAfterResponse,
  windowContaining,
  windowWords,
  type ChallengeSettings,
  type EoiContent,
} from './rules.ts';


const TODAY = '2026-12-02';
const SERVICE = '11111111-1111-4111-8111-111111111111';
const anyTime: ChallengeSettings = {
  effectiveFrom: '2026-01-01',
  windows: [],
  timescaleNoticeDays: 30,
  decisionPeriod: { length: 3, unit: 'months' },
  procurementMin: { length: 6, unit: 'months' },
  procurementMax: { length: 12, unit: 'months' },
  warnDays: 14,
};
const springWindow: ChallengeSettings = { ...anyTime, windows: [{ from: '03-01', to: '04-30' }] };

const complete: EoiContent = {
  bodyKind: 'organisation',
  serviceId: SERVICE,
  area: 'Brixton and Tulse Hill',
  financialResources: 'Reserves of £40,000; audited accounts 2025.',
  capabilityEvidence: 'We run two youth clubs now.',
  outcomes: 'More young people in education, employment or training.',
  wellBeing: 'Local jobs and volunteering.',
  serviceUsers: 'Young people design the programme.',
  employeeEngagement: '',
  partners: [],
};

describe('who may challenge (s.81(6))', () => {
  const on = '2026-06-01';
  it.each([
    ['voluntary_community', 'voluntary_community'],
    ['charity', 'charity'],
    ['parish_council', 'parish_council'],
  ])('a %s is a relevant body', (organisationType, bodyKind) => {
    expect(eligibility({ kind: 'organisation', organisationType, notForProfit: false }, on)).toEqual({ eligible: true, bodyKind });
  });

  it('a group of two or more employees is a relevant body; a group of one is refused', () => {
    expect(eligibility({ kind: 'employee_group', employeeCount: 2 }, on)).toEqual({ eligible: true, bodyKind: 'employee_group' });
    expect(eligibility({ kind: 'employee_group', employeeCount: 1 }, on)).toEqual({ eligible: false, reason: 'An employee group must be two or more employees of the council (Localism Act 2011 s.81(6)(d))' });
    expect(eligibility({ kind: 'employee_group', employeeCount: 0 }, on).eligible).toBe(false);
  });

  it('a social enterprise or co-operative counts as a voluntary body only when it is not for profit', () => {
    expect(eligibility({ kind: 'organisation', organisationType: 'social_enterprise', notForProfit: true }, on)).toEqual({ eligible: true, bodyKind: 'voluntary_community' });
    const refused = eligibility({ kind: 'organisation', organisationType: 'cooperative', notForProfit: false }, on);
    expect(refused.eligible).toBe(false);
    expect(refused).toHaveProperty('reason', expect.stringContaining('not carried on for profit'));
  });

  it('refuses public bodies and businesses whatever they say of profit', () => {
    expect(eligibility({ kind: 'organisation', organisationType: 'partner_agency', notForProfit: true }, on)).toEqual({ eligible: false, reason: 'A public or local authority is not a relevant body (s.81(6) and (7))' });
    expect(eligibility({ kind: 'organisation', organisationType: 'private_company', notForProfit: true }, on)).toEqual({ eligible: false, reason: 'A body that carries on its activities for profit is not a relevant body (s.81(6) and (7))' });
  });

  it('no one could challenge before the right came into force on 27 June 2012', () => {
    expect(eligibility({ kind: 'organisation', organisationType: 'charity', notForProfit: false }, '2012-06-26').eligible).toBe(false);
    expect(eligibility({ kind: 'organisation', organisationType: 'charity', notForProfit: false }, '2012-06-27').eligible).toBe(true);
  });
});

describe('what an expression of interest must contain (SI 2012/1313 Sch 1)', () => {
  it('finds nothing missing in a complete one', () => {
    expect(missingContent(complete, TODAY)).toEqual([]);
  });

  it('says in words what is missing, paragraph by paragraph', () => {
    const missing = missingContent({ ...complete, serviceId: null, financialResources: '', wellBeing: '' }, TODAY);
    expect(missing.map((m) => [m.paragraph, m.message])).toEqual([
      ['Schedule 1 para 2', 'Information about the financial resources of the body'],
      ['Schedule 1 para 4', 'Information identifying the service and the geographical area the expression of interest relates to'],
      ['Schedule 1 para 5', 'How the body would promote or improve the social, economic or environmental well-being of the area'],
    ]);
  });

  it('the area is part of para 4 with the service', () => {
    expect(missingContent({ ...complete, area: '' }, TODAY).map((m) => m.field)).toEqual(['serviceAndArea']);
  });

  it('asks employee groups, and only them, how they will engage other employees', () => {
    expect(missingContent({ ...complete, bodyKind: 'employee_group' }, TODAY).map((m) => m.message)).toEqual(['How the employee group will engage the other council employees affected']);
    expect(missingContent({ ...complete, bodyKind: 'employee_group', employeeEngagement: 'Monthly staff meetings.' }, TODAY)).toEqual([]);
  });

  it('asks for finances and capability for each consortium member and sub-contractor', () => {
    const missing = missingContent({ ...complete, partners: [
      { name: 'Brixton Boxing CIC', role: 'sub_contractor', financialResources: '', capabilityEvidence: 'Coaches in place.' },
      { name: 'Tulse Hill Trust', role: 'consortium_member', financialResources: 'Reserves £5,000.', capabilityEvidence: '' },
    ] }, TODAY);
    expect(missing.map((m) => m.message)).toEqual([
      'Information about the financial resources of the body: for Brixton Boxing CIC (sub-contractor)',
      'Evidence that, by the time of any procurement exercise, the body will be capable of providing or assisting in providing the service: for Tulse Hill Trust (consortium member)',
    ]);
  });

  it('is all data with a source and a date in force', () => {
    expect(inForceOn(EOI_CONTENT, TODAY)).toHaveLength(7);
    for (const item of EOI_CONTENT) expect(item.source).toMatch(/SI 2012\/1313/);
  });
});

describe('drafts', () => {
  it('keep an incomplete draft, but not one that names no body', () => {
    expect(parseDraft({ bodyKind: 'organisation', organisationId: SERVICE }).financialResources).toBe('');
    expect(fieldsOf(() => parseDraft({}))).toEqual({ bodyKind: 'Select who is expressing an interest' });
    expect(fieldsOf(() => parseDraft({ bodyKind: 'employee_group', employeeCount: 'two' }))).toEqual({
      groupName: 'Enter the employee group’s name',
      employeeCount: 'Enter how many council employees are in the group, as a whole number',
    });
  });

  it('read partners from numbered form fields and from an API array alike', () => {
    const fromForm = parseDraft({ bodyKind: 'organisation', organisationId: SERVICE, partner1Name: 'A Trust', partner1Role: 'consortium_member', partner1FinancialResources: 'x', partner2Name: '' });
    const fromApi = parseDraft({ bodyKind: 'organisation', organisationId: SERVICE, partners: [{ name: 'A Trust', role: 'consortium_member', financialResources: 'x' }] });
    expect(fromForm.partners).toEqual([{ name: 'A Trust', role: 'consortium_member', financialResources: 'x', capabilityEvidence: '' }]);
    expect(fromApi.partners).toEqual(fromForm.partners);
    expect(fieldsOf(() => parseDraft({ bodyKind: 'organisation', organisationId: SERVICE, partner1Name: 'B Ltd' }))).toEqual({ partner1Role: 'Say whether B Ltd is a consortium member or a sub-contractor' });
  });
});

describe('submission windows (s.82)', () => {
  it('any time when no period is set', () => {
    expect(parseReceipt({ receivedOn: '2026-07-10', decideBy: '2026-08-01' }, { submittedOn: '2026-07-10', today: TODAY, settings: anyTime }).outOfWindow).toBe(false);
  });

  it('inside a window counts its first and last day; outside is not requiring consideration', () => {
    expect(windowContaining(springWindow.windows, '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-04-30' });
    expect(windowContaining(springWindow.windows, '2026-04-30')).toEqual({ from: '2026-03-01', to: '2026-04-30' });
    expect(windowContaining(springWindow.windows, '2026-05-01')).toBeNull();
    const late = parseReceipt({ receivedOn: '2026-05-01' }, { submittedOn: '2026-05-01', today: TODAY, settings: springWindow });
    expect(late).toEqual({ receivedOn: '2026-05-01', decideBy: null, outOfWindow: true, deadlines: null });
  });

  it('a window may run over the new year, and 29 February ends a window in a common year on the 28th', () => {
    const winter = [{ from: '12-01', to: '01-31' }];
    expect(windowContaining(winter, '2027-01-15')).toEqual({ from: '2026-12-01', to: '2027-01-31' });
    expect(windowContaining(winter, '2026-12-31')).toEqual({ from: '2026-12-01', to: '2027-01-31' });
    const february = [{ from: '02-01', to: '02-29' }];
    expect(windowContaining(february, '2027-02-28')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(windowContaining(february, '2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(windowContaining(february, '2027-03-01')).toBeNull();
  });
});

describe('settings', () => {
  const form = { submission: 'any_time', timescaleNoticeDays: '30', warnDays: '14', decisionPeriodLength: '3', decisionPeriodUnit: 'months', procurementMinLength: '6', procurementMinUnit: 'months', procurementMaxLength: '12', procurementMaxUnit: 'months' };

  it('read windows in words and say them back', () => {
    const s = parseSettings({ ...form, submission: 'windows', windows: '1 March to 30 April\n1 September to 31 October' }, TODAY);
    expect(s.windows.map(windowWords)).toEqual(['1 March to 30 April', '1 September to 31 October']);
    expect(s.effectiveFrom).toBe(TODAY);
  });

  it('refuse a bad window, a maximum shorter than the minimum, and a date in the past', () => {
    expect(fieldsOf(() => parseSettings({ ...form, submission: 'windows', windows: '31 February to 3 March' }, TODAY))).toEqual({ windows: 'Enter each period on its own line, like 1 March to 30 April (“31 February to 3 March” is not)' });
    expect(fieldsOf(() => parseSettings({ ...form, procurementMaxLength: '2', procurementMaxUnit: 'weeks' }, TODAY))).toEqual({ procurementMaxLength: 'The maximum period before procurement starts must be longer than the minimum' });
    expect(fieldsOf(() => parseSettings({ ...form, effectiveFrom: '2026-12-01' }, TODAY))).toHaveProperty('effectiveFrom');
  });

  it('the 30-day default is flagged as needing a source', () => {
    expect(TIMESCALE_NOTICE_DEFAULT).toMatchObject({ days: 30, confidence: 'U' });
    expect(TIMESCALE_NOTICE_DEFAULT.source).toMatch(/needs a source/);
  });

  it('excluded services: paras 2 and 3 of Schedule 2 ceased on 1 April 2014', () => {
    expect(inForceOn(EXCLUDED_SERVICES, '2014-03-31')).toHaveLength(2);
    expect(inForceOn(EXCLUDED_SERVICES, '2014-04-01').map((e) => e.paragraph)).toEqual(['Schedule 2 para 1']);
  });
});

describe('deadlines, counted beginning with the day that starts them', () => {
  it('30 days beginning with receipt end on the 29th day after it, across a month end', () => {
    const d = considerationDeadlines(anyTime, '2026-01-15');
    expect(d.timescaleNotice).toMatchObject({ startDate: '2026-01-15', length: 30, unit: 'days', inclusive: true, due: '2026-02-13' });
    expect(d.decision.due).toBe('2026-04-14');
  });

  it('across a leap day', () => {
    expect(considerationDeadlines(anyTime, '2028-02-15').timescaleNotice.due).toBe('2028-03-15');
    expect(considerationDeadlines(anyTime, '2027-02-15').timescaleNotice.due).toBe('2027-03-16');
    // 3 months beginning with 30 November 2027 end the day before 29 February 2028.
    expect(considerationDeadlines(anyTime, '2027-11-29').decision.due).toBe('2028-02-28');
    expect(considerationDeadlines(anyTime, '2027-11-30').decision.due).toBe('2028-02-29');
  });

  it('a month from 31 January ends on the last day of February', () => {
    expect(considerationDeadlines({ ...anyTime, decisionPeriod: { length: 1, unit: 'months' } }, '2027-01-31').decision.due).toBe('2027-02-28');
  });

  it('with submission periods, counting begins with the period’s last day, whenever in it the interest came', () => {
    expect(countingStart(springWindow, '2026-03-02')).toEqual({ date: '2026-04-30', event: 'the end of the submission period' });
    const d = considerationDeadlines(springWindow, '2026-03-02');
    expect(d.timescaleNotice.due).toBe('2026-05-29');
    expect(d.decision.due).toBe('2026-07-29');
  });

  it('procurement starts after the minimum period has run and by the end of the maximum', () => {
    expect(procurementStart('2026-03-01', anyTime)).toEqual({ earliest: '2026-09-01', latest: '2027-02-28' });
    expect(procurementStart('2027-03-01', anyTime)).toEqual({ earliest: '2027-09-01', latest: '2028-02-29' });
  });

  it('flags a deadline due soon before it is breached, and overdue after', () => {
    expect(deadlineStatus('2026-12-31', TODAY, 14)).toEqual({ status: 'on_track', daysLeft: 29 });
    expect(deadlineStatus('2026-12-15', TODAY, 14)).toEqual({ status: 'due_soon', daysLeft: 13 });
    expect(deadlineStatus(TODAY, TODAY, 14)).toEqual({ status: 'due_soon', daysLeft: 0 });
    expect(deadlineStatus('2026-12-01', TODAY, 14)).toEqual({ status: 'overdue', daysLeft: -1 });
  });
});

describe('the start of procurement', () => {
  const ctx = { acceptedOn: '2026-03-01', earliest: '2026-09-01', latest: '2027-02-28', today: TODAY };
  it('is kept whether inside the published period or not, and says which', () => {
    expect(parseProcurementStart({ startedOn: '2026-09-01' }, ctx)).toEqual({ startedOn: '2026-09-01', withinPeriod: true });
    expect(parseProcurementStart({ startedOn: '2026-08-31' }, ctx)).toEqual({ startedOn: '2026-08-31', withinPeriod: false });
  });
  it('is refused before the acceptance or in the future', () => {
    expect(fieldsOf(() => parseProcurementStart({ startedOn: '2026-02-28' }, ctx))).toHaveProperty('startedOn');
    expect(fieldsOf(() => parseProcurementStart({ startedOn: '2026-12-03' }, ctx))).toHaveProperty('startedOn');
  });
});

describe('receipt', () => {
  it('refuses a receipt before submission, and a decision date past the published maximum', () => {
    expect(fieldsOf(() => parseReceipt({ receivedOn: '2026-06-30' }, { submittedOn: '2026-07-01', today: TODAY, settings: anyTime }))).toHaveProperty('receivedOn');
    expect(fieldsOf(() => parseReceipt({ receivedOn: '2026-07-01', decideBy: '2026-10-01' }, { submittedOn: '2026-07-01', today: TODAY, settings: anyTime }))).toEqual({
      decideBy: 'Enter the date you will decide by, from the date received to 2026-09-30 (the published maximum period), like 2026-09-30',
    });
    expect(parseReceipt({ receivedOn: '2026-07-01', decideBy: '2026-09-30' }, { submittedOn: '2026-07-01', today: TODAY, settings: anyTime }).decideBy).toBe('2026-09-30');
  });
});

describe('the states (rules.md §1.10)', () => {
  it('moves only forward along the statutory path', () => {
    expect(canMove('draft', 'submitted')).toBe(true);
    expect(canMove('submitted', 'out_of_window')).toBe(true);
    expect(canMove('timescale_given', 'accepted')).toBe(false);
    expect(canMove('under_consideration', 'accepted_with_modification')).toBe(false);
    expect(canMove('rejected', 'accepted')).toBe(false);
    expect(() => assertMove('out_of_window', 'under_consideration')).toThrow(ConflictError);
  });

  it('a modification is accepted only once the body agrees; declining rejects it', () => {
    expect(canMove('modification_proposed', 'accepted_with_modification')).toBe(true);
    expect(stateAfterResponse(true)).toBe('accepted_with_modification');
    expect(stateAfterResponse(false)).toBe('rejected');
  });
});

describe('decisions', () => {
  const ctx = { receivedOn: '2026-10-01', today: TODAY };

  it.each(REJECTION_GROUNDS.map((g) => [g.paragraph, g.code] as const))('may reject on ground %i (%s), with reasons', (_p, code) => {
    expect(parseDecision({ outcome: 'reject', grounds: code, reasons: 'Because.' }, ctx)).toEqual({ outcome: 'reject', grounds: [code], reasons: 'Because.', modification: null, decidedOn: TODAY });
  });

  it('the ten grounds are exactly the Schedule’s, each with its words and source', () => {
    expect(REJECTION_GROUNDS.map((g) => g.paragraph)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const g of REJECTION_GROUNDS) expect(g.source).toMatch(/SI 2012\/1647/);
  });

  it('refuses a rejection without a ground or without reasons, and any ground not in the Schedule', () => {
    expect(fieldsOf(() => parseDecision({ outcome: 'reject' }, ctx))).toEqual({
      grounds: 'Select at least one ground for rejection: the regulations allow no others',
      reasons: 'Give the reasons for rejecting it: they are sent to the body and published',
    });
    expect(fieldsOf(() => parseDecision({ outcome: 'reject', grounds: ['OUTSIDE_WINDOW'], reasons: 'Late.' }, ctx))).toEqual({ grounds: 'Select grounds only from the list in the regulations' });
  });

  it('a modification needs the ground it would otherwise be rejected on, the modification and reasons', () => {
    expect(fieldsOf(() => parseDecision({ outcome: 'modify', reasons: 'x' }, ctx))).toEqual({
      grounds: 'Select the grounds on which it would otherwise be rejected: a modification is allowed only then',
      modification: 'Describe the modification the body is asked to agree to',
    });
    expect(parseDecision({ outcome: 'modify', grounds: ['NOT_SUITABLE'], modification: 'Name a safeguarding lead.', reasons: 'No safeguarding lead.' }, ctx)).toMatchObject({ outcome: 'modify', grounds: ['NOT_SUITABLE'], modification: 'Name a safeguarding lead.' });
  });

  it('an acceptance names no ground', () => {
    expect(parseDecision({ outcome: 'accept' }, ctx)).toMatchObject({ outcome: 'accept', grounds: [] });
    expect(fieldsOf(() => parseDecision({ outcome: 'accept', grounds: ['UNLAWFUL'] }, ctx))).toHaveProperty('grounds');
  });

  it('refuses a decision dated before receipt or in the future', () => {
    expect(fieldsOf(() => parseDecision({ outcome: 'accept', decidedOn: '2026-09-30' }, ctx))).toHaveProperty('decidedOn');
    expect(fieldsOf(() => parseDecision({ outcome: 'accept', decidedOn: '2026-12-03' }, ctx))).toHaveProperty('decidedOn');
  });
});
