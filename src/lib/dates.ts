/**
 * Calendar dates (YYYY-MM-DD) in Europe/London. Law counts days, not instants,
 * so deadlines are computed on dates, never on timestamps.
 */

export type CalendarDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Today's date in London, whatever the server's time zone. */
export function londonToday(now: Date = new Date()): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The last day of "the period of N units beginning with D". UK statutes count
 * D itself, so the period ends the day before D + N units.
 */
export function periodEnd(start: CalendarDate, length: number, unit: 'days' | 'weeks' | 'months'): CalendarDate {
  if (unit === 'days') return addDays(start, length - 1);
  if (unit === 'weeks') return addDays(start, length * 7 - 1);
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  // The period ends the day before the corresponding date N months on; where that month has
  // no corresponding date (31 January + 1 month), it ends on the month's last day (28/29 February).
  const target = new Date(Date.UTC(y, m - 1 + length, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  if (d > lastDay) {
    target.setUTCDate(lastDay);
    return target.toISOString().slice(0, 10);
  }
  target.setUTCDate(d);
  return addDays(target.toISOString().slice(0, 10), -1);
}

/** The same day `months` calendar months earlier (the month's last day where it has no such day: 29 February back a year is 28 February). */
export function monthsBefore(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, 0)).getUTCDate();
  back.setUTCDate(Math.min(d, lastDay));
  return back.toISOString().slice(0, 10);
}

/** "22 November 2026", the GOV.UK style. */
export function formatDate(value: CalendarDate | Date): string {
  const d = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** "22 November 2026 at 3:04pm". */
export function formatDateTime(value: Date): string {
  const date = formatDate(value);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' })
    .format(value)
    .replace(' ', '')
    .toLowerCase();
  return `${date} at ${time}`;
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date, by arithmetic (H. Hinnant's days_from_civil), no Date objects. */
export function dayNumber(date: CalendarDate): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** 0 for Sunday to 6 for Saturday. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The UK financial year a day falls in, by the calendar year it starts in: 2026 is 1 April 2026 to 31 March 2027. */
export const financialYearOf = (date: CalendarDate): number => Number(date.slice(0, 4)) - (date.slice(5) < '04-01' ? 1 : 0);
