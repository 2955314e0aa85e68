import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, boolean, date, primaryKey, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';
import { outcomes } from '../outcomes/tables.ts';

/** A place's public service board: the partners who pool money, and how they decide. */
export const psbBoards = pgTable(
  'psb_boards',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    name: text('name').notNull(),
    /** DECISION_RULES in rules.ts. */
    decisionRule: text('decision_rule').notNull(),
    /** For "lead partner below a limit": decisions under this amount need only the lead partner. */
    leadLimitPence: bigint('lead_limit_pence', { mode: 'number' }),
    /** Open book: every partner sees every partner's figures; otherwise each sees its own and the pool's totals. */
    openBook: boolean('open_book').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('psb_boards_name').on(t.authorityId, t.name)],
);

export const psbPartners = pgTable(
  'psb_partners',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    boardId: uuid('board_id').notNull().references(() => psbBoards.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    isLead: boolean('is_lead').notNull().default(false),
  },
  (t) => [uniqueIndex('psb_partners_unique').on(t.boardId, t.organisationId)],
);

/** Who speaks for a partner on the board: they see and move that partner's money. */
export const psbRepresentatives = pgTable(
  'psb_representatives',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    partnerId: uuid('partner_id').notNull().references(() => psbPartners.id),
    userId: uuid('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.userId] }), index('psb_representatives_user').on(t.authorityId, t.userId)],
);

/** Money the partners pool for a period, with the outcomes it commits to. */
export const pooledBudgets = pgTable('pooled_budgets', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  boardId: uuid('board_id').notNull().references(() => psbBoards.id),
  name: text('name').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  years: integer('years').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const pooledBudgetOutcomes = pgTable(
  'pooled_budget_outcomes',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    budgetId: uuid('budget_id').notNull().references(() => pooledBudgets.id),
    outcomeId: uuid('outcome_id').notNull().references(() => outcomes.id),
  },
  (t) => [primaryKey({ columns: [t.budgetId, t.outcomeId] })],
);

/** A partner's named source of money, with its conditions. Movements lock its row, so they queue per stream. */
export const fundingStreams = pgTable('funding_streams', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  budgetId: uuid('budget_id').notNull().references(() => pooledBudgets.id),
  partnerId: uuid('partner_id').notNull().references(() => psbPartners.id),
  name: text('name').notNull(),
  /** Ring-fenced: allocations from it must serve this outcome. */
  ringFencedOutcomeId: uuid('ring_fenced_outcome_id').references(() => outcomes.id),
  /** The budget years (1 = the year beginning with its start date) money may move in. */
  firstYear: integer('first_year').notNull(),
  lastYear: integer('last_year').notNull(),
  /** The terms on which the partner may take money back; null means it may not. */
  clawbackTerms: text('clawback_terms'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Where the board sent money: a service, contract, grant, project or business case. */
export const pooledAllocations = pgTable('pooled_allocations', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  budgetId: uuid('budget_id').notNull().references(() => pooledBudgets.id),
  streamId: uuid('stream_id').notNull().references(() => fundingStreams.id),
  /** RECIPIENT_KINDS in rules.ts. */
  recipientKind: text('recipient_kind').notNull(),
  recipient: text('recipient').notNull(),
  businessCaseId: uuid('business_case_id').references(() => businessCases.id),
  outcomeId: uuid('outcome_id').references(() => outcomes.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** One movement of money. Its postings sum to zero: the database checks that at commit. */
export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    budgetId: uuid('budget_id').notNull().references(() => pooledBudgets.id),
    /** MOVEMENTS in ledger.ts. */
    kind: text('kind').notNull(),
    streamId: uuid('stream_id').notNull().references(() => fundingStreams.id),
    allocationId: uuid('allocation_id').references(() => pooledAllocations.id),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    description: text('description').notNull(),
    /** The partners who agreed, for a board decision. */
    agreedBy: jsonb('agreed_by').$type<string[]>().notNull().default([]),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ledger_transactions_budget').on(t.budgetId, t.occurredOn)],
);

export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    transactionId: uuid('transaction_id').notNull().references(() => ledgerTransactions.id),
    streamId: uuid('stream_id').notNull().references(() => fundingStreams.id),
    /** ACCOUNTS in ledger.ts. */
    account: text('account').notNull(),
    allocationId: uuid('allocation_id').references(() => pooledAllocations.id),
    /** Debit positive, credit negative. */
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('ledger_postings_stream').on(t.streamId, t.account),
    index('ledger_postings_transaction').on(t.transactionId),
    check('ledger_postings_account', sql`${t.account} in ('contributed', 'available', 'fund', 'allocated', 'spent')`),
    check('ledger_postings_nonzero', sql`${t.amountPence} <> 0`),
  ],
);

/** A spend-to-save business case, kept in the documented JSON form (amounts in pounds). */
export const businessCases = pgTable('business_cases', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  title: text('title').notNull(),
  /** draft, then approved by the board (money can be released against it). */
  status: text('status').notNull(),
  body: jsonb('body').$type<Record<string, unknown>>().notNull(),
  /** The Monte Carlo ranges: ± this share on every cost and unit value, drawn from this seed. */
  uncertainty: integer('uncertainty_percent').notNull().default(20),
  seed: integer('seed').notNull().default(1),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Savings that arrived, set against the case's forecast for the same agency. */
export const realisedSavings = pgTable(
  'realised_savings',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    businessCaseId: uuid('business_case_id').notNull().references(() => businessCases.id),
    agency: text('agency').notNull(),
    year: integer('year').notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('realised_savings_case').on(t.businessCaseId)],
);
