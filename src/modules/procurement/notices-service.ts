/**
 * The authority's notices: its pipeline (planned procurements and expected spend, for UK1), and
 * the register of every notice due across tenders, contracts and the authority itself, with
 * the days officers record notices as published.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import { financialYearOf, isCalendarDate, londonToday, type CalendarDate } from '../../lib/dates.ts';
import type { ProcurementService } from './service.ts';
import { noticePublications, pipelineSpend, plannedProcurements } from './tables.ts';
import { authorityNotices, isOverdue, parseExpectedSpend, parsePlannedProcurement, pipelineDuty, type NoticeDue } from './rules.ts';

export type PlannedProcurementRow = typeof plannedProcurements.$inferSelect;

export interface RegisterEntry extends NoticeDue {
  /** What the notice is about, its code and due day: how a publication is recorded against it. */
  key: string;
  subject: { kind: 'tender' | 'contract' | 'authority'; id: string | null; ref: string; title: string };
  publishedOn: CalendarDate | null;
  overdue: boolean;
}

export class ProcurementNoticesService {
  private readonly db: Db;
  private readonly procurement: ProcurementService;

  constructor(db: Db, deps: { procurement: ProcurementService }) {
    this.db = db;
    this.procurement = deps.procurement;
  }

  // ---------------------------------------------------------------- the pipeline

  listPlanned(authorityId: string): Promise<PlannedProcurementRow[]> {
    return this.db.select().from(plannedProcurements).where(eq(plannedProcurements.authorityId, authorityId)).orderBy(asc(plannedProcurements.expectedNoticeOn), asc(plannedProcurements.title));
  }

  async getPlanned(authorityId: string, id: string): Promise<PlannedProcurementRow> {
    if (!isUuid(id)) throw new NotFoundError('No such planned procurement');
    const [row] = await this.db.select().from(plannedProcurements).where(and(eq(plannedProcurements.authorityId, authorityId), eq(plannedProcurements.id, id)));
    if (!row) throw new NotFoundError('No such planned procurement');
    return row;
  }

  async addPlanned(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<PlannedProcurementRow> {
    const input = parsePlannedProcurement(raw);
    return this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, ...input, createdAt: new Date() };
      await tx.insert(plannedProcurements).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'pipeline.plan', entityType: 'planned_procurement', entityId: row.id, after: row });
      return row;
    });
  }

  async updatePlanned(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const before = await this.getPlanned(authorityId, id);
    const input = parsePlannedProcurement(raw);
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(plannedProcurements).set(input).where(and(eq(plannedProcurements.authorityId, authorityId), eq(plannedProcurements.id, id))).returning();
      await recordAudit(tx, actor, { authorityId, action: 'pipeline.replan', entityType: 'planned_procurement', entityId: id, before, after });
    });
  }

  async setExpectedSpend(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<void> {
    const { financialYear, expectedSpendPence } = parseExpectedSpend(raw);
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(pipelineSpend).where(and(eq(pipelineSpend.authorityId, authorityId), eq(pipelineSpend.financialYear, financialYear)));
      const row = { authorityId, financialYear, expectedSpendPence, updatedAt: new Date() };
      await tx.insert(pipelineSpend).values(row).onConflictDoUpdate({ target: [pipelineSpend.authorityId, pipelineSpend.financialYear], set: { expectedSpendPence, updatedAt: row.updatedAt } });
      await recordAudit(tx, actor, { authorityId, action: 'pipeline.expected-spend', entityType: 'pipeline', entityId: `${authorityId}:${financialYear}`, before: before ?? null, after: row });
    });
  }

  private spendByYear(authorityId: string) {
    return this.db.select().from(pipelineSpend).where(eq(pipelineSpend.authorityId, authorityId)).orderBy(asc(pipelineSpend.financialYear));
  }

  /** A financial year's pipeline (the current one unless asked): the planned procurements, the expected spend, and whether UK1 is due. */
  async pipeline(authorityId: string, year: number = financialYearOf(londonToday())) {
    const planned = await this.listPlanned(authorityId);
    const spend = await this.spendByYear(authorityId);
    const expectedSpendPence = spend.find((s) => s.financialYear === year)?.expectedSpendPence ?? null;
    return { year, planned, expectedSpendPence, years: spend, duty: pipelineDuty(year, expectedSpendPence, planned) };
  }

  // ---------------------------------------------------------------- the register

  /** Every notice with a due day, earliest first; a notice is overdue once past that day unpublished (today in London). */
  async register(authorityId: string, today: CalendarDate = londonToday()): Promise<RegisterEntry[]> {
    const { subjects, payments } = await this.procurement.allNotices(authorityId);
    const planned = await this.listPlanned(authorityId);
    const duties = (await this.spendByYear(authorityId)).flatMap((s) => pipelineDuty(s.financialYear, s.expectedSpendPence, planned) ?? []);
    const published = new Map((await this.db.select().from(noticePublications).where(eq(noticePublications.authorityId, authorityId))).map((p) => [p.noticeKey, p.publishedOn]));
    const all = [
      ...subjects.flatMap((s) => s.notices.map((n) => ({ n, subject: { kind: s.kind, id: s.id, ref: s.ref, title: s.title } }))),
      ...authorityNotices(duties, payments).map((n) => ({ n, subject: { kind: 'authority' as const, id: null, ref: n.code, title: 'The council' } })),
    ];
    return all
      .filter(({ n }) => n.dueOn !== null && !n.endsOn)
      .map(({ n, subject }) => {
        // A lot's own notice names its lot too, so two lots not awarded the same day are two notices (keys of whole-tender notices are unchanged).
        const key = `${subject.kind}:${subject.id ?? authorityId}:${n.code}${n.lot ? `:${n.lot.id}` : ''}:${n.dueOn}`;
        const publishedOn = n.published ? n.dueOn : (published.get(key) ?? null);
        const entry = { ...n, published: publishedOn !== null, key, subject, publishedOn };
        return { ...entry, overdue: isOverdue(entry, today) };
      })
      .sort((a, b) => a.dueOn!.localeCompare(b.dueOn!) || a.code.localeCompare(b.code) || a.subject.ref.localeCompare(b.subject.ref));
  }

  private async recordTransparencyNotice(actor: Actor, authorityId: string, tenderId: string, publishedOn: string): Promise<void> {
    try {
      await this.procurement.recordTransparencyNotice(actor, authorityId, tenderId, { uk5PublishedOn: publishedOn });
    } catch (err) {
      if (err instanceof ValidationError && err.fields.uk5PublishedOn) throw new ValidationError({ publishedOn: err.fields.uk5PublishedOn });
      throw err;
    }
  }

  /** Record the day a notice in the register was published on the Central Digital Platform. */
  async recordPublished(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<void> {
    const key = text(raw.key);
    const publishedOn = text(raw.publishedOn);
    const today = londonToday();
    const entry = (await this.register(authorityId, today)).find((e) => e.key === key);
    const check = new FieldChecker();
    check.check(!!entry, 'key', 'Select a notice from the register');
    check.check(isCalendarDate(publishedOn) && publishedOn <= today, 'publishedOn', `Enter the day it was published, today or earlier, like ${today}`);
    check.throwIfAny();
    const already = 'That notice is already recorded as published';
    if (entry!.published) throw new ConflictError(already, { key: already });
    // A transparency notice is its direct award's own step before the award: recorded on the tender.
    if (entry!.code === 'UK5' && entry!.subject.kind === 'tender') return this.recordTransparencyNotice(actor, authorityId, entry!.subject.id!, publishedOn);
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, noticeKey: key, publishedOn, recordedBy: actor.userId, recordedAt: new Date() };
      const inserted = await tx.insert(noticePublications).values(row).onConflictDoNothing().returning();
      if (inserted.length === 0) throw new ConflictError(already, { key: already });
      await recordAudit(tx, actor, { authorityId, action: 'notice.published', entityType: 'procurement_notice', entityId: key, after: row });
    });
  }
}
