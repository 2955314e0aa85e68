import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('requires at least 10 characters (NCSC)', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
  });

  it('hashes with argon2id at the OWASP baseline (19 MiB, t=2, p=1)', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(hash).not.toContain('correct horse battery');
  });

  it('salts every hash, so the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'same password')).toBe(true);
    expect(await verifyPassword(b, 'same password')).toBe(true);
  });

  it('verifies the right password and refuses any other', async () => {
    const hash = await hashPassword('Brixton-Windrush-2026 £');
    expect(await verifyPassword(hash, 'Brixton-Windrush-2026 £')).toBe(true);
    expect(await verifyPassword(hash, 'brixton-windrush-2026 £')).toBe(false);
    expect(await verifyPassword(hash, 'Brixton-Windrush-2026 £ ')).toBe(false);
    expect(await verifyPassword(hash, 'Brixton-Windrush-2026')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('refuses every password when there is no stored hash, including the decoy’s', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword(null, 'decoy-password-for-timing')).toBe(false);
    expect(await verifyPassword('', 'decoy-password-for-timing')).toBe(false);
  });

  it('refuses, rather than throwing, when the stored hash is not a hash', async () => {
    await expect(verifyPassword('not-a-hash', 'password123')).resolves.toBe(false);
    await expect(verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$broken', 'password123')).resolves.toBe(false);
  });
});
