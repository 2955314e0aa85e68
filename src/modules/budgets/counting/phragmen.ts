/**
 * Sequential Phragmén, as pabutools 1.2.3 computes it (sequential_phragmen). Each project's cost is
 * a "load" its supporters share. In each round the project whose purchase would leave its
 * supporters with the smallest equal load, (their loads so far + cost) / supporters, is bought and
 * all its supporters get that load. Counting stops, without skipping ahead, as soon as a project
 * with that smallest load (any of them, in a tie) no longer fits in the budget.
 *
 * Loads take one value per round (all supporters of the project bought get the same), so a
 * ballot's load is the round it last paid in, and a project's supporters' loads are kept as voter
 * counts per round. The cheapest project is found in doubles: every load is a sum of positive terms,
 * so its relative error stays below a bound that grows only with the number of rounds, and exact
 * arithmetic is needed only for the few projects within that bound of the smallest.
 */
import type { Profile } from './profile.ts';
import { add, mulInt, rational, toNumber, ZERO, type Rational } from '../../../lib/rational.ts';

export interface PhragmenPurchase {
  project: number;
  round: number;
  /** The load each supporter carries once it is bought (scaled money); null for a project nobody supports. */
  load: Rational | null;
}

export interface PhragmenResult {
  purchases: PhragmenPurchase[];
  /** The project with the smallest load that did not fit, which ended the count (null if all were bought). */
  stoppedBy: { project: number; load: Rational | null } | null;
}

/** Twice the unit roundoff of a double. */
const U = 2 ** -52;

class Loads {
  /** loads[r]: the load given in round r (round 0: nobody has paid yet). */
  readonly exact: Rational[] = [ZERO];
  readonly approx: number[] = [0];
  /** Per project × round: voters among its supporters whose load is that round's. */
  readonly voters: Float64Array;
  readonly rounds: number;
  constructor(projects: number, rounds: number) {
    this.rounds = rounds;
    this.voters = new Float64Array(projects * rounds);
  }
  /** The project's supporters' loads together, in doubles (relative error below (rounds + 4) × U). */
  approxSum(project: number): number {
    let sum = 0;
    const base = project * this.rounds;
    for (let r = 1; r < this.exact.length; r++) sum += this.voters[base + r]! * this.approx[r]!;
    return sum;
  }
  exactSum(project: number): Rational {
    let sum = ZERO;
    const base = project * this.rounds;
    for (let r = 1; r < this.exact.length; r++) {
      const voters = this.voters[base + r]!;
      if (voters > 0) sum = add(sum, mulInt(this.exact[r]!, BigInt(voters)));
    }
    return sum;
  }
}

/** (loads + cost) / supporters exactly, as an unreduced fraction; null (infinite) for a project nobody supports. */
function exactLoad(loads: Loads, project: number, cost: bigint, supporters: number): [bigint, bigint] | null {
  if (supporters === 0) return null;
  const sum = loads.exactSum(project);
  return [sum.num + cost * sum.den, sum.den * BigInt(supporters)];
}

function compareLoads(a: [bigint, bigint] | null, b: [bigint, bigint] | null): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  const l = a[0] * b[1];
  const r = b[0] * a[1];
  return l < r ? -1 : l > r ? 1 : 0;
}

/** `shortcuts` false counts ballots of one project each like any others (tests compare the two). */
export function phragmen(profile: Profile, shortcuts = true): PhragmenResult {
  if (shortcuts && profile.ballots.every((b) => b.projects.length <= 1)) return phragmenDisjoint(profile);
  const { ballots, costs } = profile;
  const projects = profile.ids.length;
  const supporters = profile.ids.map(() => [] as number[]);
  const score = new Float64Array(projects);
  ballots.forEach((ballot, b) => {
    for (const p of ballot.projects) {
      supporters[p]!.push(b);
      score[p]! += ballot.voters;
    }
  });
  const loads = new Loads(projects, projects + 1);
  ballots.forEach((ballot) => {
    for (const p of ballot.projects) loads.voters[p * loads.rounds]! += ballot.voters;
  });
  const loadRound = new Int32Array(ballots.length);
  const approxLoad = new Float64Array(projects);
  const dirty = new Uint8Array(projects).fill(1);
  let remaining = profile.ids.map((_, p) => p).filter((p) => costs[p]! <= profile.budget);
  let spent = 0n;
  const purchases: PhragmenPurchase[] = [];
  while (remaining.length > 0) {
    for (const p of remaining) {
      if (dirty[p]) approxLoad[p] = score[p] === 0 ? Infinity : (loads.approxSum(p) + Number(costs[p]!)) / score[p]!;
      dirty[p] = 0;
    }
    const { best, bestLoad } = cheapest(loads, remaining, approxLoad, costs, score);
    const tooDear = best.find((p) => spent + costs[p]! > profile.budget);
    const load = bestLoad && rational(bestLoad[0], bestLoad[1]);
    if (tooDear !== undefined) return { purchases, stoppedBy: { project: tooDear, load } };
    const project = best[0]!;
    if (load) shiftLoads(profile, supporters[project]!, loads, loadRound, load, dirty);
    purchases.push({ project, round: purchases.length + 1, load });
    spent += costs[project]!;
    remaining = remaining.filter((p) => p !== project);
  }
  return { purchases, stoppedBy: null };
}

/**
 * The projects with the smallest load (in id order) and that load: the doubles pick those within
 * their error bound of the smallest, and exact fractions decide among them.
 */
function cheapest(loads: Loads, remaining: number[], approxLoad: Float64Array, costs: bigint[], score: Float64Array) {
  let smallest = Infinity;
  for (const p of remaining) smallest = Math.min(smallest, approxLoad[p]!);
  // Each double is within (rounds + 6) × U of its exact value, relatively.
  const slack = 4 * (loads.exact.length + 8) * U;
  const near = remaining.filter((p) => approxLoad[p]! <= smallest * (1 + slack) || (smallest === Infinity && approxLoad[p] === Infinity));
  let best: number[] = [];
  let bestLoad: [bigint, bigint] | null = null;
  for (const p of near) {
    const load = exactLoad(loads, p, costs[p]!, score[p]!);
    const order = best.length === 0 ? -1 : compareLoads(load, bestLoad);
    if (order < 0) [best, bestLoad] = [[p], load];
    else if (order === 0) best.push(p);
  }
  return { best, bestLoad };
}

/** The project's supporters take the new load; every project they support sees its loads change. */
function shiftLoads(profile: Profile, payers: number[], loads: Loads, loadRound: Int32Array, load: Rational, dirty: Uint8Array) {
  const round = loads.exact.length;
  loads.exact.push(load);
  loads.approx.push(toNumber(load));
  for (const b of payers) {
    const ballot = profile.ballots[b]!;
    const from = loadRound[b]!;
    for (const q of ballot.projects) {
      loads.voters[q * loads.rounds + from]! -= ballot.voters;
      loads.voters[q * loads.rounds + round]! += ballot.voters;
      dirty[q] = 1;
    }
    loadRound[b] = round;
  }
}

/**
 * When no ballot lists two projects (choose-1), nobody's load changes before their own project is
 * bought, so each project's load is cost / supporters throughout: the rounds take the projects in
 * order of that load (ties to the smaller number; nobody's support, infinite, last), stopping as
 * the general count does at the first of the projects due that does not fit.
 */
function phragmenDisjoint(profile: Profile): PhragmenResult {
  const score = profile.ids.map(() => 0n);
  for (const ballot of profile.ballots) for (const p of ballot.projects) score[p]! += BigInt(ballot.voters);
  const loadOf = (p: number) => (score[p]! === 0n ? null : ([profile.costs[p]!, score[p]!] as [bigint, bigint]));
  const due = profile.ids
    .map((_, p) => ({ p, load: loadOf(p) }))
    .filter(({ p }) => profile.costs[p]! <= profile.budget)
    .sort((x, y) => compareLoads(x.load, y.load) || x.p - y.p);
  const purchases: PhragmenPurchase[] = [];
  let spent = 0n;
  for (let first = 0; first < due.length; ) {
    // The projects due together this round: those tied with the first at the smallest load.
    let end = first + 1;
    while (end < due.length && compareLoads(due[end]!.load, due[first]!.load) === 0) end++;
    const load = due[first]!.load && rational(...due[first]!.load!);
    const tooDear = due.slice(first, end).find(({ p }) => spent + profile.costs[p]! > profile.budget);
    if (tooDear) return { purchases, stoppedBy: { project: tooDear.p, load } };
    const { p } = due[first++]!;
    purchases.push({ project: p, round: purchases.length + 1, load });
    spent += profile.costs[p]!;
  }
  return { purchases, stoppedBy: null };
}
