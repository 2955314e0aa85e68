import { pgTable, uuid, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';

/** Outcomes the place has agreed, e.g. "people feel safe". Services link to the outcomes they serve. */
export const outcomes = pgTable(
  'outcomes',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('outcomes_authority_title').on(t.authorityId, t.title)],
);
