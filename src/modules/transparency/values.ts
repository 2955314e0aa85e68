/**
 * Amounts and dates as councils really write them in Transparency Code files.
 * Each reader either gives a value or says, in plain English, why it cannot:
 * the importer reports that reason against the line, it never guesses.
 */
import { isCalendarDate, type CalendarDate } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';

export type Reading<T> = { ok: true; value: T } | { ok: false; reason: string };

const quote = (s: string) => `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”`;
const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

// ---------------------------------------------------------------------------
// Cells

/**
 * A cell's text with outer and repeated whitespace removed. Two mis-decodings
 * are undone on the way: a non-breaking space, and "†", which in these exports
 * is always a non-breaking space (0xA0) read as Mac Roman (Lambeth's reports).
 * Multi-line descriptions become one line.
 */
export function cleanCell(raw: string): string {
  // A loop over the characters is much quicker than a regular expression, and most cells need nothing done.
  let previousWasSpace = true; // so that a leading space counts as needing work
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c === 0xa0 || c === 0x2020) {
      if (c !== 0x20 || previousWasSpace) return collapse(raw);
      previousWasSpace = true;
    } else previousWasSpace = false;
  }
  return previousWasSpace && raw.length > 0 ? collapse(raw) : raw;
}

const collapse = (raw: string) => raw.replace(/[\s\u2020]+/g, ' ').trim();

/** "REDACTED UNDER DP ACT" (Devon), "Redacted personal information" (Oxford), "REDACTED" (Warwickshire). */
export function isRedaction(text: string): boolean {
  return /\bredacted\b|^(name )?withheld$|^(private )?individual$/i.test(text);
}

// ---------------------------------------------------------------------------
// Amounts

/** Within this many pence of a whole penny, extra decimals are a float artefact (963.2199999999999). */
const FLOAT_SLACK_PENCE = 1e-4; // 1e-6 of a pound
const PLAIN_AMOUNT = /^\d{1,13}\.\d\d$/;
const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;

/**
 * Pounds to integer pence. Credits come as "-1,384.00", "-£33.32", SAP's
 * trailing minus "106,396.00-" or accountants' brackets "(12.50)".
 */
export function parseAmount(raw: string): Reading<Pence> {
  // Plain "1234.56" is most amounts in most files; Number() is exact to the penny at two decimals.
  if (PLAIN_AMOUNT.test(raw)) return { ok: true, value: Math.round(Number(raw) * 100) };
  let text = raw.trim();
  if (text === '') return refuse('no amount');
  let credits = 0;
  if (text.startsWith('(') && text.endsWith(')')) {
    credits++;
    text = text.slice(1, -1).trim();
  }
  if (text.endsWith('-')) {
    credits++;
    text = text.slice(0, -1).trim();
  }
  if (text.startsWith('-')) {
    credits++;
    text = text.slice(1).trim();
  }
  // The pound sign comes before or after a leading minus: "-£33.32", "£-5".
  if (text.startsWith('£')) {
    text = text.slice(1).trim();
    if (text.startsWith('-')) {
      credits++;
      text = text.slice(1).trim();
    }
  }
  if (credits > 1) return refuse(`${quote(raw)} is marked as a credit twice over`);
  const m = AMOUNT.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return refuse(`${quote(raw)} is not an amount of money`);
  const [, whole = '0', decimals = ''] = m;
  let pence = Number(whole.replace(/,/g, '')) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'));
  if (decimals.length > 2) {
    const beyondPenny = Number(`0.${decimals.slice(2)}`);
    if (beyondPenny > 1 - FLOAT_SLACK_PENCE) pence += 1;
    else if (beyondPenny >= FLOAT_SLACK_PENCE) return refuse(`${quote(raw)} has more than 2 decimal places`);
  }
  if (!Number.isSafeInteger(pence)) return refuse(`${quote(raw)} is too large to be an amount`);
  return { ok: true, value: credits === 1 && pence !== 0 ? -pence : pence };
}

const DIGIT_0 = 0x30;
const POINT = 0x2e;
const COMMA = 0x2c;
const MINUS = 0x2d;
const OPEN_BRACKET = 0x28;
const CLOSE_BRACKET = 0x29;
/** "£" in UTF-8. */
const POUND = [0xc2, 0xa3] as const;
/** After the pennies, this many zeros (or nines) put a float artefact well inside FLOAT_SLACK_PENCE of a whole penny, whatever follows. */
const ARTEFACT_DIGITS = Math.ceil(-Math.log10(FLOAT_SLACK_PENCE)) + 1;

/**
 * parseAmount's reading of the forms most amounts take — "1234.56", "1,234.56", "-£33.32",
 * "106,396.00-", "(12.50)", "963.2200000000001" — from the bytes of UTF-8 text (a file's, as
 * read) with no string made: the same pence parseAmount gives, or null for anything else,
 * refusals included, which parseAmount then reads and explains.
 */
export function amountPenceOfBytes(b: Uint8Array, start: number, end: number): Pence | null {
  let s = start;
  let e = end;
  let credits = 0;
  // parseAmount's steps in its order; a space anywhere (as in "£ 5") is left to it.
  if (e - s >= 2 && b[s] === OPEN_BRACKET && b[e - 1] === CLOSE_BRACKET) {
    credits++;
    s++;
    e--;
  }
  if (e > s && b[e - 1] === MINUS) {
    credits++;
    e--;
  }
  if (e > s && b[s] === MINUS) {
    credits++;
    s++;
  }
  if (e - s >= 2 && b[s] === POUND[0] && b[s + 1] === POUND[1]) {
    s += 2;
    if (e > s && b[s] === MINUS) {
      credits++;
      s++;
    }
  }
  if (credits > 1) return null;
  const pence = unsignedPenceOfBytes(b, s, e);
  if (pence === null) return null;
  return credits === 1 && pence !== 0 ? -pence : pence;
}

/** AMOUNT's "1,234.56", "1234", ".5" as pence, or null; at most 13 digits of pounds, so the sum is exact. */
function unsignedPenceOfBytes(b: Uint8Array, s: number, e: number): Pence | null {
  let i = s;
  let pounds = 0;
  let digits = 0;
  // Digits since the last comma, and whether there was one: then the first group is 1 to 3 digits and every later one 3.
  let group = 0;
  let grouped = false;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c === COMMA) {
      if (group === 0 || group > 3 || (grouped && group !== 3)) return null;
      grouped = true;
      group = 0;
      continue;
    }
    const digit = c - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    pounds = pounds * 10 + digit;
    digits++;
    group++;
  }
  if (grouped && group !== 3) return null;
  if (digits > 13) return null;
  if (i === e) return digits === 0 ? null : pounds * 100;
  if (b[i] !== POINT || i + 1 === e) return null;
  let pennies = 0;
  let decimals = 0;
  let zeros = 0;
  let nines = 0;
  for (i++; i < e; i++) {
    const digit = b[i]! - DIGIT_0;
    if (digit < 0 || digit > 9) return null;
    if (decimals < 2) pennies = pennies * 10 + digit;
    else if (decimals < 2 + ARTEFACT_DIGITS) {
      if (digit === 0) zeros++;
      else if (digit === 9) nines++;
    }
    decimals++;
  }
  if (decimals === 1) pennies *= 10;
  const beyond = Math.min(decimals - 2, ARTEFACT_DIGITS);
  if (beyond <= 0 || zeros === beyond) return pounds * 100 + pennies;
  if (nines === ARTEFACT_DIGITS) return pounds * 100 + pennies + 1;
  return null;
}

// ---------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const NUMERIC_DMY = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`);
const ISO = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})${TIME}$`);
const NAMED_MONTH = /^(\d{1,2})(?:st|nd|rd|th)?[-\s]([a-z]{3,9})\.?[-\s,]+(\d{4}|\d{2})$/i;
const TIME_ONLY = /^\d{1,2}:\d{2}(?::\d{2})?$/;

/**
 * A calendar date from dd/mm/yyyy, dd/mm/yy, dd-Mon-yy, "3 Apr 2023",
 * "2017-10-02 00:00:00" or ISO. Two-digit years are 20yy: these files start
 * in 2010. UK files are day-first; mm/dd is never assumed.
 * An empty cell, or a bare time such as "00:00:00" (Oxford's 2014 export kept
 * the time and lost the date), is no date: value null, not an error.
 */
export function parseDate(raw: string): Reading<CalendarDate | null> {
  const text = raw.trim();
  if (text === '' || TIME_ONLY.test(text)) return { ok: true, value: null };
  let m = NUMERIC_DMY.exec(text);
  if (m) return checkedDate(raw, year(m[3]!), Number(m[2]), Number(m[1]));
  m = ISO.exec(text);
  if (m) return checkedDate(raw, Number(m[1]), Number(m[2]), Number(m[3]));
  m = NAMED_MONTH.exec(text);
  if (m) {
    const word = m[2]!.toLowerCase();
    const month = MONTHS[word.slice(0, 3)];
    // "Apr", "April" and "Sept" name a month; "Aprl" does not.
    if (month === undefined || !MONTH_NAMES[month - 1]!.toLowerCase().startsWith(word)) return refuse(`${quote(raw)} does not name a month`);
    return checkedDate(raw, year(m[3]!), month, Number(m[1]));
  }
  return refuse(`${quote(raw)} is not a date in a form we recognise (such as 31/03/2024)`);
}

const year = (digits: string) => (digits.length === 2 ? 2000 + Number(digits) : Number(digits));

function checkedDate(raw: string, y: number, month: number, day: number): Reading<CalendarDate> {
  if (month < 1 || month > 12) return refuse(`${quote(raw)} is not a real date: there is no month ${month}`);
  if (y < 1990 || y > 2099) return refuse(`${quote(raw)} has the year ${y}, which cannot be right for council spending`);
  const value = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isCalendarDate(value)) {
    const days = new Date(Date.UTC(y, month, 0)).getUTCDate();
    return refuse(`${quote(raw)} is not a real date: ${MONTH_NAMES[month - 1]} ${y} has ${days} days`);
  }
  return { ok: true, value };
}
