/**
 * Places through the real app: the authority page, its wards (Lambeth's real
 * ONS wards), ward pages, the postcode look-up API, and what someone sees for
 * an authority or page that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, decode, h1, newAuthority, newUser, startTestApp, TEST_ACTOR, uniqueSlug, type TestContext } from './helpers.ts';
import type { Authority } from '../src/modules/places/service.ts';

/** Visible link texts, keyed by where they go. */
const links = (html: string) => [...html.matchAll(/<a class="govuk-link[^"]*" href="([^"]+)">([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1]!, text: decode(m[2]!.trim()) }));

const LAMBETH_WARD_COUNT = 25;
const BRIXTON_RUSH_COMMON = { code: 'E05014097', name: 'Brixton Rush Common' };
const STOCKWELL_EAST = { code: 'E05014110', name: 'Stockwell East' };

describe('places', () => {
  let ctx: TestContext;
  let authority: Authority;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services, 'Test Borough of Lambeth (places)');
  });
  afterAll(() => ctx.close());

  describe('pages', () => {
    it('shows the authority page with its name, its wards and what it has', async () => {
      const own = await newAuthority(ctx.services, 'Counting Borough');
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Brixton Food Co-op', type: 'cooperative' });
      await ctx.services.organisations.create(TEST_ACTOR, own.id, { name: 'Stockwell Youth Trust', type: 'charity' });
      await ctx.services.catalogue.create(TEST_ACTOR, own.id, { name: 'Brixton Library', category: 'Libraries', deliveryModel: 'in_house' });
      const res = await ctx.app.inject({ url: `/a/${own.slug}` });
      expect(res.statusCode).toBe(200);
      expect(h1(res.body)).toBe('Counting Borough');
      expect(res.body).toContain('Local authority E09000022');
      const found = links(res.body);
      expect(found).toContainEqual({ href: `/a/${own.slug}/wards`, text: `${LAMBETH_WARD_COUNT} wards` });
      expect(found).toContainEqual({ href: `/a/${own.slug}/organisations`, text: '2 organisations' });
      expect(found).toContainEqual({ href: `/a/${own.slug}/services`, text: '1 services' });
      expect(res.body).toContain(`href="/a/${own.slug}/join"`);
    });

    it('lists every ward with its real name and ONS code, linking to each', async () => {
      const res = await ctx.app.inject({ url: `/a/${authority.slug}/wards` });
      expect(res.statusCode).toBe(200);
      expect(h1(res.body)).toBe(`Wards in ${authority.name}`);
      const wardLinks = links(res.body).filter((l) => l.href.startsWith(`/a/${authority.slug}/wards/`));
      expect(wardLinks).toHaveLength(LAMBETH_WARD_COUNT);
      expect(wardLinks).toContainEqual({ href: `/a/${authority.slug}/wards/${BRIXTON_RUSH_COMMON.code}`, text: BRIXTON_RUSH_COMMON.name });
      expect(wardLinks).toContainEqual({ href: `/a/${authority.slug}/wards/E05014099`, text: 'Clapham Common & Abbeville' });
      // In name order, as people scan for their own.
      const names = wardLinks.map((l) => l.text);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en-GB')));
      expect(res.body).toContain(`${LAMBETH_WARD_COUNT} electoral wards`);
    });

    it('shows a ward page with its name and only the services that cover it', async () => {
      const own = await newAuthority(ctx.services);
      const wards = await ctx.services.places.listWards(own.id);
      const brixton = wards.find((w) => w.gssCode === BRIXTON_RUSH_COMMON.code)!;
      const stockwell = wards.find((w) => w.gssCode === STOCKWELL_EAST.code)!;
      await ctx.services.catalogue.create(TEST_ACTOR, own.id, { name: 'Brixton Lunch Club', category: 'Older people', deliveryModel: 'community_run', wardIds: [brixton.id] });
      await ctx.services.catalogue.create(TEST_ACTOR, own.id, { name: 'Stockwell Toy Library', category: 'Children', deliveryModel: 'grant_funded', wardIds: [stockwell.id] });

      const res = await ctx.app.inject({ url: `/a/${own.slug}/wards/${BRIXTON_RUSH_COMMON.code}` });
      expect(res.statusCode).toBe(200);
      expect(h1(res.body)).toBe(BRIXTON_RUSH_COMMON.name);
      expect(res.body).toContain(`Ward ${BRIXTON_RUSH_COMMON.code}`);
      expect(res.body).toContain('Brixton Lunch Club');
      expect(res.body).not.toContain('Stockwell Toy Library');
      expect(res.body).toContain('1 services cover this ward');

      // A code typed in lower case is the same ward.
      const lower = await ctx.app.inject({ url: `/a/${own.slug}/wards/${STOCKWELL_EAST.code.toLowerCase()}` });
      expect(lower.statusCode).toBe(200);
      expect(h1(lower.body)).toBe(STOCKWELL_EAST.name);
      expect(lower.body).toContain('Stockwell Toy Library');
    });

    it('says a ward with no services has none yet', async () => {
      const res = await ctx.app.inject({ url: `/a/${authority.slug}/wards/${STOCKWELL_EAST.code}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('No services are recorded for this ward yet.');
    });

    it('shows an unknown ward, or a ward of another council, as page not found', async () => {
      for (const code of ['E05000001', 'not-a-ward', 'E05011098' /* Chaucer, Southwark */]) {
        const res = await ctx.app.inject({ url: `/a/${authority.slug}/wards/${code}` });
        expect(res.statusCode, code).toBe(404);
        expect(h1(res.body)).toBe('Page not found');
      }
    });

    it('an authority with no ONS code has no wards, and says so without failing', async () => {
      const bare = await ctx.services.places.createAuthority(TEST_ACTOR, { slug: uniqueSlug('bare'), name: 'Borough Without Wards' });
      const page = await ctx.app.inject({ url: `/a/${bare.slug}` });
      expect(page.statusCode).toBe(200);
      expect(links(page.body)).toContainEqual({ href: `/a/${bare.slug}/wards`, text: '0 wards' });
      const api = await ctx.app.inject({ url: `/api/v1/authorities/${bare.slug}/wards` });
      expect(api.json()).toEqual({ items: [] });
    });

    it('lists the authority on the start page', async () => {
      const res = await ctx.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(links(res.body)).toContainEqual(expect.objectContaining({ href: `/a/${authority.slug}` }));
    });
  });

  describe('not found', () => {
    it('shows the GOV.UK "Page not found" page for an authority that does not exist', async () => {
      for (const url of ['/a/no-such-council', '/a/no-such-council/wards', '/a/no-such-council/wards/E05014097', '/a/no-such-council/services', '/a/no-such-council/organisations']) {
        const res = await ctx.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(h1(res.body)).toBe('Page not found');
        expect(res.body).toContain('<title>Page not found – Coproduce</title>');
        expect(res.body).toContain('govuk-template');
        expect(res.body).toContain('If you typed the web address, check it is correct.');
      }
    });

    it('answers the API with 404 JSON for an authority that does not exist', async () => {
      for (const url of ['/api/v1/authorities/no-such-council', '/api/v1/authorities/no-such-council/wards', '/api/v1/authorities/no-such-council/services', '/api/v1/authorities/no-such-council/membership']) {
        const res = await ctx.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No authority called no-such-council', fields: {} } });
      }
    });

    it('answers a slug that cannot be one as not found too: the authority is looked up before anything else', async () => {
      const res = await ctx.app.inject({ url: '/api/v1/authorities/NOT_A_SLUG/organisations?page=0' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', fields: {} });
    });

    it('shows page not found, not a server error, for any unknown address', async () => {
      const page = await ctx.app.inject({ url: '/no/such/page' });
      expect(page.statusCode).toBe(404);
      expect(h1(page.body)).toBe('Page not found');
      const api = await ctx.app.inject({ url: '/api/v1/nothing-here' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: { code: 'not_found', message: 'Page not found', fields: {} } });
      const post = await ctx.app.inject({ method: 'POST', url: '/api/v1/nothing-here', payload: {} });
      expect(post.statusCode).toBe(404);
    });

    it('shows page not found to someone signed in, still signed in', async () => {
      const officer = await newUser(ctx.services, authority.id, 'officer');
      const browser = new Browser(ctx.app);
      await browser.signIn(officer.email);
      for (const url of ['/a/no-such-council', '/no/such/page']) {
        const res = await browser.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(h1(res.body)).toBe('Page not found');
        expect(res.body).toContain('Signed in as Test officer');
      }
    });
  });

  describe('API', () => {
    it('describes the authority and lists its wards by GSS code with real names', async () => {
      const one = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual({ slug: authority.slug, name: authority.name, gssCode: 'E09000022', isDemo: false });

      const all = await ctx.app.inject({ url: '/api/v1/authorities' });
      expect(all.json().items).toContainEqual({ slug: authority.slug, name: authority.name, gssCode: 'E09000022', isDemo: false });

      const wards = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}/wards` });
      expect(wards.statusCode).toBe(200);
      const items = wards.json().items as { gssCode: string; name: string }[];
      expect(items).toHaveLength(LAMBETH_WARD_COUNT);
      expect(items).toContainEqual({ gssCode: BRIXTON_RUSH_COMMON.code, name: BRIXTON_RUSH_COMMON.name });
      expect(items).toContainEqual({ gssCode: STOCKWELL_EAST.code, name: STOCKWELL_EAST.name });
      expect(items.every((w) => /^E05\d{6}$/.test(w.gssCode))).toBe(true);
    });

    it('looks up a Lambeth postcode however it is typed', async () => {
      for (const typed of ['SW2 1AA', 'sw21aa', ' Sw2  1aA ']) {
        const res = await ctx.app.inject({ url: `/api/v1/postcodes/${encodeURIComponent(typed)}` });
        expect(res.statusCode, typed).toBe(200);
        expect(res.json()).toEqual({
          postcode: 'SW2 1AA',
          wardCode: BRIXTON_RUSH_COMMON.code,
          wardName: BRIXTON_RUSH_COMMON.name,
          localAuthorityCode: 'E09000022',
          localAuthorityName: 'Lambeth',
        });
      }
      const oval = await ctx.app.inject({ url: '/api/v1/postcodes/SE11%204PP' });
      expect(oval.json()).toMatchObject({ wardName: 'Oval', localAuthorityName: 'Lambeth' });
    });

    it('places a postcode outside Lambeth in its own council', async () => {
      const southwark = await ctx.app.inject({ url: '/api/v1/postcodes/SE1%201AA' });
      expect(southwark.statusCode).toBe(200);
      expect(southwark.json()).toEqual({ postcode: 'SE1 1AA', wardCode: 'E05011098', wardName: 'Chaucer', localAuthorityCode: 'E09000028', localAuthorityName: 'Southwark' });
      const towerHamlets = await ctx.app.inject({ url: '/api/v1/postcodes/E1%204AA' });
      expect(towerHamlets.json()).toMatchObject({ localAuthorityName: 'Tower Hamlets', wardName: 'Bethnal Green East' });
    });

    it('answers 404 for a real-looking postcode the index does not know', async () => {
      const res = await ctx.app.inject({ url: '/api/v1/postcodes/B1%201AA' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('not a postcode this platform knows'), fields: {} } });
    });

    it('answers a malformed postcode with a field error, never a server error', async () => {
      for (const bad of ['xx', 'SW2', '12345', 'SW2 1A', 'ZZZZ ZZZ', '%F0%9F%8F%A0', '..%2F..', 'SW2%001AA']) {
        const res = await ctx.app.inject({ url: `/api/v1/postcodes/${bad}` });
        expect(res.statusCode, bad).toBe(400);
        expect(res.json(), bad).toEqual({ error: { code: 'validation', message: expect.any(String), fields: { postcode: expect.any(String) } } });
      }
      const long = await ctx.app.inject({ url: '/api/v1/postcodes/SW21AASW21AA' });
      expect(long.statusCode).toBe(400);
      expect(long.json().error.fields).toHaveProperty('postcode');
    });
  });
});
