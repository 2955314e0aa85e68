/** The service catalogue: every local service, who delivers it, how, where, for how much and to what end. */
import { and, asc, eq, ilike, inArray, like, sql } from 'drizzle-orm';
import { isUniqueViolation, type Db, type Queryable, type Tx } from '../../lib/db/client.ts';
import { services, serviceWards, serviceOutcomes } from './tables.ts';
import { organisations } from '../organisations/tables.ts';
import { wards } from '../places/tables.ts';
import { outcomes } from '../outcomes/tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { parseService, type ServiceInput } from './rules.ts';
import {
  EXTERNAL_PREFIX,
  parseOrukFeed,
  planOrganisations,
  toOrukV3Page,
  type ExportService,
  type OrukFeed,
  type OrukOrganisation,
  type OrukRejection,
  type OrukService,
} from './oruk.ts';
import { findPostcode } from '../places/rules.ts';
import { postcodeIndex } from '../places/reference.ts';
import type { Authority } from '../places/service.ts';
import type { Organisation } from '../organisations/service.ts';

export type Service = typeof services.$inferSelect;

export interface CatalogueFilter {
  wardId?: string | undefined;
  category?: string | undefined;
  deliveryModel?: string | undefined;
  providerOrganisationId?: string | undefined;
  q?: string | undefined;
}

export type ServiceRow = Service & { providerName: string | null };

export interface ServiceDetail extends ServiceRow {
  wards: { id: string; gssCode: string; name: string }[];
  outcomes: { id: string; title: string }[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What an Open Referral UK import will do (a preview) or did. */
export interface OrukReport {
  /** Service records in the feed. */
  total: number;
  /** Records taken (or, in a preview, that would be taken). */
  accepted: number;
  rejected: OrukRejection[];
  /** Providers new to this authority, created by the import. */
  organisationsCreated: number;
  /** Providers the authority already had, matched by a previous import's id or by name. */
  organisationsMatched: number;
  /** Service–ward links from locations' postcodes and service areas in this authority. */
  wardLinks: number;
}

/** An import refused because some records cannot be taken and the caller did not accept a partial import. */
export class OrukImportRefusedError extends ConflictError {
  readonly report: OrukReport;
  constructor(report: OrukReport) {
    const n = report.rejected.length;
    const message =
      report.accepted === 0
        ? `None of the ${report.total} records can be imported, so nothing was imported`
        : `${n} of the ${report.total} records cannot be imported, so nothing was imported. Accept a partial import to take the other ${report.accepted}`;
    super(message, Object.fromEntries(report.rejected.slice(0, 1000).map((r) => [`records.${r.index}`, `${r.id ?? 'no id'}: ${r.reason}`])));
    this.report = report;
  }
}

interface OrukPlan {
  feed: OrukFeed;
  matched: Map<string, string>;
  toCreate: OrukOrganisation[];
  report: OrukReport;
}

/** Big imports go in as a few multi-row inserts, not one statement per row. */
const INSERT_BATCH = 250;
function* batches<T>(items: T[], size = INSERT_BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export class CatalogueService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  private where(authorityId: string, f: CatalogueFilter) {
    return and(
      eq(services.authorityId, authorityId),
      f.category ? eq(services.category, f.category) : undefined,
      f.deliveryModel ? eq(services.deliveryModel, f.deliveryModel) : undefined,
      f.providerOrganisationId ? eq(services.providerOrganisationId, f.providerOrganisationId) : undefined,
      f.q ? ilike(services.name, `%${escapeLike(f.q)}%`) : undefined,
      f.wardId
        ? sql`exists (select 1 from ${serviceWards} where ${serviceWards.serviceId} = ${services.id} and ${serviceWards.wardId} = ${f.wardId})`
        : undefined,
    );
  }

  async list(authorityId: string, filter: CatalogueFilter, page: { limit: number; offset: number }): Promise<{ rows: ServiceRow[]; total: number }> {
    const where = this.where(authorityId, filter);
    const [rows, [{ total } = { total: 0 }]] = await Promise.all([
      this.db
        .select({ service: services, providerName: organisations.name })
        .from(services)
        .leftJoin(organisations, eq(organisations.id, services.providerOrganisationId))
        .where(where)
        .orderBy(asc(services.name), asc(services.id))
        .limit(page.limit)
        .offset(page.offset),
      this.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(services).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r.service, providerName: r.providerName })), total };
  }

  /** Every service as [id, name], for a picker and for naming services on other modules' pages. */
  async choices(authorityId: string): Promise<[string, string][]> {
    const rows = await this.db.select({ id: services.id, name: services.name }).from(services).where(eq(services.authorityId, authorityId)).orderBy(asc(services.name));
    return rows.map((r) => [r.id, r.name]);
  }

  async count(authorityId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(services).where(eq(services.authorityId, authorityId));
    return row?.n ?? 0;
  }

  /** The categories in use, for the filter. */
  async categories(authorityId: string): Promise<string[]> {
    const rows = await this.db.selectDistinct({ category: services.category }).from(services).where(eq(services.authorityId, authorityId)).orderBy(asc(services.category));
    return rows.map((r) => r.category);
  }

  /** The services that serve an outcome, for the outcome's page. */
  servicesForOutcome(authorityId: string, outcomeId: string): Promise<{ id: string; name: string }[]> {
    return this.db
      .select({ id: services.id, name: services.name })
      .from(serviceOutcomes)
      .innerJoin(services, eq(services.id, serviceOutcomes.serviceId))
      .where(and(eq(serviceOutcomes.authorityId, authorityId), eq(serviceOutcomes.outcomeId, outcomeId)))
      .orderBy(asc(services.name));
  }

  async get(authorityId: string, id: string): Promise<ServiceDetail> {
    const [row] = await this.db
      .select({ service: services, providerName: organisations.name })
      .from(services)
      .leftJoin(organisations, eq(organisations.id, services.providerOrganisationId))
      .where(and(eq(services.authorityId, authorityId), eq(services.id, id)));
    if (!row) throw new NotFoundError('No such service');
    const [wardRows, outcomeRows] = await Promise.all([
      this.db
        .select({ id: wards.id, gssCode: wards.gssCode, name: wards.name })
        .from(serviceWards)
        .innerJoin(wards, eq(wards.id, serviceWards.wardId))
        .where(eq(serviceWards.serviceId, id))
        .orderBy(asc(wards.name)),
      this.db
        .select({ id: outcomes.id, title: outcomes.title })
        .from(serviceOutcomes)
        .innerJoin(outcomes, eq(outcomes.id, serviceOutcomes.outcomeId))
        .where(eq(serviceOutcomes.serviceId, id))
        .orderBy(asc(outcomes.title)),
    ]);
    return { ...row.service, providerName: row.providerName, wards: wardRows, outcomes: outcomeRows };
  }

  async create(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<ServiceDetail> {
    const input = parseService(raw);
    const id = await this.db.transaction((tx) => this.createIn(tx, actor, authorityId, input, null));
    return this.get(authorityId, id);
  }

  /** Insert inside a caller's transaction (imports use this); returns the new id. */
  async createIn(tx: Tx, actor: Actor, authorityId: string, input: ServiceInput, externalId: string | null): Promise<string> {
    await this.checkReferences(tx, authorityId, input);
    const now = new Date();
    const { wardIds, outcomeIds, ...fields } = input;
    const row: Service = { id: newId(), authorityId, ...fields, externalId, createdAt: now, updatedAt: now };
    await tx.insert(services).values(row);
    await this.linkIn(tx, authorityId, row.id, wardIds, outcomeIds);
    await recordAudit(tx, actor, { authorityId, action: 'service.create', entityType: 'service', entityId: row.id, after: { ...row, wardIds, outcomeIds } });
    return row.id;
  }

  async update(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>): Promise<ServiceDetail> {
    const input = parseService(raw);
    await this.db.transaction((tx) => this.updateIn(tx, actor, authorityId, id, input));
    return this.get(authorityId, id);
  }

  async updateIn(tx: Tx, actor: Actor, authorityId: string, id: string, input: ServiceInput): Promise<void> {
    const [before] = await tx.select().from(services).where(and(eq(services.authorityId, authorityId), eq(services.id, id))).for('update');
    if (!before) throw new NotFoundError('No such service');
    await this.checkReferences(tx, authorityId, input);
    const beforeWards = (await tx.select({ id: serviceWards.wardId }).from(serviceWards).where(eq(serviceWards.serviceId, id))).map((r) => r.id).sort();
    const beforeOutcomes = (await tx.select({ id: serviceOutcomes.outcomeId }).from(serviceOutcomes).where(eq(serviceOutcomes.serviceId, id))).map((r) => r.id).sort();
    const { wardIds, outcomeIds, ...fields } = input;
    const [after] = await tx.update(services).set({ ...fields, updatedAt: new Date() }).where(eq(services.id, id)).returning();
    await tx.delete(serviceWards).where(eq(serviceWards.serviceId, id));
    await tx.delete(serviceOutcomes).where(eq(serviceOutcomes.serviceId, id));
    await this.linkIn(tx, authorityId, id, wardIds, outcomeIds);
    await recordAudit(tx, actor, {
      authorityId,
      action: 'service.update',
      entityType: 'service',
      entityId: id,
      before: { ...before, wardIds: beforeWards, outcomeIds: beforeOutcomes },
      after: { ...after, wardIds: [...wardIds].sort(), outcomeIds: [...outcomeIds].sort() },
    });
  }

  private async linkIn(tx: Tx, authorityId: string, serviceId: string, wardIds: string[], outcomeIds: string[]) {
    if (wardIds.length) await tx.insert(serviceWards).values(wardIds.map((wardId) => ({ authorityId, serviceId, wardId })));
    if (outcomeIds.length) await tx.insert(serviceOutcomes).values(outcomeIds.map((outcomeId) => ({ authorityId, serviceId, outcomeId })));
  }

  /** A provider, ward or outcome must belong to the same authority: no cross-council links. */
  private async checkReferences(tx: Tx, authorityId: string, input: ServiceInput) {
    const check = new FieldChecker();
    if (input.providerOrganisationId) {
      const [o] = await tx.select({ id: organisations.id }).from(organisations).where(and(eq(organisations.authorityId, authorityId), eq(organisations.id, input.providerOrganisationId)));
      check.check(Boolean(o), 'providerOrganisationId', 'Select a provider from the list');
    }
    if (input.wardIds.length) {
      const found = await tx.select({ id: wards.id }).from(wards).where(and(eq(wards.authorityId, authorityId), inArray(wards.id, input.wardIds)));
      check.check(found.length === input.wardIds.length, 'wardIds', 'Select wards from the list');
    }
    if (input.outcomeIds.length) {
      const found = await tx.select({ id: outcomes.id }).from(outcomes).where(and(eq(outcomes.authorityId, authorityId), inArray(outcomes.id, input.outcomeIds)));
      check.check(found.length === input.outcomeIds.length, 'outcomeIds', 'Select outcomes from the list');
    }
    check.throwIfAny();
  }

  // -------------------------------------------------------------------------
  // Open Referral UK

  /** What importing this feed would do now, without writing anything. */
  async previewOrukImport(authority: Authority, feed: unknown): Promise<OrukReport> {
    return (await this.planOruk(this.db, authority, feed)).report;
  }

  /**
   * Import a feed in one transaction, audited: every organisation and service
   * created, and a summary of the import with each rejected record. With any
   * rejection it refuses and writes nothing, unless `acceptPartial`.
   */
  async importOruk(actor: Actor, authority: Authority, feed: unknown, options: { acceptPartial: boolean; source?: string }): Promise<OrukReport> {
    try {
      return await this.db.transaction(async (tx) => {
        // One import at a time per authority, so a second sees the first's services as already imported.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'oruk-import:' + authority.id}, 0))`);
        const plan = await this.planOruk(tx, authority, feed);
        if (plan.report.accepted === 0 || (plan.report.rejected.length > 0 && !options.acceptPartial)) throw new OrukImportRefusedError(plan.report);
        const providerIds = new Map([...plan.matched, ...(await this.createOrganisationsIn(tx, actor, authority.id, plan.toCreate))]);
        await this.createImportedServicesIn(tx, actor, authority.id, plan.feed.services, providerIds);
        const importId = newId();
        await recordAudit(tx, actor, {
          authorityId: authority.id,
          action: 'catalogue.oruk-import',
          entityType: 'catalogue_import',
          entityId: importId,
          after: { source: options.source ?? null, acceptPartial: options.acceptPartial, ...plan.report },
        });
        return plan.report;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('The catalogue changed while importing (another import of the same records?). Nothing was imported; try again.');
      throw err;
    }
  }

  /** The whole catalogue as ORUK v3.0: public data, as the catalogue pages are. */
  async exportOruk(authority: Authority) {
    const rows = await this.db
      .select({ service: services, provider: { id: organisations.id, name: organisations.name, description: organisations.description, website: organisations.website } })
      .from(services)
      .leftJoin(organisations, eq(organisations.id, services.providerOrganisationId))
      .where(eq(services.authorityId, authority.id))
      .orderBy(asc(services.name), asc(services.id));
    const wardRows = await this.db
      .select({ serviceId: serviceWards.serviceId, gssCode: wards.gssCode, name: wards.name })
      .from(serviceWards)
      .innerJoin(wards, eq(wards.id, serviceWards.wardId))
      .where(eq(serviceWards.authorityId, authority.id))
      .orderBy(asc(wards.name));
    const wardsOf = new Map<string, { gssCode: string; name: string }[]>();
    for (const w of wardRows) wardsOf.set(w.serviceId, [...(wardsOf.get(w.serviceId) ?? []), { gssCode: w.gssCode, name: w.name }]);
    const items: ExportService[] = rows.map(({ service: s, provider }) => ({ ...s, provider: provider?.id ? provider : null, wards: wardsOf.get(s.id) ?? [] }));
    return toOrukV3Page(items);
  }

  /** Read the feed against what the authority has now: its imported ids, wards and organisations. */
  private async planOruk(q: Queryable, authority: Authority, feed: unknown): Promise<OrukPlan> {
    // One after another, not together: `q` may be a transaction, whose single connection runs one query at a time.
    const imported = await q.select({ externalId: services.externalId, name: services.name }).from(services).where(and(eq(services.authorityId, authority.id), like(services.externalId, `${EXTERNAL_PREFIX}%`)));
    const wardRows = await q.select({ id: wards.id, gssCode: wards.gssCode }).from(wards).where(eq(wards.authorityId, authority.id));
    const orgRows = await q.select({ id: organisations.id, name: organisations.name, externalId: organisations.externalId }).from(organisations).where(eq(organisations.authorityId, authority.id));
    const wardByCode = new Map(wardRows.map((w) => [w.gssCode, w.id]));
    const parsed = parseOrukFeed(feed, {
      authorityName: authority.name,
      existing: new Map(imported.map((r) => [r.externalId!, r.name])),
      wardForCode: (code) => wardByCode.get(code) ?? null,
      // Only a postcode the ONS index puts in this authority gives a ward.
      wardForPostcode: (postcode) => {
        const place = findPostcode(postcodeIndex(), postcode);
        return place && place.localAuthorityCode === authority.gssCode ? (wardByCode.get(place.wardCode) ?? null) : null;
      },
    });
    const { matched, toCreate } = planOrganisations(parsed.organisations, orgRows);
    const report: OrukReport = {
      total: parsed.total,
      accepted: parsed.services.length,
      rejected: parsed.rejected,
      organisationsCreated: toCreate.length,
      organisationsMatched: matched.size,
      wardLinks: parsed.services.reduce((n, s) => n + s.input.wardIds.length, 0),
    };
    return { feed: parsed, matched, toCreate, report };
  }

  /** Create the feed's new providers; returns organisation key → new id. */
  private async createOrganisationsIn(tx: Tx, actor: Actor, authorityId: string, toCreate: OrukOrganisation[]): Promise<Map<string, string>> {
    const now = new Date();
    const rows: Organisation[] = toCreate.map((o) => ({ id: newId(), authorityId, ...o.input, externalId: o.externalId, createdAt: now, updatedAt: now }));
    for (const batch of batches(rows)) await tx.insert(organisations).values(batch);
    for (const row of rows) {
      await recordAudit(tx, actor, { authorityId, action: 'organisation.create', entityType: 'organisation', entityId: row.id, after: row, reason: 'Open Referral UK import' });
    }
    return new Map(toCreate.map((o, i) => [o.key, rows[i]!.id]));
  }

  /** Insert the taken services with their providers and wards, each audited as a created service. */
  private async createImportedServicesIn(tx: Tx, actor: Actor, authorityId: string, taken: OrukService[], providerIds: Map<string, string>) {
    const now = new Date();
    const rows = taken.map((s) => {
      const { wardIds, outcomeIds, ...fields } = s.input;
      const providerOrganisationId = s.organisationKey ? (providerIds.get(s.organisationKey) ?? null) : null;
      const row: Service = { id: newId(), authorityId, ...fields, providerOrganisationId, externalId: s.externalId, createdAt: now, updatedAt: now };
      return { row, wardIds, outcomeIds };
    });
    for (const batch of batches(rows)) await tx.insert(services).values(batch.map((r) => r.row));
    const links = rows.flatMap((r) => r.wardIds.map((wardId) => ({ authorityId, serviceId: r.row.id, wardId })));
    for (const batch of batches(links, 1000)) await tx.insert(serviceWards).values(batch);
    for (const { row, wardIds, outcomeIds } of rows) {
      await recordAudit(tx, actor, { authorityId, action: 'service.create', entityType: 'service', entityId: row.id, after: { ...row, wardIds, outcomeIds }, reason: 'Open Referral UK import' });
    }
  }
}
