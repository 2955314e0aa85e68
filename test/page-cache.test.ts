/**
 * Public pages served again to signed-out visitors: a second visit is served from the
 * page cache with a fresh CSP nonce; any audited change to the authority (here, an
 * officer renaming a service through the form) shows at once; signed-in people and
 * other authorities never see a kept page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';

const nonceOf = (res: { headers: Record<string, unknown> }) => /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];

describe('public page cache', () => {
  let ctx: TestContext;
  let authority: Authority;
  let other: Authority;
  let officer: User;
  let serviceId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    other = await newAuthority(ctx.services, 'Test Borough of Elsewhere');
    officer = await newUser(ctx.services, authority.id, 'officer');
    const created = await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Lending library', category: 'Libraries', deliveryModel: 'in_house' });
    serviceId = created.id;
  });
  afterAll(() => ctx?.close());

  it('serves a signed-out visitor’s second visit from the cache, with its own nonce in the page and the policy', async () => {
    const url = `/a/${authority.slug}/services`;
    const first = await ctx.app.inject({ url });
    const second = await ctx.app.inject({ url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-page-cache']).toBe('miss');
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-page-cache']).toBe('hit');
    expect(second.headers['content-type']).toMatch(/^text\/html/);
    const [n1, n2] = [nonceOf(first), nonceOf(second)];
    expect(n1 && n2 && n1 !== n2).toBe(true);
    expect(second.body).toContain(`nonce="${n2}"`);
    expect(second.body).not.toContain(n1!);
    expect(second.body.replaceAll(n2!, n1!)).toBe(first.body);
  });

  it('keeps each query string apart', async () => {
    const base = `/a/${authority.slug}/services`;
    await ctx.app.inject({ url: `${base}?q=library` });
    const none = await ctx.app.inject({ url: `${base}?q=swimming` });
    expect(none.headers['x-page-cache']).toBe('miss');
    expect(none.body).not.toContain('Lending library');
  });

  it('shows an officer’s change on the next signed-out visit', async () => {
    const list = `/a/${authority.slug}/services`;
    const detail = `${list}/${serviceId}`;
    await ctx.app.inject({ url: list });
    await ctx.app.inject({ url: detail });
    expect((await ctx.app.inject({ url: detail })).headers['x-page-cache']).toBe('hit');

    const browser = new Browser(ctx.app);
    await browser.signIn(officer.email);
    const saved = await browser.submit(`${detail}/edit`, detail, { name: 'Central library', category: 'Libraries', deliveryModel: 'in_house', status: 'active' });
    expect(saved.statusCode).toBe(303);

    for (const url of [list, detail]) {
      const after = await ctx.app.inject({ url });
      expect(after.headers['x-page-cache'], url).toBe('miss');
      expect(after.body, url).toContain('Central library');
      expect(after.body, url).not.toContain('Lending library');
    }
  });

  it('never serves or keeps a page for someone signed in', async () => {
    const browser = new Browser(ctx.app);
    await browser.signIn(officer.email);
    const url = `/a/${authority.slug}/wards`;
    await ctx.app.inject({ url });
    const mine = await browser.get(url);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['x-page-cache']).toBeUndefined();
    expect(mine.body).toContain('Sign out');
    const anonymous = await ctx.app.inject({ url });
    expect(anonymous.headers['x-page-cache']).toBe('hit');
    expect(anonymous.body).not.toContain('Sign out');
  });

  it('keeps authorities apart, and a change to one leaves the other’s pages kept', async () => {
    const mine = `/a/${authority.slug}`;
    const theirs = `/a/${other.slug}`;
    await ctx.app.inject({ url: mine });
    await ctx.app.inject({ url: theirs });
    await ctx.services.catalogue.create(TEST_ACTOR, authority.id, { name: 'Youth club', category: 'Young people', deliveryModel: 'community_run' });
    expect((await ctx.app.inject({ url: mine })).headers['x-page-cache']).toBe('miss');
    const theirsAgain = await ctx.app.inject({ url: theirs });
    expect(theirsAgain.headers['x-page-cache']).toBe('hit');
    expect(theirsAgain.body).toContain('Test Borough of Elsewhere');
  });

  it('is off when PAGE_CACHE_SECONDS is 0', async () => {
    const off = await startTestApp({ PAGE_CACHE_SECONDS: '0' });
    try {
      const a = await newAuthority(off.services);
      const url = `/a/${a.slug}/services`;
      await off.app.inject({ url });
      expect((await off.app.inject({ url })).headers['x-page-cache']).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
