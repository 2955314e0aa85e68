/**
 * How fast the Transparency Code reader turns bytes into typed rows, on
 * 1,000,000 generated expenditure rows with the quirks real files have:
 * quoted thousands, trailing-minus and bracketed credits, £ signs, padded
 * amounts, float artefacts, four date forms, a bare time, commas and line
 * breaks inside quoted names, redacted names, a preamble and a total line.
 *
 *   node --import tsx bench/transparency-read.ts            # 1,000,000 rows
 *   node --import tsx bench/transparency-read.ts --rows=200000 --copy --import
 *
 * Reading times are CPU time of this process (the machine is shared); the import reports its
 * wall time, each step's, and the CPU it and PostgreSQL used, for the best of --runs imports,
 * each into a fresh database. --copy also times PostgreSQL COPY of the same file into a table of text
 * columns (its tokenizer alone, no typing), the yardstick for imports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { csvRecords } from '../src/modules/transparency/csv.ts';
import { decodeBytes } from '../src/modules/transparency/decode.ts';
import { readTransparencyFile } from '../src/modules/transparency/read.ts';
import { freshDatabase, startPostgres } from './pg.ts';
import pino from 'pino';
import { openDatabase } from '../src/lib/db/client.ts';
import { createServices } from '../src/services.ts';
import { loadConfig } from '../src/config.ts';
import { SYSTEM_ACTOR } from '../src/lib/audit/audit.ts';
import type { ImportStep } from '../src/modules/transparency/service.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(arg('rows') ?? 1_000_000);
const RUNS = Number(arg('runs') ?? 3);

const SUPPLIERS = ['H F TRUST LTD', '"Smith, Jones & Co"', 'REDACTED UNDER DP ACT', 'NETWORK RAIL INFRASTRUCTURE LTD', '"The ""Bridge"" Pre-School"', 'Oyster Partnership', 'Redacted', '"Lapworth Garage,\nOld Warwick Road"'];
const AREAS = ['Adult Care & Health', 'Children\'s Services', '"Policy, Culture and Communication"', 'Capital Spending', 'FAC - Haworth Art Gallery'];
const TYPES = ['Individualised Support - Private (3rd)', 'Infra REP constr - Other contracts', '"Agency staff - w/e 11.08.24, 18.08.24"', 'Home To School / College Transport'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A deterministic stream of numbers, so every run reads the same file. */
function* numbers(seed = 20260101): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

function amount(r: number): string {
  const pence = 50_000 + (r % 5_000_000);
  const pounds = (pence / 100).toFixed(2);
  const grouped = pounds.replace(/\B(?=(\d{3})+\.)/g, ',');
  switch (r % 10) {
    case 0: return `"${grouped}"`;
    case 1: return `"${grouped}-"`;
    case 2: return `-${pounds}`;
    case 3: return `£${pounds}`;
    case 4: return ` ${pounds} `;
    case 5: return String(pence / 100 + 1e-12); // 963.2200000000001
    case 6: return `(${pounds})`;
    default: return pounds;
  }
}

function date(r: number): string {
  const d = 1 + (r % 28);
  const m = 1 + ((r >> 5) % 12);
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  switch (r % 5) {
    case 0: return `2025-${mm}-${dd} 00:00:00`;
    case 1: return `${dd}-${MONTHS[m - 1]}-25`;
    case 2: return `${d} ${MONTHS[m - 1]} 2025`;
    default: return `${dd}/${mm}/2025`;
  }
}

function generateSpendFile(rows: number): string {
  const random = numbers();
  const next = () => random.next().value as number;
  const lines = ['Devon County Council,,,,,,', 'Expenditure over £500,,,,,,', 'Date,Transaction Number,Amount,Supplier Name,Expense Area,Expense Type,Vat Reg No'];
  for (let i = 0; i < rows; i++) {
    const r = next();
    lines.push([date(r >> 3), `ACOH${17818025 + i}`, amount(r >> 7), SUPPLIERS[r % SUPPLIERS.length], AREAS[(r >> 11) % AREAS.length], TYPES[(r >> 13) % TYPES.length], r % 3 ? String(600000000 + (r % 99999999)) : ''].join(','));
  }
  lines.push('Total,,,,,,');
  return `${lines.join('\r\n')}\r\n`;
}

/** CPU time of this process, not wall time: the machine is shared, and other work must not count against the reader. */
function time<T>(work: () => T): { ms: number; result: T } {
  const start = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
}

const best = (runs: number[]) => Math.min(...runs);
const perSecond = (rows: number, ms: number) => Math.round((rows / ms) * 1000).toLocaleString('en-GB');

async function copyMs(bytes: Uint8Array, runs: number): Promise<{ ms: number; pgCpuMs: number | null }> {
  const file = path.join(os.tmpdir(), `transparency-bench-${process.pid}.csv`);
  fs.writeFileSync(file, bytes);
  const server = await startPostgres();
  try {
    const database = await freshDatabase(server, 'coproduce_bench_copy');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('create table spend_raw (date text, ref text, amount text, supplier text, area text, type text, vat text)');
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      await client.query('truncate spend_raw');
      const pgBefore = server.cpuMs?.();
      const start = process.hrtime.bigint();
      // The preamble and total lines are not CSV PostgreSQL can skip, so it reads from line 3 (the headings) on a copy without the total.
      await client.query(`copy spend_raw from program 'sed -e 1,2d -e "$ d" ${file}' with (format csv, header true)`);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (pgBefore !== undefined) cpu.push(server.cpuMs!() - pgBefore);
    }
    await client.end();
    await database.drop();
    return { ms: best(times), pgCpuMs: cpu.length ? best(cpu) : null };
  } finally {
    server.stop();
    fs.rmSync(file, { force: true });
  }
}

/**
 * The whole import as an officer runs it into a freshly migrated database on the same kind of
 * server, wall time: until its rows have committed (the import), and until its counter-fraud
 * checks have committed too (the whole), with the time of each of its steps.
 */
async function importMs(bytes: Uint8Array): Promise<{ ms: number; wholeMs: number; rows: number; steps: Map<ImportStep, number>; nodeCpuMs: number; pgCpuMs: number | null }> {
  const server = await startPostgres();
  try {
    const target = await freshDatabase(server, 'coproduce_bench_import');
    const database = await openDatabase({ databaseUrl: target.url });
    await database.migrate();
    const services = createServices(database, loadConfig({ NODE_ENV: 'test' }), pino({ level: 'silent' }));
    const authority = await services.places.createAuthority(SYSTEM_ACTOR, { slug: 'bench', name: 'Bench Borough' });
    const steps = new Map<ImportStep, number>();
    const pgBefore = server.cpuMs?.() ?? null;
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - start) / 1e6;
    let ms = 0;
    let cpu = process.cpuUsage(cpuBefore);
    let pgCpuMs: number | null = null;
    const imported = () => {
      ms = since();
      cpu = process.cpuUsage(cpuBefore);
      pgCpuMs = pgBefore === null ? null : server.cpuMs!() - pgBefore;
    };
    const report = await services.transparency.importFile(SYSTEM_ACTOR, authority.id, authority.name, { fileName: 'bench.csv', bytes, onImported: imported, onStep: (step, stepMs) => steps.set(step, stepMs) });
    const wholeMs = since();
    await database.close();
    await target.drop();
    return { ms, wholeMs, rows: report.rows, steps, nodeCpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs };
  } finally {
    server.stop();
  }
}

async function main() {
  const text = generateSpendFile(ROWS);
  const bytes = new TextEncoder().encode(text);
  console.log(`${ROWS.toLocaleString('en-GB')} rows, ${(bytes.length / 1e6).toFixed(1)} MB, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} vCPU)`);

  const decode: number[] = [];
  const tokenize: number[] = [];
  const whole: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const decoded = time(() => decodeBytes(bytes));
    decode.push(decoded.ms);
    tokenize.push(time(() => {
      let n = 0;
      for (const _ of csvRecords(decoded.result.text)) n++;
      return n;
    }).ms);
    const read = time(() => readTransparencyFile(bytes));
    whole.push(read.ms);
    rows = read.result.rows.length;
    if (i === 0) console.log(`taken ${rows.toLocaleString('en-GB')}, rejected ${read.result.rejected.length}, credits ${read.result.credits.toLocaleString('en-GB')}, warnings ${read.result.warnings.length}`);
  }
  console.log(`decode only:       ${best(decode).toFixed(0)} ms`);
  console.log(`decode + tokenize: ${(best(decode) + best(tokenize)).toFixed(0)} ms (${perSecond(ROWS, best(decode) + best(tokenize))} records/s)`);
  console.log(`whole read (decode, layout, tokenize, type every row): ${best(whole).toFixed(0)} ms = ${perSecond(rows, best(whole))} rows per CPU-second (best of ${RUNS})`);
  const importing = process.argv.includes('--import');
  const copying = process.argv.includes('--copy');
  // Each import is followed by a COPY of the same file, so both are timed in turn under the same load from the
  // machine's neighbours; each is then the best of its runs, the one the neighbours slowed least.
  const imports: Awaited<ReturnType<typeof importMs>>[] = [];
  const copies: Awaited<ReturnType<typeof copyMs>>[] = [];
  for (let i = 0; i < RUNS && (importing || copying); i++) {
    if (importing) imports.push(await importMs(bytes));
    if (copying) copies.push(await copyMs(bytes, 1));
  }
  const quickest = <T extends { ms: number }>(runs: T[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  if (importing) {
    const { ms, wholeMs, rows: taken, steps, nodeCpuMs, pgCpuMs } = quickest(imports);
    if (RUNS > 1) console.log(`imports until their rows committed: ${imports.map((r) => r.ms.toFixed(0)).join(', ')} ms; the best:`);
    for (const [step, stepMs] of steps) console.log(`  import step ${step}: ${stepMs.toFixed(0)} ms (wall)`);
    console.log(`import into PostgreSQL (read, write, commit): ${ms.toFixed(0)} ms = ${perSecond(taken, ms)} rows/s (wall)`);
    // CPU beside wall time: on a shared machine the wall time says as much about the neighbours as about the import.
    console.log(`  CPU used until then: ${nodeCpuMs.toFixed(0)} ms by this process (all its threads), ${pgCpuMs === null ? 'not known' : `${pgCpuMs.toFixed(0)} ms`} by PostgreSQL; load average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
    console.log(`import and its counter-fraud checks, until both have committed: ${wholeMs.toFixed(0)} ms (wall)`);
  }
  if (copying) {
    const { ms, pgCpuMs } = quickest(copies);
    if (RUNS > 1) console.log(`COPYs: ${copies.map((r) => r.ms.toFixed(0)).join(', ')} ms`);
    console.log(`PostgreSQL COPY into text columns: ${ms.toFixed(0)} ms = ${perSecond(ROWS, ms)} rows/s (best of ${RUNS}); PostgreSQL CPU ${pgCpuMs === null ? 'not known' : `${pgCpuMs.toFixed(0)} ms`} (sed's not counted)`);
    if (importing) console.log(`the import at ${Math.round((100 * ms) / quickest(imports).ms)} % of COPY's speed (the target is at least 50 %)`);
  }
}

await main();
