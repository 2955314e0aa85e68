/**
 * `coproduce grants import` and `grants export` through the real bin, on a fresh database of
 * their own: the --json summary exactly as documented, a second run that changes nothing, a bad
 * file refused by grant and field with exit status 1, and the export as a 360Giving package.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseEnv, runCommand } from './helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../shared/data/samples/360giving/baring-foundation_2016-snapshot.json', import.meta.url));

describe('coproduce grants', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-grants-'));
  const coproduce = (...args: string[]) => runCommand(db.env, ...args);

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    expect(coproduce('authorities', 'create', '--slug', 'lambeth', '--name', 'London Borough of Lambeth', '--gss', 'E09000022').code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports a real file once, and a second time changes nothing', () => {
    const first = coproduce('grants', 'import', SAMPLE, '--authority', 'lambeth', '--json');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['grants', 'amountAwarded', 'warnings', 'errors']);
    expect(summary).toMatchObject({ grants: 53, amountAwarded: { GBP: 2086937 }, errors: [] });
    expect(summary.warnings).toContain('awardDate written as day/month/year: 53 values normalised');
    const again = coproduce('grants', 'import', SAMPLE, '--authority', 'lambeth');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^Imported 53 grants \(0 new, 0 changed, 53 unchanged\), £2,086,937\.00 awarded/);
  });

  it('refuses a bad file whole, naming the grant and the field', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ grants: [{ id: '360G-bad-1', title: 'T', description: 'D', currency: 'GBP', amountAwarded: 10, awardDate: '2020-13-01', recipientOrganization: [{ id: 'GB-CHC-1', name: 'R' }], fundingOrganization: [{ id: 'GB-CHC-2', name: 'F' }] }] }));
    const run = coproduce('grants', 'import', bad, '--authority', 'lambeth', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({ grants: 0, amountAwarded: { GBP: 0 }, warnings: [], errors: ['grant 360G-bad-1: awardDate: "2020-13-01" is not a real date'] });
  });

  it('exports every grant as a 360Giving package on stdout', () => {
    const run = coproduce('grants', 'export', '--authority', 'lambeth');
    expect(run.code).toBe(0);
    const pkg = JSON.parse(run.out) as { grants: { id: string; awardDate: string; amountAwarded: number }[] };
    expect(pkg.grants).toHaveLength(53);
    expect(pkg.grants.find((g) => g.id === '360G-baringfoundation-20130071')).toMatchObject({ awardDate: '2014-03-17', amountAwarded: 50000 });
  });
});
