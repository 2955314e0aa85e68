/**
 * Grant programmes: the prospectus, applications from community organisations, the panel's
 * independent scores and recommendation, awards with conditions, monitoring returns — and the
 * council's grants in and out as 360Giving. Every change is one transaction with its audit entry.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, optionalText, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isCalendarDate, londonToday } from '../../lib/dates.ts';
import { MoneyFormatError, parsePounds, formatPence } from '../../lib/money.ts';
import type { PlacesService, Authority } from '../places/service.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import type { OrganisationPeopleService } from '../organisations/people.ts';
import { grantApplications, grantAssessments, grantAwards, grantMonitoringReturns, grantProgrammes } from './tables.ts';
import {
  RECOMMENDATIONS,
  grantDiversity,
  grantGroups,
  isLate,
  lateMessage,
  missingFromDraft,
  organisationIdentifier,
  panelSummary,
  parseAssessment,
  parseDraft,
  parseProgramme,
  publisherPrefix,
  weightedTotal,
} from './rules.ts';
import { readThreeSixty, type Grant } from './threesixty.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { councilOrgId } from './reference.ts';
import { isKeyOf } from '../../lib/keys.ts';

export type Programme = typeof grantProgrammes.$inferSelect;
export type Application = typeof grantApplications.$inferSelect;
export type Assessment = typeof grantAssessments.$inferSelect;
export type Award = typeof grantAwards.$inferSelect;
export type MonitoringReturn = typeof grantMonitoringReturns.$inferSelect;

export interface ImportReport {
  /** Grants in the file, all taken — or 0 when the file was refused. */
  grants: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Currency → pence awarded, over the grants taken. */
  amountAwarded: Record<string, number>;
  warnings: string[];
  errors: string[];
}

/** The funder identifier and name a council publishes its grants under. */
export const funderOf = (authority: Pick<Authority, 'slug' | 'name' | 'gssCode'>) => ({ id: councilOrgId(authority.gssCode) ?? publisherPrefix(authority.slug), name: authority.name });

const awardColumns = (g: Grant) => ({
  identifier: g.identifier,
  title: g.title,
  description: g.description,
  currency: g.currency,
  amountAwardedPence: g.amountAwardedPence,
  amountAppliedForPence: g.amountAppliedForPence,
  awardDate: g.awardDate,
  plannedStart: g.plannedStart,
  plannedEnd: g.plannedEnd,
  durationMonths: g.durationMonths === null ? null : Math.round(g.durationMonths),
  recipientId: g.recipient.id,
  recipientName: g.recipient.name,
  recipientCharityNumber: g.recipient.charityNumber,
  recipientCompanyNumber: g.recipient.companyNumber,
  recipientPostalCode: g.recipient.postalCode,
  funderId: g.funder.id,
  funderName: g.funder.name,
  programmeTitle: g.programmeTitle,
  locations: g.locations,
  dateModified: g.dateModified,
});

export const grantOf = (a: Award): Grant => ({
  identifier: a.identifier,
  title: a.title,
  description: a.description,
  currency: a.currency,
  amountAwardedPence: a.amountAwardedPence,
  amountAppliedForPence: a.amountAppliedForPence,
  awardDate: a.awardDate,
  plannedStart: a.plannedStart,
  plannedEnd: a.plannedEnd,
  durationMonths: a.durationMonths,
  recipient: { id: a.recipientId, name: a.recipientName, charityNumber: a.recipientCharityNumber, companyNumber: a.recipientCompanyNumber, postalCode: a.recipientPostalCode },
  funder: { id: a.funderId, name: a.funderName },
  programmeTitle: a.programmeTitle,
  locations: a.locations,
  dateModified: a.dateModified,
});

/** Whether a held grant already says what the file says; canonical JSON, as jsonb keeps its own key order. */
const sameGrant = (a: Award, g: Grant) => canonicalJson(grantOf(a)) === canonicalJson({ ...g, durationMonths: g.durationMonths === null ? null : Math.round(g.durationMonths) });

export class GrantsService {
  private readonly db: Db;
  private readonly places: PlacesService;
  private readonly organisations: OrganisationsService;
  private readonly people: OrganisationPeopleService;

  constructor(db: Db, deps: { places: PlacesService; organisations: OrganisationsService; organisationPeople: OrganisationPeopleService }) {
    this.db = db;
    this.places = deps.places;
    this.organisations = deps.organisations;
    this.people = deps.organisationPeople;
  }

  // ---------------------------------------------------------------- programmes

  listProgrammes(authorityId: string): Promise<Programme[]> {
    return this.db.select().from(grantProgrammes).where(eq(grantProgrammes.authorityId, authorityId)).orderBy(desc(grantProgrammes.deadline), asc(grantProgrammes.title));
  }

  async getProgramme(authorityId: string, id: string): Promise<Programme> {
    const [row] = await this.db.select().from(grantProgrammes).where(and(eq(grantProgrammes.authorityId, authorityId), eq(grantProgrammes.id, id)));
    if (!row) throw new NotFoundError('No such grant programme');
    return row;
  }

  async createProgramme(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Programme> {
    const wardIds = (await this.places.listWards(authorityId)).map((w) => w.id);
    const input = parseProgramme(raw, wardIds);
    const now = new Date();
    const row: Programme = { id: newId(), authorityId, ...input, status: 'open', createdAt: now, updatedAt: now };
    return this.db.transaction(async (tx) => {
      await tx.insert(grantProgrammes).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'grants.programme-create', entityType: 'grant_programme', entityId: row.id, after: row });
      return row;
    });
  }

  /** Close a programme to new applications before (or after) its deadline. */
  async closeProgramme(actor: Actor, authorityId: string, id: string, reason?: unknown): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(grantProgrammes).where(and(eq(grantProgrammes.authorityId, authorityId), eq(grantProgrammes.id, id))).for('update');
      if (!before) throw new NotFoundError('No such grant programme');
      if (before.status === 'closed') throw new ConflictError(`${before.title} is already closed`);
      await tx.update(grantProgrammes).set({ status: 'closed', updatedAt: new Date() }).where(eq(grantProgrammes.id, id));
      await recordAudit(tx, actor, { authorityId, action: 'grants.programme-close', entityType: 'grant_programme', entityId: id, before: { status: before.status }, after: { status: 'closed' }, reason: optionalText(reason) });
    });
  }

  /** Whether a programme takes applications today, and if not, why not in words. */
  refusalToApply(programme: Programme, today = londonToday()): string | null {
    if (isLate(programme.deadline, today)) return lateMessage(programme.title, programme.deadline);
    if (programme.status !== 'open') return `${programme.title} is closed to applications`;
    return null;
  }

  // ---------------------------------------------------------------- applications

  /** The organisations this person may apply for: those they hold a role in. */
  async organisationsOf(authorityId: string, userId: string): Promise<[string, string][]> {
    return (await this.people.forUser(authorityId, userId)).map((o) => [o.organisationId, o.name]);
  }

  private async requireRepresentative(authorityId: string, userId: string, organisationId: string, field = 'organisationId'): Promise<void> {
    const mine = await this.organisationsOf(authorityId, userId);
    if (!mine.some(([id]) => id === organisationId)) throw new ValidationError({ [field]: 'Choose an organisation you represent: ask the council to add you to it if it is missing' });
  }

  /** Start a draft for an organisation the applicant represents; gaps are fine until it is sent. */
  async startApplication(actor: Actor, authorityId: string, programmeId: string, userId: string, raw: Record<string, unknown>): Promise<Application> {
    const programme = await this.getProgramme(authorityId, programmeId);
    const refusal = this.refusalToApply(programme);
    if (refusal) throw new ConflictError(refusal, { form: refusal });
    const organisationId = text(raw.organisationId);
    await this.requireRepresentative(authorityId, userId, organisationId);
    const draft = parseDraft(raw);
    await this.checkWard(authorityId, draft.wardId);
    const now = new Date();
    const row: Application = { id: newId(), authorityId, programmeId, organisationId, applicantUserId: userId, ...draft, status: 'draft', submittedAt: null, recommendationReason: null, createdAt: now, updatedAt: now };
    return this.db.transaction(async (tx) => {
      await tx.insert(grantApplications).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'grants.application-start', entityType: 'grant_application', entityId: row.id, after: row });
      return row;
    });
  }

  private async checkWard(authorityId: string, wardId: string | null): Promise<void> {
    if (wardId && (await this.places.wardsByIds(authorityId, /^[0-9a-f-]{36}$/.test(wardId) ? [wardId] : [])).length === 0) throw new ValidationError({ wardId: 'Select a ward from the list' });
  }

  async getApplication(authorityId: string, id: string): Promise<Application> {
    const [row] = await this.db.select().from(grantApplications).where(and(eq(grantApplications.authorityId, authorityId), eq(grantApplications.id, id)));
    if (!row) throw new NotFoundError('No such application');
    return row;
  }

  /** An application as its page shows it: the programme, who applied, what is missing, and the panel so far. */
  async applicationView(authorityId: string, id: string) {
    const application = await this.getApplication(authorityId, id);
    const programme = await this.getProgramme(authorityId, application.programmeId);
    const organisation = await this.organisations.get(authorityId, application.organisationId);
    const ward = application.wardId ? ((await this.places.wardsByIds(authorityId, [application.wardId]))[0] ?? null) : null;
    const assessments = await this.db.select().from(grantAssessments).where(eq(grantAssessments.applicationId, id)).orderBy(asc(grantAssessments.createdAt));
    const [award] = await this.db.select().from(grantAwards).where(eq(grantAwards.applicationId, id));
    return {
      application,
      programme,
      organisation,
      ward,
      missing: missingFromDraft(programme, application, organisation),
      assessments: assessments.map((a) => ({ ...a, total: weightedTotal(programme.criteria, a.scores) })),
      panel: panelSummary(programme.criteria, assessments),
      award: award ?? null,
    };
  }

  /** The applicant's own, or staff: no one else sees an application. */
  async mayView(authorityId: string, application: Application, userId: string | null, isStaff: boolean): Promise<boolean> {
    if (isStaff || application.applicantUserId === userId) return true;
    return userId !== null && (await this.organisationsOf(authorityId, userId)).some(([id]) => id === application.organisationId);
  }

  async listApplications(authorityId: string, programmeId: string): Promise<(Application & { organisationName: string })[]> {
    const rows = await this.db.select().from(grantApplications).where(and(eq(grantApplications.authorityId, authorityId), eq(grantApplications.programmeId, programmeId))).orderBy(asc(grantApplications.createdAt));
    const names = await this.organisations.namesByIds(this.db, authorityId, [...new Set(rows.map((r) => r.organisationId))]);
    return rows.map((r) => ({ ...r, organisationName: names.get(r.organisationId) ?? '' }));
  }

  /** Applications by the organisations someone represents, for their own list. */
  async applicationsOf(authorityId: string, userId: string) {
    const mine = await this.organisationsOf(authorityId, userId);
    if (mine.length === 0) return [];
    const names = new Map(mine);
    const rows = await this.db
      .select({ application: grantApplications, programmeTitle: grantProgrammes.title })
      .from(grantApplications)
      .innerJoin(grantProgrammes, eq(grantProgrammes.id, grantApplications.programmeId))
      .where(and(eq(grantApplications.authorityId, authorityId), inArray(grantApplications.organisationId, [...names.keys()])))
      .orderBy(desc(grantApplications.updatedAt));
    return rows.map((r) => ({ ...r.application, programmeTitle: r.programmeTitle, organisationName: names.get(r.application.organisationId) ?? '' }));
  }

  private async lockDraft(tx: Tx, authorityId: string, id: string, userId: string): Promise<Application> {
    const [row] = await tx.select().from(grantApplications).where(and(eq(grantApplications.authorityId, authorityId), eq(grantApplications.id, id))).for('update');
    if (!row) throw new NotFoundError('No such application');
    if (row.applicantUserId !== userId) throw new ConflictError('Only the person who started this application can change or send it');
    if (row.status !== 'draft') throw new ConflictError('This application has been sent, so it can no longer be changed');
    return row;
  }

  async updateDraft(actor: Actor, authorityId: string, id: string, userId: string, raw: Record<string, unknown>): Promise<Application> {
    const draft = parseDraft(raw);
    await this.checkWard(authorityId, draft.wardId);
    return this.db.transaction(async (tx) => {
      const before = await this.lockDraft(tx, authorityId, id, userId);
      const [after] = await tx.update(grantApplications).set({ ...draft, updatedAt: new Date() }).where(eq(grantApplications.id, id)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'grants.application-update', entityType: 'grant_application', entityId: id, before, after });
      return after!;
    });
  }

  /** Send a complete draft before the deadline; a late or incomplete one is refused, saying why. */
  async submit(actor: Actor, authorityId: string, id: string, userId: string): Promise<Application> {
    const application = await this.getApplication(authorityId, id);
    const programme = await this.getProgramme(authorityId, application.programmeId);
    const organisation = await this.organisations.get(authorityId, application.organisationId);
    const refusal = this.refusalToApply(programme);
    if (refusal) throw new ConflictError(refusal, { form: refusal });
    const missing = missingFromDraft(programme, application, organisation);
    if (Object.keys(missing).length) throw new ValidationError(missing, 'The application is not finished');
    return this.db.transaction(async (tx) => {
      await this.lockDraft(tx, authorityId, id, userId);
      const [after] = await tx.update(grantApplications).set({ status: 'submitted', submittedAt: new Date(), updatedAt: new Date() }).where(eq(grantApplications.id, id)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'grants.application-submit', entityType: 'grant_application', entityId: id, after: { status: 'submitted' } });
      return after!;
    });
  }

  // ---------------------------------------------------------------- the panel

  /**
   * An assessor scores on their own, once. Anyone who holds a role in the applicant organisation
   * has a conflict of interest by definition and may only declare it.
   */
  async assess(actor: Actor, authorityId: string, applicationId: string, assessorUserId: string, raw: Record<string, unknown>): Promise<Assessment> {
    const application = await this.getApplication(authorityId, applicationId);
    const programme = await this.getProgramme(authorityId, application.programmeId);
    if (application.status !== 'submitted') throw new ConflictError('The panel assesses applications once they are sent and until it recommends');
    const input = parseAssessment(raw, programme.criteria, programme.scoreMax);
    const involved = application.applicantUserId === assessorUserId || (await this.organisationsOf(authorityId, assessorUserId)).some(([id]) => id === application.organisationId);
    if (involved && !input.conflict) throw new ValidationError({ conflict: 'You have a role in the applicant organisation: declare the conflict of interest instead of scoring' });
    const row: Assessment = { id: newId(), authorityId, applicationId, assessorUserId, ...input, createdAt: new Date() };
    return this.db.transaction(async (tx) => {
      const [done] = await tx.select({ id: grantAssessments.id }).from(grantAssessments).where(and(eq(grantAssessments.applicationId, applicationId), eq(grantAssessments.assessorUserId, assessorUserId)));
      if (done) throw new ConflictError('You have already assessed this application', { form: 'You have already assessed this application' });
      await tx.insert(grantAssessments).values(row);
      await recordAudit(tx, actor, { authorityId, action: input.conflict ? 'grants.conflict-declare' : 'grants.assess', entityType: 'grant_application', entityId: applicationId, after: row });
      return row;
    });
  }

  /** The panel's recommendation, once at least one assessor without a conflict has scored. */
  async recommend(actor: Actor, authorityId: string, applicationId: string, raw: Record<string, unknown>): Promise<Application> {
    const check = new FieldChecker();
    const recommendation = text(raw.recommendation);
    const reason = text(raw.reason);
    check.check(isKeyOf(RECOMMENDATIONS, recommendation), 'recommendation', 'Select the panel’s recommendation');
    check.check(reason.length >= 10, 'reason', 'Give the panel’s reasons, in at least 10 characters');
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(grantApplications).where(and(eq(grantApplications.authorityId, authorityId), eq(grantApplications.id, applicationId))).for('update');
      if (!before) throw new NotFoundError('No such application');
      if (before.status !== 'submitted') throw new ConflictError('Only a sent application that the panel has not yet decided on can be recommended', { recommendation: 'The panel has already made its recommendation' });
      const scored = await tx.select({ id: grantAssessments.id }).from(grantAssessments).where(and(eq(grantAssessments.applicationId, applicationId), eq(grantAssessments.conflict, false)));
      if (scored.length === 0) throw new ConflictError('At least one assessor without a conflict of interest must score it first', { recommendation: 'At least one assessor without a conflict of interest must score it first' });
      const [after] = await tx.update(grantApplications).set({ status: recommendation, recommendationReason: reason, updatedAt: new Date() }).where(eq(grantApplications.id, applicationId)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'grants.recommend', entityType: 'grant_application', entityId: applicationId, before: { status: before.status }, after: { status: recommendation }, reason });
      return after!;
    });
  }

  // ---------------------------------------------------------------- awards

  /** Award a grant the panel recommended, with its conditions; it is published from then on. */
  async award(actor: Actor, authority: Authority, applicationId: string, raw: Record<string, unknown>): Promise<Award> {
    const view = await this.applicationView(authority.id, applicationId);
    const { application, programme, organisation, ward } = view;
    if (application.status !== 'recommended') throw new ConflictError('Only an application the panel recommended can be awarded', { amount: 'Only an application the panel recommended can be awarded' });
    const check = new FieldChecker();
    let amount = 0;
    try {
      amount = parsePounds(text(raw.amount));
      check.check(amount >= programme.minAmountPence && amount <= programme.maxAmountPence, 'amount', `Award between ${formatPence(programme.minAmountPence, { wholePounds: true })} and ${formatPence(programme.maxAmountPence, { wholePounds: true })}`);
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
      check.add('amount', 'Enter the amount awarded in pounds, like 4,500');
    }
    const conditions = text(raw.conditions);
    check.check(conditions.length >= 10, 'conditions', 'Set out the conditions of the grant');
    const plannedStart = text(raw.plannedStart) || null;
    const plannedEnd = text(raw.plannedEnd) || null;
    if (plannedStart) check.check(isCalendarDate(plannedStart), 'plannedStart', 'Enter the start date as YYYY-MM-DD');
    if (plannedEnd) check.check(isCalendarDate(plannedEnd) && (!plannedStart || plannedEnd >= plannedStart), 'plannedEnd', 'Enter an end date as YYYY-MM-DD, on or after the start');
    check.throwIfAny();
    const now = new Date();
    const id = newId();
    const grant: Grant = {
      identifier: `${publisherPrefix(authority.slug)}-${id}`,
      title: application.title!,
      description: application.summary!,
      currency: 'GBP',
      amountAwardedPence: amount,
      amountAppliedForPence: application.amountRequestedPence,
      awardDate: londonToday(now),
      plannedStart,
      plannedEnd,
      durationMonths: null,
      recipient: { id: organisationIdentifier(organisation, `${publisherPrefix(authority.slug)}-org-${organisation.id}`), name: organisation.name, charityNumber: organisation.charityNumber, companyNumber: organisation.companyNumber, postalCode: null },
      funder: funderOf(authority),
      programmeTitle: programme.title,
      locations: ward ? [{ name: ward.name, geoCode: ward.gssCode, geoCodeType: 'WD', countryCode: 'GB' }] : [],
      dateModified: now.toISOString(),
    };
    const row: Award = { id, authorityId: authority.id, applicationId, ...awardColumns(grant), conditions, source: null, createdAt: now, updatedAt: now };
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.select({ status: grantApplications.status }).from(grantApplications).where(eq(grantApplications.id, applicationId)).for('update');
      if (locked?.status !== 'recommended') throw new ConflictError('This application has been decided already');
      await tx.update(grantApplications).set({ status: 'awarded', updatedAt: now }).where(eq(grantApplications.id, applicationId));
      await tx.insert(grantAwards).values(row);
      await recordAudit(tx, actor, { authorityId: authority.id, action: 'grants.award', entityType: 'grant_award', entityId: id, after: row });
      return row;
    });
  }

  async getAward(authorityId: string, id: string): Promise<{ award: Award; returns: MonitoringReturn[]; organisationId: string | null }> {
    const [award] = await this.db.select().from(grantAwards).where(and(eq(grantAwards.authorityId, authorityId), eq(grantAwards.id, id)));
    if (!award) throw new NotFoundError('No such grant');
    const returns = await this.db.select().from(grantMonitoringReturns).where(eq(grantMonitoringReturns.awardId, id)).orderBy(asc(grantMonitoringReturns.dueOn));
    const organisationId = award.applicationId ? (await this.getApplication(authorityId, award.applicationId)).organisationId : null;
    return { award, returns, organisationId };
  }

  /** Every grant held, newest first: what the public page lists and 360Giving publishes. */
  listAwards(authorityId: string): Promise<Award[]> {
    return this.db.select().from(grantAwards).where(eq(grantAwards.authorityId, authorityId)).orderBy(desc(grantAwards.awardDate), asc(grantAwards.identifier));
  }

  async grants(authorityId: string): Promise<Grant[]> {
    return (await this.listAwards(authorityId)).map(grantOf);
  }

  /**
   * Diversity of grant funding: grants and money by award year and programme, and the share won
   * by voluntary and community organisations, social enterprises, mutuals and local recipients.
   */
  async diversity(authority: Authority) {
    // Shares are of money in pounds: a grant in another currency cannot be added to them.
    const awards = (await this.listAwards(authority.id)).filter((a) => a.currency === 'GBP');
    const applied = awards.flatMap((a) => (a.applicationId ? [a.applicationId] : []));
    const applicants = applied.length === 0 ? [] : await this.db.select({ id: grantApplications.id, organisationId: grantApplications.organisationId }).from(grantApplications).where(and(eq(grantApplications.authorityId, authority.id), inArray(grantApplications.id, applied)));
    const organisationOf = new Map(applicants.map((a) => [a.id, a.organisationId]));
    const types = await this.organisations.summariesByIds(this.db, authority.id, [...new Set(organisationOf.values())]);
    const local = { authorityCode: authority.gssCode, wardCodes: new Set((await this.places.listWards(authority.id)).map((w) => w.gssCode)) };
    const grants = awards.map((a) => {
      const organisationId = a.applicationId ? organisationOf.get(a.applicationId) : undefined;
      const recipient = {
        organisationType: organisationId ? (types.get(organisationId)?.type ?? null) : null,
        recipientId: a.recipientId,
        charityNumber: a.recipientCharityNumber,
        postcodeAuthorityCode: a.recipientPostalCode ? (this.places.lookupPostcode(a.recipientPostalCode)?.localAuthorityCode ?? null) : null,
        locationCodes: a.locations.flatMap((l) => (l.geoCode ? [l.geoCode.toUpperCase()] : [])),
      };
      return { awardDate: a.awardDate, programme: a.programmeTitle ?? 'No programme named', amountPence: a.amountAwardedPence, groups: grantGroups(recipient, local) };
    });
    return grantDiversity(grants);
  }

  // ---------------------------------------------------------------- monitoring returns

  async addReturn(actor: Actor, authorityId: string, awardId: string, raw: Record<string, unknown>): Promise<MonitoringReturn> {
    const check = new FieldChecker();
    const title = text(raw.title);
    const dueOn = text(raw.dueOn);
    check.check(title.length >= 3, 'title', 'Say what the return is, like Six-month report');
    check.check(isCalendarDate(dueOn), 'dueOn', 'Enter the due date as YYYY-MM-DD');
    check.throwIfAny();
    await this.getAward(authorityId, awardId);
    const row: MonitoringReturn = { id: newId(), authorityId, awardId, title, dueOn, report: null, submittedAt: null, acceptedAt: null, createdAt: new Date() };
    return this.db.transaction(async (tx) => {
      await tx.insert(grantMonitoringReturns).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'grants.return-add', entityType: 'grant_award', entityId: awardId, after: row });
      return row;
    });
  }

  /** The grant holder sends a return: only someone who represents the organisation funded. */
  async submitReturn(actor: Actor, authorityId: string, awardId: string, returnId: string, userId: string, raw: Record<string, unknown>): Promise<void> {
    const { organisationId } = await this.getAward(authorityId, awardId);
    if (!organisationId) throw new ConflictError('This grant was imported; its returns are not kept here');
    const report = text(raw.report);
    if (report.length < 10) throw new ValidationError({ report: 'Write the report: what the grant has done so far' });
    await this.requireRepresentative(authorityId, userId, organisationId, 'report');
    await this.changeReturn(actor, authorityId, awardId, returnId, 'grants.return-submit', (r) => {
      if (r.acceptedAt) throw new ConflictError('This return has been accepted already');
      return { report, submittedAt: new Date() };
    });
  }

  async acceptReturn(actor: Actor, authorityId: string, awardId: string, returnId: string): Promise<void> {
    await this.changeReturn(actor, authorityId, awardId, returnId, 'grants.return-accept', (r) => {
      if (!r.submittedAt) throw new ConflictError('This return has not been sent yet', { form: 'This return has not been sent yet' });
      if (r.acceptedAt) throw new ConflictError('This return has been accepted already', { form: 'This return has been accepted already' });
      return { acceptedAt: new Date() };
    });
  }

  private async changeReturn(actor: Actor, authorityId: string, awardId: string, returnId: string, action: string, change: (r: MonitoringReturn) => Partial<MonitoringReturn>) {
    await this.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(grantMonitoringReturns)
        .where(and(eq(grantMonitoringReturns.authorityId, authorityId), eq(grantMonitoringReturns.awardId, awardId), eq(grantMonitoringReturns.id, returnId)))
        .for('update');
      if (!before) throw new NotFoundError('No such monitoring return');
      const [after] = await tx.update(grantMonitoringReturns).set(change(before)).where(eq(grantMonitoringReturns.id, returnId)).returning();
      await recordAudit(tx, actor, { authorityId, action, entityType: 'grant_award', entityId: awardId, before, after });
    });
  }

  // ---------------------------------------------------------------- 360Giving import

  /**
   * Take in a 360Giving file whole or not at all: any grant with a field that cannot be read
   * one way only is reported and nothing is written. A grant already held under the same
   * identifier is updated if the file says something new, so the same file twice changes nothing.
   */
  async importFile(actor: Actor, authorityId: string, input: { fileName: string; text: string }): Promise<ImportReport> {
    const read = readThreeSixty(input.text);
    const report: ImportReport = { grants: 0, added: 0, updated: 0, unchanged: 0, amountAwarded: {}, warnings: read.warnings, errors: read.errors };
    if (read.errors.length) return report;
    const held = new Map((await this.listAwards(authorityId)).map((a) => [a.identifier, a]));
    const clash = read.grants.find((g) => held.get(g.identifier)?.applicationId);
    if (clash) return { ...report, errors: [`grant ${clash.identifier}: id: a grant awarded here already has this identifier`] };
    const now = new Date();
    const added: Award[] = [];
    const updated: [Award, Award][] = [];
    for (const g of read.grants) {
      const before = held.get(g.identifier);
      if (!before) added.push({ id: newId(), authorityId, applicationId: null, ...awardColumns(g), conditions: null, source: input.fileName, createdAt: now, updatedAt: now });
      else if (!sameGrant(before, g)) updated.push([before, { ...before, ...awardColumns(g), source: input.fileName, updatedAt: now }]);
      else report.unchanged += 1;
    }
    for (const g of read.grants) report.amountAwarded[g.currency] = (report.amountAwarded[g.currency] ?? 0) + g.amountAwardedPence;
    report.grants = read.grants.length;
    report.added = added.length;
    report.updated = updated.length;
    if (added.length === 0 && updated.length === 0) return report;
    await this.db.transaction(async (tx) => {
      // Chunks keep each statement well under PostgreSQL's 65,535 parameters.
      for (let i = 0; i < added.length; i += 500) await tx.insert(grantAwards).values(added.slice(i, i + 500));
      for (const [, after] of updated) await tx.update(grantAwards).set(after).where(eq(grantAwards.id, after.id));
      await recordAudit(tx, actor, {
        authorityId,
        action: 'grants.import',
        entityType: 'authority',
        entityId: authorityId,
        after: { file: input.fileName, sha256: createHash('sha256').update(input.text).digest('hex'), added: added.map((a) => a.identifier), updated: updated.map(([b]) => b.identifier), unchanged: report.unchanged },
      });
    });
    return report;
  }
}
