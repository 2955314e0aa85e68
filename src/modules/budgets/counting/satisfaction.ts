/**
 * How much a ballot is taken to gain from a project, the "satisfaction" of pabutools. All of
 * these are additive (a ballot's gain from several projects is the sum), which the rules rely on.
 */
import type { Ballot, Profile } from './profile.ts';

export type SatisfactionKind =
  /** The project's cost if the ballot lists it (pabutools Cost_Sat). */
  | 'cost'
  /** 1 if the ballot lists it (Cardinality_Sat). */
  | 'cardinality'
  /** The points given to it (Additive_Cardinal_Sat). */
  | 'points'
  /** Points times cost, so that greedy ranks by total points. */
  | 'pointsTimesCost'
  /** Borda: the last of L ranked projects gets 0, the first L - 1 (Additive_Borda_Sat). */
  | 'borda';

/** The satisfaction of `ballot` from the project it lists at `position` (scaled money for 'cost'). */
export function satisfactionAt(kind: SatisfactionKind, profile: Profile, ballot: Ballot, position: number): bigint {
  const project = ballot.projects[position]!;
  switch (kind) {
    case 'cost':
      return profile.costs[project]!;
    case 'cardinality':
      return 1n;
    case 'points':
      return ballot.points![position]!;
    case 'pointsTimesCost':
      return ballot.points![position]! * profile.costs[project]!;
    case 'borda':
      return BigInt(ballot.projects.length - 1 - position);
  }
}

/** Each project's total satisfaction over all voters. */
export function totalSatisfaction(kind: SatisfactionKind, profile: Profile): bigint[] {
  const totals = profile.ids.map(() => 0n);
  for (const ballot of profile.ballots) {
    ballot.projects.forEach((p, i) => (totals[p]! += BigInt(ballot.voters) * satisfactionAt(kind, profile, ballot, i)));
  }
  return totals;
}
