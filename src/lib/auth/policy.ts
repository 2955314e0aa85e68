/**
 * The one place that decides who may do what. Every route names the action it
 * performs (route config `action`); a hook refuses the request unless `can`
 * allows it, and the app refuses to start if any route names no action.
 */
import { isKeyOf } from '../keys.ts';

export const ROLES = ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident: 'Resident or co-op member',
  community_rep: 'Community organisation representative',
  officer: 'Council officer (commissioner)',
  partner_officer: 'Partner agency officer',
  councillor: 'Councillor',
  admin: 'Administrator',
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export interface Principal {
  userId: string | null;
  authorityId: string | null;
  roles: readonly Role[];
  displayName: string | null;
  /** How they reached us: a browser session or an API token. */
  via: 'web' | 'api';
}

export const ANONYMOUS: Principal = { userId: null, authorityId: null, roles: [], displayName: null, via: 'web' };

/** What the request acts on: the authority in the URL, or the principal's own. */
export interface Target {
  authorityId: string | null;
}

type Rule = (p: Principal, t: Target) => boolean;

const anyone: Rule = () => true;
const signedIn: Rule = (p) => p.userId !== null;
/** Signed in, and acting within their own authority. */
const ofAuthority =
  (...roles: Role[]): Rule =>
  (p, t) =>
    p.userId !== null && t.authorityId !== null && p.authorityId === t.authorityId && p.roles.some((r) => roles.includes(r));

const STAFF: Role[] = ['officer', 'admin'];

export const RULES = {
  /** Public pages and open data: the start page, authorities, wards, organisations, the catalogue. */
  'public.view': anyone,
  /** Sign in, reset a password. */
  'account.sign-in': anyone,
  'account.view': signedIn,
  'dashboard.view': signedIn,
  /** Anyone may start to join; the service checks residence in the authority. */
  'membership.join': (p, t) => p.userId === null || p.authorityId === t.authorityId,
  'membership.manage': ofAuthority(...STAFF),
  'organisations.manage': ofAuthority(...STAFF),
  'catalogue.manage': ofAuthority(...STAFF),
  /** Run community budget rounds: settings, review of proposals, paper ballots, moving phases on. */
  'budgets.manage': ofAuthority(...STAFF),
  /** Put a project forward or vote in a round; the service checks the round's own eligibility rules. */
  'budgets.take-part': ofAuthority(...ROLES),
  /** Import the council's Transparency Code files (spend, card, grants, land). */
  'spend.manage': ofAuthority(...STAFF),
  /** Run grant programmes: prospectus, panel recommendation, awards, monitoring returns, 360Giving imports. */
  'grants.manage': ofAuthority(...STAFF),
  /** Apply for a grant or send a monitoring return; the service checks they represent the organisation. */
  'grants.apply': ofAuthority(...ROLES),
  /** Sit on a grants panel: score applications independently or declare a conflict of interest. */
  'grants.assess': ofAuthority('officer', 'partner_officer', 'councillor', 'admin'),
  /** Draft and submit an expression of interest under the Community Right to Challenge; the service keeps each draft to its author. */
  'challenge.express': ofAuthority(...ROLES),
  /** Handle expressions of interest: receipt, timescale, decision; publish the council's settings. */
  'challenge.manage': ofAuthority(...STAFF),
  /** Agree outcomes, set their indicators and import their figures. */
  'outcomes.manage': ofAuthority(...STAFF),
  /** Run commissioning projects through the cycle, and publish the market position statement. */
  'commissioning.manage': ofAuthority(...STAFF),
  /** Payment by results: contracts, cohorts by pseudonym, claims and payments (and the dashboard). */
  'pbr.view': ofAuthority('officer', 'partner_officer', 'councillor', 'admin'),
  /** Set up outcome-based contracts and their results; approve or reject claims for payment. */
  'pbr.manage': ofAuthority(...STAFF),
  /** Record participants' evidence, and check and make claims: officers and partner agencies who hold the data. */
  'pbr.evidence': ofAuthority('officer', 'partner_officer', 'admin'),
  /** Know who participants are, and attach new ones: only the council officers who work with the families. */
  'pbr.identity': ofAuthority('officer'),
  /** The place's pooled budgets, business cases and dashboard; the service shows each partner its own money. */
  'place-budgets.view': ofAuthority('officer', 'partner_officer', 'admin'),
  /** Contribute, allocate, spend, write business cases; the service checks whose money it is and the board's rule. */
  'place-budgets.move': ofAuthority('officer', 'partner_officer', 'admin'),
  /** Set up boards, their representatives and pooled budgets; approve business cases. */
  'place-budgets.manage': ofAuthority(...STAFF),
  /** Run tenders: publish, answer questions, evaluate, moderate and award; keep the contracts register. */
  'procurement.manage': ofAuthority(...STAFF),
  /** Register an organisation to bid, ask questions, bid, report on a contract; the service checks their role in the organisation. */
  'procurement.bid': ofAuthority(...ROLES),
  'audit.view': ofAuthority('admin'),
  'outbox.view': ofAuthority('admin'),
  'users.manage': ofAuthority('admin'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];
export const isAction = (value: unknown): value is Action => isKeyOf(RULES, value);

export function can(principal: Principal, action: Action, target: Target): boolean {
  return RULES[action](principal, target);
}

/** The role a principal acted in, for the audit log: their most senior one. */
export function actingRole(p: Principal): string {
  if (!p.userId) return 'anonymous';
  for (const role of [...ROLES].reverse()) if (p.roles.includes(role)) return role;
  return 'resident';
}
