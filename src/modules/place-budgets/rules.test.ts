import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { budgetYear, decisionProblem, parseBoard, parseMovement, parseStream } from './rules.ts';

const partners = [
  { id: 'council', isLead: true },
  { id: 'nhs', isLead: false },
  { id: 'police', isLead: false },
  { id: 'dwp', isLead: false },
];
describe('board decisions', () => {
  it('need the partner whose money it is, whatever the rule', () => {
    expect(decisionProblem({ decisionRule: 'majority', leadLimitPence: null }, partners, 'nhs', ['council', 'police', 'dwp'], 100)).toBe('The partner whose money this is must agree');
  });
  it('unanimous: every partner', () => {
    const rule = { decisionRule: 'unanimous' as const, leadLimitPence: null };
    expect(decisionProblem(rule, partners, 'nhs', ['council', 'nhs', 'police'], 100)).toMatch(/every partner/);
    expect(decisionProblem(rule, partners, 'nhs', ['council', 'nhs', 'police', 'dwp'], 100)).toBeNull();
  });
  it('majority: more than half, ignoring anyone not a partner', () => {
    const rule = { decisionRule: 'majority' as const, leadLimitPence: null };
    expect(decisionProblem(rule, partners, 'nhs', ['nhs', 'police'], 100)).toMatch(/majority/);
    expect(decisionProblem(rule, partners, 'nhs', ['nhs', 'police', 'stranger'], 100)).toMatch(/majority/);
    expect(decisionProblem(rule, partners, 'nhs', ['nhs', 'police', 'dwp'], 100)).toBeNull();
  });
  it('lead partner below a limit: the lead alone under it, a majority at or over it', () => {
    const rule = { decisionRule: 'lead_below_limit' as const, leadLimitPence: 10_000 };
    expect(decisionProblem(rule, partners, 'council', ['council'], 9_999)).toBeNull();
    expect(decisionProblem(rule, partners, 'council', ['council'], 10_000)).toMatch(/Above the lead partner’s limit/);
    expect(decisionProblem(rule, partners, 'nhs', ['nhs'], 5)).toMatch(/Above/);
    expect(decisionProblem(rule, partners, 'nhs', ['nhs', 'council'], 5)).toBeNull();
  });
});

describe('budget years', () => {
  it('year 1 is the twelve months beginning with the start date, which it counts', () => {
    expect(budgetYear('2026-04-01', 5, '2026-03-31')).toBeNull();
    expect(budgetYear('2026-04-01', 5, '2026-04-01')).toBe(1);
    expect(budgetYear('2026-04-01', 5, '2027-03-31')).toBe(1);
    expect(budgetYear('2026-04-01', 5, '2027-04-01')).toBe(2);
    expect(budgetYear('2026-04-01', 5, '2031-03-31')).toBe(5);
    expect(budgetYear('2026-04-01', 5, '2031-04-01')).toBeNull();
  });
});

describe('forms', () => {
  it('a board needs a name, a rule, two partners from the list, and a lead within a limit rule', () => {
    expect(fieldsOf(() => parseBoard({ name: 'x', decisionRule: 'vibes', partners: ['a'] }, ['a', 'b']))).toEqual({
      name: expect.any(String),
      decisionRule: 'Choose how the board decides',
      partners: 'Choose at least two partners',
    });
    expect(fieldsOf(() => parseBoard({ name: 'Lambeth PSB', decisionRule: 'lead_below_limit', leadLimit: '5,000', partners: ['a', 'b'], leadPartner: 'c' }, ['a', 'b']))).toEqual({ leadPartner: expect.any(String) });
    expect(parseBoard({ name: 'Lambeth PSB', decisionRule: 'lead_below_limit', leadLimit: '5,000', partners: ['a', 'b'], leadPartner: 'a', openBook: 'yes' }, ['a', 'b'])).toMatchObject({ leadLimitPence: 500_000, leadPartner: 'a', openBook: true });
  });

  it('a stream’s years lie within the budget', () => {
    expect(fieldsOf(() => parseStream({ partnerId: 'p', name: 'Better Care Fund', firstYear: '4', lastYear: '2' }, { years: 5 }, ['p'], []))).toEqual({ lastYear: 'The last year cannot be before the first' });
    expect(fieldsOf(() => parseStream({ partnerId: 'q', name: 'BCF', lastYear: '6', ringFencedOutcomeId: 'o' }, { years: 5 }, ['p'], []))).toEqual({
      partnerId: expect.any(String),
      ringFencedOutcomeId: expect.any(String),
      lastYear: 'Enter a year of the budget, from 1 to 5',
    });
  });

  it('a movement names its stream, amount in pounds, date and what it moves against', () => {
    expect(fieldsOf(() => parseMovement('allocation', { amount: '-5', occurredOn: '2026-02-30', description: 'x', recipientKind: 'service' }))).toEqual({
      streamId: 'Choose the funding stream',
      amount: expect.stringMatching(/^Enter the amount in pounds/),
      occurredOn: expect.any(String),
      description: expect.any(String),
      recipient: expect.any(String),
    });
    expect(fieldsOf(() => parseMovement('spend', { streamId: 's', amount: '10', occurredOn: '2026-05-01', description: 'Invoice 12' }))).toEqual({ allocationId: 'Choose the allocation' });
    expect(fieldsOf(() => parseMovement('wish', {}))).toMatchObject({ kind: 'Choose a kind of movement' });
    const release = parseMovement('release', { streamId: 's', amount: '1,250.50', occurredOn: '2026-05-01', description: 'Year 1 of the case', businessCaseId: 'c', agreedBy: ['a', 'b'], recipient: 'ignored' });
    expect(release).toMatchObject({ kind: 'release', amountPence: 125_050, recipientKind: 'business_case', businessCaseId: 'c', agreedBy: ['a', 'b'], allocationId: null });
  });
});
