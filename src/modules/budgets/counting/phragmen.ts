/**
 * Sequential Phragmén, as pabutools 1.2.3 computes it (sequential_phragmen). Each project's cost is
 * a "load" its supporters share. In each round the project whose purchase would leave its
 * supporters with the smallest equal load, (their loads so far + cost) / supporters, is bought and
 * all its supporters get that load. Counting stops, without skipping ahead, as soon as a project
 * with that smallest load (any of them, in a tie) no longer fits in the budget.
 */
import type { Profile } from './profile.ts';
import { rational, type Rational } from './rational.ts';

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

/** (loads + cost) / supporters as an unreduced fraction; null (infinite) for a project nobody supports. */
function newLoad(loadSum: Rational, cost: bigint, supporters: bigint): [bigint, bigint] | null {
  if (supporters === 0n) return null;
  return [loadSum.num + cost * loadSum.den, loadSum.den * supporters];
}

function compareLoads(a: [bigint, bigint] | null, b: [bigint, bigint] | null): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  const l = a[0] * b[1];
  const r = b[0] * a[1];
  return l < r ? -1 : l > r ? 1 : 0;
}

export function phragmen(profile: Profile): PhragmenResult {
  const { ballots, costs } = profile;
  const supporters = profile.ids.map(() => [] as number[]);
  const score = profile.ids.map(() => 0n);
  ballots.forEach((ballot, b) => {
    for (const p of ballot.projects) {
      supporters[p]!.push(b);
      score[p]! += BigInt(ballot.voters);
    }
  });
  // Loads take one value per round (all supporters of the project bought get the same), so a ballot's
  // load is the round it last paid in, and each project keeps the sum of its supporters' loads.
  const loads: Rational[] = [rational(0n)];
  const loadRound = new Int32Array(ballots.length);
  const loadSum: Rational[] = profile.ids.map(() => rational(0n));
  let remaining = profile.ids.map((_, p) => p).filter((p) => costs[p]! <= profile.budget);
  let spent = 0n;
  const purchases: PhragmenPurchase[] = [];
  while (remaining.length > 0) {
    let best: number[] = [];
    let bestLoad: [bigint, bigint] | null = null;
    for (const p of remaining) {
      const load = newLoad(loadSum[p]!, costs[p]!, score[p]!);
      const order = best.length === 0 ? -1 : compareLoads(load, bestLoad);
      if (order < 0) [best, bestLoad] = [[p], load];
      else if (order === 0) best.push(p);
    }
    const tooDear = best.find((p) => spent + costs[p]! > profile.budget);
    if (tooDear !== undefined) {
      return { purchases, stoppedBy: { project: tooDear, load: bestLoad && rational(bestLoad[0], bestLoad[1]) } };
    }
    const project = Math.min(...best);
    const load = bestLoad && rational(bestLoad[0], bestLoad[1]);
    if (load) shiftLoads(profile, supporters[project]!, loads, loadRound, loadSum, load);
    purchases.push({ project, round: purchases.length + 1, load });
    spent += costs[project]!;
    remaining = remaining.filter((p) => p !== project);
  }
  return { purchases, stoppedBy: null };
}

/** The project's supporters take the new load; every project they support sees its load sum change. */
function shiftLoads(profile: Profile, payers: number[], loads: Rational[], loadRound: Int32Array, loadSum: Rational[], load: Rational) {
  const round = loads.length;
  loads.push(load);
  // Voters moved, per project and per round they had last paid in; exact arithmetic once per pair.
  const moved = new Map<number, Map<number, bigint>>();
  for (const b of payers) {
    const ballot = profile.ballots[b]!;
    const from = loadRound[b]!;
    for (const q of ballot.projects) {
      const byRound = moved.get(q) ?? new Map<number, bigint>();
      byRound.set(from, (byRound.get(from) ?? 0n) + BigInt(ballot.voters));
      moved.set(q, byRound);
    }
    loadRound[b] = round;
  }
  for (const [q, byRound] of moved) {
    let sum = loadSum[q]!;
    for (const [from, voters] of byRound) {
      const old = loads[from]!;
      // sum += voters × (load − old)
      sum = rational(sum.num * load.den * old.den + voters * (load.num * old.den - old.num * load.den) * sum.den, sum.den * load.den * old.den);
    }
    loadSum[q] = sum;
  }
}
