/**
 * Open Referral UK import and export through the real app: the real Bristol
 * and North Lincolnshire feeds go in by the API, the web upload → check →
 * confirm pages, and the CLI; what cannot be taken is reported, nothing is
 * written unless partial imports are accepted, re-imports are recognised,
 * every change is audited, and the export validates against ORUK 3.0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { bearer, Browser, decode, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { verifyAudit } from '../src/lib/audit/audit.ts';
import { services as servicesTable, serviceWards } from '../src/modules/catalogue/tables.ts';
import { organisations as organisationsTable } from '../src/modules/organisations/tables.ts';
import { parseOrukText } from '../src/modules/catalogue/oruk.ts';
import { OrukImportRefusedError } from '../src/modules/catalogue/service.ts';
import { commands as catalogueCommands } from '../src/cli/commands/catalogue.ts';
import type { CliContext } from '../src/cli/command.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';

const SHARED = new URL('../../shared/data/', import.meta.url);
const SAMPLES = new URL('samples/open-referral-uk/', SHARED);
const BRISTOL_FILE = new URL('bristol-city-council_services_oruk-v1-list_2024-12.json', SAMPLES);
const NORTH_LINCS_FILE = new URL('north-lincolnshire-council_services_oruk-v1-list_2024-12.json', SAMPLES);
const bristolText = fs.readFileSync(BRISTOL_FILE, 'utf8');
const northLincsText = fs.readFileSync(NORTH_LINCS_FILE, 'utf8');

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const V3 = new URL('standards/open-referral-uk/v3.0/schema/', SHARED);
const readJson = (url: URL) => JSON.parse(fs.readFileSync(url, 'utf8'));
/** The v3 page (OpenAPI `Page`) whose `contents` are full services (compiled/service.json). */
function orukV3PageValidator() {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const service = readJson(new URL('compiled/service.json', V3));
  const page = readJson(new URL('openapi.json', V3)).components.schemas.Page;
  return ajv.compile({ allOf: [page, { type: 'object', required: ['contents'], properties: { contents: { type: 'array', items: service } } }] });
}

const hidden = (html: string, name: string) => decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');

/** A multipart/form-data body, as a browser sends a form with a file. */
function multipart(fields: Record<string, string>, file: { field: string; filename: string; content: string | Buffer }) {
  const boundary = `----coproduce${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: application/json\r\n\r\n`),
    Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('Open Referral UK import and export', () => {
  let ctx: TestContext;

  const count = async (table: typeof servicesTable | typeof organisationsTable, authorityId: string) =>
    (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table).where(eq(table.authorityId, authorityId)))[0]!.n;
  const auditCount = async (authorityId: string, action?: string) =>
    (await ctx.database.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(auditLog)
      .where(and(eq(auditLog.authorityId, authorityId), action ? eq(auditLog.action, action) : undefined)))[0]!.n;
  /** Everything a refused import must leave as it was. */
  const footprint = async (a: Authority) => ({ services: await count(servicesTable, a.id), organisations: await count(organisationsTable, a.id), audit: await auditCount(a.id) });

  async function officerOf(authority: Authority): Promise<{ user: User; token: string }> {
    const user = await newUser(ctx.services, authority.id, 'officer');
    return { user, token: (await ctx.services.accounts.createApiToken(TEST_ACTOR, user.id, 'oruk')).token };
  }
  const importByApi = (authority: Authority, token: string, body: string, acceptPartial?: boolean) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/authorities/${authority.slug}/catalogue/oruk-import${acceptPartial === undefined ? '' : `?acceptPartial=${acceptPartial}`}`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: body,
    });

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  describe('the Bristol feed by the API', () => {
    let authority: Authority;
    let token: string;

    beforeAll(async () => {
      authority = await newAuthority(ctx.services, 'Bristol Import Test');
      token = (await officerOf(authority)).token;
    });

    it('refuses without acceptPartial, listing each rejected record, and writes nothing', async () => {
      const before = await footprint(authority);
      const res = await importByApi(authority, token, bristolText);
      expect(res.statusCode).toBe(409);
      const body = res.json();
      expect(body.error.code).toBe('records_rejected');
      expect(body.error.message).toBe('3 of the 819 records cannot be imported, so nothing was imported. Accept a partial import to take the other 816');
      expect(body.error.fields).toEqual({
        'records.0': 'def5ccd4-f121-df4d-60d2-4dc0d69ff555: Missing name',
        'records.185': '90616b65-bf71-fc1b-9623-6d0891731019: Invalid url: “Warmley Community Centre” is not a web address',
        'records.810': '2af617e5-4532-bebe-1036-ffdf2e93ce55: Duplicate id: the record at index 373 has the same id',
      });
      expect(body.report).toMatchObject({ total: 819, accepted: 816 });
      expect(await footprint(authority)).toEqual(before);
    });

    it('with acceptPartial=true takes exactly what the preview said, in one audited import', async () => {
      const preview = await ctx.services.catalogue.previewOrukImport(authority, parseOrukText(bristolText));
      expect(preview.accepted).toBe(816);
      expect(preview.rejected.map((r) => r.index)).toEqual([0, 185, 810]);

      const started = Date.now();
      const res = await importByApi(authority, token, bristolText, true);
      expect(res.statusCode).toBe(200);
      expect(Date.now() - started, 'an 800-record import takes seconds').toBeLessThan(30_000);
      expect(res.json()).toEqual(preview);

      expect(await count(servicesTable, authority.id)).toBe(816);
      expect(await count(organisationsTable, authority.id)).toBe(preview.organisationsCreated);
      expect(await auditCount(authority.id, 'service.create')).toBe(816);
      expect(await auditCount(authority.id, 'organisation.create')).toBe(preview.organisationsCreated);
      const [summary] = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, 'catalogue.oruk-import')));
      expect(summary).toMatchObject({ entityType: 'catalogue_import', via: 'api', actorRole: 'officer' });
      expect(summary!.after).toMatchObject({ source: 'api', acceptPartial: true, total: 819, accepted: 816, rejected: preview.rejected });
      // The audit chain still verifies after ~1,400 entries in one transaction.
      expect(await verifyAudit(ctx.database.db, { authorityId: authority.id })).toMatchObject({ ok: true });
    });

    it('keeps what it maps: the provider, the in-feed duplicate’s first record, and no wards outside the authority', async () => {
      const [yoga] = await ctx.database.db
        .select()
        .from(servicesTable)
        .where(and(eq(servicesTable.authorityId, authority.id), eq(servicesTable.externalId, 'oruk:2af617e5-4532-bebe-1036-ffdf2e93ce55')));
      expect(yoga!.name).toBe('Fishponds Yoga for Fitness & Wellbeing');
      const detail = await ctx.services.catalogue.get(authority.id, yoga!.id);
      expect(detail.wards).toEqual([]);
      expect(detail.description).not.toMatch(/<p>/);
      const [nhs] = await ctx.database.db
        .select({ name: organisationsTable.name, type: organisationsTable.type })
        .from(organisationsTable)
        .where(and(eq(organisationsTable.authorityId, authority.id), eq(organisationsTable.name, 'North Bristol NHS Trust')));
      expect(nhs).toEqual({ name: 'North Bristol NHS Trust', type: 'partner_agency' });
    });

    it('reports a re-import as already imported, refuses it even with acceptPartial, and writes nothing', async () => {
      const before = await footprint(authority);
      const res = await importByApi(authority, token, bristolText, true);
      expect(res.statusCode).toBe(409);
      const { report, error } = res.json();
      expect(error.message).toBe('None of the 819 records can be imported, so nothing was imported');
      expect(report.accepted).toBe(0);
      expect(report.rejected).toHaveLength(819);
      const firstTaken = report.rejected.find((r: { index: number }) => r.index === 1);
      expect(firstTaken.reason).toMatch(/^Already imported, as “.+”$/);
      expect(await footprint(authority)).toEqual(before);
    });

    it('refuses a body that is no feed with a 400 and a reason', async () => {
      const res = await importByApi(authority, token, JSON.stringify({ services: [] }), true);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.file).toMatch(/not an Open Referral UK services feed/);
      const denied = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/catalogue/oruk-import`, payload: bristolText, headers: { 'content-type': 'application/json' } });
      expect(denied.statusCode).toBe(401);
    });
  });

  describe('the North Lincolnshire feed by the CLI', () => {
    let authority: Authority;
    const run = async (name: string, args: string[], values: Record<string, string | boolean>) => {
      const out: string[] = [];
      const err: string[] = [];
      const cli: CliContext = { config: ctx.config, services: ctx.services, actor: { userId: null, role: 'operator', via: 'cli' }, out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => '' };
      const code = await catalogueCommands.find((c) => c.name === name)!.run(cli, values, args);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-'));

    beforeAll(async () => {
      authority = await newAuthority(ctx.services, 'North Lincolnshire Import Test');
    });
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('takes all 738 records without --accept-partial, as the preview said', async () => {
      const preview = await ctx.services.catalogue.previewOrukImport(authority, parseOrukText(northLincsText));
      expect(preview).toMatchObject({ total: 738, accepted: 738, rejected: [] });
      const { code, out } = await run('catalogue import', [NORTH_LINCS_FILE.pathname], { authority: authority.slug });
      expect(code).toBe(0);
      expect(out).toContain('Taken: 738 of 738');
      expect(out).toContain('Rejected: 0');
      expect(await count(servicesTable, authority.id)).toBe(738);
      const [summary] = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, 'catalogue.oruk-import')));
      expect(summary).toMatchObject({ via: 'cli', actorRole: 'operator' });
    });

    it('on a re-import prints each record as already imported and exits 1 without writing', async () => {
      const before = await footprint(authority);
      const { code, out, err } = await run('catalogue import', [NORTH_LINCS_FILE.pathname], { authority: authority.slug, 'accept-partial': true });
      expect(code).toBe(1);
      expect(out).toContain('Can be taken: 0 of 738');
      expect(out.split('\n').filter((l) => /^ {2}#\d+\t[0-9a-f-]{36}\tAlready imported, as “/.test(l))).toHaveLength(738);
      expect(err).toBe('None of the 738 records can be imported, so nothing was imported.');
      expect(await footprint(authority)).toEqual(before);
    });

    it('refuses the Bristol feed without --accept-partial (exit 1, nothing written), and --json reports it', async () => {
      const fresh = await newAuthority(ctx.services, 'CLI Bristol Test');
      const before = await footprint(fresh);
      const { code, out, err } = await run('catalogue import', [BRISTOL_FILE.pathname], { authority: fresh.slug, json: true });
      expect(code).toBe(1);
      const report = JSON.parse(out);
      expect(report).toMatchObject({ imported: false, total: 819, accepted: 816 });
      expect(report.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
        [0, 'Missing name'],
        [185, 'Invalid url: “Warmley Community Centre” is not a web address'],
        [810, 'Duplicate id: the record at index 373 has the same id'],
      ]);
      expect(err).toMatch(/Accept a partial import to take the other 816 \(--accept-partial\)\.$/);
      expect(await footprint(fresh)).toEqual(before);
    });

    it('says which file is not a feed', async () => {
      const file = path.join(tmp, 'broken.json');
      fs.writeFileSync(file, '{"content": [');
      const { code, err } = await run('catalogue import', [file], { authority: authority.slug });
      expect(code).toBe(1);
      expect(err).toMatch(/broken\.json: The file is not valid JSON/);
    });

    it('exports to a file that validates against ORUK 3.0', async () => {
      const file = path.join(tmp, 'export.json');
      const { code } = await run('catalogue export', [], { authority: authority.slug, out: file });
      expect(code).toBe(0);
      const page = JSON.parse(fs.readFileSync(file, 'utf8'));
      const validate = orukV3PageValidator();
      expect(validate(page), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(page.total_items).toBe(738);
    });
  });

  describe('the web upload', () => {
    let authority: Authority;
    let browser: Browser;

    beforeAll(async () => {
      authority = await newAuthority(ctx.services, 'Web Import Test');
      const { user } = await officerOf(authority);
      browser = new Browser(ctx.app);
      await browser.signIn(user.email);
    });

    const upload = async (content: string) => {
      const page = await browser.get(`/a/${authority.slug}/catalogue/import`);
      expect(page.statusCode).toBe(200);
      const body = multipart({ _csrf: hidden(page.body, '_csrf') }, { field: 'file', filename: 'feed.json', content });
      return browser.request({ method: 'POST', url: `/a/${authority.slug}/catalogue/import`, ...body });
    };

    it('is offered on the catalogue to those who manage it, and the download to everyone else', async () => {
      const list = await browser.get(`/a/${authority.slug}/services`);
      expect(list.body).toContain(`href="/a/${authority.slug}/catalogue/import"`);
      const anonymous = await ctx.app.inject({ method: 'GET', url: `/a/${authority.slug}/services` });
      expect(anonymous.body).not.toContain('/catalogue/import');
      expect(anonymous.body).toContain(`href="/a/${authority.slug}/catalogue/export.oruk.json"`);
    });

    it('checks the 2.3 MB Bristol file, lists each rejected record with its reason, and adds nothing until confirmed', async () => {
      expect(bristolText.length).toBeGreaterThan(2_000_000);
      const before = await footprint(authority);
      const preview = await upload(bristolText);
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('Check the import');
      expect(preview.body).toMatch(/Services to add\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*816/);
      const rows = [...preview.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!.trim())));
      expect(rows.filter((r) => r.length === 4)).toEqual([
        ['0', 'def5ccd4-f121-df4d-60d2-4dc0d69ff555', 'None', 'Missing name'],
        ['185', '90616b65-bf71-fc1b-9623-6d0891731019', 'Cost of living - Community Welcome Space -Warmley Community Centre', 'Invalid url: “Warmley Community Centre” is not a web address'],
        ['810', '2af617e5-4532-bebe-1036-ffdf2e93ce55', 'Yoga for Fitness & Relaxation', 'Duplicate id: the record at index 373 has the same id'],
      ]);
      expect(preview.body).toContain('3 records listed below will not be added. Confirming adds the other 816 services.');
      expect(preview.body).toContain('Confirm import');
      expect(await footprint(authority)).toEqual(before);

      const confirmed = await browser.post(`/a/${authority.slug}/catalogue/import/confirm`, {
        _csrf: hidden(preview.body, '_csrf'),
        expected: hidden(preview.body, 'expected'),
        upload: hidden(preview.body, 'upload'),
      });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.body).toContain('Import complete');
      expect(confirmed.body).toContain('816 services added');
      expect(await count(servicesTable, authority.id)).toBe(816);
      const [summary] = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, 'catalogue.oruk-import')));
      expect(summary).toMatchObject({ via: 'web', actorRole: 'officer' });
      expect(summary!.after).toMatchObject({ source: 'web upload', accepted: 816 });

      // Confirming the same check again imports nothing: the figures have changed, so they are shown again.
      const again = await browser.post(`/a/${authority.slug}/catalogue/import/confirm`, {
        _csrf: hidden(preview.body, '_csrf'),
        expected: hidden(preview.body, 'expected'),
        upload: hidden(preview.body, 'upload'),
      });
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain('The catalogue changed after you checked this file');
      expect(again.body).not.toContain('Confirm import');
      expect(await count(servicesTable, authority.id)).toBe(816);
    });

    it('imports only the file it checked: a changed upload is refused and nothing is written', async () => {
      const fresh = await newAuthority(ctx.services, 'Web Tamper Test');
      const { user } = await officerOf(fresh);
      const other = new Browser(ctx.app);
      await other.signIn(user.email);
      const page = await other.get(`/a/${fresh.slug}/catalogue/import`);
      const preview = await other.request({
        method: 'POST',
        url: `/a/${fresh.slug}/catalogue/import`,
        ...multipart({ _csrf: hidden(page.body, '_csrf') }, { field: 'file', filename: 'nl.json', content: northLincsText }),
      });
      expect(preview.statusCode).toBe(200);
      const sealed = hidden(preview.body, 'upload');
      const before = await footprint(fresh);
      const confirm = (upload: string) => other.post(`/a/${fresh.slug}/catalogue/import/confirm`, { _csrf: hidden(preview.body, '_csrf'), expected: hidden(preview.body, 'expected'), upload });
      const tampered = await confirm(sealed.replace(/^([^:]+:)(.)/, (_m, p: string, c: string) => p + (c === 'A' ? 'B' : 'A')));
      expect(tampered.statusCode).toBe(400);
      expect(tampered.body).toContain('The checked file did not come back intact. Upload it again');
      // A check made for one authority cannot be confirmed in another.
      const ownPage = await browser.get(`/a/${authority.slug}/catalogue/import`);
      const elsewhere = await browser.post(`/a/${authority.slug}/catalogue/import/confirm`, { _csrf: hidden(ownPage.body, '_csrf'), expected: hidden(preview.body, 'expected'), upload: sealed });
      expect(elsewhere.body).toContain('The checked file did not come back intact. Upload it again');
      expect(elsewhere.statusCode).toBe(400);
      expect(await footprint(fresh)).toEqual(before);
      expect((await confirm(sealed)).body).toContain('738 services added');
    });

    it('shows a file that is no feed, or no file, as an error on the upload', async () => {
      const broken = await upload('{"content": [');
      expect(broken.statusCode).toBe(400);
      expect(broken.body).toMatch(/<a href="#file">The file is not valid JSON/);
      const none = await upload('');
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('<a href="#file">Select an Open Referral UK JSON file</a>');
    });

    it('is not for residents', async () => {
      const resident = await newUser(ctx.services, authority.id, 'resident', { postcode: 'SW2 1AA' });
      const b = new Browser(ctx.app);
      await b.signIn(resident.email);
      expect((await b.get(`/a/${authority.slug}/catalogue/import`)).statusCode).toBe(403);
    });
  });

  describe('wards and export', () => {
    let source: Authority;
    let token: string;
    const BRIXTON_RUSH_COMMON = 'E05014097';
    const STOCKWELL_EAST = 'E05014110';

    /** A small v1 feed with locations: one in this authority (Lambeth), one in Bristol, and a known provider. */
    const locatedFeed = (postcodes: string[], id: string) => ({
      id,
      name: `Drop-in ${id}`,
      description: '<p>Advice &amp; support.</p>',
      url: 'www.example.org',
      email: '',
      status: 'active',
      organization: { id: `org-${id}`, name: 'Age UK Lambeth', description: '', url: '' },
      service_taxonomys: [{ id: 't', taxonomy: { id: 'tx', name: 'Older people' } }],
      service_at_locations: postcodes.map((postal_code, i) => ({ id: `sal${i}`, location: { id: `loc${i}`, physical_addresses: [{ id: `a${i}`, postal_code }] } })),
    });

    beforeAll(async () => {
      source = await newAuthority(ctx.services, 'Ward Import Test');
      token = (await officerOf(source)).token;
    });

    it('links wards from postcodes in the authority only, and matches a provider it already has by name', async () => {
      const ageUk = await ctx.services.organisations.create(TEST_ACTOR, source.id, { name: 'Age UK Lambeth', type: 'charity' });
      const res = await importByApi(source, token, JSON.stringify({ content: [locatedFeed(['SW2 1AA', 'BS1 5TR'], 'a'), locatedFeed(['sw90aa'], 'b'), locatedFeed([], 'c')] }));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 3, organisationsCreated: 0, organisationsMatched: 1, wardLinks: 2 });
      const rows = await ctx.database.db.select().from(servicesTable).where(eq(servicesTable.authorityId, source.id));
      expect(rows.every((r) => r.providerOrganisationId === ageUk.id && r.category === 'Older people' && r.deliveryModel === 'community_run')).toBe(true);
      const byName = new Map(await Promise.all(rows.map(async (r) => [r.name, (await ctx.services.catalogue.get(source.id, r.id)).wards.map((w) => w.gssCode)] as const)));
      expect(Object.fromEntries(byName)).toEqual({ 'Drop-in a': [BRIXTON_RUSH_COMMON], 'Drop-in b': [STOCKWELL_EAST], 'Drop-in c': [] });
    });

    it('exports the catalogue as ORUK 3.0 that validates, by the API and as a download', async () => {
      await ctx.services.catalogue.create(TEST_ACTOR, source.id, { name: 'Hand-entered service', category: 'Libraries', deliveryModel: 'in_house', status: 'inactive' });
      const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${source.slug}/catalogue/oruk` });
      expect(api.statusCode).toBe(200);
      const page = api.json();
      const validate = orukV3PageValidator();
      expect(validate(page), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(page.total_items).toBe(4);
      const a = page.contents.find((s: { name: string }) => s.name === 'Drop-in a');
      expect(a).toMatchObject({ description: 'Advice & support.', url: 'https://www.example.org', organization: { name: 'Age UK Lambeth' }, service_areas: [{ name: 'Brixton Rush Common' }] });
      expect(page.contents.find((s: { name: string }) => s.name === 'Hand-entered service')).toMatchObject({ status: 'inactive', attributes: [{ taxonomy_term: { name: 'Libraries' } }] });

      const download = await ctx.app.inject({ method: 'GET', url: `/a/${source.slug}/catalogue/export.oruk.json` });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toMatch(/^application\/json/);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${source.slug}-services.oruk.json"`);
      expect(JSON.parse(download.body)).toEqual(page);
    });

    it('round-trips: the export imports into another authority with the same services and wards', async () => {
      const target = await newAuthority(ctx.services, 'Round Trip Test');
      const { token: targetToken } = await officerOf(target);
      const exported = (await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${source.slug}/catalogue/oruk` })).body;
      const res = await importByApi(target, targetToken, exported);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ total: 4, accepted: 4, rejected: [], wardLinks: 2 });
      const summarise = async (a: Authority) =>
        (await ctx.services.catalogue.exportOruk(a)).contents
          .map((s) => ({ name: s.name, description: s.description, status: s.status, url: s.url, provider: (s.organization as { name?: string } | undefined)?.name, wards: (s.service_areas as { name: string }[] | undefined)?.map((w) => w.name) }))
          .sort((x, y) => String(x.name).localeCompare(String(y.name)));
      expect(await summarise(target)).toEqual(await summarise(source));
      const links = await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(serviceWards).where(eq(serviceWards.authorityId, target.id));
      expect(links[0]!.n).toBe(2);
    });

    it('runs one import at a time: the same feed twice at once is taken once', async () => {
      const target = await newAuthority(ctx.services, 'Concurrent Import Test');
      const feed = parseOrukText(northLincsText);
      const results = await Promise.allSettled([
        ctx.services.catalogue.importOruk(TEST_ACTOR, target, feed, { acceptPartial: true }),
        ctx.services.catalogue.importOruk(TEST_ACTOR, target, feed, { acceptPartial: true }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(OrukImportRefusedError);
      expect(await count(servicesTable, target.id)).toBe(738);
    });
  });
});
