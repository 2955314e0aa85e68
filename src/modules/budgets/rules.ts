/**
 * The rules of a community budget round, with no I/O: its phases, who may vote, what a
 * valid ballot is, and which ballots count when one person voted both online and on paper.
 */
import { addDays, isCalendarDate, type CalendarDate } from '../../lib/dates.ts';
import { FieldChecker, text } from '../../lib/errors.ts';
import { formatPence } from '../../lib/money.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const PHASES = ['ideas', 'proposals', 'review', 'voting', 'results', 'delivery'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Record<Phase, string> = {
  ideas: 'Ideas',
  proposals: 'Proposals',
  review: 'Officer review',
  voting: 'Voting',
  results: 'Results',
  delivery: 'Delivery',
};
export const isPhase = (v: unknown): v is Phase => typeof v === 'string' && (PHASES as readonly string[]).includes(v);
const phaseIndex = (p: Phase) => PHASES.indexOf(p);

/** The phase the schedule puts the round in on `today`: the latest phase whose start date has come. */
export function scheduledPhase(schedule: Partial<Record<string, string>>, today: CalendarDate): Phase | null {
  let found: Phase | null = null;
  for (const phase of PHASES) {
    const starts = schedule[phase];
    if (starts && starts <= today) found = phase;
  }
  return found;
}

/** Rounds move on by an officer's hand or by date, never back: whichever is further on. */
export function currentPhase(stored: Phase, schedule: Partial<Record<string, string>>, today: CalendarDate): Phase {
  const byDate = scheduledPhase(schedule, today);
  return byDate && phaseIndex(byDate) > phaseIndex(stored) ? byDate : stored;
}

export const nextPhase = (p: Phase): Phase | null => PHASES[phaseIndex(p) + 1] ?? null;
export const acceptsProposals = (p: Phase) => p === 'ideas' || p === 'proposals';
export const isCounted = (p: Phase) => phaseIndex(p) >= phaseIndex('results');

/** The date the schedule says a phase ends (the day before the next scheduled phase starts), if it says. */
export function phaseEnds(schedule: Partial<Record<string, string>>, phase: Phase): CalendarDate | null {
  for (const later of PHASES.slice(phaseIndex(phase) + 1)) {
    const starts = schedule[later];
    if (starts) return addDays(starts, -1);
  }
  return null;
}

/**
 * Ballot kinds residents fill in, and the Pabulib vote type each is counted and exported as.
 * "Approval within the budget" is an approval ballot whose choices must fit the area's budget
 * (a knapsack vote); score ballots are counted with the points as each voter's satisfaction.
 */
export const BALLOT_KINDS = {
  approval: { label: 'Approval: tick every project you support', voteType: 'approval', pbVoteType: 'approval' },
  approval_budget: { label: 'Approval within the budget: choose projects that together fit the budget', voteType: 'approval', pbVoteType: 'approval' },
  cumulative: { label: 'Points: share out a number of points', voteType: 'cumulative', pbVoteType: 'cumulative' },
  ordinal: { label: 'Ranked: put projects in order of preference', voteType: 'ordinal', pbVoteType: 'ordinal' },
  scores: { label: 'Scores: give each project a score', voteType: 'cumulative', pbVoteType: 'scoring' },
} as const;
export type BallotKind = keyof typeof BALLOT_KINDS;
export const isBallotKind = (v: unknown): v is BallotKind => isKeyOf(BALLOT_KINDS, v);
export const usesPoints = (k: BallotKind) => k === 'cumulative' || k === 'scores';

export const ELIGIBILITY_RULES = {
  member: 'Is an active member of the co-operative',
  lives_in_area: 'Lives in the area (by the ward of their postcode)',
  minimum_age: 'Is at least a minimum age (the voter declares it)',
  officer_verified: 'Paper ballots only: an officer has checked who the voter is',
} as const;
export type EligibilityKind = keyof typeof ELIGIBILITY_RULES;
export interface EligibilityRule {
  kind: EligibilityKind;
  years?: number;
}
export const isEligibilityKind = (v: unknown): v is EligibilityKind => isKeyOf(ELIGIBILITY_RULES, v);

/** What is known of a would-be voter when they hand in a ballot. */
export interface VoterFacts {
  isActiveMember: boolean;
  wardId: string | null;
  channel: 'online' | 'paper';
  declaredMinimumAge: boolean;
  officerVerified: boolean;
}

/** Why this voter may not vote in an area (empty when they may). `areaWardIds` empty = the whole authority. */
export function eligibilityProblems(rules: readonly EligibilityRule[], facts: VoterFacts, areaWardIds: readonly string[]): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    if (rule.kind === 'member' && !facts.isActiveMember) problems.push('Only members of the co-operative can vote in this round. Join the co-operative first.');
    if (rule.kind === 'lives_in_area' && (facts.wardId === null || (areaWardIds.length > 0 && !areaWardIds.includes(facts.wardId)))) {
      problems.push('Only people who live in this area can vote for its projects.');
    }
    if (rule.kind === 'minimum_age' && !facts.declaredMinimumAge) problems.push(`Confirm that you are ${rule.years ?? 16} or over.`);
    if (rule.kind === 'officer_verified' && facts.channel === 'paper' && !facts.officerVerified) {
      problems.push('Confirm that you have checked who the voter is before entering a paper ballot.');
    }
  }
  return problems;
}

/** The part of the round's settings a ballot is checked against. */
export interface BallotRules {
  ballotKind: BallotKind;
  minChoices: number;
  maxChoices: number | null;
  maxPoints: number | null;
}

/** A ballot as handed in: project → points (cumulative, scores), rank (ordinal) or true (approval). */
export type BallotMarks = Map<string, number | true>;

export interface ProjectOnBallot {
  id: string;
  title: string;
  costPence: number;
}

export interface CheckedChoice {
  proposalId: string;
  points: number | null;
  rank: number | null;
}

/**
 * Check a ballot against the round's rules and the area's projects; returns the choices to
 * store, or throws a ValidationError whose message says which rule it broke.
 */
export function checkBallot(rules: BallotRules, marks: BallotMarks, projects: readonly ProjectOnBallot[], budgetPence: number): CheckedChoice[] {
  const check = new FieldChecker();
  const byId = new Map(projects.map((p) => [p.id, p]));
  // Zero points is no choice; anything unreadable stays in, to be refused below rather than dropped.
  const chosen = [...marks].filter(([, v]) => v === true || !(v <= 0));
  const unknown = chosen.find(([id]) => !byId.has(id));
  check.check(!unknown, 'choices', 'Your ballot includes a project that is not on this ballot');
  const n = chosen.length;
  const noun = (k: number) => `${k} project${k === 1 ? '' : 's'}`;
  check.check(n >= rules.minChoices, 'choices', rules.minChoices <= 1 ? 'Choose at least 1 project' : `Choose at least ${noun(rules.minChoices)}: you chose ${n}`);
  if (rules.maxChoices !== null) check.check(n <= rules.maxChoices, 'choices', `Choose no more than ${noun(rules.maxChoices)}: you chose ${n}`);

  if (rules.ballotKind === 'approval_budget' && !unknown) {
    const total = chosen.reduce((sum, [id]) => sum + byId.get(id)!.costPence, 0);
    check.check(total <= budgetPence, 'choices', `The projects you chose cost ${formatPence(total)}, more than the budget of ${formatPence(budgetPence)}. Remove some.`);
  }
  if (usesPoints(rules.ballotKind)) {
    const bad = chosen.find(([, v]) => v === true || !Number.isInteger(v));
    check.check(!bad, 'choices', 'Give each project a whole number of points');
    if (!bad && rules.maxPoints !== null) {
      if (rules.ballotKind === 'cumulative') {
        const total = chosen.reduce((sum, [, v]) => sum + (v as number), 0);
        check.check(total <= rules.maxPoints, 'choices', `You gave ${total} points: you have ${rules.maxPoints} to share out`);
      } else {
        const over = chosen.find(([, v]) => (v as number) > rules.maxPoints!);
        check.check(!over, 'choices', `Scores go from 1 to ${rules.maxPoints}`);
      }
    }
  }
  if (rules.ballotKind === 'ordinal') {
    const ranks = chosen.map(([, v]) => v).sort((a, b) => Number(a) - Number(b));
    check.check(
      ranks.every((r, i) => r === i + 1),
      'choices',
      'Number your choices 1, 2, 3 and so on, using each number once',
    );
  }
  check.throwIfAny();
  return chosen.map(([proposalId, v]) => ({
    proposalId,
    points: usesPoints(rules.ballotKind) ? (v as number) : null,
    rank: rules.ballotKind === 'ordinal' ? (v as number) : null,
  }));
}

/** Read a ballot form: approval ticks `choice=<id>`, points `points[<id>]=n`, ranks `rank[<id>]=n`. */
export function marksFromForm(kind: BallotKind, body: Record<string, unknown>): BallotMarks {
  const marks: BallotMarks = new Map();
  if (kind === 'approval' || kind === 'approval_budget') {
    const ticked = body.choice === undefined ? [] : [body.choice].flat();
    for (const id of ticked) if (typeof id === 'string') marks.set(id, true);
    return marks;
  }
  const prefix = kind === 'ordinal' ? 'rank.' : 'points.';
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith(prefix)) continue;
    const raw = text(value);
    if (raw === '') continue;
    marks.set(key.slice(prefix.length), /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN);
  }
  return marks;
}

/** A stored ballot as reconciliation sees it. */
export interface BallotForCount {
  id: string;
  voterUserId: string | null;
  channel: 'online' | 'paper' | 'imported';
}

/**
 * One person, one counted ballot: where someone voted online and on paper, the online
 * ballot (their own, and changeable until the close) counts and the paper one is set aside.
 */
export function reconcileBallots<B extends BallotForCount>(ballots: readonly B[]): { counted: B[]; superseded: B[] } {
  const online = new Set(ballots.filter((b) => b.channel === 'online' && b.voterUserId).map((b) => b.voterUserId));
  const counted: B[] = [];
  const superseded: B[] = [];
  for (const b of ballots) (b.channel === 'paper' && online.has(b.voterUserId) ? superseded : counted).push(b);
  return { counted, superseded };
}

export interface RoundSettingsInput {
  title: string;
  description: string;
  ballotKind: BallotKind;
  minChoices: number;
  maxChoices: number | null;
  maxPoints: number | null;
  countingRule: string;
  eligibility: EligibilityRule[];
  schedule: Partial<Record<Phase, CalendarDate>>;
}

const wholeNumber = (raw: unknown): number | null | 'bad' => {
  const t = text(raw);
  if (t === '') return null;
  return /^\d{1,6}$/.test(t) ? Number(t) : 'bad';
};

/**
 * Parse and check a round's settings from a form or the API. `appliesTo(rule)` tells which
 * Pabulib vote types a counting rule can count, so a rule that cannot count this ballot is refused.
 */
export function parseRoundSettings(raw: Record<string, unknown>, appliesTo: (rule: string) => readonly string[] | null): RoundSettingsInput {
  const check = new FieldChecker();
  const title = text(raw.title);
  const description = text(raw.description);
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a title of 3 to 200 characters');
  check.check(description.length <= 20000, 'description', 'The description must be 20,000 characters or fewer');
  const ballotKind = text(raw.ballotKind);
  check.check(isBallotKind(ballotKind), 'ballotKind', 'Choose the kind of ballot');
  const minChoices = wholeNumber(raw.minChoices);
  const maxChoices = wholeNumber(raw.maxChoices);
  const maxPoints = wholeNumber(raw.maxPoints);
  check.check(minChoices !== 'bad' && (minChoices ?? 1) >= 1, 'minChoices', 'Enter the fewest projects a voter must choose, as a whole number of at least 1');
  check.check(maxChoices !== 'bad' && (maxChoices === null || maxChoices >= 1), 'maxChoices', 'Enter the most projects a voter may choose as a whole number, or leave it blank for no limit');
  if (minChoices !== 'bad' && maxChoices !== 'bad' && maxChoices !== null) {
    check.check(maxChoices >= (minChoices ?? 1), 'maxChoices', 'The most projects a voter may choose cannot be fewer than the fewest');
  }
  if (isBallotKind(ballotKind) && usesPoints(ballotKind)) {
    check.check(maxPoints !== 'bad' && maxPoints !== null && maxPoints >= 1, 'maxPoints', ballotKind === 'cumulative' ? 'Enter how many points each voter shares out' : 'Enter the highest score');
  }
  const countingRule = text(raw.countingRule);
  const types = appliesTo(countingRule);
  check.check(types !== null, 'countingRule', 'Choose how the votes will be counted');
  if (types && isBallotKind(ballotKind)) {
    check.check(types.includes(BALLOT_KINDS[ballotKind].voteType), 'countingRule', `That counting rule cannot count ${BALLOT_KINDS[ballotKind].label.split(':')[0]!.toLowerCase()} ballots: choose another`);
  }
  const eligibility: EligibilityRule[] = [];
  const kinds = raw.eligibility === undefined ? [] : [raw.eligibility].flat();
  for (const k of kinds) {
    if (!isEligibilityKind(k)) check.check(false, 'eligibility', 'Choose who may vote from the list');
    else if (k === 'minimum_age') {
      const years = wholeNumber(raw.minimumAge);
      check.check(years !== 'bad' && years !== null && years >= 11 && years <= 25, 'minimumAge', 'Enter a minimum age from 11 to 25');
      eligibility.push({ kind: k, years: typeof years === 'number' ? years : 16 });
    } else eligibility.push({ kind: k });
  }
  const schedule: Partial<Record<Phase, CalendarDate>> = {};
  let previous: CalendarDate | null = null;
  for (const phase of PHASES) {
    const value = text(raw[`${phase}Starts`]);
    if (value === '') continue;
    const ok = isCalendarDate(value);
    check.check(ok, `${phase}Starts`, `Enter the date ${PHASE_LABELS[phase].toLowerCase()} starts as a real date, like 2027-03-01`);
    if (ok && previous) check.check(value > previous, `${phase}Starts`, `${PHASE_LABELS[phase]} must start after the phase before it`);
    if (ok) {
      schedule[phase] = value;
      previous = value;
    }
  }
  check.throwIfAny();
  return {
    title,
    description,
    ballotKind: ballotKind as BallotKind,
    minChoices: (minChoices as number | null) ?? 1,
    maxChoices: maxChoices as number | null,
    maxPoints: usesPoints(ballotKind as BallotKind) ? (maxPoints as number) : null,
    countingRule,
    eligibility,
    schedule,
  };
}


export const PROPOSAL_STATUSES = {
  submitted: 'Waiting for review',
  feasible: 'On the ballot',
  not_feasible: 'Not feasible',
  withdrawn: 'Withdrawn',
} as const;
export type ProposalStatus = keyof typeof PROPOSAL_STATUSES;

/** The cost that counts: officers' revised cost where they gave one. */
export const countedCost = (p: { costPence: number; assessedCostPence: number | null }) => p.assessedCostPence ?? p.costPence;

export const COMMITMENT_STATUSES = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
} as const;
export type CommitmentStatus = keyof typeof COMMITMENT_STATUSES;

/** A project's status follows from how far along it is: residents see one story, not two. */
export const statusFor = (percent: number): CommitmentStatus => (percent >= 100 ? 'complete' : percent > 0 ? 'in_progress' : 'not_started');

/** A progress report: what happened, and the new per cent complete. */
export function parseProgressUpdate(raw: Record<string, unknown>): { note: string; percentComplete: number } {
  const check = new FieldChecker();
  const note = text(raw.note);
  check.check(note.length >= 3 && note.length <= 2000, 'note', 'Say what has happened, in 3 to 2,000 characters');
  const percent = text(raw.percentComplete);
  const ok = /^\d{1,3}$/.test(percent) && Number(percent) <= 100;
  check.check(ok, 'percentComplete', 'Enter how far along the project is as a whole number from 0 to 100');
  check.throwIfAny();
  return { note, percentComplete: Number(percent) };
}

/** An optional calendar date from a form: '' is none; anything else must be a real date. */
export function optionalDateField(check: FieldChecker, field: string, raw: unknown, label: string): CalendarDate | null {
  const value = text(raw);
  if (value === '') return null;
  check.check(isCalendarDate(value), field, `Enter ${label} as a real date, like 2027-06-30`);
  return isCalendarDate(value) ? value : null;
}

/** Largest picture taken: big enough for a phone photo, small enough to keep in the database. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * An optional picture from a form: JPEG or PNG by its own first bytes, within the size cap,
 * and always with a description for people who cannot see it. Null when none was chosen.
 */
export function checkImage(check: FieldChecker, file: unknown, altInput: unknown, fields = { image: 'image', alt: 'imageAlt' }): { contentType: string; bytes: Uint8Array; altText: string } | null {
  const bytes = file instanceof Uint8Array && file.length > 0 ? file : null;
  const altText = text(altInput);
  if (!bytes) {
    check.check(altText === '', fields.image, 'Choose the picture that goes with this description, or clear the description');
    return null;
  }
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  check.check(isJpeg || isPng, fields.image, 'The picture must be a JPEG or PNG file');
  check.check(bytes.length <= MAX_IMAGE_BYTES, fields.image, 'The picture must be smaller than 5 MB');
  check.check(altText.length >= 3 && altText.length <= 300, fields.alt, 'Describe what the picture shows, for people who cannot see it (3 to 300 characters)');
  return isJpeg || isPng ? { contentType: isJpeg ? 'image/jpeg' : 'image/png', bytes, altText } : null;
}
