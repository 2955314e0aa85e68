/**
 * Pure rules of the Community Right to Challenge (Localism Act 2011 ss.81–86; rules.md §1):
 * who may challenge, whether an expression of interest says all Schedule 1 asks, submission
 * windows, the deadlines (counted "beginning with" the day that starts them, rules.md §0.2),
 * the states an expression of interest moves through, and what makes a decision lawful.
 */
import { addDays, dayNumber, isCalendarDate, periodEnd, type CalendarDate } from '../../lib/dates.ts';
import { ConflictError, FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { EOI_CONTENT, REJECTION_GROUNDS, RELEVANT_BODIES, inForceOn, type BodyKind, type ContentField, type GroundCode, type PeriodUnit } from './law.ts';
import { isKeyOf } from '../../lib/keys.ts';

// ------------------------------------------------------------------ who may challenge (s.81(6))

/** The body as the expression of interest names it: an organisation of a known type, or a group of employees. */
export type Challenger =
  | { kind: 'organisation'; organisationType: string; notForProfit: boolean }
  | { kind: 'employee_group'; employeeCount: number };

export type Eligibility = { eligible: true; bodyKind: BodyKind } | { eligible: false; reason: string };

/** Organisation types that are a relevant body by what they are. */
const BODY_KIND_OF_TYPE: Record<string, BodyKind> = { voluntary_community: 'voluntary_community', charity: 'charity', parish_council: 'parish_council' };
/** Types that are a voluntary or community body only when their activities are not carried on for profit (s.81(7)). */
const NOT_FOR_PROFIT_TYPES = new Set(['social_enterprise', 'cooperative', 'public_service_mutual']);
const PUBLIC_TYPES = new Set(['council', 'partner_agency']);

export function eligibility(challenger: Challenger, on: CalendarDate): Eligibility {
  const bodyKind = bodyKindOf(challenger);
  if (!bodyKind) return { eligible: false, reason: refusal(challenger) };
  if (!inForceOn(RELEVANT_BODIES, on).some((b) => b.kind === bodyKind)) return { eligible: false, reason: 'That kind of body could not challenge on that date' };
  return { eligible: true, bodyKind };
}

function bodyKindOf(c: Challenger): BodyKind | '' {
  if (c.kind === 'employee_group') return c.employeeCount >= 2 ? 'employee_group' : '';
  const kind = BODY_KIND_OF_TYPE[c.organisationType];
  if (kind) return kind;
  return NOT_FOR_PROFIT_TYPES.has(c.organisationType) && c.notForProfit ? 'voluntary_community' : '';
}

function refusal(c: Challenger): string {
  if (c.kind === 'employee_group') return 'An employee group must be two or more employees of the council (Localism Act 2011 s.81(6)(d))';
  if (NOT_FOR_PROFIT_TYPES.has(c.organisationType)) return 'This body can challenge only as a voluntary or community body, whose activities are not carried on for profit (s.81(7)): confirm that they are not';
  if (PUBLIC_TYPES.has(c.organisationType)) return 'A public or local authority is not a relevant body (s.81(6) and (7))';
  return 'A body that carries on its activities for profit is not a relevant body (s.81(6) and (7))';
}

// ------------------------------------------------------------------ what it must contain (SI 2012/1313 Sch 1)

export type PartnerRole = 'consortium_member' | 'sub_contractor';
export const PARTNER_ROLES: Record<PartnerRole, string> = { consortium_member: 'Consortium member', sub_contractor: 'Sub-contractor' };

export interface Partner {
  name: string;
  role: PartnerRole;
  financialResources: string;
  capabilityEvidence: string;
}

export interface EoiContent {
  bodyKind: 'organisation' | 'employee_group';
  serviceId: string | null;
  area: string;
  financialResources: string;
  capabilityEvidence: string;
  outcomes: string;
  wellBeing: string;
  serviceUsers: string;
  employeeEngagement: string;
  partners: Partner[];
}

export interface Missing {
  field: ContentField | `partner${number}Name`;
  paragraph: string;
  message: string;
}

/** Everything Schedule 1 asks for that the expression of interest does not yet say, in words. */
export function missingContent(eoi: EoiContent, on: CalendarDate): Missing[] {
  const missing: Missing[] = [];
  for (const req of inForceOn(EOI_CONTENT, on)) {
    if (req.employeeGroupsOnly && eoi.bodyKind !== 'employee_group') continue;
    const given = req.field === 'serviceAndArea' ? eoi.serviceId !== null && eoi.area !== '' : eoi[req.field] !== '';
    if (!given) missing.push({ field: req.field, paragraph: req.paragraph, message: req.missing });
    if (!req.eachPartner) continue;
    eoi.partners.forEach((p, i) => {
      const partnerGiven = req.field === 'financialResources' ? p.financialResources : p.capabilityEvidence;
      if (!partnerGiven) missing.push({ field: `partner${i + 1}Name`, paragraph: `${req.paragraph} (with para 1)`, message: `${req.missing}: for ${p.name} (${PARTNER_ROLES[p.role].toLowerCase()})` });
    });
  }
  return missing;
}

export const PARTNER_SLOTS = 3;

export interface DraftInput extends EoiContent {
  organisationId: string | null;
  groupName: string | null;
  employeeCount: number | null;
  notForProfit: boolean;
}

/**
 * Check what a form or API client sent for a draft. A draft may be incomplete (Schedule 1 is
 * checked at submission), but what it does say must make sense.
 */
export function parseDraft(raw: Record<string, unknown>): DraftInput {
  const check = new FieldChecker();
  const bodyKind = text(raw.bodyKind);
  check.check(bodyKind === 'organisation' || bodyKind === 'employee_group', 'bodyKind', 'Select who is expressing an interest');
  const organisationId = optionalText(raw.organisationId);
  const groupName = optionalText(raw.groupName);
  const employeeCountText = typeof raw.employeeCount === 'number' ? String(raw.employeeCount) : text(raw.employeeCount);
  const employeeCount = /^\d{1,6}$/.test(employeeCountText) ? Number(employeeCountText) : null;
  if (bodyKind === 'organisation') check.check(organisationId !== null && isUuid(organisationId), 'organisationId', 'Select the organisation');
  if (bodyKind === 'employee_group') {
    check.check(groupName !== null && groupName.length <= 200, 'groupName', 'Enter the employee group’s name');
    check.check(employeeCount !== null, 'employeeCount', 'Enter how many council employees are in the group, as a whole number');
  }
  const serviceId = optionalText(raw.serviceId);
  if (serviceId) check.check(isUuid(serviceId), 'serviceId', 'Select the service from the list');
  const partners = parsePartners(raw, check);
  check.throwIfAny();
  const long = (v: unknown) => text(v).slice(0, 10000);
  return {
    bodyKind: bodyKind as EoiContent['bodyKind'],
    organisationId: bodyKind === 'organisation' ? organisationId : null,
    groupName: bodyKind === 'employee_group' ? groupName : null,
    employeeCount: bodyKind === 'employee_group' ? employeeCount : null,
    notForProfit: raw.notForProfit === true || raw.notForProfit === 'yes',
    serviceId,
    area: long(raw.area),
    financialResources: long(raw.financialResources),
    capabilityEvidence: long(raw.capabilityEvidence),
    outcomes: long(raw.outcomes),
    wellBeing: long(raw.wellBeing),
    serviceUsers: long(raw.serviceUsers),
    employeeEngagement: bodyKind === 'employee_group' ? long(raw.employeeEngagement) : '',
    partners,
  };
}

/** Partners arrive as an array (API) or as numbered form fields partner1Name… (pages without JavaScript). */
function parsePartners(raw: Record<string, unknown>, check: FieldChecker): Partner[] {
  const given = Array.isArray(raw.partners)
    ? (raw.partners as Record<string, unknown>[])
    : Array.from({ length: PARTNER_SLOTS }, (_, i) => ({
        name: raw[`partner${i + 1}Name`],
        role: raw[`partner${i + 1}Role`],
        financialResources: raw[`partner${i + 1}FinancialResources`],
        capabilityEvidence: raw[`partner${i + 1}CapabilityEvidence`],
      }));
  const partners: Partner[] = [];
  given.forEach((p, i) => {
    const name = text(p?.name);
    if (!name) return;
    const role = text(p.role);
    check.check(isKeyOf(PARTNER_ROLES, role), `partner${i + 1}Role`, `Say whether ${name} is a consortium member or a sub-contractor`);
    partners.push({ name, role: role as PartnerRole, financialResources: text(p.financialResources), capabilityEvidence: text(p.capabilityEvidence) });
  });
  return partners;
}

// ------------------------------------------------------------------ submission windows (s.82)

/** A period the council publishes each year, as month-day pairs ("03-01" to "04-30"); it may run over the new year. */
export interface AnnualWindow {
  from: string;
  to: string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The date of a month-day in a year; 29 February is 28 February in a common year. */
function dateIn(year: number, monthDay: string): CalendarDate {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The window (as dates) that a day falls in, or null when it falls in none. */
export function windowContaining(windows: readonly AnnualWindow[], date: CalendarDate): { from: CalendarDate; to: CalendarDate } | null {
  const year = Number(date.slice(0, 4));
  for (const w of windows) {
    for (const y of [year - 1, year]) {
      const from = dateIn(y, w.from);
      const to = dateIn(w.from <= w.to ? y : y + 1, w.to);
      if (from <= date && date <= to) return { from, to };
    }
  }
  return null;
}

/** "1 March to 30 April" */
export const windowWords = (w: AnnualWindow) => `${monthDayWords(w.from)} to ${monthDayWords(w.to)}`;
const monthDayWords = (md: string) => `${Number(md.slice(3))} ${MONTHS[Number(md.slice(0, 2)) - 1]!.replace(/^./, (c) => c.toUpperCase())}`;

/** Windows typed one a line, "1 March to 30 April". */
export function parseWindows(value: string, check: FieldChecker, field: string): AnnualWindow[] {
  const windows: AnnualWindow[] = [];
  for (const line of value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\d{1,2}) ([a-z]+) to (\d{1,2}) ([a-z]+)$/i.exec(line);
    const from = m && monthDay(m[1]!, m[2]!);
    const to = m && monthDay(m[3]!, m[4]!);
    if (!from || !to) {
      check.add(field, `Enter each period on its own line, like 1 March to 30 April (“${line}” is not)`);
      continue;
    }
    windows.push({ from, to });
  }
  return windows;
}

function monthDay(day: string, month: string): string | null {
  const m = MONTHS.indexOf(month.toLowerCase()) + 1;
  const d = Number(day);
  // 2024 is a leap year, so 29 February is a day a window may name.
  if (m === 0 || d < 1 || d > new Date(Date.UTC(2024, m, 0)).getUTCDate()) return null;
  return `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ the council's published settings

export interface Period {
  length: number;
  unit: PeriodUnit;
}

export interface ChallengeSettings {
  effectiveFrom: CalendarDate;
  /** Empty: expressions of interest may be submitted at any time (s.82). */
  windows: AnnualWindow[];
  /** Days to tell the body when the council will decide (default 30, needs a source). */
  timescaleNoticeDays: number;
  /** The longest the council takes to decide, from receipt or the window's end. */
  decisionPeriod: Period;
  /** From acceptance to the start of the procurement exercise: no sooner than the minimum has run, no later than the maximum. */
  procurementMin: Period;
  procurementMax: Period;
  /** The dashboard warns this many days before a deadline. */
  warnDays: number;
}

export const UNITS: Record<PeriodUnit, string> = { days: 'days', weeks: 'weeks', months: 'months' };
export const periodWords = (p: Period) => `${p.length} ${p.length === 1 ? UNITS[p.unit].replace(/s$/, '') : UNITS[p.unit]}`;

function parsePeriod(raw: Record<string, unknown>, name: string, label: string, check: FieldChecker): Period {
  const lengthText = text(raw[`${name}Length`]);
  const unit = text(raw[`${name}Unit`]);
  check.check(/^\d{1,3}$/.test(lengthText) && Number(lengthText) >= 1, `${name}Length`, `Enter ${label} as a whole number from 1 to 999`);
  check.check(isKeyOf(UNITS, unit), `${name}Unit`, `Select days, weeks or months for ${label}`);
  return { length: Number(lengthText), unit: unit as PeriodUnit };
}

export function parseSettings(raw: Record<string, unknown>, today: CalendarDate): ChallengeSettings {
  const check = new FieldChecker();
  const effectiveFrom = text(raw.effectiveFrom) || today;
  check.check(isCalendarDate(effectiveFrom) && effectiveFrom >= today, 'effectiveFrom', 'Enter the date the settings take effect as a real date, today or later, like 2027-04-01');
  const anyTime = text(raw.submission) !== 'windows';
  const windows = anyTime ? [] : parseWindows(text(raw.windows), check, 'windows');
  if (!anyTime && windows.length === 0) check.add('windows', 'Enter at least one period, like 1 March to 30 April, or choose “at any time”');
  const noticeText = text(raw.timescaleNoticeDays);
  check.check(/^\d{1,3}$/.test(noticeText) && Number(noticeText) >= 1, 'timescaleNoticeDays', 'Enter the days to tell the body when you will decide, as a whole number from 1 to 999');
  const warnText = text(raw.warnDays);
  check.check(/^\d{1,3}$/.test(warnText), 'warnDays', 'Enter how many days before a deadline to warn, as a whole number from 0 to 999');
  const decisionPeriod = parsePeriod(raw, 'decisionPeriod', 'the maximum period to decide', check);
  const procurementMin = parsePeriod(raw, 'procurementMin', 'the minimum period before procurement starts', check);
  const procurementMax = parsePeriod(raw, 'procurementMax', 'the maximum period before procurement starts', check);
  check.throwIfAny();
  const settings = { effectiveFrom, windows, timescaleNoticeDays: Number(noticeText), decisionPeriod, procurementMin, procurementMax, warnDays: Number(warnText) };
  const start = procurementStart(settings.effectiveFrom, settings);
  check.check(start.earliest <= start.latest, 'procurementMaxLength', 'The maximum period before procurement starts must be longer than the minimum');
  check.throwIfAny();
  return settings;
}

// ------------------------------------------------------------------ deadlines (rules.md §0.2)

/** A deadline kept as the law states it, so a change in the rule is a change in data. */
export interface Deadline {
  rule: 'timescale_notice' | 'decision' | 'procurement_start';
  startEvent: string;
  startDate: CalendarDate;
  length: number;
  unit: PeriodUnit;
  inclusive: true;
  source: string;
  /** The last day. */
  due: CalendarDate;
}

/**
 * The day the council's periods begin with: the day of receipt or, where submission periods are
 * set, the last day of the period it came in (rules.md §1.6). Counting the window's last day as
 * the first day is our reading of "within 30 days of the end of the period" [D].
 */
export function countingStart(settings: ChallengeSettings, receivedOn: CalendarDate): { date: CalendarDate; event: string } {
  if (settings.windows.length === 0) return { date: receivedOn, event: 'receipt of the expression of interest' };
  const window = windowContaining(settings.windows, receivedOn);
  return window ? { date: window.to, event: 'the end of the submission period' } : { date: receivedOn, event: 'receipt of the expression of interest' };
}

export function considerationDeadlines(settings: ChallengeSettings, receivedOn: CalendarDate): { timescaleNotice: Deadline; decision: Deadline } {
  const start = countingStart(settings, receivedOn);
  const base = { startEvent: start.event, startDate: start.date, inclusive: true as const };
  return {
    timescaleNotice: {
      ...base,
      rule: 'timescale_notice',
      length: settings.timescaleNoticeDays,
      unit: 'days',
      source: 'The council’s setting (30 days is councils’ reading of the guidance; statutory provision not found: needs a source)',
      due: periodEnd(start.date, settings.timescaleNoticeDays, 'days'),
    },
    decision: {
      ...base,
      rule: 'decision',
      length: settings.decisionPeriod.length,
      unit: settings.decisionPeriod.unit,
      source: 'The council’s published maximum period (Localism Act 2011 s.84; Explanatory Notes para 221)',
      due: periodEnd(start.date, settings.decisionPeriod.length, settings.decisionPeriod.unit),
    },
  };
}

/** When the procurement exercise may start: after the minimum period beginning with acceptance has run, and by the last day of the maximum. */
export function procurementStart(acceptedOn: CalendarDate, settings: Pick<ChallengeSettings, 'procurementMin' | 'procurementMax'>): { earliest: CalendarDate; latest: CalendarDate } {
  return {
    earliest: addDays(periodEnd(acceptedOn, settings.procurementMin.length, settings.procurementMin.unit), 1),
    latest: periodEnd(acceptedOn, settings.procurementMax.length, settings.procurementMax.unit),
  };
}

/**
 * The day the procurement exercise started. A start outside the published period is still a
 * fact to record, so it is kept and said to be outside, not refused.
 */
export function parseProcurementStart(raw: Record<string, unknown>, ctx: { acceptedOn: CalendarDate; earliest: CalendarDate; latest: CalendarDate; today: CalendarDate }): { startedOn: CalendarDate; withinPeriod: boolean } {
  const check = new FieldChecker();
  const startedOn = text(raw.startedOn);
  check.check(isCalendarDate(startedOn) && startedOn >= ctx.acceptedOn && startedOn <= ctx.today, 'startedOn', `Enter the date the procurement exercise started, from ${ctx.acceptedOn} (the acceptance) to today`);
  check.throwIfAny();
  return { startedOn, withinPeriod: ctx.earliest <= startedOn && startedOn <= ctx.latest };
}

export type DeadlineStatus = 'overdue' | 'due_soon' | 'on_track';
export const DEADLINE_STATUS: Record<DeadlineStatus, string> = { overdue: 'Overdue', due_soon: 'Due soon', on_track: 'On track' };

/** Flag a deadline before it is breached: "due soon" within warnDays of the last day (the last day itself included). */
export function deadlineStatus(due: CalendarDate, today: CalendarDate, warnDays: number): { status: DeadlineStatus; daysLeft: number } {
  const daysLeft = dayNumber(due) - dayNumber(today);
  return { status: daysLeft < 0 ? 'overdue' : daysLeft < warnDays ? 'due_soon' : 'on_track', daysLeft };
}

// ------------------------------------------------------------------ the states (rules.md §1.10)

export const STATES = {
  draft: 'Draft',
  submitted: 'Submitted',
  out_of_window: 'Outside the submission period: not requiring consideration',
  timescale_given: 'Received: told when the council will decide',
  under_consideration: 'Under consideration',
  modification_proposed: 'Modification proposed: waiting for the body’s agreement',
  accepted: 'Accepted',
  accepted_with_modification: 'Accepted with modification',
  rejected: 'Rejected',
} as const;
export type State = keyof typeof STATES;

const NEXT: Record<State, readonly State[]> = {
  draft: ['submitted'],
  submitted: ['out_of_window', 'timescale_given'],
  out_of_window: [],
  timescale_given: ['under_consideration'],
  under_consideration: ['accepted', 'rejected', 'modification_proposed'],
  modification_proposed: ['accepted_with_modification', 'rejected'],
  accepted: [],
  accepted_with_modification: [],
  rejected: [],
};

export const canMove = (from: State, to: State): boolean => NEXT[from].includes(to);

export function assertMove(from: State, to: State): void {
  if (!canMove(from, to)) throw new ConflictError(`An expression of interest that is “${STATES[from].toLowerCase()}” cannot become “${STATES[to].toLowerCase()}”`);
}

export const isDecided = (s: State) => s === 'accepted' || s === 'accepted_with_modification' || s === 'rejected';
export const isAccepted = (s: State) => s === 'accepted' || s === 'accepted_with_modification';

// ------------------------------------------------------------------ receipt and the decision

export interface Receipt {
  receivedOn: CalendarDate;
  /** Null when the expression of interest came outside every submission period. */
  decideBy: CalendarDate | null;
  outOfWindow: boolean;
  deadlines: { timescaleNotice: Deadline; decision: Deadline } | null;
}

/** Recording receipt and telling the body when the council will decide (by the published maximum). */
export function parseReceipt(raw: Record<string, unknown>, ctx: { submittedOn: CalendarDate; today: CalendarDate; settings: ChallengeSettings }): Receipt {
  const check = new FieldChecker();
  const receivedOn = text(raw.receivedOn);
  check.check(isCalendarDate(receivedOn) && receivedOn >= ctx.submittedOn && receivedOn <= ctx.today, 'receivedOn', `Enter the date it was received, from ${ctx.submittedOn} (when it was submitted) to today, like ${ctx.today}`);
  check.throwIfAny();
  const outOfWindow = ctx.settings.windows.length > 0 && windowContaining(ctx.settings.windows, receivedOn) === null;
  if (outOfWindow) return { receivedOn, decideBy: null, outOfWindow, deadlines: null };
  const deadlines = considerationDeadlines(ctx.settings, receivedOn);
  const decideBy = text(raw.decideBy);
  check.check(
    isCalendarDate(decideBy) && decideBy >= receivedOn && decideBy <= deadlines.decision.due,
    'decideBy',
    `Enter the date you will decide by, from the date received to ${deadlines.decision.due} (the published maximum period), like ${deadlines.decision.due}`,
  );
  check.throwIfAny();
  return { receivedOn, decideBy, outOfWindow, deadlines };
}

export type Outcome = 'accept' | 'modify' | 'reject';
export const OUTCOMES: Record<Outcome, string> = {
  accept: 'Accept',
  modify: 'Accept with a modification (it would otherwise be rejected; the body must agree)',
  reject: 'Reject',
};

export interface Decision {
  outcome: Outcome;
  grounds: GroundCode[];
  reasons: string;
  modification: string | null;
  decidedOn: CalendarDate;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String).filter(Boolean);

/**
 * A lawful decision: accept; reject only on one or more Schedule grounds, with reasons; or
 * propose a modification only where a ground would otherwise lead to rejection, with the
 * modification and reasons (the body's agreement comes after).
 */
export function parseDecision(raw: Record<string, unknown>, ctx: { receivedOn: CalendarDate; today: CalendarDate }): Decision {
  const check = new FieldChecker();
  const outcome = text(raw.outcome);
  check.check(isKeyOf(OUTCOMES, outcome), 'outcome', 'Select the decision');
  const decidedOn = text(raw.decidedOn) || ctx.today;
  check.check(isCalendarDate(decidedOn) && decidedOn >= ctx.receivedOn && decidedOn <= ctx.today, 'decidedOn', `Enter the date of the decision, from ${ctx.receivedOn} (when it was received) to today`);
  const codes = list(raw.grounds);
  const known = isCalendarDate(decidedOn) ? new Set(inForceOn(REJECTION_GROUNDS, decidedOn).map((g) => g.code as string)) : new Set<string>();
  check.check(codes.every((c) => known.has(c)), 'grounds', 'Select grounds only from the list in the regulations');
  const reasons = text(raw.reasons);
  const modification = optionalText(raw.modification);
  if (outcome === 'reject') {
    check.check(codes.length > 0, 'grounds', 'Select at least one ground for rejection: the regulations allow no others');
    check.check(reasons.length > 0, 'reasons', 'Give the reasons for rejecting it: they are sent to the body and published');
  }
  if (outcome === 'modify') {
    check.check(codes.length > 0, 'grounds', 'Select the grounds on which it would otherwise be rejected: a modification is allowed only then');
    check.check(modification !== null, 'modification', 'Describe the modification the body is asked to agree to');
    check.check(reasons.length > 0, 'reasons', 'Give the reasons for the modification: they are sent to the body and published');
  }
  if (outcome === 'accept') check.check(codes.length === 0, 'grounds', 'An accepted expression of interest is not rejected on any ground: clear the grounds, or choose another decision');
  check.throwIfAny();
  return { outcome: outcome as Outcome, grounds: [...new Set(codes)] as GroundCode[], reasons, modification: outcome === 'modify' ? modification : null, decidedOn };
}

export const STATE_OF_OUTCOME: Record<Outcome, State> = { accept: 'accepted', modify: 'modification_proposed', reject: 'rejected' };

/** The body's answer to a proposed modification: agreeing accepts it as modified; declining leaves the grounds to reject it. */
export function stateAfterResponse(agrees: boolean): State {
  return agrees ? 'accepted_with_modification' : 'rejected';
}
