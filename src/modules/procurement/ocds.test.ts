import { describe, expect, it } from 'vitest';
import { compileRecords, deriveReleases, heldFields, londonMidnight, merge, readPackage, summarise, toOcds, type OcdsModel, type Release } from './ocds.ts';

const supplier = { id: 's1', name: 'Brixton Friends Together', type: 'charity', size: 'micro', locality: 'in_area', charityNumber: '1123456', companyNumber: null };
const model = (over: Partial<OcdsModel> = {}): OcdsModel => ({
  prefix: 'ocds-abc123',
  authority: { slug: 'lambeth', name: 'London Borough of Lambeth' },
  tenders: [{
    id: 't1', ref: 'T-2026-001', title: 'Befriending', description: 'Weekly visits', cpvCode: '85311000-2', contractType: 'light_touch', valueExVatPence: 150_000_00, aboveThreshold: false,
    procedure: 'open', reservedForMutuals: false, termMonths: 24, startsOn: '2026-07-01', publishedOn: '2026-04-01', closesAt: new Date('2026-05-01T11:00:00Z'), status: 'awarded', cancelledOn: null, lots: [], tendererIds: ['s1'],
  }],
  awards: [{ id: 'a1', tenderId: 't1', lotId: null, decidedAt: new Date('2026-05-20T10:00:00Z'), awardNoticeOn: '2026-05-20', supplierIds: ['s1'] }],
  contracts: [{
    id: 'c1', ref: 'C-2026-001', tenderId: 't1', awardId: 'a1', title: 'Befriending', description: 'Weekly visits', supplierId: 's1', valuePence: 120_000_00, startsOn: '2026-06-02', endsOn: '2028-06-01',
    createdAt: new Date('2026-05-20T10:00:00Z'), changes: [{ id: 'ch1', kind: 'variation', madeOn: '2026-05-20', newEndsOn: null, valueChangePence: 5_000_00, reason: 'A fourth round' }], payments: [],
  }],
  suppliers: [supplier],
  ...over,
});

const oneTenderer = { numberOfTenderers: 1, tenderers: [{ id: 'GB-CHC-1123456', name: 'Brixton Friends Together' }] };

describe('releases derived from the register', () => {
  it('gives one release per event with its tag, in the order the events happened', () => {
    const rs = deriveReleases(model());
    expect(rs.map((r) => [r.tag[0], r.date])).toEqual([
      ['tender', '2026-04-01T00:00:00+01:00'],
      ['award', '2026-05-20T10:00:00.000Z'],
      // Signed the same instant as the award, and varied the same day: each a second after the last.
      ['contract', '2026-05-20T10:00:01.000Z'],
      ['contractAmendment', '2026-05-20T10:00:02.000Z'],
    ]);
    expect(new Set(rs.map((r) => r.ocid))).toEqual(new Set(['ocds-abc123-T-2026-001']));
    expect(deriveReleases(model())).toEqual(rs);
  });

  it('names suppliers by charity or company number, with their scale and VCSE status', () => {
    const award = deriveReleases(model({ suppliers: [supplier] }))[1]!;
    expect((award.parties as unknown[])[1]).toEqual({ id: 'GB-CHC-1123456', name: 'Brixton Friends Together', roles: ['supplier', 'tenderer'], identifier: { scheme: 'GB-CHC', id: '1123456', legalName: 'Brixton Friends Together' }, details: { scale: 'micro', vcse: true } });
    const company = { ...supplier, type: 'private_company', size: 'large', charityNumber: null, companyNumber: '01234567' };
    expect((deriveReleases(model({ suppliers: [company] }))[1]!.parties as unknown[])[1]).toMatchObject({ id: 'GB-COH-01234567', details: { scale: 'large', vcse: false } });
  });

  it('marks a below-threshold tender suitable for SMEs and VCSEs, and an above-threshold one only if reserved for mutuals', () => {
    const [below] = deriveReleases(model());
    expect((below!.tender as { suitability: unknown }).suitability).toEqual({ sme: true, vcse: true });
    const above = (reserved: boolean) => deriveReleases(model({ tenders: [{ ...model().tenders[0]!, aboveThreshold: true, reservedForMutuals: reserved }] }))[0]!.tender as { suitability: unknown };
    expect(above(false).suitability).toEqual({ sme: false, vcse: false });
    expect(above(true).suitability).toEqual({ sme: false, vcse: true });
  });

  it('releases a cancellation, and a contract amendment with the value and end date after it', () => {
    const cancelled = deriveReleases(model({ tenders: [{ ...model().tenders[0]!, status: 'cancelled', cancelledOn: '2026-05-02' }], awards: [], contracts: [] }));
    expect(cancelled.map((r) => r.tag[0])).toEqual(['tender', 'tenderCancellation']);
    expect(cancelled[1]!.tender).toEqual({ id: 'T-2026-001', status: 'cancelled' });
    const extended = model();
    extended.contracts[0]!.changes.push({ id: 'ch2', kind: 'extension', madeOn: '2027-01-10', newEndsOn: '2029-06-01', valueChangePence: 0, reason: 'Review' });
    const last = deriveReleases(extended).at(-1)!;
    expect((last.contracts as unknown[])[0]).toMatchObject({ value: { amount: 125_000_00 }, period: { endDate: '2029-06-01T00:00:00+01:00' }, amendments: [{ id: 'ch1' }, { id: 'ch2', date: '2027-01-10T00:00:00Z', rationale: 'Review' }] });
  });

  it('gives a tender without lots one item, classified by its CPV code', () => {
    const [tender] = deriveReleases(model());
    expect(tender!.tender).toMatchObject({ items: [{ id: '1', description: 'Befriending', classification: { scheme: 'CPV', id: '85311000-2' } }] });
    expect(tender!.tender).not.toHaveProperty('lots');
  });

  it('names who bid only in the award release, after the deadline, each party once with all its roles', () => {
    const loser = { ...supplier, id: 's2', name: 'Stockwell Care Co-op', charityNumber: null, companyNumber: 'IP031234' };
    const base = model();
    const rs = deriveReleases(model({ suppliers: [supplier, loser], tenders: [{ ...base.tenders[0]!, tendererIds: ['s2', 's1'] }] }));
    const [tender, award] = rs;
    expect(tender!.tender).not.toHaveProperty('numberOfTenderers');
    expect(tender!.tender).not.toHaveProperty('tenderers');
    expect(award!.tender).toMatchObject({ numberOfTenderers: 2, tenderers: [{ id: 'GB-COH-IP031234', name: 'Stockwell Care Co-op' }, { id: 'GB-CHC-1123456', name: 'Brixton Friends Together' }] });
    expect((award!.parties as { id: string; roles: string[] }[]).map((p) => [p.id, p.roles])).toEqual([
      ['ocds-abc123-buyer-lambeth', ['buyer']], ['GB-CHC-1123456', ['supplier', 'tenderer']], ['GB-COH-IP031234', ['tenderer']],
    ]);
    const direct = deriveReleases(model({ tenders: [{ ...base.tenders[0]!, procedure: 'direct_award', tendererIds: [] }] }))[1]!;
    expect(direct.tender).not.toHaveProperty('numberOfTenderers');
    expect((direct.parties as { roles: string[] }[]).map((p) => p.roles)).toEqual([['buyer'], ['supplier']]);
  });

  it('gives each lot, an item in it, and each lot’s award related to it; the tender completes with its last lot', () => {
    const lots = [{ id: 'l1', position: 1, title: 'North', valueExVatPence: 60_000_00, notAwardedAt: null }, { id: 'l2', position: 2, title: 'South', valueExVatPence: null, notAwardedAt: null }];
    const base = model();
    const rs = deriveReleases(model({
      tenders: [{ ...base.tenders[0]!, lots }],
      awards: [{ ...base.awards[0]!, lotId: 'l1' }, { ...base.awards[0]!, id: 'a2', lotId: 'l2', decidedAt: new Date('2026-05-27T10:00:00Z') }],
      contracts: [{ ...base.contracts[0]!, changes: [] }, { ...base.contracts[0]!, id: 'c2', ref: 'C-2026-001-L2', awardId: 'a2', changes: [] }],
    }));
    expect(rs[0]!.tender).toMatchObject({
      lots: [{ id: 'L1', title: 'North', status: 'active', value: { amount: 60_000_00, currency: 'GBP' } }, { id: 'L2', title: 'South', status: 'active' }],
      items: [{ id: '1', description: 'North', relatedLot: 'L1', classification: { scheme: 'CPV', id: '85311000-2' } }, { id: '2', description: 'South', relatedLot: 'L2' }],
    });
    expect((rs[0]!.tender as { lots: object[] }).lots[1]).not.toHaveProperty('value');
    const awards = rs.filter((r) => r.tag[0] === 'award');
    expect(awards.map((r) => [(r.awards as { relatedLots: string[] }[])[0]!.relatedLots, r.tender])).toEqual([
      [['L1'], { id: 'T-2026-001', status: 'active', ...oneTenderer, lots: [{ id: 'L1', status: 'complete' }] }],
      [['L2'], { id: 'T-2026-001', status: 'complete', ...oneTenderer, lots: [{ id: 'L2', status: 'complete' }] }],
    ]);
  });

  it('cancels a lot not awarded in a tender update, in order with the other lot’s award, and completes the tender with the last lot settled', () => {
    const base = model();
    const lots = [{ id: 'l1', position: 1, title: 'North', valueExVatPence: null, notAwardedAt: null }, { id: 'l2', position: 2, title: 'South', valueExVatPence: null, notAwardedAt: new Date('2026-05-21T09:00:00Z') }];
    const rs = deriveReleases(model({ tenders: [{ ...base.tenders[0]!, lots }], awards: [{ ...base.awards[0]!, lotId: 'l1', decidedAt: new Date('2026-05-22T10:00:00Z') }], contracts: [] }));
    expect(rs.map((r) => [r.tag[0], r.date, r.tender])).toEqual([
      ['tender', expect.any(String), expect.anything()],
      ['tenderUpdate', '2026-05-21T09:00:00.000Z', { id: 'T-2026-001', status: 'active', lots: [{ id: 'L2', status: 'cancelled' }] }],
      ['award', '2026-05-22T10:00:00.000Z', { id: 'T-2026-001', status: 'complete', ...oneTenderer, lots: [{ id: 'L1', status: 'complete' }] }],
    ]);
  });

  it('cancels the tender with its last lot when no lot was awarded, and every open lot with a tender cancelled whole', () => {
    const base = model();
    const at = (d: string) => new Date(`${d}T09:00:00Z`);
    const none = deriveReleases(model({
      tenders: [{ ...base.tenders[0]!, status: 'cancelled', lots: [{ id: 'l1', position: 1, title: 'North', valueExVatPence: null, notAwardedAt: at('2026-05-21') }, { id: 'l2', position: 2, title: 'South', valueExVatPence: null, notAwardedAt: at('2026-05-22') }] }],
      awards: [], contracts: [],
    }));
    expect(none.map((r) => [r.tag[0], r.tender])).toEqual([
      ['tender', expect.anything()],
      ['tenderUpdate', { id: 'T-2026-001', status: 'active', lots: [{ id: 'L1', status: 'cancelled' }] }],
      ['tenderCancellation', { id: 'T-2026-001', status: 'cancelled', lots: [{ id: 'L2', status: 'cancelled' }] }],
    ]);
    const whole = deriveReleases(model({
      tenders: [{ ...base.tenders[0]!, status: 'cancelled', cancelledOn: '2026-05-23', lots: [{ id: 'l1', position: 1, title: 'North', valueExVatPence: null, notAwardedAt: at('2026-05-21') }, { id: 'l2', position: 2, title: 'South', valueExVatPence: null, notAwardedAt: null }] }],
      awards: [], contracts: [],
    }));
    expect(whole.map((r) => [r.tag[0], r.tender])).toEqual([
      ['tender', expect.anything()],
      ['tenderUpdate', { id: 'T-2026-001', status: 'active', lots: [{ id: 'L1', status: 'cancelled' }] }],
      ['tenderCancellation', { id: 'T-2026-001', status: 'cancelled', lots: [{ id: 'L2', status: 'cancelled' }] }],
    ]);
  });

  it('releases each payment as a transaction of the contract’s implementation, in order with its changes', () => {
    const base = model();
    const rs = deriveReleases(model({ contracts: [{ ...base.contracts[0]!, payments: [{ id: 'p2', paidOn: '2026-08-01', amountPence: 7_500_00 }, { id: 'p1', paidOn: '2026-07-01', amountPence: 10_000_00 }] }] }));
    expect(rs.map((r) => r.tag[0])).toEqual(['tender', 'award', 'contract', 'contractAmendment', 'implementation', 'implementation']);
    const last = rs.at(-1)!;
    expect(last.date).toBe('2026-08-01T00:00:00+01:00');
    expect(last.contracts).toEqual([{
      id: 'C-2026-001', awardID: 'a1',
      implementation: { transactions: [
        { id: 'p1', date: '2026-07-01T00:00:00+01:00', value: { amount: 10_000_00, currency: 'GBP' }, payer: { id: 'ocds-abc123-buyer-lambeth', name: 'London Borough of Lambeth' }, payee: { id: 'GB-CHC-1123456', name: 'Brixton Friends Together' } },
        { id: 'p2', date: '2026-08-01T00:00:00+01:00', value: { amount: 7_500_00, currency: 'GBP' }, payer: { id: 'ocds-abc123-buyer-lambeth', name: 'London Borough of Lambeth' }, payee: { id: 'GB-CHC-1123456', name: 'Brixton Friends Together' } },
      ] },
    }]);
    // In the currency's unit once written out.
    expect(((toOcds(last).contracts as { implementation: { transactions: { value: unknown }[] } }[])[0]!.implementation.transactions[1]!.value)).toEqual({ amount: 7500, currency: 'GBP' });
  });

  it('writes London calendar dates with the offset of the day', () => {
    expect(londonMidnight('2026-01-15')).toBe('2026-01-15T00:00:00Z');
    expect(londonMidnight('2026-07-15')).toBe('2026-07-15T00:00:00+01:00');
  });
});

describe('records', () => {
  const r = (id: string, date: string, body: Record<string, unknown>): Release => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'], ...body });

  it('merges objects by field, lists of objects by id, and removes what a later release sets to null', () => {
    expect(merge({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 4, d: null } })).toEqual({ a: 1, b: { c: 4 } });
    expect(merge({ xs: [{ id: '1', v: 1 }, { id: '2', v: 2 }] }, { xs: [{ id: '2', v: 3 }, { id: '3', v: 4 }] })).toEqual({ xs: [{ id: '1', v: 1 }, { id: '2', v: 3 }, { id: '3', v: 4 }] });
    expect(merge({ roles: ['buyer'] }, { roles: ['supplier'] })).toEqual({ roles: ['supplier'] });
  });

  it('compiles releases in date order whatever order they come in', () => {
    const [record] = compileRecords([r('2', '2026-02-01T00:00:00Z', { tender: { status: 'complete' } }), r('1', '2026-01-01T00:00:00Z', { tender: { status: 'active', title: 'T' } })]);
    expect(record!.releases.map((x) => x.id)).toEqual(['1', '2']);
    expect(record!.compiledRelease).toMatchObject({ id: 'ocds-x-1-compiled-2026-02-01T00:00:00Z', tag: ['compiled'], date: '2026-02-01T00:00:00Z', tender: { status: 'complete', title: 'T' } });
  });
});

describe('reading OCDS files', () => {
  const pkg = (releases: unknown[], meta: Record<string, unknown> = { version: '1.1', publisher: { name: 'P' } }) => JSON.stringify({ ...meta, releases });
  const base = { ocid: 'ocds-x-1', id: 'r1', date: '2025-01-01T00:00:00Z', tag: ['award'], initiationType: 'tender' };

  it('holds amounts in hundredths and gives them back in the currency’s unit', () => {
    const { releases } = readPackage(pkg([{ ...base, awards: [{ id: 'a', value: { amount: 93007.5, currency: 'GBP' } }] }]));
    expect(releases[0]!.awards).toEqual([{ id: 'a', value: { amount: 9300750, currency: 'GBP' } }]);
    expect(toOcds(releases[0]!).awards).toEqual([{ id: 'a', value: { amount: 93007.5, currency: 'GBP' } }]);
  });

  it('keeps lots, items and implementation as publishers give them, OCDS 1.0-era transactions too', () => {
    const release = {
      ...base, tag: ['implementation'],
      tender: { id: 't', lots: [{ id: 'L1', title: 'North', status: 'active', value: { amount: 600, currency: 'GBP' } }], items: [{ id: '1', description: 'Visits', quantity: 10, unit: { name: 'visit', value: { amount: 12.5, currency: 'GBP' } }, relatedLot: 'L1', classification: { scheme: 'CPV', id: '85311000-2' } }] },
      awards: [{ id: 'a', relatedLots: ['L1'], items: [{ id: '1', quantity: 2 }] }],
      contracts: [{
        id: 'c', awardID: 'a', items: [{ id: '1', description: 'Visits' }],
        implementation: {
          transactions: [
            { id: 'tx1', date: '2025-02-01T00:00:00Z', value: { amount: 100.25, currency: 'GBP' }, payer: { id: 'b', name: 'Council' }, payee: { id: 's', name: 'Supplier' } },
            { id: 'tx2', date: '2025-03-01T00:00:00Z', amount: { amount: 50, currency: 'MXN' }, providerOrganization: { id: '0901', legalName: 'Finanzas' }, receiverOrganization: { id: 'CES', legalName: 'Comercializadora' } },
          ],
          milestones: [{ id: 'm1', title: 'Acceptance', dueDate: '2025-01-15T00:00:00Z', status: 'met' }],
        },
      }],
    };
    const { releases, warnings } = readPackage(pkg([release]));
    expect(warnings).toEqual([]);
    const held = releases[0]!;
    expect((held.contracts as { implementation: { transactions: { value?: unknown; amount?: unknown }[] } }[])[0]!.implementation.transactions.map((t) => t.value ?? t.amount)).toEqual([{ amount: 10025, currency: 'GBP' }, { amount: 5000, currency: 'MXN' }]);
    // Written out again, it is the release that came in.
    expect(toOcds(held)).toEqual(release);
    expect(readPackage(pkg([{ ...release, contracts: [{ id: 'c', awardID: 'a', implementation: { transactions: [{ value: { amount: 1 } }] } }] }])).errors).toEqual(['release r1: contracts[0].implementation.transactions[0].id: missing']);
    expect(readPackage(pkg([{ ...release, tender: { id: 't', items: [{ id: '1', quantity: 'ten' }] } }])).errors).toEqual(['release r1: tender.items[0].quantity: "ten" is not a number']);
  });

  it('normalises what can be read one way only, and says so', () => {
    const { releases, warnings } = readPackage(pkg([{ ...base, id: 7, initiationType: undefined, date: '2025-01-01', parties: [{ id: 'p', contactPoint: { email: 'x@example.org' } }] }], {}));
    expect(releases[0]).toMatchObject({ id: '7', initiationType: 'tender', date: '2025-01-01T00:00:00Z', parties: [{ id: 'p' }] });
    expect(warnings).toEqual(['package: no publisher name', 'package: no version (read as OCDS 1.1)', 'dates without a time: 1 read as midnight UTC', 'fields the register does not hold, left out: parties.contactPoint (1)']);
  });

  it('names the release and field of each problem, and returns no release', () => {
    const report = readPackage(pkg([base, { ...base, id: 'r2', tag: ['awarded'], awards: [{ value: { amount: 1.234 } }] }, { id: 'r3' }, { ...base, id: 'r4', date: '2025-02-30T00:00:00Z' }]));
    expect(report.releases).toEqual([]);
    expect(report.errors).toEqual([
      'release r2: tag: "awarded" is not a release tag',
      'release r2: awards[0].value.amount: 1.234 has more than two decimal places',
      'release r2: awards[0].id: missing',
      'release r3: ocid: missing',
      'release r3: date: missing',
      'release r3: tag: missing',
      'release r4: date: "2025-02-30T00:00:00Z" is not a date and time',
    ]);
  });

  it('reads a record package’s embedded releases, and refuses what is not a package', () => {
    const text = JSON.stringify({ version: '1.1', publisher: { name: 'P' }, records: [{ ocid: 'ocds-x-1', releases: [base], compiledRelease: base }] });
    expect(readPackage(text).releases).toEqual([heldFields(base)]);
    expect(readPackage('[1]').errors).toEqual(['file: not an OCDS release package or record package']);
    expect(readPackage('{"data": []}').errors).toEqual(['file: neither "releases" nor "records" is a list']);
  });
});

describe('summaries', () => {
  it('counts each tender, award and contract once, at the value its latest release gives', () => {
    const r = (id: string, date: string, body: Record<string, unknown>) => ({ ocid: 'ocds-x-1', id, date, tag: ['award'], ...body });
    const award = (amount: number) => ({ awards: [{ id: 'a1', value: { amount, currency: 'GBP' } }], tender: { id: 't1' } });
    const later = r('2', '2025-02-01T00:00:00Z', award(150_00));
    expect(summarise([later, r('1', '2025-01-01T00:00:00Z', award(100_00)), { ...r('3', '2025-01-01T00:00:00Z', {}), ocid: 'ocds-x-2', contracts: [{ id: 'c', awardID: 'a' }] }])).toEqual({
      releases: 3, tenders: 1, awards: 1, contracts: 1, awardValue: { GBP: 150_00 },
    });
  });
});
