/**
 * Community budgets through the real app and database: an officer starts a round, a resident
 * proposes, the officer reviews (the proposer is told), members vote online and on paper, the
 * round closes and is counted, and the results explain themselves; one counted ballot per
 * person under concurrent submissions; Pabulib import (the real Assen 2024 election) and
 * export round trip; bad files refused by line with nothing written.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { Browser, decode, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { budgetBallots, budgetBallotChoices, budgetRounds } from '../src/modules/budgets/tables.ts';
import { outboxMessages } from '../src/lib/outbox/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { parsePb } from '../src/modules/budgets/counting/pb.ts';
import { tally } from '../src/modules/budgets/counting/rules.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';

const PABULIB = new URL('../../shared/data/pabulib/', import.meta.url);
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', PABULIB), 'utf8')) as Record<string, Record<string, string[]>>;

describe('community budgets', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: User;
  let residents: User[];

  const member = async () => {
    const user = await newUser(ctx.services, authority.id, 'resident', { postcode: 'SW2 1RW' });
    await ctx.services.membership.join(TEST_ACTOR, authority, user.id, { postcode: 'SW2 1RW', confirmResident: 'yes' });
    return user;
  };
  const signedIn = (user: User) => signedInAs(ctx.app, user);

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    officer = await newUser(ctx.services, authority.id, 'officer');
    residents = [await member(), await member(), await member()];
  });
  afterAll(() => ctx?.close());

  it('runs a round from ideas to an explained result, through the pages', async () => {
    const base = `/a/${authority.slug}/budgets`;
    const staff = await signedIn(officer);
    const created = await staff.submit(`${base}/new`, base, {
      title: 'Test neighbourhood fund', areaName: 'Whole borough', budget: '10,000', ballotKind: 'approval', minChoices: '1', maxChoices: '2',
      countingRule: 'mes_cost_add1_greedy', eligibility: ['member', 'lives_in_area'],
    });
    expect(created.statusCode).toBe(303);
    const roundUrl = String(created.headers.location);
    const roundId = roundUrl.split('/').pop()!;

    // Residents propose.
    const [ann, bob, cat] = await Promise.all(residents.map(signedIn));
    const titles = ['Benches by the market', 'Community fridge', 'Mural on the underpass'];
    const costs = ['6,000', '3,000', '5,000'];
    const proposalIds: string[] = [];
    for (const [i, browser] of [ann!, bob!, cat!].entries()) {
      const res = await browser.submit(`${roundUrl}/proposals/new`, `${roundUrl}/proposals`, { title: titles[i]!, description: `A project residents asked for, number ${i + 1}.`, cost: costs[i]! });
      expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
      proposalIds.push(String(res.headers.location).split('/').pop()!);
    }
    const tooDear = await ann!.submit(`${roundUrl}/proposals/new`, `${roundUrl}/proposals`, { title: 'A swimming pool', description: 'Far more than the budget.', cost: '2,000,000' });
    expect(tooDear.statusCode).toBe(400);
    expect(decode(tooDear.body)).toContain('The project cannot cost more than the area’s whole budget of £10,000.00');

    // Voting cannot open until every proposal is reviewed.
    for (const phase of ['proposals', 'review']) expect((await staff.submit(roundUrl, `${roundUrl}/phase`, { phase })).statusCode).toBe(303);
    const early = await staff.submit(roundUrl, `${roundUrl}/phase`, { phase: 'voting' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Review every proposal before voting opens: 3 still waiting');

    // The officer reviews: two feasible (one at a revised cost), one not; each proposer is told.
    const review = (id: string, fields: Record<string, string>) => staff.submit(`${roundUrl}/proposals/${id}/review`, `${roundUrl}/proposals/${id}/review`, fields);
    expect((await review(proposalIds[0]!, { decision: 'feasible', reason: 'Highways agree.', assessedCost: '6,500' })).statusCode).toBe(303);
    expect((await review(proposalIds[1]!, { decision: 'feasible', reason: 'The food bank will stock it.' })).statusCode).toBe(303);
    expect((await review(proposalIds[2]!, { decision: 'not_feasible', reason: 'The underpass belongs to Network Rail.' })).statusCode).toBe(303);
    const told = await ctx.database.db.select().from(outboxMessages).where(and(eq(outboxMessages.authorityId, authority.id), eq(outboxMessages.toAddress, residents[2]!.email)));
    expect(told.map((m) => m.subject)).toEqual(['Your proposal “Mural on the underpass” was not found feasible']);
    expect(told[0]!.body).toContain('The underpass belongs to Network Rail.');
    expect((await staff.submit(roundUrl, `${roundUrl}/phase`, { phase: 'voting' })).statusCode).toBe(303);

    // Members vote; bad ballots are refused saying why; a second ballot replaces the first.
    const tooMany = await ann!.submit(`${roundUrl}/ballot`, `${roundUrl}/ballot`, { choice: [proposalIds[0]!, proposalIds[1]!, proposalIds[2]!] });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('Your ballot includes a project that is not on this ballot');
    expect((await ann!.submit(`${roundUrl}/ballot`, `${roundUrl}/ballot`, { choice: proposalIds[1]! })).body).toContain('Your vote has been counted');
    const changed = await ann!.submit(`${roundUrl}/ballot`, `${roundUrl}/ballot`, { choice: [proposalIds[0]!, proposalIds[1]!] });
    expect(changed.body).toContain('Your vote has been changed');
    expect((await bob!.submit(`${roundUrl}/ballot`, `${roundUrl}/ballot`, { choice: proposalIds[0]! })).statusCode).toBe(200);

    // Paper: Ann again (her online ballot counts) and Cat, who votes only on paper.
    const paper = (email: string, choice: string, verified = 'yes') => staff.submit(`${roundUrl}/paper-ballots/new`, `${roundUrl}/paper-ballots`, { voterEmail: email, choice, officerVerified: verified, paperRef: 'P-1' });
    const unverified = await paper(residents[2]!.email, proposalIds[1]!, '');
    expect(unverified.statusCode).toBe(400);
    expect(decode(unverified.body)).toContain('Confirm that you have checked who the voter is');
    expect((await paper(residents[0]!.email, proposalIds[1]!)).body).toContain('The paper ballot was entered.');
    expect((await paper(residents[2]!.email, proposalIds[1]!)).statusCode).toBe(200);

    // Close and count.
    expect((await staff.submit(roundUrl, `${roundUrl}/phase`, { phase: 'results' })).statusCode).toBe(303);
    const late = await cat!.submit(`${roundUrl}/ballot`, `${roundUrl}/ballot`, { choice: proposalIds[0]! });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('Voting has closed');
    const refused = await ctx.services.budgets.castBallot(TEST_ACTOR, authority.id, roundId, { voterUserId: residents[2]!.id, channel: 'online', marks: new Map([[proposalIds[0]!, true]]), declaredMinimumAge: false }).catch((e: Error) => e);
    expect((refused as Error).message).toBe('Voting has closed');

    const [result] = await ctx.services.budgets.results(authority.id, roundId);
    expect(result!.ballotsCounted).toBe(3);
    expect(result!.paperSuperseded).toBe(1);
    const page = decode((await ctx.app.inject({ url: `${roundUrl}/results` })).body);
    expect(page).toContain('Paper ballots set aside');
    expect(page).toContain('these people also voted online');
    // Equal shares: £10,000 over 3 voters. The fridge (£3,000; Ann, Cat) and the benches (£6,500; Ann, Bob) both win.
    expect(new Set(result!.winners)).toEqual(new Set([proposalIds[0], proposalIds[1]]));
    expect(result!.spentPence).toBe(950_000);
    expect(page).toMatch(/Funded in round \d: its 2 supporters paid £3,000.00 between them/);

    // The ballots download as Pabulib and re-count to the same winners.
    const file = await ctx.app.inject({ url: `${base}/${roundId}/areas/${result!.areaId}/ballots.pb` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment; filename=".+\.pb"/);
    expect(file.body).not.toContain(residents[0]!.id);
    const election = parsePb(file.body);
    expect(election.votes.map((v) => v.voterId).sort()).toEqual(['1', '2', '3']);
    expect((await tally(election, 'mes_cost_add1_greedy')).winners).toEqual(['1', '2']);

    // The audit log says a ballot was cast, but not how.
    const entries = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, 'budget-ballot.cast')));
    expect(entries.length).toBe(4);
    for (const e of entries) expect(JSON.stringify(e.after)).not.toMatch(new RegExp(proposalIds.join('|')));
  });

  it('holds each member to one ballot when the same person submits many at once', async () => {
    const round = await ctx.services.budgets.createRound(TEST_ACTOR, authority.id, { title: 'Concurrency fund', budget: '1000', ballotKind: 'approval', countingRule: 'mes_cost', eligibility: ['member'] });
    const ids: string[] = [];
    for (const title of ['One project', 'Two project', 'Three project']) {
      ids.push((await ctx.services.budgets.propose(TEST_ACTOR, authority.id, round.id, { title, description: 'For the concurrency test.', cost: '100' }, { userId: residents[0]!.id, organisationId: null })).id);
    }
    for (const phase of ['proposals', 'review']) await ctx.services.budgets.advance(TEST_ACTOR, authority.id, round.id, phase);
    for (const id of ids) await ctx.services.budgets.review(TEST_ACTOR, authority.id, round.id, id, { decision: 'feasible', reason: 'Fine.' });
    await ctx.services.budgets.advance(TEST_ACTOR, authority.id, round.id, 'voting');

    const voter = residents[1]!;
    const attempts = Array.from({ length: 12 }, (_, i) =>
      ctx.services.budgets.castBallot(TEST_ACTOR, authority.id, round.id, { voterUserId: voter.id, channel: 'online', marks: new Map([[ids[i % 3]!, true]]), declaredMinimumAge: false }),
    );
    const settled = await Promise.allSettled(attempts);
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBe(12);
    const ballots = await ctx.database.db.select().from(budgetBallots).where(and(eq(budgetBallots.roundId, round.id), eq(budgetBallots.voterUserId, voter.id)));
    expect(ballots).toHaveLength(1);
    const choices = await ctx.database.db.select().from(budgetBallotChoices).where(eq(budgetBallotChoices.ballotId, ballots[0]!.id));
    expect(choices).toHaveLength(1); // exactly one submission's choice, never a mixture
  });

  it('imports the real Assen 2024 election as a closed round whose count matches pabutools, and refuses a bad file by line', async () => {
    const text = fs.readFileSync(new URL('Netherlands_Assen_2024.pb', PABULIB), 'utf8');
    const round = await ctx.services.budgets.importPb(TEST_ACTOR, authority.id, { fileName: 'Netherlands_Assen_2024.pb', text });
    expect(round.phaseNow).toBe('results');
    expect(round.currency).toBe('EUR');
    const [result] = await ctx.services.budgets.results(authority.id, round.id);
    const proposals = await ctx.services.budgets.listProposals(authority.id, round.id);
    const refs = result!.winners.map((id) => proposals.find((p) => p.id === id)!.ref).sort();
    expect(refs).toEqual(expected['Netherlands_Assen_2024.pb']!.mes_cost_add1_greedy);
    expect(result!.ballotsCounted).toBe(84);

    // Exported and read back, the same election: every ballot, and the same winners under every rule.
    const exported = await ctx.services.budgets.exportPb(authority.id, round.id, round.areas[0]!.id, authority.name);
    const again = parsePb(exported.text);
    expect(again.votes).toHaveLength(84);
    for (const rule of ['greedy_cost', 'mes_cost', 'mes_cost_add1_greedy', 'phragmen']) {
      expect((await tally(again, rule)).winners, rule).toEqual(expected['Netherlands_Assen_2024.pb']![rule]);
    }

    const before = (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(budgetRounds).where(eq(budgetRounds.authorityId, authority.id)))[0]!.n;
    const broken = text.replace('3;7200;43;PopUp Podium', '3;seven thousand;43;PopUp Podium');
    const err = await ctx.services.budgets.importPb(TEST_ACTOR, authority.id, { fileName: 'broken.pb', text: broken }).catch((e: Error & { fields?: Record<string, string> }) => e);
    expect((err as { fields: Record<string, string> }).fields.file).toMatch(/^broken\.pb line 20: The cost of project 3/);
    const after = (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(budgetRounds).where(eq(budgetRounds.authorityId, authority.id)))[0]!.n;
    expect(after).toBe(before);
  });

  it('closes and counts a round whose schedule has passed the end of voting, the first time anyone looks', async () => {
    const round = await ctx.services.budgets.createRound(TEST_ACTOR, authority.id, { title: 'Scheduled fund', budget: '500', ballotKind: 'approval', countingRule: 'greedy_cost', ideasStarts: '2020-01-01', votingStarts: '2020-02-01', resultsStarts: '2020-03-01' });
    expect(round.phaseNow).toBe('results');
    expect(await ctx.services.budgets.results(authority.id, round.id)).toEqual([]);
    const page = await ctx.app.inject({ url: `/a/${authority.slug}/budgets/${round.id}/results` });
    expect(page.statusCode).toBe(200);
    const results = await ctx.services.budgets.results(authority.id, round.id);
    expect(results).toHaveLength(1);
    const closes = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, round.id), eq(auditLog.action, 'budget-round.phase')));
    expect(closes.map((c) => c.reason)).toEqual(['Voting closed on the date set in the schedule']);
  });
});

describe('delivering the funded projects', () => {
  let ctx: TestContext;
  let authority: Authority;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx?.close());

  it('turns each winner into a public commitment when the round moves to delivery, and publishes its progress', async () => {
    const { budgets } = ctx.services;
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const voter = await newUser(ctx.services, authority.id, 'resident', { postcode: 'SW2 1RW' });
    await ctx.services.membership.join(TEST_ACTOR, authority, voter.id, { postcode: 'SW2 1RW', confirmResident: 'yes' });
    const round = await budgets.createRound(TEST_ACTOR, authority.id, { title: 'Delivery fund', budget: '1000', ballotKind: 'approval', countingRule: 'greedy_cost' });
    const won = await budgets.propose(TEST_ACTOR, authority.id, round.id, { title: 'Bird boxes', description: 'Bird boxes in the park.', cost: '400' }, { userId: voter.id, organisationId: null });
    const lost = await budgets.propose(TEST_ACTOR, authority.id, round.id, { title: 'Bench', description: 'A bench by the pond.', cost: '900' }, { userId: voter.id, organisationId: null });
    for (const phase of ['proposals', 'review']) await budgets.advance(TEST_ACTOR, authority.id, round.id, phase);
    for (const p of [won, lost]) await budgets.review(TEST_ACTOR, authority.id, round.id, p.id, { decision: 'feasible', reason: 'Fine.' });
    await budgets.advance(TEST_ACTOR, authority.id, round.id, 'voting');
    await budgets.castBallot(TEST_ACTOR, authority.id, round.id, { voterUserId: voter.id, channel: 'online', marks: new Map([[won.id, true]]), declaredMinimumAge: false });
    await budgets.advance(TEST_ACTOR, authority.id, round.id, 'results');
    expect(await budgets.listCommitments(authority.id, round.id)).toEqual([]);
    await budgets.advance(TEST_ACTOR, authority.id, round.id, 'delivery');
    const [commitment, ...others] = await budgets.listCommitments(authority.id, round.id);
    expect(others).toEqual([]);
    expect(commitment).toMatchObject({ proposalId: won.id, title: 'Bird boxes', status: 'not_started', percentComplete: 0 });

    const staff = new Browser(ctx.app);
    await staff.signIn(officer.email);
    const here = `/a/${authority.slug}/budgets/${round.id}/delivery/${commitment!.id}`;
    const bad = await staff.submit(here, `${here}/progress`, { note: '', percentComplete: '150' });
    expect(bad.statusCode).toBe(400);
    expect(decode(bad.body)).toContain('Enter how far along the project is as a whole number from 0 to 100');
    expect((await staff.submit(here, `${here}/progress`, { note: 'Boxes built by the school.', percentComplete: '60' })).statusCode).toBe(303);
    expect((await staff.submit(here, `${here}/milestones`, { title: 'Boxes up in the trees', milestoneDueOn: '2027-04-01' })).statusCode).toBe(303);
    const badDate = await staff.submit(here, `${here}/milestones`, { title: 'Opening', milestoneDueOn: '2027-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('href="#milestoneDueOn"');

    const [after] = await budgets.listCommitments(authority.id, round.id);
    expect(after).toMatchObject({ status: 'in_progress', percentComplete: 60 });
    expect(after!.milestones.map((m) => [m.title, m.dueOn, m.doneOn])).toEqual([['Boxes up in the trees', '2027-04-01', null]]);
    expect((await staff.submit(here, `${here}/milestones/${after!.milestones[0]!.id}/done`, {})).statusCode).toBe(303);

    // The payment that paid for it, found in the council's published spending by its transaction number.
    const spend = 'Date,Supplier,Amount,Expense Type,Service Area,Transaction Number\r\n14/05/2027,Lambeth Woodworks Ltd,400.00,Materials,Parks,TX-42\r\n';
    await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'may.csv', bytes: Buffer.from(spend) });
    expect((await staff.submit(here, here, { spendReference: 'TX-42', ownerOrganisationId: '', dueOn: '' })).statusCode).toBe(303);

    const publicPage = decode((await ctx.app.inject({ url: here })).body);
    expect(publicPage).toContain('The payment in the council’s published spending');
    expect(publicPage).toMatch(/Lambeth Woodworks Ltd<\/td><td class="govuk-table__cell">Parks<\/td><td class="govuk-table__cell govuk-table__cell--numeric">£400.00/);
    expect(publicPage).toContain('Boxes built by the school.');
    expect(publicPage).toContain('60% complete');
    expect(publicPage).not.toContain('Publish the report');
    const api = (await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/budgets/${round.id}/delivery` })).json();
    expect(api.items[0]).toMatchObject({ title: 'Bird boxes', status: 'in_progress', percentComplete: 60, updates: [{ note: 'Boxes built by the school.', percentComplete: 60 }] });
    expect(api.items[0].milestones[0].doneOn).not.toBeNull();

    const logged = await ctx.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, commitment!.id));
    expect(logged.map((l) => l.action).sort()).toEqual(['budget-commitment.progress', 'budget-commitment.update', 'budget-milestone.create', 'budget-milestone.done']);
  });
});

describe('pictures', () => {
  let ctx: TestContext;
  let authority: Authority;
  // The smallest real PNG: 1×1 pixel.
  const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

  /** A multipart form as a browser sends it, with the CSRF token from the page. */
  const multipart = (fields: Record<string, string>, file: { field: string; name: string; type: string; bytes: Buffer }) => {
    const boundary = '----coproduce-test-boundary';
    const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`;
    return { payload: Buffer.concat([Buffer.from(parts.join('') + head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx?.close());

  it('takes a proposal’s picture with its description, serves it as the image it is, and refuses anything else', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const round = await ctx.services.budgets.createRound(TEST_ACTOR, authority.id, { title: 'Picture fund', budget: '1000', ballotKind: 'approval', countingRule: 'greedy_cost' });
    const browser = new Browser(ctx.app);
    await browser.signIn(resident.email);
    const formUrl = `/a/${authority.slug}/budgets/${round.id}/proposals/new`;
    const send = async (file: { field: string; name: string; type: string; bytes: Buffer }, alt: string) => {
      const page = await browser.get(formUrl);
      expect(page.body).toContain('enctype="multipart/form-data"');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const form = multipart({ _csrf: token, title: 'Planters', description: 'Planters on the corner.', cost: '300', imageAlt: alt }, file);
      return browser.request({ method: 'POST', url: `/a/${authority.slug}/budgets/${round.id}/proposals`, payload: form.payload, headers: form.headers });
    };

    const svg = await send({ field: 'image', name: 'x.png', type: 'image/png', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') }, 'Not really a PNG');
    expect(svg.statusCode).toBe(400);
    expect(svg.body).toContain('The picture must be a JPEG or PNG file');
    const noAlt = await send({ field: 'image', name: 'corner.png', type: 'image/png', bytes: PNG }, '');
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.body).toContain('Describe what the picture shows');
    expect(await ctx.services.budgets.listProposals(authority.id, round.id)).toEqual([]);

    const ok = await send({ field: 'image', name: 'corner.png', type: 'application/octet-stream', bytes: PNG }, 'The empty corner by the bus stop');
    expect(ok.statusCode).toBe(303);
    const page = await ctx.app.inject({ url: String(ok.headers.location) });
    const src = /<img class="app-picture" src="([^"]+)" alt="The empty corner by the bus stop">/.exec(page.body)?.[1];
    expect(src).toBeDefined();
    const picture = await ctx.app.inject({ url: src! });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect(picture.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(picture.rawPayload, PNG)).toBe(0);
  });
});
