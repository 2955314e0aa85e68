import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../lib/testing.ts';
import { FieldChecker } from '../../lib/errors.ts';
import {
  MAX_IMAGE_BYTES,
  checkBallot,
  checkImage,
  currentPhase,
  eligibilityProblems,
  marksFromForm,
  parseProgressUpdate,
  parseRoundSettings,
  phaseEnds,
  statusFor,
  reconcileBallots,
  scheduledPhase,
  type BallotRules,
  type ProjectOnBallot,
  type VoterFacts,
} from './rules.ts';


describe('phases', () => {
  const schedule = { ideas: '2027-01-04', voting: '2027-03-01', results: '2027-04-01' };

  it('follows the schedule, counting the start day itself', () => {
    expect(scheduledPhase(schedule, '2027-01-03')).toBeNull();
    expect(scheduledPhase(schedule, '2027-01-04')).toBe('ideas');
    expect(scheduledPhase(schedule, '2027-02-28')).toBe('ideas');
    expect(scheduledPhase(schedule, '2027-03-01')).toBe('voting');
    expect(scheduledPhase(schedule, '2027-12-31')).toBe('results');
  });

  it('never moves a round back: an officer may be ahead of the schedule', () => {
    expect(currentPhase('review', schedule, '2027-01-10')).toBe('review');
    expect(currentPhase('ideas', schedule, '2027-03-02')).toBe('voting');
    expect(currentPhase('ideas', {}, '2030-01-01')).toBe('ideas');
  });

  it('says when a phase ends: the day before the next scheduled phase', () => {
    expect(phaseEnds(schedule, 'voting')).toBe('2027-03-31');
    expect(phaseEnds(schedule, 'ideas')).toBe('2027-02-28');
    expect(phaseEnds(schedule, 'results')).toBeNull();
  });
});

describe('eligibility', () => {
  const member: VoterFacts = { isActiveMember: true, wardId: 'w1', channel: 'online', declaredMinimumAge: false, officerVerified: false };

  it('admits anyone when the round sets no rule', () => {
    expect(eligibilityProblems([], { ...member, isActiveMember: false, wardId: null }, ['w9'])).toEqual([]);
  });

  it('asks for membership, residence in the area and the age declaration, saying which failed', () => {
    const rules = [{ kind: 'member' as const }, { kind: 'lives_in_area' as const }, { kind: 'minimum_age' as const, years: 16 }];
    expect(eligibilityProblems(rules, { ...member, declaredMinimumAge: true }, ['w1', 'w2'])).toEqual([]);
    expect(eligibilityProblems(rules, { ...member, isActiveMember: false, wardId: 'w3' }, ['w1', 'w2'])).toEqual([
      'Only members of the co-operative can vote in this round. Join the co-operative first.',
      'Only people who live in this area can vote for its projects.',
      'Confirm that you are 16 or over.',
    ]);
  });

  it('treats an area with no wards as the whole authority, but still needs a known ward', () => {
    const rules = [{ kind: 'lives_in_area' as const }];
    expect(eligibilityProblems(rules, member, [])).toEqual([]);
    expect(eligibilityProblems(rules, { ...member, wardId: null }, [])).toHaveLength(1);
  });

  it('needs an officer’s check for paper ballots only', () => {
    const rules = [{ kind: 'officer_verified' as const }];
    expect(eligibilityProblems(rules, member, [])).toEqual([]);
    expect(eligibilityProblems(rules, { ...member, channel: 'paper' }, [])).toHaveLength(1);
    expect(eligibilityProblems(rules, { ...member, channel: 'paper', officerVerified: true }, [])).toEqual([]);
  });
});

describe('checkBallot', () => {
  const projects: ProjectOnBallot[] = [
    { id: 'a', title: 'Benches', costPence: 300_000 },
    { id: 'b', title: 'Mural', costPence: 500_000 },
    { id: 'c', title: 'Garden', costPence: 400_000 },
  ];
  const approval: BallotRules = { ballotKind: 'approval', minChoices: 1, maxChoices: 2, maxPoints: null };
  const marks = (entries: [string, number | true][]) => new Map(entries);

  it('takes a valid approval ballot', () => {
    expect(checkBallot(approval, marks([['a', true], ['c', true]]), projects, 1_000_000)).toEqual([
      { proposalId: 'a', points: null, rank: null },
      { proposalId: 'c', points: null, rank: null },
    ]);
  });

  it('refuses too few, too many and unknown choices, saying which', () => {
    expect(fieldsOf(() => checkBallot(approval, marks([]), projects, 1e6))).toEqual({ choices: 'Choose at least 1 project' });
    expect(fieldsOf(() => checkBallot(approval, marks([['a', true], ['b', true], ['c', true]]), projects, 1e6))).toEqual({ choices: 'Choose no more than 2 projects: you chose 3' });
    expect(fieldsOf(() => checkBallot({ ...approval, minChoices: 2 }, marks([['a', true]]), projects, 1e6))).toEqual({ choices: 'Choose at least 2 projects: you chose 1' });
    expect(fieldsOf(() => checkBallot(approval, marks([['zz', true]]), projects, 1e6)).choices).toBe('Your ballot includes a project that is not on this ballot');
  });

  it('refuses an approval-within-budget ballot that costs more than the budget, allowing one that fits exactly', () => {
    const knapsack: BallotRules = { ballotKind: 'approval_budget', minChoices: 1, maxChoices: null, maxPoints: null };
    expect(checkBallot(knapsack, marks([['a', true], ['c', true]]), projects, 700_000)).toHaveLength(2);
    expect(fieldsOf(() => checkBallot(knapsack, marks([['a', true], ['b', true]]), projects, 700_000))).toEqual({
      choices: 'The projects you chose cost £8,000.00, more than the budget of £7,000.00. Remove some.',
    });
  });

  it('holds cumulative ballots to the points there are to share, in whole numbers', () => {
    const points: BallotRules = { ballotKind: 'cumulative', minChoices: 1, maxChoices: null, maxPoints: 10 };
    expect(checkBallot(points, marks([['a', 7], ['b', 3]]), projects, 1e6)).toEqual([
      { proposalId: 'a', points: 7, rank: null },
      { proposalId: 'b', points: 3, rank: null },
    ]);
    expect(fieldsOf(() => checkBallot(points, marks([['a', 7], ['b', 4]]), projects, 1e6))).toEqual({ choices: 'You gave 11 points: you have 10 to share out' });
    expect(fieldsOf(() => checkBallot(points, marks([['a', Number.NaN]]), projects, 1e6)).choices).toBe('Give each project a whole number of points');
    // A project given 0 points is not chosen.
    expect(checkBallot(points, marks([['a', 10], ['b', 0]]), projects, 1e6)).toHaveLength(1);
  });

  it('caps each score on a score ballot', () => {
    const scores: BallotRules = { ballotKind: 'scores', minChoices: 1, maxChoices: null, maxPoints: 5 };
    expect(checkBallot(scores, marks([['a', 5], ['b', 5], ['c', 1]]), projects, 1e6)).toHaveLength(3);
    expect(fieldsOf(() => checkBallot(scores, marks([['a', 6]]), projects, 1e6))).toEqual({ choices: 'Scores go from 1 to 5' });
  });

  it('needs ranks 1, 2, 3… each once on a ranked ballot', () => {
    const ranked: BallotRules = { ballotKind: 'ordinal', minChoices: 1, maxChoices: 3, maxPoints: null };
    expect(checkBallot(ranked, marks([['b', 1], ['a', 2]]), projects, 1e6)).toEqual([
      { proposalId: 'b', points: null, rank: 1 },
      { proposalId: 'a', points: null, rank: 2 },
    ]);
    const message = 'Number your choices 1, 2, 3 and so on, using each number once';
    expect(fieldsOf(() => checkBallot(ranked, marks([['b', 1], ['a', 1]]), projects, 1e6)).choices).toBe(message);
    expect(fieldsOf(() => checkBallot(ranked, marks([['b', 1], ['a', 3]]), projects, 1e6)).choices).toBe(message);
  });
});

describe('marksFromForm', () => {
  it('reads ticks, points and ranks from form fields, keeping a non-number visible as an error', () => {
    expect([...marksFromForm('approval', { choice: ['a', 'b'] })]).toEqual([['a', true], ['b', true]]);
    expect([...marksFromForm('approval_budget', { choice: 'a' })]).toEqual([['a', true]]);
    expect([...marksFromForm('approval', {})]).toEqual([]);
    expect([...marksFromForm('cumulative', { 'points.a': '3', 'points.b': '', 'points.c': 'x', other: '9' })]).toEqual([['a', 3], ['c', Number.NaN]]);
    expect([...marksFromForm('ordinal', { 'rank.a': '2', 'rank.b': '1' })]).toEqual([['a', 2], ['b', 1]]);
  });
});

describe('reconcileBallots', () => {
  it('counts one ballot per person: online over paper, and says which paper ones were set aside', () => {
    const ballots = [
      { id: '1', voterUserId: 'ann', channel: 'online' as const },
      { id: '2', voterUserId: 'ann', channel: 'paper' as const },
      { id: '3', voterUserId: 'bob', channel: 'paper' as const },
      { id: '4', voterUserId: null, channel: 'imported' as const },
    ];
    const { counted, superseded } = reconcileBallots(ballots);
    expect(counted.map((b) => b.id)).toEqual(['1', '3', '4']);
    expect(superseded.map((b) => b.id)).toEqual(['2']);
  });
});

describe('parseRoundSettings', () => {
  const appliesTo = (rule: string) => ({ mes_cost_add1_greedy: ['approval', 'ordinal'], mes_cardinal: ['cumulative'] } as Record<string, string[]>)[rule] ?? null;
  const valid = { title: 'Brixton community fund 2027', ballotKind: 'approval', countingRule: 'mes_cost_add1_greedy', minChoices: '1', maxChoices: '5' };

  it('takes a round’s settings, with a schedule and eligibility', () => {
    const r = parseRoundSettings({ ...valid, eligibility: ['member', 'minimum_age'], minimumAge: '16', ideasStarts: '2027-01-04', votingStarts: '2027-03-01' }, appliesTo);
    expect(r).toMatchObject({ ballotKind: 'approval', minChoices: 1, maxChoices: 5, maxPoints: null, eligibility: [{ kind: 'member' }, { kind: 'minimum_age', years: 16 }] });
    expect(r.schedule).toEqual({ ideas: '2027-01-04', voting: '2027-03-01' });
  });

  it('refuses a counting rule that cannot count the ballot kind', () => {
    expect(fieldsOf(() => parseRoundSettings({ ...valid, ballotKind: 'cumulative', maxPoints: '10' }, appliesTo)).countingRule).toMatch(/cannot count points ballots/);
    expect(fieldsOf(() => parseRoundSettings({ ...valid, countingRule: 'made_up' }, appliesTo)).countingRule).toBe('Choose how the votes will be counted');
  });

  it('names every bad field: limits, points, dates out of order or impossible', () => {
    const fields = fieldsOf(() =>
      parseRoundSettings({ ...valid, title: 'x', minChoices: '3', maxChoices: '2', ideasStarts: '2027-03-01', votingStarts: '2027-02-01', resultsStarts: '2027-02-30' }, appliesTo),
    );
    expect(Object.keys(fields)).toEqual(['title', 'maxChoices', 'votingStarts', 'resultsStarts']);
    expect(fieldsOf(() => parseRoundSettings({ ...valid, ballotKind: 'cumulative', countingRule: 'mes_cardinal' }, appliesTo))).toEqual({ maxPoints: 'Enter how many points each voter shares out' });
  });
});

describe('delivery', () => {
  it('derives a project’s status from how far along it is', () => {
    expect([0, 1, 99, 100].map(statusFor)).toEqual(['not_started', 'in_progress', 'in_progress', 'complete']);
  });

  it('takes a progress report, refusing a missing note and a per cent outside 0 to 100', () => {
    expect(parseProgressUpdate({ note: 'Planters ordered.', percentComplete: '25' })).toEqual({ note: 'Planters ordered.', percentComplete: 25 });
    expect(fieldsOf(() => parseProgressUpdate({ note: '', percentComplete: '101' }))).toEqual({
      note: 'Say what has happened, in 3 to 2,000 characters',
      percentComplete: 'Enter how far along the project is as a whole number from 0 to 100',
    });
    expect(Object.keys(fieldsOf(() => parseProgressUpdate({ note: 'Fine', percentComplete: '12.5' })))).toEqual(['percentComplete']);
  });
});

describe('checkImage', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
  const run = (file: unknown, alt: unknown) => {
    const check = new FieldChecker();
    const image = checkImage(check, file, alt);
    return { image, errors: check.errors };
  };

  it('takes a JPEG or PNG by its own first bytes, with its description', () => {
    expect(run(png, 'The corner before the planters')).toEqual({ image: { contentType: 'image/png', bytes: png, altText: 'The corner before the planters' }, errors: {} });
    expect(run(jpeg, 'Volunteers planting').image?.contentType).toBe('image/jpeg');
  });

  it('treats no file as no picture, but not a description without one', () => {
    expect(run(undefined, '')).toEqual({ image: null, errors: {} });
    expect(run(new Uint8Array(), 'A picture').errors).toEqual({ image: 'Choose the picture that goes with this description, or clear the description' });
  });

  it('refuses other files, oversized ones and pictures without a description', () => {
    expect(run(new TextEncoder().encode('<svg onload=alert(1)>'), 'Sneaky').errors).toEqual({ image: 'The picture must be a JPEG or PNG file' });
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(png);
    expect(run(big, 'Too big').errors).toEqual({ image: 'The picture must be smaller than 5 MB' });
    expect(run(png, '').errors).toEqual({ imageAlt: 'Describe what the picture shows, for people who cannot see it (3 to 300 characters)' });
  });
});
