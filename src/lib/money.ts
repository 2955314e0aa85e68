/**
 * Money is integer pence everywhere. These are the only conversions to and from
 * the pounds people type and read; no floating point touches an amount.
 */

import { text, type FieldChecker } from './errors.ts';

export type Pence = number;

export class MoneyFormatError extends Error {}

/**
 * Parse an amount in pounds as people write it: "1,234.56", "£1234.5", " 42 ".
 * Rejects anything ambiguous rather than guessing.
 */
export function parsePounds(input: string): Pence {
  // The pound sign may come after a minus sign, as people write it: "-£5" as well as "£-5".
  const text = input.trim().replace(/^(-?)\s*£\s*/, '$1');
  const match = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new MoneyFormatError(`"${input}" is not an amount in pounds, like 1,250.00`);
  const [, minus, whole = '0', fraction = ''] = match;
  const pence = Number(whole.replace(/,/g, '')) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) throw new MoneyFormatError(`"${input}" is too large`);
  return minus && pence !== 0 ? -pence : pence;
}

/** £1,234.56 (or £1,234 with `wholePounds` when the pence are zero). */
export function formatPence(pence: Pence, options: { wholePounds?: boolean } = {}): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.trunc(abs / 100).toLocaleString('en-GB');
  const rest = abs % 100;
  if (options.wholePounds && rest === 0) return `${sign}£${pounds}`;
  return `${sign}£${pounds}.${String(rest).padStart(2, '0')}`;
}

/** Pounds as a JSON number to the penny, for open-data formats that want pounds. */
export const penceToPounds = (pence: Pence): number => Math.round(pence) / 100;

/** Pounds as people type them ("2,500" or "£2,500.00") into pence, or a field error. */
export function poundsField(check: FieldChecker, field: string, raw: unknown, label: string, limits: { min: number; max: number }): number {
  const t = text(raw);
  let pence = Number.NaN;
  try {
    pence = t === '' ? Number.NaN : parsePounds(t);
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
  }
  const ok = Number.isSafeInteger(pence) && pence >= limits.min && pence <= limits.max;
  check.check(ok, field, `Enter ${label} in pounds, from ${formatPence(limits.min)} to ${formatPence(limits.max)}, like 2,500`);
  return ok ? pence : 0;
}
