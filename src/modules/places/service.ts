/** Authorities, their wards, and postcode look-ups. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { authorities, wards } from './tables.ts';
import { latestAuditSeq, recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { findPostcode, isLocalAuthorityCode, isSlug, normalisePostcode, wardsOf, type PostcodePlace } from './rules.ts';
import { postcodeIndex } from './reference.ts';

export type Authority = typeof authorities.$inferSelect;
export type Ward = typeof wards.$inferSelect;

export interface NewAuthority {
  slug: unknown;
  name: unknown;
  gssCode?: unknown;
  isDemo?: boolean;
}

export class PlacesService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Create a council; when its GSS code is in the ONS index its wards come with it. */
  async createAuthority(actor: Actor, input: NewAuthority): Promise<Authority> {
    const slug = text(input.slug).toLowerCase();
    const name = text(input.name);
    const gssCode = text(input.gssCode).toUpperCase() || null;
    const check = new FieldChecker();
    check.check(isSlug(slug), 'slug', 'Enter a short name of 2 to 40 lower-case letters, digits or hyphens, starting with a letter, like lambeth');
    check.check(name.length >= 3 && name.length <= 200, 'name', 'Enter the council’s name, like London Borough of Lambeth');
    if (gssCode) check.check(isLocalAuthorityCode(gssCode), 'gssCode', 'Enter a local authority GSS code, like E09000022');
    check.throwIfAny();

    return this.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: authorities.id }).from(authorities).where(eq(authorities.slug, slug));
      if (existing) throw new ConflictError(`An authority called ${slug} already exists`, { slug: `An authority called ${slug} already exists` });
      const authority: Authority = { id: newId(), slug, name, gssCode, isDemo: input.isDemo ?? false, createdAt: new Date() };
      await tx.insert(authorities).values(authority);
      await recordAudit(tx, actor, { authorityId: authority.id, action: 'authority.create', entityType: 'authority', entityId: authority.id, after: authority });
      const known = gssCode ? wardsOf(postcodeIndex(), gssCode) : [];
      if (known.length > 0) {
        const rows = known.map((w) => ({ id: newId(), authorityId: authority.id, gssCode: w.code, name: w.name }));
        await tx.insert(wards).values(rows);
        await recordAudit(tx, actor, {
          authorityId: authority.id,
          action: 'wards.import',
          entityType: 'authority',
          entityId: authority.id,
          after: { source: 'ONSPD May 2026, December 2025 wards', wards: rows.map((r) => r.gssCode) },
        });
      }
      return authority;
    });
  }

  listAuthorities(): Promise<Authority[]> {
    return this.db.select().from(authorities).orderBy(asc(authorities.name));
  }

  async authorityBySlug(slug: string): Promise<Authority | null> {
    const [row] = await this.db.select().from(authorities).where(eq(authorities.slug, slug.toLowerCase()));
    return row ?? null;
  }

  /** The authority and its audit sequence number (see latestAuditSeq), in one statement: what every /a/… request needs. */
  async authorityWithChangeSeq(slug: string): Promise<{ authority: Authority; changeSeq: number } | null> {
    const [row] = await this.db
      .select({ authority: authorities, changeSeq: latestAuditSeq() })
      .from(authorities)
      .where(eq(authorities.slug, slug.toLowerCase()));
    return row ?? null;
  }

  async authorityById(id: string): Promise<Authority | null> {
    const [row] = await this.db.select().from(authorities).where(eq(authorities.id, id));
    return row ?? null;
  }

  async requireAuthority(slug: string): Promise<Authority> {
    const a = await this.authorityBySlug(slug);
    if (!a) throw new NotFoundError(`No authority called ${slug}`);
    return a;
  }

  listWards(authorityId: string): Promise<Ward[]> {
    return this.db.select().from(wards).where(eq(wards.authorityId, authorityId)).orderBy(asc(wards.name));
  }

  async wardByCode(authorityId: string, gssCode: string): Promise<Ward | null> {
    const [row] = await this.db.select().from(wards).where(and(eq(wards.authorityId, authorityId), eq(wards.gssCode, gssCode.toUpperCase())));
    return row ?? null;
  }

  async wardsByIds(authorityId: string, ids: string[]): Promise<Ward[]> {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(wards)
      .where(and(eq(wards.authorityId, authorityId), sql`${wards.id} in ${ids}`))
      .orderBy(asc(wards.name));
  }

  /** Where a postcode is, from the ONS index; null when the index does not know it. */
  lookupPostcode(input: string): PostcodePlace | null {
    const postcode = normalisePostcode(input);
    return postcode ? findPostcode(postcodeIndex(), postcode) : null;
  }

  /**
   * The authority's ward for a resident's postcode, or a field error saying why not:
   * not a postcode, not one we know, or not in this authority.
   */
  async wardForPostcode(authority: Authority, input: unknown, field = 'postcode'): Promise<{ postcode: string; ward: Ward }> {
    const raw = text(input);
    const postcode = normalisePostcode(raw);
    const check = new FieldChecker();
    if (!raw) check.add(field, 'Enter your postcode');
    else if (!postcode) check.add(field, 'Enter a real postcode, like SW2 1RW');
    check.throwIfAny();
    const place = findPostcode(postcodeIndex(), postcode!);
    const ward = place && place.localAuthorityCode === authority.gssCode ? await this.wardByCode(authority.id, place.wardCode) : null;
    if (!ward) {
      check.add(field, place ? `${postcode} is in ${place.localAuthorityName}, not ${authority.name}` : `${postcode} is not a postcode in ${authority.name}`);
      check.throwIfAny();
    }
    return { postcode: postcode!, ward: ward! };
  }
}
