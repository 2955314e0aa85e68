/** Pure rules of the commissioning cycle: its stages, what each needs before it can move on, and its forms. */
import { isCalendarDate, type CalendarDate } from '../../lib/dates.ts';
import { FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { MoneyFormatError, parsePounds, type Pence } from '../../lib/money.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const STAGES = ['analyse', 'plan', 'do', 'review'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Record<Stage, string> = { analyse: 'Analyse', plan: 'Plan', do: 'Do', review: 'Review' };
/** What each stage is for, as residents read it. */
export const STAGE_PURPOSES: Record<Stage, string> = {
  analyse: 'Understanding what people need, and how well the service meets it now and for what cost',
  plan: 'Designing what should happen with residents, service users, staff and providers, and choosing how to deliver it',
  do: 'Putting the choice into effect: a procurement, a grant programme, a mutual spin-out or an in-house redesign',
  review: 'Looking at what it achieved against the outcomes and what residents said, and deciding what happens next',
};
export const nextStage = (s: Stage): Stage | null => STAGES[STAGES.indexOf(s) + 1] ?? null;

export const PARTICIPANT_ROLES = { residents: 'Residents', service_users: 'Service users', carers: 'Carers', staff: 'Staff', providers: 'Providers', partners: 'Partners' } as const;
export type ParticipantRole = keyof typeof PARTICIPANT_ROLES;
const PARTICIPANTS = Object.keys(PARTICIPANT_ROLES) as ParticipantRole[];
/** The people a service is for: a plan needs at least one of them in the room. */
const LIVED_EXPERIENCE: ParticipantRole[] = ['residents', 'service_users', 'carers'];

export const DELIVERY_OPTIONS = {
  in_house: 'Keep in-house',
  grant: 'Grant',
  contract: 'Contract',
  community_led: 'Community-led commissioning',
  mutual: 'Public service mutual',
  shared_service: 'Shared service with another council',
  trading_company: 'Council trading company',
  decommission: 'Decommission',
} as const;
export type DeliveryOption = keyof typeof DELIVERY_OPTIONS;
export const isDeliveryOption = (v: unknown): v is DeliveryOption => isKeyOf(DELIVERY_OPTIONS, v);

export const HANDOFF_KINDS = { procurement: 'Procurement', grant_programme: 'A grant programme', mutual_spin_out: 'A mutual spin-out', in_house_redesign: 'An in-house redesign' } as const;
export type HandoffKind = keyof typeof HANDOFF_KINDS;
export const isHandoffKind = (v: unknown): v is HandoffKind => isKeyOf(HANDOFF_KINDS, v);

export const REVIEW_DECISIONS = { continue: 'Continue as it is', change: 'Change it', decommission: 'Decommission it' } as const;
export type ReviewDecision = keyof typeof REVIEW_DECISIONS;
export const isReviewDecision = (v: unknown): v is ReviewDecision => isKeyOf(REVIEW_DECISIONS, v);
/** A review that keeps the service going opens the next cycle; decommissioning ends it. */
export const opensNextCycle = (d: ReviewDecision) => d !== 'decommission';

// ------------------------------------------------------------ stage gates

export interface GateFacts {
  needsEvidence: string | null;
  needsData: string | null;
  residentInsight: string | null;
  currentPerformance: string | null;
  currentCostPence: number | null;
  intentions: string | null;
  chosenOption: string | null;
  chosenReasons: string | null;
  handoffKind: string | null;
  handoffReference: string | null;
  performanceReview: string | null;
  residentsSaid: string | null;
  reviewDecision: string | null;
  reviewReasons: string | null;
  sessions: readonly { stage: string; heldOn: CalendarDate; participants: Record<string, number>; decided: string | null }[];
  options: readonly string[];
}

/** Field → what is still needed before the project can leave this stage. Empty: it may move on. */
export function gateProblems(stage: Stage, f: GateFacts, today: CalendarDate): Record<string, string> {
  const check = new FieldChecker();
  const has = (v: string | null) => v !== null && v.trim() !== '';
  if (stage === 'analyse') {
    check.check(has(f.needsEvidence), 'needsEvidence', 'Record the evidence of need');
    check.check(has(f.needsData), 'needsData', 'Record the data the needs assessment used');
    check.check(has(f.residentInsight), 'residentInsight', 'Record what residents and service users said about their needs');
    check.check(has(f.currentPerformance), 'currentPerformance', 'Record how the service performs now');
    check.check(f.currentCostPence !== null, 'currentCost', 'Record what the service costs now (£0 for a new service)');
  } else if (stage === 'plan') {
    const heldWithPeople = f.sessions.some(
      (s) => s.stage === 'plan' && s.heldOn <= today && has(s.decided) && LIVED_EXPERIENCE.some((r) => (s.participants[r] ?? 0) > 0),
    );
    check.check(heldWithPeople, 'sessions', 'Hold a co-design session in this stage with residents, service users or carers, and record what it decided');
    check.check(has(f.intentions), 'intentions', 'Set out the commissioning intentions');
    check.check(new Set(f.options).size >= 2, 'options', 'Appraise at least two delivery models');
    check.check(has(f.chosenOption) && f.options.includes(f.chosenOption!), 'chosenOption', 'Choose one of the options appraised');
    check.check(has(f.chosenReasons), 'chosenReasons', 'Give the reasons for the choice');
  } else if (stage === 'do') {
    check.check(isHandoffKind(f.handoffKind) && has(f.handoffReference), 'handoff', 'Record the hand-off: what follows and its reference');
  } else {
    check.check(has(f.performanceReview), 'performanceReview', 'Record how the service performed against its outcomes');
    check.check(has(f.residentsSaid), 'residentsSaid', 'Record what residents said');
    check.check(isReviewDecision(f.reviewDecision), 'reviewDecision', 'Decide whether to continue, change or decommission');
    check.check(has(f.reviewReasons), 'reviewReasons', 'Give the reasons for the decision');
  }
  return check.errors;
}

/** The parts of a project that can be changed in each stage; co-design sessions can be held in any. */
export type Part = 'analysis' | 'plan' | 'options' | 'handoff' | 'review' | 'sessions';
const PART_STAGE: Record<Exclude<Part, 'sessions'>, Stage> = { analysis: 'analyse', plan: 'plan', options: 'plan', handoff: 'do', review: 'review' };
export function editableIn(part: Part, stage: Stage, closed: boolean): boolean {
  if (closed) return false;
  return part === 'sessions' || PART_STAGE[part] === stage;
}

// ------------------------------------------------------------ forms

const longText = (check: FieldChecker, raw: unknown, field: string, message: string, max = 10_000): string | null => {
  const t = optionalText(raw);
  check.check(t === null || t.length <= max, field, message);
  return t;
};

function pounds(check: FieldChecker, raw: unknown, field: string, label: string): Pence | null {
  const t = text(raw);
  if (t === '') return null;
  let pence = Number.NaN;
  try {
    pence = parsePounds(t);
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
  }
  const ok = Number.isSafeInteger(pence) && pence >= 0 && pence <= 100_000_000_000;
  check.check(ok, field, `Enter ${label} in pounds, like 250,000`);
  return ok ? pence : null;
}

const list = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : [v].flat().map(text).filter(Boolean));

export interface ProjectInput {
  title: string;
  summary: string;
  takePart: string | null;
  serviceIds: string[];
}

export function parseProject(raw: Record<string, unknown>): ProjectInput {
  const check = new FieldChecker();
  const title = text(raw.title);
  const summary = text(raw.summary);
  const serviceIds = [...new Set(list(raw.serviceIds))];
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter what is being commissioned, in 3 to 200 characters');
  check.check(summary.length >= 10 && summary.length <= 5000, 'summary', 'Describe it for residents in 10 to 5,000 characters');
  const takePart = longText(check, raw.takePart, 'takePart', 'Say how residents can take part in at most 2,000 characters', 2000);
  check.check(serviceIds.length >= 1 && serviceIds.length <= 50 && serviceIds.every(isUuid), 'serviceIds', 'Choose the services this covers');
  check.throwIfAny();
  return { title, summary, takePart, serviceIds };
}

export function parseAnalysis(raw: Record<string, unknown>) {
  const check = new FieldChecker();
  const tooLong = 'Keep this to 10,000 characters';
  const out = {
    needsEvidence: longText(check, raw.needsEvidence, 'needsEvidence', tooLong),
    needsData: longText(check, raw.needsData, 'needsData', tooLong),
    residentInsight: longText(check, raw.residentInsight, 'residentInsight', tooLong),
    currentPerformance: longText(check, raw.currentPerformance, 'currentPerformance', tooLong),
    currentCostPence: pounds(check, raw.currentCost, 'currentCost', 'what it costs now a year'),
  };
  check.throwIfAny();
  return out;
}

export function parsePlan(raw: Record<string, unknown>, appraised: readonly string[]) {
  const check = new FieldChecker();
  const chosen = text(raw.chosenOption);
  check.check(chosen === '' || (isDeliveryOption(chosen) && appraised.includes(chosen)), 'chosenOption', 'Choose one of the options appraised');
  const out = {
    intentions: longText(check, raw.intentions, 'intentions', 'Keep the intentions to 10,000 characters'),
    chosenOption: chosen || null,
    chosenReasons: longText(check, raw.chosenReasons, 'chosenReasons', 'Keep the reasons to 10,000 characters'),
  };
  check.throwIfAny();
  return out;
}

export function parseOption(raw: Record<string, unknown>) {
  const check = new FieldChecker();
  const model = text(raw.model);
  const assessment = text(raw.assessment);
  check.check(isDeliveryOption(model), 'model', 'Choose the delivery model appraised');
  check.check(assessment.length >= 10 && assessment.length <= 10_000, 'assessment', 'Set out the appraisal (benefits, risks, cost, who it suits) in 10 to 10,000 characters');
  const annualCostPence = pounds(check, raw.annualCost, 'annualCost', 'the expected yearly cost');
  check.throwIfAny();
  return { model: model as DeliveryOption, assessment, annualCostPence };
}

export function parseSession(raw: Record<string, unknown>, today: CalendarDate) {
  const check = new FieldChecker();
  const heldOn = text(raw.heldOn);
  const title = text(raw.title);
  check.check(isCalendarDate(heldOn), 'heldOn', 'Enter the date of the session as a real date, like 2026-11-30');
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a name for the session, in 3 to 200 characters');
  const participants: Record<string, number> = {};
  for (const role of PARTICIPANTS) {
    const t = text(raw[`participants.${role}`]);
    const n = t === '' ? 0 : Number(t);
    check.check(Number.isInteger(n) && n >= 0 && n <= 100_000, `participants.${role}`, `Enter how many ${PARTICIPANT_ROLES[role].toLowerCase()} took part as a whole number, or leave it empty`);
    if (Number.isInteger(n) && n > 0) participants[role] = n;
  }
  const future = isCalendarDate(heldOn) && heldOn > today;
  const proposed = longText(check, raw.proposed, 'proposed', 'Keep what was proposed to 10,000 characters');
  const decided = longText(check, raw.decided, 'decided', 'Keep what was decided to 10,000 characters');
  const howToJoin = longText(check, raw.howToJoin, 'howToJoin', 'Keep how to join to 2,000 characters', 2000);
  if (future) {
    check.check(Object.keys(participants).length === 0, 'participants.residents', 'A session still to come has no one who took part yet: leave the numbers empty');
    check.check(decided === null, 'decided', 'A session still to come has decided nothing yet: leave this empty');
    check.check(howToJoin !== null, 'howToJoin', 'Say where and how residents can join the session');
  } else if (isCalendarDate(heldOn)) {
    check.check(Object.keys(participants).length > 0, 'participants.residents', 'Enter how many people took part, by role');
  }
  check.throwIfAny();
  return { heldOn, title, participants, proposed, decided, howToJoin };
}

export function parseHandoff(raw: Record<string, unknown>, today: CalendarDate) {
  const check = new FieldChecker();
  const kind = text(raw.handoffKind);
  const reference = text(raw.handoffReference);
  const on = text(raw.handoffOn);
  check.check(isHandoffKind(kind), 'handoffKind', 'Choose what follows');
  check.check(reference.length >= 2 && reference.length <= 300, 'handoffReference', 'Enter its reference, like a procurement or programme number or a web address');
  check.check(on === '' || (isCalendarDate(on) && on <= today), 'handoffOn', 'Enter the date of the hand-off as a real date, not after today, or leave it empty');
  check.throwIfAny();
  return { handoffKind: kind as HandoffKind, handoffReference: reference, handoffOn: on || today };
}

export function parseReview(raw: Record<string, unknown>) {
  const check = new FieldChecker();
  const decision = text(raw.reviewDecision);
  check.check(decision === '' || isReviewDecision(decision), 'reviewDecision', 'Choose whether to continue, change or decommission');
  const out = {
    performanceReview: longText(check, raw.performanceReview, 'performanceReview', 'Keep this to 10,000 characters'),
    residentsSaid: longText(check, raw.residentsSaid, 'residentsSaid', 'Keep this to 10,000 characters'),
    reviewDecision: decision || null,
    reviewReasons: longText(check, raw.reviewReasons, 'reviewReasons', 'Keep the reasons to 10,000 characters'),
  };
  check.throwIfAny();
  return out;
}

export function parseStatement(raw: Record<string, unknown>) {
  const check = new FieldChecker();
  const title = text(raw.title);
  const covers = text(raw.covers);
  const body = text(raw.body);
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a title of 3 to 200 characters');
  check.check(covers.length >= 4 && covers.length <= 60, 'covers', 'Enter the years it covers, like 2026 to 2029');
  check.check(body.length >= 50 && body.length <= 50_000, 'body', 'Write the statement: what the council needs from the market and how it will commission, in 50 to 50,000 characters');
  check.throwIfAny();
  return { title, covers, body };
}
