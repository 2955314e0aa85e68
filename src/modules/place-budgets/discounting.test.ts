import { describe, expect, it } from 'vitest';
import { EXACT, FLOAT } from './arithmetic.ts';
import { CURRENT_VERSION, discountFactors, rateBands, RATE_TABLES } from './discounting.ts';
import { toDecimalString } from '../../lib/rational.ts';

const standard = rateBands({ version: 'green-book-2026', schedule: 'standard' })!;
const health = rateBands({ version: 'green-book-2026', schedule: 'health' })!;

describe('Green Book discount factors', () => {
  it('does not discount year 0 and discounts years 1–30 at 3.5%', () => {
    const df = discountFactors(standard, 31, EXACT);
    // DF(0) = 1; DF(1) = 1/1.035 = 200/207; DF(2) = (200/207)² = 40000/42849.
    expect(toDecimalString(df[0]!)).toBe('1');
    expect(toDecimalString(df[1]!)).toBe('200/207');
    expect(toDecimalString(df[2]!)).toBe('40000/42849');
    // DF(30) = 1.035^−30 = 1 / 2.806794… = 0.356278…
    expect(EXACT.toNumber(df[30]!)).toBeCloseTo(0.3562784106, 10);
  });

  it('chains into the 3.0% band from year 31: the factor for year 40 is 1.035^−30 × 1.03^−10', () => {
    const df = discountFactors(standard, 41, FLOAT);
    // DF(31) = DF(30) / 1.03 = 0.356278… / 1.03 = 0.345901…
    expect(df[31]).toBeCloseTo(0.3562784106 / 1.03, 10);
    // DF(40) = 0.356278 × 1.03^−10 = 0.356278 × 0.744094 = 0.265105 (a flat 3.5% would give 0.252572).
    expect(df[40]).toBeCloseTo(0.2651045973, 10);
    expect(df[40]).toBeCloseTo(1.035 ** -30 * 1.03 ** -10, 12);
  });

  it('steps down at 76, 126, 201 and 301 years', () => {
    const df = discountFactors(standard, 302, FLOAT);
    // Each step divides by (1 + the rate of the band the year falls in).
    expect(df[76]! / df[75]!).toBeCloseTo(1 / 1.025, 14);
    expect(df[126]! / df[125]!).toBeCloseTo(1 / 1.02, 14);
    expect(df[201]! / df[200]!).toBeCloseTo(1 / 1.015, 14);
    expect(df[301]! / df[300]!).toBeCloseTo(1 / 1.01, 14);
  });

  it('offers the health rate of 1.5%, falling to 1.29% from year 31', () => {
    const df = discountFactors(health, 32, EXACT);
    // DF(1) = 1/1.015 = 200/203.
    expect(toDecimalString(df[1]!)).toBe('200/203');
    expect(EXACT.toNumber(df[31]!)).toBeCloseTo(1.015 ** -30 / 1.0129, 12);
  });

  it('keeps every rate table with its source and dates, one of them in force', () => {
    expect(CURRENT_VERSION).toBe('green-book-2026');
    for (const table of RATE_TABLES) {
      expect(table.source).not.toBe('');
      expect(table.effectiveFrom).toMatch(/^\d{4}-\d{2}$/);
    }
    expect(rateBands({ version: 'green-book-2003', schedule: 'standard' })).toEqual(standard);
    expect(rateBands({ version: 'green-book-2003', schedule: 'health' })).toBeNull();
  });
});
