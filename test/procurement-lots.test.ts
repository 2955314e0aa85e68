/**
 * A tender in lots on a real database: each bid is for one lot and sealed to it, one bid per lead
 * per lot (in the service and the database), the database refusing a bid outside the tender's lots;
 * each lot evaluated, moderated and awarded on its own, with its own award letters and contract,
 * and the tender awarded once every lot is. A lot may be decided not to be awarded (s.55): only its
 * bidders are told, its UK12 falls due, it is refused an award, a score or a bid afterwards (the
 * database too), and the tender closes once every lot is settled. A bidder sees the lots its own
 * organisation has bid for, and only the others are offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { addDays, formatDate, londonToday } from '../src/lib/dates.ts';
import { tenders } from '../src/modules/procurement/tables.ts';
import { outboxMessages } from '../src/lib/outbox/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { bearer, decode, expectFormErrors, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext, refusalOf } from './helpers.ts';

let ctx: TestContext;
let authorityId: string;
let slug: string;
let officer: Awaited<ReturnType<typeof newUser>>;
let lead: Awaited<ReturnType<typeof newUser>>;
let rival: Awaited<ReturnType<typeof newUser>>;
let kitchen: Awaited<ReturnType<typeof newUser>>;
/** Someone else in Brixton Friends Together, who did not send its bids. */
let colleague: Awaited<ReturnType<typeof newUser>>;
const ids: Record<string, string> = {};

const fields = async (p: Promise<unknown>) => (await refusalOf(p)).fields;

/** What the database said when it refused a statement. */
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return `${(err as Error).message} ${((err as { cause?: Error }).cause?.message) ?? ''}`;
  }
  throw new Error('expected the database to refuse');
};

const lotsTender = (title: string) => ({
  title, description: 'Befriending visits for older residents, north and south of the borough.', serviceArea: 'Adult social care',
  cpvCode: '85311000-2', contractType: 'light_touch', valueExVat: '150,000', valueInclVat: '180,000', procedure: 'open', termMonths: '24',
  clarificationsCloseOn: addDays(londonToday(), 5), closesOn: addDays(londonToday(), 10), priceWeight: '40', qualityWeight: '60', socialValueWeight: '0',
  lots: 'North | 60,000\nSouth | 90,000',
});

beforeAll(async () => {
  ctx = await startTestApp();
  const s = ctx.services;
  const authority = await newAuthority(s, 'Lots Borough');
  authorityId = authority.id;
  slug = authority.slug;
  officer = await newUser(s, authorityId, 'officer');
  lead = await newUser(s, authorityId, 'community_rep');
  rival = await newUser(s, authorityId, 'community_rep');
  const add = async (user: { id: string; email: string }, name: string, type: string, size: string) => {
    const org = await s.organisations.create(TEST_ACTOR, authorityId, { name, type });
    await s.organisationPeople.add(TEST_ACTOR, authorityId, org.id, { email: user.email, roleTitle: 'Chair' });
    return (await s.procurement.registerSupplier(TEST_ACTOR, authorityId, user.id, { organisationId: org.id, size, locality: 'in_area' })).id;
  };
  ids.friends = await add(lead, 'Brixton Friends Together', 'charity', 'micro');
  ids.rival = await add(rival, 'National Care Ltd', 'private_company', 'large');
  kitchen = await newUser(s, authorityId, 'community_rep');
  ids.kitchen = await add(kitchen, 'Stockwell Kitchen CIC', 'social_enterprise', 'small');
  colleague = await newUser(s, authorityId, 'community_rep');
  const friends = (await s.procurement.listSuppliers(authorityId)).find((x) => x.id === ids.friends)!;
  await s.organisationPeople.add(TEST_ACTOR, authorityId, friends.organisationId, { email: colleague.email, roleTitle: 'Treasurer' });
});
afterAll(() => ctx.close());

describe('bidding per lot', () => {
  let tenderId: string;
  let north: string;
  let south: string;

  beforeAll(async () => {
    tenderId = (await ctx.services.procurement.createTender(TEST_ACTOR, authorityId, lotsTender('Befriending in two lots'))).id;
    [north, south] = (await ctx.services.procurement.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string];
  });

  it('keeps each lot with its own estimated value', async () => {
    const { lots } = await ctx.services.procurement.getTender(authorityId, tenderId);
    expect(lots.map((l) => [l.position, l.title, l.valueExVatPence])).toEqual([[1, 'North', 60_000_00], [2, 'South', 90_000_00]]);
  });

  it('takes one sealed bid per lead per lot, and asks which lot', async () => {
    const p = ctx.services.procurement;
    const bid = { leadSupplierId: ids.friends, price: '50,000', qualityResponse: 'Volunteers from every estate in the north.' };
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, bid))).toEqual({ lotId: 'Select the lot you are bidding for' });
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { ...bid, lotId: '00000000-0000-4000-8000-000000000000' }))).toEqual({ lotId: 'Select the lot you are bidding for' });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { ...bid, lotId: north });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { ...bid, lotId: south, price: '80,000' });
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { ...bid, lotId: north }))).toEqual({ leadSupplierId: 'Brixton Friends Together has already bid for this lot' });
    expect((await p.receiptsFor(authorityId, tenderId, lead.id)).map((r) => r.lotId).sort()).toEqual([north, south].sort());
  });

  it('refuses in the database a second bid in a lot, a bid outside every lot, and a lot of another tender', async () => {
    const other = (await ctx.services.procurement.createTender(TEST_ACTOR, authorityId, lotsTender('Another tender in lots'))).id;
    const [otherLot] = (await ctx.services.procurement.getTender(authorityId, other)).lots;
    const insert = (lotId: string | null) =>
      ctx.database.db.execute(sql`insert into bids (id, authority_id, tender_id, lot_id, lead_supplier_id, submitted_by, submitted_at, sealed) values (gen_random_uuid(), ${authorityId}, ${tenderId}, ${lotId}, ${ids.rival}, ${rival.id}, now(), 'v1.a.b.c')`);
    expect(await refusal(insert(null))).toMatch(/names no lot, and the tender has lots/);
    expect(await refusal(insert(otherLot!.id))).toMatch(/which is not a lot of tender/);
    expect(await refusal(ctx.database.db.execute(sql`insert into bids (id, authority_id, tender_id, lot_id, lead_supplier_id, submitted_by, submitted_at, sealed) values (gen_random_uuid(), ${authorityId}, ${tenderId}, ${north}, ${ids.friends}, ${lead.id}, now(), 'v1.a.b.c')`))).toMatch(/bids_one_per_lead_per_lot/);
    const counted = (await ctx.database.db.execute(sql`select count(*)::int as n from bids where tender_id = ${tenderId}`)) as unknown as { rows: { n: number }[] };
    expect(counted.rows[0]!.n).toBe(2);
  });
});

/** The officer's score and the moderated score of each bid in a lot, by its lead (`agreed`: supplier id → score). */
const scoreAndModerate = async (tenderId: string, lotId: string, agreed: Record<string, string>) => {
  const p = ctx.services.procurement;
  const ev = await p.evaluation(authorityId, tenderId, officer.id, lotId);
  const quality = ev.criteria.find((c) => c.kind === 'quality')!.id;
  const cell = (prefix: string, supplierId: string) => `${prefix}-${ev.bids.find((b) => b.lead.id === supplierId)!.id}-${quality}`;
  const body = (prefix: string) => Object.fromEntries(Object.keys(agreed).map((s) => [cell(prefix, s), agreed[s]!]));
  await p.score(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: lotId, ...body('score') });
  await p.moderate(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: lotId, ...body('agreed'), ...Object.fromEntries(Object.keys(agreed).map((s) => [cell('reason', s), 'Agreed at moderation'])) });
};

/** Moves a tender's deadline into the past, as if it had closed. */
const closeBids = (tenderId: string) => ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tenderId));

describe('evaluation and award per lot', () => {
  let tenderId: string;
  let north: string;
  let south: string;

  beforeAll(async () => {
    const p = ctx.services.procurement;
    tenderId = (await p.createTender(TEST_ACTOR, authorityId, lotsTender('Lunch clubs in two lots'))).id;
    [north, south] = (await p.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string];
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { lotId: north, leadSupplierId: ids.friends, price: '60,000', qualityResponse: 'Lunch clubs run by northern volunteers.' });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { lotId: north, leadSupplierId: ids.rival, price: '50,000', qualityResponse: 'A national lunch club model, north.' });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { lotId: south, leadSupplierId: ids.rival, price: '90,000', qualityResponse: 'A national lunch club model, south.' });
    await closeBids(tenderId);
    await p.declare(TEST_ACTOR, authorityId, tenderId, officer.id, { conflicted: 'no' });
  });

  it('shows an evaluator only the bids in the lot they evaluate, and asks for the lot', async () => {
    const p = ctx.services.procurement;
    expect((await p.evaluation(authorityId, tenderId, officer.id, north)).bids.map((b) => b.lead.name).sort()).toEqual(['Brixton Friends Together', 'National Care Ltd']);
    expect((await p.evaluation(authorityId, tenderId, officer.id, south)).bids.map((b) => [b.lead.name, b.content.pricePence])).toEqual([['National Care Ltd', 90_000_00]]);
    expect((await p.evaluation(authorityId, tenderId, officer.id)).bids).toEqual([]);
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer.id, {}))).toEqual({ form: 'Select the lot to score' });
    expect(await fields(p.award(TEST_ACTOR, authorityId, tenderId, officer.id, {}))).toEqual({ form: 'Select the lot to award' });
  });

  it('refuses to award a lot before its moderation, naming the lot', async () => {
    expect(await fields(ctx.services.procurement.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north }))).toEqual({ award: 'Moderate every bid’s quality score for North before you award it' });
  });

  it('awards a lot to its own winner, as its own contract, telling only that lot’s bidders', async () => {
    const p = ctx.services.procurement;
    await scoreAndModerate(tenderId, north, { [ids.friends!]: '5', [ids.rival!]: '2' });
    const { award, contract } = await p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north });
    // Friends: price 40 × 50/60 = 33.33, quality 60 → 93.33; National Care: price 40, quality 24 → 64.
    expect(award.scores.map((s) => [s.supplier, s.total])).toEqual([['Brixton Friends Together', '93.33'], ['National Care Ltd', '64.00']]);
    expect(award.lotId).toBe(north);
    const ref = (await p.getTender(authorityId, tenderId)).tender.ref.replace('T-', 'C-');
    expect(contract).toMatchObject({ ref: `${ref}-L1`, lotId: north, title: 'Lunch clubs in two lots: North', supplierId: ids.friends, valuePence: 60_000_00 });
    expect(contract.startsOn > award.awardNoticeOn!).toBe(true);
    const view = await p.getTender(authorityId, tenderId);
    expect(view.tender.status).toBe('open');
    expect(view.tender.awardNoticeOn).toBe(award.awardNoticeOn);
    expect(view.awards.map((a) => [a.lotId, a.supplier])).toEqual([[north, 'Brixton Friends Together']]);
    const letters = (await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.authorityId, authorityId))).filter((m) => m.subject.includes('Lunch clubs in two lots'));
    expect(letters.map((m) => [m.toAddress, m.subject]).sort()).toEqual([
      [lead.email, `${view.tender.ref} Lunch clubs in two lots, North: award decision`],
      [rival.email, `${view.tender.ref} Lunch clubs in two lots, North: award decision`],
    ].sort());
    expect(letters.find((m) => m.toAddress === rival.email)!.body).toContain('Your bid for North was not chosen. The contract for North is to be awarded to Brixton Friends Together.');
    expect(letters.find((m) => m.toAddress === rival.email)!.body).toContain('Total: your bid 64.00, winning bid 93.33');
    expect(await fields(p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north }))).toEqual({});
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north }))).toEqual({});
    expect(await fields(p.cancel(TEST_ACTOR, authorityId, tenderId, { reason: 'Moving in house' }))).toEqual({ reason: 'A lot of this tender has been awarded, so the tender as a whole cannot be left unawarded' });
  });

  it('awards the tender once its last lot is awarded, each lot its own contract in the register', async () => {
    const p = ctx.services.procurement;
    await scoreAndModerate(tenderId, south, { [ids.rival!]: '3' });
    const { contract } = await p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: south });
    expect(contract).toMatchObject({ lotId: south, supplierId: ids.rival, valuePence: 90_000_00 });
    expect((await p.getTender(authorityId, tenderId)).tender.status).toBe('awarded');
    const register = (await p.listContracts(authorityId)).filter((c) => c.tenderId === tenderId);
    expect(register.map((c) => [c.title, c.supplier.name]).sort()).toEqual([['Lunch clubs in two lots: North', 'Brixton Friends Together'], ['Lunch clubs in two lots: South', 'National Care Ltd']]);
  });
});

describe('pages and API for lots', () => {
  let tenderId: string;
  let north: string;
  let south: string;
  let base: string;

  beforeAll(async () => {
    const browser = await signedInAs(ctx.app, officer);
    const made = await browser.submit(`/a/${slug}/procurement/tenders/new`, `/a/${slug}/procurement/tenders`, lotsTender('Gardening in two lots'));
    expect(made.statusCode).toBe(303);
    base = made.headers.location as string;
    tenderId = base.split('/').pop()!;
    [north, south] = (await ctx.services.procurement.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string];
  });

  it('refuses lots worth more than the tender with the GOV.UK error summary', async () => {
    const browser = await signedInAs(ctx.app, officer);
    const res = await browser.submit(`/a/${slug}/procurement/tenders/new`, `/a/${slug}/procurement/tenders`, { ...lotsTender('Too much'), lots: 'North | 100,000\nSouth | 60,000' });
    expect(res.statusCode).toBe(400);
    expectFormErrors(res.body, { lots: 'The lots’ values add up to more than the tender’s value without VAT' });
  });

  it('lists the lots on the tender page and asks on the bid form which lot', async () => {
    const page = decode((await ctx.app.inject({ method: 'GET', url: base })).body);
    expect(page).toContain('Lot 1: North');
    expect(page).toContain('£60,000.00');
    expect(page).toContain('Lot 2: South');
    const browser = await signedInAs(ctx.app, lead);
    const form = decode((await browser.get(`${base}/bid`)).body);
    expect(form).toContain('Which lot you are bidding for');
    expect(form).toContain('North (estimated £60,000.00 without VAT)');
    const missing = await browser.submit(`${base}/bid`, `${base}/bids`, { leadSupplierId: ids.friends!, price: '40,000', qualityResponse: 'Gardeners from the estates.' });
    expect(missing.statusCode).toBe(400);
    expectFormErrors(missing.body, { lotId: 'Select the lot you are bidding for' });
    const sent = await browser.submit(`${base}/bid`, `${base}/bids`, { lotId: north, leadSupplierId: ids.friends!, price: '40,000', qualityResponse: 'Gardeners from the estates.' });
    expect(sent.statusCode).toBe(303);
    const receipt = decode((await browser.get(base)).body);
    expect(receipt).toMatch(/We received your bid for North on \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}[ap]m\. [^<]+ is the lead bidder\./);
    expect(receipt).toContain('no one can read your bid before then, council staff included');
  });

  it('describes the lot of a bid and the lots of a tender in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    const bids = doc.paths['/api/v1/authorities/{authority}/tenders/{tender}/bids'].post;
    expect(bids.requestBody.content['application/json'].schema.properties.lotId).toMatchObject({ type: 'string', format: 'uuid' });
    const tender = doc.paths['/api/v1/authorities/{authority}/tenders/{tender}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(tender.properties.lotDetails.items.properties).sort()).toEqual(['awarded', 'id', 'notAwarded', 'position', 'title', 'valueExVatPence']);
  });

  it('says when a lot has no estimated value of its own', async () => {
    const id = (await ctx.services.procurement.createTender(TEST_ACTOR, authorityId, { ...lotsTender('Hedges in two lots'), lots: 'East\nWest | 10,000' })).id;
    const rows = [...decode((await ctx.app.inject({ method: 'GET', url: `/a/${slug}/procurement/tenders/${id}` })).body).matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(expect.arrayContaining(['Lot 1: East Not given Not yet awarded', 'Lot 2: West £10,000.00 Not yet awarded']));
  });

  it('takes a bid for a lot through the API, and gives the lots with their ids', async () => {
    const tender = (await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/tenders/${tenderId}` })).json();
    expect(tender.lots).toEqual(['North', 'South']);
    expect(tender.lotDetails).toEqual([
      { id: north, position: 1, title: 'North', valueExVatPence: 60_000_00, awarded: false, notAwarded: false },
      { id: south, position: 2, title: 'South', valueExVatPence: 90_000_00, awarded: false, notAwarded: false },
    ]);
    const { token } = await ctx.services.accounts.createApiToken(TEST_ACTOR, rival.id, 'bids');
    const url = `/api/v1/authorities/${slug}/tenders/${tenderId}/bids`;
    const noLot = await ctx.app.inject({ method: 'POST', url, headers: bearer(token), payload: { leadSupplierId: ids.rival, price: '30,000', qualityResponse: 'Grounds maintenance teams.' } });
    expect(noLot.statusCode).toBe(400);
    expect(noLot.json().error.fields).toEqual({ lotId: 'Select the lot you are bidding for' });
    for (const lotId of [north, south]) {
      const res = await ctx.app.inject({ method: 'POST', url, headers: bearer(token), payload: { lotId, leadSupplierId: ids.rival, price: '30,000', qualityResponse: 'Grounds maintenance teams.' } });
      expect(res.statusCode).toBe(201);
    }
  });

  it('evaluates and awards a lot through the pages, the rest of the tender still to award', async () => {
    await ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tenderId));
    const browser = await signedInAs(ctx.app, officer);
    const evaluation = `${base}/evaluation`;
    const overview = decode((await browser.get(evaluation)).body);
    expect(overview).toContain(`href='${evaluation}?lot=${south}'>Lot 2: South</a>`);
    expect(overview).not.toContain('Gardeners from the estates.');
    expect((await browser.submit(evaluation, `${base}/evaluation/declaration`, { conflicted: 'no' })).statusCode).toBe(303);
    const lotPage = `${evaluation}?lot=${north}`;
    const page = decode((await browser.get(lotPage)).body);
    expect(page).toContain('Evaluate Gardening in two lots: North');
    expect(page).toContain('Gardeners from the estates.');
    expect(page).toContain(`<input type="hidden" name="lot" value="${north}">`);
    const ev = await ctx.services.procurement.evaluation(authorityId, tenderId, officer.id, north);
    const quality = ev.criteria.find((c) => c.kind === 'quality')!.id;
    const refused = await browser.submit(lotPage, `${base}/award`, { lot: north });
    expect(refused.statusCode).toBe(400);
    expectFormErrors(refused.body, { award: 'Moderate every bid’s quality score for North before you award it' });
    const cells = (prefix: string, value: string) => Object.fromEntries(ev.bids.map((b) => [`${prefix}-${b.id}-${quality}`, value]));
    const scored = await browser.submit(lotPage, `${base}/evaluation/scores`, { lot: north, ...cells('score', '4') });
    expect(scored.headers.location).toBe(lotPage);
    await browser.submit(lotPage, `${base}/evaluation/moderation`, { lot: north, ...cells('agreed', '4'), ...cells('reason', 'Both strong') });
    const awarded = await browser.submit(lotPage, `${base}/award`, { lot: north });
    expect(awarded.statusCode).toBe(303);
    expect(decode((await browser.get(lotPage)).body)).toContain('North awarded. The award notice went out');
    const tenderPage = decode((await browser.get(base)).body);
    expect(tenderPage).toContain('Awarded to National Care Ltd');
    expect(tenderPage).toContain('Not yet awarded');
  });
});

/** The transaction that last wrote a row (xmin): a change and its audit entry share it when they are written together. */
const writtenBy = async (table: string, id: string) => {
  const result = (await ctx.database.db.execute(sql`select xmin::text as tx from ${sql.identifier(table)} where id = ${id}`)) as unknown as { rows: { tx: string }[] };
  return result.rows[0]!.tx;
};
/** Who was written to about a tender, and what about. */
const lettersAbout = async (title: string) =>
  (await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.authorityId, authorityId))).filter((m) => m.subject.includes(title)).map((m) => [m.toAddress, m.subject]).sort();

describe('deciding not to award a lot (s.55)', () => {
  const title = 'Day centres in three lots';
  let tenderId: string;
  let north: string;
  let south: string;
  let east: string;

  beforeAll(async () => {
    const p = ctx.services.procurement;
    tenderId = (await p.createTender(TEST_ACTOR, authorityId, { ...lotsTender(title), lots: 'North | 50,000\nSouth | 50,000\nEast | 50,000' })).id;
    [north, south, east] = (await p.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string, string];
    const bid = (user: { id: string }, lotId: string, leadSupplierId: string) => p.submitBid(TEST_ACTOR, authorityId, tenderId, user.id, { lotId, leadSupplierId, price: '45,000', qualityResponse: 'Day centres run with the neighbourhood.' });
    await bid(lead, north, ids.friends!);
    await bid(rival, north, ids.rival!);
    await bid(lead, south, ids.friends!);
    await bid(kitchen, east, ids.kitchen!);
    await closeBids(tenderId);
    await p.declare(TEST_ACTOR, authorityId, tenderId, officer.id, { conflicted: 'no' });
  });

  it('asks which lot and why, and refuses on a tender without lots', async () => {
    const p = ctx.services.procurement;
    expect(await fields(p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, {}))).toEqual({ lot: 'Select the lot not to award', lotReason: 'Give the reason for not awarding, in 3 to 2,000 characters' });
    const single = (await p.createTender(TEST_ACTOR, authorityId, { ...lotsTender('One contract, no lots'), lots: '' })).id;
    expect(await fields(p.decideNotToAwardLot(TEST_ACTOR, authorityId, single, { lot: north, lotReason: 'Not needed' }))).toEqual({ lot: 'This tender has no lots: decide not to award the tender as a whole' });
  });

  it('tells only that lot’s bidders, audits it in the same transaction, plans its UK12 for today and leaves the other lots open', async () => {
    const p = ctx.services.procurement;
    await p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, { lot: north, lotReason: 'The north day centre is closing' });
    const ref = (await p.getTender(authorityId, tenderId)).tender.ref;
    expect(await lettersAbout(title)).toEqual([[lead.email, `${ref} ${title}, North: not awarded`], [rival.email, `${ref} ${title}, North: not awarded`]].sort());
    const [letter] = (await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, rival.email))).filter((m) => m.subject.includes(title));
    expect(letter!.body).toContain('Reason: The north day centre is closing');
    const [entry] = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.action, 'tender.lot-not-awarded'), eq(auditLog.entityId, tenderId)));
    expect(entry!.reason).toBe('The north day centre is closing');
    expect(await writtenBy('audit_log', entry!.id)).toBe(await writtenBy('tender_lots', north));
    const view = await p.getTender(authorityId, tenderId);
    expect(view.tender.status).toBe('open');
    expect(view.lots.map((l) => [l.title, l.notAwardedReason])).toEqual([['North', 'The north day centre is closing'], ['South', null], ['East', null]]);
    expect(view.notices.filter((n) => n.code === 'UK12').map((n) => [n.title, n.dueOn])).toEqual([['Procurement termination notice for North', londonToday()]]);
    const register = (await ctx.services.procurementNotices.register(authorityId)).filter((e) => e.code === 'UK12' && e.subject.id === tenderId);
    expect(register.map((e) => [e.key, e.overdue])).toEqual([[`tender:${tenderId}:UK12:${north}:${londonToday()}`, false]]);
  });

  it('refuses afterwards to award, score or decide the lot again, in the service and the database', async () => {
    const p = ctx.services.procurement;
    const decided = `The council decided on ${formatDate(londonToday())} not to award North, so it cannot be awarded or scored`;
    expect(await fields(p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north }))).toEqual({ award: decided });
    expect(await fields(p.score(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: north }))).toEqual({ form: decided });
    expect(await fields(p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, { lot: north, lotReason: 'Again' }))).toEqual({ lot: 'The council has already decided not to award North' });
    const [bid] = await ctx.database.db.execute(sql`select id from bids where lot_id = ${north} limit 1`).then((r) => (r as unknown as { rows: { id: string }[] }).rows);
    expect(await refusal(ctx.database.db.execute(sql`insert into tender_awards (id, authority_id, tender_id, lot_id, bid_id, decided_at, scores) values (gen_random_uuid(), ${authorityId}, ${tenderId}, ${north}, ${bid!.id}, now(), '[]')`))).toMatch(/was decided not to be awarded, so it cannot be awarded/);
    expect(await refusal(ctx.database.db.execute(sql`update tender_lots set not_awarded_reason = 'Changed our minds' where id = ${north}`))).toMatch(/that decision is final/);
    expect(await refusal(ctx.database.db.execute(sql`update tender_lots set not_awarded_at = null, not_awarded_reason = null where id = ${north}`))).toMatch(/that decision is final/);
    expect(await refusal(ctx.database.db.execute(sql`update tender_lots set not_awarded_at = now() where id = ${south}`))).toMatch(/tender_lots_not_awarded_with_reason/);
  });

  it('awards the other lots as before, and closes the tender once every lot is awarded or not', async () => {
    const p = ctx.services.procurement;
    await scoreAndModerate(tenderId, south, { [ids.friends!]: '4' });
    await p.award(TEST_ACTOR, authorityId, tenderId, officer.id, { lot: south });
    expect((await p.getTender(authorityId, tenderId)).tender.status).toBe('open');
    expect(await fields(p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, { lot: south, lotReason: 'Too late' }))).toEqual({ lot: 'South has been awarded, so it cannot now be left unawarded' });
    expect(await refusal(ctx.database.db.execute(sql`update tender_lots set not_awarded_at = now(), not_awarded_reason = 'Too late' where id = ${south}`))).toMatch(/has been awarded, so it cannot be decided not to be awarded/);
    await p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, { lot: east, lotReason: 'No bid met the need' });
    expect((await p.getTender(authorityId, tenderId)).tender.status).toBe('awarded');
    expect((await lettersAbout(`${title}, East: not awarded`)).map(([to]) => to)).toEqual([kitchen.email]);
    expect(await fields(p.decideNotToAwardLot(TEST_ACTOR, authorityId, tenderId, { lot: east, lotReason: 'Again' }))).toEqual({});
  });

  it('cancels a tender none of whose lots is awarded, and takes no more bids for a lot not awarded', async () => {
    const p = ctx.services.procurement;
    const open = (await p.createTender(TEST_ACTOR, authorityId, lotsTender('Lunch clubs none awarded'))).id;
    const [a, b] = (await p.getTender(authorityId, open)).lots.map((l) => l.id) as [string, string];
    await p.decideNotToAwardLot(TEST_ACTOR, authorityId, open, { lot: a, lotReason: 'Funding withdrawn' });
    const bid = { leadSupplierId: ids.rival, price: '10,000', qualityResponse: 'Lunch clubs across the borough.' };
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, open, rival.id, { ...bid, lotId: a }))).toEqual({ lotId: 'The council decided not to award North, so it takes no bids' });
    expect(await refusal(ctx.database.db.execute(sql`insert into bids (id, authority_id, tender_id, lot_id, lead_supplier_id, submitted_by, submitted_at, sealed) values (gen_random_uuid(), ${authorityId}, ${open}, ${a}, ${ids.rival}, ${rival.id}, now(), 'v1.a.b.c')`))).toMatch(/no bid for it can be made/);
    await p.submitBid(TEST_ACTOR, authorityId, open, rival.id, { ...bid, lotId: b });
    await p.decideNotToAwardLot(TEST_ACTOR, authorityId, open, { lot: b, lotReason: 'Funding withdrawn' });
    const view = await p.getTender(authorityId, open);
    expect([view.tender.status, view.tender.cancelledOn]).toEqual(['cancelled', null]);
    expect(view.notices.filter((n) => n.code === 'UK12').map((n) => n.title)).toEqual(['Procurement termination notice for North', 'Procurement termination notice for South']);
  });

  it('still decides not to award the whole tender, after a lot was decided on its own', async () => {
    const p = ctx.services.procurement;
    const whole = (await p.createTender(TEST_ACTOR, authorityId, lotsTender('Gardens not awarded at all'))).id;
    const [a, b] = (await p.getTender(authorityId, whole)).lots.map((l) => l.id) as [string, string];
    const bid = { price: '10,000', qualityResponse: 'Gardens kept by the neighbours.' };
    await p.submitBid(TEST_ACTOR, authorityId, whole, rival.id, { ...bid, lotId: a, leadSupplierId: ids.rival });
    await p.submitBid(TEST_ACTOR, authorityId, whole, kitchen.id, { ...bid, lotId: b, leadSupplierId: ids.kitchen });
    await p.decideNotToAwardLot(TEST_ACTOR, authorityId, whole, { lot: a, lotReason: 'The north gardens are sold' });
    await p.cancel(TEST_ACTOR, authorityId, whole, { reason: 'The service is to be run in house' });
    // The north's bidder was told when the north was decided on; the whole decision tells the south's.
    expect(await lettersAbout('Gardens not awarded at all')).toEqual([[rival.email, expect.stringMatching(/Gardens not awarded at all, North: not awarded$/)], [kitchen.email, expect.stringMatching(/Gardens not awarded at all: not awarded$/)]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    const view = await p.getTender(authorityId, whole);
    expect([view.tender.status, view.tender.cancelledOn]).toEqual(['cancelled', londonToday()]);
    expect(view.notices.filter((n) => n.code === 'UK12').map((n) => n.title)).toEqual(['Procurement termination notice for North', 'Procurement termination notice']);
  });

  it('shows each lot as not awarded with its reason, and takes the decision through the page with the error summary', async () => {
    const base = `/a/${slug}/procurement/tenders/${tenderId}`;
    const rows = [...decode((await ctx.app.inject({ method: 'GET', url: base })).body).matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(expect.arrayContaining([
      `Lot 1: North £50,000.00 Not awarded: the council decided on ${formatDate(londonToday())} not to award it, because: The north day centre is closing`,
      'Lot 2: South £50,000.00 Awarded to Brixton Friends Together ( the contract )',
    ]));
    const officerBrowser = await signedInAs(ctx.app, officer);
    expect(decode((await officerBrowser.get(`${base}/evaluation`)).body)).toMatch(/Lot 1: North<\/a>\s*<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*2\s*<\/td>\s*<td class="govuk-table__cell">\s*Not awarded\s*</);
    const lotPage = decode((await officerBrowser.get(`${base}/evaluation?lot=${north}`)).body);
    expect(lotPage).toContain(`The council decided on ${formatDate(londonToday())} not to award North, because: The north day centre is closing`);
    expect(lotPage).not.toContain('Save your scores');
    expect(lotPage).not.toContain('to its highest-scoring bid');
    const p = ctx.services.procurement;
    const open = (await p.createTender(TEST_ACTOR, authorityId, lotsTender('Libraries in two lots'))).id;
    const [a] = (await p.getTender(authorityId, open)).lots.map((l) => l.id) as [string, string];
    const page = `/a/${slug}/procurement/tenders/${open}`;
    const browser = await signedInAs(ctx.app, officer);
    expect(decode((await browser.get(page)).body)).toContain('Decide not to award a lot');
    const missing = await browser.submit(page, `${page}/lots/not-awarded`, {});
    expect(missing.statusCode).toBe(400);
    expectFormErrors(missing.body, { lot: 'Select the lot not to award', lotReason: 'Give the reason for not awarding, in 3 to 2,000 characters' });
    const done = await browser.submit(page, `${page}/lots/not-awarded`, { lot: a, lotReason: 'The library is moving' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `${page}#lots`]);
    expect(decode((await browser.get(page)).body)).toContain('because: The library is moving');
    const api = (await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${slug}/tenders/${open}` })).json();
    expect(api.lotDetails.map((l: { title: string; notAwarded: boolean }) => [l.title, l.notAwarded])).toEqual([['North', true], ['South', false]]);
    // A bidder sees the decision, not the form.
    expect(decode((await (await signedInAs(ctx.app, rival)).get(page)).body)).not.toContain('Decide not to award');
  });
});

describe('a bidder’s own bids, lot by lot', () => {
  let tenderId: string;
  let north: string;
  let base: string;

  beforeAll(async () => {
    const p = ctx.services.procurement;
    tenderId = (await p.createTender(TEST_ACTOR, authorityId, lotsTender('Youth clubs in two lots'))).id;
    [north] = (await p.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string];
    base = `/a/${slug}/procurement/tenders/${tenderId}`;
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, lead.id, { lotId: north, leadSupplierId: ids.friends, price: '20,000', qualityResponse: 'Youth clubs in every estate.' });
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, rival.id, { lotId: north, leadSupplierId: ids.rival, price: '19,000', qualityResponse: 'A national youth club model.' });
  });

  it('lists the lots its organisation has bid for, whoever in it sent the bid, and offers only the others', async () => {
    expect((await ctx.services.procurement.receiptsFor(authorityId, tenderId, colleague.id)).map((r) => [r.lotId, r.lead])).toEqual([[north, 'Brixton Friends Together']]);
    const browser = await signedInAs(ctx.app, colleague);
    const form = decode((await browser.get(`${base}/bid`)).body);
    expect(form).toContain('Lots your organisation has bid for');
    expect(form).toMatch(/Lot 1: North\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Brixton Friends Together, received /);
    expect(form).not.toContain(`value="${north}"`);
    expect(form).toContain('South (estimated £90,000.00 without VAT)');
    expect(decode((await browser.get(base)).body)).toContain('We received your bid for North on');
  });

  it('shows nothing of anyone else’s bids', async () => {
    const browser = await signedInAs(ctx.app, kitchen);
    const form = decode((await browser.get(`${base}/bid`)).body);
    expect(form).not.toContain('has bid for');
    expect(form).not.toContain('Brixton Friends Together,');
    expect(form).toContain(`value="${north}"`);
    expect(decode((await browser.get(base)).body)).not.toContain('We received your bid');
    expect(await ctx.services.procurement.receiptsFor(authorityId, tenderId, kitchen.id)).toEqual([]);
    // The rival sees its own bid, never Brixton Friends Together's.
    expect((await ctx.services.procurement.receiptsFor(authorityId, tenderId, rival.id)).map((r) => r.lead)).toEqual(['National Care Ltd']);
  });

  it('offers no form once its organisation has bid for every lot, and refuses a second bid for a lot', async () => {
    const p = ctx.services.procurement;
    const [, south] = (await p.getTender(authorityId, tenderId)).lots.map((l) => l.id) as [string, string];
    await p.submitBid(TEST_ACTOR, authorityId, tenderId, colleague.id, { lotId: south, leadSupplierId: ids.friends, price: '30,000', qualityResponse: 'Youth clubs in the south too.' });
    expect(await fields(p.submitBid(TEST_ACTOR, authorityId, tenderId, colleague.id, { lotId: north, leadSupplierId: ids.friends, price: '30,000', qualityResponse: 'Youth clubs once more, please.' }))).toEqual({ leadSupplierId: 'Brixton Friends Together has already bid for this lot' });
    const browser = await signedInAs(ctx.app, lead);
    const form = decode((await browser.get(`${base}/bid`)).body);
    expect(form).toContain('Your organisation has bid for every lot still open to bids');
    expect(form).not.toContain('Send the sealed bid');
    const page = decode((await browser.get(base)).body);
    expect(page).not.toContain('Bid for this contract');
    expect(page.match(/We received your bid for (North|South) on/g)).toHaveLength(2);
  });
});
