/**
 * The route × role matrix: every route the app registers, requested by every
 * role of the authority (and by an administrator of another authority, and by
 * someone signed out), through pages and the API. Each answer must match the
 * access table below — written out here, independently of policy.ts, so that
 * a change to who-can-do-what has to be made twice, on purpose. And whatever
 * arrives, with an empty form or body, nothing answers 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ROLES, type Action, type Role } from '../src/lib/auth/policy.ts';
import type { RouteEntry } from '../src/lib/http/types.ts';
import { SESSION_COOKIE } from '../src/modules/accounts/routes.ts';
import { newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

type Access = 'anyone' | 'signed-in' | 'signed-out-or-own-authority' | readonly Role[];

/** Who may do what. Role lists mean: signed in with that role, in the authority acted on. */
const ACCESS: Record<Action, Access> = {
  'public.view': 'anyone',
  'account.sign-in': 'anyone',
  'account.view': 'signed-in',
  'dashboard.view': 'signed-in',
  'membership.join': 'signed-out-or-own-authority',
  'membership.manage': ['officer', 'admin'],
  'organisations.manage': ['officer', 'admin'],
  'catalogue.manage': ['officer', 'admin'],
  'budgets.manage': ['officer', 'admin'],
  'budgets.take-part': ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor', 'admin'],
  'spend.manage': ['officer', 'admin'],
  'grants.manage': ['officer', 'admin'],
  'grants.apply': ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor', 'admin'],
  'grants.assess': ['officer', 'partner_officer', 'councillor', 'admin'],
  'challenge.express': ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor', 'admin'],
  'challenge.manage': ['officer', 'admin'],
  'outcomes.manage': ['officer', 'admin'],
  'commissioning.manage': ['officer', 'admin'],
  'pbr.view': ['officer', 'partner_officer', 'councillor', 'admin'],
  'pbr.manage': ['officer', 'admin'],
  'pbr.evidence': ['officer', 'partner_officer', 'admin'],
  'pbr.identity': ['officer'],
  'place-budgets.view': ['officer', 'partner_officer', 'admin'],
  'place-budgets.move': ['officer', 'partner_officer', 'admin'],
  'place-budgets.manage': ['officer', 'admin'],
  'procurement.manage': ['officer', 'admin'],
  'procurement.bid': ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor', 'admin'],
  'audit.view': ['admin'],
  'outbox.view': ['admin'],
  'users.manage': ['admin'],
};

interface Caller {
  label: string;
  role: Role | null;
  /** 'home' = the authority in the URLs; 'elsewhere' = another council. */
  authority: 'home' | 'elsewhere' | null;
  userId?: string;
  authorityId?: string;
  apiToken?: string;
}

function allowed(access: Access, caller: Caller, routeNamesAuthority: boolean): boolean {
  const inAuthority = !routeNamesAuthority || caller.authority === 'home';
  if (access === 'anyone') return true;
  if (access === 'signed-in') return caller.role !== null;
  if (access === 'signed-out-or-own-authority') return caller.role === null || inAuthority;
  return caller.role !== null && inAuthority && access.includes(caller.role);
}

describe('route × role policy matrix', () => {
  let ctx: TestContext;
  let routes: RouteEntry[];
  const callers: Caller[] = [];
  let params: (url: string) => string;
  let csrf: { cookie: string; token: string };

  beforeAll(async () => {
    ctx = await startTestApp();
    const { services } = ctx;
    const home = await newAuthority(services, 'Matrix Borough');
    const elsewhere = await newAuthority(services, 'Elsewhere Borough');
    const lambethPostcode = 'SW2 1RW';

    callers.push({ label: 'signed out', role: null, authority: null });
    for (const role of ROLES) {
      const user = await newUser(services, home.id, role, role === 'resident' ? { postcode: lambethPostcode } : {});
      callers.push({ label: role, role, authority: 'home', userId: user.id, authorityId: home.id });
    }
    const otherAdmin = await newUser(services, elsewhere.id, 'admin');
    callers.push({ label: 'admin of another authority', role: 'admin', authority: 'elsewhere', userId: otherAdmin.id, authorityId: elsewhere.id });
    for (const c of callers) {
      if (c.userId) c.apiToken = (await services.accounts.createApiToken(TEST_ACTOR, c.userId, 'matrix')).token;
    }

    const organisation = await services.organisations.create(TEST_ACTOR, home.id, { name: 'Matrix Community Trust', type: 'charity' });
    const service = await services.catalogue.create(TEST_ACTOR, home.id, { name: 'Matrix library service', category: 'Libraries', deliveryModel: 'in_house', annualBudget: '1000', status: 'active' });
    const member = await newUser(services, home.id, 'resident', { postcode: lambethPostcode });
    const { membership } = await services.membership.join(TEST_ACTOR, home, member.id, { postcode: lambethPostcode, confirmResident: 'yes' });
    const [ward] = await services.places.listWards(home.id);
    const person = await services.organisationPeople.add(TEST_ACTOR, home.id, organisation.id, { email: member.email, roleTitle: 'Volunteer' });
    const round = await services.budgets.createRound(TEST_ACTOR, home.id, { title: 'Matrix fund', budget: '1000', ballotKind: 'approval', countingRule: 'mes_cost' });
    const challenger = { userId: member.id, role: 'resident', via: 'web' as const };
    const statutory = { area: 'Matrix ward', financialResources: 'Reserves.', capabilityEvidence: 'Staff.', outcomes: 'Outcomes.', wellBeing: 'Well-being.', serviceUsers: 'Users.' };
    const expression = await services.rightToChallenge.createDraft(challenger, home.id, { bodyKind: 'organisation', organisationId: organisation.id, serviceId: service.id, ...statutory });
    await services.rightToChallenge.submit(challenger, home.id, expression.id);
    const proposal = await services.budgets.propose(TEST_ACTOR, home.id, round.id, { title: 'Matrix project', description: 'A project for the matrix.', cost: '100' }, { userId: member.id, organisationId: null });

    const programme = await services.grants.createProgramme(TEST_ACTOR, home.id, { title: 'Matrix grants', prospectus: 'Grants for the matrix to test.', minAmount: '100', maxAmount: '1000', deadline: '2099-12-31', criteria: 'Need' });
    const outcome = await services.outcomes.create(TEST_ACTOR, home.id, { title: 'Matrix outcome' });
    const indicator = await services.outcomes.addIndicator(TEST_ACTOR, home.id, outcome.id, { code: 'MATRIX', title: 'Matrix indicator', unit: '%', direction: 'higher', baselineValue: '1', baselineOn: '2025-01-01', targetValue: '2', targetOn: '2027-01-01', source: 'The matrix' });
    const project = await services.commissioning.create(TEST_ACTOR, home.id, { title: 'Matrix commissioning', summary: 'A project for the matrix.', serviceIds: [service.id] });
    const pbrContract = await services.paymentByResults.createContract(TEST_ACTOR, home.id, { name: 'Matrix families', providerOrganisationId: organisation.id, template: 'troubled-families-phase-1', startDate: '2012-04-01', endDate: '2015-03-31' });
    const family = await services.paymentByResults.addParticipant(TEST_ACTOR, home.id, pbrContract.id, { name: 'Matrix family', attachedOn: '2012-10-01', criteriaMet: ['education', 'out_of_work', 'high_cost'] });
    const { outcomes: pbrOutcomes } = await services.paymentByResults.terms(home.id, pbrContract.id);
    const toWork = pbrOutcomes.find((o) => o.key === 'progress_to_work')!;
    await services.paymentByResults.recordEvidence(TEST_ACTOR, home.id, pbrContract.id, family.id, { measure: toWork.conditions[0]!.measure, periodStart: '2012-11-01', periodEnd: '2012-11-01', value: '1', source: 'Work Programme referral' });
    const pbrClaim = await services.paymentByResults.makeClaim(TEST_ACTOR, home.id, pbrContract.id, family.id, { outcomeId: toWork.id, claimDate: '2012-12-01' });
    const partnerOrganisation = await services.organisations.create(TEST_ACTOR, home.id, { name: 'Matrix NHS', type: 'partner_agency' });
    const board = await services.placeBudgets.createBoard(TEST_ACTOR, home.id, { name: 'Matrix board', decisionRule: 'majority', partners: [organisation.id, partnerOrganisation.id] });
    const pooled = await services.placeBudgets.createBudget(TEST_ACTOR, home.id, board.id, { name: 'Matrix pool', startsOn: '2026-04-01', years: '5', outcomes: [outcome.id] });
    const boardPartner = (await services.placeBudgets.getBoard(home.id, board.id)).partners[0]!;
    const businessCase = await services.placeBudgets.saveCase(TEST_ACTOR, home.id, null, { title: 'Matrix case', years: '2', cost0Year: '0', cost0Amount: '100', cost0Payer: 'Council' });
    const tender = await services.procurement.createTender(TEST_ACTOR, home.id, {
      title: 'Matrix befriending', description: 'Befriending for the matrix.', serviceArea: 'Adult social care', cpvCode: '85311000-2', contractType: 'light_touch',
      valueExVat: '50,000', valueInclVat: '60,000', procedure: 'open', termMonths: '12', clarificationsCloseOn: '2099-01-01', closesOn: '2099-02-01', priceWeight: '50', qualityWeight: '50', socialValueWeight: '0',
    });

    params = (url) =>
      url.replace(/:(\w+)/g, (_m, name: string) => {
        if (name === 'authority') return home.slug;
        if (name === 'ward') return ward!.gssCode;
        if (name === 'token') return randomBytes(16).toString('hex');
        if (name === 'postcode') return 'SW21RW';
        if (name === 'personId') return person.id;
        if (name === 'round') return round.id;
        if (name === 'dataset') return 'spend-over-500';
        if (name === 'quarter') return '2024-Q1.csv';
        if (name === 'area') return round.areas[0]!.id;
        if (name === 'programme') return programme.id;
        // No application or grant yet: these answer 404 to whoever may ask.
        if (name === 'application' || name === 'award' || name === 'return') return '00000000-0000-4000-8000-000000000000';
        if (name === 'outcome') return outcome.id;
        if (name === 'indicator') return indicator.id;
        if (name === 'project') return project.id;
        if (name === 'contract') return pbrContract.id;
        if (name === 'participant') return family.id;
        if (name === 'claim') return pbrClaim.id;
        // No import is running: the page answers 404 to whoever may ask.
        if (name === 'job') return '00000000-0000-4000-8000-000000000000';
        if (name === 'board') return board.id;
        if (name === 'budget') return pooled.id;
        if (name === 'partner') return boardPartner.id;
        if (name === 'kind') return 'contribution';
        if (name === 'case') return businessCase.id;
        // Nothing is in delivery here: these answer 404 to whoever may ask, which is still not a refusal.
        if (name === 'tender') return tender.id;
        // No question, contract, KPI, report or planned procurement exists here: 404 to whoever may ask.
        if (name === 'question' || name === 'contract' || name === 'kpi' || name === 'report' || name === 'planned') return '00000000-0000-4000-8000-000000000000';
        if (name === 'commitment' || name === 'milestone' || name === 'picture' || name === 'flag') return '00000000-0000-4000-8000-000000000000';
        if (name === 'id') {
          if (url.includes('/organisations/')) return organisation.id;
          if (url.includes('/services/')) return service.id;
          if (url.includes('/members/')) return membership.id;
          if (url.includes('/budgets/')) return proposal.id;
          if (url.includes('/right-to-challenge/')) return expression.id;
        }
        throw new Error(`The matrix does not know what to put in :${name} of ${url}: add it here`);
      });

    // One CSRF secret and token, so refusals are the policy's and not CSRF's.
    const page = await ctx.app.inject({ method: 'GET', url: '/sign-in' });
    const cookie = page.cookies.find((c) => c.name === '_csrf')!;
    csrf = { cookie: cookie.value, token: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };

    routes = ctx.app.routeTable.filter((r) => r.method !== 'HEAD');
  });
  afterAll(() => ctx.close());

  it('covers every route the app serves, pages and API', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.some((r) => r.url.startsWith('/api/v1/'))).toBe(true);
    expect(routes.some((r) => r.method === 'POST' && !r.url.startsWith('/api/'))).toBe(true);
  });

  // Every route × nine callers, one request each: on two shared cores this outgrows the default 30 s.
  it('answers every route for every caller exactly as the access table says, and never with a 500', async () => {
    const mismatches: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const url = params(route.url);
      const isApi = route.url.startsWith('/api/');
      const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
      for (const caller of callers) {
        const headers: Record<string, string> = {};
        const cookies: Record<string, string> = { _csrf: csrf.cookie };
        if (caller.userId) {
          if (isApi) headers.authorization = `Bearer ${caller.apiToken}`;
          // A fresh session each time: one of the routes is sign-out.
          else cookies[SESSION_COOKIE] = await ctx.services.accounts.openSession({ id: caller.userId, authorityId: caller.authorityId! }, 'user.sign-in');
        }
        const res = await ctx.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          cookies,
          ...(unsafe ? (isApi ? { payload: {} } : { payload: { _csrf: csrf.token } }) : {}),
        });
        requests += 1;
        const expectAllowed = allowed(ACCESS[route.action], caller, route.url.includes(':authority'));
        const refused =
          res.statusCode === 401 || res.statusCode === 403 || (res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in?returnTo='));
        const where = `${route.method} ${route.url} as ${caller.label} → ${res.statusCode}`;
        if (res.statusCode >= 500) mismatches.push(`${where}: server error ${res.body.slice(0, 200)}`);
        else if (expectAllowed && refused) mismatches.push(`${where}: refused, but ${route.action} should allow it`);
        else if (!expectAllowed && !refused) mismatches.push(`${where}: allowed, but ${route.action} should refuse it`);
        else if (!expectAllowed) {
          // Refusals take the right form: API JSON 401/403; pages send signed-out readers to sign in.
          const expected = isApi ? (caller.role ? 403 : 401) : caller.role ? 403 : unsafe ? 401 : 303;
          if (res.statusCode !== expected) mismatches.push(`${where}: refused with ${res.statusCode}, expected ${expected}`);
          if (isApi && !res.json().error?.code) mismatches.push(`${where}: API refusal without {error:{code}}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(requests).toBe(routes.length * callers.length);
  }, 300_000); // every route × nine callers, one after another: a ceiling for a loaded two-core machine, not a speed check

  it('holds the routes added since, under the action the access table gives them', () => {
    // Deciding not to award one lot is the council's decision (s.55): officers and administrators only.
    const actionOf = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.action;
    expect(actionOf('POST', '/a/:authority/procurement/tenders/:tender/lots/not-awarded')).toBe('procurement.manage');
  });

  it('names an access rule for every action a route uses', () => {
    for (const route of routes) expect(ACCESS[route.action], `${route.method} ${route.url}`).toBeDefined();
  });
});
