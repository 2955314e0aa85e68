import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, date, primaryKey, index, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';
import { services } from '../catalogue/tables.ts';

/**
 * A commissioning project: one turn of the cycle (Analyse, Plan, Do, Review) for a service or a
 * group of services. What each stage found and decided is kept on the project; a review that
 * continues or changes the service opens the next cycle as a new project.
 */
export const commissioningProjects = pgTable(
  'commissioning_projects',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    /** What is being commissioned, in words residents use. */
    summary: text('summary').notNull(),
    /** How residents can take part, beyond the sessions listed. */
    takePart: text('take_part'),
    cycle: integer('cycle').notNull().default(1),
    previousProjectId: uuid('previous_project_id').references((): AnyPgColumn => commissioningProjects.id),
    /** One of STAGES in rules.ts. */
    stage: text('stage').notNull(),
    stageSince: date('stage_since', { mode: 'string' }).notNull(),
    /** Set when the review is done: the cycle is over. */
    closedOn: date('closed_on', { mode: 'string' }),
    // Analyse
    needsEvidence: text('needs_evidence'),
    needsData: text('needs_data'),
    residentInsight: text('resident_insight'),
    currentPerformance: text('current_performance'),
    currentCostPence: bigint('current_cost_pence', { mode: 'number' }),
    // Plan
    intentions: text('intentions'),
    chosenOption: text('chosen_option'),
    chosenReasons: text('chosen_reasons'),
    // Do
    handoffKind: text('handoff_kind'),
    /** What follows, by its reference: a procurement, a grant programme, a mutual spin-out or an in-house redesign. */
    handoffReference: text('handoff_reference'),
    handoffOn: date('handoff_on', { mode: 'string' }),
    // Review
    performanceReview: text('performance_review'),
    residentsSaid: text('residents_said'),
    reviewDecision: text('review_decision'),
    reviewReasons: text('review_reasons'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('commissioning_projects_authority_stage').on(t.authorityId, t.stage)],
);

export const commissioningProjectServices = pgTable(
  'commissioning_project_services',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    projectId: uuid('project_id').notNull().references(() => commissioningProjects.id),
    serviceId: uuid('service_id').notNull().references(() => services.id),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.serviceId] })],
);

/** A co-design session: when, who took part by role (counts, never names), what was proposed and decided. */
export const codesignSessions = pgTable(
  'codesign_sessions',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    projectId: uuid('project_id').notNull().references(() => commissioningProjects.id),
    /** The stage the project was in. */
    stage: text('stage').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    /** Where and how residents can join, for sessions still to come. */
    howToJoin: text('how_to_join'),
    /** Role (PARTICIPANT_ROLES) → how many took part. */
    participants: jsonb('participants').$type<Record<string, number>>().notNull().default({}),
    proposed: text('proposed'),
    decided: text('decided'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('codesign_sessions_project').on(t.projectId, t.heldOn)],
);

/** One delivery model appraised for a project; appraising it again replaces it. */
export const commissioningOptions = pgTable(
  'commissioning_options',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    projectId: uuid('project_id').notNull().references(() => commissioningProjects.id),
    /** One of DELIVERY_OPTIONS in rules.ts. */
    model: text('model').notNull(),
    assessment: text('assessment').notNull(),
    annualCostPence: bigint('annual_cost_pence', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('commissioning_options_model').on(t.projectId, t.model)],
);

/** Each move from one stage to the next, for the timeline residents see (the audit log keeps who). */
export const commissioningStageChanges = pgTable(
  'commissioning_stage_changes',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    projectId: uuid('project_id').notNull().references(() => commissioningProjects.id),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    changedOn: date('changed_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('commissioning_stage_changes_project').on(t.projectId, t.createdAt)],
);

/** The authority's market position statement, as published; a new one supersedes the last. */
export const marketPositionStatements = pgTable(
  'market_position_statements',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    /** The years it covers, like "2026 to 2029". */
    covers: text('covers').notNull(),
    body: text('body').notNull(),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('market_position_statements_authority').on(t.authorityId, t.publishedOn)],
);
