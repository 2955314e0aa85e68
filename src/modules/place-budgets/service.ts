/**
 * One place, one budget: public service boards, pooled budgets and their funding streams, the
 * double-entry ledger of every movement of money, the investment fund, and business cases with
 * their realised savings. Each change is one transaction with its audit entry; a movement locks
 * its funding stream's row first, so two movements from one stream queue and cannot overdraw it.
 */
import fs from 'node:fs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../lib/db/client.ts';
import { isUniqueViolation } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { formatPence, type Pence } from '../../lib/money.ts';
import { londonToday } from '../../lib/dates.ts';
import type { Role } from '../../lib/auth/policy.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import type { OutcomesService } from '../outcomes/service.ts';
import { poundsField } from '../../lib/money.ts';
import { businessCases, fundingStreams, ledgerPostings, ledgerTransactions, pooledAllocations, pooledBudgetOutcomes, pooledBudgets, psbBoards, psbPartners, psbRepresentatives, realisedSavings } from './tables.ts';
import { balances, checkBalanced, checkCovered, financialQuarter, isQuarter, MOVEMENTS, postingsFor, quartersOf, reconcile, statement, type Balances, type LedgerEntry, type Movement, type Posting } from './ledger.ts';
import { budgetYear, decisionProblem, parseBoard, parseBudget, parseMovement, parseStream, type DecisionRule } from './rules.ts';
import { caseFromForm } from './case-form.ts';
import { appraise, parseCase, type Appraisal, type Case } from './appraisal.ts';
import { switchingValues, monteCarlo, caseInputs, type MonteCarloResult, type Range, type SwitchingValue } from './sensitivity.ts';
import { readUnitCosts, type UnitCost, type UnitCostDatabase } from './unit-costs.ts';

export type Board = typeof psbBoards.$inferSelect;
export type PooledBudget = typeof pooledBudgets.$inferSelect;
export type Stream = typeof fundingStreams.$inferSelect;
export type Allocation = typeof pooledAllocations.$inferSelect;
export type BusinessCase = typeof businessCases.$inferSelect;

export interface Partner {
  id: string;
  organisationId: string;
  name: string;
  isLead: boolean;
  representatives: { userId: string; displayName: string }[];
}
export interface BoardView extends Board {
  partners: Partner[];
  budgets: PooledBudget[];
}

/** Who is looking: council staff see every partner's money; a representative sees its own partner's (or all, on an open-book board). */
export interface Viewer {
  userId: string | null;
  roles: readonly Role[];
}
const isStaff = (v: Viewer) => v.roles.includes('officer') || v.roles.includes('admin');

export interface StreamView extends Stream {
  partnerName: string;
  balances: Balances;
}
export interface AllocationView extends Allocation {
  partnerName: string;
  streamName: string;
  allocatedPence: Pence;
  spentPence: Pence;
}
export interface BudgetView extends PooledBudget {
  board: BoardView;
  outcomes: { id: string; title: string }[];
  /** Every stream's balances added up: the pool's position, which every partner may see. */
  totals: Balances;
  /** The streams this viewer may see. */
  streams: StreamView[];
  allocations: AllocationView[];
  /** The partners whose money this viewer may move, and see. */
  movable: string[];
  visible: string[];
}

export interface AppraisedCase extends BusinessCase {
  parsed: Case;
  appraisal: Appraisal;
  /** Per agency: the forecast present value of its benefits, and the savings recorded as arrived. */
  savings: { agency: string; forecastPence: Pence; realisedPence: Pence }[];
}
export interface CaseView extends AppraisedCase {
  switching: SwitchingValue[];
  monteCarlo: MonteCarloResult;
}

const MC_RUNS = 2000;
const UNIT_COST_FILE = new URL('../../../../shared/data/unit-costs/gmca-unit-cost-database-v1.4.json', import.meta.url);

export class PlaceBudgetsService {
  private readonly db: Db;
  private readonly accounts: AccountsService;
  private readonly organisations: OrganisationsService;
  private readonly outcomes: OutcomesService;
  private readonly unitCostFile: URL | string;
  private unitCostDb: UnitCostDatabase | null | undefined;

  constructor(db: Db, deps: { accounts: AccountsService; organisations: OrganisationsService; outcomes: OutcomesService; unitCostFile?: URL | string }) {
    this.db = db;
    this.accounts = deps.accounts;
    this.organisations = deps.organisations;
    this.outcomes = deps.outcomes;
    this.unitCostFile = deps.unitCostFile ?? UNIT_COST_FILE;
  }

  // ------------------------------------------------------------------ unit costs

  /** The GMCA database when the deployment has it (../shared/data); null when it does not. */
  unitCosts(): UnitCostDatabase | null {
    if (this.unitCostDb === undefined) this.unitCostDb = fs.existsSync(this.unitCostFile) ? readUnitCosts(JSON.parse(fs.readFileSync(this.unitCostFile, 'utf8'))) : null;
    return this.unitCostDb;
  }

  private unitCost = (code: string): UnitCost | undefined => this.unitCosts()?.entries.find((e) => e.code.toLowerCase() === code.toLowerCase());

  // ------------------------------------------------------------------ boards

  listBoards(authorityId: string): Promise<Board[]> {
    return this.db.select().from(psbBoards).where(eq(psbBoards.authorityId, authorityId)).orderBy(asc(psbBoards.name));
  }

  async getBoard(authorityId: string, boardId: string): Promise<BoardView> {
    const [board] = isUuid(boardId) ? await this.db.select().from(psbBoards).where(and(eq(psbBoards.authorityId, authorityId), eq(psbBoards.id, boardId))) : [];
    if (!board) throw new NotFoundError('No such public service board');
    const partners = await this.db.select().from(psbPartners).where(eq(psbPartners.boardId, board.id));
    const names = await this.organisations.namesByIds(this.db, authorityId, partners.map((p) => p.organisationId));
    const reps = partners.length ? await this.db.select().from(psbRepresentatives).where(inArray(psbRepresentatives.partnerId, partners.map((p) => p.id))) : [];
    const people = new Map<string, string>();
    for (const r of reps) if (!people.has(r.userId)) people.set(r.userId, (await this.accounts.userById(r.userId))?.displayName ?? 'Unknown');
    const budgets = await this.db.select().from(pooledBudgets).where(eq(pooledBudgets.boardId, board.id)).orderBy(asc(pooledBudgets.startsOn));
    return {
      ...board,
      budgets,
      partners: partners
        .map((p) => ({ id: p.id, organisationId: p.organisationId, name: names.get(p.organisationId) ?? 'Unknown', isLead: p.isLead, representatives: reps.filter((r) => r.partnerId === p.id).map((r) => ({ userId: r.userId, displayName: people.get(r.userId)! })) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  async createBoard(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Board> {
    const organisationIds = (await this.organisations.choices(authorityId)).map(([id]) => id);
    const input = parseBoard(raw, organisationIds);
    return this.db.transaction(async (tx) => {
      const board: Board = { id: newId(), authorityId, name: input.name, decisionRule: input.decisionRule, leadLimitPence: input.leadLimitPence, openBook: input.openBook, createdAt: new Date() };
      try {
        await tx.insert(psbBoards).values(board);
      } catch (err) {
        if (isUniqueViolation(err, 'psb_boards_name')) throw new ConflictError('There is a board of that name already', { name: 'There is a board of that name already' });
        throw err;
      }
      const partners = input.partners.map((organisationId) => ({ id: newId(), authorityId, boardId: board.id, organisationId, isLead: organisationId === input.leadPartner }));
      await tx.insert(psbPartners).values(partners);
      await recordAudit(tx, actor, { authorityId, action: 'psb-board.create', entityType: 'psb-board', entityId: board.id, after: { ...board, partners } });
      return board;
    });
  }

  /** Name someone with an account in this council as a partner's representative. */
  async addRepresentative(actor: Actor, authorityId: string, boardId: string, raw: Record<string, unknown>): Promise<void> {
    const board = await this.getBoard(authorityId, boardId);
    const check = new FieldChecker();
    const partner = board.partners.find((p) => p.id === text(raw.partnerId));
    check.check(partner !== undefined, 'partnerId', 'Choose the partner they represent');
    const user = await this.accounts.userByEmail(authorityId, raw.email);
    check.check(user !== null, 'email', 'Enter the email address of someone with an account in this council');
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const row = { authorityId, partnerId: partner!.id, userId: user!.id };
      const inserted = await tx.insert(psbRepresentatives).values(row).onConflictDoNothing().returning();
      if (inserted.length === 0) throw new ConflictError('They already represent this partner', { email: 'They already represent this partner' });
      await recordAudit(tx, actor, { authorityId, action: 'psb-board.representative', entityType: 'psb-board', entityId: board.id, after: row });
    });
  }

  /** The partners a viewer represents on a board. */
  private async representing(db: Queryable, board: { partners: { id: string }[] }, viewer: Viewer): Promise<string[]> {
    if (!viewer.userId || board.partners.length === 0) return [];
    const rows = await db
      .select({ partnerId: psbRepresentatives.partnerId })
      .from(psbRepresentatives)
      .where(and(eq(psbRepresentatives.userId, viewer.userId), inArray(psbRepresentatives.partnerId, board.partners.map((p) => p.id))));
    return rows.map((r) => r.partnerId);
  }

  // ------------------------------------------------------------------ pooled budgets and streams

  async createBudget(actor: Actor, authorityId: string, boardId: string, raw: Record<string, unknown>): Promise<PooledBudget> {
    const board = await this.getBoard(authorityId, boardId);
    const input = parseBudget(raw, (await this.outcomes.list(authorityId)).map((o) => o.id));
    return this.db.transaction(async (tx) => {
      const budget: PooledBudget = { id: newId(), authorityId, boardId: board.id, name: input.name, startsOn: input.startsOn, years: input.years, createdAt: new Date() };
      await tx.insert(pooledBudgets).values(budget);
      await tx.insert(pooledBudgetOutcomes).values(input.outcomes.map((outcomeId) => ({ authorityId, budgetId: budget.id, outcomeId })));
      await recordAudit(tx, actor, { authorityId, action: 'pooled-budget.create', entityType: 'pooled-budget', entityId: budget.id, after: { ...budget, outcomes: input.outcomes } });
      return budget;
    });
  }

  private async budgetRow(authorityId: string, budgetId: string): Promise<PooledBudget> {
    const [budget] = isUuid(budgetId) ? await this.db.select().from(pooledBudgets).where(and(eq(pooledBudgets.authorityId, authorityId), eq(pooledBudgets.id, budgetId))) : [];
    if (!budget) throw new NotFoundError('No such pooled budget');
    return budget;
  }

  async addStream(actor: Actor, viewer: Viewer, authorityId: string, budgetId: string, raw: Record<string, unknown>): Promise<Stream> {
    const budget = await this.budgetRow(authorityId, budgetId);
    const board = await this.getBoard(authorityId, budget.boardId);
    const movable = isStaff(viewer) ? board.partners.map((p) => p.id) : await this.representing(this.db, board, viewer);
    const outcomeIds = (await this.db.select().from(pooledBudgetOutcomes).where(eq(pooledBudgetOutcomes.budgetId, budget.id))).map((o) => o.outcomeId);
    const input = parseStream(raw, budget, movable, outcomeIds);
    return this.db.transaction(async (tx) => {
      const stream: Stream = { id: newId(), authorityId, budgetId: budget.id, ...input, createdAt: new Date() };
      await tx.insert(fundingStreams).values(stream);
      await recordAudit(tx, actor, { authorityId, action: 'funding-stream.create', entityType: 'pooled-budget', entityId: budget.id, after: stream });
      return stream;
    });
  }

  /** The budget as this viewer may see it: the pool's totals always; streams and allocations of the partners they may see. */
  async getBudget(authorityId: string, budgetId: string, viewer: Viewer): Promise<BudgetView> {
    const budget = await this.budgetRow(authorityId, budgetId);
    const board = await this.getBoard(authorityId, budget.boardId);
    const represented = await this.representing(this.db, board, viewer);
    const all = board.partners.map((p) => p.id);
    const visible = isStaff(viewer) || board.openBook ? all : represented;
    const movable = isStaff(viewer) ? all : represented;
    const outcomeRows = await this.db.select().from(pooledBudgetOutcomes).where(eq(pooledBudgetOutcomes.budgetId, budget.id));
    const titles = new Map((await this.outcomes.list(authorityId)).map((o) => [o.id, o.title]));
    const streams = await this.db.select().from(fundingStreams).where(eq(fundingStreams.budgetId, budget.id)).orderBy(asc(fundingStreams.name));
    const postings = await this.postingsOf(this.db, streams.map((s) => s.id));
    const partnerName = (id: string) => board.partners.find((p) => p.id === id)?.name ?? 'Unknown';
    const streamViews = streams.map((s) => ({ ...s, partnerName: partnerName(s.partnerId), balances: balances(postings.filter((p) => p.streamId === s.id)) }));
    const allocations = await this.db.select().from(pooledAllocations).where(eq(pooledAllocations.budgetId, budget.id)).orderBy(asc(pooledAllocations.createdAt));
    const seen = streamViews.filter((s) => visible.includes(s.partnerId));
    return {
      ...budget,
      board,
      outcomes: outcomeRows.map((o) => ({ id: o.outcomeId, title: titles.get(o.outcomeId) ?? 'Unknown' })),
      totals: balances(postings),
      streams: seen,
      allocations: allocations.flatMap((a) => {
        const stream = seen.find((s) => s.id === a.streamId);
        if (!stream) return [];
        const b = balances(postings.filter((p) => p.streamId === a.streamId), a.id);
        return [{ ...a, partnerName: stream.partnerName, streamName: stream.name, allocatedPence: b.allocated, spentPence: b.spent }];
      }),
      movable,
      visible,
    };
  }

  private async postingsOf(db: Queryable, streamIds: string[]): Promise<Posting[]> {
    if (streamIds.length === 0) return [];
    const rows = await db.select().from(ledgerPostings).where(inArray(ledgerPostings.streamId, streamIds));
    return rows.map((r) => ({ streamId: r.streamId, account: r.account as Posting['account'], allocationId: r.allocationId, amountPence: r.amountPence }));
  }

  // ------------------------------------------------------------------ the ledger

  /**
   * Record one movement of money. The stream's row is locked before its balances are read, so
   * concurrent movements from it run one after the other and the second sees the first.
   */
  async recordMovement(actor: Actor, viewer: Viewer, authorityId: string, budgetId: string, kind: string, raw: Record<string, unknown>): Promise<{ transactionId: string; allocationId: string | null }> {
    const input = parseMovement(kind, raw);
    const budget = await this.budgetRow(authorityId, budgetId);
    const board = await this.getBoard(authorityId, budget.boardId);
    const represented = await this.representing(this.db, board, viewer);
    const m = MOVEMENTS[input.kind];
    return this.db.transaction(async (tx) => {
      const [stream] = isUuid(input.streamId)
        ? await tx.select().from(fundingStreams).where(and(eq(fundingStreams.budgetId, budget.id), eq(fundingStreams.id, input.streamId))).for('update')
        : [];
      if (!stream) throw new ValidationError({ streamId: 'Choose a funding stream of this budget' });
      if (!isStaff(viewer) && !represented.includes(stream.partnerId)) throw new ValidationError({ streamId: 'You can move only the money of a partner you represent' });
      // Every problem at once, in the order of the form's fields.
      const check = new FieldChecker();
      if (input.kind === 'clawback' && !stream.clawbackTerms) check.add('streamId', 'This stream’s conditions allow no clawback');
      if (input.allocationId) {
        const [allocation] = isUuid(input.allocationId) ? await tx.select().from(pooledAllocations).where(and(eq(pooledAllocations.streamId, stream.id), eq(pooledAllocations.id, input.allocationId))) : [];
        if (!allocation) check.add('allocationId', 'Choose an allocation from this stream');
      }
      if (input.businessCaseId) {
        const problem = await this.caseProblem(tx, authorityId, input.businessCaseId, input.kind === 'release');
        if (problem) check.add('businessCaseId', problem);
      }
      if (input.recipientKind && stream.ringFencedOutcomeId && input.outcomeId !== stream.ringFencedOutcomeId) {
        check.add('outcomeId', 'This stream is ring-fenced: allocate it to the outcome it is ring-fenced for');
      }
      if (!check.errors.allocationId) {
        try {
          checkCovered(input.kind, input.amountPence, balances(await this.postingsOf(tx, [stream.id]), input.allocationId ?? undefined), formatPence);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          for (const [field, message] of Object.entries(err.fields)) check.add(field, message);
        }
      }
      const year = budgetYear(budget.startsOn, budget.years, input.occurredOn);
      if (year === null || year < stream.firstYear || year > stream.lastYear) check.add('occurredOn', `This stream’s money may move in years ${stream.firstYear} to ${stream.lastYear} of the budget only`);
      if (m.boardDecision) {
        const problem = decisionProblem({ decisionRule: board.decisionRule as DecisionRule, leadLimitPence: board.leadLimitPence }, board.partners, stream.partnerId, input.agreedBy, input.amountPence);
        if (problem) check.add('agreedBy', problem);
      }
      check.throwIfAny();
      const allocationId = input.recipientKind ? newId() : input.allocationId;
      if (input.recipientKind) {
        const recipient = input.recipientKind === 'business_case' ? await this.caseTitle(tx, input.businessCaseId!) : input.recipient;
        await tx.insert(pooledAllocations).values({ id: allocationId!, authorityId, budgetId: budget.id, streamId: stream.id, recipientKind: input.recipientKind, recipient, businessCaseId: input.businessCaseId, outcomeId: input.outcomeId, createdAt: new Date() });
      }
      const postings = postingsFor(input.kind, input.amountPence, stream.id, allocationId);
      checkBalanced(postings);
      const transaction = {
        id: newId(),
        authorityId,
        budgetId: budget.id,
        kind: input.kind,
        streamId: stream.id,
        allocationId,
        occurredOn: input.occurredOn,
        description: input.description,
        agreedBy: m.boardDecision ? input.agreedBy : [],
        recordedBy: actor.userId,
        createdAt: new Date(),
      };
      await tx.insert(ledgerTransactions).values(transaction);
      await tx.insert(ledgerPostings).values(postings.map((p) => ({ id: newId(), authorityId, transactionId: transaction.id, ...p })));
      await recordAudit(tx, actor, { authorityId, action: `ledger.${input.kind}`, entityType: 'pooled-budget', entityId: budget.id, after: { ...transaction, postings } });
      return { transactionId: transaction.id, allocationId };
    });
  }

  private async caseProblem(tx: Tx, authorityId: string, caseId: string, mustBeApproved: boolean): Promise<string | null> {
    const [row] = isUuid(caseId) ? await tx.select().from(businessCases).where(and(eq(businessCases.authorityId, authorityId), eq(businessCases.id, caseId))) : [];
    if (!row) return 'Choose a business case of this council';
    return mustBeApproved && row.status !== 'approved' ? 'Money is released from the investment fund only against an approved business case' : null;
  }

  private async caseTitle(tx: Tx, caseId: string) {
    const [row] = await tx.select({ title: businessCases.title }).from(businessCases).where(eq(businessCases.id, caseId));
    return row!.title;
  }

  /** Every movement on a partner's streams, if the viewer may see that partner's money. */
  async partnerEntries(authorityId: string, budgetId: string, partnerId: string, viewer: Viewer): Promise<{ budget: BudgetView; partner: Partner; entries: LedgerEntry[]; quarters: string[] }> {
    const budget = await this.getBudget(authorityId, budgetId, viewer);
    const partner = budget.board.partners.find((p) => p.id === partnerId);
    if (!partner || !budget.visible.includes(partner.id)) throw new NotFoundError('No such partner on this board, or not one whose money you may see');
    const entries = await this.entriesOf(budget.streams.filter((s) => s.partnerId === partner.id).map((s) => s.id));
    return { budget, partner, entries, quarters: quartersOf(entries) };
  }

  /** A partner's statement for the quarter asked for; for none (or nonsense), its latest quarter with movements, or this one. */
  async partnerStatement(authorityId: string, budgetId: string, partnerId: string, quarterInput: unknown, viewer: Viewer) {
    const data = await this.partnerEntries(authorityId, budgetId, partnerId, viewer);
    const asked = text(quarterInput);
    const quarter = isQuarter(asked) ? asked : (data.quarters.at(-1) ?? financialQuarter(londonToday()));
    return { ...data, statement: statement(data.entries, quarter), reconciliation: reconcile(data.entries) };
  }

  private async entriesOf(streamIds: string[]): Promise<LedgerEntry[]> {
    if (streamIds.length === 0) return [];
    const txs = await this.db.select().from(ledgerTransactions).where(inArray(ledgerTransactions.streamId, streamIds)).orderBy(asc(ledgerTransactions.occurredOn), asc(ledgerTransactions.createdAt));
    const postings = await this.db.select().from(ledgerPostings).where(inArray(ledgerPostings.streamId, streamIds));
    return txs.map((t) => ({
      transactionId: t.id,
      kind: t.kind as Movement,
      occurredOn: t.occurredOn,
      description: t.description,
      streamId: t.streamId,
      // Debit first, as postingsFor writes them.
      postings: postings
        .filter((p) => p.transactionId === t.id)
        .sort((a, b) => b.amountPence - a.amountPence)
        .map((p) => ({ streamId: p.streamId, account: p.account as Posting['account'], allocationId: p.allocationId, amountPence: p.amountPence })),
    }));
  }

  // ------------------------------------------------------------------ business cases

  listCases(authorityId: string): Promise<BusinessCase[]> {
    return this.db.select().from(businessCases).where(eq(businessCases.authorityId, authorityId)).orderBy(asc(businessCases.title));
  }

  /** The case with its appraisal and its forecast against realised savings; `sensitivity` adds switching values and the Monte Carlo run. */
  async getCase(authorityId: string, caseId: string): Promise<CaseView>;
  async getCase(authorityId: string, caseId: string, sensitivity: false): Promise<AppraisedCase>;
  async getCase(authorityId: string, caseId: string, sensitivity = true): Promise<AppraisedCase | CaseView> {
    const [row] = isUuid(caseId) ? await this.db.select().from(businessCases).where(and(eq(businessCases.authorityId, authorityId), eq(businessCases.id, caseId))) : [];
    if (!row) throw new NotFoundError('No such business case');
    const parsed = parseCase(row.body);
    const appraisal = appraise(parsed);
    const realised = await this.db.select().from(realisedSavings).where(eq(realisedSavings.businessCaseId, row.id));
    const agencies = [...new Set([...Object.keys(appraisal.byAgency), ...realised.map((r) => r.agency)])];
    const savings = agencies.map((agency) => ({
      agency,
      forecastPence: appraisal.byAgency[agency]?.pvBenefits ?? 0,
      realisedPence: realised.filter((r) => r.agency === agency).reduce((s, r) => s + r.amountPence, 0),
    }));
    const appraised = { ...row, parsed, appraisal, savings };
    if (!sensitivity) return appraised;
    return { ...appraised, switching: switchingValues(parsed), monteCarlo: monteCarlo(parsed, { ranges: rangesFor(parsed, row.uncertainty), runs: MC_RUNS, seed: row.seed }) };
  }

  async saveCase(actor: Actor, authorityId: string, caseId: string | null, raw: Record<string, unknown>): Promise<BusinessCase> {
    const { body, settings } = caseFromForm(raw, this.unitCost);
    return this.db.transaction(async (tx) => {
      const now = new Date();
      if (caseId === null) {
        const row: BusinessCase = { id: newId(), authorityId, title: settings.title, status: 'draft', body, uncertainty: settings.uncertainty, seed: settings.seed, approvedAt: null, createdAt: now, updatedAt: now };
        await tx.insert(businessCases).values(row);
        await recordAudit(tx, actor, { authorityId, action: 'business-case.create', entityType: 'business-case', entityId: row.id, after: row });
        return row;
      }
      const [before] = isUuid(caseId) ? await tx.select().from(businessCases).where(and(eq(businessCases.authorityId, authorityId), eq(businessCases.id, caseId))).for('update') : [];
      if (!before) throw new NotFoundError('No such business case');
      if (before.status === 'approved') throw new ConflictError('An approved business case cannot be changed: the board decided on it as it stands');
      const [after] = await tx.update(businessCases).set({ title: settings.title, body, uncertainty: settings.uncertainty, seed: settings.seed, updatedAt: now }).where(eq(businessCases.id, caseId)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'business-case.update', entityType: 'business-case', entityId: caseId, before, after });
      return after!;
    });
  }

  async approveCase(actor: Actor, authorityId: string, caseId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [before] = isUuid(caseId) ? await tx.select().from(businessCases).where(and(eq(businessCases.authorityId, authorityId), eq(businessCases.id, caseId))).for('update') : [];
      if (!before) throw new NotFoundError('No such business case');
      if (before.status === 'approved') throw new ConflictError('This business case is approved already');
      await tx.update(businessCases).set({ status: 'approved', approvedAt: new Date(), updatedAt: new Date() }).where(eq(businessCases.id, caseId));
      await recordAudit(tx, actor, { authorityId, action: 'business-case.approve', entityType: 'business-case', entityId: caseId, before: { status: before.status }, after: { status: 'approved' } });
    });
  }

  /** Savings that arrived for one agency in one year of the case. */
  async recordSaving(actor: Actor, authorityId: string, caseId: string, raw: Record<string, unknown>): Promise<void> {
    const c = await this.getCase(authorityId, caseId, false);
    const check = new FieldChecker();
    const agency = text(raw.agency);
    check.check(agency.length >= 2 && agency.length <= 200, 'agency', 'Enter the agency that saved the money');
    const year = Number(text(raw.year));
    check.check(text(raw.year) !== '' && Number.isInteger(year) && year >= 0 && year < c.parsed.years, 'year', `Enter a year of the case, from 0 to ${c.parsed.years - 1}`);
    const amountPence = poundsField(check, 'amount', raw.amount, 'the saving', { min: 1, max: 100_000_000_000 });
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, businessCaseId: c.id, agency, year, amountPence, createdAt: new Date() };
      await tx.insert(realisedSavings).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'business-case.saving', entityType: 'business-case', entityId: c.id, after: row });
    });
  }

  /** Cases with their forecast and realised savings, for the place's dashboard. */
  async caseSavings(authorityId: string): Promise<{ id: string; title: string; status: string; forecastPence: Pence; realisedPence: Pence }[]> {
    const cases = await this.listCases(authorityId);
    const out = [];
    for (const c of cases) {
      const view = await this.getCase(authorityId, c.id, false);
      out.push({ id: c.id, title: c.title, status: c.status, forecastPence: view.appraisal.byKind.fiscal, realisedPence: view.savings.reduce((s, x) => s + x.realisedPence, 0) });
    }
    return out;
  }
}

/** ± the case's uncertainty on every cost and unit value, uniformly: the board's stated doubt about its figures. */
export function rangesFor(c: Case, uncertaintyPercent: number): Range[] {
  const share = uncertaintyPercent / 100;
  return caseInputs(c)
    .filter((i) => /^costs\[\d+\]\.amount$|^benefits\[\d+\]\.unitValue$/.test(i.path) && i.value > 0 && share > 0)
    .map((i) => ({ input: i.path, distribution: 'uniform' as const, min: Math.max(i.min, i.value * (1 - share)), max: Math.min(i.max, i.value * (1 + share)) }));
}

