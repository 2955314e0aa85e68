import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonText } from './json-text.ts';

/** [line, column, message] of the mistake. */
function mistake(text: string): [number, number, string] {
  try {
    parseJsonText(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return [err.line, err.column, err.message];
    throw err;
  }
  throw new Error('The text was read as JSON');
}

describe('parseJsonText', () => {
  it('reads JSON, with or without a byte order mark', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, "x\\n", true, null]}')).toEqual({ a: [1, 2500, 'x\n', true, null] });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it('gives the line and column of the first mistake', () => {
    expect(mistake('{\n  "years": 3,\n  "costs": [1, 2,]\n}')).toEqual([3, 18, 'Expected a value (an object, array, string, number, true, false or null)']);
    expect(mistake('{\n  "years": 3\n  "name": "x"\n}')).toEqual([3, 3, 'Expected , or }']);
    expect(mistake('{"a": 1,}')).toEqual([1, 9, 'Expected a property name in double quotes']);
    expect(mistake("{'a': 1}")).toEqual([1, 2, 'Expected a property name in double quotes']);
    expect(mistake('{"a" 1}')).toEqual([1, 6, 'Expected : after a property name']);
    expect(mistake('{"a": 01}')).toEqual([1, 8, 'Expected , or }']);
    expect(mistake('{"a": "two\nlines"}')).toEqual([1, 11, 'A line break or control character inside a string must be escaped']);
    expect(mistake('{"a": "\\x"}')).toEqual([1, 9, 'Unknown escape in a string']);
    expect(mistake('{"a": tru}')).toEqual([1, 7, 'Expected a value (an object, array, string, number, true, false or null)']);
    expect(mistake('{"a": 1} x')).toEqual([1, 10, 'Unexpected text after the end of the JSON value']);
  });

  it('says so when the file ends too soon', () => {
    expect(mistake('{"a": [1, 2')).toEqual([1, 12, 'Expected , or ], but the file ends']);
    expect(mistake('')).toEqual([1, 1, 'Expected a value (an object, array, string, number, true, false or null), but the file ends']);
  });
});
