/** One place, one budget: boards, pooled budgets, the ledger, statements, business cases — pages and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { errorList, handleForm, userFixableErrors } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { NotFoundError, text } from '../../lib/errors.ts';
import { londonToday } from '../../lib/dates.ts';
import { BENEFIT_KINDS } from './appraisal.ts';
import { BENEFIT_ROWS, COST_ROWS, formFromCase } from './case-form.ts';
import { financialQuarter, isMovement, MOVEMENTS, statementCsv, type Movement } from './ledger.ts';
import { DECISION_RULES, RECIPIENT_KINDS } from './rules.ts';
import type { BudgetView, PlaceBudgetsService, Viewer } from './service.ts';
import { percentOf } from '../../lib/percent.ts';

const V = 'place-budgets/views';
const pairs = (o: Record<string, string>) => Object.entries(o) as [string, string][];
const viewerOf = (req: FastifyRequest): Viewer => ({ userId: req.principal.userId, roles: req.principal.roles });

/** Bar lengths as shares of the largest value (0–100), for the SVG charts beside their tables. */
export function bars<T>(rows: T[], value: (r: T) => number): (T & { share: number })[] {
  const max = Math.max(1, ...rows.map(value));
  return rows.map((r) => ({ ...r, share: percentOf(Math.max(0, value(r)), max) }));
}

/** The pool's position, and the allocations grouped by the outcome they serve. */
function dashboard(b: BudgetView) {
  const position = bars(
    [
      { label: 'Available to allocate', pence: b.totals.available },
      { label: 'In the investment fund', pence: b.totals.fund },
      { label: 'Allocated, not yet spent', pence: b.totals.allocated },
      { label: 'Spent', pence: b.totals.spent },
    ],
    (r) => r.pence,
  );
  const byOutcome = bars(
    [...b.outcomes, { id: null, title: 'No outcome named' }]
      .map((o) => {
        const mine = b.allocations.filter((a) => a.outcomeId === o.id);
        return { id: o.id, title: o.title, allocatedPence: mine.reduce((s, a) => s + a.allocatedPence + a.spentPence, 0), spentPence: mine.reduce((s, a) => s + a.spentPence, 0), count: mine.length };
      })
      .filter((o) => o.count > 0 || o.id !== null),
    (r) => r.allocatedPence,
  );
  return { position, byOutcome, contributedPence: -b.totals.contributed };
}

const BudgetParams = Type.Object({ authority: AuthorityParam.properties.authority, budget: Type.String({ format: 'uuid' }) });
const BalancesJson = Type.Object({ contributed: Type.Integer(), available: Type.Integer(), fund: Type.Integer(), allocated: Type.Integer(), spent: Type.Integer() }, { description: 'Pence. Contributed is a credit, so negative.' });
const BudgetJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  startsOn: Type.String({ format: 'date' }),
  years: Type.Integer(),
  totals: BalancesJson,
  streams: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), partner: Type.String(), balances: BalancesJson }), { description: 'Only the partners whose money the caller may see' }),
  allocations: Type.Array(Type.Object({ id: Type.String(), recipientKind: Type.String(), recipient: Type.String(), streamId: Type.String(), outcomeId: Type.Union([Type.String(), Type.Null()]), allocatedPence: Type.Integer(), spentPence: Type.Integer() })),
});
const budgetJson = (b: BudgetView) => ({
  id: b.id,
  name: b.name,
  startsOn: b.startsOn,
  years: b.years,
  totals: b.totals,
  streams: b.streams.map((s) => ({ id: s.id, name: s.name, partner: s.partnerName, balances: s.balances })),
  allocations: b.allocations.map((a) => ({ id: a.id, recipientKind: a.recipientKind, recipient: a.recipient, streamId: a.streamId, outcomeId: a.outcomeId, allocatedPence: a.allocatedPence, spentPence: a.spentPence })),
});

export const placeBudgetsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const pb: PlaceBudgetsService = services.placeBudgets;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/place-budgets`;
    const organisationChoices = (req: FastifyRequest) => services.organisations.choices(req.authority!.id);
    const outcomeChoices = (req: FastifyRequest) => services.outcomes.choices(req.authority!.id);

    app.get('/a/:authority/place-budgets', { config: { action: 'place-budgets.view' } }, async (req, reply) => {
      const [boards, cases, results] = [await pb.listBoards(req.authority!.id), await pb.caseSavings(req.authority!.id), await services.paymentByResults.claimsAndPayments(req.authority!.id)];
      return reply.view(`${V}/index.njk`, {
        title: `Place budgets in ${req.authority!.name}`,
        boards,
        cases: bars(cases, (c) => Math.max(c.forecastPence, c.realisedPence)),
        results: bars(results, (r) => r.paidPence + r.waitingPence),
      });
    });

    // ---------------------------------------------------------------- boards

    const boardForm = async (req: FastifyRequest) => ({ title: 'Set up a public service board', organisationChoices: await organisationChoices(req), ruleChoices: pairs(DECISION_RULES) });
    app.get('/a/:authority/place-budgets/boards/new', { config: { action: 'place-budgets.manage' } }, async (req, reply) =>
      reply.view(`${V}/board-form.njk`, { ...(await boardForm(req)), values: { decisionRule: 'majority' } }),
    );
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/place-budgets/boards', { config: { action: 'place-budgets.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: `${V}/board-form.njk`, data: await boardForm(req), values: req.body }, async () => {
          id = (await pb.createBoard(actorOf(req), req.authority!.id, req.body ?? {})).id;
        })) ?? reply.redirect(`${base(req)}/boards/${id}`, 303)
      );
    });

    const boardData = async (req: FastifyRequest<{ Params: { board: string } }>) => {
      const board = await pb.getBoard(req.authority!.id, req.params.board);
      return { title: board.name, board, ruleLabel: DECISION_RULES[board.decisionRule as keyof typeof DECISION_RULES], partnerChoices: board.partners.map((p) => [p.id, p.name]) };
    };
    app.get<{ Params: { board: string } }>('/a/:authority/place-budgets/boards/:board', { config: { action: 'place-budgets.view' } }, async (req, reply) =>
      reply.view(`${V}/board.njk`, { ...(await boardData(req)), values: {} }),
    );
    app.post<{ Params: { board: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/boards/:board/representatives', { config: { action: 'place-budgets.manage' } }, async (req, reply) => {
      const data = await boardData(req);
      return (
        (await handleForm(reply, { template: `${V}/board.njk`, data, values: req.body }, async () => {
          await pb.addRepresentative(actorOf(req), req.authority!.id, data.board.id, req.body ?? {});
        })) ?? reply.redirect(`${base(req)}/boards/${data.board.id}`, 303)
      );
    });

    // ---------------------------------------------------------------- pooled budgets

    const budgetForm = async (req: FastifyRequest<{ Params: { board: string } }>) => {
      const board = await pb.getBoard(req.authority!.id, req.params.board);
      return { title: `Pool a budget: ${board.name}`, board, outcomeChoices: await outcomeChoices(req) };
    };
    app.get<{ Params: { board: string } }>('/a/:authority/place-budgets/boards/:board/budgets/new', { config: { action: 'place-budgets.manage' } }, async (req, reply) =>
      reply.view(`${V}/budget-form.njk`, { ...(await budgetForm(req)), values: { years: '5', startsOn: `${financialQuarter(londonToday()).slice(0, 4)}-04-01` } }),
    );
    app.post<{ Params: { board: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/boards/:board/budgets', { config: { action: 'place-budgets.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: `${V}/budget-form.njk`, data: await budgetForm(req), values: req.body }, async () => {
          id = (await pb.createBudget(actorOf(req), req.authority!.id, req.params.board, req.body ?? {})).id;
        })) ?? reply.redirect(`${base(req)}/budgets/${id}`, 303)
      );
    });

    app.get<{ Params: { budget: string } }>('/a/:authority/place-budgets/budgets/:budget', { config: { action: 'place-budgets.view' } }, async (req, reply) => {
      const budget = await pb.getBudget(req.authority!.id, req.params.budget, viewerOf(req));
      return reply.view(`${V}/budget.njk`, { title: budget.name, budget, ...dashboard(budget), movements: Object.entries(MOVEMENTS).map(([kind, m]) => ({ kind, label: m.label })) });
    });

    const streamForm = async (req: FastifyRequest<{ Params: { budget: string } }>) => {
      const budget = await pb.getBudget(req.authority!.id, req.params.budget, viewerOf(req));
      return { title: `Add a funding stream: ${budget.name}`, budget, partnerChoices: budget.board.partners.filter((p) => budget.movable.includes(p.id)).map((p) => [p.id, p.name]), outcomeChoices: [['', 'Not ring-fenced'], ...budget.outcomes.map((o) => [o.id, o.title])] };
    };
    app.get<{ Params: { budget: string } }>('/a/:authority/place-budgets/budgets/:budget/streams/new', { config: { action: 'place-budgets.move' } }, async (req, reply) =>
      reply.view(`${V}/stream-form.njk`, { ...(await streamForm(req)), values: {} }),
    );
    app.post<{ Params: { budget: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/budgets/:budget/streams', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      return (
        (await handleForm(reply, { template: `${V}/stream-form.njk`, data: await streamForm(req), values: req.body }, async () => {
          await pb.addStream(actorOf(req), viewerOf(req), req.authority!.id, req.params.budget, req.body ?? {});
        })) ?? reply.redirect(`${base(req)}/budgets/${req.params.budget}`, 303)
      );
    });

    // ---------------------------------------------------------------- movements

    const movementForm = async (req: FastifyRequest<{ Params: { budget: string; kind: string } }>) => {
      if (!isMovement(req.params.kind)) throw new NotFoundError('No such kind of movement');
      const kind: Movement = req.params.kind;
      const budget = await pb.getBudget(req.authority!.id, req.params.budget, viewerOf(req));
      const cases = await pb.listCases(req.authority!.id);
      return {
        title: `${MOVEMENTS[kind].label}: ${budget.name}`,
        kind,
        movement: MOVEMENTS[kind],
        budget,
        streamChoices: budget.streams.filter((s) => budget.movable.includes(s.partnerId)).map((s) => [s.id, `${s.name} (${s.partnerName})`]),
        allocationChoices: budget.allocations.filter((a) => budget.movable.includes(budget.streams.find((s) => s.id === a.streamId)!.partnerId)).map((a) => [a.id, `${a.recipient} – ${a.streamName}`]),
        recipientChoices: pairs(RECIPIENT_KINDS).filter(([k]) => kind === 'allocation' || k === 'business_case'),
        caseChoices: [['', 'None'], ...cases.filter((c) => kind !== 'release' || c.status === 'approved').map((c) => [c.id, c.title])],
        outcomeChoices: [['', 'None'], ...budget.outcomes.map((o) => [o.id, o.title])],
        partnerChoices: budget.board.partners.map((p) => [p.id, p.name]),
      };
    };
    app.get<{ Params: { budget: string; kind: string } }>('/a/:authority/place-budgets/budgets/:budget/movements/:kind', { config: { action: 'place-budgets.move' } }, async (req, reply) =>
      reply.view(`${V}/movement-form.njk`, { ...(await movementForm(req)), values: { occurredOn: londonToday() } }),
    );
    app.post<{ Params: { budget: string; kind: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/budgets/:budget/movements/:kind', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      return (
        (await handleForm(reply, { template: `${V}/movement-form.njk`, data: await movementForm(req), values: req.body }, async () => {
          await pb.recordMovement(actorOf(req), viewerOf(req), req.authority!.id, req.params.budget, req.params.kind, req.body ?? {});
        })) ?? reply.redirect(`${base(req)}/budgets/${req.params.budget}`, 303)
      );
    });

    // ---------------------------------------------------------------- statements

    const statementOf = (req: FastifyRequest<{ Params: { budget: string; partner: string }; Querystring: { quarter?: string } }>) =>
      pb.partnerStatement(req.authority!.id, req.params.budget, req.params.partner, req.query.quarter, viewerOf(req));
    app.get<{ Params: { budget: string; partner: string }; Querystring: { quarter?: string } }>('/a/:authority/place-budgets/budgets/:budget/partners/:partner', { config: { action: 'place-budgets.view' } }, async (req, reply) => {
      const s = await statementOf(req);
      const quarter = s.statement.quarter;
      return reply.view(`${V}/statement.njk`, {
        title: `${s.partner.name}: statement for ${quarter}`,
        ...s,
        quarter,
        quarterChoices: [...new Set([...s.quarters, quarter])].sort().map((q) => [q, q]),
        movements: MOVEMENTS,
        streamName: Object.fromEntries(s.budget.streams.map((x) => [x.id, x.name])),
      });
    });
    app.get<{ Params: { budget: string; partner: string }; Querystring: { quarter?: string } }>('/a/:authority/place-budgets/budgets/:budget/partners/:partner/statement.csv', { config: { action: 'place-budgets.view' } }, async (req, reply) => {
      const s = await statementOf(req);
      const names = new Map(s.budget.streams.map((x) => [x.id, x.name]));
      const file = `statement-${s.partner.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${s.statement.quarter.replace(' ', '-')}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(statementCsv(s.statement, { partner: s.partner.name, stream: (id) => names.get(id) ?? '' }));
    });

    // ---------------------------------------------------------------- business cases

    const caseForm = (title: string, action: string) => ({
      title,
      action,
      costRows: [...Array(COST_ROWS).keys()],
      benefitRows: [...Array(BENEFIT_ROWS).keys()],
      kindChoices: BENEFIT_KINDS.map((k) => [k, k.charAt(0).toUpperCase() + k.slice(1)]),
      scheduleChoices: [
        ['standard', 'Standard (3.5%)'],
        ['health', 'Health (1.5%)'],
      ],
      attribution: pb.unitCosts()?.attribution ?? null,
    });
    app.get('/a/:authority/place-budgets/cases', { config: { action: 'place-budgets.view' } }, async (req, reply) =>
      reply.view(`${V}/cases.njk`, { title: 'Business cases', cases: await pb.listCases(req.authority!.id) }),
    );
    app.get('/a/:authority/place-budgets/cases/new', { config: { action: 'place-budgets.move' } }, async (req, reply) =>
      reply.view(`${V}/case-form.njk`, { ...caseForm('Write a business case', `${base(req)}/cases`), values: { years: '5', schedule: 'standard', costOptimismBias: '0', uncertainty: '20', seed: '1' } }),
    );
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/place-budgets/cases', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: `${V}/case-form.njk`, data: caseForm('Write a business case', `${base(req)}/cases`), values: req.body }, async () => {
          id = (await pb.saveCase(actorOf(req), req.authority!.id, null, req.body ?? {})).id;
        })) ?? reply.redirect(`${base(req)}/cases/${id}`, 303)
      );
    });
    const casePage = async (req: FastifyRequest<{ Params: { case: string } }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const c = await pb.getCase(req.authority!.id, req.params.case);
      const histogram = bars(c.monteCarlo.histogram, (b) => b.count);
      const agencies = bars(Object.entries(c.appraisal.byAgency).map(([name, a]) => ({ name, ...a })), (a) => Math.max(a.pvBenefits, a.pvCosts));
      return reply.view(`${V}/case.njk`, { title: c.title, c, histogram, agencies, savings: bars(c.savings, (s) => Math.max(s.forecastPence, s.realisedPence)), values: {}, ...extra });
    };
    app.get<{ Params: { case: string } }>('/a/:authority/place-budgets/cases/:case', { config: { action: 'place-budgets.view' } }, (req, reply) => casePage(req, reply));
    app.get<{ Params: { case: string } }>('/a/:authority/place-budgets/cases/:case/edit', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      const c = await pb.getCase(req.authority!.id, req.params.case, false);
      return reply.view(`${V}/case-form.njk`, { ...caseForm(`Change ${c.title}`, `${base(req)}/cases/${c.id}`), values: formFromCase(c.body, c) });
    });
    app.post<{ Params: { case: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/cases/:case', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      return (
        (await handleForm(reply, { template: `${V}/case-form.njk`, data: caseForm('Change the business case', `${base(req)}/cases/${req.params.case}`), values: req.body }, async () => {
          await pb.saveCase(actorOf(req), req.authority!.id, req.params.case, req.body ?? {});
        })) ?? reply.redirect(`${base(req)}/cases/${req.params.case}`, 303)
      );
    });
    app.post<{ Params: { case: string } }>('/a/:authority/place-budgets/cases/:case/approve', { config: { action: 'place-budgets.manage' } }, async (req, reply) => {
      try {
        await pb.approveCase(actorOf(req), req.authority!.id, req.params.case);
      } catch (err) {
        const errors = userFixableErrors(err);
        if (!errors) throw err;
        return casePage(req, reply.code(400), { errors, errorList: errorList(errors) });
      }
      return reply.redirect(`${base(req)}/cases/${req.params.case}`, 303);
    });
    app.post<{ Params: { case: string }; Body: Record<string, unknown> }>('/a/:authority/place-budgets/cases/:case/savings', { config: { action: 'place-budgets.move' } }, async (req, reply) => {
      try {
        await pb.recordSaving(actorOf(req), req.authority!.id, req.params.case, req.body ?? {});
      } catch (err) {
        const errors = userFixableErrors(err);
        if (!errors) throw err;
        return casePage(req, reply.code(400), { errors, errorList: errorList(errors), values: req.body });
      }
      return reply.redirect(`${base(req)}/cases/${req.params.case}#savings`, 303);
    });

    app.get<{ Querystring: { q?: string } }>('/a/:authority/place-budgets/unit-costs', { config: { action: 'place-budgets.view' } }, async (req, reply) => {
      const db = pb.unitCosts();
      const q = text(req.query.q).toLowerCase();
      const entries = (db?.entries ?? []).filter((e) => !q || `${e.code} ${e.category} ${e.detail} ${e.description} ${e.agency}`.toLowerCase().includes(q));
      return reply.view(`${V}/unit-costs.njk`, { title: 'Unit cost database', db, q: text(req.query.q), entries: entries.slice(0, 200), total: entries.length });
    });

    // ---------------------------------------------------------------- API

    api.get('/api/v1/authorities/:authority/place-budgets/:budget', {
      config: { action: 'place-budgets.view' },
      schema: { tags: ['place budgets'], security: [{ bearerAuth: [] }], summary: 'A pooled budget’s position: the pool’s totals, and the streams and allocations of the partners the caller may see', params: BudgetParams, response: { 200: BudgetJson, ...errorResponses } },
      handler: async (req) => budgetJson(await pb.getBudget(req.authority!.id, req.params.budget, viewerOf(req))),
    });
    api.post('/api/v1/authorities/:authority/place-budgets/:budget/movements/:kind', {
      config: { action: 'place-budgets.move' },
      schema: {
        tags: ['place budgets'],
        security: [{ bearerAuth: [] }],
        summary: 'Record one movement of money (a balanced ledger transaction)',
        params: Type.Object({ ...BudgetParams.properties, kind: Type.String({ enum: Object.keys(MOVEMENTS) }) }),
        body: Type.Object({
          streamId: Type.String(),
          amount: Type.String({ description: 'Pounds, like "1,250.00"' }),
          occurredOn: Type.String({ format: 'date' }),
          description: Type.String(),
          allocationId: Type.Optional(Type.String()),
          recipientKind: Type.Optional(Type.String({ enum: Object.keys(RECIPIENT_KINDS) })),
          recipient: Type.Optional(Type.String()),
          businessCaseId: Type.Optional(Type.String()),
          outcomeId: Type.Optional(Type.String()),
          agreedBy: Type.Optional(Type.Array(Type.String(), { description: 'The partners who agreed, for a board decision' })),
        }),
        response: { 201: Type.Object({ transactionId: Type.String(), allocationId: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
      handler: async (req, reply) => reply.code(201).send(await pb.recordMovement(actorOf(req), viewerOf(req), req.authority!.id, req.params.budget, req.params.kind, req.body)),
    });
    api.get('/api/v1/authorities/:authority/business-cases/:case', {
      config: { action: 'place-budgets.view' },
      schema: {
        tags: ['place budgets'],
        security: [{ bearerAuth: [] }],
        summary: 'A business case in its JSON form, with its appraisal (pence)',
        params: Type.Object({ authority: AuthorityParam.properties.authority, case: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            id: Type.String(),
            title: Type.String(),
            status: Type.String(),
            case: Type.Record(Type.String(), Type.Unknown()),
            appraisal: Type.Object({ pvCosts: Type.Integer(), pvBenefits: Type.Integer(), npv: Type.Integer(), bcr: Type.Number(), fiscalReturnPerPound: Type.Number(), paybackYear: Type.Union([Type.Integer(), Type.Null()]) }),
          }),
          ...errorResponses,
        },
      },
      handler: async (req) => {
        const c = await pb.getCase(req.authority!.id, req.params.case, false);
        const a = c.appraisal;
        return { id: c.id, title: c.title, status: c.status, case: c.body, appraisal: { pvCosts: a.pvCosts, pvBenefits: a.pvBenefits, npv: a.npv, bcr: a.bcr, fiscalReturnPerPound: a.fiscalReturnPerPound, paybackYear: a.paybackYear } };
      },
    });
  };
