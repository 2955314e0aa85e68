/** Organisations working in a place, and people's roles in them. */
import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../lib/db/client.ts';
import { organisations } from './tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { parseOrganisation, type OrganisationInput } from './rules.ts';

export type Organisation = typeof organisations.$inferSelect;

export interface OrganisationFilter {
  type?: string | undefined;
  q?: string | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class OrganisationsService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async list(authorityId: string, filter: OrganisationFilter, page: { limit: number; offset: number }) {
    const where = and(
      eq(organisations.authorityId, authorityId),
      filter.type ? eq(organisations.type, filter.type) : undefined,
      filter.q ? or(ilike(organisations.name, `%${escapeLike(filter.q)}%`), eq(organisations.charityNumber, filter.q), eq(organisations.companyNumber, filter.q.toUpperCase())) : undefined,
    );
    const [rows, [{ total } = { total: 0 }]] = await Promise.all([
      this.db.select().from(organisations).where(where).orderBy(asc(organisations.name), asc(organisations.id)).limit(page.limit).offset(page.offset),
      this.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(organisations).where(where),
    ]);
    return { rows, total };
  }

  async count(authorityId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(organisations).where(eq(organisations.authorityId, authorityId));
    return row?.n ?? 0;
  }

  async get(authorityId: string, id: string): Promise<Organisation> {
    const [row] = await this.db.select().from(organisations).where(and(eq(organisations.authorityId, authorityId), eq(organisations.id, id)));
    if (!row) throw new NotFoundError('No such organisation');
    return row;
  }

  /** Names for a set of ids, for pages that show providers. */
  async namesByIds(db: Queryable, authorityId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(and(eq(organisations.authorityId, authorityId), sql`${organisations.id} in ${ids}`));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Every organisation with what identifies it (type, charity and company numbers), for matching payments to organisations. */
  async directory(authorityId: string): Promise<Pick<Organisation, 'id' | 'name' | 'type' | 'charityNumber' | 'companyNumber'>[]> {
    return this.db
      .select({ id: organisations.id, name: organisations.name, type: organisations.type, charityNumber: organisations.charityNumber, companyNumber: organisations.companyNumber })
      .from(organisations)
      .where(eq(organisations.authorityId, authorityId))
      .orderBy(asc(organisations.name));
  }

  /** Name, type and registration numbers for a set of ids: what procurement publishes about its suppliers. */
  async summariesByIds(db: Queryable, authorityId: string, ids: string[]) {
    if (ids.length === 0) return new Map<string, Pick<Organisation, 'id' | 'name' | 'type' | 'charityNumber' | 'companyNumber'>>();
    const rows = await db
      .select({ id: organisations.id, name: organisations.name, type: organisations.type, charityNumber: organisations.charityNumber, companyNumber: organisations.companyNumber })
      .from(organisations)
      .where(and(eq(organisations.authorityId, authorityId), sql`${organisations.id} = any(${sql.param(ids)}::uuid[])`));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Every organisation as [id, name] for a provider picker. */
  async choices(authorityId: string): Promise<[string, string][]> {
    const rows = await this.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.authorityId, authorityId)).orderBy(asc(organisations.name));
    return rows.map((r) => [r.id, r.name]);
  }

  async create(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Organisation> {
    const input = parseOrganisation(raw);
    return this.db.transaction((tx) => this.createIn(tx, actor, authorityId, input, null));
  }

  /** Insert inside a caller's transaction; `externalId` ties it to an imported record. */
  async createIn(tx: Tx, actor: Actor, authorityId: string, input: OrganisationInput, externalId: string | null): Promise<Organisation> {
    const now = new Date();
    const row: Organisation = { id: newId(), authorityId, ...input, externalId, createdAt: now, updatedAt: now };
    await tx.insert(organisations).values(row);
    await recordAudit(tx, actor, { authorityId, action: 'organisation.create', entityType: 'organisation', entityId: row.id, after: row });
    return row;
  }

  async update(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>, reason?: string): Promise<Organisation> {
    const input = parseOrganisation(raw);
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(organisations).where(and(eq(organisations.authorityId, authorityId), eq(organisations.id, id))).for('update');
      if (!before) throw new NotFoundError('No such organisation');
      const [after] = await tx.update(organisations).set({ ...input, updatedAt: new Date() }).where(eq(organisations.id, id)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'organisation.update', entityType: 'organisation', entityId: id, before, after, reason: reason ?? null });
      return after!;
    });
  }

  async byExternalId(tx: Queryable, authorityId: string, externalId: string): Promise<Organisation | null> {
    const [row] = await tx.select().from(organisations).where(and(eq(organisations.authorityId, authorityId), eq(organisations.externalId, externalId)));
    return row ?? null;
  }
}
