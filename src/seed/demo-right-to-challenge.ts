/**
 * The demo borough's Community Right to Challenge: published settings with a submission period
 * around the day the demo is seeded, and an expression of interest in every state, each dated
 * back from that day so the deadlines dashboard has something due soon, on track and done.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, londonToday } from '../lib/dates.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const words = (date: string) => `${Number(date.slice(8))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

interface Challenger {
  actor: Actor & { userId: string };
  organisationId: string | null;
}

const CONTENT = {
  financialResources: 'Annual income of £180,000 (demo), three months’ running costs in reserve, and a pledge of support from a local trust.',
  capabilityEvidence: 'Ten years running community services in the area; by the time of procurement we will have a service manager and safeguarding lead in post.',
  outcomes: 'More residents reached, shorter waits, and a service shaped by the people who use it.',
  wellBeing: 'Local jobs and volunteering, money spent with local suppliers, and less food and material waste.',
  serviceUsers: 'Users sit on our board, and every change is tried with them first.',
};

export async function seedDemoRightToChallenge(services: Services, authority: Authority, people: { officer: Actor; community: Challenger }): Promise<void> {
  const rtc = services.rightToChallenge;
  const today = londonToday();
  const since = addDays(today, -365);
  // A period each year from 60 days before the seeding day to 60 days after: most of the demo's
  // interests came in it, and one came before it opened.
  await rtc.publishSettings(
    people.officer,
    authority.id,
    { submission: 'windows', windows: `${words(addDays(today, -60))} to ${words(addDays(today, 60))}`, timescaleNoticeDays: '30', warnDays: '14', decisionPeriodLength: '3', decisionPeriodUnit: 'months', procurementMinLength: '6', procurementMinUnit: 'months', procurementMaxLength: '12', procurementMaxUnit: 'months' },
    since,
  );
  const serviceIds = new Map((await services.catalogue.choices(authority.id)).map(([id, name]) => [name, id]));
  const serviceId = (name: string) => serviceIds.get(name)!;
  const { actor, organisationId } = people.community;

  const draft = (service: string, area: string, extra: Record<string, unknown> = CONTENT) =>
    rtc.createDraft(actor, authority.id, { bodyKind: 'organisation', organisationId, serviceId: serviceId(service), area, ...extra });
  const submitted = async (service: string, area: string, daysAgo: number) => {
    const e = await draft(service, area);
    await rtc.submit(actor, authority.id, e.id, addDays(today, -daysAgo));
    return e.id;
  };
  const received = async (service: string, area: string, daysAgo: number, decideIn: number) => {
    const id = await submitted(service, area, daysAgo);
    const on = addDays(today, -daysAgo);
    await rtc.acknowledge(people.officer, authority.id, id, { receivedOn: on, decideBy: addDays(on, decideIn) }, on);
    return id;
  };
  const considering = async (service: string, area: string, daysAgo: number, decideIn: number) => {
    const id = await received(service, area, daysAgo, decideIn);
    await rtc.startConsideration(people.officer, authority.id, id, addDays(today, -daysAgo + 1));
    return id;
  };

  // A draft that does not yet say how it would meet users' needs.
  await draft('Community gardening and tree planting – North Lambeth', 'Stockwell and Vassall', { ...CONTENT, serviceUsers: '' });
  await submitted('Community food hubs – North Lambeth', 'Stockwell, Vassall and Oval', 2);
  // Before this year's period opened: marked as not requiring consideration.
  const early = await submitted('Repair cafés and waste reduction – North Lambeth', 'Brixton', 90);
  await rtc.acknowledge(people.officer, authority.id, early, { receivedOn: addDays(today, -90) }, addDays(today, -90));
  await received('Community food hubs – South Lambeth', 'Streatham and Norwood', 10, 50);
  // Due to be decided within days: the dashboard warns of it.
  await considering('Carers’ support and respite – South Lambeth', 'Knights Hill and Streatham Common', 45, 50);

  const proposed = await considering('Adult day centre – North Lambeth', 'Brixton Acre Lane', 40, 60);
  await rtc.decide(people.officer, authority.id, proposed, { outcome: 'modify', grounds: ['NOT_SUITABLE'], modification: 'Name a registered manager for the day centre before procurement starts.', reasons: 'The expression of interest names no registered manager, which the service must have. (Demo data.)' }, today);

  const accepted = await considering('Libraries and digital inclusion – North Lambeth', 'Kennington and Oval', 55, 30);
  await rtc.decide(people.officer, authority.id, accepted, { outcome: 'accept', reasons: 'A well-evidenced interest from a trusted local body. (Demo data.)', decidedOn: addDays(today, -30) }, addDays(today, -30));

  const modified = await considering('Youth clubs and detached youth work – South Lambeth', 'Streatham Hill and St Leonard’s', 58, 40);
  await rtc.decide(people.officer, authority.id, modified, { outcome: 'modify', grounds: ['INFO_INADEQUATE'], modification: 'Give audited accounts for the last two years.', reasons: 'The accounts given were unaudited. (Demo data.)', decidedOn: addDays(today, -25) }, addDays(today, -25));
  await rtc.respond(actor, authority.id, modified, { agree: 'yes' }, addDays(today, -20));

  const rejected = await considering('Leisure centres – South Lambeth', 'Streatham Wells', 50, 40);
  await rtc.decide(people.officer, authority.id, rejected, { outcome: 'reject', grounds: ['ALREADY_PROCURING', 'IN_NEGOTIATION'], reasons: 'The leisure centres contract is out to tender, and the council is in written negotiations with the bidders. (Demo data.)', decidedOn: addDays(today, -15) }, addDays(today, -15));
}
