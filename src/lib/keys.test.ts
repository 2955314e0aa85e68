import { describe, expect, it } from 'vitest';
import { isKeyOf } from './keys.ts';

describe('isKeyOf', () => {
  const COLOURS = { red: 'Red', green: 'Green' } as const;
  it('passes own keys only: not inherited names, not other types', () => {
    expect(isKeyOf(COLOURS, 'red')).toBe(true);
    expect(isKeyOf(COLOURS, 'blue')).toBe(false);
    for (const inherited of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(isKeyOf(COLOURS, inherited)).toBe(false);
    expect(isKeyOf(COLOURS, undefined)).toBe(false);
    expect(isKeyOf(COLOURS, ['red'])).toBe(false);
  });
});
