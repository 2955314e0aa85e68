/**
 * Logical backup and restore of every table, engine-neutral (PGlite and
 * PostgreSQL alike), so a council can move from the embedded database to a
 * server, or recover one, with nothing but the `coproduce` CLI.
 *
 * The file is JSON Lines: a header line, then one line per table,
 * `{"table":NAME,"rows":[…]}`, in foreign-key order. The rows array is
 * PostgreSQL's own `row_to_json` text, written and read back without passing
 * through JavaScript numbers, so big integers and microsecond timestamps
 * survive exactly.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import type { Queryable } from './client.ts';

export const BACKUP_FORMAT = 'coproduce-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** Hashes of the migrations applied, so a restore refuses a mismatched schema. */
  migrations: string[];
  tables: Record<string, number>;
}

export class BackupError extends Error {}

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every application table, parents before children, so inserts never break a foreign key. */
export async function tablesInDependencyOrder(db: Queryable): Promise<string[]> {
  const tables = (
    await rows<{ name: string }>(db, sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`)
  ).map((t) => t.name);
  const links = await rows<{ child: string; parent: string }>(
    db,
    sql`select cc.relname as child, pc.relname as parent from pg_constraint k
      join pg_class cc on cc.oid = k.conrelid join pg_class pc on pc.oid = k.confrelid
      join pg_namespace n on n.oid = k.connamespace
      where k.contype = 'f' and n.nspname = 'public' order by cc.relname, pc.relname, k.conname`,
  );
  // Both lists in name order, so the same schema gives the same order on every database (catalog
  // rows come back in whatever order they lie in, which differed between two freshly migrated ones).
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table)) return;
    if (path.has(table)) throw new BackupError(`Foreign keys form a cycle through ${table}`);
    path.add(table);
    for (const l of links) if (l.child === table && l.parent !== table) visit(l.parent, path);
    path.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

async function appliedMigrations(db: Queryable): Promise<string[]> {
  const found = await rows<{ hash: string }>(db, sql`select hash from drizzle.__drizzle_migrations order by created_at, id`);
  return found.map((m) => m.hash);
}

/** Write a consistent snapshot of every table to `file`. */
export async function backupTo(db: Queryable, file: string): Promise<BackupHeader> {
  // One repeatable-read snapshot, so rows written mid-backup cannot half-appear.
  const run = async (tx: Queryable) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    const tables = await tablesInDependencyOrder(tx);
    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), migrations: await appliedMigrations(tx), tables: {} };
    const lines: string[] = [];
    for (const table of tables) {
      const [dump] = await rows<{ count: number | string; json: string }>(
        tx,
        // string_agg of row_to_json, not json_agg: json_agg puts line breaks between rows.
        sql.raw(`select count(*) as count, '[' || coalesce(string_agg(row_to_json(t)::text, ','), '') || ']' as json from ${quoteIdent(table)} t`),
      );
      header.tables[table] = Number(dump?.count ?? 0);
      lines.push(`{"table":${JSON.stringify(table)},"rows":${dump?.json ?? '[]'}}`);
    }
    return { header, lines };
  };
  const { header, lines } = await (db as { transaction<T>(f: (tx: Queryable) => Promise<T>): Promise<T> }).transaction(run);
  const tmp = `${file}.partial`;
  fs.writeFileSync(tmp, [JSON.stringify(header), ...lines].join('\n') + '\n');
  fs.renameSync(tmp, file); // never leave a half-written backup under the real name
  return header;
}

async function* readBackup(file: string): AsyncGenerator<{ lineNumber: number; line: string }> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() !== '') yield { lineNumber, line };
  }
}

const TABLE_LINE = /^\{"table":("(?:[^"\\]|\\.)*"),"rows":(\[[\s\S]*\])\}$/;

/**
 * Restore a backup into an empty, migrated database, all in one transaction:
 * it either reproduces every row or changes nothing.
 */
export async function restoreFrom(db: Queryable, file: string): Promise<BackupHeader> {
  let header: BackupHeader | undefined;
  const tableLines: { lineNumber: number; table: string; json: string }[] = [];
  for await (const { lineNumber, line } of readBackup(file)) {
    if (!header) {
      header = parseHeader(line, file);
      continue;
    }
    const match = TABLE_LINE.exec(line);
    if (!match) throw new BackupError(`${file} line ${lineNumber}: not a table line of a Coproduce backup`);
    tableLines.push({ lineNumber, table: JSON.parse(match[1]!) as string, json: match[2]! });
  }
  if (!header) throw new BackupError(`${file} is empty`);
  const expected = header;

  await (db as { transaction<T>(f: (tx: Queryable) => Promise<T>): Promise<T> }).transaction(async (tx) => {
    const migrations = await appliedMigrations(tx);
    if (migrations.join() !== expected.migrations.join()) {
      throw new BackupError(
        `The backup was taken at schema version ${expected.migrations.length} and this database is at ${migrations.length}. ` +
          'Restore with the Coproduce release that made the backup, then upgrade.',
      );
    }
    const tables = new Set(await tablesInDependencyOrder(tx));
    for (const table of tables) {
      const [row] = await rows<{ any: boolean }>(tx, sql.raw(`select exists (select 1 from ${quoteIdent(table)}) as any`));
      if (row?.any) throw new BackupError(`Restore needs an empty database, but ${table} already has rows. Point COPRODUCE_DATA_DIR or DATABASE_URL at a new database.`);
    }
    for (const { lineNumber, table, json } of tableLines) {
      if (!tables.has(table)) throw new BackupError(`${file} line ${lineNumber}: table ${table} does not exist in this database`);
      const [inserted] = await rows<{ count: number | string }>(
        tx,
        sql`with added as (insert into ${sql.raw(quoteIdent(table))} select * from json_populate_recordset(null::${sql.raw(quoteIdent(table))}, ${json}::json) returning 1) select count(*) as count from added`,
      );
      const count = Number(inserted?.count ?? 0);
      if (count !== expected.tables[table]) throw new BackupError(`${file} line ${lineNumber}: ${table} restored ${count} rows but the header says ${expected.tables[table]}`);
    }
    await resetSequences(tx);
  });
  return expected;
}

function parseHeader(line: string, file: string): BackupHeader {
  let header: BackupHeader;
  try {
    header = JSON.parse(line) as BackupHeader;
  } catch {
    throw new BackupError(`${file} line 1: not a Coproduce backup (the header is not JSON)`);
  }
  if (header.format !== BACKUP_FORMAT) throw new BackupError(`${file} line 1: not a Coproduce backup`);
  if (header.version !== BACKUP_VERSION) throw new BackupError(`${file} line 1: backup format version ${header.version} is not supported (expected ${BACKUP_VERSION})`);
  return header;
}

/** After explicit-id inserts, serial columns must continue above the restored values. */
async function resetSequences(tx: Queryable): Promise<void> {
  const serials = await rows<{ table: string; column: string; sequence: string }>(
    tx,
    sql`select c.table_name as table, c.column_name as column, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) as sequence
      from information_schema.columns c where c.table_schema = 'public' and pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) is not null`,
  );
  for (const s of serials) {
    await tx.execute(
      sql.raw(`select setval('${s.sequence.replaceAll("'", "''")}', coalesce((select max(${quoteIdent(s.column)}) from ${quoteIdent(s.table)}), 0) + 1, false)`),
    );
  }
}
