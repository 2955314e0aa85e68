import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, entryHash, redact } from './audit.ts';
import { asStoredJson } from '../canonical-json.ts';

type Fields = Parameters<typeof entryHash>[1];

const entry: Fields = {
  authorityId: '11111111-1111-4111-8111-111111111111',
  seq: 1,
  at: new Date('2026-11-22T15:04:05.678Z'),
  actorUserId: '22222222-2222-4222-8222-222222222222',
  actorRole: 'officer',
  via: 'web',
  action: 'organisation.update',
  entityType: 'organisation',
  entityId: '33333333-3333-4333-8333-333333333333',
  before: { name: 'Brixton Kitchen', type: 'charity' },
  after: { name: 'Brixton Community Kitchen', type: 'cooperative' },
  reason: 'Registered as a co-operative',
};

describe('entryHash', () => {
  it('is a SHA-256 of the previous hash, a newline and the entry as canonical JSON', () => {
    const body =
      '{"action":"organisation.update","actorRole":"officer","actorUserId":"22222222-2222-4222-8222-222222222222",' +
      '"after":{"name":"Brixton Community Kitchen","type":"cooperative"},"at":"2026-11-22T15:04:05.678Z",' +
      '"authorityId":"11111111-1111-4111-8111-111111111111","before":{"name":"Brixton Kitchen","type":"charity"},' +
      '"entityId":"33333333-3333-4333-8333-333333333333","entityType":"organisation","reason":"Registered as a co-operative","seq":1,"via":"web"}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${body}`).digest('hex');
    expect(entryHash(GENESIS_HASH, entry)).toBe(expected);
  });

  it('is 64 hex characters, like the genesis hash', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(entryHash(GENESIS_HASH, entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same every time for the same entry', () => {
    expect(entryHash(GENESIS_HASH, entry)).toBe(entryHash(GENESIS_HASH, { ...entry, at: new Date(entry.at.getTime()) }));
  });

  it('does not depend on the order of keys in before and after, as jsonb may reorder them', () => {
    const reordered = { ...entry, before: { type: 'charity', name: 'Brixton Kitchen' }, after: { type: 'cooperative', name: 'Brixton Community Kitchen' } };
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, entry));
  });

  it('is the same once before and after have been stored and read back', () => {
    const withDates = { ...entry, after: { name: 'x', updatedAt: new Date('2026-01-01T00:00:00Z'), dropped: undefined } };
    const readBack = { ...withDates, after: asStoredJson(withDates.after) };
    expect(entryHash(GENESIS_HASH, readBack)).toBe(entryHash(GENESIS_HASH, withDates));
  });

  it('chains: the same entry after a different predecessor hashes differently', () => {
    const first = entryHash(GENESIS_HASH, entry);
    const second = entryHash(first, { ...entry, seq: 2 });
    expect(entryHash('f'.repeat(64), { ...entry, seq: 2 })).not.toBe(second);
    expect(entryHash(GENESIS_HASH, entry)).not.toBe(entryHash('0'.repeat(63) + '1', entry));
  });

  it.each<[string, Partial<Fields>]>([
    ['authorityId', { authorityId: '44444444-4444-4444-8444-444444444444' }],
    ['seq', { seq: 2 }],
    ['at', { at: new Date('2026-11-22T15:04:05.679Z') }],
    ['actorUserId', { actorUserId: null }],
    ['actorRole', { actorRole: 'admin' }],
    ['via', { via: 'api' }],
    ['action', { action: 'organisation.create' }],
    ['entityType', { entityType: 'service' }],
    ['entityId', { entityId: '55555555-5555-4555-8555-555555555555' }],
    ['before', { before: { name: 'Brixton Kitchen', type: 'charity', extra: true } }],
    ['before (a nested value)', { before: { name: 'Brixton Kitchen ', type: 'charity' } }],
    ['after', { after: { name: 'Brixton Community Kitchen', type: 'charity' } }],
    ['after (a number as text)', { after: { name: 'Brixton Community Kitchen', type: 'cooperative', budget: '1' } }],
    ['reason', { reason: 'Registered as a co-operative.' }],
    ['reason (to none)', { reason: null }],
  ])('changes when %s changes', (_field, change) => {
    expect(entryHash(GENESIS_HASH, { ...entry, ...change })).not.toBe(entryHash(GENESIS_HASH, entry));
  });

  it('does not confuse before with after', () => {
    const swapped = { ...entry, before: entry.after, after: entry.before };
    expect(entryHash(GENESIS_HASH, swapped)).not.toBe(entryHash(GENESIS_HASH, entry));
  });

  it('treats a missing before, after or reason as null', () => {
    const bare = { ...entry, before: null, after: null, reason: null };
    expect(entryHash(GENESIS_HASH, { ...bare, before: undefined, after: undefined })).toBe(entryHash(GENESIS_HASH, bare));
  });
});

describe('redact', () => {
  it('hides secret fields at the top level', () => {
    expect(redact({ email: 'ada@example.org', passwordHash: '$argon2id$v=19$…', password: 'hunter2hunter2', tokenHash: 'ab12', token: 'cpt_xyz' })).toEqual({
      email: 'ada@example.org',
      passwordHash: '[redacted]',
      password: '[redacted]',
      tokenHash: '[redacted]',
      token: '[redacted]',
    });
  });

  it('hides secret fields at any depth, including inside arrays', () => {
    expect(redact({ user: { name: 'Ada', passwordHash: 'h' }, tokens: [{ name: 'finance', tokenHash: 't' }, { name: 'crm' }] })).toEqual({
      user: { name: 'Ada', passwordHash: '[redacted]' },
      tokens: [{ name: 'finance', tokenHash: '[redacted]' }, { name: 'crm' }],
    });
  });

  it('hides a secret that is an object, not just a string', () => {
    expect(redact({ token: { value: 'cpt_xyz' } })).toEqual({ token: '[redacted]' });
  });

  it('keeps null and undefined secrets, so the log shows a secret was cleared, not what it was', () => {
    expect(redact({ passwordHash: null, tokenHash: undefined })).toEqual({ passwordHash: null, tokenHash: undefined });
  });

  it('matches field names exactly', () => {
    expect(redact({ tokenName: 'finance system', Password: 'x', passwordHint: 'y' })).toEqual({ tokenName: 'finance system', Password: 'x', passwordHint: 'y' });
  });

  it('leaves dates and scalars alone', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(redact({ at })).toEqual({ at });
    expect((redact({ at }) as { at: unknown }).at).toBeInstanceOf(Date);
    expect(redact('token')).toBe('token');
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
    expect(redact(['password'])).toEqual(['password']);
  });

  it('does not change the value it was given', () => {
    const value = { user: { passwordHash: 'h' } };
    redact(value);
    expect(value.user.passwordHash).toBe('h');
  });
});
