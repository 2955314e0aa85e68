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

export const NOTICE_RULES: readonly NoticeRule[] = [
  { code: 'UK4', title: 'Tender notice', trigger: 'Publish before inviting tenders (above threshold)', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.21; rules.md §3.4' },
  { code: 'BT', title: 'Below-threshold tender notice', trigger: 'Publish on the Central Digital Platform before advertising anywhere else (notifiable contracts)', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.86; rules.md §3.6' },
  { code: 'UK6', title: 'Contract award notice', trigger: 'Publish before entering the contract; it starts the standstill', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.50; rules.md §3.4' },
  { code: 'STANDSTILL', title: 'Standstill', trigger: 'Beginning with the day the contract award notice is published; the contract cannot be entered during it', days: 8, working: true, from: '2025-02-24', to: null, source: 'PA 2023 s.51; rules.md §3.3' },
  { code: 'UK7', title: 'Contract details notice', trigger: 'Within 30 days of entering the contract (120 days for light touch)', days: 30, lightTouchDays: 120, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.53; rules.md §3.4' },
  { code: 'BT-CDN', title: 'Contract details notice (below threshold)', trigger: 'As soon as reasonably practicable after award', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.87(3); rules.md §3.6' },
  { code: 'UK12', title: 'Procurement termination notice', trigger: 'On deciding not to award', days: null, working: false, from: '2025-02-24', to: null, source: 'PA 2023 s.55; rules.md §3.4' },
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
