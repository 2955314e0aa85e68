import { pgTable, uuid, text, timestamp, integer, jsonb, boolean, date, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';
import { services } from '../catalogue/tables.ts';
import type { AnnualWindow, Deadline, Partner, Period } from './rules.ts';

/**
 * The council's published Right to Challenge settings. Never changed in place: a new row takes
 * effect from its date, so every deadline can be traced to the settings it was counted under.
 */
export const challengeSettings = pgTable(
  'challenge_settings',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Empty: at any time. */
    windows: jsonb('windows').$type<AnnualWindow[]>().notNull(),
    timescaleNoticeDays: integer('timescale_notice_days').notNull(),
    decisionPeriod: jsonb('decision_period').$type<Period>().notNull(),
    procurementMin: jsonb('procurement_min').$type<Period>().notNull(),
    procurementMax: jsonb('procurement_max').$type<Period>().notNull(),
    warnDays: integer('warn_days').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('challenge_settings_effective').on(t.authorityId, t.effectiveFrom)],
);

/** An expression of interest under s.81, from draft to decision. */
export const expressionsOfInterest = pgTable(
  'expressions_of_interest',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    /** One of STATES in rules.ts. */
    state: text('state').notNull(),
    /** Who drafted it; only they see or change the draft. Never published. */
    createdBy: uuid('created_by').notNull().references(() => users.id),
    /** organisation or employee_group. */
    bodyKind: text('body_kind').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    groupName: text('group_name'),
    employeeCount: integer('employee_count'),
    /** The drafter confirms the body's activities are not carried on for profit (s.81(7)). */
    notForProfit: boolean('not_for_profit').notNull().default(false),
    serviceId: uuid('service_id').references(() => services.id),
    area: text('area').notNull().default(''),
    financialResources: text('financial_resources').notNull().default(''),
    capabilityEvidence: text('capability_evidence').notNull().default(''),
    outcomes: text('outcomes').notNull().default(''),
    wellBeing: text('well_being').notNull().default(''),
    serviceUsers: text('service_users').notNull().default(''),
    employeeEngagement: text('employee_engagement').notNull().default(''),
    partners: jsonb('partners').$type<Partner[]>().notNull().default([]),
    submittedOn: date('submitted_on', { mode: 'string' }),
    receivedOn: date('received_on', { mode: 'string' }),
    /** The settings its deadlines were counted under. */
    settingsId: uuid('settings_id').references(() => challengeSettings.id),
    timescaleNoticeDeadline: jsonb('timescale_notice_deadline').$type<Deadline>(),
    decisionDeadline: jsonb('decision_deadline').$type<Deadline>(),
    /** The date the body was told the council would decide by. */
    decideBy: date('decide_by', { mode: 'string' }),
    timescaleGivenOn: date('timescale_given_on', { mode: 'string' }),
    considerationStartedOn: date('consideration_started_on', { mode: 'string' }),
    /** accept, modify or reject. */
    outcome: text('outcome'),
    grounds: jsonb('grounds').$type<string[]>().notNull().default([]),
    reasons: text('reasons'),
    modification: text('modification'),
    decidedOn: date('decided_on', { mode: 'string' }),
    bodyAgreed: boolean('body_agreed'),
    bodyRespondedOn: date('body_responded_on', { mode: 'string' }),
    /** The day the decision (or the out-of-window notice) was notified and published. */
    publishedOn: date('published_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('expressions_of_interest_authority_state').on(t.authorityId, t.state), index('expressions_of_interest_creator').on(t.authorityId, t.createdBy)],
);

/**
 * The procurement exercise an acceptance obliges (s.83), due to start within the council's
 * published period. The procurement module will link its tenders here.
 */
export const challengeProcurements = pgTable(
  'challenge_procurements',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    expressionId: uuid('expression_id').notNull().references(() => expressionsOfInterest.id),
    serviceId: uuid('service_id').references(() => services.id),
    acceptedOn: date('accepted_on', { mode: 'string' }).notNull(),
    earliestStart: date('earliest_start', { mode: 'string' }).notNull(),
    latestStart: date('latest_start', { mode: 'string' }).notNull(),
    /** pending until the exercise starts. */
    status: text('status').notNull(),
    startedOn: date('started_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('challenge_procurements_expression').on(t.expressionId)],
);
