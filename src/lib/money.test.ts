import { describe, expect, it } from 'vitest';
import { MoneyFormatError, formatPence, parsePounds, penceToPounds } from './money.ts';

describe('parsePounds', () => {
  it.each([
    ['£1,200.50', 120050],
    ['1,200.50', 120050],
    ['1200.50', 120050],
    ['1200.5', 120050],
    ['1200', 120000],
    [' 42 ', 4200],
    ['£ 42', 4200],
    ['  £1,234,567.89  ', 123456789],
    ['0.01', 1],
    ['0.1', 10],
    ['0', 0],
    ['007', 700],
    ['999', 99900],
    ['1,000', 100000],
  ])('reads %j as %i pence', (input, pence) => {
    expect(parsePounds(input)).toBe(pence);
  });

  it.each([
    ['-5', -500],
    ['-1,200.50', -120050],
    ['£-5', -500],
    ['-£5', -500],
    ['-£1,200.50', -120050],
    ['- £5.25', -525],
  ])('reads the negative amount %j as %i pence', (input, pence) => {
    expect(parsePounds(input)).toBe(pence);
  });

  it('gives plain zero, not -0, for a negative zero', () => {
    expect(Object.is(parsePounds('-0'), 0)).toBe(true);
    expect(Object.is(parsePounds('-£0.00'), 0)).toBe(true);
  });

  it('does not use floating point: 0.29 and 1.15 are exact', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(parsePounds('0.29')).toBe(29);
    expect(parsePounds('1.15')).toBe(115);
    expect(parsePounds('4.35')).toBe(435);
  });

  it.each([
    [''],
    ['   '],
    ['£'],
    ['-'],
    ['1.234'],
    ['1.999'],
    ['1.'],
    ['.5'],
    ['1,23'],
    ['1,2345'],
    ['1234,567'],
    [',123'],
    ['1,,234'],
    ['12,34.00'],
    ['1 234'],
    ['1e5'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['--5'],
    ['-£-5'],
    ['+5'],
    ['£5£'],
    ['$5'],
    ['5p'],
    ['five'],
    ['１２'],
    ['1.2.3'],
  ])('rejects %j', (input) => {
    expect(() => parsePounds(input)).toThrow(MoneyFormatError);
  });

  it('names the rejected input in the message', () => {
    expect(() => parsePounds('12.345')).toThrow('"12.345" is not an amount in pounds');
  });

  it('accepts the largest amount that is a safe integer of pence', () => {
    expect(parsePounds('90,071,992,547,409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsePounds('-90071992547409.91')).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it.each([['90071992547409.92'], ['90,071,992,547,410'], ['1' + '0'.repeat(20)], ['9'.repeat(400)]])(
    'rejects %j as too large rather than rounding it',
    (input) => {
      expect(() => parsePounds(input)).toThrow(/too large/);
    },
  );
});

describe('formatPence', () => {
  it.each([
    [120050, '£1,200.50'],
    [0, '£0.00'],
    [5, '£0.05'],
    [50, '£0.50'],
    [100, '£1.00'],
    [99999, '£999.99'],
    [123456789, '£1,234,567.89'],
    [-120050, '-£1,200.50'],
    [-5, '-£0.05'],
    [Number.MAX_SAFE_INTEGER, '£90,071,992,547,409.91'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it('leaves out zero pence only when asked for whole pounds', () => {
    expect(formatPence(100000, { wholePounds: true })).toBe('£1,000');
    expect(formatPence(-100000, { wholePounds: true })).toBe('-£1,000');
    expect(formatPence(100050, { wholePounds: true })).toBe('£1,000.50');
    expect(formatPence(100000)).toBe('£1,000.00');
  });

  it('round-trips with parsePounds', () => {
    for (const pence of [0, 1, 99, 100, 101, 120050, -120050, 250_000_00, Number.MAX_SAFE_INTEGER]) {
      expect(parsePounds(formatPence(pence))).toBe(pence);
    }
  });
});

describe('penceToPounds', () => {
  it.each([
    [120050, 1200.5],
    [1, 0.01],
    [29, 0.29],
    [0, 0],
    [-250, -2.5],
  ])('%i pence is %d pounds', (pence, pounds) => {
    expect(penceToPounds(pence)).toBe(pounds);
  });
});
