/**
 * The medium test tier: the real app and services on a real database —
 * in-memory PGlite by default, or the PostgreSQL server in TEST_DATABASE_URL.
 * Tests never reset tables: each makes its own authority, as a real
 * multi-council deployment would, so files can share one server.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/lib/db/client.ts';
import { createServices, type Services } from '../src/services.ts';
import { buildApp, type AppOptions } from '../src/app.ts';
import type { Actor } from '../src/lib/audit/audit.ts';
import type { Role } from '../src/lib/auth/policy.ts';
import { SESSION_COOKIE } from '../src/modules/accounts/routes.ts';
import { ConflictError, ValidationError, type FieldErrors } from '../src/lib/errors.ts';

export const TEST_ACTOR: Actor = { userId: null, role: 'system', via: 'system' };
export const TEST_PASSWORD = 'correct horse battery';

export interface TestContext {
  config: Config;
  database: Database;
  services: Services;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL || undefined;
  const database = await openDatabase(url ? { databaseUrl: url } : { dataDir: 'memory://' });
  if (!url) await database.migrate();
  return database;
}

export async function startTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestContext> {
  const config = loadConfig({ NODE_ENV: 'test', SIGN_IN_RATE_LIMIT: '1000', LOG_LEVEL: options.logStream ? 'info' : 'silent', ...env });
  const database = await openTestDatabase();
  const services = createServices(database, config, pino({ level: 'silent' }));
  const app = await buildApp(config, services, options);
  await app.ready();
  return {
    config,
    database,
    services,
    app,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const uniqueSlug = (prefix = 't') => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A fresh authority with Lambeth's real wards, so postcodes resolve. */
export async function newAuthority(services: Services, name = 'Test Borough of Lambeth') {
  return services.places.createAuthority(TEST_ACTOR, { slug: uniqueSlug(), name, gssCode: 'E09000022' });
}

export async function newUser(services: Services, authorityId: string, role: Role, extra: { postcode?: string } = {}) {
  return services.accounts.createUser(TEST_ACTOR, {
    authorityId,
    email: `${role}-${randomBytes(4).toString('hex')}@example.org`,
    displayName: `Test ${role}`,
    password: TEST_PASSWORD,
    roles: [role],
    postcode: extra.postcode ?? null,
  });
}

/** A browser-like client: keeps cookies, and reads CSRF tokens from the forms it is shown. */
export class Browser {
  cookies = new Map<string, string>();
  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async request(options: InjectOptions) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({ ...options, headers: { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** Load the page with the form, then submit it with its CSRF token, as a browser would. */
  async submit(formPage: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.get(formPage);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`No CSRF token on ${formPage} (status ${page.statusCode})`);
    return this.post(action, { ...fields, _csrf: token });
  }

  post(url: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request({ method: 'POST', url, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async signIn(email: string, password = TEST_PASSWORD) {
    const res = await this.submit('/sign-in', '/sign-in', { email, password });
    if (res.statusCode !== 303 || !this.cookies.has(SESSION_COOKIE)) throw new Error(`Sign-in failed for ${email}: ${res.statusCode}`);
    return res;
  }
}

/**
 * A brand-new, empty database for tests that need one to themselves (the CLI,
 * backup and restore): a PGlite folder, or a new database on the test server.
 * Returns the environment the CLI reads, and a clean-up.
 */
export async function freshDatabaseEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-test-'));
    return { env: { COPRODUCE_DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `coproduce_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: target.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

// ------------------------------------------------------------------ reading pages as a person does

/** HTML text back to what a person reads (the entities Nunjucks escapes). */
export const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's main heading. */
export const h1 = (html: string) => decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim() ?? '');

/** The GOV.UK error summary as a person reads it: field → message, in order. */
export function errorSummary(html: string): Record<string, string> {
  const block = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return Object.fromEntries([...block.matchAll(/<a href="#([^"]+)">([\s\S]*?)<\/a>/g)].map((m) => [m[1]!, decode(m[2]!.trim())]));
}

/** The summary says what is wrong, each link goes to its field, and each field repeats its message. */
export function expectFormErrors(html: string, expected: Record<string, string>) {
  expect(html).toContain('<h2 class="govuk-error-summary__title">');
  expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(/^Error: /);
  expect(errorSummary(html)).toEqual(expected);
  for (const [field, message] of Object.entries(expected)) {
    expect(html, `#${field} on the page`).toContain(`id="${field}"`);
    const inline = new RegExp(`<p id="${field}-error" class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span>([\\s\\S]*?)</p>`).exec(html)?.[1];
    expect(decode(inline?.trim() ?? ''), `message by ${field}`).toBe(message);
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A browser signed in as this person. */
export async function signedInAs(app: FastifyInstance, user: { email: string }): Promise<Browser> {
  const browser = new Browser(app);
  await browser.signIn(user.email);
  return browser;
}

/**
 * A command that needs no database (`pb tally`, `appraise`), through the real bin. Its data
 * folder is named but never made, so a command that opened the database would fail; vitest's own
 * BASE_URL=/ is left out, as an operator's shell would not have it.
 */
export const NO_DATABASE_DIR = path.join(os.tmpdir(), `coproduce-no-db-${process.pid}`);

/** Run the real bin as an operator's shell would (vitest's own BASE_URL=/ left out), with `env` on top. */
export function runCommand(env: Record<string, string>, ...args: string[]) {
  const { BASE_URL: _vite, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['bin/coproduce.mjs', ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    env: { ...inherited, DATABASE_URL: '', ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** A command that needs no database, run where there is none to open. */
export const runPureCommand = (...args: string[]) => runCommand({ COPRODUCE_DATA_DIR: NO_DATABASE_DIR }, ...args);

/** What a service said when it refused: its message and field errors. Fails the test if it did not refuse. */
export async function refusalOf(p: Promise<unknown>): Promise<{ message: string; fields: FieldErrors }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError || err instanceof ConflictError) return { message: err.message, fields: err.fields };
    throw err;
  }
  throw new Error('expected a refusal');
}
