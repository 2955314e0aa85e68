/**
 * The outcomes framework through the real app and database: an officer adds an outcome and an
 * indicator through the pages, imports measurements through the API (whole or not at all, each
 * line not taken reported, the same file twice changing nothing), and the public outcome page
 * charts the figures for the whole place or a ward beside their table. And `coproduce outcomes
 * import` takes the same files, naming each bad line as FILE:LINE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { bearer, decode, expectFormErrors, freshDatabaseEnv, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { runCli } from '../src/cli/main.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { createServices } from '../src/services.ts';
import { outcomeMeasurements } from '../src/modules/outcomes/tables.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';

describe('outcomes framework', () => {
  let ctx: TestContext;
  let authority: Authority;
  let token: string;
  let outcomeId: string;
  const api = () => `/api/v1/authorities/${authority.slug}/outcomes`;
  const importCsv = (csv: string) => ctx.app.inject({ method: 'POST', url: `${api()}/measurements`, headers: bearer(token), payload: { csv } });

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    const officer = await newUser(ctx.services, authority.id, 'officer');
    token = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'outcomes')).token;
    const staff = await signedInAs(ctx.app, officer);
    const base = `/a/${authority.slug}/outcomes`;
    const made = await staff.submit(`${base}/new`, base, { title: 'Young people are in education, employment or training' });
    expect(made.statusCode).toBe(303);
    outcomeId = String(made.headers.location).split('/').pop()!;

    const bad = await staff.submit(`${base}/${outcomeId}/indicators/new`, `${base}/${outcomeId}/indicators`, { title: 'NEET', code: 'two words', unit: '%', baselineValue: '5.8', baselineOn: '2024-03-31', targetValue: 'four', targetOn: '2028-03-31', source: 'DfE' });
    expect(bad.statusCode).toBe(400);
    expectFormErrors(bad.body, {
      code: 'Enter a short code of letters, numbers, dots and dashes, like NEET-16-17',
      direction: 'Choose whether higher or lower is better',
      targetValue: 'Enter the target as a number, like 12.5',
    });
    const good = await staff.submit(`${base}/${outcomeId}/indicators/new`, `${base}/${outcomeId}/indicators`, {
      title: '16 and 17 year olds not in education, employment or training', code: 'NEET-16-17', unit: '%', direction: 'lower',
      baselineValue: '6', baselineOn: '2024-03-31', targetValue: '4', targetOn: '2028-03-31', source: 'DfE NEET and participation statistics',
    });
    expect(good.statusCode).toBe(303);
  });
  afterAll(() => ctx?.close());

  const held = async () => ctx.database.db.select().from(outcomeMeasurements).where(eq(outcomeMeasurements.authorityId, authority.id));

  it('refuses a file with any bad line, takes nothing, and names each line and why', async () => {
    const res = await importCsv('indicator,ward,date,value\nNEET-16-17,,2025-03-31,5.5\nNEET-16-17,Atlantis,2025-03-31,5\nNEET-16-17,,2025-03-31,5.4\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      file: 'Nothing was imported: 2 lines have problems',
      'line-3': 'Line 3: "Atlantis" is not one of the council\'s wards (give its name or GSS code, or leave it empty for the whole place)',
      'line-4': 'Line 4: Line 2 already gives this indicator\'s figure for this place and date',
    });
    expect(await held()).toEqual([]);
  });

  it('takes a good file whole, by ward name or code, and the same file again changes nothing', async () => {
    const [ward] = await ctx.services.places.listWards(authority.id);
    const csv = `Indicator,Ward,Date,Value\nNEET-16-17,,2025-03-31,5.5\nneet-16-17,,31/03/2026,5.0\nNEET-16-17,${ward!.gssCode},2025-03-31,7.2\nNEET-16-17,"${ward!.name}",2026-03-31,6.1\n`;
    const first = await importCsv(csv);
    expect(first.json()).toEqual({ rows: 4, replaced: 0 });
    const again = await importCsv(csv);
    expect(again.json()).toEqual({ rows: 4, replaced: 4 });
    expect((await held()).length).toBe(4);
    const corrected = await importCsv('indicator,ward,date,value\nNEET-16-17,,2026-03-31,4.9\n');
    expect(corrected.json()).toEqual({ rows: 1, replaced: 1 });
    const wholePlace = await ctx.database.db.select().from(outcomeMeasurements).where(and(eq(outcomeMeasurements.authorityId, authority.id), eq(outcomeMeasurements.measuredOn, '2026-03-31')));
    expect(wholePlace.map((m) => m.value).sort()).toEqual([4.9, 6.1]);
    const audits = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, 'outcome.measurements.import')));
    expect(audits.length).toBe(3);
  });

  it('publishes each indicator with its latest figure and progress, its figures per ward, and a chart with its table', async () => {
    const list = await ctx.app.inject({ method: 'GET', url: api() });
    const [outcome] = list.json().items;
    expect(outcome.indicators[0]).toMatchObject({ code: 'NEET-16-17', latest: { measuredOn: '2026-03-31', value: 4.9 }, progress: 'better', baseline: { value: 6 }, target: { value: 4 } });
    const [ward] = await ctx.services.places.listWards(authority.id);
    const byWard = await ctx.app.inject({ method: 'GET', url: `${api()}/indicators/${outcome.indicators[0].id}/measurements?ward=${ward!.gssCode}` });
    expect(byWard.json().items).toEqual([{ measuredOn: '2025-03-31', value: 7.2 }, { measuredOn: '2026-03-31', value: 6.1 }]);
    const noWard = await ctx.app.inject({ method: 'GET', url: `${api()}/indicators/${outcome.indicators[0].id}/measurements?ward=E05999999` });
    expect(noWard.statusCode).toBe(400);

    const page = await ctx.app.inject({ method: 'GET', url: `/a/${authority.slug}/outcomes/${outcomeId}` });
    expect(h1(page.body)).toBe('Young people are in education, employment or training');
    expect(page.body).toMatch(/<svg role="img" aria-labelledby="chart-[^"]+"/);
    expect(decode(page.body)).toContain('against its target of 4 %');
    expect((page.body.match(/<circle cx="[\d.]+" cy="[\d.]+" r="4"/g) ?? []).length).toBe(2);
    expect(page.body).toContain('Better than the baseline');
    const wardPage = await ctx.app.inject({ method: 'GET', url: `/a/${authority.slug}/outcomes/${outcomeId}?ward=${ward!.gssCode}` });
    expect(decode(wardPage.body)).toContain(`Figures for ${ward!.name}`);
    expect(wardPage.body).toContain('7.2');
  });

  it('refuses an import from someone who may not manage outcomes', async () => {
    const resident = await newUser(ctx.services, authority.id, 'resident');
    const residentToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, resident.id, 'mine')).token;
    const res = await ctx.app.inject({ method: 'POST', url: `${api()}/measurements`, headers: bearer(residentToken), payload: { csv: 'indicator,ward,date,value\n' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('coproduce outcomes import', () => {
  it('takes a file whole, or names each bad line as FILE:LINE and takes nothing', async () => {
    const target = await freshDatabaseEnv();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-outcomes-'));
    try {
      const env: Record<string, string> = { NODE_ENV: 'test', ...target.env };
      const database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.COPRODUCE_DATA_DIR! });
      await database.migrate();
      const services = createServices(database, loadConfig(env), pino({ level: 'silent' }));
      const authority = await newAuthority(services);
      const outcome = await services.outcomes.create(TEST_ACTOR, authority.id, { title: 'Residents are physically active' });
      await services.outcomes.addIndicator(TEST_ACTOR, authority.id, outcome.id, { code: 'ACTIVE', title: 'Adults active 150 minutes a week', unit: '%', direction: 'higher', baselineValue: '61', baselineOn: '2024-11-30', targetValue: '70', targetOn: '2028-11-30', source: 'Sport England Active Lives' });
      await database.close();

      const run = async (file: string) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(['outcomes', 'import', file, '--authority', authority.slug, '--json'], { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => '', env });
        return { code, out, err };
      };
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, 'indicator,ward,date,value\nACTIVE,,2025-11-30,63\nACTIVE,,30/11/2025,64\nRUNNING,,2025-11-30,1\n');
      expect(await run(bad)).toEqual({
        code: 1,
        out: [],
        err: [`${bad}:3: Line 2 already gives this indicator's figure for this place and date`, `${bad}:4: No indicator has the code "RUNNING"`, 'Nothing was imported.'],
      });
      const good = path.join(dir, 'good.csv');
      fs.writeFileSync(good, 'indicator,ward,date,value\nACTIVE,,2025-11-30,63\n');
      expect(await run(good)).toEqual({ code: 0, out: ['{"rows":1,"replaced":0}'], err: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await target.drop();
    }
  }, 120_000); // a database of its own, migrated from empty
});
