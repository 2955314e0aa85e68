/**
 * The Community Right to Challenge: the council's published settings, expressions of interest
 * from draft to published decision, and the procurement exercise an acceptance opens. Every
 * change is one transaction with its audit entry; the rules decide what is lawful.
 */
import { and, asc, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { isUniqueViolation, type Db, type Tx } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { formatDate, isCalendarDate, londonToday, periodEnd, type CalendarDate } from '../../lib/dates.ts';
import { REJECTION_GROUNDS, TIMESCALE_NOTICE_DEFAULT } from './law.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import type { OrganisationPeopleService } from '../organisations/people.ts';
import type { CatalogueService } from '../catalogue/service.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { Outbox } from '../../lib/outbox/outbox.ts';
import { challengeProcurements, challengeSettings, expressionsOfInterest } from './tables.ts';
import {
  STATE_OF_OUTCOME,
  assertMove,
  considerationDeadlines,
  deadlineStatus,
  eligibility,
  isAccepted,
  missingContent,
  parseDecision,
  parseProcurementStart,
  parseDraft,
  parseReceipt,
  parseSettings,
  procurementStart,
  stateAfterResponse,
  type ChallengeSettings,
  type DeadlineStatus,
  type DraftInput,
  type State,
} from './rules.ts';

export type Expression = typeof expressionsOfInterest.$inferSelect;
export type Procurement = typeof challengeProcurements.$inferSelect;
export type PublishedSettings = ChallengeSettings & { id: string };

/** An expression of interest as pages show it: its body and service by name. */
export interface ExpressionView extends Expression {
  bodyName: string;
  serviceName: string | null;
  procurement: Procurement | null;
}

export interface DeadlineRow {
  expression: ExpressionView;
  what: string;
  due: CalendarDate;
  status: DeadlineStatus;
  daysLeft: number;
}

/** States that publish: once submitted, an expression of interest is on the register. */
const PUBLIC_STATES: State[] = ['submitted', 'out_of_window', 'timescale_given', 'under_consideration', 'modification_proposed', 'accepted', 'accepted_with_modification', 'rejected'];

export class RightToChallengeService {
  private readonly db: Db;
  private readonly organisations: OrganisationsService;
  private readonly people: OrganisationPeopleService;
  private readonly catalogue: CatalogueService;
  private readonly accounts: AccountsService;
  private readonly outbox: Outbox;

  constructor(db: Db, deps: { organisations: OrganisationsService; organisationPeople: OrganisationPeopleService; catalogue: CatalogueService; accounts: AccountsService; outbox: Outbox }) {
    this.db = db;
    this.organisations = deps.organisations;
    this.people = deps.organisationPeople;
    this.catalogue = deps.catalogue;
    this.accounts = deps.accounts;
    this.outbox = deps.outbox;
  }

  // ---------------------------------------------------------------- settings

  /** The settings in force on a date, or null before the council publishes any. */
  async settingsOn(authorityId: string, date: CalendarDate): Promise<PublishedSettings | null> {
    const [row] = await this.db
      .select()
      .from(challengeSettings)
      .where(and(eq(challengeSettings.authorityId, authorityId), lte(challengeSettings.effectiveFrom, date)))
      .orderBy(desc(challengeSettings.effectiveFrom))
      .limit(1);
    return row ? settingsOf(row) : null;
  }

  /** Every version the council has published, newest first. */
  async settingsHistory(authorityId: string): Promise<PublishedSettings[]> {
    const rows = await this.db.select().from(challengeSettings).where(eq(challengeSettings.authorityId, authorityId)).orderBy(desc(challengeSettings.effectiveFrom));
    return rows.map(settingsOf);
  }

  async publishSettings(actor: Actor, authorityId: string, raw: Record<string, unknown>, today = londonToday()): Promise<PublishedSettings> {
    const settings = parseSettings(raw, today);
    const row = { id: newId(), authorityId, ...settings, createdAt: new Date() };
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(challengeSettings).values(row);
        await recordAudit(tx, actor, { authorityId, action: 'challenge.settings.publish', entityType: 'challenge_settings', entityId: row.id, after: row });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('Settings already take effect on that date', { effectiveFrom: 'Settings already take effect on that date: choose a later one' });
      throw err;
    }
    return settingsOf(row);
  }

  // ---------------------------------------------------------------- reading

  /** Choices for the draft form: the authority's organisations and services. */
  /** What the form offers: the organisations the person holds a role in (only they can speak for one), and every service. */
  async formChoices(authorityId: string, userId: string) {
    return { organisations: await this.organisationsOf(authorityId, userId), services: await this.catalogue.choices(authorityId) };
  }

  private async organisationsOf(authorityId: string, userId: string): Promise<[string, string][]> {
    return (await this.people.forUser(authorityId, userId)).map((o) => [o.organisationId, o.name]);
  }

  /** One expression of interest; a draft only for the person drafting it. */
  async get(authorityId: string, id: string, viewerId: string | null): Promise<ExpressionView> {
    if (!isUuid(id)) throw new NotFoundError('No such expression of interest');
    const [row] = await this.db.select().from(expressionsOfInterest).where(and(eq(expressionsOfInterest.authorityId, authorityId), eq(expressionsOfInterest.id, id)));
    if (!row || (row.state === 'draft' && row.createdBy !== viewerId)) throw new NotFoundError('No such expression of interest');
    const [view] = await this.views(authorityId, [row]);
    return view!;
  }

  /** The public register: everything submitted, newest first. */
  async register(authorityId: string, page: { limit: number; offset: number }): Promise<{ rows: ExpressionView[]; total: number }> {
    const where = and(eq(expressionsOfInterest.authorityId, authorityId), inArray(expressionsOfInterest.state, PUBLIC_STATES));
    const rows = await this.db.select().from(expressionsOfInterest).where(where).orderBy(desc(expressionsOfInterest.submittedOn), asc(expressionsOfInterest.id)).limit(page.limit).offset(page.offset);
    const [{ total } = { total: 0 }] = await this.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(expressionsOfInterest).where(where);
    return { rows: await this.views(authorityId, rows), total };
  }

  /** What someone has drafted or submitted themselves. */
  async mine(authorityId: string, userId: string): Promise<ExpressionView[]> {
    const rows = await this.db
      .select()
      .from(expressionsOfInterest)
      .where(and(eq(expressionsOfInterest.authorityId, authorityId), eq(expressionsOfInterest.createdBy, userId)))
      .orderBy(desc(expressionsOfInterest.updatedAt));
    return this.views(authorityId, rows);
  }

  /**
   * Officers' deadlines: when to tell the body, when to decide and when procurement must start,
   * each flagged before it is breached.
   */
  async deadlines(authorityId: string, today = londonToday()): Promise<DeadlineRow[]> {
    const rows = await this.db
      .select()
      .from(expressionsOfInterest)
      .where(and(eq(expressionsOfInterest.authorityId, authorityId), ne(expressionsOfInterest.state, 'draft')));
    const views = await this.views(authorityId, rows);
    const warnDays = (await this.settingsOn(authorityId, today))?.warnDays ?? 14;
    const out: DeadlineRow[] = [];
    const add = (expression: ExpressionView, what: string, due: CalendarDate) => out.push({ expression, what, due, ...deadlineStatus(due, today, warnDays) });
    for (const e of views) {
      const state = e.state as State;
      if (state === 'submitted') add(e, 'Record receipt and tell the body when you will decide', await this.noticeDue(authorityId, e.submittedOn!));
      if (state === 'timescale_given' || state === 'under_consideration' || state === 'modification_proposed') add(e, 'Decide and notify the body', e.decideBy!);
      if (e.procurement?.status === 'pending') add(e, 'Start the procurement exercise', e.procurement.latestStart);
    }
    return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  }

  /** Until receipt is recorded, the notice is due as if it was received the day it was submitted. */
  private async noticeDue(authorityId: string, submittedOn: CalendarDate): Promise<CalendarDate> {
    const settings = await this.settingsOn(authorityId, submittedOn);
    return settings ? considerationDeadlines(settings, submittedOn).timescaleNotice.due : periodEnd(submittedOn, TIMESCALE_NOTICE_DEFAULT.days, 'days');
  }

  private async views(authorityId: string, rows: Expression[]): Promise<ExpressionView[]> {
    if (rows.length === 0) return [];
    const organisationNames = await this.organisations.namesByIds(this.db, authorityId, [...new Set(rows.flatMap((r) => (r.organisationId ? [r.organisationId] : [])))]);
    const serviceNames = new Map(await this.catalogue.choices(authorityId));
    const procurements = await this.db.select().from(challengeProcurements).where(and(eq(challengeProcurements.authorityId, authorityId), inArray(challengeProcurements.expressionId, rows.map((r) => r.id))));
    return rows.map((r) => ({
      ...r,
      bodyName: r.organisationId ? (organisationNames.get(r.organisationId) ?? 'Unknown organisation') : `${r.groupName} (a group of ${r.employeeCount} council employees)`,
      serviceName: r.serviceId ? (serviceNames.get(r.serviceId) ?? null) : null,
      procurement: procurements.find((p) => p.expressionId === r.id) ?? null,
    }));
  }

  // ---------------------------------------------------------------- the body's side

  async createDraft(actor: Actor & { userId: string }, authorityId: string, raw: Record<string, unknown>): Promise<Expression> {
    const input = parseDraft(raw);
    await this.checkReferences(authorityId, input, actor.userId);
    const now = new Date();
    const row = { id: newId(), authorityId, state: 'draft', createdBy: actor.userId, ...input, createdAt: now, updatedAt: now };
    await this.db.transaction(async (tx) => {
      await tx.insert(expressionsOfInterest).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'challenge.draft', entityType: 'expression_of_interest', entityId: row.id, after: row });
    });
    return this.get(authorityId, row.id, actor.userId);
  }

  async updateDraft(actor: Actor & { userId: string }, authorityId: string, id: string, raw: Record<string, unknown>): Promise<Expression> {
    const input = parseDraft(raw);
    await this.checkReferences(authorityId, input, actor.userId);
    await this.change(actor, authorityId, id, 'challenge.draft.update', async (tx, before) => {
      this.assertOwnDraft(before, actor.userId);
      return { ...input };
    });
    return this.get(authorityId, id, actor.userId);
  }

  /**
   * Submit a draft: the body must be a relevant body and the content all Schedule 1 asks for;
   * otherwise it stays a draft and the submitter is told what is missing.
   */
  async submit(actor: Actor & { userId: string }, authorityId: string, id: string, today = londonToday()): Promise<Expression> {
    const draft = await this.get(authorityId, id, actor.userId);
    this.assertOwnDraft(draft, actor.userId);
    const problems: Record<string, string> = {};
    const organisationType = draft.organisationId ? (await this.organisations.get(authorityId, draft.organisationId)).type : '';
    const allowed = eligibility(
      draft.bodyKind === 'employee_group' ? { kind: 'employee_group', employeeCount: draft.employeeCount ?? 0 } : { kind: 'organisation', organisationType, notForProfit: draft.notForProfit },
      today,
    );
    if (!allowed.eligible) problems[draft.bodyKind === 'employee_group' ? 'employeeCount' : 'organisationId'] = allowed.reason;
    for (const m of missingContent({ ...draft, bodyKind: draft.bodyKind as 'organisation' | 'employee_group' }, today)) problems[m.field === 'serviceAndArea' ? (draft.serviceId ? 'area' : 'serviceId') : m.field] ??= `${m.message} (${m.paragraph})`;
    if (Object.keys(problems).length > 0) throw new ValidationError(problems, 'The expression of interest is not complete: it has been kept as a draft');
    const what = `${draft.bodyName}: ${draft.serviceName}`;
    return this.change(actor, authorityId, id, 'challenge.submit', async (_tx, before) => {
      this.assertOwnDraft(before, actor.userId);
      assertMove('draft', 'submitted');
      return { state: 'submitted', submittedOn: today };
    }, () => ({
      body: { subject: `We have your expression of interest: ${what}`, body: `Your expression of interest (${what}) was submitted on ${formatDate(today)}. The council will record its receipt and tell you when it will decide.\n` },
      officers: { subject: `New expression of interest: ${what}`, body: `${what} was submitted on ${formatDate(today)} under the Community Right to Challenge. Record its receipt and tell the body when you will decide.\n` },
    }));
  }

  /** The body agrees to the proposed modification (accepted as modified) or declines it (rejected on the grounds given). */
  async respond(actor: Actor & { userId: string }, authorityId: string, id: string, raw: Record<string, unknown>, today = londonToday()): Promise<Expression> {
    const answer = text(raw.agree);
    if (answer !== 'yes' && answer !== 'no') throw new ValidationError({ agree: 'Say whether the body agrees to the modification' });
    return this.change(actor, authorityId, id, 'challenge.respond', async (tx, before) => {
      if (before.createdBy !== actor.userId) throw new NotFoundError('No such expression of interest');
      const state = stateAfterResponse(answer === 'yes');
      assertMove(before.state as State, state);
      if (isAccepted(state)) await this.openProcurement(tx, actor, before, today);
      return { state, bodyAgreed: answer === 'yes', bodyRespondedOn: today, publishedOn: today };
    }, (after) => {
      const verdict = after.state === 'rejected' ? 'declined the proposed modification, so it is rejected on the grounds given' : 'agreed to the proposed modification, so it is accepted as modified and a procurement exercise is due';
      return {
        body: { subject: 'Your answer to the proposed modification', body: `You ${verdict}. The decision is published on the council’s Right to Challenge register.\n` },
        officers: { subject: 'A body has answered a proposed modification', body: `The body ${verdict}.\n` },
      };
    });
  }

  // ---------------------------------------------------------------- the council's side

  /** Record receipt: outside every submission period it needs no consideration; otherwise tell the body when the council will decide. */
  async acknowledge(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>, today = londonToday()): Promise<Expression> {
    const current = await this.get(authorityId, id, null);
    const receivedOn = text(raw.receivedOn);
    // Counted under the settings in force on receipt; a receipt date the rules will refuse reads today's.
    const settings = await this.settingsOn(authorityId, isCalendarDate(receivedOn) && receivedOn >= (current.submittedOn ?? today) && receivedOn <= today ? receivedOn : today);
    if (!settings) throw new ConflictError('Publish the council’s Right to Challenge settings first: the deadlines are counted from them');
    const receipt = parseReceipt(raw, { submittedOn: current.submittedOn ?? today, today, settings });
    return this.change(actor, authorityId, id, 'challenge.acknowledge', async (_tx, before) => {
      const state: State = receipt.outOfWindow ? 'out_of_window' : 'timescale_given';
      assertMove(before.state as State, state);
      return {
        state,
        receivedOn: receipt.receivedOn,
        settingsId: settings.id,
        decideBy: receipt.decideBy,
        timescaleNoticeDeadline: receipt.deadlines?.timescaleNotice ?? null,
        decisionDeadline: receipt.deadlines?.decision ?? null,
        timescaleGivenOn: receipt.outOfWindow ? null : today,
        publishedOn: receipt.outOfWindow ? today : null,
      };
    }, () => ({
      body: receipt.outOfWindow
        ? { subject: 'Your expression of interest came outside the submission periods', body: `It was received on ${formatDate(receipt.receivedOn)}, outside the periods the council has published, so the council is not required to consider it (Localism Act 2011 s.82). You may submit it again in the next period.\n` }
        : { subject: 'When the council will decide on your expression of interest', body: `It was received on ${formatDate(receipt.receivedOn)}. The council will decide by ${formatDate(receipt.decideBy!)}.\n` },
    }));
  }

  async startConsideration(actor: Actor, authorityId: string, id: string, today = londonToday()): Promise<Expression> {
    return this.change(actor, authorityId, id, 'challenge.consider', async (_tx, before) => {
      assertMove(before.state as State, 'under_consideration');
      return { state: 'under_consideration', considerationStartedOn: today };
    });
  }

  /** Decide: accept (opening the procurement exercise), reject on Schedule grounds, or propose a modification. */
  async decide(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>, today = londonToday()): Promise<Expression> {
    const current = await this.get(authorityId, id, null);
    const decision = parseDecision(raw, { receivedOn: current.receivedOn ?? today, today });
    return this.change(actor, authorityId, id, 'challenge.decide', async (tx, before) => {
      const state = STATE_OF_OUTCOME[decision.outcome];
      assertMove(before.state as State, state);
      if (isAccepted(state)) await this.openProcurement(tx, actor, before, decision.decidedOn);
      return { state, ...decision, publishedOn: state === 'modification_proposed' ? null : today };
    }, (after) => ({ body: decisionMessage(after) }));
  }

  /** Record the day the procurement exercise started; the procurement module takes it from there. */
  async recordProcurementStart(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>, today = londonToday()): Promise<Procurement> {
    const expression = await this.get(authorityId, id, null);
    const before = expression.procurement;
    if (!before) throw new NotFoundError('No procurement exercise has been opened for this expression of interest');
    if (before.status !== 'pending') throw new ConflictError('The start of this procurement exercise has already been recorded');
    const { startedOn, withinPeriod } = parseProcurementStart(raw, { acceptedOn: before.acceptedOn, earliest: before.earliestStart, latest: before.latestStart, today });
    return this.db.transaction(async (tx) => {
      const [after] = await tx
        .update(challengeProcurements)
        .set({ status: 'started', startedOn })
        .where(and(eq(challengeProcurements.id, before.id), eq(challengeProcurements.status, 'pending')))
        .returning();
      if (!after) throw new ConflictError('The start of this procurement exercise has already been recorded');
      await recordAudit(tx, actor, { authorityId, action: 'challenge.procurement.start', entityType: 'challenge_procurement', entityId: before.id, before, after, reason: withinPeriod ? null : 'Started outside the published period' });
      return after;
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Lock the row, apply a change the callback works out, audit it, in one transaction. */
  private async change(
    actor: Actor,
    authorityId: string,
    id: string,
    action: string,
    patch: (tx: Tx, before: Expression) => Promise<Partial<Expression>>,
    notices?: (after: Expression) => Notices,
  ): Promise<Expression> {
    if (!isUuid(id)) throw new NotFoundError('No such expression of interest');
    // Read before the transaction: PGlite has one connection, so nothing may wait on it inside one.
    const recipients = notices ? await this.recipients(authorityId, id) : null;
    const changed = await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(expressionsOfInterest).where(and(eq(expressionsOfInterest.authorityId, authorityId), eq(expressionsOfInterest.id, id))).for('update');
      if (!before || (before.state === 'draft' && before.createdBy !== actor.userId)) throw new NotFoundError('No such expression of interest');
      const [after] = await tx.update(expressionsOfInterest).set({ ...(await patch(tx, before)), updatedAt: new Date() }).where(eq(expressionsOfInterest.id, id)).returning();
      await recordAudit(tx, actor, { authorityId, action, entityType: 'expression_of_interest', entityId: id, before, after });
      if (notices && recipients) await this.notify(tx, authorityId, recipients, notices(after!));
      return after!;
    });
    await this.outbox.deliverPending();
    return changed;
  }

  /** Who hears of a step: the person who submitted it for the body, and the council's officers. */
  private async recipients(authorityId: string, id: string): Promise<{ body: string | null; officers: string[] }> {
    const [row] = await this.db.select({ createdBy: expressionsOfInterest.createdBy }).from(expressionsOfInterest).where(and(eq(expressionsOfInterest.authorityId, authorityId), eq(expressionsOfInterest.id, id)));
    const submitter = row ? await this.accounts.userById(row.createdBy) : null;
    const officers = (await this.accounts.listUsers(authorityId)).filter((u) => u.disabledAt === null && u.roles.includes('officer')).map((u) => u.email);
    return { body: submitter?.email ?? null, officers };
  }

  private async notify(tx: Tx, authorityId: string, to: { body: string | null; officers: string[] }, notices: Notices): Promise<void> {
    if (notices.body && to.body) await this.outbox.enqueue(tx, { authorityId, to: to.body, ...notices.body });
    if (notices.officers) for (const officer of to.officers) await this.outbox.enqueue(tx, { authorityId, to: officer, ...notices.officers });
  }

  private assertOwnDraft(e: Expression, userId: string): void {
    if (e.createdBy !== userId) throw new NotFoundError('No such expression of interest');
    if (e.state !== 'draft') throw new ConflictError('It has been submitted, so it can no longer be changed');
  }

  /**
   * The organisation must be one the person drafting holds a role in — a relevant body expresses
   * the interest, so nobody may do it in another body's name — and the service this authority's.
   */
  private async checkReferences(authorityId: string, input: DraftInput, userId: string): Promise<void> {
    const fields: Record<string, string> = {};
    const found = (lookup: Promise<unknown>) => lookup.then(() => true, () => false);
    if (input.organisationId && !(await this.organisationsOf(authorityId, userId)).some(([id]) => id === input.organisationId)) {
      fields.organisationId = 'Select an organisation you represent: ask the council to add you to it if it is missing';
    }
    if (input.serviceId && !(await found(this.catalogue.get(authorityId, input.serviceId)))) fields.serviceId = 'Select a service from the list';
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }

  /** Acceptance obliges a procurement exercise, due to start within the period published when it was accepted. */
  private async openProcurement(tx: Tx, actor: Actor, e: Expression, acceptedOn: CalendarDate): Promise<void> {
    const [settingsRow] = await tx
      .select()
      .from(challengeSettings)
      .where(and(eq(challengeSettings.authorityId, e.authorityId), lte(challengeSettings.effectiveFrom, acceptedOn)))
      .orderBy(desc(challengeSettings.effectiveFrom))
      .limit(1);
    if (!settingsRow) throw new ConflictError('Publish the council’s Right to Challenge settings first: the procurement period is counted from them');
    const start = procurementStart(acceptedOn, settingsRow);
    const row = { id: newId(), authorityId: e.authorityId, expressionId: e.id, serviceId: e.serviceId, acceptedOn, earliestStart: start.earliest, latestStart: start.latest, status: 'pending', startedOn: null, createdAt: new Date() };
    await tx.insert(challengeProcurements).values(row);
    await recordAudit(tx, actor, { authorityId: e.authorityId, action: 'challenge.procurement.open', entityType: 'challenge_procurement', entityId: row.id, after: row });
  }
}

interface Notice {
  subject: string;
  body: string;
}
interface Notices {
  body?: Notice;
  officers?: Notice;
}

/** The decision as the body is told it: the grounds in the regulations' words, and the reasons. */
function decisionMessage(e: Expression): Notice {
  const grounds = REJECTION_GROUNDS.filter((g) => e.grounds.includes(g.code)).map((g) => `- Ground ${g.paragraph}: ${g.words}`).join('\n');
  if (e.state === 'modification_proposed') {
    return { subject: 'The council proposes a modification to your expression of interest', body: `It would otherwise be rejected on these grounds (SI 2012/1647):\n${grounds}\n\nThe modification: ${e.modification}\n\nReasons: ${e.reasons}\n\nSign in to agree or decline.\n` };
  }
  if (e.state === 'rejected') return { subject: 'Your expression of interest was rejected', body: `It was rejected on these grounds (SI 2012/1647):\n${grounds}\n\nReasons: ${e.reasons}\n\nThe decision is published on the council’s Right to Challenge register.\n` };
  return { subject: 'Your expression of interest was accepted', body: `It was accepted on ${formatDate(e.decidedOn!)}. The council will now run a procurement exercise for the service, which anyone may bid in.${e.reasons ? `\n\nReasons: ${e.reasons}` : ''}\n` };
}

const settingsOf = (r: typeof challengeSettings.$inferSelect): PublishedSettings => ({
  id: r.id,
  effectiveFrom: r.effectiveFrom,
  windows: r.windows,
  timescaleNoticeDays: r.timescaleNoticeDays,
  decisionPeriod: r.decisionPeriod,
  procurementMin: r.procurementMin,
  procurementMax: r.procurementMax,
  warnDays: r.warnDays,
});
