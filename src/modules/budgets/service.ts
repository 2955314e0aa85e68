/**
 * Community budgets: rounds and their areas, proposals and officers' review, ballots
 * (online and paper, one counted per person), the count, and Pabulib import and export.
 * Each change is one transaction with its audit entry.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../lib/db/client.ts';
import { isUniqueViolation } from '../../lib/db/client.ts';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, optionalText, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { londonToday } from '../../lib/dates.ts';
import { formatPence, poundsField } from '../../lib/money.ts';
import type { Outbox } from '../../lib/outbox/outbox.ts';
import type { PlacesService } from '../places/service.ts';
import type { MembershipService } from '../membership/service.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import { budgetAreas, budgetAreaWards, budgetBallotChoices, budgetBallots, budgetCommitments, budgetImages, budgetMilestones, budgetProgressUpdates, budgetProposals, budgetResults, budgetRounds } from './tables.ts';
import {
  PHASES,
  PHASE_LABELS,
  acceptsProposals,
  checkBallot,
  checkImage,
  countedCost,
  currentPhase,
  eligibilityProblems,
  isPhase,
  nextPhase,
  optionalDateField,
  parseProgressUpdate,
  parseRoundSettings,
  statusFor,
  reconcileBallots,
  type BallotKind,
  type BallotMarks,
  type EligibilityRule,
  type Phase,
} from './rules.ts';
import { countArea, importPbElection, ruleAppliesTo, writeAreaPb, type AreaBallot, type Explanation } from './count.ts';

export type Round = typeof budgetRounds.$inferSelect;
export type Area = typeof budgetAreas.$inferSelect & { wardIds: string[] };
export type Proposal = typeof budgetProposals.$inferSelect;
export type Result = typeof budgetResults.$inferSelect & { explanation: Explanation };
export type Commitment = typeof budgetCommitments.$inferSelect;
export type Milestone = typeof budgetMilestones.$inferSelect;
export type ProgressUpdate = typeof budgetProgressUpdates.$inferSelect;

/** A commitment as residents see it: the project, who delivers it, its milestones and reports. */
export interface CommitmentView extends Commitment {
  title: string;
  ownerName: string | null;
  milestones: Milestone[];
  updates: ProgressUpdate[];
}

/** A round as pages show it: its phase today (the schedule may have moved it on) and its areas. */
export interface RoundView extends Round {
  phaseNow: Phase;
  areas: Area[];
}

const MAX_BUDGET_PENCE = 10_000_000_000; // £100m: far beyond any community budget, well inside bigint
const MAX_COST_PENCE = 10_000_000_000;

export class BudgetsService {
  private readonly db: Db;
  private readonly places: PlacesService;
  private readonly membership: MembershipService;
  private readonly accounts: AccountsService;
  private readonly outbox: Outbox;
  private readonly organisations: OrganisationsService;

  constructor(db: Db, deps: { places: PlacesService; membership: MembershipService; accounts: AccountsService; outbox: Outbox; organisations: OrganisationsService }) {
    this.db = db;
    this.places = deps.places;
    this.membership = deps.membership;
    this.accounts = deps.accounts;
    this.outbox = deps.outbox;
    this.organisations = deps.organisations;
  }

  // ------------------------------------------------------------------ rounds

  async listRounds(authorityId: string, today = londonToday()): Promise<RoundView[]> {
    const rounds = await this.db.select().from(budgetRounds).where(eq(budgetRounds.authorityId, authorityId)).orderBy(desc(budgetRounds.createdAt));
    const areas = await this.areasOf(rounds.map((r) => r.id));
    return rounds.map((r) => this.view(r, areas, today));
  }

  async getRound(authorityId: string, roundId: string, today = londonToday()): Promise<RoundView> {
    const [round] = await this.db.select().from(budgetRounds).where(and(eq(budgetRounds.authorityId, authorityId), eq(budgetRounds.id, roundId)));
    if (!round) throw new NotFoundError('No such budget round');
    return this.view(round, await this.areasOf([round.id]), today);
  }

  private view(round: Round, areas: Area[], today: string): RoundView {
    return { ...round, phaseNow: currentPhase(round.phase as Phase, round.schedule, today), areas: areas.filter((a) => a.roundId === round.id) };
  }

  private async areasOf(roundIds: string[]): Promise<Area[]> {
    if (roundIds.length === 0) return [];
    const areas = await this.db.select().from(budgetAreas).where(inArray(budgetAreas.roundId, roundIds)).orderBy(asc(budgetAreas.name));
    const links = areas.length ? await this.db.select().from(budgetAreaWards).where(inArray(budgetAreaWards.areaId, areas.map((a) => a.id))) : [];
    return areas.map((a) => ({ ...a, wardIds: links.filter((l) => l.areaId === a.id).map((l) => l.wardId) }));
  }

  /** Create a round with its first area (more can be added before voting). */
  async createRound(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<RoundView> {
    const settings = parseRoundSettings(raw, ruleAppliesTo);
    const area = await this.parseArea(authorityId, raw);
    return this.db.transaction(async (tx) => {
      const now = new Date();
      const round: Round = {
        id: newId(),
        authorityId,
        title: settings.title,
        description: settings.description,
        phase: PHASES[0],
        schedule: settings.schedule,
        ballotKind: settings.ballotKind,
        minChoices: settings.minChoices,
        maxChoices: settings.maxChoices,
        maxPoints: settings.maxPoints,
        countingRule: settings.countingRule,
        eligibility: settings.eligibility,
        currency: 'GBP',
        source: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.insert(budgetRounds).values(round);
      await recordAudit(tx, actor, { authorityId, action: 'budget-round.create', entityType: 'budget-round', entityId: round.id, after: round });
      await this.insertArea(tx, actor, round, area);
      return this.view(round, [], londonToday());
    }).then((r) => this.getRound(authorityId, r.id));
  }

  async addArea(actor: Actor, authorityId: string, roundId: string, raw: Record<string, unknown>): Promise<void> {
    const round = await this.getRound(authorityId, roundId);
    if (PHASES.indexOf(round.phaseNow) >= PHASES.indexOf('voting')) throw new ConflictError('Areas cannot be added once voting has begun');
    const area = await this.parseArea(authorityId, raw);
    await this.db.transaction((tx) => this.insertArea(tx, actor, round, area));
  }

  private async parseArea(authorityId: string, raw: Record<string, unknown>) {
    const check = new FieldChecker();
    const name = text(raw.areaName) || 'Whole authority';
    check.check(name.length <= 200, 'areaName', 'The area’s name must be 200 characters or fewer');
    const budgetPence = poundsField(check, 'budget', raw.budget, 'the budget', { min: 100, max: MAX_BUDGET_PENCE });
    const codes = (raw.wardIds === undefined ? [] : [raw.wardIds].flat()).map(text).filter(Boolean);
    const wards = await this.places.wardsByIds(authorityId, codes.filter((c) => /^[0-9a-f-]{36}$/.test(c)));
    check.check(wards.length === codes.length, 'wardIds', 'Choose wards of this council from the list');
    check.throwIfAny();
    return { name, budgetPence, wardIds: wards.map((w) => w.id) };
  }

  private async insertArea(tx: Tx, actor: Actor, round: Round, area: { name: string; budgetPence: number; wardIds: string[] }) {
    const row = { id: newId(), authorityId: round.authorityId, roundId: round.id, name: area.name, budgetPence: area.budgetPence };
    try {
      await tx.insert(budgetAreas).values(row);
    } catch (err) {
      if (isUniqueViolation(err, 'budget_areas_name')) throw new ConflictError('This round already has an area of that name', { areaName: 'This round already has an area of that name' });
      throw err;
    }
    if (area.wardIds.length) await tx.insert(budgetAreaWards).values(area.wardIds.map((wardId) => ({ authorityId: round.authorityId, areaId: row.id, wardId })));
    await recordAudit(tx, actor, { authorityId: round.authorityId, action: 'budget-area.create', entityType: 'budget-round', entityId: round.id, after: { ...row, wardIds: area.wardIds } });
  }

  /**
   * Move a round on to its next phase. Leaving voting counts the votes, in the same
   * transaction, so no ballot can arrive between the close and the count.
   */
  async advance(actor: Actor, authorityId: string, roundId: string, toInput: unknown, reasonInput?: unknown): Promise<RoundView> {
    const to = text(toInput);
    await this.ensureCounted(authorityId, roundId);
    return this.db
      .transaction(async (tx) => {
        const [round] = await tx.select().from(budgetRounds).where(and(eq(budgetRounds.authorityId, authorityId), eq(budgetRounds.id, roundId))).for('update');
        if (!round) throw new NotFoundError('No such budget round');
        const now = currentPhase(round.phase as Phase, round.schedule, londonToday());
        const next = nextPhase(now);
        if (!isPhase(to) || to !== next) {
          throw new ValidationError({ phase: next ? `This round can only move on to ${PHASE_LABELS[next].toLowerCase()}` : 'This round is in its last phase' });
        }
        if (to === 'voting') await this.requireBallotReady(tx, round);
        const [after] = await tx.update(budgetRounds).set({ phase: to, updatedAt: new Date() }).where(eq(budgetRounds.id, round.id)).returning();
        await recordAudit(tx, actor, { authorityId, action: 'budget-round.phase', entityType: 'budget-round', entityId: round.id, before: { phase: now }, after: { phase: to }, reason: optionalText(reasonInput) });
        if (to === 'results') await this.count(tx, actor, after!);
        if (to === 'delivery') await this.commitToWinners(tx, actor, after!);
        return after!;
      })
      .then(() => this.getRound(authorityId, roundId));
  }

  private async requireBallotReady(tx: Tx, round: Round) {
    const pending = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(budgetProposals).where(and(eq(budgetProposals.roundId, round.id), eq(budgetProposals.status, 'submitted')));
    if ((pending[0]?.n ?? 0) > 0) throw new ConflictError(`Review every proposal before voting opens: ${pending[0]!.n} still waiting`, { phase: `Review every proposal before voting opens: ${pending[0]!.n} still waiting` });
    const feasible = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(budgetProposals).where(and(eq(budgetProposals.roundId, round.id), eq(budgetProposals.status, 'feasible')));
    if ((feasible[0]?.n ?? 0) === 0) throw new ConflictError('There are no feasible proposals to vote on', { phase: 'There are no feasible proposals to vote on' });
  }

  // ------------------------------------------------------------------ proposals

  async listProposals(authorityId: string, roundId: string, options: { publicOnly?: boolean } = {}): Promise<Proposal[]> {
    const rows = await this.db
      .select()
      .from(budgetProposals)
      .where(and(eq(budgetProposals.authorityId, authorityId), eq(budgetProposals.roundId, roundId)))
      .orderBy(sql`length(${budgetProposals.ref})`, asc(budgetProposals.ref));
    return options.publicOnly ? rows.filter((p) => p.status !== 'withdrawn') : rows;
  }

  async getProposal(authorityId: string, roundId: string, id: string): Promise<Proposal> {
    const [row] = await this.db.select().from(budgetProposals).where(and(eq(budgetProposals.authorityId, authorityId), eq(budgetProposals.roundId, roundId), eq(budgetProposals.id, id)));
    if (!row) throw new NotFoundError('No such proposal');
    return row;
  }

  /** A resident or community organisation puts a project forward, while the round takes ideas or proposals. */
  async propose(actor: Actor, authorityId: string, roundId: string, raw: Record<string, unknown>, proposer: { userId: string; organisationId: string | null }): Promise<Proposal> {
    const round = await this.getRound(authorityId, roundId);
    if (!acceptsProposals(round.phaseNow)) throw new ConflictError('This round is not taking proposals now', { form: 'This round is not taking proposals now' });
    const check = new FieldChecker();
    const title = text(raw.title);
    const description = text(raw.description);
    check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter a title of 3 to 200 characters');
    check.check(description.length >= 10 && description.length <= 5000, 'description', 'Describe the project in 10 to 5,000 characters');
    const costPence = poundsField(check, 'cost', raw.cost, 'what it would cost', { min: 100, max: MAX_COST_PENCE });
    const areaId = round.areas.length === 1 ? round.areas[0]!.id : text(raw.areaId);
    const area = round.areas.find((a) => a.id === areaId);
    check.check(!!area, 'areaId', 'Choose the area the project is for');
    if (area) check.check(costPence <= area.budgetPence, 'cost', `The project cannot cost more than the area’s whole budget of ${formatPence(area.budgetPence)}`);
    const wardId = text(raw.wardId) || null;
    const wards = await this.places.listWards(authorityId);
    check.check(wardId === null || wards.some((w) => w.id === wardId), 'wardId', 'Choose a ward from the list');
    const image = checkImage(check, raw.image, raw.imageAlt);
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      // Lock the round so two proposals arriving together take different numbers.
      await tx.select({ id: budgetRounds.id }).from(budgetRounds).where(eq(budgetRounds.id, round.id)).for('update');
      const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(budgetProposals).where(eq(budgetProposals.roundId, round.id));
      const now = new Date();
      const proposal: Proposal = {
        id: newId(),
        authorityId,
        roundId: round.id,
        areaId: area!.id,
        ref: String(n + 1),
        title,
        description,
        category: optionalText(raw.category),
        location: optionalText(raw.location),
        wardId,
        costPence,
        assessedCostPence: null,
        proposerUserId: proposer.userId,
        proposerOrganisationId: proposer.organisationId,
        status: 'submitted',
        reviewReason: null,
        reviewedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.insert(budgetProposals).values(proposal);
      const imageId = image ? await this.insertImage(tx, actor, round.id, authorityId, image, { proposalId: proposal.id }) : null;
      await recordAudit(tx, actor, { authorityId, action: 'budget-proposal.create', entityType: 'budget-proposal', entityId: proposal.id, after: { ...proposal, imageId } });
      return proposal;
    });
  }

  /** Officers decide whether a proposal can go on the ballot, with their reason and, if needed, a revised cost; the proposer is told. */
  async review(actor: Actor, authorityId: string, roundId: string, proposalId: string, raw: Record<string, unknown>): Promise<Proposal> {
    const round = await this.getRound(authorityId, roundId);
    if (PHASES.indexOf(round.phaseNow) >= PHASES.indexOf('voting')) throw new ConflictError('Proposals cannot be reviewed once voting has begun', { form: 'Proposals cannot be reviewed once voting has begun' });
    const check = new FieldChecker();
    const decision = text(raw.decision);
    check.check(decision === 'feasible' || decision === 'not_feasible', 'decision', 'Choose whether the project is feasible');
    const reason = text(raw.reason);
    check.check(reason.length >= 3 && reason.length <= 2000, 'reason', 'Give the reason for your decision, so the proposer knows');
    const revised = text(raw.assessedCost) ? poundsField(check, 'assessedCost', raw.assessedCost, 'the revised cost', { min: 100, max: MAX_COST_PENCE }) : null;
    check.throwIfAny();
    // Looked up before the transaction: the embedded database has one connection, which the transaction holds.
    const current = await this.getProposal(authorityId, roundId, proposalId);
    const proposer = current.proposerUserId ? await this.accounts.userById(current.proposerUserId) : null;
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(budgetProposals).where(and(eq(budgetProposals.authorityId, authorityId), eq(budgetProposals.roundId, roundId), eq(budgetProposals.id, proposalId))).for('update');
      if (!before) throw new NotFoundError('No such proposal');
      const area = round.areas.find((a) => a.id === before.areaId)!;
      if (decision === 'feasible' && (revised ?? before.costPence) > area.budgetPence) {
        throw new ValidationError({ assessedCost: `A feasible project must cost no more than the area’s budget of ${formatPence(area.budgetPence)}` });
      }
      const [after] = await tx
        .update(budgetProposals)
        .set({ status: decision, reviewReason: reason, assessedCostPence: revised, reviewedAt: new Date(), updatedAt: new Date() })
        .where(eq(budgetProposals.id, proposalId))
        .returning();
      await recordAudit(tx, actor, { authorityId, action: 'budget-proposal.review', entityType: 'budget-proposal', entityId: proposalId, before, after, reason });
      if (proposer) {
        const verdict = decision === 'feasible' ? `will be on the ballot${revised !== null ? ` at a revised cost of ${formatPence(revised)}` : ''}` : 'cannot go on the ballot';
        await this.outbox.enqueue(tx, {
          authorityId,
          to: proposer.email,
          subject: `Your proposal “${before.title}” ${decision === 'feasible' ? 'is on the ballot' : 'was not found feasible'}`,
          body: `Your proposal “${before.title}” for ${round.title} ${verdict}.\n\nThe officers’ reason: ${reason}\n`,
        });
      }
      return after!;
    });
  }

  // ------------------------------------------------------------------ ballots

  /** The area a member votes in: theirs by ward, or the only one. */
  areaFor(round: RoundView, wardId: string | null): Area | null {
    if (round.areas.length === 1) return round.areas[0]!;
    return round.areas.find((a) => wardId !== null && a.wardIds.includes(wardId)) ?? null;
  }

  async ballotProjects(round: RoundView, areaId: string) {
    const rows = await this.db.select().from(budgetProposals).where(and(eq(budgetProposals.roundId, round.id), eq(budgetProposals.areaId, areaId), eq(budgetProposals.status, 'feasible')));
    return rows.map((p) => ({ id: p.id, ref: p.ref, title: p.title, description: p.description, costPence: countedCost(p) })).sort((a, b) => Number(a.ref) - Number(b.ref));
  }

  /** What a member has voted, to fill in the form again. */
  async ownBallot(roundId: string, voterUserId: string, channel: 'online' | 'paper' = 'online') {
    const [ballot] = await this.db.select().from(budgetBallots).where(and(eq(budgetBallots.roundId, roundId), eq(budgetBallots.voterUserId, voterUserId), eq(budgetBallots.channel, channel)));
    if (!ballot) return null;
    const choices = await this.db.select().from(budgetBallotChoices).where(eq(budgetBallotChoices.ballotId, ballot.id));
    return { ballot, choices };
  }

  /**
   * Record a ballot. Online: the voter's own, replacing any earlier one of theirs.
   * Paper: entered by an officer for the voter, having checked who they are.
   */
  async castBallot(
    actor: Actor,
    authorityId: string,
    roundId: string,
    input: { voterUserId: string; channel: 'online' | 'paper'; marks: BallotMarks; declaredMinimumAge: boolean; officerVerified?: boolean; paperRef?: string | null },
  ): Promise<{ replaced: boolean }> {
    const round = await this.getRound(authorityId, roundId);
    if (round.phaseNow !== 'voting') throw new ConflictError(PHASES.indexOf(round.phaseNow) < PHASES.indexOf('voting') ? 'Voting has not opened yet' : 'Voting has closed', { form: PHASES.indexOf(round.phaseNow) < PHASES.indexOf('voting') ? 'Voting has not opened yet' : 'Voting has closed' });
    const membership = await this.membership.forUser(authorityId, input.voterUserId);
    const area = this.areaFor(round, membership?.wardId ?? null);
    // A paper ballot always needs an officer's check of who the voter is, whatever else the round asks.
    const rules = [...(round.eligibility as EligibilityRule[]), ...(input.channel === 'paper' ? [{ kind: 'officer_verified' as const }] : [])];
    const problems = eligibilityProblems(
      rules,
      { isActiveMember: membership?.status === 'active', wardId: membership?.wardId ?? null, channel: input.channel, declaredMinimumAge: input.declaredMinimumAge, officerVerified: input.officerVerified ?? false },
      area?.wardIds ?? [],
    );
    if (!area) problems.push('No area of this round covers the voter’s ward.');
    if (problems.length) throw new ValidationError({ form: problems.join(' ') }, problems[0]);
    const projects = await this.ballotProjects(round, area!.id);
    const choices = checkBallot({ ballotKind: round.ballotKind as BallotKind, minChoices: round.minChoices, maxChoices: round.maxChoices, maxPoints: round.maxPoints }, input.marks, projects, area!.budgetPence);

    return this.db.transaction(async (tx) => {
      // Voting must still be open when the ballot lands: the close takes this lock too.
      const [locked] = await tx.select({ phase: budgetRounds.phase, schedule: budgetRounds.schedule }).from(budgetRounds).where(eq(budgetRounds.id, round.id)).for('share');
      if (currentPhase(locked!.phase as Phase, locked!.schedule, londonToday()) !== 'voting') throw new ConflictError('Voting has closed', { form: 'Voting has closed' });
      const now = new Date();
      // One ballot per person and channel, held by the unique index: a second one updates the first.
      const [row] = await tx
        .insert(budgetBallots)
        .values({
          id: newId(),
          authorityId,
          roundId: round.id,
          areaId: area!.id,
          voterUserId: input.voterUserId,
          voterRef: null,
          channel: input.channel,
          enteredByUserId: input.channel === 'paper' ? actor.userId : null,
          paperRef: input.paperRef ?? null,
          declaredMinimumAge: input.declaredMinimumAge,
          submittedAt: now,
        })
        .onConflictDoUpdate({
          target: [budgetBallots.roundId, budgetBallots.voterUserId, budgetBallots.channel],
          targetWhere: sql`voter_user_id is not null`,
          set: { areaId: area!.id, submittedAt: now, declaredMinimumAge: input.declaredMinimumAge, enteredByUserId: input.channel === 'paper' ? actor.userId : null, paperRef: input.paperRef ?? null },
        })
        .returning({ id: budgetBallots.id, submittedAt: budgetBallots.submittedAt });
      const previous = await tx.delete(budgetBallotChoices).where(eq(budgetBallotChoices.ballotId, row!.id)).returning({ proposalId: budgetBallotChoices.proposalId });
      await tx.insert(budgetBallotChoices).values(choices.map((c) => ({ authorityId, ballotId: row!.id, ...c })));
      const replaced = previous.length > 0;
      // The audit entry records that a ballot was cast, not how nor which ballot: the vote is secret.
      await recordAudit(tx, actor, {
        authorityId,
        action: replaced ? 'budget-ballot.replace' : 'budget-ballot.cast',
        entityType: 'budget-round',
        entityId: round.id,
        after: { channel: input.channel, areaId: area!.id, choices: choices.length },
      });
      return { replaced };
    });
  }

  /** Ballots so far, by channel, and how many people voted both ways (the paper one then does not count). */
  async turnout(roundId: string) {
    const ballots = await this.db.select({ id: budgetBallots.id, voterUserId: budgetBallots.voterUserId, channel: budgetBallots.channel, areaId: budgetBallots.areaId }).from(budgetBallots).where(eq(budgetBallots.roundId, roundId));
    const { counted, superseded } = reconcileBallots(ballots as AreaBallotRow[]);
    return {
      online: ballots.filter((b) => b.channel === 'online').length,
      paper: ballots.filter((b) => b.channel === 'paper').length,
      imported: ballots.filter((b) => b.channel === 'imported').length,
      counted: counted.length,
      votedBothWays: superseded.length,
    };
  }

  // ------------------------------------------------------------------ the count

  private async areaBallots(db: Db | Tx, areaId: string): Promise<{ counted: AreaBallot[]; superseded: number }> {
    const ballots = (await db.select({ id: budgetBallots.id, voterUserId: budgetBallots.voterUserId, channel: budgetBallots.channel }).from(budgetBallots).where(eq(budgetBallots.areaId, areaId)).orderBy(asc(budgetBallots.id))) as AreaBallotRow[];
    const { counted, superseded } = reconcileBallots(ballots);
    const choices = counted.length ? await db.select().from(budgetBallotChoices).where(inArray(budgetBallotChoices.ballotId, counted.map((b) => b.id))) : [];
    const byBallot = new Map<string, typeof choices>();
    for (const c of choices) byBallot.set(c.ballotId, [...(byBallot.get(c.ballotId) ?? []), c]);
    return { counted: counted.map((b) => ({ id: b.id, choices: (byBallot.get(b.id) ?? []).map((c) => ({ proposalId: c.proposalId, points: c.points, rank: c.rank })) })), superseded: superseded.length };
  }

  /** Count every area of a round by its rule and fix the results (inside the close's transaction). */
  private async count(tx: Tx, actor: Actor, round: Round): Promise<void> {
    const areas = await tx.select().from(budgetAreas).where(eq(budgetAreas.roundId, round.id));
    for (const area of areas) {
      const proposals = await tx.select().from(budgetProposals).where(and(eq(budgetProposals.areaId, area.id), eq(budgetProposals.status, 'feasible')));
      const { counted, superseded } = await this.areaBallots(tx, area.id);
      const outcome = await countArea({ rule: round.countingRule, currency: round.currency, ballotKind: round.ballotKind as BallotKind, budgetPence: area.budgetPence, projects: proposals.map((p) => ({ id: p.id, ref: p.ref, costPence: countedCost(p) })), ballots: counted });
      const result = {
        id: newId(),
        authorityId: round.authorityId,
        roundId: round.id,
        areaId: area.id,
        rule: round.countingRule,
        winners: outcome.winners,
        spentPence: outcome.spentPence,
        ballotsCounted: counted.length,
        paperSuperseded: superseded,
        explanation: outcome.explanation,
        countedAt: new Date(),
      };
      await tx.insert(budgetResults).values(result);
      await recordAudit(tx, actor, { authorityId: round.authorityId, action: 'budget-round.count', entityType: 'budget-round', entityId: round.id, after: { ...result, explanation: undefined } });
    }
  }

  /**
   * A round whose schedule has carried it past voting is closed and counted the first time
   * anyone looks at it, by the platform itself and on the log like any close. Returns the round as it now is.
   */
  async ensureCounted(authorityId: string, roundId: string): Promise<RoundView> {
    const round = await this.getRound(authorityId, roundId);
    if (PHASES.indexOf(round.phaseNow) < PHASES.indexOf('results') || PHASES.indexOf(round.phase as Phase) >= PHASES.indexOf('results')) return round;
    await this.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(budgetRounds).where(eq(budgetRounds.id, round.id)).for('update');
      if (PHASES.indexOf(locked!.phase as Phase) >= PHASES.indexOf('results')) return; // someone else closed it meanwhile
      const [after] = await tx.update(budgetRounds).set({ phase: 'results', updatedAt: new Date() }).where(eq(budgetRounds.id, round.id)).returning();
      await recordAudit(tx, SYSTEM_ACTOR, { authorityId, action: 'budget-round.phase', entityType: 'budget-round', entityId: round.id, before: { phase: locked!.phase }, after: { phase: 'results' }, reason: 'Voting closed on the date set in the schedule' });
      await this.count(tx, SYSTEM_ACTOR, after!);
    });
    return this.getRound(authorityId, roundId);
  }

  async results(authorityId: string, roundId: string): Promise<Result[]> {
    return (await this.db.select().from(budgetResults).where(and(eq(budgetResults.authorityId, authorityId), eq(budgetResults.roundId, roundId)))) as Result[];
  }

  // ------------------------------------------------------------------ delivery

  /** Every winning project becomes a commitment to residents when the round moves to delivery. */
  private async commitToWinners(tx: Tx, actor: Actor, round: Round): Promise<void> {
    const results = await tx.select().from(budgetResults).where(eq(budgetResults.roundId, round.id));
    const now = new Date();
    const rows = results.flatMap((r) =>
      (r.winners as string[]).map((proposalId) => ({ id: newId(), authorityId: round.authorityId, roundId: round.id, proposalId, ownerOrganisationId: null, status: 'not_started', percentComplete: 0, dueOn: null, spendReference: null, createdAt: now, updatedAt: now })),
    );
    if (rows.length === 0) return;
    await tx.insert(budgetCommitments).values(rows).onConflictDoNothing({ target: budgetCommitments.proposalId });
    await recordAudit(tx, actor, { authorityId: round.authorityId, action: 'budget-commitment.create', entityType: 'budget-round', entityId: round.id, after: { commitments: rows.map((r) => r.proposalId) } });
  }

  async listCommitments(authorityId: string, roundId: string): Promise<CommitmentView[]> {
    const rows = await this.db
      .select({ commitment: budgetCommitments, title: budgetProposals.title, ref: budgetProposals.ref })
      .from(budgetCommitments)
      .innerJoin(budgetProposals, eq(budgetProposals.id, budgetCommitments.proposalId))
      .where(and(eq(budgetCommitments.authorityId, authorityId), eq(budgetCommitments.roundId, roundId)))
      .orderBy(sql`length(${budgetProposals.ref})`, asc(budgetProposals.ref));
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.commitment.id);
    const [milestones, updates, owners] = await Promise.all([
      this.db.select().from(budgetMilestones).where(inArray(budgetMilestones.commitmentId, ids)).orderBy(asc(budgetMilestones.dueOn), asc(budgetMilestones.title)),
      this.db.select().from(budgetProgressUpdates).where(inArray(budgetProgressUpdates.commitmentId, ids)).orderBy(desc(budgetProgressUpdates.createdAt)),
      this.organisations.namesByIds(this.db, authorityId, rows.map((r) => r.commitment.ownerOrganisationId).filter((id): id is string => id !== null)),
    ]);
    return rows.map(({ commitment, title }) => ({
      ...commitment,
      title,
      ownerName: commitment.ownerOrganisationId ? (owners.get(commitment.ownerOrganisationId) ?? null) : null,
      milestones: milestones.filter((m) => m.commitmentId === commitment.id),
      updates: updates.filter((u) => u.commitmentId === commitment.id),
    }));
  }

  async getCommitment(authorityId: string, roundId: string, id: string): Promise<CommitmentView> {
    const found = (await this.listCommitments(authorityId, roundId)).find((c) => c.id === id);
    if (!found) throw new NotFoundError('No such project in delivery');
    return found;
  }

  /** Who delivers the project, by when, and the payment that paid for it. */
  async setCommitmentDetails(actor: Actor, authorityId: string, roundId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const check = new FieldChecker();
    const ownerOrganisationId = text(raw.ownerOrganisationId) || null;
    if (ownerOrganisationId) {
      const known = /^[0-9a-f-]{36}$/.test(ownerOrganisationId) ? await this.organisations.namesByIds(this.db, authorityId, [ownerOrganisationId]) : new Map();
      check.check(known.size === 1, 'ownerOrganisationId', 'Choose an organisation of this council from the list');
    }
    const dueOn = optionalDateField(check, 'dueOn', raw.dueOn, 'the date it is due');
    const spendReference = text(raw.spendReference).slice(0, 200) || null;
    check.throwIfAny();
    await this.changeCommitment(actor, authorityId, roundId, id, 'budget-commitment.update', { ownerOrganisationId, dueOn, spendReference });
  }

  /** A progress report, published at once; the project's status follows its per cent complete. */
  async reportProgress(actor: Actor, authorityId: string, roundId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const update = parseProgressUpdate(raw);
    const check = new FieldChecker();
    const photo = checkImage(check, raw.photo, raw.photoAlt, { image: 'photo', alt: 'photoAlt' });
    check.throwIfAny();
    await this.changeCommitment(actor, authorityId, roundId, id, 'budget-commitment.progress', { percentComplete: update.percentComplete, status: statusFor(update.percentComplete) }, async (tx) => {
      const row = { id: newId(), authorityId, commitmentId: id, postedOn: londonToday(), note: update.note, percentComplete: update.percentComplete, postedByUserId: actor.userId, createdAt: new Date() };
      await tx.insert(budgetProgressUpdates).values(row);
      const photoId = photo ? await this.insertImage(tx, actor, roundId, authorityId, photo, { progressUpdateId: row.id }) : null;
      return { ...row, photoId };
    });
  }

  async addMilestone(actor: Actor, authorityId: string, roundId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const check = new FieldChecker();
    const title = text(raw.title);
    check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter the milestone in 3 to 200 characters');
    const dueOn = optionalDateField(check, 'milestoneDueOn', raw.milestoneDueOn, 'the date it is due');
    check.throwIfAny();
    await this.changeCommitment(actor, authorityId, roundId, id, 'budget-milestone.create', {}, async (tx) => {
      const row = { id: newId(), authorityId, commitmentId: id, title, dueOn, doneOn: null };
      await tx.insert(budgetMilestones).values(row);
      return row;
    });
  }

  async completeMilestone(actor: Actor, authorityId: string, roundId: string, id: string, milestoneId: string): Promise<void> {
    await this.changeCommitment(actor, authorityId, roundId, id, 'budget-milestone.done', {}, async (tx) => {
      const done = await tx.update(budgetMilestones).set({ doneOn: londonToday() }).where(and(eq(budgetMilestones.commitmentId, id), eq(budgetMilestones.id, milestoneId))).returning();
      if (done.length === 0) throw new NotFoundError('No such milestone');
      return done[0];
    });
  }

  /** One change to a commitment, with what else goes with it, in one transaction with its audit entry. */
  private async changeCommitment(actor: Actor, authorityId: string, roundId: string, id: string, action: string, set: Partial<Commitment>, also?: (tx: Tx) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(budgetCommitments).where(and(eq(budgetCommitments.authorityId, authorityId), eq(budgetCommitments.roundId, roundId), eq(budgetCommitments.id, id))).for('update');
      if (!before) throw new NotFoundError('No such project in delivery');
      const [after] = await tx.update(budgetCommitments).set({ ...set, updatedAt: new Date() }).where(eq(budgetCommitments.id, id)).returning();
      // What else changed (the report or milestone) goes on the log beside the commitment itself.
      const detail = also ? await also(tx) : undefined;
      await recordAudit(tx, actor, { authorityId, action, entityType: 'budget-commitment', entityId: id, before, after: detail === undefined ? after : { ...after, detail } });
    });
  }

  // ------------------------------------------------------------------ pictures

  private async insertImage(tx: Tx, actor: Actor, roundId: string, authorityId: string, image: { contentType: string; bytes: Uint8Array; altText: string }, owner: { proposalId?: string; progressUpdateId?: string }): Promise<string> {
    const id = newId();
    await tx.insert(budgetImages).values({ id, authorityId, roundId, proposalId: owner.proposalId ?? null, progressUpdateId: owner.progressUpdateId ?? null, contentType: image.contentType, bytes: image.bytes, altText: image.altText, uploadedByUserId: actor.userId, createdAt: new Date() });
    return id;
  }

  /** The pictures of some proposals or progress reports, without their bytes: what a page needs to show them. */
  async picturesOf(authorityId: string, owner: { proposalIds?: string[]; progressUpdateIds?: string[] }) {
    const columns = { id: budgetImages.id, proposalId: budgetImages.proposalId, progressUpdateId: budgetImages.progressUpdateId, altText: budgetImages.altText };
    if (owner.proposalIds?.length) return this.db.select(columns).from(budgetImages).where(and(eq(budgetImages.authorityId, authorityId), inArray(budgetImages.proposalId, owner.proposalIds)));
    if (owner.progressUpdateIds?.length) return this.db.select(columns).from(budgetImages).where(and(eq(budgetImages.authorityId, authorityId), inArray(budgetImages.progressUpdateId, owner.progressUpdateIds)));
    return [];
  }

  async picture(authorityId: string, roundId: string, id: string): Promise<{ contentType: string; bytes: Uint8Array }> {
    const [row] = await this.db.select({ contentType: budgetImages.contentType, bytes: budgetImages.bytes }).from(budgetImages).where(and(eq(budgetImages.authorityId, authorityId), eq(budgetImages.roundId, roundId), eq(budgetImages.id, id)));
    if (!row) throw new NotFoundError('No such picture');
    return row;
  }

  // ------------------------------------------------------------------ Pabulib

  /** The area's ballots as a Pabulib file anyone can re-count, with voter ids that say nothing about who voted. */
  async exportPb(authorityId: string, roundId: string, areaId: string, authorityName: string): Promise<{ fileName: string; text: string }> {
    const round = await this.getRound(authorityId, roundId);
    const area = round.areas.find((a) => a.id === areaId);
    if (!area) throw new NotFoundError('No such area');
    if (round.phaseNow !== 'results' && round.phaseNow !== 'delivery') throw new ConflictError('The ballots can be downloaded once the votes are counted');
    const [result] = await this.db.select().from(budgetResults).where(eq(budgetResults.areaId, area.id));
    const proposals = await this.db.select().from(budgetProposals).where(and(eq(budgetProposals.areaId, area.id), eq(budgetProposals.status, 'feasible')));
    const { counted } = await this.areaBallots(this.db, area.id);
    const text = writeAreaPb({ round, area, authorityName, proposals, ballots: counted, winners: new Set((result?.winners as string[] | undefined) ?? []) });
    const slug = `${round.title}-${area.name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return { fileName: `${slug || 'round'}.pb`, text };
  }

  /**
   * Take a Pabulib election as a closed round (in results): its projects as feasible
   * proposals, its ballots as imported ballots, counted by the chosen rule. All or nothing.
   */
  async importPb(actor: Actor, authorityId: string, input: { fileName: string; text: string; countingRule?: string; title?: string }): Promise<RoundView> {
    const election = importPbElection(input.text, input.fileName, input.countingRule);
    const roundId = await this.db.transaction(async (tx) => {
      const now = new Date();
      const round: Round = {
        id: newId(),
        authorityId,
        title: (input.title || election.title).slice(0, 200),
        description: election.description,
        phase: 'results',
        schedule: {},
        ballotKind: election.ballotKind,
        minChoices: election.minChoices,
        maxChoices: election.maxChoices,
        maxPoints: election.maxPoints,
        countingRule: election.countingRule,
        eligibility: [],
        currency: election.currency,
        source: input.fileName,
        createdAt: now,
        updatedAt: now,
      };
      await tx.insert(budgetRounds).values(round);
      await recordAudit(tx, actor, { authorityId, action: 'budget-round.import', entityType: 'budget-round', entityId: round.id, after: { ...round, projects: election.projects.length, ballots: election.ballots.length } });
      const area = { id: newId(), authorityId, roundId: round.id, name: election.areaName, budgetPence: election.budgetMinor };
      await tx.insert(budgetAreas).values(area);
      const ids = new Map<string, string>();
      const proposals: Proposal[] = election.projects.map((p) => {
        const id = newId();
        ids.set(p.ref, id);
        return { id, authorityId, roundId: round.id, areaId: area.id, ref: p.ref, title: p.title, description: p.description, category: p.category, location: null, wardId: null, costPence: p.costMinor, assessedCostPence: null, proposerUserId: null, proposerOrganisationId: null, status: 'feasible', reviewReason: 'Imported from Pabulib', reviewedAt: now, createdAt: now, updatedAt: now };
      });
      for (const chunk of chunks(proposals, 500)) await tx.insert(budgetProposals).values(chunk);
      const ballots = election.ballots.map((b) => ({ id: newId(), authorityId, roundId: round.id, areaId: area.id, voterUserId: null, voterRef: b.voterRef, channel: 'imported', enteredByUserId: null, paperRef: null, declaredMinimumAge: false, submittedAt: now }));
      for (const chunk of chunks(ballots, 1000)) await tx.insert(budgetBallots).values(chunk);
      const choices = election.ballots.flatMap((b, i) => b.choices.map((c) => ({ authorityId, ballotId: ballots[i]!.id, proposalId: ids.get(c.ref)!, points: c.points, rank: c.rank })));
      for (const chunk of chunks(choices, 2000)) await tx.insert(budgetBallotChoices).values(chunk);
      await this.count(tx, actor, round);
      return round.id;
    });
    return this.getRound(authorityId, roundId);
  }
}

interface AreaBallotRow {
  id: string;
  voterUserId: string | null;
  channel: 'online' | 'paper' | 'imported';
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

