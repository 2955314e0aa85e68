/** People who sign in: accounts, roles, sessions, password resets and API tokens. */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { isUniqueViolation, type Db, type Tx } from '../../lib/db/client.ts';
import { users, roleAssignments, sessions, passwordResets, apiTokens } from '../../lib/auth/tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { hashPassword, verifyPassword } from '../../lib/auth/passwords.ts';
import { isRole, type Principal, type Role } from '../../lib/auth/policy.ts';
import { ConflictError, FieldChecker, text } from '../../lib/errors.ts';
import { hashSecret, newId, newSecret } from '../../lib/ids.ts';
import type { Outbox } from '../../lib/outbox/outbox.ts';
import { isEmail, normaliseEmail, passwordProblem, PASSWORD_RESET_HOURS } from './rules.ts';

export type User = typeof users.$inferSelect;

export interface NewUser {
  authorityId: string;
  email: unknown;
  displayName: unknown;
  password?: unknown;
  roles: Role[];
  postcode?: string | null;
  organisationId?: string | null;
}

/** What the rest of the platform may know of a user (no password hash). */
export type UserSummary = Pick<User, 'id' | 'authorityId' | 'email' | 'displayName' | 'createdAt' | 'disabledAt'> & { roles: Role[] };

export class AccountsService {
  private readonly db: Db;
  private readonly outbox: Outbox;
  private readonly options: { sessionHours: number; baseUrl: string };

  constructor(db: Db, outbox: Outbox, options: { sessionHours: number; baseUrl: string }) {
    this.db = db;
    this.outbox = outbox;
    this.options = options;
  }

  /** Create an account inside the caller's transaction (so joining the co-op can do both at once). */
  async createUserIn(tx: Tx, actor: Actor, input: NewUser): Promise<User> {
    const email = normaliseEmail(text(input.email));
    const displayName = text(input.displayName);
    const password = typeof input.password === 'string' ? input.password : '';
    const check = new FieldChecker();
    check.check(displayName.length >= 1 && displayName.length <= 120, 'displayName', 'Enter your full name');
    check.check(isEmail(email), 'email', 'Enter an email address in the correct format, like name@example.com');
    if (input.password !== undefined) {
      const problem = passwordProblem(password);
      if (problem) check.add('password', problem);
    }
    check.check(input.roles.length > 0 && input.roles.every(isRole), 'roles', 'Choose at least one role');
    check.throwIfAny();

    const emailTaken = () => new ConflictError('An account with that email address already exists', { email: 'An account with that email address already exists. Sign in instead.' });
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (taken) throw emailTaken();
    const user: User = {
      id: newId(),
      authorityId: input.authorityId,
      email,
      displayName,
      passwordHash: input.password !== undefined ? await hashPassword(password) : null,
      postcode: input.postcode ?? null,
      createdAt: new Date(),
      disabledAt: null,
    };
    try {
      await tx.insert(users).values(user);
    } catch (err) {
      // The same form sent twice at once: both passed the check above, only one insert can win.
      if (isUniqueViolation(err, 'users_email_unique')) throw emailTaken();
      throw err;
    }
    const now = new Date();
    await tx.insert(roleAssignments).values(
      input.roles.map((role) => ({ authorityId: input.authorityId, userId: user.id, role, organisationId: input.organisationId ?? null, createdAt: now })),
    );
    await recordAudit(tx, actor, {
      authorityId: input.authorityId,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      after: { ...user, roles: input.roles },
    });
    return user;
  }

  createUser(actor: Actor, input: NewUser): Promise<User> {
    return this.db.transaction((tx) => this.createUserIn(tx, actor, input));
  }

  async rolesOf(userId: string): Promise<Role[]> {
    const rows = await this.db.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.userId, userId));
    return rows.map((r) => r.role).filter(isRole);
  }

  async listUsers(authorityId: string): Promise<UserSummary[]> {
    const rows = await this.db
      .select({
        id: users.id,
        authorityId: users.authorityId,
        email: users.email,
        displayName: users.displayName,
        createdAt: users.createdAt,
        disabledAt: users.disabledAt,
        roles: sql<string[]>`coalesce(array_agg(${roleAssignments.role} order by ${roleAssignments.role}) filter (where ${roleAssignments.role} is not null), '{}')`,
      })
      .from(users)
      .leftJoin(roleAssignments, eq(roleAssignments.userId, users.id))
      .where(eq(users.authorityId, authorityId))
      .groupBy(users.id)
      .orderBy(asc(users.displayName));
    return rows.map((r) => ({ ...r, roles: r.roles.filter(isRole) }));
  }

  /** The authority's person with this email address, for officers acting on someone's behalf (a paper ballot). */
  async userByEmail(authorityId: string, emailInput: unknown): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(and(eq(users.authorityId, authorityId), eq(users.email, normaliseEmail(text(emailInput)))));
    return row ?? null;
  }

  async userById(id: string): Promise<User | null> {
    const [u] = await this.db.select().from(users).where(eq(users.id, id));
    return u ?? null;
  }

  /** Check an e-mail and password; on success open a session and return its token (for the cookie). */
  async signIn(emailInput: unknown, passwordInput: unknown): Promise<{ token: string; user: User }> {
    const email = normaliseEmail(text(emailInput));
    const password = typeof passwordInput === 'string' ? passwordInput : '';
    const check = new FieldChecker();
    check.check(email.length > 0, 'email', 'Enter your email address');
    check.check(password.length > 0, 'password', 'Enter your password');
    check.throwIfAny();
    const [user] = await this.db.select().from(users).where(eq(users.email, email));
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || user.disabledAt) {
      // Same message whichever was wrong, so the form does not reveal who has an account.
      check.add('email', 'Enter a correct email address and password');
      check.throwIfAny();
    }
    const token = await this.openSession(user!, 'user.sign-in');
    return { token, user: user! };
  }

  /** Start a session for someone whose identity is already established; returns the cookie token. */
  async openSession(user: Pick<User, 'id' | 'authorityId'>, reason: 'user.sign-in' | 'user.sign-in-after-joining'): Promise<string> {
    const token = newSecret();
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx.insert(sessions).values({
        tokenHash: hashSecret(token),
        authorityId: user.authorityId,
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.options.sessionHours * 3600_000),
      });
      await recordAudit(tx, { userId: user.id, role: 'self', via: 'web' }, { authorityId: user.authorityId, action: reason, entityType: 'user', entityId: user.id });
    });
    return token;
  }

  async signOut(token: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [s] = await tx.delete(sessions).where(eq(sessions.tokenHash, hashSecret(token))).returning();
      if (s) await recordAudit(tx, { userId: s.userId, role: 'self', via: 'web' }, { authorityId: s.authorityId, action: 'user.sign-out', entityType: 'user', entityId: s.userId });
    });
  }

  /** The principal behind a session cookie, or null if it is unknown, expired or disabled. */
  async principalForSession(token: string): Promise<Principal | null> {
    const [row] = await this.db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, hashSecret(token)), gt(sessions.expiresAt, new Date())));
    if (!row || row.user.disabledAt) return null;
    return this.principalOf(row.user, 'web');
  }

  async principalForApiToken(token: string): Promise<Principal | null> {
    const [row] = await this.db
      .select({ user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt)));
    if (!row || row.user.disabledAt) return null;
    return this.principalOf(row.user, 'api');
  }

  private async principalOf(user: User, via: 'web' | 'api'): Promise<Principal> {
    return { userId: user.id, authorityId: user.authorityId, roles: await this.rolesOf(user.id), displayName: user.displayName, via };
  }

  /** Issue a token for a machine client; the secret is shown once and only its hash is kept. */
  async createApiToken(actor: Actor, userId: string, nameInput: unknown): Promise<{ id: string; token: string }> {
    const name = text(nameInput);
    const check = new FieldChecker();
    check.check(name.length >= 1 && name.length <= 100, 'name', 'Enter a name for the token, like "finance system"');
    check.throwIfAny();
    const user = await this.userById(userId);
    if (!user) throw new ConflictError('No such user');
    const token = `cpt_${newSecret()}`;
    const id = newId();
    await this.db.transaction(async (tx) => {
      await tx.insert(apiTokens).values({ id, authorityId: user.authorityId, userId, name, tokenHash: hashSecret(token), createdAt: new Date() });
      await recordAudit(tx, actor, { authorityId: user.authorityId, action: 'api-token.create', entityType: 'api-token', entityId: id, after: { userId, name } });
    });
    return { id, token };
  }

  /**
   * Send a reset link if the address has an account. Always looks the same to
   * the person asking, so it cannot be used to find out who has an account.
   */
  async requestPasswordReset(emailInput: unknown): Promise<void> {
    const email = normaliseEmail(text(emailInput));
    const check = new FieldChecker();
    check.check(isEmail(email), 'email', 'Enter an email address in the correct format, like name@example.com');
    check.throwIfAny();
    const [user] = await this.db.select().from(users).where(eq(users.email, email));
    if (!user || user.disabledAt) return;
    const token = newSecret();
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx.insert(passwordResets).values({
        tokenHash: hashSecret(token),
        authorityId: user.authorityId,
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + PASSWORD_RESET_HOURS * 3600_000),
      });
      await this.outbox.enqueue(tx, {
        authorityId: user.authorityId,
        to: user.email,
        subject: 'Reset your Coproduce password',
        body:
          `Hello ${user.displayName},\n\nUse this link to choose a new password. It works once, for ${PASSWORD_RESET_HOURS} hours:\n\n` +
          `${this.options.baseUrl}/reset-password/${token}\n\nIf you did not ask to reset your password, you can ignore this email.`,
      });
      await recordAudit(tx, { userId: user.id, role: 'self', via: 'web' }, { authorityId: user.authorityId, action: 'user.password-reset-requested', entityType: 'user', entityId: user.id });
    });
    await this.outbox.deliverPending();
  }

  async resetTokenIsValid(token: string): Promise<boolean> {
    const [row] = await this.db
      .select({ userId: passwordResets.userId })
      .from(passwordResets)
      .where(and(eq(passwordResets.tokenHash, hashSecret(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())));
    return Boolean(row);
  }

  /** Set a new password from a reset link; the link then stops working and every session ends. */
  async resetPassword(token: string, passwordInput: unknown, confirmInput: unknown): Promise<void> {
    const password = typeof passwordInput === 'string' ? passwordInput : '';
    const check = new FieldChecker();
    const problem = passwordProblem(password);
    if (problem) check.add('password', problem);
    check.check(password === confirmInput, 'confirmPassword', 'Passwords do not match');
    check.throwIfAny();
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      const [reset] = await tx
        .update(passwordResets)
        .set({ usedAt: new Date() })
        .where(and(eq(passwordResets.tokenHash, hashSecret(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())))
        .returning();
      if (!reset) {
        check.add('password', 'This reset link has expired or has been used. Ask for a new one.');
        check.throwIfAny();
      }
      await tx.update(users).set({ passwordHash }).where(eq(users.id, reset!.userId));
      await tx.delete(sessions).where(eq(sessions.userId, reset!.userId));
      await recordAudit(tx, { userId: reset!.userId, role: 'self', via: 'web' }, { authorityId: reset!.authorityId, action: 'user.password-reset', entityType: 'user', entityId: reset!.userId });
    });
  }
}
