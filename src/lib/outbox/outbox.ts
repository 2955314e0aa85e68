/**
 * The one way the platform sends a message to a person. Messages are written
 * in the caller's transaction (so a rolled-back change sends nothing), then
 * delivered by SMTP when SMTP_URL is set; otherwise they wait in the local
 * outbox, which administrators read in the UI.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { outboxMessages } from './tables.ts';
import type { Db, Queryable, Tx } from '../db/client.ts';
import { newId } from '../ids.ts';

export interface Message {
  authorityId: string;
  to: string;
  subject: string;
  body: string;
}

export class Outbox {
  private readonly transport: Transporter | null;
  private readonly db: Db;
  private readonly options: { smtpUrl: string | undefined; from: string; logger: Logger };

  constructor(db: Db, options: { smtpUrl: string | undefined; from: string; logger: Logger }) {
    this.db = db;
    this.options = options;
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  }

  get mode(): 'smtp' | 'local' {
    return this.transport ? 'smtp' : 'local';
  }

  async enqueue(tx: Tx, message: Message): Promise<void> {
    await tx.insert(outboxMessages).values({
      id: newId(),
      authorityId: message.authorityId,
      toAddress: message.to,
      subject: message.subject,
      body: message.body,
      createdAt: new Date(),
      transport: this.mode,
    });
  }

  /** Send what is waiting. Called after each change commits, and safe to call at any time. */
  async deliverPending(): Promise<number> {
    if (!this.transport) return 0;
    const pending = await this.db
      .select()
      .from(outboxMessages)
      .where(and(isNull(outboxMessages.sentAt), eq(outboxMessages.transport, 'smtp')))
      .limit(100);
    let sent = 0;
    for (const m of pending) {
      try {
        await this.transport.sendMail({ from: this.options.from, to: m.toAddress, subject: m.subject, text: m.body ?? '' });
        // The body may carry a one-time link: once delivered it is no business of the database.
        await this.db.update(outboxMessages).set({ sentAt: new Date(), body: null, error: null }).where(eq(outboxMessages.id, m.id));
        sent += 1;
      } catch (err) {
        this.options.logger.warn({ messageId: m.id, err: (err as Error).message }, 'outbox delivery failed');
        await this.db.update(outboxMessages).set({ error: (err as Error).message }).where(eq(outboxMessages.id, m.id));
      }
    }
    return sent;
  }

  async list(db: Queryable, authorityId: string, page: { limit: number; offset: number }) {
    const rows = await db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.authorityId, authorityId))
      .orderBy(desc(outboxMessages.createdAt))
      .limit(page.limit)
      .offset(page.offset);
    const [{ total } = { total: 0 }] = await db
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(outboxMessages)
      .where(eq(outboxMessages.authorityId, authorityId));
    return { rows, total };
  }
}
