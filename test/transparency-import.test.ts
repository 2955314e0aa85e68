/**
 * Taking in real council Transparency Code files on a real database: every sample file
 * imports whole with the independently worked-out figures (test/fixtures, from
 * scripts/transparency-expected.py), the same file twice changes nothing, a file that is not
 * transaction data is refused with nothing written, the CLI prints the documented JSON, and
 * an import killed part-way leaves no trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Browser, decode, errorSummary, freshDatabaseEnv, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { landAssets, spendFlags, spendImports, spendTransactions, vcseGrants } from '../src/modules/transparency/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { ImportJobs } from '../src/modules/transparency/import-jobs.ts';
import type { ImportReport } from '../src/modules/transparency/service.ts';

const SAMPLES = new URL('../../shared/data/samples/transparency-code/', import.meta.url);
const EXPECTED = JSON.parse(fs.readFileSync(new URL('fixtures/transparency-expected.json', import.meta.url), 'utf8')) as {
  files: Record<string, { rows: number; rejected: number; credits: number; totalPence: number }>;
};
const BIN = fileURLToPath(new URL('../bin/coproduce.mjs', import.meta.url));

describe('importing Transparency Code files', () => {
  let ctx: TestContext;
  let authority: Authority;

  const stored = async (dataset: string, importId: string) => {
    if (dataset === 'land-assets') return { n: (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(landAssets).where(eq(landAssets.importId, importId)))[0]!.n, total: 0 };
    const table = dataset === 'grants-vcse' ? vcseGrants : spendTransactions;
    const [row] = await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number), total: sql<number>`coalesce(sum(${table.amountPence}), 0)`.mapWith(Number) }).from(table).where(eq(table.importId, importId));
    return row!;
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
  });
  afterAll(() => ctx?.close());

  it.each(Object.entries(EXPECTED.files))('%s goes in whole, with its independently worked-out figures', async (name, expected) => {
    const bytes = fs.readFileSync(new URL(name, SAMPLES));
    const report = await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: path.basename(name), bytes });
    expect({ rows: report.rows, rejected: report.rejected, credits: report.credits, totalPence: report.totalPence }).toEqual({ rows: expected.rows, rejected: expected.rejected, credits: expected.credits, totalPence: expected.totalPence });
    const inTables = await stored(report.dataset, report.importId);
    expect(inTables.n).toBe(expected.rows);
    expect(inTables.total).toBe(expected.totalPence);
  }, 120_000);

  it('changes nothing when the same file comes again', async () => {
    const name = 'spend-over-500/hyndburn_2023-06_spend-over-250.csv';
    const bytes = fs.readFileSync(new URL(name, SAMPLES));
    const other = await newAuthority(ctx.services, 'Test Borough of Hyndburn');
    const first = await ctx.services.transparency.importFile(TEST_ACTOR, other.id, other.name, { fileName: 'june.csv', bytes });
    const entries = async () => (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.authorityId, other.id)))[0]!.n;
    const before = await entries();
    const again = await ctx.services.transparency.importFile(TEST_ACTOR, other.id, other.name, { fileName: 'june-copy.csv', bytes });
    expect(again).toEqual({ ...first, alreadyImported: true });
    expect(await entries()).toBe(before);
    const imports = await ctx.database.db.select().from(spendImports).where(eq(spendImports.authorityId, other.id));
    expect(imports).toHaveLength(1);
    expect((await stored(first.dataset, first.importId)).n).toBe(first.rows);
  });

  it('flags a file that repeats an earlier one once, and a single payment repeated from an earlier file by itself', async () => {
    const name = 'spend-over-500/hyndburn_2023-06_spend-over-250.csv';
    const bytes = fs.readFileSync(new URL(name, SAMPLES));
    const council = await newAuthority(ctx.services, 'Test Borough of Hyndburn again');
    const first = await ctx.services.transparency.importFile(TEST_ACTOR, council.id, council.name, { fileName: 'june.csv', bytes });
    const flagsOf = (importId: string) => ctx.database.db.select().from(spendFlags).where(eq(spendFlags.importId, importId));
    const alreadyThere = (f: { explanation: string }) => /earlier file/.test(f.explanation);
    expect((await flagsOf(first.importId)).filter(alreadyThere)).toEqual([]);
    // The same payments published again, a trailing blank line making it another file.
    const again = await ctx.services.transparency.importFile(TEST_ACTOR, council.id, council.name, { fileName: 'june-republished.csv', bytes: Buffer.concat([bytes, Buffer.from('\r\n')]) });
    expect(again.alreadyImported).toBe(false);
    const republished = (await flagsOf(again.importId)).filter(alreadyThere);
    expect(republished).toHaveLength(1);
    expect(republished[0]!.severity).toBe('high');
    expect(republished[0]!.explanation).toMatch(/^[\d,]+ of this file’s [\d,]+ payments .* are already in an earlier file, june\.csv: .* Is this the same period published again\?/);
    // One payment of the first file, in a file of its own.
    // (Its first line is a blank preamble, its second the header, its third the first payment.)
    const [preamble, header, firstRow] = bytes.toString('latin1').split(/\r?\n/);
    const single = await ctx.services.transparency.importFile(TEST_ACTOR, council.id, council.name, { fileName: 'one-more.csv', bytes: Buffer.from(`${preamble}\r\n${header}\r\n${firstRow}\r\n`, 'latin1') });
    const repeated = (await flagsOf(single.importId)).filter(alreadyThere);
    expect(repeated).toHaveLength(1);
    expect(repeated[0]!.lines).toEqual([3]);
    expect(repeated[0]!.explanation).toMatch(/^£1,708\.75 was paid to H & M Building & Joinery Ltd on 6 June 2023 \(line 3\), and an earlier file, june(-republished)?\.csv, already has it on 6 June 2023 \(line 3\): the same transaction number B000024066\/21792\.$/);
  }, 120_000);

  it('finishes checks cut off by a stop, from the saved rows, with the very flags the file gave', async () => {
    const council = await newAuthority(ctx.services, 'Test Borough of Cut-off Checks');
    const bytesOf = (name: string) => fs.readFileSync(new URL(name, SAMPLES));
    const june = bytesOf('spend-over-500/hyndburn_2023-06_spend-over-250.csv');
    const files = [
      { fileName: 'june.csv', bytes: june },
      // Repeats june.csv, so one of its flags is about an earlier file.
      { fileName: 'june-republished.csv', bytes: Buffer.concat([june, Buffer.from('\r\n')]) },
      // Big enough to be read and checked on the import worker.
      { fileName: 'devon.csv', bytes: bytesOf('spend-over-500/devon-cc_2017-10_spending-over-500.csv') },
      { fileName: 'cards.csv', bytes: bytesOf('procurement-card/warwickshire-cc_2021-06_p-card.csv') },
    ];
    const reports: ImportReport[] = [];
    for (const file of files) reports.push(await ctx.services.transparency.importFile(TEST_ACTOR, council.id, council.name, file));
    const flagsOf = async (importId: string) => (await ctx.database.db.select().from(spendFlags).where(eq(spendFlags.importId, importId))).map((f) => `${f.check} ${f.severity} ${f.amountPence} ${f.lines.join(',')} ${f.explanation}`).sort();
    const before = await Promise.all(reports.map((r) => flagsOf(r.importId)));
    expect(before.map((f) => f.length > 0)).toEqual([true, true, true, true]);
    expect(before[1]!.filter((f) => /earlier file, june\.csv/.test(f))).toHaveLength(1);
    // What a stop between an import and its checks leaves: the checks are one transaction, so none of their flags.
    const cut = async (ids: string[]) => {
      await ctx.database.db.delete(spendFlags).where(inArray(spendFlags.importId, ids));
      await ctx.database.db.update(spendImports).set({ checkedAt: null }).where(inArray(spendImports.id, ids));
    };
    const [, republished, devon, cards] = reports.map((r) => r.importId) as [string, string, string, string];
    await cut([republished, devon, cards]);
    const checks = () => ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, council.id), eq(auditLog.action, 'spend.check')));
    expect(await checks()).toHaveLength(4);

    // As the platform does when it starts (for this council only: other tests' imports may be between their two transactions).
    expect(await ctx.services.transparency.checkUnfinished(TEST_ACTOR, council.id)).toBe(3);
    expect(await Promise.all(reports.map((r) => flagsOf(r.importId)))).toEqual(before);
    expect(await checks()).toHaveLength(7);
    expect(await ctx.services.transparency.checkUnfinished(TEST_ACTOR, council.id)).toBe(0);
    const imports = await ctx.database.db.select().from(spendImports).where(eq(spendImports.authorityId, council.id));
    expect(imports.every((i) => i.checkedAt !== null)).toBe(true);

    // The same file imported again finishes its checks, and writes nothing else.
    await cut([devon]);
    const again = await ctx.services.transparency.importFile(TEST_ACTOR, council.id, council.name, files[2]!);
    expect(again).toEqual({ ...reports[2], alreadyImported: true });
    expect(await flagsOf(devon)).toEqual(before[2]);
    expect(await checks()).toHaveLength(8);
    expect((await stored('spend-over-500', devon)).n).toBe(reports[2]!.rows);
  }, 120_000);

  it('refuses a file that is not transaction data, and a file that is not text, writing nothing', async () => {
    const totals = fs.readFileSync(new URL('spend-over-500/lambeth_2011-01_supplier-totals.csv', SAMPLES));
    const refused = await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'totals.csv', bytes: totals }).catch((e: { fields?: Record<string, string> }) => e);
    expect((refused as { fields: Record<string, string> }).fields.file).toMatch(/totals/);
    const binary = await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'x.xlsx', bytes: Buffer.from('PK\u0003\u0004 not a csv at all') }).catch((e: { fields?: Record<string, string> }) => e);
    expect((binary as { fields: Record<string, string> }).fields.file).toBeDefined();
    const written = await ctx.database.db.select().from(spendImports).where(and(eq(spendImports.authorityId, authority.id), eq(spendImports.fileName, 'totals.csv')));
    expect(written).toEqual([]);
  });
});

describe('coproduce spend import', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  const run = (args: string[], options: { killWhen?: RegExp } = {}) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
      // A clean environment, as an operator's shell would have: vitest's own variables (BASE_URL=/) are not the CLI's.
      const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...db.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => {
        stderr += d;
        if (options.killWhen?.test(stderr)) child.kill('SIGKILL');
      });
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    const made = await run(['authorities', 'create', '--slug', 'devon-test', '--name', 'Devon County Council (test)']);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);
  afterAll(() => db?.drop());

  it('prints the documented JSON for a real file', async () => {
    const file = fileURLToPath(new URL('spend-over-500/devon-cc_2017-10_spending-over-500.csv', SAMPLES));
    const res = await run(['spend', 'import', file, '--authority', 'devon-test', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    const expected = EXPECTED.files['spend-over-500/devon-cc_2017-10_spending-over-500.csv']!;
    expect(Object.keys(out)).toEqual(['rows', 'rejected', 'credits', 'total', 'from', 'to', 'warnings', 'errors']);
    expect(out).toMatchObject({ rows: expected.rows, rejected: expected.rejected, credits: expected.credits, total: { GBP: expected.totalPence / 100 }, errors: [] });
    expect(out.from).toMatch(/^2017-\d\d-\d\d$/);
    expect(out.to >= out.from).toBe(true);
  }, 120_000);

  /** A large file of its own, so an import is still at work when it is killed; every 10,000th payment is made twice. */
  const bigFile = (dir: string) => {
    const file = path.join(dir, 'big.csv');
    const lines = ['Date,Supplier,Amount,Expense Type,Service Area,Transaction Number'];
    const row = (i: number, ref: string) => `${String(1 + (i % 28)).padStart(2, '0')}/03/2024,Supplier ${i % 997} Ltd,${500 + (i % 9000)}.${String(i % 100).padStart(2, '0')},Supplies,Highways,${ref}`;
    for (let i = 0; i < 150_000; i++) lines.push(row(i, `T${i}`));
    for (let i = 0; i < 150_000; i += 10_000) lines.push(row(i, `T${i}-again`));
    fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
    return file;
  };
  const backupOf = async (dir: string) => {
    const made = await run(['db', 'backup', path.join(dir, 'backup.jsonl')]);
    expect(made.code, made.stderr).toBe(0);
    const backup = fs.readFileSync(path.join(dir, 'backup.jsonl'), 'utf8');
    return (table: string) => JSON.parse(backup.split('\n').find((l) => l.startsWith(`{"table":"${table}"`))!).rows as Record<string, unknown>[];
  };

  it('leaves nothing behind when killed part-way through an import', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-spend-'));
    const file = bigFile(dir);
    // Killed once it says it has written rows: inside the import's transaction.
    const killed = await run(['spend', 'import', file, '--authority', 'devon-test', '--progress'], { killWhen: /written [\d,]+ of [\d,]+ rows/ });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toMatch(/written (?!150,015)[\d,]+ of [\d,]+ rows/);
    const after = await run(['spend', 'import', fileURLToPath(new URL('procurement-card/hyndburn_2022-09_pcard-in-spend-format.csv', SAMPLES)), '--authority', 'devon-test', '--json']);
    expect(after.code, after.stderr).toBe(0);
    // The killed import left no import and no rows: every row there belongs to an import that finished.
    const tableRows = await backupOf(dir);
    const imports = tableRows('spend_imports') as { file_name: string; rows: number }[];
    expect(imports.map((i) => i.file_name)).not.toContain('big.csv');
    expect(imports.map((i) => i.file_name)).toContain('hyndburn_2022-09_pcard-in-spend-format.csv');
    expect(tableRows('spend_transactions')).toHaveLength(imports.reduce((n, i) => n + i.rows, 0));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
  it('keeps the rows when killed after they are saved, and finishes the checks when the file comes again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-spend-'));
    const file = bigFile(dir);
    const killed = await run(['spend', 'import', file, '--authority', 'devon-test', '--progress'], { killWhen: /rows saved; running the counter-fraud checks/ });
    expect(killed.signal).toBe('SIGKILL');
    const bigImport = (tables: (table: string) => Record<string, unknown>[]) => tables('spend_imports').find((i) => i.file_name === 'big.csv') as { id: string; rows: number; checked_at: string | null };
    const flagsOf = (tables: (table: string) => Record<string, unknown>[], id: string) => tables('spend_flags').filter((f) => f.import_id === id) as { check: string; lines: number[] }[];
    let tables = await backupOf(dir);
    const cutOff = bigImport(tables);
    expect(cutOff).toMatchObject({ rows: 150_015, checked_at: null });
    expect(tables('spend_transactions').filter((t) => t.import_id === cutOff.id)).toHaveLength(150_015);
    expect(flagsOf(tables, cutOff.id)).toEqual([]);

    const again = await run(['spend', 'import', file, '--authority', 'devon-test', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 150_015, rejected: 0 });
    tables = await backupOf(dir);
    expect(bigImport(tables).id).toBe(cutOff.id);
    expect(bigImport(tables).checked_at).not.toBeNull();
    // Each payment made twice is flagged, from the rows as saved (lines 2, 10,002, … and their repeats from line 150,002 on).
    const duplicates = flagsOf(tables, cutOff.id).filter((f) => f.check === 'duplicate-payment');
    expect(duplicates.map((f) => f.lines).sort((a, b) => a[0]! - b[0]!)).toEqual(Array.from({ length: 15 }, (_, k) => [2 + k * 10_000, 150_002 + k]));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});

describe('the import pages and the open data page', () => {
  let ctx: TestContext;
  let authority: Authority;

  const multipart = (fields: Record<string, string>, file: Buffer) => {
    const boundary = '----coproduce-spend-boundary';
    const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="spend.csv"\r\ncontent-type: text/csv\r\n\r\n`;
    return { payload: Buffer.concat([Buffer.from(parts.join('') + head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };
  const formFields = (html: string) => {
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
    for (const m of html.matchAll(/<select class="govuk-select[^"]*" id="[^"]+" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) fields[m[1]!] = /<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? '';
    return fields;
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services, 'Test Borough of Warwickshire');
  });
  afterAll(() => ctx?.close());

  it('imports a big file after answering, with a page of its progress and then its report, for this council only', async () => {
    const council = await newAuthority(ctx.services, 'Test Borough of Big Files');
    const officer = await newUser(ctx.services, council.id, 'officer');
    const browser = new Browser(ctx.app);
    await browser.signIn(officer.email);
    const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get(`/a/${council.slug}/spending/import`)).body)![1]!;
    const lines = ['Date,Supplier,Amount,Expense Type,Service Area,Transaction Number'];
    for (let i = 0; i < 25_000; i++) lines.push(`${String(1 + (i % 28)).padStart(2, '0')}/02/2025,Big File Supplier ${i % 499} Ltd,${600 + (i % 7000)}.${String(i % 100).padStart(2, '0')},Supplies,Parks,B${i}`);
    const upload = multipart({ _csrf: token, fileName: 'february-2025.csv', publisher: 'Big File Council', dataset: '' }, Buffer.from(lines.join('\r\n') + '\r\n'));
    const preview = await browser.request({ method: 'POST', url: `/a/${council.slug}/spending/import`, payload: upload.payload, headers: upload.headers });
    expect(preview.body).toContain('Import 25,000 rows');
    const started = await browser.post(`/a/${council.slug}/spending/import/confirm`, formFields(preview.body));
    expect(started.statusCode).toBe(303);
    const jobPage = String(started.headers.location);
    expect(jobPage).toMatch(new RegExp(`^/a/${council.slug}/spending/import/jobs/[0-9a-f-]{36}$`));
    // Another council's officer finds nothing there, even at the same address.
    const elsewhere = await newAuthority(ctx.services, 'Test Borough Elsewhere');
    const outsider = await signedInAs(ctx.app, await newUser(ctx.services, elsewhere.id, 'officer'));
    expect((await outsider.get(jobPage.replace(council.slug, elsewhere.slug))).statusCode).toBe(404);
    let page = await browser.get(jobPage);
    const seen: string[] = [];
    for (let tries = 0; !page.body.includes('Import complete') && tries < 600; tries++) {
      expect(page.statusCode).toBe(200);
      if (seen.at(-1) !== h1(page.body)) seen.push(h1(page.body));
      await new Promise((r) => setTimeout(r, 100));
      page = await browser.get(jobPage);
    }
    expect(page.body).toContain('Import complete');
    expect(decode(page.body)).toContain('25,000');
    // Rows first, then the checks, never back again.
    expect(['Importing february-2025.csv', 'Checking february-2025.csv'].join()).toContain(seen.join());
    const imports = await ctx.services.transparency.listImports(council.id);
    expect(imports.find((i) => i.fileName === 'february-2025.csv')).toMatchObject({ rows: 25_000, rejected: 0 });
  }, 120_000);

  it('shows an import still running as rows written of rows, with a way to check again, and then its report', async () => {
    const officer = await signedInAs(ctx.app, await newUser(ctx.services, authority.id, 'officer'));
    // The service's own job list, driven by hand: on PGlite a real import holds the one connection, so no page could be read while it runs.
    const jobs = (ctx.services.transparency as unknown as { jobs: ImportJobs }).jobs;
    let progress: (n: number) => void = () => {};
    let finish: (r: ImportReport) => void = () => {};
    const job = jobs.start(authority.id, 'held.csv', 25_000, (onProgress) => ((progress = onProgress), new Promise((r) => (finish = r))), () => {});
    progress(12_345);
    const running = await officer.get(`/a/${authority.slug}/spending/import/jobs/${job.id}`);
    expect(running.statusCode).toBe(200);
    expect(h1(running.body)).toBe('Importing held.csv');
    expect(decode(running.body)).toContain('12,345 of 25,000 (49%)');
    expect(running.body).toContain(`href="/a/${authority.slug}/spending/import/jobs/${job.id}"`);
    finish({ importId: 'x', alreadyImported: false, dataset: 'spend-over-500', rows: 25_000, rejected: 0, credits: 2, totalPence: 123_456, from: '2025-02-01', to: '2025-02-28', warnings: [], errors: [] });
    await new Promise((r) => setImmediate(r));
    const done = await officer.get(`/a/${authority.slug}/spending/import/jobs/${job.id}`);
    expect(h1(done.body)).toBe('Import complete');
    expect(decode(done.body)).toContain('£1,234.56');
    expect((await officer.get(`/a/${authority.slug}/spending/import/jobs/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it('lets an officer check a real file, correct a column, import it, and residents download it in the Code’s layout', async () => {
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const browser = new Browser(ctx.app);
    await browser.signIn(officer.email);
    const form = await browser.get(`/a/${authority.slug}/spending/import`);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const bytes = fs.readFileSync(new URL('spend-over-500/warwickshire-cc_2011-10_padded-amounts.csv', SAMPLES));
    const upload = multipart({ _csrf: token, fileName: 'oct-2011.csv', publisher: 'Warwickshire County Council', dataset: '' }, bytes);
    const preview = await browser.request({ method: 'POST', url: `/a/${authority.slug}/spending/import`, payload: upload.payload, headers: upload.headers });
    expect(preview.statusCode, preview.body.slice(0, 300)).toBe(200);
    expect(preview.body).toContain('Check the file before it goes in');
    const expected = EXPECTED.files['spend-over-500/warwickshire-cc_2011-10_padded-amounts.csv']!;
    expect(preview.body).toContain(`Import ${expected.rows} rows`);
    expect(await ctx.services.transparency.listImports(authority.id)).toEqual([]); // nothing saved by looking

    // Pointing the amount at a column that holds none is refused, naming the field.
    const fields = formFields(preview.body);
    expect(fields['column.amount']).not.toBe('');
    const wrong = await browser.post(`/a/${authority.slug}/spending/import/confirm`, { ...fields, 'column.amount': '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Say which column holds the amount');
    expect(await ctx.services.transparency.listImports(authority.id)).toEqual([]);

    const tampered = await browser.post(`/a/${authority.slug}/spending/import/confirm`, { ...fields, upload: fields.upload!.slice(0, -4) + 'AAAA' });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('did not come back intact');

    const done = await browser.post(`/a/${authority.slug}/spending/import/confirm`, fields);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Import complete');
    const [saved] = await ctx.services.transparency.listImports(authority.id);
    expect({ rows: saved!.rows, credits: saved!.credits, totalPence: saved!.totalPence, fileName: saved!.fileName }).toEqual({ rows: expected.rows, credits: expected.credits, totalPence: expected.totalPence, fileName: 'oct-2011.csv' });

    // Residents: the open data page, and the quarter's file in the Code's layout.
    const open = await ctx.app.inject({ url: `/a/${authority.slug}/spending` });
    expect(open.statusCode).toBe(200);
    const quarters = await ctx.services.transparency.quarters(authority.id);
    expect(quarters.reduce((n, q) => n + q.rows, 0)).toBe(expected.rows);
    const q = quarters[0]!;
    expect(open.body).toContain(`/a/${authority.slug}/spending/spend-over-500/${q.quarter}.csv`);
    const csv = await ctx.app.inject({ url: `/a/${authority.slug}/spending/spend-over-500/${q.quarter}.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Date the expenditure was incurred,Beneficiary \(supplier\),Amount,/);
    expect(lines).toHaveLength(q.rows + 1);
    const json = (await ctx.app.inject({ url: `/a/${authority.slug}/spending/spend-over-500/${q.quarter}.json` })).json();
    expect(json.rows).toHaveLength(q.rows);
    expect(json.licence).toBe('Open Government Licence v3.0');
    expect((await ctx.app.inject({ url: `/a/${authority.slug}/spending/land-assets/${q.quarter}.csv` })).statusCode).toBe(404);

    // The dashboard's split by kind of supplier accounts for every penny.
    const dash = await ctx.services.transparency.dashboard(authority.id, 'spend-over-500');
    expect(dash.bySupplierType.reduce((n, t) => n + t.totalPence, 0)).toBe(expected.totalPence);
    expect(open.body).toContain('Net spend by kind of supplier');
  });
});

describe('counter-fraud flags', () => {
  let ctx: TestContext;
  let authority: Authority;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services, 'Test Borough of Flags');
  });
  afterAll(() => ctx?.close());

  it('flags a duplicate payment as the file goes in, and an officer settles it as recovered, audited and totalled', async () => {
    const file = [
      'Date,Supplier,Amount,Expense Type,Service Area,Transaction Number',
      '03/04/2024,Acme Paving Ltd,"12,480.00",Works,Highways,T-1001',
      '05/04/2024,Acme Paving Ltd,"12,480.00",Works,Highways,T-1002',
      '09/04/2024,Norwood Carers,750.00,Grant,Adults,T-1003',
    ].join('\r\n');
    const report = await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'april.csv', bytes: Buffer.from(file) });
    expect(report.rows).toBe(3);
    const open = await ctx.services.transparency.listFlags(authority.id, { open: true });
    const duplicate = open.find((f) => f.check === 'duplicate-payment');
    expect(duplicate, JSON.stringify(open)).toBeDefined();
    expect(duplicate!.lines).toEqual([2, 3]);
    expect(duplicate!.explanation).toContain('Acme Paving');

    const officer = await newUser(ctx.services, authority.id, 'officer');
    const browser = await signedInAs(ctx.app, officer);
    const here = `/a/${authority.slug}/spending/flags/${duplicate!.id}`;
    const page = await browser.get(here);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('T-1002');
    const bad = await browser.submit(here, here, { status: 'recovered', recovered: '', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual({ reason: 'Say why, in 3 to 2,000 characters, for the auditors', recovered: 'Enter the amount recovered in pounds, like 1,250.00' });
    expect((await browser.submit(here, here, { status: 'recovered', recovered: '12,480.00', reason: 'Paid twice; the supplier refunded the second.' })).statusCode).toBe(303);
    const again = await browser.submit(here, here, { status: 'false_positive', reason: 'Changing my mind' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This flag has already been settled');

    const totals = await ctx.services.transparency.flagTotals(authority.id);
    expect(totals.recoveredPence).toBe(1_248_000);
    const logged = await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, duplicate!.id));
    expect(logged.map((l) => [l.action, l.reason])).toEqual([['spend-flag.recovered', 'Paid twice; the supplier refunded the second.']]);
    const list = await browser.get(`/a/${authority.slug}/spending/flags`);
    expect(list.body).toContain('£12,480.00');
  });
});
