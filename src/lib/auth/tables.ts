import { pgTable, uuid, text, timestamp, primaryKey, index } from 'drizzle-orm/pg-core';
import { authorities } from '../../modules/places/tables.ts';

/** Someone who can sign in. Each belongs to one authority, where their roles apply. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    /** Stored lower-case; unique across the deployment so sign-in needs only the address. */
    email: text('email').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** argon2id; null until the person sets a password through a reset link. */
    passwordHash: text('password_hash'),
    /** Kept only to place a resident in a ward (co-op membership, eligibility). */
    postcode: text('postcode'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [index('users_authority').on(t.authorityId)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: text('role').notNull(),
    /** For community organisation representatives and partner officers: whom they act for. */
    organisationId: uuid('organisation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), index('role_assignments_authority').on(t.authorityId, t.role)],
);

/** Server-side sessions; the cookie holds only a random token whose hash is the key. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    authorityId: uuid('authority_id').notNull().references(() => authorities.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const passwordResets = pgTable('password_resets', {
  tokenHash: text('token_hash').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Bearer tokens for machine clients of the API; they act with their owner's roles. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey(),
  authorityId: uuid('authority_id').notNull().references(() => authorities.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
