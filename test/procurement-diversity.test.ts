/**
 * Diversity of supply with spend beside contracts: spend from the published spend file counts for
 * the kind of organisation it was paid to (as a registered supplier when linked to one), by the
 * year it was paid; payments to individuals are not counted; the page shows both by year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supplierKey } from '../src/modules/transparency/suppliers.ts';
import type { Authority } from '../src/modules/places/service.ts';
import { decode, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

const FILE = [
  'Date,Supplier,Amount,Expense Type,Service Area,Transaction Number',
  '11/04/2024,Brixton Friends Together,"2,500.00",Grants,Communities,T1',
  '03/02/2025,Brixton Friends Together,"1,000.00",Grants,Communities,T2',
  '10/02/2025,Northern Paving Company Ltd,"3,000.00",Repairs,Highways,T3',
  '12/02/2025,Mr J Smith,650.00,Care,Adult Social Care,T4',
].join('\r\n');

describe('diversity of supply: spend by year', () => {
  let ctx: TestContext;
  let authority: Authority;

  beforeAll(async () => {
    ctx = await startTestApp();
    const s = ctx.services;
    authority = await newAuthority(s, 'Diverse Borough');
    await s.transparency.importFile(TEST_ACTOR, authority.id, authority.name, { fileName: 'spend.csv', bytes: Buffer.from(FILE) });
    const user = await newUser(s, authority.id, 'community_rep');
    const org = await s.organisations.create(TEST_ACTOR, authority.id, { name: 'Brixton Friends Together', type: 'charity', charityNumber: '1123456' });
    await s.organisationPeople.add(TEST_ACTOR, authority.id, org.id, { email: user.email, roleTitle: 'Chair' });
    await s.procurement.registerSupplier(TEST_ACTOR, authority.id, user.id, { organisationId: org.id, size: 'micro', locality: 'in_area' });
    await s.suppliers.link(TEST_ACTOR, authority.id, { supplierKey: supplierKey({ name: 'Brixton Friends Together', redacted: false, supplierId: null }), organisationId: org.id });
  });
  afterAll(() => ctx.close());

  it('counts spend with a registered supplier as the supplier counts, by year paid, leaving out individuals', async () => {
    const years = await ctx.services.procurement.diversityByYear(authority.id);
    expect(years.map((y) => y.year)).toEqual(['2025', '2024']);
    const [y2025, y2024] = years;
    expect(y2024).toMatchObject({ spendPence: 2_500_00, spendByGroup: { vcs: 2_500_00, sme: 2_500_00, local: 2_500_00, mutual: 0 }, contractPence: 0 });
    // Mr J Smith's £650 is a payment to a person and is not counted.
    expect(y2025!.spendPence).toBe(4_000_00);
    expect(y2025!.spendByGroup.vcs).toBe(1_000_00);
  });

  it('shows contracts and spend by year on the dashboard', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: `/a/${authority.slug}/procurement/diversity` });
    expect(page.statusCode).toBe(200);
    const html = decode(page.body);
    expect(html).toContain('Contracts and spend by year');
    expect(html).toMatch(/<td[^>]*>2024<\/td>[\s\S]*?£2,500[\s\S]*?0%, 100%/);
  });
});
