import { describe, expect, it } from 'vitest';
import { PASSWORD_RESET_HOURS, isEmail, normaliseEmail, passwordProblem } from './rules.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases, so one address is one account', () => {
    expect(normaliseEmail('  Ada.Lovelace@Lambeth.GOV.UK ')).toBe('ada.lovelace@lambeth.gov.uk');
    expect(normaliseEmail('ada@example.org')).toBe('ada@example.org');
  });
});

describe('isEmail', () => {
  it.each(['ada@example.org', 'ada.lovelace+coop@lambeth.gov.uk', 'a@b.co', "o'brien@southwark.gov.uk", 'x@sub.domain.example'])('accepts %s', (email) => {
    expect(isEmail(email)).toBe(true);
  });

  it.each([
    '',
    'ada',
    'ada@',
    '@example.org',
    'ada@example',
    'ada@@example.org',
    'ada@exa@mple.org',
    'ada lovelace@example.org',
    'ada@example .org',
    ' ada@example.org',
    'ada@example.org ',
    'ada@.',
  ])('rejects %j', (email) => {
    expect(isEmail(email)).toBe(false);
  });

  it('allows at most 254 characters', () => {
    const domain = '@example.org'; // 12 characters
    expect(isEmail('a'.repeat(254 - domain.length) + domain)).toBe(true);
    expect(isEmail('a'.repeat(255 - domain.length) + domain)).toBe(false);
  });
});

describe('passwordProblem', () => {
  it('asks for 10 characters or more', () => {
    expect(passwordProblem('')).toBe('Password must be 10 characters or more');
    expect(passwordProblem('123456789')).toBe('Password must be 10 characters or more');
    expect(passwordProblem('1234567890')).toBeNull();
  });

  it('does not ask for character classes: a long lower-case passphrase is fine', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('          ')).toBeNull();
  });

  it('allows up to 256 characters', () => {
    expect(passwordProblem('x'.repeat(256))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toBe('Password must be 256 characters or fewer');
  });
});

describe('password resets', () => {
  it('expire after 2 hours', () => {
    expect(PASSWORD_RESET_HOURS).toBe(2);
  });
});
