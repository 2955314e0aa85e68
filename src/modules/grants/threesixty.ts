/**
 * 360Giving files, both ways, as pure functions. Reading takes what publishers really put out —
 * including files older than 1.4.3 with dd/mm/yyyy dates, durations as text and unflattened
 * spreadsheet keys — normalises what can be read only one way, and reports the rest by grant and
 * field. Writing gives the 1.4.3 JSON package and its flattened CSV.
 */
import { MoneyFormatError, parsePounds, penceToPounds, type Pence } from '../../lib/money.ts';
import { isCalendarDate, type CalendarDate } from '../../lib/dates.ts';
import { csvText } from '../../lib/csv.ts';

export interface GrantLocation {
  name: string | null;
  geoCode: string | null;
  geoCodeType: string | null;
  countryCode: string | null;
}

export interface GrantOrganisation {
  id: string;
  name: string;
  charityNumber: string | null;
  companyNumber: string | null;
  postalCode: string | null;
}

/** One grant as Coproduce holds it, whether awarded here or read from a file. */
export interface Grant {
  identifier: string;
  title: string;
  description: string;
  currency: string;
  amountAwardedPence: Pence;
  amountAppliedForPence: Pence | null;
  awardDate: CalendarDate;
  plannedStart: CalendarDate | null;
  plannedEnd: CalendarDate | null;
  durationMonths: number | null;
  recipient: GrantOrganisation;
  funder: { id: string; name: string };
  programmeTitle: string | null;
  locations: GrantLocation[];
  /** RFC 3339, as the publisher gave it. */
  dateModified: string | null;
}

export interface ReadReport {
  grants: Grant[];
  warnings: string[];
  errors: string[];
}

// ------------------------------------------------------------------ values

type Read<T> = { value: T; normalised?: string } | { problem: string };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * A date as 360Giving publishers have written them. YYYY-MM-DD and RFC 3339 date-times are the
 * standard's own (the date is taken as written, not moved across time zones). dd/mm/yyyy is how UK
 * publishers wrote dates before 1.4 and is read day first; where the second number cannot be a
 * month the file was not written day first and the date is reported, not guessed. Two-digit years
 * are reported too.
 */
export function readDate(value: unknown): Read<CalendarDate> {
  if (typeof value !== 'string' || value.trim() === '') return { problem: 'no date given' };
  const s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isCalendarDate(s) ? { value: s } : { problem: `"${s}" is not a real date` };
  const stamp = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (stamp) return isCalendarDate(stamp[1]!) ? { value: stamp[1]! } : { problem: `"${s}" is not a real date` };
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (dmy) {
    const [d, m, y] = [Number(dmy[1]), Number(dmy[2]), dmy[3]!];
    if (y.length === 2) return { problem: `"${s}" has a two-digit year, which could be in either century` };
    if (m > 12) return { problem: `"${s}" is not day/month/year (there is no month ${m}); it may be month/day/year` };
    const date = iso(Number(y), m, d);
    return isCalendarDate(date) ? { value: date, normalised: 'day/month/year' } : { problem: `"${s}" is not a real date` };
  }
  const words = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})$/.exec(s);
  const month = words ? MONTHS.findIndex((name) => name.startsWith(words[2]!.toLowerCase()) && words[2]!.length >= 3) + 1 : 0;
  if (words && month > 0) {
    const date = iso(Number(words[3]), month, Number(words[1]));
    return isCalendarDate(date) ? { value: date, normalised: 'a written-out month' } : { problem: `"${s}" is not a real date` };
  }
  return { problem: `"${s}" is not a date 360Giving allows (YYYY-MM-DD)` };
}

/** An amount in pounds: a JSON number to the penny, or text such as "£1,250.00". */
export function readAmount(value: unknown): Read<Pence> {
  if (typeof value === 'number') {
    const pence = Math.round(value * 100);
    if (!Number.isFinite(value) || Math.abs(pence - value * 100) > 1e-6 * Math.max(1, Math.abs(value))) return { problem: `${value} is not an amount to the penny` };
    return { value: pence };
  }
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      return { value: parsePounds(value), normalised: 'text' };
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
      return { problem: `"${value}" is not an amount` };
    }
  }
  return { problem: 'no amount given' };
}

/** A duration in months: a number, or text like "12", "18 months" or "2 years". Anything else is reported. */
export function readDuration(value: unknown): Read<number> {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { value } : { problem: `${value} is not a number of months` };
  if (typeof value !== 'string') return { problem: 'no duration given' };
  const m = /^(\d+(?:\.\d+)?)\s*(months?|years?|yrs?)?$/i.exec(value.trim());
  if (!m) return { problem: `"${value}" is not a number of months` };
  const n = Number(m[1]);
  return { value: m[2] && /^y/i.test(m[2]) ? n * 12 : n, normalised: 'text' };
}

// ------------------------------------------------------------------ reading a file

/** Keys of a grant this reader knows; any others are reported once for the whole file. */
const KNOWN_KEYS = new Set(['id', 'title', 'description', 'currency', 'amountAwarded', 'amountAppliedFor', 'amountDisbursed', 'awardDate', 'plannedDates', 'Planned Dates', 'recipientOrganization', 'recipientIndividual', 'fundingOrganization', 'grantProgramme', 'beneficiaryLocation', 'Recipient Org Beneficiary Location', 'dateModified', 'url']);

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
const objects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));

/** The grants array of a package, or of a bare array of grants; null when it is neither. */
function grantsOf(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object' && Array.isArray((data as { grants?: unknown }).grants)) return (data as { grants: unknown[] }).grants;
  return null;
}

/** Charity numbers sometimes arrive with their register's prefix or stray spaces: the number alone. */
const charityNumberOf = (v: unknown): string | null => str(v)?.replace(/^GB-(CHC|SC|NIC)-/i, '').replace(/\s+/g, '') || null;

/** Read a 360Giving file's JSON text. Every grant is either read whole or named in `errors` with the field. */
export function readThreeSixty(textIn: string): ReadReport {
  let data: unknown;
  try {
    data = JSON.parse(textIn.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { grants: [], warnings: [], errors: [`The file is not JSON: ${(err as Error).message}`] };
  }
  const items = grantsOf(data);
  if (!items) return { grants: [], warnings: [], errors: ['The file has no "grants" list: it is not a 360Giving package'] };
  if (items.length === 0) return { grants: [], warnings: [], errors: ['The file’s "grants" list is empty'] };

  const errors: string[] = [];
  const warnings: string[] = [];
  const normalised = new Map<string, number>();
  const extraKeys = new Map<string, number>();
  const seen = new Set<string>();
  const grants: Grant[] = [];
  const tally = (what: string) => normalised.set(what, (normalised.get(what) ?? 0) + 1);

  for (const [index, item] of items.entries()) {
    const raw = item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
    const id = raw ? str(raw.id) : null;
    const name = id ? `grant ${id}` : `grant #${index + 1}`;
    const problems: string[] = [];
    const fail = (field: string, why: string) => problems.push(`${name}: ${field}: ${why}`);
    if (!raw) {
      errors.push(`${name}: is not an object`);
      continue;
    }
    if (!id) fail('id', 'no identifier given');
    else if (seen.has(id)) fail('id', 'the same identifier is used by an earlier grant in the file');
    else seen.add(id);
    for (const key of Object.keys(raw)) if (!KNOWN_KEYS.has(key)) extraKeys.set(key, (extraKeys.get(key) ?? 0) + 1);

    const value = <T>(field: string, read: Read<T>, required: boolean): T | null => {
      if ('problem' in read) {
        if (required) fail(field, read.problem);
        else warnings.push(`${name}: ${field}: ${read.problem}; left out`);
        return null;
      }
      if (read.normalised) tally(`${field} written as ${read.normalised}`);
      return read.value;
    };

    const title = str(raw.title);
    if (!title) fail('title', 'no title given');
    const description = str(raw.description);
    if (!description) fail('description', 'no description given');
    const currency = str(raw.currency)?.toUpperCase() ?? null;
    if (!currency || !/^[A-Z]{3}$/.test(currency)) fail('currency', currency ? `"${currency}" is not an ISO 4217 currency code` : 'no currency given');
    const amount = value('amountAwarded', readAmount(raw.amountAwarded), true);
    if (amount !== null && amount <= 0) fail('amountAwarded', 'must be more than 0');
    const applied = raw.amountAppliedFor === undefined || raw.amountAppliedFor === null ? null : value('amountAppliedFor', readAmount(raw.amountAppliedFor), false);
    const awardDate = value('awardDate', readDate(raw.awardDate), true);

    // Planned dates: the standard's plannedDates list, or an old spreadsheet's "Planned Dates" columns.
    const events = [...objects(raw.plannedDates), ...objects(raw['Planned Dates'])];
    const eventValue = (keys: string[]) => events.map((e) => keys.map((k) => e[k]).find((v) => v !== undefined && v !== null && v !== '')).find((v) => v !== undefined);
    const startRaw = eventValue(['startDate', 'Start Date']);
    const endRaw = eventValue(['endDate', 'End Date']);
    const durationRaw = eventValue(['duration', 'Duration months', 'Duration  months', 'Duration (months)']);
    const plannedStart = startRaw === undefined ? null : value('plannedDates.startDate', readDate(startRaw), false);
    const plannedEnd = endRaw === undefined ? null : value('plannedDates.endDate', readDate(endRaw), false);
    const durationMonths = durationRaw === undefined ? null : value('plannedDates.duration', readDuration(durationRaw), false);
    if (plannedStart && plannedEnd && plannedEnd < plannedStart) warnings.push(`${name}: plannedDates: ends (${plannedEnd}) before it starts (${plannedStart}); kept as published`);

    const [recipientRaw] = objects(raw.recipientOrganization);
    const individual = objects(raw.recipientIndividual)[0];
    let recipient: GrantOrganisation | null = null;
    if (recipientRaw) {
      const rid = str(recipientRaw.id);
      const rname = str(recipientRaw.name);
      if (!rid) fail('recipientOrganization.id', 'no identifier given');
      if (!rname) fail('recipientOrganization.name', 'no name given');
      const charityNumber = charityNumberOf(recipientRaw.charityNumber);
      if (charityNumber && charityNumber !== str(recipientRaw.charityNumber)) tally('recipientOrganization.charityNumber with a prefix or spaces');
      if (rid && rname) recipient = { id: rid, name: rname, charityNumber, companyNumber: str(recipientRaw.companyNumber), postalCode: str(recipientRaw.postalCode) };
    } else if (individual && str(individual.id)) {
      // A grant to a person: 360Giving names them by an identifier only, and so do we.
      recipient = { id: str(individual.id)!, name: 'An individual', charityNumber: null, companyNumber: null, postalCode: null };
    } else fail('recipientOrganization', 'no recipient organisation or individual given');

    const [funderRaw] = objects(raw.fundingOrganization);
    const funderId = funderRaw ? str(funderRaw.id) : null;
    const funderName = funderRaw ? str(funderRaw.name) : null;
    if (!funderId || !funderName) fail('fundingOrganization', 'no funder identifier and name given');

    const locations: GrantLocation[] = objects(raw.beneficiaryLocation).map((l) => ({ name: str(l.name), geoCode: str(l.geoCode), geoCodeType: str(l.geoCodeType), countryCode: str(l.countryCode) }));
    for (const old of objects(raw['Recipient Org Beneficiary Location'])) {
      if (str(old.Name)) {
        locations.push({ name: str(old.Name), geoCode: str(old['Geographic Code']), geoCodeType: null, countryCode: null });
        tally('beneficiary location in an unflattened spreadsheet column');
      }
    }
    const programmeTitle = objects(raw.grantProgramme).map((p) => str(p.title)).find(Boolean) ?? null;
    const dateModified = str(raw.dateModified);

    if (problems.length) {
      errors.push(...problems);
      continue;
    }
    grants.push({
      identifier: id!,
      title: title!,
      description: description!,
      currency: currency!,
      amountAwardedPence: amount!,
      amountAppliedForPence: applied,
      awardDate: awardDate!,
      plannedStart,
      plannedEnd,
      durationMonths,
      recipient: recipient!,
      funder: { id: funderId!, name: funderName! },
      programmeTitle,
      locations: locations.filter((l) => l.name || l.geoCode),
      dateModified,
    });
  }
  for (const [what, n] of normalised) warnings.push(`${what}: ${n} ${n === 1 ? 'value' : 'values'} normalised`);
  if (extraKeys.size) warnings.push(`Fields Coproduce does not keep were left out: ${[...extraKeys].map(([k, n]) => `${k} (${n})`).join(', ')}`);
  return { grants, warnings, errors };
}

// ------------------------------------------------------------------ writing

const omitNull = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/** One grant as a 1.4.3 grant object. */
export function grantJson(g: Grant): Record<string, unknown> {
  const planned = g.plannedStart || g.plannedEnd || g.durationMonths !== null ? [omitNull({ startDate: g.plannedStart, endDate: g.plannedEnd, duration: g.durationMonths })] : null;
  return omitNull({
    id: g.identifier,
    title: g.title,
    description: g.description,
    currency: g.currency,
    amountAwarded: penceToPounds(g.amountAwardedPence),
    amountAppliedFor: g.amountAppliedForPence === null ? null : penceToPounds(g.amountAppliedForPence),
    awardDate: g.awardDate,
    plannedDates: planned,
    recipientOrganization: [omitNull({ ...g.recipient })],
    beneficiaryLocation: g.locations.length ? g.locations.map((l) => omitNull({ ...l })) : null,
    fundingOrganization: [g.funder],
    grantProgramme: g.programmeTitle ? [{ title: g.programmeTitle }] : null,
    dateModified: g.dateModified,
  });
}

export const threeSixtyPackage = (grants: Grant[]) => ({ grants: grants.map(grantJson) });

/** The flattened CSV layout 360Giving's own tools read: the standard's field titles as headings. */
const CSV_COLUMNS: [string, (g: Grant) => string | number | null][] = [
  ['Identifier', (g) => g.identifier],
  ['Title', (g) => g.title],
  ['Description', (g) => g.description],
  ['Currency', (g) => g.currency],
  ['Amount Applied For', (g) => (g.amountAppliedForPence === null ? null : penceToPounds(g.amountAppliedForPence))],
  ['Amount Awarded', (g) => penceToPounds(g.amountAwardedPence)],
  ['Award Date', (g) => g.awardDate],
  ['Planned Dates:Start Date', (g) => g.plannedStart],
  ['Planned Dates:End Date', (g) => g.plannedEnd],
  ['Planned Dates:Duration (months)', (g) => g.durationMonths],
  ['Recipient Org:Identifier', (g) => g.recipient.id],
  ['Recipient Org:Name', (g) => g.recipient.name],
  ['Recipient Org:Charity Number', (g) => g.recipient.charityNumber],
  ['Recipient Org:Company Number', (g) => g.recipient.companyNumber],
  ['Recipient Org:Postal Code', (g) => g.recipient.postalCode],
  ['Beneficiary Location:Name', (g) => g.locations[0]?.name ?? null],
  ['Beneficiary Location:Geographic Code', (g) => g.locations[0]?.geoCode ?? null],
  ['Beneficiary Location:Geographic Code Type', (g) => g.locations[0]?.geoCodeType ?? null],
  ['Beneficiary Location:Country Code', (g) => g.locations[0]?.countryCode ?? null],
  ['Funding Org:Identifier', (g) => g.funder.id],
  ['Funding Org:Name', (g) => g.funder.name],
  ['Grant Programme:Title', (g) => g.programmeTitle],
  ['Last Modified', (g) => g.dateModified],
];

export const CSV_HEADINGS = CSV_COLUMNS.map(([h]) => h);

export function threeSixtyCsv(grants: Grant[]): string {
  const rows = [CSV_HEADINGS, ...grants.map((g) => CSV_COLUMNS.map(([, get]) => get(g)))];
  return csvText(rows);
}
