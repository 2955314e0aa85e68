/** The commissioning cycle: projects moving through Analyse, Plan, Do and Review, their co-design, and the market position statement. */
import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { londonToday, type CalendarDate } from '../../lib/dates.ts';
import type { CatalogueService } from '../catalogue/service.ts';
import { codesignSessions, commissioningOptions, commissioningProjectServices, commissioningProjects, commissioningStageChanges, marketPositionStatements } from './tables.ts';
import {
  STAGE_LABELS,
  editableIn,
  gateProblems,
  isReviewDecision,
  nextStage,
  opensNextCycle,
  parseAnalysis,
  parseHandoff,
  parseOption,
  parsePlan,
  parseProject,
  parseReview,
  parseSession,
  parseStatement,
  type Part,
  type Stage,
} from './rules.ts';

export type Project = typeof commissioningProjects.$inferSelect;
export type CodesignSession = typeof codesignSessions.$inferSelect;
export type AppraisedOption = typeof commissioningOptions.$inferSelect;
export type MarketPositionStatement = typeof marketPositionStatements.$inferSelect;

export interface ProjectView extends Project {
  stage: Stage;
  services: { id: string; name: string; outcomeIds: string[] }[];
  sessions: CodesignSession[];
  options: AppraisedOption[];
  history: (typeof commissioningStageChanges.$inferSelect)[];
  /** What is still needed before it can move on from its stage (field → message). */
  gate: Record<string, string>;
  next: Stage | null;
}

/** The parts of a project edited as one form, with their parsers. */
type FormPart = Exclude<Part, 'sessions' | 'options'>;

export class CommissioningService {
  private readonly db: Db;
  private readonly catalogue: CatalogueService;

  constructor(db: Db, deps: { catalogue: CatalogueService }) {
    this.db = db;
    this.catalogue = deps.catalogue;
  }

  /** Every project, those still running first, with the services each covers. */
  async list(authorityId: string): Promise<(Project & { services: { id: string; name: string }[] })[]> {
    const projects = await this.db
      .select()
      .from(commissioningProjects)
      .where(eq(commissioningProjects.authorityId, authorityId))
      .orderBy(sql`${commissioningProjects.closedOn} is not null`, asc(commissioningProjects.title), asc(commissioningProjects.cycle));
    const links = projects.length ? await this.db.select().from(commissioningProjectServices).where(inArray(commissioningProjectServices.projectId, projects.map((p) => p.id))) : [];
    const names = await this.serviceNames(authorityId, [...new Set(links.map((l) => l.serviceId))]);
    return projects.map((p) => ({ ...p, services: links.filter((l) => l.projectId === p.id).map((l) => ({ id: l.serviceId, name: names.get(l.serviceId)?.name ?? '' })) }));
  }

  private async serviceNames(authorityId: string, ids: string[]) {
    const out = new Map<string, { name: string; outcomeIds: string[] }>();
    for (const id of ids) {
      const s = await this.catalogue.get(authorityId, id);
      out.set(id, { name: s.name, outcomeIds: s.outcomes.map((o) => o.id) });
    }
    return out;
  }

  async get(authorityId: string, id: string): Promise<ProjectView> {
    const [project] = await this.db.select().from(commissioningProjects).where(and(eq(commissioningProjects.authorityId, authorityId), eq(commissioningProjects.id, id)));
    if (!project) throw new NotFoundError('No such commissioning project');
    const links = await this.db.select().from(commissioningProjectServices).where(eq(commissioningProjectServices.projectId, id));
    const names = await this.serviceNames(authorityId, links.map((l) => l.serviceId));
    const sessions = await this.db.select().from(codesignSessions).where(eq(codesignSessions.projectId, id)).orderBy(asc(codesignSessions.heldOn));
    const options = await this.db.select().from(commissioningOptions).where(eq(commissioningOptions.projectId, id)).orderBy(asc(commissioningOptions.model));
    const history = await this.db.select().from(commissioningStageChanges).where(eq(commissioningStageChanges.projectId, id)).orderBy(asc(commissioningStageChanges.createdAt));
    const stage = project.stage as Stage;
    return {
      ...project,
      stage,
      services: links.map((l) => ({ id: l.serviceId, ...names.get(l.serviceId)! })),
      sessions,
      options,
      history,
      gate: project.closedOn ? {} : gateProblems(stage, { ...project, sessions, options: options.map((o) => o.model) }, londonToday()),
      next: project.closedOn ? null : nextStage(stage),
    };
  }

  /** Co-design sessions still to come, across the authority's running projects: when residents can take part. */
  async upcomingSessions(authorityId: string): Promise<(CodesignSession & { projectTitle: string })[]> {
    const rows = await this.db
      .select({ session: codesignSessions, projectTitle: commissioningProjects.title })
      .from(codesignSessions)
      .innerJoin(commissioningProjects, eq(commissioningProjects.id, codesignSessions.projectId))
      .where(and(eq(codesignSessions.authorityId, authorityId), gte(codesignSessions.heldOn, londonToday()), isNull(commissioningProjects.closedOn)))
      .orderBy(asc(codesignSessions.heldOn));
    return rows.map((r) => ({ ...r.session, projectTitle: r.projectTitle }));
  }

  async create(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Project> {
    const input = parseProject(raw);
    try {
      await this.serviceNames(authorityId, input.serviceIds);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError({ serviceIds: 'Choose the services this covers from the list' });
      throw err;
    }
    return this.db.transaction((tx) => this.createIn(tx, actor, authorityId, { ...input, cycle: 1, previousProjectId: null }));
  }

  private async createIn(tx: Tx, actor: Actor, authorityId: string, input: ReturnType<typeof parseProject> & { cycle: number; previousProjectId: string | null }): Promise<Project> {
    const now = new Date();
    const today = londonToday(now);
    const { serviceIds, ...fields } = input;
    const [row] = await tx
      .insert(commissioningProjects)
      .values({ id: newId(), authorityId, ...fields, stage: 'analyse', stageSince: today, createdAt: now, updatedAt: now })
      .returning();
    await tx.insert(commissioningProjectServices).values(serviceIds.map((serviceId) => ({ authorityId, projectId: row!.id, serviceId })));
    await tx.insert(commissioningStageChanges).values({ id: newId(), authorityId, projectId: row!.id, fromStage: null, toStage: 'analyse', changedOn: today, createdAt: now });
    await recordAudit(tx, actor, { authorityId, action: 'commissioning.create', entityType: 'commissioning_project', entityId: row!.id, after: { ...row, serviceIds } });
    return row!;
  }

  private editable(project: ProjectView, part: Part) {
    if (!editableIn(part, project.stage, project.closedOn !== null)) {
      throw new ConflictError(project.closedOn ? 'This cycle is over: its record can no longer change' : `This can only be changed in its own stage; the project is in ${STAGE_LABELS[project.stage]}`);
    }
  }

  /** Records what a stage found or decided: the analysis, the plan, the hand-off or the review. */
  async record(actor: Actor, authorityId: string, id: string, part: FormPart, raw: Record<string, unknown>): Promise<void> {
    const project = await this.get(authorityId, id);
    this.editable(project, part);
    const today = londonToday();
    const fields =
      part === 'analysis' ? parseAnalysis(raw)
      : part === 'plan' ? parsePlan(raw, project.options.map((o) => o.model))
      : part === 'handoff' ? parseHandoff(raw, today)
      : parseReview(raw);
    await this.db.transaction(async (tx) => {
      const before = Object.fromEntries(Object.keys(fields).map((k) => [k, project[k as keyof Project]]));
      await tx.update(commissioningProjects).set({ ...fields, updatedAt: new Date() }).where(eq(commissioningProjects.id, id));
      await recordAudit(tx, actor, { authorityId, action: `commissioning.${part}`, entityType: 'commissioning_project', entityId: id, before, after: fields });
    });
  }

  async addSession(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>): Promise<CodesignSession> {
    const project = await this.get(authorityId, id);
    this.editable(project, 'sessions');
    const input = parseSession(raw, londonToday());
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(codesignSessions).values({ id: newId(), authorityId, projectId: id, stage: project.stage, ...input, createdAt: new Date() }).returning();
      await recordAudit(tx, actor, { authorityId, action: 'commissioning.session', entityType: 'codesign_session', entityId: row!.id, after: row });
      return row!;
    });
  }

  /** Appraises one delivery model; appraising it again replaces the last appraisal. */
  async appraise(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const project = await this.get(authorityId, id);
    this.editable(project, 'options');
    const input = parseOption(raw);
    const before = project.options.find((o) => o.model === input.model) ?? null;
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(commissioningOptions)
        .values({ id: newId(), authorityId, projectId: id, ...input, createdAt: new Date() })
        .onConflictDoUpdate({ target: [commissioningOptions.projectId, commissioningOptions.model], set: { assessment: input.assessment, annualCostPence: input.annualCostPence } })
        .returning();
      await recordAudit(tx, actor, { authorityId, action: 'commissioning.option', entityType: 'commissioning_option', entityId: row!.id, before, after: row });
    });
  }

  /**
   * Moves a project on once its stage has what it needs. Leaving Review ends the cycle; a decision
   * to continue or change opens the next one (a new project in Analyse for the same services).
   */
  async advance(actor: Actor, authorityId: string, id: string): Promise<{ stage: Stage | null; nextProjectId: string | null }> {
    const project = await this.get(authorityId, id);
    if (project.closedOn) throw new ConflictError('This cycle is over already');
    if (Object.keys(project.gate).length) throw new ConflictError(`It cannot move on from ${STAGE_LABELS[project.stage]} yet`, project.gate);
    const now = new Date();
    const today = londonToday(now);
    return this.db.transaction(async (tx) => {
      const to = project.next;
      // Moved on by someone else meanwhile: the stage changes only from the one we checked.
      const moved = await tx
        .update(commissioningProjects)
        .set(to ? { stage: to, stageSince: today, updatedAt: now } : { closedOn: today, updatedAt: now })
        .where(and(eq(commissioningProjects.id, id), eq(commissioningProjects.stage, project.stage), isNull(commissioningProjects.closedOn)))
        .returning({ id: commissioningProjects.id });
      if (moved.length === 0) throw new ConflictError('Someone else has just moved this project on: look at it again');
      await tx.insert(commissioningStageChanges).values({ id: newId(), authorityId, projectId: id, fromStage: project.stage, toStage: to ?? 'closed', changedOn: today, createdAt: now });
      await recordAudit(tx, actor, { authorityId, action: 'commissioning.stage', entityType: 'commissioning_project', entityId: id, before: { stage: project.stage }, after: { stage: to ?? 'closed' } });
      if (to || !isReviewDecision(project.reviewDecision) || !opensNextCycle(project.reviewDecision)) return { stage: to, nextProjectId: null };
      const next = await this.createIn(tx, actor, authorityId, {
        title: project.title,
        summary: project.summary,
        takePart: project.takePart,
        serviceIds: project.services.map((s) => s.id),
        cycle: project.cycle + 1,
        previousProjectId: project.id,
      });
      return { stage: null, nextProjectId: next.id };
    });
  }

  /** The project that follows this one, when its review opened the next cycle. */
  async nextCycleOf(authorityId: string, id: string): Promise<string | null> {
    const [row] = await this.db.select({ id: commissioningProjects.id }).from(commissioningProjects).where(and(eq(commissioningProjects.authorityId, authorityId), eq(commissioningProjects.previousProjectId, id)));
    return row?.id ?? null;
  }

  /** Published market position statements, newest first. */
  statements(authorityId: string): Promise<MarketPositionStatement[]> {
    return this.db.select().from(marketPositionStatements).where(eq(marketPositionStatements.authorityId, authorityId)).orderBy(desc(marketPositionStatements.publishedOn), desc(marketPositionStatements.createdAt));
  }

  async publishStatement(actor: Actor, authorityId: string, raw: Record<string, unknown>, publishedOn: CalendarDate = londonToday()): Promise<MarketPositionStatement> {
    const input = parseStatement(raw);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(marketPositionStatements).values({ id: newId(), authorityId, ...input, publishedOn, createdAt: new Date() }).returning();
      await recordAudit(tx, actor, { authorityId, action: 'commissioning.market-position', entityType: 'market_position_statement', entityId: row!.id, after: row });
      return row!;
    });
  }
}
