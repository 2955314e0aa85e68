import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv.ts';

const read = (text: string) => [...csvRecords(text)].map(({ line, fields }) => ({ line, fields }));

describe('csvRecords', () => {
  it('reads LF, CRLF and bare-CR line endings alike, numbering physical lines', () => {
    const expected = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ];
    expect(read('a,b\n1,2\n3,4\n')).toEqual(expected);
    expect(read('a,b\r\n1,2\r\n3,4\r\n')).toEqual(expected);
    expect(read('a,b\r1,2\r3,4')).toEqual(expected);
    expect(read('a,b\r1,2\r\n3,4\n')).toEqual(expected);
  });

  it('reads quoted commas, doubled quotes and line breaks, and gives the line each record starts on', () => {
    const text = 'name,amount\r\n"Smith, Jones & Co","1,496.00"\r\n"The ""Bridge"" Pre-School",5\r\n"Lapworth Garage,\r\nOld Warwick Road\rLapworth",7\r\nlast,8';
    expect(read(text)).toEqual([
      { line: 1, fields: ['name', 'amount'] },
      { line: 2, fields: ['Smith, Jones & Co', '1,496.00'] },
      { line: 3, fields: ['The "Bridge" Pre-School', '5'] },
      { line: 4, fields: ['Lapworth Garage,\r\nOld Warwick Road\rLapworth', '7'] },
      { line: 7, fields: ['last', '8'] },
    ]);
  });

  it('keeps empty fields, a trailing empty field and empty lines', () => {
    expect(read(',,\n\nx,\n')).toEqual([
      { line: 1, fields: ['', '', ''] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['x', ''] },
    ]);
    expect(read('a,')).toEqual([{ line: 1, fields: ['a', ''] }]);
  });

  it('reads stray quotes as Python’s csv module does: literal inside a field, text after a closing quote kept', () => {
    expect(read('5" pipe,"ab"cd,x\n')).toEqual([{ line: 1, fields: ['5" pipe', 'abcd', 'x'] }]);
  });

  it('says when a quoted field is never closed', () => {
    const records = [...csvRecords('a,b\n"open,1\n2,3\n')];
    expect(records.map((r) => [r.line, r.unclosedQuote])).toEqual([[1, false], [2, true]]);
  });
});
