/** Outcomes the place has agreed, the indicators that show whether they are being achieved, and their figures over time. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { outcomeIndicators, outcomeMeasurements, outcomes } from './tables.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, optionalText, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { PlacesService } from '../places/service.ts';
import { parseIndicator, parseMeasurementsCsv, progressOf, type LineError, type Point, type Progress } from './rules.ts';

export type Outcome = typeof outcomes.$inferSelect;
export type Indicator = typeof outcomeIndicators.$inferSelect;

export interface IndicatorSummary extends Indicator {
  /** The latest figure for the whole place. */
  latest: Point | null;
  progress: Progress;
}

/** A measurements file refused: nothing was taken, and each line not taken says why. */
export class MeasurementsRefusedError extends ValidationError {
  readonly lines: LineError[];
  constructor(lines: LineError[]) {
    const shown = lines.slice(0, 20);
    const more = lines.length - shown.length;
    super(
      { file: `Nothing was imported: ${lines.length === 1 ? 'one line has a problem' : `${lines.length.toLocaleString('en-GB')} lines have problems`}${more > 0 ? ` (the first 20 are listed)` : ''}`, ...Object.fromEntries(shown.map((l) => [`line-${l.line}`, `Line ${l.line}: ${l.reason}`])) },
      'The file was not imported',
    );
    this.lines = lines;
  }
}

/** Rows per insert: four parameters each, far inside PostgreSQL's 65,535. */
const INSERT_BATCH = 1000;

export class OutcomesService {
  private readonly db: Db;
  private readonly places: PlacesService;

  constructor(db: Db, places: PlacesService) {
    this.db = db;
    this.places = places;
  }

  async get(authorityId: string, id: string): Promise<Outcome> {
    const [row] = await this.db.select().from(outcomes).where(and(eq(outcomes.authorityId, authorityId), eq(outcomes.id, id)));
    if (!row) throw new NotFoundError('No such outcome');
    return row;
  }

  /** Each outcome's indicators with where the latest whole-place figure stands. */
  async indicators(authorityId: string, outcomeIds?: string[]): Promise<IndicatorSummary[]> {
    if (outcomeIds && outcomeIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(outcomeIndicators)
      .where(and(eq(outcomeIndicators.authorityId, authorityId), outcomeIds ? inArray(outcomeIndicators.outcomeId, outcomeIds) : undefined))
      .orderBy(asc(outcomeIndicators.title));
    const latest = rows.length
      ? await this.db
          .selectDistinctOn([outcomeMeasurements.indicatorId], { indicatorId: outcomeMeasurements.indicatorId, measuredOn: outcomeMeasurements.measuredOn, value: outcomeMeasurements.value })
          .from(outcomeMeasurements)
          .where(and(eq(outcomeMeasurements.authorityId, authorityId), isNull(outcomeMeasurements.wardId), inArray(outcomeMeasurements.indicatorId, rows.map((r) => r.id))))
          .orderBy(outcomeMeasurements.indicatorId, desc(outcomeMeasurements.measuredOn))
      : [];
    const byIndicator = new Map(latest.map((l) => [l.indicatorId, { measuredOn: l.measuredOn, value: l.value }]));
    return rows.map((r) => {
      const point = byIndicator.get(r.id) ?? null;
      return { ...r, latest: point, progress: progressOf({ direction: r.direction as 'higher' | 'lower', baselineValue: r.baselineValue, targetValue: r.targetValue }, point) };
    });
  }

  /** An indicator's figures, oldest first: the whole place's, or one ward's. */
  async measurements(authorityId: string, indicatorId: string, wardId: string | null = null): Promise<Point[]> {
    return this.db
      .select({ measuredOn: outcomeMeasurements.measuredOn, value: outcomeMeasurements.value })
      .from(outcomeMeasurements)
      .where(and(eq(outcomeMeasurements.authorityId, authorityId), eq(outcomeMeasurements.indicatorId, indicatorId), wardId ? eq(outcomeMeasurements.wardId, wardId) : isNull(outcomeMeasurements.wardId)))
      .orderBy(asc(outcomeMeasurements.measuredOn));
  }

  async addIndicator(actor: Actor, authorityId: string, outcomeId: string, raw: Record<string, unknown>): Promise<Indicator> {
    const input = parseIndicator(raw);
    await this.get(authorityId, outcomeId);
    return this.db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: outcomeIndicators.id }).from(outcomeIndicators).where(and(eq(outcomeIndicators.authorityId, authorityId), eq(outcomeIndicators.code, input.code)));
      if (dup) throw new ConflictError('An indicator has that code already', { code: 'An indicator has that code already: choose another' });
      const row: Indicator = { id: newId(), authorityId, outcomeId, ...input, createdAt: new Date() };
      await tx.insert(outcomeIndicators).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'outcome.indicator.create', entityType: 'outcome_indicator', entityId: row.id, after: row });
      return row;
    });
  }

  /**
   * Imports a measurements file whole or not at all. A figure already held for the same
   * indicator, place and date is replaced, so the same file twice changes nothing.
   */
  async importMeasurements(actor: Actor, authorityId: string, file: { fileName: string; bytes: Uint8Array }): Promise<{ rows: number; replaced: number }> {
    let csv: string;
    try {
      csv = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    } catch {
      throw new MeasurementsRefusedError([{ line: 1, reason: 'The file is not UTF-8 text: save it as "CSV UTF-8" and try again' }]);
    }
    const [indicators, wardRows] = [await this.db.select({ id: outcomeIndicators.id, code: outcomeIndicators.code }).from(outcomeIndicators).where(eq(outcomeIndicators.authorityId, authorityId)), await this.places.listWards(authorityId)];
    const wardKeys = new Map<string, string>();
    for (const w of wardRows) {
      wardKeys.set(w.gssCode.toLowerCase(), w.id);
      wardKeys.set(w.name.toLowerCase(), w.id);
    }
    const { rows, errors } = parseMeasurementsCsv(csv, { indicators: new Map(indicators.map((i) => [i.code.toLowerCase(), i.id])), wards: wardKeys });
    if (errors.length) throw new MeasurementsRefusedError(errors);
    return this.db.transaction(async (tx) => {
      let replaced = 0;
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        const batch = rows.slice(i, i + INSERT_BATCH).map((r) => ({ id: newId(), authorityId, indicatorId: r.indicatorId, wardId: r.wardId, measuredOn: r.measuredOn, value: r.value, createdAt: new Date() }));
        const written = await tx
          .insert(outcomeMeasurements)
          .values(batch)
          .onConflictDoUpdate({ target: [outcomeMeasurements.indicatorId, outcomeMeasurements.wardId, outcomeMeasurements.measuredOn], set: { value: sql`excluded.value` } })
          .returning({ id: outcomeMeasurements.id });
        // A replaced figure keeps the id it had, so any id returned that was not ours was there already.
        const ours = new Set(batch.map((b) => b.id));
        replaced += written.filter((w) => !ours.has(w.id)).length;
      }
      await recordAudit(tx, actor, { authorityId, action: 'outcome.measurements.import', entityType: 'outcome_measurements_import', entityId: newId(), after: { fileName: file.fileName, rows: rows.length, replaced } });
      return { rows: rows.length, replaced };
    });
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
