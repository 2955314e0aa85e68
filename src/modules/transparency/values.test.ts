import { describe, expect, it } from 'vitest';
import { cleanCell, isRedaction, parseAmount, parseDate, amountPenceOfBytes } from './values.ts';

const pence = (raw: string) => {
  const r = parseAmount(raw);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const refusal = (r: { ok: boolean; reason?: string }) => (r.ok ? null : r.reason);

describe('parseAmount', () => {
  it.each([
    ['1534.24', 153424],
    ['638', 63800],
    ['"1,496.00"'.slice(1, -1), 149600],
    [' 504.00 ', 50400],
    [' 17,957.60 ', 1795760],
    [' 35,805,879.42 ', 3580587942],
    ['£75.00', 7500],
    ['£6,434.48', 643448],
    ['88.3', 8830],
    ['.5', 50],
  ])('reads %j as %i pence', (raw, expected) => {
    expect(pence(raw)).toBe(expected);
  });

  it.each([
    ['-1,384.00', -138400],
    ['-0.46', -46],
    ['-£33.32', -3332],
    ['£-5', -500],
    ['106,396.00-', -10639600],
    ['60.06-', -6006],
    ['-1,516.43 ', -151643],
    ['(12.50)', -1250],
  ])('reads the credit %j as %i pence', (raw, expected) => {
    expect(pence(raw)).toBe(expected);
  });

  it('gives 0, not -0, for a negative zero', () => {
    expect(Object.is(pence('-0.00'), 0)).toBe(true);
  });

  it('rounds spreadsheet float artefacts to the penny they stand for', () => {
    expect(pence('963.2199999999999')).toBe(96322);
    expect(pence('7956.420000000001')).toBe(795642);
    expect(pence('0.0099999999')).toBe(1);
  });

  it('refuses a third decimal place that is not a float artefact', () => {
    expect(refusal(parseAmount('963.225'))).toBe('“963.225” has more than 2 decimal places');
    expect(refusal(parseAmount('1.001'))).toBe('“1.001” has more than 2 decimal places');
  });

  it.each([
    ['', 'no amount'],
    ['Amount Paid', '“Amount Paid” is not an amount of money'],
    ['1,23.00', '“1,23.00” is not an amount of money'],
    ['12..5', '“12..5” is not an amount of money'],
    ['-5.00-', '“-5.00-” is marked as a credit twice over'],
    ['(5.00-)', '“(5.00-)” is marked as a credit twice over'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(refusal(parseAmount(raw))).toBe(reason);
  });
});

describe('parseDate', () => {
  const date = (raw: string) => {
    const r = parseDate(raw);
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  };

  it.each([
    ['25/06/2012', '2012-06-25'],
    ['4/3/2025', '2025-03-04'],
    ['06/01/26', '2026-01-06'],
    ['11-Aug-22', '2022-08-11'],
    ['01-JUN-2012', '2012-06-01'],
    ['3 Apr 2023', '2023-04-03'],
    ['27 June 2023', '2023-06-27'],
    ['1 Sept 2023', '2023-09-01'],
    ['2017-10-02 00:00:00', '2017-10-02'],
    ['2017-10-02', '2017-10-02'],
    ['29/02/2024', '2024-02-29'],
  ])('reads %j as %s', (raw, expected) => {
    expect(date(raw)).toBe(expected);
  });

  it('takes a bare time (Oxford 2014 lost its dates) and an empty cell as no date, not an error', () => {
    expect(parseDate('00:00:00')).toEqual({ ok: true, value: null });
    expect(parseDate('  ')).toEqual({ ok: true, value: null });
  });

  it.each([
    ['31/02/2024', '“31/02/2024” is not a real date: February 2024 has 29 days'],
    ['29/02/2023', '“29/02/2023” is not a real date: February 2023 has 28 days'],
    ['12/13/2024', '“12/13/2024” is not a real date: there is no month 13'],
    ['3 Apl 2023', '“3 Apl 2023” does not name a month'],
    ['01/01/1899', '“01/01/1899” has the year 1899, which cannot be right for council spending'],
    ['June 2023', '“June 2023” is not a date in a form we recognise (such as 31/03/2024)'],
  ])('refuses %j with the reason', (raw, reason) => {
    expect(refusal(parseDate(raw))).toBe(reason);
  });
});

describe('cleanCell and isRedaction', () => {
  it('trims, collapses runs of spaces and line breaks, and reads Lambeth’s “†” as a space', () => {
    expect(cleanCell('  Setup of  Jelly Beans ')).toBe('Setup of Jelly Beans');
    expect(cleanCell('GAS -† GENERAL')).toBe('GAS - GENERAL');
    expect(cleanCell('10 X Labels \nDESIGN1')).toBe('10 X Labels DESIGN1');
    expect(cleanCell('†††††† ')).toBe('');
    expect(cleanCell('Plain')).toBe('Plain');
  });

  it('knows the redaction wordings councils use, and not names that merely look like them', () => {
    for (const text of ['REDACTED UNDER DP ACT', 'Redacted', 'REDACTED', 'Redacted personal information', 'Withheld', 'Private Individual']) {
      expect(isRedaction(text), text).toBe(true);
    }
    for (const text of ['Redactive Publishing Ltd', 'Individual Support Solutions Ltd', 'PEE WEES PERSONAL HOMECARE LTD']) {
      expect(isRedaction(text), text).toBe(false);
    }
  });
});

describe('amountPenceOfBytes', () => {
  const ofBytes = (raw: string) => {
    const bytes = Buffer.from(`,${raw},`);
    return amountPenceOfBytes(bytes, 1, bytes.length - 1);
  };

  it('reads the common forms from bytes, to the pence parseAmount gives', () => {
    const forms = ['0.00', '1234.56', '9999999999999.99', '0000000000123.45', '638', '88.3', '.5', '1,496.00', '35,805,879.42', '£75.00', '£6,434.48', '-1,384.00', '-0.46', '-£33.32', '£-5', '106,396.00-', '(12.50)', '(1,250.00)', '963.2200000000001', '963.2199999999999', '5.9999999', '12.3400', '-0.00'];
    for (const raw of forms) expect(ofBytes(raw), raw).toBe(pence(raw));
    expect(Object.is(ofBytes('-0.00'), 0)).toBe(true);
  });

  it('leaves every other text to parseAmount: null where parseAmount refuses, or where it would need more than bytes', () => {
    for (const raw of ['', '-', '£', '()', '(', '1,23.00', '1234,567.00', '12,345,67', ',123', '123,', '5.', '1.2.3', '--5', '(5)-', '-£-5', '12.345', '1.00009', '£ 5', ' 5', '5 ', 'N/A', '1e5', '12345678901234.00', '12.3a']) {
      expect(ofBytes(raw), raw).toBeNull();
    }
  });

  it('never reads an amount differently from parseAmount, on 20,000 random texts', () => {
    const alphabet = ['0', '1', '5', '9', '9', '0', ',', '.', '-', '(', ')', '£', ' ', 'a'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      let raw = '';
      const length = 1 + (next() % 12);
      for (let k = 0; k < length; k++) raw += alphabet[next() % alphabet.length];
      const fromBytes = ofBytes(raw);
      if (fromBytes === null) continue;
      read++;
      const reading = parseAmount(raw);
      expect(reading.ok && reading.value, raw).toBe(fromBytes);
    }
    // Enough of the random texts were amounts for the comparison to mean something.
    expect(read).toBeGreaterThan(500);
  });
});
