/**
 * `coproduce ocds import` and `ocds export` through the real bin, on a fresh database of their
 * own: the --json summary exactly as documented, a second run that changes nothing, a bad file
 * refused by release and field with exit status 1, and the export as a release package.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseEnv, runCommand } from './helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../shared/data/samples/ocds/uk-contracts-finder_2025-01-23_release-package_part1-of-2.json', import.meta.url));

describe('coproduce ocds', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-ocds-'));
  const coproduce = (...args: string[]) => runCommand(db.env, ...args);

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    expect(coproduce('authorities', 'create', '--slug', 'merton', '--name', 'London Borough of Merton', '--gss', 'E09000024').code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports the Contracts Finder package once, and a second time changes nothing', () => {
    const first = coproduce('ocds', 'import', SAMPLE, '--authority', 'merton', '--json');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['releases', 'tenders', 'awards', 'contracts', 'awardValue', 'warnings', 'errors']);
    // 70 releases of 64 processes; two awardUpdates repeat an award, which counts once at its latest value.
    expect(summary).toMatchObject({ releases: 70, tenders: 64, awards: 38, contracts: 0, awardValue: { GBP: 51506276.91 }, errors: [] });
    expect(summary.warnings).toContain('links that are not web addresses, left out: release dd72aa68-670d-4a3e-b9b4-136d04a5eaf2-819929: tender.documents[1].url: "http://Contract Finder"');
    const again = coproduce('ocds', 'import', SAMPLE, '--authority', 'merton');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^Imported 70 releases \(0 new, 0 changed, 70 unchanged\): 64 tenders, 38 awards, 0 contracts, £51,506,276\.91 awarded/);
  });

  it('refuses a bad file whole, naming the release and the field', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ version: '1.1', publisher: { name: 'P' }, releases: [{ ocid: 'ocds-b5fd17-9', id: 'bad-1', date: '2025-01-01T00:00:00Z', tag: ['award'], initiationType: 'tender', awards: [{ id: 'a1', value: { amount: 'lots', currency: 'GBP' } }] }] }));
    const run = coproduce('ocds', 'import', bad, '--authority', 'merton', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({ releases: 0, tenders: 0, awards: 0, contracts: 0, awardValue: { GBP: 0 }, warnings: [], errors: ['release bad-1: awards[0].value.amount: "lots" is not a number'] });
  });

  it('exports every release as a package on stdout', () => {
    const run = coproduce('ocds', 'export', '--authority', 'merton');
    expect(run.code).toBe(0);
    const pkg = JSON.parse(run.out) as { version: string; publisher: { name: string }; releases: { id: string; awards?: { value: { amount: number } }[] }[] };
    expect(pkg).toMatchObject({ version: '1.1', publisher: { name: 'London Borough of Merton' } });
    expect(pkg.releases).toHaveLength(70);
    expect(pkg.releases.find((r) => r.id === '2a1e3359-87a0-4fdd-ac61-20d5e6520a13-819950')!.awards![0]!.value.amount).toBe(93007);
  });

  it('sets the ocid prefix, refusing one that is not a registered form', () => {
    const bad = coproduce('ocds', 'prefix', '--authority', 'merton', '--ocid-prefix', 'merton');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('--ocid-prefix: Enter the prefix the Open Contracting Partnership gave the council: ocds- and six letters or numbers, like ocds-b5fd17\n');
    const good = coproduce('ocds', 'prefix', '--authority', 'merton', '--ocid-prefix', 'ocds-abc123');
    expect(good).toMatchObject({ code: 0, out: 'London Borough of Merton publishes ocids beginning ocds-abc123\n' });
  });
});
