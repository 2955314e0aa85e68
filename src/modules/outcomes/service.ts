/** Outcomes the place has agreed. The commissioning module builds indicators and measurements on these. */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { outcomes } from './tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';

export type Outcome = typeof outcomes.$inferSelect;

export class OutcomesService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  list(authorityId: string): Promise<Outcome[]> {
    return this.db.select().from(outcomes).where(eq(outcomes.authorityId, authorityId)).orderBy(asc(outcomes.title));
  }

  async choices(authorityId: string): Promise<[string, string][]> {
    return (await this.list(authorityId)).map((o) => [o.id, o.title]);
  }

  async create(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Outcome> {
    const title = text(raw.title);
    const check = new FieldChecker();
    check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter the outcome, like "People feel safe"');
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: outcomes.id }).from(outcomes).where(and(eq(outcomes.authorityId, authorityId), eq(outcomes.title, title)));
      if (dup) throw new ConflictError('That outcome exists already', { title: 'That outcome exists already' });
      const row: Outcome = { id: newId(), authorityId, title, description: optionalText(raw.description), createdAt: new Date() };
      await tx.insert(outcomes).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'outcome.create', entityType: 'outcome', entityId: row.id, after: row });
      return row;
    });
  }
}
