/**
 * Greedy by satisfaction per unit of cost (pabutools greedy_utilitarian_welfare with an additive
 * satisfaction): projects in decreasing total satisfaction / cost, ties to the smaller id; each is
 * taken if it still fits in what is left of the budget, and skipped otherwise.
 */
import type { Profile } from './profile.ts';
import { totalSatisfaction, type SatisfactionKind } from './satisfaction.ts';

export interface GreedyStep {
  project: number;
  taken: boolean;
  /** Budget left (scaled) when the project came up. */
  budgetLeft: bigint;
}

/**
 * Compares two projects' satisfaction per unit of cost, larger first. Free projects that someone
 * wants come before all others and projects nobody wants after all others, as in pabutools.
 */
function byDensity(totals: bigint[], costs: bigint[]) {
  const rank = (p: number) => (totals[p]! === 0n ? 0 : costs[p]! === 0n ? 2 : 1);
  return (a: number, b: number): number => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return rb - ra;
    if (ra === 1) {
      const left = totals[a]! * costs[b]!;
      const right = totals[b]! * costs[a]!;
      if (left !== right) return left > right ? -1 : 1;
    }
    return a - b;
  };
}

/** Greedy from an initial selection (empty, or what MES chose when greedy completes it). */
export function greedy(profile: Profile, kind: SatisfactionKind, initial: number[] = []): { selected: number[]; steps: GreedyStep[] } {
  const totals = totalSatisfaction(kind, profile);
  const chosen = new Set(initial);
  const order = profile.ids.map((_, p) => p).filter((p) => !chosen.has(p)).sort(byDensity(totals, profile.costs));
  let left = profile.budget - initial.reduce((sum, p) => sum + profile.costs[p]!, 0n);
  const selected = [...initial];
  const steps: GreedyStep[] = [];
  for (const project of order) {
    const cost = profile.costs[project]!;
    const taken = cost <= left;
    steps.push({ project, taken, budgetLeft: left });
    if (taken) {
      selected.push(project);
      left -= cost;
    }
  }
  return { selected, steps };
}
