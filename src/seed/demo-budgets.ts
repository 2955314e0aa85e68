/**
 * The demo borough's community budgets: a round in each phase, from one taking ideas to one
 * whose winners are being delivered, and a closed round imported from a real Pabulib election
 * (Assen 2024, whose official Equal Shares outcome the count reproduces).
 */
import fs from 'node:fs';
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, londonToday } from '../lib/dates.ts';

const ASSEN = new URL('../../reference-data/pabulib/Netherlands_Assen_2024.pb', import.meta.url);

interface DemoPeople {
  officer: Actor;
  resident: { actor: Actor; userId: string };
  community: { actor: Actor; userId: string; organisationId: string | null };
}

type ProposalSeed = [title: string, description: string, pounds: number];

export async function seedDemoBudgets(services: Services, authority: Authority, people: DemoPeople): Promise<void> {
  const { budgets, places } = services;
  const home = places.lookupPostcode('SW2 1RW');
  const wards = await places.listWards(authority.id);
  const residentWard = wards.find((w) => w.gssCode === home?.wardCode) ?? wards[0]!;
  const otherWards = wards.filter((w) => w.id !== residentWard.id);

  const round = (title: string, description: string, settings: Record<string, unknown>) =>
    budgets.createRound(people.officer, authority.id, { title, description, ballotKind: 'approval', countingRule: 'mes_cost_add1_greedy', minChoices: '1', eligibility: ['member', 'lives_in_area'], ...settings });
  const propose = async (roundId: string, [title, description, pounds]: ProposalSeed, by: 'resident' | 'community', areaId?: string) =>
    budgets.propose(by === 'resident' ? people.resident.actor : people.community.actor, authority.id, roundId, { title, description, cost: String(pounds), areaId }, by === 'resident' ? { userId: people.resident.userId, organisationId: null } : { userId: people.community.userId, organisationId: people.community.organisationId });
  const feasible = (roundId: string, proposalId: string, reason = 'Checked with the parks and highways teams: it can be done for this cost.') =>
    budgets.review(people.officer, authority.id, roundId, proposalId, { decision: 'feasible', reason });
  const advanceTo = async (roundId: string, phases: string[]) => {
    for (const phase of phases) await budgets.advance(people.officer, authority.id, roundId, phase, 'Demo data');
  };

  // Ideas: open to everyone's suggestions.
  // Dated from the day the demo is seeded, so it is in its ideas phase whenever someone first tries it.
  const day = (n: number) => addDays(londonToday(), n);
  const ideas = await round('Lambeth community fund (demo)', 'Ideas for small projects anywhere in the borough. (Demo data.)', { areaName: 'Whole borough', budget: '250000', ideasStarts: day(-14), proposalsStarts: day(42), reviewStarts: day(77), votingStarts: day(98), resultsStarts: day(126) });
  await propose(ideas.id, ['Water fountains in parks', 'Drinking water fountains in five parks, so no one has to buy bottled water. (Demo data.)', 18_000], 'resident');

  // Proposals, counted by points.
  const green = await round('Norwood and Streatham green spaces (demo)', 'Money for green spaces in the south of the borough, shared out with points. (Demo data.)', {
    areaName: 'South Lambeth', budget: '60000', wardIds: otherWards.slice(0, 6).map((w) => w.id), ballotKind: 'cumulative', maxPoints: '10', countingRule: 'mes_cardinal_add1_greedy',
  });
  await advanceTo(green.id, ['proposals']);
  await propose(green.id, ['Wildflower verges', 'Sow wildflowers on grass verges along Norwood Road. (Demo data.)', 8_000], 'community');
  await propose(green.id, ['Community orchard', 'Plant thirty fruit trees for everyone to pick. (Demo data.)', 15_000], 'resident');

  // Officer review.
  const youth = await round('Stockwell youth fund 2026 (demo)', 'Projects chosen by and for young people. (Demo data.)', { areaName: 'Whole borough', budget: '40000', eligibility: ['member', 'minimum_age'], minimumAge: '11' });
  const y1 = await propose(youth.id, ['Free football coaching', 'Weekly coaching sessions at Larkhall Park. (Demo data.)', 12_000], 'community');
  await propose(youth.id, ['Music studio evenings', 'Evening sessions in a recording studio. (Demo data.)', 9_500], 'resident');
  await advanceTo(youth.id, ['proposals', 'review']);
  await feasible(youth.id, y1.id);

  // Voting, in two areas, each with its own budget: the demo resident can vote in hers.
  const fund = await round('Brixton and Clapham neighbourhood fund (demo)', 'Two neighbourhoods, each with its own budget. Members vote for up to three projects in their own area. (Demo data.)', {
    areaName: `${residentWard.name} and neighbours`, budget: '30000', wardIds: [residentWard.id, ...otherWards.slice(6, 8).map((w) => w.id)], maxChoices: '3',
  });
  await budgets.addArea(people.officer, authority.id, fund.id, { areaName: 'Clapham', budget: '25000', wardIds: otherWards.slice(8, 11).map((w) => w.id) });
  const withAreas = await budgets.getRound(authority.id, fund.id);
  const [near, clapham] = [withAreas.areas.find((a) => a.wardIds.includes(residentWard.id))!, withAreas.areas.find((a) => !a.wardIds.includes(residentWard.id))!];
  const fundProposals: [ProposalSeed, string][] = [
    [['Street trees on Acre Lane', 'Twelve new street trees with guards. (Demo data.)', 14_000], near.id],
    [['After-school homework club', 'Three afternoons a week in the library. (Demo data.)', 9_000], near.id],
    [['Safer crossing by the market', 'A raised crossing where children cross to school. (Demo data.)', 16_000], near.id],
    [['Repair café tool library', 'Tools to borrow, and volunteers to show how. (Demo data.)', 4_500], near.id],
    [['Clapham pocket park', 'Turn a paved corner into a small park. (Demo data.)', 20_000], clapham.id],
    [['Lunch club for older neighbours', 'A weekly hot lunch and company. (Demo data.)', 6_000], clapham.id],
  ];
  await advanceTo(fund.id, ['proposals']);
  const ids: string[] = [];
  for (const [seed, areaId] of fundProposals) ids.push((await propose(fund.id, seed, 'community', areaId)).id);
  await advanceTo(fund.id, ['review']);
  for (const id of ids) await feasible(fund.id, id);
  await advanceTo(fund.id, ['voting']);

  // Results: a real election, imported from Pabulib.
  await budgets.importPb(people.officer, authority.id, { fileName: 'Netherlands_Assen_2024.pb', text: fs.readFileSync(ASSEN, 'utf8'), title: 'Assen Top Idee 2024 (real Pabulib election)' });

  // Delivery: counted, and the winners being delivered.
  const small = await round('Kennington small grants 2026 (demo)', 'Small grants voted on last spring. (Demo data.)', { areaName: 'Whole borough', budget: '20000' });
  const smallIds: string[] = [];
  for (const seed of [
    ['Kennington Park bulb planting', 'Ten thousand spring bulbs. (Demo data.)', 3_000],
    ['Oval community noticeboards', 'Four weatherproof noticeboards. (Demo data.)', 2_500],
    ['Youth film club', 'A year of Friday film nights. (Demo data.)', 16_000],
  ] as ProposalSeed[]) smallIds.push((await propose(small.id, seed, 'resident')).id);
  await advanceTo(small.id, ['proposals', 'review']);
  for (const id of smallIds) await feasible(small.id, id);
  await advanceTo(small.id, ['voting']);
  await budgets.castBallot(people.resident.actor, authority.id, small.id, { voterUserId: people.resident.userId, channel: 'online', marks: new Map(smallIds.slice(0, 2).map((id) => [id, true as const])), declaredMinimumAge: false });
  await advanceTo(small.id, ['results', 'delivery']);
  const [bulbs] = await budgets.listCommitments(authority.id, small.id);
  if (bulbs) {
    await budgets.setCommitmentDetails(people.officer, authority.id, small.id, bulbs.id, { ownerOrganisationId: people.community.organisationId ?? '', dueOn: day(120) });
    await budgets.addMilestone(people.officer, authority.id, small.id, bulbs.id, { title: 'Bulbs ordered', milestoneDueOn: day(14) });
    await budgets.addMilestone(people.officer, authority.id, small.id, bulbs.id, { title: 'Planting day with neighbours', milestoneDueOn: day(60) });
    await budgets.reportProgress(people.officer, authority.id, small.id, bulbs.id, { note: 'The planting day is booked and forty neighbours have signed up. (Demo data.)', percentComplete: '20' });
  }
}
