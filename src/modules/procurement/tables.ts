import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, bigint, integer, boolean, date, jsonb, primaryKey, index, unique, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';

/** An organisation registered once to bid: its size and where it is based (its type is the organisation's own). */
export const procurementSuppliers = pgTable(
  'procurement_suppliers',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    /** SUPPLIER_SIZES in rules.ts. */
    size: text('size').notNull(),
    /** LOCALITIES in rules.ts. */
    locality: text('locality').notNull(),
    /** What it declares against s.33(6), for contracts reserved for public service mutuals. */
    deliversMainlyLightTouch: boolean('delivers_mainly_light_touch').notNull().default(false),
    notForProfitOrMembersOnly: boolean('not_for_profit_or_members_only').notNull().default(false),
    employeeControlled: boolean('employee_controlled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('procurement_suppliers_organisation').on(t.authorityId, t.organisationId)],
);

/** A social value measure and the proxy value the council gives one unit of it (none are built in). */
export const socialValueMeasures = pgTable('social_value_measures', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  code: text('code').notNull(),
  label: text('label').notNull(),
  /** What one unit is, e.g. "full-time local job for a year". */
  unit: text('unit').notNull(),
  proxyPence: bigint('proxy_pence', { mode: 'number' }).notNull(),
  source: text('source').notNull(),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
});

export const tenders = pgTable(
  'tenders',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    ref: text('ref').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    serviceArea: text('service_area').notNull(),
    cpvCode: text('cpv_code').notNull(),
    /** CONTRACT_TYPES in thresholds.ts. */
    contractType: text('contract_type').notNull(),
    valueExVatPence: bigint('value_ex_vat_pence', { mode: 'number' }).notNull(),
    valueInclVatPence: bigint('value_incl_vat_pence', { mode: 'number' }).notNull(),
    /** Fixed when the procurement starts: PA2023 (rules.md §3.1). */
    regime: text('regime').notNull(),
    aboveThreshold: boolean('above_threshold').notNull(),
    notifiable: boolean('notifiable').notNull(),
    /** The threshold it was tested against, as it then stood. */
    thresholdPence: bigint('threshold_pence', { mode: 'number' }).notNull(),
    thresholdSource: text('threshold_source').notNull(),
    /** PROCEDURES in rules.ts. */
    procedure: text('procedure').notNull(),
    reservedForMutuals: boolean('reserved_for_mutuals').notNull().default(false),
    termMonths: integer('term_months').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    clarificationsCloseOn: date('clarifications_close_on', { mode: 'string' }).notNull(),
    /** The bid deadline, an instant: bids are sealed until it and refused after it (in the database too). */
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** open → awarded, or cancelled. */
    status: text('status').notNull(),
    /** Where it came from: a commissioning decision or an accepted Right to Challenge, by kind and id. */
    originKind: text('origin_kind'),
    originId: text('origin_id'),
    awardNoticeOn: date('award_notice_on', { mode: 'string' }),
    cancelledOn: date('cancelled_on', { mode: 'string' }),
    /** Above threshold, a competition: whether preliminary market engagement was carried out (null where not asked). */
    pmeCarriedOut: boolean('pme_carried_out'),
    pmeOn: date('pme_on', { mode: 'string' }),
    uk2PublishedOn: date('uk2_published_on', { mode: 'string' }),
    /** Engagement with no UK2: the reasons the tender notice gives (s.17). */
    noUk2Reason: text('no_uk2_reason'),
    /** An optional planned procurement notice, which can shorten the tendering period (s.54). */
    uk3PublishedOn: date('uk3_published_on', { mode: 'string' }),
    /** A direct award's ground: DIRECT_AWARD_GROUNDS in thresholds.ts. */
    directAwardGround: text('direct_award_ground'),
    /** A direct award's supplier, named when it is set up or before the award; it takes no bids (a trigger refuses them). */
    directAwardSupplierId: uuid('direct_award_supplier_id').references(() => procurementSuppliers.id),
    /** A direct award's transparency notice (s.44), recorded as published: the award cannot come before it. */
    uk5PublishedOn: date('uk5_published_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('tenders_ref').on(t.authorityId, t.ref), index('tenders_closes').on(t.authorityId, t.closesAt)],
);

export const tenderLots = pgTable('tender_lots', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  tenderId: uuid('tender_id').notNull().references(() => tenders.id),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  /** The lot's own estimated value without VAT, where the council gives one. */
  valueExVatPence: bigint('value_ex_vat_pence', { mode: 'number' }),
  /**
   * The council's decision not to award this lot (s.55), and why: its UK12 falls due that day (in
   * London). Final: a trigger refuses an award of the lot after it, and the decision after an award.
   */
  notAwardedAt: timestamp('not_awarded_at', { withTimezone: true }),
  notAwardedReason: text('not_awarded_reason'),
}, (t) => [check('tender_lots_not_awarded_with_reason', sql`(${t.notAwardedAt} is null) = (${t.notAwardedReason} is null)`)]);

export const tenderCriteria = pgTable('tender_criteria', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  tenderId: uuid('tender_id').notNull().references(() => tenders.id),
  /** CRITERION_KINDS in rules.ts, which also names the scoring method. */
  kind: text('kind').notNull(),
  /** Whole percent; a tender's weights add up to 100. */
  weight: integer('weight').notNull(),
});

/** Questions from bidders; once answered, the answer is published to every bidder. */
export const tenderClarifications = pgTable('tender_clarifications', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  tenderId: uuid('tender_id').notNull().references(() => tenders.id),
  question: text('question').notNull(),
  askedBy: uuid('asked_by').notNull().references(() => users.id),
  askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
  answer: text('answer'),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
});

/**
 * A bid. Its content (price, quality response, social value commitments) is only ever stored
 * sealed: AES-256-GCM under a key derived for its tender, opened by the service only once the
 * database's clock has passed the tender's deadline. A trigger refuses a bid after the deadline
 * and any change to one.
 */
export const bids = pgTable(
  'bids',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    tenderId: uuid('tender_id').notNull().references(() => tenders.id),
    /** The lot bid for, when the tender has lots (a trigger holds it to the tender's own lots); one sealed bid per lot. */
    lotId: uuid('lot_id').references(() => tenderLots.id),
    /** The lead of a consortium, or the only bidder. */
    leadSupplierId: uuid('lead_supplier_id').notNull().references(() => procurementSuppliers.id),
    submittedBy: uuid('submitted_by').notNull().references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    sealed: text('sealed').notNull(),
  },
  // NULLS NOT DISTINCT: a tender without lots still takes one bid per lead.
  (t) => [unique('bids_one_per_lead_per_lot').on(t.tenderId, t.lotId, t.leadSupplierId).nullsNotDistinct()],
);

/** The other members of a consortium bid. */
export const bidMembers = pgTable(
  'bid_members',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    bidId: uuid('bid_id').notNull().references(() => bids.id),
    supplierId: uuid('supplier_id').notNull().references(() => procurementSuppliers.id),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.supplierId] })],
);

/** Each evaluator declares before scoring; a conflicted one cannot score. */
export const evaluatorDeclarations = pgTable(
  'evaluator_declarations',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    tenderId: uuid('tender_id').notNull().references(() => tenders.id),
    evaluatorId: uuid('evaluator_id').notNull().references(() => users.id),
    conflicted: boolean('conflicted').notNull(),
    details: text('details'),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('evaluator_declarations_once').on(t.tenderId, t.evaluatorId)],
);

/** One evaluator's own score of one bid against one quality criterion. */
export const evaluationScores = pgTable(
  'evaluation_scores',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    bidId: uuid('bid_id').notNull().references(() => bids.id),
    criterionId: uuid('criterion_id').notNull().references(() => tenderCriteria.id),
    evaluatorId: uuid('evaluator_id').notNull().references(() => users.id),
    score: integer('score').notNull(),
    note: text('note').notNull(),
    scoredAt: timestamp('scored_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.criterionId, t.evaluatorId] })],
);

/** The score the evaluators agreed at moderation, and why. */
export const moderatedScores = pgTable(
  'moderated_scores',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    bidId: uuid('bid_id').notNull().references(() => bids.id),
    criterionId: uuid('criterion_id').notNull().references(() => tenderCriteria.id),
    score: integer('score').notNull(),
    reason: text('reason').notNull(),
    moderatedBy: uuid('moderated_by').notNull().references(() => users.id),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.criterionId] })],
);

/**
 * The award decision for a tender or one of its lots, with every bid's points as they stood (criterion id → points as a decimal string).
 * A direct award has no bid and no points; a user choice contract has no award notice, and a ground without a standstill no standstill.
 */
export const tenderAwards = pgTable('tender_awards', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  tenderId: uuid('tender_id').notNull().references(() => tenders.id),
  lotId: uuid('lot_id').references(() => tenderLots.id),
  bidId: uuid('bid_id').references(() => bids.id),
  decidedBy: uuid('decided_by').references(() => users.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  awardNoticeOn: date('award_notice_on', { mode: 'string' }),
  standstillEndsOn: date('standstill_ends_on', { mode: 'string' }),
  scores: jsonb('scores').$type<{ bidId: string; supplier: string; total: string; byCriterion: Record<string, string> }[]>().notNull(),
}, (t) => [unique('tender_awards_once_per_lot').on(t.tenderId, t.lotId).nullsNotDistinct()]);

/** The contracts register. Values are without VAT, as the Transparency Code publishes them. */
export const contracts = pgTable(
  'contracts',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    ref: text('ref').notNull(),
    tenderId: uuid('tender_id').references(() => tenders.id),
    /** Each awarded lot is its own contract. */
    lotId: uuid('lot_id').references(() => tenderLots.id),
    awardId: uuid('award_id').references(() => tenderAwards.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    serviceArea: text('service_area').notNull(),
    supplierId: uuid('supplier_id').notNull().references(() => procurementSuppliers.id),
    valuePence: bigint('value_pence', { mode: 'number' }).notNull(),
    irrecoverableVatPence: bigint('irrecoverable_vat_pence', { mode: 'number' }).notNull().default(0),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    reviewOn: date('review_on', { mode: 'string' }),
    /** "tender" (a published invitation to tender), "quote" (an invitation to quote) or "direct_award" (neither: awarded without competition). */
    procedure: text('procedure').notNull(),
    reservedForMutuals: boolean('reserved_for_mutuals').notNull().default(false),
    /** The day it ended, once recorded, and why: CONTRACT_END_REASONS in rules.ts. A UK11 follows (s.80). */
    endedOn: date('ended_on', { mode: 'string' }),
    endReason: text('end_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('contracts_ref').on(t.authorityId, t.ref)],
);

/** Extensions (a new end date) and variations (a change in value), in the order made. */
export const contractChanges = pgTable('contract_changes', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  contractId: uuid('contract_id').notNull().references(() => contracts.id),
  kind: text('kind').notNull(),
  madeOn: date('made_on', { mode: 'string' }).notNull(),
  newEndsOn: date('new_ends_on', { mode: 'string' }),
  valueChangePence: bigint('value_change_pence', { mode: 'number' }).notNull().default(0),
  reason: text('reason').notNull(),
});

/** A social value commitment carried into the contract, to be delivered and reported. */
export const contractKpis = pgTable('contract_kpis', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  contractId: uuid('contract_id').notNull().references(() => contracts.id),
  measureId: uuid('measure_id').notNull().references(() => socialValueMeasures.id),
  target: integer('target').notNull(),
});

/** What the supplier reports it delivered by a date, and the officer's check of it. */
export const kpiReports = pgTable('kpi_reports', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  kpiId: uuid('kpi_id').notNull().references(() => contractKpis.id),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  delivered: integer('delivered').notNull(),
  evidence: text('evidence').notNull(),
  checkedBy: uuid('checked_by').references(() => users.id),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
});

export const contractPayments = pgTable('contract_payments', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  contractId: uuid('contract_id').notNull().references(() => contracts.id),
  paidOn: date('paid_on', { mode: 'string' }).notNull(),
  amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
  reference: text('reference').notNull(),
  /** When the invoice was received, if recorded: the payments compliance notice reports payment within 30 days of it (s.68(2), s.69). */
  invoiceReceivedOn: date('invoice_received_on', { mode: 'string' }),
});

/** A procurement the council plans, for its pipeline notice (UK1, s.93). */
export const plannedProcurements = pgTable('planned_procurements', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  title: text('title').notNull(),
  cpvCode: text('cpv_code'),
  /** VAT included, as the Act's estimated values are. */
  estimatedValuePence: bigint('estimated_value_pence', { mode: 'number' }).notNull(),
  /** PLANNED_ROUTES in rules.ts: a competitive tender or a direct award. */
  route: text('route').notNull(),
  /** When the tender or transparency notice is expected. */
  expectedNoticeOn: date('expected_notice_on', { mode: 'string' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [index('planned_procurements_authority').on(t.authorityId, t.expectedNoticeOn)]);

/** What the council expects to pay under relevant contracts in a financial year (by the year it starts in): whether a UK1 is due. */
export const pipelineSpend = pgTable('pipeline_spend', {
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  financialYear: integer('financial_year').notNull(),
  expectedSpendPence: bigint('expected_spend_pence', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.authorityId, t.financialYear] })]);

/** Each authority's OCDS ocid prefix (registered with the Open Contracting Partnership) and how its releases name it. */
export const ocdsPublishers = pgTable('ocds_publishers', {
  authorityId: uuid('authority_id').primaryKey().references(() => authorities.id),
  ocidPrefix: text('ocid_prefix').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Releases read from other publishers' OCDS files, held as the model in ocds.ts has them (amounts
 * in hundredths). The council's own releases are not stored: they are derived from the tables above.
 */
export const ocdsReleases = pgTable(
  'ocds_releases',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    ocid: text('ocid').notNull(),
    releaseId: text('release_id').notNull(),
    date: timestamp('date', { withTimezone: true }).notNull(),
    release: jsonb('release').$type<Record<string, unknown>>().notNull(),
    source: text('source').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('ocds_releases_once').on(t.authorityId, t.ocid, t.releaseId)],
);

/**
 * The day a notice that nothing else records was published on the Central Digital Platform,
 * named by the register's key for it (what it is about, its code and its due day), so the
 * register stops counting it as overdue.
 */
export const noticePublications = pgTable('procurement_notice_publications', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  noticeKey: text('notice_key').notNull(),
  publishedOn: date('published_on', { mode: 'string' }).notNull(),
  recordedBy: uuid('recorded_by').references(() => users.id),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('procurement_notice_publications_once').on(t.authorityId, t.noticeKey)]);
