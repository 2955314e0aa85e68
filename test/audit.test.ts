/**
 * The audit log: appended in the change's own transaction, hash-chained per
 * authority, append-only in the database itself, unforked under concurrent
 * changes, and browsable by administrators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { auditLog } from '../src/lib/audit/tables.ts';
import { organisations } from '../src/modules/organisations/tables.ts';
import { verifyAudit } from '../src/lib/audit/audit.ts';
import { Browser, newAuthority, newUser, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';

describe('audit log', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const entriesOf = (authorityId: string) => ctx.database.db.select().from(auditLog).where(eq(auditLog.authorityId, authorityId)).orderBy(asc(auditLog.seq));

  it('records who, in which role, what, before and after, and why', async () => {
    const authority = await newAuthority(ctx.services);
    const officer = await newUser(ctx.services, authority.id, 'officer');
    const actor = { userId: officer.id, role: 'officer', via: 'web' as const };
    const created = await ctx.services.organisations.create(actor, authority.id, { name: 'Stockwell Good Neighbours', type: 'voluntary_community' });
    await ctx.services.organisations.update(actor, authority.id, created.id, { name: 'Stockwell Good Neighbours CIO', type: 'charity', charityNumber: '1123456' });

    const entries = (await entriesOf(authority.id)).filter((e) => e.entityId === created.id);
    expect(entries.map((e) => e.action)).toEqual(['organisation.create', 'organisation.update']);
    const [, update] = entries;
    expect(update).toMatchObject({ actorUserId: officer.id, actorRole: 'officer', via: 'web', entityType: 'organisation' });
    expect(update!.before).toMatchObject({ name: 'Stockwell Good Neighbours', type: 'voluntary_community' });
    expect(update!.after).toMatchObject({ name: 'Stockwell Good Neighbours CIO', type: 'charity' });
  });

  it('writes nothing, change or record, when a change is refused', async () => {
    const authority = await newAuthority(ctx.services);
    const before = (await entriesOf(authority.id)).length;
    await expect(ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: '', type: 'not-a-type' })).rejects.toThrow();
    await expect(ctx.services.places.createAuthority(TEST_ACTOR, { slug: authority.slug, name: 'Duplicate' })).rejects.toThrow(/already exists/);
    expect(await entriesOf(authority.id)).toHaveLength(before);
    expect(await ctx.database.db.select().from(organisations).where(eq(organisations.authorityId, authority.id))).toHaveLength(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const authority = await newAuthority(ctx.services);
    const [first] = await entriesOf(authority.id);
    const refusal = async (attempt: Promise<unknown>) => {
      try {
        await attempt;
      } catch (err) {
        // Drizzle wraps the database's error; the reason is in its cause.
        return String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
      }
      return 'not refused';
    };
    expect(await refusal(ctx.database.db.update(auditLog).set({ reason: 'rewritten' }).where(eq(auditLog.id, first!.id)))).toMatch(/append-only: UPDATE/);
    expect(await refusal(ctx.database.db.delete(auditLog).where(eq(auditLog.id, first!.id)))).toMatch(/append-only: DELETE/);
    expect(await refusal(ctx.database.db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE/);
    const [still] = await ctx.database.db.select().from(auditLog).where(eq(auditLog.id, first!.id));
    expect(still!.reason).toBe(first!.reason);
  });

  it('keeps one unbroken chain per authority under concurrent changes', async () => {
    const authority = await newAuthority(ctx.services);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: `Concurrent Group ${i}`, type: 'voluntary_community' })),
    );
    const entries = await entriesOf(authority.id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (let i = 1; i < entries.length; i += 1) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    const result = await verifyAudit(ctx.database.db, { authorityId: authority.id });
    expect(result).toMatchObject({ ok: true, entriesChecked: entries.length, problem: null });
  });

  it('detects a rewritten entry, a deleted one and a re-linked one', async () => {
    const authority = await newAuthority(ctx.services);
    for (let i = 0; i < 4; i += 1) await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: `Tamper Test ${i}`, type: 'charity' });
    const bypass = async (statement: ReturnType<typeof sql>) => {
      await ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(statement);
        await tx.execute(sql`alter table audit_log enable trigger user`);
      });
    };
    const id = authority.id;
    const check = () => verifyAudit(ctx.database.db, { authorityId: id });
    expect((await check()).ok).toBe(true);

    await bypass(sql`update audit_log set after = jsonb_set(after, '{name}', '"Someone Else"') where authority_id = ${id} and seq = 4`);
    expect((await check()).problem).toMatchObject({ kind: 'tampered', seq: 4 });

    // Recomputing that entry's own hash does not help: the next entry's link breaks.
    const [row] = await ctx.database.db.select().from(auditLog).where(and(eq(auditLog.authorityId, id), eq(auditLog.seq, 4)));
    const { entryHash } = await import('../src/lib/audit/audit.ts');
    await bypass(sql`update audit_log set hash = ${entryHash(row!.prevHash, row!)} where authority_id = ${id} and seq = 4`);
    expect((await check()).problem).toMatchObject({ kind: 'broken-link', seq: 5 });

    await bypass(sql`delete from audit_log where authority_id = ${id} and seq = 2`);
    expect((await check()).problem).toMatchObject({ kind: 'missing', seq: 3 });
  });

  it('lets administrators browse and filter their own authority’s log, and no one else', async () => {
    const authority = await newAuthority(ctx.services);
    const admin = await newUser(ctx.services, authority.id, 'admin');
    const officer = await newUser(ctx.services, authority.id, 'officer');
    await ctx.services.organisations.create({ userId: officer.id, role: 'officer', via: 'web' }, authority.id, { name: 'Filterable Trust', type: 'charity' });
    const other = await newAuthority(ctx.services);
    await ctx.services.organisations.create(TEST_ACTOR, other.id, { name: 'Another Council Trust', type: 'charity' });

    const browser = new Browser(ctx.app);
    await browser.signIn(admin.email);
    const all = await browser.get('/admin/audit');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('organisation.create');
    expect(all.body).toContain('authority.create');
    expect(all.body).not.toContain('Another Council Trust');

    const filtered = await browser.get('/admin/audit?action=organisation.create');
    expect(filtered.body).toContain('organisation.create');
    expect(filtered.body).not.toContain('wards.import');

    const staff = new Browser(ctx.app);
    await staff.signIn(officer.email);
    expect((await staff.get('/admin/audit')).statusCode).toBe(403);
  });
});
