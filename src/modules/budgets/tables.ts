import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, boolean, date, primaryKey, index, uniqueIndex, customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { authorities, wards } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';

/**
 * A participatory budgeting round: money the council devolves, the phases residents
 * move through, the ballot they fill in and the rule that counts it.
 */
export const budgetRounds = pgTable(
  'budget_rounds',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** The phase an officer last moved the round to (PHASES in rules.ts); the schedule may carry it further. */
    phase: text('phase').notNull(),
    /** Phase → first day of that phase (YYYY-MM-DD): the round moves on by date as well as by hand. */
    schedule: jsonb('schedule').$type<Partial<Record<string, string>>>().notNull().default({}),
    /** BALLOT_KINDS in rules.ts. */
    ballotKind: text('ballot_kind').notNull(),
    minChoices: integer('min_choices').notNull().default(1),
    maxChoices: integer('max_choices'),
    /** Cumulative ballots: points each voter shares out. Score ballots: the highest score. */
    maxPoints: integer('max_points'),
    /** A counting rule key (the Pabulib/pabutools names, e.g. mes_cost_add1_greedy). */
    countingRule: text('counting_rule').notNull(),
    /** Who may vote: ELIGIBILITY_RULES in rules.ts, each with its settings. */
    eligibility: jsonb('eligibility').$type<{ kind: string; years?: number }[]>().notNull().default([]),
    /** ISO 4217; amounts are in its minor unit (pence for GBP). Imported Pabulib rounds keep their own. */
    currency: text('currency').notNull().default('GBP'),
    /** Where an imported round came from (a Pabulib file name), or null for the council's own. */
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('budget_rounds_authority').on(t.authorityId, t.createdAt)],
);

/** Part of a round with its own budget: one ward, several, or (with no wards) the whole authority. */
export const budgetAreas = pgTable(
  'budget_areas',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    name: text('name').notNull(),
    budgetPence: bigint('budget_pence', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('budget_areas_name').on(t.roundId, t.name)],
);

export const budgetAreaWards = pgTable(
  'budget_area_wards',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    areaId: uuid('area_id').notNull().references(() => budgetAreas.id),
    wardId: uuid('ward_id').notNull().references(() => wards.id),
  },
  (t) => [primaryKey({ columns: [t.areaId, t.wardId] })],
);

/** A project put forward for the money, and the officers' view of whether it can be done and for how much. */
export const budgetProposals = pgTable(
  'budget_proposals',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    areaId: uuid('area_id').notNull().references(() => budgetAreas.id),
    /** Short number within the round, shown to voters and used as the project id in Pabulib files. */
    ref: text('ref').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category'),
    location: text('location'),
    wardId: uuid('ward_id').references(() => wards.id),
    /** What the proposer asked for. */
    costPence: bigint('cost_pence', { mode: 'number' }).notNull(),
    /** What officers costed it at, when they revised it: the cost counted. */
    assessedCostPence: bigint('assessed_cost_pence', { mode: 'number' }),
    proposerUserId: uuid('proposer_user_id').references(() => users.id),
    proposerOrganisationId: uuid('proposer_organisation_id').references(() => organisations.id),
    /** PROPOSAL_STATUSES in rules.ts. */
    status: text('status').notNull(),
    reviewReason: text('review_reason'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('budget_proposals_ref').on(t.roundId, t.ref), index('budget_proposals_area').on(t.areaId, t.status)],
);

/**
 * A ballot. The database, not the code, holds each person to one ballot per round and
 * channel: a second online ballot replaces the first (upsert on this key), and a paper
 * ballot for someone who also voted online is kept but not counted (see reconcileBallots).
 */
export const budgetBallots = pgTable(
  'budget_ballots',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    areaId: uuid('area_id').notNull().references(() => budgetAreas.id),
    voterUserId: uuid('voter_user_id').references(() => users.id),
    /** The voter id in an imported Pabulib file (never a person here). */
    voterRef: text('voter_ref'),
    /** online, paper or imported. */
    channel: text('channel').notNull(),
    /** Paper ballots: the officer who entered it, having checked who the voter is. */
    enteredByUserId: uuid('entered_by_user_id').references(() => users.id),
    paperRef: text('paper_ref'),
    /** The voter's own declaration for an age rule ("I am 16 or over"), when the round has one. */
    declaredMinimumAge: boolean('declared_minimum_age').notNull().default(false),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('budget_ballots_one_per_voter').on(t.roundId, t.voterUserId, t.channel).where(sql`voter_user_id is not null`),
    uniqueIndex('budget_ballots_imported_voter').on(t.roundId, t.voterRef).where(sql`voter_ref is not null`),
    index('budget_ballots_area').on(t.areaId),
  ],
);

/** What a ballot chose: a project, with points (cumulative, scores) or a rank (1 = first choice). */
export const budgetBallotChoices = pgTable(
  'budget_ballot_choices',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    ballotId: uuid('ballot_id').notNull().references(() => budgetBallots.id, { onDelete: 'cascade' }),
    proposalId: uuid('proposal_id').notNull().references(() => budgetProposals.id),
    points: integer('points'),
    rank: integer('rank'),
  },
  (t) => [primaryKey({ columns: [t.ballotId, t.proposalId] })],
);

/** The count for one area, fixed when voting closed, with the steps that explain it. */
export const budgetResults = pgTable(
  'budget_results',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    areaId: uuid('area_id').notNull().references(() => budgetAreas.id),
    rule: text('rule').notNull(),
    /** Proposal ids of the winners. */
    winners: jsonb('winners').$type<string[]>().notNull(),
    spentPence: bigint('spent_pence', { mode: 'number' }).notNull(),
    ballotsCounted: integer('ballots_counted').notNull(),
    /** Paper ballots not counted because the same person also voted online. */
    paperSuperseded: integer('paper_superseded').notNull(),
    /** Per-project explanation: why each won or lost, in data a page can put in words. */
    explanation: jsonb('explanation').notNull(),
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('budget_results_area').on(t.areaId)],
);

/** A funded project as a promise to residents: who delivers it, by when, and how far it has got. */
export const budgetCommitments = pgTable(
  'budget_commitments',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    proposalId: uuid('proposal_id').notNull().references(() => budgetProposals.id),
    /** The organisation delivering it, when it is not the council itself. */
    ownerOrganisationId: uuid('owner_organisation_id').references(() => organisations.id),
    /** COMMITMENT_STATUSES in rules.ts. */
    status: text('status').notNull(),
    percentComplete: integer('percent_complete').notNull().default(0),
    dueOn: date('due_on', { mode: 'string' }),
    /** The payment that paid for it, as the council's finance system or spend data names it. */
    spendReference: text('spend_reference'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('budget_commitments_proposal').on(t.proposalId), index('budget_commitments_round').on(t.roundId)],
);

export const budgetMilestones = pgTable(
  'budget_milestones',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    commitmentId: uuid('commitment_id').notNull().references(() => budgetCommitments.id),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    doneOn: date('done_on', { mode: 'string' }),
  },
  (t) => [index('budget_milestones_commitment').on(t.commitmentId)],
);

/** A progress report residents can read: what happened, and how far along the project now is. */
export const budgetProgressUpdates = pgTable(
  'budget_progress_updates',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    commitmentId: uuid('commitment_id').notNull().references(() => budgetCommitments.id),
    postedOn: date('posted_on', { mode: 'string' }).notNull(),
    note: text('note').notNull(),
    percentComplete: integer('percent_complete').notNull(),
    postedByUserId: uuid('posted_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('budget_progress_updates_commitment').on(t.commitmentId, t.createdAt)],
);

/** Raw bytes: PGlite gives a Uint8Array and node-postgres a Buffer; both are Uint8Arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * A picture residents see: a proposal's image, or a photo with a progress report. Kept in the
 * database so a backup holds everything and one machine needs no file store; size is capped.
 */
export const budgetImages = pgTable(
  'budget_images',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    roundId: uuid('round_id').notNull().references(() => budgetRounds.id),
    proposalId: uuid('proposal_id').references(() => budgetProposals.id),
    progressUpdateId: uuid('progress_update_id').references(() => budgetProgressUpdates.id),
    /** image/jpeg or image/png, from the file's own first bytes, never from what the browser said. */
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    /** What the picture shows, for people who cannot see it. */
    altText: text('alt_text').notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('budget_images_proposal').on(t.proposalId), index('budget_images_update').on(t.progressUpdateId)],
);
