import { randomUUID, randomBytes, createHash } from 'node:crypto';

/** Primary keys are random UUIDs: portable across engines and safe to back up and restore. */
export const newId = (): string => randomUUID();

/** An unguessable secret for a session, reset link or API token (256 bits, URL-safe). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as hashes, so a database leak does not leak sign-ins. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
