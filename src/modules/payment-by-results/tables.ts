import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, date, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';
import type { Condition } from './rules.ts';

/** An outcome-based contract with a provider: who may join it, for how long, and its caps. */
export const pbrContracts = pgTable(
  'pbr_contracts',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    name: text('name').notNull(),
    providerOrganisationId: uuid('provider_organisation_id').notNull().references(() => organisations.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** The published framework it was set up from (frameworks.ts), and that framework's version. */
    templateKey: text('template_key'),
    templateVersion: text('template_version'),
    /** Who may be attached: the criteria and how many must be met, or null for anyone. */
    eligibility: jsonb('eligibility').$type<{ minimum: number; criteria: [string, string][]; source: string } | null>(),
    cohortLimit: integer('cohort_limit'),
    participantCapPence: bigint('participant_cap_pence', { mode: 'number' }),
    contractCapPence: bigint('contract_cap_pence', { mode: 'number' }),
    pseudonymPrefix: text('pseudonym_prefix').notNull(),
    /** The number the next participant's pseudonym takes. */
    nextParticipant: integer('next_participant').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('pbr_contracts_authority').on(t.authorityId, t.createdAt)],
);

/** The fee paid when a participant is attached, by the date they were attached. */
export const pbrAttachmentFees = pgTable('pbr_attachment_fees', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  contractId: uuid('contract_id').notNull().references(() => pbrContracts.id),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  effectiveTo: date('effective_to', { mode: 'string' }).notNull(),
  feePence: bigint('fee_pence', { mode: 'number' }).notNull(),
  source: text('source').notNull(),
});

/** A result the contract pays for, and the measures (with thresholds and windows) that prove it. */
export const pbrOutcomes = pgTable(
  'pbr_outcomes',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    contractId: uuid('contract_id').notNull().references(() => pbrContracts.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    conditions: jsonb('conditions').$type<Condition[]>().notNull(),
    /** Keys of results that cannot also be paid for the same participant. */
    exclusiveWith: jsonb('exclusive_with').$type<string[]>().notNull().default([]),
    source: text('source').notNull(),
  },
  (t) => [uniqueIndex('pbr_outcomes_key').on(t.contractId, t.key)],
);

/** What a result pays, by the date the participant was attached. */
export const pbrTariffs = pgTable('pbr_tariffs', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  outcomeId: uuid('outcome_id').notNull().references(() => pbrOutcomes.id),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  effectiveTo: date('effective_to', { mode: 'string' }).notNull(),
  tariffPence: bigint('tariff_pence', { mode: 'number' }).notNull(),
  source: text('source').notNull(),
});

/** A member of the cohort, known across the contract by a pseudonym only. */
export const pbrParticipants = pgTable(
  'pbr_participants',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    contractId: uuid('contract_id').notNull().references(() => pbrContracts.id),
    pseudonym: text('pseudonym').notNull(),
    attachedOn: date('attached_on', { mode: 'string' }).notNull(),
    criteriaMet: jsonb('criteria_met').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pbr_participants_pseudonym').on(t.contractId, t.pseudonym)],
);

/** Who a participant is, kept apart so that only the roles that need it ever read it. */
export const pbrParticipantIdentities = pgTable('pbr_participant_identities', {
  participantId: uuid('participant_id')
    .primaryKey()
    .references(() => pbrParticipants.id),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  name: text('name').notNull(),
  caseReference: text('case_reference'),
});

/** A measurement for a participant over a period, with where it came from. Never changed once recorded. */
export const pbrEvidence = pgTable(
  'pbr_evidence',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    participantId: uuid('participant_id').notNull().references(() => pbrParticipants.id),
    measure: text('measure').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    /** A decimal as written, so that thresholds compare exactly. */
    value: text('value').notNull(),
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('pbr_evidence_participant').on(t.participantId, t.measure)],
);

/** A claim for one result for one participant: waiting for approval, approved, or rejected with a reason. */
export const pbrClaims = pgTable(
  'pbr_claims',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    contractId: uuid('contract_id').notNull().references(() => pbrContracts.id),
    participantId: uuid('participant_id').notNull().references(() => pbrParticipants.id),
    outcomeId: uuid('outcome_id').notNull().references(() => pbrOutcomes.id),
    claimDate: date('claim_date', { mode: 'string' }).notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    /** CLAIM_STATUSES in service.ts. */
    status: text('status').notNull(),
    madeBy: uuid('made_by').references(() => users.id),
    madeAt: timestamp('made_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    index('pbr_claims_contract').on(t.contractId, t.status),
    // A result is claimed once per participant: a rejected claim may be made again.
    uniqueIndex('pbr_claims_once').on(t.participantId, t.outcomeId).where(sql`status <> 'rejected'`),
  ],
);

/** The evidence a claim rests on, as it was when the claim was checked. */
export const pbrClaimEvidence = pgTable(
  'pbr_claim_evidence',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    claimId: uuid('claim_id').notNull().references(() => pbrClaims.id),
    evidenceId: uuid('evidence_id').notNull().references(() => pbrEvidence.id),
    role: text('role').notNull(),
    measure: text('measure').notNull(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.evidenceId, t.role] })],
);

/** Money the contract pays: an attachment fee per participant, or an approved claim's result. */
export const pbrPayments = pgTable(
  'pbr_payments',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    contractId: uuid('contract_id').notNull().references(() => pbrContracts.id),
    participantId: uuid('participant_id').notNull().references(() => pbrParticipants.id),
    claimId: uuid('claim_id').references(() => pbrClaims.id),
    kind: text('kind').notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pbr_payments_claim').on(t.claimId), uniqueIndex('pbr_payments_attachment').on(t.participantId).where(sql`kind = 'attachment'`)],
);
