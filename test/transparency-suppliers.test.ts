/**
 * Supplier resolution through the app: an officer merges two spellings of one supplier and links
 * a supplier to an organisation on the platform; the dashboards group and count by that; every
 * decision is audited; bad or repeated decisions are refused with the GOV.UK error summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { decode, errorSummary, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type Browser, type TestContext } from './helpers.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import type { Authority } from '../src/modules/places/service.ts';

const FILE = [
  'Date,Supplier,Amount,Expense Type,Service Area,Transaction Number',
  '03/04/2024,Acme Highway Services Ltd,"1,200.00",Repairs,Highways,T1',
  '10/04/2024,Acme Highway Servics Limited,800.00,Repairs,Highways,T2',
  '11/04/2024,Brixton Food Bank,"2,500.00",Grants,Communities,T3',
  '12/04/2024,Mr J Smith,650.00,Care,Adult Social Care,T4',
  '15/04/2024,Northern Paving Company Ltd,"1,500.00",Repairs,Highways,T5',
].join('\r\n');

describe('suppliers: merges and organisations', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: Browser;
  let foodBankId: string;
  let elsewhereOrgId: string;
  const url = (path = '') => `/a/${authority.slug}/spending/suppliers${path}`;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    const other = await newAuthority(ctx.services, 'Another Borough');
    await ctx.services.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'april.csv', bytes: Buffer.from(FILE) });
    foodBankId = (await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Brixton Food Bank', type: 'charity', charityNumber: '1123456' })).id;
    elsewhereOrgId = (await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Elsewhere Trust', type: 'charity' })).id;
    officer = await signedInAs(ctx.app, await newUser(ctx.services, authority.id, 'officer'));
  }, 120_000);
  afterAll(() => ctx?.close());

  const audited = async (action: string) => ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, authority.id), eq(auditLog.action, action)));

  it('proposes the two spellings, and an organisation to link, and never names the individual', async () => {
    const page = decode((await officer.get(url())).body);
    expect(page).toContain('Acme Highway Services Ltd · Acme Highway Servics Limited');
    expect(page).toMatch(/differ by one letter/);
    expect(page).toContain('Brixton Food Bank: its name');
    expect(page).not.toContain('Smith');
    expect(page).toContain('A private individual (name withheld)');
  });

  it('refuses a decision without a reason or an answer, naming the fields', async () => {
    const decide = url('/decide?a=name%3Aacme%20highway%20services&b=name%3Aacme%20highway%20servics');
    expect((await officer.get(decide)).statusCode).toBe(200);
    const res = await officer.submit(decide, url('/decisions'), { keyA: 'name:acme highway services', keyB: 'name:acme highway servics', reason: '' });
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toEqual({ decision: 'Choose whether these are the same supplier', reason: 'Say why, in 3 to 2,000 characters, for the auditors' });
    expect(await audited('supplier.merge')).toHaveLength(0);
  });

  it('merges the spellings: the dashboard counts them as one supplier, the proposal goes, and it is audited', async () => {
    const decide = url('/decide?a=name%3Aacme%20highway%20servics&b=name%3Aacme%20highway%20services');
    const res = await officer.submit(decide, url('/decisions'), { keyA: 'name:acme highway servics', keyB: 'name:acme highway services', decision: 'merge', reason: 'Same company; the April file has a typing error' });
    expect(res.statusCode).toBe(303);
    const [entry] = await audited('supplier.merge');
    expect(entry?.reason).toBe('Same company; the April file has a typing error');
    const dashboard = await ctx.services.transparency.dashboard(authority.id, 'spend-over-500');
    expect(dashboard.topSuppliers).toContainEqual({ label: 'Acme Highway Services Ltd', totalPence: 200_000 });
    expect(dashboard.topSuppliers.map((s) => s.label)).not.toContain('Acme Highway Servics Limited');
    expect(decode((await officer.get(url())).body)).not.toContain('Acme Highway Servics Limited ·');
    const again = await officer.submit(decide, url('/decisions'), { keyA: 'name:acme highway services', keyB: 'name:acme highway servics', decision: 'keep-apart', reason: 'Changed my mind' });
    expect(again.statusCode).toBe(400);
    expect(decode(again.body)).toContain('These two suppliers have been decided on already');
  });

  it('links a supplier to an organisation: its spend counts by the organisation’s type, for certain', async () => {
    const before = await ctx.services.transparency.dashboard(authority.id, 'spend-over-500');
    const res = await officer.submit(url(), url('/links'), { supplierKey: 'name:brixton food bank', organisationId: foodBankId });
    expect(res.statusCode).toBe(303);
    expect(await audited('supplier.link')).toHaveLength(1);
    const supplier = await ctx.services.suppliers.supplier(authority.id, 'name:brixton food bank');
    expect(supplier.organisation).toEqual({ id: foodBankId, name: 'Brixton Food Bank' });
    expect(supplier.kind).toMatchObject({ kind: 'vcs', confidence: 'certain' });
    const after = await ctx.services.transparency.dashboard(authority.id, 'spend-over-500');
    const vcs = (d: typeof after) => d.bySupplierType.find((k) => k.label === 'Voluntary and community sector')?.totalPence ?? 0;
    expect(vcs(after)).toBe(250_000);
    expect(vcs(before)).toBe(0); // “Food Bank” is not a word the name rules know: the organisation's record says it
    expect(decode((await officer.get(url())).body)).not.toContain('Brixton Food Bank: its name');
  });

  it('refuses an organisation of another council, and unlinks when asked', async () => {
    const page = url('/supplier?key=name%3Anorthern%20paving%20company');
    expect(decode((await officer.get(page)).body)).toContain('Northern Paving Company Ltd');
    const refused = await officer.submit(page, url('/links'), { supplierKey: 'name:northern paving company', organisationId: elsewhereOrgId });
    expect(refused.statusCode).toBe(400);
    expect(errorSummary(refused.body)).toEqual({ organisationId: 'Choose an organisation of this council' });
    await officer.submit(page, url('/links'), { supplierKey: 'name:brixton food bank', organisationId: '' });
    expect(await audited('supplier.unlink')).toHaveLength(1);
    expect((await ctx.services.suppliers.supplier(authority.id, 'name:brixton food bank')).organisation).toBeNull();
  });

  it('has no page for an individual or a key nobody was paid under', async () => {
    expect((await officer.get(url('/supplier?key=name%3Amr%20j%20smith'))).statusCode).toBe(404);
    expect((await officer.get(url('/supplier?key=name%3Anobody'))).statusCode).toBe(404);
  });
});
