/**
 * Direct awards (Procurement Act 2023 s.41, s.43) on a real database, PGlite and PostgreSQL: the
 * named supplier, no bids (the service refuses, and so does a trigger for anything that writes
 * the row itself), the transparency notice (UK5, s.44) before the award (the service refuses, and
 * so does a trigger), the standstill only where the ground has one (s.51), each step audited in the
 * transaction that makes it, the pages and the register and its Transparency Code CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { newId } from '../src/lib/ids.ts';
import { bids, contracts, tenderAwards, tenders } from '../src/modules/procurement/tables.ts';
import { earliestContractDate } from '../src/modules/procurement/rules.ts';
import type { Release } from '../src/modules/procurement/ocds.ts';
import { ENGLAND_AND_WALES, holidayLookup } from '../src/lib/bank-holidays.ts';
import { errorSummary, newAuthority, newUser, refusalOf, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

let ctx: TestContext;
let authority: Awaited<ReturnType<typeof newAuthority>>;
let authorityId: string;
let slug: string;
let officer: Awaited<ReturnType<typeof newUser>>;
let bidder: Awaited<ReturnType<typeof newUser>>;
let supplierId: string;
let otherSupplierId: string;
const today = londonToday();

/** Above the goods and services threshold, direct, on a ground that has a standstill. */
const directForm = (over: Record<string, string> = {}) => ({
  title: 'Library self-service kiosks', description: 'Kiosks only their maker can supply and maintain.', serviceArea: 'Libraries', cpvCode: '30230000-0',
  contractType: 'goods_services', valueExVat: '500,000', valueInclVat: '600,000', procedure: 'direct_award', directAwardGround: 'exclusive_rights', termMonths: '24', lots: '', ...over,
});

/** The database's own refusal, as Drizzle wraps it. */
const databaseRefusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return `${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`;
  }
  throw new Error('expected the database to refuse');
};
/** The transaction that last wrote a row (xmin): a change and its audit entry share it when they are written together. */
const writtenBy = async (table: string, id: string) => {
  const result = (await ctx.database.db.execute(sql`select xmin::text as tx from ${sql.identifier(table)} where id = ${id}`)) as unknown as { rows: { tx: string }[] };
  return result.rows[0]!.tx;
};
const auditOf = async (action: string, entityId: string) =>
  (await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.action, action), eq(auditLog.entityId, entityId))));

beforeAll(async () => {
  ctx = await startTestApp();
  const s = ctx.services;
  authority = await newAuthority(s, 'Direct Award Borough');
  authorityId = authority.id;
  slug = authority.slug;
  officer = await newUser(s, authorityId, 'officer');
  bidder = await newUser(s, authorityId, 'community_rep');
  for (const name of ['Kiosk Makers Ltd', 'Borough Care CIC']) {
    const org = await s.organisations.create(TEST_ACTOR, authorityId, { name, type: name.endsWith('Ltd') ? 'private_company' : 'social_enterprise' });
    await s.organisationPeople.add(TEST_ACTOR, authorityId, org.id, { email: bidder.email, roleTitle: 'Director' });
    const id = (await s.procurement.registerSupplier(TEST_ACTOR, authorityId, bidder.id, { organisationId: org.id, size: name.endsWith('Ltd') ? 'large' : 'small', locality: 'in_area' })).id;
    if (name.endsWith('Ltd')) supplierId = id;
    else otherSupplierId = id;
  }
});
afterAll(() => ctx.close());

describe('a direct award takes no bids', () => {
  it('refuses a bid in the service, with a clear message, and keeps it off the opportunities to bid', async () => {
    const p = ctx.services.procurement;
    const tender = await p.createTender(TEST_ACTOR, authorityId, directForm({ supplierId }));
    const refusal = await refusalOf(p.submitBid(TEST_ACTOR, authorityId, tender.id, bidder.id, { leadSupplierId: supplierId, price: '450,000', qualityResponse: 'Our kiosks.' }));
    expect(refusal.fields).toEqual({ form: 'This is a direct award to the supplier the council names: it takes no bids and has none to evaluate (Procurement Act 2023, sections 41 and 43)' });
    expect(await refusalOf(p.evaluation(authorityId, tender.id, officer.id))).toMatchObject({ message: expect.stringMatching(/takes no bids/) });
    expect((await p.listTenders(authorityId, { openOnly: true })).some((t) => t.id === tender.id)).toBe(false);
    expect(await ctx.database.db.select().from(bids).where(eq(bids.tenderId, tender.id))).toEqual([]);
  });

  it('refuses a bid row written past the service, by a trigger, while a competition still takes one', async () => {
    const p = ctx.services.procurement;
    const tender = await p.createTender(TEST_ACTOR, authorityId, directForm({ title: 'Kiosks, written around the service' }));
    const row = { id: newId(), authorityId, tenderId: tender.id, lotId: null, leadSupplierId: supplierId, submittedBy: bidder.id, submittedAt: new Date(Date.now() - 60_000), sealed: 'sealed' };
    // Open the deadline so that only the direct-award trigger can refuse it.
    await ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() + 86_400_000) }).where(eq(tenders.id, tender.id));
    expect(await databaseRefusal(ctx.database.db.insert(bids).values(row))).toMatch(/is a direct award, which takes no bids/);
    await ctx.database.db.update(tenders).set({ procedure: 'open' }).where(eq(tenders.id, tender.id));
    await ctx.database.db.insert(bids).values(row);
    expect(await ctx.database.db.select({ id: bids.id }).from(bids).where(eq(bids.tenderId, tender.id))).toEqual([{ id: row.id }]);
  });
});

describe('the supplier, the transparency notice and the award', () => {
  let tenderId: string;

  beforeAll(async () => {
    tenderId = (await ctx.services.procurement.createTender(TEST_ACTOR, authorityId, directForm({ title: 'Kiosk maintenance' }))).id;
  });

  it('refuses the award with no named supplier, and the UK5 before the supplier is named', async () => {
    const p = ctx.services.procurement;
    expect((await refusalOf(p.award(TEST_ACTOR, authorityId, tenderId, officer.id))).fields).toEqual({ award: 'Name the supplier before the award: a direct award is made to the supplier the council names' });
    expect((await refusalOf(p.recordTransparencyNotice(TEST_ACTOR, authorityId, tenderId, { uk5PublishedOn: today }))).fields).toHaveProperty('uk5PublishedOn');
    expect((await refusalOf(p.nameSupplier(TEST_ACTOR, authorityId, tenderId, { supplierId: newId() }))).fields).toHaveProperty('supplierId');
  });

  it('names the supplier, audited in the same transaction, and may change it before the UK5', async () => {
    const p = ctx.services.procurement;
    await p.nameSupplier(TEST_ACTOR, authorityId, tenderId, { supplierId: otherSupplierId });
    await p.nameSupplier(TEST_ACTOR, authorityId, tenderId, { supplierId });
    const entries = await auditOf('tender.direct-award-supplier', tenderId);
    expect(entries.map((e) => e.after)).toEqual([{ directAwardSupplierId: otherSupplierId }, { directAwardSupplierId: supplierId }]);
    expect(await writtenBy('audit_log', entries[1]!.id)).toBe(await writtenBy('tenders', tenderId));
  });

  it('refuses the award before the UK5 is recorded as published, in the service and in the database', async () => {
    const p = ctx.services.procurement;
    expect((await refusalOf(p.award(TEST_ACTOR, authorityId, tenderId, officer.id))).fields).toEqual({
      award: 'Publish the transparency notice (UK5) and record it before the award: the Procurement Act 2023 (section 44) requires it before a direct award',
    });
    const row = { id: newId(), authorityId, tenderId, lotId: null, bidId: null, decidedBy: null, decidedAt: new Date(), awardNoticeOn: today, standstillEndsOn: null, scores: [] };
    expect(await databaseRefusal(ctx.database.db.insert(tenderAwards).values(row))).toMatch(/no transparency notice published/);
    expect(await ctx.database.db.select().from(contracts).where(eq(contracts.tenderId, tenderId))).toEqual([]);
    expect((await p.getTender(authorityId, tenderId)).notices[0]).toMatchObject({ code: 'UK5', dueOn: today, published: false });
  });

  it('records the UK5 once, on a day from the set-up to today, audited in the same transaction; the supplier is then fixed', async () => {
    const p = ctx.services.procurement;
    expect((await refusalOf(p.recordTransparencyNotice(TEST_ACTOR, authorityId, tenderId, { uk5PublishedOn: addDays(today, 1) }))).fields).toHaveProperty('uk5PublishedOn');
    await p.recordTransparencyNotice(TEST_ACTOR, authorityId, tenderId, { uk5PublishedOn: today });
    const [entry] = await auditOf('tender.transparency-notice', tenderId);
    expect(entry!.after).toEqual({ uk5PublishedOn: today });
    expect(await writtenBy('audit_log', entry!.id)).toBe(await writtenBy('tenders', tenderId));
    expect((await refusalOf(p.recordTransparencyNotice(TEST_ACTOR, authorityId, tenderId, { uk5PublishedOn: today }))).message).toBe('The transparency notice has already been recorded');
    expect((await refusalOf(p.nameSupplier(TEST_ACTOR, authorityId, tenderId, { supplierId: otherSupplierId }))).fields).toHaveProperty('supplierId');
    expect((await p.getTender(authorityId, tenderId)).notices[0]).toMatchObject({ code: 'UK5', dueOn: today, published: true });
  });

  it('awards to the named supplier after the UK5, with the award notice and standstill, the contract and its audit entry in one transaction', async () => {
    const p = ctx.services.procurement;
    const { award, contract } = await p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { value: '480,000' });
    const holidays = holidayLookup(ENGLAND_AND_WALES);
    expect(award).toMatchObject({ bidId: null, awardNoticeOn: today, standstillEndsOn: addDays(earliestContractDate(today, holidays), -1) });
    expect(contract).toMatchObject({ supplierId, valuePence: 480_000_00, procedure: 'direct_award', startsOn: earliestContractDate(today, holidays) });
    const [entry] = await auditOf('tender.award', tenderId);
    expect(await writtenBy('audit_log', entry!.id)).toBe(await writtenBy('contracts', contract.id));
    expect(await writtenBy('tender_awards', award.id)).toBe(await writtenBy('contracts', contract.id));
    expect((await p.getTender(authorityId, tenderId)).notices.map((n) => n.code)).toEqual(['UK5', 'UK6', 'STANDSTILL', 'UK7']);
    expect((await refusalOf(p.awardDirect(TEST_ACTOR, authorityId, tenderId, officer.id))).message).toBe('This direct award has already been decided');
  });

  it('has no standstill on the urgency ground and no award notice for a user choice contract: the contract may start the day of award', async () => {
    const p = ctx.services.procurement;
    for (const [ground, notices, noticeOn] of [['urgency', ['UK5', 'UK6', 'UK7'], today], ['user_choice', ['UK5', 'UK7'], null]] as const) {
      const t = await p.createTender(TEST_ACTOR, authorityId, directForm({ title: `Care on the ${ground} ground`, directAwardGround: ground, supplierId: otherSupplierId }));
      await p.recordTransparencyNotice(TEST_ACTOR, authorityId, t.id, { uk5PublishedOn: today });
      const { award, contract } = await p.awardDirect(TEST_ACTOR, authorityId, t.id, officer.id);
      expect(award).toMatchObject({ awardNoticeOn: noticeOn, standstillEndsOn: null });
      expect(contract).toMatchObject({ startsOn: today, valuePence: 500_000_00, supplierId: otherSupplierId });
      expect((await p.getTender(authorityId, t.id)).notices.map((n) => n.code)).toEqual(notices);
    }
  });

  it('shows the direct award in the register and as a direct award in the Transparency Code CSV', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: `/a/${slug}/procurement/contracts` });
    expect(page.body).toContain('Direct award, without an invitation to quote or tender');
    const csv = (await ctx.app.inject({ method: 'GET', url: `/a/${slug}/procurement/contracts.csv` })).body;
    const line = csv.split(/\r?\n/).find((l) => l.includes('Kiosk maintenance'))!;
    expect(line).toMatch(/,direct award,no,no$/);
  });

  it('gives each direct award in OCDS to its named supplier, by the direct method, though it had no bid', async () => {
    const pkg = await ctx.services.ocds.releasePackage(authority, 'https://example.org/ocds');
    const releases = pkg.releases as Release[];
    const awarded = releases.filter((r) => r.tag.includes('award')).flatMap((r) => (r.awards as { suppliers: { name: string }[] }[]).flatMap((a) => a.suppliers.map((s) => s.name)));
    expect(awarded.sort()).toEqual(['Borough Care CIC', 'Borough Care CIC', 'Kiosk Makers Ltd']);
    const methods = releases.filter((r) => r.tag.includes('tender')).map((r) => (r.tender as { procurementMethod: string }).procurementMethod);
    expect(new Set(methods)).toEqual(new Set(['direct', 'open']));
  });
});

describe('the notices register', () => {
  it('lists a direct award\u2019s UK5 as due from its set-up, and recording it there records it on the direct award', async () => {
    const p = ctx.services.procurement;
    const n = ctx.services.procurementNotices;
    const t = await p.createTender(TEST_ACTOR, authorityId, directForm({ title: 'Kiosk batteries', directAwardGround: 'urgency' }));
    const uk5 = () => n.register(authorityId, today).then((all) => all.find((e) => e.code === 'UK5' && e.subject.id === t.id));
    const due = await uk5();
    expect(due).toMatchObject({ dueOn: today, published: false });
    expect((await refusalOf(n.recordPublished(TEST_ACTOR, authorityId, { key: due!.key, publishedOn: today }))).fields).toEqual({
      publishedOn: 'Name the supplier first: the transparency notice names the supplier the contract is to be awarded to',
    });
    await p.nameSupplier(TEST_ACTOR, authorityId, t.id, { supplierId });
    await n.recordPublished(TEST_ACTOR, authorityId, { key: due!.key, publishedOn: today });
    expect(await uk5()).toMatchObject({ published: true, publishedOn: today });
    const [row] = await ctx.database.db.select({ uk5PublishedOn: tenders.uk5PublishedOn }).from(tenders).where(eq(tenders.id, t.id));
    expect(row).toEqual({ uk5PublishedOn: today });
  });
});

describe('the pages', () => {
  it('shows a direct award\u2019s supplier, ground and steps, and walks its forms without JavaScript, with the error summary', async () => {
    const p = ctx.services.procurement;
    const t = await p.createTender(TEST_ACTOR, authorityId, directForm({ title: 'Kiosk software licence', directAwardGround: 'no_competition' }));
    const page = `/a/${slug}/procurement/tenders/${t.id}`;
    const browser = await signedInAs(ctx.app, officer);
    const first = (await browser.get(page)).body;
    expect(first).toContain('Ground: No competition, for technical reasons');
    expect(first).toContain('Name the supplier');
    expect(first).not.toContain('Bid for this contract');
    expect(first).not.toContain('How bids are scored');
    expect(first).not.toContain('Questions and answers');
    const early = await browser.submit(page, `${page}/direct-award`, { value: '' });
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual({ award: 'Name the supplier before the award: a direct award is made to the supplier the council names' });
    expect((await browser.submit(page, `${page}/supplier`, { supplierId })).statusCode).toBe(303);
    const wrong = await browser.submit(page, `${page}/transparency-notice`, { uk5PublishedOn: 'yesterday' });
    expect(Object.keys(errorSummary(wrong.body))).toEqual(['uk5PublishedOn']);
    expect((await browser.submit(page, `${page}/transparency-notice`, { uk5PublishedOn: today })).statusCode).toBe(303);
    expect((await browser.submit(page, `${page}/direct-award`, { value: '' })).statusCode).toBe(303);
    const done = (await browser.get(page)).body;
    expect(done).toContain('Awarded to Kiosk Makers Ltd');
    expect(done).toContain('the standstill ends on');
  });

  it('lets an officer name the supplier on the tender form', async () => {
    const browser = await signedInAs(ctx.app, officer);
    const form = `/a/${slug}/procurement/tenders/new`;
    expect((await browser.get(form)).body).toContain('Kiosk Makers Ltd');
    const res = await browser.submit(form, `/a/${slug}/procurement/tenders`, { ...directForm({ title: 'Kiosk spare parts' }), supplierId });
    expect(res.statusCode).toBe(303);
    const [row] = await ctx.database.db.select().from(tenders).where(and(eq(tenders.authorityId, authorityId), eq(tenders.title, 'Kiosk spare parts')));
    expect(row).toMatchObject({ directAwardSupplierId: supplierId, procedure: 'direct_award' });
  });
});
