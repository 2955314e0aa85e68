/**
 * Open Contracting Data Standard 1.1.5, both ways, as pure functions. Reading keeps the fields the
 * model below holds — from Contracts Finder and other publishers, OCDS 1.0-era files included —
 * and reports by release and field what cannot be read. Writing gives a release for every event
 * in the procurement model (tender, cancellation, award, contract, each variation or extension,
 * each payment), with Contracts Finder's UK extensions and the lots extension, and compiles records
 * by OCDS's merge rules.
 */
import { isCalendarDate, londonToday } from '../../lib/dates.ts';
import { diversityGroups, PROCEDURES, statusOfLots, type Locality, type Procedure, type SupplierSize } from './rules.ts';
import type { ContractType } from './thresholds.ts';

export const OCDS_VERSION = '1.1';
/** The extensions Contracts Finder declares for the UK fields written here. */
export const UK_EXTENSIONS = [
  'https://raw.githubusercontent.com/Crown-Commercial-Service/ocds_tender_suitability_extension/master/extension.json',
  'https://raw.githubusercontent.com/Crown-Commercial-Service/ocds_partyDetails_vcse_extension/master/extension.json',
  'https://raw.githubusercontent.com/Crown-Commercial-Service/ocds_awards_datePublished_extension/master/extension.json',
];
/**
 * The lots extension: tender.lots, items[].relatedLot, awards[].relatedLots. (Its schema is not among
 * the standards kept locally, so the tests check these fields' shape themselves.) The bid statistics
 * extension is not kept locally either, so no `bids` are written.
 */
export const LOTS_EXTENSION = 'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json';

/** A release as OCDS writes it (amounts in the currency's main unit). */
export type Release = { ocid: string; id: string; date: string; tag: string[]; [field: string]: unknown };

/** The same release as Coproduce holds it: every `value.amount` in hundredths (pence for GBP). */
export type HeldRelease = Release;

// ------------------------------------------------------------------ the model

type Leaf = 'string' | 'id' | 'date' | 'uri' | 'boolean' | 'number' | 'strings' | 'tags' | 'value';
interface Shape { [field: string]: Leaf | Shape | [Shape] }

const PERIOD: Shape = { startDate: 'date', endDate: 'date' };
const ORG_REF: Shape = { id: 'id', name: 'string' };
const CLASSIFICATION: Shape = { scheme: 'string', id: 'id', description: 'string', uri: 'uri' };
const ADDRESS: Shape = { streetAddress: 'string', locality: 'string', region: 'string', postalCode: 'string', countryName: 'string' };
const ITEMS: [Shape] = [{
  id: 'id', description: 'string', classification: CLASSIFICATION, additionalClassifications: [CLASSIFICATION], quantity: 'number',
  unit: { scheme: 'string', id: 'id', name: 'string', value: 'value', uri: 'uri' }, deliveryAddresses: [ADDRESS], relatedLot: 'id',
}];
const IDENTIFIER: Shape = { scheme: 'string', id: 'id', legalName: 'string', uri: 'uri' };
/** Payments; OCDS 1.0-era files (Mexico City's) give amount, providerOrganization and receiverOrganization, which 1.1 deprecates but keeps. */
const TRANSACTIONS: [Shape] = [{ id: 'id', source: 'uri', date: 'date', value: 'value', payer: ORG_REF, payee: ORG_REF, uri: 'uri', amount: 'value', providerOrganization: IDENTIFIER, receiverOrganization: IDENTIFIER }];
const DOCUMENTS: [Shape] = [{ id: 'id', documentType: 'string', title: 'string', description: 'string', url: 'uri', datePublished: 'date', dateModified: 'date', format: 'string', language: 'string' }];

/**
 * Every field the model holds; anything else in a file is counted and reported, not kept. Contact
 * points (people's names, emails, phone numbers) are left out on purpose: the register needs the
 * organisation, not the person.
 */
export const RELEASE_SHAPE: Shape = {
  ocid: 'string', id: 'id', date: 'date', tag: 'tags', initiationType: 'string', language: 'string', title: 'string',
  buyer: ORG_REF,
  parties: [{
    id: 'id', name: 'string', roles: 'strings',
    identifier: { scheme: 'string', id: 'id', legalName: 'string' },
    address: ADDRESS,
    details: { scale: 'string', vcse: 'boolean', url: 'uri' },
  }],
  tender: {
    id: 'id', title: 'string', description: 'string', status: 'string', datePublished: 'date',
    classification: CLASSIFICATION, additionalClassifications: [CLASSIFICATION],
    items: ITEMS, lots: [{ id: 'id', title: 'string', description: 'string', status: 'string', value: 'value' }],
    value: 'value', minValue: 'value', procurementMethod: 'string', procurementMethodDetails: 'string', mainProcurementCategory: 'string',
    tenderPeriod: PERIOD, contractPeriod: PERIOD, suitability: { sme: 'boolean', vcse: 'boolean' }, documents: DOCUMENTS,
    numberOfTenderers: 'number', tenderers: [ORG_REF],
  },
  awards: [{ id: 'id', title: 'string', description: 'string', status: 'string', date: 'date', datePublished: 'date', value: 'value', suppliers: [ORG_REF], items: ITEMS, contractPeriod: PERIOD, documents: DOCUMENTS, relatedLots: 'strings' }],
  contracts: [{
    id: 'id', awardID: 'id', title: 'string', description: 'string', status: 'string', value: 'value', items: ITEMS, period: PERIOD, dateSigned: 'date', documents: DOCUMENTS,
    amendments: [{ id: 'id', date: 'date', rationale: 'string', description: 'string' }],
    implementation: {
      transactions: TRANSACTIONS, documents: DOCUMENTS,
      milestones: [{ id: 'id', title: 'string', type: 'string', description: 'string', code: 'string', dueDate: 'date', dateMet: 'date', dateModified: 'date', status: 'string', documents: DOCUMENTS }],
    },
  }],
};

const REQUIRED: Record<string, string[]> = {
  '': ['ocid', 'id', 'date', 'tag'], awards: ['id'], contracts: ['id', 'awardID'], 'tender.lots': ['id'],
  'tender.items': ['id'], 'awards.items': ['id'], 'contracts.items': ['id'], 'contracts.implementation.transactions': ['id'], 'contracts.implementation.milestones': ['id'],
};
const RELEASE_TAGS = new Set(['planning', 'planningUpdate', 'tender', 'tenderAmendment', 'tenderUpdate', 'tenderCancellation', 'award', 'awardUpdate', 'awardCancellation', 'contract', 'contractUpdate', 'contractAmendment', 'implementation', 'implementationUpdate', 'contractTermination']);
const PACKAGE_FIELDS = new Set(['uri', 'version', 'extensions', 'publishedDate', 'publisher', 'license', 'publicationPolicy', 'releases', 'records', 'packages', 'links']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// ------------------------------------------------------------------ reading

export interface ReadReport {
  releases: HeldRelease[];
  warnings: string[];
  errors: string[];
}

interface Reading {
  errors: string[];
  /** Paths outside the model, with how often they were met. */
  dropped: Map<string, number>;
  dateOnly: number;
  /** Links that are not web addresses (Contracts Finder has "http://Contract Finder"), which OCDS cannot carry. */
  badLinks: string[];
}

const drop = (r: Reading, path: string) => r.dropped.set(path, (r.dropped.get(path) ?? 0) + 1);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown) => JSON.stringify(v)?.slice(0, 60);

function readLeaf(leaf: Leaf, v: unknown, path: string, r: Reading, problem: (field: string, message: string) => void): unknown {
  switch (leaf) {
    case 'string':
      return typeof v === 'string' ? v : problem(path, `${shown(v)} is not text`);
    case 'id':
      return typeof v === 'string' || Number.isInteger(v) ? String(v) : problem(path, `${shown(v)} is not an identifier`);
    case 'uri': {
      if (typeof v !== 'string') return problem(path, `${shown(v)} is not a web address`);
      if (/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v) && URL.canParse(v)) return v;
      r.badLinks.push(`${path}: "${v}"`);
      return undefined;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : problem(path, `${shown(v)} is not true or false`);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : problem(path, `${shown(v)} is not a number`);
    case 'strings':
    case 'tags': {
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) return problem(path, `${shown(v)} is not a list of text`);
      const bad = leaf === 'tags' ? v.find((t) => !RELEASE_TAGS.has(t as string)) : undefined;
      return bad === undefined ? v : problem(path, `"${bad}" is not a release tag`);
    }
    case 'date': {
      if (typeof v !== 'string') return problem(path, `${shown(v)} is not a date`);
      // Date.parse takes 30 February as 2 March, so the day is checked against the calendar.
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) && isCalendarDate(v)) {
        r.dateOnly += 1;
        return `${v}T00:00:00Z`;
      }
      return DATE_TIME.test(v) && isCalendarDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)) ? v : problem(path, `"${v}" is not a date and time`);
    }
    case 'value': {
      if (!isObject(v)) return problem(path, `${shown(v)} is not a value`);
      const out: Record<string, unknown> = {};
      if (v.amount !== null && v.amount !== undefined) {
        if (typeof v.amount !== 'number' || !Number.isFinite(v.amount)) return problem(`${path}.amount`, `${shown(v.amount)} is not a number`);
        const hundredths = Math.round(v.amount * 100);
        if (Math.abs(hundredths - v.amount * 100) > 1e-6) return problem(`${path}.amount`, `${v.amount} has more than two decimal places`);
        out.amount = hundredths;
      }
      if (v.currency !== null && v.currency !== undefined) {
        if (typeof v.currency !== 'string' || !/^[A-Z]{3}$/.test(v.currency)) return problem(`${path}.currency`, `${shown(v.currency)} is not a currency code`);
        out.currency = v.currency;
      }
      for (const k of Object.keys(v)) if (k !== 'amount' && k !== 'currency') drop(r, `${path.replace(/\[\d+\]/g, '')}.${k}`);
      return Object.keys(out).length ? out : undefined;
    }
  }
}

/** The fields of `raw` that the shape holds; nulls and empty objects are left out, as OCDS allows. */
function readShape(shape: Shape, raw: Record<string, unknown>, path: string, r: Reading, problem: (field: string, message: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const general = path.replace(/\[\d+\]/g, '');
  for (const [k, v] of Object.entries(raw)) {
    const spec = shape[k];
    const at = path ? `${path}.${k}` : k;
    if (!spec) {
      drop(r, general ? `${general}.${k}` : k);
      continue;
    }
    if (v === null || v === undefined) continue;
    let read: unknown;
    if (typeof spec === 'string') read = readLeaf(spec, v, at, r, problem);
    else if (Array.isArray(spec)) {
      if (!Array.isArray(v)) read = problem(at, `${shown(v)} is not a list`);
      else {
        const items = v.map((item, i) => (isObject(item) ? readShape(spec[0], item, `${at}[${i}]`, r, problem) : problem(`${at}[${i}]`, `${shown(item)} is not an object`)));
        for (const [i, item] of items.entries()) for (const need of REQUIRED[general ? `${general}.${k}` : k] ?? []) if (item && !(need in item)) problem(`${at}[${i}].${need}`, 'missing');
        read = items.length ? items : undefined;
      }
    } else read = isObject(v) ? readShape(spec, v, at, r, problem) : problem(at, `${shown(v)} is not an object`);
    if (read !== undefined && !(isObject(read) && Object.keys(read).length === 0)) out[k] = read;
  }
  return out;
}

/** One release read against the model; `problem` is told each field that cannot be read. */
function readRelease(raw: unknown, position: number, r: Reading): HeldRelease | null {
  const name = isObject(raw) && typeof raw.id === 'string' && raw.id ? `release ${raw.id}` : `release ${position}`;
  const before = r.errors.length;
  const problem = (field: string, message: string) => {
    r.errors.push(`${name}: ${field}: ${message}`);
    return undefined;
  };
  if (!isObject(raw)) {
    problem('(release)', 'not an object');
    return null;
  }
  const linksBefore = r.badLinks.length;
  const held = readShape(RELEASE_SHAPE, raw, '', r, problem);
  for (let i = linksBefore; i < r.badLinks.length; i++) r.badLinks[i] = `${name}: ${r.badLinks[i]}`;
  for (const need of REQUIRED['']!) if (!(need in held) && !r.errors.some((e) => e.startsWith(`${name}: ${need}:`))) problem(need, 'missing');
  // OCDS has one initiation type, so a release that leaves it out (as 1.0-era files do) can only mean it.
  if (!('initiationType' in held) && r.errors.length === before) held.initiationType = 'tender';
  return r.errors.length === before ? (held as HeldRelease) : null;
}

/**
 * A release package or record package as publishers put them out. Package-level defects (no
 * publisher, no version, fields outside the standard) are warnings; anything wrong in a release
 * is an error naming the release and field, and then no release is returned.
 */
export function readPackage(text: string): ReadReport {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (err) {
    return { releases: [], warnings: [], errors: [`file: not JSON (${(err as Error).message})`] };
  }
  if (!isObject(pkg)) return { releases: [], warnings: [], errors: ['file: not an OCDS release package or record package'] };
  const warnings: string[] = [];
  if (!isObject(pkg.publisher) || typeof pkg.publisher.name !== 'string') warnings.push('package: no publisher name');
  if (typeof pkg.version !== 'string') warnings.push('package: no version (read as OCDS 1.1)');
  else if (!/^1\.[01]$/.test(pkg.version)) warnings.push(`package: version ${pkg.version} (read as 1.1)`);
  const outside = Object.keys(pkg).filter((k) => !PACKAGE_FIELDS.has(k));
  if (outside.length) warnings.push(`package: fields outside the standard, ignored: ${outside.join(', ')}`);
  let raws: unknown[];
  if (Array.isArray(pkg.releases)) raws = pkg.releases;
  else if (Array.isArray(pkg.records)) {
    raws = [];
    for (const record of pkg.records) {
      const embedded = isObject(record) && Array.isArray(record.releases) ? record.releases.filter((rel) => isObject(rel) && 'tag' in rel) : [];
      if (embedded.length) raws.push(...embedded);
      else if (isObject(record) && isObject(record.compiledRelease)) {
        warnings.push(`record ${String(record.ocid)}: releases are links only; its compiled release was read`);
        raws.push({ ...record.compiledRelease, tag: ((record.compiledRelease.tag as string[] | undefined) ?? []).filter((t) => t !== 'compiled') });
      }
    }
  } else return { releases: [], warnings, errors: ['file: neither "releases" nor "records" is a list'] };
  const r: Reading = { errors: [], dropped: new Map(), dateOnly: 0, badLinks: [] };
  const releases = raws.map((raw, i) => readRelease(raw, i + 1, r)).filter((x): x is HeldRelease => x !== null);
  const seen = new Map<string, string>();
  for (const rel of releases) {
    const key = `${rel.ocid} ${rel.id}`;
    const body = JSON.stringify(rel);
    if (seen.has(key) && seen.get(key) !== body) r.errors.push(`release ${rel.id}: id: given twice for ${rel.ocid}, differently`);
    seen.set(key, body);
  }
  if (r.badLinks.length) warnings.push(`links that are not web addresses, left out: ${r.badLinks.join(', ')}`);
  if (r.dateOnly) warnings.push(`dates without a time: ${r.dateOnly} read as midnight UTC`);
  if (r.dropped.size) warnings.push(`fields the register does not hold, left out: ${[...r.dropped].map(([p, n]) => `${p} (${n})`).join(', ')}`);
  const unique = [...new Map(releases.map((rel) => [`${rel.ocid} ${rel.id}`, rel])).values()];
  return r.errors.length ? { releases: [], warnings, errors: r.errors } : { releases: unique, warnings, errors: [] };
}

/**
 * What a set of releases holds: each tender, award and contract counted once however many
 * releases mention it (an awardUpdate repeats its award), with its value as its latest release
 * gives it; award values in hundredths by currency.
 */
export function summarise(releases: HeldRelease[]) {
  const tenders = new Set<string>();
  const awards = new Map<string, { amount?: number; currency?: string } | undefined>();
  const contracts = new Set<string>();
  for (const r of sortReleases(releases)) {
    if (isObject(r.tender)) tenders.add(`${r.ocid} ${String(r.tender.id)}`);
    for (const a of (r.awards as { id: string; value?: { amount?: number; currency?: string } }[] | undefined) ?? []) awards.set(`${r.ocid} ${a.id}`, a.value ?? awards.get(`${r.ocid} ${a.id}`));
    for (const c of (r.contracts as { id: string }[] | undefined) ?? []) contracts.add(`${r.ocid} ${c.id}`);
  }
  const awardValue: Record<string, number> = {};
  for (const v of awards.values()) if (v?.amount !== undefined && v.currency) awardValue[v.currency] = (awardValue[v.currency] ?? 0) + v.amount;
  return { releases: releases.length, tenders: tenders.size, awards: awards.size, contracts: contracts.size, awardValue };
}

/** The model's own reading of any release, for comparing what went in with what comes out. */
export function heldFields(release: unknown): HeldRelease | null {
  return readRelease(release, 1, { errors: [], dropped: new Map(), dateOnly: 0, badLinks: [] });
}

/** JSON with keys in order, for telling whether a release has changed (PostgreSQL's jsonb reorders keys). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

// ------------------------------------------------------------------ writing

/** Every value the shape holds, changed by `f`; the rest as it is. */
function mapValues(shape: Shape, held: Record<string, unknown>, f: (v: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...held };
  for (const [k, v] of Object.entries(held)) {
    const spec = shape[k];
    if (spec === 'value' && isObject(v)) out[k] = f(v);
    else if (Array.isArray(spec) && Array.isArray(v)) out[k] = v.map((x) => (isObject(x) ? mapValues(spec[0], x, f) : x));
    else if (isObject(spec) && isObject(v)) out[k] = mapValues(spec as Shape, v, f);
  }
  return out;
}

/** Hundredths back to the currency's unit, wherever the model holds a value. */
export const toOcds = (held: HeldRelease): Release =>
  mapValues(RELEASE_SHAPE, held, (v) => (typeof v.amount === 'number' ? { ...v, amount: v.amount / 100 } : v)) as Release;

/** A calendar date in London as an RFC 3339 date-time at the start of that day there. */
export function londonMidnight(date: string): string {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' }).formatToParts(new Date(`${date}T12:00:00Z`)).find((p) => p.type === 'timeZoneName')!.value;
  const offset = name.slice(3);
  return `${date}T00:00:00${offset === '' || offset === '+00:00' ? 'Z' : offset}`;
}

const lastDay = (start: string, months: number) => {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export interface OcdsSupplier {
  id: string;
  name: string;
  type: string;
  size: string;
  locality: string;
  charityNumber: string | null;
  companyNumber: string | null;
}

export interface OcdsModel {
  prefix: string;
  authority: { slug: string; name: string };
  tenders: {
    id: string; ref: string; title: string; description: string; cpvCode: string; contractType: string; valueExVatPence: number; aboveThreshold: boolean;
    procedure: string; reservedForMutuals: boolean; termMonths: number; startsOn: string; publishedOn: string; closesAt: Date; status: string; cancelledOn: string | null;
    /** notAwardedAt: when the council decided not to award the lot (s.55), if it did. */
    lots: { id: string; position: number; title: string; valueExVatPence: number | null; notAwardedAt: Date | null }[];
    /** Who bid (each bid's lead), once; only ever published in award releases, which come after the deadline. */
    tendererIds: string[];
  }[];
  /** awardNoticeOn is null where no contract award notice is published (a user choice contract). */
  awards: { id: string; tenderId: string; lotId: string | null; decidedAt: Date; awardNoticeOn: string | null; supplierIds: string[] }[];
  contracts: {
    id: string; ref: string; tenderId: string | null; awardId: string | null; title: string; description: string; supplierId: string; valuePence: number; startsOn: string; endsOn: string; createdAt: Date;
    changes: { id: string; kind: string; madeOn: string; newEndsOn: string | null; valueChangePence: number; reason: string }[];
    payments: { id: string; paidOn: string; amountPence: number }[];
  }[];
  suppliers: OcdsSupplier[];
}

const SCALE: Record<string, string> = { micro: 'micro', small: 'sme', medium: 'sme', large: 'large' };
const METHOD: Record<Procedure, string> = { open: 'open', competitive_flexible: 'selective', quotes: 'open', direct_award: 'direct' };
const CATEGORY: Record<string, string> = { goods_services: 'services', light_touch: 'services', works: 'works' };

/** A lot's local identifier in OCDS, its number: what items and awards refer to. */
const lotRef = (position: number) => `L${position}`;
const gbp = (pence: number) => ({ amount: pence, currency: 'GBP' });

type ModelTender = OcdsModel['tenders'][number];

/** The tender's lots (the lots extension), and its items: one per lot, or one for the whole tender, classified by CPV. */
function lotsAndItems(t: ModelTender) {
  const classification = { scheme: 'CPV', id: t.cpvCode };
  if (t.lots.length === 0) return { items: [{ id: '1', description: t.title, classification }] };
  return {
    lots: t.lots.map((l) => ({ id: lotRef(l.position), title: l.title, status: 'active', ...(l.valueExVatPence === null ? {} : { value: gbp(l.valueExVatPence) }) })),
    items: t.lots.map((l) => ({ id: String(l.position), description: l.title, classification, relatedLot: lotRef(l.position) })),
  };
}

const TENDER_STATUS = { open: 'active', awarded: 'complete', cancelled: 'cancelled' } as const;

/**
 * The tender's status as it stood at `at`: active while any lot (or the tender itself) is neither
 * awarded nor decided not to be; then complete if anything was awarded, else cancelled.
 */
function tenderStatusAt(t: ModelTender, all: OcdsModel['awards'], at: Date) {
  const awarded = all.filter((x) => x.tenderId === t.id && x.decidedAt.getTime() <= at.getTime()).length;
  const notAwarded = t.lots.filter((l) => l.notAwardedAt && l.notAwardedAt.getTime() <= at.getTime()).length;
  return TENDER_STATUS[statusOfLots(t.lots.length, awarded, notAwarded)];
}

/**
 * What an award release says of its tender: complete once its last lot (or the tender itself) is
 * settled, and the lot awarded complete; who bid, since the deadline has passed by then.
 */
function awardedTender(t: ModelTender, a: OcdsModel['awards'][number], all: OcdsModel['awards'], ref: (supplierId: string) => { id: string; name: string }) {
  const lot = t.lots.find((l) => l.id === a.lotId);
  const status = tenderStatusAt(t, all, a.decidedAt);
  // A direct award is made without competition: nobody tendered, so there is no count to give.
  const tenderers = t.procedure === 'direct_award' ? {} : { numberOfTenderers: t.tendererIds.length, tenderers: t.tendererIds.map(ref) };
  return { id: t.ref, status, ...tenderers, ...(lot ? { lots: [{ id: lotRef(lot.position), status: 'complete' }] } : {}) };
}

/** The parties of an award release: the buyer, then each supplier and tenderer once, with every role it has. */
function awardParties(buyerParty: Record<string, unknown>, party: (supplierId: string) => ReturnType<typeof supplierParty>, supplierIds: string[], tendererIds: string[]) {
  const ids = [...new Set([...supplierIds, ...tendererIds])];
  return [buyerParty, ...ids.map((id) => {
    const roles = [...(supplierIds.includes(id) ? ['supplier'] : []), ...(tendererIds.includes(id) ? ['tenderer'] : [])];
    return { ...party(id), roles };
  })];
}

/** A supplier as an OCDS party: org-id from its charity or company number (GB-CHC, GB-COH), its scale and VCSE flag. */
export function supplierParty(prefix: string, s: OcdsSupplier) {
  const identifier = s.charityNumber ? { scheme: 'GB-CHC', id: s.charityNumber, legalName: s.name } : s.companyNumber ? { scheme: 'GB-COH', id: s.companyNumber, legalName: s.name } : { legalName: s.name };
  const groups = diversityGroups(s.type, s.size as SupplierSize, s.locality as Locality);
  return {
    id: 'scheme' in identifier ? `${identifier.scheme}-${identifier.id}` : `${prefix}-supplier-${s.id}`,
    name: s.name,
    roles: ['supplier'],
    identifier,
    details: { scale: SCALE[s.size] ?? 'sme', vcse: groups.includes('vcs') || groups.includes('social_enterprise') || groups.includes('mutual') },
  };
}

/**
 * Every release the model gives, in date order. Release ids name the event and the row it came
 * from, so the same data always gives the same releases. Suitability (the UK extension) follows the
 * law: below threshold there is no pre-qualification stage at any value, so the opportunity is open
 * to SMEs and VCSEs; above it, a contract reserved for public service mutuals is for VCSEs.
 */
export function deriveReleases(m: OcdsModel): HeldRelease[] {
  const buyer = { id: `${m.prefix}-buyer-${m.authority.slug}`, name: m.authority.name };
  const buyerParty = { ...buyer, roles: ['buyer'], identifier: { legalName: m.authority.name } };
  const suppliers = new Map(m.suppliers.map((s) => [s.id, supplierParty(m.prefix, s)]));
  const ref = (id: string) => ({ id: suppliers.get(id)!.id, name: suppliers.get(id)!.name });
  const tenders = new Map(m.tenders.map((t) => [t.id, t]));
  const ocidOf = (tenderId: string | null, contractRef: string) => `${m.prefix}-${tenderId ? tenders.get(tenderId)!.ref : contractRef}`;
  const out: HeldRelease[] = [];
  // A process's events are released in the order they happened. A change is dated by its day
  // alone, so one made the day the contract was signed (or two the same day) is dated a second
  // after the event before it, and records compile in that order. That order is kept within each
  // stream of events: the tender's (its lots settled one by one), and each contract's own; the
  // streams of a process interleave by date, so a lot decided after another lot's contract was
  // signed is released after it, and before that contract's later payments.
  const lastAt = new Map<string, number>();
  const release = (ocid: string, tag: string, source: string, date: string, body: Record<string, unknown>, stream = ocid) => {
    const prev = lastAt.get(stream);
    const at = prev !== undefined && Date.parse(date) <= prev ? new Date(prev + 1000).toISOString() : date;
    lastAt.set(stream, Date.parse(at));
    out.push({ ocid, id: `${ocid}-${tag}-${source}`, date: at, tag: [tag], initiationType: 'tender', language: 'en', buyer, ...body });
    return Date.parse(at);
  };
  /** When each award was released: its contract's stream follows it. */
  const awardReleasedAt = new Map<string, number>();

  for (const t of m.tenders) {
    const ocid = ocidOf(t.id, '');
    const tender = {
      id: t.ref, title: t.title, description: t.description, status: 'active',
      classification: { scheme: 'CPV', id: t.cpvCode }, value: { amount: t.valueExVatPence, currency: 'GBP' },
      procurementMethod: METHOD[t.procedure as Procedure], procurementMethodDetails: PROCEDURES[t.procedure as keyof typeof PROCEDURES], mainProcurementCategory: CATEGORY[t.contractType as ContractType],
      tenderPeriod: { startDate: londonMidnight(t.publishedOn), endDate: t.closesAt.toISOString() },
      contractPeriod: { startDate: londonMidnight(t.startsOn), endDate: londonMidnight(lastDay(t.startsOn, t.termMonths)) },
      suitability: { sme: !t.aboveThreshold, vcse: !t.aboveThreshold || t.reservedForMutuals },
      ...lotsAndItems(t),
    };
    release(ocid, 'tender', t.id, londonMidnight(t.publishedOn), { parties: [buyerParty], tender });
  }
  // A tender is settled lot by lot, by an award or a decision not to award, or as a whole by its
  // cancellation; released in the order they happened. A cancellation records its day alone, so it
  // follows whatever else happened that day.
  const settled = [
    ...m.awards.map((a) => ({ at: a.decidedAt, award: a })),
    ...m.tenders.flatMap((t) => t.lots.flatMap((l) => (l.notAwardedAt ? [{ at: l.notAwardedAt, notAwarded: { tender: t, lot: l } }] : []))),
    ...m.tenders.flatMap((t) => (t.status === 'cancelled' && t.cancelledOn ? [{ at: new Date(londonMidnight(t.cancelledOn)), cancelled: t }] : [])),
  ];
  const day = (e: (typeof settled)[number]) => londonToday(e.at);
  settled.sort((x, y) => day(x).localeCompare(day(y)) || Number('cancelled' in x) - Number('cancelled' in y) || x.at.getTime() - y.at.getTime());
  for (const event of settled) {
    if ('cancelled' in event) {
      const t = event.cancelled;
      // Cancelled as a whole, every lot still open goes with it (no lot can have been awarded).
      const lotsCancelled = t.lots.filter((l) => !l.notAwardedAt).map((l) => ({ id: lotRef(l.position), status: 'cancelled' }));
      release(ocidOf(t.id, ''), 'tenderCancellation', t.id, londonMidnight(t.cancelledOn!), { parties: [buyerParty], tender: { id: t.ref, status: 'cancelled', ...(lotsCancelled.length ? { lots: lotsCancelled } : {}) } });
      continue;
    }
    if ('notAwarded' in event) {
      const { tender: t, lot } = event.notAwarded;
      const status = tenderStatusAt(t, m.awards, event.at);
      // The lots extension gives each lot a status from the tender status codelist: a lot not awarded is cancelled.
      release(ocidOf(t.id, ''), status === 'cancelled' ? 'tenderCancellation' : 'tenderUpdate', lot.id, event.at.toISOString(), { parties: [buyerParty], tender: { id: t.ref, status, lots: [{ id: lotRef(lot.position), status: 'cancelled' }] } });
      continue;
    }
    const a = event.award;
    const t = tenders.get(a.tenderId)!;
    const contract = m.contracts.find((c) => c.awardId === a.id);
    const lot = t.lots.find((l) => l.id === a.lotId);
    const award = {
      id: a.id, status: 'active', date: a.decidedAt.toISOString(), datePublished: a.awardNoticeOn ? londonMidnight(a.awardNoticeOn) : a.decidedAt.toISOString(),
      ...(contract ? { value: { amount: contract.valuePence, currency: 'GBP' }, contractPeriod: { startDate: londonMidnight(contract.startsOn), endDate: londonMidnight(contract.endsOn) } } : {}),
      suppliers: a.supplierIds.map(ref),
      ...(lot ? { relatedLots: [lotRef(lot.position)] } : {}),
    };
    const parties = awardParties(buyerParty, (id) => suppliers.get(id)!, a.supplierIds, t.tendererIds);
    awardReleasedAt.set(a.id, release(ocidOf(a.tenderId, ''), 'award', a.id, a.decidedAt.toISOString(), { parties, tender: awardedTender(t, a, m.awards, ref), awards: [award] }));
  }
  for (const c of m.contracts) {
    const ocid = ocidOf(c.tenderId, c.ref);
    const parties = [buyerParty, suppliers.get(c.supplierId)!];
    // A contract made outside a tender here has no award to point at, so it names its own.
    const awardID = c.awardId ?? `${c.ref}-award`;
    const state = { id: c.ref, awardID, title: c.title, description: c.description, status: 'active', value: { amount: c.valuePence, currency: 'GBP' }, period: { startDate: londonMidnight(c.startsOn), endDate: londonMidnight(c.endsOn) } };
    const extra = c.awardId ? {} : { awards: [{ id: awardID, status: 'active', suppliers: [ref(c.supplierId)] }] };
    const stream = `contract ${c.id}`;
    if (c.awardId && awardReleasedAt.has(c.awardId)) lastAt.set(stream, awardReleasedAt.get(c.awardId)!);
    release(ocid, 'contract', c.id, c.createdAt.toISOString(), { parties, ...extra, contracts: [state] }, stream);
    let value = c.valuePence;
    let endsOn = c.endsOn;
    const amendments: Record<string, unknown>[] = [];
    const transactions: Record<string, unknown>[] = [];
    // Changes and payments in the order they were made (a change first on the same day), so each release follows the one before.
    const events = [...c.changes.map((ch) => ({ on: ch.madeOn, change: ch })), ...c.payments.map((p) => ({ on: p.paidOn, payment: p }))].sort((x, y) => x.on.localeCompare(y.on) || Number('payment' in x) - Number('payment' in y));
    for (const e of events) {
      if ('payment' in e) {
        const p = e.payment;
        transactions.push({ id: p.id, date: londonMidnight(p.paidOn), value: gbp(p.amountPence), payer: buyer, payee: ref(c.supplierId) });
        release(ocid, 'implementation', p.id, londonMidnight(p.paidOn), { parties, contracts: [{ id: state.id, awardID, implementation: { transactions: [...transactions] } }] }, stream);
        continue;
      }
      const ch = e.change;
      value += ch.valueChangePence;
      endsOn = ch.newEndsOn ?? endsOn;
      amendments.push({ id: ch.id, date: londonMidnight(ch.madeOn), rationale: ch.reason, description: ch.kind === 'extension' ? `Extended to ${ch.newEndsOn}` : 'Value varied' });
      release(ocid, 'contractAmendment', ch.id, londonMidnight(ch.madeOn), { parties, contracts: [{ ...state, value: { amount: value, currency: 'GBP' }, period: { ...state.period, endDate: londonMidnight(endsOn) }, amendments: [...amendments] }] }, stream);
    }
  }
  return sortReleases(out);
}

export const sortReleases = <T extends Release>(rs: T[]): T[] =>
  [...rs].sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || a.ocid.localeCompare(b.ocid) || a.id.localeCompare(b.id));

// ------------------------------------------------------------------ packages and records

export interface Publisher {
  name: string;
  uri: string;
}

const packageMeta = (uri: string, publisher: Publisher, releases: Release[]) => ({
  uri,
  version: OCDS_VERSION,
  extensions: [...UK_EXTENSIONS, LOTS_EXTENSION],
  // The newest release's date, so the same data always gives the same package.
  publishedDate: releases.length ? releases[releases.length - 1]!.date : '1970-01-01T00:00:00Z',
  publisher,
  license: 'http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
});

export function releasePackage(uri: string, publisher: Publisher, held: HeldRelease[]) {
  const releases = sortReleases(held).map(toOcds);
  return { ...packageMeta(uri, publisher, releases), releases };
}

/**
 * OCDS merge: objects merge field by field, lists of objects that all have ids merge by id, any
 * other list or value is replaced, and a later release's null removes the field.
 */
export function merge(into: unknown, next: unknown): unknown {
  if (next === null) return undefined;
  if (Array.isArray(next)) {
    if (!Array.isArray(into) || !next.every((x) => isObject(x) && 'id' in x)) return next;
    const byId = new Map((into as Record<string, unknown>[]).map((x) => [String(x.id), x]));
    for (const item of next as Record<string, unknown>[]) byId.set(String(item.id), merge(byId.get(String(item.id)), item) as Record<string, unknown>);
    return [...byId.values()];
  }
  if (!isObject(next)) return next;
  const out: Record<string, unknown> = isObject(into) ? { ...into } : {};
  for (const [k, v] of Object.entries(next)) {
    const merged = merge(out[k], v);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

/** One record per ocid: its releases in date order and the compiled release they merge into. */
export function compileRecords(releases: Release[]) {
  const byOcid = new Map<string, Release[]>();
  for (const r of sortReleases(releases)) byOcid.set(r.ocid, [...(byOcid.get(r.ocid) ?? []), r]);
  return [...byOcid].map(([ocid, rs]) => {
    const merged = rs.reduce<unknown>((acc, r) => merge(acc, { ...r, tag: undefined }), {}) as Release;
    const last = rs[rs.length - 1]!;
    return { ocid, releases: rs, compiledRelease: { ...merged, ocid, id: `${ocid}-compiled-${last.date}`, date: last.date, tag: ['compiled'] } };
  });
}

export function recordPackage(uri: string, publisher: Publisher, held: HeldRelease[]) {
  const releases = sortReleases(held).map(toOcds);
  return { ...packageMeta(uri, publisher, releases), records: compileRecords(releases) };
}
