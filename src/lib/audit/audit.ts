/**
 * Writing to and checking the hash-chained audit log. Every service that
 * changes data calls `recordAudit` inside the same transaction as the change,
 * so the change and its record commit or roll back together.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { auditLog } from './tables.ts';
import { authorities } from '../../modules/places/tables.ts';
import type { Db, Queryable, Tx } from '../db/client.ts';
import { canonicalJson, asStoredJson } from '../canonical-json.ts';
import { newId } from '../ids.ts';

/** Who made a change, and through which door. */
export interface Actor {
  userId: string | null;
  /** The role they acted in, e.g. "admin"; "system" for the platform itself. */
  role: string;
  via: 'web' | 'api' | 'cli' | 'system';
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system', via: 'system' };

export interface AuditEvent {
  authorityId: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Fields that must never reach the log, whatever a service passes in. */
const SECRET_FIELDS = new Set(['passwordHash', 'password', 'tokenHash', 'token']);

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? (v == null ? v : '[redacted]') : redact(v)]),
    );
  }
  return value;
}

interface HashedFields {
  authorityId: string;
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorRole: string;
  via: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export function entryHash(prevHash: string, e: HashedFields): string {
  const body = canonicalJson({
    authorityId: e.authorityId,
    seq: e.seq,
    at: e.at.toISOString(),
    actorUserId: e.actorUserId,
    actorRole: e.actorRole,
    via: e.via,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Append one entry to the authority's chain. Must run inside the change's transaction. */
export async function recordAudit(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
  // Serialise appends per authority so two concurrent changes cannot fork the chain.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'audit:' + event.authorityId}, 0))`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.authorityId, event.authorityId))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const fields: HashedFields = {
    authorityId: event.authorityId,
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actorUserId: actor.userId,
    actorRole: actor.role,
    via: actor.via,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: asStoredJson(redact(event.before ?? null)),
    after: asStoredJson(redact(event.after ?? null)),
    reason: event.reason ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ id: newId(), ...fields, prevHash, hash: entryHash(prevHash, fields) });
}

/**
 * The number of the authority's newest audit entry, as a column expression for a query on
 * `authorities`. It grows with every change to anything of that authority (each change is
 * audited in its own transaction), so it versions whatever was derived from that data.
 */
export const latestAuditSeq = () =>
  // Spelled out with table names: in a one-table select drizzle drops column qualifiers, and an
  // unqualified "id" inside the subquery would be audit_log's own.
  sql<number>`(select coalesce(max(latest.seq), 0) from audit_log latest where latest.authority_id = authorities.id)`.mapWith(Number);

export interface AuditProblem {
  authorityId: string;
  authoritySlug: string;
  seq: number;
  kind: 'tampered' | 'missing' | 'broken-link';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entriesChecked: number;
  chainsChecked: number;
  problem: AuditProblem | null;
}

/**
 * Walk every chain from its first entry. Reports the first entry whose content
 * no longer matches its hash, whose predecessor is gone, or whose link is broken.
 */
export async function verifyAudit(db: Db, options: { authorityId?: string } = {}): Promise<VerifyResult> {
  const chains = await db
    .select({ id: authorities.id, slug: authorities.slug })
    .from(authorities)
    .where(options.authorityId ? eq(authorities.id, options.authorityId) : undefined)
    .orderBy(asc(authorities.slug));
  let entriesChecked = 0;
  for (const chain of chains) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const page = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.authorityId, chain.id), gt(auditLog.seq, expectedSeq - 1)))
        .orderBy(asc(auditLog.seq))
        .limit(1000);
      if (page.length === 0) break;
      for (const row of page) {
        const at = (kind: AuditProblem['kind'], message: string): VerifyResult => ({
          ok: false,
          entriesChecked,
          chainsChecked: chains.indexOf(chain) + 1,
          problem: { authorityId: chain.id, authoritySlug: chain.slug, seq: row.seq, kind, message },
        });
        if (row.seq !== expectedSeq) {
          return at('missing', `entries ${expectedSeq} to ${row.seq - 1} of ${chain.slug} are missing`);
        }
        if (row.prevHash !== prevHash) {
          return at('broken-link', `entry ${row.seq} of ${chain.slug} does not follow the entry before it`);
        }
        if (entryHash(prevHash, row) !== row.hash) {
          return at('tampered', `entry ${row.seq} of ${chain.slug} (${row.action} ${row.entityType} ${row.entityId}) has been altered`);
        }
        prevHash = row.hash;
        expectedSeq += 1;
        entriesChecked += 1;
      }
    }
  }
  return { ok: true, entriesChecked, chainsChecked: chains.length, problem: null };
}

export interface AuditFilter {
  authorityId: string;
  action?: string | undefined;
  entityType?: string | undefined;
  actorUserId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export async function listAudit(db: Queryable, filter: AuditFilter, page: { limit: number; offset: number }) {
  const where = and(
    eq(auditLog.authorityId, filter.authorityId),
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.actorUserId ? eq(auditLog.actorUserId, filter.actorUserId) : undefined,
    filter.from ? sql`${auditLog.at} >= ${filter.from.toISOString()}` : undefined,
    filter.to ? sql`${auditLog.at} < ${filter.to.toISOString()}` : undefined,
  );
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(page.limit).offset(page.offset);
  const [{ total } = { total: 0 }] = await db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(where);
  return { rows, total };
}
