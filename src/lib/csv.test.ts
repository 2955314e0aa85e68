import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from './csv.ts';

describe('csvCell', () => {
  it('quotes what must be quoted and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+44 20 7926 1000')).toBe("'+44 20 7926 1000");
    expect(csvCell(null)).toBe('');
  });

  it('leaves plain numbers alone, a credit’s minus sign included', () => {
    expect(csvCell('-1234.56')).toBe('-1234.56');
    expect(csvCell(-5)).toBe('-5');
  });
});

describe('csvText', () => {
  it('joins cells with commas and rows with CRLF, ending with one', () => {
    expect(csvText([['a', 1], [null, 'b, c']])).toBe('a,1\r\n,"b, c"\r\n');
  });
});
