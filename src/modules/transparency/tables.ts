import { pgTable, uuid, text, timestamp, bigint, integer, jsonb, boolean, date, doublePrecision, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities } from '../places/tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { organisations } from '../organisations/tables.ts';

/**
 * One file taken in: what it was (its SHA-256, so the same file twice changes nothing), how
 * its columns were read, and what came of every row. Its rows go in with it or not at all; its
 * counter-fraud checks follow in a transaction of their own (service.ts says why).
 */
export const spendImports = pgTable(
  'spend_imports',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    /** spend-over-500, procurement-card, grants-vcse or land-assets. */
    dataset: text('dataset').notNull(),
    /** Who published the file (a council, usually this one): mappings are remembered per publisher. */
    publisher: text('publisher').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    encoding: text('encoding').notNull(),
    mapping: jsonb('mapping').notNull(),
    rows: integer('rows').notNull(),
    rejected: integer('rejected').notNull(),
    credits: integer('credits').notNull(),
    totalPence: bigint('total_pence', { mode: 'number' }).notNull(),
    fromDate: date('from_date', { mode: 'string' }),
    toDate: date('to_date', { mode: 'string' }),
    warnings: jsonb('warnings').$type<string[]>().notNull(),
    /** Each row not taken: its line in the file and why. */
    errors: jsonb('errors').$type<{ line: number; reason: string }[]>().notNull(),
    importedByUserId: uuid('imported_by_user_id').references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
    /** When its counter-fraud checks were run and their flags saved; null until then. */
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('spend_imports_file').on(t.authorityId, t.fileSha256)],
);

/**
 * Payments over £500 and procurement card transactions, as published (individuals stay redacted).
 * The one bulk table: a council's year is millions of rows, loaded by COPY. It has no foreign keys,
 * because PostgreSQL checks each one row by row and they doubled the load's time; the import service
 * is its only writer and makes each row in the same transaction as the import it belongs to. A
 * row is known by its import and its line in the file, which the reader numbers uniquely; that
 * pair is not a B-tree primary key, because keeping one cost a million-row load 0.6-1.3 s of the
 * 1.6-2.3 s PostgreSQL spent on it (docs/PERFORMANCE.md).
 */
export const spendTransactions = pgTable(
  'spend_transactions',
  {
    authorityId: uuid('authority_id').notNull(),
    importId: uuid('import_id').notNull(),
    /** The row's line in its file, so every figure can be traced back. */
    line: integer('line').notNull(),
    dataset: text('dataset').notNull(),
    paidOn: date('paid_on', { mode: 'string' }),
    supplierName: text('supplier_name'),
    redacted: boolean('redacted').notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    expenseType: text('expense_type'),
    serviceArea: text('service_area'),
    description: text('description'),
    transactionRef: text('transaction_ref'),
    invoiceRef: text('invoice_ref'),
    supplierRef: text('supplier_ref'),
    merchantCategory: text('merchant_category'),
  },
  // No index on the supplier's name: supplier totals group all of an authority's rows (found through
  // the index below) and never look a name up, and keeping it cost a tenth of a load's time.
  // One block-range (BRIN) index: rows arrive a file at a time, in line order, each file one
  // authority's and a few months long, so a range of blocks holds one import's run of lines and one
  // authority's dates. A BRIN index serves a condition on any of its columns alike, so this one finds
  // an authority's rows of a quarter and a flag's rows by import and line (a few lines of a million-row
  // file in milliseconds). It costs a million-row load about 0.2 s; the two BRIN indexes it replaced
  // (import and line; authority, dataset and date) cost 0.4 s, and a B-tree on either 1-2 s.
  (t) => [index('spend_transactions_brin').using('brin', t.authorityId, t.dataset, t.paidOn, t.importId, t.line).with({ autosummarize: 'on' })],
);

export const vcseGrants = pgTable(
  'vcse_grants',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    importId: uuid('import_id').notNull().references(() => spendImports.id),
    line: integer('line').notNull(),
    awardedOn: date('awarded_on', { mode: 'string' }),
    recipient: text('recipient'),
    redacted: boolean('redacted').notNull(),
    registrationNumber: text('registration_number'),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    purpose: text('purpose'),
    period: text('period'),
    department: text('department'),
  },
  (t) => [index('vcse_grants_authority').on(t.authorityId, t.awardedOn), index('vcse_grants_import').on(t.importId)],
);

/** Land and building assets, with how far each UPRN can be trusted. */
export const landAssets = pgTable(
  'land_assets',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    importId: uuid('import_id').notNull().references(() => spendImports.id),
    line: integer('line').notNull(),
    uprn: text('uprn'),
    /** ok, unreliable (spreadsheet-rounded) or missing. */
    uprnStatus: text('uprn_status').notNull(),
    assetRef: text('asset_ref'),
    name: text('name'),
    streetNumber: text('street_number'),
    streetName: text('street_name'),
    postTown: text('post_town'),
    postcode: text('postcode'),
    easting: doublePrecision('easting'),
    northing: doublePrecision('northing'),
    coordinateSystem: text('coordinate_system'),
    tenure: text('tenure'),
    tenureDetail: text('tenure_detail'),
  },
  (t) => [index('land_assets_import').on(t.importId)],
);

/** The column mapping an officer confirmed for a publisher's files, used again next time. */
export const publisherMappings = pgTable(
  'publisher_mappings',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    publisher: text('publisher').notNull(),
    dataset: text('dataset').notNull(),
    mapping: jsonb('mapping').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('publisher_mappings_key').on(t.authorityId, t.publisher, t.dataset)],
);

/**
 * A warning sign found in an imported file (a possible duplicate, a split purchase…), with the
 * rows behind it, until an officer says what it was: resolved, recovered (with how much) or a
 * false positive — always with the reason, on the audit log.
 */
export const spendFlags = pgTable(
  'spend_flags',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    importId: uuid('import_id').notNull().references(() => spendImports.id),
    check: text('check').notNull(),
    severity: text('severity').notNull(),
    explanation: text('explanation').notNull(),
    /** Lines of the import's file, as its rows keep them. */
    lines: jsonb('lines').$type<number[]>().notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    /** open, resolved, recovered or false_positive. */
    status: text('status').notNull(),
    resolutionReason: text('resolution_reason'),
    recoveredPence: bigint('recovered_pence', { mode: 'number' }),
    resolvedByUserId: uuid('resolved_by_user_id').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('spend_flags_open').on(t.authorityId, t.status), index('spend_flags_import').on(t.importId)],
);

/**
 * An officer's decision on two supplier keys (see suppliers.ts) proposed as one supplier:
 * merge them, or keep them apart so the proposal is not made again. The pair is stored in one
 * order (orderedPair). A merge only changes how spend is grouped, never the published rows.
 */
export const supplierDecisions = pgTable(
  'supplier_decisions',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    keyA: text('key_a').notNull(),
    keyB: text('key_b').notNull(),
    /** merge or keep-apart. */
    decision: text('decision').notNull(),
    reason: text('reason').notNull(),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('supplier_decisions_pair').on(t.authorityId, t.keyA, t.keyB)],
);

/** A supplier key that is an organisation on the platform, so its spend joins that organisation's contracts and grants. */
export const supplierOrganisations = pgTable(
  'supplier_organisations',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    supplierKey: text('supplier_key').notNull(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    linkedByUserId: uuid('linked_by_user_id').references(() => users.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('supplier_organisations_key').on(t.authorityId, t.supplierKey), index('supplier_organisations_organisation').on(t.organisationId)],
);
