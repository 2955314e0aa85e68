/**
 * The commissioning cycle through the real app and database: an officer starts a project for a
 * service and takes it through Analyse, Plan, Do and Review with the pages, each stage refusing
 * to move on until it has what it needs; every change is audited; the review opens the next
 * cycle (or, decommissioned, ends it); residents see what is being commissioned, when they can
 * take part, the commissioning intentions and the market position statement, on pages and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { bearer, Browser, decode, errorSummary, expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { addDays, londonToday } from '../src/lib/dates.ts';
import type { Authority } from '../src/modules/places/service.ts';

describe('commissioning cycle', () => {
  let ctx: TestContext;
  let authority: Authority;
  let staff: Browser;
  let serviceId: string;
  let token: string;
  const base = () => `/a/${authority.slug}/commissioning`;
  const api = () => `/api/v1/authorities/${authority.slug}/commissioning`;
  const today = londonToday();

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    const officer = await newUser(ctx.services, authority.id, 'officer');
    staff = await signedInAs(ctx.app, officer);
    token = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'cycle')).token;
    const outcome = await ctx.services.outcomes.create(TEST_ACTOR, authority.id, { title: 'People can get the information they need' });
    await ctx.services.outcomes.addIndicator(TEST_ACTOR, authority.id, outcome.id, { code: 'LIB-VISITS', title: 'Library visits per 1,000 residents', unit: 'per 1,000', direction: 'higher', baselineValue: '2400', baselineOn: '2024-03-31', targetValue: '3000', targetOn: '2028-03-31', source: 'CIPFA public library statistics' });
    const service = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Brixton library', category: 'Libraries', deliveryModel: 'in_house', annualBudget: '450,000', status: 'active', outcomeIds: [outcome.id] });
    serviceId = service.id;
  });
  afterAll(() => ctx?.close());

  /** What the stage still needs, as the error summary lists it: every entry links to the list on the page. */
  const gateSummary = (html: string) => [...html.matchAll(/<a href="#gate">([\s\S]*?)<\/a>/g)].map((m) => decode(m[1]!.trim()));
  const moveOn = (projectUrl: string) => staff.submit(projectUrl, `${projectUrl}/stage`, {});
  const record = (projectUrl: string, part: string, fields: Record<string, string | string[]>) => staff.submit(`${projectUrl}/${part}/edit`, `${projectUrl}/${part}`, fields);

  it('refuses a project without a title, description or service, naming each', async () => {
    const res = await staff.submit(`${base()}/new`, base(), { title: '', summary: 'short', serviceIds: '00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toEqual({ title: 'Enter what is being commissioned, in 3 to 200 characters', summary: 'Describe it for residents in 10 to 5,000 characters' });
    const unknown = await staff.submit(`${base()}/new`, base(), { title: 'Libraries', summary: 'How the borough’s libraries are run.', serviceIds: '00000000-0000-4000-8000-000000000000' });
    expect(errorSummary(unknown.body)).toEqual({ serviceIds: 'Choose the services this covers from the list' });
  });

  it('takes a project through every stage, each gate holding until its stage has what it needs, and the review opens the next cycle', async () => {
    const made = await staff.submit(`${base()}/new`, base(), { title: 'Libraries and community hubs', summary: 'How the borough’s libraries are run from 2027.', takePart: 'Fill in the library survey', serviceIds: serviceId });
    expect(made.statusCode).toBe(303);
    const projectUrl = String(made.headers.location);
    const projectId = projectUrl.split('/').pop()!;

    // Analyse: the gate lists what is missing, and the page says so with a summary that links to the list.
    const early = await moveOn(projectUrl);
    expect(early.statusCode).toBe(409);
    expect(gateSummary(early.body)).toEqual([
      'Record the evidence of need', 'Record the data the needs assessment used', 'Record what residents and service users said about their needs', 'Record how the service performs now', 'Record what the service costs now (£0 for a new service)',
    ]);
    expect(early.body).toContain('id="gate"');
    const badCost = await record(projectUrl, 'analysis', { currentCost: 'lots' });
    expectFormErrors(badCost.body, { currentCost: 'Enter what it costs now a year in pounds, like 250,000' });
    await record(projectUrl, 'analysis', { needsEvidence: 'JSNA 2025: isolation among older residents', needsData: 'Visits by ward 2019–2025', residentInsight: 'Survey of 412 residents', currentPerformance: 'Visits down 8% in three years', currentCost: '450,000' });
    expect((await moveOn(projectUrl)).statusCode).toBe(303);

    // Plan: a session to come counts for nothing; one held with residents that decided something does.
    const noWay = await record(projectUrl, 'analysis', { needsEvidence: 'changed' });
    expect(noWay.statusCode).toBe(400);
    expect(Object.values(errorSummary(noWay.body))).toEqual(['This can only be changed in its own stage; the project is in Plan']);
    const future = await staff.submit(`${projectUrl}/sessions/new`, `${projectUrl}/sessions`, { heldOn: addDays(today, 14), title: 'Open workshop at Brixton library', howToJoin: 'Drop in, 6pm, Brixton library' });
    expect(future.statusCode).toBe(303);
    await staff.submit(`${projectUrl}/options/new`, `${projectUrl}/options`, { model: 'in_house', assessment: 'Known costs; little change to opening hours.', annualCost: '450,000' });
    await staff.submit(`${projectUrl}/options/new`, `${projectUrl}/options`, { model: 'mutual', assessment: 'Staff-led mutual; can raise other income.', annualCost: '410,000' });
    await record(projectUrl, 'plan', { intentions: 'Commission libraries as community hubs from April 2027', chosenOption: 'mutual', chosenReasons: 'Staff and residents chose it; lower cost' });
    const notYet = await moveOn(projectUrl);
    expect(gateSummary(notYet.body)).toEqual(['Hold a co-design session in this stage with residents, service users or carers, and record what it decided']);
    await staff.submit(`${projectUrl}/sessions/new`, `${projectUrl}/sessions`, { heldOn: today, title: 'Library users’ workshop', 'participants.residents': '14', 'participants.staff': '6', proposed: 'Longer Saturday hours', decided: 'Open until 8pm on Saturdays' });
    expect((await moveOn(projectUrl)).statusCode).toBe(303);

    // Do, then Review.
    expect((await record(projectUrl, 'handoff', { handoffKind: 'mutual_spin_out', handoffReference: 'MSO-2027-01' })).statusCode).toBe(303);
    expect((await moveOn(projectUrl)).statusCode).toBe(303);
    const reviewPage = await staff.get(projectUrl);
    expect(decode(reviewPage.body)).toContain('Library visits per 1,000 residents');
    await record(projectUrl, 'review', { performanceReview: 'Visits up 5%', residentsSaid: 'Saturday hours welcome', reviewDecision: 'change', reviewReasons: 'Extend to Sundays' });
    const closed = await moveOn(projectUrl);
    expect(closed.statusCode).toBe(303);
    const nextUrl = String(closed.headers.location);
    expect(nextUrl).not.toBe(projectUrl);
    await staff.submit(`${nextUrl}/sessions/new`, `${nextUrl}/sessions`, { heldOn: addDays(today, 21), title: 'Sunday opening workshop', howToJoin: 'Drop in, 2pm, Brixton library' });

    const detail = (await ctx.app.inject({ method: 'GET', url: `${api()}/${projectId}` })).json();
    expect(detail).toMatchObject({ stage: 'review', closedOn: today, plan: { chosenOption: 'mutual' }, handoff: { kind: 'mutual_spin_out', reference: 'MSO-2027-01' }, needsBeforeMovingOn: {} });
    expect(detail.history.map((h: { to: string }) => h.to)).toEqual(['analyse', 'plan', 'do', 'review', 'closed']);
    expect(detail.sessions.find((s: { title: string }) => s.title === 'Library users’ workshop').participants).toEqual({ residents: 14, staff: 6 });
    const next = (await ctx.app.inject({ method: 'GET', url: `${api()}/${nextUrl.split('/').pop()}` })).json();
    expect(next).toMatchObject({ stage: 'analyse', cycle: 2, previousProjectId: projectId, services: [{ id: serviceId, name: 'Brixton library' }] });

    const audited = await ctx.database.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.authorityId, authority.id), like(auditLog.action, 'commissioning.%')));
    const actions = audited.map((a) => a.action);
    expect(actions.filter((a) => a === 'commissioning.stage')).toHaveLength(4);
    expect(actions.filter((a) => a === 'commissioning.create')).toHaveLength(2);
    expect(actions).toEqual(expect.arrayContaining(['commissioning.analysis', 'commissioning.session', 'commissioning.option', 'commissioning.plan', 'commissioning.handoff', 'commissioning.review']));

    // A closed cycle no longer changes.
    const again = await ctx.app.inject({ method: 'POST', url: `${api()}/${projectId}/stage`, headers: bearer(token) });
    expect(again.statusCode).toBe(409);
  });

  it('ends the cycle without a next one when the service is decommissioned', async () => {
    const project = await ctx.services.commissioning.create(TEST_ACTOR, authority.id, { title: 'Mobile library', summary: 'Whether the mobile library continues.', serviceIds: [serviceId] });
    const s = ctx.services.commissioning;
    await s.record(TEST_ACTOR, authority.id, project.id, 'analysis', { needsEvidence: 'a', needsData: 'b', residentInsight: 'c', currentPerformance: 'd', currentCost: '0' });
    await s.advance(TEST_ACTOR, authority.id, project.id);
    await s.addSession(TEST_ACTOR, authority.id, project.id, { heldOn: today, title: 'Carers’ meeting', 'participants.carers': '5', decided: 'Stop the van' });
    await s.appraise(TEST_ACTOR, authority.id, project.id, { model: 'in_house', assessment: 'Keep the van running.' });
    await s.appraise(TEST_ACTOR, authority.id, project.id, { model: 'decommission', assessment: 'Home delivery instead.' });
    await s.record(TEST_ACTOR, authority.id, project.id, 'plan', { intentions: 'Replace with home delivery', chosenOption: 'decommission', chosenReasons: 'Few users; home delivery reaches more' });
    await s.advance(TEST_ACTOR, authority.id, project.id);
    await s.record(TEST_ACTOR, authority.id, project.id, 'handoff', { handoffKind: 'in_house_redesign', handoffReference: 'Home library service redesign' });
    await s.advance(TEST_ACTOR, authority.id, project.id);
    await s.record(TEST_ACTOR, authority.id, project.id, 'review', { performanceReview: 'Home delivery reached 300', residentsSaid: 'Fine', reviewDecision: 'decommission', reviewReasons: 'Done' });
    expect(await s.advance(TEST_ACTOR, authority.id, project.id)).toEqual({ stage: null, nextProjectId: null });
    expect(await s.nextCycleOf(authority.id, project.id)).toBeNull();
  });

  it('shows residents what is being commissioned, when they can take part, the intentions and the market position statement', async () => {
    const resident = new Browser(ctx.app);
    const list = await resident.get(base());
    expect(h1(list.body)).toBe(`Commissioning in ${authority.name}`);
    // Sessions to come of running cycles only: the closed cycle's workshop is not offered.
    expect(decode(list.body)).toContain('Sunday opening workshop');
    expect(decode(list.body)).toContain('Drop in, 2pm, Brixton library');
    expect(decode(list.body)).not.toContain('Open workshop at Brixton library');
    const intentions = await resident.get(`${base()}/intentions`);
    expect(decode(intentions.body)).not.toContain('Commission libraries as community hubs from April 2027'); // that cycle is over
    expect((await resident.get(`${base()}/new`)).statusCode).toBe(303); // to sign in

    const empty = await resident.get(`${base()}/market-position`);
    expect(decode(empty.body)).toContain('has not published a market position statement yet');
    const bad = await staff.submit(`${base()}/market-position/new`, `${base()}/market-position`, { title: 'MPS', covers: '', body: 'Too short' });
    expect(Object.keys(errorSummary(bad.body))).toEqual(['covers', 'body']);
    const body = 'Lambeth will commission more community-led services over the next three years.\n\nWe want to hear from community groups and mutuals.';
    expect((await staff.submit(`${base()}/market-position/new`, `${base()}/market-position`, { title: 'Libraries and culture market position statement', covers: '2026 to 2029', body })).statusCode).toBe(303);
    const published = await resident.get(`${base()}/market-position`);
    expect(h1(published.body)).toBe('Libraries and culture market position statement');
    expect(published.body).toContain('<p class="govuk-body">We want to hear from community groups and mutuals.</p>');
    const viaApi = (await ctx.app.inject({ method: 'GET', url: `${api()}/market-position` })).json();
    expect(viaApi.items).toMatchObject([{ covers: '2026 to 2029', publishedOn: today }]);
    const projects = (await ctx.app.inject({ method: 'GET', url: api() })).json().items;
    expect(projects.map((p: { stage: string; closedOn: string | null }) => [p.stage, p.closedOn !== null])).toEqual(expect.arrayContaining([['analyse', false], ['review', true]]));
    expect(projects.find((p: { cycle: number; title: string }) => p.cycle === 1 && p.title === 'Libraries and community hubs').intentions).toBe('Commission libraries as community hubs from April 2027');
  });
});
