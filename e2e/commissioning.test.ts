/**
 * The outcomes framework and the commissioning cycle in a real browser, checked by axe on every
 * page (see support.ts): a resident reads the outcomes, an indicator's chart for a ward, what is
 * being commissioned and when they can take part, the intentions and the market position
 * statement, with JavaScript off; an officer imports a measurements file (refused by line, then
 * taken), and moves a project from Plan to Do once it has what it needs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';

let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-e2e-'));
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'commissioning'));
  await h?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a resident sees the outcomes against their targets, what is being commissioned and how to take part', async () => {
  const resident = await h.session({ javaScriptEnabled: false });
  await resident.visit(`${BASE}/outcomes`);
  expect(await resident.page.getByRole('cell', { name: 'Better than the baseline' }).count()).toBe(4);
  await resident.follow('Families have enough to eat');
  expect(await resident.page.getByRole('img', { name: /Households going without food in the last month across the place against its target of 9 %/ }).count()).toBe(1);
  const [ward] = await h.services.places.listWards(h.authority.id);
  await resident.page.getByLabel('Show the figures for').selectOption({ label: ward!.name });
  await resident.submit('Show');
  expect(await resident.page.getByRole('table', { name: `Figures for ${ward!.name}` }).count()).toBe(1);

  await resident.follow('Commissioning');
  expect(await resident.heading()).toBe('Commissioning in London Borough of Lambeth (demo)');
  expect(await resident.page.getByRole('cell', { name: /Brixton Library, Brixton Oval/ }).count()).toBe(1);
  await resident.follow('Home care for older people (demo)');
  expect(await resident.page.getByText('Fill in the home care survey at any library').count()).toBe(1);
  expect(await resident.page.getByRole('button', { name: /Move on/ }).count()).toBe(0);
  await resident.visit(`${BASE}/commissioning`);
  await resident.follow('Commissioning intentions');
  expect(await resident.page.getByText('five-year libraries contract').count()).toBe(1);
  await resident.visit(`${BASE}/commissioning/market-position`);
  expect(await resident.heading()).toBe('Commissioning for a co-operative Lambeth (demo)');
  await resident.close();
});

test('an officer imports measurements whole or not at all, and moves a project on only when its stage has what it needs', async () => {
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);

  // A file with a bad line is refused whole, the line and reason listed; corrected, it goes in.
  await officer.visit(`${BASE}/outcomes`);
  await officer.submit('Import measurements'); // a link styled as a button
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'indicator,ward,date,value\nNEET-16-17,,2026-03-31,4.8\nNEET-16-17,,2026-03-31,lots\n');
  await officer.page.getByLabel('Measurements file').setInputFiles(bad);
  await officer.submit('Import the measurements', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Nothing was imported: one line has a problem', 'Line 3: "lots" is not a number']);
  const good = path.join(dir, 'good.csv');
  fs.writeFileSync(good, 'indicator,ward,date,value\nNEET-16-17,,2026-03-31,4.8\n');
  await officer.page.getByLabel('Measurements file').setInputFiles(good);
  await officer.submit('Import the measurements');
  expect(await officer.page.getByText('1 figures taken, 0 of them replacing figures already held').count()).toBe(1);

  // The youth project is in Plan: it cannot move on until an option is chosen with reasons.
  await officer.visit(`${BASE}/commissioning`);
  await officer.follow('Youth clubs and detached youth work (demo)');
  await officer.submit('Move on to Do', { status: 409 });
  expect(await officer.errorSummary()).toEqual(['Choose one of the options appraised', 'Give the reasons for the choice']);
  await officer.follow('Record the intentions and the chosen option');
  await officer.page.getByLabel('Community-led commissioning').check();
  await officer.page.getByLabel('Reasons for the choice').fill('Young people asked to choose who runs their clubs.');
  await officer.submit('Save');
  expect(await officer.page.getByRole('heading', { name: 'Plan has what it needs' }).count()).toBe(1);
  await officer.submit('Move on to Do');
  expect(await officer.page.getByText(/Do since \d/).count()).toBe(1);

  // Recording a co-design session names what is wrong, field by field.
  await officer.follow('Record a co-design session');
  await officer.submit('Save', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Enter the date of the session as a real date, like 2026-11-30', 'Enter a name for the session, in 3 to 200 characters']);
  await officer.close();
});
