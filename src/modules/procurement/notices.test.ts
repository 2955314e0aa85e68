/** The Procurement Act notices beyond the tender's own: each rule at its edges. */
import { financialYearOf } from '../../lib/dates.ts';
import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { ENGLAND_AND_WALES, holidayLookup } from '../../lib/bank-holidays.ts';
import {
  authorityNotices, contractNotices, isOverdue, noticesDue, parseContractEnd, parseExpectedSpend, parsePlannedProcurement, parseTender,
  pipelineDuty, reportingPeriodEnd, reportingPeriods, tenderingPeriod, type ContractFacts, type TenderFacts,
} from './rules.ts';
import { DIRECT_AWARD_GROUNDS } from './thresholds.ts';

const holidays = holidayLookup(ENGLAND_AND_WALES);

describe('minimum tendering periods (s.54)', () => {
  it('gives the open procedure 25 days from the day after the tender notice, so bids close the day after the 25th at the earliest', () => {
    // Published 1 May: the 25 days run 2 to 26 May.
    expect(tenderingPeriod('open', '2026-05-01', null)).toMatchObject({ days: 25, earliestClosingOn: '2026-05-27', shortened: false });
  });

  it('shortens it to 10 days after a planned procurement notice published 40 days to a year before, both ends counted', () => {
    const at = (uk3: string) => tenderingPeriod('open', '2026-05-01', uk3);
    expect(at('2026-03-22')).toMatchObject({ days: 10, earliestClosingOn: '2026-05-12', shortened: true });
    expect(at('2026-03-23')).toMatchObject({ days: 25, shortened: false });
    expect(at('2025-05-01')).toMatchObject({ days: 10, shortened: true });
    expect(at('2025-04-30')).toMatchObject({ days: 25, shortened: false });
  });

  it('records no minimum for procedures whose figures are not in the data', () => {
    expect(tenderingPeriod('competitive_flexible', '2026-05-01', null)).toBeNull();
  });
});

describe('tenders above threshold: engagement, planned notices and direct awards', () => {
  const today = '2026-05-01';
  const above = {
    title: 'Home care', description: 'Home care for adults across the borough.', serviceArea: 'Adult social care', cpvCode: '85311000-2',
    contractType: 'light_touch', valueExVat: '800,000', valueInclVat: '960,000', procedure: 'open', termMonths: '36', clarificationsCloseOn: '2026-05-01',
    closesOn: '2026-05-27', priceWeight: '40', qualityWeight: '60', socialValueWeight: '0', lots: '', pme: 'no',
  };

  it('refuses a closing date before the tendering period is over, naming the earliest day', () => {
    expect(parseTender(above, today).closesOn).toBe('2026-05-27');
    expect(fieldsOf(() => parseTender({ ...above, closesOn: '2026-05-26' }, today))).toEqual({
      closesOn: 'The tendering period is at least 25 days, counted from the day after the tender notice is published: bids can close on 27 May 2026 at the earliest',
    });
    expect(fieldsOf(() => parseTender({ ...above, closesOn: '2026-05-11', uk3PublishedOn: '2026-03-22' }, today)).closesOn).toMatch(/at least 10 days after the planned procurement notice.*12 May 2026/);
    expect(parseTender({ ...above, closesOn: '2026-05-12', uk3PublishedOn: '2026-03-22' }, today).history.uk3PublishedOn).toBe('2026-03-22');
    // Below threshold no minimum applies.
    expect(parseTender({ ...above, valueExVat: '100,000', valueInclVat: '120,000', closesOn: '2026-05-02' }, today).closesOn).toBe('2026-05-02');
  });

  it('asks whether there was engagement, and after engagement a UK2 or the reasons there is none', () => {
    expect(fieldsOf(() => parseTender({ ...above, pme: '' }, today))).toEqual({ pme: 'Say whether preliminary market engagement was carried out' });
    expect(Object.keys(fieldsOf(() => parseTender({ ...above, pme: 'yes', pmeOn: '2026-03-01' }, today)))).toEqual(['noUk2Reason']);
    expect(Object.keys(fieldsOf(() => parseTender({ ...above, pme: 'yes', pmeOn: '2026-05-02', uk2PublishedOn: '2026-02-01' }, today)))).toEqual(['pmeOn']);
    expect(parseTender({ ...above, pme: 'yes', pmeOn: '2026-03-01', uk2PublishedOn: '2026-02-15' }, today).history).toMatchObject({ pmeCarriedOut: true, uk2PublishedOn: '2026-02-15', noUk2Reason: null });
    expect(parseTender({ ...above, pme: 'yes', pmeOn: '2026-03-01', noUk2Reason: 'Engagement was with the two existing providers only' }, today).history).toMatchObject({ pmeCarriedOut: true, uk2PublishedOn: null, noUk2Reason: 'Engagement was with the two existing providers only' });
    expect(parseTender({ ...above, pme: 'no', pmeOn: '2026-03-01', noUk2Reason: 'Ignored when there was none' }, today).history).toMatchObject({ pmeCarriedOut: false, pmeOn: null, noUk2Reason: null });
  });

  it('allows a direct award above threshold only on a ground, each ground accepted, and never below threshold', () => {
    const direct = { ...above, procedure: 'direct_award', pme: '' };
    expect(fieldsOf(() => parseTender(direct, today))).toEqual({ directAwardGround: 'Select the ground for the direct award: a Schedule 5 justification or section 43' });
    expect(fieldsOf(() => parseTender({ ...direct, directAwardGround: 'cheapest' }, today))).toHaveProperty('directAwardGround');
    expect(DIRECT_AWARD_GROUNDS.map((g) => g.code)).toEqual(['prototype', 'unique_art', 'exclusive_rights', 'no_competition', 'urgency', 'user_choice', 'no_suitable_tenders']);
    for (const g of DIRECT_AWARD_GROUNDS) {
      // No tendering period applies to a direct award: bids (the offer) may close the next day.
      expect(parseTender({ ...direct, directAwardGround: g.code, closesOn: '2026-05-02' }, today).history.directAwardGround).toBe(g.code);
    }
    expect(fieldsOf(() => parseTender({ ...direct, valueExVat: '100,000', valueInclVat: '120,000', directAwardGround: 'urgency' }, today))).toHaveProperty('procedure');
  });

  const facts: TenderFacts = {
    aboveThreshold: true, notifiable: false, contractType: 'light_touch', procedure: 'open', directAwardGround: null, publishedOn: '2026-05-01',
    uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: null, contractStartsOn: null, cancelledOn: null,
  };
  const codes = (t: TenderFacts) => noticesDue(t, holidays).map((n) => n.code);

  it('lists a published UK3 and UK2 before the tender notice, as published', () => {
    const notices = noticesDue({ ...facts, uk3PublishedOn: '2026-03-01', uk2PublishedOn: '2026-02-01' }, holidays);
    expect(notices.map((n) => [n.code, n.dueOn, n.published ?? false])).toEqual([
      ['UK3', '2026-03-01', true], ['UK2', '2026-02-01', true], ['UK4', '2026-05-01', true], ['UK6', null, false], ['STANDSTILL', null, false], ['UK7', null, false],
    ]);
  });

  it('announces a direct award with a UK5; a user choice contract needs no UK6, and neither it nor extreme urgency a standstill', () => {
    for (const g of DIRECT_AWARD_GROUNDS) {
      const got = codes({ ...facts, procedure: 'direct_award', directAwardGround: g.code });
      expect(got[0]).toBe('UK5');
      expect(got.includes('UK4')).toBe(false);
      expect(got.includes('UK6')).toBe(g.code !== 'user_choice');
      expect(got.includes('STANDSTILL')).toBe(g.code !== 'user_choice' && g.code !== 'urgency');
      expect(got.includes('UK7')).toBe(true);
    }
  });
});

describe('contract notices: performance (UK9) and termination (UK11)', () => {
  const contract: ContractFacts = {
    contractType: 'goods_services', aboveThreshold: true, awardedValuePence: 4_500_000_00, estimatedValueInclVatPence: 5_000_000_01, startsOn: '2026-04-01',
    endedOn: null, hasKpis: true, kpiAssessedOn: [], payments: [], variations: [],
  };
  const pairs = (c: ContractFacts) => contractNotices(c).map((n) => [n.code, n.dueOn]);

  it('asks over £5m (VAT included) for an assessment 12 months on, and a UK9 within 30 days beginning with each assessment', () => {
    expect(pairs(contract)).toEqual([['KPI-ASSESSMENT', '2027-03-31']]);
    expect(pairs({ ...contract, kpiAssessedOn: ['2026-06-10', '2026-06-10', '2026-12-01'] })).toEqual([['UK9', '2026-07-09'], ['UK9', '2026-12-30'], ['KPI-ASSESSMENT', '2027-11-30']]);
  });

  it('needs none at exactly £5m, without KPIs, or below threshold', () => {
    expect(pairs({ ...contract, estimatedValueInclVatPence: 5_000_000_00 })).toEqual([]);
    expect(pairs({ ...contract, hasKpis: false })).toEqual([]);
    expect(pairs({ ...contract, aboveThreshold: false, endedOn: '2026-09-01' })).toEqual([]);
  });

  it('asks for a UK11 within 30 days beginning with the day it ended, and a UK9 on ending instead of a further assessment', () => {
    expect(pairs({ ...contract, endedOn: '2026-09-01' })).toEqual([['UK9', '2026-09-30'], ['UK11', '2026-09-30']]);
    expect(pairs({ ...contract, hasKpis: false, endedOn: '2026-09-01' })).toEqual([['UK11', '2026-09-30']]);
  });
});

describe('payments compliance notices (UK17)', () => {
  it('puts each day in the six-month period ending 31 March or 30 September, ends included', () => {
    expect(reportingPeriodEnd('2026-01-05', ['03-31', '09-30'])).toBe('2026-03-31');
    expect(reportingPeriodEnd('2026-03-31', ['03-31', '09-30'])).toBe('2026-03-31');
    expect(reportingPeriodEnd('2026-04-01', ['03-31', '09-30'])).toBe('2026-09-30');
    expect(reportingPeriodEnd('2026-09-30', ['03-31', '09-30'])).toBe('2026-09-30');
    expect(reportingPeriodEnd('2026-10-01', ['03-31', '09-30'])).toBe('2027-03-31');
  });

  it('is due within 30 days beginning with the period’s last day, with the share paid within 30 days of the invoice', () => {
    const periods = reportingPeriods([
      { paidOn: '2026-03-31', invoiceReceivedOn: '2026-03-01' },
      { paidOn: '2026-03-15', invoiceReceivedOn: '2026-02-12' },
      { paidOn: '2026-04-01', invoiceReceivedOn: null },
    ]);
    expect(periods).toEqual([
      expect.objectContaining({ from: '2025-10-01', to: '2026-03-31', dueOn: '2026-04-29', payments: 2, withInvoiceDate: 2, paidOnTime: 1 }),
      expect.objectContaining({ from: '2026-04-01', to: '2026-09-30', dueOn: '2026-10-29', payments: 1, withInvoiceDate: 0, paidOnTime: 0 }),
    ]);
    expect(reportingPeriods([])).toEqual([]);
  });
});

describe('the pipeline notice (UK1)', () => {
  const plan = (title: string, estimatedValuePence: number, expectedNoticeOn: string) => ({ title, estimatedValuePence, expectedNoticeOn });
  const planned = [
    plan('At £2m', 2_000_000_00, '2026-06-01'), plan('A penny under', 1_999_999_99, '2026-06-01'),
    plan('Last day covered', 3_000_000_00, '2027-09-30'), plan('Day after', 3_000_000_00, '2027-10-01'), plan('Before the year', 3_000_000_00, '2026-03-31'),
  ];

  it('is due from £100m expected spend (the sources differ: the data reads "or more"), published 1 April to 26 May', () => {
    expect(pipelineDuty(2026, 100_000_000_00, planned)).toMatchObject({ due: true, window: { from: '2026-04-01', to: '2026-05-26' }, coversTo: '2027-09-30' });
    expect(pipelineDuty(2026, 99_999_999_99, planned)?.due).toBe(false);
    expect(pipelineDuty(2026, null, planned)?.due).toBe(false);
  });

  it('lists planned procurements of £2m or more expected in the 18 months from 1 April', () => {
    expect(pipelineDuty(2026, 150_000_000_00, planned)?.listed.map((p) => p.title)).toEqual(['At £2m', 'Last day covered']);
  });

  it('adds UK1 and UK17 to the authority’s own notices, and counts financial years from 1 April', () => {
    const duties = [pipelineDuty(2026, 150_000_000_00, planned)!, pipelineDuty(2027, 10_000_00, planned)!];
    const notices = authorityNotices(duties, [{ paidOn: '2026-05-01', invoiceReceivedOn: null }]);
    expect(notices.map((n) => [n.code, n.title, n.dueOn])).toEqual([
      ['UK1', 'Pipeline notice 2026 to 2027', '2026-05-26'],
      ['UK17', 'Payments compliance notice (1 April 2026 to 30 September 2026)', '2026-10-29'],
    ]);
    expect(financialYearOf('2026-03-31')).toBe(2025);
    expect(financialYearOf('2026-04-01')).toBe(2026);
  });
});

describe('overdue notices and the forms', () => {
  it('counts a notice overdue from the day after its due day, unless published; a standstill never', () => {
    const n = { code: 'UK11', title: 'T', trigger: 'T', source: 'S', dueOn: '2026-09-30' };
    expect(isOverdue(n, '2026-09-30')).toBe(false);
    expect(isOverdue(n, '2026-10-01')).toBe(true);
    expect(isOverdue({ ...n, published: true }, '2026-10-01')).toBe(false);
    expect(isOverdue({ ...n, endsOn: '2026-09-30' }, '2026-10-01')).toBe(false);
    expect(isOverdue({ ...n, dueOn: null }, '2026-10-01')).toBe(false);
  });

  it('reads planned procurements, expected spend and contract ends, field by field', () => {
    expect(parsePlannedProcurement({ title: 'Leisure centres', estimatedValue: '2,500,000', route: 'tender', expectedNoticeOn: '2026-09-01', cpvCode: '' })).toEqual({ title: 'Leisure centres', cpvCode: null, estimatedValuePence: 2_500_000_00, route: 'tender', expectedNoticeOn: '2026-09-01' });
    expect(Object.keys(fieldsOf(() => parsePlannedProcurement({ title: 'x', cpvCode: '123', estimatedValue: 'lots', route: 'auction', expectedNoticeOn: '2026-02-30' }))).sort()).toEqual(['cpvCode', 'estimatedValue', 'expectedNoticeOn', 'route', 'title']);
    expect(parseExpectedSpend({ financialYear: '2026', expectedSpend: '120,000,000' })).toEqual({ financialYear: 2026, expectedSpendPence: 120_000_000_00 });
    expect(Object.keys(fieldsOf(() => parseExpectedSpend({ financialYear: '26', expectedSpend: '' }))).sort()).toEqual(['expectedSpend', 'financialYear']);
    expect(parseContractEnd({ endedOn: '2026-04-01', endReason: 'terminated' }, '2026-04-01', '2026-05-01')).toEqual({ endedOn: '2026-04-01', endReason: 'terminated' });
    expect(Object.keys(fieldsOf(() => parseContractEnd({ endedOn: '2026-03-31', endReason: 'bored' }, '2026-04-01', '2026-05-01'))).sort()).toEqual(['endReason', 'endedOn']);
    expect(fieldsOf(() => parseContractEnd({ endedOn: '2026-05-02', endReason: 'expired' }, '2026-04-01', '2026-05-01'))).toHaveProperty('endedOn');
  });
});
