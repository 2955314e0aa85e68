/**
 * The Procurement Act 2023's money figures and time limits as versioned data: each with the
 * dates it applies to and where it comes from (../shared/specs/rules.md §3), so a change in the
 * law is a new row here, never a change to the rules that read them.
 */
import type { CalendarDate } from '../../lib/dates.ts';

export const CONTRACT_TYPES = {
  goods_services: 'Goods or services',
  light_touch: 'Light touch services (social, health, education and similar)',
  works: 'Works',
} as const;
export type ContractType = keyof typeof CONTRACT_TYPES;
export const isContractType = (v: string): v is ContractType => Object.hasOwn(CONTRACT_TYPES, v);

export interface Versioned {
  from: CalendarDate;
  /** Last day it applies to, inclusive; null while current. */
  to: CalendarDate | null;
  source: string;
}

/** The day the Procurement Act 2023 regime starts: procurements commencing on or after it. */
export const PA2023_COMMENCEMENT: Versioned = {
  from: '2025-02-24',
  to: null,
  source: 'Procurement Act 2023 (Commencement No. 3 and Transitional and Saving Provisions) Regulations 2024; rules.md §3.1',
};

/** Schedule 1 thresholds for sub-central authorities (councils), VAT included. */
export interface Threshold extends Versioned {
  contractType: ContractType;
  pence: number;
}

const PPN_11_23 = 'Procurement Act 2023 Sch 1 as first made (values of PPN 11/23); rules.md §3.2';
const PPN_023 = 'Procurement Act 2023 (Threshold Amounts) (Amendment) Regulations 2025, PPN 023; rules.md §3.2';

export const THRESHOLDS: readonly Threshold[] = [
  { contractType: 'goods_services', pence: 214_904_00, from: '2025-02-24', to: '2025-12-31', source: PPN_11_23 },
  { contractType: 'goods_services', pence: 207_720_00, from: '2026-01-01', to: null, source: PPN_023 },
  { contractType: 'light_touch', pence: 663_540_00, from: '2025-02-24', to: '2025-12-31', source: PPN_11_23 },
  { contractType: 'light_touch', pence: 663_540_00, from: '2026-01-01', to: null, source: PPN_023 },
  { contractType: 'works', pence: 5_372_609_00, from: '2025-02-24', to: '2025-12-31', source: PPN_11_23 },
  { contractType: 'works', pence: 5_193_000_00, from: '2026-01-01', to: null, source: PPN_023 },
];

/** A regulated below-threshold contract is "notifiable" from this value (authorities other than central government). */
export const NOTIFIABLE_BELOW_THRESHOLD: readonly (Versioned & { pence: number })[] = [
  { pence: 30_000_00, from: '2025-02-24', to: null, source: 'Procurement Act 2023 s.84 (£30,000 incl. VAT for authorities other than central government); rules.md §3.6' },
];

/** Contracts reserved for public service mutuals (s.33): the longest term and the look-back for a comparable award. */
export const MUTUAL_RESERVATION: readonly (Versioned & { maxTermMonths: number; lookBackYears: number })[] = [
  { maxTermMonths: 60, lookBackYears: 3, from: '2025-02-24', to: null, source: 'Procurement Act 2023 s.33(1), (5), (7); rules.md §3.8' },
];

/** A deadline as the law states it: a period of so many (working) days beginning with an event. */
export interface NoticeRule extends Versioned {
  code: string;
  title: string;
  /** What starts it, in the council's words. */
  trigger: string;
  days: number | null;
  working: boolean;
  /** For light-touch contracts, where the law gives them a different period. */
  lightTouchDays?: number;
}

/** UK1, UK9 and UK17 take their figures from PIPELINE_NOTICE, PERFORMANCE_NOTICE and PAYMENTS_COMPLIANCE below. */
export const NOTICE_RULES: readonly NoticeRule[] = [
  { code: 'UK4', title: 'Tender notice', trigger: 'Publish before inviting tenders (above threshold)', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.21; rules.md §3.4' },
  { code: 'BT', title: 'Below-threshold tender notice', trigger: 'Publish on the Central Digital Platform before advertising anywhere else (notifiable contracts)', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.86; rules.md §3.6' },
  { code: 'UK6', title: 'Contract award notice', trigger: 'Publish before entering the contract; it starts the standstill', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.50; rules.md §3.4' },
  { code: 'STANDSTILL', title: 'Standstill', trigger: 'Beginning with the day the contract award notice is published; the contract cannot be entered during it', days: 8, working: true, from: '2025-02-24', to: null, source: 'PA 2023 s.51; rules.md §3.3' },
  { code: 'UK7', title: 'Contract details notice', trigger: 'Within 30 days of entering the contract (120 days for light touch)', days: 30, lightTouchDays: 120, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.53; rules.md §3.4' },
  { code: 'BT-CDN', title: 'Contract details notice (below threshold)', trigger: 'As soon as reasonably practicable after award', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.87(3); rules.md §3.6' },
  { code: 'UK12', title: 'Procurement termination notice', trigger: 'On deciding not to award', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.55; rules.md §3.4' },
  { code: 'UK1', title: 'Pipeline notice', trigger: 'Expected spend on relevant contracts this financial year at or over the pipeline threshold', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.93; rules.md §3.4' },
  { code: 'UK2', title: 'Preliminary market engagement notice', trigger: 'Preliminary market engagement was carried out: publish before the tender notice, or give reasons in it', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.16, s.17(1); rules.md §3.4' },
  { code: 'UK3', title: 'Planned procurement notice', trigger: 'Optional; 40 days to a year before the tender notice it shortens the tendering period', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.15 (a qualifying notice: 40 days to 12 months before the tender notice), s.54(4); rules.md §3.4' },
  { code: 'UK5', title: 'Transparency notice', trigger: 'Publish before a direct award', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.44; rules.md §3.3, §3.4' },
  { code: 'UK9', title: 'Contract performance notice', trigger: 'Within 30 days of a KPI assessment, or of the contract ending, for a contract over £5 million with KPIs', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.71; rules.md §3.4' },
  { code: 'KPI-ASSESSMENT', title: 'KPI assessment', trigger: 'Assess the KPIs of a contract over £5 million at least once every 12 months', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.71; rules.md §3.4' },
  { code: 'UK11', title: 'Contract termination notice', trigger: 'Within 30 days beginning with the day the contract ended', days: 30, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.80; rules.md §3.4' },
  { code: 'UK17', title: 'Payments compliance notice', trigger: 'Within 30 days beginning with the last day of a reporting period in which a payment was made under a public contract', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.69; rules.md §3.4, §3.5' },
];

/** The version of a dated figure in force on a date, or null if none is. */
export function inForce<T extends Versioned>(rows: readonly T[], on: CalendarDate, match: (row: T) => boolean = () => true): T | null {
  return rows.find((r) => match(r) && r.from <= on && (r.to === null || on <= r.to)) ?? null;
}

/** UK8: each payment over this under a public contract, published within 30 days of the end of its quarter (s.70). */
export const PAYMENT_NOTICE: readonly (Versioned & { overPence: number; days: number })[] = [
  { overPence: 30_000_00, days: 30, from: '2025-02-24', to: null, source: 'Procurement Act 2023 s.70; rules.md §3.4' },
];

/** UK10: a change notice before modifying a contract by more than this share of its value (s.75); none for light touch or below threshold. */
export const CHANGE_NOTICE: readonly (Versioned & { goodsServicesPercent: number; worksPercent: number })[] = [
  { goodsServicesPercent: 10, worksPercent: 15, from: '2025-02-24', to: null, source: 'Procurement Act 2023 s.75(6), Sch 8; rules.md §3.4, §3.7' },
];

/**
 * UK1 (s.93). The sources differ on the threshold: "£100m or more" (GCA), "not required if less
 * than £100m" (find-tender) and "more than £100m" (gov.wales, Anthony Collins); s.93 itself was
 * not read (rules.md §3.4 [U]). This row reads it as "£100m or more"; a row from the Act's own
 * words replaces it. Planned contracts of £2m or more are listed, for the 18 months from 1 April,
 * and the notice goes out in the 56 days beginning with 1 April (1 April to 26 May).
 */
export const PIPELINE_NOTICE: readonly (Versioned & { atOrOverPence: number; listAtOrOverPence: number; coverMonths: number; windowDays: number })[] = [
  { atOrOverPence: 100_000_000_00, listAtOrOverPence: 2_000_000_00, coverMonths: 18, windowDays: 56, from: '2025-02-24', to: null, source: 'PA 2023 s.93; rules.md §3.4 (threshold wording [U]: sources differ)' },
];

/**
 * The shortest tendering periods (s.54), by procedure. Only the open procedure's figures were
 * found (rules.md §3.3: 25 days electronic with every document given with the notice, 10 after a
 * qualifying planned procurement notice); the rest of the s.54 tables were not retrieved, so no
 * minimum is applied to other procedures until a row for them is added here.
 */
export const MINIMUM_TENDERING_PERIODS: readonly (Versioned & { procedure: string; days: number; afterPlannedNoticeDays: number; plannedNoticeAtLeastDaysBefore: number; plannedNoticeAtMostMonthsBefore: number })[] = [
  { procedure: 'open', days: 25, afterPlannedNoticeDays: 10, plannedNoticeAtLeastDaysBefore: 40, plannedNoticeAtMostMonthsBefore: 12, from: '2025-02-24', to: null, source: 'PA 2023 s.54, s.15(3) for the planned notice window; rules.md §3.3, §3.4' },
];

/**
 * The grounds for a direct award (s.41 and Schedule 5, and s.43). A user choice contract needs no
 * contract award notice (s.50); a standstill (s.51) follows the award notice unless the ground has
 * none: user choice contracts and extreme and unavoidable urgency (s.51(3), as the council's brief
 * reads it; s.51 itself was not read for this row, rules.md §3.3 [G] for the 8 working days).
 */
export interface DirectAwardGround extends Versioned {
  code: string;
  label: string;
  awardNoticeNeeded: boolean;
  /** Whether the s.51 standstill runs after the award notice, and where that comes from. */
  standstill: boolean;
  standstillSource: string;
}
const SCH_5 = 'PA 2023 s.41, Sch 5; rules.md §3.3';
const STANDSTILL_APPLIES = 'PA 2023 s.51 (8 working days beginning with the day the contract award notice is published); rules.md §3.3';
const NO_STANDSTILL = 'PA 2023 s.51(3): no standstill for a direct award on this ground (subsection not read here [U]; the brief of issue #5)';
export const DIRECT_AWARD_GROUNDS: readonly DirectAwardGround[] = [
  { code: 'prototype', label: 'Prototypes and novel goods or services (Schedule 5)', awardNoticeNeeded: true, standstill: true, standstillSource: STANDSTILL_APPLIES, from: '2025-02-24', to: null, source: SCH_5 },
  { code: 'unique_art', label: 'A unique work of art or artistic performance (Schedule 5)', awardNoticeNeeded: true, standstill: true, standstillSource: STANDSTILL_APPLIES, from: '2025-02-24', to: null, source: SCH_5 },
  { code: 'exclusive_rights', label: 'Intellectual property or other exclusive rights, with no reasonable alternative (Schedule 5)', awardNoticeNeeded: true, standstill: true, standstillSource: STANDSTILL_APPLIES, from: '2025-02-24', to: null, source: SCH_5 },
  { code: 'no_competition', label: 'No competition, for technical reasons (Schedule 5)', awardNoticeNeeded: true, standstill: true, standstillSource: STANDSTILL_APPLIES, from: '2025-02-24', to: null, source: SCH_5 },
  { code: 'urgency', label: 'Extreme and unavoidable urgency (Schedule 5)', awardNoticeNeeded: true, standstill: false, standstillSource: NO_STANDSTILL, from: '2025-02-24', to: null, source: SCH_5 },
  { code: 'user_choice', label: 'A user choice contract: the person the service is for chose the supplier (Schedule 5 paragraph 15)', awardNoticeNeeded: false, standstill: false, standstillSource: 'PA 2023 s.50 (no contract award notice for a user choice contract, so none starts a standstill), s.51(3); rules.md §3.3', from: '2025-02-24', to: null, source: 'PA 2023 s.41, Sch 5 para 15; s.50 (no contract award notice); rules.md §3.3' },
  { code: 'no_suitable_tenders', label: 'A competitive procedure brought no suitable tenders (section 43)', awardNoticeNeeded: true, standstill: true, standstillSource: STANDSTILL_APPLIES, from: '2025-02-24', to: null, source: 'PA 2023 s.43; rules.md §3.3' },
];

/**
 * UK9 (s.71). The Act's "estimated value" includes VAT (rules.md §3.2), so the £5m is compared
 * with the VAT-inclusive estimate of the procurement a contract came from, as the thresholds
 * are; the register's contract values are without VAT (the Transparency Code's) and would
 * understate it. "Over £5 million": strictly more than.
 */
export const PERFORMANCE_NOTICE: readonly (Versioned & { overPence: number; assessEveryMonths: number; days: number })[] = [
  { overPence: 5_000_000_00, assessEveryMonths: 12, days: 30, from: '2025-02-24', to: null, source: 'PA 2023 s.71; rules.md §3.4' },
];

/** UK17 (s.69): six-month reporting periods ending 31 March and 30 September (MM-DD), and the 30-day payment term it reports on (s.68(2)). */
export const PAYMENTS_COMPLIANCE: readonly (Versioned & { periodEnds: readonly string[]; days: number; invoiceTermDays: number })[] = [
  { periodEnds: ['03-31', '09-30'], days: 30, invoiceTermDays: 30, from: '2025-02-24', to: null, source: 'PA 2023 s.68(2), s.69; rules.md §3.4, §3.5' },
];
