/**
 * copyRows and binary copyData on the engine this tier runs on (PGlite here, PostgreSQL in the db-postgres tier): what
 * goes in through COPY comes back exactly, awkward text included, and a failed COPY leaves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/lib/db/client.ts';
import { copyData, copyRows } from '../src/lib/db/copy.ts';
import { binaryCopyChunks, copyField, type BinaryColumn, type CopyValue } from '../src/lib/db/copy-format.ts';
import { openTestDatabase, uniqueSlug } from './helpers.ts';

describe('copyRows', () => {
  let database: Database;
  const select = async <T,>(query: string): Promise<T[]> => ((await database.db.execute(sql.raw(query))) as unknown as { rows: T[] }).rows;
  const table = `copy_test_${uniqueSlug('t').replace(/-/g, '_')}`;
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.execute(sql.raw(`create table ${table} (n integer primary key, words text, pence bigint, flag boolean, day date)`));
  });
  afterAll(async () => {
    await database.db.execute(sql.raw(`drop table if exists ${table}`));
    await database.close();
  });

  it('escapes only what COPY text needs escaped', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField(-12)).toBe('-12');
    expect(copyField(false)).toBe('false');
  });

  it('takes rows exactly as given, in chunks, telling progress, inside the transaction', async () => {
    const awkward = ['tab\there', 'two\nlines', 'cr\rlf\r\n', 'back\\slash', '\\N', 'Café £5 “quoted”', '', null];
    const rows = Array.from({ length: 12_345 }, (_, i) => ({ n: i, words: awkward[i % awkward.length]!, pence: (i - 6_000) * 101, flag: i % 3 === 0, day: i % 5 ? `2024-0${1 + (i % 9)}-2${i % 9}` : null }));
    const sent: number[] = [];
    await database.db.transaction(async (tx) => {
      await copyRows(tx, table, ['n', 'words', 'pence', 'flag', 'day'], rows, (r): CopyValue[] => [r.n, r.words, r.pence, r.flag, r.day], (s) => sent.push(s));
    });
    expect(sent.at(-1)).toBe(rows.length);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    const back = await select<{ n: number; words: string | null; pence: string; flag: boolean; day: string | null }>(`select n, words, pence::text as pence, flag, day::text as day from ${table} order by n`);
    expect(back.length).toBe(rows.length);
    for (const [i, r] of back.entries()) {
      expect({ ...r, pence: Number(r.pence) }).toEqual(rows[i]);
    }
  });

  it('leaves nothing when the COPY fails part-way', async () => {
    const [before] = await select<{ c: number }>(`select count(*)::int as c from ${table}`);
    const rows = [{ n: 1_000_000 }, { n: 1_000_001 }, { n: 0 }]; // 0 is taken already: the key refuses it
    await expect(database.db.transaction((tx) => copyRows(tx, table, ['n', 'words', 'pence', 'flag', 'day'], rows, (r) => [r.n, null, 0, true, null]))).rejects.toThrow();
    const [after] = await select<{ c: number }>(`select count(*)::int as c from ${table}`);
    expect(after!.c).toBe(before!.c);
  });

  describe('in the binary format', () => {
    const binaryTable = `${table}_binary`;
    const COLUMNS = ['id', 'n', 'pence', 'flag', 'day', 'words'];
    const TYPES: BinaryColumn[] = ['uuid', 'int4', 'int8', 'bool', 'date', 'text'];
    const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const copyBinary = (rows: CopyValue[][], sent?: number[]) =>
      database.db.transaction((tx) => copyData(tx, binaryTable, COLUMNS, binaryCopyChunks(rows, TYPES, (r) => r), { format: 'binary', progress: (s) => sent?.push(s) }));
    beforeAll(async () => {
      await database.db.execute(sql.raw(`create table ${binaryTable} (id uuid, n integer primary key, pence bigint, flag boolean, day date, words text)`));
    });
    afterAll(async () => {
      await database.db.execute(sql.raw(`drop table if exists ${binaryTable}`));
    });

    it('takes rows exactly as given, in chunks, telling progress', async () => {
      const words = ['tab\there', 'two\nlines', 'back\\slash', '\\N', 'Café £5 “quoted” 😀', '', null];
      const pence = [0, -1, 123_456, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32, -(2 ** 32) - 1];
      const days = ['2000-01-01', '1999-12-31', '1970-01-01', '2024-02-29', '2099-12-31', null];
      const rows: CopyValue[][] = Array.from({ length: 12_345 }, (_, i) => [i % 11 ? uuid(i % 3) : null, i, pence[i % pence.length]!, i % 3 === 0, days[i % days.length]!, words[i % words.length]!]);
      const sent: number[] = [];
      await copyBinary(rows, sent);
      expect(sent).toEqual([5_000, 10_000, 12_345]);
      const back = await select<{ id: string | null; n: number; pence: string; flag: boolean; day: string | null; words: string | null }>(`select id::text as id, n, pence::text as pence, flag, day::text as day, words from ${binaryTable} order by n`);
      expect(back.map((r) => [r.id, r.n, Number(r.pence), r.flag, r.day, r.words])).toEqual(rows);
    });

    it('leaves nothing when the COPY fails part-way', async () => {
      const [before] = await select<{ c: number }>(`select count(*)::int as c from ${binaryTable}`);
      await expect(copyBinary([[null, 1_000_000, 0, true, null, null], [null, 0, 0, true, null, null]])).rejects.toThrow(); // 0 is taken already
      const [after] = await select<{ c: number }>(`select count(*)::int as c from ${binaryTable}`);
      expect(after!.c).toBe(before!.c);
    });
  });
});
