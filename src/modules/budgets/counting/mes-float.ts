/**
 * MES in doubles, with a proof for every decision: a fast first pass whose outcome is the exact one
 * whenever it returns one. Every amount carries a bound on its distance from the exact value, and a
 * decision (is this project affordable, does this voter pay all they have, is this the cheapest
 * project) is taken only when the two sides are further apart than their bounds; otherwise the run
 * gives up (returns null) and the caller counts exactly. On the real elections that happens only
 * at exact ties, and those between prices that are plain fractions of whole numbers (most of them)
 * are settled exactly here.
 *
 * Pricing needs no sort. For any guess of which supporters pay all they have (the "poor"), the
 * price that guess gives is a lower bound of the true price; repeating "the poor are those who
 * cannot pay the current price" raises it to the true price in a few passes (Newton's method on a
 * concave piecewise-linear function), one pass at a time and only while the project could be the
 * cheapest, so most prices stay lower bounds.
 *
 * The loops read each project's supporters in ballot order, and a ballot's money beside its error
 * bound: memory order matters more here than the number of operations.
 *
 * Runs with a larger share start where an earlier run's opening left off (see `Opening`).
 */
import type { MesSetup } from './mes.ts';
import { sub, toNumber, type Rational } from '../../../lib/rational.ts';

/** Twice the unit roundoff of a double: each operation's rounding, with room for second-order terms. */
const U = 2 ** -52;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Newton passes before giving up; real elections need 2 or 3. */
const MAX_PASSES = 64;
/** How many error bounds wide the range is over which `pay` proves a price. */
const CERTAIN = 4;

/** The profile as doubles, and the work space reused by every run. */
export interface FloatMes {
  setup: MesSetup;
  costs: Float64Array;
  /** Per project, its supporters' ballots and, side by side, satisfactions and numbers of voters. */
  ballots: Int32Array[];
  sats: Float64Array[];
  weights: Float64Array[];
  /** Per project, the satisfaction all its supporters share, or NaN when they differ (points). */
  commonSat: Float64Array;
  /** Per project, the sum of voters × satisfaction over its supporters. */
  totals: Float64Array;
  /** Per project, the projects sharing a supporter with it (those to re-price after it is bought), found when first needed. */
  neighbours: (Int32Array | undefined)[];
  /** Per ballot, the projects it supports as bits (`words` 32-bit words each), built when first needed: a project's neighbours are the union over its supporters. */
  supportBits: Uint32Array | null;
  /** The candidates by cost / total satisfaction (the least price each can have), ties to the smaller number; found when first needed. */
  byLeastPrice: Int32Array | null;
  opening: Opening | null;
  run: RunState;
}

/**
 * The longest opening of a run in which the projects were bought in order of least price, each
 * with nobody paying all they had. Every project's price is at least its least price, and a
 * project bought with nobody paying all they had is bought at exactly its least price; with a
 * larger share every voter has more money at each of those rounds, so nobody pays all they have
 * there either, and a run with a larger share opens with the same purchases at the same prices:
 * its money after them is this run's plus the difference in share, for every voter.
 */
interface Opening {
  share: Rational;
  rounds: number;
  /** The run's money and error bounds (as `RunState.money`) after those rounds. */
  money: Float64Array;
}

/** What one run changes; allocated once. */
interface RunState {
  /** Per ballot b, its money at 2b and a bound on |money − the exact money| at 2b + 1. */
  money: Float64Array;
  lower: Float64Array;
  lowerError: Float64Array;
  /**
   * When the lower bound was priced with no poor supporter but those with nothing left, it is
   * exactly cost / this (a whole number), else 0: what settles exact ties.
   */
  exactDivisor: Float64Array;
  /** Per project: 1 while the lower bound may be below the price (a supporter paid since, or not yet converged). */
  dirty: Uint8Array;
  /** Per project: how many were poor in its last pass over the current money, −1 before the first. */
  lastPoor: Int32Array;
  passes: Int32Array;
}

/** Null when some cost or sum of satisfactions is not a whole number that a double holds exactly. */
export function setupFloatMes(setup: MesSetup): FloatMes | null {
  const { profile, supporters } = setup;
  if (supporters.some((s) => s.total > SAFE) || profile.costs.some((c) => c > SAFE)) return null;
  const projects = profile.ids.length;
  return {
    setup,
    costs: Float64Array.from(profile.costs, Number),
    ballots: supporters.map((s) => s.ballot),
    sats: supporters.map((s) => {
      const values = s.values.map(Number);
      if (values.length === 1) return new Float64Array(s.ballot.length).fill(values[0]!);
      return Float64Array.from(s.satisfactionKey, (key) => values[key]!);
    }),
    weights: supporters.map((s) => s.voters),
    commonSat: Float64Array.from(supporters, (s) => (s.values.length === 1 ? Number(s.values[0]) : NaN)),
    totals: Float64Array.from(supporters, (s) => Number(s.total)),
    neighbours: [],
    supportBits: null,
    byLeastPrice: null,
    opening: null,
    run: {
      money: new Float64Array(2 * profile.ballots.length),
      lower: new Float64Array(projects),
      lowerError: new Float64Array(projects),
      exactDivisor: new Float64Array(projects),
      dirty: new Uint8Array(projects),
      lastPoor: new Int32Array(projects),
      passes: new Int32Array(projects),
    },
  };
}

function neighbours(f: FloatMes, project: number): Int32Array {
  const found = f.neighbours[project];
  if (found) return found;
  // Ballots support many projects each, and most projects share a supporter with most others:
  // or-ing words per supporter is far cheaper than visiting each (supporter, project) pair.
  const words = (f.costs.length + 31) >>> 5;
  const bits = (f.supportBits ??= supportBits(f, words));
  const union = new Uint32Array(words);
  for (const b of f.ballots[project]!) {
    for (let w = 0, at = b * words; w < words; w++, at++) union[w]! |= bits[at]!;
  }
  const list: number[] = [];
  for (let q = 0; q < f.costs.length; q++) if (union[q >>> 5]! & (1 << (q & 31))) list.push(q);
  return (f.neighbours[project] = Int32Array.from(list));
}

function supportBits(f: FloatMes, words: number): Uint32Array {
  const { supported } = f.setup;
  const bits = new Uint32Array(supported.length * words);
  for (let b = 0; b < supported.length; b++) {
    for (const q of supported[b]!) bits[b * words + (q >>> 5)]! |= 1 << (q & 31);
  }
  return bits;
}

type Priced = 'priced' | 'raised' | 'out' | 'unsure';

/**
 * One Newton pass: the poor at the current lower bound give a higher lower bound (see the file
 * comment). 'priced' when the poor are those of the last pass, so the bound is the price; 'raised'
 * when not yet; 'out' when the supporters together have less than the cost. One pass at a time,
 * since most passes serve only to show that a project is not the cheapest.
 */
function pricePass(f: FloatMes, project: number): Priced {
  const r = f.run;
  if (r.passes[project]!++ > MAX_PASSES) return 'unsure';
  const ballots = f.ballots[project]!;
  const weights = f.weights[project]!;
  const money = r.money;
  const rho = r.lower[project]!;
  const common = f.commonSat[project]!;
  let poorMoney = 0;
  let poorError = 0;
  let richSat = 0;
  let poor = 0;
  // The least money per unit of satisfaction among those who can pay (one satisfaction value only).
  let poorestPayer = -Infinity;
  if (common === common) {
    // One satisfaction value (cost or cardinality): compare money with one share.
    const share = rho * common;
    let leastRich = Infinity;
    let poorVoters = 0;
    let allVoters = 0;
    // Poor or not as a number, not a branch: which side of the share a voter is on is
    // unpredictable, and mispredicted branches cost twice this arithmetic (measured).
    for (let i = 0; i < ballots.length; i++) {
      const b = 2 * ballots[i]!;
      const m = money[b]!;
      const w = weights[i]!;
      const isPoor = +(m < share);
      const wp = w * isPoor;
      poorMoney += wp * m;
      poorError += wp * money[b + 1]!;
      poor += isPoor;
      poorVoters += wp;
      allVoters += w;
      leastRich = Math.min(leastRich, m + 1e300 * isPoor); // the poor do not count
    }
    richSat = (allVoters - poorVoters) * common;
    poorestPayer = leastRich / common;
  } else {
    const sats = f.sats[project]!;
    for (let i = 0; i < ballots.length; i++) {
      const b = 2 * ballots[i]!;
      const m = money[b]!;
      const w = weights[i]!;
      const isPoor = +(m < rho * sats[i]!);
      poorMoney += isPoor * w * m;
      poorError += isPoor * w * money[b + 1]!;
      poor += isPoor;
      richSat += (1 - isPoor) * w * sats[i]!;
    }
  }
  if (richSat === 0) return affordability(f, project);
  const cost = f.costs[project]!;
  const rest = cost - poorMoney;
  const restError = poorError + (ballots.length + 1) * U * (poorMoney + cost);
  if (rest <= restError) return 'unsure';
  r.lower[project] = rest / richSat;
  r.lowerError[project] = restError / richSat + U * r.lower[project]!;
  r.exactDivisor[project] = poorMoney === 0 ? richSat : 0;
  // Nobody poor at a lower bound: nobody poor at the price either. And when everyone who could pay
  // the old bound can pay the new one too, the poor are the same at both: the new one is the price.
  // (Should rounding make that wrong, `pay` finds the price does not hold, and the count is exact.)
  const converged = poor === r.lastPoor[project] || poor === 0 || poorestPayer >= r.lower[project]!;
  r.lastPoor[project] = poor;
  if (!converged) return 'raised';
  r.dirty[project] = 0;
  return 'priced';
}

/** When everyone is poor at a lower bound of the price: out, unless the doubles cannot tell. */
function affordability(f: FloatMes, project: number): Priced {
  const r = f.run;
  const ballots = f.ballots[project]!;
  const weights = f.weights[project]!;
  let all = 0;
  let allError = 0;
  for (let i = 0; i < ballots.length; i++) {
    all += weights[i]! * r.money[2 * ballots[i]!]!;
    allError += weights[i]! * r.money[2 * ballots[i]! + 1]!;
  }
  allError += (ballots.length + 1) * U * all;
  return all + allError < f.costs[project]! ? 'out' : 'unsure';
}

/**
 * Whether `other` certainly loses to `best`: its lower bound is above best's price beyond their
 * error bounds (best's as wide as `pay` proves it), or both are exact fractions and other's is at
 * least as high (ties to the smaller number).
 */
function loses(f: FloatMes, other: number, best: number): boolean {
  const { lower, lowerError, exactDivisor } = f.run;
  if (lower[other]! - lowerError[other]! > lower[best]! + CERTAIN * lowerError[best]!) return true;
  const o = exactDivisor[other]!;
  const b = exactDivisor[best]!;
  if (o === 0 || b === 0) return false;
  const costs = f.setup.profile.costs;
  const left = costs[other]! * BigInt(b);
  const right = costs[best]! * BigInt(o);
  return left > right || (left === right && other > best);
}

/**
 * Every supporter of the project pays rho × satisfaction, or all they have when that is less;
 * returns how many paid all they had.
 * This also proves that rho is the price, whatever led to it: each supporter is shown to be on one
 * side of the line for every rho within CERTAIN × its error bound, and the price those sides give
 * is shown to lie within that range, so it is the price. False when either cannot be shown, or the
 * price is not the exact fraction a tie was settled with (the money is then spoilt, and the run
 * abandoned).
 */
function pay(f: FloatMes, project: number): number | null {
  const r = f.run;
  const ballots = f.ballots[project]!;
  const sats = f.sats[project]!;
  const weights = f.weights[project]!;
  const money = r.money;
  const rho = r.lower[project]!;
  const rhoError = CERTAIN * r.lowerError[project]!;
  let poorMoney = 0;
  let poorError = 0;
  let richSat = 0;
  let poor = 0;
  for (let i = 0; i < ballots.length; i++) {
    const b = 2 * ballots[i]!;
    const m = money[b]!;
    const w = weights[i]!;
    const sat = sats[i]!;
    const share = rho * sat;
    const margin = money[b + 1]! + rhoError * sat + U * (m + share);
    // Flags as numbers, not branches (which side a voter is on is unpredictable): those with
    // nothing left are poor, pay nothing and stay at nothing.
    const isPoor = +(m < Math.max(share - margin, Number.MIN_VALUE));
    const isRich = +(m > share + margin);
    if (isPoor + isRich === 0) return null;
    poorMoney += isPoor * w * m;
    poorError += isPoor * w * money[b + 1]!;
    poor += isPoor * +(m > 0);
    richSat += isRich * w * sat;
    money[b] = isRich * (m - share);
    money[b + 1] = isRich * (margin + U * (m - share));
  }
  const cost = f.costs[project]!;
  const restError = poorError + (ballots.length + 1) * U * (poorMoney + cost);
  const price = (cost - poorMoney) / richSat;
  if (!(Math.abs(price - rho) + restError / richSat + U * price <= rhoError)) return null;
  // A tie was settled with the price as cost / exactDivisor: it must be exactly that.
  const divisor = r.exactDivisor[project]!;
  if (divisor !== 0 && (poorMoney !== 0 || richSat !== divisor)) return null;
  for (const q of neighbours(f, project)) makeDirty(r, q);
  return poor;
}

function makeDirty(r: RunState, project: number): void {
  r.dirty[project] = 1;
  r.lastPoor[project] = -1;
  r.passes[project] = 0;
}

/**
 * The projects still to be decided on, kept in order of lower bound (ties to the smaller number),
 * so that the cheapest is the first and proving it cheapest looks only at the few just behind it.
 */
class Remaining {
  readonly items: Int32Array;
  count: number;
  /** At least every remaining project's lowerError: beyond this distance, a bigger bound is certainly bigger. */
  maxError = 0;
  private readonly run: RunState;
  constructor(run: RunState, projects: number[]) {
    this.run = run;
    this.items = Int32Array.from(projects);
    this.count = projects.length;
    for (const p of projects) this.maxError = Math.max(this.maxError, run.lowerError[p]!);
    this.items.sort((p, q) => (this.before(p, q) ? -1 : 1));
  }
  private before(p: number, q: number): boolean {
    const { lower } = this.run;
    return lower[p]! < lower[q]! || (lower[p] === lower[q] && p < q);
  }
  removeAt(i: number): void {
    this.items.copyWithin(i, i + 1, this.count--);
  }
  /** The project at i has a new lower bound: move it to its place. */
  update(i: number): number {
    const { items } = this;
    const p = items[i]!;
    this.maxError = Math.max(this.maxError, this.run.lowerError[p]!);
    for (; i + 1 < this.count && this.before(items[i + 1]!, p); i++) items[i] = items[i + 1]!;
    for (; i > 0 && this.before(p, items[i - 1]!); i--) items[i] = items[i - 1]!;
    items[i] = p;
    return i;
  }
}

/** The projects bought at the start of the run: an earlier run's opening when one with a smaller share opened the same way. */
function reset(f: FloatMes, share: Rational): number[] {
  const r = f.run;
  const opening = f.opening;
  // The share grows by whole scaled units, so the difference is exact as a double.
  const gain = opening ? sub(share, opening.share) : null;
  let bought: number[] = [];
  if (opening && gain && gain.den === 1n && gain.num >= 0n && gain.num <= SAFE) {
    const more = Number(gain.num);
    for (let b = 0; b < r.money.length; b += 2) {
      const m = opening.money[b]! + more;
      r.money[b] = m;
      r.money[b + 1] = opening.money[b + 1]! + U * m;
    }
    bought = Array.from(byLeastPrice(f).subarray(0, opening.rounds));
  } else {
    const start = toNumber(share);
    for (let b = 0; b < r.money.length; b += 2) {
      r.money[b] = start;
      r.money[b + 1] = 2 * U * start;
    }
  }
  for (const p of f.setup.candidates) {
    r.lower[p] = f.costs[p]! / f.totals[p]!;
    r.lowerError[p] = U * r.lower[p]!;
    r.exactDivisor[p] = f.totals[p]!;
    makeDirty(r, p);
  }
  return bought;
}

/** See `FloatMes.byLeastPrice`: compared exactly, once per count. */
function byLeastPrice(f: FloatMes): Int32Array {
  if (f.byLeastPrice) return f.byLeastPrice;
  const { profile, supporters } = f.setup;
  const order = Int32Array.from(f.setup.candidates);
  order.sort((p, q) => {
    const left = profile.costs[p]! * supporters[q]!.total;
    const right = profile.costs[q]! * supporters[p]!.total;
    return left < right ? -1 : left > right ? 1 : p - q;
  });
  return (f.byLeastPrice = order);
}

/** Keeps the run's money as the opening for later runs when its opening is longer than the one kept. */
function keepOpening(f: FloatMes, share: Rational, rounds: number): void {
  if (f.opening && f.opening.rounds >= rounds) return;
  f.opening = { share, rounds, money: Float64Array.from(f.run.money) };
}

/**
 * The projects MES buys, in order, with every voter starting from `share` (scaled money); null
 * when a decision was too close to call in doubles.
 */
export function floatMes(f: FloatMes, share: Rational): number[] | null {
  const bought = reset(f, share);
  const inOpening = new Set(bought);
  const remaining = new Remaining(f.run, f.setup.candidates.filter((p) => !inOpening.has(p)));
  let opening = true;
  while (remaining.count > 0) {
    const project = remaining.items[0]!;
    if (f.run.dirty[project]) {
      const verdict = pricePass(f, project);
      if (verdict === 'unsure') return null;
      if (verdict === 'out') remaining.removeAt(0);
      else remaining.update(0);
      continue;
    }
    const settled = settle(f, remaining);
    if (settled === 'unsure') return null;
    if (settled === 'again') continue;
    const poor = pay(f, project);
    if (poor === null) return null;
    opening &&= poor === 0 && project === byLeastPrice(f)[bought.length];
    bought.push(project);
    remaining.removeAt(0);
    if (opening) keepOpening(f, share, bought.length);
  }
  return bought;
}

/**
 * Proves that the first, priced project beats every other remaining one, raising the lower bounds
 * of those too close behind it; 'again' when one of them moved ahead.
 */
function settle(f: FloatMes, remaining: Remaining): 'settled' | 'again' | 'unsure' {
  const project = remaining.items[0]!;
  const { lower, lowerError } = f.run;
  for (let i = 1; i < remaining.count; i++) {
    const other = remaining.items[i]!;
    // All behind this one have bounds at least as high and errors at most maxError.
    if (lower[other]! - remaining.maxError > lower[project]! + CERTAIN * lowerError[project]!) break;
    if (loses(f, other, project)) continue;
    if (!f.run.dirty[other]) return 'unsure';
    const verdict = pricePass(f, other);
    if (verdict === 'unsure') return 'unsure';
    if (verdict === 'out') remaining.removeAt(i--);
    else if (remaining.update(i) === 0) return 'again';
    else i--;
  }
  return 'settled';
}
