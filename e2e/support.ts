/**
 * The browser tier's harness: the real app on in-memory PGlite with the demo
 * borough, listening on a free port, and real Chromium (Debian's, through
 * playwright-core) driving it. Every page a test lands on is checked:
 *  - the browser logged no console error, uncaught exception or CSP violation, and no subresource failed;
 *  - every link in an error summary leads to something on the page, and the title starts "Error: ";
 *  - axe-core finds no WCAG 2.2 A/AA violation (printing each rule, its targets and the URL if it does).
 *
 * axe runs on a snapshot of the page (its DOM as the browser built it, with or
 * without JavaScript, scripts removed, loaded with its stylesheet into an
 * audit tab) while the test carries on, so on two cores the checking overlaps
 * the journey; and each page state is checked once per file. `Session.close()`
 * waits for the session's checks and fails the test on any violation.
 * With `checkLinks`, every kind of link on the pages is followed too.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/lib/db/client.ts';
import { createServices, type Services } from '../src/services.ts';
import { buildApp } from '../src/app.ts';
import { seedDemo, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG } from '../src/seed/demo.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { Role } from '../src/lib/auth/policy.ts';

export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG };

/** WCAG 2.0, 2.1 and 2.2 at A and AA, as axe-core tags them. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The demo borough's pages. */
export const BASE = `/a/${DEMO_SLUG}`;
export const AUTHORITY_NAME = 'London Borough of Lambeth (demo)';

/** Real Lambeth postcodes from the ONSPD index (reference-data/geography/postcode-ward-index.json), with their wards. */
export const LAMBETH_POSTCODES = [
  { postcode: 'SE11 4AA', ward: 'Kennington' },
  { postcode: 'SE11 4PP', ward: 'Oval' },
  { postcode: 'SE11 5AA', ward: 'Vauxhall' },
  { postcode: 'SE11 6AG', ward: 'Waterloo & South Bank' },
] as const;
/** In the same index, but in other boroughs. */
export const OUT_OF_AREA = { southwark: 'SE1 1AA', towerHamlets: 'E1 4AA' } as const;

export function demoAccount(role: Role) {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return account;
}

const root = fileURLToPath(new URL('../', import.meta.url));

export function assertAssetsBuilt(): void {
  const css = path.join(root, 'public/build/app.css');
  if (!fs.existsSync(css)) {
    throw new Error(`${path.relative(root, css)} is missing: run \`node scripts/build-assets.mjs\` first (\`npm test\` does it before vitest).`);
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install Debian's chromium package, or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

export interface Harness {
  baseUrl: string;
  app: FastifyInstance;
  services: Services;
  authority: Authority;
  browser: Browser;
  checks: Checks;
  /** A browser context of its own (a closed session's, cookies cleared, or a new one) and its page, checked as it goes. */
  session(options?: BrowserContextOptions): Promise<Session>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Also follow every link on each page checked (once per kind of link, per person), failing on any that answers 4xx or 5xx. */
  checkLinks?: boolean;
}

/** The app as src/main.ts builds it, but on in-memory PGlite with the demo borough; and one Chromium for the test file. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  assertAssetsBuilt();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIGN_IN_RATE_LIMIT: '1000' });
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  try {
    database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    const services = createServices(database, config, pino({ level: 'silent' }));
    const [authority, launched] = await Promise.all([seedDemo(services), launchChromium()]);
    browser = launched;
    app = await buildApp(config, services);
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const [db, server, chrome] = [database, app, browser];
    const checks = new Checks(chrome, options.checkLinks === true);
    const sessions: Session[] = [];
    // A closed session's context is kept, cookies cleared, for the next: a new context costs Chromium new processes.
    const idle = new Map<string, Session[]>();
    return {
      baseUrl,
      app,
      services,
      authority,
      browser,
      checks,
      async session(options = {}) {
        const kind = JSON.stringify(options);
        const reused = idle.get(kind)?.pop();
        if (reused) return reused;
        const context = await chrome.newContext({ baseURL: baseUrl, locale: 'en-GB', timezoneId: 'Europe/London', ...options });
        const session = await Session.open(context, checks, options.javaScriptEnabled !== false, async (done) => {
          await done.reset();
          idle.set(kind, [...(idle.get(kind) ?? []), done]);
        });
        sessions.push(session);
        return session;
      },
      async close() {
        await Promise.allSettled(sessions.map((s) => s.context.close()));
        await checks.idle();
        await chrome.close();
        await server.close();
        await db.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    throw err;
  }
}

interface Snapshot {
  url: string;
  html: string;
  javaScriptEnabled: boolean;
}

/**
 * The axe checks of one harness: a queue of page snapshots worked through by
 * audit tabs, each page state checked once (identical states, bar CSRF
 * tokens, nonces and record ids, share one check).
 */
export class Checks {
  /** How many page states were checked, per URL path (and "without JavaScript"). */
  readonly audited = new Map<string, number>();
  readonly axeTime = { ms: 0, runs: 0 };
  private readonly states = new Map<string, Promise<void>>();
  private readonly queue: { snapshot: Snapshot; done: (err?: unknown) => void }[] = [];
  private readonly browser: Browser;
  private context: Promise<BrowserContext> | undefined;
  private workers = 0;
  private readonly idleTabs: Page[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** Audit tabs: one keeps a core busy with axe while the test's own tab uses the other. */
  private static readonly WORKERS = 1;

  /** Links followed, as "who: kind of link" (see linkKind). */
  readonly linksFollowed = new Set<string>();
  readonly checkLinks: boolean;

  constructor(browser: Browser, checkLinks: boolean) {
    this.browser = browser;
    this.checkLinks = checkLinks;
  }

  /** Check a page state with axe, once; resolves when checked, rejects with the violations. */
  check(snapshot: Snapshot): Promise<void> {
    const state = pageState(snapshot);
    let result = this.states.get(state);
    if (!result) {
      result = new Promise<void>((resolve, reject) => this.queue.push({ snapshot, done: (err) => (err ? reject(err) : resolve()) }));
      result.catch(() => {}); // reported to every session that saw the state, when it settles
      this.states.set(state, result);
      const tracked = result.catch(() => {}).finally(() => this.pending.delete(tracked));
      this.pending.add(tracked);
      if (this.workers < Checks.WORKERS) {
        this.workers++;
        void this.work();
      }
    }
    return result;
  }

  /** Wait until every queued check has run. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async work(): Promise<void> {
    this.context ??= this.browser.newContext({ locale: 'en-GB' });
    let page: Page | undefined;
    try {
      page = this.idleTabs.pop() ?? (await (await this.context).newPage());
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        const started = Date.now();
        try {
          await auditSnapshot(page!, job.snapshot);
          job.done();
        } catch (err) {
          job.done(err);
        }
        this.axeTime.ms += Date.now() - started;
        this.axeTime.runs++;
        const key = `${new URL(job.snapshot.url).pathname}${job.snapshot.javaScriptEnabled ? '' : ' (without JavaScript)'}`;
        this.audited.set(key, (this.audited.get(key) ?? 0) + 1);
      }
    } catch (err) {
      for (const job of this.queue.splice(0)) job.done(err);
    } finally {
      // At once, with no await before it: a check queued from now on starts a worker of its own.
      this.workers--;
      if (page) this.idleTabs.push(page);
    }
  }
}

/**
 * The page state as a hash: the HTML without CSRF tokens and nonces, with each
 * id (UUID) numbered in order of appearance, so pages that differ only in
 * which record's id they carry are one state, while a label and the field it
 * names must still agree.
 */
function pageState({ html, javaScriptEnabled }: Snapshot): string {
  const ids = new Map<string, number>();
  const normalised = html
    .replace(/ nonce="[^"]*"/g, '')
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => {
      if (!ids.has(id)) ids.set(id, ids.size);
      return `{id ${ids.get(id)}}`;
    });
  return createHash('sha256').update(`${javaScriptEnabled}\n${normalised}`).digest('hex');
}

/** Where an audit tab loads its first snapshot: on the server's origin, so the stylesheet loads (the app's Cross-Origin-Resource-Policy is same-origin). */
const SNAPSHOT_PATH = '/__e2e-snapshot__';
const primed = new WeakSet<Page>();

/** Replace the tab's document, keeping its window (and the axe already in it), and wait for the stylesheets. */
const WRITE_DOCUMENT = `(async (html) => {
  document.open();
  document.write(html);
  document.close();
  await Promise.all(Array.from(document.querySelectorAll('link[rel="stylesheet"]'), (link) =>
    link.sheet ? null : new Promise((resolve) => { link.addEventListener('load', resolve); link.addEventListener('error', resolve); })));
})`;

/**
 * Load the snapshot into the audit tab, scripts removed so nothing changes
 * the DOM the visitor had, and run axe on it. The first snapshot is a page
 * load and injects axe; later ones rewrite the document in place, which keeps
 * axe loaded and the stylesheet cached: a check then takes 0.1 to 0.4 s, not 0.6 to 1.
 */
async function auditSnapshot(page: Page, { url, html, javaScriptEnabled }: Snapshot): Promise<void> {
  const body = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const label = `${url}${javaScriptEnabled ? '' : ' (as shown without JavaScript)'}`;
  if (primed.has(page) && (await page.evaluate('typeof window.axe === "object"'))) {
    await page.evaluate(`${WRITE_DOCUMENT}(${JSON.stringify(body)})`);
    await assertAccessible(page, label, { injected: true });
    return;
  }
  await page.unroute(SNAPSHOT_MATCH).catch(() => {});
  await page.route(SNAPSHOT_MATCH, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
  await page.goto(new URL(SNAPSHOT_PATH, url).toString(), { waitUntil: 'load' });
  await assertAccessible(page, label);
  primed.add(page);
}

const SNAPSHOT_MATCH = (u: URL) => u.pathname === SNAPSHOT_PATH;

interface Expect {
  /** The HTTP status the page must answer with (200 unless given). */
  status?: number;
}

interface Reported {
  text: string;
  /** Where the browser says it happened (for network messages, the resource). */
  url: string;
}

/**
 * One browser context and its page, with everything the page reports
 * collected. `visit`, `submit`, `follow` and `navigate` each land on a page and check it.
 */
export class Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly javaScriptEnabled: boolean;
  private readonly checks: Checks;
  private readonly audits: Promise<void>[] = [];
  private reported: Reported[] = [];
  /** The status of each document the page loaded, so the browser's own "Failed to load resource" line for an expected 4xx page is not taken for a fault. */
  private readonly documentStatus = new Map<string, number>();
  private lastDocument: Response | null = null;
  private readonly recycle: (session: Session) => Promise<void>;

  private constructor(context: BrowserContext, page: Page, checks: Checks, javaScriptEnabled: boolean, recycle: (session: Session) => Promise<void>) {
    this.context = context;
    this.page = page;
    this.checks = checks;
    this.javaScriptEnabled = javaScriptEnabled;
    this.recycle = recycle;
  }

  static async open(context: BrowserContext, checks: Checks, javaScriptEnabled: boolean, recycle: (session: Session) => Promise<void>): Promise<Session> {
    // Where scripts run, report each CSP violation with its directive; Chromium also logs them as console errors.
    await context.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code') + ' in ' + e.sourceFile + ':' + e.lineNumber));`,
    });
    const page = await context.newPage();
    const session = new Session(context, page, checks, javaScriptEnabled, recycle);
    const note = (text: string, url = '') => session.reported.push({ text: `${text} (on ${page.url()})`, url });
    page.on('console', (msg) => {
      if (msg.type() === 'error') note(`console error: ${msg.text()}`, msg.location().url);
    });
    page.on('pageerror', (err) => note(`uncaught exception: ${err.message}`));
    page.on('requestfailed', (req) => {
      // Aborted is what leaving a page does to its requests still in flight (a favicon, say): not a fault.
      const reason = req.failure()?.errorText ?? '';
      if (reason !== 'net::ERR_ABORTED') note(`request failed: ${req.method()} ${req.url()} ${reason}`);
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && res.frame() === page.mainFrame()) {
        session.documentStatus.set(res.url(), res.status());
        if (res.status() < 300 || res.status() >= 400) session.lastDocument = res;
      } else if (res.status() >= 400) {
        note(`${req.resourceType()} ${res.url()} answered ${res.status()}`);
      }
    });
    return session;
  }

  /** Go to a URL (relative to the server), expect its status, and check the page. */
  async visit(url: string, expect: Expect = {}): Promise<Response> {
    const res = await this.page.goto(url, { waitUntil: 'load' });
    if (!res) throw new Error(`No response for ${url}`);
    return this.landed(res, expect);
  }

  /** Do something that loads a new page (a click, a submit), wait for it, expect its status, and check it. */
  async navigate(action: (page: Page) => Promise<unknown>, expect: Expect = {}): Promise<Response> {
    const mainFrame = this.page.mainFrame();
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === mainFrame });
    navigated.catch(() => {}); // if the action fails, that is the error to report
    this.lastDocument = null;
    await action(this.page);
    await navigated;
    await this.page.waitForLoadState('load');
    if (!this.lastDocument) throw new Error(`No document response after navigating to ${this.page.url()}`);
    return this.landed(this.lastDocument, expect);
  }

  /** Press a form's button (by its accessible name) and check the page that comes back. */
  submit(button: string | RegExp, expect: Expect = {}): Promise<Response> {
    return this.navigate((page) => page.getByRole('button', { name: button, exact: typeof button === 'string' }).click(), expect);
  }

  /** Follow a link (by its accessible name; the first if several) and check the page it leads to. */
  follow(link: string | RegExp, expect: Expect = {}): Promise<Response> {
    return this.navigate((page) => page.getByRole('link', { name: link, exact: typeof link === 'string' }).first().click(), expect);
  }

  private async landed(res: Response, expect: Expect): Promise<Response> {
    const wanted = expect.status ?? 200;
    if (res.status() !== wanted) {
      const heading = await this.page.locator('h1').first().textContent().catch(() => null);
      throw new Error(`${res.request().method()} ${res.url()} answered ${res.status()}, expected ${wanted}${heading ? ` (page: "${heading.trim()}")` : ''}`);
    }
    await this.check();
    return res;
  }

  /**
   * Check the page as it is now: nothing reported by the browser, and error
   * summary links that lead somewhere, at once; axe, queued (see close()).
   */
  async check(): Promise<void> {
    this.assertNothingReported();
    await this.assertErrorSummaryWorks();
    const html = await this.page.content();
    const audit = this.checks.check({ url: this.page.url(), html, javaScriptEnabled: this.javaScriptEnabled });
    audit.catch(() => {}); // collected by settle()
    this.audits.push(audit);
    if (this.checks.checkLinks) {
      // Links within the page (a skip link, an error summary's) are not requests.
      const hrefs = (await this.page.evaluate(`Array.from(document.querySelectorAll('a[href]:not([href^="#"])'), (a) => a.href)`)) as string[];
      const cookie = (await this.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const links = this.followLinks(new URL(this.page.url()), html, hrefs, cookie);
      links.catch(() => {});
      this.audits.push(links);
    }
  }

  /**
   * Request each link on the page, as this person (with the session's
   * cookies), that leads somewhere of a kind not yet tried for them; fail on
   * any 4xx or 5xx. The requests go round the browser, so a cookie they are
   * given (a CSRF secret) cannot replace the browser's.
   */
  private async followLinks(here: URL, html: string, hrefs: string[], cookie: string): Promise<void> {
    const who = /Signed in as ([^<.]+)\./.exec(html)?.[1] ?? 'anonymous';
    const broken: string[] = [];
    for (const href of new Set(hrefs.map((h) => h.split('#')[0]!))) {
      const url = new URL(href);
      const kind = `${who}: ${linkKind(url)}`;
      if (url.origin !== here.origin || this.checks.linksFollowed.has(kind)) continue;
      this.checks.linksFollowed.add(kind);
      const status = await statusOf(url, cookie);
      if (status >= 400) broken.push(`${url.pathname}${url.search} answered ${status}`);
    }
    if (broken.length) throw new Error(`Broken links on ${here} (for ${who}):\n  ${broken.join('\n  ')}`);
  }

  /** Wait for this session's axe checks; fail with every violation found. */
  async settle(): Promise<void> {
    const results = await Promise.allSettled(this.audits.splice(0));
    const failures = [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : [])))];
    if (failures.length) throw new Error(failures.join('\n\n'));
  }

  /** Fail on any console error, uncaught exception, CSP violation or failed request so far. */
  assertNothingReported(): void {
    const found = this.reported.filter((r) => {
      const m = /^console error: Failed to load resource: the server responded with a status of (\d{3})/.exec(r.text);
      return !(m && this.documentStatus.get(r.url) === Number(m[1]));
    });
    this.reported = [];
    if (found.length) throw new Error(`The browser reported problems:\n  ${found.map((r) => r.text).join('\n  ')}`);
  }

  /** GOV.UK error summaries link to the field with the problem: each link must have a target, and the title must say "Error:". */
  private async assertErrorSummaryWorks(): Promise<void> {
    const hrefs = (await this.page.evaluate(`Array.from(document.querySelectorAll('.govuk-error-summary a'), (a) => a.getAttribute('href') || '')`)) as string[];
    if (hrefs.length === 0) return;
    const title = await this.page.title();
    if (!title.startsWith('Error: ')) throw new Error(`${this.page.url()} shows an error summary but its title does not start "Error: ": ${title}`);
    for (const href of hrefs) {
      if (!href.startsWith('#') || (await this.page.locator(`[id="${href.slice(1)}"]`).count()) === 0) {
        throw new Error(`The error summary on ${this.page.url()} links to ${href}, which is not on the page`);
      }
    }
  }

  /** Sign in through the form; lands on the dashboard (or the page it was sent from). */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    if (new URL(this.page.url(), 'http://x').pathname !== '/sign-in') await this.visit('/sign-in');
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.submit('Sign in');
  }

  async signOut(): Promise<void> {
    await this.submit('Sign out');
  }

  /** The text of the page's main heading. */
  async heading(): Promise<string> {
    return ((await this.page.locator('h1').first().textContent()) ?? '').trim();
  }

  /** The error summary's list, one entry per problem. */
  async errorSummary(): Promise<string[]> {
    return (await this.page.locator('.govuk-error-summary__list li').allTextContents()).map((t) => t.trim());
  }

  /** Wait for the axe checks of this session's pages (a violation fails the test here), and give the context back. */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      await this.recycle(this);
    }
  }

  /** Forget everything: cookies (so the session), and what the page reported. */
  async reset(): Promise<void> {
    await this.page.goto('about:blank');
    await this.context.clearCookies();
    this.reported = [];
    this.documentStatus.clear();
    this.lastDocument = null;
  }
}

/** The status a GET answers with (redirects not followed), on a connection of its own so none is left open to hold up the server's close. */
function statusOf(url: URL, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: cookie ? { cookie } : {}, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** A link's path and query keys, with ids and GSS codes generalised: one of each kind is enough to follow. */
function linkKind(url: URL): string {
  const path = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}').replace(/\b[EWSN]\d{8}\b/g, '{gss}');
  return `${path}?${[...url.searchParams.keys()].sort().join('&')}`;
}

/** One line for the log: what axe checked. */
export function auditSummary(h: Harness, file: string): string {
  const { runs, ms } = h.checks.axeTime;
  return `${file}: axe checked ${runs} page states on ${h.checks.audited.size} pages (${(ms / 1000).toFixed(1)} s of axe)`;
}

/** Run axe (WCAG 2.2 AA) on a page and fail with each rule, its targets and the URL. */
export async function assertAccessible(page: Page, label = page.url(), options: { injected?: boolean } = {}): Promise<void> {
  // Only violations are wanted: leaving out the passes saves a fifth of the time. options() replaces runOnly, so it comes first.
  // Legacy mode runs axe in the page rather than finishing in a new tab: these pages have no frames, and it is faster.
  // `injected`: axe is already in the page, so give the builder an empty script to inject instead of axe's 600 KB.
  const builder = new AxeBuilder(options.injected ? { page, axeSource: ';' } : { page });
  const results = await builder.options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS).setLegacyMode().analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`);
    return `  ${v.id} (${v.impact ?? 'impact unknown'}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
  });
  throw new Error(`axe found ${results.violations.length} WCAG 2.2 AA violation(s) on ${label}:\n${lines.join('\n')}`);
}
