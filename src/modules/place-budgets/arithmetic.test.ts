import { describe, expect, it } from 'vitest';
import { toDecimalString } from '../../lib/rational.ts';
import { decimalOf, hundredths } from './arithmetic.ts';

describe('decimalOf', () => {
  it('takes a JSON number as the decimal it was written as', () => {
    expect(toDecimalString(decimalOf(0.1))).toBe('0.1');
    expect(toDecimalString(decimalOf(9234))).toBe('9234');
    expect(toDecimalString(decimalOf(-2.05))).toBe('-2.05');
    expect(toDecimalString(decimalOf(1e-7))).toBe('0.0000001');
    expect(toDecimalString(decimalOf(1.5e21))).toBe('1500000000000000000000');
  });
});

describe('hundredths', () => {
  it('rounds half away from zero, and nothing else up', () => {
    expect(hundredths(decimalOf(1.005))).toBe(101);
    expect(hundredths(decimalOf(-1.005))).toBe(-101);
    expect(hundredths(decimalOf(1.00499))).toBe(100);
    expect(hundredths(decimalOf(-0.004))).toBe(0);
  });
});
