/**
 * A community budget round in a real browser: a resident proposes, an officer reviews, members
 * vote (one on paper, entered by the officer), the round closes, and the results page says why
 * each project won or lost. Every page is checked by axe (see support.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';
import { TEST_ACTOR } from '../test/helpers.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'budgets'));
  await h?.close();
});

test('a resident proposes, an officer reviews, members vote (one by paper), and the results explain the outcome', async () => {
  const rounds = await h.services.budgets.listRounds(h.authority.id);
  const round = rounds.find((r) => r.phaseNow === 'ideas')!;
  const roundUrl = `${BASE}/budgets/${round.id}`;
  // A second member, who votes on paper at a drop-in session.
  const paperVoter = await h.services.accounts.createUser(TEST_ACTOR, { authorityId: h.authority.id, email: 'paper.voter@example.org', displayName: 'Pat Paper', password: 'a long enough password', roles: ['resident'], postcode: 'SW2 1RW' });
  await h.services.membership.join(TEST_ACTOR, h.authority, paperVoter.id, { postcode: 'SW2 1RW', confirmResident: 'yes' });

  // The resident proposes a project.
  const resident = await h.session();
  await resident.signIn(demoAccount('resident').email);
  await resident.visit(`${BASE}/budgets`);
  await resident.follow(round.title);
  await resident.submit('Propose a project'); // a link styled as a button
  await resident.submit('Send the proposal', { status: 400 });
  expect(await resident.errorSummary()).toEqual(['Enter a title of 3 to 200 characters', 'Describe the project in 10 to 5,000 characters', 'Enter what it would cost in pounds, from £1.00 to £100,000,000.00, like 2,500']);
  await resident.page.getByLabel('Project title').fill('Planters on Coldharbour Lane');
  await resident.page.getByLabel('What it would do, and for whom').fill('Twenty planters, looked after by neighbours.');
  await resident.page.getByLabel('What it would cost, in pounds').fill('4,000');
  await resident.submit('Send the proposal');
  expect(await resident.heading()).toBe('Planters on Coldharbour Lane');

  // The officer moves the round on, reviews both proposals, and opens voting.
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(roundUrl);
  await officer.submit(/^Move on to proposals/);
  await officer.submit(/^Move on to officer review/);
  for (let i = 0; i < 2; i++) {
    await officer.follow(/^Review/);
    await officer.page.getByLabel('Yes: put it on the ballot').check();
    await officer.page.getByLabel('Reason (the proposer is told)').fill('The parks team can do this for the cost given.');
    await officer.submit('Save the review');
  }
  await officer.submit(/^Move on to voting/);
  expect(await officer.page.getByText('Ballots so far: 0 online, 0 on paper').count()).toBe(1);

  // The resident votes online.
  await resident.visit(roundUrl);
  await resident.submit('Vote');
  await resident.submit('Send my vote', { status: 400 });
  expect(await resident.errorSummary()).toEqual(['Choose at least 1 project']);
  await resident.page.getByLabel(/Planters on Coldharbour Lane/).check();
  await resident.submit('Send my vote');
  expect(await resident.heading()).toBe('Your vote has been counted');

  // The officer enters a paper ballot for the second member, then closes voting.
  await officer.visit(roundUrl);
  await officer.follow('Enter a paper ballot');
  await officer.page.getByLabel('The voter’s email address').fill('paper.voter@example.org');
  await officer.page.getByLabel(/Water fountains in parks/).check();
  await officer.page.getByLabel('I have checked who the voter is').check();
  await officer.submit('Enter the ballot');
  expect(await officer.page.getByText('The paper ballot was entered.').count()).toBe(1);
  await officer.visit(roundUrl);
  await officer.submit(/^Move on to results/);

  // Anyone can read the results, with a reason for each project.
  const visitor = await h.session();
  await visitor.visit(roundUrl);
  await visitor.follow('See the results and why each project won or lost');
  expect(await visitor.heading()).toBe(round.title);
  const rows = await visitor.page.locator('main table tbody tr').allTextContents();
  expect(rows.some((r) => r.includes('Planters on Coldharbour Lane') && r.includes('Funded') && r.includes('Funded in round'))).toBe(true);
  expect(rows.some((r) => r.includes('Water fountains in parks') && r.includes('Funded'))).toBe(true);
  expect(await visitor.page.getByText('Ballots counted').count()).toBe(1);
  const download = await visitor.page.getByRole('link', { name: /Download every ballot/ }).getAttribute('href');
  const file = await (await fetch(new URL(download!, h.baseUrl))).text();
  expect(file).toMatch(/^META/);
  expect(file).toContain('num_votes;2');

  for (const s of [resident, officer, visitor]) await s.close();
});

test('an officer reports progress on a funded project, and residents follow it', async () => {
  const round = (await h.services.budgets.listRounds(h.authority.id)).find((r) => r.phaseNow === 'delivery')!;
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/budgets/${round.id}`);
  await officer.follow('Follow the funded projects as they are delivered');
  await officer.follow('Kennington Park bulb planting');
  await officer.submit('Publish the report', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Say what has happened, in 3 to 2,000 characters']);
  await officer.page.getByLabel('What has happened').fill('Half the bulbs are in the ground.');
  await officer.page.getByLabel('How far along it is now (per cent)').fill('50');
  await officer.submit('Publish the report');
  await officer.submit(/^Mark as done.*Bulbs ordered/);

  const resident = await h.session({ javaScriptEnabled: false });
  await resident.visit(`${BASE}/budgets/${round.id}/delivery`);
  const row = (await resident.page.locator('main table tbody tr').allTextContents()).find((r) => r.includes('Kennington Park bulb planting'))!;
  expect(row).toContain('50%');
  expect(row).toContain('Half the bulbs are in the ground.');
  await resident.follow('Kennington Park bulb planting');
  expect(await resident.page.locator('main ul.govuk-list li').allTextContents()).toEqual([expect.stringMatching(/Bulbs ordered, due .*:\s+Done /), expect.stringMatching(/Planting day with neighbours, due .*:\s+To do/)]);
  for (const s of [officer, resident]) await s.close();
});
