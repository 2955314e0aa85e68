/**
 * The Method of Equal Shares, exactly as pabutools 1.2.3 computes it (method_of_equal_shares; its
 * "add1" iteration is in mes-add-one.ts), in exact arithmetic.
 *
 * Every voter starts with an equal share of the budget. In each round, the project that its
 * supporters can buy at the lowest price per unit of satisfaction (rho) is bought: each supporter
 * pays rho × their satisfaction, or all they have left if that is less. A project whose supporters
 * have less money left than it costs is out. Ties go to the smaller project id.
 *
 * Which projects are bought, and in what order, is first found in doubles with a proof for every
 * decision (mes-float.ts), which is many times faster; only the run whose details are shown is then
 * counted exactly, replaying that order, and a run the doubles cannot decide is counted exactly
 * from the start.
 *
 * The exact count is fast for two reasons. Voters with the same money left are interchangeable, so
 * money is kept per "purse" (a distinct amount, shared by many ballots) and a project's price is
 * computed over its supporters' purses, not over each ballot. And a project's price only ever
 * rises, so the last price computed is a lower bound: a project is re-priced only when one of its
 * supporters has paid for something since, and only when that lower bound could still win.
 */
import { floatMes, setupFloatMes, type FloatMes } from './mes-float.ts';
import { isDisjoint } from './mes-disjoint.ts';
import type { Profile } from './profile.ts';
import { gcd, rational, toNumber, type Rational } from '../../../lib/rational.ts';
import { satisfactionAt } from './satisfaction.ts';

export type MesSatisfaction = 'cost' | 'points';

export interface MesPurchase {
  project: number;
  /** 1 for the first project bought. */
  round: number;
  /** Price per unit of satisfaction (scaled money per unit): a supporter pays rho × their satisfaction, at most all they have. */
  rho: Rational;
  /** How many voters paid, and how many of them paid all they had left. */
  payers: number;
  payersWithAllTheyHad: number;
}

export interface MesRun {
  /** Budget each voter started with (scaled money). */
  budgetPerVoter: Rational;
  purchases: MesPurchase[];
  /** Projects selected before MES started: free projects someone supports. */
  free: number[];
  /** Money the supporters of each project had left at the end (scaled); cost not covered for every unselected one. */
  moneyLeft: (project: number) => Rational;
}

/** Each project's supporters, fixed for the whole count. */
interface Supporters {
  ballot: Int32Array;
  /** Small number per distinct satisfaction value of this project, to group purses: supporter i's satisfaction is values[satisfactionKey[i]]. */
  satisfactionKey: Int32Array;
  /** The distinct satisfaction values, by that number. */
  values: bigint[];
  /** Voters per supporter (its ballot's count), as the float count reads them. */
  voters: Float64Array;
  /** Voters per distinct satisfaction value, by its number. */
  votersPerValue: bigint[];
  /** All its supporters' voters. */
  voterCount: bigint;
  total: bigint;
}

export interface MesSetup {
  profile: Profile;
  supporters: Supporters[];
  /** Projects MES may buy: supported, not free. */
  candidates: number[];
  free: number[];
  /** For each ballot, the projects it supports (satisfaction > 0): who to re-price after it pays. */
  supported: number[][];
}

export function setupMes(profile: Profile, kind: MesSatisfaction): MesSetup {
  // Counted first, so that each project's supporters go straight into typed arrays of their size.
  // Plain loops, and satisfactions found twice rather than kept: allocation is the cost here.
  const { ballots, ids, costs } = profile;
  const counts = new Int32Array(ids.length);
  for (const ballot of ballots) {
    for (let i = 0; i < ballot.projects.length; i++) if (satisfactionAt(kind, profile, ballot, i) > 0n) counts[ballot.projects[i]!]!++;
  }
  const builders = ids.map((_, p) => new SupportersBuilder(counts[p]!));
  const supported = ballots.map((ballot, b) => {
    const backed: number[] = [];
    for (let i = 0; i < ballot.projects.length; i++) {
      const sat = satisfactionAt(kind, profile, ballot, i);
      if (sat <= 0n) continue;
      builders[ballot.projects[i]!]!.add(b, ballot.voters, sat);
      backed.push(ballot.projects[i]!);
    }
    return backed;
  });
  const supporters = builders.map((s) => s.build());
  const candidates: number[] = [];
  const free: number[] = [];
  for (let p = 0; p < ids.length; p++) if (supporters[p]!.total > 0n) (costs[p]! > 0n ? candidates : free).push(p);
  return { profile, supporters, candidates, free, supported };
}

/** One project's supporters, filled ballot by ballot into arrays of known length; numbers the distinct satisfaction values and sums voters × satisfaction per value (few bigint products). */
class SupportersBuilder {
  private readonly ballot: Int32Array;
  private readonly voters: Float64Array;
  private readonly satisfactionKey: Int32Array;
  /** Made only when a second distinct value comes: most projects never need it. */
  private keys: Map<bigint, number> | null = null;
  private readonly values: bigint[] = [];
  private readonly votersPerValue: number[] = [];
  private count = 0;
  constructor(size: number) {
    this.ballot = new Int32Array(size);
    this.voters = new Float64Array(size);
    this.satisfactionKey = new Int32Array(size);
  }
  add(ballot: number, voters: number, satisfaction: bigint): void {
    const { values } = this;
    // Most projects have one value (its cost, or 1): check the last one before the map.
    let key = values.length > 0 && values[values.length - 1] === satisfaction ? values.length - 1 : this.keys?.get(satisfaction);
    if (key === undefined) {
      if (values.length === 1) this.keys = new Map([[values[0]!, 0]]);
      key = values.push(satisfaction) - 1;
      this.keys?.set(satisfaction, key);
      this.votersPerValue.push(0);
    }
    const i = this.count++;
    this.ballot[i] = ballot;
    this.voters[i] = voters;
    this.satisfactionKey[i] = key;
    this.votersPerValue[key]! += voters;
  }
  build(): Supporters {
    // Plain loops: map(BigInt) and reduce over bigints cost more than the rest of the set-up.
    const votersPerValue: bigint[] = [];
    let total = 0n;
    let voterCount = 0;
    for (let key = 0; key < this.values.length; key++) {
      const voters = this.votersPerValue[key]!;
      votersPerValue.push(BigInt(voters));
      total += votersPerValue[key]! * this.values[key]!;
      voterCount += voters;
    }
    return { ballot: this.ballot, satisfactionKey: this.satisfactionKey, values: this.values, voters: this.voters, votersPerValue, voterCount: BigInt(voterCount), total };
  }
}

/**
 * Money per purse; purse 0 is the starting share, purse 1 is empty. All amounts are whole numbers
 * over one common denominator, so pricing and paying need no fraction reduction (the slow part of
 * exact arithmetic). When a payment needs a finer denominator, the denominator is multiplied by a
 * factor and older amounts are scaled lazily: an amount created at version v is num × scale[v].
 */
class Purses {
  denominator: bigint;
  private readonly nums: bigint[];
  private readonly versionOf: number[];
  private readonly scale: bigint[] = [1n];
  readonly approx: number[];
  readonly of: Int32Array;
  constructor(start: Rational, ballots: number) {
    this.denominator = start.den;
    this.nums = [start.num, 0n];
    this.versionOf = [0, 0];
    this.approx = [toNumber(start), 0];
    this.of = new Int32Array(ballots);
  }
  /** The purse's money, as a numerator over the current denominator. */
  money(purse: number): bigint {
    return this.nums[purse]! * this.scale[this.versionOf[purse]!]!;
  }
  /** Makes the denominator `factor` times finer. */
  refine(factor: bigint): void {
    if (factor === 1n) return;
    this.denominator *= factor;
    for (let v = 0; v < this.scale.length; v++) this.scale[v]! *= factor;
    this.scale.push(1n);
  }
  create(num: bigint): number {
    this.nums.push(num);
    this.versionOf.push(this.scale.length - 1);
    this.approx.push(toNumber({ num, den: this.denominator }));
    return this.nums.length - 1;
  }
}

interface Bucket {
  purse: number;
  satisfaction: bigint;
  voters: bigint;
}

/**
 * The project's supporters with money left, grouped by (purse, satisfaction). Voters are counted
 * in doubles (whole numbers, exact) and made bigints once per bucket, not once per supporter.
 */
function buckets(setup: MesSetup, purses: Purses, project: number): Bucket[] {
  const { ballot, satisfactionKey, values, voters } = setup.supporters[project]!;
  const byKey = new Map<number, number>();
  const found: { purse: number; key: number }[] = [];
  const counts: number[] = [];
  for (let i = 0; i < ballot.length; i++) {
    const purse = purses.of[ballot[i]!]!;
    if (purse === 1) continue;
    const key = purse * 1024 + satisfactionKey[i]!;
    const at = byKey.get(key);
    if (at !== undefined) counts[at]! += voters[i]!;
    else {
      byKey.set(key, found.length);
      found.push({ purse, key: satisfactionKey[i]! });
      counts.push(voters[i]!);
    }
  }
  return found.map(({ purse, key }, at) => ({ purse, satisfaction: values[key]!, voters: BigInt(counts[at]!) }));
}

/** The buckets while every supporter still holds the starting share (purse 0): one per satisfaction value, no pass over the ballots. */
function startBuckets(setup: MesSetup, project: number): Bucket[] {
  const { values, votersPerValue } = setup.supporters[project]!;
  return values.map((satisfaction, key) => ({ purse: 0, satisfaction, voters: votersPerValue[key]! }));
}

/** Their money together, as a numerator over the current denominator. */
const moneyOf = (purses: Purses, list: Bucket[]) => list.reduce((sum, b) => sum + purses.money(b.purse) * b.voters, 0n);

/**
 * Whether the supporters together have at least the cost. Doubles decide unless the two are within
 * a relative 1e-9: each double is within 1e-15 of its exact value and a sum of n positive doubles
 * within n × 1.2e-16 of the exact sum, far less than that margin for any real election.
 */
function canAfford(purses: Purses, list: Bucket[], cost: bigint): boolean {
  const approx = list.reduce((sum, b) => sum + purses.approx[b.purse]! * Number(b.voters), 0);
  const target = Number(cost);
  if (approx > target * (1 + 1e-9)) return true;
  if (approx < target * (1 - 1e-9)) return false;
  return moneyOf(purses, list) >= cost * purses.denominator;
}

/**
 * Poorest first by money per unit of satisfaction: sorted on doubles, then put right exactly (few
 * moves). Each double is within a relative 1e-15 of its exact ratio, so neighbours further apart
 * than 1e-12 are in order without the bigint comparison.
 */
function sortByRatio(purses: Purses, list: Bucket[]): void {
  if (list.length < 2) return;
  const ratio = (b: Bucket) => purses.approx[b.purse]! / Number(b.satisfaction);
  const sorted = list.map((b) => ({ b, r: ratio(b) })).sort((x, y) => x.r - y.r);
  sorted.forEach((x, i) => (list[i] = x.b));
  const above = (x: Bucket, y: Bucket) => purses.money(x.purse) * y.satisfaction > purses.money(y.purse) * x.satisfaction;
  for (let i = 1; i < list.length; i++) {
    if (sorted[i - 1]!.r < sorted[i]!.r * (1 - 1e-12)) continue;
    const item = list[i]!;
    let j = i - 1;
    for (; j >= 0 && above(list[j]!, item); j--) list[j + 1] = list[j]!;
    list[j + 1] = item;
  }
}

/**
 * The lowest rho at which the supporters can pay the cost, each paying min(money, rho × satisfaction);
 * null when all their money together is less than the cost.
 */
function price(setup: MesSetup, purses: Purses, project: number, list = buckets(setup, purses, project)): Rational | null {
  const cost = setup.profile.costs[project]!;
  if (!canAfford(purses, list, cost)) return null;
  sortByRatio(purses, list);
  let rest = cost * purses.denominator;
  let richSatisfaction = list.reduce((sum, b) => sum + b.voters * b.satisfaction, 0n);
  for (const b of list) {
    const money = purses.money(b.purse);
    // Can this bucket pay rho × satisfaction, rho = rest / richSatisfaction?
    if (rest * b.satisfaction <= money * richSatisfaction) {
      // Unreduced: comparing prices needs no reduction.
      return { num: rest, den: richSatisfaction * purses.denominator };
    }
    // It cannot: it pays all it has, and the others share the rest.
    rest -= money * b.voters;
    richSatisfaction -= b.voters * b.satisfaction;
  }
  throw new Error('unreachable: supporters with enough money always afford a price');
}

const compareFractions = (a: Rational, b: Rational) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

/**
 * Every supporter pays rho × satisfaction or all they have; voters with equal purses stay together.
 * The projects they support are marked in `dirty` to be re-priced; a replay, which prices only the
 * projects it is told, passes null and saves visiting every (payer, project) pair.
 */
function pay(setup: MesSetup, purses: Purses, project: number, rho: Rational, dirty: Uint8Array | null): { payers: number; all: number } {
  const { ballot, satisfactionKey, values } = setup.supporters[project]!;
  // rho × satisfaction must be a whole number over the denominator: refine it by what is missing.
  purses.refine(rho.den / gcd(rho.den, purses.denominator));
  const perSatisfaction = (rho.num * purses.denominator) / rho.den;
  const moved = new Map<number, number>();
  let payers = 0;
  let all = 0;
  for (let i = 0; i < ballot.length; i++) {
    const b = ballot[i]!;
    const purse = purses.of[b]!;
    if (purse === 1) continue;
    const voters = setup.profile.ballots[b]!.voters;
    payers += voters;
    const key = purse * 1024 + satisfactionKey[i]!;
    let next = moved.get(key);
    if (next === undefined) {
      const left = purses.money(purse) - perSatisfaction * values[satisfactionKey[i]!]!;
      next = left <= 0n ? 1 : purses.create(left);
      moved.set(key, next);
    }
    if (next === 1) all += voters;
    purses.of[b] = next;
    if (dirty) for (const q of setup.supported[b]!) dirty[q] = 1;
  }
  return { payers, all };
}

/** One run of MES with the given starting budget per voter (scaled money). */
export function runMes(setup: MesSetup, budgetPerVoter: Rational): MesRun {
  const { profile } = setup;
  const purses = new Purses(budgetPerVoter, profile.ballots.length);
  const dirty = new Uint8Array(profile.ids.length).fill(1);
  // Before anyone pays, rho is at least cost / total satisfaction.
  const lowerBound: Rational[] = profile.ids.map((_, p) => ({ num: profile.costs[p]!, den: setup.supporters[p]!.total || 1n }));
  const approx = lowerBound.map(toNumber);
  let remaining = [...setup.candidates];
  const purchases: MesPurchase[] = [];
  for (;;) {
    remaining.sort((a, b) => approx[a]! - approx[b]! || a - b);
    let best = -1;
    const out = new Set<number>();
    for (const p of remaining) {
      // The doubles are within a relative 1e-15 of the exact values, so this only stops early when it may.
      if (best >= 0 && approx[p]! > approx[best]! * (1 + 1e-12)) break;
      if (dirty[p]) {
        const found = price(setup, purses, p);
        if (!found) {
          out.add(p);
          continue;
        }
        lowerBound[p] = found;
        approx[p] = toNumber(found);
        dirty[p] = 0;
      }
      const order = best < 0 ? -1 : compareFractions(lowerBound[p]!, lowerBound[best]!);
      if (order < 0 || (order === 0 && p < best)) best = p;
    }
    if (out.size > 0) remaining = remaining.filter((p) => !out.has(p));
    if (best < 0) break;
    remaining = remaining.filter((p) => p !== best);
    purchases.push(buy(setup, purses, best, lowerBound[best]!, purchases.length + 1, dirty));
  }
  return finish(setup, purses, budgetPerVoter, purchases);
}

/** Buys the project at the price rho; a price computed in an earlier round is still right, but over an older denominator. */
function buy(setup: MesSetup, purses: Purses, project: number, rho: Rational, round: number, dirty: Uint8Array | null): MesPurchase {
  const reduced = rational(rho.num, rho.den);
  const { payers, all } = pay(setup, purses, project, reduced, dirty);
  return { project, round, rho: reduced, payers, payersWithAllTheyHad: all };
}

function finish(setup: MesSetup, purses: Purses, budgetPerVoter: Rational, purchases: MesPurchase[]): MesRun {
  return {
    budgetPerVoter,
    purchases,
    free: setup.free,
    moneyLeft: (project) => rational(moneyOf(purses, buckets(setup, purses, project)), purses.denominator),
  };
}

/** The exact run that buys `order` in that order, as a proven float run found MES does: prices and payments only. */
function replayMes(setup: MesSetup, budgetPerVoter: Rational, order: number[]): MesRun {
  const purses = new Purses(budgetPerVoter, setup.profile.ballots.length);
  const purchases = order.map((project, i) => {
    const rho = price(setup, purses, project);
    if (!rho) throw new Error(`replaying MES: project ${setup.profile.ids[project]} is not affordable`);
    return buy(setup, purses, project, rho, i + 1, null);
  });
  return finish(setup, purses, budgetPerVoter, purchases);
}

/** The projects one run buys, in order, and the exact run when it had to be counted exactly. */
export interface MesOrder {
  share: Rational;
  order: number[];
  exact: MesRun | null;
}

/**
 * The exact run when supporters are disjoint (see mes-disjoint.ts): the projects affordable at the
 * start, cheapest first, since nobody's money changes before their own project comes up. Each
 * project is paid from purses of its own, which keeps every denominator that of the share (one
 * shared set of purses would grow it to the least common multiple of all the prices').
 */
function disjointRun(setup: MesSetup, share: Rational): MesRun {
  const ballots = setup.profile.ballots.length;
  const start = new Purses(share, ballots);
  const priced = setup.candidates.flatMap((project) => {
    const rho = price(setup, start, project, startBuckets(setup, project));
    return rho ? [{ project, rho, approx: toNumber(rho) }] : [];
  });
  // On doubles (each within a relative 1e-15 of its price), exactly only where two are too close to tell.
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(x, y) * 1e-12;
  priced.sort((x, y) => (close(x.approx, y.approx) ? compareFractions(x.rho, y.rho) : x.approx - y.approx) || x.project - y.project);
  const after = new Map<number, Purses>();
  const purchases = priced.map(({ project, rho }, i) => {
    const purses = new Purses(share, ballots);
    after.set(project, purses);
    return buy(setup, purses, project, rho, i + 1, null);
  });
  // A project not bought was paid nothing towards, and its supporters paid for nothing else.
  const moneyLeft = (project: number) => {
    const purses = after.get(project);
    if (!purses) {
      // share is in lowest terms, so only the voters can have a factor in common with its denominator.
      const voters = setup.supporters[project]!.voterCount;
      const common = gcd(voters, share.den);
      return { num: share.num * (voters / common), den: share.den / common };
    }
    return rational(moneyOf(purses, buckets(setup, purses, project)), purses.denominator);
  };
  return { budgetPerVoter: share, purchases, free: setup.free, moneyLeft };
}

/** Counts MES in doubles when they decide everything, exactly otherwise; directly when supporters are disjoint. */
export class MesCounter {
  readonly setup: MesSetup;
  readonly disjoint: boolean;
  private readonly fast: FloatMes | null;
  /** `shortcuts` false counts disjoint supporters like any others (tests compare the two). */
  constructor(setup: MesSetup, shortcuts = true) {
    this.setup = setup;
    this.disjoint = shortcuts && isDisjoint(setup);
    this.fast = this.disjoint ? null : setupFloatMes(setup);
  }
  /** The projects bought, in order, with the given starting share (scaled money). */
  order(share: Rational): MesOrder {
    if (this.disjoint) {
      const exact = disjointRun(this.setup, share);
      return { share, order: exact.purchases.map((p) => p.project), exact };
    }
    const order = this.fast && floatMes(this.fast, share);
    if (order) return { share, order, exact: null };
    const exact = runMes(this.setup, share);
    return { share, order: exact.purchases.map((p) => p.project), exact };
  }
  /** That run exactly, with every price and payment. */
  exact(found: MesOrder): MesRun {
    return found.exact ?? replayMes(this.setup, found.share, found.order);
  }
  run(share: Rational): MesRun {
    return this.exact(this.order(share));
  }
}

export const selectedBy = (run: MesRun): number[] => [...run.free, ...run.purchases.map((p) => p.project)];
export const selectedIn = (setup: MesSetup, order: number[]) => [...setup.free, ...order];

/** Plain MES: each voter starts with budget / number of voters. */
export function mes(setup: MesSetup): MesRun {
  return new MesCounter(setup).run(startingShare(setup.profile));
}

export const startingShare = (profile: Profile) => rational(profile.budget, BigInt(Math.max(profile.voterCount, 1)));
