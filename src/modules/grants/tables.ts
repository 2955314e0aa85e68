import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, boolean, date, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities, wards } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';
import type { Criterion, Eligibility } from './rules.ts';
import type { GrantLocation } from './threesixty.ts';

/** A grant programme: its prospectus, who may apply, how much, by when, and what the panel scores. */
export const grantProgrammes = pgTable(
  'grant_programmes',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    prospectus: text('prospectus').notNull(),
    eligibility: jsonb('eligibility').$type<Eligibility>().notNull(),
    minAmountPence: bigint('min_amount_pence', { mode: 'number' }).notNull(),
    maxAmountPence: bigint('max_amount_pence', { mode: 'number' }).notNull(),
    /** Applications are accepted until the end of this day. */
    deadline: date('deadline', { mode: 'string' }).notNull(),
    /** PROGRAMME_STATUSES in rules.ts. */
    status: text('status').notNull(),
    criteria: jsonb('criteria').$type<Criterion[]>().notNull(),
    scoreMax: integer('score_max').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grant_programmes_authority').on(t.authorityId, t.deadline)],
);

/** An organisation's application, from its first draft to the decision. */
export const grantApplications = pgTable(
  'grant_applications',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    programmeId: uuid('programme_id').notNull().references(() => grantProgrammes.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    /** The representative who applies for the organisation. */
    applicantUserId: uuid('applicant_user_id').notNull().references(() => users.id),
    title: text('title'),
    summary: text('summary'),
    amountRequestedPence: bigint('amount_requested_pence', { mode: 'number' }),
    /** The ward the work will benefit: its GSS code is the grant's beneficiary location. */
    wardId: uuid('ward_id').references(() => wards.id),
    /** Declared for the programme's income band. */
    annualIncomePence: bigint('annual_income_pence', { mode: 'number' }),
    /** APPLICATION_STATUSES in rules.ts. */
    status: text('status').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    recommendationReason: text('recommendation_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grant_applications_programme').on(t.programmeId, t.status), index('grant_applications_organisation').on(t.authorityId, t.organisationId)],
);

/** One assessor's independent scores for an application, or their declared conflict of interest. */
export const grantAssessments = pgTable(
  'grant_assessments',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    applicationId: uuid('application_id').notNull().references(() => grantApplications.id),
    assessorUserId: uuid('assessor_user_id').notNull().references(() => users.id),
    conflict: boolean('conflict').notNull(),
    conflictNote: text('conflict_note'),
    /** Criterion key → score. */
    scores: jsonb('scores').$type<Record<string, number>>().notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('grant_assessments_one_each').on(t.applicationId, t.assessorUserId)],
);

/**
 * A grant made: awarded here from an application, or read from a 360Giving file. Either way it
 * holds what 360Giving publishes, so the export reads one table.
 */
export const grantAwards = pgTable(
  'grant_awards',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    applicationId: uuid('application_id').references(() => grantApplications.id),
    /** The 360Giving identifier, 360G-…; unique per authority so a file read twice changes nothing. */
    identifier: text('identifier').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    currency: text('currency').notNull(),
    amountAwardedPence: bigint('amount_awarded_pence', { mode: 'number' }).notNull(),
    amountAppliedForPence: bigint('amount_applied_for_pence', { mode: 'number' }),
    awardDate: date('award_date', { mode: 'string' }).notNull(),
    plannedStart: date('planned_start', { mode: 'string' }),
    plannedEnd: date('planned_end', { mode: 'string' }),
    durationMonths: integer('duration_months'),
    recipientId: text('recipient_id').notNull(),
    recipientName: text('recipient_name').notNull(),
    recipientCharityNumber: text('recipient_charity_number'),
    recipientCompanyNumber: text('recipient_company_number'),
    recipientPostalCode: text('recipient_postal_code'),
    funderId: text('funder_id').notNull(),
    funderName: text('funder_name').notNull(),
    programmeTitle: text('programme_title'),
    locations: jsonb('locations').$type<GrantLocation[]>().notNull(),
    /** Conditions of the grant, as the award letter sets them. */
    conditions: text('conditions'),
    dateModified: text('date_modified'),
    /** The file it was read from, or null for a grant made here. */
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('grant_awards_identifier').on(t.authorityId, t.identifier), index('grant_awards_date').on(t.authorityId, t.awardDate)],
);

/** The reports a grant's conditions ask for, and whether the council has accepted them. */
export const grantMonitoringReturns = pgTable(
  'grant_monitoring_returns',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    awardId: uuid('award_id').notNull().references(() => grantAwards.id),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    report: text('report'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grant_returns_award').on(t.awardId, t.dueOn)],
);
