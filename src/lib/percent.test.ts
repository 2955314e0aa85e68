import { describe, expect, it } from 'vitest';
import { percentOf } from './percent.ts';

describe('percentOf', () => {
  it('gives one decimal place, rounding half up, and 0 of nothing', () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(1, 16)).toBe(6.3);
    expect(percentOf(5, 5)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(7, 0)).toBe(0);
  });
});
