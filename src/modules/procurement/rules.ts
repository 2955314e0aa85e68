/**
 * Pure procurement rules: which regime and procedure a tender follows, reserved contracts for
 * public service mutuals, the notices due and the standstill, and the scoring arithmetic.
 * The figures they read are data in thresholds.ts.
 */
import { FieldChecker, ValidationError, optionalText, text } from '../../lib/errors.ts';
import { addDays, dayNumber, formatDate, isCalendarDate, monthsBefore, periodEnd, weekday, type CalendarDate } from '../../lib/dates.ts';
import { MoneyFormatError, parsePounds, type Pence } from '../../lib/money.ts';
import { add, compare, fromInt, mulInt, rational, toNumber, ZERO, type Rational } from '../../lib/rational.ts';
import {
  CHANGE_NOTICE, CONTRACT_TYPES, DIRECT_AWARD_GROUNDS, MINIMUM_TENDERING_PERIODS, MUTUAL_RESERVATION, PAYMENT_NOTICE, PAYMENTS_COMPLIANCE, PERFORMANCE_NOTICE, PIPELINE_NOTICE,
  NOTICE_RULES, NOTIFIABLE_BELOW_THRESHOLD, PA2023_COMMENCEMENT, THRESHOLDS, inForce, isContractType, type ContractType, type DirectAwardGround, type NoticeRule, type Threshold,
} from './thresholds.ts';
import { sectorGroupOf } from '../organisations/rules.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const PROCEDURES = {
  open: 'Open procedure (one stage, anyone may bid)',
  competitive_flexible: 'Competitive flexible procedure (stages the council designs)',
  quotes: 'Invitation to quote (below threshold)',
  direct_award: 'Direct award (above threshold, on a Schedule 5 ground or under section 43)',
} as const;
export type Procedure = keyof typeof PROCEDURES;
export const isProcedure = (v: string): v is Procedure => Object.hasOwn(PROCEDURES, v);

export interface Classification {
  regime: 'PA2023';
  threshold: Threshold;
  aboveThreshold: boolean;
  /** Below threshold and at or over the notifiable value: a notice goes on the Central Digital Platform. */
  notifiable: boolean;
  procedures: Procedure[];
  /** Whether bidders may be shortlisted on suitability before tendering (never below threshold, s.85). */
  preQualificationAllowed: boolean;
}

/**
 * The regime and the procedures open to a procurement that starts on `startsOn`. Values are
 * tested VAT included, whole term with extensions and all lots together (rules.md §3.2).
 */
export function classify(contractType: ContractType, valueInclVatPence: Pence, startsOn: CalendarDate): Classification {
  if (startsOn < PA2023_COMMENCEMENT.from) {
    throw new ValidationError({ startsOn: 'Procurements that started before 24 February 2025 stay under the Public Contracts Regulations 2015, which this service does not run' });
  }
  const threshold = inForce(THRESHOLDS, startsOn, (t) => t.contractType === contractType);
  const notifiableAt = inForce(NOTIFIABLE_BELOW_THRESHOLD, startsOn);
  if (!threshold || !notifiableAt) throw new ValidationError({ startsOn: 'No procurement thresholds are recorded for that date' });
  const aboveThreshold = valueInclVatPence >= threshold.pence;
  return {
    regime: 'PA2023',
    threshold,
    aboveThreshold,
    notifiable: !aboveThreshold && valueInclVatPence >= notifiableAt.pence,
    procedures: aboveThreshold ? ['open', 'competitive_flexible', 'direct_award'] : ['open', 'quotes'],
    preQualificationAllowed: aboveThreshold,
  };
}

// ------------------------------------------------------------------ s.33 reserved contracts

/** What a supplier declares about itself against s.33(6). */
export interface MutualDeclaration {
  deliversMainlyLightTouch: boolean;
  notForProfitOrMembersOnly: boolean;
  employeeControlled: boolean;
}

/** Why a contract may not be reserved for public service mutuals; empty when it may. */
export function reservationProblems(contractType: ContractType, procedure: Procedure, termMonths: number, aboveThreshold: boolean, startsOn: CalendarDate): Record<string, string> {
  const rule = inForce(MUTUAL_RESERVATION, startsOn);
  const problems: Record<string, string> = {};
  if (!rule) return { reservedForMutuals: 'No rule for reserved contracts is recorded for that date' };
  if (contractType !== 'light_touch') problems.reservedForMutuals = 'Only light touch services can be reserved for public service mutuals';
  else if (!aboveThreshold) problems.reservedForMutuals = 'Only contracts above the light touch threshold are reserved under section 33';
  else if (procedure !== 'competitive_flexible') problems.procedure = 'A contract reserved for public service mutuals uses the competitive flexible procedure';
  if (termMonths > rule.maxTermMonths) problems.termMonths = `A contract reserved for public service mutuals can last at most ${rule.maxTermMonths / 12} years`;
  return problems;
}

/** The first day of "the 3 years ending on D": a comparable award on or after it blocks another. */
export function lookBackStart(awardOn: CalendarDate, years: number): CalendarDate {
  return addDays(monthsBefore(awardOn, years * 12), 1);
}

/** Whether a supplier is a qualifying public service mutual for this award (s.33(5)–(7)); reasons if not. */
export function mutualQualifies(declaration: MutualDeclaration | null, priorReservedAwards: readonly CalendarDate[], awardOn: CalendarDate): string[] {
  const rule = inForce(MUTUAL_RESERVATION, awardOn);
  const reasons: string[] = [];
  if (!declaration?.deliversMainlyLightTouch) reasons.push('it does not say it mainly delivers reservable light touch services');
  if (!declaration?.notForProfitOrMembersOnly) reasons.push('it does not say it is not for profit or distributes profits only to its members');
  if (!declaration?.employeeControlled) reasons.push('it does not say it is managed and controlled by its employees');
  if (rule) {
    const from = lookBackStart(awardOn, rule.lookBackYears);
    const prior = priorReservedAwards.find((d) => from <= d && d <= awardOn);
    if (prior) reasons.push(`it was awarded a comparable reserved contract on ${prior}, within ${rule.lookBackYears} years`);
  }
  return reasons;
}

// ------------------------------------------------------------------ working days, notices

export type IsHoliday = (date: CalendarDate) => string | null | undefined;

/** The last day of "N working days beginning with D": D counts if it is a working day. */
export function workingDaysEnd(start: CalendarDate, days: number, isHoliday: IsHoliday): CalendarDate {
  let date = start;
  let counted = 0;
  for (;;) {
    const wd = weekday(dayNumber(date));
    if (wd !== 0 && wd !== 6 && !isHoliday(date)) counted += 1;
    if (counted === days) return date;
    date = addDays(date, 1);
  }
}

/** The instant that is 12:00 in London on a date (bids close at noon, GMT or BST). */
export function londonNoon(date: CalendarDate): Date {
  for (const hour of [12, 11]) {
    const at = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(at);
    if (london === '12') return at;
  }
  throw new Error(`No noon in London on ${date}`);
}

export interface TenderFacts {
  aboveThreshold: boolean;
  notifiable: boolean;
  contractType: ContractType;
  procedure: Procedure;
  /** DIRECT_AWARD_GROUNDS code, for a direct award. */
  directAwardGround: string | null;
  publishedOn: CalendarDate;
  /** A direct award's transparency notice (s.44), once recorded as published. */
  uk5PublishedOn?: CalendarDate | null;
  uk2PublishedOn: CalendarDate | null;
  uk3PublishedOn: CalendarDate | null;
  awardNoticeOn: CalendarDate | null;
  contractStartsOn: CalendarDate | null;
  /** The day the council decided not to award the tender as a whole. */
  cancelledOn: CalendarDate | null;
  /** Lots the council decided not to award one by one, each with the day (in London) it did. */
  lotsNotAwarded?: readonly { id: string; title: string; on: CalendarDate }[];
}

export interface NoticeDue {
  code: string;
  title: string;
  trigger: string;
  source: string;
  /** When it was (or falls) due; null while the event that starts it has not happened. */
  dueOn: CalendarDate | null;
  /** The standstill has a last day rather than a due day. */
  endsOn?: CalendarDate;
  /** The event recorded is the notice's own publication (a tender notice goes out as the tender is published). */
  published?: boolean;
  /** The lot it is for, where it is one lot's own (a lot not awarded has its own UK12). */
  lot?: { id: string; title: string };
}

/** A notice not published by its due day, today being `today` in London; the standstill is a period, never overdue. */
export const isOverdue = (n: NoticeDue, today: CalendarDate): boolean => !n.published && !n.endsOn && n.dueOn !== null && n.dueOn < today;

/** The ground for a direct award, as in force on a date. */
export const directAwardGround = (code: string | null, on: CalendarDate): DirectAwardGround | null =>
  code === null ? null : inForce(DIRECT_AWARD_GROUNDS, on, (g) => g.code === code);

/**
 * Whether the s.51 standstill follows the award: always after a competition, and after a direct
 * award only where its ground has one (DIRECT_AWARD_GROUNDS, each with its source).
 */
export function standstillApplies(procedure: Procedure, groundCode: string | null, on: CalendarDate): boolean {
  if (procedure !== 'direct_award') return true;
  return directAwardGround(groundCode, on)?.standstill ?? true;
}

/** The notices a tender needs, and when each is due, from what has happened so far. */
export function noticesDue(t: TenderFacts, isHoliday: IsHoliday): NoticeDue[] {
  const rule = (code: string): NoticeRule => inForce(NOTICE_RULES, t.publishedOn, (r) => r.code === code)!;
  const row = (code: string, dueOn: CalendarDate | null, extra: Partial<NoticeDue> = {}): NoticeDue => ({ ...noticeRow(code, t.publishedOn, dueOn), ...extra });
  const out: NoticeDue[] = [];
  if (t.aboveThreshold) {
    if (t.uk3PublishedOn) out.push(row('UK3', t.uk3PublishedOn, { published: true }));
    if (t.uk2PublishedOn) out.push(row('UK2', t.uk2PublishedOn, { published: true }));
    // A direct award is announced by a transparency notice instead of a tender notice (s.44): due from its set-up, before the award; published once recorded.
    if (t.procedure === 'direct_award') out.push(row('UK5', t.uk5PublishedOn ?? t.publishedOn, { published: !!t.uk5PublishedOn }));
    else out.push(row('UK4', t.publishedOn, { published: true }));
    // A user choice contract needs no contract award notice (s.50); the standstill follows the notice only where the ground has one.
    if (directAwardGround(t.directAwardGround, t.publishedOn)?.awardNoticeNeeded !== false) {
      out.push(row('UK6', t.awardNoticeOn, { published: t.awardNoticeOn !== null }));
      if (standstillApplies(t.procedure, t.directAwardGround, t.publishedOn)) {
        const standstill = rule('STANDSTILL');
        out.push(row('STANDSTILL', t.awardNoticeOn, t.awardNoticeOn ? { endsOn: workingDaysEnd(t.awardNoticeOn, standstill.days!, isHoliday) } : {}));
      }
    }
    const uk7 = rule('UK7');
    const days = t.contractType === 'light_touch' ? uk7.lightTouchDays! : uk7.days!;
    out.push(row('UK7', t.contractStartsOn ? periodEnd(t.contractStartsOn, days, 'days') : null));
  } else if (t.notifiable) {
    out.push(row('BT', t.publishedOn, { published: true }));
    out.push(row('BT-CDN', t.contractStartsOn));
  }
  if (t.aboveThreshold || t.notifiable) {
    // Each lot is its own contract (s.55 speaks of not awarding "a public contract"), so each lot not awarded has its own UK12.
    for (const lot of t.lotsNotAwarded ?? []) out.push({ ...row('UK12', lot.on), title: `${rule('UK12').title} for ${lot.title}`, lot: { id: lot.id, title: lot.title } });
    if (t.cancelledOn) out.push(row('UK12', t.cancelledOn));
  }
  return out;
}

/** The reason for deciding not to award (s.55), which every bidder told is given; `field` names it on the form. */
export function parseNotAwardedReason(raw: Record<string, unknown>, field: string): string {
  const reason = text(raw[field]);
  if (reason.length < 3 || reason.length > 2000) throw new ValidationError({ [field]: 'Give the reason for not awarding, in 3 to 2,000 characters' });
  return reason;
}

/**
 * What a tender in lots becomes once a lot is settled: still open while any lot is neither awarded
 * nor decided not to be; then awarded if any lot was, else cancelled (nothing awarded at all).
 */
export function statusOfLots(lots: number, awarded: number, notAwarded: number): 'open' | 'awarded' | 'cancelled' {
  if (awarded + notAwarded < Math.max(1, lots)) return 'open';
  return awarded > 0 ? 'awarded' : 'cancelled';
}

/** Whether any of a bidder's organisations (`leadIds`) has yet to bid for a lot (null: a tender without lots); one sealed bid per lead per lot. */
export const mayStillBid = (lotId: string | null, leadIds: readonly string[], made: readonly { lotId: string | null; leadSupplierId: string }[]): boolean =>
  leadIds.some((lead) => !made.some((b) => b.lotId === lotId && b.leadSupplierId === lead));

/** The lots a bidder may still bid for: not decided against by the council, and not yet bid for by each of its organisations. */
export const lotsStillOpen = <L extends { id: string; notAwardedAt: Date | null }>(lots: readonly L[], leadIds: readonly string[], made: readonly { lotId: string | null; leadSupplierId: string }[]): L[] =>
  lots.filter((l) => l.notAwardedAt === null && mayStillBid(l.id, leadIds, made));

export interface TenderingPeriod {
  days: number;
  /** The first day bids may close. */
  earliestClosingOn: CalendarDate;
  /** A planned procurement notice shortened it. */
  shortened: boolean;
  source: string;
}

/**
 * The shortest tendering period for a tender notice published on `publishedOn`, or null where no
 * minimum is recorded for the procedure. A planned procurement notice (UK3) shortens it when it
 * was published at least 40 days and at most a year before the tender notice, both inclusive.
 * Reading (rules.md §3.3 gives the lengths, not how they are counted): the period begins with the
 * day after the tender notice is published and must have run in full before bids close at noon,
 * so the earliest closing day is the day after its last day — published 1 May, 25 days run
 * 2 to 26 May, bids may close on 27 May. There is no maximum, so the longer reading is the safe one.
 */
export function tenderingPeriod(procedure: Procedure, publishedOn: CalendarDate, uk3PublishedOn: CalendarDate | null): TenderingPeriod | null {
  const rule = inForce(MINIMUM_TENDERING_PERIODS, publishedOn, (r) => r.procedure === procedure);
  if (!rule) return null;
  const shortened = uk3PublishedOn !== null && uk3PublishedOn <= addDays(publishedOn, -rule.plannedNoticeAtLeastDaysBefore) && uk3PublishedOn >= monthsBefore(publishedOn, rule.plannedNoticeAtMostMonthsBefore);
  const days = shortened ? rule.afterPlannedNoticeDays : rule.days;
  return { days, earliestClosingOn: addDays(periodEnd(addDays(publishedOn, 1), days, 'days'), 1), shortened, source: rule.source };
}

/** The last day of the calendar quarter a date falls in. */
export function quarterEnd(date: CalendarDate): CalendarDate {
  const y = Number(date.slice(0, 4));
  const lastMonth = Math.ceil(Number(date.slice(5, 7)) / 3) * 3;
  return new Date(Date.UTC(y, lastMonth, 0)).toISOString().slice(0, 10);
}

export const CONTRACT_END_REASONS = {
  expired: 'It ran to its end date',
  terminated: 'It was terminated early',
  other: 'It ended for another reason',
} as const;
export type ContractEndReason = keyof typeof CONTRACT_END_REASONS;

export interface ContractFacts {
  contractType: ContractType;
  aboveThreshold: boolean;
  awardedValuePence: Pence;
  /** The VAT-inclusive estimated value of the procurement it came from: what s.71's £5m is compared with (see PERFORMANCE_NOTICE). */
  estimatedValueInclVatPence: Pence;
  startsOn: CalendarDate;
  /** The day it ended, once recorded. */
  endedOn: CalendarDate | null;
  hasKpis: boolean;
  /** The days (in London) an officer checked a KPI report: each is an assessment of the KPIs. */
  kpiAssessedOn: readonly CalendarDate[];
  payments: readonly { paidOn: CalendarDate; amountPence: Pence; reference: string }[];
  variations: readonly { madeOn: CalendarDate; valueChangePence: Pence }[];
}

const noticeRow = (code: string, on: CalendarDate, dueOn: CalendarDate | null, title?: string): NoticeDue => {
  const r = inForce(NOTICE_RULES, on, (x) => x.code === code)!;
  return { code: r.code, title: title ?? r.title, trigger: r.trigger, source: r.source, dueOn };
};

/**
 * UK9 (s.71) for a contract over £5m with KPIs: a notice within 30 days beginning with each day
 * its KPIs were assessed, and with the day it ended; while it runs, the next assessment is due
 * 12 months from the last (or from the start).
 */
function performanceNotices(c: ContractFacts): NoticeDue[] {
  const rule = inForce(PERFORMANCE_NOTICE, c.startsOn);
  if (!rule || !c.hasKpis || c.estimatedValueInclVatPence <= rule.overPence) return [];
  const assessed = [...new Set(c.kpiAssessedOn)].sort();
  const out = assessed.map((d) => noticeRow('UK9', c.startsOn, periodEnd(d, rule.days, 'days'), `Contract performance notice (KPIs assessed ${formatDate(d)})`));
  if (c.endedOn) out.push(noticeRow('UK9', c.startsOn, periodEnd(c.endedOn, rule.days, 'days'), 'Contract performance notice (on the contract ending)'));
  else {
    const last = assessed[assessed.length - 1] ?? c.startsOn;
    out.push(noticeRow('KPI-ASSESSMENT', c.startsOn, periodEnd(last, rule.assessEveryMonths, 'months')));
  }
  return out;
}

/**
 * The notices a public contract's life needs: UK8 for each payment over £30,000 (due 30 days
 * beginning with the last day of its quarter [D]); UK9 (performanceNotices); UK11 within 30 days
 * beginning with the day it ended (s.80); and UK10 before a variation takes the changes, added
 * together (s.75(4)–(5)), past 10% of the value (15% for works). Light touch contracts need no
 * UK10; below-threshold ones are not public contracts and need none of these.
 */
export function contractNotices(c: ContractFacts): NoticeDue[] {
  const out: NoticeDue[] = [];
  if (!c.aboveThreshold) return out;
  for (const p of c.payments) {
    const rule = inForce(PAYMENT_NOTICE, p.paidOn);
    if (rule && p.amountPence > rule.overPence) {
      out.push({ code: 'UK8', title: `Contract payment notice (${p.reference})`, trigger: `A payment over ${rule.overPence / 100} pounds`, source: rule.source, dueOn: periodEnd(quarterEnd(p.paidOn), rule.days, 'days') });
    }
  }
  out.push(...performanceNotices(c));
  if (c.endedOn) {
    const uk11 = inForce(NOTICE_RULES, c.endedOn, (r) => r.code === 'UK11');
    if (uk11) out.push(noticeRow('UK11', c.endedOn, periodEnd(c.endedOn, uk11.days!, 'days')));
  }
  if (c.contractType === 'light_touch') return out;
  let changed = 0;
  for (const v of c.variations) {
    const rule = inForce(CHANGE_NOTICE, v.madeOn);
    changed += Math.abs(v.valueChangePence);
    const percent = c.contractType === 'works' ? rule?.worksPercent : rule?.goodsServicesPercent;
    if (rule && percent !== undefined && changed * 100 > c.awardedValuePence * percent) {
      out.push({ code: 'UK10', title: 'Contract change notice', trigger: `Before a change that takes the variations past ${percent}% of the value`, source: rule.source, dueOn: v.madeOn });
    }
  }
  return out;
}

// ------------------------------------------------------------------ the authority's own notices: UK1 and UK17

export const PLANNED_ROUTES = {
  tender: 'A competitive tender',
  direct_award: 'A direct award',
} as const;
export type PlannedRoute = keyof typeof PLANNED_ROUTES;

export interface PlannedProcurement {
  title: string;
  /** VAT included, as the Act's estimated values are. */
  estimatedValuePence: Pence;
  expectedNoticeOn: CalendarDate;
}

export const financialYearLabel = (year: number): string => `${year} to ${year + 1}`;

export interface PipelineDuty<P extends PlannedProcurement> {
  year: number;
  due: boolean;
  window: { from: CalendarDate; to: CalendarDate };
  /** The last day of the 18 months the notice covers. */
  coversTo: CalendarDate;
  listed: P[];
  atOrOverPence: number;
  listAtOrOverPence: number;
  source: string;
}

/**
 * UK1 (s.93) for a financial year: due when the expected spend on relevant contracts is at or over
 * the pipeline threshold; published in the 56 days beginning with 1 April; listing each planned
 * procurement of £2m or more whose notice is expected in the 18 months beginning with 1 April.
 */
export function pipelineDuty<P extends PlannedProcurement>(year: number, expectedSpendPence: Pence | null, planned: readonly P[]): PipelineDuty<P> | null {
  const from = `${year}-04-01`;
  const rule = inForce(PIPELINE_NOTICE, from);
  if (!rule) return null;
  const coversTo = periodEnd(from, rule.coverMonths, 'months');
  return {
    year, due: expectedSpendPence !== null && expectedSpendPence >= rule.atOrOverPence,
    window: { from, to: periodEnd(from, rule.windowDays, 'days') }, coversTo,
    listed: planned.filter((p) => p.estimatedValuePence >= rule.listAtOrOverPence && from <= p.expectedNoticeOn && p.expectedNoticeOn <= coversTo),
    atOrOverPence: rule.atOrOverPence, listAtOrOverPence: rule.listAtOrOverPence, source: rule.source,
  };
}

export interface PaymentUnderPublicContract {
  paidOn: CalendarDate;
  invoiceReceivedOn: CalendarDate | null;
}

export interface ReportingPeriod {
  from: CalendarDate;
  to: CalendarDate;
  dueOn: CalendarDate;
  payments: number;
  withInvoiceDate: number;
  /** Of those with an invoice date, paid within the 30-day term. */
  paidOnTime: number;
  source: string;
}

/** The last day of the six-month reporting period a day falls in (the first period end on or after it). */
export function reportingPeriodEnd(date: CalendarDate, periodEnds: readonly string[]): CalendarDate {
  const y = Number(date.slice(0, 4));
  return [y, y + 1].flatMap((year) => periodEnds.map((md) => `${year}-${md}`)).sort().find((end) => end >= date)!;
}

/**
 * UK17 (s.69): each six-month reporting period in which a payment was made under a public
 * contract, due within 30 days beginning with its last day, with the share of payments made within
 * the 30-day term of s.68(2). Reading: "within 30 days of" receiving the invoice counts from the
 * day after it arrived, so an invoice received on 1 May is paid on time up to 31 May.
 */
export function reportingPeriods(payments: readonly PaymentUnderPublicContract[]): ReportingPeriod[] {
  const periods = new Map<CalendarDate, ReportingPeriod>();
  for (const p of payments) {
    const rule = inForce(PAYMENTS_COMPLIANCE, p.paidOn);
    if (!rule) continue;
    const to = reportingPeriodEnd(p.paidOn, rule.periodEnds);
    const period = periods.get(to) ?? { from: monthsBefore(addDays(to, 1), 6), to, dueOn: periodEnd(to, rule.days, 'days'), payments: 0, withInvoiceDate: 0, paidOnTime: 0, source: rule.source };
    period.payments += 1;
    if (p.invoiceReceivedOn) {
      period.withInvoiceDate += 1;
      if (p.paidOn <= addDays(p.invoiceReceivedOn, rule.invoiceTermDays)) period.paidOnTime += 1;
    }
    periods.set(to, period);
  }
  return [...periods.values()].sort((a, b) => a.to.localeCompare(b.to));
}

/** The notices the authority itself owes: UK1 for each financial year it is due, UK17 for each reporting period with a payment. */
export function authorityNotices(pipelines: readonly PipelineDuty<PlannedProcurement>[], payments: readonly PaymentUnderPublicContract[]): NoticeDue[] {
  const uk1 = pipelines.filter((p) => p.due).map((p) => ({ ...noticeRow('UK1', p.window.from, p.window.to, `Pipeline notice ${financialYearLabel(p.year)}`), source: p.source }));
  const uk17 = reportingPeriods(payments).map((r) => noticeRow('UK17', r.to, r.dueOn, `Payments compliance notice (${formatDate(r.from)} to ${formatDate(r.to)})`));
  return [...uk1, ...uk17];
}

/** The first day the contract may be entered: the day after the standstill ends, or the award's own day where no standstill runs. */
export function earliestContractDate(awardNoticeOn: CalendarDate, isHoliday: IsHoliday, standstill = true): CalendarDate {
  if (!standstill) return awardNoticeOn;
  const rule = inForce(NOTICE_RULES, awardNoticeOn, (r) => r.code === 'STANDSTILL')!;
  return addDays(workingDaysEnd(awardNoticeOn, rule.days!, isHoliday), 1);
}

// ------------------------------------------------------------------ direct awards

/** What a direct award has done so far. */
export interface DirectAwardFacts {
  groundCode: string | null;
  publishedOn: CalendarDate;
  supplierNamed: boolean;
  uk5PublishedOn: CalendarDate | null;
  awarded: boolean;
}

export type DirectAwardStepKey = 'supplier' | 'uk5' | 'award' | 'standstill';
export interface DirectAwardStep {
  key: DirectAwardStepKey;
  title: string;
  done: boolean;
  /** Whether it can be done now: every step before it is done. */
  open: boolean;
}

/**
 * A direct award's steps, in order: name the supplier, publish the transparency notice (s.44),
 * award (with its contract award notice, s.50, unless a user choice contract), and the standstill
 * where the ground has one (s.51). No bids and no evaluation.
 */
export function directAwardSteps(f: DirectAwardFacts): DirectAwardStep[] {
  const ground = directAwardGround(f.groundCode, f.publishedOn);
  const awardTitle = ground?.awardNoticeNeeded === false ? 'Award the contract (a user choice contract needs no contract award notice)' : 'Award the contract and publish the contract award notice (UK6)';
  const steps: Omit<DirectAwardStep, 'open'>[] = [
    { key: 'supplier', title: 'Name the supplier', done: f.supplierNamed },
    { key: 'uk5', title: 'Publish the transparency notice (UK5)', done: f.uk5PublishedOn !== null },
    { key: 'award', title: awardTitle, done: f.awarded },
  ];
  if (standstillApplies('direct_award', f.groundCode, f.publishedOn) && ground?.awardNoticeNeeded !== false) steps.push({ key: 'standstill', title: 'Standstill of 8 working days before the contract is entered', done: false });
  return steps.map((step, i) => ({ ...step, open: !step.done && steps.slice(0, i).every((s) => s.done) }));
}

/** Why a direct award cannot be made yet, or null when it can: a named supplier, then the UK5 published (s.44). */
export function directAwardRefusal(f: DirectAwardFacts): string | null {
  if (f.awarded) return 'This direct award has already been made';
  if (!f.supplierNamed) return 'Name the supplier before the award: a direct award is made to the supplier the council names';
  if (f.uk5PublishedOn === null) return 'Publish the transparency notice (UK5) and record it before the award: the Procurement Act 2023 (section 44) requires it before a direct award';
  return null;
}

/** The day a transparency notice was published: today or earlier, and not before the direct award was set up. */
export function parseTransparencyNotice(raw: Record<string, unknown>, createdOn: CalendarDate, today: CalendarDate): CalendarDate {
  const on = text(raw.uk5PublishedOn);
  if (!isCalendarDate(on) || on > today || on < createdOn) throw new ValidationError({ uk5PublishedOn: `Enter the day the transparency notice was published, from ${formatDate(createdOn)} to today, like ${today}` });
  return on;
}

/** The contract's value without VAT at a direct award: as given, or the estimate when left blank. */
export function parseDirectAwardValue(raw: Record<string, unknown>, estimateExVatPence: Pence): Pence {
  if (!text(raw.value)) return estimateExVatPence;
  const value = pounds(raw.value);
  if (value === null || value <= 0) throw new ValidationError({ value: 'Enter the contract’s value without VAT in pounds, like 690,000, or leave it blank for the estimate' });
  return value;
}

// ------------------------------------------------------------------ criteria and scoring

export const CRITERION_KINDS = {
  price: { label: 'Price', method: 'lowest_price', methodLabel: 'Lowest price scores full marks; others in proportion (lowest ÷ bid)' },
  quality: { label: 'Quality', method: 'scale_0_5', methodLabel: 'Evaluators score 0 to 5; the moderated score counts (score ÷ 5)' },
  social_value: { label: 'Social value', method: 'highest_social_value', methodLabel: 'The commitments valued at the council’s proxy values; the highest scores full marks, others in proportion' },
} as const;
export type CriterionKind = keyof typeof CRITERION_KINDS;

/** The quality scale evaluators use. */
export const QUALITY_SCALE = { min: 0, max: 5 } as const;

export interface Criterion {
  id: string;
  kind: CriterionKind;
  weight: number;
}

/** Check a quality score as typed: a whole number on the scale. */
export function parseScore(raw: unknown, field: string): number {
  const s = text(raw);
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= QUALITY_SCALE.min && n <= QUALITY_SCALE.max)) throw new ValidationError({ [field]: `Enter a score from ${QUALITY_SCALE.min} to ${QUALITY_SCALE.max}` });
  return n;
}

export interface BidFigures {
  bidId: string;
  pricePence: Pence;
  socialValuePence: Pence;
  /** Moderated quality score per quality criterion id. */
  quality: Record<string, number>;
}

export interface BidScore {
  bidId: string;
  /** Weighted points per criterion id (out of its weight). */
  byCriterion: Record<string, Rational>;
  total: Rational;
}

/** Each bid's weighted points: price lowest ÷ bid, quality score ÷ 5, social value value ÷ highest. */
export function scoreBids(criteria: readonly Criterion[], bids: readonly BidFigures[]): BidScore[] {
  const lowest = Math.min(...bids.map((b) => b.pricePence));
  const highestSv = Math.max(0, ...bids.map((b) => b.socialValuePence));
  return bids.map((b) => {
    const byCriterion: Record<string, Rational> = {};
    let total = ZERO;
    for (const c of criteria) {
      const w = BigInt(c.weight);
      let points: Rational;
      if (c.kind === 'price') points = b.pricePence > 0 ? mulInt(rational(BigInt(lowest), BigInt(b.pricePence)), w) : fromInt(w);
      else if (c.kind === 'social_value') points = highestSv > 0 ? mulInt(rational(BigInt(b.socialValuePence), BigInt(highestSv)), w) : ZERO;
      else {
        const score = b.quality[c.id];
        if (score === undefined) throw new ValidationError({ award: 'Every bid needs a moderated quality score before the award' });
        points = mulInt(rational(BigInt(score), BigInt(QUALITY_SCALE.max)), w);
      }
      byCriterion[c.id] = points;
      total = add(total, points);
    }
    return { bidId: b.bidId, byCriterion, total };
  });
}

/** The winning bid: the highest total; a tie goes to the lower price, as most councils' documents say. */
export function winner(scores: readonly BidScore[], bids: readonly BidFigures[]): BidScore {
  const price = new Map(bids.map((b) => [b.bidId, b.pricePence]));
  return [...scores].sort((a, b) => compare(b.total, a.total) || price.get(a.bidId)! - price.get(b.bidId)!)[0]!;
}

/** Points to two decimal places, for people. */
export const points = (r: Rational): string => (Math.round(toNumber(mulInt(r, 100n))) / 100).toFixed(2);

/** One bid's points as the award decision records them (decimal strings, by criterion id). */
export interface AwardLine {
  bidId: string;
  supplier: string;
  total: string;
  byCriterion: Record<string, string>;
}

/**
 * The award letters (Procurement Act 2023 s.50 assessment summaries): each bidder with an address,
 * in the tender or the lot awarded, gets their points against the winner's, criterion by criterion,
 * and the standstill.
 */
export function awardLetters(
  lines: readonly AwardLine[], winnerBidId: string, emailById: ReadonlyMap<string, string>, label: (criterionId: string) => string,
  when: { standstillEndsOn: CalendarDate; startsOn: CalendarDate; lotTitle: string | null },
): { to: string; body: string }[] {
  const won = lines.find((l) => l.bidId === winnerBidId)!;
  const yourBid = when.lotTitle ? `Your bid for ${when.lotTitle}` : 'Your bid';
  const theContract = when.lotTitle ? `The contract for ${when.lotTitle}` : 'The contract';
  return lines.flatMap((line) => {
    const to = emailById.get(line.bidId);
    if (!to) return [];
    const rows = Object.keys(line.byCriterion).map((c) => `${label(c)}: your bid ${line.byCriterion[c]}, winning bid ${won.byCriterion[c]}`);
    const outcome = line.bidId === winnerBidId ? `${yourBid} has been chosen.` : `${yourBid} was not chosen. ${theContract} is to be awarded to ${won.supplier}.`;
    const body = `${outcome}\n\n${rows.join('\n')}\nTotal: your bid ${line.total}, winning bid ${won.total}\n\nThe standstill period runs to ${formatDate(when.standstillEndsOn)}; the contract will not be entered before ${formatDate(when.startsOn)}.`;
    return [{ to, body }];
  });
}

/** Weights are whole percentages that add up to 100, price and social value each at most once. */
export function checkWeights(weights: Record<CriterionKind, number | null>): void {
  const sum = Object.values(weights).reduce((s: number, w) => s + (w ?? 0), 0);
  if (sum !== 100) throw new ValidationError({ priceWeight: `The weights must add up to 100% (they add up to ${sum}%)` });
}

// ------------------------------------------------------------------ social value

export interface Measure {
  id: string;
  proxyPence: Pence;
}

/** A bid's social value: quantity committed × the council's proxy value for each measure. */
export function socialValuePence(commitments: readonly { measureId: string; quantity: number }[], measures: readonly Measure[]): Pence {
  const proxy = new Map(measures.map((m) => [m.id, m.proxyPence]));
  return commitments.reduce((sum, c) => sum + c.quantity * (proxy.get(c.measureId) ?? 0), 0);
}

/** How a KPI is doing: delivered against the commitment carried into the contract. */
export function kpiStatus(target: number, delivered: number): 'met' | 'on_track' | 'behind' {
  if (delivered >= target) return 'met';
  return delivered * 2 >= target ? 'on_track' : 'behind';
}

// ------------------------------------------------------------------ parsing forms and API bodies

const wholeNumber = (raw: unknown): number | null => {
  const s = text(raw).replace(/,/g, '');
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
};
const pounds = (raw: unknown): Pence | null => {
  try {
    const p = parsePounds(text(raw));
    return p >= 0 ? p : null;
  } catch (err) {
    if (err instanceof MoneyFormatError) return null;
    throw err;
  }
};

export interface TenderInput {
  title: string;
  description: string;
  serviceArea: string;
  cpvCode: string;
  contractType: ContractType;
  valueExVatPence: Pence;
  valueInclVatPence: Pence;
  procedure: Procedure;
  reservedForMutuals: boolean;
  termMonths: number;
  startsOn: CalendarDate;
  clarificationsCloseOn: CalendarDate;
  /** Bids close at noon London time on this day. */
  closesOn: CalendarDate;
  lots: LotInput[];
  weights: Record<CriterionKind, number>;
  origin: { kind: 'commissioning_decision' | 'right_to_challenge'; id: string } | null;
  classification: Classification;
  history: NoticeHistory;
}

/** What came before the tender notice of an above-threshold competition, and a direct award's ground; all null otherwise. */
export interface NoticeHistory {
  /** Whether preliminary market engagement was carried out. */
  pmeCarriedOut: boolean | null;
  pmeOn: CalendarDate | null;
  uk2PublishedOn: CalendarDate | null;
  /** Why no UK2 was published after engagement: the reasons the tender notice gives (s.17). */
  noUk2Reason: string | null;
  uk3PublishedOn: CalendarDate | null;
  directAwardGround: string | null;
}

const NO_HISTORY: NoticeHistory = { pmeCarriedOut: null, pmeOn: null, uk2PublishedOn: null, noUk2Reason: null, uk3PublishedOn: null, directAwardGround: null };
const pastDate = (v: string | null, today: CalendarDate) => v === null || (isCalendarDate(v) && v <= today);

/**
 * The notices before an above-threshold tender: engagement and its UK2 (or the reasons there is
 * none), an optional UK3, and the shortest tendering period that follows (tenderingPeriod); for a
 * direct award, its ground instead. The tender notice goes out today.
 */
export function parseNoticeHistory(raw: Record<string, unknown>, aboveThreshold: boolean, procedure: Procedure, closesOn: CalendarDate, today: CalendarDate): NoticeHistory {
  if (!aboveThreshold) return NO_HISTORY;
  const check = new FieldChecker();
  if (procedure === 'direct_award') {
    const ground = directAwardGround(text(raw.directAwardGround) || null, today);
    check.check(ground !== null, 'directAwardGround', 'Select the ground for the direct award: a Schedule 5 justification or section 43');
    check.throwIfAny();
    return { ...NO_HISTORY, directAwardGround: ground!.code };
  }
  const pme = text(raw.pme);
  const pmeOn = optionalText(raw.pmeOn);
  const uk2PublishedOn = optionalText(raw.uk2PublishedOn);
  const noUk2Reason = optionalText(raw.noUk2Reason);
  const uk3PublishedOn = optionalText(raw.uk3PublishedOn);
  check.check(pme === 'yes' || pme === 'no', 'pme', 'Say whether preliminary market engagement was carried out');
  if (pme === 'yes') {
    check.check(pmeOn !== null && pastDate(pmeOn, today), 'pmeOn', 'Enter the day engagement began, today or earlier, like 2026-01-15');
    check.check(pastDate(uk2PublishedOn, today), 'uk2PublishedOn', 'Enter the day the preliminary market engagement notice was published, today or earlier, like 2026-01-10');
    if (uk2PublishedOn === null) check.check(noUk2Reason !== null && noUk2Reason.length >= 10 && noUk2Reason.length <= 2000, 'noUk2Reason', 'No preliminary market engagement notice was published: give the reasons, which the tender notice must state, in 10 to 2,000 characters');
  }
  check.check(uk3PublishedOn === null || (isCalendarDate(uk3PublishedOn) && uk3PublishedOn < today), 'uk3PublishedOn', 'Enter the day the planned procurement notice was published, before today, like 2025-12-01');
  check.throwIfAny();
  const period = tenderingPeriod(procedure, today, uk3PublishedOn);
  if (period && closesOn < period.earliestClosingOn) {
    const why = period.shortened ? ' after the planned procurement notice' : '';
    throw new ValidationError({ closesOn: `The tendering period is at least ${period.days} days${why}, counted from the day after the tender notice is published: bids can close on ${formatDate(period.earliestClosingOn)} at the earliest` });
  }
  const engaged = pme === 'yes';
  return { pmeCarriedOut: engaged, pmeOn: engaged ? pmeOn : null, uk2PublishedOn: engaged ? uk2PublishedOn : null, noUk2Reason: engaged && uk2PublishedOn === null ? noUk2Reason : null, uk3PublishedOn, directAwardGround: null };
}

export interface LotInput {
  title: string;
  /** The lot's own estimated value without VAT, if given. */
  valueExVatPence: Pence | null;
}

/**
 * Lots, one a line, each "Title" or "Title | estimated value without VAT" (or a list of such lines
 * from the API). The lots' values cannot add up to more than the tender's, which is valued with
 * every lot together (rules.md §3.2). Returns the lots or the one message for the field.
 */
export function parseLots(raw: unknown, tenderValueExVatPence: Pence | null): LotInput[] | string {
  const lines = (Array.isArray(raw) ? raw : text(raw).split('\n')).map(text).filter(Boolean);
  const lots: LotInput[] = [];
  for (const [i, line] of lines.entries()) {
    const [title = '', value, ...rest] = line.split('|').map((part) => part.trim());
    if (title.length < 2 || title.length > 200 || rest.length > 0) return `Lot ${i + 1}: enter a title of 2 to 200 characters, then optionally | and its value, like North | 60,000`;
    const valueExVatPence = value === undefined || value === '' ? null : pounds(value);
    if (value && valueExVatPence === null) return `Lot ${i + 1}: "${value}" is not a value in pounds, like 60,000`;
    if (lots.some((l) => l.title.toLowerCase() === title.toLowerCase())) return `Lot ${i + 1}: two lots are called "${title}"`;
    lots.push({ title, valueExVatPence });
  }
  if (lots.length === 1) return 'Give at least two lots, or none for one contract';
  if (lots.length > 20) return 'Give no more than 20 lots';
  const sum = lots.reduce((total, l) => total + (l.valueExVatPence ?? 0), 0);
  if (tenderValueExVatPence !== null && sum > tenderValueExVatPence) return 'The lots’ values add up to more than the tender’s value without VAT';
  return lots;
}

/** CPV codes: eight digits, a hyphen and a check digit (e.g. 85311000-2). */
export const isCpvCode = (v: string): boolean => /^\d{8}-\d$/.test(v);

/** A competition's timetable (questions close before bids, bids after today) and its weights. */
function checkTimetableAndWeights(check: FieldChecker, today: CalendarDate, clarificationsCloseOn: string, closesOn: string, weights: Record<CriterionKind, number | null>) {
  check.check(isCalendarDate(clarificationsCloseOn), 'clarificationsCloseOn', 'Enter the last day for questions, like 2026-03-20');
  check.check(isCalendarDate(closesOn) && closesOn > today, 'closesOn', 'Enter a closing date after today, like 2026-03-31');
  if (isCalendarDate(clarificationsCloseOn) && isCalendarDate(closesOn)) check.check(clarificationsCloseOn < closesOn, 'clarificationsCloseOn', 'Questions must close before bids do');
  for (const [k, field] of [['price', 'priceWeight'], ['quality', 'qualityWeight'], ['social_value', 'socialValueWeight']] as const) {
    check.check(weights[k] !== null && weights[k]! <= 100, field, `Enter the ${CRITERION_KINDS[k].label.toLowerCase()} weight as a whole percentage from 0 to 100`);
  }
}

export function parseTender(raw: Record<string, unknown>, today: CalendarDate): TenderInput {
  const check = new FieldChecker();
  const title = text(raw.title);
  const description = text(raw.description);
  const serviceArea = text(raw.serviceArea);
  const cpvCode = text(raw.cpvCode);
  const contractType = text(raw.contractType);
  const procedure = text(raw.procedure);
  // A direct award takes no bids: no closing date, questions or scoring, and one contract with its supplier.
  const direct = procedure === 'direct_award';
  const valueExVatPence = pounds(raw.valueExVat);
  const valueInclVatPence = pounds(raw.valueInclVat);
  const termMonths = wholeNumber(raw.termMonths);
  const startsOn = text(raw.startsOn) || today;
  const clarificationsCloseOn = direct ? today : text(raw.clarificationsCloseOn);
  const closesOn = direct ? today : text(raw.closesOn);
  const weights = direct ? { price: 0, quality: 0, social_value: 0 } : { price: wholeNumber(raw.priceWeight), quality: wholeNumber(raw.qualityWeight), social_value: wholeNumber(raw.socialValueWeight) };
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a title of 3 to 200 characters');
  check.check(description.length >= 10 && description.length <= 5000, 'description', 'Describe what the council is buying in 10 to 5,000 characters');
  check.check(serviceArea.length >= 2 && serviceArea.length <= 100, 'serviceArea', 'Enter the service area, for example Adult social care');
  check.check(isCpvCode(cpvCode), 'cpvCode', 'Enter a CPV code like 85311000-2');
  check.check(isContractType(contractType), 'contractType', 'Select the type of contract');
  check.check(valueExVatPence !== null, 'valueExVat', 'Enter the estimated value without VAT in pounds, like 150,000');
  check.check(valueInclVatPence !== null, 'valueInclVat', 'Enter the estimated value with VAT in pounds, like 180,000');
  if (valueExVatPence !== null && valueInclVatPence !== null) check.check(valueInclVatPence >= valueExVatPence, 'valueInclVat', 'The value with VAT cannot be less than the value without VAT');
  check.check(isProcedure(procedure), 'procedure', 'Select the procedure');
  check.check(termMonths !== null && termMonths >= 1 && termMonths <= 240, 'termMonths', 'Enter how many months the contract lasts, extensions included, from 1 to 240');
  check.check(isCalendarDate(startsOn), 'startsOn', 'Enter the date the procurement starts, like 2026-03-01');
  if (!direct) checkTimetableAndWeights(check, today, clarificationsCloseOn, closesOn, weights);
  const lots = parseLots(raw.lots, valueExVatPence);
  check.check(typeof lots !== 'string', 'lots', typeof lots === 'string' ? lots : '');
  if (direct) check.check(Array.isArray(lots) && lots.length === 0, 'lots', 'A direct award is one contract with the supplier the council names: give no lots');
  const originKind = text(raw.originKind);
  const originId = optionalText(raw.originId);
  if (originKind) check.check((originKind === 'commissioning_decision' || originKind === 'right_to_challenge') && !!originId, 'originKind', 'Give both what the tender comes from and its reference');
  check.throwIfAny();
  if (!direct) checkWeights(weights as Record<CriterionKind, number>);
  const type = contractType as ContractType;
  const classification = classify(type, valueInclVatPence!, startsOn);
  const proc = procedure as Procedure;
  if (!classification.procedures.includes(proc)) {
    throw new ValidationError({ procedure: `At this value a ${CONTRACT_TYPES[type].toLowerCase()} contract uses ${classification.procedures.map((p) => PROCEDURES[p].split(' (')[0]!.toLowerCase()).join(' or ')}` });
  }
  const reservedForMutuals = raw.reservedForMutuals === 'yes' || raw.reservedForMutuals === true;
  if (reservedForMutuals) {
    const problems = reservationProblems(type, proc, termMonths!, classification.aboveThreshold, startsOn);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  }
  const history = parseNoticeHistory(raw, classification.aboveThreshold, proc, closesOn, today);
  return {
    title, description, serviceArea, cpvCode, contractType: type, valueExVatPence: valueExVatPence!, valueInclVatPence: valueInclVatPence!,
    procedure: proc, reservedForMutuals, termMonths: termMonths!, startsOn, clarificationsCloseOn, closesOn, lots: lots as LotInput[],
    weights: weights as Record<CriterionKind, number>,
    origin: originKind ? { kind: originKind as 'commissioning_decision' | 'right_to_challenge', id: originId! } : null,
    classification, history,
  };
}

export interface BidContent {
  pricePence: Pence;
  qualityResponse: string;
  commitments: { measureId: string; quantity: number }[];
}

/** A bid's sealed content as the bidder sent it; `measureIds` are the council's social value measures. */
export function parseBidContent(raw: Record<string, unknown>, measureIds: readonly string[]): BidContent {
  const check = new FieldChecker();
  const pricePence = pounds(raw.price);
  const qualityResponse = text(raw.qualityResponse);
  check.check(pricePence !== null && pricePence > 0, 'price', 'Enter your price without VAT in pounds, like 95,000');
  check.check(qualityResponse.length >= 20 && qualityResponse.length <= 20000, 'qualityResponse', 'Describe how you would deliver the service in 20 to 20,000 characters');
  const commitments: BidContent['commitments'] = [];
  for (const id of measureIds) {
    const field = `measure-${id}`;
    if (text(raw[field]) === '') continue;
    const quantity = wholeNumber(raw[field]);
    check.check(quantity !== null, field, 'Enter a whole number, or leave it blank');
    if (quantity) commitments.push({ measureId: id, quantity });
  }
  check.throwIfAny();
  return { pricePence: pricePence!, qualityResponse, commitments };
}

export const SUPPLIER_SIZES = {
  micro: 'Micro (fewer than 10 staff)',
  small: 'Small (10 to 49 staff)',
  medium: 'Medium (50 to 249 staff)',
  large: 'Large (250 staff or more)',
} as const;
export const LOCALITIES = {
  in_area: 'Based in the borough',
  neighbouring: 'Based in a neighbouring borough',
  elsewhere: 'Based elsewhere',
} as const;
export type SupplierSize = keyof typeof SUPPLIER_SIZES;
export type Locality = keyof typeof LOCALITIES;

export interface SupplierInput extends MutualDeclaration {
  organisationId: string;
  size: SupplierSize;
  locality: Locality;
}

export function parseSupplier(raw: Record<string, unknown>, organisationIds: readonly string[]): SupplierInput {
  const check = new FieldChecker();
  const organisationId = text(raw.organisationId);
  const size = text(raw.size);
  const locality = text(raw.locality);
  check.check(organisationIds.includes(organisationId), 'organisationId', 'Select an organisation you have a role in');
  check.check(Object.hasOwn(SUPPLIER_SIZES, size), 'size', 'Select the size of the organisation');
  check.check(Object.hasOwn(LOCALITIES, locality), 'locality', 'Select where the organisation is based');
  check.throwIfAny();
  const declared = (v: unknown) => (Array.isArray(v) ? v : [v]);
  const mutual = declared(raw.mutual).map(text);
  return {
    organisationId, size: size as SupplierSize, locality: locality as Locality,
    deliversMainlyLightTouch: mutual.includes('light_touch'), notForProfitOrMembersOnly: mutual.includes('not_for_profit'), employeeControlled: mutual.includes('employee_controlled'),
  };
}

/** The supply-diversity groups the dashboard counts, from an organisation's type and size. */
export function diversityGroups(organisationType: string, size: SupplierSize | null, locality: Locality | null): ('vcs' | 'social_enterprise' | 'mutual' | 'sme' | 'local')[] {
  const groups: ('vcs' | 'social_enterprise' | 'mutual' | 'sme' | 'local')[] = [];
  const sector = sectorGroupOf(organisationType);
  if (sector) groups.push(sector);
  if (size && size !== 'large') groups.push('sme');
  if (locality === 'in_area') groups.push('local');
  return groups;
}

/** How the transparency module classes a payee it cannot link to an organisation (SupplierKind there). */
const GROUP_OF_KIND: Record<string, 'vcs' | 'social_enterprise' | 'sme'> = { vcs: 'vcs', 'social-enterprise': 'social_enterprise', sme: 'sme' };

/**
 * The diversity groups a payee's spend counts in. A payee linked to a registered supplier counts
 * as the supplier does (type, size and locality); one linked to an organisation that is not
 * registered counts by the organisation's type; any other by the kind its spend records give.
 */
export function spendGroups(payee: { organisationType: string | null; size: SupplierSize | null; locality: Locality | null; kind: string }) {
  if (payee.organisationType) return diversityGroups(payee.organisationType, payee.size, payee.locality);
  const g = GROUP_OF_KIND[payee.kind];
  return g ? [g] : [];
}

// ------------------------------------------------------------------ the pipeline, contract ends, notices published

export interface PlannedProcurementInput extends PlannedProcurement {
  cpvCode: string | null;
  route: PlannedRoute;
}

export function parsePlannedProcurement(raw: Record<string, unknown>): PlannedProcurementInput {
  const check = new FieldChecker();
  const title = text(raw.title);
  const cpvCode = optionalText(raw.cpvCode);
  const route = text(raw.route);
  const expectedNoticeOn = text(raw.expectedNoticeOn);
  const estimatedValuePence = pounds(raw.estimatedValue);
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a title of 3 to 200 characters');
  check.check(cpvCode === null || isCpvCode(cpvCode), 'cpvCode', 'Enter a CPV code like 85311000-2, or leave it blank');
  check.check(estimatedValuePence !== null && estimatedValuePence > 0, 'estimatedValue', 'Enter the estimated value with VAT in pounds, like 2,500,000');
  check.check(isKeyOf(PLANNED_ROUTES, route), 'route', 'Select a competitive tender or a direct award');
  check.check(isCalendarDate(expectedNoticeOn), 'expectedNoticeOn', 'Enter the day the tender or transparency notice is expected, like 2026-09-01');
  check.throwIfAny();
  return { title, cpvCode, estimatedValuePence: estimatedValuePence!, route: route as PlannedRoute, expectedNoticeOn };
}

/** The expected spend on relevant contracts for a financial year, by the year it starts in. */
export function parseExpectedSpend(raw: Record<string, unknown>): { financialYear: number; expectedSpendPence: Pence } {
  const check = new FieldChecker();
  const year = wholeNumber(raw.financialYear);
  const spend = pounds(raw.expectedSpend);
  check.check(year !== null && year >= 2025 && year <= 2100, 'financialYear', 'Enter the year the financial year starts in, like 2026 for 2026 to 2027');
  check.check(spend !== null, 'expectedSpend', 'Enter the expected spend in pounds, like 120,000,000');
  check.throwIfAny();
  return { financialYear: year!, expectedSpendPence: spend! };
}

/** That a contract ended, on a day from its start to today, and why. */
export function parseContractEnd(raw: Record<string, unknown>, startsOn: CalendarDate, today: CalendarDate): { endedOn: CalendarDate; endReason: ContractEndReason } {
  const check = new FieldChecker();
  const endedOn = text(raw.endedOn);
  const endReason = text(raw.endReason);
  check.check(isCalendarDate(endedOn) && startsOn <= endedOn && endedOn <= today, 'endedOn', `Enter the day the contract ended, from ${formatDate(startsOn)} to today, like ${today}`);
  check.check(isKeyOf(CONTRACT_END_REASONS, endReason), 'endReason', 'Select why the contract ended');
  check.throwIfAny();
  return { endedOn, endReason: endReason as ContractEndReason };
}
