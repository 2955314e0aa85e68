/**
 * The accessibility sweep: every page a visitor or each role can reach, and
 * each form's error state after a bad submit, checked by axe-core against
 * WCAG 2.2 AA in real Chromium, with no console errors or CSP violations
 * (see support.ts, which checks each page as it lands). A few pages are swept
 * again with JavaScript off, as those visitors see them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BASE, LAMBETH_POSTCODES, OUT_OF_AREA, auditSummary, demoAccount, startHarness, type Harness, type Session } from './support.ts';
import type { Role } from '../src/lib/auth/policy.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ checkLinks: true });
});

afterAll(async () => {
  if (h) console.log(`${auditSummary(h, 'accessibility sweep')}; ${h.checks.linksFollowed.size} kinds of link followed`);
  await h?.close();
});

async function signedIn(role: Role, options: { javaScriptEnabled?: boolean } = {}): Promise<Session> {
  const s = await h.session(options);
  await s.signIn(demoAccount(role).email);
  return s;
}

/** An organisation with a person in a role (the community rep chairs it), so staff see the people table. */
const ORGANISATION_WITH_PEOPLE = 'Acre Lane Community Kitchen';

async function organisationId(name: string) {
  const { rows } = await h.services.organisations.list(h.authority.id, { q: name }, { limit: 1, offset: 0 });
  if (!rows[0]) throw new Error(`No organisation called ${name}`);
  return rows[0].id;
}

async function serviceId(category: string) {
  const { rows } = await h.services.catalogue.list(h.authority.id, { category }, { limit: 1, offset: 0 });
  if (!rows[0]) throw new Error(`No service in ${category}`);
  return rows[0].id;
}

describe('the checker', () => {
  const failureOf = (html: string) =>
    h.checks.check({ url: `${h.baseUrl}/checker-self-test`, html, javaScriptEnabled: true }).then(
      () => '',
      (err: Error) => err.message,
    );

  test('finds violations, and names the rule, the element and the page', async () => {
    const bad = `<!DOCTYPE html><html lang="en"><head><title>Bad page</title><link rel="stylesheet" href="/assets/css/app.css"></head>
      <body><main><h1 class="govuk-heading-l">Bad page</h1><img src="/assets/images/favicon.svg">
      <p class="govuk-body" style="color:#c0c0c0">Faint text</p><a class="govuk-link" id="empty-link" href="/"></a></main></body></html>`;
    const message = await failureOf(bad);
    for (const expected of ['image-alt', 'color-contrast', 'link-name', '#empty-link', '/checker-self-test']) expect(message).toContain(expected);
  });

  test('fails a page that breaks the Content Security Policy', async () => {
    const s = await h.session();
    // The real page, with an inline script the policy does not allow (it has no nonce).
    await s.page.route('**/about', async (route) => {
      const res = await route.fetch();
      route.fulfill({ response: res, body: (await res.text()).replace('</main>', '<script>document.title = "changed"</script></main>') });
    });
    const failure = await s.visit('/about').then(() => '', (err: Error) => err.message);
    await s.page.unroute('**/about');
    expect(failure).toContain('The browser reported problems');
    expect(failure).toMatch(/Content Security Policy|CSP violation/);
    await s.close();
  });

  test('sees each page with its stylesheet (without it, the start page fails)', async () => {
    const start = await (await fetch(`${h.baseUrl}/`)).text();
    expect(await failureOf(start.replace(/<link rel="stylesheet"[^>]*>/, ''))).toContain('target-size');
    expect(await failureOf(start)).toBe('');
  });
});

describe('every page, checked by axe', () => {
  test('public pages', async () => {
    const s = await h.session();
    for (const path of ['/', '/about', '/accessibility', BASE, `${BASE}/wards`]) await s.visit(path);
    await s.follow('Kennington');
    expect(await s.heading()).toBe('Kennington');
    await s.visit(`${BASE}/organisations`);
    await s.visit(`${BASE}/organisations?type=charity&q=trust`);
    await s.visit(`${BASE}/organisations?q=nothing-matches-this`);
    await s.visit(`${BASE}/organisations/${await organisationId(ORGANISATION_WITH_PEOPLE)}`);
    await s.visit(`${BASE}/services`);
    await s.visit(`${BASE}/services?page=2`);
    await s.visit(`${BASE}/services?q=nothing-matches-this`);
    await s.visit(`${BASE}/services/${await serviceId('Housing')}`);
    await s.visit(`${BASE}/join`);
    await s.visit('/sign-in');
    await s.visit('/sign-in?reset=done');
    await s.visit('/forgot-password');
    await s.visit('/signed-out');
    await s.close();
  });

  test('not found, expired and refused pages', async () => {
    const s = await h.session();
    await s.visit('/no-such-page', { status: 404 });
    expect(await s.heading()).toBe('Page not found');
    await s.visit('/a/no-such-council', { status: 404 });
    await s.visit(`${BASE}/services/not-a-service`, { status: 404 });
    await s.visit(`${BASE}/organisations/${randomUUID()}`, { status: 404 });
    await s.visit(`${BASE}/wards/E05999999`, { status: 404 });
    await s.visit('/reset-password/not-a-real-token', { status: 410 });
    expect(await s.heading()).toBe('This link has expired');
    // A page that needs signing in sends a visitor to sign in.
    await s.visit('/admin/users');
    expect(new URL(s.page.url()).pathname).toBe('/sign-in');
    await s.close();

    const resident = await signedIn('resident');
    await resident.visit('/admin/users', { status: 403 });
    expect(await resident.heading()).toBe('You do not have access to this page');
    await resident.visit(`${BASE}/organisations/new`, { status: 403 });
    await resident.close();
  });

  test('sign-in, password reset and join forms after a bad submit', async () => {
    const s = await h.session();
    await s.visit('/sign-in');
    await s.submit('Sign in', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter your email address', 'Enter your password']);

    await s.visit('/forgot-password');
    await s.page.getByLabel('Email address').fill('not an email');
    await s.submit('Send reset link', { status: 400 });
    expect(await s.errorSummary()).toHaveLength(1);
    const email = demoAccount('councillor').email;
    await s.page.getByLabel('Email address').fill(email);
    await s.submit('Send reset link');
    expect(await s.heading()).toBe('Check your email');

    // The link from the email (kept in the outbox, as no SMTP server is configured).
    const { rows } = await h.services.outbox.list(h.services.database.db, h.authority.id, { limit: 50, offset: 0 });
    const message = rows.find((m) => m.toAddress === email && /\/reset-password\//.test(m.body ?? ''));
    const link = /\/reset-password\/\S+/.exec(message?.body ?? '')?.[0];
    if (!link) throw new Error('No reset link in the outbox');
    await s.visit(link);
    expect(await s.heading()).toBe('Choose a new password');
    await s.page.getByLabel('New password', { exact: true }).fill('short');
    await s.page.getByLabel('Confirm new password', { exact: true }).fill('different');
    await s.submit('Save password', { status: 400 });
    expect((await s.errorSummary()).length).toBeGreaterThanOrEqual(2);

    await s.visit(`${BASE}/join`);
    await s.submit('Join the co-operative', { status: 400 });
    expect(await s.errorSummary()).toContain('Enter your postcode');
    await s.page.getByLabel('Postcode').fill(OUT_OF_AREA.southwark);
    await s.submit('Join the co-operative', { status: 400 });
    await s.close();
  });

  for (const role of ['admin', 'officer', 'partner_officer', 'councillor', 'community_rep', 'resident'] as const) {
    test(`${role}'s dashboard`, async () => {
      const s = await signedIn(role);
      expect(await s.heading()).toBe('Your dashboard');
      await s.close();
    });
  }

  test('a member’s own pages', async () => {
    const s = await signedIn('resident');
    await s.visit(`${BASE}/join`);
    expect(await s.page.getByRole('heading', { name: 'Leave the co-operative' }).count()).toBe(1);
    await s.submit('Leave the co-operative', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter the reason the membership is ending']);
    await s.close();
  });

  test('a signed-in non-member joins', async () => {
    const s = await signedIn('councillor');
    await s.visit(`${BASE}/join`);
    await s.submit('Join the co-operative', { status: 400 });
    await s.page.getByLabel('Postcode').fill(LAMBETH_POSTCODES[2].postcode);
    await s.page.getByLabel(/I live in/).check();
    await s.submit('Join the co-operative');
    expect(await s.heading()).toBe('You have joined the co-operative');
    await s.close();
  });

  test('officers’ organisation pages and forms', async () => {
    const s = await signedIn('officer');
    await s.visit(`${BASE}/organisations`);
    await s.follow('Add an organisation');
    await s.submit('Save', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter the organisation’s name', 'Select the type of organisation']);
    await s.page.getByLabel('Name', { exact: true }).fill('Tulse Hill Tenants Co-op');
    await s.page.getByLabel('Co-operative', { exact: true }).check();
    await s.page.getByLabel('Charity number (if any)').fill('12');
    await s.submit('Save', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter a charity number like 1234567']);
    await s.page.getByLabel('Charity number (if any)').fill('');
    await s.submit('Save');
    expect(await s.heading()).toBe('Tulse Hill Tenants Co-op');
    // The people section, empty; then a bad add.
    await s.submit('Add person', { status: 400 });
    expect((await s.errorSummary()).length).toBe(2);

    const id = await organisationId(ORGANISATION_WITH_PEOPLE);
    await s.visit(`${BASE}/organisations/${id}`);
    expect(await s.page.locator('#people ~ table tbody tr').count()).toBeGreaterThan(0);
    await s.visit(`${BASE}/organisations/${id}/edit`);
    await s.page.getByLabel('Website (optional)').fill('not a website');
    await s.submit('Save', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter a website address starting with https://']);
    await s.close();
  });

  test('officers’ catalogue pages and forms', async () => {
    const s = await signedIn('officer');
    await s.visit(`${BASE}/services`);
    await s.follow('Add a service');
    await s.submit('Save', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter the name of the service', 'Enter a category, like Adult social care', 'Select how the service is delivered']);
    const id = await serviceId('Libraries and culture');
    await s.visit(`${BASE}/services/${id}`);
    await s.follow(/^Change this service/);
    await s.page.getByLabel('Annual budget (optional)').fill('lots');
    await s.page.getByLabel('Website (optional)').fill('nowhere');
    await s.submit('Save', { status: 400 });
    expect(await s.errorSummary()).toHaveLength(2);
    await s.visit(`${BASE}/catalogue/import`);
    await s.close();
  });

  test('officers’ members pages', async () => {
    const s = await signedIn('officer');
    await s.visit(`${BASE}/members`);
    await s.visit(`${BASE}/members?status=active`);
    await s.visit(`${BASE}/members?status=lapsed`);
    await s.visit(`${BASE}/members`);
    await s.submit(/Mark as lapsed.*Rosa Resident/, { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter the reason the membership is ending']);
    // The error is on the row whose form was sent, which the summary links to.
    expect(await s.page.locator('#reason').getAttribute('aria-describedby')).toBe('reason-error');
    expect(await s.page.locator('.govuk-form-group--error').count()).toBe(1);
    await s.close();
  });

  test('administrators’ pages and forms', async () => {
    const s = await signedIn('admin');
    await s.visit('/admin/audit');
    await s.visit('/admin/audit?page=2');
    await s.visit('/admin/audit?action=service.create&entityType=service');
    await s.visit('/admin/audit?action=no.such.action');
    await s.visit('/admin/outbox');
    await s.visit('/admin/users');
    await s.submit('Add user', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter your full name', 'Enter an email address in the correct format, like name@example.com', 'Choose at least one role']);
    await s.visit('/admin/users');
    await s.submit('Create token', { status: 400 });
    expect(await s.errorSummary()).toHaveLength(1);
    await s.page.getByLabel('What it is for').fill('Finance system');
    await s.submit('Create token');
    expect(await s.heading()).toBe('Your new API token');
    await s.visit('/admin/users');
    await s.page.getByLabel('Full name').fill('Nia New');
    await s.page.getByLabel('Email address').fill('nia.new@example.org');
    await s.page.getByLabel('Council officer (commissioner)').check();
    await s.submit('Add user');
    expect(new URL(s.page.url()).search).toBe('?created=1');
    await s.visit('/admin/outbox');
    await s.close();
  });
});

describe('pages as a browser without JavaScript shows them', () => {
  test('public pages and forms', async () => {
    const s = await h.session({ javaScriptEnabled: false });
    for (const path of ['/', `${BASE}/services`, `${BASE}/organisations`]) await s.visit(path);
    await s.visit(`${BASE}/services/${await serviceId('Housing')}`);
    await s.visit('/sign-in');
    await s.submit('Sign in', { status: 400 });
    await s.visit(`${BASE}/join`);
    await s.submit('Join the co-operative', { status: 400 });
    await s.close();
  });

  test('signed-in pages and forms', async () => {
    const s = await signedIn('officer', { javaScriptEnabled: false });
    await s.visit(`${BASE}/organisations/new`);
    await s.submit('Save', { status: 400 });
    await s.visit(`${BASE}/members`);
    await s.signOut();
    const admin = await signedIn('admin', { javaScriptEnabled: false });
    await admin.visit('/admin/audit');
    await admin.close();
    await s.close();
  });
});
