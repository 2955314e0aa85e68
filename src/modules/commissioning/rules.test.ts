import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { editableIn, gateProblems, nextStage, opensNextCycle, parseHandoff, parseOption, parsePlan, parseProject, parseSession, type GateFacts } from './rules.ts';

const TODAY = '2026-12-02';
const empty: GateFacts = {
  needsEvidence: null, needsData: null, residentInsight: null, currentPerformance: null, currentCostPence: null,
  intentions: null, chosenOption: null, chosenReasons: null, handoffKind: null, handoffReference: null,
  performanceReview: null, residentsSaid: null, reviewDecision: null, reviewReasons: null, sessions: [], options: [],
};
const held = { stage: 'plan', heldOn: '2026-11-20', participants: { residents: 8, staff: 3 }, decided: 'Open on Saturdays' };
const planned: GateFacts = { ...empty, intentions: 'Keep libraries open longer', options: ['in_house', 'mutual'], chosenOption: 'mutual', chosenReasons: 'Staff want to run it', sessions: [held] };

describe('the stages', () => {
  it('run Analyse, Plan, Do, Review and stop', () => {
    expect(nextStage('analyse')).toBe('plan');
    expect(nextStage('plan')).toBe('do');
    expect(nextStage('do')).toBe('review');
    expect(nextStage('review')).toBeNull();
  });
  it('let each part be changed only in its own stage, sessions in any, nothing once closed', () => {
    expect(editableIn('analysis', 'analyse', false)).toBe(true);
    expect(editableIn('analysis', 'plan', false)).toBe(false);
    expect(editableIn('options', 'plan', false)).toBe(true);
    expect(editableIn('handoff', 'do', false)).toBe(true);
    expect(editableIn('review', 'do', false)).toBe(false);
    expect(editableIn('sessions', 'review', false)).toBe(true);
    expect(editableIn('sessions', 'review', true)).toBe(false);
  });
  it('open the next cycle unless the service is decommissioned', () => {
    expect(opensNextCycle('continue')).toBe(true);
    expect(opensNextCycle('change')).toBe(true);
    expect(opensNextCycle('decommission')).toBe(false);
  });
});

describe('stage gates', () => {
  it('Analyse needs the needs assessment, current performance and cost (£0 counts)', () => {
    expect(Object.keys(gateProblems('analyse', empty, TODAY))).toEqual(['needsEvidence', 'needsData', 'residentInsight', 'currentPerformance', 'currentCost']);
    const done = { ...empty, needsEvidence: 'JSNA 2025', needsData: 'Visits by ward', residentInsight: 'Survey of 400', currentPerformance: 'Visits down 8%', currentCostPence: 0 };
    expect(gateProblems('analyse', done, TODAY)).toEqual({});
    expect(Object.keys(gateProblems('analyse', { ...done, residentInsight: '  ' }, TODAY))).toEqual(['residentInsight']);
  });
  it('Plan needs a held session with people who use the service that decided something, intentions, two options and a reasoned choice among them', () => {
    expect(gateProblems('plan', planned, TODAY)).toEqual({});
    expect(Object.keys(gateProblems('plan', empty, TODAY))).toEqual(['sessions', 'intentions', 'options', 'chosenOption', 'chosenReasons']);
    const staffOnly = { ...held, participants: { staff: 5, providers: 2 } };
    const future = { ...held, heldOn: '2026-12-10' };
    const undecided = { ...held, decided: null };
    const inAnalysis = { ...held, stage: 'analyse' };
    for (const session of [staffOnly, future, undecided, inAnalysis]) expect(Object.keys(gateProblems('plan', { ...planned, sessions: [session] }, TODAY))).toEqual(['sessions']);
    expect(gateProblems('plan', { ...planned, sessions: [{ ...held, heldOn: TODAY, participants: { carers: 1 } }] }, TODAY)).toEqual({});
    expect(Object.keys(gateProblems('plan', { ...planned, options: ['mutual'] }, TODAY))).toEqual(['options']);
    expect(Object.keys(gateProblems('plan', { ...planned, chosenOption: 'grant' }, TODAY))).toEqual(['chosenOption']);
  });
  it('Do needs the hand-off with its reference', () => {
    expect(Object.keys(gateProblems('do', empty, TODAY))).toEqual(['handoff']);
    expect(Object.keys(gateProblems('do', { ...empty, handoffKind: 'procurement', handoffReference: '' }, TODAY))).toEqual(['handoff']);
    expect(gateProblems('do', { ...empty, handoffKind: 'mutual_spin_out', handoffReference: 'MSO-2027-01' }, TODAY)).toEqual({});
  });
  it('Review needs performance against outcomes, what residents said, and a reasoned decision', () => {
    expect(Object.keys(gateProblems('review', empty, TODAY))).toEqual(['performanceReview', 'residentsSaid', 'reviewDecision', 'reviewReasons']);
    expect(gateProblems('review', { ...empty, performanceReview: 'Met 3 of 4', residentsSaid: 'Longer hours', reviewDecision: 'change', reviewReasons: 'Hours' }, TODAY)).toEqual({});
    expect(Object.keys(gateProblems('review', { ...empty, performanceReview: 'x', residentsSaid: 'y', reviewDecision: 'maybe', reviewReasons: 'z' }, TODAY))).toEqual(['reviewDecision']);
  });
});

describe('forms', () => {
  const service = '0b8f6a7e-2f4c-4c1a-9a53-6d0c3b1e2f10';
  it('a project covers at least one service', () => {
    expect(parseProject({ title: 'Libraries', summary: 'How libraries are run from 2027.', serviceIds: service }).serviceIds).toEqual([service]);
    expect(fieldsOf(() => parseProject({ title: 'Li', summary: 'short', serviceIds: ['nope'] }))).toEqual({
      title: 'Enter what is being commissioned, in 3 to 200 characters',
      summary: 'Describe it for residents in 10 to 5,000 characters',
      serviceIds: 'Choose the services this covers',
    });
  });
  it('a session held records who took part by role; one to come says how to join and has no one yet', () => {
    expect(parseSession({ heldOn: '2026-11-20', title: 'Library users’ workshop', 'participants.residents': '8', 'participants.staff': '', decided: 'Saturdays' }, TODAY)).toMatchObject({ participants: { residents: 8 }, decided: 'Saturdays' });
    expect(fieldsOf(() => parseSession({ heldOn: '2026-11-20', title: 'Workshop' }, TODAY))).toEqual({ 'participants.residents': 'Enter how many people took part, by role' });
    expect(fieldsOf(() => parseSession({ heldOn: '2026-12-20', title: 'Workshop', 'participants.carers': '2', decided: 'x' }, TODAY))).toEqual({
      'participants.residents': 'A session still to come has no one who took part yet: leave the numbers empty',
      decided: 'A session still to come has decided nothing yet: leave this empty',
      howToJoin: 'Say where and how residents can join the session',
    });
    expect(fieldsOf(() => parseSession({ heldOn: '2026-02-30', title: 'Workshop', 'participants.staff': '1.5' }, TODAY))).toEqual({
      heldOn: 'Enter the date of the session as a real date, like 2026-11-30',
      'participants.staff': 'Enter how many staff took part as a whole number, or leave it empty',
    });
  });
  it('an option is one of the delivery models; the choice must be one appraised', () => {
    expect(parseOption({ model: 'community_led', assessment: 'Residents commission it themselves.', annualCost: '120,000' })).toEqual({ model: 'community_led', assessment: 'Residents commission it themselves.', annualCostPence: 12_000_000 });
    expect(Object.keys(fieldsOf(() => parseOption({ model: 'privatise', assessment: 'x', annualCost: 'lots' })))).toEqual(['model', 'assessment', 'annualCost']);
    expect(fieldsOf(() => parsePlan({ chosenOption: 'grant' }, ['in_house']))).toEqual({ chosenOption: 'Choose one of the options appraised' });
    expect(parsePlan({ chosenOption: '' }, [])).toEqual({ intentions: null, chosenOption: null, chosenReasons: null });
  });
  it('a hand-off is dated today unless given, and never in the future', () => {
    expect(parseHandoff({ handoffKind: 'procurement', handoffReference: 'PR-114' }, TODAY).handoffOn).toBe(TODAY);
    expect(Object.keys(fieldsOf(() => parseHandoff({ handoffKind: 'sale', handoffReference: '', handoffOn: '2027-01-01' }, TODAY)))).toEqual(['handoffKind', 'handoffReference', 'handoffOn']);
  });
});
