/**
 * Exact rational numbers on bigint, for counting rules whose outcome must not depend on rounding.
 * A Rational is always in lowest terms with a positive denominator, so equal values are equal
 * field by field and `toString` is canonical.
 */

export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export const ZERO: Rational = { num: 0n, den: 1n };

const abs = (n: bigint) => (n < 0n ? -n : n);

const SAFE_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  // Each bigint step allocates; once both fit a double exactly, % on doubles is exact and far cheaper.
  while (b !== 0n && (a > SAFE_INTEGER || b > SAFE_INTEGER)) [a, b] = [b, a % b];
  if (b === 0n) return a;
  let x = Number(a);
  let y = Number(b);
  while (y !== 0) [x, y] = [y, x % y];
  return BigInt(x);
}

/** num/den reduced; den must not be zero. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('Division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 1n) return { num, den };
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

export const fromInt = (n: bigint | number): Rational => ({ num: BigInt(n), den: 1n });

export function add(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num - b.num, a.den);
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num * b.num, den: 1n };
  return rational(a.num * b.num, a.den * b.den);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError('Division by zero');
  return rational(a.num * b.den, a.den * b.num);
}

/** Multiply by a whole number, the common case (a count of voters, a number of points). */
export function mulInt(a: Rational, k: bigint): Rational {
  return a.den === 1n ? { num: a.num * k, den: 1n } : rational(a.num * k, a.den);
}

/** -1, 0 or 1 as a <, =, > b. */
export function compare(a: Rational, b: Rational): number {
  const l = a.den === b.den ? a.num : a.num * b.den;
  const r = a.den === b.den ? b.num : b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const equals = (a: Rational, b: Rational) => a.num === b.num && a.den === b.den;

/**
 * A decimal number as written in Pabulib files: "1200", "2917710.16", "-3", "4000.0", or with a
 * decimal comma ("12,5"). Null for anything else (no exponents, no thousands separators).
 */
export function parseDecimal(text: string): Rational | null {
  const match = /^([+-])?(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const num = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return rational(num, 10n ** BigInt(fraction.length));
}

/**
 * The shortest exact decimal ("2917710.16", "1500") when the denominator has only factors 2 and 5,
 * otherwise "num/den". `parseDecimal` reads back every decimal form this writes.
 */
export function toDecimalString(a: Rational): string {
  let rest = a.den;
  let twos = 0;
  let fives = 0;
  for (; rest % 2n === 0n; rest /= 2n) twos++;
  for (; rest % 5n === 0n; rest /= 5n) fives++;
  if (rest !== 1n) return `${a.num}/${a.den}`;
  const digits = Math.max(twos, fives);
  const scaled = (abs(a.num) * 10n ** BigInt(digits)) / a.den;
  const text = scaled.toString().padStart(digits + 1, '0');
  const sign = a.num < 0n ? '-' : '';
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The nearest double, also for numerators and denominators beyond the double range. */
export function toNumber(a: Rational): number {
  const n = abs(a.num);
  if (n < DOUBLE_SAFE && a.den < DOUBLE_SAFE) return Number(a.num) / Number(a.den);
  // Drop the same number of low bits from both so that each fits a double.
  const shift = BigInt(Math.max(n.toString(16).length, a.den.toString(16).length) * 4 - 1000);
  const value = Number(n >> shift) / Number(a.den >> shift);
  return a.num < 0n ? -value : value;
}

const DOUBLE_SAFE = 1n << 1000n;
