/**
 * The demo borough's grants: an open programme taking applications (one sent and being scored,
 * one still a draft) and a closed one whose grants have been made, with conditions and
 * monitoring returns, so the public page and its 360Giving downloads have something to show.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, londonToday } from '../lib/dates.ts';

interface DemoGrantPeople {
  officer: Actor;
  /** Assessors: each scores on their own. */
  panel: Actor[];
  community: { actor: Actor; userId: string; organisationId: string | null };
}

const CRITERIA = 'Need in the neighbourhood | 2\nDifference it will make | 2\nValue for money | 1';

export async function seedDemoGrants(services: Services, authority: Authority, people: DemoGrantPeople): Promise<void> {
  const { grants, organisations, organisationPeople, places } = services;
  const today = londonToday();
  const wards = await places.listWards(authority.id);
  const rep = people.community;
  if (!rep.organisationId) return;
  // The representative is also a trustee of a youth charity, so the closed programme funded two organisations.
  const [youthTrust] = (await organisations.list(authority.id, { q: 'Stockwell Young People’s Trust' }, { limit: 1, offset: 0 })).rows;
  const repEmail = (await services.accounts.userById(rep.userId))?.email;
  if (youthTrust && repEmail) await organisationPeople.add(people.officer, authority.id, youthTrust.id, { email: repEmail, roleTitle: 'Trustee' });

  const apply = async (programmeId: string, organisationId: string, answers: Record<string, string>) =>
    grants.startApplication(rep.actor, authority.id, programmeId, rep.userId, { organisationId, ...answers });
  const scoreAll = async (applicationId: string, scores: [string, string, string][]) => {
    for (const [i, assessor] of people.panel.entries()) {
      const [c1, c2, c3] = scores[i % scores.length]!;
      await grants.assess(assessor, authority.id, applicationId, assessor.userId!, { 'score-c1': c1, 'score-c2': c2, 'score-c3': c3, comment: 'Demo assessment.' });
    }
  };

  // Closed: the grants are made.
  const capacity = await grants.createProgramme(people.officer, authority.id, {
    title: 'Community capacity fund (demo)',
    prospectus: 'Grants of up to £5,000 to help small voluntary and community organisations grow: training, equipment, volunteers’ expenses. (Demo data.)',
    minAmount: '500',
    maxAmount: '5,000',
    deadline: today,
    organisationTypes: ['voluntary_community', 'charity', 'social_enterprise', 'cooperative'],
    maxAnnualIncome: '250,000',
    criteria: CRITERIA,
  });
  type Made = [organisationId: string, answers: Record<string, string>, amount: string, scores: [string, string, string][]];
  const made: Made[] = [
    [rep.organisationId, { title: 'A second kitchen volunteer team', summary: 'Training and food hygiene certificates for twelve new volunteers, so the kitchen can open on Saturdays.', amountRequested: '3,200', wardId: wards[0]!.id, annualIncome: '42,000' }, '3,000', [['5', '4', '4'], ['4', '4', '3']]],
  ];
  if (youthTrust) made.push([youthTrust.id, { title: 'Summer sports sessions', summary: 'Six weeks of free football and netball sessions for 11 to 16 year olds in the summer holidays.', amountRequested: '4,800', wardId: wards[1]!.id, annualIncome: '180,000' }, '4,500', [['4', '5', '3'], ['4', '4', '4']]]);
  for (const [organisationId, answers, amount, scores] of made) {
    const application = await apply(capacity.id, organisationId, answers);
    await grants.submit(rep.actor, authority.id, application.id, rep.userId);
    await scoreAll(application.id, scores);
    await grants.recommend(people.officer, authority.id, application.id, { recommendation: 'recommended', reason: 'Clear local need and a realistic plan; the panel agreed its scores. (Demo data.)' });
    const award = await grants.award(people.officer, authority, application.id, {
      amount,
      conditions: 'Spend only on what the application describes; tell us at once of any change; send a report after six months and at the end. (Demo data.)',
      plannedStart: addDays(today, 14),
      plannedEnd: addDays(today, 14 + 364),
    });
    await grants.addReturn(people.officer, authority.id, award.id, { title: 'Six-month report', dueOn: addDays(today, 14 + 182) });
    await grants.addReturn(people.officer, authority.id, award.id, { title: 'End of grant report', dueOn: addDays(today, 14 + 364 + 28) });
  }
  await grants.closeProgramme(people.officer, authority.id, capacity.id, 'The grants have been made. (Demo data.)');

  // Open: applications are coming in.
  const cohesion = await grants.createProgramme(people.officer, authority.id, {
    title: 'Neighbourhood cohesion fund (demo)',
    prospectus: 'Grants for work that brings neighbours of different backgrounds together: shared meals, festivals, language cafés, intergenerational projects. (Demo data.)',
    minAmount: '250',
    maxAmount: '2,500',
    deadline: addDays(today, 45),
    maxAnnualIncome: '100,000',
    criteria: CRITERIA,
  });
  const sent = await apply(cohesion.id, rep.organisationId, { title: 'Windrush Day community lunch', summary: 'A free lunch on Windrush Day cooked by elders and young volunteers together, with music and stories.', amountRequested: '1,800', wardId: wards[0]!.id, annualIncome: '42,000' });
  await grants.submit(rep.actor, authority.id, sent.id, rep.userId);
  await grants.assess(people.panel[0]!, authority.id, sent.id, people.panel[0]!.userId!, { 'score-c1': '4', 'score-c2': '4', 'score-c3': '5', comment: 'Demo assessment.' });
  if (youthTrust) await apply(cohesion.id, youthTrust.id, { title: 'Language café', summary: 'Weekly' });
}
