/**
 * The Community Right to Challenge: the public register and settings, a body's draft and
 * submission, officers' receipt, consideration and decision, the deadlines dashboard, and the API.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { pageFrom, paginationFor } from '../../lib/http/pagination.ts';
import { AuthorityParam, errorResponses, pageOf, PageQuery, paged } from '../../lib/http/api.ts';
import { can } from '../../lib/auth/policy.ts';
import { londonToday } from '../../lib/dates.ts';
import { NotFoundError, text } from '../../lib/errors.ts';
import { csvText } from '../../lib/csv.ts';
import { EOI_CONTENT, EXCLUDED_SERVICES, REJECTION_GROUNDS, RELEVANT_BODIES, TIMESCALE_NOTICE_DEFAULT, inForceOn } from './law.ts';
import { DEADLINE_STATUS, OUTCOMES, PARTNER_ROLES, PARTNER_SLOTS, STATES, UNITS, missingContent, periodWords, windowWords } from './rules.ts';
import type { ExpressionView, PublishedSettings } from './service.ts';

const BASE = (req: FastifyRequest) => `/a/${req.authority!.slug}/right-to-challenge`;
const userOf = (req: FastifyRequest) => ({ ...actorOf(req), userId: req.principal.userId! });
const groundWords = Object.fromEntries(REJECTION_GROUNDS.map((g) => [g.code, `Ground ${g.paragraph}: ${g.words}`]));

/** The settings in words, for the register and the settings page. */
const settingsWords = (s: PublishedSettings | null) =>
  s && {
    ...s,
    when: s.windows.length === 0 ? 'At any time' : s.windows.map(windowWords).join('; '),
    decision: periodWords(s.decisionPeriod),
    procurementMin: periodWords(s.procurementMin),
    procurementMax: periodWords(s.procurementMax),
  };

const missingOf = (e: ExpressionView) => missingContent({ ...e, bodyKind: e.bodyKind as 'organisation' | 'employee_group' }, londonToday());

/** A draft's stored values as the form's fields, partners in their numbered slots. */
function formValues(e: ExpressionView): Record<string, unknown> {
  const values: Record<string, unknown> = { ...e, employeeCount: e.employeeCount ?? '', notForProfit: e.notForProfit ? 'yes' : '' };
  e.partners.forEach((p, i) => {
    values[`partner${i + 1}Name`] = p.name;
    values[`partner${i + 1}Role`] = p.role;
    values[`partner${i + 1}FinancialResources`] = p.financialResources;
    values[`partner${i + 1}CapabilityEvidence`] = p.capabilityEvidence;
  });
  return values;
}

const ExpressionJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.String({ enum: Object.keys(STATES) }),
  stateLabel: Type.String(),
  bodyKind: Type.String({ enum: ['organisation', 'employee_group'] }),
  bodyName: Type.String(),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  serviceId: Type.Union([Type.String(), Type.Null()]),
  serviceName: Type.Union([Type.String(), Type.Null()]),
  area: Type.String(),
  submittedOn: Type.Union([Type.String(), Type.Null()]),
  receivedOn: Type.Union([Type.String(), Type.Null()]),
  decideBy: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  grounds: Type.Array(Type.String()),
  reasons: Type.Union([Type.String(), Type.Null()]),
  modification: Type.Union([Type.String(), Type.Null()]),
  decidedOn: Type.Union([Type.String(), Type.Null()]),
  publishedOn: Type.Union([Type.String(), Type.Null()]),
  procurement: Type.Union([Type.Object({ earliestStart: Type.String(), latestStart: Type.String(), status: Type.String() }), Type.Null()]),
  missing: Type.Array(Type.Object({ field: Type.String(), paragraph: Type.String(), message: Type.String() })),
});

const json = (e: ExpressionView) => ({
  id: e.id,
  state: e.state,
  stateLabel: STATES[e.state as keyof typeof STATES],
  bodyKind: e.bodyKind,
  bodyName: e.bodyName,
  organisationId: e.organisationId,
  serviceId: e.serviceId,
  serviceName: e.serviceName,
  area: e.area,
  submittedOn: e.submittedOn,
  receivedOn: e.receivedOn,
  decideBy: e.decideBy,
  outcome: e.outcome,
  grounds: e.grounds,
  reasons: e.reasons,
  modification: e.modification,
  decidedOn: e.decidedOn,
  publishedOn: e.publishedOn,
  procurement: e.procurement && { earliestStart: e.procurement.earliestStart, latestStart: e.procurement.latestStart, status: e.procurement.status },
  missing: e.state === 'draft' ? missingOf(e) : [],
});

const PartnerBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  role: Type.String({ enum: Object.keys(PARTNER_ROLES) }),
  financialResources: Type.Optional(Type.String({ maxLength: 10000 })),
  capabilityEvidence: Type.Optional(Type.String({ maxLength: 10000 })),
});
const long = () => Type.Optional(Type.String({ maxLength: 10000 }));
const DraftBody = Type.Object({
  bodyKind: Type.String({ enum: ['organisation', 'employee_group'] }),
  organisationId: Type.Optional(Type.String({ format: 'uuid' })),
  groupName: Type.Optional(Type.String({ maxLength: 200 })),
  employeeCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 999999 })),
  notForProfit: Type.Optional(Type.Boolean()),
  serviceId: Type.Optional(Type.String({ format: 'uuid' })),
  area: long(),
  financialResources: long(),
  capabilityEvidence: long(),
  outcomes: long(),
  wellBeing: long(),
  serviceUsers: long(),
  employeeEngagement: long(),
  partners: Type.Optional(Type.Array(PartnerBody, { maxItems: 20 })),
});
const DecisionBody = Type.Object({
  outcome: Type.String({ enum: Object.keys(OUTCOMES) }),
  grounds: Type.Optional(Type.Array(Type.String({ enum: REJECTION_GROUNDS.map((g) => g.code) }), { maxItems: 10 })),
  reasons: Type.Optional(Type.String({ maxLength: 10000 })),
  modification: Type.Optional(Type.String({ maxLength: 10000 })),
  decidedOn: Type.Optional(Type.String({ format: 'date' })),
});
const IdParams = Type.Object({ authority: AuthorityParam.properties.authority, id: Type.String({ format: 'uuid' }) });

function registerCsv(rows: ExpressionView[]): string {
  const header = ['id', 'body', 'body_kind', 'service', 'area', 'submitted_on', 'received_on', 'state', 'decide_by', 'decided_on', 'outcome', 'grounds', 'reasons', 'modification', 'procurement_earliest_start', 'procurement_latest_start'];
  const lines = rows.map((e) => [e.id, e.bodyName, e.bodyKind, e.serviceName, e.area, e.submittedOn, e.receivedOn, STATES[e.state as keyof typeof STATES], e.decideBy, e.decidedOn, e.outcome, e.grounds.join(' '), e.reasons, e.modification, e.procurement?.earliestStart ?? null, e.procurement?.latestStart ?? null]);
  return csvText([header, ...lines]);
}

export const rightToChallengeRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { rightToChallenge } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const staffOf = (req: FastifyRequest) => can(req.principal, 'challenge.manage', { authorityId: req.authority!.id });

    app.get<{ Querystring: Record<string, string> }>('/a/:authority/right-to-challenge', { config: { action: 'public.view' } }, async (req, reply) => {
      const authority = req.authority!;
      const page = pageFrom(req.query);
      const { rows, total } = await rightToChallenge.register(authority.id, page);
      const mayExpress = can(req.principal, 'challenge.express', { authorityId: authority.id });
      return reply.view('right-to-challenge/views/register.njk', {
        title: 'Community Right to Challenge',
        rows,
        total,
        states: STATES,
        settings: settingsWords(await rightToChallenge.settingsOn(authority.id, londonToday())),
        mine: mayExpress ? await rightToChallenge.mine(authority.id, req.principal.userId!) : [],
        mayExpress,
        staff: staffOf(req),
        pagination: paginationFor(BASE(req), req.query, page.page, total),
      });
    });

    app.get('/a/:authority/right-to-challenge/register.csv', { config: { action: 'public.view' } }, async (req, reply) => {
      const { rows } = await rightToChallenge.register(req.authority!.id, { limit: 100000, offset: 0 });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="right-to-challenge-register.csv"').send(registerCsv(rows));
    });

    // ------------------------------------------------------------ settings

    const settingsData = async (req: FastifyRequest) => {
      const authorityId = req.authority!.id;
      const today = londonToday();
      return {
        title: 'Right to Challenge: the council’s settings',
        settings: settingsWords(await rightToChallenge.settingsOn(authorityId, today)),
        history: (await rightToChallenge.settingsHistory(authorityId)).map(settingsWords),
        staff: staffOf(req),
        bodies: inForceOn(RELEVANT_BODIES, today),
        content: inForceOn(EOI_CONTENT, today),
        grounds: inForceOn(REJECTION_GROUNDS, today),
        excluded: inForceOn(EXCLUDED_SERVICES, today),
        noticeDefault: TIMESCALE_NOTICE_DEFAULT,
        unitChoices: Object.entries(UNITS) as [string, string][],
      };
    };
    const settingsDefaults = { submission: 'any_time', timescaleNoticeDays: String(TIMESCALE_NOTICE_DEFAULT.days), warnDays: '14', decisionPeriodUnit: 'months', procurementMinUnit: 'months', procurementMaxUnit: 'months' };

    app.get('/a/:authority/right-to-challenge/settings', { config: { action: 'public.view' } }, async (req, reply) =>
      reply.view('right-to-challenge/views/settings.njk', { ...(await settingsData(req)), values: settingsDefaults }),
    );

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/right-to-challenge/settings', { config: { action: 'challenge.manage' } }, async (req, reply) => {
      return (
        (await handleForm(reply, { template: 'right-to-challenge/views/settings.njk', data: await settingsData(req), values: req.body }, async () => {
          await rightToChallenge.publishSettings(actorOf(req), req.authority!.id, req.body);
        })) ?? reply.redirect(`${BASE(req)}/settings`, 303)
      );
    });

    // ------------------------------------------------------------ the officers' dashboard

    app.get('/a/:authority/right-to-challenge/dashboard', { config: { action: 'challenge.manage' } }, async (req, reply) => {
      const rows = await rightToChallenge.deadlines(req.authority!.id);
      return reply.view('right-to-challenge/views/dashboard.njk', { title: 'Right to Challenge deadlines', rows, statusLabels: DEADLINE_STATUS, states: STATES });
    });

    // ------------------------------------------------------------ drafting and submitting

    const draftData = async (req: FastifyRequest, title: string, expression?: ExpressionView) => {
      const choices = await rightToChallenge.formChoices(req.authority!.id, req.principal.userId!);
      return {
        title,
        expression,
        organisationChoices: [['', 'Select the organisation'], ...choices.organisations] as [string, string][],
        serviceChoices: [['', 'Select the service'], ...choices.services] as [string, string][],
        partnerRoleChoices: [['', 'Select'], ...Object.entries(PARTNER_ROLES)] as [string, string][],
        partnerSlots: Array.from({ length: PARTNER_SLOTS }, (_, i) => i + 1),
      };
    };

    app.get('/a/:authority/right-to-challenge/new', { config: { action: 'challenge.express' } }, async (req, reply) =>
      reply.view('right-to-challenge/views/draft.njk', { ...(await draftData(req, 'Express an interest in running a service')), values: { bodyKind: 'organisation' } }),
    );

    /** Save the draft, then submit it if asked; on missing content the draft stays and the form says what is missing. */
    const saveAndMaybeSubmit = async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply: FastifyReply, id: string | null) => {
      const user = userOf(req);
      const authorityId = req.authority!.id;
      let savedId = id;
      const existing = id ? await rightToChallenge.get(authorityId, id, user.userId) : undefined;
      const data = await draftData(req, existing ? 'Change your expression of interest' : 'Express an interest in running a service', existing);
      return (
        (await handleForm(reply, { template: 'right-to-challenge/views/draft.njk', data, values: req.body }, async () => {
          savedId = id ? (await rightToChallenge.updateDraft(user, authorityId, id, req.body)).id : (await rightToChallenge.createDraft(user, authorityId, req.body)).id;
          data.expression = await rightToChallenge.get(authorityId, savedId, user.userId);
          if (text(req.body.intent) === 'submit') await rightToChallenge.submit(user, authorityId, savedId);
        })) ?? reply.redirect(`${BASE(req)}/${savedId}`, 303)
      );
    };

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/right-to-challenge', { config: { action: 'challenge.express' } }, (req, reply) => saveAndMaybeSubmit(req, reply, null));

    app.get<{ Params: { id: string } }>('/a/:authority/right-to-challenge/:id/edit', { config: { action: 'challenge.express' } }, async (req, reply) => {
      const expression = await rightToChallenge.get(req.authority!.id, req.params.id, req.principal.userId);
      if (expression.state !== 'draft' || expression.createdBy !== req.principal.userId) throw new NotFoundError('Only your own drafts can be changed');
      return reply.view('right-to-challenge/views/draft.njk', { ...(await draftData(req, 'Change your expression of interest', expression)), values: formValues(expression) });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/a/:authority/right-to-challenge/:id', { config: { action: 'challenge.express' } }, (req, reply) => saveAndMaybeSubmit(req, reply, req.params.id));

    app.post<{ Params: { id: string } }>('/a/:authority/right-to-challenge/:id/submit', { config: { action: 'challenge.express' } }, async (req, reply) => {
      const user = userOf(req);
      const expression = await rightToChallenge.get(req.authority!.id, req.params.id, user.userId);
      return (
        (await handleForm(reply, { template: 'right-to-challenge/views/draft.njk', data: await draftData(req, 'Change your expression of interest', expression), values: formValues(expression) }, async () => {
          await rightToChallenge.submit(user, req.authority!.id, expression.id);
        })) ?? reply.redirect(`${BASE(req)}/${expression.id}`, 303)
      );
    });

    // ------------------------------------------------------------ one expression of interest, and the steps on it

    const detailData = async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const expression = await rightToChallenge.get(req.authority!.id, req.params.id, req.principal.userId);
      return {
        title: `${expression.bodyName}: ${expression.serviceName ?? 'a service not yet named'}`,
        expression,
        states: STATES,
        missing: expression.state === 'draft' ? missingOf(expression) : [],
        mine: expression.createdBy === req.principal.userId,
        staff: staffOf(req),
        groundWords,
        groundItems: REJECTION_GROUNDS.map((g) => [g.code, `${g.paragraph}. ${g.words}`]) as [string, string][],
        outcomeChoices: Object.entries(OUTCOMES) as [string, string][],
        today: londonToday(),
      };
    };

    app.get<{ Params: { id: string } }>('/a/:authority/right-to-challenge/:id', { config: { action: 'public.view' } }, async (req, reply) =>
      reply.view('right-to-challenge/views/expression.njk', { ...(await detailData(req)), values: {} }),
    );

    /** A step on the detail page's form: on a fixable error the page comes back with the errors. */
    const step = (action: 'challenge.manage' | 'challenge.express', path: string, run: (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>) => Promise<unknown>) =>
      app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(`/a/:authority/right-to-challenge/:id/${path}`, { config: { action } }, async (req, reply) =>
        (await handleForm(reply, { template: 'right-to-challenge/views/expression.njk', data: await detailData(req), values: req.body ?? {} }, async () => {
          await run(req);
        })) ?? reply.redirect(`${BASE(req)}/${req.params.id}`, 303),
      );

    step('challenge.manage', 'acknowledge', (req) => rightToChallenge.acknowledge(actorOf(req), req.authority!.id, req.params.id, req.body ?? {}));
    step('challenge.manage', 'consider', (req) => rightToChallenge.startConsideration(actorOf(req), req.authority!.id, req.params.id));
    step('challenge.manage', 'decide', (req) => rightToChallenge.decide(actorOf(req), req.authority!.id, req.params.id, req.body ?? {}));
    step('challenge.manage', 'procurement', (req) => rightToChallenge.recordProcurementStart(actorOf(req), req.authority!.id, req.params.id, req.body ?? {}));
    step('challenge.express', 'respond', (req) => rightToChallenge.respond(userOf(req), req.authority!.id, req.params.id, req.body ?? {}));

    // ------------------------------------------------------------ API

    api.get('/api/v1/authorities/:authority/right-to-challenge/expressions', {
      config: { action: 'public.view' },
      schema: { tags: ['right-to-challenge'], params: AuthorityParam, querystring: Type.Object(PageQuery), response: { 200: paged(ExpressionJson), ...errorResponses } },
    }, async (req) => {
      const p = pageOf(req.query);
      const { rows, total } = await rightToChallenge.register(req.authority!.id, p);
      return { items: rows.map(json), page: p.page, pageSize: p.pageSize, total };
    });

    api.get('/api/v1/authorities/:authority/right-to-challenge/expressions/:id', {
      config: { action: 'public.view' },
      schema: { tags: ['right-to-challenge'], params: IdParams, response: { 200: ExpressionJson, ...errorResponses } },
    }, async (req) => json(await rightToChallenge.get(req.authority!.id, req.params.id, req.principal.userId)));

    api.post('/api/v1/authorities/:authority/right-to-challenge/expressions', {
      config: { action: 'challenge.express' },
      schema: { tags: ['right-to-challenge'], security: [{ bearerAuth: [] }], params: AuthorityParam, body: DraftBody, response: { 201: ExpressionJson, ...errorResponses } },
    }, async (req, reply) => {
      const created = await rightToChallenge.createDraft(userOf(req), req.authority!.id, req.body);
      return reply.code(201).send(json(await rightToChallenge.get(req.authority!.id, created.id, req.principal.userId)));
    });

    api.post('/api/v1/authorities/:authority/right-to-challenge/expressions/:id/submit', {
      config: { action: 'challenge.express' },
      schema: { tags: ['right-to-challenge'], security: [{ bearerAuth: [] }], params: IdParams, response: { 200: ExpressionJson, ...errorResponses } },
    }, async (req) => {
      await rightToChallenge.submit(userOf(req), req.authority!.id, req.params.id);
      return json(await rightToChallenge.get(req.authority!.id, req.params.id, req.principal.userId));
    });

    api.post('/api/v1/authorities/:authority/right-to-challenge/expressions/:id/decision', {
      config: { action: 'challenge.manage' },
      schema: { tags: ['right-to-challenge'], security: [{ bearerAuth: [] }], params: IdParams, body: DecisionBody, response: { 200: ExpressionJson, ...errorResponses } },
    }, async (req) => {
      await rightToChallenge.decide(actorOf(req), req.authority!.id, req.params.id, req.body);
      return json(await rightToChallenge.get(req.authority!.id, req.params.id, req.principal.userId));
    });

    api.get('/api/v1/authorities/:authority/right-to-challenge/settings', {
      config: { action: 'public.view' },
      schema: {
        tags: ['right-to-challenge'],
        params: AuthorityParam,
        response: {
          200: Type.Object({
            published: Type.Union([
              Type.Object({
                effectiveFrom: Type.String(),
                windows: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
                timescaleNoticeDays: Type.Integer(),
                decisionPeriod: Type.Object({ length: Type.Integer(), unit: Type.String() }),
                procurementMin: Type.Object({ length: Type.Integer(), unit: Type.String() }),
                procurementMax: Type.Object({ length: Type.Integer(), unit: Type.String() }),
              }),
              Type.Null(),
            ]),
            grounds: Type.Array(Type.Object({ code: Type.String(), paragraph: Type.Integer(), words: Type.String(), source: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    }, async (req) => {
      const s = await rightToChallenge.settingsOn(req.authority!.id, londonToday());
      return {
        published: s && { effectiveFrom: s.effectiveFrom, windows: s.windows, timescaleNoticeDays: s.timescaleNoticeDays, decisionPeriod: s.decisionPeriod, procurementMin: s.procurementMin, procurementMax: s.procurementMax },
        grounds: inForceOn(REJECTION_GROUNDS, londonToday()).map((g) => ({ code: g.code, paragraph: g.paragraph, words: g.words, source: g.source })),
      };
    });
  };
