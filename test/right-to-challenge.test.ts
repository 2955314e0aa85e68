import { randomUUID } from 'node:crypto';
/**
 * The Community Right to Challenge through the real app: a community body drafts and submits
 * an expression of interest, officers record receipt, consider and decide it, and the decision
 * with its reasons is published on the register (page, CSV, API). Refusals and bad input are
 * kept or marked, never lost; every change is on the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { bearer, decode, errorSummary, expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { outboxMessages } from '../src/lib/outbox/tables.ts';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { challengeProcurements, expressionsOfInterest } from '../src/modules/right-to-challenge/tables.ts';
import { procurementStart } from '../src/modules/right-to-challenge/rules.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';
import type { Actor } from '../src/lib/audit/audit.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const SETTINGS_FORM = {
  submission: 'any_time',
  timescaleNoticeDays: '30',
  warnDays: '14',
  decisionPeriodLength: '3',
  decisionPeriodUnit: 'months',
  procurementMinLength: '6',
  procurementMinUnit: 'months',
  procurementMaxLength: '12',
  procurementMaxUnit: 'months',
};

describe('Community Right to Challenge', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: User;
  let rep: User;
  let otherRep: User;
  let charityId: string;
  let companyId: string;
  let serviceId: string;
  let repToken: string;
  let officerToken: string;
  const today = londonToday();
  const base = () => `/a/${authority.slug}/right-to-challenge`;
  const repActor = (): Actor & { userId: string } => ({ userId: rep.id, role: 'community_rep', via: 'web' });
  const officerActor = (): Actor => ({ userId: officer.id, role: 'officer', via: 'web' });

  const complete = () => ({
    bodyKind: 'organisation',
    organisationId: charityId,
    serviceId,
    area: 'Brixton Acre Lane ward',
    financialResources: 'Reserves of £40,000 and a National Lottery grant.',
    capabilityEvidence: 'We run two youth clubs and employ four qualified youth workers.',
    outcomes: 'More young people in education, employment or training.',
    wellBeing: 'Local jobs, volunteering and safer evenings.',
    serviceUsers: 'Young people sit on the board and design the programme.',
  });
  const mailTo = async (email: string) => (await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email)).orderBy(asc(outboxMessages.createdAt))).map((m) => ({ subject: m.subject, body: m.body }));
  const row = async (id: string) => (await ctx.database.db.select().from(expressionsOfInterest).where(eq(expressionsOfInterest.id, id)))[0]!;
  const auditActions = async (id: string) =>
    (await ctx.database.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.entityId, id))).orderBy(asc(auditLog.seq))).map((r) => r.action);

  /** A complete expression of interest, submitted and received, ready to decide. */
  async function underConsideration(): Promise<string> {
    const e = await ctx.services.rightToChallenge.createDraft(repActor(), authority.id, complete());
    await ctx.services.rightToChallenge.submit(repActor(), authority.id, e.id);
    await ctx.services.rightToChallenge.acknowledge(officerActor(), authority.id, e.id, { receivedOn: today, decideBy: addDays(today, 30) });
    await ctx.services.rightToChallenge.startConsideration(officerActor(), authority.id, e.id);
    return e.id;
  }

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    officer = await newUser(ctx.services, authority.id, 'officer');
    rep = await newUser(ctx.services, authority.id, 'community_rep');
    otherRep = await newUser(ctx.services, authority.id, 'community_rep');
    charityId = (await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Brixton Youth Trust', type: 'charity' })).id;
    companyId = (await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Acme Services Ltd', type: 'private_company' })).id;
    for (const organisationId of [charityId, companyId]) await ctx.services.organisationPeople.add(TEST_ACTOR, authority.id, organisationId, { email: rep.email, roleTitle: 'Director' });
    serviceId = (await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Youth service', category: 'Young people', deliveryModel: 'in_house', status: 'active' })).id;
    repToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, rep.id, 'rep')).token;
    officerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'officer')).token;
    const browser = await signedInAs(ctx.app, officer);
    const bad = await browser.submit(`${base()}/settings`, `${base()}/settings`, { ...SETTINGS_FORM, submission: 'windows', windows: 'spring', procurementMaxLength: '' });
    expect(bad.statusCode).toBe(400);
    expectFormErrors(bad.body, {
      windows: 'Enter each period on its own line, like 1 March to 30 April (“spring” is not)',
      procurementMaxLength: 'Enter the maximum period before procurement starts as a whole number from 1 to 999',
    });
    expect((await browser.submit(`${base()}/settings`, `${base()}/settings`, SETTINGS_FORM)).statusCode).toBe(303);
  });
  afterAll(() => ctx.close());

  it('publishes the settings, the ten grounds and who can challenge', async () => {
    const page = decode((await ctx.app.inject({ url: `${base()}/settings` })).body);
    expect(page).toContain('within 30 days of receipt');
    expect(page).toContain('at least 6 months, at most 12 months');
    expect(page).toContain('The service is already the subject of a procurement exercise.');
    expect(page).toContain('Two or more employees of the council');
    const json = (await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/right-to-challenge/settings` })).json();
    expect(json.published).toMatchObject({ effectiveFrom: today, windows: [], decisionPeriod: { length: 3, unit: 'months' } });
    expect(json.grounds).toHaveLength(10);
  });

  it('a community body drafts (missing content shown), submits; an officer decides; the decision is published with reasons', async () => {
    const body = await signedInAs(ctx.app, rep);
    const { organisationId, serviceId: service, area } = complete();
    const draft = await body.submit(`${base()}/new`, base(), { bodyKind: 'organisation', organisationId, serviceId: service, area, intent: 'save' });
    expect(draft.statusCode).toBe(303);
    const url = String(draft.headers.location);
    const id = url.split('/').pop()!;
    const shown = decode((await body.get(url)).body);
    expect(shown).toContain('Still missing');
    expect(shown).toContain('Information about the financial resources of the body (Schedule 1 para 2)');

    // Submitting now is refused with what is missing, and the draft is kept.
    const refused = await body.submit(url, `${url}/submit`, {});
    expect(refused.statusCode).toBe(400);
    expect(errorSummary(refused.body)).toEqual({
      financialResources: 'Information about the financial resources of the body (Schedule 1 para 2)',
      capabilityEvidence: 'Evidence that, by the time of any procurement exercise, the body will be capable of providing or assisting in providing the service (Schedule 1 para 3)',
      outcomes: 'The outcomes the body would achieve in providing the service (Schedule 1 para 5)',
      wellBeing: 'How the body would promote or improve the social, economic or environmental well-being of the area (Schedule 1 para 5)',
      serviceUsers: 'How the body would meet the needs of the people who use the service (Schedule 1 para 5)',
    });
    expect((await row(id)).state).toBe('draft');
    // Nobody else sees a draft, and it is not on the register.
    expect((await (await signedInAs(ctx.app, otherRep)).get(url)).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: base() })).body).not.toContain(id);

    const submitted = await body.submit(`${url}/edit`, url, { ...complete(), intent: 'submit' });
    expect(submitted.statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ state: 'submitted', submittedOn: today });
    expect((await mailTo(rep.email)).map((m) => m.subject)).toEqual(['We have your expression of interest: Brixton Youth Trust: Youth service']);
    expect((await mailTo(officer.email)).map((m) => m.subject)).toEqual(['New expression of interest: Brixton Youth Trust: Youth service']);

    // The officer records receipt (not before submission), tells the body when, considers, and decides.
    const staff = await signedInAs(ctx.app, officer);
    const early = await staff.submit(url, `${url}/acknowledge`, { receivedOn: addDays(today, -1), decideBy: addDays(today, 20) });
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual({ receivedOn: `Enter the date it was received, from ${today} (when it was submitted) to today, like ${today}` });
    expect((await staff.submit(url, `${url}/acknowledge`, { receivedOn: today, decideBy: addDays(today, 20) })).statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ state: 'timescale_given', receivedOn: today, decideBy: addDays(today, 20) });
    expect((await row(id)).decisionDeadline).toMatchObject({ rule: 'decision', startDate: today, length: 3, unit: 'months', inclusive: true });
    expect((await staff.submit(url, `${url}/consider`, {})).statusCode).toBe(303);

    const noGround = await staff.submit(url, `${url}/decide`, { outcome: 'reject' });
    expect(noGround.statusCode).toBe(400);
    expectFormErrors(noGround.body, {
      grounds: 'Select at least one ground for rejection: the regulations allow no others',
      reasons: 'Give the reasons for rejecting it: they are sent to the body and published',
    });
    expect((await row(id)).state).toBe('under_consideration');
    const decided = await staff.submit(url, `${url}/decide`, { outcome: 'reject', grounds: ['ALREADY_PROCURING'], reasons: 'The youth service went out to tender in October.' });
    expect(decided.statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ state: 'rejected', grounds: ['ALREADY_PROCURING'], publishedOn: today, decidedOn: today });
    const told = (await mailTo(rep.email)).slice(1);
    expect(told.map((m) => m.subject)).toEqual(['When the council will decide on your expression of interest', 'Your expression of interest was rejected']);
    expect(told[1]!.body).toContain('- Ground 6: The service is already the subject of a procurement exercise.');
    expect(told[1]!.body).toContain('Reasons: The youth service went out to tender in October.');

    // Published: the detail page, the register, its CSV and the API.
    const page = decode((await ctx.app.inject({ url })).body);
    expect(h1(page)).toBe('Brixton Youth Trust: Youth service');
    expect(page).toContain('Ground 6: The service is already the subject of a procurement exercise.');
    expect(page).toContain('The youth service went out to tender in October.');
    expect(decode((await ctx.app.inject({ url: base() })).body)).toContain('Brixton Youth Trust');
    const csv = (await ctx.app.inject({ url: `${base()}/register.csv` })).body;
    expect(csv.split('\r\n')[0]).toBe('id,body,body_kind,service,area,submitted_on,received_on,state,decide_by,decided_on,outcome,grounds,reasons,modification,procurement_earliest_start,procurement_latest_start');
    expect(csv).toContain(`${id},Brixton Youth Trust,organisation,Youth service,Brixton Acre Lane ward,${today},${today},Rejected,`);
    const api = (await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/right-to-challenge/expressions/${id}` })).json();
    expect(api).toMatchObject({ state: 'rejected', grounds: ['ALREADY_PROCURING'], reasons: 'The youth service went out to tender in October.' });
    expect(await auditActions(id)).toEqual(['challenge.draft', 'challenge.draft.update', 'challenge.submit', 'challenge.acknowledge', 'challenge.consider', 'challenge.decide']);
  });

  it('acceptance opens a procurement exercise due to start within the published period', async () => {
    const id = await underConsideration();
    await ctx.services.rightToChallenge.decide(officerActor(), authority.id, id, { outcome: 'accept', reasons: 'A strong, local bid.' });
    const [exercise] = await ctx.database.db.select().from(challengeProcurements).where(eq(challengeProcurements.expressionId, id));
    const window = procurementStart(today, { procurementMin: { length: 6, unit: 'months' }, procurementMax: { length: 12, unit: 'months' } });
    expect(exercise).toMatchObject({ authorityId: authority.id, serviceId, acceptedOn: today, earliestStart: window.earliest, latestStart: window.latest, status: 'pending' });
    expect(await auditActions(exercise!.id)).toEqual(['challenge.procurement.open']);
    const deadlines = await ctx.services.rightToChallenge.deadlines(authority.id);
    expect(deadlines.find((d) => d.expression.id === id)).toMatchObject({ what: 'Start the procurement exercise', due: window.latest, status: 'on_track' });

    // Its start is recorded once, never before acceptance, and it then leaves the dashboard.
    const staff = await signedInAs(ctx.app, officer);
    const early = await staff.submit(`${base()}/${id}`, `${base()}/${id}/procurement`, { startedOn: addDays(today, -1) });
    expect(early.statusCode).toBe(400);
    expectFormErrors(early.body, { startedOn: `Enter the date the procurement exercise started, from ${today} (the acceptance) to today` });
    expect((await staff.submit(`${base()}/${id}`, `${base()}/${id}/procurement`, { startedOn: today })).statusCode).toBe(303);
    expect(decode((await ctx.app.inject({ url: `${base()}/${id}` })).body)).toContain('(outside the published period)');
    await expect(ctx.services.rightToChallenge.recordProcurementStart(officerActor(), authority.id, id, { startedOn: today })).rejects.toThrow('already been recorded');
    expect(await auditActions(exercise!.id)).toEqual(['challenge.procurement.open', 'challenge.procurement.start']);
    expect((await ctx.services.rightToChallenge.deadlines(authority.id)).some((d) => d.expression.id === id)).toBe(false);
  });

  it('a modification is accepted only once the body agrees; if it declines, it is rejected on the grounds given', async () => {
    const modify = { outcome: 'modify', grounds: ['NOT_SUITABLE'], modification: 'Name a designated safeguarding lead.', reasons: 'No safeguarding lead is named.' };
    const agreed = await underConsideration();
    await ctx.services.rightToChallenge.decide(officerActor(), authority.id, agreed, modify);
    expect(await row(agreed)).toMatchObject({ state: 'modification_proposed', publishedOn: null });
    expect(await ctx.database.db.select().from(challengeProcurements).where(eq(challengeProcurements.expressionId, agreed))).toEqual([]);
    // Only the body answers: the officer cannot agree for it.
    await expect(ctx.services.rightToChallenge.respond({ ...officerActor(), userId: officer.id }, authority.id, agreed, { agree: 'yes' })).rejects.toThrow('No such expression of interest');
    const body = await signedInAs(ctx.app, rep);
    expect((await body.submit(`${base()}/${agreed}`, `${base()}/${agreed}/respond`, { agree: 'yes' })).statusCode).toBe(303);
    expect(await row(agreed)).toMatchObject({ state: 'accepted_with_modification', bodyAgreed: true, publishedOn: today });
    expect(await ctx.database.db.select().from(challengeProcurements).where(eq(challengeProcurements.expressionId, agreed))).toHaveLength(1);

    const declined = await underConsideration();
    await ctx.services.rightToChallenge.decide(officerActor(), authority.id, declined, modify);
    await ctx.services.rightToChallenge.respond(repActor(), authority.id, declined, { agree: 'no' });
    expect(await row(declined)).toMatchObject({ state: 'rejected', bodyAgreed: false, grounds: ['NOT_SUITABLE'] });
    expect(await ctx.database.db.select().from(challengeProcurements).where(eq(challengeProcurements.expressionId, declined))).toEqual([]);
  });

  it('lets only someone who holds a role in an organisation express an interest in its name', async () => {
    const other = { userId: otherRep.id, role: 'community_rep', via: 'web' as const };
    const message = 'Select an organisation you represent: ask the council to add you to it if it is missing';
    await expect(ctx.services.rightToChallenge.createDraft(other, authority.id, complete())).rejects.toMatchObject({ fields: { organisationId: message } });
    const own = await ctx.services.rightToChallenge.createDraft(repActor(), authority.id, complete());
    await expect(ctx.services.rightToChallenge.updateDraft(repActor(), authority.id, own.id, { ...complete(), organisationId: randomUUID() })).rejects.toMatchObject({ fields: { organisationId: message } });
    // The form offers only the organisations the person holds a role in.
    const form = await (await signedInAs(ctx.app, otherRep)).get(`${base()}/new`);
    expect(form.body).not.toContain('Brixton Youth Trust');
    expect((await (await signedInAs(ctx.app, rep)).get(`${base()}/new`)).body).toContain('Brixton Youth Trust');
  });

  it('refuses bodies that are not relevant bodies, keeping their drafts', async () => {
    const one = await ctx.services.rightToChallenge.createDraft(repActor(), authority.id, { ...complete(), bodyKind: 'employee_group', groupName: 'Youth workers', employeeCount: '1', employeeEngagement: 'Team meetings.' });
    await expect(ctx.services.rightToChallenge.submit(repActor(), authority.id, one.id)).rejects.toMatchObject({ fields: { employeeCount: 'An employee group must be two or more employees of the council (Localism Act 2011 s.81(6)(d))' } });
    const company = await ctx.services.rightToChallenge.createDraft(repActor(), authority.id, { ...complete(), organisationId: companyId });
    await expect(ctx.services.rightToChallenge.submit(repActor(), authority.id, company.id)).rejects.toMatchObject({ fields: { organisationId: 'A body that carries on its activities for profit is not a relevant body (s.81(6) and (7))' } });
    expect([(await row(one.id)).state, (await row(company.id)).state]).toEqual(['draft', 'draft']);
    const two = await ctx.services.rightToChallenge.updateDraft(repActor(), authority.id, one.id, { ...complete(), bodyKind: 'employee_group', groupName: 'Youth workers', employeeCount: '2', employeeEngagement: 'Team meetings.' });
    expect((await ctx.services.rightToChallenge.submit(repActor(), authority.id, two.id)).state).toBe('submitted');
    expect((await ctx.services.rightToChallenge.get(authority.id, two.id, null)).bodyName).toBe('Youth workers (a group of 2 council employees)');
  });

  it('marks an expression of interest received outside the submission periods as not requiring consideration', async () => {
    const windowed = await newAuthority(ctx.services, 'Windowed Borough');
    const clerk = await newUser(ctx.services, windowed.id, 'community_rep');
    const charity = await ctx.services.organisations.create(TEST_ACTOR, windowed.id, { name: 'Windowed Trust', type: 'charity' });
    const service = await ctx.services.catalogue.create(TEST_ACTOR, windowed.id, { name: 'Parks', category: 'Parks', deliveryModel: 'in_house', status: 'active' });
    // A one-day period each year, two days from now: today is outside it.
    const day = addDays(today, 2);
    const words = `${Number(day.slice(8))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
    await ctx.services.rightToChallenge.publishSettings(TEST_ACTOR, windowed.id, { ...SETTINGS_FORM, submission: 'windows', windows: `${words} to ${words}` });
    await ctx.services.organisationPeople.add(TEST_ACTOR, windowed.id, charity.id, { email: clerk.email, roleTitle: 'Clerk' });
    const actor = { userId: clerk.id, role: 'community_rep', via: 'web' as const };
    const e = await ctx.services.rightToChallenge.createDraft(actor, windowed.id, { ...complete(), organisationId: charity.id, serviceId: service.id });
    await ctx.services.rightToChallenge.submit(actor, windowed.id, e.id);
    await ctx.services.rightToChallenge.acknowledge(TEST_ACTOR, windowed.id, e.id, { receivedOn: today });
    expect(await row(e.id)).toMatchObject({ state: 'out_of_window', receivedOn: today, decideBy: null, publishedOn: today });
    expect(decode((await ctx.app.inject({ url: `/a/${windowed.slug}/right-to-challenge/${e.id}` })).body)).toContain('so the council is not required to consider it');
    // Nothing more can happen to it.
    await expect(ctx.services.rightToChallenge.startConsideration(TEST_ACTOR, windowed.id, e.id)).rejects.toThrow('cannot become “under consideration”');
  });

  it('flags deadlines before they are breached, and overdue after', async () => {
    const e = await ctx.services.rightToChallenge.createDraft(repActor(), authority.id, complete());
    await ctx.services.rightToChallenge.submit(repActor(), authority.id, e.id);
    const flagged = async (on: string) => (await ctx.services.rightToChallenge.deadlines(authority.id, on)).find((d) => d.expression.id === e.id)!;
    expect(await flagged(today)).toMatchObject({ what: 'Record receipt and tell the body when you will decide', due: addDays(today, 29), status: 'on_track', daysLeft: 29 });
    expect(await flagged(addDays(today, 20))).toMatchObject({ status: 'due_soon', daysLeft: 9 });
    expect(await flagged(addDays(today, 30))).toMatchObject({ status: 'overdue', daysLeft: -1 });
    const page = decode((await (await signedInAs(ctx.app, officer)).get(`${base()}/dashboard`)).body);
    expect(page).toContain('Record receipt and tell the body when you will decide');
    expect(page).toContain('On track (29 days left)');
  });

  describe('the API', () => {
    const api = () => `/api/v1/authorities/${authority.slug}/right-to-challenge/expressions`;

    it('drafts, refuses an incomplete submission with field errors, and lists the register', async () => {
      const bad = await ctx.app.inject({ method: 'POST', url: api(), headers: bearer(repToken), payload: { bodyKind: 'employee_group' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'validation', fields: { groupName: 'Enter the employee group’s name', employeeCount: 'Enter how many council employees are in the group, as a whole number' } });

      const created = await ctx.app.inject({ method: 'POST', url: api(), headers: bearer(repToken), payload: { bodyKind: 'organisation', organisationId: charityId, partners: [{ name: 'Tulse Hill Boxing CIC', role: 'sub_contractor' }] } });
      expect(created.statusCode).toBe(201);
      const draft = created.json();
      expect(draft.state).toBe('draft');
      expect(draft.missing.map((m: { field: string }) => m.field)).toEqual(['financialResources', 'partner1Name', 'capabilityEvidence', 'partner1Name', 'serviceAndArea', 'outcomes', 'wellBeing', 'serviceUsers']);

      const submit = await ctx.app.inject({ method: 'POST', url: `${api()}/${draft.id}/submit`, headers: bearer(repToken) });
      expect(submit.statusCode).toBe(400);
      expect(submit.json().error.fields).toMatchObject({ serviceId: 'Information identifying the service and the geographical area the expression of interest relates to (Schedule 1 para 4)' });

      const id = await underConsideration();
      const noReasons = await ctx.app.inject({ method: 'POST', url: `${api()}/${id}/decision`, headers: bearer(officerToken), payload: { outcome: 'modify', grounds: ['INFO_INADEQUATE'] } });
      expect(noReasons.statusCode).toBe(400);
      expect(noReasons.json().error.fields).toEqual({ modification: 'Describe the modification the body is asked to agree to', reasons: 'Give the reasons for the modification: they are sent to the body and published' });
      const unknownGround = await ctx.app.inject({ method: 'POST', url: `${api()}/${id}/decision`, headers: bearer(officerToken), payload: { outcome: 'reject', grounds: ['OUTSIDE_WINDOW'], reasons: 'Late.' } });
      expect(unknownGround.statusCode).toBe(400);
      const ok = await ctx.app.inject({ method: 'POST', url: `${api()}/${id}/decision`, headers: bearer(officerToken), payload: { outcome: 'reject', grounds: ['FRIVOLOUS_VEXATIOUS', 'UNLAWFUL'], reasons: 'Reasons given in the letter.' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ state: 'rejected', grounds: ['FRIVOLOUS_VEXATIOUS', 'UNLAWFUL'] });
      const again = await ctx.app.inject({ method: 'POST', url: `${api()}/${id}/decision`, headers: bearer(officerToken), payload: { outcome: 'accept' } });
      expect(again.statusCode).toBe(409);

      const register = (await ctx.app.inject({ url: api() })).json();
      expect(register.items.some((e: { id: string }) => e.id === id)).toBe(true);
      expect(register.items.some((e: { id: string }) => e.id === draft.id)).toBe(false);
      expect(register.items.every((e: { state: string }) => e.state !== 'draft')).toBe(true);
    });

    it('a community representative cannot decide', async () => {
      const id = await underConsideration();
      const res = await ctx.app.inject({ method: 'POST', url: `${api()}/${id}/decision`, headers: bearer(repToken), payload: { outcome: 'accept' } });
      expect(res.statusCode).toBe(403);
    });
  });
});
