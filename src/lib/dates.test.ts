import { afterEach, describe, expect, it } from 'vitest';
import { addDays, formatDate, formatDateTime, isCalendarDate, londonToday, monthsBefore, periodEnd } from './dates.ts';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '2026-04-30', '1970-01-01', '9999-12-31'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    ['2023-02-29', 'not a leap year'],
    ['2026-02-29', 'not a leap year'],
    ['1900-02-29', 'century not divisible by 400'],
    ['2024-02-30', 'February never has 30 days'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-06-31', 'June has 30 days'],
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 0'],
    ['2026-01-00', 'no day 0'],
    ['2026-01-32', 'no day 32'],
    ['2026-1-01', 'one-digit month'],
    ['2026-01-1', 'one-digit day'],
    ['26-01-01', 'two-digit year'],
    ['2026/01/01', 'slashes'],
    ['01-01-2026', 'day first'],
    [' 2026-01-01', 'leading space'],
    ['2026-01-01 ', 'trailing space'],
    ['2026-01-01T00:00:00Z', 'a timestamp'],
    ['', 'empty'],
    ['yesterday', 'words'],
  ])('rejects %s (%s)', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('londonToday', () => {
  it.each([
    // Winter: London is on GMT, so the date is the UTC date.
    ['2026-01-15T23:59:59Z', '2026-01-15'],
    ['2026-01-16T00:00:00Z', '2026-01-16'],
    ['2026-12-31T23:59:59Z', '2026-12-31'],
    ['2027-01-01T00:00:00Z', '2027-01-01'],
    // Summer: London is on BST (UTC+1), so 23:00 UTC is already tomorrow.
    ['2026-07-01T22:59:59Z', '2026-07-01'],
    ['2026-07-01T23:00:00Z', '2026-07-02'],
    ['2026-07-01T23:30:00Z', '2026-07-02'],
    // BST starts at 01:00 UTC on 29 March 2026: the night before is still GMT.
    ['2026-03-28T23:30:00Z', '2026-03-28'],
    ['2026-03-29T00:30:00Z', '2026-03-29'],
    ['2026-03-29T23:30:00Z', '2026-03-30'],
    // BST ends at 01:00 UTC on 25 October 2026.
    ['2026-10-24T22:59:59Z', '2026-10-24'],
    ['2026-10-24T23:00:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-10-26T00:00:00Z', '2026-10-26'],
  ])('at %s it is %s in London', (instant, date) => {
    expect(londonToday(new Date(instant))).toBe(date);
  });

  describe('whatever the server’s time zone', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it.each(['America/Los_Angeles', 'Asia/Tokyo', 'UTC'])('gives the London date on a server in %s', (tz) => {
      process.env.TZ = tz;
      expect(londonToday(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
      expect(londonToday(new Date('2026-01-01T08:00:00Z'))).toBe('2026-01-01');
    });
  });

  it('defaults to now', () => {
    const before = londonToday(new Date());
    const today = londonToday();
    const after = londonToday(new Date());
    expect([before, after]).toContain(today);
    expect(isCalendarDate(today)).toBe(true);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-01', 0, '2026-01-01'],
    ['2026-01-01', 1, '2026-01-02'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    // Days across the clock changes are still whole days.
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-10-26', -2, '2026-10-24'],
  ])('%s + %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('monthsBefore', () => {
  it.each([
    ['2026-05-01', 12, '2025-05-01'],
    ['2026-05-01', 0, '2026-05-01'],
    ['2026-03-15', 3, '2025-12-15'],
    // A day the earlier month lacks falls back to its last day.
    ['2028-02-29', 12, '2027-02-28'],
    ['2026-03-31', 1, '2026-02-28'],
    ['2024-03-31', 1, '2024-02-29'],
    ['2026-07-31', 6, '2026-01-31'],
  ])('%s back %i months is %s', (date, months, expected) => {
    expect(monthsBefore(date, months)).toBe(expected);
  });
});

describe('periodEnd: the last day of “the period of N units beginning with D”', () => {
  it('counts D itself, so one day beginning with D is D', () => {
    expect(periodEnd('2026-05-10', 1, 'days')).toBe('2026-05-10');
  });

  it.each([
    ['2026-05-10', 14, '2026-05-23'],
    ['2026-12-20', 28, '2027-01-16'],
    ['2024-02-20', 10, '2024-02-29'],
    ['2026-02-20', 10, '2026-03-01'],
  ])('%s, %i days, ends %s', (start, n, end) => {
    expect(periodEnd(start, n, 'days')).toBe(end);
  });

  it.each([
    ['2026-05-10', 1, '2026-05-16'],
    ['2026-01-01', 2, '2026-01-14'],
    ['2026-12-28', 1, '2027-01-03'],
    ['2026-03-23', 2, '2026-04-05'],
  ])('%s, %i weeks, ends %s', (start, n, end) => {
    expect(periodEnd(start, n, 'weeks')).toBe(end);
  });

  it.each([
    // The day before the corresponding date.
    ['2026-01-10', 1, '2026-02-09'],
    ['2026-05-21', 3, '2026-08-20'],
    ['2026-01-10', 3, '2026-04-09'],
    ['2026-12-15', 1, '2027-01-14'],
    ['2026-11-15', 3, '2027-02-14'],
    ['2026-06-05', 12, '2027-06-04'],
    ['2026-01-28', 1, '2026-02-27'],
    // Beginning with the first of a month: whole calendar months.
    ['2026-03-01', 1, '2026-03-31'],
    ['2026-03-01', 3, '2026-05-31'],
    ['2026-02-01', 1, '2026-02-28'],
    ['2024-02-01', 1, '2024-02-29'],
    ['2026-01-01', 12, '2026-12-31'],
    // The 31st, where the corresponding date exists.
    ['2026-01-31', 2, '2026-03-30'],
    ['2026-03-31', 2, '2026-05-30'],
  ])('%s, %i months, ends %s', (start, n, end) => {
    expect(periodEnd(start, n, 'months')).toBe(end);
  });

  it.each([
    // No corresponding date in the last month: the period ends on that month's last day.
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-29', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2028-01-30', 1, '2028-02-29'],
    // Unfair dismissal effective 30 November: claim by the end of February.
    ['2025-11-30', 3, '2026-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    // Effective 31 August: there is no 31 November, so the last day is 30 November.
    ['2026-08-31', 3, '2026-11-30'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-05-31', 1, '2026-06-30'],
    // A year beginning with 29 February.
    ['2024-02-29', 12, '2025-02-28'],
  ])('%s, %i months, ends %s (no corresponding date)', (start, n, end) => {
    expect(periodEnd(start, n, 'months')).toBe(end);
  });

  it('ends a 4-year period beginning with 29 February on 28 February, the day before the corresponding date', () => {
    expect(periodEnd('2024-02-29', 48, 'months')).toBe('2028-02-28');
  });

  it('never ends before it begins and never ends later for an earlier start', () => {
    let previous = '';
    for (let date = '2025-12-01'; date <= '2027-03-01'; date = addDays(date, 1)) {
      for (const n of [1, 3, 6]) expect(periodEnd(date, n, 'months') >= date).toBe(true);
      const end = periodEnd(date, 1, 'months');
      if (previous) expect(end >= previous).toBe(true);
      previous = end;
    }
  });
});

describe('formatDate', () => {
  it.each([
    ['2026-11-22', '22 November 2026'],
    ['2026-01-01', '1 January 2026'],
    ['2024-02-29', '29 February 2024'],
    ['2026-03-29', '29 March 2026'],
    ['2026-10-25', '25 October 2026'],
  ])('formats %s as %s', (date, text) => {
    expect(formatDate(date)).toBe(text);
  });

  it('formats an instant as its date in London', () => {
    expect(formatDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
    expect(formatDate(new Date('2026-12-31T23:30:00Z'))).toBe('31 December 2026');
  });
});

describe('formatDateTime', () => {
  it.each([
    ['2026-11-22T15:04:00Z', '22 November 2026 at 3:04pm'],
    ['2026-11-22T09:30:00Z', '22 November 2026 at 9:30am'],
    // BST: 14:04 UTC is 3:04pm in London.
    ['2026-07-01T14:04:00Z', '1 July 2026 at 3:04pm'],
    // Around midday and midnight the hour is 12, never 0.
    ['2026-01-01T12:00:00Z', '1 January 2026 at 12:00pm'],
    ['2026-07-01T11:05:00Z', '1 July 2026 at 12:05pm'],
    ['2026-01-01T00:00:00Z', '1 January 2026 at 12:00am'],
    ['2026-06-30T23:30:00Z', '1 July 2026 at 12:30am'],
  ])('formats %s as %s', (instant, text) => {
    expect(formatDateTime(new Date(instant))).toBe(text);
  });
});
