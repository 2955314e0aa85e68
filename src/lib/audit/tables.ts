import { pgTable, uuid, text, timestamp, integer, jsonb, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { authorities } from '../../modules/places/tables.ts';

/**
 * The append-only audit log: one hash chain per authority. A trigger (see the
 * migration audit_append_only) refuses UPDATE, DELETE and TRUNCATE, and
 * `coproduce audit verify` finds any entry changed or removed behind its back.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    /** Position in the authority's chain, from 1 with no gaps. */
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role').notNull(),
    /** web, api, cli or system. */
    via: text('via').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_chain').on(t.authorityId, t.seq),
    index('audit_log_entity').on(t.authorityId, t.entityType, t.entityId),
    index('audit_log_at').on(t.authorityId, t.at),
  ],
);
