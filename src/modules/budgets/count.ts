/**
 * Between the platform's rounds and the exact counting library: build the election the
 * library counts from an area's proposals and ballots, put its outcome in residents'
 * words, and read and write Pabulib files. Pure: no I/O.
 */
import { ValidationError } from '../../lib/errors.ts';
import { parsePb, writePb, PbFormatError, type PbElection, type PbVote, type VoteType } from './counting/pb.ts';
import { RULES, tally, type Outcome, type RuleKey } from './counting/rules.ts';
import { fromInt, rational, toDecimalString, toNumber, type Rational } from '../../lib/rational.ts';
import { formatPence } from '../../lib/money.ts';
import { BALLOT_KINDS, usesPoints, type BallotKind } from './rules.ts';
import { isKeyOf } from '../../lib/keys.ts';

/** The Pabulib vote types a counting rule can count, or null for no such rule. */
export const ruleAppliesTo = (rule: string): readonly string[] | null => (isKeyOf(RULES, rule) ? RULES[rule].appliesTo : null);

export const ruleChoices = (): [string, string][] => Object.entries(RULES).map(([key, r]) => [key, r.label]);

export interface AreaBallot {
  id: string;
  choices: { proposalId: string; points: number | null; rank: number | null }[];
}

export interface AreaCount {
  rule: string;
  /** ISO 4217 code: amounts are in its minor unit. */
  currency: string;
  ballotKind: BallotKind;
  budgetPence: number;
  projects: { id: string; ref: string; costPence: number }[];
  ballots: AreaBallot[];
}

/** Why each project won or lost, as the results page shows it. */
export interface Explanation {
  rule: string;
  ruleLabel: string;
  ruleDescription: string;
  projects: { proposalId: string; ref: string; costPence: number; support: number; won: boolean; note: string }[];
}

/**
 * The election as the library counts it: project ids are the proposals' refs, amounts in pounds
 * (major units, exact). Units matter: the add-one rules raise each voter's share one unit at a
 * time, and Pabulib and pabutools count in whole currency units, not pence.
 */
function electionOf(area: AreaCount, voteType: VoteType): PbElection {
  const refOf = new Map(area.projects.map((p) => [p.id, p.ref]));
  const votes: PbVote[] = area.ballots.map((b, i) => {
    const choices = [...b.choices].filter((c) => refOf.has(c.proposalId)).sort((x, y) => (x.rank ?? 0) - (y.rank ?? 0));
    return {
      voterId: String(i + 1),
      projects: choices.map((c) => refOf.get(c.proposalId)!),
      points: voteType === 'cumulative' || voteType === 'scoring' ? choices.map((c) => fromInt(c.points ?? 0)) : null,
      fields: {},
    };
  });
  return {
    meta: new Map([['budget', toDecimalString(major(area.budgetPence))], ['vote_type', voteType]]),
    budget: major(area.budgetPence),
    voteType,
    projectColumns: ['project_id', 'cost'],
    voteColumns: voteType === 'cumulative' || voteType === 'scoring' ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    projects: area.projects.map((p) => ({ id: p.ref, cost: major(p.costPence), name: null, fields: {} })),
    votes,
  };
}

/** Count one area by its rule: the winning proposals, what they cost, and the reasons. */
export async function countArea(area: AreaCount): Promise<{ winners: string[]; spentPence: number; explanation: Explanation }> {
  const rule = RULES[area.rule as RuleKey];
  if (!rule) throw new ValidationError({ countingRule: `There is no counting rule called ${area.rule}` });
  const election = electionOf(area, BALLOT_KINDS[area.ballotKind].voteType);
  const idOf = new Map(area.projects.map((p) => [p.ref, p.id]));
  const outcome = area.projects.length ? await tally(election, area.rule as RuleKey) : null;
  const won = new Set(outcome?.winners ?? []);
  const support = new Map<string, number>();
  for (const b of area.ballots) for (const c of b.choices) support.set(c.proposalId, (support.get(c.proposalId) ?? 0) + (usesPoints(area.ballotKind) ? (c.points ?? 0) : 1));
  const notes = outcome ? explainSteps(outcome.steps, area.currency) : new Map<string, string>();
  const projects = area.projects
    .map((p) => ({
      proposalId: p.id,
      ref: p.ref,
      costPence: p.costPence,
      support: support.get(p.id) ?? 0,
      won: won.has(p.ref),
      note: notes.get(p.ref) ?? (won.has(p.ref) ? 'Funded.' : 'Not funded.'),
    }))
    .sort((a, b) => Number(b.won) - Number(a.won) || b.support - a.support || (a.ref < b.ref ? -1 : 1));
  return {
    winners: [...won].map((ref) => idOf.get(ref)!),
    spentPence: area.projects.filter((p) => won.has(p.ref)).reduce((s, p) => s + p.costPence, 0),
    explanation: { rule: area.rule, ruleLabel: rule.label, ruleDescription: rule.description, projects },
  };
}

const major = (minor: number): Rational => rational(BigInt(minor), 100n);

/** An amount in a currency's minor unit as residents read it: £1,234.50, or 1,234.50 EUR. */
export function formatMoney(minor: number, currency: string): string {
  if (currency === 'GBP') return formatPence(minor);
  return `${(minor / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}
const ordinalOf = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** The library's steps in plain words, per project ref: why each project won or lost. */
export function explainSteps(steps: Outcome['steps'], currency: string): Map<string, string> {
  // The library's amounts are exact major units; only these words round, to the penny.
  const moneyOf = (r: Rational): string => formatMoney(Math.round(toNumber(r) * 100), currency);
  const notes = new Map<string, string>();
  if (steps.kind === 'greedy') explainGreedy(steps, notes, moneyOf);
  else if (steps.kind === 'phragmen') {
    for (const b of steps.bought) notes.set(b.project, `Funded: chosen ${ordinalOf(b.round)}, when spreading its cost over its supporters added least to what each had been charged.`);
    if (steps.stoppedBy) notes.set(steps.stoppedBy.project, `Not funded: it was next in line, but it costs ${moneyOf(steps.stoppedBy.cost)} and only ${moneyOf(steps.stoppedBy.budgetLeft)} was left, which ended the count.`);
  } else {
    for (const ref of steps.free) notes.set(ref, 'Funded: it costs nothing.');
    for (const b of steps.bought) {
      const each = b.sharePer === 'point' ? `${moneyOf(b.share)} a point` : `${moneyOf(b.share)} each`;
      const all = b.payersWithAllTheyHad ? `; ${b.payersWithAllTheyHad} of them paid all they had left` : '';
      notes.set(b.project, `Funded in round ${b.round}: its ${b.payers} supporter${b.payers === 1 ? '' : 's'} paid ${moneyOf(b.paid)} between them, at most ${each}${all}.`);
    }
    for (const n of steps.notBought) {
      notes.set(n.project, `Not funded: it costs ${moneyOf(n.cost)}, and by the end its supporters had only ${moneyOf(n.supportersMoneyLeft)} of their equal shares left between them.`);
    }
    if (steps.completion) {
      for (const o of steps.completion.order) {
        if (o.taken) notes.set(o.project, `Funded after Equal Shares: the money left over was spent on projects in order of votes, and it fitted in the ${moneyOf(o.budgetLeft)} left.`);
      }
    }
  }
  return notes;
}

function explainGreedy(steps: Extract<Outcome['steps'], { kind: 'greedy' }>, notes: Map<string, string>, moneyOf: (r: Rational) => string) {
  steps.order.forEach((o, i) => {
    notes.set(
      o.project,
      o.taken
        ? `Funded: ${ordinalOf(i + 1)} in order of support, with ${moneyOf(o.budgetLeft)} still to spend when its turn came.`
        : `Not funded: ${ordinalOf(i + 1)} in order of support, but it costs ${moneyOf(o.cost)} and only ${moneyOf(o.budgetLeft)} was left when its turn came.`,
    );
  });
}

// ------------------------------------------------------------------ Pabulib files

export interface ImportedElection {
  title: string;
  description: string;
  areaName: string;
  ballotKind: BallotKind;
  minChoices: number;
  maxChoices: number | null;
  maxPoints: number | null;
  countingRule: string;
  currency: string;
  budgetMinor: number;
  projects: { ref: string; title: string; description: string; category: string | null; costMinor: number }[];
  ballots: { voterRef: string; choices: { ref: string; points: number | null; rank: number | null }[] }[];
}

const KIND_OF: Record<VoteType, BallotKind> = { approval: 'approval', 'choose-1': 'approval', cumulative: 'cumulative', scoring: 'scores', ordinal: 'ordinal' };
const DEFAULT_RULE: Record<BallotKind, string> = { approval: 'mes_cost_add1_greedy', approval_budget: 'mes_cost_add1_greedy', ordinal: 'mes_cost_add1_greedy', cumulative: 'mes_cardinal_add1_greedy', scores: 'mes_cardinal_add1_greedy' };

/** Amounts in a currency's minor unit (pence, grosze, cents): exact, or refused. */
function minorUnits(amount: Rational, what: string): number {
  const scaled = rational(amount.num * 100n, amount.den);
  if (scaled.den !== 1n || scaled.num < 0n || scaled.num > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValidationError({ file: `${what} is not an amount this platform can hold exactly` });
  return Number(scaled.num);
}

const wholeNumber = (r: Rational, what: string): number => {
  if (r.den !== 1n || r.num < 0n || r.num > 1_000_000n) throw new ValidationError({ file: `${what} must be a whole number of points` });
  return Number(r.num);
};

/** Read a Pabulib file for import; a malformed one is refused with its line number. */
export function importPbElection(text: string, fileName: string, countingRule?: string): ImportedElection {
  let election: PbElection;
  try {
    election = parsePb(text);
  } catch (err) {
    if (err instanceof PbFormatError) throw new ValidationError({ file: `${fileName} line ${err.line}: ${err.message}` }, `${fileName} line ${err.line}: ${err.message}`);
    throw err;
  }
  const kind = KIND_OF[election.voteType];
  const rule = countingRule || DEFAULT_RULE[kind];
  const types = ruleAppliesTo(rule);
  if (!types) throw new ValidationError({ countingRule: 'Choose how the votes will be counted' });
  if (!types.includes(BALLOT_KINDS[kind].voteType)) throw new ValidationError({ countingRule: `That rule cannot count this file’s ${election.voteType} ballots: choose another` });
  const meta = election.meta;
  const num = (key: string) => (meta.get(key) && /^\d+$/.test(meta.get(key)!) ? Number(meta.get(key)) : null);
  const place = [meta.get('unit'), meta.get('subunit') ?? meta.get('district')].filter(Boolean).join(', ');
  return {
    title: meta.get('description') || place || fileName.replace(/\.pb$/i, ''),
    description: `Imported from the Pabulib file ${fileName}.${meta.get('country') ? ` ${place ? `${place}, ` : ''}${meta.get('country')}.` : ''}`,
    areaName: (meta.get('subunit') ?? meta.get('district') ?? meta.get('unit') ?? 'Whole area').slice(0, 200),
    ballotKind: kind,
    minChoices: Math.max(1, num('min_length') ?? 1),
    maxChoices: election.voteType === 'choose-1' ? 1 : num('max_length'),
    maxPoints: usesPoints(kind) ? (num('max_sum_points') ?? num('max_points') ?? maxPointsSeen(election)) : null,
    countingRule: rule,
    currency: (meta.get('currency') ?? 'GBP').toUpperCase().slice(0, 3),
    budgetMinor: minorUnits(election.budget, 'The budget'),
    projects: election.projects.map((p) => ({
      ref: p.id,
      title: (p.name || `Project ${p.id}`).slice(0, 200),
      description: (p.fields.description ?? '').slice(0, 5000),
      category: p.fields.category?.slice(0, 200) || null,
      costMinor: minorUnits(p.cost, `The cost of project ${p.id}`),
    })),
    ballots: election.votes.map((v) => ({
      voterRef: v.voterId,
      choices: v.projects.map((ref, i) => ({
        ref,
        points: v.points ? wholeNumber(v.points[i]!, `Voter ${v.voterId}’s points`) : null,
        rank: kind === 'ordinal' ? i + 1 : null,
      })),
    })),
  };
}

function maxPointsSeen(election: PbElection): number {
  let most = 1;
  for (const v of election.votes) {
    const total = (v.points ?? []).reduce((s, p) => s + Number(p.num / p.den), 0);
    if (total > most) most = total;
  }
  return most;
}

export interface AreaForExport {
  round: { id: string; title: string; ballotKind: string; countingRule: string; currency: string; minChoices: number; maxChoices: number | null; maxPoints: number | null };
  area: { id: string; name: string; budgetPence: number };
  authorityName: string;
  proposals: { id: string; ref: string; title: string; category: string | null; costPence: number; assessedCostPence: number | null }[];
  ballots: AreaBallot[];
  winners: Set<string>;
}



/** An area's count as a Pabulib file: voter ids are 1, 2, 3… in an order that says nothing about who voted. */
export function writeAreaPb(x: AreaForExport): string {
  const kind = x.round.ballotKind as BallotKind;
  const voteType = BALLOT_KINDS[kind].pbVoteType;
  const cost = (p: AreaForExport['proposals'][number]) => p.assessedCostPence ?? p.costPence;
  const refOf = new Map(x.proposals.map((p) => [p.id, p.ref]));
  const votesFor = new Map<string, number>();
  for (const b of x.ballots) for (const c of b.choices) votesFor.set(c.proposalId, (votesFor.get(c.proposalId) ?? 0) + 1);
  const withPoints = usesPoints(kind);
  const meta: [string, string][] = [
    ['description', x.round.title],
    ['country', 'United Kingdom'],
    ['unit', x.authorityName],
    ['subunit', x.area.name],
    ['instance', x.round.id],
    ['num_projects', String(x.proposals.length)],
    ['num_votes', String(x.ballots.length)],
    ['budget', toDecimalString(major(x.area.budgetPence))],
    ['vote_type', voteType],
    ['rule', x.round.countingRule],
    ['currency', x.round.currency],
    ['min_length', String(x.round.minChoices)],
    ...(x.round.maxChoices !== null ? [['max_length', String(x.round.maxChoices)] as [string, string]] : []),
    ...(withPoints && x.round.maxPoints !== null ? [[kind === 'cumulative' ? 'max_sum_points' : 'max_points', String(x.round.maxPoints)] as [string, string]] : []),
  ];
  const election: PbElection = {
    meta: new Map(meta),
    budget: major(x.area.budgetPence),
    voteType,
    projectColumns: ['project_id', 'cost', 'name', 'category', 'votes', 'selected'],
    voteColumns: withPoints ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    projects: [...x.proposals]
      .sort((a, b) => Number(a.ref) - Number(b.ref) || (a.ref < b.ref ? -1 : 1))
      .map((p) => ({
        id: p.ref,
        cost: major(cost(p)),
        name: p.title,
        fields: { category: p.category ?? '', votes: String(votesFor.get(p.id) ?? 0), selected: x.winners.has(p.id) ? '1' : '0' },
      })),
    // Numbered in the order of what they say, never of when or by whom they were cast.
    votes: x.ballots
      .map((b) => {
        const choices = [...b.choices].filter((c) => refOf.has(c.proposalId)).sort((p, q) => (p.rank ?? 0) - (q.rank ?? 0));
        const vote = { projects: choices.map((c) => refOf.get(c.proposalId)!), points: withPoints ? choices.map((c) => c.points ?? 0) : null };
        return { vote, key: JSON.stringify(vote) };
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ vote }, i) => ({ voterId: String(i + 1), projects: vote.projects, points: vote.points?.map((n) => fromInt(n)) ?? null, fields: {} })),
  };
  return writePb(election);
}

