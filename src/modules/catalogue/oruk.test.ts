/**
 * Open Referral UK rules, on the real Bristol and North Lincolnshire feeds
 * (ORUK v1 lists from their openplace directories, December 2024) and on small
 * feeds made to show one rule each. Exports are checked against the ORUK 3.0
 * compiled schema.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../../lib/errors.ts';
import { parseService } from './rules.ts';
import {
  categoryOf,
  cleanEmail,
  cleanWebAddress,
  deliveryModelFor,
  exportableUri,
  htmlToText,
  organisationTypeFor,
  parseOrukFeed,
  parseOrukText,
  planOrganisations,
  postcodesOf,
  recordsOf,
  stableUuid,
  toOrukV3Page,
  UNCATEGORISED,
  wardUri,
  type ExportService,
  type OrukImportContext,
} from './oruk.ts';

const SHARED = new URL('../../../../shared/data/', import.meta.url);
const sample = (name: string) => parseOrukText(fs.readFileSync(new URL(`samples/open-referral-uk/${name}`, SHARED), 'utf8'));
const BRISTOL = 'bristol-city-council_services_oruk-v1-list_2024-12.json';
const NORTH_LINCS = 'north-lincolnshire-council_services_oruk-v1-list_2024-12.json';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
/** ORUK 3.0's compiled service schema; strict off for the HSDS keywords it carries (datapackage_metadata, tabular_required…). */
export function orukV3Validator() {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const schema = JSON.parse(fs.readFileSync(new URL('standards/open-referral-uk/v3.0/schema/compiled/service_package.json', SHARED), 'utf8'));
  return ajv.compile(schema);
}

const context = (over: Partial<OrukImportContext> = {}): OrukImportContext => ({
  authorityName: 'Bristol City Council',
  existing: new Map(),
  wardForPostcode: () => null,
  wardForCode: () => null,
  ...over,
});

/** A v1 service record with the fields the samples always have. */
const v1 = (over: Record<string, unknown> = {}) => ({
  id: 'svc-1',
  name: 'Knit and natter',
  description: '<p>Weekly group.</p>',
  url: 'https://example.org/knit',
  email: 'hello@example.org',
  status: 'active',
  organization: { id: 'org-1', name: 'Yate Community Group', description: '<p>Volunteers.</p>', url: 'www.example.org' },
  ...over,
});

describe('the real feeds', () => {
  it('takes 816 of Bristol’s 819 records and rejects the 3 that cannot be taken, each with its reason', () => {
    const feed = parseOrukFeed(sample(BRISTOL), context());
    expect(feed.total).toBe(819);
    expect(feed.services).toHaveLength(816);
    expect(feed.rejected).toEqual([
      { index: 0, id: 'def5ccd4-f121-df4d-60d2-4dc0d69ff555', name: null, reason: 'Missing name' },
      {
        index: 185,
        id: '90616b65-bf71-fc1b-9623-6d0891731019',
        name: 'Cost of living - Community Welcome Space -Warmley Community Centre',
        reason: 'Invalid url: “Warmley Community Centre” is not a web address',
      },
      { index: 810, id: '2af617e5-4532-bebe-1036-ffdf2e93ce55', name: 'Yoga for Fitness & Relaxation', reason: 'Duplicate id: the record at index 373 has the same id' },
    ]);
    // The first record with the duplicated id is the one taken.
    expect(feed.services.find((s) => s.externalId === 'oruk:2af617e5-4532-bebe-1036-ffdf2e93ce55')?.input.name).toBe('Fishponds Yoga for Fitness & Wellbeing');
  });

  it('takes all 738 of North Lincolnshire’s records, repairing e-mail typing slips', () => {
    const feed = parseOrukFeed(sample(NORTH_LINCS), context({ authorityName: 'North Lincolnshire Council' }));
    expect(feed.total).toBe(738);
    expect(feed.services).toHaveLength(738);
    expect(feed.rejected).toEqual([]);
    const emails = feed.services.map((s) => s.input.email);
    expect(emails).toContain('info@r-evolution.org.uk'); // was preceded by a zero-width space
    expect(emails).toContain('young.voice@northlincs.gov.uk'); // had a full stop after it
    // The council's own services are in-house; its name begins the provider's.
    const fostering = feed.services.find((s) => s.organisationKey === 'north lincolnshire council - fostering');
    expect(fostering?.input.deliveryModel).toBe('in_house');
  });

  it('gives every taken service fields the catalogue’s own rules accept', () => {
    for (const [file, authorityName] of [[BRISTOL, 'Bristol City Council'], [NORTH_LINCS, 'North Lincolnshire Council']] as const) {
      const feed = parseOrukFeed(sample(file), context({ authorityName }));
      for (const s of feed.services) {
        expect(() => parseService({ ...s.input }), `${file} #${s.index}`).not.toThrow();
        expect(s.input.description, `${file} #${s.index}`).not.toMatch(/<\/?(p|br|span|img|div)\b|&(nbsp|amp);/);
        expect(s.input.url ?? 'https://x.y', `${file} #${s.index}`).toMatch(/^https?:\/\//);
      }
    }
  });

  it('makes one organisation per provider name, and records without a provider take none', () => {
    const feed = parseOrukFeed(sample(BRISTOL), context());
    const keys = feed.organisations.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    // Yate Town Council appears under two ids: one organisation, keeping the first id.
    expect(feed.organisations.filter((o) => o.key === 'yate town council')).toHaveLength(1);
    expect(feed.services.filter((s) => s.organisationKey === null).map((s) => s.input.name)).toContain('Yate Community Choir');
    expect(feed.services.filter((s) => s.organisationKey === null)).toHaveLength(6);
    const bcc = feed.services.filter((s) => s.organisationKey === 'bristol city council');
    expect(bcc.length).toBeGreaterThan(0);
    expect(bcc.every((s) => s.input.deliveryModel === 'in_house')).toBe(true);
  });

  it('reports re-imports: every record already in the catalogue is rejected as already imported', () => {
    const first = parseOrukFeed(sample(NORTH_LINCS), context());
    const existing = new Map(first.services.map((s) => [s.externalId, s.input.name]));
    const again = parseOrukFeed(sample(NORTH_LINCS), context({ existing }));
    expect(again.services).toHaveLength(0);
    expect(again.rejected).toHaveLength(738);
    expect(again.rejected[0]!.reason).toBe(`Already imported, as “${first.services[0]!.input.name}”`);
  });
});

describe('reading a feed', () => {
  it('accepts a bare list, a v1 page, a v3 page, a list of pages, or one service', () => {
    const a = v1({ id: 'a' });
    const b = v1({ id: 'b' });
    expect(recordsOf([a, b])).toEqual([a, b]);
    expect(recordsOf({ totalElements: 2, content: [a, b] })).toEqual([a, b]);
    expect(recordsOf({ total_items: 2, contents: [a, b] })).toEqual([a, b]);
    expect(recordsOf([{ content: [a] }, { content: [b] }])).toEqual([a, b]);
    expect(recordsOf(a)).toEqual([a]);
  });

  it('refuses, as a whole, a file that is no feed', () => {
    const fileError = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).fields.file;
      }
      throw new Error('expected a ValidationError');
    };
    expect(fileError(() => parseOrukText('{"content": ['))).toMatch(/^The file is not valid JSON/);
    expect(fileError(() => recordsOf({ services: [] }))).toMatch(/not an Open Referral UK services feed/);
    expect(fileError(() => recordsOf('hello'))).toMatch(/not an Open Referral UK services feed/);
    expect(fileError(() => recordsOf([]))).toBe('The feed has no services in it');
    expect(fileError(() => recordsOf(Array.from({ length: 20_001 }, () => ({}))))).toMatch(/20001 services/);
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(parseOrukText('\uFEFF[]')).toEqual([]);
  });

  it('rejects each bad record with every reason that applies, and takes the rest', () => {
    const feed = parseOrukFeed(
      [
        v1({ id: 'ok' }),
        'not a record',
        v1({ id: '', name: '' }),
        v1({ id: 'bad', status: 'open', url: 'see our leaflet', email: 'nobody at example' }),
        v1({ id: 'ok', name: 'Second with the same id' }),
        v1({ id: 7, name: 'Numeric ids are ids' }),
        v1({ id: 'long', name: 'x'.repeat(201) }),
        v1({ id: 'essay', description: `<p>${'word '.repeat(5000)}</p>` }),
      ],
      context(),
    );
    expect(feed.services.map((s) => s.externalId)).toEqual(['oruk:ok', 'oruk:7']);
    expect(feed.rejected).toEqual([
      { index: 1, id: null, name: null, reason: 'Not a service record: expected a JSON object' },
      { index: 2, id: null, name: null, reason: 'Missing id; Missing name' },
      {
        index: 3,
        id: 'bad',
        name: 'Knit and natter',
        reason:
          'Invalid status “open”: expected active, inactive, defunct or temporarily closed; Invalid url: “see our leaflet” is not a web address; Invalid email: “nobody at example” is not an e-mail address',
      },
      { index: 4, id: 'ok', name: 'Second with the same id', reason: 'Duplicate id: the record at index 0 has the same id' },
      { index: 6, id: 'long', name: 'x'.repeat(201), reason: 'The name is too long (201 characters; at most 200)' },
      { index: 7, id: 'essay', name: 'Knit and natter', reason: 'The description is too long (24999 characters of text; at most 20000)' },
    ]);
  });

  it('takes an empty status as active, and an ORUK status in any case', () => {
    const feed = parseOrukFeed([v1({ id: 'a', status: '' }), v1({ id: 'b', status: 'Temporarily Closed' })], context());
    expect(feed.services.map((s) => s.input.status)).toEqual(['active', 'temporarily closed']);
  });
});

describe('cleaning fields', () => {
  it('turns HTML descriptions into plain paragraphs', () => {
    expect(htmlToText('<p>Drug &amp; alcohol&nbsp;support.</p><p>Drop in<br>on Thursdays.</p>')).toBe('Drug & alcohol support.\n\nDrop in\non Thursdays.');
    expect(htmlToText('<ul><li>Tea</li><li>Cake &pound;1</li></ul>')).toBe('• Tea\n• Cake £1');
    expect(htmlToText('<p style="x"><img src="data:image/png;base64,AAAA">Ages 5&ndash;11 &#8216;fun&#x2019; <script>alert(1)</script></p>')).toBe('Ages 5–11 ‘fun’');
    expect(htmlToText('For age < 5 only')).toBe('For age < 5 only');
    expect(htmlToText('<p><br></p>')).toBe('');
  });

  it('repairs web addresses that lack or mistype the scheme, and refuses text that is no address', () => {
    expect(cleanWebAddress('www.nlmind.org')).toEqual({ value: 'https://www.nlmind.org' });
    expect(cleanWebAddress(' http:www.yateandsodburydc.co.uk ')).toEqual({ value: 'http://www.yateandsodburydc.co.uk' });
    expect(cleanWebAddress('HTTPS://Example.org/a?b=c')).toEqual({ value: 'https://Example.org/a?b=c' });
    expect(cleanWebAddress('')).toEqual({ value: null });
    expect(cleanWebAddress('Warmley Community Centre')).toEqual({ error: '“Warmley Community Centre” is not a web address' });
    expect(cleanWebAddress('localhost')).toHaveProperty('error');
    expect(cleanWebAddress('ftp://example.org')).toHaveProperty('error');
  });

  it('repairs e-mail typing slips and refuses what is no address', () => {
    expect(cleanEmail('\u200Binfo@r-evolution.org.uk')).toEqual({ value: 'info@r-evolution.org.uk' });
    expect(cleanEmail('employment.support@mencap.org.uk.')).toEqual({ value: 'employment.support@mencap.org.uk' });
    expect(cleanEmail('mailto:a@b.org')).toEqual({ value: 'a@b.org' });
    expect(cleanEmail('')).toEqual({ value: null });
    expect(cleanEmail('a@b')).toHaveProperty('error');
  });

  it('takes the category from the first taxonomy term of v1 or v3, or marks it uncategorised', () => {
    expect(categoryOf({ service_taxonomys: [{ id: '1', taxonomy: { id: 't', name: 'Mental health' } }] })).toBe('Mental health');
    expect(categoryOf({ attributes: [{ id: 'a', taxonomy_term: { id: 't', name: 'Food banks', description: '' } }] })).toBe('Food banks');
    expect(categoryOf({ service_taxonomys: [{ taxonomy: { name: 'x' } }, { taxonomy: { name: 'Carers' } }] })).toBe('Carers');
    expect(categoryOf({})).toBe(UNCATEGORISED);
  });
});

describe('providers and delivery models', () => {
  it.each([
    ['Bradley Stoke Town Council', 'parish_council'],
    ['South Gloucestershire Council', 'council'],
    ['North Lincolnshire Youth Council', 'voluntary_community'],
    ['North Bristol NHS Trust', 'partner_agency'],
    ['Avon and Somerset Police', 'partner_agency'],
    ['A Clean Sweep Co-operative Ltd', 'cooperative'],
    ['The Birch Collective CIC', 'social_enterprise'],
    ['Angel Care Support Limited', 'private_company'],
    ['Hartcliffe and Withywood Ventures Ltd', 'private_company'],
    ['The Crowle and Ealand Regeneration project Ltd', 'voluntary_community'],
    ['Marmalade Trust', 'voluntary_community'],
  ] as const)('%s is a %s', (name, type) => expect(organisationTypeFor(name)).toBe(type));

  it.each([
    ['Bristol City Council', 'in_house'],
    ['Bristol City Council - Libraries', 'in_house'],
    ['South Gloucestershire Council', 'shared_service'],
    ['North Bristol NHS Trust', 'shared_service'],
    ['A Clean Sweep Co-operative Ltd', 'cooperative'],
    ['Angel Care Support Limited', 'contracted'],
    ['Yate Town Council', 'community_run'],
    ['Marmalade Trust', 'community_run'],
    [null, 'community_run'],
  ] as const)('in Bristol City Council, a service by %s is %s', (org, model) => expect(deliveryModelFor(org, 'Bristol City Council')).toBe(model));

  it('matches providers by a previous import’s id, then by name, and creates the rest', () => {
    const feed = parseOrukFeed(
      [
        v1({ id: '1', organization: { id: 'o1', name: 'Renamed Group', description: '' } }),
        v1({ id: '2', organization: { id: 'o2', name: 'AGE  uk bristol', description: '' } }),
        v1({ id: '3', organization: { id: 'o3', name: 'New Group', description: '' } }),
        v1({ id: '4', organization: { id: 'o3', name: 'Other Name Same Id', description: '' } }),
      ],
      context(),
    );
    const { matched, toCreate } = planOrganisations(feed.organisations, [
      { id: 'id-old', name: 'Old Group', externalId: 'oruk:o1' },
      { id: 'id-age', name: 'Age UK Bristol', externalId: null },
    ]);
    expect(Object.fromEntries(matched)).toEqual({ 'renamed group': 'id-old', 'age uk bristol': 'id-age' });
    expect(toCreate.map((o) => [o.input.name, o.externalId])).toEqual([
      ['New Group', 'oruk:o3'],
      // The id is unique per authority: a second name under it keeps no id.
      ['Other Name Same Id', null],
    ]);
  });

  it('keeps a provider’s repaired website and drops one that is no address', () => {
    const feed = parseOrukFeed(
      [v1({ id: '1' }), v1({ id: '2', organization: { id: 'o9', name: 'Motor Neurone Disease Association', description: '', url: 'Motor Neurone Disease Association' } })],
      context(),
    );
    expect(feed.rejected).toEqual([]);
    expect(feed.organisations.map((o) => o.input.website)).toEqual(['https://www.example.org', null]);
  });
});

describe('wards', () => {
  const located = (postcode: string) => ({ service_at_locations: [{ id: 'sal', location: { id: 'loc', physical_addresses: [{ id: 'ad', postal_code: postcode }] } }] });

  it('links a ward only for a location whose postcode is in the authority', () => {
    const ctx = context({ wardForPostcode: (p) => (p === 'SW2 1AA' ? 'ward-brixton' : null) });
    const feed = parseOrukFeed([v1({ id: 'in', ...located('sw21aa') }), v1({ id: 'out', ...located('BS1 5TR') }), v1({ id: 'none' })], ctx);
    expect(feed.services.map((s) => s.input.wardIds)).toEqual([['ward-brixton'], [], []]);
  });

  it('reads postcodes from v3 addresses as well as v1 physical addresses', () => {
    expect(postcodesOf({ service_at_locations: [{ location: { addresses: [{ postal_code: 'se11 4pp' }, { postal_code: 'nonsense' }] } }] })).toEqual(['SE11 4PP']);
  });

  it('links the authority’s wards named in service areas, and ignores others', () => {
    const ctx = context({ wardForCode: (c) => (c === 'E05014097' ? 'ward-rush' : null) });
    const feed = parseOrukFeed([v1({ service_areas: [{ id: 'a', uri: wardUri('E05014097') }, { id: 'b', service_area: 'Chaucer E05011098' }, { id: 'c', uri: 'E09000022' }] })], ctx);
    expect(feed.services[0]!.input.wardIds).toEqual(['ward-rush']);
  });
});

describe('export to ORUK 3.0', () => {
  const validate = orukV3Validator();
  const service = (over: Partial<ExportService> = {}): ExportService => ({
    id: '0b4f0d3e-6a53-4e3b-9a64-1f2f3d4e5f60',
    name: 'Community food hub',
    description: 'Food parcels.\n\nNo referral needed.',
    category: 'Food and poverty',
    status: 'active',
    url: 'https://example.org/food',
    email: 'food@example.org',
    updatedAt: new Date('2026-01-02T03:04:05Z'),
    provider: { id: '7d1c8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6', name: 'Brixton Food Co-op', description: null, website: 'https://food.example.org' },
    wards: [{ gssCode: 'E05014097', name: 'Brixton Rush Common' }],
    ...over,
  });

  it('validates against the compiled ORUK 3.0 service schema', () => {
    const page = toOrukV3Page([service(), service({ id: '1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9', provider: null, wards: [], url: null, email: null, status: 'temporarily closed' })]);
    expect(validate(page.contents), JSON.stringify(validate.errors)).toBe(true);
    expect(page).toMatchObject({ total_items: 2, total_pages: 1, page_number: 1, size: 2, first_page: true, last_page: true, empty: false });
    expect(page.contents[0]).toMatchObject({
      id: service().id,
      organization_id: service().provider!.id,
      organization: { id: service().provider!.id, name: 'Brixton Food Co-op', description: '', website: 'https://food.example.org' },
      service_areas: [{ service_id: service().id, name: 'Brixton Rush Common', uri: 'http://statistics.data.gov.uk/id/statistical-geography/E05014097' }],
      attributes: [{ link_id: service().id, link_type: 'service', taxonomy_term: { name: 'Food and poverty' } }],
      last_modified: '2026-01-02T03:04:05.000Z',
    });
    expect(page.contents[1]).not.toHaveProperty('organization');
    expect(page.contents[1]).not.toHaveProperty('url');
  });

  it('leaves out an address the schema would refuse, rather than export an invalid feed', () => {
    const page = toOrukV3Page([
      service({ url: 'https://example.org/a path|x', email: 'odd@@example.org' }),
      service({ url: 'https://example.org/list[1]?q=é', provider: { id: service().provider!.id, name: 'X', description: 'Y', website: 'https://[::1]/x.y' } }),
    ]);
    expect(validate(page.contents), JSON.stringify(validate.errors)).toBe(true);
    expect(page.contents[0]!.url).toBe('https://example.org/a%20path%7Cx');
    expect(page.contents[1]!.url).toBe('https://example.org/list%5B1%5D?q=%C3%A9');
    expect(page.contents[1]!.organization).not.toHaveProperty('website');
    expect(page.contents[0]).not.toHaveProperty('email');
    expect(exportableUri('javascript:alert(1)')).toBeNull();
    expect(exportableUri('not a url')).toBeNull();
  });

  it('gives rows without a table of their own the same UUID every time', () => {
    expect(stableUuid('a', 'b')).toBe(stableUuid('a', 'b'));
    expect(stableUuid('a', 'b')).not.toBe(stableUuid('ab'));
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toOrukV3Page([service()])).toEqual(toOrukV3Page([service()]));
  });

  it('reads back what it writes: name, description, category, status, provider and wards', () => {
    const original = service();
    const feed = parseOrukFeed(toOrukV3Page([original]), context({ authorityName: 'Lambeth', wardForCode: (c) => (c === 'E05014097' ? 'ward-rush' : null) }));
    expect(feed.rejected).toEqual([]);
    expect(feed.services[0]).toMatchObject({
      externalId: `oruk:${original.id}`,
      organisationKey: 'brixton food co-op',
      input: { name: original.name, description: original.description, category: original.category, status: 'active', deliveryModel: 'cooperative', url: original.url, email: original.email, wardIds: ['ward-rush'] },
    });
  });

  it('exports an empty catalogue as an empty page', () => {
    const page = toOrukV3Page([]);
    expect(page).toMatchObject({ total_items: 0, empty: true, contents: [] });
    expect(validate(page.contents)).toBe(true);
  });
});
