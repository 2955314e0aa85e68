import { pgTable, uuid, text, timestamp, bigint, primaryKey, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities, wards } from '../places/tables.ts';
import { organisations } from '../organisations/tables.ts';
import { outcomes } from '../outcomes/tables.ts';

/** A local service: who delivers it, how, for how much, where, and to what end. */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    directorate: text('directorate'),
    providerOrganisationId: uuid('provider_organisation_id').references(() => organisations.id),
    /** One of DELIVERY_MODELS in rules.ts. */
    deliveryModel: text('delivery_model').notNull(),
    annualBudgetPence: bigint('annual_budget_pence', { mode: 'number' }),
    /** active, inactive, defunct or temporarily closed (the Open Referral statuses). */
    status: text('status').notNull().default('active'),
    url: text('url'),
    email: text('email'),
    /** The service's id in an Open Referral feed it was imported from, so re-imports update it. */
    externalId: text('external_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('services_authority_name').on(t.authorityId, t.name),
    index('services_authority_category').on(t.authorityId, t.category),
    uniqueIndex('services_external').on(t.authorityId, t.externalId),
  ],
);

export const serviceWards = pgTable(
  'service_wards',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    serviceId: uuid('service_id').notNull().references(() => services.id, { onDelete: 'cascade' }),
    wardId: uuid('ward_id').notNull().references(() => wards.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.wardId] }), index('service_wards_ward').on(t.authorityId, t.wardId)],
);

export const serviceOutcomes = pgTable(
  'service_outcomes',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    serviceId: uuid('service_id').notNull().references(() => services.id, { onDelete: 'cascade' }),
    outcomeId: uuid('outcome_id').notNull().references(() => outcomes.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.outcomeId] })],
);
