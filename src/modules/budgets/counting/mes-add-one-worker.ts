/**
 * The other core's half of a parallel add-one count (mes-add-one.ts), on a worker thread kept for
 * the life of the process (src/lib/worker.ts). For each count it is asked first to set up, with
 * the profile packed into flat arrays (a profile's ballot objects take longer to copy across than
 * to rebuild), then once per share: it answers with the projects that run buys, in order; then to
 * forget the count. Counts are kept apart by number, as the server may run two at once. Each
 * counter keeps its own opening from run to run, as the one on the main thread does.
 */
import { MesCounter, setupMes, type MesSatisfaction } from './mes.ts';
import type { Ballot, Profile } from './profile.ts';
import type { Rational } from '../../../lib/rational.ts';

/** A profile as flat arrays: ballot b lists projects[ends[b − 1] … ends[b]), with points at the same places. */
export interface PackedProfile extends Omit<Profile, 'ballots'> {
  projects: Int32Array;
  ends: Int32Array;
  voters: Float64Array;
  points: bigint[] | null;
}

export type AddOneQuestion =
  | { count: number; setUp: { profile: PackedProfile; kind: MesSatisfaction } }
  | { count: number; share: Rational }
  | { count: number; forget: true };

export function packProfile(profile: Profile): PackedProfile {
  const { ballots, ...rest } = profile;
  const ends = new Int32Array(ballots.length);
  let length = 0;
  for (let b = 0; b < ballots.length; b++) ends[b] = length += ballots[b]!.projects.length;
  const projects = new Int32Array(length);
  const voters = new Float64Array(ballots.length);
  const withPoints = ballots.some((ballot) => ballot.points);
  const points: bigint[] | null = withPoints ? [] : null;
  for (let b = 0, at = 0; b < ballots.length; b++) {
    const ballot = ballots[b]!;
    projects.set(ballot.projects, at);
    at += ballot.projects.length;
    voters[b] = ballot.voters;
    if (points) points.push(...(ballot.points ?? ballot.projects.map(() => 0n)));
  }
  return { ...rest, projects, ends, voters, points };
}

export function unpackProfile(packed: PackedProfile): Profile {
  const { projects, ends, voters, points, ...rest } = packed;
  const ballots: Ballot[] = [];
  for (let b = 0, start = 0; b < ends.length; start = ends[b++]!) {
    ballots.push({ projects: Array.from(projects.subarray(start, ends[b])), points: points && points.slice(start, ends[b]), voters: voters[b]! });
  }
  return { ...rest, ballots };
}

const counters = new Map<number, MesCounter>();

export function work(question: AddOneQuestion): number[] | null {
  if ('setUp' in question) {
    counters.set(question.count, new MesCounter(setupMes(unpackProfile(question.setUp.profile), question.setUp.kind)));
    return null;
  }
  if ('forget' in question) {
    counters.delete(question.count);
    return null;
  }
  const counter = counters.get(question.count);
  if (!counter) throw new Error(`The add-one worker was asked for a run of count ${question.count} before it was set up`);
  return counter.order(question.share).order;
}
