import { pgTable, uuid, text, timestamp, boolean, uniqueIndex, index } from 'drizzle-orm/pg-core';

/** A council using the platform. Its id is the authority_id every domain row carries. */
export const authorities = pgTable('authorities', {
  id: uuid('id').primaryKey(),
  /** Short name used in URLs and on the command line, e.g. "lambeth". */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** ONS GSS code of the local authority district, e.g. E09000022. */
  gssCode: text('gss_code'),
  /** Demo data is labelled as such on every page. */
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Electoral wards (or neighbourhoods) the authority serves, identified by GSS code. */
export const wards = pgTable(
  'wards',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    gssCode: text('gss_code').notNull(),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('wards_authority_gss').on(t.authorityId, t.gssCode), index('wards_authority_name').on(t.authorityId, t.name)],
);
