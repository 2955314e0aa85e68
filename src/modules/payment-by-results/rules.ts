/**
 * Payment by results, as pure rules: the terms of an outcome-based contract, what the published
 * templates pay, and the check every claim passes before it can be paid — eligibility, the
 * evidence windows, thresholds, no double claim, results that exclude each other, and caps.
 */
import { FieldChecker, ValidationError, text, type FieldErrors } from '../../lib/errors.ts';
import { addDays, isCalendarDate, periodEnd, type CalendarDate } from '../../lib/dates.ts';
import { compare, fromInt, mul, parseDecimal, sub, type Rational } from '../../lib/rational.ts';
import { formatPence } from '../../lib/money.ts';
import { poundsField } from '../../lib/money.ts';
import type { Framework } from './frameworks.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const TESTS = {
  below: 'is below',
  at_most: 'is at most',
  at_least: 'is at least',
  reduction_at_least: 'falls from the baseline by at least (per cent)',
} as const;
export type Test = keyof typeof TESTS;
const isTest = (v: string): v is Test => isKeyOf(TESTS, v);

/** One measure an outcome is judged on, with its threshold and the windows the evidence must cover. */
export interface Condition {
  measure: string;
  test: Test;
  /** A decimal, as text so that it stays exact. */
  threshold: string;
  /** Months before attachment the baseline covers (only for reductions). */
  baselineMonths: number | null;
  /** Months after attachment the measurement covers; null for a one-off event. */
  measurementMonths: number | null;
}

/** A rate that applies to participants attached from `from` to `to` (both included). */
export interface Dated {
  from: CalendarDate;
  to: CalendarDate;
  pence: number;
  source: string;
}

export interface DerivedTerms {
  attachmentFees: Dated[];
  tariffs: { outcomeKey: string; rates: Dated[] }[];
}

/**
 * What a framework pays, year by year: the attachment fee is the year's share of the
 * participant's value, and a result pays its value less that fee, or its flat amount.
 * (rules.md §5.1: results_payment(year, outcome) = outcomeValue − attachmentFee(year).)
 */
export function frameworkTerms(framework: Framework): DerivedTerms {
  const fees = framework.years.map((y) => ({
    from: y.from,
    to: y.to,
    pence: (framework.participantValuePence * y.attachmentSharePercent) / 100,
    source: `${framework.source}: ${y.attachmentSharePercent}% of ${formatPence(framework.participantValuePence, { wholePounds: true })} paid on attachment`,
  }));
  const tariffs = framework.outcomes.map((o) => ({
    outcomeKey: o.key,
    rates: fees.map((fee) => ({
      from: fee.from,
      to: fee.to,
      pence: o.payment.kind === 'flat' ? o.payment.pence : o.payment.valuePence - fee.pence,
      source: o.payment.kind === 'flat' ? o.source : `${o.source}, less the attachment fee of ${formatPence(fee.pence, { wholePounds: true })}`,
    })),
  }));
  return { attachmentFees: fees, tariffs };
}

/** The rate in force on a date, if any. */
export const rateOn = (rates: readonly Dated[], date: CalendarDate): Dated | undefined => rates.find((r) => r.from <= date && date <= r.to);

// ------------------------------------------------------------------ input

const dateField = (check: FieldChecker, raw: unknown, field: string, label: string): CalendarDate => {
  const value = text(raw);
  check.check(isCalendarDate(value), field, `Enter ${label} as a real date, like 2013-06-30`);
  return value;
};

const wholeNumberField = (check: FieldChecker, raw: unknown, field: string, message: string, limits: { min: number; max: number; optional?: boolean }): number | null => {
  const value = text(String(raw ?? ''));
  if (value === '' && limits.optional) return null;
  const ok = /^\d{1,7}$/.test(value) && Number(value) >= limits.min && Number(value) <= limits.max;
  check.check(ok, field, message);
  return ok ? Number(value) : null;
};

const optionalPounds = (check: FieldChecker, raw: unknown, field: string, label: string): number | null =>
  text(String(raw ?? '')) === '' ? null : poundsField(check, field, raw, label, { min: 1, max: 100_000_000_00 });

export interface ContractInput {
  name: string;
  providerOrganisationId: string;
  template: string | null;
  startDate: CalendarDate;
  endDate: CalendarDate;
  cohortLimit: number | null;
  contractCapPence: number | null;
  participantCapPence: number | null;
  attachmentFeePence: number | null;
}

export function parseContract(raw: Record<string, unknown>, templates: readonly string[]): ContractInput {
  const check = new FieldChecker();
  const name = text(raw.name);
  check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the contract’s name, in 3 to 200 characters');
  const providerOrganisationId = text(raw.providerOrganisationId);
  check.check(providerOrganisationId !== '', 'providerOrganisationId', 'Select the provider');
  const template = text(raw.template) || null;
  if (template) check.check(templates.includes(template), 'template', 'Select a template from the list, or none');
  const startDate = dateField(check, raw.startDate, 'startDate', 'the start date');
  const endDate = dateField(check, raw.endDate, 'endDate', 'the end date');
  if (isCalendarDate(startDate) && isCalendarDate(endDate)) check.check(endDate >= startDate, 'endDate', 'The end date must be on or after the start date');
  const cohortLimit = wholeNumberField(check, raw.cohortLimit, 'cohortLimit', 'Enter how many participants may be attached as a whole number from 1 to 1,000,000, or leave it blank', { min: 1, max: 1_000_000, optional: true });
  const contractCapPence = optionalPounds(check, raw.contractCap, 'contractCap', 'the most the contract may pay');
  const participantCapPence = optionalPounds(check, raw.participantCap, 'participantCap', 'the most one participant may earn');
  const attachmentFeePence = template ? null : optionalPounds(check, raw.attachmentFee, 'attachmentFee', 'the attachment fee');
  check.throwIfAny();
  return { name, providerOrganisationId, template, startDate, endDate, cohortLimit, contractCapPence, participantCapPence, attachmentFeePence };
}

export interface OutcomeInput {
  name: string;
  condition: Condition;
  tariffPence: number;
  source: string;
}

export function parseOutcome(raw: Record<string, unknown>): OutcomeInput {
  const check = new FieldChecker();
  const name = text(raw.name);
  check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the outcome’s name, in 3 to 200 characters');
  const measure = text(raw.measure);
  check.check(measure.length >= 3 && measure.length <= 200, 'measure', 'Enter what is measured, in 3 to 200 characters');
  const test = text(raw.test);
  check.check(isTest(test), 'test', 'Select how the measure is tested');
  const threshold = text(raw.threshold);
  check.check(parseDecimal(threshold) !== null && !threshold.includes(','), 'threshold', 'Enter the threshold as a number, like 15 or 2.5');
  const baselineMonths = wholeNumberField(check, raw.baselineMonths, 'baselineMonths', 'Enter the baseline window as whole months from 1 to 60', { min: 1, max: 60, optional: test !== 'reduction_at_least' });
  const measurementMonths = wholeNumberField(check, raw.measurementMonths, 'measurementMonths', 'Enter the measurement window as whole months from 1 to 60, or leave it blank for a one-off event', {
    min: 1,
    max: 60,
    optional: test !== 'reduction_at_least',
  });
  const tariffPence = poundsField(check, 'tariff', raw.tariff, 'the tariff', { min: 1, max: 10_000_000_00 });
  const source = text(raw.source);
  check.check(source.length >= 3 && source.length <= 500, 'source', 'Say where the outcome and tariff come from (the contract clause or framework), in 3 to 500 characters');
  check.throwIfAny();
  return {
    name,
    condition: { measure, test: test as Test, threshold, baselineMonths: test === 'reduction_at_least' ? baselineMonths : null, measurementMonths },
    tariffPence,
    source,
  };
}

export interface ParticipantInput {
  name: string;
  caseReference: string | null;
  attachedOn: CalendarDate;
  criteriaMet: string[];
}

/**
 * A participant joining the cohort. Identity is kept to what the programme needs to find the
 * family again: a name and the council's own case reference.
 */
export function parseParticipant(raw: Record<string, unknown>, eligibility: { minimum: number; criteria: [string, string][] } | null): ParticipantInput {
  const check = new FieldChecker();
  const name = text(raw.name);
  check.check(name.length >= 2 && name.length <= 200, 'name', 'Enter the participant’s or family’s name, in 2 to 200 characters');
  const caseReference = text(raw.caseReference) || null;
  check.check((caseReference?.length ?? 0) <= 50, 'caseReference', 'Enter a case reference of up to 50 characters');
  const attachedOn = dateField(check, raw.attachedOn, 'attachedOn', 'the date they were attached');
  const criteriaMet = [raw.criteriaMet ?? []].flat().map(text).filter(Boolean);
  if (eligibility) {
    const known = eligibility.criteria.map(([k]) => k);
    check.check(criteriaMet.every((c) => known.includes(c)), 'criteriaMet', 'Select the criteria from the list');
    check.check(new Set(criteriaMet).size >= eligibility.minimum, 'criteriaMet', `Select at least ${eligibility.minimum} of the ${eligibility.criteria.length} criteria the participant meets: fewer means they are not eligible`);
  }
  check.throwIfAny();
  return { name, caseReference, attachedOn, criteriaMet: [...new Set(criteriaMet)] };
}

/**
 * The attachment fee for a participant joining on a date, once the contract can take them: while
 * it runs, with a fee set for that day (none at all means no fee), room in the cohort and under the cap.
 */
export function attachmentFeeFor(ctx: {
  attachedOn: CalendarDate;
  contract: { startDate: CalendarDate; endDate: CalendarDate; cohortLimit: number | null; contractCapPence: number | null };
  fees: readonly Dated[];
  attached: number;
  contractCommittedPence: number;
}): number {
  const { attachedOn, contract } = ctx;
  const refuse = (message: string) => new ValidationError({ attachedOn: message });
  if (attachedOn < contract.startDate || attachedOn > contract.endDate) throw refuse(`Participants can be attached from ${contract.startDate} to ${contract.endDate}, while the contract runs`);
  const fee = ctx.fees.length === 0 ? 0 : rateOn(ctx.fees, attachedOn)?.pence;
  if (fee === undefined) throw refuse(`No attachment fee is set for ${attachedOn}: the contract’s fees cover ${ctx.fees.map((f) => `${f.from} to ${f.to}`).join(', ')}`);
  if (contract.cohortLimit !== null && ctx.attached >= contract.cohortLimit) throw refuse(`The cohort is full: the contract takes ${contract.cohortLimit} participants (rule: cohort size)`);
  if (contract.contractCapPence !== null && ctx.contractCommittedPence + fee > contract.contractCapPence) {
    throw refuse(`The attachment fee of ${formatPence(fee)} would take the contract to ${formatPence(ctx.contractCommittedPence + fee)}, over its cap of ${formatPence(contract.contractCapPence)} (rule: contract cap)`);
  }
  return fee;
}

export interface EvidenceInput {
  measure: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  value: string;
  source: string;
}

export function parseEvidence(raw: Record<string, unknown>, measures: readonly string[], today: CalendarDate): EvidenceInput {
  const check = new FieldChecker();
  const measure = text(raw.measure);
  check.check(measures.includes(measure), 'measure', 'Select the measure from the list');
  const periodStart = dateField(check, raw.periodStart, 'periodStart', 'the first day the evidence covers');
  const end = dateField(check, raw.periodEnd, 'periodEnd', 'the last day the evidence covers');
  if (isCalendarDate(periodStart) && isCalendarDate(end)) check.check(end >= periodStart, 'periodEnd', 'The last day must be on or after the first day');
  if (isCalendarDate(end)) check.check(end <= today, 'periodEnd', 'The evidence cannot cover days after today');
  const value = text(raw.value);
  const parsed = parseDecimal(value);
  check.check(parsed !== null && !value.includes(',') && compare(parsed, fromInt(0)) >= 0 && value.length <= 20, 'value', 'Enter the value measured as a number of 0 or more, like 2 or 12.5');
  const source = text(raw.source);
  check.check(source.length >= 3 && source.length <= 500, 'source', 'Say where the evidence comes from (for example, the school’s attendance return), in 3 to 500 characters');
  check.throwIfAny();
  return { measure, periodStart, periodEnd: end, value, source };
}

// ------------------------------------------------------------------ the claim check

export interface Evidence {
  id: string;
  measure: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  value: string;
  source: string;
}

export interface TrailItem {
  evidenceId: string;
  role: 'baseline' | 'measurement';
  measure: string;
}

export interface ClaimContext {
  outcome: { key: string; name: string; conditions: Condition[]; exclusiveWith: string[] };
  tariffs: readonly Dated[];
  participant: { attachedOn: CalendarDate; criteriaMet: string[] };
  eligibility: { minimum: number } | null;
  contract: { startDate: CalendarDate; endDate: CalendarDate; participantCapPence: number | null; contractCapPence: number | null };
  evidence: readonly Evidence[];
  /** The participant's claims that stand (waiting or approved), by outcome key. */
  standingClaims: readonly { outcomeKey: string; outcomeName: string }[];
  /** Attachment fee and standing results for this participant, and for the whole contract. */
  participantCommittedPence: number;
  contractCommittedPence: number;
  claimDate: CalendarDate;
  today: CalendarDate;
}

export type ClaimCheck = { ok: true; amountPence: number; trail: TrailItem[] } | { ok: false; errors: FieldErrors };

const decimal = (s: string): Rational => parseDecimal(s)!;

/** The share by which a count fell from its baseline; a baseline of none counts as met only if it stayed at none. */
function reductionMet(baseline: Rational, measured: Rational, thresholdPercent: Rational): boolean {
  if (baseline.num === 0n) return measured.num === 0n;
  // (baseline − measured) / baseline ≥ threshold / 100, cross-multiplied to stay exact.
  return compare(mul(sub(baseline, measured), fromInt(100)), mul(thresholdPercent, baseline)) >= 0;
}

function passes(test: Test, value: Rational, threshold: Rational): boolean {
  const c = compare(value, threshold);
  if (test === 'below') return c < 0;
  if (test === 'at_most') return c <= 0;
  return c >= 0;
}

/** The latest evidence of a measure whose period lies in [from, to] and covers the window (exactly, for counts compared with a baseline). */
function latestCovering(evidence: readonly Evidence[], measure: string, from: CalendarDate, to: CalendarDate, months: number | null, exact: boolean): Evidence | undefined {
  const fits = evidence.filter((e) => {
    if (e.measure !== measure || e.periodStart < from || e.periodEnd > to) return false;
    if (months === null) return true;
    const windowEnd = periodEnd(e.periodStart, months, 'months');
    return exact ? e.periodEnd === windowEnd : e.periodEnd >= windowEnd;
  });
  return fits.sort((a, b) => (a.periodEnd < b.periodEnd ? 1 : a.periodEnd > b.periodEnd ? -1 : 0))[0];
}

const monthsText = (n: number) => `${n} month${n === 1 ? '' : 's'}`;

/** Each unmet condition in words, naming its measure and the rule, and the evidence that met the rest. */
function checkConditions(ctx: ClaimContext, problems: string[]): TrailItem[] {
  const trail: TrailItem[] = [];
  const { attachedOn } = ctx.participant;
  const dayBefore = addDays(attachedOn, -1);
  for (const c of ctx.outcome.conditions) {
    const exact = c.test === 'reduction_at_least';
    const measured = latestCovering(ctx.evidence, c.measure, attachedOn, ctx.claimDate, c.measurementMonths, exact);
    if (!measured) {
      const span = c.measurementMonths === null ? '' : ` covering ${exact ? 'exactly' : 'at least'} ${monthsText(c.measurementMonths)}`;
      problems.push(`No evidence of “${c.measure}”${span} between attachment on ${attachedOn} and the claim date ${ctx.claimDate} (rule: measurement window).`);
      continue;
    }
    const threshold = decimal(c.threshold);
    if (c.test === 'reduction_at_least') {
      const baseline = latestCovering(ctx.evidence, c.measure, '0000-01-01', dayBefore, c.baselineMonths, true);
      if (!baseline) {
        problems.push(`No baseline evidence of “${c.measure}” covering exactly ${monthsText(c.baselineMonths ?? 0)} before attachment on ${attachedOn} (rule: baseline window).`);
        continue;
      }
      if (!reductionMet(decimal(baseline.value), decimal(measured.value), threshold)) {
        problems.push(`“${c.measure}” went from ${baseline.value} to ${measured.value}: that is not a fall of at least ${c.threshold}% (rule: threshold).`);
        continue;
      }
      trail.push({ evidenceId: baseline.id, role: 'baseline', measure: c.measure });
    } else if (!passes(c.test, decimal(measured.value), threshold)) {
      problems.push(`“${c.measure}” was ${measured.value} from ${measured.periodStart} to ${measured.periodEnd}: the result needs a value that ${TESTS[c.test]} ${c.threshold} (rule: threshold).`);
      continue;
    }
    trail.push({ evidenceId: measured.id, role: 'measurement', measure: c.measure });
  }
  return trail;
}

/**
 * Check one claim against the contract's rules and the recorded evidence. Every reason for a
 * refusal is given, each against the field or rule it concerns; an accepted claim carries the
 * evidence it rests on and the amount to pay.
 */
export function checkClaim(ctx: ClaimContext): ClaimCheck {
  const found: Record<string, string[]> = {};
  const refuse = (field: string, message: string) => (found[field] ??= []).push(message);
  const { participant, contract, outcome } = ctx;

  if (!isCalendarDate(ctx.claimDate)) refuse('claimDate', 'Enter the claim date as a real date, like 2013-06-30');
  else {
    if (ctx.claimDate < participant.attachedOn) refuse('claimDate', `The claim date must be on or after the participant was attached (${participant.attachedOn}).`);
    if (ctx.claimDate > ctx.today) refuse('claimDate', 'The claim date cannot be after today.');
  }
  if (ctx.eligibility && new Set(participant.criteriaMet).size < ctx.eligibility.minimum) {
    refuse('eligibility', `The participant meets ${participant.criteriaMet.length} of the criteria; the contract needs ${ctx.eligibility.minimum} (rule: eligibility).`);
  }
  const tariff = rateOn(ctx.tariffs, participant.attachedOn);
  if (!tariff) refuse('outcomeId', `No tariff for “${outcome.name}” covers the attachment date ${participant.attachedOn} (rule: tariff).`);
  const same = ctx.standingClaims.find((c) => c.outcomeKey === outcome.key);
  if (same) refuse('outcomeId', `“${outcome.name}” has already been claimed for this participant (rule: no double claim).`);
  const excluded = ctx.standingClaims.find((c) => outcome.exclusiveWith.includes(c.outcomeKey));
  if (excluded) refuse('outcomeId', `“${excluded.outcomeName}” has been claimed for this participant, and it cannot be paid as well as “${outcome.name}” (rule: results that replace each other).`);
  if (tariff && contract.participantCapPence !== null && ctx.participantCommittedPence + tariff.pence > contract.participantCapPence) {
    refuse('outcomeId', `Paying ${formatPence(tariff.pence)} would take this participant to ${formatPence(ctx.participantCommittedPence + tariff.pence)}, over the cap of ${formatPence(contract.participantCapPence)} per participant (rule: participant cap).`);
  }
  if (tariff && contract.contractCapPence !== null && ctx.contractCommittedPence + tariff.pence > contract.contractCapPence) {
    refuse('outcomeId', `Paying ${formatPence(tariff.pence)} would take the contract to ${formatPence(ctx.contractCommittedPence + tariff.pence)}, over its cap of ${formatPence(contract.contractCapPence)} (rule: contract cap).`);
  }
  const evidenceProblems: string[] = [];
  const trail = isCalendarDate(ctx.claimDate) ? checkConditions(ctx, evidenceProblems) : [];
  for (const p of evidenceProblems) refuse('evidence', p);

  const fields = Object.keys(found);
  if (fields.length > 0) return { ok: false, errors: Object.fromEntries(fields.map((f) => [f, found[f]!.join(' ')])) };
  return { ok: true, amountPence: tariff!.pence, trail };
}

/** A condition in words, for the contract's page. */
export function describeCondition(c: Condition): string {
  const window = c.measurementMonths === null ? 'at any time after attachment' : `over ${monthsText(c.measurementMonths)} after attachment`;
  if (c.test === 'reduction_at_least') return `${c.measure} falls by at least ${c.threshold}% ${window}, against the ${monthsText(c.baselineMonths ?? 0)} before attachment`;
  return `${c.measure} ${TESTS[c.test]} ${c.threshold} ${window}`;
}

/** The pseudonym of the nth participant of a contract: stable, and telling nothing about who they are. */
export const pseudonym = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(4, '0')}`;

/** A short key for a contract's own outcome, from its name. */
export const outcomeKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 60) || 'outcome';

