/**
 * A PostgreSQL server for the benchmark: the one in BENCH_DATABASE_URL, or a
 * throwaway PostgreSQL 15 cluster in a temp folder on 127.0.0.1 (the same
 * recipe as .ci/run), stopped and deleted when the benchmark exits.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

export interface PgServer {
  /** A database to connect to for create/drop database. */
  adminUrl: string;
  /** The URL of another database on the same server. */
  urlFor(database: string): string;
  /** e.g. "PostgreSQL 15.18 (throwaway cluster, fsync off)" */
  description: string;
  /** Synchronous, so it can run from an 'exit' handler. */
  stop(): void;
  /** CPU milliseconds the server's processes have used so far (a throwaway cluster only: a shared machine's wall times need it beside them). */
  cpuMs?(): number;
}

export class BenchSetupError extends Error {}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

function run(cmd: string, args: string[], asPostgres: boolean) {
  const [file, argv] = asPostgres && isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const res = spawnSync(file, argv, { encoding: 'utf8' });
  if (res.error) throw res.error;
  return res;
}

export async function startPostgres(): Promise<PgServer> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const url = new URL(given);
    if (!/^postgres(ql)?:$/.test(url.protocol)) throw new BenchSetupError('BENCH_DATABASE_URL must be a postgres:// URL');
    const version = await serverVersion(given).catch((err: Error) => {
      throw new BenchSetupError(`Cannot connect to BENCH_DATABASE_URL (${url.hostname}:${url.port || 5432}): ${err.message}`);
    });
    return { adminUrl: given, urlFor: (db) => withDatabase(given, db), description: `${version} (BENCH_DATABASE_URL)`, stop: () => {} };
  }

  const missing = ['initdb', 'pg_ctl', 'postgres'].filter((b) => !fs.existsSync(path.join(PG_BIN, b)));
  if (missing.length) {
    throw new BenchSetupError(
      `PostgreSQL 15 server programs not found in ${PG_BIN} (missing ${missing.join(', ')}).\n` +
        'Install them (Debian: apt-get install postgresql), set PG_BIN to their folder, ' +
        'or set BENCH_DATABASE_URL=postgres://user@host:port/db for a server whose user may create databases.',
    );
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-bench-pg-'));
  if (isRoot()) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const uid = Number(ids.stdout.trim());
    if (ids.status !== 0 || !Number.isInteger(uid)) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new BenchSetupError('Running as root, but there is no postgres user to run initdb as (initdb refuses root).');
    }
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  let started = false;
  const stop = () => {
    if (started) run(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], true);
    started = false;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const init = run(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'bench', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], true);
    if (init.status !== 0) throw new BenchSetupError(`initdb failed:\n${init.stdout}${init.stderr}`);
    fs.writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    const port = await freePort();
    // fsync off only speeds up seeding; the measured requests are all reads.
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const start = run(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', 'start', '-o', opts], true);
    if (start.status !== 0) throw new BenchSetupError(`PostgreSQL did not start:\n${start.stderr}\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
    started = true;
    const adminUrl = `postgres://bench@127.0.0.1:${port}/postgres`;
    const version = await serverVersion(adminUrl);
    const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return { adminUrl, urlFor: (db) => withDatabase(adminUrl, db), description: `${version} (throwaway cluster, default settings except fsync off)`, stop, cpuMs: () => clusterCpuMs(postmaster) };
  } catch (err) {
    stop();
    throw err;
  }
}

/** Clock ticks per second in /proc (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

/**
 * CPU used by the postmaster and its live children (backends, writers), plus what its exited
 * children used (the kernel adds that to the postmaster's own count when it reaps them).
 */
function clusterCpuMs(postmaster: number): number {
  const stat = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
  // Fields after the command: utime, stime, cutime, cstime are the 12th to 15th.
  const own = stat(postmaster);
  let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
  const children = fs.readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  for (const child of children) {
    try {
      const s = stat(child);
      ticks += s[11]! + s[12]!;
    } catch {
      // It exited between the listing and the reading: its time is in the postmaster's count now.
    }
  }
  return ticks * TICK_MS;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return `PostgreSQL ${rows[0]!.v.split(' ')[0]}`;
  } finally {
    await client.end();
  }
}

/** A brand-new database on the server (dropped first if a previous run left it). */
export async function freshDatabase(server: PgServer, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  try {
    await admin(`create database ${name}`);
  } catch (err) {
    throw new BenchSetupError(`Could not create database ${name}: ${(err as Error).message}`);
  }
  return { url: server.urlFor(name), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
