/**
 * The demo borough: Lambeth's real wards (ONS), with made-up organisations,
 * services, people and members, labelled as demo data on every page.
 * Deterministic, so tests and benchmarks see the same data each time;
 * `scale` multiplies the services and organisations for load tests.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Role } from '../lib/auth/policy.ts';
import fs from 'node:fs';
import { seedDemoBudgets } from './demo-budgets.ts';
import { seedDemoGrants } from './demo-grants.ts';
import { seedDemoRightToChallenge } from './demo-right-to-challenge.ts';
import { seedDemoCommissioning } from './demo-commissioning.ts';
import { seedDemoPaymentByResults } from './demo-payment-by-results.ts';
import { seedDemoPlaceBudgets } from './demo-place-budgets.ts';
import { seedDemoProcurement } from './demo-procurement.ts';

export const DEMO_SLUG = 'lambeth-demo';
export const DEMO_PASSWORD = 'demo-password-2026';

/** The demo accounts the README lists: one per role. */
export const DEMO_ACCOUNTS: { email: string; displayName: string; role: Role; postcode?: string }[] = [
  { email: 'admin@demo.coproduce.example', displayName: 'Ada Admin', role: 'admin' },
  { email: 'officer@demo.coproduce.example', displayName: 'Olu Officer', role: 'officer' },
  { email: 'partner@demo.coproduce.example', displayName: 'Priya Partner', role: 'partner_officer' },
  { email: 'councillor@demo.coproduce.example', displayName: 'Cal Councillor', role: 'councillor' },
  { email: 'community@demo.coproduce.example', displayName: 'Chidi Community', role: 'community_rep' },
  { email: 'resident@demo.coproduce.example', displayName: 'Rosa Resident', role: 'resident', postcode: 'SW2 1RW' },
];

const SEED_ACTOR: Actor = { userId: null, role: 'system', via: 'system' };

const ORGANISATIONS: [string, string, string | null][] = [
  ['Lambeth Council (demo)', 'council', 'statutory_body'],
  ['South London Integrated Care Board (demo)', 'partner_agency', 'statutory_body'],
  ['Metropolitan Police, Lambeth (demo)', 'partner_agency', 'statutory_body'],
  ['Jobcentre Plus Brixton (demo)', 'partner_agency', 'statutory_body'],
  ['Windrush Homes Housing Association (demo)', 'partner_agency', 'community_benefit_society'],
  ['Acre Lane Community Kitchen', 'voluntary_community', 'unincorporated_association'],
  ['Stockwell Young People’s Trust', 'charity', 'cio'],
  ['Norwood Carers Network', 'charity', 'charitable_trust'],
  ['Vauxhall Food Co-operative', 'cooperative', 'cooperative_society'],
  ['Lambeth Youth Services Mutual', 'public_service_mutual', 'community_benefit_society'],
  ['Brixton Repair Café CIC', 'social_enterprise', 'cic'],
  ['Streatham Libraries Trust', 'charity', 'company_limited_by_guarantee'],
  ['Kennington Green Spaces Ltd', 'sme', 'company_limited_by_shares'],
  ['Lambeth Leisure Trading Company (demo)', 'trading_company', 'company_limited_by_shares'],
  ['Herne Hill Domiciliary Care Ltd', 'private_company', 'company_limited_by_shares'],
];

const OUTCOMES = [
  'People feel safe in their neighbourhood',
  'Young people are in education, employment or training',
  'Older people live independently at home',
  'Residents are physically active',
  'Families have enough to eat',
  'Neighbourhoods are clean and green',
];

/** [name, category, directorate, delivery model, provider index, outcome indexes, budget in pounds] */
const SERVICES: [string, string, string, string, number, number[], number][] = [
  ['Adult day centre', 'Adult social care', 'Adults and Health', 'in_house', 0, [2], 1_250_000],
  ['Home care for older people', 'Adult social care', 'Adults and Health', 'contracted', 14, [2], 8_400_000],
  ['Carers’ support and respite', 'Adult social care', 'Adults and Health', 'grant_funded', 7, [2], 420_000],
  ['Youth clubs and detached youth work', 'Children and young people', 'Children’s Services', 'mutual', 9, [0, 1], 2_100_000],
  ['Mentoring for young people leaving care', 'Children and young people', 'Children’s Services', 'grant_funded', 6, [1], 310_000],
  ['Community food hubs', 'Food and poverty', 'Communities', 'community_run', 5, [4], 180_000],
  ['Food co-operative for low-income families', 'Food and poverty', 'Communities', 'cooperative', 8, [4], 95_000],
  ['Libraries and digital inclusion', 'Libraries and culture', 'Communities', 'contracted', 11, [1], 3_600_000],
  ['Leisure centres', 'Leisure and sport', 'Communities', 'trading_company', 13, [3], 5_200_000],
  ['Parks maintenance', 'Parks and open spaces', 'Environment', 'contracted', 12, [5], 2_900_000],
  ['Community gardening and tree planting', 'Parks and open spaces', 'Environment', 'community_run', 5, [5], 60_000],
  ['Repair cafés and waste reduction', 'Waste and recycling', 'Environment', 'grant_funded', 10, [5], 45_000],
  ['Neighbourhood policing partnership', 'Community safety', 'Communities', 'shared_service', 2, [0], 1_100_000],
  ['Employment support hub', 'Employment and skills', 'Growth', 'shared_service', 3, [1], 750_000],
  ['Social prescribing link workers', 'Public health', 'Adults and Health', 'shared_service', 1, [2, 3], 640_000],
  ['Housing advice and homelessness prevention', 'Housing', 'Housing', 'in_house', 0, [0], 4_300_000],
  ['Supported housing for young people', 'Housing', 'Housing', 'contracted', 4, [1], 2_700_000],
];

/** Put each service in a few wards, spread deterministically across the borough. */
const wardsFor = (i: number, wardCount: number): number[] => {
  const n = 3 + (i % 5);
  return Array.from({ length: n }, (_, k) => (i * 7 + k * 5) % wardCount);
};

/** Seed only a brand-new database: never add demo data beside a council's real data. */
export async function seedDemoIfEmpty(services: Services): Promise<boolean> {
  if ((await services.places.listAuthorities()).length > 0) return false;
  await seedDemo(services);
  return true;
}

export async function seedDemo(services: Services, options: { scale?: number; slug?: string; withAccounts?: boolean } = {}) {
  const scale = options.scale ?? 1;
  const authority = await services.places.createAuthority(SEED_ACTOR, {
    slug: options.slug ?? DEMO_SLUG,
    name: 'London Borough of Lambeth (demo)',
    gssCode: 'E09000022',
    isDemo: true,
  });
  const wards = await services.places.listWards(authority.id);

  const orgIds: string[] = [];
  for (let copy = 0; copy < scale; copy++) {
    for (const [name, type, legalForm] of ORGANISATIONS) {
      const org = await services.organisations.create(SEED_ACTOR, authority.id, {
        name: copy === 0 ? name : `${name} ${copy + 1}`,
        type,
        legalForm,
        employeeOwned: type === 'public_service_mutual' ? 'yes' : 'no',
        description: `${name} works with residents across Lambeth. (Demo data.)`,
      });
      orgIds.push(org.id);
    }
  }
  const outcomeIds: string[] = [];
  for (const title of OUTCOMES) outcomeIds.push((await services.outcomes.create(SEED_ACTOR, authority.id, { title })).id);

  let i = 0;
  for (let copy = 0; copy < scale; copy++) {
    for (const [name, category, directorate, deliveryModel, provider, outcomes, budget] of SERVICES) {
      for (const area of ['North', 'South']) {
        await services.catalogue.create(SEED_ACTOR, authority.id, {
          name: `${name} – ${area} Lambeth${copy ? ` ${copy + 1}` : ''}`,
          description: `${name} for residents of ${area.toLowerCase()} Lambeth. (Demo data.)`,
          category,
          directorate,
          deliveryModel,
          providerOrganisationId: orgIds[copy * ORGANISATIONS.length + provider],
          annualBudgetPence: Math.round(budget / 2) * 100,
          wardIds: wardsFor(i, wards.length).map((w) => wards[w]!.id),
          outcomeIds: outcomes.map((o) => outcomeIds[o]!),
        });
        i++;
      }
    }
  }

  if (options.withAccounts !== false) {
    const made = new Map<Role, { userId: string; organisationId: string | null }>();
    for (const account of DEMO_ACCOUNTS) {
      const orgIndex = account.role === 'community_rep' ? 5 : account.role === 'partner_officer' ? 1 : null;
      const user = await services.accounts.createUser(SEED_ACTOR, {
        authorityId: authority.id,
        email: account.email,
        displayName: account.displayName,
        password: DEMO_PASSWORD,
        roles: [account.role],
        organisationId: orgIndex === null ? null : orgIds[orgIndex],
      });
      if (orgIndex !== null) {
        const roleTitle = account.role === 'community_rep' ? 'Chair' : 'Partnership manager';
        await services.organisationPeople.add(SEED_ACTOR, authority.id, orgIds[orgIndex]!, { email: account.email, roleTitle });
      }
      made.set(account.role, { userId: user.id, organisationId: orgIndex === null ? null : orgIds[orgIndex]! });
      if (account.postcode) {
        await services.membership.join({ userId: user.id, role: 'resident', via: 'system' }, authority, user.id, { postcode: account.postcode, confirmResident: 'yes' });
      }
    }
    // Real published spending (Lambeth, June 2012), so the open data page shows a council's actual payments.
    await services.transparency.importFile(SEED_ACTOR, authority.id, 'London Borough of Lambeth', {
      fileName: 'lambeth_2012-06_invoices-over-500_report-export.csv',
      publisher: 'London Borough of Lambeth',
      bytes: fs.readFileSync(new URL('../../reference-data/transparency/lambeth_2012-06_invoices-over-500_report-export.csv', import.meta.url)),
    });
    const as = (role: Role): Actor => ({ userId: made.get(role)!.userId, role, via: 'system' });
    await seedDemoBudgets(services, authority, {
      officer: as('officer'),
      resident: { actor: as('resident'), userId: made.get('resident')!.userId },
      community: { actor: as('community_rep'), ...made.get('community_rep')! },
    });
    await seedDemoGrants(services, authority, {
      officer: as('officer'),
      panel: [as('councillor'), as('partner_officer')],
      community: { actor: as('community_rep'), ...made.get('community_rep')! },
    });
    const community = made.get('community_rep')!;
    await seedDemoRightToChallenge(services, authority, { officer: as('officer'), community: { actor: { ...as('community_rep'), userId: community.userId }, organisationId: community.organisationId } });
    await seedDemoCommissioning(services, authority, as('officer'));
    await seedDemoPaymentByResults(services, authority, { officer: as('officer'), partner: as('partner_officer'), providerOrganisationId: made.get('partner_officer')!.organisationId! });
    await seedDemoPlaceBudgets(services, authority, { officer: as('officer'), partner: { actor: as('partner_officer'), email: DEMO_ACCOUNTS.find((a) => a.role === 'partner_officer')!.email } });
    await seedDemoProcurement(services, authority, { officer: as('officer'), organisationId: (name) => orgIds[ORGANISATIONS.findIndex(([n]) => n === name)]! });
  }
  return authority;
}
