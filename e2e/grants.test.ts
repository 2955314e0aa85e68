/**
 * A grant in a real browser: a community organisation's representative finds an open programme,
 * starts an application, is shown what is missing, completes and sends it; an officer scores it,
 * records the panel's recommendation, awards it with conditions and asks for a return; the grant
 * appears on the public page. Every page is checked by axe (see support.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'grants'));
  await h?.close();
});

test('an organisation applies for a grant and an officer awards it', async () => {
  const rep = await h.session();
  await rep.signIn(demoAccount('community_rep').email);
  await rep.visit(`${BASE}/grants`);
  await rep.follow('Neighbourhood cohesion fund (demo)');
  await rep.submit('Start an application'); // a link styled as a button
  await rep.page.getByLabel('Applying for').selectOption({ label: 'Acre Lane Community Kitchen' });
  await rep.page.getByLabel('Name of the project').fill('Street party on Railton Road');
  await rep.submit('Save and continue');
  expect(await rep.heading()).toBe('Street party on Railton Road');
  expect(await rep.page.getByText('Still to do before you can send it').count()).toBe(1);

  await rep.submit('Send the application', { status: 400 });
  expect(await rep.errorSummary()).toEqual([
    'Say what the grant would pay for and who it would help, in at least 20 characters',
    'Enter how much you are asking for',
    'Enter your organisation’s income in its last financial year',
  ]);
  await rep.page.getByLabel('What the grant would pay for, and who it would help').fill('Tables, chairs and food for a street party that brings the whole road together.');
  await rep.page.getByLabel('How much you are asking for, in pounds').fill('1,200');
  await rep.page.getByLabel('The ward the work will benefit').selectOption({ index: 1 });
  await rep.page.getByLabel('Your organisation’s income in its last financial year, in pounds').fill('42,000');
  await rep.submit('Save the draft');
  await rep.submit('Send the application');
  expect(await rep.page.locator('main .govuk-tag').first().textContent()).toContain('Submitted');
  const applicationUrl = new URL(rep.page.url()).pathname;

  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(applicationUrl);
  await officer.page.getByLabel('Need in the neighbourhood: score from 0 to 5').fill('4');
  await officer.page.getByLabel('Difference it will make: score from 0 to 5').fill('7');
  await officer.page.getByLabel('Value for money: score from 0 to 5').fill('3');
  await officer.submit('Record my assessment', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Score “Difference it will make” as a whole number from 0 to 5']);
  await officer.page.getByLabel('Difference it will make: score from 0 to 5').fill('4');
  await officer.submit('Record my assessment');
  expect(await officer.page.getByText('1 assessor has scored it. Mean total: 19 out of 25.').count()).toBe(1);
  await officer.page.getByLabel('Recommend a grant').check();
  await officer.page.getByLabel('The panel’s reasons').fill('A well-planned event with wide support on the road.');
  await officer.submit('Record the recommendation');
  await officer.page.getByLabel('Amount awarded, in pounds').fill('1,000');
  await officer.page.getByLabel('Conditions of the grant').fill('Spend on the street party only; send a short report with photos within a month.');
  await officer.submit('Award the grant');
  expect(await officer.heading()).toBe('Grant: Street party on Railton Road');
  await officer.page.getByLabel('What it is').fill('Report after the party');
  await officer.page.getByLabel('Due on').fill('2027-08-31');
  await officer.submit('Add the return');
  expect(await officer.page.getByRole('cell', { name: 'Report after the party' }).count()).toBe(1);

  // The grant holder sees the return asked for; everyone sees the grant.
  await rep.visit(new URL(officer.page.url()).pathname);
  expect(await rep.page.getByText('Send “Report after the party”').count()).toBe(1);
  const visitor = await h.session();
  await visitor.visit(`${BASE}/grants`);
  expect(await visitor.page.getByRole('cell', { name: 'Street party on Railton Road' }).count()).toBe(1);
  expect(await visitor.page.getByRole('cell', { name: '£1,000.00' }).count()).toBeGreaterThan(0);

  // Who the grants reached, as a chart with its table, linked from the grants page.
  await visitor.follow('Who grant funding reaches');
  expect(await visitor.heading()).toBe('Who grant funding reaches');
  expect(await visitor.page.locator('svg[role="img"] title').textContent()).toMatch(/Share of grant money by kind of recipient/);
  expect(await visitor.page.getByRole('heading', { name: 'By year and programme' }).count()).toBe(1);

  // The officers' other pages pass axe too.
  await officer.visit(`${BASE}/grants/programmes/new`);
  await officer.visit(`${BASE}/grants/import`);
  await rep.close();
  await officer.close();
  await visitor.close();
});
