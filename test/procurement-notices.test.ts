/**
 * The Procurement Act notices on a real database: what an above-threshold tender must say before
 * its notice (engagement, a planned procurement notice, the tendering period, a direct award's
 * ground), a contract's performance and termination notices, the pipeline, and the register of
 * every notice due with its page, its API and the notices officers record as published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { addDays, financialYearOf, formatDate, londonToday, periodEnd } from '../src/lib/dates.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { contracts, tenders } from '../src/modules/procurement/tables.ts';
import { bearer, newAuthority, newUser, refusalOf, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

let ctx: TestContext;
let authorityId: string;
let slug: string;
let officer: Awaited<ReturnType<typeof newUser>>;
let bidder: Awaited<ReturnType<typeof newUser>>;
let supplierId: string;
let measureId: string;
const today = londonToday();

const fields = async (p: Promise<unknown>) => (await refusalOf(p)).fields;
const audited = (action: string, entityId: string) =>
  ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.action, action), eq(auditLog.entityId, entityId)));

/** Above the light touch threshold, open procedure, closing after the 25-day tendering period. */
const aboveForm = (over: Record<string, string> = {}) => ({
  title: 'Home care across the borough', description: 'Home care for adults living at home across the borough.', serviceArea: 'Adult social care',
  cpvCode: '85311000-2', contractType: 'light_touch', valueExVat: '5,000,000', valueInclVat: '6,000,000', procedure: 'open', termMonths: '36',
  clarificationsCloseOn: addDays(today, 5), closesOn: addDays(today, 26), priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', lots: '', pme: 'no', ...over,
});

beforeAll(async () => {
  ctx = await startTestApp();
  const s = ctx.services;
  const authority = await newAuthority(s, 'Notices Borough');
  authorityId = authority.id;
  slug = authority.slug;
  officer = await newUser(s, authorityId, 'officer');
  bidder = await newUser(s, authorityId, 'community_rep');
  const org = await s.organisations.create(TEST_ACTOR, authorityId, { name: 'Borough Home Care CIC', type: 'social_enterprise' });
  await s.organisationPeople.add(TEST_ACTOR, authorityId, org.id, { email: bidder.email, roleTitle: 'Director' });
  supplierId = (await s.procurement.registerSupplier(TEST_ACTOR, authorityId, bidder.id, { organisationId: org.id, size: 'medium', locality: 'in_area' })).id;
  measureId = (await s.procurement.addMeasure(TEST_ACTOR, authorityId, { code: 'JOBS', label: 'Local people employed', unit: 'full-time job for a year', proxy: '25,000', source: 'Council framework', effectiveFrom: '2026-04-01' })).id;
});
afterAll(() => ctx.close());

describe('before the tender notice', () => {
  it('refuses a closing date inside the tendering period, naming the earliest day, and a shorter one after a planned procurement notice', async () => {
    const p = ctx.services.procurement;
    expect(await fields(p.createTender(TEST_ACTOR, authorityId, aboveForm({ closesOn: addDays(today, 25) })))).toEqual({
      closesOn: `The tendering period is at least 25 days, counted from the day after the tender notice is published: bids can close on ${formatDate(addDays(today, 26))} at the earliest`,
    });
    expect(Object.keys(await fields(p.createTender(TEST_ACTOR, authorityId, aboveForm({ closesOn: addDays(today, 10), uk3PublishedOn: addDays(today, -39) }))))).toEqual(['closesOn']);
    const shortened = await p.createTender(TEST_ACTOR, authorityId, aboveForm({ title: 'Planned home care', closesOn: addDays(today, 11), uk3PublishedOn: addDays(today, -40) }));
    const view = await p.getTender(authorityId, shortened.id);
    expect(view.notices.map((n) => [n.code, n.dueOn])).toEqual([['UK3', addDays(today, -40)], ['UK4', today], ['UK6', null], ['STANDSTILL', null], ['UK7', null]]);
  });

  it('asks whether there was engagement, and after engagement with no UK2 the reasons, which it keeps and audits', async () => {
    const p = ctx.services.procurement;
    expect(await fields(p.createTender(TEST_ACTOR, authorityId, aboveForm({ pme: '' })))).toEqual({ pme: 'Say whether preliminary market engagement was carried out' });
    expect(Object.keys(await fields(p.createTender(TEST_ACTOR, authorityId, aboveForm({ pme: 'yes', pmeOn: addDays(today, -30) }))))).toEqual(['noUk2Reason']);
    const reason = 'We met the three current providers only, to test the lots';
    const tender = await p.createTender(TEST_ACTOR, authorityId, aboveForm({ title: 'Engaged home care', pme: 'yes', pmeOn: addDays(today, -30), noUk2Reason: reason }));
    const [row] = await ctx.database.db.select().from(tenders).where(eq(tenders.id, tender.id));
    expect(row).toMatchObject({ pmeCarriedOut: true, pmeOn: addDays(today, -30), uk2PublishedOn: null, noUk2Reason: reason });
    const [entry] = await audited('tender.create', tender.id);
    expect(entry!.after).toMatchObject({ noUk2Reason: reason });
    const withUk2 = await p.createTender(TEST_ACTOR, authorityId, aboveForm({ title: 'Announced home care', pme: 'yes', pmeOn: addDays(today, -30), uk2PublishedOn: addDays(today, -45) }));
    expect((await p.getTender(authorityId, withUk2.id)).notices.slice(0, 2).map((n) => [n.code, n.dueOn])).toEqual([['UK2', addDays(today, -45)], ['UK4', today]]);
  });

  it('makes a direct award only on a ground, announced by a UK5; a user choice contract needs no UK6', async () => {
    const p = ctx.services.procurement;
    const direct = aboveForm({ procedure: 'direct_award', pme: '', clarificationsCloseOn: addDays(today, 1), closesOn: addDays(today, 3) });
    expect(await fields(p.createTender(TEST_ACTOR, authorityId, direct))).toEqual({ directAwardGround: 'Select the ground for the direct award: a Schedule 5 justification or section 43' });
    const choice = await p.createTender(TEST_ACTOR, authorityId, { ...direct, title: 'Care at home chosen by the resident', directAwardGround: 'user_choice' });
    expect((await p.getTender(authorityId, choice.id)).notices.map((n) => n.code)).toEqual(['UK5', 'UK7']);
    const urgent = await p.createTender(TEST_ACTOR, authorityId, { ...direct, title: 'Emergency care after a provider failed', directAwardGround: 'urgency' });
    // Extreme and unavoidable urgency has no standstill (s.51), though it has an award notice.
    expect((await p.getTender(authorityId, urgent.id)).notices.map((n) => n.code)).toEqual(['UK5', 'UK6', 'UK7']);
    const page = await (await signedInAs(ctx.app, officer)).get(`/a/${slug}/procurement/tenders/${choice.id}`);
    expect(page.body).toContain('Ground: A user choice contract');
  });
});

describe('a contract over £5m with KPIs', () => {
  let contractId: string;
  const startedOn = addDays(today, -400);

  beforeAll(async () => {
    const p = ctx.services.procurement;
    const tender = await p.createTender(TEST_ACTOR, authorityId, aboveForm({ title: 'Reablement at home' }));
    await p.submitBid(TEST_ACTOR, authorityId, tender.id, bidder.id, { leadSupplierId: supplierId, price: '4,800,000', qualityResponse: 'Reablement teams based in each neighbourhood.', [`measure-${measureId}`]: '10' });
    await ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tender.id));
    await p.declare(TEST_ACTOR, authorityId, tender.id, officer.id, { conflicted: 'no' });
    const ev = await p.evaluation(authorityId, tender.id, officer.id);
    const [bid] = ev.bids;
    const quality = ev.criteria.find((c) => c.kind === 'quality')!.id;
    await p.score(TEST_ACTOR, authorityId, tender.id, officer.id, { [`score-${bid!.id}-${quality}`]: '4', [`note-${bid!.id}-${quality}`]: 'Clear plan' });
    await p.moderate(TEST_ACTOR, authorityId, tender.id, officer.id, { [`agreed-${bid!.id}-${quality}`]: '4', [`reason-${bid!.id}-${quality}`]: 'Clear plan' });
    contractId = (await p.award(TEST_ACTOR, authorityId, tender.id, officer.id)).contract.id;
    // The contract has run for over a year, so its end and its payments can be in the past.
    await ctx.database.db.update(contracts).set({ startsOn: startedOn }).where(eq(contracts.id, contractId));
  });

  it('asks for a KPI assessment 12 months from the start, and a UK9 within 30 days of each assessment', async () => {
    const p = ctx.services.procurement;
    expect((await p.getContract(authorityId, contractId)).notices.map((n) => [n.code, n.dueOn])).toEqual([['KPI-ASSESSMENT', periodEnd(startedOn, 12, 'months')]]);
    const { kpis } = await p.getContract(authorityId, contractId);
    await p.reportKpi(TEST_ACTOR, authorityId, contractId, kpis[0]!.id, bidder.id, { periodEnd: addDays(today, -1), delivered: '6', evidence: 'Payroll for local staff' });
    const report = (await p.getContract(authorityId, contractId)).kpis[0]!.reports[0]!;
    await p.checkKpiReport(TEST_ACTOR, authorityId, contractId, report.id, officer.id);
    expect((await p.getContract(authorityId, contractId)).notices.map((n) => [n.code, n.dueOn])).toEqual([['UK9', periodEnd(today, 30, 'days')], ['KPI-ASSESSMENT', periodEnd(today, 12, 'months')]]);
  });

  it('records the invoice date with a payment, never after it was paid', async () => {
    const p = ctx.services.procurement;
    expect(await fields(p.recordPayment(TEST_ACTOR, authorityId, contractId, { paidOn: addDays(today, -20), invoiceReceivedOn: addDays(today, -19), amount: '100,000', reference: 'INV-9' }))).toEqual({
      invoiceReceivedOn: 'Enter the day the invoice was received, on or before the day it was paid, like 2026-04-20, or leave it blank',
    });
    await p.recordPayment(TEST_ACTOR, authorityId, contractId, { paidOn: addDays(today, -20), invoiceReceivedOn: addDays(today, -40), amount: '100,000', reference: 'INV-10' });
    expect((await p.getContract(authorityId, contractId)).payments.map((x) => x.invoiceReceivedOn)).toEqual([addDays(today, -40)]);
  });

  it('records that it ended, once: a UK11 within 30 days beginning with that day, and a UK9 on ending', async () => {
    const p = ctx.services.procurement;
    expect(Object.keys(await fields(p.endContract(TEST_ACTOR, authorityId, contractId, { endedOn: addDays(startedOn, -1), endReason: 'fed up' }))).sort()).toEqual(['endReason', 'endedOn']);
    await p.endContract(TEST_ACTOR, authorityId, contractId, { endedOn: addDays(today, -2), endReason: 'terminated' });
    const notices = (await p.getContract(authorityId, contractId)).notices;
    expect(notices.filter((n) => n.code === 'UK11').map((n) => n.dueOn)).toEqual([periodEnd(addDays(today, -2), 30, 'days')]);
    expect(notices.some((n) => n.title === 'Contract performance notice (on the contract ending)')).toBe(true);
    expect(notices.some((n) => n.code === 'KPI-ASSESSMENT')).toBe(false);
    expect(await fields(p.endContract(TEST_ACTOR, authorityId, contractId, { endedOn: today, endReason: 'expired' }))).toEqual({ endedOn: 'This contract’s end has already been recorded' });
    const [entry] = await audited('contract.end', contractId);
    expect(entry!.after).toEqual({ endedOn: addDays(today, -2), endReason: 'terminated' });
  });
});

describe('the pipeline and the notices register', () => {
  const year = financialYearOf(today);

  it('keeps planned procurements and the expected spend, and says whether UK1 is due and what it lists', async () => {
    const n = ctx.services.procurementNotices;
    expect(Object.keys(await fields(n.addPlanned(TEST_ACTOR, authorityId, { title: 'x', estimatedValue: '', route: 'auction', expectedNoticeOn: 'soon' }))).sort()).toEqual(['estimatedValue', 'expectedNoticeOn', 'route', 'title']);
    const big = await n.addPlanned(TEST_ACTOR, authorityId, { title: 'Leisure centres', cpvCode: '92610000-0', estimatedValue: '1,999,999.99', route: 'tender', expectedNoticeOn: `${year}-09-01` });
    await n.addPlanned(TEST_ACTOR, authorityId, { title: 'Small repairs', estimatedValue: '150,000', route: 'direct_award', expectedNoticeOn: `${year}-10-01` });
    await n.updatePlanned(TEST_ACTOR, authorityId, big.id, { title: 'Leisure centres', cpvCode: '92610000-0', estimatedValue: '2,000,000', route: 'tender', expectedNoticeOn: `${year}-09-01` });
    expect((await audited('pipeline.replan', big.id))[0]!.before).toMatchObject({ estimatedValuePence: 1_999_999_99 });
    expect((await n.pipeline(authorityId, year)).duty).toMatchObject({ due: false });
    await n.setExpectedSpend(TEST_ACTOR, authorityId, { financialYear: String(year), expectedSpend: '99,000,000' });
    await n.setExpectedSpend(TEST_ACTOR, authorityId, { financialYear: String(year), expectedSpend: '100,000,000' });
    const pipeline = await n.pipeline(authorityId, year);
    expect(pipeline.expectedSpendPence).toBe(100_000_000_00);
    expect(pipeline.duty).toMatchObject({ due: true, window: { from: `${year}-04-01`, to: `${year}-05-26` } });
    expect(pipeline.duty!.listed.map((p) => p.title)).toEqual(['Leisure centres']);
    expect((await audited('pipeline.expected-spend', `${authorityId}:${year}`)).length).toBe(2);
    const page = await (await signedInAs(ctx.app, officer)).get(`/a/${slug}/procurement/pipeline?year=${year}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('A pipeline notice (UK1) is due');
  });

  it('lists every notice due across tenders, contracts and the pipeline, overdue once past its day unless recorded as published', async () => {
    const n = ctx.services.procurementNotices;
    const register = await n.register(authorityId, today);
    const codes = new Set(register.map((e) => e.code));
    for (const code of ['UK1', 'UK2', 'UK3', 'UK4', 'UK5', 'UK9', 'UK11', 'UK17']) expect(codes.has(code)).toBe(true);
    expect(register.map((e) => e.dueOn)).toEqual([...register.map((e) => e.dueOn)].sort());
    const uk11 = register.find((e) => e.code === 'UK11')!;
    const later = addDays(uk11.dueOn!, 1);
    expect((await n.register(authorityId, uk11.dueOn!)).find((e) => e.key === uk11.key)!.overdue).toBe(false);
    expect((await n.register(authorityId, later)).find((e) => e.key === uk11.key)!.overdue).toBe(true);
    // The tender notice is published as the tender is.
    expect(register.find((e) => e.code === 'UK4')).toMatchObject({ published: true, overdue: false });

    expect(await fields(n.recordPublished(TEST_ACTOR, authorityId, { key: 'tender:nothing:UK4:2026-01-01', publishedOn: addDays(today, 1) }))).toEqual({ key: 'Select a notice from the register', publishedOn: `Enter the day it was published, today or earlier, like ${today}` });
    await n.recordPublished(TEST_ACTOR, authorityId, { key: uk11.key, publishedOn: today });
    expect((await n.register(authorityId, later)).find((e) => e.key === uk11.key)).toMatchObject({ published: true, publishedOn: today, overdue: false });
    expect(await fields(n.recordPublished(TEST_ACTOR, authorityId, { key: uk11.key, publishedOn: today }))).toEqual({ key: 'That notice is already recorded as published' });
    expect((await audited('notice.published', uk11.key)).length).toBe(1);
  });

  it('serves the register as a page and as a paginated API to officers only', async () => {
    const total = (await ctx.services.procurementNotices.register(authorityId)).length;
    const page = await (await signedInAs(ctx.app, officer)).get(`/a/${slug}/procurement/notices`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pipeline notice');
    const token = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'notices')).token;
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/procurement-notices?pageSize=2&page=2`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 2, pageSize: 2, total });
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toHaveProperty('overdue');
    const bidderToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, bidder.id, 'notices')).token;
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/procurement-notices`, headers: bearer(bidderToken) })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/procurement-notices` })).statusCode).toBe(401);
  });
});
