import { randomUUID, randomBytes, createHash } from 'node:crypto';

/** Primary keys are random UUIDs: portable across engines and safe to back up and restore. */
export const newId = (): string => randomUUID();

/**
 * A UUID version 7 (RFC 9562): the time in milliseconds first, then random bits, so keys made one
 * after another sit side by side in the primary-key index. For bulk tables (a million payments in
 * one import), where random keys scatter every insert across the whole index.
 */
export function newOrderedId(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID's bits 66–127 are random and its variant bits are already RFC 9562's '10'.
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** An unguessable secret for a session, reset link or API token (256 bits, URL-safe). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as hashes, so a database leak does not leak sign-ins. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
