/**
 * Bank holidays in England and Wales, 2011–2027, as data: the weekend and
 * bank-holiday check needs them, and the law that makes them (the Banking and
 * Financial Dealings Act 1971 and royal proclamations) gives no formula for
 * the extra days.
 *
 * Sources (dates copied, titles as GOV.UK gives them):
 *  - 2012–2018: GOV.UK's own calendar data, alphagov/calendars
 *    lib/data/bank-holidays.json (commit 1ce47d43), the file behind
 *    https://www.gov.uk/bank-holidays.json; 2012–2020 agree with a saved copy
 *    of that feed (Fishbowler/workingday-uk bank-holidays.json, commit bdd4d006).
 *  - 2019–2027: a saved copy of https://www.gov.uk/bank-holidays.json
 *    (dmossop/bank-holidays-data bank-holidays.json, commit 0b1a5772).
 *  - 2011: GOV.UK's feed starts in 2012, so 2011 is transcribed [D]: the
 *    1971 Act's days with the substitutes its rules give (New Year's Day on
 *    Monday 3 January; Christmas Day on Tuesday 27 December, Boxing Day on the
 *    Monday), and the extra bank holiday proclaimed for the royal wedding on
 *    Friday 29 April 2011.
 * Add a year when GOV.UK publishes it; `bank-holidays.test.ts` checks each
 * year against the Easter computus and the weekday rules.
 */
import type { CalendarDate } from './dates.ts';

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly (readonly [CalendarDate, string])[] = [
  ['2011-01-03', 'New Year’s Day'],
  ['2011-04-22', 'Good Friday'],
  ['2011-04-25', 'Easter Monday'],
  ['2011-04-29', 'Royal wedding'],
  ['2011-05-02', 'Early May bank holiday'],
  ['2011-05-30', 'Spring bank holiday'],
  ['2011-08-29', 'Summer bank holiday'],
  ['2011-12-26', 'Boxing Day'],
  ['2011-12-27', 'Christmas Day'],
  ['2012-01-02', 'New Year’s Day'],
  ['2012-04-06', 'Good Friday'],
  ['2012-04-09', 'Easter Monday'],
  ['2012-05-07', 'Early May bank holiday'],
  ['2012-06-04', 'Spring bank holiday'],
  ['2012-06-05', 'Queen’s Diamond Jubilee'],
  ['2012-08-27', 'Summer bank holiday'],
  ['2012-12-25', 'Christmas Day'],
  ['2012-12-26', 'Boxing Day'],
  ['2013-01-01', 'New Year’s Day'],
  ['2013-03-29', 'Good Friday'],
  ['2013-04-01', 'Easter Monday'],
  ['2013-05-06', 'Early May bank holiday'],
  ['2013-05-27', 'Spring bank holiday'],
  ['2013-08-26', 'Summer bank holiday'],
  ['2013-12-25', 'Christmas Day'],
  ['2013-12-26', 'Boxing Day'],
  ['2014-01-01', 'New Year’s Day'],
  ['2014-04-18', 'Good Friday'],
  ['2014-04-21', 'Easter Monday'],
  ['2014-05-05', 'Early May bank holiday'],
  ['2014-05-26', 'Spring bank holiday'],
  ['2014-08-25', 'Summer bank holiday'],
  ['2014-12-25', 'Christmas Day'],
  ['2014-12-26', 'Boxing Day'],
  ['2015-01-01', 'New Year’s Day'],
  ['2015-04-03', 'Good Friday'],
  ['2015-04-06', 'Easter Monday'],
  ['2015-05-04', 'Early May bank holiday'],
  ['2015-05-25', 'Spring bank holiday'],
  ['2015-08-31', 'Summer bank holiday'],
  ['2015-12-25', 'Christmas Day'],
  ['2015-12-28', 'Boxing Day'],
  ['2016-01-01', 'New Year’s Day'],
  ['2016-03-25', 'Good Friday'],
  ['2016-03-28', 'Easter Monday'],
  ['2016-05-02', 'Early May bank holiday'],
  ['2016-05-30', 'Spring bank holiday'],
  ['2016-08-29', 'Summer bank holiday'],
  ['2016-12-26', 'Boxing Day'],
  ['2016-12-27', 'Christmas Day'],
  ['2017-01-02', 'New Year’s Day'],
  ['2017-04-14', 'Good Friday'],
  ['2017-04-17', 'Easter Monday'],
  ['2017-05-01', 'Early May bank holiday'],
  ['2017-05-29', 'Spring bank holiday'],
  ['2017-08-28', 'Summer bank holiday'],
  ['2017-12-25', 'Christmas Day'],
  ['2017-12-26', 'Boxing Day'],
  ['2018-01-01', 'New Year’s Day'],
  ['2018-03-30', 'Good Friday'],
  ['2018-04-02', 'Easter Monday'],
  ['2018-05-07', 'Early May bank holiday'],
  ['2018-05-28', 'Spring bank holiday'],
  ['2018-08-27', 'Summer bank holiday'],
  ['2018-12-25', 'Christmas Day'],
  ['2018-12-26', 'Boxing Day'],
  ['2019-01-01', 'New Year’s Day'],
  ['2019-04-19', 'Good Friday'],
  ['2019-04-22', 'Easter Monday'],
  ['2019-05-06', 'Early May bank holiday'],
  ['2019-05-27', 'Spring bank holiday'],
  ['2019-08-26', 'Summer bank holiday'],
  ['2019-12-25', 'Christmas Day'],
  ['2019-12-26', 'Boxing Day'],
  ['2020-01-01', 'New Year’s Day'],
  ['2020-04-10', 'Good Friday'],
  ['2020-04-13', 'Easter Monday'],
  ['2020-05-08', 'Early May bank holiday (VE day)'],
  ['2020-05-25', 'Spring bank holiday'],
  ['2020-08-31', 'Summer bank holiday'],
  ['2020-12-25', 'Christmas Day'],
  ['2020-12-28', 'Boxing Day'],
  ['2021-01-01', 'New Year’s Day'],
  ['2021-04-02', 'Good Friday'],
  ['2021-04-05', 'Easter Monday'],
  ['2021-05-03', 'Early May bank holiday'],
  ['2021-05-31', 'Spring bank holiday'],
  ['2021-08-30', 'Summer bank holiday'],
  ['2021-12-27', 'Christmas Day'],
  ['2021-12-28', 'Boxing Day'],
  ['2022-01-03', 'New Year’s Day'],
  ['2022-04-15', 'Good Friday'],
  ['2022-04-18', 'Easter Monday'],
  ['2022-05-02', 'Early May bank holiday'],
  ['2022-06-02', 'Spring bank holiday'],
  ['2022-06-03', 'Platinum Jubilee bank holiday'],
  ['2022-08-29', 'Summer bank holiday'],
  ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
  ['2022-12-26', 'Boxing Day'],
  ['2022-12-27', 'Christmas Day'],
  ['2023-01-02', 'New Year’s Day'],
  ['2023-04-07', 'Good Friday'],
  ['2023-04-10', 'Easter Monday'],
  ['2023-05-01', 'Early May bank holiday'],
  ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
  ['2023-05-29', 'Spring bank holiday'],
  ['2023-08-28', 'Summer bank holiday'],
  ['2023-12-25', 'Christmas Day'],
  ['2023-12-26', 'Boxing Day'],
  ['2024-01-01', 'New Year’s Day'],
  ['2024-03-29', 'Good Friday'],
  ['2024-04-01', 'Easter Monday'],
  ['2024-05-06', 'Early May bank holiday'],
  ['2024-05-27', 'Spring bank holiday'],
  ['2024-08-26', 'Summer bank holiday'],
  ['2024-12-25', 'Christmas Day'],
  ['2024-12-26', 'Boxing Day'],
  ['2025-01-01', 'New Year’s Day'],
  ['2025-04-18', 'Good Friday'],
  ['2025-04-21', 'Easter Monday'],
  ['2025-05-05', 'Early May bank holiday'],
  ['2025-05-26', 'Spring bank holiday'],
  ['2025-08-25', 'Summer bank holiday'],
  ['2025-12-25', 'Christmas Day'],
  ['2025-12-26', 'Boxing Day'],
  ['2026-01-01', 'New Year’s Day'],
  ['2026-04-03', 'Good Friday'],
  ['2026-04-06', 'Easter Monday'],
  ['2026-05-04', 'Early May bank holiday'],
  ['2026-05-25', 'Spring bank holiday'],
  ['2026-08-31', 'Summer bank holiday'],
  ['2026-12-25', 'Christmas Day'],
  ['2026-12-28', 'Boxing Day'],
  ['2027-01-01', 'New Year’s Day'],
  ['2027-03-26', 'Good Friday'],
  ['2027-03-29', 'Easter Monday'],
  ['2027-05-03', 'Early May bank holiday'],
  ['2027-05-31', 'Spring bank holiday'],
  ['2027-08-30', 'Summer bank holiday'],
  ['2027-12-27', 'Christmas Day'],
  ['2027-12-28', 'Boxing Day'],
];

/** A list of bank holidays with the years it covers, so a council elsewhere (Scotland, Northern Ireland) can give its own. */
export interface HolidayCalendar {
  label: string;
  source: string;
  firstYear: number;
  lastYear: number;
  days: readonly (readonly [CalendarDate, string])[];
}

export const ENGLAND_AND_WALES: HolidayCalendar = {
  label: 'England and Wales',
  source: 'GOV.UK bank holidays for England and Wales (www.gov.uk/bank-holidays.json), 2012–2027; 2011 transcribed from the 1971 Act’s rules and the royal wedding proclamation',
  firstYear: 2011,
  lastYear: 2027,
  days: ENGLAND_AND_WALES_BANK_HOLIDAYS,
};

/**
 * A look-up for the calendar: the holiday's name on a date, null on a working
 * day, undefined in a year the calendar does not cover (where only weekends can be told).
 */
export function holidayLookup(calendar: HolidayCalendar): (date: CalendarDate) => string | null | undefined {
  const byDate = new Map(calendar.days);
  return (date) => {
    const year = Number(date.slice(0, 4));
    if (year < calendar.firstYear || year > calendar.lastYear) return undefined;
    return byDate.get(date) ?? null;
  };
}
