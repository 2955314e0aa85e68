/**
 * Pooled budgets through the real services, pages and database: a board pools a budget, partners
 * contribute, the board allocates and top-slices an investment fund, money is released against an
 * approved business case and spent; statements and reconciliation; the database refusing a ledger
 * entry that does not balance; concurrent allocations that cannot overdraw (on PostgreSQL when
 * TEST_DATABASE_URL is set); each partner seeing and moving only its own money.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { bearer, expectFormErrors, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { ledgerPostings, ledgerTransactions, pooledAllocations } from '../src/modules/place-budgets/tables.ts';
import { newId } from '../src/lib/ids.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';
import type { BoardView, PooledBudget, Stream, Viewer } from '../src/modules/place-budgets/service.ts';

const CASE = {
  title: 'Early help for families',
  years: '3',
  schedule: 'standard',
  costOptimismBias: '0',
  cost0Year: '0',
  cost0Amount: '10000',
  cost0Payer: 'Council',
  benefit0Outcome: 'Fewer children in care',
  benefit0Kind: 'fiscal',
  benefit0Beneficiary: 'Council',
  benefit0Cashable: 'yes',
  benefit0UnitValue: '1000',
  benefit0FirstYearUnits: '10',
  benefit0StartYear: '1',
  benefit0DurationYears: '2',
  benefit0DropOff: '0',
  benefit0Deadweight: '0',
  benefit0Displacement: '0',
  benefit0Attribution: '0',
  benefit0OptimismBias: '0',
  uncertainty: '20',
  seed: '7',
};

describe('pooled budgets', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: User;
  let nhsRep: User;
  let policeRep: User;
  let board: BoardView;
  let budget: PooledBudget;
  let outcomeId: string;
  let streams: Record<'council' | 'nhs' | 'police', Stream>;
  const partner = (name: string) => board.partners.find((p) => p.name === name)!.id;
  const staff: Viewer = { userId: null, roles: ['officer'] };
  const as = (u: User): Viewer => ({ userId: u.id, roles: ['partner_officer'] });
  const pb = () => ctx.services.placeBudgets;
  const fieldsOf = (p: Promise<unknown>) => p.then(() => ({}), (e: { fields?: Record<string, string> }) => e.fields ?? { thrown: String(e) });

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    officer = await newUser(ctx.services, authority.id, 'officer');
    nhsRep = await newUser(ctx.services, authority.id, 'partner_officer');
    policeRep = await newUser(ctx.services, authority.id, 'partner_officer');
    const org = async (name: string) => (await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name, type: 'partner_agency' })).id;
    const orgs = [await org('Test Council'), await org('Test NHS'), await org('Test Police')];
    outcomeId = (await ctx.services.outcomes.create(TEST_ACTOR, authority.id, { title: 'Children stay safely at home' })).id;
    const created = await pb().createBoard(TEST_ACTOR, authority.id, { name: 'Test Public Service Board', decisionRule: 'majority', partners: orgs });
    board = await pb().getBoard(authority.id, created.id);
    await pb().addRepresentative(TEST_ACTOR, authority.id, board.id, { partnerId: partner('Test NHS'), email: nhsRep.email });
    await pb().addRepresentative(TEST_ACTOR, authority.id, board.id, { partnerId: partner('Test Police'), email: policeRep.email });
    budget = await pb().createBudget(TEST_ACTOR, authority.id, board.id, { name: 'Families first pool', startsOn: '2026-04-01', years: '5', outcomes: [outcomeId] });
    const stream = (name: string, partnerName: string, extra = {}) => pb().addStream(TEST_ACTOR, staff, authority.id, budget.id, { partnerId: partner(partnerName), name, ...extra });
    streams = { council: await stream('Council early help', 'Test Council', { clawbackTerms: 'Unspent money at year end' }), nhs: await stream('Better Care Fund', 'Test NHS'), police: await stream('Police prevention', 'Test Police') };
    board = await pb().getBoard(authority.id, board.id);
  });
  afterAll(() => ctx.close());

  const move = (viewer: Viewer, kind: string, raw: Record<string, unknown>) => pb().recordMovement(TEST_ACTOR, viewer, authority.id, budget.id, kind, { occurredOn: '2026-05-01', description: `A ${kind}`, ...raw });

  it('records contributions, allocations, spend and returns as balanced movements, and reconciles them', async () => {
    await move(staff, 'contribution', { streamId: streams.council.id, amount: '50,000' });
    await move(as(nhsRep), 'contribution', { streamId: streams.nhs.id, amount: '30,000' });
    const { allocationId } = await move(staff, 'allocation', { streamId: streams.council.id, amount: '20,000', recipientKind: 'service', recipient: 'Family support service', outcomeId, agreedBy: [partner('Test Council'), partner('Test NHS')] });
    await move(staff, 'spend', { streamId: streams.council.id, amount: '15,000', allocationId, occurredOn: '2026-07-10' });
    await move(staff, 'return', { streamId: streams.council.id, amount: '1,000', allocationId, occurredOn: '2026-08-10' });

    const view = await pb().getBudget(authority.id, budget.id, staff);
    expect(view.totals).toEqual({ contributed: -8_000_000, available: 6_100_000, fund: 0, allocated: 400_000, spent: 1_500_000 });
    expect(view.allocations.map((a) => [a.recipient, a.allocatedPence, a.spentPence])).toEqual([['Family support service', 400_000, 1_500_000]]);

    const { statement, reconciliation } = await pb().partnerStatement(authority.id, budget.id, partner('Test Council'), '2026-27 Q2', staff);
    expect(statement.opening.available).toBe(3_000_000);
    expect(statement.lines.map((l) => [l.kind, l.amountPence, l.availableAfter])).toEqual([
      ['spend', 1_500_000, 3_000_000],
      ['return', 100_000, 3_100_000],
    ]);
    expect(reconciliation).toEqual([expect.objectContaining({ year: '2026-27', balanced: true, closing: { contributed: -5_000_000, available: 3_100_000, fund: 0, allocated: 400_000, spent: 1_500_000 } })]);

    // Every posting in the database balances per transaction.
    const sums = await ctx.database.db
      .select({ total: sql<number>`sum(${ledgerPostings.amountPence})`.mapWith(Number) })
      .from(ledgerPostings)
      .where(eq(ledgerPostings.authorityId, authority.id))
      .groupBy(ledgerPostings.transactionId);
    expect(sums).toHaveLength(5);
    expect(sums.every((r) => r.total === 0)).toBe(true);
  });

  it('refuses an allocation beyond the money available, a decision the board’s rule does not allow, and money outside its years, writing nothing', async () => {
    const before = (await ctx.database.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.budgetId, budget.id))).length;
    const allocate = (raw: Record<string, unknown>) => move(staff, 'allocation', { streamId: streams.nhs.id, recipientKind: 'grant', recipient: 'Carers grant', agreedBy: [partner('Test NHS'), partner('Test Police')], ...raw });
    expect(await fieldsOf(allocate({ amount: '30,000.01' }))).toEqual({ amount: 'Only £30,000.00 is available to allocate in this stream' });
    expect(await fieldsOf(allocate({ amount: '100', agreedBy: [partner('Test Police'), partner('Test Council')] }))).toEqual({ agreedBy: 'The partner whose money this is must agree' });
    expect(await fieldsOf(allocate({ amount: '100', agreedBy: [partner('Test NHS')] }))).toEqual({ agreedBy: 'The board’s rule is that a majority of partners agree' });
    expect(await fieldsOf(allocate({ amount: '100', occurredOn: '2031-04-01' }))).toEqual({ occurredOn: 'This stream’s money may move in years 1 to 5 of the budget only' });
    expect(await fieldsOf(move(staff, 'clawback', { streamId: streams.nhs.id, amount: '1', agreedBy: [partner('Test NHS'), partner('Test Police')] }))).toEqual({ streamId: 'This stream’s conditions allow no clawback' });
    expect((await ctx.database.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.budgetId, budget.id))).length).toBe(before);
    expect((await ctx.database.db.select().from(pooledAllocations).where(eq(pooledAllocations.streamId, streams.nhs.id))).length).toBe(0);
  });

  it('has the database refuse a ledger entry that does not balance, and any change to one written', async () => {
    const [existing] = await ctx.database.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.budgetId, budget.id)).limit(1);
    const attempt = ctx.database.db.transaction(async (tx) => {
      const id = newId();
      await tx.insert(ledgerTransactions).values({ ...existing!, id, createdAt: new Date() });
      await tx.insert(ledgerPostings).values({ id: newId(), authorityId: authority.id, transactionId: id, streamId: streams.council.id, account: 'available', allocationId: null, amountPence: 100 });
    });
    await expect(attempt).rejects.toThrow();
    expect((await ctx.database.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.budgetId, budget.id))).length).toBeGreaterThan(0);
    await expect(ctx.database.db.update(ledgerPostings).set({ amountPence: 1 }).where(eq(ledgerPostings.authorityId, authority.id))).rejects.toThrow();
    await expect(ctx.database.db.delete(ledgerTransactions).where(eq(ledgerTransactions.id, existing!.id))).rejects.toThrow();
  });

  it('lets no two concurrent allocations overdraw a stream', async () => {
    await move(as(policeRep), 'contribution', { streamId: streams.police.id, amount: '1,000' });
    const agreedBy = [partner('Test Police'), partner('Test NHS')];
    const attempts = Array.from({ length: 8 }, (_, i) => move(staff, 'allocation', { streamId: streams.police.id, amount: '300', recipientKind: 'project', recipient: `Street project ${i}`, agreedBy }));
    const settled = await Promise.allSettled(attempts);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    for (const s of settled.filter((x) => x.status === 'rejected')) expect((s as PromiseRejectedResult).reason.fields).toEqual({ amount: 'Only £100.00 is available to allocate in this stream' });
    const police = (await pb().getBudget(authority.id, budget.id, staff)).streams.find((s) => s.id === streams.police.id)!;
    expect(police.balances).toMatchObject({ available: 10_000, allocated: 90_000 });
  });

  it('shows each partner its own money and the pool’s totals, and lets it move only its own', async () => {
    const mine = await pb().getBudget(authority.id, budget.id, as(nhsRep));
    expect(mine.streams.map((s) => s.name)).toEqual(['Better Care Fund']);
    expect(mine.allocations).toEqual([]);
    expect(mine.totals).toEqual((await pb().getBudget(authority.id, budget.id, staff)).totals);
    await expect(pb().partnerStatement(authority.id, budget.id, partner('Test Council'), '2026-27 Q1', as(nhsRep))).rejects.toThrow(/not one whose money you may see/);
    expect(await fieldsOf(move(as(nhsRep), 'contribution', { streamId: streams.police.id, amount: '5' }))).toEqual({ streamId: 'You can move only the money of a partner you represent' });
    expect(await fieldsOf(pb().addStream(TEST_ACTOR, as(nhsRep), authority.id, budget.id, { partnerId: partner('Test Police'), name: 'Not mine' }))).toMatchObject({ partnerId: expect.any(String) });

    // Through the pages: the NHS statement downloads; the council's answers 404.
    const browser = await signedInAs(ctx.app, nhsRep);
    const base = `/a/${authority.slug}/place-budgets/budgets/${budget.id}/partners`;
    const csv = await browser.get(`${base}/${partner('Test NHS')}/statement.csv?quarter=${encodeURIComponent('2026-27 Q1')}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="statement-test-nhs-2026-27-Q1.csv"');
    expect(csv.body.split('\r\n')[2]).toBe('Test NHS,2026-27 Q1,2026-05-01,Better Care Fund,Contribution,A contribution,30000.00,30000.00');
    expect((await browser.get(`${base}/${partner('Test Council')}`)).statusCode).toBe(404);
    const page = await browser.get(`/a/${authority.slug}/place-budgets/budgets/${budget.id}`);
    expect(page.body).toContain('Better Care Fund');
    expect(page.body).not.toContain('Council early help');
  });

  it('answers the API with field-level errors and each partner’s own view', async () => {
    const { token } = await ctx.services.accounts.createApiToken(TEST_ACTOR, nhsRep.id, 'ledger test');
    const url = `/api/v1/authorities/${authority.slug}/place-budgets/${budget.id}`;
    const refused = await ctx.app.inject({ method: 'POST', url: `${url}/movements/allocation`, headers: bearer(token), payload: { streamId: streams.nhs.id, amount: '999,999', occurredOn: '2026-05-01', description: 'Too much', recipientKind: 'grant', recipient: 'Carers grant', agreedBy: [partner('Test NHS')] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({ amount: 'Only £30,000.00 is available to allocate in this stream', agreedBy: 'The board’s rule is that a majority of partners agree' });
    const made = await ctx.app.inject({ method: 'POST', url: `${url}/movements/contribution`, headers: bearer(token), payload: { streamId: streams.nhs.id, amount: '10', occurredOn: '2026-05-02', description: 'Through the API' } });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toEqual({ transactionId: expect.any(String), allocationId: null });
    const view = (await ctx.app.inject({ url, headers: bearer(token) })).json();
    expect(view.streams.map((x: { name: string }) => x.name)).toEqual(['Better Care Fund']);
    expect(view.streams[0].balances.available).toBe(3_001_000);
  });

  it('on an open-book board, shows every partner every partner’s figures, but still moves only its own', async () => {
    const orgs = board.partners.map((p) => p.organisationId);
    const open = await pb().createBoard(TEST_ACTOR, authority.id, { name: 'Open book board', decisionRule: 'unanimous', partners: orgs, openBook: 'yes' });
    const openBoard = await pb().getBoard(authority.id, open.id);
    const nhs = openBoard.partners.find((p) => p.name === 'Test NHS')!.id;
    await pb().addRepresentative(TEST_ACTOR, authority.id, open.id, { partnerId: nhs, email: nhsRep.email });
    const b = await pb().createBudget(TEST_ACTOR, authority.id, open.id, { name: 'Open pool', startsOn: '2026-04-01', years: '2', outcomes: [outcomeId] });
    const police = await pb().addStream(TEST_ACTOR, staff, authority.id, b.id, { partnerId: openBoard.partners.find((p) => p.name === 'Test Police')!.id, name: 'Police open stream' });
    const view = await pb().getBudget(authority.id, b.id, as(nhsRep));
    expect(view.streams.map((s) => s.name)).toEqual(['Police open stream']);
    expect(view.movable).toEqual([nhs]);
    expect(await fieldsOf(pb().recordMovement(TEST_ACTOR, as(nhsRep), authority.id, b.id, 'contribution', { streamId: police.id, amount: '5', occurredOn: '2026-05-01', description: 'Not mine' }))).toEqual({ streamId: 'You can move only the money of a partner you represent' });
  });

  it('runs the investment fund: top-slice, release only against an approved case, realised savings against its forecast', async () => {
    const agreedBy = [partner('Test Council'), partner('Test NHS')];
    await move(staff, 'top-slice', { streamId: streams.council.id, amount: '10,000', agreedBy });
    const c = await pb().saveCase(TEST_ACTOR, authority.id, null, CASE);
    const release = { streamId: streams.council.id, amount: '4,000', businessCaseId: c.id, agreedBy };
    expect(await fieldsOf(move(staff, 'release', release))).toEqual({ businessCaseId: 'Money is released from the investment fund only against an approved business case' });
    await pb().approveCase(TEST_ACTOR, authority.id, c.id);
    const { allocationId } = await move(staff, 'release', release);
    expect(await fieldsOf(move(staff, 'release', { ...release, amount: '6,000.01' }))).toEqual({ amount: 'Only £6,000.00 is in the investment fund in this stream' });
    const view = await pb().getBudget(authority.id, budget.id, staff);
    expect(view.allocations.find((a) => a.id === allocationId)).toMatchObject({ recipientKind: 'business_case', recipient: 'Early help for families', businessCaseId: c.id, allocatedPence: 400_000 });

    await pb().recordSaving(TEST_ACTOR, authority.id, c.id, { agency: 'Council', year: '1', amount: '7,500' });
    expect(await fieldsOf(pb().recordSaving(TEST_ACTOR, authority.id, c.id, { agency: 'Council', year: '3', amount: '1' }))).toEqual({ year: 'Enter a year of the case, from 0 to 2' });
    const appraised = await pb().getCase(authority.id, c.id);
    // 10 units × £1,000 in years 1 and 2 at 3.5%: 10,000/1.035 + 10,000/1.035² = £18,996.94.
    expect(appraised.appraisal).toMatchObject({ pvCosts: 1_000_000, pvBenefits: 1_899_694, npv: 899_694, paybackYear: 2 });
    expect(appraised.savings).toEqual([{ agency: 'Council', forecastPence: 1_899_694, realisedPence: 750_000 }]);
    expect(appraised.monteCarlo).toEqual((await pb().getCase(authority.id, c.id)).monteCarlo);
    await expect(pb().saveCase(TEST_ACTOR, authority.id, c.id, CASE)).rejects.toThrow(/approved business case cannot be changed/);
  });

  it('writes business cases on the web, naming the field of each mistake', async () => {
    const browser = await signedInAs(ctx.app, officer);
    const cases = `/a/${authority.slug}/place-budgets/cases`;
    const { cost0Year: _y, cost0Amount: _a, cost0Payer: _p, ...noCosts } = CASE;
    const bad = await browser.submit(`${cases}/new`, cases, { ...noCosts, benefit0Deadweight: '1.5', benefit0Kind: 'social' });
    expect(bad.statusCode).toBe(400);
    expectFormErrors(bad.body, {
      cost0Amount: 'A case needs at least one cost',
      benefit0Cashable: 'Only a fiscal benefit (a saving to a public agency) can be cashable',
      benefit0Deadweight: 'Deadweight must be between 0 and 1 (a share: 0.25 is 25%); it is 1.5',
    });
    const picked = await browser.submit(`${cases}/new`, cases, { ...CASE, title: 'Picked from GMCA', benefit0UnitValue: '', benefit0Beneficiary: '', benefit0UnitCode: 'nope' });
    expectFormErrors(picked.body, {
      benefit0UnitCode: 'There is no unit cost with the code nope: look it up in the unit cost database',
      benefit0UnitValue: 'Enter the value of one unit in pounds as a number',
      benefit0Beneficiary: 'Enter the agency or group that gains',
    });
    const entry = ctx.services.placeBudgets.unitCosts()!.entries[0]!;
    const ok = await browser.submit(`${cases}/new`, cases, { ...CASE, title: 'Picked from GMCA', benefit0UnitValue: '', benefit0Beneficiary: '', benefit0UnitCode: entry.code });
    expect(ok.statusCode).toBe(303);
    const page = await browser.get(ok.headers.location!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Net present value');
    const c = (await pb().listCases(authority.id)).find((x) => x.title === 'Picked from GMCA')!;
    expect(c.body.benefits).toEqual([expect.objectContaining({ unitCode: entry.code, unitValue: entry.fiscalCost / 100, beneficiary: entry.agency })]);
  });
});
