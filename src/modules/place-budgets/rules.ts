/**
 * Pooled budgets, pure: how a public service board decides, what a budget, a funding stream and
 * a movement of money must say, and which year of the budget a date falls in.
 */
import { FieldChecker, text } from '../../lib/errors.ts';
import { isCalendarDate, periodEnd, type CalendarDate } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';
import { poundsField } from '../../lib/money.ts';
import { isMovement, type Movement } from './ledger.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const DECISION_RULES = {
  unanimous: 'Every partner agrees',
  majority: 'A majority of partners agree',
  lead_below_limit: 'The lead partner alone below a limit; a majority of partners above it',
} as const;
export type DecisionRule = keyof typeof DECISION_RULES;
const isDecisionRule = (v: string): v is DecisionRule => isKeyOf(DECISION_RULES, v);

export const RECIPIENT_KINDS = { service: 'Service', contract: 'Contract', grant: 'Grant', project: 'Project', business_case: 'Business case' } as const;
export type RecipientKind = keyof typeof RECIPIENT_KINDS;

const MAX_PENCE = 100_000_000_000; // £1bn: beyond any pooled budget, well inside a safe integer
const MAX_YEARS = 10;

export interface BoardRule {
  decisionRule: DecisionRule;
  leadLimitPence: Pence | null;
}

/**
 * Whether a decision to move money stands: the board's rule is met, and the partner whose money
 * it is agreed (no majority can spend a partner's money against it).
 */
export function decisionProblem(rule: BoardRule, partners: { id: string; isLead: boolean }[], owner: string, agreedBy: readonly string[], amountPence: Pence): string | null {
  const agreed = new Set(agreedBy.filter((id) => partners.some((p) => p.id === id)));
  if (!agreed.has(owner)) return 'The partner whose money this is must agree';
  const majority = agreed.size * 2 > partners.length;
  const lead = partners.find((p) => p.isLead);
  switch (rule.decisionRule) {
    case 'unanimous':
      return agreed.size === partners.length ? null : 'The board’s rule is that every partner agrees';
    case 'majority':
      return majority ? null : 'The board’s rule is that a majority of partners agree';
    case 'lead_below_limit':
      if (rule.leadLimitPence !== null && amountPence < rule.leadLimitPence && lead && agreed.has(lead.id)) return null;
      return majority ? null : 'Above the lead partner’s limit, the board’s rule is that a majority of partners agree';
  }
}

export function parseBoard(raw: Record<string, unknown>, organisationIds: readonly string[]) {
  const check = new FieldChecker();
  const name = text(raw.name);
  check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the board’s name, like "Lambeth Public Service Board"');
  const rule = text(raw.decisionRule);
  check.check(isDecisionRule(rule), 'decisionRule', 'Choose how the board decides');
  const leadLimitPence = rule === 'lead_below_limit' ? poundsField(check, 'leadLimit', raw.leadLimit, 'the lead partner’s limit', { min: 100, max: MAX_PENCE }) : null;
  const partners = [raw.partners ?? []].flat().map(text).filter(Boolean);
  check.check(partners.length >= 2, 'partners', 'Choose at least two partners');
  check.check(partners.every((id) => organisationIds.includes(id)), 'partners', 'Choose partners from the list of organisations');
  const lead = text(raw.leadPartner);
  check.check(rule !== 'lead_below_limit' || partners.includes(lead), 'leadPartner', 'Choose the lead partner from the partners chosen');
  check.throwIfAny();
  return { name, decisionRule: rule as DecisionRule, leadLimitPence, openBook: text(raw.openBook) === 'yes', partners: [...new Set(partners)], leadPartner: partners.includes(lead) ? lead : null };
}

export function parseBudget(raw: Record<string, unknown>, outcomeIds: readonly string[]) {
  const check = new FieldChecker();
  const name = text(raw.name);
  check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the pooled budget’s name');
  const startsOn = text(raw.startsOn);
  check.check(isCalendarDate(startsOn), 'startsOn', 'Enter the first day of the budget as a date, like 2026-04-01');
  const years = Number(text(raw.years));
  check.check(Number.isInteger(years) && years >= 1 && years <= MAX_YEARS, 'years', `Enter how many years the budget runs, from 1 to ${MAX_YEARS}`);
  const outcomes = [raw.outcomes ?? []].flat().map(text).filter(Boolean);
  check.check(outcomes.length >= 1, 'outcomes', 'Choose at least one outcome the budget commits to');
  check.check(outcomes.every((id) => outcomeIds.includes(id)), 'outcomes', 'Choose outcomes from the list');
  check.throwIfAny();
  return { name, startsOn, years, outcomes: [...new Set(outcomes)] };
}

export function parseStream(raw: Record<string, unknown>, budget: { years: number }, partnerIds: readonly string[], outcomeIds: readonly string[]) {
  const check = new FieldChecker();
  const partnerId = text(raw.partnerId);
  check.check(partnerIds.includes(partnerId), 'partnerId', 'Choose the partner whose money this is');
  const name = text(raw.name);
  check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the funding stream’s name, like "Better Care Fund"');
  const ringFence = text(raw.ringFencedOutcomeId);
  check.check(ringFence === '' || outcomeIds.includes(ringFence), 'ringFencedOutcomeId', 'Choose an outcome of this budget, or none');
  const year = (field: string, fallback: number) => {
    const v = text(raw[field]) === '' ? fallback : Number(text(raw[field]));
    check.check(Number.isInteger(v) && v >= 1 && v <= budget.years, field, `Enter a year of the budget, from 1 to ${budget.years}`);
    return v;
  };
  const firstYear = year('firstYear', 1);
  const lastYear = year('lastYear', budget.years);
  check.check(!(lastYear < firstYear), 'lastYear', 'The last year cannot be before the first');
  const clawbackTerms = text(raw.clawbackTerms);
  check.check(clawbackTerms.length <= 1000, 'clawbackTerms', 'The clawback terms must be 1,000 characters or fewer');
  check.throwIfAny();
  return { partnerId, name, ringFencedOutcomeId: ringFence || null, firstYear, lastYear, clawbackTerms: clawbackTerms || null };
}

/** Year 1 is the 12 months beginning with the start date (which it includes), and so on; null outside the budget. */
export function budgetYear(startsOn: CalendarDate, years: number, date: CalendarDate): number | null {
  if (date < startsOn) return null;
  for (let y = 1; y <= years; y++) if (date <= periodEnd(startsOn, 12 * y, 'months')) return y;
  return null;
}

export interface MovementInput {
  kind: Movement;
  streamId: string;
  amountPence: Pence;
  occurredOn: CalendarDate;
  description: string;
  allocationId: string | null;
  recipientKind: RecipientKind | null;
  recipient: string;
  businessCaseId: string | null;
  outcomeId: string | null;
  agreedBy: string[];
}

/** The form or JSON for one movement; what it moves against (stream, allocation, case) is checked by the service. */
export function parseMovement(kindInput: string, raw: Record<string, unknown>): MovementInput {
  const check = new FieldChecker();
  const kind = kindInput;
  check.check(isMovement(kind), 'kind', 'Choose a kind of movement');
  const streamId = text(raw.streamId);
  check.check(streamId !== '', 'streamId', 'Choose the funding stream');
  const amountPence = poundsField(check, 'amount', raw.amount, 'the amount', { min: 1, max: MAX_PENCE });
  const occurredOn = text(raw.occurredOn);
  check.check(isCalendarDate(occurredOn), 'occurredOn', 'Enter the date of the movement, like 2026-05-01');
  const description = text(raw.description);
  check.check(description.length >= 3 && description.length <= 500, 'description', 'Describe the movement in 3 to 500 characters');
  const needsAllocation = kind === 'spend' || kind === 'return';
  const allocationId = text(raw.allocationId) || null;
  check.check(!needsAllocation || allocationId !== null, 'allocationId', 'Choose the allocation');
  const makesAllocation = kind === 'allocation' || kind === 'release';
  const recipientKind = kind === 'release' ? 'business_case' : text(raw.recipientKind);
  const knownRecipient = isKeyOf(RECIPIENT_KINDS, recipientKind);
  check.check(!makesAllocation || knownRecipient, 'recipientKind', 'Choose what the money goes to');
  const businessCaseId = text(raw.businessCaseId) || null;
  check.check(!makesAllocation || recipientKind !== 'business_case' || businessCaseId !== null, 'businessCaseId', 'Choose the business case');
  const recipient = text(raw.recipient);
  check.check(!makesAllocation || recipientKind === 'business_case' || (recipient.length >= 3 && recipient.length <= 200), 'recipient', 'Name the service, contract, grant or project the money goes to');
  check.throwIfAny();
  return {
    kind: kind as Movement,
    streamId,
    amountPence,
    occurredOn,
    description,
    allocationId: needsAllocation ? allocationId : null,
    recipientKind: makesAllocation ? (recipientKind as RecipientKind) : null,
    recipient,
    businessCaseId: makesAllocation && recipientKind === 'business_case' ? businessCaseId : null,
    outcomeId: makesAllocation ? text(raw.outcomeId) || null : null,
    agreedBy: [raw.agreedBy ?? []].flat().map(text).filter(Boolean),
  };
}
