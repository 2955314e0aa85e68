/**
 * Open Referral UK (ORUK) in and out of the service catalogue. Pure rules, no I/O:
 * the service layer supplies what is already in the database (external ids,
 * organisations, wards) and writes what these functions decide.
 *
 * Import reads the shapes real council feeds use: ORUK v1 "list" items (as the
 * Placecube openplace directories behind Bristol's and North Lincolnshire's feeds
 * publish them, either a bare array or v1 pages with `content`), and ORUK v3
 * services (a `contents` page, or our own export). Export writes ORUK v3.0: a
 * `/services`-style page whose `contents` are full v3 service objects.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../lib/errors.ts';
import { isWardCode, normalisePostcode } from '../places/rules.ts';
import type { OrganisationInput, OrganisationType } from '../organisations/rules.ts';
import { isServiceStatus, type DeliveryModel, type ServiceInput } from './rules.ts';

/** External ids of imported records carry their source, so other kinds of import can never clash. */
export const EXTERNAL_PREFIX = 'oruk:';
/** The category of a service whose feed names no taxonomy term: honest, and easy to filter for and fix. */
export const UNCATEGORISED = 'Uncategorised';
/** More than this in one file is not a council directory; refuse it before doing work for it. */
export const MAX_RECORDS = 20_000;
const MAX_ID = 200;
const MAX_NAME = 200;
const MAX_CATEGORY = 100;
/** The same limit the catalogue API puts on a description. */
const MAX_DESCRIPTION = 20_000;

export interface OrukRejection {
  /** Position in the feed's list of services, counting from 0. */
  index: number;
  id: string | null;
  name: string | null;
  reason: string;
}

export interface OrukOrganisation {
  /** The normalised name: organisations are one per name within an authority. */
  key: string;
  /** "oruk:<organization id>" from the first record that names it; null if another name already took that id. */
  externalId: string | null;
  input: OrganisationInput;
}

export interface OrukService {
  index: number;
  /** "oruk:<service id>": a re-import finds it and reports it as already imported. */
  externalId: string;
  /** Which organisation provides it (an OrukOrganisation key), or null when the feed names none. */
  organisationKey: string | null;
  /** Ready for the catalogue, except providerOrganisationId: that is known once the organisation is matched or made. */
  input: ServiceInput;
}

export interface OrukFeed {
  total: number;
  services: OrukService[];
  organisations: OrukOrganisation[];
  rejected: OrukRejection[];
}

/** What the import needs to know about the authority it imports into. */
export interface OrukImportContext {
  /** The council's own name, to tell its own services from other councils'. */
  authorityName: string;
  /** External ids already in this catalogue → the name of the service that has it. */
  existing: ReadonlyMap<string, string>;
  /** The authority's ward id for a postcode, or null when the postcode is not in the authority. */
  wardForPostcode(postcode: string): string | null;
  /** The authority's ward id for a ward GSS code, or null when it is not one of its wards. */
  wardForCode(gssCode: string): string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Feeds give ids and text as strings, sometimes as numbers; anything else counts as absent. */
const scalar = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const quote = (s: string, max = 60) => `“${s.length > max ? `${s.slice(0, max)}…` : s}”`;

// ---------------------------------------------------------------------------
// Reading the file

/** The text of an uploaded file as JSON; a file that is not JSON is one problem, reported against the file. */
export function parseOrukText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError({ file: `The file is not valid JSON (${(err as Error).message})` });
  }
}

/**
 * The list of service records in a feed, whichever envelope it came in: a bare
 * array (the samples), a v1 page (`content`), a v3 page (`contents`), an array of
 * pages, or one service on its own.
 */
export function recordsOf(feed: unknown): unknown[] {
  const pageItems = (v: unknown): unknown[] | null =>
    isObject(v) && Array.isArray(v.content) ? v.content : isObject(v) && Array.isArray(v.contents) ? v.contents : null;
  let records: unknown[] | null = null;
  if (Array.isArray(feed)) {
    const pages = feed.map(pageItems);
    records = feed.length > 0 && pages.every(Boolean) ? pages.flatMap((p) => p!) : feed;
  } else {
    records = pageItems(feed) ?? (isObject(feed) && 'id' in feed && 'name' in feed ? [feed] : null);
  }
  if (!records) {
    throw new ValidationError({ file: 'This is not an Open Referral UK services feed: expected a list of services, or a page of them in “content” or “contents”' });
  }
  if (records.length === 0) throw new ValidationError({ file: 'The feed has no services in it' });
  if (records.length > MAX_RECORDS) throw new ValidationError({ file: `The feed has ${records.length} services; import at most ${MAX_RECORDS} at a time` });
  return records;
}

// ---------------------------------------------------------------------------
// Cleaning text

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', pound: '£', euro: '€', ndash: '–', mdash: '—',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', hellip: '…', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™',
  eacute: 'é', egrave: 'è', aacute: 'á', agrave: 'à', ccedil: 'ç', ouml: 'ö', uuml: 'ü', auml: 'ä', frac12: '½', deg: '°', times: '×',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,10});/gi, (whole, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? ENTITIES[e.toLowerCase()] ?? whole;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}

/** Zero-width characters and byte-order marks sneak in from copy and paste (one North Lincolnshire e-mail starts with one). */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * ORUK descriptions are HTML (the samples carry whole CMS pages, even base64
 * images); the catalogue keeps plain text with paragraph breaks, which pages escape.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|h[1-6]|ul|ol|table|tr|section|article|blockquote|header|footer)\s*>/gi, '\n\n')
    .replace(/<\/(td|th)\s*>/gi, ' ')
    // Only things that look like tags: a bare "<" in text ("age < 5") is kept.
    .replace(/<\/?[a-z!][^>]*>/gi, '');
  return decodeEntities(text)
    .replace(INVISIBLE, '')
    .replace(/[\u00A0\t\r\f\v ]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A name on one line, without markup. */
const cleanName = (raw: unknown): string => htmlToText(scalar(raw)).replace(/\s+/g, ' ').trim();

/** How organisations are matched: case, spacing and curly quotes do not make a different organisation. */
export const nameKey = (name: string): string =>
  name.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-').replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------
// Web and e-mail addresses

/** The same rule as ajv-formats' "email", so what we take we can also export. */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
export const isExportableEmail = (s: string): boolean => EMAIL.test(s);

type Cleaned = { value: string | null } | { error: string };

/**
 * Real feeds often leave off the scheme ("www.nlmind.org"), or mistype it
 * ("http:www…"): those are plainly web addresses, so they are repaired with
 * https:// (what browsers assume today). Text that is no address at all
 * ("Warmley Community Centre") cannot be repaired and is an error.
 */
export function cleanWebAddress(raw: unknown): Cleaned {
  let s = scalar(raw).replace(INVISIBLE, '');
  if (!s) return { value: null };
  s = s.replace(/^(https?):\/*/i, (_m, scheme: string) => `${scheme.toLowerCase()}://`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s.replace(/^\/+/, '')}`;
  try {
    const url = new URL(s);
    if (/^https?:$/.test(url.protocol) && url.hostname.includes('.') && !/\s/.test(s)) {
      return { value: /^[\x21-\x7e]+$/.test(s) ? s : url.href };
    }
  } catch {
    // not a URL: fall through to the error
  }
  return { error: `${quote(scalar(raw))} is not a web address` };
}

/** Trailing full stops and invisible characters are typing slips; anything else wrong is an error. */
export function cleanEmail(raw: unknown): Cleaned {
  const s = scalar(raw).replace(INVISIBLE, '').replace(/^mailto:/i, '').replace(/[.,;]+$/, '').trim();
  if (!s) return { value: null };
  return EMAIL.test(s) ? { value: s } : { error: `${quote(scalar(raw))} is not an e-mail address` };
}

/** Characters RFC 3986 allows in a URI outside an IPv6 host (so no brackets). */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+$/;
const BAD_PERCENT = /%(?![0-9a-f]{2})/i;

/**
 * A URI that passes JSON Schema's "uri" format, or null. One that already does
 * is kept exactly as entered; anything else is normalised by the WHATWG parser,
 * then what RFC 3986 does not allow is percent-encoded.
 */
export function exportableUri(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol) || url.hostname.startsWith('[')) return null;
  if (URI_CHARS.test(raw) && !BAD_PERCENT.test(raw)) return raw;
  return url.href.replace(/%(?![0-9a-f]{2})/gi, '%25').replace(/[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/g, (c) => encodeURIComponent(c));
}

// ---------------------------------------------------------------------------
// Organisations and delivery models

/**
 * The kind of organisation, guessed from its name because ORUK v1 feeds do not
 * say. The guesses are cautious and easy to correct on the organisation's page:
 * - "Parish/Town/Village Council" → parish council; any other "Council" (not a youth council) → council;
 * - NHS bodies, police, fire and rescue, Jobcentre Plus, integrated care boards → partner agency;
 * - co-operatives and CICs → co-operative / social enterprise;
 * - "Ltd/Limited/plc" without a charitable word in the name → private company;
 * - everything else → voluntary or community body, which is what these
 *   community directories mostly list (Bristol's comes from its Care Forum).
 */
export function organisationTypeFor(name: string): OrganisationType {
  if (/\b(parish|town|village|community) council\b/i.test(name)) return 'parish_council';
  if (/\bcouncil\b/i.test(name) && !/\byouth council\b/i.test(name)) return 'council';
  if (/\b(nhs|police|constabulary|fire and rescue|jobcentre|icb|integrated care)\b/i.test(name)) return 'partner_agency';
  if (/\bco-?op(erative)?\b/i.test(name)) return 'cooperative';
  if (/\b(cic|community interest company)\b/i.test(name)) return 'social_enterprise';
  if (/\b(ltd|limited|plc|llp)\b/i.test(name) && !/\b(charit\w*|trust|foundation|association|society|community|project)\b/i.test(name)) return 'private_company';
  return 'voluntary_community';
}

/**
 * How the catalogue should record delivery, from who provides it. ORUK says
 * nothing about commissioning, so this follows the provider, as the demo
 * catalogue does:
 * - the authority itself (its own name, or "<its name> - Fostering") → in-house;
 * - another council → shared service with another council;
 * - partner agencies (NHS, police…) → shared service, as partnership services are;
 * - co-operatives → co-operative; private companies → contracted out;
 * - voluntary, community, social enterprise and parish bodies → community-run;
 * - no provider named → community-run, the commonest case in these directories.
 */
export function deliveryModelFor(organisationName: string | null, authorityName: string): DeliveryModel {
  if (!organisationName) return 'community_run';
  const org = nameKey(organisationName);
  const own = nameKey(authorityName);
  if (own.length >= 3 && (org === own || org.startsWith(`${own} `))) return 'in_house';
  switch (organisationTypeFor(organisationName)) {
    case 'council':
    case 'partner_agency':
      return 'shared_service';
    case 'cooperative':
      return 'cooperative';
    case 'private_company':
      return 'contracted';
    default:
      return 'community_run';
  }
}

/** The provider named in a record (v1 `organization.url`, v3 `organization.website`), or null. */
function organisationOf(raw: Json): OrukOrganisation | null {
  const o = raw.organization;
  if (!isObject(o)) return null;
  const name = cleanName(o.name);
  if (name.length < 2 || name.length > MAX_NAME) return null;
  const website = cleanWebAddress(o.website ?? o.url);
  const id = scalar(o.id);
  return {
    key: nameKey(name),
    externalId: id && id.length <= MAX_ID ? `${EXTERNAL_PREFIX}${id}` : null,
    input: {
      name,
      type: organisationTypeFor(name),
      charityNumber: null,
      companyNumber: null,
      legalForm: null,
      employeeOwned: false,
      // An organisation's unusable website is dropped: it is not the service's, and is no reason to refuse the service.
      website: 'value' in website ? website.value : null,
      description: htmlToText(scalar(o.description)) || null,
    },
  };
}

// ---------------------------------------------------------------------------
// Categories and wards

/** The first taxonomy term named: v1 `service_taxonomys`/`service_taxonomies`, v3 `attributes[].taxonomy_term`, or v3 `taxonomy_terms`. */
export function categoryOf(raw: Json): string {
  const terms = [
    ...arrayOf(raw.service_taxonomys).map((t) => (isObject(t) ? t.taxonomy : null)),
    ...arrayOf(raw.service_taxonomies).map((t) => (isObject(t) ? t.taxonomy : null)),
    ...arrayOf(raw.attributes).map((a) => (isObject(a) ? a.taxonomy_term : null)),
    ...arrayOf(raw.taxonomy_terms),
  ];
  for (const term of terms) {
    const name = isObject(term) ? cleanName(term.name) : '';
    if (name.length >= 2 && name.length <= MAX_CATEGORY) return name;
  }
  return UNCATEGORISED;
}

/** Postcodes of a service's locations: v1 `physical_addresses`, v3 `addresses`. */
export function postcodesOf(raw: Json): string[] {
  const found = new Set<string>();
  for (const sal of arrayOf(raw.service_at_locations)) {
    const location = isObject(sal) ? sal.location : null;
    if (!isObject(location)) continue;
    for (const address of [...arrayOf(location.physical_addresses), ...arrayOf(location.addresses)]) {
      const postcode = isObject(address) ? normalisePostcode(scalar(address.postal_code)) : null;
      if (postcode) found.add(postcode);
    }
  }
  return [...found];
}

/** Ward GSS codes named in service areas (our export puts the ONS URI of each ward there). */
export function wardCodesOf(raw: Json): string[] {
  const found = new Set<string>();
  for (const area of arrayOf(raw.service_areas)) {
    if (!isObject(area)) continue;
    for (const value of Object.values(area)) {
      for (const m of scalar(value).matchAll(/\b([EWSN]\d{8})\b/g)) if (isWardCode(m[1]!)) found.add(m[1]!);
    }
  }
  return [...found];
}

/**
 * Wards come only from places we can pin to this authority: a location's
 * postcode inside it, or a ward code of its own. Anywhere else, no wards.
 */
function wardIdsOf(raw: Json, ctx: OrukImportContext): string[] {
  const ids = new Set<string>();
  for (const postcode of postcodesOf(raw)) {
    const id = ctx.wardForPostcode(postcode);
    if (id) ids.add(id);
  }
  for (const code of wardCodesOf(raw)) {
    const id = ctx.wardForCode(code);
    if (id) ids.add(id);
  }
  return [...ids];
}

// ---------------------------------------------------------------------------
// One record, then the whole feed

interface RecordResult {
  id: string | null;
  name: string | null;
  reasons: string[];
  service?: OrukService;
  organisation?: OrukOrganisation | null;
}

/** The identity of a record, with whatever is wrong with it; `seen` maps ids to the index that first used them. */
function identify(raw: Json, index: number, seen: Map<string, number>, ctx: OrukImportContext): RecordResult {
  const reasons: string[] = [];
  const id = scalar(raw.id);
  const name = cleanName(raw.name);
  if (!id) reasons.push('Missing id');
  else if (id.length > MAX_ID) reasons.push(`The id is too long (${id.length} characters; at most ${MAX_ID})`);
  else if (seen.has(id)) reasons.push(`Duplicate id: the record at index ${seen.get(id)} has the same id`);
  else if (ctx.existing.has(`${EXTERNAL_PREFIX}${id}`)) reasons.push(`Already imported, as ${quote(ctx.existing.get(`${EXTERNAL_PREFIX}${id}`)!)}`);
  if (id && !seen.has(id)) seen.set(id, index);
  if (!name) reasons.push('Missing name');
  else if (name.length < 2) reasons.push(`The name ${quote(name)} is too short`);
  else if (name.length > MAX_NAME) reasons.push(`The name is too long (${name.length} characters; at most ${MAX_NAME})`);
  return { id: id || null, name: name || null, reasons };
}

/** The catalogue's fields from one record, collecting every problem rather than stopping at the first. */
function readRecord(raw: Json, index: number, seen: Map<string, number>, ctx: OrukImportContext): RecordResult {
  const result = identify(raw, index, seen, ctx);
  const { reasons } = result;
  const status = scalar(raw.status).toLowerCase() || 'active';
  if (!isServiceStatus(status)) reasons.push(`Invalid status ${quote(scalar(raw.status))}: expected active, inactive, defunct or temporarily closed`);
  const url = cleanWebAddress(raw.url);
  if ('error' in url) reasons.push(`Invalid url: ${url.error}`);
  const email = cleanEmail(raw.email);
  if ('error' in email) reasons.push(`Invalid email: ${email.error}`);
  const description = htmlToText(scalar(raw.description));
  if (description.length > MAX_DESCRIPTION) reasons.push(`The description is too long (${description.length} characters of text; at most ${MAX_DESCRIPTION})`);
  if (reasons.length > 0) return result;

  const organisation = organisationOf(raw);
  result.organisation = organisation;
  result.service = {
    index,
    externalId: `${EXTERNAL_PREFIX}${result.id}`,
    organisationKey: organisation?.key ?? null,
    input: {
      name: result.name!,
      description,
      category: categoryOf(raw),
      directorate: null,
      providerOrganisationId: null,
      deliveryModel: deliveryModelFor(organisation?.input.name ?? null, ctx.authorityName),
      // ORUK's cost options are what users pay, not what the council spends: no budget is known.
      annualBudgetPence: null,
      status,
      url: 'value' in url ? url.value : null,
      email: 'value' in email ? email.value : null,
      wardIds: wardIdsOf(raw, ctx),
      outcomeIds: [],
    },
  };
  return result;
}

/**
 * Read a whole feed: every record is either taken (as a catalogue service, with
 * its provider) or rejected with every reason that applies. Organisations named
 * by several services, or under several ids with one name, become one.
 * The first record with an id wins; later ones with that id are rejected.
 */
export function parseOrukFeed(feed: unknown, ctx: OrukImportContext): OrukFeed {
  const records = recordsOf(feed);
  const seen = new Map<string, number>();
  const organisations = new Map<string, OrukOrganisation>();
  const usedOrgIds = new Set<string>();
  const services: OrukService[] = [];
  const rejected: OrukRejection[] = [];
  records.forEach((raw, index) => {
    if (!isObject(raw)) {
      rejected.push({ index, id: null, name: null, reason: 'Not a service record: expected a JSON object' });
      return;
    }
    const r = readRecord(raw, index, seen, ctx);
    if (!r.service) {
      rejected.push({ index, id: r.id, name: r.name, reason: r.reasons.join('; ') });
      return;
    }
    const org = r.organisation;
    if (org && !organisations.has(org.key)) {
      // Two names under one id stay two organisations; only the first keeps the id.
      if (org.externalId && usedOrgIds.has(org.externalId)) org.externalId = null;
      if (org.externalId) usedOrgIds.add(org.externalId);
      organisations.set(org.key, org);
    }
    services.push(r.service);
  });
  return { total: records.length, services, organisations: [...organisations.values()], rejected };
}

export interface ExistingOrganisation {
  id: string;
  name: string;
  externalId: string | null;
}

/**
 * Match the feed's organisations to the authority's: by the id a previous
 * import recorded, then by name. The rest are to be created.
 */
export function planOrganisations(feed: OrukOrganisation[], existing: ExistingOrganisation[]): { matched: Map<string, string>; toCreate: OrukOrganisation[] } {
  const byExternal = new Map(existing.filter((o) => o.externalId).map((o) => [o.externalId!, o.id]));
  const byName = new Map<string, string>();
  for (const o of existing) if (!byName.has(nameKey(o.name))) byName.set(nameKey(o.name), o.id);
  const matched = new Map<string, string>();
  const toCreate: OrukOrganisation[] = [];
  for (const org of feed) {
    const id = (org.externalId ? byExternal.get(org.externalId) : undefined) ?? byName.get(org.key);
    if (id) matched.set(org.key, id);
    else toCreate.push(org);
  }
  return { matched, toCreate };
}

// ---------------------------------------------------------------------------
// Export to ORUK v3.0

export interface ExportService {
  id: string;
  name: string;
  description: string;
  category: string;
  status: string;
  url: string | null;
  email: string | null;
  updatedAt: Date;
  provider: { id: string; name: string; description: string | null; website: string | null } | null;
  wards: { gssCode: string; name: string }[];
}

/**
 * A name-based (version 5 style) UUID: v3 requires a UUID on every row, and rows
 * we have no table for (service areas, the category term) need the same id in
 * every export so consumers can follow them.
 */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha1').update(`coproduce\u0000${parts.join('\u0000')}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The ONS linked-data URI of a ward: what the importer reads the ward back from. */
export const wardUri = (gssCode: string) => `http://statistics.data.gov.uk/id/statistical-geography/${gssCode}`;

const withoutNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

function organisationV3(p: NonNullable<ExportService['provider']>) {
  return withoutNulls({ id: p.id, name: p.name, description: p.description ?? '', website: exportableUri(p.website) });
}

/** The category as an HSDS attribute linking the service to a taxonomy term. */
function categoryV3(s: ExportService) {
  const termId = stableUuid('category', s.category);
  return {
    id: stableUuid('category-link', s.id),
    link_id: s.id,
    link_type: 'service',
    taxonomy_term_id: termId,
    taxonomy_term: { id: termId, name: s.category, description: `Services in the category ${s.category}`, taxonomy: 'Coproduce service categories', term: s.category },
  };
}

export function serviceV3(s: ExportService): Record<string, unknown> {
  return withoutNulls({
    id: s.id,
    organization_id: s.provider?.id ?? null,
    name: s.name,
    description: s.description,
    url: exportableUri(s.url),
    email: s.email && isExportableEmail(s.email) ? s.email : null,
    status: isServiceStatus(s.status) ? s.status : 'active',
    last_modified: s.updatedAt.toISOString(),
    service_areas: s.wards.map((w) => ({ id: stableUuid('service-area', s.id, w.gssCode), service_id: s.id, name: w.name, service_area: w.name, uri: wardUri(w.gssCode) })),
    organization: s.provider ? organisationV3(s.provider) : null,
    attributes: [categoryV3(s)],
  });
}

/** One page holding every service, shaped as ORUK v3's GET /services answer. */
export function toOrukV3Page(services: ExportService[]) {
  return {
    total_items: services.length,
    total_pages: 1,
    page_number: 1,
    size: services.length,
    first_page: true,
    last_page: true,
    empty: services.length === 0,
    contents: services.map(serviceV3),
  };
}
