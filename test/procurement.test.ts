/**
 * Procurement on a real database: sealed bids that nothing opens before the deadline (the
 * service, an administrator's pages and a direct query of the table), late bids refused by the
 * service and by the database, a consortium bid, and evaluation → moderation → award.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { bids, tenders } from '../src/modules/procurement/tables.ts';
import { SealedBeforeDeadlineError } from '../src/modules/procurement/sealing.ts';
import { outboxMessages } from '../src/lib/outbox/tables.ts';
import { bearer, expectFormErrors, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext, refusalOf } from './helpers.ts';

let ctx: TestContext;
let authorityId: string;
let slug: string;
let officer: Awaited<ReturnType<typeof newUser>>;
let officer2: Awaited<ReturnType<typeof newUser>>;
let admin: Awaited<ReturnType<typeof newUser>>;
let lead: Awaited<ReturnType<typeof newUser>>;
let rival: Awaited<ReturnType<typeof newUser>>;
const ids: Record<string, string> = {};

const fields = async (p: Promise<unknown>) => (await refusalOf(p)).fields;

/** The deadline passes: bids were made while it was in the future. */
const passDeadline = (tenderId: string) => ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tenderId));

const tenderForm = (over: Record<string, string> = {}) => ({
  title: 'Befriending for older residents', description: 'Weekly befriending visits for older residents living alone.', serviceArea: 'Adult social care',
  cpvCode: '85311000-2', contractType: 'light_touch', valueExVat: '150,000', valueInclVat: '180,000', procedure: 'open', termMonths: '24',
  clarificationsCloseOn: addDays(londonToday(), 5), closesOn: addDays(londonToday(), 10), priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', lots: '', ...over,
});

beforeAll(async () => {
  ctx = await startTestApp();
  const s = ctx.services;
  const authority = await newAuthority(s, 'Procurement Borough');
  authorityId = authority.id;
  slug = authority.slug;
  officer = await newUser(s, authorityId, 'officer');
  officer2 = await newUser(s, authorityId, 'officer');
  admin = await newUser(s, authorityId, 'admin');
  lead = await newUser(s, authorityId, 'community_rep');
  rival = await newUser(s, authorityId, 'community_rep');
  const add = async (user: { id: string; email: string }, name: string, type: string, size: string, locality: string) => {
    const org = await s.organisations.create(TEST_ACTOR, authorityId, { name, type });
    await s.organisationPeople.add(TEST_ACTOR, authorityId, org.id, { email: user.email, roleTitle: 'Chair' });
    return (await s.procurement.registerSupplier(TEST_ACTOR, authorityId, user.id, { organisationId: org.id, size, locality })).id;
  };
  ids.friends = await add(lead, 'Brixton Friends Together', 'charity', 'micro', 'in_area');
  ids.partner = await add(lead, 'Stockwell Community Kitchen', 'social_enterprise', 'small', 'in_area');
  ids.rival = await add(rival, 'National Care Ltd', 'private_company', 'large', 'elsewhere');
  ids.jobs = (await s.procurement.addMeasure(TEST_ACTOR, authorityId, { code: 'JOBS', label: 'Local people employed', unit: 'full-time job for a year', proxy: '25,000', source: 'Council social value framework 2026', effectiveFrom: '2026-04-01' })).id;
  ids.hours = (await s.procurement.addMeasure(TEST_ACTOR, authorityId, { code: 'VOL', label: 'Volunteering hours', unit: 'hour', proxy: '18', source: 'Council social value framework 2026', effectiveFrom: '2026-04-01' })).id;
});
afterAll(() => ctx.close());

describe('suppliers', () => {
  it('registers an organisation once, and only one its registrant has a role in', async () => {
    const org = (await ctx.services.organisationPeople.forUser(authorityId, lead.id))[0]!;
    expect(await fields(ctx.services.procurement.registerSupplier(TEST_ACTOR, authorityId, lead.id, { organisationId: org.organisationId, size: 'micro', locality: 'in_area' }))).toEqual({ organisationId: 'That organisation is already registered to bid' });
    const theirs = (await ctx.services.organisationPeople.forUser(authorityId, rival.id))[0]!;
    expect(await fields(ctx.services.procurement.registerSupplier(TEST_ACTOR, authorityId, lead.id, { organisationId: theirs.organisationId, size: 'micro', locality: 'in_area' }))).toEqual({ organisationId: 'Select an organisation you have a role in' });
  });
});

describe('sealed bids', () => {
  let tenderId: string;
  const secretWords = 'Our volunteers visit every week from Windrush Square';

  beforeAll(async () => {
    tenderId = (await ctx.services.procurement.createTender(TEST_ACTOR, authorityId, tenderForm())).id;
    ids.sealedTender = tenderId;
    await ctx.services.procurement.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { leadSupplierId: ids.friends, members: [ids.partner], price: '123,456.78', qualityResponse: secretWords, [`measure-${ids.jobs}`]: '2' });
  });

  it('keeps nothing readable in the table: a direct query finds neither the price nor the words', async () => {
    const rows = await ctx.database.db.execute(sql`select * from bids where tender_id = ${tenderId}`);
    const dump = JSON.stringify(rows);
    expect(dump).toContain('v1.');
    expect(dump).not.toContain('Windrush');
    expect(dump).not.toContain('12345678');
    expect(dump).not.toContain('123456.78');
    // Nor does the audit log.
    const audit = JSON.stringify(await ctx.database.db.execute(sql`select * from audit_log where entity_type = 'bid'`));
    expect(audit).not.toContain('Windrush');
  });

  it('opens nothing before the deadline, for anyone, an administrator included', async () => {
    await expect(ctx.services.procurement.openBids(ctx.database.db, authorityId, tenderId)).rejects.toBeInstanceOf(SealedBeforeDeadlineError);
    await expect(ctx.services.procurement.evaluation(authorityId, tenderId, admin.id)).rejects.toThrow(/sealed until/);
    const browser = await signedInAs(ctx.app, admin);
    const page = await browser.get(`/a/${slug}/procurement/tenders/${tenderId}/evaluation`);
    expect(page.statusCode).toBe(409);
    expect(page.body).not.toContain('Windrush');
    expect(page.body).toContain('Bids stay sealed until');
  });

  it('refuses a change to a sealed bid in the database itself', async () => {
    await expect(ctx.database.db.update(bids).set({ sealed: 'v1.x.y.z' }).where(eq(bids.tenderId, tenderId))).rejects.toThrow();
    await expect(ctx.database.db.delete(bids).where(eq(bids.tenderId, tenderId))).rejects.toThrow();
  });

  it('opens every bid once the deadline has passed, with its consortium', async () => {
    await passDeadline(tenderId);
    const [bid] = await ctx.services.procurement.openBids(ctx.database.db, authorityId, tenderId);
    expect(bid!.content).toEqual({ pricePence: 12_345_678, qualityResponse: secretWords, commitments: [{ measureId: ids.jobs, quantity: 2 }] });
    expect(bid!.lead.name).toBe('Brixton Friends Together');
    expect(bid!.members.map((m) => m.name)).toEqual(['Stockwell Community Kitchen']);
    expect(bid!.socialValuePence).toBe(50_000_00);
  });

  it('refuses a late bid with a clear message, in the service and in the database', async () => {
    const refused = await fields(ctx.services.procurement.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { leadSupplierId: ids.rival, price: '100,000', qualityResponse: 'We run care services in forty boroughs.' }));
    expect(refused.form).toMatch(/^This tender closed at .+\. Bids after the deadline cannot be accepted\.$/);
    await expect(
      ctx.database.db.execute(sql`insert into bids (id, authority_id, tender_id, lead_supplier_id, submitted_by, submitted_at, sealed) values (gen_random_uuid(), ${authorityId}, ${tenderId}, ${ids.rival}, ${rival.id}, now(), 'v1.a.b.c')`),
    ).rejects.toThrow();
    expect((await ctx.services.procurement.openBids(ctx.database.db, authorityId, tenderId)).length).toBe(1);
  });
});

describe('evaluation, moderation and award', () => {
  let tenderId: string;
  let quality: string;

  beforeAll(async () => {
    const p = ctx.services.procurement;
    tenderId = (await p.createTender(TEST_ACTOR, authorityId, tenderForm({ title: 'Lunch clubs' }))).id;
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { leadSupplierId: ids.friends, members: ids.partner, price: '100,000', qualityResponse: 'Three lunch clubs run by local volunteers.', [`measure-${ids.jobs}`]: '2', [`measure-${ids.hours}`]: '500' });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { leadSupplierId: ids.rival, price: '80,000', qualityResponse: 'A national model of lunch club delivery.' });
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { leadSupplierId: ids.rival, price: '70,000', qualityResponse: 'A second try at the same tender.' }))).toEqual({ leadSupplierId: 'National Care Ltd has already bid for this tender' });
    await passDeadline(tenderId);
    quality = (await p.getTender(authorityId, tenderId)).criteria.find((c) => c.kind === 'quality')!.id;
  });

  it('lets a conflicted evaluator declare but not score, and refuses a score outside 0–5', async () => {
    const p = ctx.services.procurement;
    const [a, b] = (await p.evaluation(authorityId, tenderId, officer.id)).bids;
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer.id, {}))).toEqual({ form: 'Declare any conflict of interest before you score' });
    await p.declare(TEST_ACTOR, authorityId, tenderId, officer2.id, { conflicted: 'yes', details: 'My sister chairs Brixton Friends Together' });
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer2.id, {}))).toEqual({ form: 'You declared a conflict of interest, so you cannot score this tender' });
    expect(await fields(p.moderate(TEST_ACTOR, authorityId, tenderId, officer2.id, {}))).toEqual({ form: 'You declared a conflict of interest, so you cannot moderate this tender' });
    await p.declare(TEST_ACTOR, authorityId, tenderId, officer.id, { conflicted: 'no' });
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer.id, { [`score-${a!.id}-${quality}`]: '6', [`score-${b!.id}-${quality}`]: '3' }))).toEqual({ [`score-${a!.id}-${quality}`]: 'Enter a score from 0 to 5' });
    await p.score(TEST_ACTOR, authorityId, tenderId, officer.id, { [`score-${a!.id}-${quality}`]: '5', [`score-${b!.id}-${quality}`]: '3' });
  });

  it('refuses an award before moderation, then awards to the best total and tells every bidder', async () => {
    const p = ctx.services.procurement;
    expect(await fields(p.award(TEST_ACTOR, authorityId, tenderId, officer.id))).toEqual({ award: 'Moderate every bid’s quality score before the award' });
    const [a, b] = (await p.evaluation(authorityId, tenderId, officer.id)).bids;
    expect(await fields(p.moderate(TEST_ACTOR, authorityId, tenderId, officer.id, { [`agreed-${a!.id}-${quality}`]: '4', [`agreed-${b!.id}-${quality}`]: '3' }))).toMatchObject({ [`reason-${a!.id}-${quality}`]: 'Give the reason for the agreed score' });
    await p.moderate(TEST_ACTOR, authorityId, tenderId, officer.id, {
      [`agreed-${a!.id}-${quality}`]: '4', [`reason-${a!.id}-${quality}`]: 'Strong local model; the training plan is thin',
      [`agreed-${b!.id}-${quality}`]: '3', [`reason-${b!.id}-${quality}`]: 'Generic; little on Lambeth',
    });
    const { award, contract } = await p.award(TEST_ACTOR, authorityId, tenderId, officer.id);
    // Friends: price 40 × 80/100 = 32, quality 40 × 4/5 = 32, social value 20 (the highest) → 84.
    // National Care: price 40, quality 24, social value 0 → 64.
    expect(award.scores.map((s) => [s.supplier, s.total])).toEqual([['Brixton Friends Together', '84.00'], ['National Care Ltd', '64.00']]);
    expect(award.bidId).toBe(a!.id);
    expect(contract).toMatchObject({ supplierId: ids.friends, valuePence: 100_000_00, procedure: 'tender' });
    expect(contract.startsOn > award.awardNoticeOn!).toBe(true);
    const { kpis } = await p.getContract(authorityId, contract.id);
    expect(kpis.map((k) => [k.measure.code, k.target])).toEqual(expect.arrayContaining([['JOBS', 2], ['VOL', 500]]));
    const notices = await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.authorityId, authorityId));
    const toRival = notices.find((n) => n.toAddress === rival.email && n.subject.includes('award decision'))!;
    expect(toRival.body).toContain('Your bid was not chosen. The contract is to be awarded to Brixton Friends Together.');
    expect(toRival.body).toContain('Total: your bid 64.00, winning bid 84.00');
    expect(notices.some((n) => n.toAddress === lead.email && n.body?.startsWith('Your bid has been chosen.'))).toBe(true);
    expect(await fields(p.award(TEST_ACTOR, authorityId, tenderId, officer.id))).toEqual({});
  });

  it('reports social value delivery as the supplier, and counts it once an officer checks it', async () => {
    const p = ctx.services.procurement;
    const contract = (await p.listContracts(authorityId)).find((c) => c.tenderId === tenderId)!;
    const kpi = (await p.getContract(authorityId, contract.id)).kpis.find((k) => k.measure.code === 'JOBS')!;
    expect(await fields(p.reportKpi(TEST_ACTOR, authorityId, contract.id, kpi.id, rival.id, { periodEnd: '2026-09-30', delivered: '1', evidence: 'Payroll' }))).toEqual({ form: 'Only Brixton Friends Together reports on this contract’s social value' });
    await p.reportKpi(TEST_ACTOR, authorityId, contract.id, kpi.id, lead.id, { periodEnd: '2026-09-30', delivered: '2', evidence: 'Two local staff on payroll' });
    expect((await p.getContract(authorityId, contract.id)).kpis.find((k) => k.id === kpi.id)!.status).toBe('behind');
    const report = (await p.getContract(authorityId, contract.id)).kpis.find((k) => k.id === kpi.id)!.reports[0]!;
    await p.checkKpiReport(TEST_ACTOR, authorityId, contract.id, report.id, officer.id);
    expect((await p.getContract(authorityId, contract.id)).kpis.find((k) => k.id === kpi.id)).toMatchObject({ delivered: 2, status: 'met' });
  });

  it('keeps extensions and variations, publishes the contracts file and counts supply diversity', async () => {
    const p = ctx.services.procurement;
    const contract = (await p.listContracts(authorityId)).find((c) => c.tenderId === tenderId)!;
    await p.changeContract(TEST_ACTOR, authorityId, contract.id, { kind: 'variation', valueChange: '5,000', reason: 'A fourth lunch club' });
    await p.changeContract(TEST_ACTOR, authorityId, contract.id, { kind: 'extension', newEndsOn: addDays(contract.endsOn, 365), reason: 'Extension option taken' });
    expect(await fields(p.changeContract(TEST_ACTOR, authorityId, contract.id, { kind: 'extension', newEndsOn: contract.endsOn, reason: 'Too early' }))).toHaveProperty('newEndsOn');
    await p.recordPayment(TEST_ACTOR, authorityId, contract.id, { paidOn: '2026-05-14', amount: '40,000', reference: 'INV-1' });
    expect(await fields(p.recordPayment(TEST_ACTOR, authorityId, contract.id, { paidOn: '14/05/2026', amount: 'lots', reference: '' }))).toEqual({ paidOn: 'Enter the date paid, like 2026-05-01', amount: 'Enter the amount paid in pounds, like 12,500', reference: 'Enter the payment reference' });
    const view = await p.getContract(authorityId, contract.id);
    expect(view.paidPence).toBe(40_000_00);
    // Below the light touch threshold: no UK8 or UK10 (the rules' own tests cover those above it).
    expect(view.notices).toEqual([]);
    const after = (await p.listContracts(authorityId)).find((c) => c.id === contract.id)!;
    expect(after).toMatchObject({ currentValuePence: 105_000_00, currentEndsOn: addDays(contract.endsOn, 365) });
    const csv = await ctx.app.inject({ method: 'GET', url: `/a/${slug}/procurement/contracts.csv` });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, row] = csv.body.trim().split('\r\n');
    expect(header).toBe('Reference number,Title of agreement,Department,Description,Supplier name,Supplier registration number,Value,Irrecoverable VAT,Start date,End date,Review date,Invitation to quote or tender,SME,VCS organisation');
    expect(row).toContain('Brixton Friends Together');
    expect(row).toContain(',105000.00,0.00,');
    expect(row).toMatch(/,tender,yes,yes$/);
    const d = await p.diversity(authorityId);
    expect(d.totals.contracts).toBe(1);
    expect(d.totals.byGroup.vcs).toEqual({ contracts: 1, valuePence: 105_000_00 });
    expect(d.totals.byGroup.local!.contracts).toBe(1);
    expect(d.totals.byGroup.mutual!.contracts).toBe(0);
  });
});

describe('questions and reserved contracts', () => {
  it('publishes an answer to every bidder, without saying who asked', async () => {
    const p = ctx.services.procurement;
    const tenderId = (await p.createTender(TEST_ACTOR, authorityId, tenderForm({ title: 'Luncheon club transport' }))).id;
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { leadSupplierId: ids.friends, price: '50,000', qualityResponse: 'Minibuses driven by trained volunteers.' });
    expect(await fields(p.ask(TEST_ACTOR, authorityId, tenderId, rival.id, { question: 'Why?' }))).toEqual({ question: 'Enter your question in 10 to 2,000 characters' });
    await p.ask(TEST_ACTOR, authorityId, tenderId, rival.id, { question: 'Must drivers hold a D1 licence?' });
    const [q] = (await p.getTender(authorityId, tenderId)).clarifications;
    await p.answer(TEST_ACTOR, authorityId, tenderId, q!.id, { answer: 'Yes, or a MiDAS certificate.' });
    const page = await ctx.app.inject({ method: 'GET', url: `/a/${slug}/procurement/tenders/${tenderId}` });
    expect(page.body).toContain('Must drivers hold a D1 licence?');
    expect(page.body).toContain('Yes, or a MiDAS certificate.');
    expect(page.body).not.toContain(rival.email);
    const sent = await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.authorityId, authorityId));
    const answered = sent.filter((m) => m.subject.endsWith('a question has been answered')).map((m) => m.toAddress);
    expect(answered.sort()).toEqual([lead.email, rival.email].sort());
  });

  it('lets only a qualifying public service mutual bid for a contract reserved under s.33', async () => {
    const s = ctx.services;
    const reserved = (await s.procurement.createTender(TEST_ACTOR, authorityId, tenderForm({ title: 'Youth services', valueExVat: '600,000', valueInclVat: '720,000', procedure: 'competitive_flexible', termMonths: '60', reservedForMutuals: 'yes', pme: 'no' }))).id;
    const refused = await fields(s.procurement.submitBid(TEST_ACTOR, authorityId, reserved, lead.id, { leadSupplierId: ids.friends, price: '500,000', qualityResponse: 'A youth service run by our volunteers.' }));
    expect(refused.leadSupplierId).toBe('This contract is reserved for public service mutuals, and Brixton Friends Together cannot bid: it is not registered as a public service mutual');
    const staff = await newUser(s, authorityId, 'community_rep');
    const org = await s.organisations.create(TEST_ACTOR, authorityId, { name: 'Youth Workers Mutual', type: 'public_service_mutual', employeeOwned: 'yes' });
    await s.organisationPeople.add(TEST_ACTOR, authorityId, org.id, { email: staff.email, roleTitle: 'Director' });
    const half = await s.procurement.registerSupplier(TEST_ACTOR, authorityId, staff.id, { organisationId: org.id, size: 'medium', locality: 'in_area', mutual: ['light_touch', 'employee_controlled'] });
    expect((await fields(s.procurement.submitBid(TEST_ACTOR, authorityId, reserved, staff.id, { leadSupplierId: half.id, price: '500,000', qualityResponse: 'Youth workers who own their service.' }))).leadSupplierId).toMatch(/it does not say it is not for profit/);
    expect(await fields(s.procurement.createTender(TEST_ACTOR, authorityId, tenderForm({ valueInclVat: '720,000', procedure: 'competitive_flexible', termMonths: '61', reservedForMutuals: 'yes' })))).toEqual({ termMonths: 'A contract reserved for public service mutuals can last at most 5 years' });
  });
});

describe('deciding not to award', () => {
  it('cancels a tender with a reason, tells the bidders and puts a UK12 on it', async () => {
    const p = ctx.services.procurement;
    const tenderId = (await p.createTender(TEST_ACTOR, authorityId, tenderForm({ title: 'Meals on wheels' }))).id;
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { leadSupplierId: ids.rival, price: '50,000', qualityResponse: 'Hot meals delivered daily across the borough.' });
    expect(await fields(p.cancel(TEST_ACTOR, authorityId, tenderId, {}))).toEqual({ reason: 'Give the reason for not awarding, in 3 to 2,000 characters' });
    await p.cancel(TEST_ACTOR, authorityId, tenderId, { reason: 'The service is moving in house' });
    const view = await p.getTender(authorityId, tenderId);
    expect(view.tender.status).toBe('cancelled');
    expect(view.notices.find((n) => n.code === 'UK12')?.dueOn).toBe(londonToday());
    expect(await fields(p.cancel(TEST_ACTOR, authorityId, tenderId, { reason: 'Again' }))).toEqual({});
    const sent = await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.authorityId, authorityId));
    expect(sent.some((m) => m.toAddress === rival.email && m.subject.endsWith('Meals on wheels: not awarded'))).toBe(true);
    const late = await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { leadSupplierId: ids.friends, price: '40,000', qualityResponse: 'Meals cooked in our own kitchen.' }));
    expect(late.form).toBe('The council decided not to award this contract, so it takes no more bids.');
  });
});

describe('pages and API', () => {
  it('refuses a bad tender form with the GOV.UK error summary', async () => {
    const browser = await signedInAs(ctx.app, officer);
    const res = await browser.submit(`/a/${slug}/procurement/tenders/new`, `/a/${slug}/procurement/tenders`, { ...tenderForm(), cpvCode: 'care', socialValueWeight: '20' });
    expect(res.statusCode).toBe(400);
    expectFormErrors(res.body, { cpvCode: 'Enter a CPV code like 85311000-2' });
  });

  it('lists open opportunities in the API and refuses a late bid there with field errors', async () => {
    const open = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/tenders` });
    expect(open.statusCode).toBe(200);
    expect(open.json().items.every((t: { status: string }) => t.status === 'open')).toBe(true);
    expect(open.json().items.map((t: { id: string }) => t.id)).not.toContain(ids.sealedTender);
    const { token } = await ctx.services.accounts.createApiToken(TEST_ACTOR, rival.id, 'bids');
    const late = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${slug}/tenders/${ids.sealedTender}/bids`, headers: bearer(token), payload: { leadSupplierId: ids.rival, price: '90,000', qualityResponse: 'We run care services in forty boroughs.' } });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.fields.form).toMatch(/Bids after the deadline cannot be accepted/);
  });
});
