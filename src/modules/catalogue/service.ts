/** The service catalogue: every local service, who delivers it, how, where, for how much and to what end. */
import { and, asc, eq, ilike, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../lib/db/client.ts';
import { services, serviceWards, serviceOutcomes } from './tables.ts';
import { organisations } from '../organisations/tables.ts';
import { wards } from '../places/tables.ts';
import { outcomes } from '../outcomes/tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { FieldChecker, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { parseService, type ServiceInput } from './rules.ts';

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

  async count(authorityId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(services).where(eq(services.authorityId, authorityId));
    return row?.n ?? 0;
  }

  /** The categories in use, for the filter. */
  async categories(authorityId: string): Promise<string[]> {
    const rows = await this.db.selectDistinct({ category: services.category }).from(services).where(eq(services.authorityId, authorityId)).orderBy(asc(services.category));
    return rows.map((r) => r.category);
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
}
