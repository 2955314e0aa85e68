import { pgTable, uuid, text, timestamp, date, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { authorities, wards } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';

/**
 * Co-operative membership. One row per person per authority, so a member can
 * never hold two votes; leaving and rejoining changes the row (history is in the audit log).
 */
export const coopMemberships = pgTable(
  'coop_memberships',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    wardId: uuid('ward_id').references(() => wards.id),
    /** active, lapsed or withdrawn. */
    status: text('status').notNull(),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    endReason: text('end_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('coop_memberships_one_per_person').on(t.authorityId, t.userId), index('coop_memberships_status').on(t.authorityId, t.status)],
);
