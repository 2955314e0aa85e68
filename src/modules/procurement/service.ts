/** Tenders, suppliers and sealed bids, evaluation and award, and the contracts register. */
import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, optionalText, text } from '../../lib/errors.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import { addDays, formatDate, formatDateTime, isCalendarDate, londonToday, periodEnd, type CalendarDate } from '../../lib/dates.ts';
import { parsePounds, MoneyFormatError } from '../../lib/money.ts';
import { ENGLAND_AND_WALES, holidayLookup } from '../../lib/bank-holidays.ts';
import type { Outbox } from '../../lib/outbox/outbox.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import type { OrganisationPeopleService } from '../organisations/people.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { SuppliersService } from '../transparency/supplier-service.ts';
import {
  bidMembers, bids, contractChanges, contractKpis, contractPayments, contracts, evaluationScores, evaluatorDeclarations, kpiReports, moderatedScores,
  procurementSuppliers, socialValueMeasures, tenderAwards, tenderClarifications, tenderCriteria, tenderLots, tenders,
} from './tables.ts';
import {
  CRITERION_KINDS, awardLetters, parseNotAwardedReason, statusOfLots, contractNotices, directAwardGround, directAwardRefusal, directAwardSteps, parseDirectAwardValue, parseTransparencyNotice, standstillApplies, diversityGroups, spendGroups, londonNoon, earliestContractDate, kpiStatus, mutualQualifies, noticesDue, parseBidContent, parseContractEnd, parseScore, parseSupplier, parseTender, points, scoreBids, socialValuePence, winner,
  type BidContent, type BidFigures, type CriterionKind, type DirectAwardFacts, type Locality, type NoticeDue, type PaymentUnderPublicContract, type Procedure, type SupplierSize,
} from './rules.ts';
import { BidSeal, SealedBeforeDeadlineError } from './sealing.ts';
import type { ContractType } from './thresholds.ts';

export type Tender = typeof tenders.$inferSelect;
export type Supplier = typeof procurementSuppliers.$inferSelect & { name: string; type: string; charityNumber: string | null; companyNumber: string | null };
export type Contract = typeof contracts.$inferSelect;
export type Lot = typeof tenderLots.$inferSelect;

const isHoliday = holidayLookup(ENGLAND_AND_WALES);

/** The notices a tender needs; in lots, counted from its first contract, with a UK12 for each lot not awarded. */
const tenderNotices = (t: Tender, firstContractStartsOn: CalendarDate | null, lots: readonly Lot[]): NoticeDue[] =>
  noticesDue({
    aboveThreshold: t.aboveThreshold, notifiable: t.notifiable, contractType: t.contractType as ContractType, procedure: t.procedure as Procedure, directAwardGround: t.directAwardGround,
    publishedOn: t.publishedOn, uk5PublishedOn: t.uk5PublishedOn, uk2PublishedOn: t.uk2PublishedOn, uk3PublishedOn: t.uk3PublishedOn, awardNoticeOn: t.awardNoticeOn, contractStartsOn: firstContractStartsOn, cancelledOn: t.cancelledOn,
    lotsNotAwarded: lots.flatMap((l) => (l.notAwardedAt ? [{ id: l.id, title: l.title, on: londonToday(l.notAwardedAt) }] : [])),
  }, isHoliday);

/** What a contract's notices are worked out from: the contract, its tender (null if it came from none) and its KPIs, reports and payments. */
interface ContractRecords {
  contract: Contract & { changes: (typeof contractChanges.$inferSelect)[] };
  tender: Pick<Tender, 'contractType' | 'aboveThreshold' | 'valueInclVatPence'> | null;
  kpiCount: number;
  checkedAt: readonly Date[];
  payments: readonly (typeof contractPayments.$inferSelect)[];
}

const noticesOfContract = (r: ContractRecords): NoticeDue[] =>
  r.tender
    ? contractNotices({
      contractType: r.tender.contractType as ContractType, aboveThreshold: r.tender.aboveThreshold, awardedValuePence: r.contract.valuePence, estimatedValueInclVatPence: r.tender.valueInclVatPence,
      startsOn: r.contract.startsOn, endedOn: r.contract.endedOn, hasKpis: r.kpiCount > 0, kpiAssessedOn: r.checkedAt.map((at) => londonToday(at)),
      payments: r.payments, variations: r.contract.changes.filter((c) => c.kind === 'variation'),
    })
    : [];

/** The tender's columns plus the database's own clock, which alone decides whether bids are open. */
const tenderWithClock = { ...getTableColumns(tenders), dbNowMs: sql<number>`(extract(epoch from now()) * 1000)::float8`.mapWith(Number) };
type TenderRow = Tender & { dbNowMs: number };
export const isClosed = (t: TenderRow) => t.dbNowMs >= t.closesAt.getTime();
export const isOpenToBids = (t: TenderRow) => t.procedure !== 'direct_award' && t.status === 'open' && !isClosed(t);

const NO_BIDS = 'This is a direct award to the supplier the council names: it takes no bids and has none to evaluate (Procurement Act 2023, sections 41 and 43)';
/** A direct award takes no bids; the database refuses one too. */
function refuseIfDirectAward(t: Pick<Tender, 'procedure'>) {
  if (t.procedure === 'direct_award') throw new ValidationError({ form: NO_BIDS });
}

const directAwardFacts = (t: Tender, awarded: boolean): DirectAwardFacts => ({
  groundCode: t.directAwardGround, publishedOn: t.publishedOn, supplierNamed: t.directAwardSupplierId !== null, uk5PublishedOn: t.uk5PublishedOn, awarded,
});

/** The register's route for a contract, as the Transparency Code asks it: an invitation to quote, a published invitation to tender, or neither (a direct award). */
const registerProcedure = (procedure: string) => (procedure === 'quotes' ? 'quote' : procedure === 'direct_award' ? 'direct_award' : 'tender');

/** The register entry an award makes: a lot's contract is named and numbered after its lot. */
function contractFor(tender: Tender, lot: Lot | null, awardId: string, terms: { supplierId: string; valuePence: number; startsOn: CalendarDate }): Contract {
  const ref = tender.ref.replace(/^T-/, 'C-');
  const { supplierId, valuePence, startsOn } = terms;
  return {
    id: newId(), authorityId: tender.authorityId, ref: lot ? `${ref}-L${lot.position}` : ref, tenderId: tender.id, lotId: lot?.id ?? null, awardId,
    title: lot ? `${tender.title}: ${lot.title}` : tender.title, description: tender.description,
    serviceArea: tender.serviceArea, supplierId, valuePence, irrecoverableVatPence: 0,
    startsOn, endsOn: periodEnd(startsOn, tender.termMonths, 'months'), reviewOn: null, procedure: registerProcedure(tender.procedure),
    reservedForMutuals: tender.reservedForMutuals, endedOn: null, endReason: null, createdAt: new Date(),
  };
}
const TENDER_OF_CONTRACT = { contractType: tenders.contractType, aboveThreshold: tenders.aboveThreshold, valueInclVatPence: tenders.valueInclVatPence };

export interface OpenedBid {
  id: string;
  lotId: string | null;
  lead: Supplier;
  members: Supplier[];
  submittedAt: Date;
  content: BidContent;
  socialValuePence: number;
}

export interface Deps {
  organisations: OrganisationsService;
  organisationPeople: OrganisationPeopleService;
  accounts: AccountsService;
  /** The transparency module's suppliers, for spend alongside contracts. */
  suppliers: SuppliersService;
  outbox: Outbox;
  /** The platform secret the bid keys are derived from; it never reaches the database. */
  sealSecret: string;
}

export class ProcurementService {
  private readonly db: Db;
  private readonly deps: Deps;
  private readonly seal: BidSeal;

  constructor(db: Db, deps: Deps) {
    this.db = db;
    this.deps = deps;
    this.seal = new BidSeal(deps.sealSecret);
  }

  // ---------------------------------------------------------------- social value measures

  listMeasures(db: Queryable, authorityId: string) {
    return db.select().from(socialValueMeasures).where(eq(socialValueMeasures.authorityId, authorityId)).orderBy(asc(socialValueMeasures.code));
  }

  /** The council sets its own measures and proxy values (the National TOMs are licensed, so none are built in). */
  async addMeasure(actor: Actor, authorityId: string, raw: Record<string, unknown>) {
    const check = new FieldChecker();
    const code = text(raw.code);
    const label = text(raw.label);
    const unit = text(raw.unit);
    const source = text(raw.source);
    const effectiveFrom = text(raw.effectiveFrom);
    let proxyPence = -1;
    try {
      proxyPence = parsePounds(text(raw.proxy));
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
    }
    check.check(/^[A-Za-z0-9-]{1,20}$/.test(code), 'code', 'Enter a short code, like JOBS-1');
    check.check(label.length >= 3 && label.length <= 200, 'label', 'Enter what the measure is, like Local people employed');
    check.check(unit.length >= 2 && unit.length <= 100, 'unit', 'Enter the unit, like full-time job for a year');
    check.check(proxyPence > 0, 'proxy', 'Enter the proxy value of one unit in pounds, like 25,000');
    check.check(source.length >= 3, 'source', 'Say where the proxy value comes from');
    check.check(isCalendarDate(effectiveFrom), 'effectiveFrom', 'Enter the date it applies from, like 2026-04-01');
    check.throwIfAny();
    return this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, code, label, unit, proxyPence, source, effectiveFrom };
      await tx.insert(socialValueMeasures).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'social-value-measure.create', entityType: 'social_value_measure', entityId: row.id, after: row });
      return row;
    });
  }

  // ---------------------------------------------------------------- suppliers

  private async suppliers(db: Queryable, authorityId: string, where?: ReturnType<typeof eq>): Promise<Supplier[]> {
    const rows = await db.select().from(procurementSuppliers).where(and(eq(procurementSuppliers.authorityId, authorityId), where));
    const orgs = await this.deps.organisations.summariesByIds(db, authorityId, rows.map((r) => r.organisationId));
    return rows
      .map((r) => {
        const o = orgs.get(r.organisationId)!;
        return { ...r, name: o.name, type: o.type, charityNumber: o.charityNumber, companyNumber: o.companyNumber };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  listSuppliers(authorityId: string) {
    return this.suppliers(this.db, authorityId);
  }

  /** The organisations someone has a role in, and which of them are registered to bid. */
  async suppliersFor(authorityId: string, userId: string) {
    const theirs = await this.deps.organisationPeople.forUser(authorityId, userId);
    const registered = (await this.listSuppliers(authorityId)).filter((s) => theirs.some((o) => o.organisationId === s.organisationId));
    return { organisations: theirs.map((o) => [o.organisationId, o.name] as [string, string]), registered };
  }

  async registerSupplier(actor: Actor, authorityId: string, userId: string, raw: Record<string, unknown>) {
    const { organisations } = await this.suppliersFor(authorityId, userId);
    const input = parseSupplier(raw, organisations.map(([id]) => id));
    return this.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: procurementSuppliers.id }).from(procurementSuppliers).where(and(eq(procurementSuppliers.authorityId, authorityId), eq(procurementSuppliers.organisationId, input.organisationId)));
      if (existing) throw new ConflictError('That organisation is already registered to bid', { organisationId: 'That organisation is already registered to bid' });
      const row = { id: newId(), authorityId, ...input, createdAt: new Date() };
      await tx.insert(procurementSuppliers).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'supplier.register', entityType: 'procurement_supplier', entityId: row.id, after: row });
      return row;
    });
  }

  // ---------------------------------------------------------------- tenders

  async createTender(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Tender> {
    const today = londonToday();
    const input = parseTender(raw, today);
    // A direct award may name its supplier now, or later but before the award.
    const named = input.procedure === 'direct_award' && text(raw.supplierId) ? await this.supplierToName(authorityId, raw) : null;
    return this.db.transaction(async (tx) => {
      const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(tenders).where(eq(tenders.authorityId, authorityId));
      const c = input.classification;
      const row: Tender = {
        id: newId(), authorityId, ref: `T-${today.slice(0, 4)}-${String(n + 1).padStart(3, '0')}`,
        title: input.title, description: input.description, serviceArea: input.serviceArea, cpvCode: input.cpvCode, contractType: input.contractType,
        valueExVatPence: input.valueExVatPence, valueInclVatPence: input.valueInclVatPence, regime: c.regime, aboveThreshold: c.aboveThreshold, notifiable: c.notifiable,
        thresholdPence: c.threshold.pence, thresholdSource: c.threshold.source, procedure: input.procedure, reservedForMutuals: input.reservedForMutuals,
        termMonths: input.termMonths, startsOn: input.startsOn, publishedOn: today, clarificationsCloseOn: input.clarificationsCloseOn, closesAt: londonNoon(input.closesOn),
        status: 'open', originKind: input.origin?.kind ?? null, originId: input.origin?.id ?? null, awardNoticeOn: null, cancelledOn: null, ...input.history,
        directAwardSupplierId: named?.id ?? null, uk5PublishedOn: null, createdAt: new Date(),
      };
      await tx.insert(tenders).values(row);
      const lots = input.lots.map((lot, i) => ({ id: newId(), authorityId, tenderId: row.id, position: i + 1, title: lot.title, valueExVatPence: lot.valueExVatPence }));
      if (lots.length > 0) await tx.insert(tenderLots).values(lots);
      const criteria = (Object.keys(CRITERION_KINDS) as CriterionKind[]).filter((k) => input.weights[k] > 0).map((kind) => ({ id: newId(), authorityId, tenderId: row.id, kind, weight: input.weights[kind] }));
      if (criteria.length > 0) await tx.insert(tenderCriteria).values(criteria);
      await recordAudit(tx, actor, { authorityId, action: 'tender.create', entityType: 'tender', entityId: row.id, after: { ...row, lots, criteria } });
      return row;
    });
  }

  /** Tenders; `openOnly`, those open to bids, which a direct award never is. */
  async listTenders(authorityId: string, options: { openOnly: boolean }) {
    const rows: TenderRow[] = await this.db.select(tenderWithClock).from(tenders).where(eq(tenders.authorityId, authorityId)).orderBy(desc(tenders.closesAt));
    return options.openOnly ? rows.filter(isOpenToBids) : rows;
  }

  private async tenderRow(db: Queryable, authorityId: string, id: string): Promise<TenderRow> {
    if (!isUuid(id)) throw new NotFoundError('No such tender');
    const [row] = await db.select(tenderWithClock).from(tenders).where(and(eq(tenders.authorityId, authorityId), eq(tenders.id, id)));
    if (!row) throw new NotFoundError('No such tender');
    return row;
  }

  /** A tender with everything a bidder may see: lots, criteria, published answers; and, for officers, the notices due. */
  async getTender(authorityId: string, id: string) {
    const tender = await this.tenderRow(this.db, authorityId, id);
    const lots = await this.lots(this.db, id);
    const criteria = await this.criteria(this.db, id);
    const clarifications = await this.db.select().from(tenderClarifications).where(eq(tenderClarifications.tenderId, id)).orderBy(asc(tenderClarifications.askedAt));
    const [{ n } = { n: 0 }] = await this.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(bids).where(eq(bids.tenderId, id));
    // In lots, the first contract (as the first award gives the tender's awardNoticeOn) is what noticesDue counts from.
    const [contract] = await this.db.select({ id: contracts.id, startsOn: contracts.startsOn }).from(contracts).where(eq(contracts.tenderId, id)).orderBy(asc(contracts.startsOn), asc(contracts.createdAt)).limit(1);
    const notices = tenderNotices(tender, contract?.startsOn ?? null, lots);
    const awards = await this.lotAwards(authorityId, id);
    const directAward = tender.procedure === 'direct_award' ? await this.directAwardView(tender, awards.length > 0) : null;
    return { tender, closed: isClosed(tender), lots, criteria, clarifications, bidCount: n, notices, contractId: contract?.id ?? null, awards, directAward };
  }

  private lots(db: Queryable, tenderId: string): Promise<Lot[]> {
    return db.select().from(tenderLots).where(eq(tenderLots.tenderId, tenderId)).orderBy(asc(tenderLots.position));
  }

  /** Each award made so far (one per lot, or one for a tender without lots): its winner and the contract it made. */
  private async lotAwards(authorityId: string, tenderId: string) {
    const rows = await this.db
      .select({ lotId: tenderAwards.lotId, awardNoticeOn: tenderAwards.awardNoticeOn, standstillEndsOn: tenderAwards.standstillEndsOn, supplierId: contracts.supplierId, contractId: contracts.id })
      .from(tenderAwards).innerJoin(contracts, eq(contracts.awardId, tenderAwards.id)).where(eq(tenderAwards.tenderId, tenderId));
    if (rows.length === 0) return [];
    const names = new Map((await this.suppliers(this.db, authorityId)).map((x) => [x.id, x.name]));
    return rows.map((r) => ({ ...r, supplier: names.get(r.supplierId)! }));
  }

  /**
   * How a tender's lots stand, read inside the transaction that settles one once the tender's row
   * is locked: what has been awarded, and which lots were decided not to be.
   */
  private async settlement(tx: Tx, tenderId: string) {
    const awarded = await tx.select({ lotId: tenderAwards.lotId }).from(tenderAwards).where(eq(tenderAwards.tenderId, tenderId));
    const notAwarded: Lot[] = await tx.select().from(tenderLots).where(and(eq(tenderLots.tenderId, tenderId), sql`${tenderLots.notAwardedAt} is not null`));
    return { awarded: awarded.map((a) => a.lotId), notAwarded };
  }

  private criteria(db: Queryable, tenderId: string) {
    return db.select().from(tenderCriteria).where(eq(tenderCriteria.tenderId, tenderId)).orderBy(sql`case ${tenderCriteria.kind} when 'price' then 1 when 'quality' then 2 else 3 end`);
  }

  /** Decide not to award (s.55): the tender closes, bidders are told, and a UK12 falls due today. */
  async cancel(actor: Actor, authorityId: string, tenderId: string, raw: Record<string, unknown>) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    if (tender.status !== 'open') throw new ConflictError('This tender has already been decided');
    // Each lot is its own contract: once one is awarded, the tender as a whole can no longer be not awarded.
    const partly = 'A lot of this tender has been awarded, so the tender as a whole cannot be left unawarded';
    if ((await this.lotAwards(authorityId, tenderId)).length > 0) throw new ConflictError(partly, { reason: partly });
    const reason = parseNotAwardedReason(raw, 'reason');
    // Bidders for a lot already decided on were told then: only the rest are told now.
    const decided = new Set((await this.lots(this.db, tenderId)).filter((l) => l.notAwardedAt).map((l) => l.id));
    const bidders = await this.db.select({ userId: bids.submittedBy, lotId: bids.lotId }).from(bids).where(eq(bids.tenderId, tenderId));
    const emails = await this.emailsOf(bidders.filter((b) => !b.lotId || !decided.has(b.lotId)).map((b) => b.userId));
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(tenders).set({ status: 'cancelled', cancelledOn: londonToday() }).where(and(eq(tenders.id, tenderId), eq(tenders.status, 'open'))).returning();
      if (!after) throw new ConflictError('This tender has already been decided');
      for (const to of emails) await this.deps.outbox.enqueue(tx, { authorityId, to, subject: `${tender.ref} ${tender.title}: not awarded`, body: `The council has decided not to award this contract.\n\nReason: ${reason}` });
      await recordAudit(tx, actor, { authorityId, action: 'tender.cancel', entityType: 'tender', entityId: tenderId, before: tender, after, reason });
    });
  }

  /**
   * Decide not to award one lot of a tender in lots (s.55), with the reason (form fields `lot` and
   * `lotReason`): only that lot's bidders are told, its UK12 falls due today, it can no longer be
   * awarded or bid for, and the tender closes once every lot is awarded or not awarded. The other
   * lots go on.
   */
  async decideNotToAwardLot(actor: Actor, authorityId: string, tenderId: string, raw: Record<string, unknown>) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    if (tender.status !== 'open') throw new ConflictError('This tender has already been decided');
    const lots = await this.lots(this.db, tenderId);
    const lot = lots.find((l) => l.id === text(raw.lot));
    const awards = await this.lotAwards(authorityId, tenderId);
    const check = new FieldChecker();
    check.check(lots.length > 0, 'lot', 'This tender has no lots: decide not to award the tender as a whole');
    check.check(lots.length === 0 || !!lot, 'lot', 'Select the lot not to award');
    if (lot?.notAwardedAt) check.add('lot', `The council has already decided not to award ${lot.title}`);
    if (lot && awards.some((a) => a.lotId === lot.id)) check.add('lot', `${lot.title} has been awarded, so it cannot now be left unawarded`);
    let reason = '';
    try {
      reason = parseNotAwardedReason(raw, 'lotReason');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      check.add('lotReason', err.fields.lotReason!);
    }
    check.throwIfAny();
    const emails = await this.emailsOf((await this.db.select({ userId: bids.submittedBy }).from(bids).where(and(eq(bids.tenderId, tenderId), eq(bids.lotId, lot!.id)))).map((b) => b.userId));
    await this.db.transaction(async (tx) => {
      // Locked as an award locks it, so a lot awarded and not awarded at once cannot both happen, and the count below sees every lot settled.
      await tx.select({ id: tenders.id }).from(tenders).where(eq(tenders.id, tenderId)).for('update');
      const before = await this.settlement(tx, tenderId);
      const awardedMeanwhile = `${lot!.title} has been awarded, so it cannot now be left unawarded`;
      if (before.awarded.includes(lot!.id)) throw new ConflictError(awardedMeanwhile, { lot: awardedMeanwhile });
      const [after] = await tx.update(tenderLots).set({ notAwardedAt: new Date(), notAwardedReason: reason }).where(and(eq(tenderLots.id, lot!.id), isNull(tenderLots.notAwardedAt))).returning();
      if (!after) throw new ConflictError(`The council has already decided not to award ${lot!.title}`, { lot: `The council has already decided not to award ${lot!.title}` });
      const status = statusOfLots(lots.length, before.awarded.length, before.notAwarded.length + 1);
      if (status !== 'open') await tx.update(tenders).set({ status }).where(eq(tenders.id, tenderId));
      const subject = `${tender.ref} ${tender.title}, ${lot!.title}: not awarded`;
      for (const to of emails) await this.deps.outbox.enqueue(tx, { authorityId, to, subject, body: `The council has decided not to award the contract for ${lot!.title}. The other lots of this tender are not affected.\n\nReason: ${reason}` });
      await recordAudit(tx, actor, { authorityId, action: 'tender.lot-not-awarded', entityType: 'tender', entityId: tenderId, before: { lot: lot!, status: tender.status }, after: { lot: after, status }, reason });
    });
  }

  // ---------------------------------------------------------------- clarifications

  async ask(actor: Actor, authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    const question = text(raw.question);
    if (londonToday() > tender.clarificationsCloseOn) throw new ValidationError({ question: `Questions closed on ${formatDate(tender.clarificationsCloseOn)}` });
    if (question.length < 10 || question.length > 2000) throw new ValidationError({ question: 'Enter your question in 10 to 2,000 characters' });
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, tenderId, question, askedBy: userId, askedAt: new Date(), answer: null, answeredAt: null };
      await tx.insert(tenderClarifications).values(row);
      // The asker is not published with the question: every bidder sees the same question and answer.
      await recordAudit(tx, actor, { authorityId, action: 'tender.clarification-ask', entityType: 'tender', entityId: tenderId, after: { id: row.id, question } });
    });
  }

  /** Answer a question: the answer is published on the tender and sent to everyone who has asked or bid. */
  async answer(actor: Actor, authorityId: string, tenderId: string, clarificationId: string, raw: Record<string, unknown>) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    const answer = text(raw.answer);
    if (answer.length < 2 || answer.length > 5000) throw new ValidationError({ answer: 'Enter the answer in 2 to 5,000 characters' });
    if (!isUuid(clarificationId)) throw new NotFoundError('No such question');
    const askers = await this.db.select({ userId: tenderClarifications.askedBy }).from(tenderClarifications).where(eq(tenderClarifications.tenderId, tenderId));
    const bidders = await this.db.select({ userId: bids.submittedBy }).from(bids).where(eq(bids.tenderId, tenderId));
    const emails = await this.emailsOf([...askers, ...bidders].map((r) => r.userId));
    await this.db.transaction(async (tx) => {
      const [row] = await tx.update(tenderClarifications).set({ answer, answeredAt: new Date() }).where(and(eq(tenderClarifications.tenderId, tenderId), eq(tenderClarifications.id, clarificationId))).returning();
      if (!row) throw new NotFoundError('No such question');
      for (const to of emails) {
        await this.deps.outbox.enqueue(tx, { authorityId, to, subject: `${tender.ref}: a question has been answered`, body: `Question: ${row.question}\n\nAnswer: ${answer}\n\nEvery bidder sees the same answer on the tender page.` });
      }
      await recordAudit(tx, actor, { authorityId, action: 'tender.clarification-answer', entityType: 'tender', entityId: tenderId, after: { id: row.id, answer } });
    });
  }

  private async emailsOf(userIds: string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const id of new Set(userIds)) {
      const user = await this.deps.accounts.userById(id);
      if (user) out.add(user.email);
    }
    return [...out];
  }

  // ---------------------------------------------------------------- bids

  /**
   * Submit a bid, alone or as the lead of a consortium; for a tender with lots, a bid for one lot
   * (`lotId`), one sealed bid per lot a supplier bids for. The content is sealed before it is stored.
   */
  async submitBid(actor: Actor, authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    refuseIfDirectAward(tender);
    this.refuseIfLate(tender);
    const lots = await this.lots(this.db, tenderId);
    const { registered } = await this.suppliersFor(authorityId, userId);
    const all = await this.listSuppliers(authorityId);
    const measures = await this.listMeasures(this.db, authorityId);
    const check = new FieldChecker();
    const lead = registered.find((s) => s.id === text(raw.leadSupplierId));
    check.check(!!lead, 'leadSupplierId', 'Select the organisation bidding (or leading the consortium)');
    const memberIds = (Array.isArray(raw.members) ? raw.members : raw.members ? [raw.members] : []).map(text).filter((id) => id && id !== lead?.id);
    const members = memberIds.map((id) => all.find((s) => s.id === id));
    check.check(members.every(Boolean), 'members', 'Select consortium members from the registered organisations');
    const lot = lots.find((l) => l.id === text(raw.lotId)) ?? null;
    check.check(lots.length === 0 || !!lot, 'lotId', 'Select the lot you are bidding for');
    if (lot?.notAwardedAt) check.add('lotId', `The council decided not to award ${lot.title}, so it takes no bids`);
    let content: BidContent | null = null;
    try {
      content = parseBidContent(raw, measures.map((m) => m.id));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const [k, v] of Object.entries(err.fields)) check.add(k, v);
    }
    check.throwIfAny();
    if (tender.reservedForMutuals) await this.refuseIfNotMutual(tender, lead!);
    try {
      return await this.db.transaction(async (tx) => {
        const [dup] = await tx.select({ id: bids.id }).from(bids).where(and(eq(bids.tenderId, tenderId), lot ? eq(bids.lotId, lot.id) : undefined, eq(bids.leadSupplierId, lead!.id)));
        const already = `${lead!.name} has already bid for this ${lot ? 'lot' : 'tender'}`;
        if (dup) throw new ConflictError(already, { leadSupplierId: already });
        const lotId = lot?.id ?? null;
        const row = { id: newId(), authorityId, tenderId, lotId, leadSupplierId: lead!.id, submittedBy: userId, submittedAt: new Date(), sealed: this.seal.seal(tenderId, lotId, content) };
        await tx.insert(bids).values(row);
        if (memberIds.length > 0) await tx.insert(bidMembers).values(memberIds.map((supplierId) => ({ authorityId, bidId: row.id, supplierId })));
        // Only who bid and when: the content stays sealed, on the audit log too.
        await recordAudit(tx, actor, { authorityId, action: 'bid.submit', entityType: 'bid', entityId: row.id, after: { tenderId, lotId, leadSupplierId: lead!.id, members: memberIds, submittedAt: row.submittedAt } });
        return { id: row.id, submittedAt: row.submittedAt };
      });
    } catch (err) {
      // The database's own check, should the deadline pass between ours and the insert.
      const said = err instanceof Error ? `${err.message} ${(err as { cause?: Error }).cause?.message ?? ''}` : '';
      if (/bid after the deadline/.test(said)) this.refuseIfLate({ ...tender, dbNowMs: Number.POSITIVE_INFINITY });
      if (/takes no bids/.test(said)) refuseIfDirectAward({ procedure: 'direct_award' });
      if (/no bid for it can be made/.test(said)) throw new ValidationError({ lotId: `The council decided not to award ${lot!.title}, so it takes no bids` });
      throw err;
    }
  }

  private refuseIfLate(tender: TenderRow) {
    if (tender.status === 'cancelled') throw new ValidationError({ form: 'The council decided not to award this contract, so it takes no more bids.' });
    if (tender.status !== 'open' || isClosed(tender)) {
      throw new ValidationError({ form: `This tender closed at ${formatDateTime(tender.closesAt)}. Bids after the deadline cannot be accepted.` });
    }
  }

  /** s.33: only a qualifying public service mutual may bid for a reserved contract. */
  private async refuseIfNotMutual(tender: Tender, lead: Supplier) {
    const prior = await this.db
      .select({ startsOn: contracts.startsOn })
      .from(contracts)
      .innerJoin(tenders, eq(tenders.id, contracts.tenderId))
      .where(and(eq(contracts.authorityId, tender.authorityId), eq(contracts.supplierId, lead.id), eq(contracts.reservedForMutuals, true), sql`left(${tenders.cpvCode}, 3) = ${tender.cpvCode.slice(0, 3)}`));
    const reasons = lead.type === 'public_service_mutual' ? mutualQualifies(lead, prior.map((p) => p.startsOn), londonToday()) : ['it is not registered as a public service mutual'];
    if (reasons.length > 0) throw new ValidationError({ leadSupplierId: `This contract is reserved for public service mutuals, and ${lead.name} cannot bid: ${reasons.join('; ')}` });
  }

  /**
   * What a bidder sees of the bids its organisations lead, whoever in them sent each: that it
   * arrived, for which lot, and when — never the content, and never anyone else's bids.
   */
  async receiptsFor(authorityId: string, tenderId: string, userId: string) {
    const { registered } = await this.suppliersFor(authorityId, userId);
    if (registered.length === 0) return [];
    const rows = await this.db.select({ id: bids.id, submittedAt: bids.submittedAt, leadSupplierId: bids.leadSupplierId, lotId: bids.lotId }).from(bids)
      .where(and(eq(bids.authorityId, authorityId), eq(bids.tenderId, tenderId), inArray(bids.leadSupplierId, registered.map((s) => s.id)))).orderBy(asc(bids.submittedAt));
    return rows.map((r) => ({ ...r, lead: registered.find((s) => s.id === r.leadSupplierId)!.name }));
  }

  /**
   * Open every bid for a tender, in all its lots. The database is asked for sealed content only where its clock has
   * passed the deadline, and the seal itself refuses before then: before the deadline, nothing opens.
   */
  async openBids(db: Queryable, authorityId: string, tenderId: string): Promise<OpenedBid[]> {
    const tender = await this.tenderRow(db, authorityId, tenderId);
    if (!isClosed(tender)) throw new SealedBeforeDeadlineError(`Bids stay sealed until ${formatDateTime(tender.closesAt)}`);
    const rows = await db
      .select({ id: bids.id, lotId: bids.lotId, leadSupplierId: bids.leadSupplierId, submittedAt: bids.submittedAt, sealed: bids.sealed })
      .from(bids)
      .innerJoin(tenders, eq(tenders.id, bids.tenderId))
      .where(and(eq(bids.authorityId, authorityId), eq(bids.tenderId, tenderId), sql`now() >= ${tenders.closesAt}`))
      .orderBy(asc(bids.submittedAt));
    const members = rows.length ? await db.select().from(bidMembers).where(inArray(bidMembers.bidId, rows.map((r) => r.id))) : [];
    const suppliers = new Map((await this.suppliers(db, authorityId)).map((s) => [s.id, s]));
    const measures = await this.listMeasures(db, authorityId);
    return rows.map((r) => {
      const content = this.seal.openSealed<BidContent>(tenderId, r.lotId, tender.closesAt, new Date(tender.dbNowMs), r.sealed);
      return {
        id: r.id, lotId: r.lotId, lead: suppliers.get(r.leadSupplierId)!, submittedAt: r.submittedAt, content,
        members: members.filter((m) => m.bidId === r.id).map((m) => suppliers.get(m.supplierId)!),
        socialValuePence: socialValuePence(content.commitments, measures.map((m) => ({ id: m.id, proxyPence: m.proxyPence }))),
      };
    });
  }

  // ---------------------------------------------------------------- evaluation

  /**
   * The evaluation as one evaluator sees it: the opened bids, their own declaration and scores, and
   * the moderation so far. A tender with lots is evaluated lot by lot: `lotId` names the lot, and
   * without it no bids are given (the page then asks which lot), though the seal is still checked.
   * The declaration is the tender's, since a conflict with a bidder is one in every lot.
   */
  async evaluation(authorityId: string, tenderId: string, userId: string, lotId: string | null = null) {
    const { tender, criteria, lots, awards } = await this.getTender(authorityId, tenderId);
    if (tender.procedure === 'direct_award') throw new ConflictError(NO_BIDS);
    const lot = lotId ? lots.find((l) => l.id === lotId) : null;
    if (lotId && !lot) throw new NotFoundError('No such lot');
    const all = await this.openBids(this.db, authorityId, tenderId).catch((err: unknown) => {
      if (err instanceof SealedBeforeDeadlineError) throw new ConflictError(err.message);
      throw err;
    });
    const opened = lots.length === 0 ? all : all.filter((b) => b.lotId === lot?.id);
    const declarations = await this.db.select().from(evaluatorDeclarations).where(eq(evaluatorDeclarations.tenderId, tenderId));
    const bidIds = opened.map((b) => b.id);
    const scores = bidIds.length ? await this.db.select().from(evaluationScores).where(inArray(evaluationScores.bidId, bidIds)) : [];
    const moderated = bidIds.length ? await this.db.select().from(moderatedScores).where(inArray(moderatedScores.bidId, bidIds)) : [];
    const [award] = await this.db.select().from(tenderAwards).where(and(eq(tenderAwards.tenderId, tenderId), lot ? eq(tenderAwards.lotId, lot.id) : isNull(tenderAwards.lotId)));
    const measures = await this.listMeasures(this.db, authorityId);
    return {
      tender, criteria, lots, lot: lot ?? null, bids: opened, measures, award: award ?? null, awards,
      bidsInLot: Object.fromEntries(lots.map((l) => [l.id, all.filter((b) => b.lotId === l.id).length])),
      declaration: declarations.find((d) => d.evaluatorId === userId) ?? null,
      evaluators: declarations.length,
      myScores: scores.filter((s) => s.evaluatorId === userId),
      allScores: scores,
      moderated,
    };
  }

  async declare(actor: Actor, authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>) {
    await this.tenderRow(this.db, authorityId, tenderId);
    const conflicted = text(raw.conflicted);
    const details = optionalText(raw.details);
    if (conflicted !== 'yes' && conflicted !== 'no') throw new ValidationError({ conflicted: 'Say whether you have a conflict of interest with any bidder' });
    if (conflicted === 'yes' && !details) throw new ValidationError({ details: 'Say what the conflict of interest is' });
    await this.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: evaluatorDeclarations.id }).from(evaluatorDeclarations).where(and(eq(evaluatorDeclarations.tenderId, tenderId), eq(evaluatorDeclarations.evaluatorId, userId)));
      if (existing) throw new ConflictError('You have already declared for this tender', { conflicted: 'You have already declared for this tender' });
      const row = { id: newId(), authorityId, tenderId, evaluatorId: userId, conflicted: conflicted === 'yes', details, declaredAt: new Date() };
      await tx.insert(evaluatorDeclarations).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'evaluation.declare', entityType: 'tender', entityId: tenderId, after: row });
    });
  }

  /** The form fields for each bid × quality criterion: `score-`/`note-` for an evaluator, `agreed-`/`reason-` at moderation. */
  /** Every bid × quality criterion with its form fields, and the score typed there (-1, with a field error, when it will not do). */
  private qualityCells(ev: { bids: OpenedBid[]; criteria: { id: string; kind: string }[] }, [score, note]: [string, string], raw: Record<string, unknown>, check: FieldChecker) {
    return ev.bids.flatMap((b) =>
      ev.criteria.filter((c) => c.kind === 'quality').map((c) => {
        const cell = { bidId: b.id, criterionId: c.id, field: `${score}-${b.id}-${c.id}`, note: `${note}-${b.id}-${c.id}`, score: -1 };
        try {
          cell.score = parseScore(raw[cell.field], cell.field);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          check.add(cell.field, err.fields[cell.field]!);
        }
        return cell;
      }),
    );
  }

  /** The evaluation of the lot a form names (`lot`), which a tender with lots needs. */
  private async lotEvaluation(authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>, doing: string) {
    const ev = await this.evaluation(authorityId, tenderId, userId, optionalText(raw.lot));
    if (ev.lots.length > 0 && !ev.lot) throw new ValidationError({ form: `Select the lot ${doing}` });
    return ev;
  }

  /** One evaluator's own scores, made independently: they see no one else's until moderation. */
  async score(actor: Actor, authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>) {
    const ev = await this.lotEvaluation(authorityId, tenderId, userId, raw, 'to score');
    if (!ev.declaration) throw new ValidationError({ form: 'Declare any conflict of interest before you score' });
    if (ev.declaration.conflicted) throw new ValidationError({ form: 'You declared a conflict of interest, so you cannot score this tender' });
    this.refuseIfAwarded(ev);
    const check = new FieldChecker();
    const rows = this.qualityCells(ev, ['score', 'note'], raw, check).map((cell) => ({
      authorityId, bidId: cell.bidId, criterionId: cell.criterionId, evaluatorId: userId, score: cell.score, note: text(raw[cell.note]), scoredAt: new Date(),
    }));
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.insert(evaluationScores).values(row).onConflictDoUpdate({ target: [evaluationScores.bidId, evaluationScores.criterionId, evaluationScores.evaluatorId], set: { score: row.score, note: row.note, scoredAt: row.scoredAt } });
      }
      await recordAudit(tx, actor, { authorityId, action: 'evaluation.score', entityType: 'tender', entityId: tenderId, after: rows.map(({ bidId, criterionId, score, note }) => ({ bidId, criterionId, score, note })) });
    });
  }

  /** Moderation: the agreed quality score for each bid, with the reason, once evaluators have scored it. */
  async moderate(actor: Actor, authorityId: string, tenderId: string, userId: string, raw: Record<string, unknown>) {
    const ev = await this.lotEvaluation(authorityId, tenderId, userId, raw, 'to moderate');
    if (!ev.declaration) throw new ValidationError({ form: 'Declare any conflict of interest before you moderate' });
    if (ev.declaration.conflicted) throw new ValidationError({ form: 'You declared a conflict of interest, so you cannot moderate this tender' });
    this.refuseIfAwarded(ev);
    const check = new FieldChecker();
    const rows = this.qualityCells(ev, ['agreed', 'reason'], raw, check).map(({ score, ...cell }) => {
      const reason = text(raw[cell.note]);
      check.check(reason.length >= 3, cell.note, 'Give the reason for the agreed score');
      check.check(ev.allScores.some((s) => s.bidId === cell.bidId && s.criterionId === cell.criterionId), cell.field, 'No evaluator has scored this bid yet');
      return { authorityId, bidId: cell.bidId, criterionId: cell.criterionId, score, reason, moderatedBy: userId, moderatedAt: new Date() };
    });
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.insert(moderatedScores).values(row).onConflictDoUpdate({ target: [moderatedScores.bidId, moderatedScores.criterionId], set: { score: row.score, reason: row.reason, moderatedBy: userId, moderatedAt: row.moderatedAt } });
      }
      await recordAudit(tx, actor, { authorityId, action: 'evaluation.moderate', entityType: 'tender', entityId: tenderId, after: rows.map(({ bidId, criterionId, score, reason }) => ({ bidId, criterionId, score, reason })) });
    });
  }

  private refuseIfAwarded(ev: { award: unknown; lot: Lot | null }) {
    if (ev.award) throw new ConflictError(`This ${ev.lot ? 'lot' : 'tender'} has been awarded; scores can no longer change`);
    this.refuseIfNotAwarded(ev.lot, 'form');
  }

  /** A lot the council decided not to award is settled: it is no longer scored, moderated or awarded. */
  private refuseIfNotAwarded(lot: Lot | null, field: string) {
    if (!lot?.notAwardedAt) return;
    const decided = `The council decided on ${formatDate(lot.notAwardedAt)} not to award ${lot.title}, so it cannot be awarded or scored`;
    throw new ConflictError(decided, { [field]: decided });
  }

  /** Every bid's points from the moderated scores; refuses while any quality score is unmoderated. */
  standings(ev: Awaited<ReturnType<ProcurementService['evaluation']>>) {
    const figures: BidFigures[] = ev.bids.map((b) => ({
      bidId: b.id, pricePence: b.content.pricePence, socialValuePence: b.socialValuePence,
      quality: Object.fromEntries(ev.moderated.filter((m) => m.bidId === b.id).map((m) => [m.criterionId, m.score])),
    }));
    const scores = scoreBids(ev.criteria.map((c) => ({ id: c.id, kind: c.kind as CriterionKind, weight: c.weight })), figures);
    return { figures, scores, winner: winner(scores, figures) };
  }

  /**
   * Award a tender, or one of its lots (`lot`): the highest-scoring bid wins; the award notice
   * (UK6) goes out today, the standstill runs, every bidder (in that lot) is told their points
   * against the winner's, and the contract enters the register starting the day after the
   * standstill, with the winner's social value commitments as its KPIs. Each lot is its own award
   * and its own contract; the tender is awarded once every lot is.
   */
  async award(actor: Actor, authorityId: string, tenderId: string, userId: string | null, raw: Record<string, unknown> = {}) {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    if (tender.procedure === 'direct_award') return this.makeDirectAward(actor, tender, userId, raw);
    const ev = await this.lotEvaluation(authorityId, tenderId, userId ?? '', raw, 'to award');
    const lot = ev.lot;
    if (ev.tender.status !== 'open') throw new ConflictError('This tender has already been decided');
    if (ev.award) throw new ConflictError(lot ? `${lot.title} has already been awarded` : 'This tender has already been decided');
    this.refuseIfNotAwarded(lot, 'award');
    if (ev.bids.length === 0) throw new ValidationError({ award: lot ? `There are no bids for ${lot.title} to award` : 'There are no bids to award' });
    const quality = ev.criteria.filter((c) => c.kind === 'quality');
    if (ev.bids.some((b) => quality.some((c) => !ev.moderated.some((m) => m.bidId === b.id && m.criterionId === c.id)))) {
      throw new ValidationError({ award: lot ? `Moderate every bid’s quality score for ${lot.title} before you award it` : 'Moderate every bid’s quality score before the award' });
    }
    const { scores, winner: won } = this.standings(ev);
    const winningBid = ev.bids.find((b) => b.id === won.bidId)!;
    const noticeOn = londonToday();
    const startsOn = earliestContractDate(noticeOn, isHoliday);
    const standstillEndsOn = addDays(startsOn, -1);
    const emailById = await this.submitterEmails(ev.bids.map((b) => b.id));
    const snapshot = scores.map((s) => ({
      bidId: s.bidId, supplier: ev.bids.find((b) => b.id === s.bidId)!.lead.name, total: points(s.total),
      byCriterion: Object.fromEntries(Object.entries(s.byCriterion).map(([k, v]) => [k, points(v)])),
    }));
    return this.db.transaction(async (tx) => {
      // The tender's row is locked, so two lots awarded at once still see each other when counting.
      await tx.select({ id: tenders.id }).from(tenders).where(eq(tenders.id, tenderId)).for('update');
      const before = await this.settlement(tx, tenderId);
      // Decided not to be awarded since the evaluation was read: refused here, as the database would.
      this.refuseIfNotAwarded(before.notAwarded.find((l) => l.id === lot?.id) ?? null, 'award');
      const award = { id: newId(), authorityId, tenderId, lotId: lot?.id ?? null, bidId: won.bidId, decidedBy: userId, decidedAt: new Date(), awardNoticeOn: noticeOn, standstillEndsOn, scores: snapshot };
      await tx.insert(tenderAwards).values(award);
      // The tender's award notice date is its first award's: noticesDue counts from it.
      await tx.update(tenders).set({ status: statusOfLots(ev.lots.length, before.awarded.length + 1, before.notAwarded.length), awardNoticeOn: sql`coalesce(${tenders.awardNoticeOn}, ${noticeOn})` }).where(eq(tenders.id, tenderId));
      const contract = contractFor(ev.tender, lot, award.id, { supplierId: winningBid.lead.id, valuePence: winningBid.content.pricePence, startsOn });
      await tx.insert(contracts).values(contract);
      const kpis = winningBid.content.commitments.map((c) => ({ id: newId(), authorityId, contractId: contract.id, measureId: c.measureId, target: c.quantity }));
      if (kpis.length > 0) await tx.insert(contractKpis).values(kpis);
      const subject = `${ev.tender.ref} ${ev.tender.title}${lot ? `, ${lot.title}` : ''}: award decision`;
      const label = (criterionId: string) => CRITERION_KINDS[ev.criteria.find((c) => c.id === criterionId)!.kind as CriterionKind].label;
      for (const { to, body } of awardLetters(snapshot, won.bidId, emailById, label, { standstillEndsOn, startsOn, lotTitle: lot?.title ?? null })) {
        await this.deps.outbox.enqueue(tx, { authorityId, to, subject, body });
      }
      await recordAudit(tx, actor, { authorityId, action: 'tender.award', entityType: 'tender', entityId: tenderId, after: { award, contract, kpis } });
      return { award, contract };
    });
  }

  private async submitterEmails(bidIds: string[]): Promise<Map<string, string>> {
    const submitters = bidIds.length ? await this.db.select({ id: bids.id, submittedBy: bids.submittedBy }).from(bids).where(inArray(bids.id, bidIds)) : [];
    const emailById = new Map<string, string>();
    for (const s of submitters) {
      const user = await this.deps.accounts.userById(s.submittedBy);
      if (user) emailById.set(s.id, user.email);
    }
    return emailById;
  }

  // ---------------------------------------------------------------- direct awards

  /** A registered supplier of the authority, as a form names it (`supplierId`). */
  private async supplierToName(authorityId: string, raw: Record<string, unknown>): Promise<Supplier> {
    const supplier = (await this.listSuppliers(authorityId)).find((s) => s.id === text(raw.supplierId));
    if (!supplier) throw new ValidationError({ supplierId: 'Select the supplier the contract is awarded to, from the organisations registered as suppliers' });
    return supplier;
  }

  private async directAwardView(tender: TenderRow, awarded: boolean) {
    const supplier = tender.directAwardSupplierId ? (await this.suppliers(this.db, tender.authorityId, eq(procurementSuppliers.id, tender.directAwardSupplierId)))[0] ?? null : null;
    const facts = directAwardFacts(tender, awarded);
    return { supplier, ground: directAwardGround(tender.directAwardGround, tender.publishedOn), steps: directAwardSteps(facts), refusal: directAwardRefusal(facts) };
  }

  /** A direct award's open tender, refusing anything else; `doing` says what was refused. */
  private async openDirectAward(authorityId: string, tenderId: string, doing: string): Promise<TenderRow> {
    const tender = await this.tenderRow(this.db, authorityId, tenderId);
    if (tender.procedure !== 'direct_award') throw new ConflictError(`Only a direct award ${doing}`);
    if (tender.status !== 'open') throw new ConflictError('This direct award has already been decided');
    return tender;
  }

  /** Name (or change) the supplier of a direct award, before the transparency notice that names it. */
  async nameSupplier(actor: Actor, authorityId: string, tenderId: string, raw: Record<string, unknown>) {
    const tender = await this.openDirectAward(authorityId, tenderId, 'names its supplier');
    const already = 'The transparency notice has been published naming the supplier, so the supplier cannot change';
    if (tender.uk5PublishedOn) throw new ConflictError(already, { supplierId: already });
    const supplier = await this.supplierToName(authorityId, raw);
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(tenders).set({ directAwardSupplierId: supplier.id }).where(and(eq(tenders.id, tenderId), eq(tenders.status, 'open'), isNull(tenders.uk5PublishedOn))).returning();
      if (!after) throw new ConflictError(already, { supplierId: already });
      await recordAudit(tx, actor, { authorityId, action: 'tender.direct-award-supplier', entityType: 'tender', entityId: tenderId, before: { directAwardSupplierId: tender.directAwardSupplierId }, after: { directAwardSupplierId: supplier.id } });
    });
  }

  /** Record the day the transparency notice (UK5, s.44) was published: the step before the award. */
  async recordTransparencyNotice(actor: Actor, authorityId: string, tenderId: string, raw: Record<string, unknown>) {
    const tender = await this.openDirectAward(authorityId, tenderId, 'has a transparency notice');
    const first = 'Name the supplier first: the transparency notice names the supplier the contract is to be awarded to';
    if (!tender.directAwardSupplierId) throw new ValidationError({ uk5PublishedOn: first });
    const recorded = 'The transparency notice has already been recorded';
    if (tender.uk5PublishedOn) throw new ConflictError(recorded, { uk5PublishedOn: recorded });
    const uk5PublishedOn = parseTransparencyNotice(raw, tender.publishedOn, londonToday());
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(tenders).set({ uk5PublishedOn }).where(and(eq(tenders.id, tenderId), eq(tenders.status, 'open'), isNull(tenders.uk5PublishedOn))).returning();
      if (!after) throw new ConflictError(recorded, { uk5PublishedOn: recorded });
      await recordAudit(tx, actor, { authorityId, action: 'tender.transparency-notice', entityType: 'tender', entityId: tenderId, before: { uk5PublishedOn: null }, after: { uk5PublishedOn } });
    });
  }

  /**
   * Award a direct award to its named supplier, once its transparency notice is published (s.44):
   * no bids, no evaluation. The contract award notice goes out today unless it is a user choice
   * contract (s.50), and the contract starts after the standstill where the ground has one (s.51),
   * else today. The contract's value is the one given, or the estimate without VAT.
   */
  async awardDirect(actor: Actor, authorityId: string, tenderId: string, userId: string | null, raw: Record<string, unknown> = {}) {
    return this.makeDirectAward(actor, await this.openDirectAward(authorityId, tenderId, 'is awarded this way'), userId, raw);
  }

  private async makeDirectAward(actor: Actor, tender: TenderRow, userId: string | null, raw: Record<string, unknown>) {
    const authorityId = tender.authorityId;
    if (tender.status !== 'open') throw new ConflictError('This direct award has already been decided');
    const refusal = directAwardRefusal(directAwardFacts(tender, (await this.lotAwards(authorityId, tender.id)).length > 0));
    if (refusal) throw new ValidationError({ award: refusal });
    const valuePence = parseDirectAwardValue(raw, tender.valueExVatPence);
    const today = londonToday();
    const ground = directAwardGround(tender.directAwardGround, tender.publishedOn);
    const awardNoticeOn = ground?.awardNoticeNeeded === false ? null : today;
    const standstill = awardNoticeOn !== null && standstillApplies('direct_award', tender.directAwardGround, tender.publishedOn);
    const startsOn = earliestContractDate(today, isHoliday, standstill);
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.update(tenders).set({ status: 'awarded', awardNoticeOn }).where(and(eq(tenders.id, tender.id), eq(tenders.status, 'open'), sql`${tenders.uk5PublishedOn} is not null`)).returning();
      if (!locked) throw new ConflictError('This direct award has already been decided');
      const award = { id: newId(), authorityId, tenderId: tender.id, lotId: null, bidId: null, decidedBy: userId, decidedAt: new Date(), awardNoticeOn, standstillEndsOn: standstill ? addDays(startsOn, -1) : null, scores: [] };
      await tx.insert(tenderAwards).values(award);
      const contract = contractFor(tender, null, award.id, { supplierId: tender.directAwardSupplierId!, valuePence, startsOn });
      await tx.insert(contracts).values(contract);
      await recordAudit(tx, actor, { authorityId, action: 'tender.award', entityType: 'tender', entityId: tender.id, after: { award, contract, kpis: [] } });
      return { award, contract };
    });
  }

  // ---------------------------------------------------------------- contracts

  async listContracts(authorityId: string) {
    const rows = await this.db.select().from(contracts).where(eq(contracts.authorityId, authorityId)).orderBy(desc(contracts.startsOn));
    const suppliers = new Map((await this.listSuppliers(authorityId)).map((s) => [s.id, s]));
    const changes = rows.length ? await this.db.select().from(contractChanges).where(inArray(contractChanges.contractId, rows.map((r) => r.id))).orderBy(asc(contractChanges.madeOn)) : [];
    return rows.map((c) => {
      const mine = changes.filter((ch) => ch.contractId === c.id);
      const endsOn = mine.reduce((end, ch) => ch.newEndsOn ?? end, c.endsOn);
      const valuePence = c.valuePence + mine.reduce((sum, ch) => sum + ch.valueChangePence, 0);
      return { ...c, supplier: suppliers.get(c.supplierId)!, currentEndsOn: endsOn, currentValuePence: valuePence, changes: mine };
    });
  }

  async getContract(authorityId: string, id: string) {
    if (!isUuid(id)) throw new NotFoundError('No such contract');
    const contract = (await this.listContracts(authorityId)).find((c) => c.id === id);
    if (!contract) throw new NotFoundError('No such contract');
    const measures = new Map((await this.listMeasures(this.db, authorityId)).map((m) => [m.id, m]));
    const kpiRows = await this.db.select().from(contractKpis).where(eq(contractKpis.contractId, id));
    const reports = kpiRows.length ? await this.db.select().from(kpiReports).where(inArray(kpiReports.kpiId, kpiRows.map((k) => k.id))).orderBy(asc(kpiReports.periodEnd)) : [];
    const kpis = kpiRows.map((k) => {
      const mine = reports.filter((r) => r.kpiId === k.id);
      const checked = mine.filter((r) => r.checkedAt);
      const delivered = checked.length ? checked[checked.length - 1]!.delivered : 0;
      return { ...k, measure: measures.get(k.measureId)!, reports: mine, delivered, status: kpiStatus(k.target, delivered) };
    });
    const payments = await this.db.select().from(contractPayments).where(eq(contractPayments.contractId, id)).orderBy(asc(contractPayments.paidOn));
    const [tender] = contract.tenderId ? await this.db.select(TENDER_OF_CONTRACT).from(tenders).where(eq(tenders.id, contract.tenderId)) : [];
    const notices = noticesOfContract({ contract, tender: tender ?? null, kpiCount: kpiRows.length, checkedAt: reports.flatMap((r) => (r.checkedAt ? [r.checkedAt] : [])), payments });
    return { contract, kpis, payments, notices, paidPence: payments.reduce((s, p) => s + p.amountPence, 0) };
  }

  /** Record that a contract ended, and why: a UK11 falls due (s.80), and a UK9 for one over £5m with KPIs. */
  async endContract(actor: Actor, authorityId: string, contractId: string, raw: Record<string, unknown>) {
    const { contract } = await this.getContract(authorityId, contractId);
    const ended = 'This contract’s end has already been recorded';
    if (contract.endedOn) throw new ConflictError(ended, { endedOn: ended });
    const input = parseContractEnd(raw, contract.startsOn, londonToday());
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(contracts).set(input).where(and(eq(contracts.id, contractId), isNull(contracts.endedOn))).returning();
      if (!after) throw new ConflictError(ended, { endedOn: ended });
      await recordAudit(tx, actor, { authorityId, action: 'contract.end', entityType: 'contract', entityId: contractId, before: { endedOn: null, endReason: null }, after: input });
    });
  }

  /**
   * Every tender's and contract's notices, for the authority's register; and the payments under
   * public contracts, for its payments compliance notices.
   */
  async allNotices(authorityId: string) {
    const tenderRows = await this.db.select().from(tenders).where(eq(tenders.authorityId, authorityId)).orderBy(asc(tenders.ref));
    const all = await this.listContracts(authorityId);
    const kpiRows = await this.db.select({ id: contractKpis.id, contractId: contractKpis.contractId }).from(contractKpis).where(eq(contractKpis.authorityId, authorityId));
    const checked = await this.db.select({ kpiId: kpiReports.kpiId, checkedAt: kpiReports.checkedAt }).from(kpiReports).where(and(eq(kpiReports.authorityId, authorityId), sql`${kpiReports.checkedAt} is not null`));
    const paymentRows = await this.db.select().from(contractPayments).where(eq(contractPayments.authorityId, authorityId)).orderBy(asc(contractPayments.paidOn));
    const tenderById = new Map(tenderRows.map((t) => [t.id, t]));
    const firstStart = new Map<string, CalendarDate>();
    for (const c of all) if (c.tenderId && (!firstStart.has(c.tenderId) || c.startsOn < firstStart.get(c.tenderId)!)) firstStart.set(c.tenderId, c.startsOn);
    const kpiContract = new Map(kpiRows.map((k) => [k.id, k.contractId]));
    const lotsNotAwarded = await this.db.select().from(tenderLots).where(and(eq(tenderLots.authorityId, authorityId), sql`${tenderLots.notAwardedAt} is not null`));
    const tenderSubjects = tenderRows.map((t) => ({ kind: 'tender' as const, id: t.id, ref: t.ref, title: t.title, notices: tenderNotices(t, firstStart.get(t.id) ?? null, lotsNotAwarded.filter((l) => l.tenderId === t.id)) }));
    const contractSubjects = all.map((c) => {
      const tender = c.tenderId ? tenderById.get(c.tenderId) ?? null : null;
      const records: ContractRecords = {
        contract: c, tender, kpiCount: kpiRows.filter((k) => k.contractId === c.id).length,
        checkedAt: checked.filter((r) => kpiContract.get(r.kpiId) === c.id).map((r) => r.checkedAt!), payments: paymentRows.filter((p) => p.contractId === c.id),
      };
      return { kind: 'contract' as const, id: c.id, ref: c.ref, title: c.title, notices: noticesOfContract(records) };
    });
    // Public contracts are the above-threshold ones (rules.md §3.4, UK17).
    const publicContracts = new Set(all.filter((c) => c.tenderId && tenderById.get(c.tenderId)?.aboveThreshold).map((c) => c.id));
    const payments: PaymentUnderPublicContract[] = paymentRows.filter((p) => publicContracts.has(p.contractId)).map((p) => ({ paidOn: p.paidOn, invoiceReceivedOn: p.invoiceReceivedOn }));
    return { subjects: [...tenderSubjects, ...contractSubjects], payments };
  }

  /** An extension (a new end date) or a variation (a change in value), with its reason. */
  async changeContract(actor: Actor, authorityId: string, contractId: string, raw: Record<string, unknown>) {
    const { contract } = await this.getContract(authorityId, contractId);
    const check = new FieldChecker();
    const kind = text(raw.kind);
    const reason = text(raw.reason);
    const newEndsOn = optionalText(raw.newEndsOn);
    let valueChangePence = 0;
    check.check(kind === 'extension' || kind === 'variation', 'kind', 'Select extension or variation');
    check.check(reason.length >= 3, 'reason', 'Give the reason for the change');
    if (kind === 'extension') check.check(!!newEndsOn && isCalendarDate(newEndsOn) && newEndsOn > contract.currentEndsOn, 'newEndsOn', `Enter a new end date after ${contract.currentEndsOn}, like 2029-03-31`);
    if (kind === 'variation') {
      try {
        valueChangePence = parsePounds(text(raw.valueChange));
      } catch (err) {
        if (!(err instanceof MoneyFormatError)) throw err;
        check.add('valueChange', 'Enter the change in value in pounds, like 5,000 or -2,000');
      }
      check.check(contract.currentValuePence + valueChangePence >= 0, 'valueChange', 'The contract’s value cannot fall below £0');
    }
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, contractId, kind, madeOn: londonToday(), newEndsOn: kind === 'extension' ? newEndsOn : null, valueChangePence, reason };
      await tx.insert(contractChanges).values(row);
      await recordAudit(tx, actor, { authorityId, action: `contract.${kind}`, entityType: 'contract', entityId: contractId, after: row });
    });
  }

  async recordPayment(actor: Actor, authorityId: string, contractId: string, raw: Record<string, unknown>) {
    await this.getContract(authorityId, contractId);
    const check = new FieldChecker();
    const paidOn = text(raw.paidOn);
    const invoiceReceivedOn = optionalText(raw.invoiceReceivedOn);
    const reference = text(raw.reference);
    let amountPence = 0;
    try {
      amountPence = parsePounds(text(raw.amount));
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
    }
    check.check(isCalendarDate(paidOn), 'paidOn', 'Enter the date paid, like 2026-05-01');
    check.check(amountPence > 0, 'amount', 'Enter the amount paid in pounds, like 12,500');
    check.check(reference.length >= 1 && reference.length <= 100, 'reference', 'Enter the payment reference');
    check.check(invoiceReceivedOn === null || (isCalendarDate(invoiceReceivedOn) && (!isCalendarDate(paidOn) || invoiceReceivedOn <= paidOn)), 'invoiceReceivedOn', 'Enter the day the invoice was received, on or before the day it was paid, like 2026-04-20, or leave it blank');
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, contractId, paidOn, amountPence, reference, invoiceReceivedOn };
      await tx.insert(contractPayments).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'contract.payment', entityType: 'contract', entityId: contractId, after: row });
    });
  }

  /** The supplier reports what it delivered against a social value KPI. */
  async reportKpi(actor: Actor, authorityId: string, contractId: string, kpiId: string, userId: string, raw: Record<string, unknown>) {
    const { contract, kpis } = await this.getContract(authorityId, contractId);
    const kpi = kpis.find((k) => k.id === kpiId);
    if (!kpi) throw new NotFoundError('No such KPI');
    const { registered } = await this.suppliersFor(authorityId, userId);
    if (!registered.some((s) => s.id === contract.supplierId)) throw new ValidationError({ form: `Only ${contract.supplier.name} reports on this contract’s social value` });
    const check = new FieldChecker();
    const periodEnd = text(raw.periodEnd);
    const deliveredText = text(raw.delivered).replace(/,/g, '');
    const evidence = text(raw.evidence);
    check.check(isCalendarDate(periodEnd), 'periodEnd', 'Enter the last day the report covers, like 2026-09-30');
    check.check(/^\d{1,9}$/.test(deliveredText), 'delivered', 'Enter how many have been delivered so far, as a whole number');
    check.check(evidence.length >= 3, 'evidence', 'Say what shows it was delivered');
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const row = { id: newId(), authorityId, kpiId, periodEnd, delivered: Number(deliveredText), evidence, checkedBy: null, checkedAt: null };
      await tx.insert(kpiReports).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'contract.kpi-report', entityType: 'contract', entityId: contractId, after: row });
    });
  }

  /** An officer checks a KPI report against its evidence; only checked reports count as delivered. */
  async checkKpiReport(actor: Actor, authorityId: string, contractId: string, reportId: string, userId: string | null) {
    const { kpis } = await this.getContract(authorityId, contractId);
    const report = kpis.flatMap((k) => k.reports).find((r) => r.id === reportId);
    if (!report) throw new NotFoundError('No such report');
    if (report.checkedAt) throw new ConflictError('That report has already been checked');
    await this.db.transaction(async (tx) => {
      const [after] = await tx.update(kpiReports).set({ checkedBy: userId, checkedAt: new Date() }).where(eq(kpiReports.id, reportId)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'contract.kpi-check', entityType: 'contract', entityId: contractId, before: report, after });
    });
  }

  /** Shares of contracts (by number and value) won by each kind of supplier, by year and service area. */
  async diversity(authorityId: string) {
    const all = await this.listContracts(authorityId);
    const groups = ['vcs', 'social_enterprise', 'mutual', 'sme', 'local'] as const;
    const rows = new Map<string, { year: string; serviceArea: string; contracts: number; valuePence: number; byGroup: Record<string, { contracts: number; valuePence: number }> }>();
    for (const c of all) {
      const key = `${c.startsOn.slice(0, 4)}|${c.serviceArea}`;
      const row = rows.get(key) ?? { year: c.startsOn.slice(0, 4), serviceArea: c.serviceArea, contracts: 0, valuePence: 0, byGroup: Object.fromEntries(groups.map((g) => [g, { contracts: 0, valuePence: 0 }])) };
      row.contracts += 1;
      row.valuePence += c.currentValuePence;
      for (const g of diversityGroups(c.supplier.type, c.supplier.size as SupplierSize, c.supplier.locality as Locality)) {
        row.byGroup[g]!.contracts += 1;
        row.byGroup[g]!.valuePence += c.currentValuePence;
      }
      rows.set(key, row);
    }
    const totals = { contracts: all.length, valuePence: all.reduce((s, c) => s + c.currentValuePence, 0), byGroup: Object.fromEntries(groups.map((g) => [g, { contracts: 0, valuePence: 0 }])) };
    for (const r of rows.values()) for (const g of groups) {
      totals.byGroup[g]!.contracts += r.byGroup[g]!.contracts;
      totals.byGroup[g]!.valuePence += r.byGroup[g]!.valuePence;
    }
    return { groups, rows: [...rows.values()].sort((a, b) => b.year.localeCompare(a.year) || a.serviceArea.localeCompare(b.serviceArea)), totals };
  }

  /** By calendar year: spend (from the published spend files) and contract value, each with what each group won. */
  async diversityByYear(authorityId: string) {
    const [payees, registered, contractsByArea] = [await this.deps.suppliers.spendByYear(authorityId), await this.listSuppliers(authorityId), await this.diversity(authorityId)];
    const orgIds = payees.flatMap((p) => (p.organisation ? [p.organisation.id] : []));
    const orgs = await this.deps.organisations.summariesByIds(this.db, authorityId, orgIds);
    const bySupplierOrg = new Map(registered.map((s) => [s.organisationId, s]));
    const groups = contractsByArea.groups;
    const empty = () => Object.fromEntries(groups.map((g) => [g, 0])) as Record<(typeof groups)[number], number>;
    const years = new Map<string, { year: string; spendPence: number; spendByGroup: Record<string, number>; contractPence: number; contractByGroup: Record<string, number> }>();
    const yearOf = (year: string) => years.get(year) ?? years.set(year, { year, spendPence: 0, spendByGroup: empty(), contractPence: 0, contractByGroup: empty() }).get(year)!;
    for (const p of payees) {
      const supplier = p.organisation ? bySupplierOrg.get(p.organisation.id) : undefined;
      const inGroups = spendGroups({
        organisationType: p.organisation ? (orgs.get(p.organisation.id)?.type ?? null) : null,
        size: (supplier?.size as SupplierSize | undefined) ?? null, locality: (supplier?.locality as Locality | undefined) ?? null, kind: p.kind.kind,
      });
      for (const [year, pence] of Object.entries(p.byYear)) {
        const y = yearOf(year);
        y.spendPence += pence;
        for (const g of inGroups) y.spendByGroup[g]! += pence;
      }
    }
    for (const r of contractsByArea.rows) {
      const y = yearOf(r.year);
      y.contractPence += r.valuePence;
      for (const g of groups) y.contractByGroup[g]! += r.byGroup[g]!.valuePence;
    }
    return [...years.values()].sort((a, b) => b.year.localeCompare(a.year));
  }
}
