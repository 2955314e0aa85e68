import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { decodeBytes } from './decode.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

const refusal = (input: Uint8Array) => {
  try {
    decodeBytes(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields.file;
    throw err;
  }
  return null;
};

describe('decodeBytes', () => {
  it('strips a UTF-8 byte-order mark and says it was there', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], 'Body,Amount £'))).toEqual({ text: 'Body,Amount £', encoding: 'utf-8', byteOrderMark: true });
    expect(decodeBytes(bytes('Body,Amount £'))).toEqual({ text: 'Body,Amount £', encoding: 'utf-8', byteOrderMark: false });
  });

  it('reads invalid UTF-8 as Windows-1252: 0xA3 is £ and 0x80 is €', () => {
    expect(decodeBytes(bytes('Net Amount(', [0xa3], '),', [0x80], '5'))).toEqual({ text: 'Net Amount(£),€5', encoding: 'windows-1252', byteOrderMark: false });
  });

  it('refuses workbooks, PDFs, UTF-16 and other binary files with what to do instead', () => {
    expect(refusal(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatch(/Excel workbook \(\.xlsx\).*CSV UTF-8/);
    expect(refusal(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1]))).toMatch(/old Excel workbook/);
    expect(refusal(bytes('%PDF-1.7\n'))).toMatch(/a PDF/);
    expect(refusal(bytes([0xff, 0xfe, 0x41, 0x00]))).toMatch(/UTF-16/);
    expect(refusal(bytes([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]))).toMatch(/NUL bytes/);
    expect(refusal(bytes('a,b', [0x01, 0x02, 0x03, 0x04]))).toMatch(/control characters/);
    expect(refusal(new Uint8Array())).toBe('The file is empty');
  });
});
