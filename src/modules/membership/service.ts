/** Joining, leaving and counting the council's co-operative. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { isUniqueViolation, type Db } from '../../lib/db/client.ts';
import { coopMemberships } from './tables.ts';
import { users } from '../../lib/auth/tables.ts';
import { wards } from '../places/tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { londonToday } from '../../lib/dates.ts';
import type { PlacesService, Authority } from '../places/service.ts';
import type { AccountsService, User } from '../accounts/service.ts';
import { endProblem, isEndKind, joinProblem, type EndKind } from './rules.ts';

export type Membership = typeof coopMemberships.$inferSelect;

export interface JoinInput {
  postcode: unknown;
  /** The applicant's declaration that they live in the authority's area. */
  confirmResident: unknown;
  /** For someone without an account: their new account's details. */
  displayName?: unknown;
  email?: unknown;
  password?: unknown;
}

export class MembershipService {
  private readonly db: Db;
  private readonly places: PlacesService;
  private readonly accounts: AccountsService;

  constructor(db: Db, places: PlacesService, accounts: AccountsService) {
    this.db = db;
    this.places = places;
    this.accounts = accounts;
  }

  async forUser(authorityId: string, userId: string): Promise<Membership | null> {
    const [row] = await this.db.select().from(coopMemberships).where(and(eq(coopMemberships.authorityId, authorityId), eq(coopMemberships.userId, userId)));
    return row ?? null;
  }

  async countActive(authorityId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(coopMemberships)
      .where(and(eq(coopMemberships.authorityId, authorityId), eq(coopMemberships.status, 'active')));
    return row?.n ?? 0;
  }

  /** Active members per ward: open data, with no one named. */
  async countsByWard(authorityId: string) {
    return this.db
      .select({ wardCode: wards.gssCode, wardName: wards.name, members: sql<number>`count(*)`.mapWith(Number) })
      .from(coopMemberships)
      .innerJoin(wards, eq(wards.id, coopMemberships.wardId))
      .where(and(eq(coopMemberships.authorityId, authorityId), eq(coopMemberships.status, 'active')))
      .groupBy(wards.gssCode, wards.name)
      .orderBy(asc(wards.name));
  }

  /** Members for officers: name, email, ward, status. */
  async list(authorityId: string, page: { limit: number; offset: number }, status?: string) {
    const where = and(eq(coopMemberships.authorityId, authorityId), status ? eq(coopMemberships.status, status) : undefined);
    const [rows, [{ total } = { total: 0 }]] = await Promise.all([
      this.db
        .select({ membership: coopMemberships, name: users.displayName, email: users.email, wardName: wards.name })
        .from(coopMemberships)
        .innerJoin(users, eq(users.id, coopMemberships.userId))
        .leftJoin(wards, eq(wards.id, coopMemberships.wardId))
        .where(where)
        .orderBy(asc(users.displayName), asc(coopMemberships.id))
        .limit(page.limit)
        .offset(page.offset),
      this.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(coopMemberships).where(where),
    ]);
    return { rows, total };
  }

  /**
   * Join the co-operative. A signed-in resident joins as themselves; someone
   * without an account gets one (role: resident) in the same transaction.
   * The postcode must be in the authority: that is what makes them a resident.
   */
  async join(actor: Actor, authority: Authority, userId: string | null, input: JoinInput): Promise<{ user: User; membership: Membership }> {
    const check = new FieldChecker();
    check.check(input.confirmResident === 'yes' || input.confirmResident === true, 'confirmResident', `Confirm that you live in ${authority.name}`);
    let place: Awaited<ReturnType<PlacesService['wardForPostcode']>> | null = null;
    try {
      place = await this.places.wardForPostcode(authority, input.postcode);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const [f, m] of Object.entries(err.fields)) check.add(f, m);
    }
    check.throwIfAny();

    return this.db.transaction(async (tx) => {
      let user: User;
      if (userId) {
        const [existing] = await tx.select().from(users).where(eq(users.id, userId));
        if (!existing) throw new NotFoundError('No such user');
        user = existing;
        await tx.update(users).set({ postcode: place!.postcode }).where(eq(users.id, userId));
      } else {
        user = await this.accounts.createUserIn(tx, actor, {
          authorityId: authority.id,
          displayName: input.displayName,
          email: input.email,
          password: input.password,
          roles: ['resident'],
          postcode: place!.postcode,
        });
      }
      const actingAs: Actor = actor.userId ? actor : { ...actor, userId: user.id, role: 'resident' };
      // Lock the row so two simultaneous rejoins cannot both pass the check. A first join has no row to
      // lock: there the unique index (one membership per person per authority) refuses the second insert.
      const [current] = await tx
        .select()
        .from(coopMemberships)
        .where(and(eq(coopMemberships.authorityId, authority.id), eq(coopMemberships.userId, user.id)))
        .for('update');
      const problem = joinProblem(current ?? null);
      if (problem) throw new ConflictError(problem, { form: problem });
      const values = { wardId: place!.ward.id, status: 'active', joinedOn: londonToday(), endedOn: null, endReason: null, updatedAt: new Date() };
      let membership: Membership;
      if (current) {
        [membership] = (await tx.update(coopMemberships).set(values).where(eq(coopMemberships.id, current.id)).returning()) as [Membership];
      } else {
        membership = { id: newId(), authorityId: authority.id, userId: user.id, ...values };
        try {
          await tx.insert(coopMemberships).values(membership);
        } catch (err) {
          if (!isUniqueViolation(err, 'coop_memberships_one_per_person')) throw err;
          const already = joinProblem({ status: 'active' })!;
          throw new ConflictError(already, { form: already });
        }
      }
      await recordAudit(tx, actingAs, {
        authorityId: authority.id,
        action: current ? 'membership.rejoin' : 'membership.join',
        entityType: 'membership',
        entityId: membership.id,
        before: current ?? null,
        after: membership,
      });
      return { user, membership };
    });
  }

  /** End a membership: withdrawn by the member, or lapsed by an officer, always with a reason. */
  async end(actor: Actor, authorityId: string, membershipId: string, kindInput: unknown, reasonInput: unknown): Promise<Membership> {
    const kind = text(kindInput);
    const reason = text(reasonInput);
    const check = new FieldChecker();
    check.check(isEndKind(kind), 'kind', 'Select whether the membership lapsed or was withdrawn');
    check.check(reason.length >= 3 && reason.length <= 500, 'reason', 'Enter the reason the membership is ending');
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(coopMemberships)
        .where(and(eq(coopMemberships.authorityId, authorityId), eq(coopMemberships.id, membershipId)))
        .for('update');
      const problem = endProblem(current ?? null);
      if (problem) throw new ConflictError(problem, { form: problem });
      const [after] = await tx
        .update(coopMemberships)
        .set({ status: kind as EndKind, endedOn: londonToday(), endReason: reason, updatedAt: new Date() })
        .where(eq(coopMemberships.id, membershipId))
        .returning();
      await recordAudit(tx, actor, { authorityId, action: `membership.${kind}`, entityType: 'membership', entityId: membershipId, before: current, after, reason });
      return after!;
    });
  }
}
