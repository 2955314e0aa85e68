/**
 * Payment by results: outcome-based contracts, their pseudonymised cohorts, the evidence
 * recorded for each participant, and claims checked against it before anything is paid.
 */
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../lib/db/client.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { londonToday, type CalendarDate } from '../../lib/dates.ts';
import type { OrganisationsService } from '../organisations/service.ts';
import { FRAMEWORKS, frameworkByKey } from './frameworks.ts';
import { attachmentFeeFor, checkClaim, frameworkTerms, outcomeKey, parseContract, parseEvidence, parseOutcome, parseParticipant, pseudonym, type ClaimCheck, type Dated } from './rules.ts';
import {
  pbrAttachmentFees,
  pbrClaimEvidence,
  pbrClaims,
  pbrContracts,
  pbrEvidence,
  pbrOutcomes,
  pbrParticipantIdentities,
  pbrParticipants,
  pbrPayments,
  pbrTariffs,
} from './tables.ts';

export type Contract = typeof pbrContracts.$inferSelect;
export type Participant = typeof pbrParticipants.$inferSelect;
export type Identity = typeof pbrParticipantIdentities.$inferSelect;
export type Claim = typeof pbrClaims.$inferSelect;
export type EvidenceRow = typeof pbrEvidence.$inferSelect;

export const CLAIM_STATUSES = {
  awaiting_approval: 'Waiting for approval',
  approved: 'Approved for payment',
  rejected: 'Rejected',
} as const;

export const TEMPLATE_CHOICES: [string, string][] = FRAMEWORKS.map((f) => [f.key, `${f.name} (framework of ${f.version})`]);

export interface OutcomeTerms {
  id: string;
  key: string;
  name: string;
  conditions: (typeof pbrOutcomes.$inferSelect)['conditions'];
  exclusiveWith: string[];
  source: string;
  tariffs: Dated[];
}

export interface ContractTerms {
  contract: Contract;
  providerName: string;
  attachmentFees: Dated[];
  outcomes: OutcomeTerms[];
  measures: string[];
}

export interface DashboardRow {
  label: string;
  waiting: number;
  approved: number;
  rejected: number;
  paidPence: number;
  waitingPence: number;
}

const dated = (r: { effectiveFrom: string; effectiveTo: string; source: string }, pence: number): Dated => ({ from: r.effectiveFrom, to: r.effectiveTo, pence, source: r.source });
const sum = (column: unknown) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

export class PaymentByResultsService {
  private readonly db: Db;
  private readonly organisations: OrganisationsService;

  constructor(db: Db, deps: { organisations: OrganisationsService }) {
    this.db = db;
    this.organisations = deps.organisations;
  }

  // ---------------------------------------------------------------- contracts

  async listContracts(authorityId: string) {
    const rows = await this.db.select().from(pbrContracts).where(eq(pbrContracts.authorityId, authorityId)).orderBy(desc(pbrContracts.createdAt), asc(pbrContracts.id));
    const names = await this.organisations.namesByIds(this.db, authorityId, [...new Set(rows.map((r) => r.providerOrganisationId))]);
    const paid = await this.db
      .select({ contractId: pbrPayments.contractId, total: sum(pbrPayments.amountPence) })
      .from(pbrPayments)
      .where(eq(pbrPayments.authorityId, authorityId))
      .groupBy(pbrPayments.contractId);
    const paidBy = new Map(paid.map((p) => [p.contractId, p.total]));
    return rows.map((contract) => ({ contract, providerName: names.get(contract.providerOrganisationId) ?? '', paidPence: paidBy.get(contract.id) ?? 0 }));
  }

  /**
   * Each contract's payments made and claims waiting for approval, for the place's dashboard: the
   * figures each contract's own dashboard gives, from three grouped queries for all the contracts
   * rather than five queries for each.
   */
  async claimsAndPayments(authorityId: string): Promise<{ id: string; name: string; providerName: string; participants: number; paidPence: number; waitingPence: number }[]> {
    const contracts = await this.listContracts(authorityId);
    const claims = await this.db
      .select({ contractId: pbrClaims.contractId, status: pbrClaims.status, total: sum(pbrClaims.amountPence) })
      .from(pbrClaims)
      // Claims for the contract's own results, as its dashboard counts them.
      .innerJoin(pbrOutcomes, and(eq(pbrOutcomes.id, pbrClaims.outcomeId), eq(pbrOutcomes.contractId, pbrClaims.contractId)))
      .where(and(eq(pbrClaims.authorityId, authorityId), inArray(pbrClaims.status, ['approved', 'awaiting_approval'])))
      .groupBy(pbrClaims.contractId, pbrClaims.status);
    const fees = await this.db
      .select({ contractId: pbrPayments.contractId, total: sum(pbrPayments.amountPence) })
      .from(pbrPayments)
      .where(and(eq(pbrPayments.authorityId, authorityId), eq(pbrPayments.kind, 'attachment')))
      .groupBy(pbrPayments.contractId);
    const attached = await this.db
      .select({ contractId: pbrParticipants.contractId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(pbrParticipants)
      .where(eq(pbrParticipants.authorityId, authorityId))
      .groupBy(pbrParticipants.contractId);
    const claimed = (contractId: string, status: string) => claims.find((c) => c.contractId === contractId && c.status === status)?.total ?? 0;
    const feesBy = new Map(fees.map((f) => [f.contractId, f.total]));
    const participantsBy = new Map(attached.map((p) => [p.contractId, p.n]));
    return contracts.map(({ contract, providerName }) => ({
      id: contract.id,
      name: contract.name,
      providerName,
      participants: participantsBy.get(contract.id) ?? 0,
      paidPence: (feesBy.get(contract.id) ?? 0) + claimed(contract.id, 'approved'),
      waitingPence: claimed(contract.id, 'awaiting_approval'),
    }));
  }

  async createContract(actor: Actor, authorityId: string, raw: Record<string, unknown>): Promise<Contract> {
    const input = parseContract(raw, FRAMEWORKS.map((f) => f.key));
    // The provider is the organisations module's; ask it, outside the transaction (one connection).
    const provider = await this.organisations.get(authorityId, input.providerOrganisationId).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new ValidationError({ providerOrganisationId: 'Select the provider from the list' });
      throw err;
    });
    const framework = input.template ? frameworkByKey(input.template)! : null;
    const contract: Contract = {
      id: newId(),
      authorityId,
      name: input.name,
      providerOrganisationId: provider.id,
      startDate: input.startDate,
      endDate: input.endDate,
      templateKey: framework?.key ?? null,
      templateVersion: framework?.version ?? null,
      eligibility: framework?.eligibility ?? null,
      cohortLimit: input.cohortLimit,
      participantCapPence: input.participantCapPence ?? framework?.participantValuePence ?? null,
      contractCapPence: input.contractCapPence,
      pseudonymPrefix: framework?.pseudonymPrefix ?? 'P',
      nextParticipant: 1,
      createdAt: new Date(),
    };
    return this.db.transaction(async (tx) => {
      await tx.insert(pbrContracts).values(contract);
      if (framework) await this.insertFramework(tx, contract, framework);
      else if (input.attachmentFeePence !== null) {
        await tx.insert(pbrAttachmentFees).values({ id: newId(), authorityId, contractId: contract.id, effectiveFrom: contract.startDate, effectiveTo: contract.endDate, feePence: input.attachmentFeePence, source: 'Set when the contract was made' });
      }
      await recordAudit(tx, actor, { authorityId, action: 'pbr.contract.create', entityType: 'pbr_contract', entityId: contract.id, after: contract });
      return contract;
    });
  }

  /** A template's fees, results and tariffs, copied into the contract so that it keeps them. */
  private async insertFramework(tx: Tx, contract: Contract, framework: NonNullable<ReturnType<typeof frameworkByKey>>) {
    const terms = frameworkTerms(framework);
    const { authorityId } = contract;
    await tx.insert(pbrAttachmentFees).values(terms.attachmentFees.map((f) => ({ id: newId(), authorityId, contractId: contract.id, effectiveFrom: f.from, effectiveTo: f.to, feePence: f.pence, source: f.source })));
    for (const o of framework.outcomes) {
      const outcomeId = newId();
      await tx.insert(pbrOutcomes).values({ id: outcomeId, authorityId, contractId: contract.id, key: o.key, name: o.name, conditions: o.conditions, exclusiveWith: o.exclusiveWith, source: o.source });
      const rates = terms.tariffs.find((t) => t.outcomeKey === o.key)!.rates;
      await tx.insert(pbrTariffs).values(rates.map((r) => ({ id: newId(), authorityId, outcomeId, effectiveFrom: r.from, effectiveTo: r.to, tariffPence: r.pence, source: r.source })));
    }
  }

  async getContract(q: Queryable, authorityId: string, id: string): Promise<Contract> {
    const [row] = await q.select().from(pbrContracts).where(and(eq(pbrContracts.authorityId, authorityId), eq(pbrContracts.id, id)));
    if (!row) throw new NotFoundError('No such contract');
    return row;
  }

  async terms(authorityId: string, contractId: string): Promise<ContractTerms> {
    const contract = await this.getContract(this.db, authorityId, contractId);
    const names = await this.organisations.namesByIds(this.db, authorityId, [contract.providerOrganisationId]);
    const { attachmentFees, outcomes } = await this.termsIn(this.db, contract);
    const measures = [...new Set(outcomes.flatMap((o) => o.conditions.map((c) => c.measure)))];
    return { contract, providerName: names.get(contract.providerOrganisationId) ?? '', attachmentFees, outcomes, measures };
  }

  private async termsIn(q: Queryable, contract: Contract) {
    const fees = await q.select().from(pbrAttachmentFees).where(eq(pbrAttachmentFees.contractId, contract.id)).orderBy(asc(pbrAttachmentFees.effectiveFrom));
    const outcomeRows = await q.select().from(pbrOutcomes).where(eq(pbrOutcomes.contractId, contract.id)).orderBy(asc(pbrOutcomes.name));
    const tariffRows = outcomeRows.length
      ? await q.select().from(pbrTariffs).where(inArray(pbrTariffs.outcomeId, outcomeRows.map((o) => o.id))).orderBy(asc(pbrTariffs.effectiveFrom))
      : [];
    const outcomes: OutcomeTerms[] = outcomeRows.map((o) => ({
      id: o.id,
      key: o.key,
      name: o.name,
      conditions: o.conditions,
      exclusiveWith: o.exclusiveWith,
      source: o.source,
      tariffs: tariffRows.filter((t) => t.outcomeId === o.id).map((t) => dated(t, t.tariffPence)),
    }));
    return { attachmentFees: fees.map((f) => dated(f, f.feePence)), outcomes };
  }

  /** A result of the contract's own, with one measure and a tariff for the whole contract period. */
  async addOutcome(actor: Actor, authorityId: string, contractId: string, raw: Record<string, unknown>): Promise<void> {
    const input = parseOutcome(raw);
    await this.db.transaction(async (tx) => {
      const contract = await this.getContract(tx, authorityId, contractId);
      const key = outcomeKey(input.name);
      const [clash] = await tx.select({ id: pbrOutcomes.id }).from(pbrOutcomes).where(and(eq(pbrOutcomes.contractId, contract.id), eq(pbrOutcomes.key, key)));
      if (clash) throw new ValidationError({ name: 'The contract already has a result with that name' });
      const outcome = { id: newId(), authorityId, contractId, key, name: input.name, conditions: [input.condition], exclusiveWith: [], source: input.source };
      const tariff = { id: newId(), authorityId, outcomeId: outcome.id, effectiveFrom: contract.startDate, effectiveTo: contract.endDate, tariffPence: input.tariffPence, source: input.source };
      await tx.insert(pbrOutcomes).values(outcome);
      await tx.insert(pbrTariffs).values(tariff);
      await recordAudit(tx, actor, { authorityId, action: 'pbr.outcome.create', entityType: 'pbr_outcome', entityId: outcome.id, after: { ...outcome, tariff } });
    });
  }

  // ---------------------------------------------------------------- participants

  /**
   * Attach a participant: a new pseudonym, their identity kept apart, and the attachment fee of
   * the day they joined. The audit entry names the pseudonym only, so the audit log never shows
   * who the participant is.
   */
  async addParticipant(actor: Actor, authorityId: string, contractId: string, raw: Record<string, unknown>): Promise<Participant> {
    const unlocked = await this.getContract(this.db, authorityId, contractId);
    const input = parseParticipant(raw, unlocked.eligibility);
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(pbrContracts).where(eq(pbrContracts.id, unlocked.id)).for('update');
      const contract = locked!;
      const fees = await tx.select().from(pbrAttachmentFees).where(eq(pbrAttachmentFees.contractId, contract.id));
      const [{ attached } = { attached: 0 }] = await tx.select({ attached: sql<number>`count(*)`.mapWith(Number) }).from(pbrParticipants).where(eq(pbrParticipants.contractId, contract.id));
      const fee = attachmentFeeFor({ attachedOn: input.attachedOn, contract, fees: fees.map((f) => dated(f, f.feePence)), attached, contractCommittedPence: await this.committed(tx, contract.id) });
      const participant: Participant = { id: newId(), authorityId, contractId: contract.id, pseudonym: pseudonym(contract.pseudonymPrefix, contract.nextParticipant), attachedOn: input.attachedOn, criteriaMet: input.criteriaMet, createdAt: new Date() };
      await tx.update(pbrContracts).set({ nextParticipant: contract.nextParticipant + 1 }).where(eq(pbrContracts.id, contract.id));
      await tx.insert(pbrParticipants).values(participant);
      await tx.insert(pbrParticipantIdentities).values({ participantId: participant.id, authorityId, name: input.name, caseReference: input.caseReference });
      const payment = { id: newId(), authorityId, contractId: contract.id, participantId: participant.id, claimId: null, kind: 'attachment', amountPence: fee, approvedBy: actor.userId, approvedAt: new Date() };
      if (fee > 0) await tx.insert(pbrPayments).values(payment);
      await recordAudit(tx, actor, { authorityId, action: 'pbr.participant.attach', entityType: 'pbr_participant', entityId: participant.id, after: { ...participant, attachmentFeePence: fee } });
      return participant;
    });
  }

  /** Attachment fees paid and results claimed (waiting or approved), for a contract or one participant. */
  private async committed(q: Queryable, contractId: string, participantId?: string): Promise<number> {
    const [fees] = await q
      .select({ total: sum(pbrPayments.amountPence) })
      .from(pbrPayments)
      .where(and(eq(pbrPayments.contractId, contractId), eq(pbrPayments.kind, 'attachment'), participantId ? eq(pbrPayments.participantId, participantId) : undefined));
    const [claims] = await q
      .select({ total: sum(pbrClaims.amountPence) })
      .from(pbrClaims)
      .where(and(eq(pbrClaims.contractId, contractId), ne(pbrClaims.status, 'rejected'), participantId ? eq(pbrClaims.participantId, participantId) : undefined));
    return (fees?.total ?? 0) + (claims?.total ?? 0);
  }

  /** The cohort, by pseudonym; names only when the caller may see who participants are. */
  async participants(authorityId: string, contractId: string, options: { withIdentity: boolean }) {
    const rows = await this.db
      .select()
      .from(pbrParticipants)
      .where(and(eq(pbrParticipants.authorityId, authorityId), eq(pbrParticipants.contractId, contractId)))
      .orderBy(asc(pbrParticipants.pseudonym));
    const identities = options.withIdentity ? await this.identities(rows.map((r) => r.id)) : new Map<string, Identity>();
    return rows.map((participant) => ({ participant, identity: identities.get(participant.id) ?? null }));
  }

  private async identities(ids: string[]): Promise<Map<string, Identity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select().from(pbrParticipantIdentities).where(inArray(pbrParticipantIdentities.participantId, ids));
    return new Map(rows.map((r) => [r.participantId, r]));
  }

  private async getParticipant(q: Queryable, authorityId: string, contractId: string, participantId: string): Promise<Participant> {
    const [row] = await q
      .select()
      .from(pbrParticipants)
      .where(and(eq(pbrParticipants.authorityId, authorityId), eq(pbrParticipants.contractId, contractId), eq(pbrParticipants.id, participantId)));
    if (!row) throw new NotFoundError('No such participant in this contract');
    return row;
  }

  async identity(authorityId: string, contractId: string, participantId: string): Promise<Identity> {
    const participant = await this.getParticipant(this.db, authorityId, contractId, participantId);
    const [row] = await this.db.select().from(pbrParticipantIdentities).where(eq(pbrParticipantIdentities.participantId, participant.id));
    return row!;
  }

  /** One participant's record: evidence, and claims with the evidence each rests on. */
  async participantRecord(authorityId: string, contractId: string, participantId: string, options: { withIdentity: boolean }) {
    const participant = await this.getParticipant(this.db, authorityId, contractId, participantId);
    const identity = options.withIdentity ? await this.identity(authorityId, contractId, participantId) : null;
    const evidence = await this.db.select().from(pbrEvidence).where(eq(pbrEvidence.participantId, participant.id)).orderBy(asc(pbrEvidence.measure), asc(pbrEvidence.periodStart), asc(pbrEvidence.recordedAt));
    const claims = await this.claims(contractId, participant.id);
    const [fee] = await this.db.select({ total: sum(pbrPayments.amountPence) }).from(pbrPayments).where(and(eq(pbrPayments.participantId, participant.id), eq(pbrPayments.kind, 'attachment')));
    return { participant, identity, evidence, claims, attachmentFeePence: fee?.total ?? 0 };
  }

  /** Claims with their result's name and evidence trail, newest first. */
  async claims(contractId: string, participantId?: string) {
    const q = this.db;
    const rows = await q
      .select({ claim: pbrClaims, outcomeName: pbrOutcomes.name, pseudonym: pbrParticipants.pseudonym })
      .from(pbrClaims)
      .innerJoin(pbrOutcomes, eq(pbrOutcomes.id, pbrClaims.outcomeId))
      .innerJoin(pbrParticipants, eq(pbrParticipants.id, pbrClaims.participantId))
      .where(and(eq(pbrClaims.contractId, contractId), participantId ? eq(pbrClaims.participantId, participantId) : undefined))
      .orderBy(desc(pbrClaims.madeAt), asc(pbrClaims.id));
    const trail = rows.length
      ? await q
          .select({ claimId: pbrClaimEvidence.claimId, role: pbrClaimEvidence.role, evidence: pbrEvidence })
          .from(pbrClaimEvidence)
          .innerJoin(pbrEvidence, eq(pbrEvidence.id, pbrClaimEvidence.evidenceId))
          .where(inArray(pbrClaimEvidence.claimId, rows.map((r) => r.claim.id)))
      : [];
    return rows.map((r) => ({ ...r, trail: trail.filter((t) => t.claimId === r.claim.id).map((t) => ({ role: t.role, evidence: t.evidence })) }));
  }

  // ---------------------------------------------------------------- evidence and claims

  async recordEvidence(actor: Actor, authorityId: string, contractId: string, participantId: string, raw: Record<string, unknown>): Promise<EvidenceRow> {
    const { measures } = await this.terms(authorityId, contractId);
    const input = parseEvidence(raw, measures, londonToday());
    return this.db.transaction(async (tx) => {
      const participant = await this.getParticipant(tx, authorityId, contractId, participantId);
      const row: EvidenceRow = { id: newId(), authorityId, participantId: participant.id, ...input, recordedBy: actor.userId, recordedAt: new Date() };
      await tx.insert(pbrEvidence).values(row);
      await recordAudit(tx, actor, { authorityId, action: 'pbr.evidence.record', entityType: 'pbr_evidence', entityId: row.id, after: row });
      return row;
    });
  }

  /** Check a claim against the rules and the evidence as they stand, inside whatever transaction the caller holds. */
  private async check(q: Queryable, contract: Contract, participant: Participant, raw: Record<string, unknown>): Promise<{ result: ClaimCheck; outcome: OutcomeTerms | undefined; claimDate: CalendarDate }> {
    const { outcomes } = await this.termsIn(q, contract);
    const outcome = outcomes.find((o) => o.id === text(raw.outcomeId));
    const claimDate = text(raw.claimDate);
    if (!outcome) return { result: { ok: false, errors: { outcomeId: 'Select the result being claimed' } }, outcome, claimDate };
    const evidence = await q.select().from(pbrEvidence).where(eq(pbrEvidence.participantId, participant.id));
    const standing = await q
      .select({ outcomeKey: pbrOutcomes.key, outcomeName: pbrOutcomes.name })
      .from(pbrClaims)
      .innerJoin(pbrOutcomes, eq(pbrOutcomes.id, pbrClaims.outcomeId))
      .where(and(eq(pbrClaims.participantId, participant.id), ne(pbrClaims.status, 'rejected')));
    const result = checkClaim({
      outcome,
      tariffs: outcome.tariffs,
      participant,
      eligibility: contract.eligibility,
      contract,
      evidence,
      standingClaims: standing,
      participantCommittedPence: await this.committed(q, contract.id, participant.id),
      contractCommittedPence: await this.committed(q, contract.id),
      claimDate,
      today: londonToday(),
    });
    return { result, outcome, claimDate };
  }

  /** What a claim would get, without making it. */
  async checkOnly(authorityId: string, contractId: string, participantId: string, raw: Record<string, unknown>): Promise<ClaimCheck> {
    const contract = await this.getContract(this.db, authorityId, contractId);
    const participant = await this.getParticipant(this.db, authorityId, contractId, participantId);
    return (await this.check(this.db, contract, participant, raw)).result;
  }

  /**
   * Make a claim: checked in the same transaction that records it, with the contract locked so
   * that two claims cannot both slip under a cap. A refused claim writes nothing.
   */
  async makeClaim(actor: Actor, authorityId: string, contractId: string, participantId: string, raw: Record<string, unknown>): Promise<Claim> {
    return this.db.transaction(async (tx) => {
      const [contract] = await tx.select().from(pbrContracts).where(and(eq(pbrContracts.authorityId, authorityId), eq(pbrContracts.id, contractId))).for('update');
      if (!contract) throw new NotFoundError('No such contract');
      const participant = await this.getParticipant(tx, authorityId, contractId, participantId);
      const { result, outcome, claimDate } = await this.check(tx, contract, participant, raw);
      if (!result.ok) throw new ValidationError(result.errors, 'This claim cannot be paid');
      const claim: Claim = {
        id: newId(),
        authorityId,
        contractId,
        participantId,
        outcomeId: outcome!.id,
        claimDate,
        amountPence: result.amountPence,
        status: 'awaiting_approval',
        madeBy: actor.userId,
        madeAt: new Date(),
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      };
      await tx.insert(pbrClaims).values(claim);
      await tx.insert(pbrClaimEvidence).values(result.trail.map((t) => ({ authorityId, claimId: claim.id, evidenceId: t.evidenceId, role: t.role, measure: t.measure })));
      await recordAudit(tx, actor, { authorityId, action: 'pbr.claim.make', entityType: 'pbr_claim', entityId: claim.id, after: { ...claim, trail: result.trail } });
      return claim;
    });
  }

  private async claimForDecision(tx: Tx, actor: Actor, authorityId: string, contractId: string, claimId: string): Promise<Claim> {
    const [claim] = await tx
      .select()
      .from(pbrClaims)
      .where(and(eq(pbrClaims.authorityId, authorityId), eq(pbrClaims.contractId, contractId), eq(pbrClaims.id, claimId)))
      .for('update');
    if (!claim) throw new NotFoundError('No such claim in this contract');
    const refuse = (message: string) => new ConflictError(message, { claims: message });
    if (claim.status !== 'awaiting_approval') throw refuse(`That claim has already been decided: ${CLAIM_STATUSES[claim.status as keyof typeof CLAIM_STATUSES].toLowerCase()}`);
    // Separation of duties: whoever made a claim does not approve it.
    if (actor.userId !== null && actor.userId === claim.madeBy) throw refuse('You made this claim, so someone else must decide it');
    return claim;
  }

  /** Approve a claim for payment: the payment is written with the decision, in integer pence. */
  async approveClaim(actor: Actor, authorityId: string, contractId: string, claimId: string): Promise<Claim> {
    return this.db.transaction(async (tx) => {
      const before = await this.claimForDecision(tx, actor, authorityId, contractId, claimId);
      const now = new Date();
      const [after] = await tx.update(pbrClaims).set({ status: 'approved', decidedBy: actor.userId, decidedAt: now }).where(eq(pbrClaims.id, before.id)).returning();
      const payment = { id: newId(), authorityId, contractId, participantId: before.participantId, claimId: before.id, kind: 'result', amountPence: before.amountPence, approvedBy: actor.userId, approvedAt: now };
      await tx.insert(pbrPayments).values(payment);
      await recordAudit(tx, actor, { authorityId, action: 'pbr.claim.approve', entityType: 'pbr_claim', entityId: before.id, before, after: { ...after, payment } });
      return after!;
    });
  }

  async rejectClaim(actor: Actor, authorityId: string, contractId: string, claimId: string, raw: Record<string, unknown>): Promise<void> {
    const reason = text(raw.reason);
    if (reason.length < 3 || reason.length > 1000) throw new ValidationError({ reason: 'Say why the claim is rejected, in 3 to 1,000 characters' });
    await this.db.transaction(async (tx) => {
      const before = await this.claimForDecision(tx, actor, authorityId, contractId, claimId);
      const [after] = await tx.update(pbrClaims).set({ status: 'rejected', decidedBy: actor.userId, decidedAt: new Date(), decisionReason: reason }).where(eq(pbrClaims.id, before.id)).returning();
      await recordAudit(tx, actor, { authorityId, action: 'pbr.claim.reject', entityType: 'pbr_claim', entityId: before.id, before, after, reason });
    });
  }

  // ---------------------------------------------------------------- the dashboard

  /** Per result, and for attachment fees: claims by state, money paid and money waiting. */
  async dashboard(authorityId: string, contractId: string): Promise<{ rows: DashboardRow[]; participants: number; paidPence: number; waitingPence: number }> {
    const contract = await this.getContract(this.db, authorityId, contractId);
    const { outcomes } = await this.termsIn(this.db, contract);
    const byOutcome = await this.db
      .select({ outcomeId: pbrClaims.outcomeId, status: pbrClaims.status, n: sql<number>`count(*)`.mapWith(Number), total: sum(pbrClaims.amountPence) })
      .from(pbrClaims)
      .where(eq(pbrClaims.contractId, contract.id))
      .groupBy(pbrClaims.outcomeId, pbrClaims.status);
    const [fees] = await this.db
      .select({ n: sql<number>`count(*)`.mapWith(Number), total: sum(pbrPayments.amountPence) })
      .from(pbrPayments)
      .where(and(eq(pbrPayments.contractId, contract.id), eq(pbrPayments.kind, 'attachment')));
    const [{ participants } = { participants: 0 }] = await this.db.select({ participants: sql<number>`count(*)`.mapWith(Number) }).from(pbrParticipants).where(eq(pbrParticipants.contractId, contract.id));
    const rows: DashboardRow[] = [{ label: 'Attachment fees', waiting: 0, approved: fees?.n ?? 0, rejected: 0, paidPence: fees?.total ?? 0, waitingPence: 0 }];
    for (const o of outcomes) {
      const of = (status: string) => byOutcome.find((r) => r.outcomeId === o.id && r.status === status);
      rows.push({
        label: o.name,
        waiting: of('awaiting_approval')?.n ?? 0,
        approved: of('approved')?.n ?? 0,
        rejected: of('rejected')?.n ?? 0,
        paidPence: of('approved')?.total ?? 0,
        waitingPence: of('awaiting_approval')?.total ?? 0,
      });
    }
    return { rows, participants, paidPence: rows.reduce((s, r) => s + r.paidPence, 0), waitingPence: rows.reduce((s, r) => s + r.waitingPence, 0) };
  }
}
