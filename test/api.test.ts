/**
 * The JSON API as a machine client meets it: the OpenAPI document describes
 * every route there is, pages are bounded and checked, Bearer tokens decide
 * who may write, and every refusal has the one error shape — never a 500 for
 * a caller's mistake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { bearer, Browser, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { ErrorBody } from '../src/lib/http/api.ts';
import { apiTokens, users } from '../src/lib/auth/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Every route the app has registered, read from Fastify's own route tree. */
function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const paths: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    paths.length = depth;
    const url = (depth > 0 ? paths[depth - 1]! : '') + m[2]!;
    paths[depth] = url;
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

interface Operation {
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: object }> }>;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }>; schemas?: Record<string, object> };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('API', () => {
  let ctx: TestContext;
  let doc: OpenApiDocument;
  let authority: Authority;
  let other: Authority;
  let officer: User;
  let resident: User;
  let officerToken: string;
  let residentToken: string;
  let otherOfficerToken: string;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const errorShape = ajv.compile(ErrorBody);

  /** A refusal as the API promises it: JSON, the given status, and {error:{code,message,fields}}. */
  const expectError = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const body = res.json();
    expect(errorShape(body), JSON.stringify(errorShape.errors)).toBe(true);
    return (body as { error: { code: string; message: string; fields: Record<string, string> } }).error;
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    other = await newAuthority(ctx.services, 'Another Borough');
    officer = await newUser(ctx.services, authority.id, 'officer');
    resident = await newUser(ctx.services, authority.id, 'resident');
    const otherOfficer = await newUser(ctx.services, other.id, 'officer');
    officerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'integration')).token;
    residentToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, resident.id, 'mine')).token;
    otherOfficerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, otherOfficer.id, 'theirs')).token;
    const res = await ctx.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => ctx.close());

  describe('the OpenAPI document', () => {
    it('is an OpenAPI 3 document with the bearer scheme', () => {
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(doc.info).toMatchObject({ title: 'Coproduce API', version: expect.any(String) });
      expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
    });

    it('describes every /api/v1 route the app serves, and nothing that is not the API', () => {
      const api = registeredRoutes(ctx.app).filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
      // The route tree was read: these are known to exist.
      expect(api).toContainEqual({ method: 'GET', url: '/api/v1/postcodes/:postcode' });
      expect(api).toContainEqual({ method: 'PUT', url: '/api/v1/authorities/:authority/services/:id' });
      for (const { method, url } of api) {
        const path = url.replace(/:(\w+)/g, '{$1}');
        expect(doc.paths[path]?.[method.toLowerCase()], `${method} ${path} in the document`).toBeDefined();
      }
      // HTML pages, their form posts, /health and the document itself are not API operations.
      for (const path of Object.keys(doc.paths)) expect(path, path).toMatch(/^\/api\/v1\//);
    });

    it('gives every operation a tag, its path parameters, and described responses including a success', () => {
      for (const [path, ops] of Object.entries(doc.paths)) {
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const [method, op] of Object.entries(ops)) {
          const where = `${method.toUpperCase()} ${path}`;
          expect(op.tags?.length, `${where} tags`).toBeGreaterThan(0);
          const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
          expect(pathParams.map((p) => p.name).sort(), `${where} path parameters`).toEqual([...templated].sort());
          for (const p of pathParams) expect(p.required, `${where} ${p.name} required`).toBe(true);
          const responses = Object.entries(op.responses ?? {});
          expect(responses.length, `${where} responses`).toBeGreaterThan(0);
          expect(responses.some(([code]) => /^2\d\d$/.test(code)), `${where} has a 2xx`).toBe(true);
          for (const [code, r] of responses) {
            expect(typeof r.description, `${where} ${code} description`).toBe('string');
            // Every declared schema is itself a valid JSON Schema.
            const schema = r.content?.['application/json']?.schema;
            if (schema) expect(() => ajv.compile(schema), `${where} ${code} schema`).not.toThrow();
          }
          if (op.requestBody) {
            const schema = op.requestBody.content?.['application/json']?.schema;
            expect(schema, `${where} JSON body`).toBeDefined();
            expect(() => ajv.compile(schema!)).not.toThrow();
          }
          if (WRITE_METHODS.has(method.toUpperCase())) {
            expect(op.security, `${where} needs a token`).toContainEqual({ bearerAuth: [] });
            for (const code of ['400', '401', '403']) expect(op.responses?.[code], `${where} documents ${code}`).toBeDefined();
          }
        }
      }
    });

    it('every $ref in it resolves', () => {
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
      for (const ref of refs) {
        expect(ref, ref).toMatch(/^#\//);
        let node: unknown = doc;
        for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
        expect(node, ref).toBeDefined();
      }
    });

    it('what the API returns matches what the document says', async () => {
      await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Documented Org', type: 'charity', charityNumber: '1111111' });
      const checks: [string, string, string][] = [
        [`/api/v1/authorities/${authority.slug}/organisations`, '/api/v1/authorities/{authority}/organisations', '200'],
        [`/api/v1/authorities/${authority.slug}/wards`, '/api/v1/authorities/{authority}/wards', '200'],
        [`/api/v1/authorities/${authority.slug}/membership`, '/api/v1/authorities/{authority}/membership', '200'],
        ['/api/v1/postcodes/SW2%201AA', '/api/v1/postcodes/{postcode}', '200'],
        ['/api/v1/postcodes/nonsense', '/api/v1/postcodes/{postcode}', '400'],
        [`/api/v1/authorities/${authority.slug}/organisations?page=0`, '/api/v1/authorities/{authority}/organisations', '400'],
        [`/api/v1/authorities/${authority.slug}/services/00000000-0000-4000-8000-000000000000`, '/api/v1/authorities/{authority}/services/{id}', '404'],
      ];
      for (const [url, path, status] of checks) {
        const res = await ctx.app.inject({ url });
        expect(String(res.statusCode), url).toBe(status);
        const schema = doc.paths[path]!.get!.responses![status]!.content!['application/json']!.schema!;
        const validate = ajv.compile(schema);
        expect(validate(res.json()), `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });
  });

  describe('pagination', () => {
    let own: Authority;
    const names = ['Acorn Trust', 'Beacon CIC', 'Cedar Co-op', 'Damson Mutual', 'Elm Charity', 'Fig Foundation', 'Ginkgo Group'];
    const page = (query: string) => ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/organisations?${query}` });

    beforeAll(async () => {
      own = await newAuthority(ctx.services);
      for (const name of [...names].reverse()) await ctx.services.organisations.create(TEST_ACTOR, own.id, { name, type: 'charity' });
    });

    it('defaults to page 1 of 25', async () => {
      const res = await page('');
      expect(res.json()).toMatchObject({ page: 1, pageSize: 25, total: 7 });
      expect(res.json().items.map((o: { name: string }) => o.name)).toEqual(names);
    });

    it('walks the pages in a stable order, with the last page short and the one after it empty', async () => {
      const seen: string[] = [];
      for (const [n, size] of [[1, 3], [2, 3], [3, 1]] as const) {
        const res = await page(`page=${n}&pageSize=3`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ page: n, pageSize: 3, total: 7 });
        expect(body.items).toHaveLength(size);
        seen.push(...body.items.map((o: { name: string }) => o.name));
      }
      expect(seen).toEqual(names);
      const beyond = await page('page=4&pageSize=3');
      expect(beyond.statusCode).toBe(200);
      expect(beyond.json()).toEqual({ items: [], page: 4, pageSize: 3, total: 7 });
      const far = await page('page=100000');
      expect(far.json()).toMatchObject({ items: [], page: 100000, total: 7 });
    });

    it('accepts the edges: one a page, and a hundred', async () => {
      expect((await page('pageSize=1')).json().items).toHaveLength(1);
      expect((await page('pageSize=100')).json().items).toHaveLength(7);
    });

    it('refuses page numbers and sizes out of range or not whole numbers, naming the parameter', async () => {
      for (const [query, field] of [
        ['page=0', 'page'],
        ['page=-1', 'page'],
        ['page=abc', 'page'],
        ['page=1.5', 'page'],
        ['page=100001', 'page'],
        ['pageSize=0', 'pageSize'],
        ['pageSize=101', 'pageSize'],
        ['pageSize=ten', 'pageSize'],
      ] as const) {
        const error = expectError(await page(query), 400);
        expect(error.code, query).toBe('validation');
        expect(Object.keys(error.fields), query).toEqual([field]);
      }
      const services = await ctx.app.inject({ url: `/api/v1/authorities/${own.slug}/services?pageSize=1000` });
      expect(expectError(services, 400).fields).toHaveProperty('pageSize');
    });

    it('the web pages shrug off silly page numbers rather than failing', async () => {
      for (const p of ['0', '-3', 'abc', '1e9', '99999']) {
        const res = await ctx.app.inject({ url: `/a/${own.slug}/organisations?page=${p}` });
        expect(res.statusCode, p).toBe(200);
      }
    });
  });

  describe('Bearer tokens', () => {
    const create = (headers: Record<string, string>, name = 'Token Test Org') =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, headers, payload: { name, type: 'charity' } });

    it('an officer’s token may write, and the change is recorded as theirs, through the API', async () => {
      const res = await create(bearer(officerToken), 'Made By Token');
      expect(res.statusCode).toBe(201);
      const [entry] = await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, res.json().id));
      expect(entry).toMatchObject({ actorUserId: officer.id, actorRole: 'officer', via: 'api' });
      // The scheme name is case-insensitive, as RFC 7235 says.
      expect((await create({ authorization: `bearer ${officerToken}` }, 'Lower Case Scheme')).statusCode).toBe(201);
    });

    it('no token on a protected route: 401 JSON', async () => {
      const error = expectError(await create({}), 401);
      expect(error).toEqual({ code: 'unauthorised', message: 'This needs an API token (Authorization: Bearer …)', fields: {} });
    });

    it('a token that is wrong, malformed, revoked or whose owner is disabled: 401, even on public routes', async () => {
      const revoked = await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'to revoke');
      await ctx.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.id));
      const leaver = await newUser(ctx.services, authority.id, 'officer');
      const leaverToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, leaver.id, 'leaver')).token;
      await ctx.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, leaver.id));

      for (const authorization of ['Bearer cpt_not-a-real-token', 'Bearer', 'Basic b2ZmaWNlcjpwYXNzd29yZA==', `Bearer ${revoked.token}`, `Bearer ${leaverToken}`]) {
        const write = expectError(await create({ authorization }), 401);
        expect(write.code, authorization).toBe('unauthorised');
        const read = await ctx.app.inject({ url: `/api/v1/authorities/${authority.slug}`, headers: { authorization } });
        expect(expectError(read, 401).code, authorization).toBe('unauthorised');
      }
    });

    it('the wrong role, or another council’s officer: 403 JSON', async () => {
      expect(expectError(await create(bearer(residentToken)), 403)).toEqual({ code: 'forbidden', message: 'Your role does not allow this', fields: {} });
      expect(expectError(await create(bearer(otherOfficerToken)), 403).code).toBe('forbidden');
      const put = await ctx.app.inject({
        method: 'PUT',
        url: `/api/v1/authorities/${authority.slug}/services/00000000-0000-4000-8000-000000000000`,
        headers: bearer(residentToken),
        payload: { name: 'x', category: 'y', deliveryModel: 'in_house' },
      });
      expect(expectError(put, 403).code).toBe('forbidden');
    });

    it('a browser session does not authorise the API, so a cross-site form cannot use it', async () => {
      const browser = new Browser(ctx.app);
      await browser.signIn(officer.email);
      const res = await browser.request({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, payload: { name: 'Via Cookie', type: 'charity' } });
      expect(expectError(res, 401).code).toBe('unauthorised');
    });

    it('someone who may not write learns nothing from validation: they are refused first', async () => {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, headers: bearer(residentToken), payload: { nonsense: true } });
      expect(expectError(res, 403).fields).toEqual({});
    });
  });

  describe('bad requests', () => {
    const post = (payload: string, contentType = 'application/json', token = officerToken) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, headers: { ...bearer(token), 'content-type': contentType }, payload });

    it('malformed JSON is a 400 with the error shape, not a 500', async () => {
      for (const body of ['{bad json', '{"name": "x",}', '{"name": "unterminated', 'null', '[]', '"just a string"', '42']) {
        const error = expectError(await post(body), 400);
        expect(error.message.length, body).toBeGreaterThan(0);
      }
      expect(expectError(await post('{bad json'), 400).message).toMatch(/JSON/);
    });

    it('an empty JSON body is a 400', async () => {
      expectError(await post(''), 400);
    });

    it('malformed JSON without a token is refused, and never a 500', async () => {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/authorities/${authority.slug}/organisations`, headers: { 'content-type': 'application/json' }, payload: '{bad' });
      expect([400, 401]).toContain(res.statusCode);
      expectError(res, res.statusCode);
    });

    it('a body the API does not take (XML, plain text, or too large) is refused with the error shape', async () => {
      expectError(await post('<organisation><name>x</name></organisation>', 'application/xml'), 415);
      // Plain text is read, but is not the object the route takes.
      expect(expectError(await post('name=x', 'text/plain'), 400).code).toBe('validation');
      const huge = JSON.stringify({ name: 'Huge', type: 'charity', description: 'x'.repeat(1024 * 1024 + 10) });
      expectError(await post(huge), 413);
    });

    it('fields of the wrong type are field errors', async () => {
      const error = expectError(await post(JSON.stringify({ name: { first: 'x' }, type: 'charity' })), 400);
      expect(error).toMatchObject({ code: 'validation', fields: { name: expect.any(String) } });
      const services = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/authorities/${authority.slug}/services`,
        headers: bearer(officerToken),
        payload: { name: 'Typed', category: 'Typing', deliveryModel: 'in_house', wardCodes: 'E05014097' },
      });
      // A single code where a list belongs is taken as a list of one, not refused.
      expect(services.statusCode).toBe(201);
      expect(services.json().wards).toEqual([{ gssCode: 'E05014097', name: 'Brixton Rush Common' }]);
    });

    it('an unknown API address or method is 404 JSON', async () => {
      expect(expectError(await ctx.app.inject({ url: '/api/v1/no-such-thing' }), 404).code).toBe('not_found');
      expect(expectError(await ctx.app.inject({ method: 'DELETE', url: `/api/v1/authorities/${authority.slug}`, headers: bearer(officerToken) }), 404).code).toBe('not_found');
    });
  });
});
