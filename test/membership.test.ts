/**
 * The co-operative through the real app: residents join with a real Lambeth
 * postcode and land in the right ward, people outside are refused, one person
 * holds one membership (one vote) even when requests race, members leave or
 * lapse with a reason and may rejoin, and the open counts by ward add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { Browser, errorSummary, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, TEST_PASSWORD, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { users } from '../src/lib/auth/tables.ts';
import { coopMemberships } from '../src/modules/membership/tables.ts';
import { SESSION_COOKIE } from '../src/modules/accounts/routes.ts';
import { ConflictError } from '../src/lib/errors.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';
import { randomBytes } from 'node:crypto';



/** The summary lists exactly these problems, and every link in it goes to something on the page. */
function expectSummary(html: string, expected: Record<string, string>) {
  expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(/^Error: /);
  expect(errorSummary(html)).toEqual(expected);
  for (const field of Object.keys(expected)) expect(html, `#${field} on the page`).toContain(`id="${field}"`);
}

// Real postcodes from reference-data/geography/postcode-ward-index.json (ONSPD May 2026).
const BRIXTON_RUSH_COMMON = { postcode: 'SW2 1AA', code: 'E05014097', name: 'Brixton Rush Common' };
const STOCKWELL_EAST = { postcode: 'SW9 0AA', code: 'E05014110', name: 'Stockwell East' };
const OVAL = { postcode: 'SE11 4PP', code: 'E05014108', name: 'Oval' };
const SOUTHWARK_POSTCODE = 'SE1 1AA';

const email = (who = 'resident') => `${who}-${randomBytes(5).toString('hex')}@example.org`;

describe('membership', () => {
  let ctx: TestContext;
  let authority: Authority;

  const membershipsOf = (authorityId: string, userId: string) =>
    ctx.database.db.select().from(coopMemberships).where(and(eq(coopMemberships.authorityId, authorityId), eq(coopMemberships.userId, userId)));
  const userByEmail = async (address: string) => (await ctx.database.db.select().from(users).where(eq(users.email, address)))[0] ?? null;
  const auditFor = (authorityId: string, entityId: string) =>
    ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.entityId, entityId))).orderBy(asc(auditLog.seq));
  const wardId = async (authorityId: string, code: string) => (await ctx.services.places.wardByCode(authorityId, code))!.id;

  const signedIn = (user: User) => signedInAs(ctx.app, user);
  /** A resident of the authority who is an active member, joined through the service. */
  const member = async (a: Authority, postcode: string) => {
    const user = await newUser(ctx.services, a.id, 'resident');
    const { membership } = await ctx.services.membership.join(TEST_ACTOR, a, user.id, { postcode, confirmResident: 'yes' });
    return { user, membership };
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx.close());

  describe('joining', () => {
    it('someone without an account joins with their Lambeth postcode, is signed in, and is a member in their ward', async () => {
      const browser = new Browser(ctx.app);
      const form = await browser.get(`/a/${authority.slug}/join`);
      expect(form.statusCode).toBe(200);
      expect(h1(form.body)).toBe(`Join the ${authority.name} co-operative`);

      const address = email();
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/join`, {
        displayName: 'Amara Okafor',
        email: address.toUpperCase(),
        password: TEST_PASSWORD,
        postcode: 'sw21aa',
        confirmResident: 'yes',
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/a/${authority.slug}/join/done`);
      expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);

      const done = await browser.get(`/a/${authority.slug}/join/done`);
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('You have joined the co-operative');
      expect(done.body).toContain('You have one vote.');
      expect(done.body).toContain('Signed in as Amara Okafor');

      const user = (await userByEmail(address))!;
      expect(user).toMatchObject({ displayName: 'Amara Okafor', postcode: 'SW2 1AA', authorityId: authority.id });
      expect(await ctx.services.accounts.rolesOf(user.id)).toEqual(['resident']);
      const [membership, ...more] = await membershipsOf(authority.id, user.id);
      expect(more).toHaveLength(0);
      expect(membership).toMatchObject({ status: 'active', wardId: await wardId(authority.id, BRIXTON_RUSH_COMMON.code), endedOn: null, endReason: null });

      const [entry] = (await auditFor(authority.id, membership!.id)).filter((e) => e.action.startsWith('membership.'));
      expect(entry).toMatchObject({ action: 'membership.join', actorUserId: user.id, actorRole: 'resident' });

      // Their dashboard and the join page now say they are a member.
      const again = await browser.get(`/a/${authority.slug}/join`);
      expect(again.body).toContain('You have one vote.');
      expect(again.body).toContain('Leave the co-operative');
    });

    it('a signed-in resident joins with just their postcode and is placed in its ward', async () => {
      const resident = await newUser(ctx.services, authority.id, 'resident');
      const browser = await signedIn(resident);
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/join`, { postcode: STOCKWELL_EAST.postcode, confirmResident: 'yes' });
      expect(res.statusCode).toBe(303);
      const [membership] = await membershipsOf(authority.id, resident.id);
      expect(membership).toMatchObject({ status: 'active', wardId: await wardId(authority.id, STOCKWELL_EAST.code) });
      expect((await userByEmail(resident.email))!.postcode).toBe(STOCKWELL_EAST.postcode);
    });

    it('refuses a postcode outside the council with a message by the field, and creates no account', async () => {
      const browser = new Browser(ctx.app);
      const address = email();
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/join`, {
        displayName: 'Sam Peckham',
        email: address,
        password: TEST_PASSWORD,
        postcode: SOUTHWARK_POSTCODE,
        confirmResident: 'yes',
      });
      expect(res.statusCode).toBe(400);
      expectSummary(res.body, { postcode: `${SOUTHWARK_POSTCODE} is in Southwark, not ${authority.name}` });
      expect(res.body).toContain('id="postcode-error"');
      // What they typed is kept, except the password.
      expect(res.body).toContain(`value="${address}"`);
      expect(res.body).toContain(`value="${SOUTHWARK_POSTCODE}"`);
      expect(res.body).not.toContain(TEST_PASSWORD);
      expect(await userByEmail(address)).toBeNull();
      expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    });

    it('explains each other reason a join cannot go ahead', async () => {
      const attempt = async (fields: Record<string, string>) => {
        const browser = new Browser(ctx.app);
        const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/join`, {
          displayName: 'Pat Example',
          email: email(),
          password: TEST_PASSWORD,
          postcode: OVAL.postcode,
          confirmResident: 'yes',
          ...fields,
        });
        expect(res.statusCode).toBe(400);
        return res.body;
      };
      expectSummary(await attempt({ postcode: '' }), { postcode: 'Enter your postcode' });
      expectSummary(await attempt({ postcode: 'not a postcode' }), { postcode: 'Enter a real postcode, like SW2 1RW' });
      expectSummary(await attempt({ postcode: 'B1 1AA' }), { postcode: `B1 1AA is not a postcode in ${authority.name}` });
      expectSummary(await attempt({ confirmResident: '' }), { confirmResident: `Confirm that you live in ${authority.name}` });
      expectSummary(await attempt({ email: 'not-an-email' }), { email: 'Enter an email address in the correct format, like name@example.com' });
      expectSummary(await attempt({ displayName: '' }), { displayName: 'Enter your full name' });
      const taken = await newUser(ctx.services, authority.id, 'resident');
      expectSummary(await attempt({ email: taken.email }), { email: 'An account with that email address already exists. Sign in instead.' });
    });

    it('tells an active member they are already one, and keeps one membership', async () => {
      const { user } = await member(authority, OVAL.postcode);
      const browser = await signedIn(user);
      const page = await browser.get(`/a/${authority.slug}/join`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await browser.post(`/a/${authority.slug}/join`, { _csrf: token, postcode: STOCKWELL_EAST.postcode, confirmResident: 'yes' });
      expect(res.statusCode).toBe(400);
      expectSummary(res.body, { form: 'You are already a member of this co-operative' });
      const rows = await membershipsOf(authority.id, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.wardId).toBe(await wardId(authority.id, OVAL.code));
    });

    it('a resident of another council cannot join this one', async () => {
      const elsewhere = await newAuthority(ctx.services, 'Elsewhere Borough');
      const outsider = await newUser(ctx.services, elsewhere.id, 'resident');
      const browser = await signedIn(outsider);
      const res = await browser.get(`/a/${authority.slug}/join`);
      expect(res.statusCode).toBe(403);
      expect(await membershipsOf(authority.id, outsider.id)).toHaveLength(0);
    });
  });

  describe('one member, one vote', () => {
    it('simultaneous joins by the same signed-in person make exactly one membership', async () => {
      const resident = await newUser(ctx.services, authority.id, 'resident');
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          ctx.services.membership.join(TEST_ACTOR, authority, resident.id, { postcode: i % 2 ? OVAL.postcode : BRIXTON_RUSH_COMMON.postcode, confirmResident: 'yes' }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ConflictError);
        expect((r.reason as ConflictError).message).toBe('You are already a member of this co-operative');
      }
      const rows = await membershipsOf(authority.id, resident.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('active');
      const joins = (await auditFor(authority.id, rows[0]!.id)).filter((e) => e.action === 'membership.join');
      expect(joins).toHaveLength(1);
    });

    it('a join form sent several times at once (a double click) makes one account and one membership, and never fails', async () => {
      const browser = new Browser(ctx.app);
      const page = await browser.get(`/a/${authority.slug}/join`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const address = email('double-click');
      const fields = { _csrf: token, displayName: 'Double Clicker', email: address, password: TEST_PASSWORD, postcode: OVAL.postcode, confirmResident: 'yes' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => browser.post(`/a/${authority.slug}/join`, fields)));
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([303, 400, 400, 400, 400]);
      for (const r of responses.filter((x) => x.statusCode === 400)) {
        expect(errorSummary(r.body)).toEqual({ email: 'An account with that email address already exists. Sign in instead.' });
      }
      const user = (await userByEmail(address))!;
      expect(await membershipsOf(authority.id, user.id)).toHaveLength(1);
    });

    it('rejoins racing after a withdrawal still leave one active membership', async () => {
      const { user, membership } = await member(authority, OVAL.postcode);
      await ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'withdrawn', 'Taking a break');
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => ctx.services.membership.join(TEST_ACTOR, authority, user.id, { postcode: OVAL.postcode, confirmResident: 'yes' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rows = await membershipsOf(authority.id, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: membership.id, status: 'active' });
      expect((await auditFor(authority.id, membership.id)).filter((e) => e.action === 'membership.rejoin')).toHaveLength(1);
    });

    it('a membership ended twice at once ends once', async () => {
      const { membership } = await member(authority, BRIXTON_RUSH_COMMON.postcode);
      const results = await Promise.allSettled([
        ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'lapsed', 'No longer lives here'),
        ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'withdrawn', 'Asked to leave'),
        ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'lapsed', 'No longer lives here'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const ends = (await auditFor(authority.id, membership.id)).filter((e) => e.action === 'membership.lapsed' || e.action === 'membership.withdrawn');
      expect(ends).toHaveLength(1);
    });
  });

  describe('leaving', () => {
    it('a member withdraws with a reason, and can no longer vote', async () => {
      const { user, membership } = await member(authority, STOCKWELL_EAST.postcode);
      const browser = await signedIn(user);
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/membership/withdraw`, { reason: 'Moving to Leeds' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/dashboard');
      const [row] = await membershipsOf(authority.id, user.id);
      expect(row).toMatchObject({ id: membership.id, status: 'withdrawn', endReason: 'Moving to Leeds' });
      expect(row!.endedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const entries = await auditFor(authority.id, membership.id);
      expect(entries.at(-1)).toMatchObject({ action: 'membership.withdrawn', actorUserId: user.id, reason: 'Moving to Leeds', via: 'web' });
      expect(entries.at(-1)!.before).toMatchObject({ status: 'active' });
      expect(entries.at(-1)!.after).toMatchObject({ status: 'withdrawn' });
    });

    it('asks for the reason when a member leaves without one', async () => {
      const { user } = await member(authority, STOCKWELL_EAST.postcode);
      const browser = await signedIn(user);
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/membership/withdraw`, { reason: '  ' });
      expect(res.statusCode).toBe(400);
      expectSummary(res.body, { reason: 'Enter the reason the membership is ending' });
      expect((await membershipsOf(authority.id, user.id))[0]!.status).toBe('active');
    });

    it('someone who is not a member cannot withdraw', async () => {
      const resident = await newUser(ctx.services, authority.id, 'resident');
      const browser = await signedIn(resident);
      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/membership/withdraw`, { reason: 'Never joined' });
      expect(res.statusCode).toBe(404);
    });

    it('an officer marks a membership as lapsed with a reason, from the members page', async () => {
      const officer = await newUser(ctx.services, authority.id, 'officer');
      const { user, membership } = await member(authority, OVAL.postcode);
      const browser = await signedIn(officer);
      const list = await browser.get(`/a/${authority.slug}/members`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(user.email);
      expect(list.body).toContain(`action="/a/${authority.slug}/members/${membership.id}/end"`);

      const res = await browser.submit(`/a/${authority.slug}/members`, `/a/${authority.slug}/members/${membership.id}/end`, { kind: 'lapsed', reason: 'Moved out of the borough' });
      expect(res.statusCode).toBe(303);
      expect((await membershipsOf(authority.id, user.id))[0]).toMatchObject({ status: 'lapsed', endReason: 'Moved out of the borough' });
      const last = (await auditFor(authority.id, membership.id)).at(-1)!;
      expect(last).toMatchObject({ action: 'membership.lapsed', actorUserId: officer.id, actorRole: 'officer', reason: 'Moved out of the borough' });

      const lapsed = await browser.get(`/a/${authority.slug}/members?status=lapsed`);
      expect(lapsed.body).toContain('Lapsed: Moved out of the borough');

      // A second attempt says it has already ended, and changes nothing.
      const again = await browser.submit(`/a/${authority.slug}/members`, `/a/${authority.slug}/members/${membership.id}/end`, { kind: 'withdrawn', reason: 'Try again' });
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('This membership has already ended (lapsed)');
      expect((await membershipsOf(authority.id, user.id))[0]!.status).toBe('lapsed');
    });

    it('an officer must give a reason and a real kind of ending', async () => {
      const officer = await newUser(ctx.services, authority.id, 'officer');
      const { user, membership } = await member(authority, OVAL.postcode);
      const browser = await signedIn(officer);
      const res = await browser.submit(`/a/${authority.slug}/members`, `/a/${authority.slug}/members/${membership.id}/end`, { kind: 'expelled', reason: '' });
      expect(res.statusCode).toBe(400);
      expect(errorSummary(res.body)).toEqual({ kind: 'Select whether the membership lapsed or was withdrawn', reason: 'Enter the reason the membership is ending' });
      expect((await membershipsOf(authority.id, user.id))[0]!.status).toBe('active');
    });

    it('only officers and administrators of this council see or end memberships', async () => {
      const { membership } = await member(authority, OVAL.postcode);
      const resident = await newUser(ctx.services, authority.id, 'resident');
      const asResident = await signedIn(resident);
      expect((await asResident.get(`/a/${authority.slug}/members`)).statusCode).toBe(403);
      const token = /name="_csrf" value="([^"]+)"/.exec((await asResident.get(`/a/${authority.slug}/join`)).body)![1]!;
      const end = await asResident.post(`/a/${authority.slug}/members/${membership.id}/end`, { _csrf: token, kind: 'lapsed', reason: 'Not my call' });
      expect(end.statusCode).toBe(403);
      const anonymous = await ctx.app.inject({ url: `/a/${authority.slug}/members` });
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in\?returnTo=/);

      // An officer of another council cannot end this council's memberships even by id.
      const elsewhere = await newAuthority(ctx.services);
      const theirOfficer = await newUser(ctx.services, elsewhere.id, 'officer');
      const asThem = await signedIn(theirOfficer);
      const other = await asThem.submit(`/a/${elsewhere.slug}/members`, `/a/${elsewhere.slug}/members/${membership.id}/end`, { kind: 'lapsed', reason: 'Wrong council' });
      expect(other.statusCode).toBe(400);
      expect(other.body).toContain('This person is not a member');
      const [still] = await ctx.database.db.select().from(coopMemberships).where(eq(coopMemberships.id, membership.id));
      expect(still!.status).toBe('active');
    });
  });

  describe('rejoining', () => {
    it('a member who withdrew can rejoin: the same membership becomes active again, in their new ward, with the history on the audit log', async () => {
      const { user, membership } = await member(authority, STOCKWELL_EAST.postcode);
      await ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'withdrawn', 'Too busy this year');
      const browser = await signedIn(user);
      const page = await browser.get(`/a/${authority.slug}/join`);
      expect(page.body).toContain('Your membership is withdrawn. Joining again makes it active from today.');

      const res = await browser.submit(`/a/${authority.slug}/join`, `/a/${authority.slug}/join`, { postcode: OVAL.postcode, confirmResident: 'yes' });
      expect(res.statusCode).toBe(303);
      const rows = await membershipsOf(authority.id, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: membership.id, status: 'active', endedOn: null, endReason: null, wardId: await wardId(authority.id, OVAL.code) });
      const actions = (await auditFor(authority.id, membership.id)).map((e) => e.action);
      expect(actions).toEqual(['membership.join', 'membership.withdrawn', 'membership.rejoin']);
      const rejoin = (await auditFor(authority.id, membership.id)).at(-1)!;
      expect(rejoin.before).toMatchObject({ status: 'withdrawn', endReason: 'Too busy this year' });
      expect(rejoin.after).toMatchObject({ status: 'active', endReason: null });
    });

    it('a member whose membership lapsed can rejoin from a Lambeth address', async () => {
      const { user, membership } = await member(authority, OVAL.postcode);
      await ctx.services.membership.end(TEST_ACTOR, authority.id, membership.id, 'lapsed', 'Post returned');
      const refused = await Promise.allSettled([ctx.services.membership.join(TEST_ACTOR, authority, user.id, { postcode: SOUTHWARK_POSTCODE, confirmResident: 'yes' })]);
      expect(refused[0]!.status).toBe('rejected');
      expect((await membershipsOf(authority.id, user.id))[0]!.status).toBe('lapsed');
      await ctx.services.membership.join(TEST_ACTOR, authority, user.id, { postcode: BRIXTON_RUSH_COMMON.postcode, confirmResident: 'yes' });
      expect((await membershipsOf(authority.id, user.id))[0]).toMatchObject({ status: 'active', wardId: await wardId(authority.id, BRIXTON_RUSH_COMMON.code) });
    });
  });

  describe('counts', () => {
    it('counts active members by ward, naming no one, on the API, the authority page and the members page', async () => {
      const own = await newAuthority(ctx.services, 'Counting Borough');
      await member(own, BRIXTON_RUSH_COMMON.postcode);
      await member(own, BRIXTON_RUSH_COMMON.postcode); // a second in the same ward
      await member(own, OVAL.postcode);
      const leaver = await member(own, OVAL.postcode);
      await ctx.services.membership.end(TEST_ACTOR, own.id, leaver.membership.id, 'withdrawn', 'Leaving');

      const api = await ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/membership` });
      expect(api.statusCode).toBe(200);
      expect(api.json()).toEqual({
        activeMembers: 3,
        byWard: [
          { wardCode: BRIXTON_RUSH_COMMON.code, wardName: BRIXTON_RUSH_COMMON.name, members: 2 },
          { wardCode: OVAL.code, wardName: OVAL.name, members: 1 },
        ],
      });
      expect(api.body).not.toMatch(/@example\.org|Test resident/);

      const page = await ctx.app.inject({ url: `/a/${own.slug}` });
      expect(page.body).toMatch(/Co-operative members\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*<\/dd>/);

      const officer = await newUser(ctx.services, own.id, 'officer');
      const browser = await signedIn(officer);
      const members = await browser.get(`/a/${own.slug}/members`);
      expect(members.body).toContain('4 memberships');
      expect(members.body).toMatch(/Brixton Rush Common<\/td><td class="govuk-table__cell govuk-table__cell--numeric">2<\/td>/);
      expect(members.body).toMatch(/Oval<\/td><td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/);
      const withdrawn = await browser.get(`/a/${own.slug}/members?status=withdrawn`);
      expect(withdrawn.body).toContain('1 membership (withdrawn)');
    });
  });
});
