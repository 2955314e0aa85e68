/**
 * Where one page's server time goes: `node --import tsx bench/profile.ts [--target catalogue|detail|api] [--scale 1] [--seconds 10]`.
 *
 * Seeds the demo borough on a throwaway PostgreSQL (or BENCH_DATABASE_URL), starts the real
 * app under `--cpu-prof`, drives the target with autocannon at full speed, then:
 *  - splits the app's CPU samples by what is on the stack (template rendering, logging, SQL
 *    client, Fastify and its plugins, …), so the shares add up to 100 %;
 *  - lists the hottest functions by self time;
 *  - for the catalogue page, times its SQL statements inside PostgreSQL (EXPLAIN ANALYZE, best of 20).
 * The profile itself is kept in a temp folder (its path is printed) for Chrome DevTools or speedscope.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { createServices } from '../src/services.ts';
import { DEMO_SLUG, seedDemo } from '../src/seed/demo.ts';
import { BenchSetupError, freePort, freshDatabase, startPostgres, type PgServer } from './pg.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    target: { type: 'string', default: 'catalogue' },
    scale: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'info' },
  },
  strict: true,
});

let server: PgServer | undefined;
process.on('exit', () => server?.stop());
process.on('SIGINT', () => process.exit(130));

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Buckets, most specific first: a sample counts for the first bucket any frame on its stack matches. */
const BUCKETS: [string, (url: string, fn: string) => boolean][] = [
  ['request logging (pino)', (u) => /node_modules\/(pino|pino-std-serializers|fast-redact|sonic-boom|@pinojs)\//.test(u)],
  ['template rendering (nunjucks)', (u) => u.includes('node_modules/nunjucks/') || u.includes('node_modules/@fastify/view/')],
  ['SQL client (pg + drizzle)', (u) => /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+|drizzle-orm)\//.test(u)],
  ['JSON serialisation (fast-json-stringify)', (u) => u.includes('node_modules/fast-json-stringify/')],
  ['security headers, CSP nonce (helmet)', (u) => u.includes('node_modules/@fastify/helmet/') || u.includes('node_modules/helmet/')],
  ['cookies, CSRF', (u) => /node_modules\/(@fastify\/cookie|@fastify\/csrf|cookie|cookie-signature)\//.test(u)],
  ['app code (src/)', (u) => u.includes('/src/')],
  ['Fastify core, routing, other plugins', (u) => /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-querystring|toad-cache)/.test(u)],
  ['Node HTTP and sockets', (u) => u.startsWith('node:') && /node:(_http|http|net|stream|internal\/streams|internal\/http)/.test(u)],
  ['garbage collection', (_u, f) => f === '(garbage collector)'],
  ['idle', (_u, f) => f === '(idle)'],
];

function analyse(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const buckets = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    const stack: CpuNode[] = [];
    for (let n: CpuNode | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) stack.push(n);
    let bucket = 'other (program, V8, node internals)';
    for (const [name, test] of BUCKETS) {
      if (stack.some((n) => test(n.callFrame.url, n.callFrame.functionName))) {
        bucket = name;
        break;
      }
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
    const f = leaf.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(root, '').replace(/^.*node_modules\//, '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return { total, idle, buckets, self };
}

async function explain(url: string, authorityId: string) {
  // The statements the catalogue page runs (src/modules/catalogue/service.ts, places/service.ts, app.ts preHandler).
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const statements: [string, string][] = [
    ['authority by slug', `select * from authorities where slug = '${DEMO_SLUG}'`],
    [
      'catalogue list (25 rows)',
      `select s.*, o.name from services s left join organisations o on o.id = s.provider_organisation_id where s.authority_id = '${authorityId}' order by s.name, s.id limit 25 offset 0`,
    ],
    ['catalogue count', `select count(*) from services where authority_id = '${authorityId}'`],
    ['categories', `select distinct category from services where authority_id = '${authorityId}' order by category`],
    ['wards', `select * from wards where authority_id = '${authorityId}' order by name`],
  ];
  const out: string[] = [];
  for (const [name, sql] of statements) {
    let best = Infinity;
    for (let i = 0; i < 20; i++) {
      const { rows } = await client.query<{ 'QUERY PLAN': { 'Execution Time': number; 'Planning Time': number }[] }>(`explain (analyze, format json) ${sql}`);
      const plan = rows[0]!['QUERY PLAN'][0]!;
      best = Math.min(best, plan['Execution Time'] + plan['Planning Time']);
    }
    out.push(`  ${name.padEnd(28)} ${best.toFixed(3)} ms (planning + execution, best of 20)`);
  }
  await client.end();
  return out.join('\n');
}

async function main() {
  const scale = Number(args.scale);
  server = await startPostgres();
  const database = await freshDatabase(server, `coproduce_profile_s${scale}`);
  const db = await openDatabase({ databaseUrl: database.url });
  await db.migrate();
  const services = createServices(db, loadConfig({ NODE_ENV: 'test' }), pino({ level: 'silent' }));
  const authority = await seedDemo(services, { scale });
  const { rows } = await services.catalogue.list(authority.id, {}, { limit: 1, offset: 0 });
  await db.close();

  const port = await freePort();
  // One folder per run: Node writes a profile per thread (tsx's loader runs on its own thread).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `coproduce-profile-${args.target}-s${scale}-`));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      BID_SEALING_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: args['log-level'],
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 150) throw new BenchSetupError('the app did not start');
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = {
    catalogue: `${base}/a/${DEMO_SLUG}/services`,
    detail: `${base}/a/${DEMO_SLUG}/services/${rows[0]!.id}`,
    api: `${base}/api/v1/authorities/${DEMO_SLUG}/services`,
  }[args.target];
  if (!url) throw new BenchSetupError('--target must be catalogue, detail or api');
  await autocannon({ url, connections: Number(args.connections), duration: 3 });
  const result = await autocannon({ url, connections: Number(args.connections), duration: Number(args.seconds) });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;

  // The main thread's profile is the one that did the most work.
  const candidates = fs.readdirSync(dir).map((f) => {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    return { file: f, profile, analysis: analyse(profile) };
  });
  const { file, profile, analysis } = candidates.sort((a, b) => b.analysis.total - a.analysis.total)[0]!;
  const { total, idle, buckets, self } = analysis;
  const served = result['2xx'];
  const wall = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n${args.target} page, scale ${scale}, LOG_LEVEL=${args['log-level']}: ${served} responses, ${(served / result.duration).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  console.log(`App process: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle over ${wall.toFixed(1)} s of profile (includes start-up and warm-up)`);
  console.log('(For CPU per request use bench/run.ts, which measures it over the timed run only.)\n');
  console.log('Busy time by what is on the stack:');
  for (const [k, v] of [...buckets].sort((a, b) => b[1] - a[1])) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  console.log('\nHottest functions (self time):');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  if (args.target === 'catalogue') console.log(`\nSQL in PostgreSQL for one catalogue page:\n${await explain(database.url, authority.id)}`);
  console.log(`\nProfile: ${path.join(dir, file)}`);
  await database.drop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof BenchSetupError ? `Profile not run: ${err.message}` : err);
    process.exit(1);
  },
);
