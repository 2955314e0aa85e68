/**
 * The counting rules by name, and `tally`: an election's outcome under one of them, with the data a
 * results page needs to say why each project won or lost. Outcomes are those of pabutools 1.2.3
 * (see /work/shared/data/pabulib/expected.json for the exact calls), in exact arithmetic.
 */
import { greedy, type GreedyStep } from './greedy.ts';
import { mes, selectedBy, setupMes, type MesRun, type MesSatisfaction } from './mes.ts';
import { mesAddOne, type AddOneCount } from './mes-add-one.ts';
import type { PbElection, VoteType } from './pb.ts';
import { phragmen } from './phragmen.ts';
import { buildProfile, compareIds, isExhaustive, unscale, type Profile } from './profile.ts';
import { mulInt, rational, type Rational } from '../../../lib/rational.ts';
import type { SatisfactionKind } from './satisfaction.ts';

export type RuleKey =
  | 'greedy_cost'
  | 'greedy_cardinality'
  | 'greedy_cardinal'
  | 'greedy_points'
  | 'greedy_borda'
  | 'mes_cost'
  | 'mes_cost_add1'
  | 'mes_cost_add1_greedy'
  | 'mes_cardinal'
  | 'mes_cardinal_add1'
  | 'mes_cardinal_add1_greedy'
  | 'phragmen';

export interface RuleInfo {
  label: string;
  appliesTo: readonly VoteType[];
  /** For residents: what the rule does, in plain words. */
  description: string;
}

const CHOICE: VoteType[] = ['approval', 'choose-1'];
const EQUAL_SHARES = 'Every voter gets an equal share of the budget. Projects are bought one at a time, always the one its supporters can buy most cheaply each, sharing the cost equally; a voter who has less left pays all they have. A project whose supporters no longer have enough money between them is not bought.';
const TOP_UP = ' If that leaves money unspent, every share is raised by 1 and the count is done again, as long as the result still fits in the budget.';

export const RULES: Record<RuleKey, RuleInfo> = {
  greedy_cost: {
    label: 'Most votes first',
    appliesTo: [...CHOICE, 'cumulative', 'ordinal'],
    description: 'Projects are taken in order of how many voters chose them. A project that no longer fits in what is left of the budget is skipped, and the next one is tried.',
  },
  greedy_cardinality: {
    label: 'Most votes per pound first',
    appliesTo: CHOICE,
    description: 'Projects are taken in order of votes divided by cost, so cheaper projects need fewer votes. A project that no longer fits in what is left of the budget is skipped.',
  },
  greedy_cardinal: {
    label: 'Most points per pound first',
    appliesTo: ['cumulative'],
    description: 'Projects are taken in order of the points voters gave them divided by their cost. A project that no longer fits in what is left of the budget is skipped.',
  },
  greedy_points: {
    label: 'Most points first',
    appliesTo: ['cumulative'],
    description: 'Projects are taken in order of the total points voters gave them. A project that no longer fits in what is left of the budget is skipped.',
  },
  greedy_borda: {
    label: 'Highest ranking per pound first',
    appliesTo: ['ordinal'],
    description: 'Each ballot gives its last choice 0 points, the one above 1 point, and so on. Projects are taken in order of points divided by cost; a project that no longer fits is skipped.',
  },
  mes_cost: { label: 'Equal shares', appliesTo: [...CHOICE, 'ordinal'], description: EQUAL_SHARES },
  mes_cost_add1: { label: 'Equal shares, topped up', appliesTo: [...CHOICE, 'ordinal'], description: EQUAL_SHARES + TOP_UP },
  mes_cost_add1_greedy: {
    label: 'Equal shares, completed',
    appliesTo: [...CHOICE, 'ordinal'],
    description: EQUAL_SHARES + TOP_UP + ' Any money still left then goes to the remaining projects with most votes that fit.',
  },
  mes_cardinal: {
    label: 'Equal shares by points',
    appliesTo: ['cumulative'],
    description: EQUAL_SHARES.replace('sharing the cost equally', 'each paying in proportion to the points they gave it'),
  },
  mes_cardinal_add1: {
    label: 'Equal shares by points, topped up',
    appliesTo: ['cumulative'],
    description: EQUAL_SHARES.replace('sharing the cost equally', 'each paying in proportion to the points they gave it') + TOP_UP,
  },
  mes_cardinal_add1_greedy: {
    label: 'Equal shares by points, completed',
    appliesTo: ['cumulative'],
    description:
      EQUAL_SHARES.replace('sharing the cost equally', 'each paying in proportion to the points they gave it') +
      TOP_UP +
      ' Any money still left then goes to the remaining projects with most points per pound that fit.',
  },
  phragmen: {
    label: 'Phragmén',
    appliesTo: CHOICE,
    description: 'Each project bought is a load its supporters share. Projects are bought one at a time, always the one that keeps the heaviest load on any of its supporters lightest. Counting stops at the first such project that does not fit in the budget.',
  },
};

export class UnknownRuleError extends Error {}
export class RuleNotApplicableError extends Error {}

export const isRuleKey = (key: string): key is RuleKey => Object.hasOwn(RULES, key);

/** Why each project was taken or passed over by a greedy count, in the order considered. */
export interface GreedyExplanation {
  kind: 'greedy';
  order: { project: string; cost: Rational; taken: boolean; budgetLeft: Rational }[];
}

export interface MesExplanation {
  kind: 'mes';
  /** The starting budget of each voter in the run that gave the outcome. */
  budgetPerVoter: Rational;
  /** How many times MES was run (more than 1 for the topped-up variants). */
  runs: number;
  /** Free projects someone supports, selected before counting. */
  free: string[];
  bought: {
    project: string;
    round: number;
    /** pabutools' rho: a supporter pays rho × (cost, or their points), or all they have left if less. */
    rho: Rational;
    /** What rho means in money: the most a supporter paid (per voter, or per point for points rules). */
    share: Rational;
    sharePer: 'supporter' | 'point';
    /** Together the supporters paid the whole cost. */
    paid: Rational;
    payers: number;
    payersWithAllTheyHad: number;
  }[];
  /** Every project not bought by MES: its supporters' money left at the end was less than its cost. */
  notBought: { project: string; cost: Rational; supportersMoneyLeft: Rational }[];
  /** The greedy completion, when MES left money that could still buy something (the *_greedy rules). */
  completion: GreedyExplanation | null;
}

export interface PhragmenExplanation {
  kind: 'phragmen';
  bought: { project: string; round: number; load: Rational | null }[];
  /** The next project due, which did not fit in the budget left and so ended the count. */
  stoppedBy: { project: string; cost: Rational; load: Rational | null; budgetLeft: Rational } | null;
}

export interface Outcome {
  rule: RuleKey;
  /** Winning project ids in code-point order. */
  winners: string[];
  /** Their total cost, exact, in the election's units. */
  cost: Rational;
  steps: GreedyExplanation | MesExplanation | PhragmenExplanation;
}

const GREEDY_SATISFACTION: Partial<Record<RuleKey, SatisfactionKind>> = {
  greedy_cost: 'cost',
  greedy_cardinality: 'cardinality',
  greedy_cardinal: 'points',
  greedy_points: 'pointsTimesCost',
  greedy_borda: 'borda',
};

function explainGreedy(profile: Profile, steps: GreedyStep[]): GreedyExplanation {
  return {
    kind: 'greedy',
    order: steps.map((s) => ({
      project: profile.ids[s.project]!,
      cost: unscale(profile.costs[s.project]!, profile),
      taken: s.taken,
      budgetLeft: unscale(s.budgetLeft, profile),
    })),
  };
}

function explainMes(profile: Profile, kind: MesSatisfaction, run: MesRun, runs: number, completion: GreedyStep[] | null): MesExplanation {
  const bought = new Set(selectedBy(run));
  // The amounts come reduced, so with whole-unit money (the usual case) there is nothing to do.
  const money = (scaledAmount: Rational) => (profile.moneyScale === 1n ? scaledAmount : rational(scaledAmount.num, scaledAmount.den * profile.moneyScale));
  return {
    kind: 'mes',
    budgetPerVoter: money(run.budgetPerVoter),
    runs,
    free: run.free.map((p) => profile.ids[p]!),
    bought: run.purchases.map((b) => ({
      project: profile.ids[b.project]!,
      round: b.round,
      rho: kind === 'cost' ? b.rho : mulInt(money(b.rho), profile.pointScale),
      share: kind === 'cost' ? money(mulInt(b.rho, profile.costs[b.project]!)) : mulInt(money(b.rho), profile.pointScale),
      sharePer: kind === 'cost' ? 'supporter' : 'point',
      paid: unscale(profile.costs[b.project]!, profile),
      payers: b.payers,
      payersWithAllTheyHad: b.payersWithAllTheyHad,
    })),
    notBought: profile.ids
      .map((id, p) => ({ id, p }))
      .filter(({ p }) => !bought.has(p))
      .map(({ id, p }) => ({ project: id, cost: unscale(profile.costs[p]!, profile), supportersMoneyLeft: money(run.moneyLeft(p)) })),
    completion: completion && explainGreedy(profile, completion),
  };
}

/** Add-one MES outcomes already counted, by satisfaction: *_add1 and *_add1_greedy share one count. */
type AddOneCounts = Map<MesSatisfaction, Promise<AddOneCount>>;

async function tallyMes(profile: Profile, rule: RuleKey, addOne: AddOneCounts): Promise<{ selected: number[]; steps: MesExplanation }> {
  const kind: MesSatisfaction = rule.startsWith('mes_cost') ? 'cost' : 'points';
  if (!rule.endsWith('add1') && !rule.endsWith('add1_greedy')) {
    const run = mes(setupMes(profile, kind));
    return { selected: selectedBy(run), steps: explainMes(profile, kind, run, 1, null) };
  }
  if (!addOne.has(kind)) addOne.set(kind, mesAddOne(setupMes(profile, kind), kind));
  const { run, runs } = await addOne.get(kind)!;
  const selected = selectedBy(run);
  const allProjects = profile.ids.map((_, p) => p);
  if (!rule.endsWith('_greedy') || isExhaustive(profile, selected, allProjects)) {
    return { selected, steps: explainMes(profile, kind, run, runs, null) };
  }
  const completed = greedy(profile, kind === 'cost' ? 'cost' : 'points', selected);
  return { selected: completed.selected, steps: explainMes(profile, kind, run, runs, completed.steps) };
}

function tallyPhragmen(profile: Profile): { selected: number[]; steps: PhragmenExplanation } {
  const result = phragmen(profile);
  const selected = result.purchases.map((b) => b.project);
  const spent = selected.reduce((sum, p) => sum + profile.costs[p]!, 0n);
  const money = (load: Rational | null) => load && rational(load.num, load.den * profile.moneyScale);
  const stop = result.stoppedBy;
  return {
    selected,
    steps: {
      kind: 'phragmen',
      bought: result.purchases.map((b) => ({ project: profile.ids[b.project]!, round: b.round, load: money(b.load) })),
      stoppedBy: stop && {
        project: profile.ids[stop.project]!,
        cost: unscale(profile.costs[stop.project]!, profile),
        load: money(stop.load),
        budgetLeft: unscale(profile.budget - spent, profile),
      },
    },
  };
}

export function checkRule(rule: string, voteType: VoteType): RuleKey {
  if (!isRuleKey(rule)) throw new UnknownRuleError(`Unknown rule "${rule}". The rules are: ${Object.keys(RULES).join(', ')}`);
  const applies = RULES[rule].appliesTo;
  if (!applies.includes(voteType)) {
    throw new RuleNotApplicableError(`The rule ${rule} does not apply to ${voteType} votes; it applies to ${applies.join(', ')} votes`);
  }
  return rule;
}

/** The outcome of `election` under `rule`; throws UnknownRuleError or RuleNotApplicableError. */
export async function tally(election: PbElection, rule: string): Promise<Outcome> {
  return tallyProfile(buildProfile(election), checkRule(rule, election.voteType));
}

/**
 * The outcomes of several rules on one election, sharing what they have in common: the profile,
 * and the add-one count behind both *_add1 and *_add1_greedy.
 */
export async function tallyAll(election: PbElection, rules: string[]): Promise<Map<RuleKey, Outcome>> {
  const keys = rules.map((rule) => checkRule(rule, election.voteType));
  const profile = buildProfile(election);
  const addOne: AddOneCounts = new Map();
  const outcomes = new Map<RuleKey, Outcome>();
  for (const key of keys) outcomes.set(key, await tallyProfile(profile, key, addOne));
  return outcomes;
}

/** The outcome under a rule already checked to apply, on a profile already built (benchmarks time the two apart). */
export async function tallyProfile(profile: Profile, key: RuleKey, addOne: AddOneCounts = new Map()): Promise<Outcome> {
  const greedyKind = GREEDY_SATISFACTION[key];
  let result: { selected: number[]; steps: Outcome['steps'] };
  if (greedyKind) {
    const g = greedy(profile, greedyKind);
    result = { selected: g.selected, steps: explainGreedy(profile, g.steps) };
  } else if (key === 'phragmen') result = tallyPhragmen(profile);
  else result = await tallyMes(profile, key, addOne);
  const spent = result.selected.reduce((sum, p) => sum + profile.costs[p]!, 0n);
  return {
    rule: key,
    winners: result.selected.map((p) => profile.ids[p]!).sort(compareIds),
    cost: unscale(spent, profile),
    steps: result.steps,
  };
}

