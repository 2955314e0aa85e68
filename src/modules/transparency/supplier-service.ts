/**
 * Suppliers as officers settle them: proposed merges of spellings decided (merge or keep apart),
 * suppliers linked to organisations on the platform, and the resolution the dashboards group by.
 * Every decision is audited in its transaction; the published rows never change.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { isUniqueViolation } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import { kindOfOrganisation, orderedPair, organisationMatches, supplierGroups, undecidedProposals, type MergeDecision, type OrganisationMatch } from './supplier-resolution.ts';
import { classifySupplier, isIndividual, proposeMerges, supplierKey, type MergeProposal, type Payee, type SupplierClass } from './suppliers.ts';
import { spendTransactions, supplierDecisions, supplierOrganisations } from './tables.ts';

/** A supplier as the dashboards show it: its spellings' spend gathered under one key. */
export interface ResolvedSupplier {
  key: string;
  /** The spelling with the most spend, or the linked organisation's name. */
  name: string;
  spellings: string[];
  /** Every supplier key merged into this one, itself included. */
  members: string[];
  totalPence: number;
  organisation: { id: string; name: string } | null;
  kind: SupplierClass;
}

export interface SupplierReview {
  proposals: MergeProposal[];
  /** Organisations the platform would link without asking, for the officer to confirm. */
  suggestions: { key: string; name: string; match: OrganisationMatch; organisationName: string }[];
  suppliers: ResolvedSupplier[];
  merged: number;
  linked: number;
}

const KEY = /^(name|company|charity|society|unknown|withheld):.{1,300}$/s;
const DECISIONS: readonly MergeDecision[] = ['merge', 'keep-apart'];

export class SuppliersService {
  private readonly db: Db;
  private readonly organisations: OrganisationsService;

  constructor(db: Db, deps: { organisations: OrganisationsService }) {
    this.db = db;
    this.organisations = deps.organisations;
  }

  /**
   * Every supplier the authority's payments name (spend and card, individuals never by name),
   * grouped by officers' merges, with its organisation and kind, most spend first.
   */
  async resolved(authorityId: string, dataset?: 'spend-over-500' | 'procurement-card'): Promise<ResolvedSupplier[]> {
    return this.resolve(await this.load(authorityId, dataset));
  }

  /** What resolution works from, read once: the payees with their spend, officers' decisions and links, the organisations. */
  private async load(authorityId: string, dataset?: 'spend-over-500' | 'procurement-card') {
    const [payees, decisions, links, directory] = await Promise.all([
      this.payees(authorityId, dataset),
      this.decisions(authorityId),
      this.db.select().from(supplierOrganisations).where(eq(supplierOrganisations.authorityId, authorityId)),
      this.organisations.directory(authorityId),
    ]);
    const spendByKey = new Map<string, number>();
    for (const p of payees) if (p.key) spendByKey.set(p.key, (spendByKey.get(p.key) ?? 0) + p.totalPence);
    return { payees, decisions, links, directory, groups: supplierGroups(decisions, spendByKey) };
  }

  private resolve({ payees, links, directory, groups }: Awaited<ReturnType<SuppliersService['load']>>): ResolvedSupplier[] {
    const orgs = new Map(directory.map((o) => [o.id, o]));
    const linkOf = new Map(links.map((l) => [l.supplierKey, orgs.get(l.organisationId)]));
    const byHead = new Map<string, ResolvedSupplier & { lead: number }>();
    for (const p of payees) {
      const head = p.key ? (groups.get(p.key) ?? p.key) : `line:${byHead.size}`;
      let s = byHead.get(head);
      if (!s) byHead.set(head, (s = { key: head, name: '', spellings: [], members: [], totalPence: 0, organisation: null, kind: classifySupplier(p.payee), lead: -Infinity }));
      s.totalPence += p.totalPence;
      if (p.key && !s.members.includes(p.key)) s.members.push(p.key);
      if (isIndividual(p.payee)) continue;
      if (p.payee.name && !s.spellings.includes(p.payee.name)) s.spellings.push(p.payee.name);
      if (p.totalPence > s.lead) Object.assign(s, { lead: p.totalPence, name: p.payee.name ?? '', kind: classifySupplier(p.payee) });
      const org = p.key ? (linkOf.get(p.key) ?? linkOf.get(head)) : undefined;
      if (org) s.organisation = { id: org.id, name: org.name };
    }
    return [...byHead.values()]
      .map(({ lead: _lead, ...s }) => {
        const org = s.organisation && orgs.get(s.organisation.id);
        return org ? { ...s, name: org.name, kind: { kind: kindOfOrganisation(org.type), confidence: 'certain' as const, evidence: `${org.name} is on the platform as an organisation of that type` } } : s;
      })
      .sort((a, b) => b.totalPence - a.totalPence);
  }

  /**
   * Each resolved supplier's spend by calendar year of payment (payments without a date left out),
   * for the procurement module's diversity-of-supply dashboard. Payments to individuals are left
   * out: the dashboard counts organisations.
   */
  async spendByYear(authorityId: string): Promise<(Pick<ResolvedSupplier, 'key' | 'organisation' | 'kind'> & { byYear: Record<string, number> })[]> {
    const suppliers = (await this.resolved(authorityId)).filter((s) => s.kind.kind !== 'individual');
    const ofKey = new Map(suppliers.flatMap((s) => s.members.map((k) => [k, s] as const)));
    const year = sql<string>`to_char(${spendTransactions.paidOn}, 'YYYY')`;
    const rows = await this.db
      .select({ name: spendTransactions.supplierName, redacted: spendTransactions.redacted, supplierId: spendTransactions.supplierRef, year, totalPence: sql<number>`sum(${spendTransactions.amountPence})`.mapWith(Number) })
      .from(spendTransactions)
      .where(and(eq(spendTransactions.authorityId, authorityId), inArray(spendTransactions.dataset, ['spend-over-500', 'procurement-card']), isNotNull(spendTransactions.paidOn)))
      .groupBy(spendTransactions.supplierName, spendTransactions.redacted, spendTransactions.supplierRef, year);
    const out = new Map<string, Pick<ResolvedSupplier, 'key' | 'organisation' | 'kind'> & { byYear: Record<string, number> }>();
    for (const r of rows) {
      const key = supplierKey({ name: r.name, redacted: r.redacted, supplierId: r.supplierId });
      const s = key ? ofKey.get(key) : undefined;
      if (!s) continue;
      const entry = out.get(s.key) ?? { key: s.key, organisation: s.organisation, kind: s.kind, byYear: {} };
      entry.byYear[r.year] = (entry.byYear[r.year] ?? 0) + r.totalPence;
      out.set(s.key, entry);
    }
    return [...out.values()];
  }

  /** What is waiting for an officer: merges to decide, organisations to confirm, and the largest suppliers as they stand. */
  async review(authorityId: string, limit = 50): Promise<SupplierReview> {
    const loaded = await this.load(authorityId);
    const { payees, decisions, links, directory, groups } = loaded;
    const suppliers = this.resolve(loaded);
    const proposals = undecidedProposals(proposeMerges(payees.map((p) => p.payee)), decisions, groups);
    const linked = new Set(links.map((l) => l.supplierKey));
    const nameOfKey = new Map(payees.filter((p) => p.key && p.payee.name && !isIndividual(p.payee)).map((p) => [p.key!, p.payee.name!]));
    const orgName = new Map(directory.map((o) => [o.id, o.name]));
    const suggestions = [...organisationMatches(nameOfKey.keys(), directory)]
      .filter(([key]) => !linked.has(key) && !linked.has(groups.get(key) ?? key))
      .map(([key, match]) => ({ key, name: nameOfKey.get(key)!, match, organisationName: orgName.get(match.organisationId)! }));
    return { proposals: proposals.slice(0, limit), suggestions: suggestions.slice(0, limit), suppliers: suppliers.slice(0, limit), merged: groups.size, linked: linked.size };
  }

  /** The supplier a key is part of, as merged and linked; never an individual. */
  async supplier(authorityId: string, key: string): Promise<ResolvedSupplier> {
    return supplierOf(await this.resolved(authorityId), key);
  }

  /** Two suppliers an officer is deciding on, and why the rules proposed them as one (null if nothing is waiting). */
  async pair(authorityId: string, a: string, b: string): Promise<{ first: ResolvedSupplier; second: ResolvedSupplier; proposal: MergeProposal | null }> {
    const { suppliers, proposals } = await this.review(authorityId, Infinity);
    const wanted = orderedPair(a, b).join('\n');
    return { first: supplierOf(suppliers, a), second: supplierOf(suppliers, b), proposal: proposals.find((p) => orderedPair(p.keys[0]!, p.keys[1]!).join('\n') === wanted) ?? null };
  }

  /** Merge two supplier keys, or keep them apart for good, with the officer's reason. */
  async decide(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<void> {
    const check = new FieldChecker();
    const a = text(raw.keyA), b = text(raw.keyB), decision = text(raw.decision) as MergeDecision, reason = text(raw.reason);
    check.check(KEY.test(a) && KEY.test(b) && a !== b, 'keyA', 'Choose two different suppliers from the proposals');
    check.check(DECISIONS.includes(decision), 'decision', 'Choose whether these are the same supplier');
    check.check(reason.length >= 3 && reason.length <= 2000, 'reason', 'Say why, in 3 to 2,000 characters, for the auditors');
    check.throwIfAny();
    const [keyA, keyB] = orderedPair(a, b);
    const row = { id: newId(), authorityId, keyA, keyB, decision, reason, decidedByUserId: actor.userId, decidedAt: new Date() };
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(supplierDecisions).values(row);
        await recordAudit(tx, actor, { authorityId, action: decision === 'merge' ? 'supplier.merge' : 'supplier.keep-apart', entityType: 'supplier-decision', entityId: row.id, after: row, reason });
      });
    } catch (err) {
      if (!isUniqueViolation(err, 'supplier_decisions_pair')) throw err;
      throw new ConflictError('These two suppliers have been decided on already', { form: 'These two suppliers have been decided on already' });
    }
  }

  /** Link a supplier key to an organisation on the platform, or (with no organisation) remove its link. */
  async link(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<void> {
    const check = new FieldChecker();
    const key = text(raw.supplierKey), organisationId = text(raw.organisationId);
    check.check(KEY.test(key) && !key.startsWith('withheld:'), 'supplierKey', 'Choose a supplier from the list');
    check.check(organisationId === '' || isUuid(organisationId), 'organisationId', 'Choose an organisation');
    check.throwIfAny();
    // Checked here, not in the transaction: PGlite has one connection and the organisations service its own queries.
    if (organisationId) {
      try {
        await this.organisations.get(authorityId, organisationId);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        throw new ValidationError({ organisationId: 'Choose an organisation of this council' });
      }
    }
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(supplierOrganisations).where(and(eq(supplierOrganisations.authorityId, authorityId), eq(supplierOrganisations.supplierKey, key))).for('update');
      if (!organisationId) {
        if (!before) return;
        await tx.delete(supplierOrganisations).where(eq(supplierOrganisations.id, before.id));
        await recordAudit(tx, actor, { authorityId, action: 'supplier.unlink', entityType: 'supplier-organisation', entityId: before.id, before });
        return;
      }
      const after = { id: before?.id ?? newId(), authorityId, supplierKey: key, organisationId, linkedByUserId: actor.userId, linkedAt: new Date() };
      if (before) await tx.update(supplierOrganisations).set(after).where(eq(supplierOrganisations.id, before.id));
      else await tx.insert(supplierOrganisations).values(after);
      await recordAudit(tx, actor, { authorityId, action: 'supplier.link', entityType: 'supplier-organisation', entityId: after.id, before: before ?? null, after });
    });
  }

  /** Total spend per way a payee is written, with its key. */
  private async payees(authorityId: string, dataset?: 'spend-over-500' | 'procurement-card') {
    const rows = await this.db
      .select({ name: spendTransactions.supplierName, redacted: spendTransactions.redacted, supplierId: spendTransactions.supplierRef, totalPence: sql<number>`sum(${spendTransactions.amountPence})`.mapWith(Number) })
      .from(spendTransactions)
      .where(and(eq(spendTransactions.authorityId, authorityId), dataset ? eq(spendTransactions.dataset, dataset) : inArray(spendTransactions.dataset, ['spend-over-500', 'procurement-card'])))
      .groupBy(spendTransactions.supplierName, spendTransactions.redacted, spendTransactions.supplierRef);
    return rows.map((r) => {
      const payee: Payee = { name: r.name, redacted: r.redacted, supplierId: r.supplierId };
      return { payee, key: supplierKey(payee), totalPence: r.totalPence };
    });
  }

  private async decisions(authorityId: string) {
    const rows = await this.db.select({ keyA: supplierDecisions.keyA, keyB: supplierDecisions.keyB, decision: supplierDecisions.decision }).from(supplierDecisions).where(eq(supplierDecisions.authorityId, authorityId));
    return rows.map((r) => ({ ...r, decision: r.decision as MergeDecision }));
  }
}

function supplierOf(suppliers: readonly ResolvedSupplier[], key: string): ResolvedSupplier {
  const found = KEY.test(key) && !key.startsWith('withheld:') ? suppliers.find((s) => s.members.includes(key)) : undefined;
  if (!found || found.kind.kind === 'individual') throw new NotFoundError('No such supplier');
  return found;
}
