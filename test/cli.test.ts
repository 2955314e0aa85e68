/**
 * The `coproduce` CLI end to end on its own fresh database: authorities,
 * the first administrator, the demo seed, backup → restore reproducing every
 * row, and `audit verify` catching a quiet rewrite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { runCli, type CliIo } from '../src/cli/main.ts';
import { openDatabase, type Database } from '../src/lib/db/client.ts';
import { tablesInDependencyOrder } from '../src/lib/db/backup.ts';
import { freshDatabaseEnv, TEST_PASSWORD } from './helpers.ts';

interface Run {
  code: number;
  out: string;
  err: string;
}

function cli(env: Record<string, string>) {
  return async (args: string[], stdin = ''): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => stdin, env: { NODE_ENV: 'test', ...env } };
    const code = await runCli(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

const open = (env: Record<string, string>) =>
  openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.COPRODUCE_DATA_DIR! });

/** Every row of every table, as sorted JSON text: two databases with equal snapshots hold the same data. */
async function snapshot(database: Database): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of await tablesInDependencyOrder(database.db)) {
    const rows = (await database.db.execute(sql.raw(`select row_to_json(t)::text as j from "${table}" t`))) as unknown as { rows: { j: string }[] };
    result[table] = rows.rows.map((r) => r.j).sort();
  }
  return result;
}

describe('coproduce CLI', () => {
  let source: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  let run: ReturnType<typeof cli>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-cli-'));

  beforeAll(async () => {
    source = await freshDatabaseEnv();
    run = cli(source.env);
  });
  afterAll(async () => {
    await source.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('explains itself and refuses unknown commands and options', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('coproduce db backup FILE');
    expect(help.out).toContain('coproduce authorities create --slug SLUG --name NAME [--gss CODE]');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command: frobnicate/);
    const badOption = await run(['authorities', 'list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/Unknown option '--colour'/);
  });

  it('migrates on first use and creates authorities with their real wards', async () => {
    const migrate = await run(['db', 'migrate']);
    expect(migrate.code).toBe(0);
    const created = await run(['authorities', 'create', '--slug', 'southwark', '--name', 'London Borough of Southwark', '--gss', 'E09000028']);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/Created London Borough of Southwark \(southwark\) with (\d+) wards/);
    expect(Number(/with (\d+) wards/.exec(created.out)![1])).toBeGreaterThan(20);

    const list = await run(['authorities', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([{ slug: 'southwark', name: 'London Borough of Southwark', gssCode: 'E09000028', isDemo: false }]);
  });

  it('refuses bad authority input with the field named, and writes nothing', async () => {
    const dup = await run(['authorities', 'create', '--slug', 'southwark', '--name', 'Again']);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
    const bad = await run(['authorities', 'create', '--slug', 'Bad Slug!', '--name', 'X', '--gss', 'Z123']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--slug: /);
    expect(bad.err).toMatch(/--name: /);
    expect(bad.err).toMatch(/--gss-code: /);
    const missing = await run(['authorities', 'create', '--name', 'No slug']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--slug is required/);
    const list = await run(['authorities', 'list']);
    expect(list.out.split('\n')).toHaveLength(1);
  });

  it('makes the first administrator, who can then sign in', async () => {
    const made = await run(
      ['users', 'create', '--authority', 'southwark', '--role', 'admin', '--email', 'First.Admin@Southwark.example', '--name', 'First Admin', '--password-stdin'],
      `${TEST_PASSWORD}\n`,
    );
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain('Created First Admin <first.admin@southwark.example> as admin');

    const badRole = await run(['users', 'create', '--authority', 'southwark', '--role', 'emperor', '--email', 'e@x.example', '--name', 'E']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/emperor is not a role/);

    const database = await open(source.env);
    try {
      const { createServices } = await import('../src/services.ts');
      const { loadConfig } = await import('../src/config.ts');
      const pino = (await import('pino')).default;
      const services = createServices(database, loadConfig({ NODE_ENV: 'test' }), pino({ level: 'silent' }));
      const { user } = await services.accounts.signIn('first.admin@southwark.example', TEST_PASSWORD);
      expect(await services.accounts.rolesOf(user.id)).toEqual(['admin']);
    } finally {
      await database.close();
    }
  });

  it('without a password, sends a link to set one through the outbox', async () => {
    const made = await run(['users', 'create', '--authority', 'southwark', '--role', 'officer', '--email', 'officer@southwark.example', '--name', 'An Officer']);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/local outbox/);
    const database = await open(source.env);
    try {
      const rows = (await database.db.execute(sql`select to_address, body from outbox_messages where to_address = 'officer@southwark.example'`)) as unknown as {
        rows: { to_address: string; body: string }[];
      };
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!.body).toMatch(/\/reset-password\/[A-Za-z0-9_-]{20,}/);
    } finally {
      await database.close();
    }
  });

  it('backs up and restores into an empty database, reproducing every row', async () => {
    const seeded = await run(['db', 'seed', '--demo']);
    expect(seeded.err).toBe('');
    expect(seeded.code).toBe(0);
    const again = await run(['db', 'seed', '--demo']);
    expect(again.code).toBe(1);

    const file = path.join(tmp, 'backup.jsonl');
    const backup = await run(['db', 'backup', file]);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/Backed up \d+ rows/);

    const target = await freshDatabaseEnv();
    try {
      const restore = await cli(target.env)(['db', 'restore', file]);
      expect(restore.err).toBe('');
      expect(restore.code).toBe(0);

      const [from, to] = [await open(source.env), await open(target.env)];
      let before: Record<string, string[]>;
      let after: Record<string, string[]>;
      try {
        before = await snapshot(from);
        after = await snapshot(to);
      } finally {
        await from.close();
        await to.close();
      }
      expect(Object.keys(after)).toEqual(Object.keys(before));
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
      expect(before.services!.length).toBeGreaterThan(30);
      expect(before.audit_log!.length).toBeGreaterThan(50);

      // The restored audit log still verifies: hashes survived byte for byte.
      const verify = await cli(target.env)(['audit', 'verify']);
      expect(verify.out).toMatch(/Audit log intact: \d+ entries in 2 chains/);
      expect(verify.code).toBe(0);

      // A second restore into the now-full database is refused and changes nothing.
      const twice = await cli(target.env)(['db', 'restore', file]);
      expect(twice.code).toBe(1);
      expect(twice.err).toMatch(/Restore needs an empty database/);
    } finally {
      await target.drop();
    }
  }, 180_000); // the whole demo borough, seeded, backed up and restored twice: tens of seconds on a busy machine

  it('refuses a file that is not a backup, naming the line', async () => {
    const target = await freshDatabaseEnv();
    try {
      const file = path.join(tmp, 'not-a-backup.jsonl');
      fs.writeFileSync(file, '{"format":"coproduce-backup","version":1,"createdAt":"x","migrations":[],"tables":{}}\nhello\n');
      const res = await cli(target.env)(['db', 'restore', file]);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/line 2: not a table line/);
      const missing = await cli(target.env)(['db', 'restore', path.join(tmp, 'nope.jsonl')]);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/does not exist/);
    } finally {
      await target.drop();
    }
  });

  it('audit verify reports the first tampered and the first missing entry', async () => {
    const intact = await run(['audit', 'verify', '--json']);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.out)).toMatchObject({ ok: true, problem: null });

    // Someone with database access edits history, going around the append-only trigger.
    const database = await open(source.env);
    try {
      await database.db.execute(sql`alter table audit_log disable trigger user`);
      await database.db.execute(sql`update audit_log set reason = 'nothing to see here'
        where seq = 3 and authority_id = (select id from authorities where slug = 'southwark')`);
      await database.db.execute(sql`alter table audit_log enable trigger user`);
    } finally {
      await database.close();
    }
    const tampered = await run(['audit', 'verify', '--authority', 'southwark']);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/AUDIT LOG PROBLEM \(tampered\): entry 3 of southwark/);

    const database2 = await open(source.env);
    try {
      await database2.db.execute(sql`alter table audit_log disable trigger user`);
      await database2.db.execute(sql`delete from audit_log where seq in (2, 3) and authority_id = (select id from authorities where slug = 'southwark')`);
      await database2.db.execute(sql`alter table audit_log enable trigger user`);
    } finally {
      await database2.close();
    }
    const missing = await run(['audit', 'verify', '--json', '--authority', 'southwark']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out).problem).toMatchObject({ kind: 'missing', seq: 4, authoritySlug: 'southwark' });
  });
});
