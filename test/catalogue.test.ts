/**
 * The service catalogue through the real app: the public finds services by
 * ward, category, delivery model and name; officers add and change them with
 * the forms and the API, with field errors for bad money, wards and providers;
 * every change is on the audit log with what it was before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { bearer, decode, errorSummary, expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { services as servicesTable } from '../src/modules/catalogue/tables.ts';
import type { Authority, Ward } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';
import type { Organisation } from '../src/modules/organisations/service.ts';


const BRIXTON_RUSH_COMMON = 'E05014097';
const STOCKWELL_EAST = 'E05014110';
const OVAL = 'E05014108';
/** A real ward, in Southwark: not one of this council's. */
const SOUTHWARK_CHAUCER = 'E05011098';

describe('catalogue', () => {
  let ctx: TestContext;
  let authority: Authority;
  let other: Authority;
  let officer: User;
  let resident: User;
  let officerToken: string;
  let residentToken: string;
  let wards: Map<string, Ward>;
  let otherWard: Ward;
  let library: Organisation;
  let youthTrust: Organisation;
  let foreignProvider: Organisation;
  const ids: Record<string, string> = {};

  const countIn = async (authorityId: string) =>
    (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(servicesTable).where(eq(servicesTable.authorityId, authorityId)))[0]!.n;
  const auditFor = (authorityId: string, entityId: string) =>
    ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authorityId), eq(auditLog.entityId, entityId))).orderBy(asc(auditLog.seq));
  const signedIn = (user: User) => signedInAs(ctx.app, user);
  /** The service names a page lists, in order. */
  const listed = async (slug: string, query: string) => {
    const res = await ctx.app.inject({ url: `/a/${slug}/services?${query}` });
    expect(res.statusCode, query).toBe(200);
    return [...res.body.matchAll(/<a class="govuk-link" href="\/a\/[^/]+\/services\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => decode(m[1]!));
  };
  const apiListed = async (slug: string, query: string) => {
    const res = await ctx.app.inject({ url: `/api/v1/authorities/${slug}/services?${query}` });
    expect(res.statusCode, query).toBe(200);
    return (res.json().items as { name: string }[]).map((s) => s.name);
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    other = await newAuthority(ctx.services, 'Another Borough');
    officer = await newUser(ctx.services, authority.id, 'officer');
    resident = await newUser(ctx.services, authority.id, 'resident');
    officerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'catalogue sync')).token;
    residentToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, resident.id, 'curious')).token;
    wards = new Map((await ctx.services.places.listWards(authority.id)).map((w) => [w.gssCode, w]));
    otherWard = (await ctx.services.places.listWards(other.id))[0]!;
    library = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Lambeth Libraries', type: 'council' });
    youthTrust = await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Stockwell Youth Trust', type: 'charity' });
    foreignProvider = await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Southwark Care Ltd', type: 'private_company' });

    const add = async (raw: Record<string, unknown>) => {
      const s = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, raw);
      ids[s.name] = s.id;
    };
    const w = (code: string) => wards.get(code)!.id;
    await add({ name: 'Brixton Library', category: 'Libraries', deliveryModel: 'in_house', providerOrganisationId: library.id, wardIds: [w(BRIXTON_RUSH_COMMON)], annualBudgetPence: 123456789 });
    await add({ name: 'Stockwell Youth Club', category: 'Youth services', deliveryModel: 'community_run', providerOrganisationId: youthTrust.id, wardIds: [w(STOCKWELL_EAST)] });
    await add({ name: 'Home Care', category: 'Adult social care', deliveryModel: 'contracted', wardIds: [w(BRIXTON_RUSH_COMMON), w(STOCKWELL_EAST)] });
    await add({ name: 'Mobile Library', category: 'Libraries', deliveryModel: 'cooperative' });
    await add({ name: '50% Off Swimming', category: 'Leisure', deliveryModel: 'trading_company', wardIds: [w(OVAL)] });
    await ctx.services.catalogue.create(TEST_ACTOR, other.id, { name: 'Peckham Library', category: 'Libraries', deliveryModel: 'in_house' });
  });
  afterAll(() => ctx.close());

  describe('finding services', () => {
    it('lists the council’s services by name, and only this council’s', async () => {
      expect(await listed(authority.slug, '')).toEqual(['50% Off Swimming', 'Brixton Library', 'Home Care', 'Mobile Library', 'Stockwell Youth Club']);
      const page = await ctx.app.inject({ url: `/a/${authority.slug}/services` });
      expect(page.body).toContain('5 services');
      expect(page.body).toContain('£1,234,567.89');
    });

    it('filters by ward, category, delivery model and name, alone and together', async () => {
      for (const [query, expected] of [
        [`ward=${BRIXTON_RUSH_COMMON}`, ['Brixton Library', 'Home Care']],
        [`ward=${STOCKWELL_EAST}`, ['Home Care', 'Stockwell Youth Club']],
        ['category=Libraries', ['Brixton Library', 'Mobile Library']],
        ['deliveryModel=community_run', ['Stockwell Youth Club']],
        ['q=library', ['Brixton Library', 'Mobile Library']],
        ['q=LIBR', ['Brixton Library', 'Mobile Library']],
        [`q=library&ward=${BRIXTON_RUSH_COMMON}`, ['Brixton Library']],
        ['category=Libraries&deliveryModel=cooperative', ['Mobile Library']],
        ['q=50%25', ['50% Off Swimming']],
        ['q=%25', ['50% Off Swimming']],
        ['q=_', []],
        ['ward=E05000001', []],
        [`ward=${SOUTHWARK_CHAUCER}`, []],
        ['category=Nothing', []],
      ] as const) {
        expect(await listed(authority.slug, query), query).toEqual(expected);
        expect(await apiListed(authority.slug, query), `API ${query}`).toEqual(expected);
      }
      const none = await ctx.app.inject({ url: `/a/${authority.slug}/services?category=Nothing` });
      expect(none.body).toContain('No services match these filters.');
      expect(none.body).toContain('0 services');
    });

    it('keeps the chosen filters selected on the page', async () => {
      const res = await ctx.app.inject({ url: `/a/${authority.slug}/services?ward=${STOCKWELL_EAST}&deliveryModel=community_run&q=club` });
      expect(res.body).toMatch(new RegExp(`<option value="${STOCKWELL_EAST}" selected>Stockwell East</option>`));
      expect(res.body).toMatch(/<option value="community_run" selected>Community-run<\/option>/);
      expect(res.body).toContain('value="club"');
    });

    it('shows a service’s details: provider, delivery, budget, wards', async () => {
      const res = await ctx.app.inject({ url: `/a/${authority.slug}/services/${ids['Brixton Library']}` });
      expect(res.statusCode).toBe(200);
      expect(h1(res.body)).toBe('Brixton Library');
      expect(res.body).toContain(`<a class="govuk-link" href="/a/${authority.slug}/organisations/${library.id}">Lambeth Libraries</a>`);
      expect(res.body).toContain('In-house');
      expect(res.body).toContain('£1,234,567.89');
      expect(res.body).toContain(`<a class="govuk-link" href="/a/${authority.slug}/wards/${BRIXTON_RUSH_COMMON}">Brixton Rush Common</a>`);
      // The public sees no edit link.
      expect(res.body).not.toContain('/edit');

      const api = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/services/${ids['Brixton Library']}` });
      expect(api.json()).toMatchObject({
        name: 'Brixton Library',
        provider: { id: library.id, name: 'Lambeth Libraries' },
        deliveryModel: 'in_house',
        annualBudgetPence: 123456789,
        wards: [{ gssCode: BRIXTON_RUSH_COMMON, name: 'Brixton Rush Common' }],
        outcomes: [],
      });
    });

    it('does not find another council’s service, or a made-up one', async () => {
      const theirs = (await ctx.services.catalogue.list(other.id, {}, { limit: 10, offset: 0 })).rows[0]!;
      for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        const res = await ctx.app.inject({ url: `/a/${authority.slug}/services/${id}` });
        expect(res.statusCode, id).toBe(404);
        expect(h1(res.body)).toBe('Page not found');
      }
      const api = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/services/${theirs.id}` });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: { code: 'not_found', message: 'No such service', fields: {} } });
    });
  });

  describe('officers’ forms', () => {
    it('an officer adds a service with a budget in pounds and the wards it covers', async () => {
      const browser = await signedIn(officer);
      const form = await browser.get(`/a/${authority.slug}/services/new`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Lambeth Libraries');
      expect(form.body).not.toContain('Southwark Care Ltd');

      const res = await browser.submit(`/a/${authority.slug}/services/new`, `/a/${authority.slug}/services`, {
        name: 'Oval Food Bank',
        description: 'Emergency food parcels.',
        category: 'Food support',
        providerOrganisationId: youthTrust.id,
        deliveryModel: 'grant_funded',
        annualBudget: '£250,000',
        wardIds: [wards.get(OVAL)!.id, wards.get(STOCKWELL_EAST)!.id],
        status: 'active',
        url: 'https://ovalfood.example.org',
        email: 'help@ovalfood.example.org',
      });
      expect(res.statusCode).toBe(303);
      const id = new RegExp(`^/a/${authority.slug}/services/([0-9a-f-]{36})$`).exec(res.headers.location as string)?.[1];
      expect(id).toBeDefined();
      const page = await browser.get(res.headers.location as string);
      expect(h1(page.body)).toBe('Oval Food Bank');
      expect(page.body).toContain('£250,000.00');
      expect(page.body).toContain('Grant-funded');
      expect(page.body).toContain('>Oval</a>');
      expect(page.body).toContain('>Stockwell East</a>');
      expect(page.body).toContain(`href="/a/${authority.slug}/services/${id}/edit"`);

      const detail = await ctx.services.catalogue.get(authority.id, id!);
      expect(detail).toMatchObject({ annualBudgetPence: 25_000_000, providerOrganisationId: youthTrust.id, deliveryModel: 'grant_funded' });
      const [entry] = await auditFor(authority.id, id!);
      expect(entry).toMatchObject({ action: 'service.create', actorUserId: officer.id, actorRole: 'officer', via: 'web' });
      expect(entry!.after).toMatchObject({ name: 'Oval Food Bank', annualBudgetPence: 25_000_000 });
      expect((entry!.after as { wardIds: string[] }).wardIds.sort()).toEqual([wards.get(OVAL)!.id, wards.get(STOCKWELL_EAST)!.id].sort());
    });

    it('shows field errors for bad money, a provider or ward from another council, and saves nothing', async () => {
      const browser = await signedIn(officer);
      const before = await countIn(authority.id);
      const send = (fields: Record<string, string | string[]>) =>
        browser.submit(`/a/${authority.slug}/services/new`, `/a/${authority.slug}/services`, {
          name: 'Bad Data Service',
          category: 'Testing',
          deliveryModel: 'in_house',
          status: 'active',
          ...fields,
        });

      const money = await send({ annualBudget: '£1,2x' });
      expect(money.statusCode).toBe(400);
      expectFormErrors(money.body, { annualBudget: 'Enter the annual budget in pounds, like 250,000' });
      expect(money.body).toContain('value="£1,2x"');

      for (const amount of ['1,2345', '12.345', 'ten pounds', '£']) {
        const res = await send({ annualBudget: amount });
        expect(res.statusCode, amount).toBe(400);
        expect(errorSummary(res.body), amount).toEqual({ annualBudget: 'Enter the annual budget in pounds, like 250,000' });
      }
      const negative = await send({ annualBudget: '-5' });
      expect(errorSummary(negative.body)).toEqual({ annualBudget: 'The annual budget cannot be negative' });

      const provider = await send({ providerOrganisationId: foreignProvider.id });
      expect(provider.statusCode).toBe(400);
      expectFormErrors(provider.body, { providerOrganisationId: 'Select a provider from the list' });

      const ward = await send({ wardIds: [wards.get(OVAL)!.id, otherWard.id] });
      expect(ward.statusCode).toBe(400);
      expectFormErrors(ward.body, { wardIds: 'Select wards from the list' });

      const everything = await send({ name: '', category: '', deliveryModel: 'outsourced', annualBudget: 'lots', url: 'javascript:alert(1)', email: 'nope' });
      expect(errorSummary(everything.body)).toEqual({
        name: 'Enter the name of the service',
        category: 'Enter a category, like Adult social care',
        deliveryModel: 'Select how the service is delivered',
        url: 'Enter a web address starting with https://',
        email: 'Enter an email address like name@example.com',
        annualBudget: 'Enter the annual budget in pounds, like 250,000',
      });

      expect(await countIn(authority.id)).toBe(before);
    });

    it('an officer changes a service; the edit form starts from what is there and the audit keeps before and after', async () => {
      const made = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, {
        name: 'Kennington Lunch Club',
        category: 'Older people',
        deliveryModel: 'community_run',
        annualBudget: '12,500.50',
        wardIds: [wards.get(OVAL)!.id],
      });
      const browser = await signedIn(officer);
      const edit = await browser.get(`/a/${authority.slug}/services/${made.id}/edit`);
      expect(edit.statusCode).toBe(200);
      expect(edit.body).toContain('value="12500.50"');
      expect(edit.body).toMatch(new RegExp(`value="${wards.get(OVAL)!.id}" checked`));

      const res = await browser.submit(`/a/${authority.slug}/services/${made.id}/edit`, `/a/${authority.slug}/services/${made.id}`, {
        name: 'Kennington Lunch and Social Club',
        category: 'Older people',
        deliveryModel: 'cooperative',
        annualBudget: '15,000',
        wardIds: [wards.get(OVAL)!.id, wards.get(BRIXTON_RUSH_COMMON)!.id],
        providerOrganisationId: youthTrust.id,
        status: 'temporarily closed',
      });
      expect(res.statusCode).toBe(303);
      const page = await browser.get(res.headers.location as string);
      expect(h1(page.body)).toBe('Kennington Lunch and Social Club');
      expect(page.body).toContain('£15,000.00');
      expect(page.body).toContain('Temporarily closed');

      const update = (await auditFor(authority.id, made.id)).at(-1)!;
      expect(update).toMatchObject({ action: 'service.update', actorUserId: officer.id, via: 'web' });
      expect(update.before).toMatchObject({ name: 'Kennington Lunch Club', deliveryModel: 'community_run', annualBudgetPence: 1_250_050, providerOrganisationId: null, status: 'active', wardIds: [wards.get(OVAL)!.id] });
      expect(update.after).toMatchObject({
        name: 'Kennington Lunch and Social Club',
        deliveryModel: 'cooperative',
        annualBudgetPence: 1_500_000,
        providerOrganisationId: youthTrust.id,
        status: 'temporarily closed',
        wardIds: [wards.get(OVAL)!.id, wards.get(BRIXTON_RUSH_COMMON)!.id].sort(),
      });
    });

    it('a bad change leaves the service and its wards as they were', async () => {
      const made = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Vauxhall Walks', category: 'Health', deliveryModel: 'in_house', wardIds: [wards.get(OVAL)!.id] });
      const browser = await signedIn(officer);
      const res = await browser.submit(`/a/${authority.slug}/services/${made.id}/edit`, `/a/${authority.slug}/services/${made.id}`, {
        name: 'Vauxhall Walks',
        category: 'Health',
        deliveryModel: 'in_house',
        wardIds: [otherWard.id],
        providerOrganisationId: foreignProvider.id,
      });
      expect(res.statusCode).toBe(400);
      expect(h1(res.body)).toBe('Change Vauxhall Walks');
      expect(errorSummary(res.body)).toEqual({ providerOrganisationId: 'Select a provider from the list', wardIds: 'Select wards from the list' });
      const after = await ctx.services.catalogue.get(authority.id, made.id);
      expect(after.wards.map((w) => w.gssCode)).toEqual([OVAL]);
      expect(after.providerOrganisationId).toBeNull();
      expect((await auditFor(authority.id, made.id)).map((e) => e.action)).toEqual(['service.create']);
    });

    it('residents cannot add or change services', async () => {
      const browser = await signedIn(resident);
      expect((await browser.get(`/a/${authority.slug}/services/new`)).statusCode).toBe(403);
      expect((await browser.get(`/a/${authority.slug}/services/${ids['Home Care']}/edit`)).statusCode).toBe(403);
      const list = await browser.get(`/a/${authority.slug}/services`);
      expect(list.body).not.toContain('Add a service');
    });
  });

  describe('the API', () => {
    const post = (payload: unknown, token = officerToken) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/services`, headers: bearer(token), payload: payload as object });
    const put = (id: string, payload: unknown, token = officerToken) =>
      ctx.app.inject({ method: 'PUT', url: `/api/v1/authorities/${authority.slug}/services/${id}`, headers: bearer(token), payload: payload as object });

    it('creates a service from ward codes and pence (201), audited as via the API', async () => {
      const res = await post({
        name: 'Streatham Swimming Lessons',
        category: 'Leisure',
        deliveryModel: 'trading_company',
        annualBudgetPence: 500_000,
        wardCodes: [OVAL, BRIXTON_RUSH_COMMON],
        providerOrganisationId: library.id,
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        name: 'Streatham Swimming Lessons',
        annualBudgetPence: 500_000,
        provider: { id: library.id, name: 'Lambeth Libraries' },
        status: 'active',
        wards: [
          { gssCode: BRIXTON_RUSH_COMMON, name: 'Brixton Rush Common' },
          { gssCode: OVAL, name: 'Oval' },
        ],
      });
      const [entry] = await auditFor(authority.id, body.id);
      expect(entry).toMatchObject({ action: 'service.create', actorUserId: officer.id, via: 'api' });
    });

    it('answers bad money, an unknown ward code and another council’s provider with field errors, and writes nothing', async () => {
      const before = await countIn(authority.id);
      const base = { name: 'API Bad Data', category: 'Testing', deliveryModel: 'in_house' };

      const money = await post({ ...base, annualBudgetPence: '£1,2x' });
      expect(money.statusCode).toBe(400);
      expect(money.json()).toEqual({ error: { code: 'validation', message: expect.any(String), fields: { annualBudgetPence: expect.any(String) } } });
      const fraction = await post({ ...base, annualBudgetPence: 12.5 });
      expect(fraction.statusCode).toBe(400);
      expect(fraction.json().error.fields).toHaveProperty('annualBudgetPence');
      const negative = await post({ ...base, annualBudgetPence: -1 });
      expect(negative.statusCode).toBe(400);
      expect(negative.json().error.fields).toHaveProperty('annualBudgetPence');
      // Pounds as people type them are checked the same way as on the form.
      const pounds = await post({ ...base, annualBudget: '£1,2x' });
      expect(pounds.statusCode).toBe(400);
      expect(pounds.json().error.fields).toEqual({ annualBudget: 'Enter the annual budget in pounds, like 250,000' });

      const unknownWard = await post({ ...base, wardCodes: [OVAL, 'E05000001'] });
      expect(unknownWard.statusCode).toBe(400);
      expect(unknownWard.json().error).toMatchObject({ code: 'validation', fields: { wardCodes: expect.stringContaining('E05000001') } });
      const theirWard = await post({ ...base, wardCodes: [SOUTHWARK_CHAUCER] });
      expect(theirWard.statusCode).toBe(400);
      expect(theirWard.json().error.fields).toHaveProperty('wardCodes');
      const notACode = await post({ ...base, wardCodes: ['Oval'] });
      expect(notACode.statusCode).toBe(400);
      expect(Object.keys(notACode.json().error.fields)[0]).toMatch(/^wardCodes/);

      const provider = await post({ ...base, providerOrganisationId: foreignProvider.id });
      expect(provider.statusCode).toBe(400);
      expect(provider.json().error.fields).toEqual({ providerOrganisationId: 'Select a provider from the list' });

      const model = await post({ ...base, deliveryModel: 'outsourced' });
      expect(model.statusCode).toBe(400);
      expect(model.json().error.fields).toHaveProperty('deliveryModel');

      expect(await countIn(authority.id)).toBe(before);
    });

    it('PUT replaces a service; the audit log has before and after', async () => {
      const made = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Larkhall Park Café', category: 'Parks', deliveryModel: 'contracted', annualBudgetPence: 1000, wardIds: [wards.get(STOCKWELL_EAST)!.id] });
      const res = await put(made.id, { name: 'Larkhall Park Community Café', category: 'Parks', deliveryModel: 'community_run', annualBudgetPence: 2500, wardCodes: [OVAL], status: 'inactive' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: made.id, name: 'Larkhall Park Community Café', deliveryModel: 'community_run', annualBudgetPence: 2500, status: 'inactive', wards: [{ gssCode: OVAL, name: 'Oval' }] });
      const get = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/services/${made.id}` });
      expect(get.json()).toEqual(res.json());

      const update = (await auditFor(authority.id, made.id)).at(-1)!;
      expect(update).toMatchObject({ action: 'service.update', actorUserId: officer.id, actorRole: 'officer', via: 'api' });
      expect(update.before).toMatchObject({ name: 'Larkhall Park Café', deliveryModel: 'contracted', annualBudgetPence: 1000, status: 'active', wardIds: [wards.get(STOCKWELL_EAST)!.id] });
      expect(update.after).toMatchObject({ name: 'Larkhall Park Community Café', deliveryModel: 'community_run', annualBudgetPence: 2500, status: 'inactive', wardIds: [wards.get(OVAL)!.id] });
    });

    it('a refused PUT changes nothing', async () => {
      const made = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Myatt’s Fields Gardening', category: 'Parks', deliveryModel: 'community_run', wardIds: [wards.get(OVAL)!.id] });
      const body = { name: 'Renamed', category: 'Parks', deliveryModel: 'community_run' };
      const provider = await put(made.id, { ...body, providerOrganisationId: foreignProvider.id });
      expect(provider.statusCode).toBe(400);
      expect(provider.json().error.fields).toEqual({ providerOrganisationId: 'Select a provider from the list' });
      const ward = await put(made.id, { ...body, wardCodes: ['E05000001'] });
      expect(ward.statusCode).toBe(400);
      expect(ward.json().error.fields).toHaveProperty('wardCodes');
      const asResident = await put(made.id, body, residentToken);
      expect(asResident.statusCode).toBe(403);
      const noToken = await ctx.app.inject({ method: 'PUT', url: `/api/v1/authorities/${authority.slug}/services/${made.id}`, payload: body });
      expect(noToken.statusCode).toBe(401);
      const after = await ctx.services.catalogue.get(authority.id, made.id);
      expect(after).toMatchObject({ name: 'Myatt’s Fields Gardening', providerOrganisationId: null });
      expect(after.wards.map((w) => w.gssCode)).toEqual([OVAL]);
      expect((await auditFor(authority.id, made.id)).map((e) => e.action)).toEqual(['service.create']);
    });

    it('cannot PUT another council’s service through this council, nor one that does not exist', async () => {
      const theirs = await ctx.services.catalogue.create(TEST_ACTOR, other.id, { name: 'Dulwich Library', category: 'Libraries', deliveryModel: 'in_house' });
      const body = { name: 'Taken Over', category: 'Libraries', deliveryModel: 'in_house' };
      const res = await put(theirs.id, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      expect((await ctx.services.catalogue.get(other.id, theirs.id)).name).toBe('Dulwich Library');
      const missing = await put('00000000-0000-4000-8000-000000000000', body);
      expect(missing.statusCode).toBe(404);
    });
  });
});
