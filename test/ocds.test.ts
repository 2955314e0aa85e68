/**
 * Open contracting data on a real database: a tender taken through bids, award, a variation and
 * an extension, and a cancelled tender, published as release and record packages that validate
 * against OCDS 1.1.5 with the UK extensions; the real sample packages import and come back out
 * with every field the model holds; a bad file is refused by release and field with nothing
 * written; the same file twice changes nothing.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { latestAuditSeq } from '../src/lib/audit/audit.ts';
import { ocdsReleases, tenders } from '../src/modules/procurement/tables.ts';
import { heldFields, readPackage, toOcds, type Release } from '../src/modules/procurement/ocds.ts';
import { authorities } from '../src/modules/places/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';
import { newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

const STANDARD = fileURLToPath(new URL('../../shared/data/standards/ocds-1.1.5/', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../shared/data/samples/ocds/', import.meta.url));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const load = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;

/** JSON merge patch (RFC 7386), which is how OCDS extensions amend the release schema. */
const mergePatch = (target: unknown, patch: unknown): unknown => {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) out[k] = mergePatch(out[k], v);
  return out;
};

/**
 * The OCDS 1.1.5 package validators, with the three UK extensions patched into the release schema.
 * The schemas are draft-04, whose only difference that matters here is `id` for `$id`.
 */
function validators() {
  const draft04 = ({ id, $schema: _, ...rest }: Record<string, unknown>) => ({ $id: id as string, ...rest });
  let release = load(`${STANDARD}release-schema.json`);
  for (const ext of fs.readdirSync(`${STANDARD}extensions-uk`)) release = mergePatch(release, load(`${STANDARD}extensions-uk/${ext}/release-schema.json`)) as Record<string, unknown>;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addSchema(draft04(release));
  ajv.addSchema(draft04(load(`${STANDARD}versioned-release-validation-schema.json`)));
  return { releases: ajv.compile(draft04(load(`${STANDARD}release-package-schema.json`))), records: ajv.compile(draft04(load(`${STANDARD}record-package-schema.json`))) };
}
const validate = validators();
const expectValid = (kind: 'releases' | 'records', data: unknown) => {
  const ok = validate[kind](data);
  expect(validate[kind].errors?.slice(0, 5) ?? [], `valid ${kind} package under OCDS 1.1.5`).toEqual([]);
  expect(ok).toBe(true);
};

let ctx: TestContext;
let authority: Authority;
const auditSeq = async (authorityId: string) => (await ctx.database.db.select({ seq: latestAuditSeq() }).from(authorities).where(eq(authorities.id, authorityId)))[0]!.seq;

beforeAll(async () => {
  ctx = await startTestApp();
  authority = await newAuthority(ctx.services, 'Open Contracting Borough');
});
afterAll(() => ctx.close());

describe('the council’s own releases', () => {
  let tenderId: string;
  let cancelledId: string;

  beforeAll(async () => {
    const s = ctx.services;
    const p = s.procurement;
    const officer = await newUser(s, authority.id, 'officer');
    const bidder = await newUser(s, authority.id, 'community_rep');
    const supplier = async (name: string, type: string, size: string, numbers: Record<string, string>) => {
      const org = await s.organisations.create(TEST_ACTOR, authority.id, { name, type, ...numbers });
      await s.organisationPeople.add(TEST_ACTOR, authority.id, org.id, { email: bidder.email, roleTitle: 'Chair' });
      return (await p.registerSupplier(TEST_ACTOR, authority.id, bidder.id, { organisationId: org.id, size, locality: 'in_area' })).id;
    };
    const lead = await supplier('Brixton Friends Together', 'charity', 'micro', { charityNumber: '1123456' });
    const member = await supplier('Stockwell Kitchen CIC', 'social_enterprise', 'small', { companyNumber: '09876543' });
    const form = {
      title: 'Befriending for older residents', description: 'Weekly visits.', serviceArea: 'Adult social care', cpvCode: '85311000-2', contractType: 'light_touch',
      valueExVat: '150,000', valueInclVat: '180,000', procedure: 'open', termMonths: '24', clarificationsCloseOn: addDays(londonToday(), 5), closesOn: addDays(londonToday(), 10),
      priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', lots: '',
    };
    tenderId = (await p.createTender(TEST_ACTOR, authority.id, form)).id;
    cancelledId = (await p.createTender(TEST_ACTOR, authority.id, { ...form, title: 'Lunch clubs' })).id;
    await p.cancel(TEST_ACTOR, authority.id, cancelledId, { reason: 'The service is to be run in house' });
    await p.submitBid(TEST_ACTOR, authority.id, tenderId, bidder.id, { leadSupplierId: lead, members: [member], price: '120,000', qualityResponse: 'Volunteers visit weekly.' });
    await ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tenderId));
    const [bid] = (await p.evaluation(authority.id, tenderId, officer.id)).bids;
    const quality = (await p.getTender(authority.id, tenderId)).criteria.find((c) => c.kind === 'quality')!.id;
    await p.declare(TEST_ACTOR, authority.id, tenderId, officer.id, { conflicted: 'no' });
    await p.score(TEST_ACTOR, authority.id, tenderId, officer.id, { [`score-${bid!.id}-${quality}`]: '4' });
    await p.moderate(TEST_ACTOR, authority.id, tenderId, officer.id, { [`agreed-${bid!.id}-${quality}`]: '4', [`reason-${bid!.id}-${quality}`]: 'Strong local model' });
    const { contract } = await p.award(TEST_ACTOR, authority.id, tenderId, officer.id);
    await p.changeContract(TEST_ACTOR, authority.id, contract.id, { kind: 'variation', valueChange: '5,000', reason: 'A fourth visiting round' });
    await p.changeContract(TEST_ACTOR, authority.id, contract.id, { kind: 'extension', newEndsOn: addDays(contract.endsOn, 365), reason: 'Extended while the service is reviewed' });
  });

  it('gives a release for each event, and the API serves a valid release package', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${authority.slug}/ocds/releases` });
    expect(res.statusCode).toBe(200);
    const pkg = res.json() as { publisher: { name: string }; releases: Release[] };
    expectValid('releases', pkg);
    // The validator is not a formality: a release tag outside the codelist fails it.
    expect(validate.releases({ ...pkg, releases: [{ ...pkg.releases[0], tag: ['decided'] }] })).toBe(false);
    expect(pkg.publisher.name).toBe('Open Contracting Borough');
    const ocid = `ocds-coproduce-${authority.slug}-T-`;
    expect(pkg.releases.every((r) => r.ocid.startsWith(ocid))).toBe(true);
    expect(pkg.releases.map((r) => r.tag[0]).sort()).toEqual(['award', 'contract', 'contractAmendment', 'contractAmendment', 'tender', 'tender', 'tenderCancellation']);
    const tender = pkg.releases.find((r) => r.tag[0] === 'tender' && (r.tender as { title: string }).title === 'Befriending for older residents')!;
    // Below threshold (£150,000 of light-touch services): no pre-qualification, open to SMEs and VCSEs.
    expect(tender.tender).toMatchObject({ value: { amount: 150000, currency: 'GBP' }, suitability: { sme: true, vcse: true }, classification: { scheme: 'CPV', id: '85311000-2' }, mainProcurementCategory: 'services' });
    const award = pkg.releases.find((r) => r.tag[0] === 'award')!;
    expect(award.parties).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'GB-CHC-1123456', roles: ['supplier', 'tenderer'], details: { scale: 'micro', vcse: true } }),
      expect.objectContaining({ id: 'GB-COH-09876543', roles: ['supplier'], details: { scale: 'sme', vcse: true } }),
    ]));
    // One consortium bid: one tenderer, its lead; the count is published only now the deadline has passed.
    expect(award.tender).toMatchObject({ numberOfTenderers: 1, tenderers: [{ id: 'GB-CHC-1123456' }] });
    expect(tender.tender).not.toHaveProperty('numberOfTenderers');
    expect((award.awards as { suppliers: unknown[]; value: unknown }[])[0]).toMatchObject({ value: { amount: 120000, currency: 'GBP' }, suppliers: [{ id: 'GB-CHC-1123456' }, { id: 'GB-COH-09876543' }] });
    const [, extension] = pkg.releases.filter((r) => r.tag[0] === 'contractAmendment');
    expect((extension!.contracts as { value: unknown; amendments: unknown[] }[])[0]).toMatchObject({ value: { amount: 125000 }, amendments: [{ rationale: 'A fourth visiting round' }, { rationale: 'Extended while the service is reviewed' }] });
    // The same data gives the same package.
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${authority.slug}/ocds/releases` })).json()).toEqual(pkg);
  });

  it('links the data from the opportunities page', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: `/a/${authority.slug}/procurement` });
    const links = [...page.body.matchAll(/href="(\/api\/v1\/[^"]+\/ocds\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual([`/api/v1/authorities/${authority.slug}/ocds/releases`, `/api/v1/authorities/${authority.slug}/ocds/records`]);
    for (const url of links) expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });

  it('compiles one record per contracting process, valid as a record package', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${authority.slug}/ocds/records` });
    expect(res.statusCode).toBe(200);
    const pkg = res.json() as { records: { ocid: string; releases: Release[]; compiledRelease: Record<string, unknown> }[] };
    expectValid('records', pkg);
    expect(pkg.records).toHaveLength(2);
    const awarded = pkg.records.find((r) => r.releases.length === 5)!;
    expect(awarded.compiledRelease).toMatchObject({
      tag: ['compiled'], tender: { status: 'complete', title: 'Befriending for older residents' },
      contracts: [{ value: { amount: 125000 }, amendments: [{}, {}] }],
    });
    expect(pkg.records.find((r) => r.releases.length === 2)!.compiledRelease).toMatchObject({ tender: { status: 'cancelled', title: 'Lunch clubs' } });
  });

  it('uses the prefix the council registers', async () => {
    await ctx.services.ocds.setPrefix(TEST_ACTOR, authority.id, { ocidPrefix: 'ocds-abc123' });
    const pkg = await ctx.services.ocds.releasePackage(authority, 'https://example.org/ocds');
    expect(pkg.releases.every((r) => r.ocid.startsWith('ocds-abc123-T-'))).toBe(true);
    await expect(ctx.services.ocds.setPrefix(TEST_ACTOR, authority.id, { ocidPrefix: 'abc' })).rejects.toThrow();
  });
});

describe('a tender in lots, and payments', () => {
  let lotsAuthority: Authority;
  let tenderId: string;

  beforeAll(async () => {
    const s = ctx.services;
    const p = s.procurement;
    lotsAuthority = await newAuthority(s, 'Lots Open Contracting Borough');
    const officer = await newUser(s, lotsAuthority.id, 'officer');
    const bidder = await newUser(s, lotsAuthority.id, 'community_rep');
    const org = await s.organisations.create(TEST_ACTOR, lotsAuthority.id, { name: 'Brixton Friends Together', type: 'charity', charityNumber: '1123456' });
    await s.organisationPeople.add(TEST_ACTOR, lotsAuthority.id, org.id, { email: bidder.email, roleTitle: 'Chair' });
    const supplier = (await p.registerSupplier(TEST_ACTOR, lotsAuthority.id, bidder.id, { organisationId: org.id, size: 'micro', locality: 'in_area' })).id;
    tenderId = (await p.createTender(TEST_ACTOR, lotsAuthority.id, {
      title: 'Befriending in two lots', description: 'Weekly visits, north and south.', serviceArea: 'Adult social care', cpvCode: '85311000-2', contractType: 'light_touch',
      valueExVat: '150,000', valueInclVat: '180,000', procedure: 'open', termMonths: '24', clarificationsCloseOn: addDays(londonToday(), 5), closesOn: addDays(londonToday(), 10),
      priceWeight: '40', qualityWeight: '60', socialValueWeight: '0', lots: 'North | 60,000\nSouth',
    })).id;
    const [north, south] = (await p.getTender(lotsAuthority.id, tenderId)).lots;
    for (const lot of [north!, south!]) await p.submitBid(TEST_ACTOR, lotsAuthority.id, tenderId, bidder.id, { lotId: lot.id, leadSupplierId: supplier, price: '50,000', qualityResponse: `Visits in the ${lot.title}.` });
    await ctx.database.db.update(tenders).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(tenders.id, tenderId));
    await p.declare(TEST_ACTOR, lotsAuthority.id, tenderId, officer.id, { conflicted: 'no' });
    const [bid] = (await p.evaluation(lotsAuthority.id, tenderId, officer.id, north!.id)).bids;
    const quality = (await p.getTender(lotsAuthority.id, tenderId)).criteria.find((c) => c.kind === 'quality')!.id;
    await p.score(TEST_ACTOR, lotsAuthority.id, tenderId, officer.id, { lot: north!.id, [`score-${bid!.id}-${quality}`]: '4' });
    await p.moderate(TEST_ACTOR, lotsAuthority.id, tenderId, officer.id, { lot: north!.id, [`agreed-${bid!.id}-${quality}`]: '4', [`reason-${bid!.id}-${quality}`]: 'Strong local model' });
    const { contract } = await p.award(TEST_ACTOR, lotsAuthority.id, tenderId, officer.id, { lot: north!.id });
    await p.recordPayment(TEST_ACTOR, lotsAuthority.id, contract.id, { paidOn: addDays(contract.startsOn, 30), amount: '2,500.50', reference: 'INV-1' });
    await p.decideNotToAwardLot(TEST_ACTOR, lotsAuthority.id, tenderId, { lot: south!.id, lotReason: 'The south service is to be run in house' });
  });

  it('publishes the lots, an item in each, the lot awarded, the lot not awarded and the contract’s payments, as valid packages', async () => {
    const pkg = await ctx.services.ocds.releasePackage(lotsAuthority, 'https://example.org/ocds');
    expectValid('releases', pkg);
    expectValid('records', await ctx.services.ocds.recordPackage(lotsAuthority, 'https://example.org/ocds'));
    expect(pkg.extensions).toContain('https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json');
    expect(pkg.releases.map((r) => r.tag[0])).toEqual(['tender', 'award', 'contract', 'tenderUpdate', 'implementation']);
    const [tender, award, , notAwarded, payment] = pkg.releases as Release[];
    expect(tender!.tender).toMatchObject({
      lots: [{ id: 'L1', title: 'North', status: 'active', value: { amount: 60000, currency: 'GBP' } }, { id: 'L2', title: 'South', status: 'active' }],
      items: [{ id: '1', description: 'North', relatedLot: 'L1', classification: { scheme: 'CPV', id: '85311000-2' } }, { id: '2', description: 'South', relatedLot: 'L2', classification: { scheme: 'CPV', id: '85311000-2' } }],
    });
    // The lots extension's own rules, its schema not being kept locally: every reference names a lot of the tender.
    const lotIds = (tender!.tender as { lots: { id: string }[] }).lots.map((l) => l.id);
    expect((tender!.tender as { items: { relatedLot: string }[] }).items.every((i) => lotIds.includes(i.relatedLot))).toBe(true);
    expect(award!.awards).toEqual([expect.objectContaining({ relatedLots: ['L1'], value: { amount: 50000, currency: 'GBP' } })]);
    // One lot of two awarded: the tender is still active.
    // One bidder in both lots is one tenderer.
    expect(award!.tender).toEqual({
      id: (tender!.tender as { id: string }).id, status: 'active', numberOfTenderers: 1, tenderers: [{ id: 'GB-CHC-1123456', name: 'Brixton Friends Together' }], lots: [{ id: 'L1', status: 'complete' }],
    });
    // The lot not awarded is cancelled (the lot status codelist is the tender status one), and with it every lot is settled: the tender is complete.
    expect(notAwarded!.tender).toEqual({ id: (tender!.tender as { id: string }).id, status: 'complete', lots: [{ id: 'L2', status: 'cancelled' }] });
    const [record] = (await ctx.services.ocds.recordPackage(lotsAuthority, 'https://example.org/ocds')).records;
    expect(record!.compiledRelease).toMatchObject({ tender: { status: 'complete', lots: [{ id: 'L1', status: 'complete' }, { id: 'L2', status: 'cancelled' }] } });
    expect(payment!.contracts).toEqual([expect.objectContaining({ implementation: { transactions: [expect.objectContaining({ value: { amount: 2500.5, currency: 'GBP' }, payee: { id: 'GB-CHC-1123456', name: 'Brixton Friends Together' } })] } })]);
  });

  it('reads its own package back with the lots, items and payments, nothing left out', async () => {
    const pkg = await ctx.services.ocds.releasePackage(lotsAuthority, 'https://example.org/ocds');
    const read = readPackage(JSON.stringify(pkg));
    expect(read.errors).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.releases.map(toOcds)).toEqual(pkg.releases);
  });
});

describe('OCDS files', () => {
  let importer: Authority;
  beforeAll(async () => {
    importer = await newAuthority(ctx.services, 'Importing Borough');
  });
  const importSample = (name: string) => ctx.services.ocds.importFile(TEST_ACTOR, importer.id, { fileName: name, text: fs.readFileSync(SAMPLES + name, 'utf8') });
  const samples = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.json'));

  it('imports every real sample and exports it again with every field the model holds, as a valid package', async () => {
    for (const name of samples) expect((await importSample(name)).errors, name).toEqual([]);
    const pkg = await ctx.services.ocds.releasePackage(importer, 'https://example.org/ocds');
    expectValid('releases', pkg);
    expectValid('records', await ctx.services.ocds.recordPackage(importer, 'https://example.org/ocds'));
    const out = new Map(pkg.releases.map((r) => [`${r.ocid} ${r.id}`, r]));
    for (const name of samples) {
      const file = load(SAMPLES + name) as { releases?: unknown[]; records?: { releases: unknown[] }[] };
      const given = file.releases ?? file.records!.flatMap((r) => r.releases);
      for (const raw of given) {
        const model = toOcds(heldFields(raw)!);
        expect(heldFields(out.get(`${model.ocid} ${model.id}`)), `${name} ${model.id}`).toEqual(heldFields(raw));
        expect(out.get(`${model.ocid} ${model.id}`)).toEqual(model);
      }
    }
    expect(pkg.releases).toHaveLength(70 + 3 + 1 + 1);
    // What the register once left out: payments (a 1.1 one from Paraguay, 1.0-era ones from Mexico City), milestones and contract items.
    type Out = { items?: unknown[]; implementation?: { transactions?: { value?: unknown; amount?: unknown }[]; milestones?: unknown[] } };
    const contractsOut = pkg.releases.flatMap((r) => (r.contracts as Out[] | undefined) ?? []);
    const transactions = contractsOut.flatMap((c) => c.implementation?.transactions ?? []);
    expect(transactions).toContainEqual(expect.objectContaining({ value: { amount: 2372509, currency: 'PYG' } }));
    expect(transactions).toContainEqual(expect.objectContaining({ amount: expect.objectContaining({ currency: 'MXN' }) }));
    expect(contractsOut.some((c) => (c.implementation?.milestones ?? []).length > 0)).toBe(true);
    expect(contractsOut.some((c) => (c.items ?? []).length > 0)).toBe(true);
  });

  it('counts the Contracts Finder package, warns of its defects, and changes nothing the second time', async () => {
    const seq = await auditSeq(importer.id);
    const again = await importSample('uk-contracts-finder_2025-01-23_release-package_part1-of-2.json');
    expect(again).toMatchObject({ releases: 70, tenders: 64, awards: 38, added: 0, updated: 0, unchanged: 70, errors: [] });
    expect(again.warnings).toContain('links that are not web addresses, left out: release dd72aa68-670d-4a3e-b9b4-136d04a5eaf2-819929: tender.documents[1].url: "http://Contract Finder"');
    expect(await auditSeq(importer.id)).toBe(seq);
  });

  it('updates a release a later file changes, and only that one', async () => {
    const fresh = await newAuthority(ctx.services, 'Updating Borough');
    const file = (title: string) => JSON.stringify({ version: '1.1', publisher: { name: 'P' }, releases: [
      { ocid: 'ocds-b5fd17-1', id: 'r1', date: '2025-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender', tender: { id: 't1', title } },
      { ocid: 'ocds-b5fd17-2', id: 'r2', date: '2025-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender', tender: { id: 't2', title: 'Same' } },
    ] });
    expect(await ctx.services.ocds.importFile(TEST_ACTOR, fresh.id, { fileName: 'a.json', text: file('Libraries') })).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    expect(await ctx.services.ocds.importFile(TEST_ACTOR, fresh.id, { fileName: 'b.json', text: file('Libraries and archives') })).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    const pkg = await ctx.services.ocds.releasePackage(fresh, 'https://example.org/ocds');
    expect(pkg.releases.map((r) => (r.tender as { title: string }).title)).toEqual(['Libraries and archives', 'Same']);
  });

  it('reports package-level defects as warnings, not failures', async () => {
    expect((await importSample('mexico-cdmx_release-package_no-version_2017.json')).warnings).toContain('package: no version (read as OCDS 1.1)');
    expect((await importSample('mexico-federal_record-package_mongo-id_2017.json')).warnings).toContain('package: fields outside the standard, ignored: _id');
    const noPublisher = await ctx.services.ocds.importFile(TEST_ACTOR, importer.id, { fileName: 'x.json', text: JSON.stringify({ version: '1.1', releases: [] }) });
    expect(noPublisher).toMatchObject({ releases: 0, warnings: ['package: no publisher name'], errors: [] });
  });

  it('refuses a malformed file whole, naming the release and the field, and writes nothing', async () => {
    const fresh = await newAuthority(ctx.services, 'Careful Borough');
    const good = { ocid: 'ocds-b5fd17-1', id: 'r1', date: '2025-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender', tender: { id: 't1' } };
    const bad = { ocid: 'ocds-b5fd17-2', id: 'r2', date: '2025-13-01', tag: ['tender'], initiationType: 'tender', awards: [{ id: 'a', value: { amount: '12,000', currency: 'GBP' } }] };
    const seq = await auditSeq(fresh.id);
    const report = await ctx.services.ocds.importFile(TEST_ACTOR, fresh.id, { fileName: 'bad.json', text: JSON.stringify({ version: '1.1', publisher: { name: 'P' }, releases: [good, bad] }) });
    expect(report.errors).toEqual(['release r2: date: "2025-13-01" is not a date and time', 'release r2: awards[0].value.amount: "12,000" is not a number']);
    expect(await ctx.database.db.select().from(ocdsReleases).where(eq(ocdsReleases.authorityId, fresh.id))).toEqual([]);
    expect(await auditSeq(fresh.id)).toBe(seq);
    expect((await ctx.services.ocds.importFile(TEST_ACTOR, fresh.id, { fileName: 'x.json', text: '{"releases": [' })).errors[0]).toMatch(/^file: not JSON/);
  });
});
