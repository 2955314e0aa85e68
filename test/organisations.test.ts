/**
 * Organisations through the real app: officers add and change them with the
 * GOV.UK forms, the public browses them, machine clients use the API; every
 * change is audited with it, and nothing crosses from one council to another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { bearer, decode, expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { organisations } from '../src/modules/organisations/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';





describe('organisations', () => {
  let ctx: TestContext;
  let authority: Authority;
  let other: Authority;
  let officer: User;
  let admin: User;
  let resident: User;
  let otherOfficer: User;
  let officerToken: string;
  let residentToken: string;
  let otherOfficerToken: string;

  const countIn = async (authorityId: string) =>
    (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(organisations).where(eq(organisations.authorityId, authorityId)))[0]!.n;
  const auditCount = async (authorityId: string) =>
    (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.authorityId, authorityId)))[0]!.n;
  const auditFor = (authorityId: string, entityId: string) =>
    ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.entityId, entityId))).orderBy(asc(auditLog.seq));

  const signedIn = (user: User) => signedInAs(ctx.app, user);

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    other = await newAuthority(ctx.services, 'Another Borough');
    officer = await newUser(ctx.services, authority.id, 'officer');
    admin = await newUser(ctx.services, authority.id, 'admin');
    resident = await newUser(ctx.services, authority.id, 'resident');
    otherOfficer = await newUser(ctx.services, other.id, 'officer');
    officerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'finance system')).token;
    residentToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, resident.id, 'my script')).token;
    otherOfficerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, otherOfficer.id, 'elsewhere')).token;
  });
  afterAll(() => ctx.close());

  describe('the web forms', () => {
    it('an officer adds an organisation and sees it, with the change on the audit log', async () => {
      const browser = await signedIn(officer);
      const res = await browser.submit(`/a/${authority.slug}/organisations/new`, `/a/${authority.slug}/organisations`, {
        name: 'Loughborough Junction Action Group',
        type: 'charity',
        legalForm: 'cio',
        charityNumber: '1 123 456',
        companyNumber: '',
        employeeOwned: 'no',
        website: 'https://ljag.example.org',
        description: 'Runs the community farm.',
      });
      expect(res.statusCode).toBe(303);
      const location = res.headers.location as string;
      const id = new RegExp(`^/a/${authority.slug}/organisations/([0-9a-f-]{36})$`).exec(location)?.[1];
      expect(id).toBeDefined();

      const page = await browser.get(location);
      expect(page.statusCode).toBe(200);
      expect(h1(page.body)).toBe('Loughborough Junction Action Group');
      expect(page.body).toContain('1123456'); // spaces taken out of the charity number
      expect(page.body).toContain('Charitable incorporated organisation (CIO)');
      expect(page.body).toContain('Runs the community farm.');
      expect(page.body).toContain(`href="/a/${authority.slug}/organisations/${id}/edit"`);

      const list = await ctx.app.inject({ url: `/a/${authority.slug}/organisations` });
      expect(list.body).toContain('Loughborough Junction Action Group');

      const [entry, ...more] = await auditFor(authority.id, id!);
      expect(more).toHaveLength(0);
      expect(entry).toMatchObject({ action: 'organisation.create', entityType: 'organisation', actorUserId: officer.id, actorRole: 'officer', via: 'web' });
      expect(entry!.after).toMatchObject({ id, name: 'Loughborough Junction Action Group', type: 'charity', charityNumber: '1123456', authorityId: authority.id });
    });

    it('shows every problem in the GOV.UK error summary, keeps what was typed, and saves nothing', async () => {
      const browser = await signedIn(officer);
      const [orgsBefore, auditBefore] = [await countIn(authority.id), await auditCount(authority.id)];
      const res = await browser.submit(`/a/${authority.slug}/organisations/new`, `/a/${authority.slug}/organisations`, {
        name: 'X',
        charityNumber: 'not-a-number',
        companyNumber: '123',
        website: 'ftp://files',
        description: 'Kept as typed',
      });
      expect(res.statusCode).toBe(400);
      expect(h1(res.body)).toBe('Add an organisation');
      expectFormErrors(res.body, {
        name: 'Enter the organisation’s name',
        type: 'Select the type of organisation',
        charityNumber: 'Enter a charity number like 1234567',
        companyNumber: 'Enter a Companies House number like 01234567 or SC123456',
        website: 'Enter a website address starting with https://',
      });
      expect(res.body).toContain('value="not-a-number"');
      expect(res.body).toContain('Kept as typed');
      expect(await countIn(authority.id)).toBe(orgsBefore);
      expect(await auditCount(authority.id)).toBe(auditBefore);
    });

    it('refuses a legal form that is not on the list', async () => {
      const browser = await signedIn(officer);
      const res = await browser.submit(`/a/${authority.slug}/organisations/new`, `/a/${authority.slug}/organisations`, { name: 'Odd Form Ltd', type: 'sme', legalForm: 'pirate_ship' });
      expect(res.statusCode).toBe(400);
      expectFormErrors(res.body, { legalForm: 'Select a legal form from the list' });
    });

    it('an administrator changes an organisation; the audit log keeps before and after', async () => {
      const org = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Herne Hill Forum', type: 'voluntary_community' });
      const browser = await signedIn(admin);
      const edit = await browser.get(`/a/${authority.slug}/organisations/${org.id}/edit`);
      expect(edit.statusCode).toBe(200);
      expect(h1(edit.body)).toBe('Change Herne Hill Forum');
      expect(edit.body).toContain('value="Herne Hill Forum"');

      const res = await browser.submit(`/a/${authority.slug}/organisations/${org.id}/edit`, `/a/${authority.slug}/organisations/${org.id}`, {
        name: 'Herne Hill Community Forum',
        type: 'cooperative',
        employeeOwned: 'yes',
        companyNumber: 'ip123456',
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/a/${authority.slug}/organisations/${org.id}`);
      const page = await browser.get(res.headers.location as string);
      expect(h1(page.body)).toBe('Herne Hill Community Forum');
      expect(page.body).toContain('IP123456');

      const entries = await auditFor(authority.id, org.id);
      expect(entries.map((e) => e.action)).toEqual(['organisation.create', 'organisation.update']);
      const update = entries[1]!;
      expect(update).toMatchObject({ actorUserId: admin.id, actorRole: 'admin', via: 'web' });
      expect(update.before).toMatchObject({ name: 'Herne Hill Forum', type: 'voluntary_community', employeeOwned: false, companyNumber: null });
      expect(update.after).toMatchObject({ name: 'Herne Hill Community Forum', type: 'cooperative', employeeOwned: true, companyNumber: 'IP123456' });
    });

    it('a bad change shows the errors on the edit form and leaves the organisation as it was', async () => {
      const org = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Tulse Hill Allotments', type: 'voluntary_community' });
      const browser = await signedIn(officer);
      const res = await browser.submit(`/a/${authority.slug}/organisations/${org.id}/edit`, `/a/${authority.slug}/organisations/${org.id}`, { name: '', type: 'voluntary_community' });
      expect(res.statusCode).toBe(400);
      expect(h1(res.body)).toBe('Change Tulse Hill Allotments');
      expectFormErrors(res.body, { name: 'Enter the organisation’s name' });
      expect((await ctx.services.organisations.get(authority.id, org.id)).name).toBe('Tulse Hill Allotments');
      expect((await auditFor(authority.id, org.id)).map((e) => e.action)).toEqual(['organisation.create']);
    });

    it('refuses a form sent without its CSRF token, saving nothing', async () => {
      const browser = await signedIn(officer);
      const before = await countIn(authority.id);
      const res = await browser.post(`/a/${authority.slug}/organisations`, { name: 'Forged Org', type: 'charity' });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('This form has expired');
      expect(await countIn(authority.id)).toBe(before);
    });

    it('keeps residents, strangers and other councils’ officers out of the forms', async () => {
      const anonymous = await ctx.app.inject({ url: `/a/${authority.slug}/organisations/new` });
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(`/a/${authority.slug}/organisations/new`)}`);

      const asResident = await signedIn(resident);
      const page = await asResident.get(`/a/${authority.slug}/organisations/new`);
      expect(page.statusCode).toBe(403);
      expect(h1(page.body)).toBe('You do not have access to this page');

      const before = await countIn(authority.id);
      const elsewhere = await signedIn(otherOfficer);
      // Their own council's form gives them a token; it does not let them write to this one.
      const post = await elsewhere.submit(`/a/${other.slug}/organisations/new`, `/a/${authority.slug}/organisations`, { name: 'Takeover Ltd', type: 'sme' });
      expect(post.statusCode).toBe(403);
      expect(await countIn(authority.id)).toBe(before);
      // And the list does not offer them "Add an organisation" here.
      expect((await elsewhere.get(`/a/${authority.slug}/organisations`)).body).not.toContain('/organisations/new');
    });

    it('an organisation of another council is not found here, to read or to change', async () => {
      const theirs = await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Peckham Settlement', type: 'charity' });
      const browser = await signedIn(officer);
      for (const url of [`/a/${authority.slug}/organisations/${theirs.id}`, `/a/${authority.slug}/organisations/${theirs.id}/edit`, `/a/${authority.slug}/organisations/not-an-id`]) {
        const res = await browser.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(h1(res.body)).toBe('Page not found');
      }
      const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get(`/a/${authority.slug}/organisations/new`)).body)![1]!;
      const change = await browser.post(`/a/${authority.slug}/organisations/${theirs.id}`, { _csrf: token, name: 'Hijacked', type: 'sme' });
      expect(change.statusCode).toBe(404);
      expect((await ctx.services.organisations.get(other.id, theirs.id)).name).toBe('Peckham Settlement');
      expect(await auditFor(authority.id, theirs.id)).toHaveLength(0);
    });
  });

  describe('browsing', () => {
    it('filters by name, registration number and type, within the council only', async () => {
      const own = await newAuthority(ctx.services);
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Brixton Windmill Trust', type: 'charity', charityNumber: '1098765' });
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Stockwell Bakers Co-op', type: 'cooperative', companyNumber: 'IP654321' });
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: '100% Local CIC', type: 'social_enterprise' });
      await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Brixton Lookalike Trust', type: 'charity' });
      const names = async (query: string) => {
        const res = await ctx.app.inject({ url: `/a/${own.slug}/organisations?${query}` });
        expect(res.statusCode).toBe(200);
        return [...res.body.matchAll(/<a class="govuk-link" href="\/a\/[^/]+\/organisations\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => decode(m[1]!));
      };
      expect(await names('')).toEqual(['100% Local CIC', 'Brixton Windmill Trust', 'Stockwell Bakers Co-op']);
      expect(await names('q=brixton')).toEqual(['Brixton Windmill Trust']);
      expect(await names('q=1098765')).toEqual(['Brixton Windmill Trust']);
      expect(await names('q=ip654321')).toEqual(['Stockwell Bakers Co-op']);
      expect(await names('type=cooperative')).toEqual(['Stockwell Bakers Co-op']);
      expect(await names('q=100%25')).toEqual(['100% Local CIC']);
      expect(await names('q=%25')).toEqual(['100% Local CIC']); // % is a character, not a wildcard
      expect(await names('q=nothing+like+this')).toEqual([]);
      expect((await ctx.app.inject({ url: `/a/${own.slug}/organisations?q=nothing` })).body).toContain('No organisations match.');
    });
  });

  describe('the API', () => {
    it('lists and gets organisations as JSON, only this council’s', async () => {
      const own = await newAuthority(ctx.services);
      const made = await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Vauxhall City Farm', type: 'charity', charityNumber: '1034583', website: 'https://vauxhallcityfarm.example' });
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Kennington Tenants', type: 'voluntary_community' });
      await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Not Here', type: 'sme' });

      const list = await ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/organisations` });
      expect(list.statusCode).toBe(200);
      const body = list.json();
      expect(body).toMatchObject({ page: 1, pageSize: 25, total: 2 });
      expect(body.items.map((o: { name: string }) => o.name)).toEqual(['Kennington Tenants', 'Vauxhall City Farm']);

      const filtered = await ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/organisations?type=charity` });
      expect(filtered.json()).toMatchObject({ total: 1, items: [{ name: 'Vauxhall City Farm' }] });

      const one = await ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/organisations/${made.id}` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual({
        id: made.id,
        name: 'Vauxhall City Farm',
        type: 'charity',
        charityNumber: '1034583',
        companyNumber: null,
        legalForm: null,
        employeeOwned: false,
        website: 'https://vauxhallcityfarm.example',
        description: null,
      });
      // Nothing internal leaks: no authority id, no external id.
      expect(Object.keys(one.json())).not.toContain('authorityId');
    });

    it('does not find another council’s organisation through this council', async () => {
      const theirs = await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Camberwell Arts', type: 'charity' });
      const res = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/organisations/${theirs.id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No such organisation', fields: {} } });
      const list = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/organisations?q=Camberwell` });
      expect(list.json()).toMatchObject({ total: 0, items: [] });
    });

    it('an officer’s token creates an organisation (201), audited as via the API', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/authorities/${authority.slug}/organisations`,
        headers: bearer(officerToken),
        payload: { name: 'Brixton Pound', type: 'social_enterprise', legalForm: 'cic', companyNumber: '07123456', employeeOwned: true },
      });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ name: 'Brixton Pound', type: 'social_enterprise', legalForm: 'cic', companyNumber: '07123456', employeeOwned: true });
      const get = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/organisations/${created.id}` });
      expect(get.json()).toEqual(created);
      const entries = await auditFor(authority.id, created.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'organisation.create', actorUserId: officer.id, actorRole: 'officer', via: 'api' });
    });

    it('answers bad input with field-level errors and writes nothing', async () => {
      const [orgsBefore, auditBefore] = [await countIn(authority.id), await auditCount(authority.id)];
      const post = (payload: unknown) =>
        ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, headers: bearer(officerToken), payload: payload as object });

      const rules = await post({ name: '', type: 'charity', charityNumber: 'ABC', website: 'not a url' });
      expect(rules.statusCode).toBe(400);
      expect(rules.json()).toEqual({
        error: {
          code: 'validation',
          message: expect.any(String),
          fields: { name: 'Enter the organisation’s name', charityNumber: 'Enter a charity number like 1234567', website: 'Enter a website address starting with https://' },
        },
      });

      const badType = await post({ name: 'Typeless', type: 'gang' });
      expect(badType.statusCode).toBe(400);
      expect(badType.json().error).toMatchObject({ code: 'validation', fields: { type: expect.any(String) } });

      const missing = await post({ type: 'charity' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.fields).toHaveProperty('name');

      const tooLong = await post({ name: 'x'.repeat(201), type: 'charity' });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.fields).toHaveProperty('name');

      expect(await countIn(authority.id)).toBe(orgsBefore);
      expect(await auditCount(authority.id)).toBe(auditBefore);
    });

    it('refuses to create without a token (401), as a resident (403) or for another council (403)', async () => {
      const before = await countIn(authority.id);
      const url = `/api/v1/authorities/${authority.slug}/organisations`;
      const payload = { name: 'Should Not Exist', type: 'charity' };
      const none = await ctx.app.inject({ method: 'POST', url, payload });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('unauthorised');
      const asResident = await ctx.app.inject({ method: 'POST', url, payload, headers: bearer(residentToken) });
      expect(asResident.statusCode).toBe(403);
      expect(asResident.json().error.code).toBe('forbidden');
      const elsewhere = await ctx.app.inject({ method: 'POST', url, payload, headers: bearer(otherOfficerToken) });
      expect(elsewhere.statusCode).toBe(403);
      expect(await countIn(authority.id)).toBe(before);
    });

    it('a change and its audit entry commit together: if the audit cannot be written, the organisation is not saved', async () => {
      const own = await newAuthority(ctx.services);
      const ownOfficer = await newUser(ctx.services, own.id, 'officer');
      const { token } = await ctx.services.accounts.createApiToken(TEST_ACTOR, ownOfficer.id, 'atomicity');
      // Make the audit log refuse this one council's organisation entries, as a full disk or a bug might.
      const fn = `refuse_audit_${own.id.replace(/-/g, '')}`;
      await ctx.database.db.execute(
        sql.raw(`create function ${fn}() returns trigger language plpgsql as $$ begin
          if new.authority_id = '${own.id}' and new.action = 'organisation.create' then raise exception 'audit refused'; end if;
          return new; end $$`),
      );
      await ctx.database.db.execute(sql.raw(`create trigger ${fn} before insert on audit_log for each row execute function ${fn}()`));
      try {
        const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${own.slug}/organisations`, headers: bearer(token), payload: { name: 'Half Saved', type: 'charity' } });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ error: { code: 'internal', message: 'Sorry, there is a problem with the service', fields: {} } });
        expect(await countIn(own.id)).toBe(0);
      } finally {
        await ctx.database.db.execute(sql.raw(`drop trigger ${fn} on audit_log`));
        await ctx.database.db.execute(sql.raw(`drop function ${fn}()`));
      }
      const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${own.slug}/organisations`, headers: bearer(token), payload: { name: 'Fully Saved', type: 'charity' } });
      expect(again.statusCode).toBe(201);
      expect(await countIn(own.id)).toBe(1);
    });
  });
});
