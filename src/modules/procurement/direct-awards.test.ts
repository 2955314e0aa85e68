/** Direct awards (s.41, s.43): the standstill by ground, the UK5 before the award, and the steps a direct award takes. */
import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { ENGLAND_AND_WALES, holidayLookup } from '../../lib/bank-holidays.ts';
import {
  directAwardRefusal, directAwardSteps, earliestContractDate, noticesDue, parseDirectAwardValue, parseTender, parseTransparencyNotice, standstillApplies,
  type DirectAwardFacts, type TenderFacts,
} from './rules.ts';
import { DIRECT_AWARD_GROUNDS } from './thresholds.ts';

const holidays = holidayLookup(ENGLAND_AND_WALES);
const on = '2026-05-01';

describe('the standstill by ground (s.51)', () => {
  it('is data on each ground, with its source: none for user choice and extreme urgency, 8 working days for the rest', () => {
    expect(DIRECT_AWARD_GROUNDS.filter((g) => !g.standstill).map((g) => g.code)).toEqual(['urgency', 'user_choice']);
    for (const g of DIRECT_AWARD_GROUNDS) {
      expect(standstillApplies('direct_award', g.code, on)).toBe(g.standstill);
      expect(g.standstillSource).toMatch(/s\.5[01]/);
    }
  });

  it('always applies after a competition, whatever ground is (wrongly) left on it', () => {
    expect(standstillApplies('open', 'urgency', on)).toBe(true);
    expect(standstillApplies('competitive_flexible', null, on)).toBe(true);
  });

  it('lets the contract start on the day of award where no standstill runs, and after 8 working days and a bank holiday where one does', () => {
    expect(earliestContractDate('2026-05-01', holidays, false)).toBe('2026-05-01');
    // Friday 1 May 2026; Monday 4 May is the early May bank holiday: 1, 5–8, 11–13 May, so the 14th.
    expect(earliestContractDate('2026-05-01', holidays, true)).toBe('2026-05-14');
  });

  it('lists the standstill among an award\u2019s notices only for a ground that has one', () => {
    const facts: TenderFacts = {
      aboveThreshold: true, notifiable: false, contractType: 'light_touch', procedure: 'direct_award', directAwardGround: 'urgency', publishedOn: on,
      uk5PublishedOn: on, uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: '2026-05-01', contractStartsOn: '2026-05-01', cancelledOn: null,
    };
    expect(noticesDue(facts, holidays).map((n) => n.code)).toEqual(['UK5', 'UK6', 'UK7']);
    expect(noticesDue({ ...facts, directAwardGround: 'exclusive_rights' }, holidays).map((n) => [n.code, n.endsOn ?? n.dueOn])).toEqual([
      ['UK5', on], ['UK6', on], ['STANDSTILL', '2026-05-13'], ['UK7', '2026-08-28'],
    ]);
  });
});

describe('the transparency notice (UK5, s.44)', () => {
  const facts: TenderFacts = {
    aboveThreshold: true, notifiable: false, contractType: 'goods_services', procedure: 'direct_award', directAwardGround: 'no_competition', publishedOn: on,
    uk2PublishedOn: null, uk3PublishedOn: null, awardNoticeOn: null, contractStartsOn: null, cancelledOn: null,
  };

  it('is due from the direct award\u2019s set-up, not published, until it is recorded, and then published on its own day', () => {
    expect(noticesDue(facts, holidays)[0]).toMatchObject({ code: 'UK5', dueOn: on, published: false });
    expect(noticesDue({ ...facts, uk5PublishedOn: '2026-05-04' }, holidays)[0]).toMatchObject({ code: 'UK5', dueOn: '2026-05-04', published: true });
  });

  it('takes a day from the direct award\u2019s own to today, both included', () => {
    expect(parseTransparencyNotice({ uk5PublishedOn: '2026-05-01' }, '2026-05-01', '2026-05-03')).toBe('2026-05-01');
    expect(parseTransparencyNotice({ uk5PublishedOn: '2026-05-03' }, '2026-05-01', '2026-05-03')).toBe('2026-05-03');
    for (const day of ['2026-04-30', '2026-05-04', '', 'soon']) expect(fieldsOf(() => parseTransparencyNotice({ uk5PublishedOn: day }, '2026-05-01', '2026-05-03'))).toHaveProperty('uk5PublishedOn');
  });
});

describe('a direct award\u2019s steps', () => {
  const none: DirectAwardFacts = { groundCode: 'exclusive_rights', publishedOn: on, supplierNamed: false, uk5PublishedOn: null, awarded: false };
  const keys = (f: DirectAwardFacts) => directAwardSteps(f).map((s) => `${s.key}${s.done ? ' done' : s.open ? ' open' : ''}`);

  it('names the supplier, then publishes the UK5, then awards, then stands still; no bids and no evaluation', () => {
    expect(keys(none)).toEqual(['supplier open', 'uk5', 'award', 'standstill']);
    expect(keys({ ...none, supplierNamed: true })).toEqual(['supplier done', 'uk5 open', 'award', 'standstill']);
    expect(keys({ ...none, supplierNamed: true, uk5PublishedOn: on })).toEqual(['supplier done', 'uk5 done', 'award open', 'standstill']);
  });

  it('has no standstill step for user choice or urgency, and says a user choice award needs no award notice', () => {
    expect(keys({ ...none, groundCode: 'urgency' })).toEqual(['supplier open', 'uk5', 'award']);
    const choice = directAwardSteps({ ...none, groundCode: 'user_choice' });
    expect(choice.map((s) => s.key)).toEqual(['supplier', 'uk5', 'award']);
    expect(choice[2]!.title).toMatch(/needs no contract award notice/);
  });

  it('refuses the award without a named supplier, then without the UK5, then once made', () => {
    expect(directAwardRefusal(none)).toMatch(/^Name the supplier/);
    expect(directAwardRefusal({ ...none, supplierNamed: true })).toMatch(/transparency notice \(UK5\).*section 44/);
    expect(directAwardRefusal({ ...none, supplierNamed: true, uk5PublishedOn: on })).toBeNull();
    expect(directAwardRefusal({ ...none, supplierNamed: true, uk5PublishedOn: on, awarded: true })).toMatch(/already/);
  });

  it('takes the value given, or the estimate when left blank', () => {
    expect(parseDirectAwardValue({ value: '' }, 500_000_00)).toBe(500_000_00);
    expect(parseDirectAwardValue({ value: '450,000' }, 500_000_00)).toBe(450_000_00);
    expect(fieldsOf(() => parseDirectAwardValue({ value: '0' }, 500_000_00))).toHaveProperty('value');
  });
});

describe('setting up a direct award', () => {
  const today = '2026-05-01';
  const direct = {
    title: 'Library kiosks', description: 'Self-service kiosks for the borough libraries.', serviceArea: 'Libraries', cpvCode: '30230000-0', contractType: 'goods_services',
    valueExVat: '500,000', valueInclVat: '600,000', procedure: 'direct_award', directAwardGround: 'exclusive_rights', termMonths: '24', lots: '',
  };

  it('asks for no closing date, questions or weights, and takes no bids in lots', () => {
    const input = parseTender(direct, today);
    expect(input).toMatchObject({ closesOn: today, clarificationsCloseOn: today, weights: { price: 0, quality: 0, social_value: 0 }, lots: [] });
    expect(fieldsOf(() => parseTender({ ...direct, lots: 'North\nSouth' }, today))).toEqual({ lots: 'A direct award is one contract with the supplier the council names: give no lots' });
  });

  it('still asks a competition for its timetable and weights', () => {
    expect(Object.keys(fieldsOf(() => parseTender({ ...direct, procedure: 'open', pme: 'no' }, today)))).toEqual(expect.arrayContaining(['clarificationsCloseOn', 'closesOn', 'priceWeight']));
  });
});
