import { describe, expect, it } from 'vitest';
import { add, compare, div, fromInt, gcd, mul, parseDecimal, rational, sub, toDecimalString, toNumber } from './rational.ts';

describe('Rational', () => {
  it('keeps fractions in lowest terms with a positive denominator', () => {
    expect(rational(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  it('finds the greatest common divisor on both sides of the double range, and across it', () => {
    // Reference: Euclid on bigints throughout.
    const slow = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : slow(b, a % b));
    const big = 2n ** 61n - 1n; // a prime beyond 2^53
    const pairs: [bigint, bigint][] = [
      [12n, 18n], [-12n, 18n], [0n, 7n], [7n, 0n], [0n, 0n], [1n, 1n],
      [2n ** 53n - 1n, 2n ** 52n - 1n], [2n ** 53n + 2n, 6n], [big * 6n, big * 4n], [big * big, big * 3n], [3n ** 40n, 3n ** 35n * 2n],
    ];
    for (const [a, b] of pairs) expect(gcd(a, b), `${a}, ${b}`).toBe(slow(a, b));
    expect(gcd(big * 6n, big * 4n)).toBe(big * 2n);
  });

  it('adds, subtracts, multiplies and divides exactly: 1/10 + 2/10 is 3/10', () => {
    const tenth = rational(1n, 10n);
    expect(add(tenth, rational(2n, 10n))).toEqual(rational(3n, 10n));
    expect(sub(rational(1n, 3n), rational(1n, 6n))).toEqual(rational(1n, 6n));
    expect(mul(rational(2n, 3n), rational(9n, 4n))).toEqual(rational(3n, 2n));
    expect(div(rational(2n, 3n), rational(4n, 9n))).toEqual(rational(3n, 2n));
    expect(() => div(fromInt(1), fromInt(0))).toThrow(RangeError);
  });

  it('compares without rounding, even where doubles cannot tell the values apart', () => {
    const big = 10n ** 30n;
    expect(compare(rational(big + 1n, big), rational(big, big - 1n))).toBe(-1);
    expect(compare(rational(2n, 4n), rational(1n, 2n))).toBe(0);
    expect(compare(fromInt(-1), fromInt(0))).toBe(-1);
  });

  it.each([
    ['1200', 1200n, 1n],
    ['2917710.16', 72942754n, 25n],
    ['4000.0', 4000n, 1n],
    ['12,5', 25n, 2n],
    [' -3 ', -3n, 1n],
  ])('reads the decimal %j', (text, num, den) => {
    expect(parseDecimal(text)).toEqual({ num, den });
  });

  it.each(['', 'abc', '1e5', '1 000', '1.2.3', '0x10', '.5'])('refuses %j as a decimal', (text) => {
    expect(parseDecimal(text)).toBeNull();
  });

  it('writes the shortest exact decimal, and a fraction when there is none', () => {
    expect(toDecimalString(rational(291771016n, 100n))).toBe('2917710.16');
    expect(toDecimalString(rational(1n, 8n))).toBe('0.125');
    expect(toDecimalString(rational(-1n, 20n))).toBe('-0.05');
    expect(toDecimalString(fromInt(1500))).toBe('1500');
    expect(toDecimalString(rational(1n, 3n))).toBe('1/3');
    for (const text of ['0.125', '-0.05', '2917710.16', '7']) expect(toDecimalString(parseDecimal(text)!)).toBe(text);
  });

  it('converts to the nearest double, also beyond the double range in numerator and denominator', () => {
    expect(toNumber(rational(1n, 3n))).toBeCloseTo(1 / 3, 15);
    const huge = 3n ** 2000n;
    expect(toNumber({ num: huge, den: huge * 2n })).toBeCloseTo(0.5, 12);
  });
});
