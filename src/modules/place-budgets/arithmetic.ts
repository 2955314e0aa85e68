/**
 * One appraisal, two kinds of number. The figures a business case reports are worked in exact
 * fractions (bigint rationals), so that a hand-worked example agrees to the penny, a payback year
 * that breaks even exactly is found, and every figure is rounded once, at the end. Sensitivity runs
 * the same calculation thousands of times, where floating point is fast and plenty.
 */
import * as Q from '../../lib/rational.ts';
import type { Rational } from '../../lib/rational.ts';
import type { Pence } from '../../lib/money.ts';

export interface Arithmetic<T> {
  /** A number from a case or a rate table, taken as the decimal it was written as. */
  of(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  /** -1, 0 or 1. */
  sign(a: T): number;
  toNumber(a: T): number;
}

export const FLOAT: Arithmetic<number> = {
  of: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sign: (a) => Math.sign(a),
  toNumber: (a) => a,
};

export const EXACT: Arithmetic<Rational> = {
  of: decimalOf,
  add: Q.add,
  sub: Q.sub,
  mul: Q.mul,
  div: Q.div,
  sign: (a) => Q.compare(a, Q.ZERO),
  toNumber: Q.toNumber,
};

/**
 * The decimal a JSON number was written as: 0.1 is 1/10, not the binary fraction nearest it.
 * JavaScript prints the shortest decimal that reads back as the same double, which for any number
 * written with up to 15 significant digits is the number as written.
 */
export function decimalOf(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`Cannot read ${x} as a decimal`);
  const [, minus, whole = '0', fraction = '', exponent = '0'] = match;
  const scale = Number(exponent) - fraction.length;
  const digits = BigInt(minus + whole + fraction);
  return scale >= 0 ? Q.fromInt(digits * 10n ** BigInt(scale)) : Q.rational(digits, 10n ** BigInt(-scale));
}

/** Hundredths, rounded half away from zero: pounds to pence, or a ratio to two places. */
export function hundredths(a: Rational): number {
  const doubled = (a.num < 0n ? -a.num : a.num) * 200n;
  const rounded = (doubled + a.den) / (2n * a.den);
  return Number(a.num < 0n ? -rounded : rounded);
}

/** An exact amount in pounds, to the nearest penny. */
export const toPence = (pounds: Rational): Pence => hundredths(pounds);
