import { describe, expect, it } from 'vitest';
import { hashSecret, isUuid, newId, newSecret } from './ids.ts';

describe('newId', () => {
  it('is a version 4 UUID in lower case', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuid(id)).toBe(true);
  });

  it('is different every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
  });
});

describe('newSecret', () => {
  it('is 256 bits, URL-safe base64 with no padding', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 1000 }, newSecret));
    expect(secrets.size).toBe(1000);
  });
});

describe('hashSecret', () => {
  it('is the hex SHA-256 of the secret', () => {
    // FIPS 180-2 test vectors.
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is the same for the same secret and different for a different one', () => {
    const secret = newSecret();
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toBe(hashSecret(secret + 'x'));
    expect(hashSecret(secret)).not.toContain(secret);
  });

  it('hashes the UTF-8 bytes of the secret', () => {
    // sha256 of C2 A3 (UTF-8), not of A3 (Latin-1: 6d90fbac…).
    expect(hashSecret('£')).toBe('b4fe151e413445357b1c0935e7cf04a429492ebd23dc62bfadb2f898c431c1fd');
  });
});

describe('isUuid', () => {
  it.each(['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000', '00000000-0000-0000-0000-000000000000'])(
    'accepts %s',
    (value) => {
      expect(isUuid(value)).toBe(true);
    },
  );

  it.each([
    '',
    '123e4567e89b12d3a456426614174000',
    '{123e4567-e89b-12d3-a456-426614174000}',
    '123e4567-e89b-12d3-a456-42661417400',
    '123e4567-e89b-12d3-a456-4266141740000',
    '123e4567-e89b-12d3-a456-42661417400g',
    ' 123e4567-e89b-12d3-a456-426614174000',
    '123e4567-e89b-12d3-a456-426614174000\n',
    "123e4567-e89b-12d3-a456-426614174000' or 1=1",
  ])('rejects %j', (value) => {
    expect(isUuid(value)).toBe(false);
  });
});
