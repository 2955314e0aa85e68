import { pgTable, uuid, text, timestamp, index } from 'drizzle-orm/pg-core';
import { authorities } from '../../modules/places/tables.ts';

/**
 * Every notification is written here in the same transaction as the change that
 * caused it, then delivered: by SMTP when configured, otherwise it stays here
 * for administrators to read (and for tests).
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** Cleared once delivered by SMTP: it may hold a one-time link. */
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    transport: text('transport').notNull(),
    error: text('error'),
  },
  (t) => [index('outbox_authority_created').on(t.authorityId, t.createdAt)],
);
