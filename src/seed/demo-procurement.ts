/**
 * The demo borough's procurement: the council's social value measures, registered suppliers,
 * an opportunity open for bids, a tender past its deadline with sealed bids under evaluation, an
 * awarded contract with its social value KPIs, and a tender in two lots with bids in each, one lot
 * awarded and the other still to evaluate. Organisations and people are made up.
 */
import { eq } from 'drizzle-orm';
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, londonToday } from '../lib/dates.ts';
import { tenders } from '../modules/procurement/tables.ts';
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
  /** The officer scores and moderates the two bids (in a lot, if given) 3 and 4, with these reasons, and awards. */
  const evaluateAndAward = async (tenderId: string, lot: string | undefined, reasons: [string, string]) => {
    const ev = await procurement.evaluation(authority.id, tenderId, evaluator, lot ?? null);
    const quality = ev.criteria.find((c) => c.kind === 'quality')!.id;
    const [first, second] = ev.bids;
    const cells = (score: string, note: string, notes: [string, string]) => ({
      ...(lot ? { lot } : {}),
      [`${score}-${first!.id}-${quality}`]: '3', [`${score}-${second!.id}-${quality}`]: '4',
      [`${note}-${first!.id}-${quality}`]: notes[0], [`${note}-${second!.id}-${quality}`]: notes[1],
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
}
