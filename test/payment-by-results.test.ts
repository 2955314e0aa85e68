/**
 * Payment by results through the real app and database: a Troubled Families contract set up
 * from the template, a family attached (its identity kept apart), evidence recorded by a partner,
 * claims checked (refused with reasons, nothing written) and made with their evidence trail,
 * approved by someone else into payments at the published rates; identity shown only to
 * council officers, never in the audit log; a contract's own terms; the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { bearer, decode, errorSummary, expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext } from './helpers.ts';
import { periodEnd } from '../src/lib/dates.ts';
import { auditLog } from '../src/lib/audit/tables.ts';
import { pbrClaimEvidence, pbrClaims, pbrEvidence, pbrPayments } from '../src/modules/payment-by-results/tables.ts';
import { TROUBLED_FAMILIES_PHASE_1 as TF } from '../src/modules/payment-by-results/frameworks.ts';
import type { Authority } from '../src/modules/places/service.ts';
import type { User } from '../src/modules/accounts/service.ts';
import type { OutcomeTerms } from '../src/modules/payment-by-results/service.ts';

const [EXCLUSIONS, ABSENCE, ASB, OFFENDING] = TF.outcomes[0]!.conditions.map((c) => c.measure) as [string, string, string, string];
const EMPLOYED = TF.outcomes[1]!.conditions[0]!.measure;
const FAMILY_NAME = 'The Okonkwo-Smith family';

/** A year-1 family (attached 1 October 2012) whose evidence meets every crime and education condition. */
const turnedAroundEvidence = [
  { measure: EXCLUSIONS, periodStart: '2012-10-01', periodEnd: '2013-09-30', value: '0', source: 'School exclusions return' },
  { measure: ABSENCE, periodStart: '2012-10-01', periodEnd: '2013-09-30', value: '8.5', source: 'School attendance return' },
  { measure: ASB, periodStart: '2012-04-01', periodEnd: '2012-09-30', value: '10', source: 'Police ASB log' },
  { measure: ASB, periodStart: '2013-04-01', periodEnd: '2013-09-30', value: '3', source: 'Police ASB log' },
  { measure: OFFENDING, periodStart: '2012-04-01', periodEnd: '2012-09-30', value: '3', source: 'Youth Offending Service' },
  { measure: OFFENDING, periodStart: '2013-04-01', periodEnd: '2013-09-30', value: '1', source: 'Youth Offending Service' },
];

describe('payment by results', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: User;
  let secondOfficer: User;
  let partner: User;
  let councillor: User;
  let providerId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    authority = await newAuthority(ctx.services);
    officer = await newUser(ctx.services, authority.id, 'officer');
    secondOfficer = await newUser(ctx.services, authority.id, 'officer');
    partner = await newUser(ctx.services, authority.id, 'partner_officer');
    councillor = await newUser(ctx.services, authority.id, 'councillor');
    providerId = (await ctx.services.organisations.create(TEST_ACTOR, authority.id, { name: 'Families First Partnership', type: 'partner_agency' })).id;
  });
  afterAll(() => ctx?.close());

  const pbr = () => ctx.services.paymentByResults;
  const tfContract = async (name = 'Troubled Families') => {
    const contract = await pbr().createContract(TEST_ACTOR, authority.id, { name, providerOrganisationId: providerId, template: TF.key, startDate: '2012-04-01', endDate: '2015-03-31' });
    const { outcomes } = await pbr().terms(authority.id, contract.id);
    const outcome = (key: string) => outcomes.find((o) => o.key === key)!;
    return { contract, outcome };
  };
  const attach = (contractId: string, attachedOn: string) =>
    pbr().addParticipant(TEST_ACTOR, authority.id, contractId, { name: 'A family', attachedOn, criteriaMet: ['youth_crime_asb', 'education', 'out_of_work'] });
  const record = async (contractId: string, participantId: string, items: Record<string, string>[]) => {
    for (const item of items) await pbr().recordEvidence(TEST_ACTOR, authority.id, contractId, participantId, item);
  };
  const claim = (contractId: string, participantId: string, outcome: OutcomeTerms, claimDate: string) =>
    pbr().makeClaim(TEST_ACTOR, authority.id, contractId, participantId, { outcomeId: outcome.id, claimDate });

  it('runs a Troubled Families contract from the template to a payment, through the pages', async () => {
    const base = `/a/${authority.slug}/payment-by-results`;
    const staff = await signedInAs(ctx.app, officer);
    const made = await staff.submit(`${base}/new?template=${TF.key}`, base, { name: 'Troubled Families 2012–15', providerOrganisationId: providerId, template: TF.key, startDate: '2012-04-01', endDate: '2015-03-31' });
    expect(made.statusCode).toBe(303);
    const contractUrl = String(made.headers.location);
    const contractId = contractUrl.split('/').pop()!;
    const contractPage = await staff.get(contractUrl);
    expect(h1(contractPage.body)).toBe('Troubled Families 2012–15');
    for (const figure of ['£3,200.00', '£2,400.00', '£1,600.00', '£700.00', '£1,500.00', '£2,300.00', '£800.00', '£100.00']) expect(contractPage.body).toContain(figure);

    // Attaching with too few criteria is refused at the field; nothing is attached.
    const few = await staff.submit(`${contractUrl}/participants/new`, `${contractUrl}/participants`, { name: FAMILY_NAME, attachedOn: '2012-10-01', criteriaMet: ['education', 'out_of_work'] });
    expectFormErrors(few.body, { criteriaMet: 'Select at least 3 of the 4 criteria the participant meets: fewer means they are not eligible' });
    const attached = await staff.submit(`${contractUrl}/participants/new`, `${contractUrl}/participants`, {
      name: FAMILY_NAME, caseReference: 'TF/2012/0042', attachedOn: '2012-10-01', criteriaMet: ['youth_crime_asb', 'education', 'out_of_work'],
    });
    expect(attached.statusCode).toBe(303);
    const participantUrl = String(attached.headers.location);
    const participantId = participantUrl.split('/').pop()!;

    // The partner holds the data: a claim before any evidence is refused, naming the evidence missing, and writes nothing.
    const agency = await signedInAs(ctx.app, partner);
    const { outcomes } = await pbr().terms(authority.id, contractId);
    const crimeEducation = outcomes.find((o) => o.key === 'crime_education')!;
    const refused = await agency.submit(participantUrl, `${participantUrl}/claims`, { outcomeId: crimeEducation.id, claimDate: '2013-10-15', intent: 'claim' });
    expect(refused.statusCode).toBe(400);
    const reasons = errorSummary(refused.body);
    expect(Object.keys(reasons)).toEqual(['evidence']);
    for (const measure of [EXCLUSIONS, ABSENCE, ASB, OFFENDING]) expect(reasons.evidence).toContain(`No evidence of “${measure}”`);
    expect(refused.body).toContain('id="evidence"');
    expect(await ctx.database.db.select().from(pbrClaims).where(eq(pbrClaims.participantId, participantId))).toEqual([]);

    const badEvidence = await agency.submit(participantUrl, `${participantUrl}/evidence`, { measure: ASB, periodStart: '2013-04-01', periodEnd: '2013-03-01', value: 'three', source: 'Police' });
    expectFormErrors(badEvidence.body, { periodEnd: 'The last day must be on or after the first day', value: 'Enter the value measured as a number of 0 or more, like 2 or 12.5' });
    for (const item of turnedAroundEvidence) expect((await agency.submit(participantUrl, `${participantUrl}/evidence`, item)).statusCode).toBe(303);

    const checked = await agency.submit(participantUrl, `${participantUrl}/claims`, { outcomeId: crimeEducation.id, claimDate: '2013-10-15', intent: 'check' });
    expect(checked.statusCode).toBe(200);
    expect(decode(checked.body)).toContain('This claim passes every check. Made now, it would be paid £700.00 once approved, on 6 pieces of evidence.');
    expect(await ctx.database.db.select().from(pbrClaims).where(eq(pbrClaims.participantId, participantId))).toEqual([]);
    const claimed = await agency.submit(participantUrl, `${participantUrl}/claims`, { outcomeId: crimeEducation.id, claimDate: '2013-10-15', intent: 'claim' });
    expect(claimed.statusCode).toBe(303);
    const [made1] = await ctx.database.db.select().from(pbrClaims).where(eq(pbrClaims.participantId, participantId));
    expect(made1).toMatchObject({ status: 'awaiting_approval', amountPence: 70_000, madeBy: partner.id });
    expect(await ctx.database.db.select().from(pbrClaimEvidence).where(eq(pbrClaimEvidence.claimId, made1!.id))).toHaveLength(6);

    // The partner cannot approve; the officer can, and the payment is written with the decision.
    const claimUrl = `${contractUrl}/claims/${made1!.id}`;
    expect((await agency.submit(claimUrl, `${claimUrl}/approve`, {})).statusCode).toBe(403);
    const approved = await staff.submit(claimUrl, `${claimUrl}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const payments = await ctx.database.db.select().from(pbrPayments).where(eq(pbrPayments.participantId, participantId));
    expect(payments.map((p) => [p.kind, p.amountPence]).sort()).toEqual([['attachment', 320_000], ['result', 70_000]]);

    const again = await staff.submit(claimUrl, `${claimUrl}/approve`, {});
    expect(again.statusCode).toBe(400);
    expect(errorSummary(again.body)).toEqual({ claims: 'That claim has already been decided: approved for payment' });
    expect(await ctx.database.db.select().from(pbrPayments).where(eq(pbrPayments.participantId, participantId))).toHaveLength(2);

    const dashboard = await pbr().dashboard(authority.id, contractId);
    expect(dashboard).toMatchObject({ participants: 1, paidPence: 390_000, waitingPence: 0 });
    expect(dashboard.rows.find((r) => r.label === crimeEducation.name)).toMatchObject({ approved: 1, paidPence: 70_000 });
    const page = await staff.get(contractUrl);
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('£3,900.00');
  });

  it('shows who a participant is only to council officers, and never writes it to the audit log', async () => {
    const { contract } = await tfContract('Identity check');
    const p = await pbr().addParticipant(TEST_ACTOR, authority.id, contract.id, { name: 'The Hidden family', caseReference: 'CASE-77', attachedOn: '2013-05-01', criteriaMet: ['education', 'out_of_work', 'high_cost'] });
    expect(p.pseudonym).toBe('TF-0001');
    const url = `/a/${authority.slug}/payment-by-results/${contract.id}`;
    expect((await (await signedInAs(ctx.app, councillor)).get(`${url}/participants/${p.id}`)).statusCode).toBe(403);
    for (const [user, sees] of [[officer, true], [partner, false], [councillor, false]] as const) {
      const browser = await signedInAs(ctx.app, user);
      for (const page of user === councillor ? [url] : [url, `${url}/participants/${p.id}`]) {
        const res = await browser.get(page);
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('TF-0001');
        expect(res.body.includes('The Hidden family'), `${user.email} on ${page}`).toBe(sees);
        expect(res.body.includes('CASE-77')).toBe(sees);
      }
    }
    const apiUrl = `/api/v1/authorities/${authority.slug}/payment-by-results/contracts/${contract.id}/participants/${p.id}/identity`;
    for (const [user, status] of [[officer, 200], [partner, 403], [councillor, 403]] as const) {
      const { token } = await ctx.services.accounts.createApiToken(TEST_ACTOR, user.id, 'identity');
      const res = await ctx.app.inject({ method: 'GET', url: apiUrl, headers: bearer(token) });
      expect(res.statusCode).toBe(status);
      if (status === 200) expect(res.json()).toEqual({ name: 'The Hidden family', caseReference: 'CASE-77' });
    }
    const audit = await ctx.database.db.select({ text: sql<string>`concat_ws(' ', ${auditLog.before}::text, ${auditLog.after}::text, ${auditLog.reason})` }).from(auditLog).where(eq(auditLog.authorityId, authority.id));
    expect(audit.some((a) => a.text.includes('The Hidden family') || a.text.includes('CASE-77'))).toBe(false);
    expect(audit.some((a) => a.text.includes('TF-0001'))).toBe(true);
  });

  it('pays the published rates by the year the family was attached, up to £4,000 a family, with employment replacing the other results', async () => {
    const { contract, outcome } = await tfContract('Rates');
    // Year 1: crime and education, then progress to work, reach £4,000 with the £3,200 fee.
    const y1 = await attach(contract.id, '2012-10-01');
    await record(contract.id, y1.id, [...turnedAroundEvidence, { measure: outcome('progress_to_work').conditions[0]!.measure, periodStart: '2012-12-03', periodEnd: '2012-12-03', value: '1', source: 'Work Programme referral' }]);
    expect((await claim(contract.id, y1.id, outcome('crime_education'), '2013-10-15')).amountPence).toBe(70_000);
    expect((await claim(contract.id, y1.id, outcome('progress_to_work'), '2013-10-15')).amountPence).toBe(10_000);
    // Employment replaces the other results, so it is refused once they are claimed.
    await record(contract.id, y1.id, [{ measure: EMPLOYED, periodStart: '2013-01-07', periodEnd: '2013-07-31', value: '6', source: 'DWP' }]);
    await expect(claim(contract.id, y1.id, outcome('continuous_employment'), '2013-10-15')).rejects.toMatchObject({ fields: { outcomeId: expect.stringContaining('(rule: results that replace each other)') } });

    // Year 1 employment pays £800; years 2 and 3 pay £1,600 and £2,400.
    const rates: [string, number][] = [['2012-11-01', 80_000], ['2013-05-01', 160_000], ['2014-06-02', 240_000]];
    for (const [attachedOn, pence] of rates) {
      const family = await attach(contract.id, attachedOn);
      const end = periodEnd(attachedOn, 7, 'months');
      await record(contract.id, family.id, [{ measure: EMPLOYED, periodStart: attachedOn, periodEnd: end, value: '7', source: 'DWP' }]);
      expect((await claim(contract.id, family.id, outcome('continuous_employment'), end)).amountPence).toBe(pence);
    }
    const fees = await ctx.database.db.select({ pence: pbrPayments.amountPence }).from(pbrPayments).where(eq(pbrPayments.contractId, contract.id));
    expect(fees.map((f) => f.pence).sort((a, b) => a - b)).toEqual([160_000, 240_000, 320_000, 320_000]);
  });

  it('refuses a second claim for the same result, even when two arrive at once', async () => {
    const { contract, outcome } = await tfContract('Twice');
    const family = await attach(contract.id, '2012-10-01');
    await record(contract.id, family.id, turnedAroundEvidence);
    const results = await Promise.allSettled([claim(contract.id, family.id, outcome('crime_education'), '2013-10-15'), claim(contract.id, family.id, outcome('crime_education'), '2013-10-16')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.fields.outcomeId).toContain('(rule: no double claim)');
    expect(await ctx.database.db.select().from(pbrClaims).where(eq(pbrClaims.participantId, family.id))).toHaveLength(1);
  });

  it('lets a rejected claim be made again, and keeps its reason; whoever made a claim cannot decide it', async () => {
    const { contract, outcome } = await tfContract('Decisions');
    const family = await attach(contract.id, '2012-10-01');
    await record(contract.id, family.id, turnedAroundEvidence);
    const officerActor = { userId: officer.id, role: 'officer', via: 'web' as const };
    const first = await pbr().makeClaim(officerActor, authority.id, contract.id, family.id, { outcomeId: outcome('crime_education').id, claimDate: '2013-10-15' });
    await expect(pbr().approveClaim(officerActor, authority.id, contract.id, first.id)).rejects.toThrow('You made this claim, so someone else must decide it');
    const other = { userId: secondOfficer.id, role: 'officer', via: 'web' as const };
    await expect(pbr().rejectClaim(other, authority.id, contract.id, first.id, { reason: '' })).rejects.toMatchObject({ fields: { reason: 'Say why the claim is rejected, in 3 to 1,000 characters' } });
    await pbr().rejectClaim(other, authority.id, contract.id, first.id, { reason: 'Attendance return not yet verified' });
    const second = await claim(contract.id, family.id, outcome('crime_education'), '2013-11-01');
    await pbr().approveClaim(other, authority.id, contract.id, second.id);
    const claims = await pbr().claims(contract.id, family.id);
    expect(claims.map((c) => [c.claim.status, c.claim.decisionReason])).toEqual([['approved', null], ['rejected', 'Attendance return not yet verified']]);
    expect(claims[0]!.trail).toHaveLength(6);
  });

  it('sets up a contract of its own and adds a result through the pages, field by field', async () => {
    const base = `/a/${authority.slug}/payment-by-results`;
    const staff = await signedInAs(ctx.app, officer);
    const bad = await staff.submit(`${base}/new`, base, { name: 'Tenancy sustainment', providerOrganisationId: providerId, startDate: '2025-04-01', endDate: '2025-03-01', attachmentFee: 'lots' });
    expectFormErrors(bad.body, { endDate: 'The end date must be on or after the start date', attachmentFee: 'Enter the attachment fee in pounds, from £0.01 to £100,000,000.00, like 2,500' });
    const made = await staff.submit(`${base}/new`, base, { name: 'Tenancy sustainment', providerOrganisationId: providerId, startDate: '2025-04-01', endDate: '2027-03-31', attachmentFee: '150' });
    const contractUrl = String(made.headers.location);
    const outcome = { name: 'Fewer arrears', measure: 'Rent arrears in pounds', test: 'reduction_at_least', threshold: '50', baselineMonths: '', measurementMonths: '6', tariff: '600', source: 'Contract schedule 2' };
    const missing = await staff.submit(contractUrl, `${contractUrl}/outcomes`, outcome);
    expectFormErrors(missing.body, { baselineMonths: 'Enter the baseline window as whole months from 1 to 60' });
    expect((await staff.submit(contractUrl, `${contractUrl}/outcomes`, { ...outcome, baselineMonths: '6' })).statusCode).toBe(303);
    const page = decode((await staff.get(contractUrl)).body);
    expect(page).toContain('Rent arrears in pounds falls by at least 50% over 6 months after attachment, against the 6 months before attachment');
    expect(page).toContain('£600.00');
    expect(page).toContain('£150.00');
  });

  it('runs a contract of its own: its result, attachment fee, caps and cohort size', async () => {
    const contract = await pbr().createContract(TEST_ACTOR, authority.id, { name: 'Rough sleeping outcomes', providerOrganisationId: providerId, startDate: '2025-04-01', endDate: '2027-03-31', cohortLimit: '2', participantCap: '1,000', attachmentFee: '250' });
    await expect(pbr().addOutcome(TEST_ACTOR, authority.id, contract.id, { name: 'Sustained tenancy', measure: 'Months in a tenancy', test: 'at_least', threshold: '6', measurementMonths: '', tariff: '', source: '' })).rejects.toMatchObject({
      fields: { tariff: expect.any(String), source: expect.any(String) },
    });
    await pbr().addOutcome(TEST_ACTOR, authority.id, contract.id, { name: 'Sustained tenancy', measure: 'Months in a tenancy', test: 'at_least', threshold: '6', measurementMonths: '6', tariff: '800', source: 'Contract schedule 3' });
    const { outcomes } = await pbr().terms(authority.id, contract.id);
    const a = await pbr().addParticipant(TEST_ACTOR, authority.id, contract.id, { name: 'Person A', attachedOn: '2025-05-01' });
    await pbr().addParticipant(TEST_ACTOR, authority.id, contract.id, { name: 'Person B', attachedOn: '2025-05-02' });
    expect(a.pseudonym).toBe('P-0001');
    await expect(pbr().addParticipant(TEST_ACTOR, authority.id, contract.id, { name: 'Person C', attachedOn: '2025-05-03' })).rejects.toMatchObject({ fields: { attachedOn: 'The cohort is full: the contract takes 2 participants (rule: cohort size)' } });
    await pbr().recordEvidence(TEST_ACTOR, authority.id, contract.id, a.id, { measure: 'Months in a tenancy', periodStart: '2025-05-01', periodEnd: '2025-10-31', value: '6', source: 'Housing officer visit' });
    // £250 fee + £800 would pass the £1,000 cap per participant: refused, naming the cap.
    await expect(claim(contract.id, a.id, outcomes[0]!, '2025-11-01')).rejects.toMatchObject({ fields: { outcomeId: 'Paying £800.00 would take this participant to £1,050.00, over the cap of £1,000.00 per participant (rule: participant cap).' } });
    const evidence = await ctx.database.db.select().from(pbrEvidence).where(eq(pbrEvidence.participantId, a.id));
    expect(evidence).toHaveLength(1);
  });

  it('gives the place’s dashboard each contract’s payments and waiting claims, as its own dashboard has them', async () => {
    const rows = await pbr().claimsAndPayments(authority.id);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const own = await pbr().dashboard(authority.id, r.id);
      expect(r).toMatchObject({ providerName: 'Families First Partnership', participants: own.participants, paidPence: own.paidPence, waitingPence: own.waitingPence });
    }
    // Contracts with payments, with claims waiting, and with nobody attached yet: each case is compared.
    expect(rows.some((r) => r.paidPence > 0)).toBe(true);
    expect(rows.some((r) => r.waitingPence > 0)).toBe(true);
    expect(rows.some((r) => r.participants === 0)).toBe(true);
    const page = decode((await (await signedInAs(ctx.app, partner)).get(`/a/${authority.slug}/place-budgets`)).body);
    expect(page).toContain('Payment by results: claims and payments');
    expect(page).toContain(rows[0]!.name);
  });

  it('keeps evidence, claims’ evidence trails and payments as written: the database refuses changes', async () => {
    const { contract, outcome } = await tfContract('Append only');
    const family = await attach(contract.id, '2012-10-01');
    await record(contract.id, family.id, turnedAroundEvidence);
    const made = await claim(contract.id, family.id, outcome('crime_education'), '2013-10-15');
    const db = ctx.database.db;
    // Drizzle wraps the database's error; the reason is in its cause.
    await expect(db.update(pbrEvidence).set({ value: '99' }).where(eq(pbrEvidence.participantId, family.id))).rejects.toMatchObject({ cause: { message: expect.stringContaining('pbr_evidence is append-only: UPDATE') } });
    await expect(db.delete(pbrClaimEvidence).where(eq(pbrClaimEvidence.claimId, made.id))).rejects.toMatchObject({ cause: { message: expect.stringContaining('pbr_claim_evidence is append-only: DELETE') } });
    await expect(db.update(pbrPayments).set({ amountPence: 1 }).where(eq(pbrPayments.participantId, family.id))).rejects.toMatchObject({ cause: { message: expect.stringContaining('pbr_payments is append-only: UPDATE') } });
    expect((await db.select().from(pbrEvidence).where(eq(pbrEvidence.participantId, family.id))).map((e) => e.value)).toEqual(turnedAroundEvidence.map((e) => e.value));
  });

  describe('the API', () => {
    let officerToken: string;
    let partnerToken: string;
    const api = `/api/v1/authorities/`;
    beforeAll(async () => {
      officerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, officer.id, 'pbr')).token;
      partnerToken = (await ctx.services.accounts.createApiToken(TEST_ACTOR, partner.id, 'pbr')).token;
    });

    it('sets up a contract, attaches a family, and refuses a claim without evidence with field errors', async () => {
      const contracts = `${api}${authority.slug}/payment-by-results/contracts`;
      const bad = await ctx.app.inject({ method: 'POST', url: contracts, headers: bearer(officerToken), payload: { name: 'X', providerOrganisationId: providerId, startDate: '2012-04-31', endDate: '2012-01-01' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'validation', fields: { name: expect.any(String), startDate: 'Enter the start date as a real date, like 2013-06-30' } });
      const created = await ctx.app.inject({ method: 'POST', url: contracts, headers: bearer(officerToken), payload: { name: 'API families', providerOrganisationId: providerId, template: TF.key, startDate: '2012-04-01', endDate: '2015-03-31' } });
      expect(created.statusCode).toBe(201);
      const contract = created.json();
      expect(contract).toMatchObject({ template: TF.key, templateVersion: '2012-03', participantCapPence: 400_000 });

      const forbidden = await ctx.app.inject({ method: 'POST', url: `${contracts}/${contract.id}/participants`, headers: bearer(partnerToken), payload: { name: 'F', attachedOn: '2012-10-01' } });
      expect(forbidden.statusCode).toBe(403);
      const family = await ctx.app.inject({ method: 'POST', url: `${contracts}/${contract.id}/participants`, headers: bearer(officerToken), payload: { name: 'API family', attachedOn: '2012-10-01', criteriaMet: ['education', 'out_of_work', 'high_cost'] } });
      expect(family.statusCode).toBe(201);
      expect(family.json()).toMatchObject({ pseudonym: 'TF-0001' });

      const detail = (await ctx.app.inject({ method: 'GET', url: `${contracts}/${contract.id}`, headers: bearer(partnerToken) })).json();
      const crime = detail.outcomes.find((o: { key: string }) => o.key === 'crime_education');
      expect(crime.tariffs.map((t: { pence: number }) => t.pence)).toEqual([70_000, 150_000, 230_000]);
      expect(detail.dashboard).toMatchObject({ participants: 1, paidPence: 320_000 });

      const claims = `${contracts}/${contract.id}/participants/${family.json().id}/claims`;
      const noEvidence = await ctx.app.inject({ method: 'POST', url: claims, headers: bearer(partnerToken), payload: { outcomeId: crime.id, claimDate: '2013-10-15' } });
      expect(noEvidence.statusCode).toBe(400);
      expect(noEvidence.json().error).toMatchObject({ code: 'validation', message: 'This claim cannot be paid', fields: { evidence: expect.stringContaining(`No evidence of “${EXCLUSIONS}”`) } });
      expect(await ctx.database.db.select().from(pbrClaims).where(eq(pbrClaims.contractId, contract.id))).toEqual([]);

      for (const item of turnedAroundEvidence) {
        const res = await ctx.app.inject({ method: 'POST', url: `${contracts}/${contract.id}/participants/${family.json().id}/evidence`, headers: bearer(partnerToken), payload: item });
        expect(res.statusCode).toBe(201);
      }
      const made = await ctx.app.inject({ method: 'POST', url: claims, headers: bearer(partnerToken), payload: { outcomeId: crime.id, claimDate: '2013-10-15' } });
      expect(made.statusCode).toBe(201);
      const approved = await ctx.app.inject({ method: 'POST', url: `${contracts}/${contract.id}/claims/${made.json().id}/approve`, headers: bearer(officerToken) });
      expect(approved.json()).toMatchObject({ status: 'approved', amountPence: 70_000 });
    });
  });
});
