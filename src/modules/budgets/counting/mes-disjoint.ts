/**
 * MES when supporters are disjoint: every ballot supports at most one project MES may buy (choose-1
 * votes, or any election where each voter backs one project). Nobody who pays for one project then
 * supports another, so each project's supporters still hold their starting share when it comes up:
 * MES buys exactly the projects whose supporters together hold their cost at the start, cheapest
 * price first, and a larger share buys a superset of them.
 *
 * So run k of the add-one iteration (share s₀ + k units) buys the projects whose threshold (the
 * least k at which their supporters can afford them) is at most k. Its outcome changes only at
 * thresholds, and the runs in between need no counting: the share returned and the number of runs
 * are those of the general iteration (`mes.test.ts` checks that on hand-made elections and on every
 * real file where this applies).
 */
import type { MesSetup } from './mes.ts';
import { add, fromInt, type Rational } from '../../../lib/rational.ts';

/** Whether no ballot supports two projects MES may buy (free projects are selected before MES and cost nobody anything). */
export function isDisjoint(setup: MesSetup): boolean {
  const candidate = new Uint8Array(setup.profile.ids.length);
  for (const p of setup.candidates) candidate[p] = 1;
  return setup.supported.every((projects) => {
    let count = 0;
    for (const p of projects) count += candidate[p]!;
    return count <= 1;
  });
}

/** The least k ≥ 0 at which the project's supporters hold its cost, each with start + k × step. */
function threshold(setup: MesSetup, project: number, start: Rational, step: bigint): bigint {
  const voters = setup.supporters[project]!.voterCount;
  // voters × (start + k × step) ≥ cost  ⇔  k ≥ (cost × den − voters × num) / (voters × step × den)
  const short = setup.profile.costs[project]! * start.den - voters * start.num;
  if (short <= 0n) return 0n;
  const per = voters * step * start.den;
  return (short + per - 1n) / per;
}

/**
 * pabutools' add-one iteration (as `countAddOne` in mes-add-one.ts) on disjoint supporters, jumping from
 * threshold to threshold: the share of the run returned, and how many runs the iteration counts.
 */
export function disjointAddOne(setup: MesSetup, start: Rational): { share: Rational; runs: number } {
  const step = setup.profile.moneyScale;
  const rising = setup.candidates.map((p) => ({ p, k: threshold(setup, p, start, step) })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
  const selection = new Selection(setup);
  let next = 0;
  const admitUpTo = (k: bigint) => {
    for (; next < rising.length && rising[next]!.k <= k; next++) selection.add(rising[next]!.p);
  };
  const shareAt = (k: bigint) => add(start, fromInt(step * k));
  admitUpTo(0n);
  for (let k = 0n; ; ) {
    // Run k is returned when it uses the budget up (this is always so once every candidate is in).
    if (selection.exhaustive()) return { share: shareAt(k), runs: Number(k) + 1 };
    // Runs k + 1 … up to the next threshold buy the same; the run at the threshold may overspend.
    const k2 = rising[next]!.k;
    admitUpTo(k2);
    if (selection.spent > setup.profile.budget) return { share: shareAt(k2 - 1n), runs: Number(k2) + 1 };
    k = k2;
  }
}

/**
 * The free projects and the candidates admitted so far, with what they cost together; whether it
 * is exhaustive (as `isExhaustive` over the candidates) is asked of the cheapest candidate left
 * out, found by walking the candidates by cost once, since the selection only grows.
 */
class Selection {
  spent = 0n;
  private readonly costs: bigint[];
  private readonly budget: bigint;
  private readonly chosen: Uint8Array;
  private readonly byCost: number[];
  private cheapestOut = 0;
  constructor(setup: MesSetup) {
    const { costs, budget, ids } = setup.profile;
    this.costs = costs;
    this.budget = budget;
    this.chosen = new Uint8Array(ids.length);
    this.byCost = [...setup.candidates].sort((p, q) => (costs[p]! < costs[q]! ? -1 : costs[p]! > costs[q]! ? 1 : 0));
    for (const p of setup.free) this.chosen[p] = 1;
  }
  add(project: number): void {
    this.chosen[project] = 1;
    this.spent += this.costs[project]!;
  }
  exhaustive(): boolean {
    while (this.cheapestOut < this.byCost.length && this.chosen[this.byCost[this.cheapestOut]!]) this.cheapestOut++;
    return this.cheapestOut === this.byCost.length || this.costs[this.byCost[this.cheapestOut]!]! > this.budget - this.spent;
  }
}
