/**
 * The demo borough's outcomes framework and commissioning cycle: indicators with made-up figures
 * for the whole borough and some wards (imported as a measurements file, as an officer would), a
 * service in each stage of the cycle, sessions residents can still join, and a market position
 * statement. All made up, and labelled so.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { addDays, londonToday } from '../lib/dates.ts';

/** [outcome title, code, indicator, unit, direction, baseline, target, source, yearly whole-borough figures from 2022] */
const INDICATORS: [string, string, string, string, 'higher' | 'lower', number, number, string, number[]][] = [
  ['Young people are in education, employment or training', 'NEET-16-17', '16 and 17 year olds not in education, employment or training', '%', 'lower', 6.2, 4, 'DfE NEET and participation statistics (demo figures)', [6.2, 5.9, 5.6, 5.1]],
  ['Older people live independently at home', 'ASCOF-2A', 'Older people moved into care homes', 'per 100,000 aged 65+', 'lower', 640, 520, 'NHS Digital ASCOF 2A (demo figures)', [640, 655, 610, 590]],
  ['Families have enough to eat', 'FOOD-INSEC', 'Households going without food in the last month', '%', 'lower', 14, 9, 'Lambeth residents’ survey (demo figures)', [14, 15.5, 13.2, 12.4]],
  ['People feel safe in their neighbourhood', 'SAFE-DARK', 'Residents who feel safe outside after dark', '%', 'higher', 58, 70, 'Lambeth residents’ survey (demo figures)', [58, 59, 62, 63]],
];

const serviceNamed = async (services: Services, authorityId: string, name: string) => {
  const { rows } = await services.catalogue.list(authorityId, { q: name }, { limit: 1, offset: 0 });
  if (!rows[0]) throw new Error(`The demo has no service called ${name}`);
  return rows[0].id;
};

export async function seedDemoCommissioning(services: Services, authority: Authority, officer: Actor): Promise<void> {
  const { outcomes, commissioning, places } = services;
  const today = londonToday();
  const id = authority.id;

  // Indicators, and four years of figures for the borough and three wards, as one measurements file.
  const outcomeIds = new Map((await outcomes.list(id)).map((o) => [o.title, o.id]));
  const wards = (await places.listWards(id)).slice(0, 3);
  const lines = ['indicator,ward,date,value'];
  for (const [outcome, code, title, unit, direction, baseline, target, source, figures] of INDICATORS) {
    await outcomes.addIndicator(officer, id, outcomeIds.get(outcome)!, { code, title, unit, direction, baselineValue: String(baseline), baselineOn: '2022-03-31', targetValue: String(target), targetOn: '2028-03-31', source });
    figures.forEach((value, year) => {
      const on = `${2022 + year}-03-31`;
      lines.push(`${code},,${on},${value}`);
      // Wards differ from the borough a little, each its own way.
      wards.forEach((w, k) => lines.push(`${code},${w.gssCode},${on},${Math.round(value * (0.85 + 0.15 * k + 0.02 * year) * 10) / 10}`));
    });
  }
  await outcomes.importMeasurements(officer, id, { fileName: 'demo-measurements.csv', bytes: new TextEncoder().encode(lines.join('\n')) });

  const project = async (title: string, summary: string, serviceName: string, takePart?: string) =>
    (await commissioning.create(officer, id, { title, summary, takePart, serviceIds: [await serviceNamed(services, id, serviceName)] })).id;
  const analysed = { needsEvidence: 'Joint strategic needs assessment 2025 (demo)', needsData: 'Use of the service by ward, 2019 to 2025 (demo)', residentInsight: 'A survey of 380 residents and two focus groups (demo)', currentPerformance: 'Meets four of its six targets (demo)', currentCost: '1,250,000' };
  const heldSession = (title: string, daysAgo: number, decided: string) => ({ heldOn: addDays(today, -daysAgo), title, 'participants.residents': '12', 'participants.service_users': '7', 'participants.carers': '3', 'participants.staff': '5', 'participants.providers': '2', proposed: 'Ideas gathered on sticky notes and voted on (demo)', decided });
  const upcoming = (title: string, inDays: number, where: string) => ({ heldOn: addDays(today, inDays), title, howToJoin: `${where}. Everyone welcome; tell us if you need support to come (demo).` });

  // Analyse: home care, with the needs assessment under way and a session residents can join.
  const homeCare = await project('Home care for older people (demo)', 'How home care for older people is arranged when the current contracts end in 2028.', 'Home care for older people – North', 'Fill in the home care survey at any library, or ask your care worker for a paper copy.');
  await commissioning.record(officer, id, homeCare, 'analysis', { needsEvidence: analysed.needsEvidence, needsData: analysed.needsData });
  await commissioning.addSession(officer, id, homeCare, upcoming('What good home care looks like: open meeting', 12, 'Brixton Library, Brixton Oval, 6pm to 8pm'));

  // Plan: youth services, with co-design held, two options appraised and one still to choose.
  const youth = await project('Youth clubs and detached youth work (demo)', 'How youth work is run across the borough from April 2027, designed with young people.', 'Youth clubs and detached youth work – North');
  await commissioning.record(officer, id, youth, 'analysis', analysed);
  await commissioning.advance(officer, id, youth);
  await commissioning.addSession(officer, id, youth, heldSession('Young people’s design day', 20, 'Keep clubs open until 9pm on Fridays; young people sit on the panel that chooses the provider'));
  await commissioning.addSession(officer, id, youth, upcoming('Options evening with young people and youth workers', 9, 'Marcus Lipton Youth Centre, 5pm to 7pm'));
  await commissioning.appraise(officer, id, youth, { model: 'mutual', assessment: 'Youth workers’ mutual, spun out in 2020, continues with a new agreement: keeps staff and trust (demo).', annualCost: '2,100,000' });
  await commissioning.appraise(officer, id, youth, { model: 'community_led', assessment: 'Young people and community groups commission clubs ward by ward: closest to need, slower to set up (demo).', annualCost: '2,000,000' });
  await commissioning.record(officer, id, youth, 'plan', { intentions: 'From April 2027 the council intends to fund youth work in every ward, with young people deciding together with the council who runs it (demo).' });

  // Do: libraries, handed off to procurement.
  const libraries = await project('Libraries and digital inclusion (demo)', 'How libraries and help getting online are provided from 2027.', 'Libraries and digital inclusion – North');
  await commissioning.record(officer, id, libraries, 'analysis', analysed);
  await commissioning.advance(officer, id, libraries);
  await commissioning.addSession(officer, id, libraries, heldSession('Library users’ workshop', 60, 'Digital help sessions in every library every week'));
  await commissioning.appraise(officer, id, libraries, { model: 'in_house', assessment: 'Bring the service back in-house: control, but higher costs (demo).', annualCost: '3,900,000' });
  await commissioning.appraise(officer, id, libraries, { model: 'contract', assessment: 'A new contract with social value and digital inclusion targets (demo).', annualCost: '3,500,000' });
  await commissioning.record(officer, id, libraries, 'plan', { intentions: 'The council intends to let a five-year libraries contract from 2027 with digital inclusion at its heart (demo).', chosenOption: 'contract', chosenReasons: 'Residents valued the current provider’s reach; the contract adds digital help and costs less (demo).' });
  await commissioning.advance(officer, id, libraries);
  await commissioning.record(officer, id, libraries, 'handoff', { handoffKind: 'procurement', handoffReference: 'LBL-PROC-2026-041 (demo)' });

  // Review: community food hubs, a year on.
  const food = await project('Community food hubs (demo)', 'Whether the community food hubs continue, change or end after their first year.', 'Community food hubs – North');
  await commissioning.record(officer, id, food, 'analysis', { ...analysed, currentCost: '180,000' });
  await commissioning.advance(officer, id, food);
  await commissioning.addSession(officer, id, food, heldSession('Food hub volunteers and users meeting', 400, 'Open three evenings a week, with advice on benefits'));
  await commissioning.appraise(officer, id, food, { model: 'grant', assessment: 'Grant to the food hubs network (demo).', annualCost: '180,000' });
  await commissioning.appraise(officer, id, food, { model: 'community_led', assessment: 'The network commissions its own hubs with a council budget (demo).', annualCost: '190,000' });
  await commissioning.record(officer, id, food, 'plan', { intentions: 'Fund community food hubs for a year and review with the people who use them (demo).', chosenOption: 'grant', chosenReasons: 'Quickest way to open hubs before winter (demo).' });
  await commissioning.advance(officer, id, food);
  await commissioning.record(officer, id, food, 'handoff', { handoffKind: 'grant_programme', handoffReference: 'Community food grants 2025 (demo)', handoffOn: addDays(today, -380) });
  await commissioning.advance(officer, id, food);
  await commissioning.record(officer, id, food, 'review', { performanceReview: 'Households going without food fell from 15.5% to 12.4% (demo).', residentsSaid: 'Users want weekend opening and fresh food (demo).' });
  await commissioning.addSession(officer, id, food, upcoming('Food hubs review: have your say', 16, 'Stockwell Community Centre, 11am to 1pm'));

  await commissioning.publishStatement(officer, id, {
    title: 'Commissioning for a co-operative Lambeth (demo)',
    covers: '2026 to 2029',
    body: [
      'Over the next three years the council will commission more services with the people who use them, and more of them from community organisations, co-operatives and mutuals. (Demo text.)',
      'We expect to need more home care that helps older people stay independent, youth work in every ward, and community food support. We will say in our commissioning intentions what we plan to commission and when.',
      'Providers, community groups and residents can take part in co-design sessions for each service; they are listed on the commissioning page.',
    ].join('\n\n'),
  });
}
