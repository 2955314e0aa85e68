import { describe, expect, it } from 'vitest';
import { asStoredJson, canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts object keys', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
  });

  it('gives the same text whatever order the keys were built in', () => {
    const one = { name: 'Brixton', ward: { code: 'E05014095', borough: 'Lambeth' }, tags: ['a', 'b'] };
    const two = { tags: ['a', 'b'], ward: { borough: 'Lambeth', code: 'E05014095' }, name: 'Brixton' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys at every level, including objects inside arrays', () => {
    expect(canonicalJson({ z: [{ y: 1, x: { q: 1, p: 2 } }], a: null })).toBe('{"a":null,"z":[{"x":{"p":2,"q":1},"y":1}]}');
  });

  it('keeps the order of arrays, which is meaningful', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('writes dates as ISO 8601 instants, at any depth', () => {
    const at = new Date('2026-11-22T15:04:05.678Z');
    expect(canonicalJson(at)).toBe('"2026-11-22T15:04:05.678Z"');
    expect(canonicalJson({ at, list: [at] })).toBe('{"at":"2026-11-22T15:04:05.678Z","list":["2026-11-22T15:04:05.678Z"]}');
  });

  it('leaves out undefined properties but keeps nulls', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson('text "quoted"')).toBe('"text \\"quoted\\""');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: [] })).not.toBe(canonicalJson({ a: {} }));
  });

  it('does not change the value it was given', () => {
    const value = { b: { d: 1, c: 2 }, a: [new Date(0)] };
    canonicalJson(value);
    expect(Object.keys(value)).toEqual(['b', 'a']);
    expect(Object.keys(value.b)).toEqual(['d', 'c']);
    expect(value.a[0]).toBeInstanceOf(Date);
  });

  it('gives the same text for a value and that value read back from jsonb', () => {
    const value = { when: new Date('2026-03-29T01:00:00Z'), missing: undefined, nested: { z: 1, a: [1, { y: 2, b: 3 }] } };
    // jsonb stores keys in its own order (shorter keys first); emulate a reordering.
    const stored = JSON.parse('{"nested":{"a":[1,{"b":3,"y":2}],"z":1},"when":"2026-03-29T01:00:00.000Z"}');
    expect(canonicalJson(stored)).toBe(canonicalJson(value));
    expect(canonicalJson(asStoredJson(value))).toBe(canonicalJson(value));
  });
});

describe('asStoredJson', () => {
  it('turns dates into strings and drops undefined, as a jsonb round trip does', () => {
    expect(asStoredJson({ at: new Date('2026-01-01T00:00:00Z'), gone: undefined, kept: null })).toEqual({ at: '2026-01-01T00:00:00.000Z', kept: null });
  });

  it('gives null for undefined', () => {
    expect(asStoredJson(undefined)).toBeNull();
  });

  it('returns a copy, not the same object', () => {
    const value = { a: { b: 1 } };
    const stored = asStoredJson(value);
    expect(stored).toEqual(value);
    expect(stored).not.toBe(value);
    expect(stored.a).not.toBe(value.a);
  });
});
