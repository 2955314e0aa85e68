import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { ENGLAND_AND_WALES, holidayLookup } from '../../lib/bank-holidays.ts';
import { awardLetters, londonNoon, lotsStillOpen, mayStillBid, parseNotAwardedReason, statusOfLots, type TenderFacts, classify, contractNotices, quarterEnd, diversityGroups, spendGroups, earliestContractDate, kpiStatus, lookBackStart, mutualQualifies, noticesDue, parseBidContent, parseLots, parseScore, parseTender, points, reservationProblems, scoreBids, socialValuePence, winner, workingDaysEnd, type Criterion } from './rules.ts';

const holidays = holidayLookup(ENGLAND_AND_WALES);

describe('regime and procedure', () => {
  it('puts services at the sub-central threshold above it, a penny under below, with the threshold in force on the start date', () => {
    expect(classify('goods_services', 214_904_00, '2025-12-31').aboveThreshold).toBe(true);
    expect(classify('goods_services', 214_903_99, '2025-12-31').aboveThreshold).toBe(false);
    expect(classify('goods_services', 207_720_00, '2026-01-01').aboveThreshold).toBe(true);
    expect(classify('goods_services', 207_719_99, '2026-01-01').aboveThreshold).toBe(false);
    // £210,000 was below the 2025 threshold and is above the 2026 one.
    expect(classify('goods_services', 210_000_00, '2025-12-31').aboveThreshold).toBe(false);
    expect(classify('goods_services', 210_000_00, '2026-01-01').aboveThreshold).toBe(true);
  });

  it('uses the light touch and works thresholds', () => {
    expect(classify('light_touch', 663_540_00, '2026-06-01').aboveThreshold).toBe(true);
    expect(classify('light_touch', 663_539_99, '2025-06-01').aboveThreshold).toBe(false);
    expect(classify('works', 5_372_609_00, '2025-12-31').aboveThreshold).toBe(true);
    expect(classify('works', 5_372_608_99, '2025-12-31').aboveThreshold).toBe(false);
    expect(classify('works', 5_193_000_00, '2026-01-01').aboveThreshold).toBe(true);
    expect(classify('works', 5_192_999_99, '2026-01-01').aboveThreshold).toBe(false);
    expect(classify('works', 5_193_000_00, '2026-01-01').threshold.source).toMatch(/PPN 023/);
  });

  it('makes below-threshold contracts notifiable from £30,000, never with a pre-qualification stage', () => {
    const at = classify('goods_services', 30_000_00, '2026-03-01');
    expect(at).toMatchObject({ aboveThreshold: false, notifiable: true, preQualificationAllowed: false, procedures: ['open', 'quotes'] });
    expect(classify('goods_services', 29_999_99, '2026-03-01')).toMatchObject({ notifiable: false, preQualificationAllowed: false });
    expect(classify('goods_services', 500_000_00, '2026-03-01')).toMatchObject({ notifiable: false, preQualificationAllowed: true, procedures: ['open', 'competitive_flexible', 'direct_award'] });
  });

  it('starts the Procurement Act regime on 24 February 2025 and refuses earlier starts', () => {
    expect(classify('goods_services', 1, '2025-02-24').regime).toBe('PA2023');
    expect(fieldsOf(() => classify('goods_services', 1, '2025-02-23')).startsOn).toMatch(/Public Contracts Regulations 2015/);
  });
});

describe('contracts reserved for public service mutuals (s.33)', () => {
  it('allows light touch, above threshold, competitive flexible, 5 years at most', () => {
    expect(reservationProblems('light_touch', 'competitive_flexible', 60, true, '2026-02-01')).toEqual({});
    expect(reservationProblems('light_touch', 'competitive_flexible', 61, true, '2026-02-01')).toEqual({ termMonths: 'A contract reserved for public service mutuals can last at most 5 years' });
    expect(reservationProblems('goods_services', 'competitive_flexible', 12, true, '2026-02-01').reservedForMutuals).toMatch(/light touch/);
    expect(reservationProblems('light_touch', 'open', 12, true, '2026-02-01').procedure).toMatch(/competitive flexible/);
    expect(reservationProblems('light_touch', 'open', 12, false, '2026-02-01').reservedForMutuals).toMatch(/above the light touch threshold/);
  });

  const declared = { deliversMainlyLightTouch: true, notForProfitOrMembersOnly: true, employeeControlled: true };
  it('needs all three s.33(6) conditions', () => {
    expect(mutualQualifies(declared, [], '2026-06-01')).toEqual([]);
    expect(mutualQualifies({ ...declared, employeeControlled: false }, [], '2026-06-01')).toEqual(['it does not say it is managed and controlled by its employees']);
    expect(mutualQualifies(null, [], '2026-06-01')).toHaveLength(3);
  });

  it('refuses a supplier with a comparable reserved award in the 3 years ending on the award date', () => {
    expect(lookBackStart('2026-06-01', 3)).toBe('2023-06-02');
    expect(mutualQualifies(declared, ['2023-06-02'], '2026-06-01')).toEqual(['it was awarded a comparable reserved contract on 2023-06-02, within 3 years']);
    expect(mutualQualifies(declared, ['2023-06-01'], '2026-06-01')).toEqual([]);
    expect(lookBackStart('2028-02-29', 3)).toBe('2025-03-01');
  });
});

describe('standstill and notices', () => {
  it('closes bids at noon London time, in GMT and in BST', () => {
    expect(londonNoon('2026-01-15').toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(londonNoon('2026-07-15').toISOString()).toBe('2026-07-15T11:00:00.000Z');
    expect(londonNoon('2026-03-29').toISOString()).toBe('2026-03-29T11:00:00.000Z');
  });

  it('counts 8 working days beginning with the award notice day, skipping weekends and bank holidays', () => {
    // Monday 2 March 2026: Mon–Fri, Mon–Wed.
    expect(workingDaysEnd('2026-03-02', 8, holidays)).toBe('2026-03-11');
    // Published on a Saturday: the count starts on Monday.
    expect(workingDaysEnd('2026-03-07', 8, holidays)).toBe('2026-03-18');
    // Over Christmas 2026: 25 Dec (Fri) and 28 Dec (Boxing Day substitute) and 1 Jan are holidays.
    expect(workingDaysEnd('2026-12-23', 8, holidays)).toBe('2027-01-06');
    // Over Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    expect(workingDaysEnd('2026-04-01', 8, holidays)).toBe('2026-04-14');
    expect(earliestContractDate('2026-04-01', holidays)).toBe('2026-04-15');
  });

  it('lists the notices due for an above-threshold tender as it goes', () => {
    const facts = { aboveThreshold: true, notifiable: false, contractType: 'light_touch' as const, procedure: 'open' as const, directAwardGround: null, publishedOn: '2026-02-02', uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: null, contractStartsOn: null, cancelledOn: null };
    expect(noticesDue(facts, holidays).map((n) => [n.code, n.dueOn])).toEqual([['UK4', '2026-02-02'], ['UK6', null], ['STANDSTILL', null], ['UK7', null]]);
    const awarded = noticesDue({ ...facts, awardNoticeOn: '2026-03-02', contractStartsOn: '2026-04-01' }, holidays);
    expect(awarded.find((n) => n.code === 'STANDSTILL')?.endsOn).toBe('2026-03-11');
    // Light touch: contract details notice within 120 days beginning with entering the contract.
    expect(awarded.find((n) => n.code === 'UK7')?.dueOn).toBe('2026-07-29');
    expect(noticesDue({ ...facts, contractType: 'goods_services', contractStartsOn: '2026-04-01' }, holidays).find((n) => n.code === 'UK7')?.dueOn).toBe('2026-04-30');
  });

  it('lists below-threshold notices only for notifiable contracts, and UK12 on cancelling', () => {
    const small = { aboveThreshold: false, notifiable: true, contractType: 'goods_services' as const, procedure: 'quotes' as const, directAwardGround: null, publishedOn: '2026-02-02', uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: null, contractStartsOn: null, cancelledOn: '2026-02-20' };
    expect(noticesDue(small, holidays).map((n) => n.code)).toEqual(['BT', 'BT-CDN', 'UK12']);
    expect(noticesDue({ ...small, notifiable: false }, holidays)).toEqual([]);
  });

  it('gives each lot not awarded its own UK12, due the day of the decision, and the tender’s own only if cancelled whole', () => {
    const facts = { aboveThreshold: true, notifiable: false, contractType: 'light_touch' as const, procedure: 'open' as const, directAwardGround: null, publishedOn: '2026-02-02', uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: null, contractStartsOn: null, cancelledOn: null };
    const south = { id: 'l2', title: 'South', on: '2026-03-10' };
    const uk12s = (f: TenderFacts) => noticesDue(f, holidays).filter((n) => n.code === 'UK12').map((n) => [n.title, n.dueOn, n.lot?.id ?? null]);
    expect(uk12s({ ...facts, lotsNotAwarded: [south] })).toEqual([['Procurement termination notice for South', '2026-03-10', 'l2']]);
    expect(uk12s({ ...facts, lotsNotAwarded: [south], cancelledOn: '2026-03-12' })).toEqual([['Procurement termination notice for South', '2026-03-10', 'l2'], ['Procurement termination notice', '2026-03-12', null]]);
    // Below threshold and not notifiable, no notice at all.
    expect(uk12s({ ...facts, aboveThreshold: false, lotsNotAwarded: [south] })).toEqual([]);
  });
});

describe('lots settled one by one', () => {
  it('keeps a tender open until every lot is awarded or not; then awarded if any lot was, else cancelled', () => {
    expect(statusOfLots(3, 1, 1)).toBe('open');
    expect(statusOfLots(3, 2, 1)).toBe('awarded');
    expect(statusOfLots(3, 0, 3)).toBe('cancelled');
    expect(statusOfLots(2, 0, 1)).toBe('open');
    // A tender without lots is settled by its one award.
    expect(statusOfLots(0, 1, 0)).toBe('awarded');
    expect(statusOfLots(0, 0, 0)).toBe('open');
  });

  it('asks for a reason of 3 to 2,000 characters, on the field named', () => {
    expect(parseNotAwardedReason({ lotReason: '  Budget withdrawn  ' }, 'lotReason')).toBe('Budget withdrawn');
    expect(fieldsOf(() => parseNotAwardedReason({ lotReason: 'no' }, 'lotReason'))).toEqual({ lotReason: 'Give the reason for not awarding, in 3 to 2,000 characters' });
    expect(fieldsOf(() => parseNotAwardedReason({ reason: 'x'.repeat(2001) }, 'reason'))).toEqual({ reason: 'Give the reason for not awarding, in 3 to 2,000 characters' });
  });

  it('offers a bidder only the lots one of its organisations has yet to bid for, and none the council decided not to award', () => {
    const lots = [{ id: 'north', notAwardedAt: null }, { id: 'south', notAwardedAt: null }, { id: 'east', notAwardedAt: new Date('2026-03-01T10:00:00Z') }];
    const made = [{ lotId: 'north', leadSupplierId: 'friends' }, { lotId: 'south', leadSupplierId: 'rival' }];
    expect(lotsStillOpen(lots, ['friends'], made).map((l) => l.id)).toEqual(['south']);
    expect(lotsStillOpen(lots, ['rival'], made).map((l) => l.id)).toEqual(['north']);
    // Two organisations: a lot stays open while either has not bid for it.
    expect(lotsStillOpen(lots, ['friends', 'rival'], made).map((l) => l.id)).toEqual(['north', 'south']);
    expect(lotsStillOpen(lots, [], made)).toEqual([]);
    expect(mayStillBid(null, ['friends'], [{ lotId: null, leadSupplierId: 'friends' }])).toBe(false);
    expect(mayStillBid(null, ['friends'], [{ lotId: null, leadSupplierId: 'rival' }])).toBe(true);
  });
});

describe('scoring', () => {
  const criteria: Criterion[] = [
    { id: 'p', kind: 'price', weight: 40 },
    { id: 'q', kind: 'quality', weight: 40 },
    { id: 's', kind: 'social_value', weight: 20 },
  ];
  it('scores price as lowest ÷ bid, quality as score ÷ 5 and social value as value ÷ highest, each times its weight', () => {
    const bids = [
      { bidId: 'a', pricePence: 80_000_00, socialValuePence: 10_000_00, quality: { q: 4 } },
      { bidId: 'b', pricePence: 100_000_00, socialValuePence: 40_000_00, quality: { q: 5 } },
    ];
    const [a, b] = scoreBids(criteria, bids);
    expect(points(a!.byCriterion.p!)).toBe('40.00');
    expect(points(b!.byCriterion.p!)).toBe('32.00');
    expect(points(a!.byCriterion.q!)).toBe('32.00');
    expect(points(a!.byCriterion.s!)).toBe('5.00');
    expect(points(a!.total)).toBe('77.00');
    expect(points(b!.total)).toBe('92.00');
    expect(winner([a!, b!], bids).bidId).toBe('b');
  });

  it('counts exactly, so thirds do not round a winner away, and ties go to the lower price', () => {
    const bids = [
      { bidId: 'a', pricePence: 300, socialValuePence: 0, quality: { q: 5 } },
      { bidId: 'b', pricePence: 300, socialValuePence: 0, quality: { q: 5 } },
      { bidId: 'c', pricePence: 900, socialValuePence: 0, quality: { q: 5 } },
    ];
    const scores = scoreBids(criteria, bids);
    expect(points(scores[2]!.byCriterion.p!)).toBe('13.33');
    expect(scores[0]!.byCriterion.s).toEqual({ num: 0n, den: 1n });
    expect(winner(scores, bids).bidId).toBe('a');
  });

  it('refuses to score without a moderated quality score, and scores outside 0–5', () => {
    expect(fieldsOf(() => scoreBids(criteria, [{ bidId: 'a', pricePence: 1, socialValuePence: 0, quality: {} }])).award).toMatch(/moderated/);
    expect(parseScore('5', 'score')).toBe(5);
    expect(parseScore('0', 'score')).toBe(0);
    expect(fieldsOf(() => parseScore('6', 'score'))).toEqual({ score: 'Enter a score from 0 to 5' });
    expect(fieldsOf(() => parseScore('2.5', 'score'))).toEqual({ score: 'Enter a score from 0 to 5' });
    expect(fieldsOf(() => parseScore('-1', 'score'))).toEqual({ score: 'Enter a score from 0 to 5' });
  });

  it('values social value at the council’s proxies and tracks KPI delivery', () => {
    const measures = [{ id: 'jobs', proxyPence: 2_500_000 }, { id: 'hours', proxyPence: 1_800 }];
    expect(socialValuePence([{ measureId: 'jobs', quantity: 2 }, { measureId: 'hours', quantity: 100 }], measures)).toBe(5_180_000);
    expect(kpiStatus(10, 10)).toBe('met');
    expect(kpiStatus(10, 5)).toBe('on_track');
    expect(kpiStatus(10, 4)).toBe('behind');
  });
});

describe('forms', () => {
  const good = {
    title: 'Befriending service', description: 'Befriending for older residents living alone.', serviceArea: 'Adult social care', cpvCode: '85311000-2',
    contractType: 'light_touch', valueExVat: '150,000', valueInclVat: '180,000', procedure: 'open', termMonths: '36',
    startsOn: '2026-03-01', clarificationsCloseOn: '2026-03-20', closesOn: '2026-03-31', priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', lots: 'North\nSouth',
  };
  it('reads a tender and classifies it', () => {
    const t = parseTender(good, '2026-02-01');
    expect(t).toMatchObject({ valueInclVatPence: 180_000_00, lots: [{ title: 'North', valueExVatPence: null }, { title: 'South', valueExVatPence: null }], weights: { price: 40, quality: 40, social_value: 20 } });
    expect(t.classification).toMatchObject({ aboveThreshold: false, notifiable: true });
  });
  it('reads lots with their own values, within the tender’s', () => {
    expect(parseLots('North | 60,000\n\nSouth|90,000.50\nCentral', 150_000_00 + 50)).toEqual([
      { title: 'North', valueExVatPence: 60_000_00 }, { title: 'South', valueExVatPence: 90_000_50 }, { title: 'Central', valueExVatPence: null },
    ]);
    expect(parseLots(['North', 'South'], null)).toEqual([{ title: 'North', valueExVatPence: null }, { title: 'South', valueExVatPence: null }]);
    expect(parseLots('', 100)).toEqual([]);
    expect(parseLots('North | 60,000\nSouth | 90,001', 150_000_00)).toBe('The lots’ values add up to more than the tender’s value without VAT');
    expect(parseLots('North | lots\nSouth', 150_000_00)).toBe('Lot 1: "lots" is not a value in pounds, like 60,000');
    expect(parseLots('North\nnorth', null)).toBe('Lot 2: two lots are called "north"');
    expect(parseLots('North', null)).toBe('Give at least two lots, or none for one contract');
    expect(parseLots('North | 1 | 2\nSouth', null)).toMatch(/^Lot 1: enter a title/);
    expect(fieldsOf(() => parseTender({ ...good, lots: 'North | 100,000\nSouth | 60,000' }, '2026-02-01'))).toEqual({ lots: 'The lots’ values add up to more than the tender’s value without VAT' });
  });
  it('names each bad field', () => {
    expect(fieldsOf(() => parseTender({}, '2026-02-01'))).toMatchObject({ title: expect.any(String), cpvCode: 'Enter a CPV code like 85311000-2', closesOn: expect.any(String) });
    expect(fieldsOf(() => parseTender({ ...good, socialValueWeight: '30' }, '2026-02-01'))).toEqual({ priceWeight: 'The weights must add up to 100% (they add up to 110%)' });
    expect(fieldsOf(() => parseTender({ ...good, procedure: 'competitive_flexible' }, '2026-02-01')).procedure).toMatch(/open procedure or invitation to quote/);
    expect(fieldsOf(() => parseTender({ ...good, reservedForMutuals: 'yes' }, '2026-02-01')).reservedForMutuals).toMatch(/above the light touch threshold/);
  });
  it('reads a bid with its social value commitments', () => {
    expect(parseBidContent({ price: '95,000', qualityResponse: 'We have run befriending since 2009 in Brixton.', 'measure-m1': '3', 'measure-m2': '' }, ['m1', 'm2'])).toEqual({ pricePence: 95_000_00, qualityResponse: 'We have run befriending since 2009 in Brixton.', commitments: [{ measureId: 'm1', quantity: 3 }] });
    expect(fieldsOf(() => parseBidContent({ price: '0', qualityResponse: 'short', 'measure-m1': 'lots' }, ['m1']))).toEqual({
      price: 'Enter your price without VAT in pounds, like 95,000', qualityResponse: 'Describe how you would deliver the service in 20 to 20,000 characters', 'measure-m1': 'Enter a whole number, or leave it blank',
    });
  });
  it('groups suppliers for the diversity dashboard', () => {
    expect(diversityGroups('charity', 'micro', 'in_area')).toEqual(['vcs', 'sme', 'local']);
    expect(diversityGroups('public_service_mutual', 'large', 'elsewhere')).toEqual(['mutual']);
    expect(diversityGroups('private_company', null, null)).toEqual([]);
  });
});

describe('contract notices', () => {
  const facts = { contractType: 'goods_services' as const, aboveThreshold: true, awardedValuePence: 300_000_00, estimatedValueInclVatPence: 360_000_00, startsOn: '2026-04-01', endedOn: null, hasKpis: false, kpiAssessedOn: [], payments: [], variations: [] };
  it('asks for a UK8 for each payment over £30,000, within 30 days beginning with the quarter’s last day', () => {
    expect(quarterEnd('2026-05-14')).toBe('2026-06-30');
    expect(quarterEnd('2026-12-01')).toBe('2026-12-31');
    const notices = contractNotices({ ...facts, payments: [{ paidOn: '2026-05-14', amountPence: 30_000_01, reference: 'P1' }, { paidOn: '2026-05-20', amountPence: 30_000_00, reference: 'P2' }] });
    expect(notices.map((n) => [n.code, n.dueOn])).toEqual([['UK8', '2026-07-29']]);
  });
  it('asks for a UK10 once variations together pass 10% (15% for works), never for light touch or below threshold', () => {
    const variations = [{ madeOn: '2026-06-01', valueChangePence: 20_000_00 }, { madeOn: '2026-09-01', valueChangePence: 15_000_00 }];
    expect(contractNotices({ ...facts, variations }).map((n) => [n.code, n.dueOn])).toEqual([['UK10', '2026-09-01']]);
    expect(contractNotices({ ...facts, contractType: 'works', variations })).toEqual([]);
    expect(contractNotices({ ...facts, contractType: 'light_touch', variations })).toEqual([]);
    expect(contractNotices({ ...facts, aboveThreshold: false, variations, payments: [{ paidOn: '2026-05-14', amountPence: 50_000_00, reference: 'P1' }] })).toEqual([]);
  });
});

describe('spend groups', () => {
  it('counts a linked registered supplier as the supplier, a linked organisation by its type, and any other payee by its kind', () => {
    expect(spendGroups({ organisationType: 'charity', size: 'micro', locality: 'in_area', kind: 'vcs' })).toEqual(['vcs', 'sme', 'local']);
    expect(spendGroups({ organisationType: 'public_service_mutual', size: null, locality: null, kind: 'social-enterprise' })).toEqual(['mutual']);
    expect(spendGroups({ organisationType: null, size: null, locality: null, kind: 'social-enterprise' })).toEqual(['social_enterprise']);
    expect(spendGroups({ organisationType: null, size: null, locality: null, kind: 'public-body' })).toEqual([]);
  });
});

describe('award letters', () => {
  const lines = [
    { bidId: 'a', supplier: 'Brixton Friends Together', total: '84.00', byCriterion: { q: '32.00' } },
    { bidId: 'b', supplier: 'National Care Ltd', total: '64.00', byCriterion: { q: '24.00' } },
    { bidId: 'c', supplier: 'No address', total: '10.00', byCriterion: { q: '1.00' } },
  ];
  const emails = new Map([['a', 'a@example.org'], ['b', 'b@example.org']]);
  const when = { standstillEndsOn: '2026-04-13', startsOn: '2026-04-14', lotTitle: null };

  it('tells each bidder with an address their points against the winner’s', () => {
    const letters = awardLetters(lines, 'a', emails, () => 'Quality', when);
    expect(letters.map((l) => l.to)).toEqual(['a@example.org', 'b@example.org']);
    expect(letters[0]!.body.startsWith('Your bid has been chosen.')).toBe(true);
    expect(letters[1]!.body).toContain('Your bid was not chosen. The contract is to be awarded to Brixton Friends Together.');
    expect(letters[1]!.body).toContain('Quality: your bid 24.00, winning bid 32.00\nTotal: your bid 64.00, winning bid 84.00');
    expect(letters[1]!.body).toContain('The standstill period runs to 13 April 2026');
  });

  it('names the lot when a lot is awarded', () => {
    const [, lost] = awardLetters(lines, 'a', emails, () => 'Quality', { ...when, lotTitle: 'Lot 2: South' });
    expect(lost!.body.startsWith('Your bid for Lot 2: South was not chosen. The contract for Lot 2: South is to be awarded to Brixton Friends Together.')).toBe(true);
  });
});
