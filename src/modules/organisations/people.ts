/**
 * People's roles in organisations: who chairs the tenants' co-operative, who
 * manages the contract at the housing association. Kept to name, e-mail and
 * role title, and shown only to council staff: a resident's part in a local
 * group is personal data, not open data.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { users } from '../../lib/auth/tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { normaliseEmail } from '../accounts/rules.ts';
import { organisationPeople, organisations } from './tables.ts';

export interface OrganisationPerson {
  id: string;
  userId: string;
  displayName: string;
  email: string;
  roleTitle: string;
}

export class OrganisationPeopleService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  list(authorityId: string, organisationId: string): Promise<OrganisationPerson[]> {
    return this.db
      .select({ id: organisationPeople.id, userId: users.id, displayName: users.displayName, email: users.email, roleTitle: organisationPeople.roleTitle })
      .from(organisationPeople)
      .innerJoin(users, eq(users.id, organisationPeople.userId))
      .where(and(eq(organisationPeople.authorityId, authorityId), eq(organisationPeople.organisationId, organisationId)))
      .orderBy(asc(users.displayName), asc(organisationPeople.roleTitle));
  }

  /** The organisations someone has a role in, for their dashboard. */
  forUser(authorityId: string, userId: string) {
    return this.db
      .select({ organisationId: organisations.id, name: organisations.name, roleTitle: organisationPeople.roleTitle })
      .from(organisationPeople)
      .innerJoin(organisations, eq(organisations.id, organisationPeople.organisationId))
      .where(and(eq(organisationPeople.authorityId, authorityId), eq(organisationPeople.userId, userId)))
      .orderBy(asc(organisations.name));
  }

  /** Give someone who already has an account in this authority a role in one of its organisations. */
  async add(actor: Actor, authorityId: string, organisationId: string, input: { email: unknown; roleTitle: unknown }): Promise<OrganisationPerson> {
    const email = normaliseEmail(text(input.email));
    const roleTitle = text(input.roleTitle);
    const check = new FieldChecker();
    check.check(email.length > 0, 'email', 'Enter the email address of the person’s Coproduce account');
    check.check(roleTitle.length >= 2 && roleTitle.length <= 80, 'roleTitle', 'Enter their role, like Chair or Service manager, in 2 to 80 characters');
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      const [organisation] = await tx.select({ id: organisations.id }).from(organisations).where(and(eq(organisations.authorityId, authorityId), eq(organisations.id, organisationId)));
      if (!organisation) throw new NotFoundError('No such organisation');
      const [user] = await tx.select().from(users).where(and(eq(users.authorityId, authorityId), eq(users.email, email)));
      if (!user) {
        check.add('email', 'No one with that email address has an account here. Add them as a user first.');
        check.throwIfAny();
      }
      const [same] = await tx
        .select({ id: organisationPeople.id })
        .from(organisationPeople)
        .where(and(eq(organisationPeople.organisationId, organisationId), eq(organisationPeople.userId, user!.id), eq(organisationPeople.roleTitle, roleTitle)));
      if (same) throw new ConflictError(`${user!.displayName} already has that role here`, { roleTitle: `${user!.displayName} is already ${roleTitle} here` });
      const row = { id: newId(), authorityId, organisationId, userId: user!.id, roleTitle, createdAt: new Date() };
      await tx.insert(organisationPeople).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'organisation.person-add', entityType: 'organisation', entityId: organisationId, after: { userId: user!.id, roleTitle } });
      return { id: row.id, userId: user!.id, displayName: user!.displayName, email: user!.email, roleTitle };
    });
  }

  async remove(actor: Actor, authorityId: string, organisationId: string, personId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [gone] = await tx
        .delete(organisationPeople)
        .where(and(eq(organisationPeople.authorityId, authorityId), eq(organisationPeople.organisationId, organisationId), eq(organisationPeople.id, personId)))
        .returning();
      if (!gone) throw new NotFoundError('That person does not have a role in this organisation');
      await recordAudit(tx, actor, {
        authorityId,
        action: 'organisation.person-remove',
        entityType: 'organisation',
        entityId: organisationId,
        before: { userId: gone.userId, roleTitle: gone.roleTitle },
      });
    });
  }
}
