/**
 * Spending in a real browser: an officer uploads a council's file, checks what was found and
 * the columns, imports it, settles a warning sign it raised, links a supplier to an organisation and keeps two
 * suppliers apart; a resident reads the open data page and its dashboards, and
 * downloads a quarter in the Code's layout. Every page is checked by axe (see support.ts).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';

const SAMPLE = new URL('../../shared/data/samples/transparency-code/procurement-card/warwickshire-cc_2021-06_p-card.csv', import.meta.url);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'spending'));
  await h?.close();
});

test('an officer imports a card file after checking it, settles a warning sign and its suppliers, and a resident reads where the money goes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-e2e-'));
  const file = path.join(dir, 'p-card-june-2021.csv');
  fs.copyFileSync(SAMPLE, file);

  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/spending`);
  await officer.follow('Import a Transparency Code file');
  await officer.submit('Check the file', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Choose the file to import']);
  await officer.page.getByLabel('File (CSV)').setInputFiles(file);
  await officer.page.getByLabel('File name, for the record').fill('p-card-june-2021.csv');
  await officer.page.getByLabel('Published by').fill('Warwickshire County Council');
  await officer.submit('Check the file');
  expect(await officer.heading()).toBe('Check the file before it goes in');
  expect(await officer.page.getByText('Procurement card transactions', { exact: false }).count()).toBeGreaterThan(0);
  await officer.submit(/^Import [\d,]+ rows$/);
  expect(await officer.heading()).toBe('Import complete');

  // The warning signs the file raised: open the first, look at its rows, and settle it.
  await officer.follow('Review the warning signs found');
  expect(await officer.heading()).toBe('Warning signs in the spending');
  await officer.page.locator('main table tbody tr td a').first().click();
  await officer.page.waitForLoadState('load');
  await officer.check();
  await officer.submit('Save', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Choose what this turned out to be', 'Say why, in 3 to 2,000 characters, for the auditors']);
  await officer.page.getByLabel('A false positive: nothing was wrong').check();
  await officer.page.getByLabel('Why (for the auditors)').fill('A monthly subscription: the same amount each month is expected.');
  await officer.submit('Save');
  expect(await officer.heading()).toBe('Warning signs in the spending');
  expect(await officer.page.getByText('A monthly subscription: the same amount each month is expected.').count()).toBe(1);

  // A big import's page, for an import that is not there (finished long ago, or lost to a restart).
  await officer.visit(`${BASE}/spending/import/jobs/${randomUUID()}`, { status: 404 });
  expect(await officer.heading()).toBe('No such import running');

  // Suppliers: look at the largest, link it to an organisation on the platform, and decide on two as not one.
  await officer.visit(`${BASE}/spending`);
  await officer.follow('Suppliers to merge and link');
  expect(await officer.heading()).toBe('Suppliers');
  const largest = officer.page.getByRole('table', { name: 'The largest suppliers, as merged and linked' }).locator('tbody a');
  const [first, second] = [await largest.nth(0).getAttribute('href'), await largest.nth(1).getAttribute('href')];
  const firstName = (await largest.nth(0).textContent())!.trim();
  await officer.visit(first!);
  expect(await officer.heading()).toBe(firstName);
  await officer.page.getByLabel('The organisation on the platform this supplier is').selectOption({ label: 'Norwood Carers Network' });
  await officer.submit('Save');
  expect(await officer.heading()).toBe('Suppliers');
  // Linked, the supplier goes by the organisation's name and counts by its kind.
  expect(await officer.page.getByRole('row', { name: /^Norwood Carers Network.* Voluntary and community sector Norwood Carers Network/ }).count()).toBe(1);
  const key = (href: string) => new URL(href, h.baseUrl).searchParams.get('key')!;
  await officer.visit(`${BASE}/spending/suppliers/decide?a=${encodeURIComponent(key(first!))}&b=${encodeURIComponent(key(second!))}`);
  expect(await officer.heading()).toBe('Are these one supplier?');
  await officer.submit('Save', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Choose whether these are the same supplier', 'Say why, in 3 to 2,000 characters, for the auditors']);
  await officer.page.getByLabel('No: keep them apart, and stop proposing it').check();
  await officer.page.getByLabel('Why (for the auditors)').fill('Two different firms.');
  await officer.submit('Save');
  expect(await officer.heading()).toBe('Suppliers');

  const resident = await h.session({ javaScriptEnabled: false });
  await resident.visit(`${BASE}/spending`);
  expect(await resident.page.getByRole('table', { name: 'Card spend by service area' }).count()).toBe(1);
  expect(await resident.page.getByRole('table', { name: 'Net spend by service area' }).count()).toBe(1);
  const href = await resident.page.getByRole('link', { name: /^CSV of procurement card/ }).first().getAttribute('href');
  const csv = await (await fetch(new URL(href!, h.baseUrl))).text();
  expect(csv.split('\r\n')[0]).toBe('Date of transaction,Merchant,Amount,Summary of the purpose of the expenditure,Service area,Merchant category,Description,Transaction number');
  for (const s of [officer, resident]) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
