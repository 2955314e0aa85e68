/**
 * Identity and access through the real pages: sign in and out, sessions,
 * CSRF, rate limiting, password reset through the outbox, API tokens, and
 * logs that never carry a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { Browser, newAuthority, newUser, startTestApp, TEST_PASSWORD, type TestContext } from './helpers.ts';
import { SESSION_COOKIE } from '../src/modules/accounts/routes.ts';
import { outboxMessages } from '../src/lib/outbox/tables.ts';
import { sessions } from '../src/lib/auth/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';

const logLines: string[] = [];

describe('accounts', () => {
  let ctx: TestContext;
  let authority: Authority;

  beforeAll(async () => {
    ctx = await startTestApp({}, { logStream: { write: (line) => void logLines.push(line) } });
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx.close());

  it('signs in, shows the dashboard for the role, and signs out ending the session', async () => {
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const browser = new Browser(ctx.app);
    const before = await browser.get('/dashboard');
    expect(before.statusCode).toBe(303);
    expect(before.headers.location).toBe('/sign-in?returnTo=%2Fdashboard');

    await browser.signIn(officer.email);
    const dashboard = await browser.get('/dashboard');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Test officer');
    expect(dashboard.body).toMatch(/Council officer/);

    const token = browser.cookies.get(SESSION_COOKIE)!;
    const out = await browser.submit('/dashboard', '/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/signed-out');
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    // The old cookie is dead on the server too, not just forgotten by the browser.
    const replay = await ctx.app.inject({ method: 'GET', url: '/dashboard', cookies: { [SESSION_COOKIE]: token } });
    expect(replay.statusCode).toBe(303);
    const rows = await ctx.database.db.select().from(sessions).where(eq(sessions.userId, officer.id));
    expect(rows).toHaveLength(0);
  });

  it('sends people back only to pages on this site after signing in', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const browser = new Browser(ctx.app);
    const local = await browser.submit('/sign-in', '/sign-in', { email: resident.email, password: TEST_PASSWORD, returnTo: `/a/${authority.slug}/catalogue` });
    expect(local.headers.location).toBe(`/a/${authority.slug}/catalogue`);
    const other = new Browser(ctx.app);
    const offsite = await other.submit('/sign-in', '/sign-in', { email: resident.email, password: TEST_PASSWORD, returnTo: '//evil.example/' });
    expect(offsite.headers.location).toBe('/dashboard');
  });

  it('refuses a wrong password with the GOV.UK error summary and no session, without saying which was wrong', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const browser = new Browser(ctx.app);
    const wrong = await browser.submit('/sign-in', '/sign-in', { email: resident.email, password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('govuk-error-summary');
    expect(wrong.body).toContain('Enter a correct email address and password');
    expect(wrong.body).toContain(`value="${resident.email}"`);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    const nobody = await browser.submit('/sign-in', '/sign-in', { email: 'nobody@example.org', password: 'not the password' });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.body).toContain('Enter a correct email address and password');
    const empty = await browser.submit('/sign-in', '/sign-in', { email: '', password: '' });
    expect(empty.body).toContain('Enter your email address');
    expect(empty.body).toContain('Enter your password');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const browser = new Browser(ctx.app);
    await browser.signIn(resident.email);
    const forged = await browser.post('/sign-out', {});
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('govuk-heading-l');
    const stillIn = await browser.get('/dashboard');
    expect(stillIn.statusCode).toBe(200);
    const wrongToken = await browser.post('/sign-out', { _csrf: 'made-up' });
    expect(wrongToken.statusCode).toBe(403);
  });

  it('resets a password through a one-time link in the outbox, ending every session', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const signedIn = new Browser(ctx.app);
    await signedIn.signIn(resident.email);

    const browser = new Browser(ctx.app);
    const asked = await browser.submit('/forgot-password', '/forgot-password', { email: resident.email });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Check your email');
    // Asking for an address with no account looks the same, and sends nothing.
    const unknown = await browser.submit('/forgot-password', '/forgot-password', { email: 'no-such-person@example.org' });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toContain('Check your email');
    expect(await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, 'no-such-person@example.org'))).toHaveLength(0);

    const [mail] = await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, resident.email)).orderBy(desc(outboxMessages.createdAt));
    expect(mail?.subject).toBe('Reset your Coproduce password');
    const link = /\/reset-password\/[A-Za-z0-9_-]+/.exec(mail!.body!)![0];

    const mismatch = await browser.submit(link, link, { password: 'a brand new password', confirmPassword: 'something else entirely' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('Passwords do not match');

    const done = await browser.submit(link, link, { password: 'a brand new password', confirmPassword: 'a brand new password' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/sign-in?reset=done');

    expect((await signedIn.get('/dashboard')).statusCode).toBe(303);
    await expect(ctx.services.accounts.signIn(resident.email, TEST_PASSWORD)).rejects.toThrow();
    await new Browser(ctx.app).signIn(resident.email, 'a brand new password');

    const reused = await browser.get(link);
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toContain('This link has expired');
  });

  it('keeps passwords, session cookies and reset tokens out of the logs and the audit log', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const browser = new Browser(ctx.app);
    await browser.signIn(resident.email);
    await browser.submit('/forgot-password', '/forgot-password', { email: resident.email });
    const [mail] = await ctx.database.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, resident.email)).orderBy(desc(outboxMessages.createdAt));
    const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.body!)![1]!;
    await browser.get(`/reset-password/${token}`);

    const logs = logLines.join('');
    expect(logs).toContain('/reset-password/[redacted]');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(TEST_PASSWORD);
    expect(logs).not.toContain(browser.cookies.get(SESSION_COOKIE)!);

    const audit = await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, resident.id));
    const text = JSON.stringify(audit);
    expect(text).toContain('[redacted]');
    expect(text).not.toMatch(/\$argon2id\$/);
  });

  it('lets machine clients in by API token, and only by API token', async () => {
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const { token } = await ctx.services.accounts.createApiToken({ userId: officer.id, role: 'officer', via: 'web' }, officer.id, 'reporting robot');
    expect(token).toMatch(/^cpt_/);
    const url = `/api/v1/authorities/${authority.slug}/organisations`;
    const body = { name: 'Brixton Tenants Co-operative', type: 'cooperative' };
    const withToken = await ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: body });
    expect(withToken.statusCode).toBe(201);
    const noToken = await ctx.app.inject({ method: 'POST', url, payload: body });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json()).toMatchObject({ error: { code: 'unauthorised' } });
    const badToken = await ctx.app.inject({ method: 'POST', url, headers: { authorization: 'Bearer cpt_nonsense' }, payload: body });
    expect(badToken.statusCode).toBe(401);

    // A browser session does not open the API: that would make it CSRF-able.
    const browser = new Browser(ctx.app);
    await browser.signIn(officer.email);
    const cookieOnly = await browser.request({ method: 'POST', url, payload: body });
    expect(cookieOnly.statusCode).toBe(401);
  });
});

describe('sign-in rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp({ SIGN_IN_RATE_LIMIT: '3' });
  });
  afterAll(() => ctx.close());

  it('refuses the attempt after the limit, with a page that says why', async () => {
    const browser = new Browser(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await browser.submit('/sign-in', '/sign-in', { email: 'guess@example.org', password: `guess ${i}` })).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    const limited = await browser.submit('/sign-in', '/sign-in', { email: 'guess@example.org', password: 'again' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toMatch(/too many/i);
  });
});
