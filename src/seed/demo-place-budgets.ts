/**
 * The demo borough's place budget: a public service board of the council and four partner
 * agencies, a five-year pooled budget with three streams, contributions, an allocation to a
 * service, a top-slice into the investment fund, and an approved business case money was
 * released against, with the first savings recorded. All made up, and labelled so.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';

interface DemoPeople {
  officer: Actor;
  /** The partner agency officer, who represents the Integrated Care Board. */
  partner: { actor: Actor; email: string };
}

const PARTNERS = ['Lambeth Council (demo)', 'South London Integrated Care Board (demo)', 'Metropolitan Police, Lambeth (demo)', 'Jobcentre Plus Brixton (demo)', 'Windrush Homes Housing Association (demo)'];

/** A first-year form business case in the documented JSON form's web fields. */
const REABLEMENT: Record<string, string> = {
  title: 'Reablement at home after hospital (demo)',
  years: '5',
  schedule: 'standard',
  costOptimismBias: '0.1',
  cost0Year: '0',
  cost0Amount: '180000',
  cost0Payer: 'Lambeth Council (demo)',
  cost1Year: '1',
  cost1Amount: '120000',
  cost1Payer: 'South London Integrated Care Board (demo)',
  benefit0Outcome: 'Older people live independently at home',
  benefit0Kind: 'fiscal',
  benefit0Beneficiary: 'South London Integrated Care Board (demo)',
  benefit0Cashable: 'yes',
  benefit0UnitValue: '2500',
  benefit0FirstYearUnits: '90',
  benefit0StartYear: '1',
  benefit0DurationYears: '4',
  benefit0DropOff: '0.1',
  benefit0Deadweight: '0.2',
  benefit0Displacement: '0',
  benefit0Attribution: '0.1',
  benefit0OptimismBias: '0.15',
  benefit1Outcome: 'Fewer long-term care placements',
  benefit1Kind: 'fiscal',
  benefit1Beneficiary: 'Lambeth Council (demo)',
  benefit1UnitValue: '30000',
  benefit1FirstYearUnits: '6',
  benefit1StartYear: '1',
  benefit1DurationYears: '4',
  benefit1DropOff: '0',
  benefit1Deadweight: '0.25',
  benefit1Displacement: '0',
  benefit1Attribution: '0.1',
  benefit1OptimismBias: '0.15',
  uncertainty: '20',
  seed: '2026',
};

export async function seedDemoPlaceBudgets(services: Services, authority: Authority, people: DemoPeople): Promise<void> {
  const { placeBudgets: pb, organisations, outcomes } = services;
  const orgs = new Map((await organisations.choices(authority.id)).map(([id, name]) => [name, id]));
  const outcomeIds = new Map((await outcomes.list(authority.id)).map((o) => [o.title, o.id]));
  const created = await pb.createBoard(people.officer, authority.id, {
    name: 'Lambeth Public Service Board (demo)',
    decisionRule: 'lead_below_limit',
    leadLimit: '50,000',
    leadPartner: orgs.get(PARTNERS[0]!),
    partners: PARTNERS.map((p) => orgs.get(p)!),
  });
  const board = await pb.getBoard(authority.id, created.id);
  const partner = (name: string) => board.partners.find((p) => p.name === name)!.id;
  await pb.addRepresentative(people.officer, authority.id, board.id, { partnerId: partner(PARTNERS[1]!), email: people.partner.email });

  const olderPeople = outcomeIds.get('Older people live independently at home')!;
  const budget = await pb.createBudget(people.officer, authority.id, board.id, {
    name: 'Lambeth Together pooled budget 2026–2031 (demo)',
    startsOn: '2026-04-01',
    years: '5',
    outcomes: [olderPeople, outcomeIds.get('People feel safe in their neighbourhood')!, outcomeIds.get('Young people are in education, employment or training')!],
  });
  const staff = { userId: people.officer.userId, roles: ['officer'] as const };
  const stream = (partnerName: string, name: string, extra: Record<string, string> = {}) => pb.addStream(people.officer, staff, authority.id, budget.id, { partnerId: partner(partnerName), name, ...extra });
  const council = await stream(PARTNERS[0]!, 'Adult social care contribution', { clawbackTerms: 'Money unallocated at the end of a financial year may be taken back with the board’s agreement.' });
  const icb = await stream(PARTNERS[1]!, 'Better Care Fund (NHS minimum contribution)', { ringFencedOutcomeId: olderPeople });
  const police = await stream(PARTNERS[2]!, 'Community safety fund');

  const move = (actor: Actor, kind: string, raw: Record<string, unknown>) => pb.recordMovement(actor, staff, authority.id, budget.id, kind, raw);
  const everyone = board.partners.map((p) => p.id);
  await move(people.officer, 'contribution', { streamId: council.id, amount: '1,200,000', occurredOn: '2026-04-15', description: 'Year 1 contribution (demo)' });
  await move(people.partner.actor, 'contribution', { streamId: icb.id, amount: '850,000', occurredOn: '2026-04-20', description: 'Year 1 Better Care Fund transfer (demo)' });
  await move(people.officer, 'contribution', { streamId: police.id, amount: '150,000', occurredOn: '2026-05-01', description: 'Year 1 contribution (demo)' });
  await move(people.officer, 'allocation', { streamId: police.id, amount: '90,000', occurredOn: '2026-06-03', description: 'Board minute 2026/07 (demo)', recipientKind: 'service', recipient: 'Youth clubs and detached youth work', outcomeId: outcomeIds.get('People feel safe in their neighbourhood'), agreedBy: everyone });
  await move(people.officer, 'top-slice', { streamId: council.id, amount: '300,000', occurredOn: '2026-06-03', description: 'Investment fund, board minute 2026/08 (demo)', agreedBy: everyone });

  const reablement = await pb.saveCase(people.officer, authority.id, null, REABLEMENT);
  await pb.approveCase(people.officer, authority.id, reablement.id);
  await move(people.officer, 'release', { streamId: council.id, amount: '180,000', occurredOn: '2026-07-01', description: 'Reablement year 0, board minute 2026/11 (demo)', businessCaseId: reablement.id, outcomeId: olderPeople, agreedBy: everyone });
  const [allocation] = (await pb.getBudget(authority.id, budget.id, staff)).allocations.filter((a) => a.businessCaseId === reablement.id);
  await move(people.officer, 'spend', { streamId: council.id, amount: '45,000', occurredOn: '2026-09-30', description: 'Reablement team, July to September (demo)', allocationId: allocation!.id });
  await pb.recordSaving(people.officer, authority.id, reablement.id, { agency: PARTNERS[1], year: '1', amount: '95,000' });
}
