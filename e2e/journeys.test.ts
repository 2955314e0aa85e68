/**
 * The "done when", in a real browser: sign in as each role, browse the
 * catalogue, join the co-operative. The core journeys run again with
 * JavaScript switched off. Every page they land on is checked by axe (see support.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AUTHORITY_NAME,
  BASE,
  DEMO_ACCOUNTS,
  LAMBETH_POSTCODES,
  OUT_OF_AREA,
  demoAccount,
  auditSummary,
  startHarness,
  type Harness,
  type Session,
} from './support.ts';
import type { Role } from '../src/lib/auth/policy.ts';
import { ROLE_LABELS } from '../src/lib/auth/policy.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'journeys'));
  await h?.close();
});

/** What each role's dashboard shows that the others do not. */
const DASHBOARD_MARKS: Record<Role, { shows: string[]; hides: string[] }> = {
  admin: { shows: ['Administration', 'Commissioning'], hides: ['Scrutiny', 'Partner agency'] },
  officer: { shows: ['Commissioning'], hides: ['Administration', 'Scrutiny', 'Partner agency'] },
  partner_officer: { shows: ['Partner agency', 'Your organisations'], hides: ['Administration', 'Commissioning', 'Scrutiny'] },
  councillor: { shows: ['Scrutiny'], hides: ['Administration', 'Commissioning', 'Partner agency'] },
  community_rep: { shows: ['Your organisations'], hides: ['Administration', 'Commissioning', 'Scrutiny'] },
  resident: { shows: ['Your co-operative membership'], hides: ['Administration', 'Commissioning', 'Scrutiny', 'Partner agency', 'Your organisations'] },
};

const h2s = (s: Session) => s.page.locator('main h2').allTextContents();

/** The rows the catalogue table shows: service names. */
const listedServices = async (s: Session) => s.page.locator('main table tbody tr td:first-child a').allTextContents();

/** The "N services" count above the table. */
const shownTotal = async (s: Session) => Number(((await s.page.getByRole('status').first().textContent()) ?? '').replace(/[^\d]/g, ''));

async function expectedServices(filter: { ward?: string; category?: string; deliveryModel?: string; q?: string }) {
  const wardId = filter.ward ? (await h.services.places.wardByCode(h.authority.id, filter.ward))!.id : undefined;
  return h.services.catalogue.list(h.authority.id, { wardId, category: filter.category, deliveryModel: filter.deliveryModel, q: filter.q }, { limit: 25, offset: 0 });
}

async function wardCodeOf(name: string) {
  const ward = (await h.services.places.listWards(h.authority.id)).find((w) => w.name === name);
  if (!ward) throw new Error(`No ward called ${name}`);
  return ward.gssCode;
}

describe('signing in', () => {
  for (const account of DEMO_ACCOUNTS) {
    test(`${account.role} signs in, sees their dashboard, and signs out`, async () => {
      const s = await h.session();
      await s.visit('/');
      await s.follow('Sign in', { status: 200 });
      await s.signIn(account.email);
      expect(new URL(s.page.url()).pathname).toBe('/dashboard');
      expect(await s.heading()).toBe('Your dashboard');
      expect(await s.page.getByText(`Signed in as ${account.displayName}.`).count()).toBe(1);
      expect(await s.page.locator('main').textContent()).toContain(`You are signed in as ${ROLE_LABELS[account.role]}.`);
      const headings = await h2s(s);
      for (const shown of DASHBOARD_MARKS[account.role].shows) expect(headings).toContain(shown);
      for (const hidden of DASHBOARD_MARKS[account.role].hides) expect(headings).not.toContain(hidden);
      if (account.role === 'community_rep') expect(await s.page.locator('main').textContent()).toContain('Acre Lane Community Kitchen (Chair)');
      if (account.role === 'resident') expect(await s.page.locator('main').textContent()).toMatch(/You have been a member since \d{1,2} \w+ \d{4}/);

      await s.signOut();
      expect(new URL(s.page.url()).pathname).toBe('/signed-out');
      expect(await s.heading()).toBe('You have signed out');
      expect(await s.page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      // The session is gone: the dashboard asks them to sign in again.
      await s.visit('/dashboard');
      expect(new URL(s.page.url()).pathname).toBe('/sign-in');
      await s.close();
    });
  }

  test('a wrong password shows the GOV.UK error summary, focused, linking to the field', async () => {
    const s = await h.session();
    await s.visit('/sign-in');
    await s.page.getByLabel('Email address').fill(demoAccount('officer').email);
    await s.page.getByLabel('Password', { exact: true }).fill('not the password');
    await s.submit('Sign in', { status: 400 });
    expect(await s.page.title()).toMatch(/^Error: Sign in – Coproduce$/);
    expect(await s.errorSummary()).toEqual(['Enter a correct email address and password']);
    expect(await s.page.locator('#email-error').textContent()).toContain('Enter a correct email address and password');
    // What they typed is kept, except the password.
    expect(await s.page.getByLabel('Email address').inputValue()).toBe(demoAccount('officer').email);
    expect(await s.page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    // govuk-frontend moves focus to the summary, and its link to the field.
    expect(await s.page.evaluate('document.activeElement.classList.contains("govuk-error-summary")')).toBe(true);
    await s.page.locator('.govuk-error-summary a').click();
    expect(await s.page.evaluate('document.activeElement.id')).toBe('email');

    // An empty form names both fields.
    await s.page.getByLabel('Email address').fill('');
    await s.submit('Sign in', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter your email address', 'Enter your password']);

    await s.page.getByLabel('Email address').fill(demoAccount('officer').email);
    await s.page.getByLabel('Password', { exact: true }).fill('demo-password-2026');
    await s.submit('Sign in');
    expect(await s.heading()).toBe('Your dashboard');
    await s.close();
  });

  test('a page that needs signing in comes back after signing in', async () => {
    const s = await h.session();
    await s.visit('/admin/audit');
    expect(new URL(s.page.url()).pathname).toBe('/sign-in');
    await s.signIn(demoAccount('admin').email);
    expect(new URL(s.page.url()).pathname).toBe('/admin/audit');
    expect(await s.heading()).toBe('Audit log');
    await s.close();
  });

  test('a role that may not see a page is told so', async () => {
    const s = await h.session();
    await s.signIn(demoAccount('resident').email);
    await s.visit('/admin/users', { status: 403 });
    expect(await s.heading()).toBe('You do not have access to this page');
    await s.visit(`${BASE}/members`, { status: 403 });
    await s.close();
  });
});

describe('browsing the catalogue', () => {
  test('filter by ward, category, delivery model and text, then open a service', async () => {
    const s = await h.session();
    await s.visit('/');
    await s.follow(AUTHORITY_NAME);
    expect(await s.page.title()).toBe(`${AUTHORITY_NAME} – Coproduce`);
    await s.follow(/^\d+ services$/);
    expect(await s.heading()).toBe(`Local services in ${AUTHORITY_NAME}`);
    const all = await expectedServices({});
    expect(await shownTotal(s)).toBe(all.total);
    expect(await listedServices(s)).toEqual(all.rows.map((r) => r.name));

    // More than a page: the pagination leads on, keeping the filters.
    expect(all.total).toBeGreaterThan(25);
    await s.navigate((p) => p.locator('.govuk-pagination__next a').click());
    expect(new URL(s.page.url()).searchParams.get('page')).toBe('2');
    expect((await listedServices(s)).length).toBe(all.total - 25);

    // Ward.
    await s.page.getByLabel('Ward').selectOption({ label: 'Kennington' });
    await s.submit('Apply filters');
    const ward = await wardCodeOf('Kennington');
    expect(new URL(s.page.url()).searchParams.get('ward')).toBe(ward);
    expect(new URL(s.page.url()).searchParams.get('page')).toBeNull();
    const byWard = await expectedServices({ ward });
    expect(byWard.total).toBeGreaterThan(0);
    expect(byWard.total).toBeLessThan(all.total);
    expect(await shownTotal(s)).toBe(byWard.total);
    expect(await listedServices(s)).toEqual(byWard.rows.map((r) => r.name));
    // The choice is kept on the page that comes back.
    expect(await s.page.getByLabel('Ward').inputValue()).toBe(ward);

    // Category, on its own.
    await s.page.getByLabel('Ward').selectOption({ label: 'All wards' });
    await s.page.getByLabel('Category').selectOption({ label: 'Adult social care' });
    await s.submit('Apply filters');
    const byCategory = await expectedServices({ category: 'Adult social care' });
    expect(byCategory.total).toBe(6);
    expect(await listedServices(s)).toEqual(byCategory.rows.map((r) => r.name));

    // Delivery model, with the category.
    await s.page.getByLabel('Delivery model').selectOption({ label: 'Contracted out' });
    await s.submit('Apply filters');
    const both = await expectedServices({ category: 'Adult social care', deliveryModel: 'contracted' });
    expect(both.total).toBe(2);
    expect(await listedServices(s)).toEqual(both.rows.map((r) => r.name));
    for (const cell of await s.page.locator('main table tbody tr td:nth-child(3)').allTextContents()) expect(cell.trim()).toBe('Contracted out');

    // Text, after clearing the rest.
    await s.follow('Clear filters');
    await s.page.getByLabel('Service name').fill('youth');
    await s.submit('Apply filters');
    const byText = await expectedServices({ q: 'youth' });
    expect(byText.total).toBeGreaterThan(0);
    expect(await listedServices(s)).toEqual(byText.rows.map((r) => r.name));
    for (const name of await listedServices(s)) expect(name.toLowerCase()).toMatch(/youth|young/);

    // Nothing matches: said plainly.
    await s.page.getByLabel('Service name').fill('no such service anywhere');
    await s.submit('Apply filters');
    expect(await shownTotal(s)).toBe(0);
    expect(await s.page.locator('main').textContent()).toContain('No services match these filters.');

    // A ward filter, then the service page.
    await s.visit(`${BASE}/services?ward=${ward}&deliveryModel=${byWard.rows[0]!.deliveryModel}`);
    const first = (await listedServices(s))[0]!;
    await s.follow(first);
    expect(await s.heading()).toBe(first);
    const summary = s.page.locator('.govuk-summary-list');
    expect(await summary.textContent()).toContain('Kennington');
    const detail = byWard.rows.find((r) => r.name === first)!;
    expect(await summary.textContent()).toContain(detail.providerName!);
    // Public visitors are not offered the officers' change link.
    expect(await s.page.getByRole('link', { name: /Change this service/ }).count()).toBe(0);
    // From a service to its ward, and on to the ward's other services.
    await s.follow('Kennington');
    expect(await s.heading()).toBe('Kennington');
    expect(await s.page.locator('main table tbody tr').count()).toBe(byWard.total);
    await s.close();
  });

  test('an officer is offered the import page and each service’s change link', async () => {
    const s = await h.session();
    await s.signIn(demoAccount('officer').email);
    await s.follow('Import services (Open Referral UK)');
    expect(new URL(s.page.url()).pathname).toBe(`${BASE}/catalogue/import`);
    const [one] = (await expectedServices({ category: 'Housing' })).rows;
    await s.visit(`${BASE}/services/${one!.id}`);
    await s.follow(/Change this service/);
    expect(await s.heading()).toBe(`Change ${one!.name}`);
    expect(await s.page.getByLabel('Name', { exact: true }).inputValue()).toBe(one!.name);
    await s.close();
  });
});

async function fillJoinForm(s: Session, person: { name?: string; email?: string; password?: string; postcode: string; confirm?: boolean }) {
  if (person.name !== undefined) await s.page.getByLabel('Full name').fill(person.name);
  if (person.email !== undefined) await s.page.getByLabel('Email address').fill(person.email);
  if (person.password !== undefined) await s.page.getByLabel('Create a password').fill(person.password);
  await s.page.getByLabel('Postcode').fill(person.postcode);
  const box = s.page.getByLabel(`I live in ${AUTHORITY_NAME}`);
  if (person.confirm === false) await box.uncheck();
  else await box.check();
}

const accountFor = async (email: string) => (await h.services.accounts.listUsers(h.authority.id)).find((u) => u.email === email);

async function membershipOf(email: string) {
  const user = await accountFor(email);
  if (!user) throw new Error(`No account for ${email}`);
  const membership = await h.services.membership.forUser(h.authority.id, user.id);
  const ward = (await h.services.places.listWards(h.authority.id)).find((w) => w.id === membership?.wardId)?.name;
  return { user, membership, ward };
}

describe('joining the co-operative', () => {
  test('an anonymous resident joins with a Lambeth postcode and is signed in as a member', async () => {
    const s = await h.session();
    await s.visit(BASE);
    await s.submit('Join the co-operative'); // a link styled as a button
    expect(await s.heading()).toBe(`Join the ${AUTHORITY_NAME} co-operative`);

    // An out-of-area postcode is refused, with the reason, and nothing else is lost.
    await fillJoinForm(s, { name: 'Jo Joiner', email: 'jo.joiner@example.org', password: 'a long enough password', postcode: OUT_OF_AREA.southwark });
    await s.submit('Join the co-operative', { status: 400 });
    expect(await s.errorSummary()).toEqual([`SE1 1AA is in Southwark, not ${AUTHORITY_NAME}`]);
    expect(await s.page.locator('#postcode-error').textContent()).toContain('is in Southwark');
    expect(await s.page.evaluate('document.activeElement.classList.contains("govuk-error-summary")')).toBe(true);
    await s.page.locator('.govuk-error-summary a').click();
    expect(await s.page.evaluate('document.activeElement.id')).toBe('postcode');
    expect(await s.page.getByLabel('Full name').inputValue()).toBe('Jo Joiner');
    expect(await s.page.getByLabel('Email address').inputValue()).toBe('jo.joiner@example.org');
    expect(await s.page.getByLabel('Create a password').inputValue()).toBe('');
    expect(await accountFor('jo.joiner@example.org')).toBeUndefined();

    // Not a postcode at all, and the box left unticked: both said at once.
    await fillJoinForm(s, { password: 'a long enough password', postcode: 'NOT A POSTCODE', confirm: false });
    await s.submit('Join the co-operative', { status: 400 });
    expect(await s.errorSummary()).toEqual([`Confirm that you live in ${AUTHORITY_NAME}`, 'Enter a real postcode, like SW2 1RW']);

    const home = LAMBETH_POSTCODES[0];
    await fillJoinForm(s, { password: 'a long enough password', postcode: home.postcode.toLowerCase() });
    await s.submit('Join the co-operative');
    expect(new URL(s.page.url()).pathname).toBe(`${BASE}/join/done`);
    expect(await s.heading()).toBe('You have joined the co-operative');
    expect(await s.page.getByText('Signed in as Jo Joiner.').count()).toBe(1);
    // A resident account, an active membership, in the postcode's ward.
    const { user, membership, ward } = await membershipOf('jo.joiner@example.org');
    expect(user.roles).toEqual(['resident']);
    expect(membership?.status).toBe('active');
    expect(ward).toBe(home.ward);

    await s.follow('Go to your dashboard');
    expect(await s.page.locator('main').textContent()).toMatch(/You have been a member since/);
    // The join page now offers to leave instead.
    await s.visit(`${BASE}/join`);
    expect(await h2s(s)).toContain('Leave the co-operative');
    await s.close();
  });

  test('a signed-in member who tries to join again is told they are a member', async () => {
    const s = await h.session();
    await s.signIn(demoAccount('resident').email);
    await s.visit(`${BASE}/join`);
    expect(await s.page.locator('main').textContent()).toContain('You have been a member since');
    await s.close();
  });
});

describe('without JavaScript', () => {
  const noJs = () => h.session({ javaScriptEnabled: false });

  test('signing in, a wrong password, and signing out', async () => {
    const s = await noJs();
    await s.visit('/sign-in');
    expect(await s.page.evaluate('1')).toBe(1); // Playwright can still look; the page's own scripts do not run.
    expect(await s.page.locator('body.govuk-frontend-supported').count()).toBe(0);
    await s.page.getByLabel('Email address').fill(demoAccount('councillor').email);
    await s.page.getByLabel('Password', { exact: true }).fill('wrong');
    await s.submit('Sign in', { status: 400 });
    expect(await s.errorSummary()).toEqual(['Enter a correct email address and password']);
    await s.page.getByLabel('Password', { exact: true }).fill('demo-password-2026');
    await s.submit('Sign in');
    expect(await s.heading()).toBe('Your dashboard');
    expect(await h2s(s)).toContain('Scrutiny');
    await s.signOut();
    expect(await s.heading()).toBe('You have signed out');
    await s.close();
  });

  test('browsing and filtering the catalogue', async () => {
    const s = await noJs();
    await s.visit(BASE);
    await s.follow('Services');
    await s.page.getByLabel('Ward').selectOption({ label: 'Oval' });
    await s.page.getByLabel('Category').selectOption({ label: 'Parks and open spaces' });
    await s.submit('Apply filters');
    const expected = await expectedServices({ ward: await wardCodeOf('Oval'), category: 'Parks and open spaces' });
    expect(await shownTotal(s)).toBe(expected.total);
    expect(await listedServices(s)).toEqual(expected.rows.map((r) => r.name));
    await s.page.getByLabel('Service name').fill('repair');
    await s.page.getByLabel('Ward').selectOption({ label: 'All wards' });
    await s.page.getByLabel('Category').selectOption({ label: 'All categories' });
    await s.page.getByLabel('Delivery model').selectOption({ label: 'Grant-funded' });
    await s.submit('Apply filters');
    const repair = await expectedServices({ q: 'repair', deliveryModel: 'grant_funded' });
    expect(repair.total).toBe(2);
    expect(await listedServices(s)).toEqual(repair.rows.map((r) => r.name));
    await s.follow(repair.rows[0]!.name);
    expect(await s.heading()).toBe(repair.rows[0]!.name);
    await s.close();
  });

  test('joining the co-operative, after an out-of-area postcode', async () => {
    const s = await noJs();
    await s.visit(`${BASE}/join`);
    await fillJoinForm(s, { name: 'Sam Noscript', email: 'sam.noscript@example.org', password: 'another long password', postcode: OUT_OF_AREA.towerHamlets });
    await s.submit('Join the co-operative', { status: 400 });
    expect(await s.errorSummary()).toEqual([`E1 4AA is in Tower Hamlets, not ${AUTHORITY_NAME}`]);
    await fillJoinForm(s, { password: 'another long password', postcode: LAMBETH_POSTCODES[1].postcode });
    await s.submit('Join the co-operative');
    expect(await s.heading()).toBe('You have joined the co-operative');
    expect(await s.page.getByText('Signed in as Sam Noscript.').count()).toBe(1);
    const { membership, ward } = await membershipOf('sam.noscript@example.org');
    expect(membership?.status).toBe('active');
    expect(ward).toBe(LAMBETH_POSTCODES[1].ward);
    await s.follow('Go to your dashboard');
    expect(await s.page.locator('main').textContent()).toMatch(/You have been a member since/);
    await s.close();
  });
});
