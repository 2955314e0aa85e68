/**
 * Payment by results in a real browser: an officer sets up a Troubled Families contract from the
 * template and attaches a family; a partner agency officer, who sees the family by pseudonym only,
 * is told why a claim without evidence cannot be paid, records the evidence, checks and makes the
 * claim; the officer approves it, and the dashboard shows the payment. Every page is checked by axe.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';
import { TROUBLED_FAMILIES_PHASE_1 as TF } from '../src/modules/payment-by-results/frameworks.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'payment-by-results'));
  await h?.close();
});

const TO_WORK = TF.outcomes.find((o) => o.key === 'progress_to_work')!;

test('a contract from the template, a family attached, a claim refused, evidenced, made and approved', async () => {
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/payment-by-results`);
  await officer.follow('Set up a Troubled Families contract');
  await officer.submit('Set up the contract', { status: 400 });
  expect(await officer.errorSummary()).toEqual([
    'Enter the contract’s name, in 3 to 200 characters',
    'Select the provider',
    'Enter the start date as a real date, like 2013-06-30',
    'Enter the end date as a real date, like 2013-06-30',
  ]);
  await officer.page.getByLabel('Name of the contract').fill('Troubled Families, north Lambeth');
  await officer.page.getByLabel('Provider').selectOption({ label: 'Jobcentre Plus Brixton (demo)' });
  await officer.page.getByLabel('Start date').fill('2012-04-01');
  await officer.page.getByLabel('End date').fill('2015-03-31');
  await officer.submit('Set up the contract');
  expect(await officer.heading()).toBe('Troubled Families, north Lambeth');
  const contractUrl = new URL(officer.page.url()).pathname;

  await officer.follow('Attach a participant');
  await officer.page.getByLabel('Name of the participant or family').fill('The Browser family');
  await officer.page.getByLabel('Date attached').fill('2012-10-01');
  for (const label of ['Youth crime or anti-social behaviour', 'Children regularly truanting or not in school', 'An adult on out-of-work benefits']) await officer.page.getByLabel(label).check();
  await officer.submit('Attach the participant');
  expect(await officer.heading()).toBe('Participant TF-0001');
  expect(await officer.page.getByText('The Browser family').count()).toBe(1);
  const participantUrl = new URL(officer.page.url()).pathname;

  const partner = await h.session();
  await partner.signIn(demoAccount('partner_officer').email);
  await partner.visit(participantUrl);
  expect(await partner.page.getByText('The Browser family').count()).toBe(0);
  await partner.page.getByLabel('Result').selectOption({ label: TO_WORK.name });
  await partner.page.getByLabel('Claim date').fill('2013-01-15');
  await partner.submit('Make the claim', { status: 400 });
  const [reason] = await partner.errorSummary();
  expect(reason).toContain(`No evidence of “${TO_WORK.conditions[0]!.measure}”`);

  await partner.page.getByLabel('Measure', { exact: true }).selectOption(TO_WORK.conditions[0]!.measure);
  await partner.page.getByLabel('First day it covers').fill('2013-01-07');
  await partner.page.getByLabel('Last day it covers').fill('2013-01-07');
  await partner.page.getByLabel('Value measured').fill('1');
  await partner.page.getByLabel('Source').fill('Work Programme referral');
  await partner.submit('Record the evidence');
  await partner.page.getByLabel('Result').selectOption({ label: TO_WORK.name });
  await partner.page.getByLabel('Claim date').fill('2013-01-15');
  await partner.submit('Check the claim');
  expect(await partner.page.getByText('This claim passes every check.').count()).toBe(1);
  await partner.submit('Make the claim');
  expect(await partner.page.getByText(/waiting for approval, £100\.00/).count()).toBe(1);

  await officer.visit(contractUrl);
  await officer.follow(/^Progress to work/);
  await officer.submit('Approve for payment of £100.00');
  expect(await officer.page.getByText('Approved for payment').count()).toBe(1);
  await officer.visit(contractUrl);
  expect(await officer.page.getByRole('img', { name: /Money paid/ }).count()).toBe(1);
  expect(await officer.page.getByRole('row', { name: /^Total/ }).textContent()).toContain('£3,300.00');
});

test('the demo contract’s dashboard, as a councillor sees it', async () => {
  const councillor = await h.session();
  await councillor.signIn(demoAccount('councillor').email);
  await councillor.visit(`${BASE}/payment-by-results`);
  await councillor.follow('Lambeth Troubled Families programme (demo)');
  expect(await councillor.page.getByRole('row', { name: /^Total/ }).textContent()).toContain('£10,300.00');
  expect(await councillor.page.getByText('The Rivers family (demo)').count()).toBe(0);
  // Councillors oversee the totals: families appear by pseudonym, with no way into their evidence.
  expect(await councillor.page.getByRole('cell', { name: 'TF-0001', exact: true }).count()).toBeGreaterThan(0);
  expect(await councillor.page.getByRole('link', { name: 'TF-0001' }).count()).toBe(0);
});
