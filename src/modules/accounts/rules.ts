/** Pure rules for accounts. */
import { MIN_PASSWORD_LENGTH } from '../../lib/auth/passwords.ts';

export const normaliseEmail = (value: string): string => value.trim().toLowerCase();

// Deliberately simple: one @, something either side, a dot in the domain, no spaces.
export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;

/** Why a password is not acceptable, or null. Length is what matters (NCSC guidance), not character classes. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  return null;
}

export const PASSWORD_RESET_HOURS = 2;
