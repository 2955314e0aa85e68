/** Open contracting data: the authority's own releases derived from the register, and releases imported from OCDS files. */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { FieldChecker, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ProcurementService } from './service.ts';
import { bidMembers, bids, contractPayments, ocdsPublishers, ocdsReleases, tenderAwards, tenderLots, tenders } from './tables.ts';
import { canonical, deriveReleases, readPackage, summarise, recordPackage, releasePackage, sortReleases, type HeldRelease, type Publisher } from './ocds.ts';

export interface OcdsAuthority {
  id: string;
  slug: string;
  name: string;
}

export interface OcdsImportReport {
  releases: number;
  tenders: number;
  awards: number;
  contracts: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Hundredths of each currency awarded (pence for GBP). */
  awardValue: Record<string, number>;
  warnings: string[];
  errors: string[];
}

/** Until the council registers its own prefix, ocids carry one no registered publisher uses. */
export const defaultPrefix = (slug: string) => `ocds-coproduce-${slug}`;

export class OcdsService {
  private readonly db: Db;
  private readonly procurement: ProcurementService;

  constructor(db: Db, deps: { procurement: ProcurementService }) {
    this.db = db;
    this.procurement = deps.procurement;
  }

  async prefix(authority: OcdsAuthority): Promise<string> {
    const [row] = await this.db.select().from(ocdsPublishers).where(eq(ocdsPublishers.authorityId, authority.id));
    return row?.ocidPrefix ?? defaultPrefix(authority.slug);
  }

  /** The prefix the Open Contracting Partnership registered for the council, like ocds-b5fd17. */
  async setPrefix(actor: Actor, authorityId: string, raw: Record<string, unknown>) {
    const ocidPrefix = text(raw.ocidPrefix);
    const check = new FieldChecker();
    check.check(/^ocds-[a-z0-9]{6}$/.test(ocidPrefix), 'ocidPrefix', 'Enter the prefix the Open Contracting Partnership gave the council: ocds- and six letters or numbers, like ocds-b5fd17');
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(ocdsPublishers).where(eq(ocdsPublishers.authorityId, authorityId));
      const row = { authorityId, ocidPrefix, updatedAt: new Date() };
      await tx.insert(ocdsPublishers).values(row).onConflictDoUpdate({ target: ocdsPublishers.authorityId, set: { ocidPrefix, updatedAt: row.updatedAt } });
      await recordAudit(tx, actor, { authorityId, action: 'ocds.prefix', entityType: 'authority', entityId: authorityId, before, after: row });
    });
  }

  /** The council's own releases, one per event in the register. */
  async ownReleases(authority: OcdsAuthority): Promise<HeldRelease[]> {
    const prefix = await this.prefix(authority);
    const tenderRows = await this.db.select().from(tenders).where(eq(tenders.authorityId, authority.id)).orderBy(asc(tenders.publishedOn));
    const lots = await this.db.select().from(tenderLots).where(eq(tenderLots.authorityId, authority.id)).orderBy(asc(tenderLots.position));
    // A direct award has no bid: its supplier is the one the tender names.
    const awardRows = await this.db.select({
      id: tenderAwards.id, tenderId: tenderAwards.tenderId, lotId: tenderAwards.lotId, decidedAt: tenderAwards.decidedAt, awardNoticeOn: tenderAwards.awardNoticeOn, bidId: tenderAwards.bidId,
      lead: sql<string>`coalesce(${bids.leadSupplierId}, ${tenders.directAwardSupplierId})`,
    }).from(tenderAwards).innerJoin(tenders, eq(tenders.id, tenderAwards.tenderId)).leftJoin(bids, eq(bids.id, tenderAwards.bidId)).where(eq(tenderAwards.authorityId, authority.id));
    const contracts = await this.procurement.listContracts(authority.id);
    const payments = await this.db.select().from(contractPayments).where(eq(contractPayments.authorityId, authority.id)).orderBy(asc(contractPayments.paidOn), asc(contractPayments.id));
    const suppliers = await this.procurement.listSuppliers(authority.id);
    // A direct award has no bid, so only competed awards have consortium members to read.
    const bidIds = awardRows.flatMap((a) => (a.bidId ? [a.bidId] : []));
    const members = bidIds.length ? await this.db.select().from(bidMembers).where(inArray(bidMembers.bidId, bidIds)) : [];
    // Who bid is read only for awarded tenders, and published only in their award releases: after the deadline.
    const awardedIds = [...new Set(awardRows.map((a) => a.tenderId))];
    const bidders = awardedIds.length ? await this.db.select({ tenderId: bids.tenderId, lead: bids.leadSupplierId }).from(bids).where(inArray(bids.tenderId, awardedIds)).orderBy(asc(bids.submittedAt), asc(bids.id)) : [];
    const tendererIds = (tenderId: string) => [...new Set(bidders.filter((b) => b.tenderId === tenderId).map((b) => b.lead))];
    return deriveReleases({
      prefix,
      authority,
      tenders: tenderRows.map((t) => ({ ...t, lots: lots.filter((l) => l.tenderId === t.id), tendererIds: tendererIds(t.id) })),
      awards: awardRows.map((a) => ({ ...a, supplierIds: [a.lead, ...members.filter((m) => m.bidId === a.bidId).map((m) => m.supplierId)] })),
      contracts: contracts.map((c) => ({ ...c, payments: payments.filter((p) => p.contractId === c.id) })),
      suppliers,
    });
  }

  async importedReleases(authorityId: string): Promise<HeldRelease[]> {
    const rows = await this.db.select({ release: ocdsReleases.release }).from(ocdsReleases).where(eq(ocdsReleases.authorityId, authorityId));
    return rows.map((r) => r.release as HeldRelease);
  }

  async allReleases(authority: OcdsAuthority) {
    return sortReleases([...(await this.ownReleases(authority)), ...(await this.importedReleases(authority.id))]);
  }

  private publisher(authority: OcdsAuthority, uri: string): Publisher {
    return { name: authority.name, uri };
  }

  async releasePackage(authority: OcdsAuthority, uri: string) {
    return releasePackage(uri, this.publisher(authority, uri), await this.allReleases(authority));
  }

  async recordPackage(authority: OcdsAuthority, uri: string) {
    return recordPackage(uri, this.publisher(authority, uri), await this.allReleases(authority));
  }

  /**
   * A whole OCDS file in one transaction, or nothing: releases already held unchanged are left
   * alone, so the same file twice changes nothing.
   */
  async importFile(actor: Actor, authorityId: string, input: { fileName: string; text: string }): Promise<OcdsImportReport> {
    const read = readPackage(input.text);
    const report: OcdsImportReport = { releases: 0, tenders: 0, awards: 0, contracts: 0, added: 0, updated: 0, unchanged: 0, awardValue: {}, warnings: read.warnings, errors: read.errors };
    if (read.errors.length) return report;
    const held = new Map((await this.db.select().from(ocdsReleases).where(eq(ocdsReleases.authorityId, authorityId))).map((r) => [`${r.ocid} ${r.releaseId}`, r]));
    const now = new Date();
    const added: (typeof ocdsReleases.$inferInsert)[] = [];
    const updated: { id: string; release: HeldRelease }[] = [];
    for (const rel of read.releases) {
      const before = held.get(`${rel.ocid} ${rel.id}`);
      if (!before) added.push({ id: newId(), authorityId, ocid: rel.ocid, releaseId: rel.id, date: new Date(rel.date), release: rel, source: input.fileName, importedAt: now });
      else if (canonical(before.release) !== canonical(rel)) updated.push({ id: before.id, release: rel });
      else report.unchanged += 1;
    }
    Object.assign(report, summarise(read.releases));
    report.added = added.length;
    report.updated = updated.length;
    if (added.length === 0 && updated.length === 0) return report;
    await this.db.transaction(async (tx) => {
      // Chunks keep each statement well under PostgreSQL's 65,535 parameters.
      for (let i = 0; i < added.length; i += 500) await tx.insert(ocdsReleases).values(added.slice(i, i + 500));
      for (const u of updated) await tx.update(ocdsReleases).set({ release: u.release, source: input.fileName, importedAt: now }).where(and(eq(ocdsReleases.id, u.id), eq(ocdsReleases.authorityId, authorityId)));
      await recordAudit(tx, actor, {
        authorityId, action: 'ocds.import', entityType: 'authority', entityId: authorityId,
        after: { file: input.fileName, sha256: createHash('sha256').update(input.text).digest('hex'), added: added.length, updated: updated.length, unchanged: report.unchanged },
      });
    });
    return report;
  }
}
