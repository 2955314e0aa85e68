import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES, ENGLAND_AND_WALES_BANK_HOLIDAYS, holidayLookup } from './bank-holidays.ts';
import { dayNumber, weekday } from './dates.ts';

/** Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher), worked out here independently of the data. */
function easter(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
const plus = (date: string, days: number) => new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days)).toISOString().slice(0, 10);

describe('England and Wales bank holidays', () => {
  const isHoliday = holidayLookup(ENGLAND_AND_WALES);
  const years = Array.from({ length: 17 }, (_, i) => 2011 + i);

  it.each(years)('%i: Good Friday and Easter Monday agree with the computus, and no holiday falls at a weekend', (year) => {
    expect(isHoliday(plus(easter(year), -2))).toBe('Good Friday');
    expect(isHoliday(plus(easter(year), 1))).toBe('Easter Monday');
    for (const [date] of ENGLAND_AND_WALES_BANK_HOLIDAYS.filter(([d]) => d.startsWith(String(year)))) expect([1, 2, 3, 4, 5]).toContain(weekday(dayNumber(date)));
  });

  it.each(years)('%i has the eight usual days, or more in a year with a proclaimed extra one', (year) => {
    const count = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter(([d]) => d.startsWith(String(year))).length;
    const extra = { 2011: 1, 2012: 1, 2022: 2, 2023: 1 }[year] ?? 0;
    expect(count).toBe(8 + extra);
  });

  it('knows the one-off days and substitutes, and says when a year is outside the list', () => {
    expect(isHoliday('2011-04-29')).toBe('Royal wedding');
    expect(isHoliday('2022-09-19')).toMatch(/State Funeral/);
    expect(isHoliday('2026-12-28')).toBe('Boxing Day'); // substitute for Saturday 26 December
    expect(isHoliday('2026-12-29')).toBeNull();
    expect(isHoliday('2028-01-03')).toBeUndefined();
  });
});
