import { pgTable, uuid, text, timestamp, uniqueIndex, index, unique, date, doublePrecision } from 'drizzle-orm/pg-core';
import { authorities, wards } from '../places/tables.ts';

/** Outcomes the place has agreed, e.g. "people feel safe". Services link to the outcomes they serve. */
export const outcomes = pgTable(
  'outcomes',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    title: text('title').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('outcomes_authority_title').on(t.authorityId, t.title)],
);

/**
 * How the place knows whether an outcome is being achieved: one measure, which way is better,
 * where it started and where it is meant to get to, and who publishes the figures.
 */
export const outcomeIndicators = pgTable(
  'outcome_indicators',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    outcomeId: uuid('outcome_id').notNull().references(() => outcomes.id),
    /** A short code the measurement files name it by, like NEET-16-17. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    /** What a value counts, like "%" or "per 1,000 residents". */
    unit: text('unit').notNull(),
    /** higher or lower: which way is better. */
    direction: text('direction').notNull(),
    baselineValue: doublePrecision('baseline_value').notNull(),
    baselineOn: date('baseline_on', { mode: 'string' }).notNull(),
    targetValue: doublePrecision('target_value').notNull(),
    targetOn: date('target_on', { mode: 'string' }).notNull(),
    /** Who publishes the figures, like "ONS Annual Population Survey". */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('outcome_indicators_code').on(t.authorityId, t.code), index('outcome_indicators_outcome').on(t.outcomeId)],
);

/** One figure for an indicator on a date, for one ward or (ward null) the whole place. */
export const outcomeMeasurements = pgTable(
  'outcome_measurements',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    indicatorId: uuid('indicator_id').notNull().references(() => outcomeIndicators.id),
    wardId: uuid('ward_id').references(() => wards.id),
    measuredOn: date('measured_on', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  // One figure per indicator, place and date, so importing the same file twice changes nothing.
  (t) => [unique('outcome_measurements_one').on(t.indicatorId, t.wardId, t.measuredOn).nullsNotDistinct()],
);
