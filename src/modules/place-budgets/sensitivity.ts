/**
 * How sure is the answer? Two Green Book tools. A switching value is "the value an input would
 * need to change to for the option to no longer be viable": here, for each input, the value at
 * which the net present value is zero. A Monte Carlo run draws every uncertain input from a range
 * at once, many times over, and gives the spread of NPVs that results.
 */
import { FieldChecker } from '../../lib/errors.ts';
import type { Pence } from '../../lib/money.ts';
import { FLOAT } from './arithmetic.ts';
import { ADJUSTMENTS, netPresentValue, type Benefit, type Case, type FirstYear, type UnitsByYear } from './appraisal.ts';

// ---------------------------------------------------------------------------------------------
// The inputs of a case

/** An input sensitivity can move, named by its JSON path, with the values it may take. */
export interface Input {
  path: string;
  value: number;
  min: number;
  max: number;
  /** NPV is a straight line in this input (all but drop-off), so its switching value has a closed form. */
  linear: boolean;
  set(c: Case, value: number): Case;
}

const withBenefit = (c: Case, i: number, change: (b: Benefit) => Benefit): Case => ({ ...c, benefits: c.benefits.map((b, j) => (j === i ? change(b) : b)) });

/**
 * Every number in a case that is a quantity rather than a year: the cost optimism bias, each cost,
 * and each benefit's unit value, adjustments and units. Years, start years and durations are
 * whole numbers that move the case in steps, so they have no switching value.
 */
export function caseInputs(c: Case): Input[] {
  const costs = c.costs.map((cost, i): Input => ({
    path: `costs[${i}].amount`,
    value: cost.amount,
    min: 0,
    max: Infinity,
    linear: true,
    set: (k, v) => ({ ...k, costs: k.costs.map((x, j) => (j === i ? { ...x, amount: v } : x)) }),
  }));
  return [
    { path: 'costOptimismBias', value: c.costOptimismBias, min: 0, max: Infinity, linear: true, set: (k, v) => ({ ...k, costOptimismBias: v }) },
    ...costs,
    ...c.benefits.flatMap((b, i) => benefitInputs(b, i)),
  ];
}

function benefitInputs(b: Benefit, i: number): Input[] {
  const at = `benefits[${i}]`;
  const field = <K extends 'unitValue' | (typeof ADJUSTMENTS)[number]>(key: K, max: number): Input => ({
    path: `${at}.${key}`,
    value: b[key],
    min: 0,
    max,
    linear: true,
    set: (c, v) => withBenefit(c, i, (x) => ({ ...x, [key]: v })),
  });
  // Each setter changes the profile it is given, so that ranges on two years of one benefit both hold.
  const profile: Input[] =
    'units' in b.profile
      ? b.profile.units.map((u, t) => ({
          path: `${at}.units[${t}]`,
          value: u,
          min: 0,
          max: Infinity,
          linear: true,
          set: (c, v) => withBenefit(c, i, (x) => ({ ...x, profile: { units: (x.profile as UnitsByYear).units.map((w, s) => (s === t ? v : w)) } })),
        }))
      : [
          firstYearInput(b.profile, i, 'firstYearUnits', Infinity, true),
          firstYearInput(b.profile, i, 'dropOff', 1, false),
        ];
  return [field('unitValue', Infinity), ...ADJUSTMENTS.map((key) => field(key, 1)), ...profile];
}

function firstYearInput(p: FirstYear, i: number, key: 'firstYearUnits' | 'dropOff', max: number, linear: boolean): Input {
  return {
    path: `benefits[${i}].${key}`,
    value: p[key],
    min: 0,
    max,
    linear,
    set: (c, v) => withBenefit(c, i, (x) => ({ ...x, profile: { ...(x.profile as FirstYear), [key]: v } })),
  };
}

// ---------------------------------------------------------------------------------------------
// Switching values

export interface SwitchingValue {
  input: string;
  value: number;
  /** The value at which NPV is zero, or null if no value the input may take gets it there. */
  switchingValue: number | null;
}

export function switchingValues(c: Case): SwitchingValue[] {
  return caseInputs(c).map((input) => ({ input: input.path, value: input.value, switchingValue: input.linear ? straightLineRoot(c, input) : bisect(c, input) }));
}

/**
 * NPV(x) = NPV(0) + slope × x, so NPV is zero at x = −NPV(0) / slope. Floating point, as in the
 * Monte Carlo: two runs per input must stay quick even for a case with years of units listed.
 */
function straightLineRoot(c: Case, input: Input): number | null {
  const npvAt = (x: number) => netPresentValue(input.set(c, x), FLOAT);
  const atZero = npvAt(0);
  const slope = npvAt(1) - atZero;
  if (slope === 0) return null;
  const root = -atZero / slope;
  return root >= input.min && root <= input.max ? root : null;
}

/** Drop-off bends NPV into a curve; it only ever lowers it, so halving the interval finds the root. */
function bisect(c: Case, input: Input): number | null {
  const npvAt = (x: number) => netPresentValue(input.set(c, x), FLOAT);
  let [lo, hi] = [input.min, input.max];
  const below = Math.sign(npvAt(lo));
  if (below === 0) return lo;
  if (Math.sign(npvAt(hi)) === below) return null;
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    if (Math.sign(npvAt(mid)) === below) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// A seeded random number generator

/**
 * xoshiro128** 1.0 (David Blackman and Sebastiano Vigna, public domain), 32-bit outputs, its
 * 128-bit state filled from the seed by SplitMix64 as the authors recommend. The same seed gives
 * the same run on any machine, so a Monte Carlo result in a committee paper can be reproduced.
 */
export function xoshiro128starstar(seed: number): () => number {
  const words = splitMix64Words(seed);
  let [s0, s1, s2, s3] = [words[0]!, words[1]!, words[2]!, words[3]!];
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

const MASK64 = (1n << 64n) - 1n;

/** Two SplitMix64 outputs, split into four 32-bit words, low half first. */
function splitMix64Words(seed: number): number[] {
  let x = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let k = 0; k < 2; k++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    z ^= z >> 31n;
    words.push(Number(z & 0xffffffffn), Number(z >> 32n));
  }
  return words;
}

/** Uniform on [0, 1). */
export function randomUnit(seed: number): () => number {
  const next = xoshiro128starstar(seed);
  return () => next() / 2 ** 32;
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo

export type Range =
  | { input: string; distribution: 'uniform'; min: number; max: number }
  | { input: string; distribution: 'triangular'; min: number; mode: number; max: number };

export interface MonteCarloOptions {
  /** Drawn independently of one another. */
  ranges: Range[];
  runs: number;
  seed: number;
  /** Histogram bins; 20 unless given. */
  bins?: number;
}

export const PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

export interface HistogramBin {
  from: Pence;
  to: Pence;
  count: number;
}

export interface MonteCarloResult {
  runs: number;
  seed: number;
  meanNpv: Pence;
  /** The share of runs with NPV below zero. */
  probabilityNegative: number;
  /** NPV at each percentile, keyed "p5", "p10", …, "p95". */
  percentiles: Record<`p${(typeof PERCENTILES)[number]}`, Pence>;
  /** Equal-width bins from the lowest NPV to the highest; the last includes its upper edge. */
  histogram: HistogramBin[];
}

/** Inverse of the cumulative distribution, so one uniform draw gives one value. */
function sample(range: Range, u: number): number {
  const { min, max } = range;
  if (range.distribution === 'uniform') return min + u * (max - min);
  const { mode } = range;
  const cut = max === min ? 0 : (mode - min) / (max - min);
  return u < cut ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

export function monteCarlo(c: Case, options: MonteCarloOptions): MonteCarloResult {
  const inputs = checkOptions(c, options);
  const random = randomUnit(options.seed);
  const npvs = new Float64Array(options.runs);
  for (let run = 0; run < options.runs; run++) {
    const trial = options.ranges.reduce((k, range, i) => inputs[i]!.set(k, sample(range, random())), c);
    npvs[run] = netPresentValue(trial, FLOAT);
  }
  npvs.sort();
  const pence = (pounds: number): Pence => Math.round(pounds * 100);
  return {
    runs: options.runs,
    seed: options.seed,
    meanNpv: pence(npvs.reduce((sum, v) => sum + v, 0) / npvs.length),
    probabilityNegative: npvs.filter((v) => v < 0).length / npvs.length,
    percentiles: Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, pence(percentile(npvs, p))])) as MonteCarloResult['percentiles'],
    histogram: histogram(npvs, options.bins ?? 20).map((b) => ({ from: pence(b.from), to: pence(b.to), count: b.count })),
  };
}

/** Linear between the closest ranks of sorted values (the "type 7" rule of R and NumPy). */
export function percentile(sorted: Float64Array, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const next = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return sorted[lo]! + (h - lo) * (next - sorted[lo]!);
}

export function histogram(sorted: Float64Array, bins: number): { from: number; to: number; count: number }[] {
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  // Every run the same: one bin holds them all.
  if (hi === lo) return [{ from: lo, to: hi, count: sorted.length }];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  return counts.map((count, k) => ({ from: lo + k * width, to: k === bins - 1 ? hi : lo + (k + 1) * width, count }));
}

/** The input each range moves, in order; every problem is refused at once, by field. */
function checkOptions(c: Case, options: MonteCarloOptions): Input[] {
  const check = new FieldChecker();
  check.check(Number.isInteger(options.runs) && options.runs >= 1 && options.runs <= 1_000_000, 'runs', 'Runs must be a whole number from 1 to 1,000,000');
  check.check(Number.isSafeInteger(options.seed) && options.seed >= 0, 'seed', 'The seed must be a whole number, 0 or more');
  check.check(options.bins === undefined || (Number.isInteger(options.bins) && options.bins >= 1 && options.bins <= 1000), 'bins', 'Bins must be a whole number from 1 to 1,000');
  const byPath = new Map(caseInputs(c).map((input) => [input.path, input]));
  const inputs = options.ranges.map((range, i) => checkRange(check, byPath, range, `ranges[${i}]`));
  check.throwIfAny();
  return inputs as Input[];
}

function checkRange(check: FieldChecker, byPath: Map<string, Input>, range: Range, at: string): Input | undefined {
  const input = byPath.get(range.input);
  if (!input) return void check.add(`${at}.input`, `${JSON.stringify(range.input)} is not an input of this case (like "benefits[0].deadweight" or "costs[1].amount")`);
  if (range.distribution !== 'uniform' && range.distribution !== 'triangular') {
    return void check.add(`${at}.distribution`, 'The distribution must be "uniform" or "triangular"');
  }
  const limits = `${input.min} to ${input.max === Infinity ? 'any amount' : input.max}`;
  const allowed = (v: unknown) => typeof v === 'number' && v >= input.min && v <= input.max;
  check.check(allowed(range.min), `${at}.min`, `The lowest value of ${input.path} must be a number from ${limits}`);
  check.check(allowed(range.max) && range.max >= range.min, `${at}.max`, `The highest value of ${input.path} must be a number from ${limits}, not below the lowest`);
  if (range.distribution === 'triangular') {
    check.check(allowed(range.mode) && range.mode >= range.min && range.mode <= range.max, `${at}.mode`, `The most likely value of ${input.path} must be between the lowest and the highest`);
  }
  return input;
}
