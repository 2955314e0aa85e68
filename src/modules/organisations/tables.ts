import { pgTable, uuid, text, timestamp, boolean, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';

/** Councils, partner agencies, voluntary and community bodies, mutuals, businesses… */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    name: text('name').notNull(),
    /** One of ORGANISATION_TYPES in rules.ts. */
    type: text('type').notNull(),
    charityNumber: text('charity_number'),
    companyNumber: text('company_number'),
    legalForm: text('legal_form'),
    employeeOwned: boolean('employee_owned').notNull().default(false),
    website: text('website'),
    description: text('description'),
    /** Where the record came from, e.g. "oruk:<feed id>", so a re-import updates it. */
    externalId: text('external_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('organisations_authority_name').on(t.authorityId, t.name), uniqueIndex('organisations_external').on(t.authorityId, t.externalId)],
);

/** People's roles in organisations (chair, treasurer, service manager…). */
export const organisationPeople = pgTable(
  'organisation_people',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    roleTitle: text('role_title').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('organisation_people_unique').on(t.organisationId, t.userId, t.roleTitle)],
);
