/**
 * Procurement in a real browser: a small voluntary organisation finds an opportunity, registers
 * to bid and bids as the lead of a consortium; its bid stays sealed until the deadline, even from
 * the officer; then an officer declares, scores, moderates and awards, and the contract appears in
 * the register. A tender in two lots: a supplier sends a sealed bid for each lot, and an officer
 * evaluates and awards one lot while the other is already awarded. Another tender in lots: the
 * bidder sees the lot it has bid for and is offered only the other, and the officer decides not to
 * award one lot, with its reason, while the other goes on. A direct award: the officer
 * names the supplier, records the transparency notice and awards, with no bids, refused at each
 * step taken too early. Every page is checked by axe (see support.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { BASE, auditSummary, demoAccount, startHarness, type Harness } from './support.ts';
import { TEST_ACTOR } from '../test/helpers.ts';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { tenders } from '../src/modules/procurement/tables.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  if (h) console.log(auditSummary(h, 'procurement'));
  await h?.close();
});

/** An open tender in two lots of £40,000, North and South, closing in ten days. */
const tenderInTwoLots = (what: { title: string; description: string; serviceArea: string; cpvCode: string; termMonths: string }) =>
  h.services.procurement.createTender(TEST_ACTOR, h.authority.id, {
    ...what,
    contractType: 'goods_services', valueExVat: '80,000', valueInclVat: '96,000', procedure: 'open', clarificationsCloseOn: addDays(londonToday(), 3), closesOn: addDays(londonToday(), 10),
    priceWeight: '40', qualityWeight: '60', socialValueWeight: '0', lots: 'North | 40,000\nSouth | 40,000',
  });

test('a small VCS organisation bids in a consortium; an officer evaluates and awards', async () => {
  const title = 'Befriending for older residents (demo)';
  const tender = (await h.services.procurement.listTenders(h.authority.id, { openOnly: true })).find((t) => t.title === title)!;

  // The community organisation's chair finds the opportunity and registers to bid.
  const chair = await h.session();
  await chair.signIn(demoAccount('community_rep').email);
  await chair.visit(`${BASE}/procurement`);
  await chair.follow(title);
  expect(await chair.heading()).toBe(title);
  expect(await chair.page.getByText(/no pre-qualification stage/).count()).toBe(1);
  await chair.submit('Bid for this contract');
  await chair.follow('register your organisation to bid');
  await chair.submit('Register', { status: 400 });
  expect(await chair.errorSummary()).toEqual(['Select an organisation you have a role in', 'Select the size of the organisation', 'Select where the organisation is based']);
  await chair.page.getByLabel('Acre Lane Community Kitchen').check();
  await chair.page.getByLabel('Micro (fewer than 10 staff)').check();
  await chair.page.getByLabel('Based in the borough').check();
  await chair.submit('Register');
  expect(await chair.page.getByText('Acre Lane Community Kitchen (Voluntary or community body)').count()).toBe(1);

  // It bids as the lead of a consortium with a local carers' charity.
  await chair.visit(`${BASE}/procurement/tenders/${tender.id}/bid`);
  await chair.submit('Send the sealed bid', { status: 400 });
  expect(await chair.errorSummary()).toEqual(['Select the organisation bidding (or leading the consortium)', 'Enter your price without VAT in pounds, like 95,000', 'Describe how you would deliver the service in 20 to 20,000 characters']);
  await chair.page.getByRole('radio', { name: 'Acre Lane Community Kitchen' }).check();
  await chair.page.getByRole('checkbox', { name: /Norwood Carers Network/ }).check();
  await chair.page.getByLabel('Your price without VAT, in pounds').fill('98,000');
  await chair.page.getByLabel('How you would deliver the service').fill('Volunteers from the kitchen and carers from Norwood visit weekly and share a lunch club.');
  await chair.page.getByLabel('Volunteering (hour)').fill('800');
  await chair.submit('Send the sealed bid');
  expect(await chair.page.getByText(/We received your bid on/).count()).toBe(1);

  // A rival bids through the API's service.
  const repair = (await h.services.procurement.listSuppliers(h.authority.id)).find((s) => s.name === 'Brixton Repair Café CIC')!;
  const repairUser = (await h.services.accounts.userByEmail(h.authority.id, 'bids.repair@demo.coproduce.example'))!;
  await h.services.procurement.submitBid({ userId: repairUser.id, role: 'community_rep', via: 'api' }, h.authority.id, tender.id, repairUser.id, { leadSupplierId: repair.id, price: '90,000', qualityResponse: 'Befriending over repair sessions at the café, twice a week.' });

  // Before the deadline the officer sees only that two bids arrived.
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/procurement/tenders/${tender.id}`);
  expect(await officer.page.getByText('2 bids received so far. They stay sealed until the deadline.').count()).toBe(1);
  await officer.visit(`${BASE}/procurement/tenders/${tender.id}/evaluation`, { status: 409 });
  expect(await officer.page.getByText(/Bids stay sealed until/).count()).toBe(1);
  expect(await officer.page.getByText(/Volunteers from the kitchen/).count()).toBe(0);

  // The deadline passes.
  await h.services.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tender.id));
  await officer.visit(`${BASE}/procurement/tenders/${tender.id}`);
  await officer.follow('Evaluate the 2 bids');
  expect(await officer.page.getByText(/Volunteers from the kitchen/).count()).toBe(1);
  await officer.submit('Award the contract to the highest-scoring bid', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Moderate every bid’s quality score before the award']);
  await officer.page.getByLabel('No', { exact: true }).check();
  await officer.submit('Make the declaration');
  await officer.page.getByLabel('Quality score for bid 1 (Acre Lane Community Kitchen)').fill('7');
  await officer.page.getByLabel('Quality score for bid 2 (Brixton Repair Café CIC)').fill('3');
  await officer.submit('Save your scores', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Enter a score from 0 to 5']);
  await officer.page.getByLabel('Quality score for bid 1 (Acre Lane Community Kitchen)').fill('4');
  await officer.submit('Save your scores');
  await officer.page.getByLabel('Agreed quality score for bid 1 (Acre Lane Community Kitchen)').fill('4');
  await officer.page.getByLabel('Reason for the agreed score for bid 1').fill('Clear local plan with carers involved');
  await officer.page.getByLabel('Agreed quality score for bid 2 (Brixton Repair Café CIC)').fill('3');
  await officer.page.getByLabel('Reason for the agreed score for bid 2').fill('Good idea, little on reaching housebound people');
  await officer.submit('Record the moderated scores');
  const rows = await officer.page.locator('main table tbody tr').allTextContents();
  // Acre Lane: price 40 × 90,000/98,000 = 36.73, quality 32, social value 20 → 88.73; the café: 40 + 24 + 0 = 64.
  expect(rows[0]).toMatch(/Acre Lane Community Kitchen \(highest\)\s*36\.73\s*32\.00\s*20\.00\s*88\.73/);
  expect(rows[1]).toMatch(/Brixton Repair Café CIC\s*40\.00\s*24\.00\s*0\.00\s*64\.00/);
  await officer.submit('Award the contract to the highest-scoring bid');
  expect(await officer.page.getByText(/^Awarded\. The award notice went out/).count()).toBe(1);

  // The contract is in the public register, with the consortium's social value as a KPI.
  const visitor = await h.session({ javaScriptEnabled: false });
  await visitor.visit(`${BASE}/procurement/contracts`);
  const contract = (await h.services.procurement.listContracts(h.authority.id)).find((c) => c.tenderId === tender.id)!;
  await visitor.follow(contract.ref);
  expect(await visitor.heading()).toBe(title);
  expect(await visitor.page.getByText('Volunteering: 0 of 800 (hour)').count()).toBe(1);
  await visitor.visit(`${BASE}/procurement/diversity`);
  expect(await visitor.page.locator('svg[role="img"] title').textContent()).toMatch(/Share of contract value/);
  expect(await visitor.page.getByRole('heading', { name: 'Contracts and spend by year' }).count()).toBe(1);

  // The officer's own pages: publishing a tender (with its errors), the social value measures, the contract.
  await officer.visit(`${BASE}/procurement/contracts/${contract.id}`);
  expect(await officer.page.getByText('No notices are due on this contract.').count()).toBe(1);
  await officer.visit(`${BASE}/procurement/social-value`);
  expect(await officer.page.locator('main table tbody tr').count()).toBe(5);
  await officer.visit(`${BASE}/procurement/tenders/new`);
  await officer.page.getByLabel('Title').fill('Lunch clubs');
  await officer.page.getByLabel('CPV code').fill('care');
  await officer.submit('Publish the tender', { status: 400 });
  expect(await officer.errorSummary()).toEqual(expect.arrayContaining(['Enter a CPV code like 85311000-2']));

  for (const s of [chair, officer, visitor]) await s.close();
});

test('a tender in two lots: one sealed bid per lot, and each lot awarded on its own', async () => {
  const p = h.services.procurement;
  const open = await tenderInTwoLots({ title: 'Community gardening in two lots', description: 'Gardening sessions for residents, north and south of the borough.', serviceArea: 'Environment', cpvCode: '77310000-6', termMonths: '24' });

  // A registered supplier bids for both lots, one sealed bid each, without JavaScript.
  const bidder = await h.session({ javaScriptEnabled: false });
  await bidder.signIn('bids.norwood@demo.coproduce.example');
  await bidder.visit(`${BASE}/procurement/tenders/${open.id}`);
  expect(await bidder.page.getByRole('cell', { name: 'Lot 1: North' }).count()).toBe(1);
  await bidder.submit('Bid for this contract');
  await bidder.page.getByRole('radio', { name: 'Norwood Carers Network' }).check();
  await bidder.page.getByLabel('Your price without VAT, in pounds').fill('38,000');
  await bidder.page.getByLabel('How you would deliver the service').fill('Carers and the people they care for gardening together every week.');
  await bidder.submit('Send the sealed bid', { status: 400 });
  expect(await bidder.errorSummary()).toEqual(['Select the lot you are bidding for']);
  await bidder.page.getByRole('radio', { name: /^North \(estimated £40,000\.00/ }).check();
  await bidder.submit('Send the sealed bid');
  await bidder.visit(`${BASE}/procurement/tenders/${open.id}/bid`);
  await bidder.page.getByRole('radio', { name: /^South/ }).check();
  await bidder.page.getByRole('radio', { name: 'Norwood Carers Network' }).check();
  await bidder.page.getByLabel('Your price without VAT, in pounds').fill('39,000');
  await bidder.page.getByLabel('How you would deliver the service').fill('The same carers’ gardening model, in Norwood and Streatham.');
  await bidder.submit('Send the sealed bid');
  expect(await bidder.page.getByText(/^We received your bid for (North|South) on/).count()).toBe(2);

  // The demo tender in lots: the north is awarded; the officer evaluates and awards the south.
  const title = 'Lunch clubs, north and south (demo)';
  const inLots = (await p.listTenders(h.authority.id, { openOnly: false })).find((t) => t.title === title)!;
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/procurement/tenders/${inLots.id}`);
  const lotRows = () => officer.page.locator('main table').first().locator('tbody tr').allTextContents();
  expect(await lotRows()).toEqual([expect.stringMatching(/Lot 1: North Lambeth\s*£50,000\.00\s*Awarded to Norwood Carers Network/), expect.stringMatching(/Lot 2: South Lambeth\s*£60,000\.00\s*Not yet awarded/)]);
  await officer.follow('Evaluate the 4 bids');
  await officer.follow('Lot 2: South Lambeth');
  expect(await officer.heading()).toBe(`Evaluate ${title}: South Lambeth`);
  await officer.submit('Award South Lambeth to its highest-scoring bid', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Moderate every bid’s quality score for South Lambeth before you award it']);
  await officer.page.getByLabel('Quality score for bid 1 (Norwood Carers Network)').fill('4');
  await officer.page.getByLabel('Quality score for bid 2 (Kennington Green Spaces Ltd)').fill('3');
  await officer.submit('Save your scores');
  await officer.page.getByLabel('Agreed quality score for bid 1 (Norwood Carers Network)').fill('4');
  await officer.page.getByLabel('Reason for the agreed score for bid 1').fill('Well known to the lunch clubs already');
  await officer.page.getByLabel('Agreed quality score for bid 2 (Kennington Green Spaces Ltd)').fill('3');
  await officer.page.getByLabel('Reason for the agreed score for bid 2').fill('Good food plan, little on transport');
  await officer.submit('Record the moderated scores');
  await officer.submit('Award South Lambeth to its highest-scoring bid');
  expect(await officer.page.getByText(/^South Lambeth awarded\. The award notice went out/).count()).toBe(1);
  await officer.visit(`${BASE}/procurement/tenders/${inLots.id}`);
  // South: Kennington 38.64 + 24 + 20 (the most social value) = 82.64; Norwood 40 + 32 + 7.20 = 79.20.
  expect((await lotRows())[1]).toMatch(/Lot 2: South Lambeth\s*£60,000\.00\s*Awarded to Kennington Green Spaces Ltd/);

  // Each lot is its own contract in the public register.
  const visitor = await h.session({ javaScriptEnabled: false });
  await visitor.visit(`${BASE}/procurement/contracts`);
  expect(await visitor.page.getByText(`${title}: North Lambeth`).count()).toBe(1);
  expect(await visitor.page.getByText(`${title}: South Lambeth`).count()).toBe(1);

  // The demo tender in lots already settled: one lot awarded, the other decided not to award.
  const transport = (await p.listTenders(h.authority.id, { openOnly: false })).find((t) => t.title === 'Community transport, two lots (demo)')!;
  await visitor.visit(`${BASE}/procurement/tenders/${transport.id}`);
  expect(await visitor.page.locator('#lots tbody tr').allTextContents()).toEqual([
    expect.stringMatching(/Lot 1: Dial-a-ride\s*£70,000\.00\s*Awarded to /),
    expect.stringMatching(/Lot 2: Shopping trips\s*£25,000\.00\s*Not awarded: the council decided on .* because: Residents asked for shopping trips/),
  ]);
  await visitor.check();
  for (const s of [bidder, officer, visitor]) await s.close();
});

test('a tender in two lots: the officer decides not to award one lot, and the other goes on', async () => {
  const open = await tenderInTwoLots({ title: 'Play schemes in two lots', description: 'Holiday play schemes for children, north and south of the borough.', serviceArea: 'Children and young people', cpvCode: '92000000-1', termMonths: '12' });
  const page = `${BASE}/procurement/tenders/${open.id}`;

  // A supplier bids for the north, without JavaScript; the bid form then lists that bid and offers only the south.
  const bidder = await h.session({ javaScriptEnabled: false });
  await bidder.signIn('bids.norwood@demo.coproduce.example');
  await bidder.visit(`${page}/bid`);
  await bidder.page.getByRole('radio', { name: /^North/ }).check();
  await bidder.page.getByRole('radio', { name: 'Norwood Carers Network' }).check();
  await bidder.page.getByLabel('Your price without VAT, in pounds').fill('35,000');
  await bidder.page.getByLabel('How you would deliver the service').fill('Play schemes run with the carers’ network in every school holiday.');
  await bidder.submit('Send the sealed bid');
  await bidder.visit(`${page}/bid`);
  expect(await bidder.page.getByRole('heading', { name: 'Lots your organisation has bid for' }).count()).toBe(1);
  expect(await bidder.page.locator('.govuk-summary-list__row').allTextContents()).toEqual([expect.stringMatching(/Lot 1: North\s*Norwood Carers Network, received /)]);
  expect(await bidder.page.getByRole('radio', { name: /^North/ }).count()).toBe(0);
  expect(await bidder.page.getByRole('radio', { name: /^South/ }).count()).toBe(1);

  // The officer, also without JavaScript, decides not to award the north: first without saying which lot or why.
  const officer = await h.session({ javaScriptEnabled: false });
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(page);
  await officer.page.getByText('Decide not to award a lot').click();
  await officer.check();
  await officer.submit('Do not award this lot', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Select the lot not to award', 'Give the reason for not awarding, in 3 to 2,000 characters']);
  await officer.page.getByRole('radio', { name: 'Lot 1: North' }).check();
  await officer.page.getByLabel('Reason (the lot’s bidders are told)').fill('The north play scheme is to be run by the schools themselves');
  await officer.submit('Do not award this lot');
  const lotRows = () => officer.page.locator('#lots tbody tr').allTextContents();
  expect(await lotRows()).toEqual([
    expect.stringMatching(/Lot 1: North\s*£40,000\.00\s*Not awarded: the council decided on .* not to award it, because: The north play scheme is to be run by the schools themselves/),
    expect.stringMatching(/Lot 2: South\s*£40,000\.00\s*Not yet awarded/),
  ]);
  expect(await officer.page.getByRole('cell', { name: 'Procurement termination notice for North' }).count()).toBe(1);
  // Only the south is left to decide; the tender as a whole can still be left unawarded.
  await officer.page.getByText('Decide not to award a lot').click();
  expect(await officer.page.getByRole('radio', { name: 'Lot 2: South' }).count()).toBe(1);
  expect(await officer.page.getByRole('radio', { name: 'Lot 1: North' }).count()).toBe(0);
  expect(await officer.page.getByText('Decide not to award the whole tender').count()).toBe(1);
  await officer.check();

  // The bidder sees the decision; the south is still open to bids.
  await bidder.visit(page);
  expect(await bidder.page.locator('#lots tbody tr').first().textContent()).toMatch(/Not awarded: the council decided/);
  expect(await bidder.page.getByText('Decide not to award').count()).toBe(0);
  await bidder.visit(`${page}/bid`);
  expect(await bidder.page.getByRole('radio', { name: /^South/ }).count()).toBe(1);
  for (const s of [bidder, officer]) await s.close();
});

test('an officer keeps the pipeline, sees every notice due in the register, and records one published', async () => {
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/procurement`);
  await officer.follow('Notices register');
  expect(await officer.heading()).toBe('Notices register');
  const rows = await officer.page.locator('main table tbody tr').allTextContents();
  for (const code of ['UK1', 'UK2', 'UK3', 'UK4', 'UK5', 'UK8', 'UK9', 'UK11', 'UK17']) expect(rows.some((r) => r.trim().startsWith(code)), code).toBe(true);
  await officer.page.getByLabel('Published on the Central Digital Platform on').fill('someday');
  await officer.submit('Record it as published', { status: 400 });
  expect(await officer.errorSummary()).toEqual([`Enter the day it was published, today or earlier, like ${londonToday()}`]);
  await officer.page.getByLabel('Notice', { exact: true }).selectOption({ label: (await officer.page.getByLabel('Notice', { exact: true }).locator('option', { hasText: 'UK11' }).first().textContent())! });
  await officer.page.getByLabel('Published on the Central Digital Platform on').fill(londonToday());
  await officer.submit('Record it as published');
  expect((await officer.page.locator('main table tbody tr', { hasText: 'Contract termination notice' }).textContent())).toContain('Published');

  // The pipeline: UK1 is due this year (£120m expected); a planned procurement added, then changed.
  await officer.follow('pipeline');
  expect(await officer.page.getByText(/A pipeline notice \(UK1\) is due/).count()).toBe(1);
  await officer.submit('Add to the pipeline', { status: 400 });
  expect(await officer.errorSummary()).toEqual(expect.arrayContaining(['Enter a title of 3 to 200 characters', 'Select a competitive tender or a direct award']));
  await officer.page.getByLabel('Title').fill('Day centres (demo)');
  await officer.page.getByLabel('Estimated value with VAT, in pounds').fill('3,000,000');
  await officer.page.getByLabel('A competitive tender').check();
  await officer.page.getByLabel('Tender or transparency notice expected on').fill(addDays(londonToday(), 90));
  await officer.submit('Add to the pipeline');
  await officer.follow('Day centres (demo)');
  await officer.page.getByLabel('Estimated value with VAT, in pounds').fill('3,500,000');
  await officer.submit('Save the changes');
  expect(await officer.page.locator('main table tbody tr', { hasText: 'Day centres (demo)' }).textContent()).toContain('£3,500,000');

  // The ended user choice contract, and the direct award's tender page with its ground.
  const ended = (await h.services.procurement.listContracts(h.authority.id)).find((c) => c.title === 'Personal care chosen by a resident (demo)')!;
  await officer.visit(`${BASE}/procurement/contracts/${ended.id}`);
  expect(await officer.page.getByText('Contract termination notice').count()).toBe(1);
  await officer.visit(`${BASE}/procurement/tenders/${ended.tenderId}`);
  expect(await officer.page.getByText(/Ground: A user choice contract/).count()).toBe(1);
  const running = (await h.services.procurement.listContracts(h.authority.id)).find((c) => c.title === 'Home care in Lambeth (demo)')!;
  await officer.visit(`${BASE}/procurement/contracts/${running.id}`);
  await officer.submit('Record the end', { status: 400 });
  expect(await officer.errorSummary()).toEqual(expect.arrayContaining(['Select why the contract ended']));
  await officer.close();
});

test('an officer makes a direct award: names the supplier, records the transparency notice, then awards; no bids', async () => {
  const title = 'Library self-service kiosks (demo direct award)';
  const officer = await h.session();
  await officer.signIn(demoAccount('officer').email);
  await officer.visit(`${BASE}/procurement/tenders/new`);
  await officer.page.getByLabel('Title').fill(title);
  await officer.page.getByLabel('What the council is buying').fill('Self-service kiosks that only their maker can supply and maintain.');
  await officer.page.getByLabel('Service area').fill('Libraries');
  await officer.page.getByLabel('CPV code').fill('30230000-0');
  await officer.page.getByLabel('Goods or services', { exact: true }).check();
  await officer.page.getByLabel('Estimated value without VAT, in pounds').fill('500,000');
  await officer.page.getByLabel('Estimated value with VAT, in pounds').fill('600,000');
  await officer.page.getByLabel(/Direct award \(above threshold/).check();
  await officer.page.getByLabel(/Intellectual property or other exclusive rights/).check();
  await officer.page.getByLabel('How long the contract lasts, in months, extensions included').fill('24');
  await officer.submit('Publish the tender');
  expect(await officer.heading()).toBe(title);
  expect(await officer.page.getByText('Ground: Intellectual property or other exclusive rights, with no reasonable alternative (Schedule 5).').count()).toBe(1);
  expect(await officer.page.getByRole('button', { name: 'Bid for this contract' }).count()).toBe(0);
  expect(await officer.page.getByRole('heading', { name: 'How bids are scored' }).count()).toBe(0);

  // The award waits on the named supplier, then on the transparency notice.
  await officer.submit('Award the contract', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Name the supplier before the award: a direct award is made to the supplier the council names']);
  const supplier = officer.page.getByLabel('Name the supplier');
  const name = (await supplier.locator('option').nth(1).textContent())!.trim();
  await supplier.selectOption({ label: name });
  await officer.submit('Name this supplier');
  await officer.submit('Award the contract', { status: 400 });
  expect(await officer.errorSummary()).toEqual(['Publish the transparency notice (UK5) and record it before the award: the Procurement Act 2023 (section 44) requires it before a direct award']);
  await officer.page.getByLabel(/transparency notice \(UK5\) was published/).fill('soon');
  await officer.submit('Record the transparency notice', { status: 400 });
  expect((await officer.errorSummary())[0]).toMatch(/^Enter the day the transparency notice was published/);
  await officer.page.getByLabel(/transparency notice \(UK5\) was published/).fill(londonToday());
  await officer.submit('Record the transparency notice');
  await officer.submit('Award the contract');
  expect(await officer.page.getByText(`Awarded to ${name}; the contract award notice went out`, { exact: false }).count()).toBe(1);

  // The register shows it as a direct award, and so does its contract.
  await officer.visit(`${BASE}/procurement/contracts`);
  const row = officer.page.locator('main table tbody tr', { hasText: title });
  expect(await row.textContent()).toContain('Direct award, without an invitation to quote or tender');
  await officer.close();
});
