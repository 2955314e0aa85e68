/**
 * The Community Right to Challenge in a real browser: a community group drafts an expression of
 * interest, is shown what the regulations still need, completes and submits it; an officer finds
 * it on the deadlines dashboard, records receipt, considers it and decides (refused first without
 * a ground), and the decision with its reasons is public. Every page is checked by axe (support.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { STATES } from '../src/modules/right-to-challenge/rules.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'right-to-challenge'));
  await h?.close();
});

const SERVICE = 'Parks maintenance – North Lambeth';

test('the demo borough has an expression of interest in every state', async () => {
  const { rows } = await h.services.rightToChallenge.register(h.authority.id, { limit: 100, offset: 0 });
  const rep = await h.services.accounts.userByEmail(h.authority.id, demoAccount('community_rep').email);
  const drafts = await h.services.rightToChallenge.mine(h.authority.id, rep!.id);
  expect(new Set([...rows, ...drafts].map((e) => e.state))).toEqual(new Set(Object.keys(STATES)));
});
const TITLE = `Acre Lane Community Kitchen: ${SERVICE}`;

test('a community group’s expression of interest goes from draft to a published decision, and the officer’s side of it', async () => {
  // The group drafts, naming the service but not yet the rest.
  const group = await h.session();
  await group.signIn(demoAccount('community_rep').email);
  await group.visit(`${BASE}/right-to-challenge`);
  expect(await group.heading()).toBe('Community Right to Challenge');
  await group.submit('Express an interest'); // a link styled as a button
  await group.page.getByLabel('A voluntary or community body, charity or parish council').check();
  await group.page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Acre Lane Community Kitchen' });
  await group.page.getByLabel('Service', { exact: true }).selectOption({ label: SERVICE });
  await group.page.getByLabel('The area the interest covers').fill('Brixton Acre Lane and Clapham Town');
  await group.submit('Save the draft');
  expect(await group.heading()).toBe(TITLE);
  expect(await group.page.getByText('Still missing').count()).toBe(1);
  expect(await group.page.getByText('Information about the financial resources of the body (Schedule 1 para 2)').count()).toBe(1);

  // Submitting now is refused with what is missing; the draft is kept.
  await group.submit('Submit the expression of interest', { status: 400 });
  expect(await group.errorSummary()).toEqual([
    'Information about the financial resources of the body (Schedule 1 para 2)',
    'Evidence that, by the time of any procurement exercise, the body will be capable of providing or assisting in providing the service (Schedule 1 para 3)',
    'The outcomes the body would achieve in providing the service (Schedule 1 para 5)',
    'How the body would promote or improve the social, economic or environmental well-being of the area (Schedule 1 para 5)',
    'How the body would meet the needs of the people who use the service (Schedule 1 para 5)',
  ]);
  await group.page.locator('#financialResources').fill('Income of £60,000 a year and reserves of £15,000.');
  await group.page.locator('#capabilityEvidence').fill('Our volunteers already keep two pocket parks; a grounds manager will be in post by procurement.');
  await group.page.getByLabel('The outcomes you would achieve').fill('Cleaner, safer parks that more residents use.');
  await group.page.getByLabel(/social, economic or environmental well-being/).fill('Local jobs, volunteering and more trees.');
  await group.page.getByLabel(/meet the needs of the people who use the service/).fill('Park users’ groups agree each season’s plan.');
  await group.submit('Save and submit');
  expect(await group.heading()).toBe(TITLE);
  expect((await group.page.locator('main .govuk-tag').first().textContent())?.trim()).toBe('Submitted');
  const url = new URL(group.page.url()).pathname;

  // The officer finds it on the dashboard, records receipt and when they will decide, and considers it.
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/right-to-challenge/dashboard`);
  expect(await officer.page.getByText('Due soon').count()).toBeGreaterThan(0);
  await officer.follow(TITLE);
  await officer.page.getByLabel('The date the council will decide by (the body is told)').fill(addDays(londonToday(), 20));
  await officer.submit('Record receipt');
  await officer.submit('Start considering it');

  // A rejection without a ground or reasons is refused; with them it is recorded and published.
  await officer.page.getByLabel('Reject', { exact: true }).check();
  await officer.submit('Record and publish the decision', { status: 400 });
  expect(await officer.errorSummary()).toEqual([
    'Select at least one ground for rejection: the regulations allow no others',
    'Give the reasons for rejecting it: they are sent to the body and published',
  ]);
  await officer.page.getByLabel(/7\. The council and a third party have entered into negotiations/).check();
  await officer.page.getByLabel('Reasons (sent to the body and published)').fill('The council is negotiating in writing with the current parks contractor.');
  await officer.submit('Record and publish the decision');
  expect((await officer.page.locator('main .govuk-tag').first().textContent())?.trim()).toBe('Rejected');
  await officer.visit(`${BASE}/right-to-challenge/settings`);
  expect(await officer.page.getByRole('button', { name: 'Publish the settings' }).count()).toBe(1);

  // Anyone can read the decision, its ground and its reasons, on the register.
  const visitor = await h.session();
  await visitor.visit(`${BASE}/right-to-challenge`);
  const rows = await visitor.page.locator('main table tbody tr').allTextContents();
  expect(rows.some((r) => r.includes('Acre Lane Community Kitchen') && r.includes(SERVICE) && r.includes('Rejected'))).toBe(true);
  await visitor.visit(url);
  expect(await visitor.page.getByText(/^Ground 7: The council and a third party have entered into negotiations/).count()).toBe(1);
  expect(await visitor.page.getByText('The council is negotiating in writing with the current parks contractor.').count()).toBe(1);
  await visitor.visit(`${BASE}/right-to-challenge/settings`);

  // In the demo borough: the officer records the start of an accepted one's procurement exercise,
  // and the group agrees to a modification the council proposed.
  const { rows: demo } = await h.services.rightToChallenge.register(h.authority.id, { limit: 100, offset: 0 });
  await officer.visit(`${BASE}/right-to-challenge/${demo.find((e) => e.state === 'accepted')!.id}`);
  await officer.page.getByLabel('Date it started').fill(londonToday());
  await officer.submit('Record the start');
  expect(await officer.page.getByText('Procurement exercise started').count()).toBe(1);
  await group.visit(`${BASE}/right-to-challenge/${demo.find((e) => e.state === 'modification_proposed')!.id}`);
  await group.page.getByLabel('Yes: accept it as modified').check();
  await group.submit('Send our answer');
  expect((await group.page.locator('main .govuk-tag').first().textContent())?.trim()).toBe('Accepted with modification');

  for (const s of [group, officer, visitor]) await s.close();
});
