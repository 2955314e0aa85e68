/** Payment by results: contracts and their dashboard, the cohort, evidence, claims and their approval; and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { NotFoundError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { can } from '../../lib/auth/policy.ts';
import { CLAIM_STATUSES, TEMPLATE_CHOICES, type Claim, type Contract } from './service.ts';
import { TESTS, describeCondition } from './rules.ts';

const BASE = '/a/:authority/payment-by-results';
const API = '/api/v1/authorities/:authority/payment-by-results/contracts';

const uuidOr404 = (id: string, what: string) => {
  if (!isUuid(id)) throw new NotFoundError(`No such ${what}`);
  return id;
};

type ContractParams = { contract: string };
type ParticipantParams = { contract: string; participant: string };
type ClaimParams = { contract: string; claim: string };

const ContractJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  providerOrganisationId: Type.String({ format: 'uuid' }),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  template: Type.Union([Type.String(), Type.Null()]),
  templateVersion: Type.Union([Type.String(), Type.Null()]),
  cohortLimit: Type.Union([Type.Integer(), Type.Null()]),
  participantCapPence: Type.Union([Type.Integer(), Type.Null()]),
  contractCapPence: Type.Union([Type.Integer(), Type.Null()]),
});
const DatedJson = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), pence: Type.Integer(), source: Type.String() });
const ContractDetailJson = Type.Object({
  contract: ContractJson,
  attachmentFees: Type.Array(DatedJson),
  outcomes: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), key: Type.String(), name: Type.String(), conditions: Type.Array(Type.Object({ measure: Type.String(), test: Type.String(), threshold: Type.String(), baselineMonths: Type.Union([Type.Integer(), Type.Null()]), measurementMonths: Type.Union([Type.Integer(), Type.Null()]) })), tariffs: Type.Array(DatedJson), source: Type.String() })),
  dashboard: Type.Object({
    participants: Type.Integer(),
    paidPence: Type.Integer(),
    waitingPence: Type.Integer(),
    rows: Type.Array(Type.Object({ label: Type.String(), waiting: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer(), paidPence: Type.Integer(), waitingPence: Type.Integer() })),
  }),
});
const ClaimJson = Type.Object({ id: Type.String({ format: 'uuid' }), participantId: Type.String({ format: 'uuid' }), outcomeId: Type.String({ format: 'uuid' }), claimDate: Type.String({ format: 'date' }), amountPence: Type.Integer(), status: Type.String({ enum: Object.keys(CLAIM_STATUSES) }) });
const Date_ = Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });

const contractJson = (c: Contract) => ({
  id: c.id,
  name: c.name,
  providerOrganisationId: c.providerOrganisationId,
  startDate: c.startDate,
  endDate: c.endDate,
  template: c.templateKey,
  templateVersion: c.templateVersion,
  cohortLimit: c.cohortLimit,
  participantCapPence: c.participantCapPence,
  contractCapPence: c.contractCapPence,
});
const claimJson = (c: Claim) => ({ id: c.id, participantId: c.participantId, outcomeId: c.outcomeId, claimDate: c.claimDate, amountPence: c.amountPence, status: c.status });

export const paymentByResultsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const pbr = services.paymentByResults;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const seesIdentity = (req: FastifyRequest) => can(req.principal, 'pbr.identity', { authorityId: req.authority!.id });
    const contractUrl = (req: FastifyRequest, id: string) => `/a/${req.authority!.slug}/payment-by-results/${id}`;

    app.get(BASE, { config: { action: 'pbr.view' } }, async (req, reply) =>
      reply.view('payment-by-results/views/list.njk', { title: 'Payment by results', contracts: await pbr.listContracts(req.authority!.id) }),
    );

    const contractFormData = async (req: FastifyRequest) => ({ title: 'Set up a payment-by-results contract', providers: await services.organisations.choices(req.authority!.id), templates: TEMPLATE_CHOICES });

    app.get(`${BASE}/new`, { config: { action: 'pbr.manage' } }, async (req, reply) =>
      reply.view('payment-by-results/views/contract-form.njk', { ...(await contractFormData(req)), values: { template: text((req.query as Record<string, unknown>).template) } }),
    );

    app.post<{ Body: Record<string, unknown> }>(BASE, { config: { action: 'pbr.manage' } }, async (req, reply) => {
      let created: Contract | undefined;
      return (
        (await handleForm(reply, { template: 'payment-by-results/views/contract-form.njk', data: await contractFormData(req), values: req.body }, async () => {
          created = await pbr.createContract(actorOf(req), req.authority!.id, req.body);
        })) ?? reply.redirect(contractUrl(req, created!.id), 303)
      );
    });

    const contractData = async (req: FastifyRequest<{ Params: ContractParams }>) => {
      const id = uuidOr404(req.params.contract, 'contract');
      const terms = await pbr.terms(req.authority!.id, id);
      const withIdentity = seesIdentity(req);
      return {
        title: terms.contract.name,
        terms,
        describe: describeCondition,
        tests: Object.entries(TESTS),
        dashboard: await pbr.dashboard(req.authority!.id, id),
        participants: await pbr.participants(req.authority!.id, id, { withIdentity }),
        claims: await pbr.claims(id),
        statuses: CLAIM_STATUSES,
        withIdentity,
      };
    };

    app.get<{ Params: ContractParams }>(`${BASE}/:contract`, { config: { action: 'pbr.view' } }, async (req, reply) =>
      reply.view('payment-by-results/views/contract.njk', { ...(await contractData(req)), values: {} }),
    );

    app.post<{ Params: ContractParams; Body: Record<string, unknown> }>(`${BASE}/:contract/outcomes`, { config: { action: 'pbr.manage' } }, async (req, reply) => {
      const data = await contractData(req);
      return (
        (await handleForm(reply, { template: 'payment-by-results/views/contract.njk', data, values: req.body }, async () => {
          await pbr.addOutcome(actorOf(req), req.authority!.id, data.terms.contract.id, req.body);
        })) ?? reply.redirect(`${contractUrl(req, data.terms.contract.id)}#terms`, 303)
      );
    });

    const participantFormData = async (req: FastifyRequest<{ Params: ContractParams }>) => {
      const terms = await pbr.terms(req.authority!.id, uuidOr404(req.params.contract, 'contract'));
      return { title: `Attach a participant to ${terms.contract.name}`, terms };
    };

    app.get<{ Params: ContractParams }>(`${BASE}/:contract/participants/new`, { config: { action: 'pbr.identity' } }, async (req, reply) =>
      reply.view('payment-by-results/views/participant-form.njk', { ...(await participantFormData(req)), values: {} }),
    );

    app.post<{ Params: ContractParams; Body: Record<string, unknown> }>(`${BASE}/:contract/participants`, { config: { action: 'pbr.identity' } }, async (req, reply) => {
      const data = await participantFormData(req);
      let participantId = '';
      return (
        (await handleForm(reply, { template: 'payment-by-results/views/participant-form.njk', data, values: req.body }, async () => {
          participantId = (await pbr.addParticipant(actorOf(req), req.authority!.id, data.terms.contract.id, req.body)).id;
        })) ?? reply.redirect(`${contractUrl(req, data.terms.contract.id)}/participants/${participantId}`, 303)
      );
    });

    const participantData = async (req: FastifyRequest<{ Params: ParticipantParams }>) => {
      const terms = await pbr.terms(req.authority!.id, uuidOr404(req.params.contract, 'contract'));
      const record = await pbr.participantRecord(req.authority!.id, terms.contract.id, uuidOr404(req.params.participant, 'participant'), { withIdentity: seesIdentity(req) });
      return { title: `Participant ${record.participant.pseudonym}`, terms, record, statuses: CLAIM_STATUSES, outcomeChoices: terms.outcomes.map((o) => [o.id, o.name]), measureChoices: terms.measures.map((m) => [m, m]) };
    };
    const participantView = 'payment-by-results/views/participant.njk';

    // A participant's own record (their evidence, by pseudonym) is for those who hold or judge it; councillors see the totals.
    app.get<{ Params: ParticipantParams }>(`${BASE}/:contract/participants/:participant`, { config: { action: 'pbr.evidence' } }, async (req, reply) =>
      reply.view(participantView, { ...(await participantData(req)), values: {} }),
    );

    app.post<{ Params: ParticipantParams; Body: Record<string, unknown> }>(`${BASE}/:contract/participants/:participant/evidence`, { config: { action: 'pbr.evidence' } }, async (req, reply) => {
      const data = await participantData(req);
      const here = `${contractUrl(req, data.terms.contract.id)}/participants/${data.record.participant.id}`;
      return (
        (await handleForm(reply, { template: participantView, data, values: req.body }, async () => {
          await pbr.recordEvidence(actorOf(req), req.authority!.id, data.terms.contract.id, data.record.participant.id, req.body);
        })) ?? reply.redirect(`${here}#evidence`, 303)
      );
    });

    /** "Check the claim" shows what it would get and writes nothing; "Make the claim" checks it again and records it. */
    app.post<{ Params: ParticipantParams; Body: Record<string, unknown> }>(`${BASE}/:contract/participants/:participant/claims`, { config: { action: 'pbr.evidence' } }, async (req, reply) => {
      const data = await participantData(req);
      const ids = [req.authority!.id, data.terms.contract.id, data.record.participant.id] as const;
      const here = `${contractUrl(req, data.terms.contract.id)}/participants/${data.record.participant.id}`;
      const claimValues = { outcomeId: text(req.body.outcomeId), claimDate: text(req.body.claimDate) };
      if (req.body.intent === 'check') {
        const result = await pbr.checkOnly(...ids, claimValues);
        if (result.ok) return reply.view(participantView, { ...data, values: claimValues, checked: { amountPence: result.amountPence, evidence: result.trail.length } });
      }
      return (
        (await handleForm(reply, { template: participantView, data, values: claimValues }, async () => {
          await pbr.makeClaim(actorOf(req), ...ids, claimValues);
        })) ?? reply.redirect(`${here}#claims`, 303)
      );
    });

    const claimData = async (req: FastifyRequest<{ Params: ClaimParams }>) => {
      const terms = await pbr.terms(req.authority!.id, uuidOr404(req.params.contract, 'contract'));
      const id = uuidOr404(req.params.claim, 'claim');
      const claim = (await pbr.claims(terms.contract.id)).find((c) => c.claim.id === id);
      if (!claim) throw new NotFoundError('No such claim in this contract');
      return { title: `Claim for ${claim.pseudonym}: ${claim.outcomeName}`, terms, claim, statuses: CLAIM_STATUSES };
    };
    const claimView = 'payment-by-results/views/claim.njk';

    app.get<{ Params: ClaimParams }>(`${BASE}/:contract/claims/:claim`, { config: { action: 'pbr.evidence' } }, async (req, reply) => reply.view(claimView, { ...(await claimData(req)), values: {} }));

    const decide = (change: (req: FastifyRequest<{ Params: ClaimParams; Body: Record<string, unknown> }>, contractId: string, claimId: string) => Promise<void>) =>
      async (req: FastifyRequest<{ Params: ClaimParams; Body: Record<string, unknown> }>, reply: FastifyReply) => {
        const data = await claimData(req);
        return (
          (await handleForm(reply, { template: claimView, data, values: req.body }, () => change(req, data.terms.contract.id, data.claim.claim.id))) ??
          reply.redirect(`${contractUrl(req, data.terms.contract.id)}/claims/${data.claim.claim.id}`, 303)
        );
      };

    app.post<{ Params: ClaimParams; Body: Record<string, unknown> }>(
      `${BASE}/:contract/claims/:claim/approve`,
      { config: { action: 'pbr.manage' } },
      decide(async (req, contractId, claimId) => {
        await pbr.approveClaim(actorOf(req), req.authority!.id, contractId, claimId);
      }),
    );
    app.post<{ Params: ClaimParams; Body: Record<string, unknown> }>(
      `${BASE}/:contract/claims/:claim/reject`,
      { config: { action: 'pbr.manage' } },
      decide((req, contractId, claimId) => pbr.rejectClaim(actorOf(req), req.authority!.id, contractId, claimId, req.body)),
    );

    // ------------------------------------------------------------------ API

    const tags = ['payment-by-results'];
    const security = [{ bearerAuth: [] }];
    const ContractParam = Type.Object({ authority: AuthorityParam.properties.authority, contract: Type.String({ format: 'uuid' }) });
    const ParticipantParam = Type.Object({ ...ContractParam.properties, participant: Type.String({ format: 'uuid' }) });

    api.get(API, { config: { action: 'pbr.view' }, schema: { tags, security, params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...ContractJson.properties, paidPence: Type.Integer() })) }), ...errorResponses } } }, async (req) => ({
      items: (await pbr.listContracts(req.authority!.id)).map((c) => ({ ...contractJson(c.contract), paidPence: c.paidPence })),
    }));

    api.post(API, {
      config: { action: 'pbr.manage' },
      schema: {
        tags,
        security,
        params: AuthorityParam,
        body: Type.Object({
          name: Type.String({ maxLength: 200 }),
          providerOrganisationId: Type.String({ format: 'uuid' }),
          template: Type.Optional(Type.String({ enum: TEMPLATE_CHOICES.map(([k]) => k) })),
          startDate: Date_,
          endDate: Date_,
          cohortLimit: Type.Optional(Type.Integer({ minimum: 1 })),
          contractCap: Type.Optional(Type.String({ maxLength: 20, description: 'Pounds, like 400,000' })),
          participantCap: Type.Optional(Type.String({ maxLength: 20, description: 'Pounds' })),
          attachmentFee: Type.Optional(Type.String({ maxLength: 20, description: 'Pounds, for a contract without a template' })),
        }),
        response: { 201: ContractJson, ...errorResponses },
      },
    }, async (req, reply) => reply.code(201).send(contractJson(await pbr.createContract(actorOf(req), req.authority!.id, req.body))));

    api.get(`${API}/:contract`, { config: { action: 'pbr.view' }, schema: { tags, security, params: ContractParam, response: { 200: ContractDetailJson, ...errorResponses } } }, async (req) => {
      const terms = await pbr.terms(req.authority!.id, req.params.contract);
      return { contract: contractJson(terms.contract), attachmentFees: terms.attachmentFees, outcomes: terms.outcomes, dashboard: await pbr.dashboard(req.authority!.id, terms.contract.id) };
    });

    api.post(`${API}/:contract/participants`, {
      config: { action: 'pbr.identity' },
      schema: {
        tags,
        security,
        params: ContractParam,
        body: Type.Object({ name: Type.String({ maxLength: 200 }), caseReference: Type.Optional(Type.String({ maxLength: 50 })), attachedOn: Date_, criteriaMet: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })) }),
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }), pseudonym: Type.String(), attachedOn: Type.String({ format: 'date' }) }), ...errorResponses },
      },
    }, async (req, reply) => {
      const p = await pbr.addParticipant(actorOf(req), req.authority!.id, req.params.contract, req.body);
      return reply.code(201).send({ id: p.id, pseudonym: p.pseudonym, attachedOn: p.attachedOn });
    });

    api.get(`${API}/:contract/participants/:participant/identity`, {
      config: { action: 'pbr.identity' },
      schema: { tags, security, params: ParticipantParam, response: { 200: Type.Object({ name: Type.String(), caseReference: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } },
    }, async (req) => {
      const identity = await pbr.identity(req.authority!.id, req.params.contract, req.params.participant);
      return { name: identity.name, caseReference: identity.caseReference };
    });

    api.post(`${API}/:contract/participants/:participant/evidence`, {
      config: { action: 'pbr.evidence' },
      schema: {
        tags,
        security,
        params: ParticipantParam,
        body: Type.Object({ measure: Type.String({ maxLength: 200 }), periodStart: Date_, periodEnd: Date_, value: Type.String({ maxLength: 20 }), source: Type.String({ maxLength: 500 }) }),
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errorResponses },
      },
    }, async (req, reply) => reply.code(201).send({ id: (await pbr.recordEvidence(actorOf(req), req.authority!.id, req.params.contract, req.params.participant, req.body)).id }));

    api.post(`${API}/:contract/participants/:participant/claims`, {
      config: { action: 'pbr.evidence' },
      schema: { tags, security, params: ParticipantParam, body: Type.Object({ outcomeId: Type.String({ format: 'uuid' }), claimDate: Date_ }), response: { 201: ClaimJson, ...errorResponses } },
    }, async (req, reply) => reply.code(201).send(claimJson(await pbr.makeClaim(actorOf(req), req.authority!.id, req.params.contract, req.params.participant, req.body))));

    api.post(`${API}/:contract/claims/:claim/approve`, {
      config: { action: 'pbr.manage' },
      schema: { tags, security, params: Type.Object({ ...ContractParam.properties, claim: Type.String({ format: 'uuid' }) }), response: { 200: ClaimJson, ...errorResponses } },
    }, async (req) => claimJson(await pbr.approveClaim(actorOf(req), req.authority!.id, req.params.contract, req.params.claim)));
  };
