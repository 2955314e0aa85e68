/**
 * Sealed bids. A bid's content is encrypted (AES-256-GCM) under a key derived for its tender from
 * the platform's secret, which never reaches the database; so the table holds nothing readable,
 * whoever queries it. The service opens bids only through `openSealed`, which takes the
 * database's own clock and refuses before the deadline.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class SealedBeforeDeadlineError extends Error {}

export class BidSeal {
  private readonly secret: string;

  constructor(secret: string) {
    this.secret = secret;
  }

  private key(tenderId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, tenderId, 'coproduce sealed bid v1', 32));
  }

  /**
   * The tender id (and the lot's, for a bid in a lot) is bound in as associated data, so a sealed
   * bid moved to another tender or another lot will not open. A bid without a lot binds the tender
   * id alone, as every bid did before lots, so those still open.
   */
  private static aad(tenderId: string, lotId: string | null): Buffer {
    return Buffer.from(lotId ? `${tenderId}/${lotId}` : tenderId);
  }

  seal(tenderId: string, lotId: string | null, content: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(tenderId), iv);
    cipher.setAAD(BidSeal.aad(tenderId, lotId));
    const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  /** Open a bid; `dbNow` is the database's clock, so no server's clock can open bids early. */
  openSealed<T>(tenderId: string, lotId: string | null, closesAt: Date, dbNow: Date, sealed: string): T {
    if (dbNow.getTime() < closesAt.getTime()) throw new SealedBeforeDeadlineError('Bids stay sealed until the deadline');
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('Not a sealed bid');
    const decipher = createDecipheriv('aes-256-gcm', this.key(tenderId), Buffer.from(iv, 'base64'));
    decipher.setAAD(BidSeal.aad(tenderId, lotId));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8')) as T;
  }
}
