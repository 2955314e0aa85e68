import { describe, expect, it } from 'vitest';
import { readAmount, readDate, readDuration, readThreeSixty, threeSixtyCsv, CSV_HEADINGS } from './threesixty.ts';

describe('reading 360Giving values', () => {
  it('dates: the standard’s forms as written, and dd/mm/yyyy day first', () => {
    expect(readDate('2020-03-17')).toEqual({ value: '2020-03-17' });
    expect(readDate('2020-03-17T23:30:00+00:00')).toEqual({ value: '2020-03-17' });
    expect(readDate('2020-03-26T10:18:11.123Z')).toEqual({ value: '2020-03-26' });
    expect(readDate('17/03/2014')).toEqual({ value: '2014-03-17', normalised: 'day/month/year' });
    expect(readDate('3/10/2014')).toEqual({ value: '2014-10-03', normalised: 'day/month/year' });
    expect(readDate('17 March 2014')).toEqual({ value: '2014-03-17', normalised: 'a written-out month' });
  });

  it('dates that could be read more than one way, or not at all, are reported with the reason', () => {
    expect(readDate('03/17/2014')).toEqual({ problem: '"03/17/2014" is not day/month/year (there is no month 17); it may be month/day/year' });
    expect(readDate('17/03/14')).toEqual({ problem: '"17/03/14" has a two-digit year, which could be in either century' });
    expect(readDate('31/02/2014')).toEqual({ problem: '"31/02/2014" is not a real date' });
    expect(readDate('2014-02-30')).toEqual({ problem: '"2014-02-30" is not a real date' });
    expect(readDate('spring 2014')).toEqual({ problem: '"spring 2014" is not a date 360Giving allows (YYYY-MM-DD)' });
    expect(readDate(undefined)).toEqual({ problem: 'no date given' });
  });

  it('durations: numbers, and text with months or years', () => {
    expect(readDuration(9)).toEqual({ value: 9 });
    expect(readDuration('12')).toEqual({ value: 12, normalised: 'text' });
    expect(readDuration('18 months')).toEqual({ value: 18, normalised: 'text' });
    expect(readDuration('2 years')).toEqual({ value: 24, normalised: 'text' });
    expect(readDuration('ongoing')).toEqual({ problem: '"ongoing" is not a number of months' });
  });

  it('amounts: to the penny, in pence', () => {
    expect(readAmount(1914.0)).toEqual({ value: 191_400 });
    expect(readAmount(1234.56)).toEqual({ value: 123_456 });
    expect(readAmount('£1,250.50')).toEqual({ value: 125_050, normalised: 'text' });
    expect(readAmount(10.005)).toEqual({ problem: '10.005 is not an amount to the penny' });
    expect(readAmount('lots')).toEqual({ problem: '"lots" is not an amount' });
  });
});

const grant = (over: Record<string, unknown> = {}) => ({
  id: '360G-test-1',
  title: 'Lunch club',
  description: 'Hot lunches',
  currency: 'GBP',
  amountAwarded: 1500,
  awardDate: '01/04/2015',
  recipientOrganization: [{ id: 'GB-CHC-1234567', name: 'Lunch Club', charityNumber: 'GB-CHC-1234567 ' }],
  fundingOrganization: [{ id: 'GB-LAE-LBH', name: 'Lambeth' }],
  ...over,
});

describe('reading a file', () => {
  it('normalises old files and says so once per kind of value', () => {
    const r = readThreeSixty(JSON.stringify({ grants: [grant({ 'Planned Dates': { 'Duration months': '12' }, 'Primary issue': 'Food' })] }));
    expect(r.errors).toEqual([]);
    expect(r.grants[0]).toMatchObject({ awardDate: '2015-04-01', durationMonths: 12, amountAwardedPence: 150_000, recipient: { charityNumber: '1234567' } });
    expect(r.warnings).toEqual([
      'awardDate written as day/month/year: 1 value normalised',
      'plannedDates.duration written as text: 1 value normalised',
      'recipientOrganization.charityNumber with a prefix or spaces: 1 value normalised',
      'Fields Coproduce does not keep were left out: Primary issue (1)',
    ]);
  });

  it('an optional value that cannot be read is left out with a warning naming the grant and field', () => {
    const r = readThreeSixty(JSON.stringify({ grants: [grant({ plannedDates: [{ startDate: '04/31/2015', duration: 'about a year' }] })] }));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContain('grant 360G-test-1: plannedDates.startDate: "04/31/2015" is not day/month/year (there is no month 31); it may be month/day/year; left out');
    expect(r.warnings).toContain('grant 360G-test-1: plannedDates.duration: "about a year" is not a number of months; left out');
    expect(r.grants[0]).toMatchObject({ plannedStart: null, durationMonths: null });
  });

  it('a required value that cannot be read is an error naming the grant and field, and that grant is not read', () => {
    const r = readThreeSixty(JSON.stringify({ grants: [grant(), grant({ id: '360G-test-2', awardDate: '13/13/2015', amountAwarded: 'a lot' }), grant({ id: '360G-test-1' }), { title: 'x' }] }));
    expect(r.errors).toEqual([
      'grant 360G-test-2: amountAwarded: "a lot" is not an amount',
      'grant 360G-test-2: awardDate: "13/13/2015" is not day/month/year (there is no month 13); it may be month/day/year',
      'grant 360G-test-1: id: the same identifier is used by an earlier grant in the file',
      'grant #4: id: no identifier given',
      'grant #4: description: no description given',
      'grant #4: currency: no currency given',
      'grant #4: amountAwarded: no amount given',
      'grant #4: awardDate: no date given',
      'grant #4: recipientOrganization: no recipient organisation or individual given',
      'grant #4: fundingOrganization: no funder identifier and name given',
    ]);
    expect(r.grants.map((g) => g.identifier)).toEqual(['360G-test-1']);
  });

  it('refuses what is not a 360Giving file at all', () => {
    expect(readThreeSixty('{"releases":[]}').errors).toEqual(['The file has no "grants" list: it is not a 360Giving package']);
    expect(readThreeSixty('{').errors[0]).toMatch(/^The file is not JSON/);
  });
});

describe('the CSV', () => {
  it('uses the standard’s titles as headings and keeps a formula out of a spreadsheet', () => {
    const [g] = readThreeSixty(JSON.stringify({ grants: [grant({ title: '=HYPERLINK("x")' })] })).grants;
    const lines = threeSixtyCsv([g!]).split('\r\n');
    expect(lines[0]).toBe(CSV_HEADINGS.join(','));
    expect(lines[0]).toMatch(/^Identifier,Title,Description,Currency,Amount Applied For,Amount Awarded,Award Date,/);
    expect(lines[1]).toContain(`360G-test-1,"'=HYPERLINK(""x"")",Hot lunches,GBP,,1500,2015-04-01`);
  });
});
