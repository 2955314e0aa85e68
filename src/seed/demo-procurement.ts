/**
 * The demo borough's procurement: the council's social value measures, registered suppliers,
 * an opportunity open for bids, a tender past its deadline with sealed bids under evaluation, an
 * awarded contract with its social value KPIs, and a tender in two lots with bids in each, one lot
 * awarded and the other still to evaluate. Above the threshold, for the notices register: the
 * pipeline for this financial year, home care over £5m after engagement and a planned procurement
 * notice (awarded, its KPIs assessed, paid), and a user choice direct award that has since ended.
 * Organisations and people are made up.
 */
import { eq, sql } from 'drizzle-orm';
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, financialYearOf, londonToday } from '../lib/dates.ts';
import { contracts, tenderAwards, tenders } from '../modules/procurement/tables.ts';
import { DEMO_PASSWORD } from './demo.ts';

interface DemoProcurementPeople {
  officer: Actor;
  organisationId: (name: string) => string;
}

const MEASURES = [
  { code: 'JOBS', label: 'Local people employed', unit: 'full-time job for a year', proxy: '25,000' },
  { code: 'APPR', label: 'Apprenticeships', unit: 'apprenticeship completed', proxy: '12,000' },
  { code: 'VCS', label: 'Spend with local voluntary organisations', unit: '£1,000 spent', proxy: '1,000' },
  { code: 'VOL', label: 'Volunteering', unit: 'hour', proxy: '18' },
  { code: 'CO2', label: 'Carbon saved', unit: 'tonne of CO2e', proxy: '250' },
];

const BIDDERS = [
  { org: 'Norwood Carers Network', size: 'small', locality: 'in_area', email: 'bids.norwood@demo.coproduce.example', name: 'Nia Norwood' },
  { org: 'Brixton Repair Café CIC', size: 'micro', locality: 'in_area', email: 'bids.repair@demo.coproduce.example', name: 'Ravi Repair' },
  { org: 'Kennington Green Spaces Ltd', size: 'medium', locality: 'neighbouring', email: 'bids.green@demo.coproduce.example', name: 'Grace Green' },
  { org: 'Lambeth Youth Services Mutual', size: 'medium', locality: 'in_area', email: 'bids.mutual@demo.coproduce.example', name: 'Yusuf Youth', mutual: ['light_touch', 'not_for_profit', 'employee_controlled'] },
] as const;

const tender = (title: string, description: string, serviceArea: string, cpvCode: string, exVat: number, closesOn: string, over: Record<string, string> = {}) => ({
  title, description, serviceArea, cpvCode, contractType: 'light_touch', valueExVat: String(exVat), valueInclVat: String(exVat * 1.2), procedure: 'open', termMonths: '36',
  clarificationsCloseOn: addDays(closesOn, -7), closesOn, priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', ...over,
});

export async function seedDemoProcurement(services: Services, authority: Authority, people: DemoProcurementPeople): Promise<void> {
  const { procurement } = services;
  const today = londonToday();
  const measures: { id: string; code: string }[] = [];
  for (const m of MEASURES) measures.push(await procurement.addMeasure(people.officer, authority.id, { ...m, source: 'Lambeth social value framework (demo figures)', effectiveFrom: '2026-04-01' }));
  const measure = (code: string) => `measure-${measures.find((m) => m.code === code)!.id}`;

  const bidders: { userId: string; supplierId: string; actor: Actor }[] = [];
  for (const b of BIDDERS) {
    const user = await services.accounts.createUser(people.officer, { authorityId: authority.id, email: b.email, displayName: b.name, password: DEMO_PASSWORD, roles: ['community_rep'], organisationId: people.organisationId(b.org) });
    await services.organisationPeople.add(people.officer, authority.id, people.organisationId(b.org), { email: b.email, roleTitle: 'Bid manager' });
    const actor: Actor = { userId: user.id, role: 'community_rep', via: 'system' };
    const supplier = await procurement.registerSupplier(actor, authority.id, user.id, { organisationId: people.organisationId(b.org), size: b.size, locality: b.locality, mutual: 'mutual' in b ? [...b.mutual] : [] });
    bidders.push({ userId: user.id, supplierId: supplier.id, actor });
  }
  const bid = (tenderId: string, i: number, fields: Record<string, string>) => procurement.submitBid(bidders[i]!.actor, authority.id, tenderId, bidders[i]!.userId, { leadSupplierId: bidders[i]!.supplierId, ...fields });
  const evaluator = people.officer.userId!;
  /** The officer scores and moderates the bids (in a lot, if given) 3, 4 and so on, with these reasons, and awards. */
  const evaluateAndAward = async (tenderId: string, lot: string | undefined, reasons: string[]) => {
    const ev = await procurement.evaluation(authority.id, tenderId, evaluator, lot ?? null);
    const quality = ev.criteria.find((c) => c.kind === 'quality')!.id;
    const cells = (score: string, note: string, notes: string[]) => ({
      ...(lot ? { lot } : {}),
      ...Object.fromEntries(ev.bids.flatMap((b, i) => [[`${score}-${b.id}-${quality}`, String(3 + i)], [`${note}-${b.id}-${quality}`, notes[i]!]])),
    });
    await procurement.score(people.officer, authority.id, tenderId, evaluator, cells('score', 'note', ['A clear plan', 'Neighbours involved throughout']));
    await procurement.moderate(people.officer, authority.id, tenderId, evaluator, cells('agreed', 'reason', reasons));
    await procurement.award(people.officer, authority.id, tenderId, evaluator, lot ? { lot } : {});
  };
  // Demo only: the deadline passes at once, after the bids arrived while it was still ahead.
  const closeNow = (tenderId: string) => services.database.db.update(tenders).set({ closesAt: new Date() }).where(eq(tenders.id, tenderId));

  // Open for bids: a small contract any local group could win.
  await procurement.createTender(people.officer, authority.id, tender('Befriending for older residents (demo)', 'Weekly visits and phone calls for older residents living alone in Brixton and Stockwell.', 'Adult social care', '85311000-2', 120_000, addDays(today, 28)));

  // Past its deadline, with sealed bids now open for evaluation.
  const evaluating = await procurement.createTender(people.officer, authority.id, tender('Youth clubs in Streatham (demo)', 'Three evening youth clubs a week in Streatham, with holiday activities.', 'Children and young people', '85312000-9', 150_000, addDays(today, 14)));
  await bid(evaluating.id, 3, { price: '142,000', qualityResponse: 'Our youth workers ran these clubs for the council until 2019 and know the young people.', [measure('JOBS')]: '3', [measure('APPR')]: '2' });
  await bid(evaluating.id, 1, { price: '128,500', qualityResponse: 'Clubs built around repair, bikes and making, with young volunteers leading sessions.', [measure('VOL')]: '600', [measure('CO2')]: '4' });
  await closeNow(evaluating.id);

  // Awarded: bids evaluated, moderated and decided; the contract is in the register.
  const awarded = await procurement.createTender(people.officer, authority.id, tender('Pocket parks maintenance (demo)', 'Looking after eleven pocket parks, with volunteer days for neighbours.', 'Environment', '77310000-6', 90_000, addDays(today, 7), { contractType: 'goods_services' }));
  await bid(awarded.id, 2, { price: '84,000', qualityResponse: 'A crew of four based in Kennington, with a seasonal planting plan for each park.', [measure('JOBS')]: '1' });
  await bid(awarded.id, 0, { price: '88,000', qualityResponse: 'Carers and the people they care for gardening together, with a paid coordinator.', [measure('VOL')]: '900', [measure('VCS')]: '10' });
  await closeNow(awarded.id);
  await procurement.declare(people.officer, authority.id, awarded.id, evaluator, { conflicted: 'no' });
  await evaluateAndAward(awarded.id, undefined, ['Clear plan, little community involvement', 'Strong on involving neighbours; plan for winter is thin']);

  // In two lots, each its own sealed bids and award: the north awarded, the south still to evaluate.
  const inLots = await procurement.createTender(people.officer, authority.id, tender('Lunch clubs, north and south (demo)', 'Weekly lunch clubs for older residents, in two lots: north and south of the borough.', 'Adult social care', '85311000-2', 110_000, addDays(today, 10), { lots: 'North Lambeth | 50,000\nSouth Lambeth | 60,000' }));
  const [north, south] = (await procurement.getTender(authority.id, inLots.id)).lots;
  await bid(inLots.id, 0, { lotId: north!.id, price: '48,000', qualityResponse: 'Carers and the people they care for cooking together in two church halls.', [measure('VOL')]: '400' });
  await bid(inLots.id, 1, { lotId: north!.id, price: '45,500', qualityResponse: 'A lunch club that also mends: bring a toaster, take home a meal.', [measure('CO2')]: '2' });
  await bid(inLots.id, 0, { lotId: south!.id, price: '57,000', qualityResponse: 'The same carers’ model, in Norwood and Streatham.', [measure('VOL')]: '500' });
  await bid(inLots.id, 2, { lotId: south!.id, price: '59,000', qualityResponse: 'Lunch in the parks we look after, with a garden to table plan.', [measure('JOBS')]: '1' });
  await closeNow(inLots.id);
  await procurement.declare(people.officer, authority.id, inLots.id, evaluator, { conflicted: 'no' });
  await evaluateAndAward(inLots.id, north!.id, ['Warm and local; little on food safety', 'Inventive and well costed']);

  // In two lots, both settled: one awarded, and the council decided not to award the other (s.55).
  const transport = await procurement.createTender(people.officer, authority.id, tender('Community transport, two lots (demo)', 'Door-to-door transport for residents who cannot use buses: a dial-a-ride service and weekly shopping trips.', 'Adult social care', '60130000-8', 95_000, addDays(today, 10), { lots: 'Dial-a-ride | 70,000\nShopping trips | 25,000' }));
  const [dialARide, shopping] = (await procurement.getTender(authority.id, transport.id)).lots;
  await bid(transport.id, 3, { lotId: dialARide!.id, price: '68,000', qualityResponse: 'Two accessible minibuses, booked by phone or online, with drivers trained in dementia awareness.', [measure('JOBS')]: '2' });
  await bid(transport.id, 1, { lotId: dialARide!.id, price: '66,500', qualityResponse: 'Volunteer drivers in their own cars, and a repair day for mobility scooters.', [measure('VOL')]: '300' });
  await bid(transport.id, 2, { lotId: shopping!.id, price: '24,000', qualityResponse: 'A weekly trip to Brixton market from each estate we look after.', [measure('JOBS')]: '1' });
  await closeNow(transport.id);
  await procurement.declare(people.officer, authority.id, transport.id, evaluator, { conflicted: 'no' });
  await evaluateAndAward(transport.id, dialARide!.id, ['Reliable and accessible', 'Warm, but volunteer cars cannot take wheelchairs']);
  await procurement.decideNotToAwardLot(people.officer, authority.id, transport.id, { lot: shopping!.id, lotReason: 'Residents asked for shopping trips to be added to the dial-a-ride service instead, so the council will vary that contract.' });

  await seedDemoNotices(services, authority, people.officer, { bid, closeNow, evaluateAndAward, bidders, measure });
}

interface DemoTenderSteps {
  bid: (tenderId: string, i: number, fields: Record<string, string>) => Promise<unknown>;
  closeNow: (tenderId: string) => Promise<unknown>;
  evaluateAndAward: (tenderId: string, lot: string | undefined, reasons: string[]) => Promise<unknown>;
  bidders: { userId: string; supplierId: string; actor: Actor }[];
  measure: (code: string) => string;
}

/** Above the threshold: something of each notice for the register (see the file's opening comment). */
async function seedDemoNotices(services: Services, authority: Authority, officer: Actor, steps: DemoTenderSteps): Promise<void> {
  const { procurement, procurementNotices } = services;
  const today = londonToday();
  const year = financialYearOf(today);
  const evaluator = officer.userId!;
  // Demo only: the award and the contract happened `days` days earlier than today (the tender
  // notice a month before that), so the contract's payments, KPI assessment and end can lie in the past.
  const happenedEarlier = async (tenderId: string, days: number) => {
    const { db } = services.database;
    await db.update(tenders).set({ publishedOn: sql`${tenders.publishedOn} - ${days + 30}::int`, awardNoticeOn: sql`${tenders.awardNoticeOn} - ${days}::int`, uk5PublishedOn: sql`${tenders.uk5PublishedOn} - ${days + 1}::int` }).where(eq(tenders.id, tenderId));
    await db.update(tenderAwards).set({ awardNoticeOn: sql`${tenderAwards.awardNoticeOn} - ${days}::int`, standstillEndsOn: sql`${tenderAwards.standstillEndsOn} - ${days}::int` }).where(eq(tenderAwards.tenderId, tenderId));
    await db.update(contracts).set({ startsOn: sql`${contracts.startsOn} - ${days}::int`, endsOn: sql`${contracts.endsOn} - ${days}::int` }).where(eq(contracts.tenderId, tenderId));
  };
  const contractOf = async (tenderId: string) => (await procurement.listContracts(authority.id)).find((c) => c.tenderId === tenderId)!;

  await procurementNotices.setExpectedSpend(officer, authority.id, { financialYear: String(year), expectedSpend: '120,000,000' });
  for (const p of [
    { title: 'Home care framework (demo)', cpvCode: '85311000-2', estimatedValue: '12,000,000', route: 'tender', expectedNoticeOn: `${year}-10-01` },
    { title: 'Leisure centres management (demo)', cpvCode: '92610000-0', estimatedValue: '4,500,000', route: 'tender', expectedNoticeOn: `${year + 1}-06-01` },
    { title: 'Library self-service kiosks (demo)', cpvCode: '', estimatedValue: '600,000', route: 'direct_award', expectedNoticeOn: `${year}-08-01` },
  ]) await procurementNotices.addPlanned(officer, authority.id, p);

  // Over £5m after engagement and a planned procurement notice, so 10 days' tendering is enough.
  const homeCare = await procurement.createTender(officer, authority.id, tender('Home care in Lambeth (demo)', 'Care at home for adults across the borough, with reablement after hospital.', 'Adult social care', '85311000-2', 4_800_000, addDays(today, 12), {
    pme: 'yes', pmeOn: addDays(today, -340), uk2PublishedOn: addDays(today, -350), uk3PublishedOn: addDays(today, -330),
  }));
  await steps.bid(homeCare.id, 0, { price: '4,650,000', qualityResponse: 'Carers recruited in each neighbourhood, with a reablement team on call.', [steps.measure('JOBS')]: '40' });
  await steps.bid(homeCare.id, 3, { price: '4,700,000', qualityResponse: 'Our youth workers’ mutual model brought to care at home, owned by its staff.', [steps.measure('APPR')]: '12' });
  await steps.closeNow(homeCare.id);
  await procurement.declare(officer, authority.id, homeCare.id, evaluator, { conflicted: 'no' });
  await steps.evaluateAndAward(homeCare.id, undefined, ['Local and well staffed', 'Strong ownership model, well costed']);
  await happenedEarlier(homeCare.id, 240);
  const care = await procurement.getContract(authority.id, (await contractOf(homeCare.id)).id);
  const winner = steps.bidders.find((b) => b.supplierId === care.contract.supplierId)!;
  const kpi = care.kpis[0]!;
  await procurement.reportKpi(winner.actor, authority.id, care.contract.id, kpi.id, winner.userId, { periodEnd: addDays(today, -10), delivered: String(Math.ceil(kpi.target / 2)), evidence: 'Payroll and apprenticeship records for the half year' });
  const report = (await procurement.getContract(authority.id, care.contract.id)).kpis[0]!.reports[0]!;
  await procurement.checkKpiReport(officer, authority.id, care.contract.id, report.id, evaluator);
  await procurement.recordPayment(officer, authority.id, care.contract.id, { paidOn: addDays(today, -150), invoiceReceivedOn: addDays(today, -170), amount: '387,500', reference: 'HC-001' });
  await procurement.recordPayment(officer, authority.id, care.contract.id, { paidOn: addDays(today, -60), invoiceReceivedOn: addDays(today, -100), amount: '387,500', reference: 'HC-002' });

  // A user choice direct award to the provider the resident chose: no bids, a transparency notice, then the award
  // with no contract award notice; the resident has since moved into a care home.
  const chosen = await procurement.createTender(officer, authority.id, tender('Personal care chosen by a resident (demo)', 'Personal care at home from the provider a resident chose, under a user choice contract.', 'Adult social care', '85311000-2', 700_000, addDays(today, 7), {
    procedure: 'direct_award', directAwardGround: 'user_choice', supplierId: steps.bidders[3]!.supplierId,
  }));
  await procurement.recordTransparencyNotice(officer, authority.id, chosen.id, { uk5PublishedOn: today });
  await procurement.awardDirect(officer, authority.id, chosen.id, evaluator, { value: '690,000' });
  await happenedEarlier(chosen.id, 130);
  await procurement.endContract(officer, authority.id, (await contractOf(chosen.id)).id, { endedOn: addDays(today, -5), endReason: 'other' });

  // One notice recorded as published on the Central Digital Platform.
  const uk8 = (await procurementNotices.register(authority.id)).find((e) => e.code === 'UK8')!;
  await procurementNotices.recordPublished(officer, authority.id, { key: uk8.key, publishedOn: today });
}
