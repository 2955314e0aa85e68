/**
 * The election as the counting rules see it: projects numbered in tie-breaking order, amounts as
 * scaled whole numbers, and identical ballots merged into one weighted ballot (pabutools'
 * "multiprofile"). Merging changes no outcome, since identical voters are treated identically, but
 * it makes every rule run over distinct ballots only.
 */
import type { PbElection, VoteType } from './pb.ts';
import { rational, type Rational } from '../../../lib/rational.ts';

/** Code-point order, as Python compares strings ('10' < '9'); JS `<` compares UTF-16 units instead. */
export function compareIds(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
const SURROGATE = /[\uD800-\uDFFF]/;

export interface Ballot {
  /** Project numbers in the order the voter listed them. */
  projects: number[];
  /** Points per listed project (scaled to whole numbers), for cumulative and scoring votes. */
  points: bigint[] | null;
  /** How many voters cast exactly this ballot. */
  voters: number;
}

export interface Profile {
  voteType: VoteType;
  /** Project ids; a project's number is its place in this list, so lower numbers win ties. */
  ids: string[];
  /** Costs and budget multiplied by `moneyScale` so that they are whole numbers. */
  costs: bigint[];
  budget: bigint;
  moneyScale: bigint;
  /** Points multiplied by this are whole numbers. */
  pointScale: bigint;
  /** All voters, counting identical ballots separately (MES divides the budget by this). */
  voterCount: number;
  ballots: Ballot[];
}

/** The smallest power of ten that makes every value whole (they are decimals, so one exists). */
function decimalScale(values: Rational[]): bigint {
  let scale = 1n;
  for (const v of values) while ((v.num * scale) % v.den !== 0n) scale *= 10n;
  return scale;
}

const scaled = (v: Rational, scale: bigint) => (v.num * scale) / v.den;

export function buildProfile(election: PbElection): Profile {
  const projects = [...election.projects].sort((a, b) => compareIds(a.id, b.id));
  const number = new Map(projects.map((p, i) => [p.id, i]));
  const moneyScale = decimalScale([election.budget, ...projects.map((p) => p.cost)]);
  const pointScale = decimalScale(election.votes.flatMap((v) => v.points ?? []));
  const merged = new Map<string, Ballot>();
  for (const vote of election.votes) {
    const listed = vote.projects.map((id) => number.get(id)!);
    const points = vote.points?.map((p) => scaled(p, pointScale)) ?? null;
    const key = ballotKey(election.voteType, listed, points);
    const ballot = merged.get(key);
    if (ballot) ballot.voters++;
    else merged.set(key, { projects: listed, points, voters: 1 });
  }
  return {
    voteType: election.voteType,
    ids: projects.map((p) => p.id),
    costs: projects.map((p) => scaled(p.cost, moneyScale)),
    budget: scaled(election.budget, moneyScale),
    moneyScale,
    pointScale,
    voterCount: election.votes.length,
    ballots: [...merged.values()],
  };
}

/** Ballots are the same when they list the same projects (in the same order, for rankings) with the same points. */
function ballotKey(voteType: VoteType, listed: number[], points: bigint[] | null): string {
  if (voteType === 'ordinal') return listed.join(',');
  const order = listed.map((_, i) => i).sort((a, b) => listed[a]! - listed[b]!);
  return order.map((i) => (points ? `${listed[i]}:${points[i]}` : `${listed[i]}`)).join(',');
}

/** A scaled amount back in the election's own units. */
export const unscale = (amount: bigint, profile: Profile): Rational => rational(amount, profile.moneyScale);

export const totalCost = (profile: Profile, projects: number[]) => projects.reduce((sum, p) => sum + profile.costs[p]!, 0n);

/** No project from `among` that is not selected would still fit in the budget. */
export function isExhaustive(profile: Profile, selected: number[], among: number[]): boolean {
  const chosen = new Set(selected);
  const left = profile.budget - totalCost(profile, selected);
  return among.every((p) => chosen.has(p) || profile.costs[p]! > left);
}
