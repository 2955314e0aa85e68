/**
 * The counter-fraud checks' thresholds and windows, as data. Each value has
 * the dates it was in force, where it comes from and how sure that is, so a
 * change in law or in the council's own rules is a new version here, never a
 * change to a check. The confidence tags are rules.md's (§0.1): L legislation
 * read, G official guidance, S secondary source, D derived, U no source (a
 * starting point the council should replace with its own).
 */
import type { CalendarDate } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';
import { ENGLAND_AND_WALES, type HolidayCalendar } from '../../lib/bank-holidays.ts';

export type Confidence = 'L' | 'G' | 'S' | 'D' | 'U';

export interface Version<T> {
  value: T;
  /** First day in force; null for a house setting that has always applied. */
  from: CalendarDate | null;
  /** Last day in force; null while it still is. */
  to: CalendarDate | null;
  source: string;
  confidence: Confidence;
}

export interface Setting<T> {
  label: string;
  versions: readonly Version<T>[];
}

/** The version in force on a date, or null when none was (a threshold before its law). */
export function versionOn<T>(setting: Setting<T>, date: CalendarDate): Version<T> | null {
  for (const version of setting.versions) {
    if ((version.from === null || version.from <= date) && (version.to === null || date <= version.to)) return version;
  }
  return null;
}

/** A spending threshold that someone might split payments to stay under. */
export interface Threshold extends Setting<Pence> {
  /** The law counts VAT in (PA 2023 and PCR 2015 thresholds); the files' amounts are mostly net of it. */
  includesVat: boolean;
  /** How serious staying under it would be: a statutory procurement threshold matters more than a publication one. */
  severity: Severity;
}

export type Severity = 'high' | 'medium' | 'low';

/** A kind of merchant a procurement card should seldom pay, and how to recognise it. */
export interface MerchantCategoryRule {
  label: string;
  /** Words in the merchant category (or, when the file has none, the merchant's name). */
  words: RegExp;
  /** ISO 18245 merchant category codes, for files that give the code. */
  codes: readonly string[];
}

export interface CounterFraudSettings {
  duplicateWindowDays: Setting<number>;
  /** A reference column is a payment's own only when this share of its values, in per cent, is unique; otherwise it numbers payment runs. */
  uniqueReferencePercent: Setting<number>;
  splitWindowDays: Setting<number>;
  /** Each split payment is at least this per cent of the threshold ("just below" it). */
  splitFloorPercent: Setting<number>;
  splitThresholds: readonly Threshold[];
  contractThreshold: Threshold;
  roundSumUnitPence: Setting<Pence>;
  roundSumFloorPence: Setting<Pence>;
  /** A payment is out of pattern above this multiple of the supplier's median so far… */
  outOfPatternMultiple: Setting<number>;
  /** …once there are at least this many earlier payments to judge by. */
  outOfPatternMinEarlier: Setting<number>;
  unusualMerchantCategories: Setting<readonly MerchantCategoryRule[]>;
  cardRoundUnitPence: Setting<Pence>;
  cardRoundFloorPence: Setting<Pence>;
  /** Which days are bank holidays where the council is (rules.md §0.2: the calendar is configurable). */
  bankHolidays: HolidayCalendar;
}

const always = <T>(value: T, source: string): Setting<T>['versions'] => [{ value, from: null, to: null, source, confidence: 'U' }];
const HOUSE = 'Coproduce starting point, from no rule: set the council’s own';

const RULES_3_2 = 'rules.md §3.2';
const TRANSPARENCY_CODE = 'Local Government Transparency Code 2015, in effect 1 April 2015 (rules.md §4)';

export const TRANSPARENCY_CONTRACTS: Threshold = {
  label: 'the Transparency Code’s £5,000 threshold for publishing a contract',
  includesVat: false,
  severity: 'medium',
  versions: [{ value: 500_000, from: '2015-04-01', to: null, source: TRANSPARENCY_CODE, confidence: 'S' }],
};

export const NOTIFIABLE_BELOW_THRESHOLD: Threshold = {
  label: 'the Procurement Act 2023 £30,000 notifiable below-threshold contract value',
  includesVat: true,
  severity: 'high',
  versions: [{
    value: 3_000_000, from: '2025-02-24', to: null, confidence: 'S',
    source: 'Procurement Act 2023 s.84: a contract of £30,000 or more (including VAT) by an authority other than central government is notifiable; the Act applies to procurements started on or after 24 February 2025 (rules.md §3.1, §3.6)',
  }],
};

export const SUB_CENTRAL_SUPPLIES_AND_SERVICES: Threshold = {
  label: 'the procurement threshold for supplies and services bought by local authorities',
  includesVat: true,
  severity: 'high',
  versions: [
    { value: 21_490_400, from: '2024-01-01', to: '2025-02-23', confidence: 'G', source: `Public Contracts Regulations 2015 threshold from 1 January 2024, PPN 11/23 (${RULES_3_2})` },
    { value: 21_490_400, from: '2025-02-24', to: '2025-12-31', confidence: 'S', source: `Procurement Act 2023 Schedule 1 threshold until 31 December 2025 (${RULES_3_2})` },
    { value: 20_772_000, from: '2026-01-01', to: null, confidence: 'S', source: `Procurement Act 2023 (Threshold Amounts) (Amendment) Regulations 2025, PPN 023, for procurements from 1 January 2026 (${RULES_3_2})` },
  ],
};

/** The council's Contract Procedure Rules' own quotation threshold: no version until the council enters one. */
export const COUNCIL_QUOTATION_THRESHOLD: Threshold = {
  label: 'the council’s own threshold for seeking quotations',
  includesVat: false,
  severity: 'medium',
  versions: [],
};

export const DEFAULT_SETTINGS: CounterFraudSettings = {
  duplicateWindowDays: { label: 'days within which the same amount to the same supplier looks like a duplicate', versions: always(14, HOUSE) },
  uniqueReferencePercent: { label: 'per cent of a reference column’s values that must be unique for it to identify payments', versions: always(90, HOUSE) },
  splitWindowDays: { label: 'days within which payments to one supplier may be one purchase split', versions: always(30, HOUSE) },
  splitFloorPercent: { label: 'per cent of a threshold each part of a split purchase reaches', versions: always(50, HOUSE) },
  splitThresholds: [COUNCIL_QUOTATION_THRESHOLD, TRANSPARENCY_CONTRACTS, NOTIFIABLE_BELOW_THRESHOLD, SUB_CENTRAL_SUPPLIES_AND_SERVICES],
  contractThreshold: TRANSPARENCY_CONTRACTS,
  roundSumUnitPence: { label: 'a round sum is an exact multiple of this', versions: always(100_000, HOUSE) },
  roundSumFloorPence: { label: 'round sums are looked at from this amount', versions: always(1_000_000, HOUSE) },
  outOfPatternMultiple: { label: 'times the supplier’s median payment that is out of pattern', versions: always(5, HOUSE) },
  outOfPatternMinEarlier: { label: 'earlier payments needed before a supplier has a pattern', versions: always(5, HOUSE) },
  unusualMerchantCategories: {
    label: 'merchant categories a procurement card should seldom pay',
    versions: always([
      { label: 'gambling', words: /\b(gambling|betting|bookmaker|casino|lottery|bingo)\b/i, codes: ['7800', '7801', '7802', '7995'] },
      { label: 'alcohol', words: /\b(liquor|off[- ]licen[cs]e|wine|spirits|brewery|bars?|pubs?|tavern|nightclub)\b/i, codes: ['5813', '5921'] },
      { label: 'cash', words: /\b(cash|atm|quasi[- ]cash|money order|bureau de change|foreign exchange)\b/i, codes: ['6010', '6011', '6051'] },
    ], `${HOUSE}; codes from ISO 18245 merchant category codes`),
  },
  cardRoundUnitPence: { label: 'a round card payment is an exact multiple of this', versions: always(5_000, HOUSE) },
  cardRoundFloorPence: { label: 'round card payments are looked at from this amount', versions: always(10_000, HOUSE) },
  bankHolidays: ENGLAND_AND_WALES,
};
