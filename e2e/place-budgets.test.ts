/**
 * A place budget in a real browser: the council pools a budget at the public service board,
 * the council and a partner agency each add a stream and contribute, an allocation beyond the
 * money is refused and one is made against an approved business case, and the partner
 * downloads its quarterly statement, seeing none of the council's money. Every page is checked
 * by axe as it lands (see support.ts); the partner works without JavaScript.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'place budgets'));
  await h?.close();
});

const BOARD = 'Lambeth Public Service Board (demo)';
const ICB = 'South London Integrated Care Board (demo)';

test('a board pools a budget, partners contribute, an allocation goes to a business case, and a partner downloads its statement', async () => {
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/place-budgets`);
  await officer.follow(BOARD);
  await officer.navigate((p) => p.getByRole('button', { name: 'Pool a budget' }).click());
  await officer.page.getByLabel('Name of the pooled budget').fill('');
  await officer.submit('Pool the budget', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Enter the pooled budget’s name', 'Choose at least one outcome the budget commits to']);
  await officer.page.getByLabel('Name of the pooled budget').fill('Healthy ageing pool (e2e)');
  await officer.page.getByLabel('Older people live independently at home').check();
  await officer.submit('Pool the budget');
  expect(await officer.heading()).toBe('Healthy ageing pool (e2e)');
  const budgetUrl = new URL(officer.page.url()).pathname;

  await officer.follow('Add a funding stream');
  await officer.page.getByLabel('Partner').selectOption({ label: 'Lambeth Council (demo)' });
  await officer.page.getByLabel('Name of the funding stream').fill('Council prevention fund');
  await officer.submit('Add the stream');

  // The partner agency's officer, without JavaScript, adds and pays into the ICB's stream only.
  const partner = await h.session({ javaScriptEnabled: false });
  await partner.signIn(demoAccount('partner_officer').email);
  await partner.visit(budgetUrl);
  await partner.follow('Add a funding stream');
  expect(await partner.page.getByLabel('Partner').locator('option').allTextContents()).toEqual([ICB]);
  await partner.page.getByLabel('Name of the funding stream').fill('ICB prevention fund');
  await partner.submit('Add the stream');
  await partner.follow('Contribution');
  await partner.page.getByLabel('Amount, in pounds').fill('40,000');
  await partner.page.getByLabel('Date').fill('2026-06-01');
  await partner.page.getByLabel('Description').fill('ICB transfer for 2026-27');
  await partner.submit('Record contribution');
  expect(await partner.heading()).toBe('Healthy ageing pool (e2e)');

  await officer.visit(budgetUrl);
  await officer.follow('Contribution');
  await officer.page.getByLabel('Funding stream').selectOption({ label: 'Council prevention fund (Lambeth Council (demo))' });
  await officer.page.getByLabel('Amount, in pounds').fill('60,000');
  await officer.page.getByLabel('Date').fill('2026-06-02');
  await officer.page.getByLabel('Description').fill('Council contribution for 2026-27');
  await officer.submit('Record contribution');

  // An allocation beyond the stream's money is refused, naming the amount; then one within it goes to the business case.
  await officer.follow('Allocation');
  await officer.page.getByLabel('Funding stream').selectOption({ label: 'Council prevention fund (Lambeth Council (demo))' });
  await officer.page.getByRole('radio', { name: 'Business case' }).check();
  await officer.page.locator('#businessCaseId').selectOption({ label: 'Reablement at home after hospital (demo)' });
  await officer.page.getByLabel('Outcome it serves').selectOption({ label: 'Older people live independently at home' });
  await officer.page.getByLabel('Amount, in pounds').fill('70,000');
  await officer.page.getByLabel('Date').fill('2026-06-10');
  await officer.page.getByLabel('Description').fill('Board minute 2026/14');
  await officer.page.getByLabel('Lambeth Council (demo)').check();
  await officer.submit('Record allocation', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Only £60,000.00 is available to allocate in this stream', 'Above the lead partner’s limit, the board’s rule is that a majority of partners agree']);
  // Below the lead partner's limit, the council (the lead) decides alone.
  await officer.page.getByLabel('Amount, in pounds').fill('25,000');
  await officer.submit('Record allocation');
  const allocations = officer.page.getByRole('table', { name: 'Allocations' });
  expect(await allocations.getByRole('row').nth(1).locator('td').allTextContents()).toEqual(['Reablement at home after hospital (demo)', 'Council prevention fund (Lambeth Council (demo))', '£25,000.00', '£0.00']);
  const position = officer.page.getByRole('table', { name: 'The pool\'s position' });
  expect(await position.getByRole('row').nth(1).locator('td').allTextContents()).toEqual(['Available to allocate', '£75,000.00']);

  // The partner sees the pool's totals and its own money, not the council's, and downloads its statement.
  await partner.visit(budgetUrl);
  expect(await partner.page.getByText('Council prevention fund').count()).toBe(0);
  expect(await partner.page.getByRole('link', { name: /^Quarterly statement for/ }).allTextContents()).toEqual([`Quarterly statement for ${ICB}`]);
  await partner.follow(`Quarterly statement for ${ICB}`);
  expect(await partner.heading()).toBe(`${ICB}: statement for 2026-27 Q1`);
  const href = await partner.page.getByRole('link', { name: 'Download this statement (CSV)' }).getAttribute('href');
  const csv = await partner.context.request.get(new URL(href!, h.baseUrl).toString());
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="statement-south-london-integrated-care-board-demo-2026-27-Q1\.csv"$/);
  const lines = (await csv.text()).split('\r\n');
  expect(lines[0]).toBe('Partner,Quarter,Date,Stream,Movement,Description,Amount,Available after');
  expect(lines[2]).toBe(`${ICB},2026-27 Q1,2026-06-01,ICB prevention fund,Contribution,ICB transfer for 2026-27,40000.00,40000.00`);
  expect(lines.join('\n')).not.toContain('Council prevention fund');

  // The business case page: its appraisal, sensitivity and savings, with a table beside every chart.
  await officer.visit(`${BASE}/place-budgets`);
  await officer.follow('Reablement at home after hospital (demo)');
  expect(await officer.page.getByRole('img').count()).toBeGreaterThanOrEqual(3);
  expect(await officer.page.getByRole('table', { name: 'Runs by net present value' }).getByRole('row').count()).toBe(21);
  for (const s of [officer, partner]) await s.close();
});

test('an officer sets up a board and writes a business case, with each mistake named by its field', async () => {
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/place-budgets`);
  await officer.navigate((p) => p.getByRole('button', { name: 'Set up a board' }).click());
  await officer.submit('Set up the board', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Enter the board’s name, like "Lambeth Public Service Board"', 'Choose at least two partners']);

  await officer.visit(`${BASE}/place-budgets/unit-costs?q=${encodeURIComponent('domestic violence')}`);
  const code = (await officer.page.getByRole('table').locator('tbody tr td').first().textContent())!.trim();

  await officer.visit(`${BASE}/place-budgets/cases/new`);
  await officer.page.getByLabel('Title', { exact: true }).fill('Domestic abuse early intervention (e2e)');
  await officer.page.locator('#benefit0Outcome').fill('Fewer repeat incidents');
  await officer.page.locator('#benefit0UnitCode').fill(code);
  await officer.page.locator('#benefit0FirstYearUnits').fill('20');
  await officer.page.locator('#benefit0StartYear').fill('1');
  await officer.page.locator('#benefit0DurationYears').fill('3');
  for (const f of ['DropOff', 'Displacement', 'Attribution', 'OptimismBias']) await officer.page.locator(`#benefit0${f}`).fill('0');
  await officer.page.locator('#benefit0Deadweight').fill('1.2');
  await officer.submit('Save and appraise', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['A case needs at least one cost', 'Deadweight must be between 0 and 1 (a share: 0.25 is 25%); it is 1.2']);
  await officer.page.locator('#cost0Year').fill('0');
  await officer.page.locator('#cost0Amount').fill('40,000');
  await officer.page.locator('#cost0Payer').fill('Lambeth Council (demo)');
  await officer.page.locator('#benefit0Deadweight').fill('0.3');
  await officer.submit('Save and appraise');
  expect(await officer.heading()).toBe('Domestic abuse early intervention (e2e)');
  expect(await officer.page.getByRole('table', { name: 'Present values by agency' }).getByRole('row').count()).toBeGreaterThan(2);
  await officer.close();
});
