/**
 * From supplier spellings to suppliers: what officers have decided about proposed merges, and
 * which organisation on the platform a supplier is. Pure: the service loads decisions and
 * organisations, these rules put them together. A merge is only ever an officer's decision
 * (suppliers.ts proposes them); an organisation is matched without asking only when its
 * registration number or its normalised name is the supplier's, and only one organisation's.
 */
import { normaliseSupplierName, type MergeProposal, type SupplierKind } from './suppliers.ts';

export type MergeDecision = 'merge' | 'keep-apart';

export interface SupplierDecision {
  keyA: string;
  keyB: string;
  decision: MergeDecision;
}

/** Two supplier keys in the order they are stored, so a pair is one row however it was asked. */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * Each merged supplier key → the key its group is shown under: the one with the most spend
 * (ties to the smaller key, so the answer does not depend on the order decisions were made).
 * Keys that were never merged are absent. Merges chain: A with B and B with C is one supplier.
 */
export function supplierGroups(decisions: readonly SupplierDecision[], spendByKey: ReadonlyMap<string, number>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = k; at !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const d of decisions) {
    if (d.decision !== 'merge') continue;
    for (const k of [d.keyA, d.keyB]) if (!parent.has(k)) parent.set(k, k);
    parent.set(find(d.keyA), find(d.keyB));
  }
  const members = new Map<string, string[]>();
  for (const k of parent.keys()) {
    const root = find(k);
    members.set(root, [...(members.get(root) ?? []), k]);
  }
  const shownAs = new Map<string, string>();
  for (const group of members.values()) {
    const spend = (k: string) => spendByKey.get(k) ?? 0;
    const head = group.reduce((best, k) => (spend(k) > spend(best) || (spend(k) === spend(best) && k < best) ? k : best));
    for (const k of group) shownAs.set(k, head);
  }
  return shownAs;
}

/** Proposals still waiting for an officer: not decided either way, and not already one supplier through other merges. */
export function undecidedProposals(proposals: readonly MergeProposal[], decisions: readonly SupplierDecision[], groups: ReadonlyMap<string, string>): MergeProposal[] {
  const decided = new Set(decisions.map((d) => orderedPair(d.keyA, d.keyB).join('\n')));
  return proposals.filter((p) => {
    const [a, b] = p.keys as [string, string];
    if (decided.has(orderedPair(a, b).join('\n'))) return false;
    return !(groups.has(a) && groups.get(a) === groups.get(b));
  });
}

export interface OrganisationRecord {
  id: string;
  name: string;
  type: string;
  charityNumber: string | null;
  companyNumber: string | null;
}

export interface OrganisationMatch {
  organisationId: string;
  reason: string;
}

/** The supplier keys an organisation answers to: its charity and company numbers, and its name. */
function keysOf(org: OrganisationRecord): [string, string][] {
  const keys: [string, string][] = [];
  const charity = org.charityNumber?.toUpperCase().replace(/\s+/g, '').replace(/^GB-CHC-/, '');
  if (charity) keys.push([`charity:${charity}`, `its charity number, ${charity}`]);
  const company = org.companyNumber?.toUpperCase().replace(/\s+/g, '').replace(/^GB-COH-/, '');
  if (company) {
    const padded = /^\d{1,8}$/.test(company) ? company.padStart(8, '0') : company;
    keys.push([`company:${padded}`, `its Companies House number, ${padded}`]);
  }
  const name = normaliseSupplierName(org.name);
  if (name) keys.push([`name:${name}`, `its name, once case, punctuation and “Ltd” are set aside`]);
  return keys;
}

/**
 * Supplier key → the one organisation it matches, with the reason in words. A key two
 * organisations answer to matches neither: an officer links it by hand.
 */
export function organisationMatches(supplierKeys: Iterable<string>, organisations: readonly OrganisationRecord[]): Map<string, OrganisationMatch> {
  const byKey = new Map<string, OrganisationMatch | null>();
  for (const org of organisations) {
    for (const [key, what] of keysOf(org)) {
      const earlier = byKey.get(key);
      byKey.set(key, earlier === undefined || earlier?.organisationId === org.id ? { organisationId: org.id, reason: `${org.name}: ${what}` } : null);
    }
  }
  const out = new Map<string, OrganisationMatch>();
  for (const key of supplierKeys) {
    const match = byKey.get(key);
    if (match) out.set(key, match);
  }
  return out;
}

/** What kind of supplier an organisation on the platform is: the council's own record outranks what a name suggests. */
const KIND_OF_ORGANISATION: Record<string, SupplierKind> = {
  council: 'public-body',
  partner_agency: 'public-body',
  parish_council: 'public-body',
  trading_company: 'public-body',
  voluntary_community: 'vcs',
  charity: 'vcs',
  social_enterprise: 'social-enterprise',
  cooperative: 'social-enterprise',
  public_service_mutual: 'social-enterprise',
  sme: 'sme',
  // Not small or medium-sized, so none of the kinds the dashboards count.
  private_company: 'unknown',
};

export function kindOfOrganisation(type: string): SupplierKind {
  return Object.hasOwn(KIND_OF_ORGANISATION, type) ? KIND_OF_ORGANISATION[type]! : 'unknown';
}
