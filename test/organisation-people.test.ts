/** People's roles in organisations: recorded by staff, shown only to staff, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '../src/lib/audit/tables.ts';
import { Browser, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import type { Authority } from '../src/modules/places/service.ts';

describe('people in organisations', () => {
  let ctx: TestContext;
  let authority: Authority;
  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx.close());

  it('lets an officer record and remove a person’s role, shown on their dashboard and audited', async () => {
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const rep = await newUser(ctx.services, authority.id, 'community_rep');
    const org = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Tulse Hill Tenants Co-op', type: 'cooperative' });
    const page = `/a/${authority.slug}/organisations/${org.id}`;

    const staff = new Browser(ctx.app);
    await staff.signIn(officer.email);
    const added = await staff.submit(page, `${page}/people`, { email: rep.email.toUpperCase(), roleTitle: 'Chair' });
    expect(added.statusCode).toBe(303);
    const shown = await staff.get(page);
    expect(shown.body).toContain('People and their roles');
    expect(shown.body).toMatch(/Test community_rep<\/td><td class="govuk-table__cell">Chair/);

    const repBrowser = new Browser(ctx.app);
    await repBrowser.signIn(rep.email);
    const dashboard = await repBrowser.get('/dashboard');
    expect(dashboard.body).toContain('Your organisations');
    expect(dashboard.body).toContain('Tulse Hill Tenants Co-op</a> (Chair)');
    // Residents and representatives see the organisation, not its people's e-mail addresses.
    const publicView = await repBrowser.get(page);
    expect(publicView.body).not.toContain(rep.email);
    expect(await new Browser(ctx.app).get(page).then((r) => r.body)).not.toContain('People and their roles');

    const [person] = await ctx.services.organisationPeople.list(authority.id, org.id);
    const removed = await staff.submit(page, `${page}/people/${person!.id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect(await ctx.services.organisationPeople.list(authority.id, org.id)).toEqual([]);
    const audit = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.entityId, org.id))).orderBy(asc(auditLog.seq));
    expect(audit.map((a) => a.action)).toEqual(['organisation.create', 'organisation.person-add', 'organisation.person-remove']);
  });

  it('explains what is wrong with the GOV.UK error summary and adds nothing', async () => {
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const org = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Herne Hill Forum', type: 'voluntary_community' });
    const elsewhere = await newAuthority(ctx.services);
    const stranger = await newUser(ctx.services, elsewhere.id, 'resident');
    const page = `/a/${authority.slug}/organisations/${org.id}`;
    const staff = new Browser(ctx.app);
    await staff.signIn(officer.email);

    const empty = await staff.submit(page, `${page}/people`, { email: '', roleTitle: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter their role');
    const outsider = await staff.submit(page, `${page}/people`, { email: stranger.email, roleTitle: 'Treasurer' });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.body).toContain('No one with that email address has an account here');
    expect(outsider.body).toContain('value="Treasurer"');

    await staff.submit(page, `${page}/people`, { email: officer.email, roleTitle: 'Link officer' });
    const twice = await staff.submit(page, `${page}/people`, { email: officer.email, roleTitle: 'Link officer' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('is already Link officer here');
    expect(await ctx.services.organisationPeople.list(authority.id, org.id)).toHaveLength(1);

    const notThere = await staff.submit(page, `${page}/people/00000000-0000-4000-8000-000000000000/remove`, {});
    expect(notThere.statusCode).toBe(404);
  });
});
