/**
 * An uploaded file carried from a preview page to its confirm form: gzipped and signed with
 * the cookie secret for one authority. Nothing is held on the server between the two steps,
 * and what is imported is exactly the file that was checked.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.ts';

export function sealUpload(app: FastifyInstance, authorityId: string, content: Uint8Array | string): string {
  return app.signCookie(`${authorityId}:${gzipSync(content).toString('base64url')}`);
}

/** The file's bytes, or a field error on `field` if it did not come back exactly as sealed. */
export function unsealUpload(app: FastifyInstance, authorityId: string, sealed: string, field = 'file'): Buffer {
  const opened = sealed ? app.unsignCookie(sealed) : null;
  if (!opened?.valid || !opened.value?.startsWith(`${authorityId}:`)) {
    throw new ValidationError({ [field]: 'The checked file did not come back intact. Upload it again' });
  }
  try {
    return gunzipSync(Buffer.from(opened.value.slice(authorityId.length + 1), 'base64url'));
  } catch {
    throw new ValidationError({ [field]: 'The checked file did not come back intact. Upload it again' });
  }
}
