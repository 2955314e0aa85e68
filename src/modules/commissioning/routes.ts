/** The commissioning cycle — public pages for residents, officers' forms for each stage — and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { can } from '../../lib/auth/policy.ts';
import { formatPence } from '../../lib/money.ts';
import { DELIVERY_OPTIONS, HANDOFF_KINDS, PARTICIPANT_ROLES, REVIEW_DECISIONS, STAGES, STAGE_LABELS, STAGE_PURPOSES, editableIn, type Part } from './rules.ts';
import type { ProjectView } from './service.ts';

const uuidOr404 = (id: string) => {
  if (!isUuid(id)) throw new NotFoundError('No such commissioning project');
  return id;
};
const pairs = (o: Record<string, string>) => Object.entries(o) as [string, string][];
const penceValue = (p: number | null) => (p === null ? '' : formatPence(p).replace('£', ''));

/** A form field, drawn by form.njk with the matching GOV.UK macro. */
interface Field {
  kind: 'input' | 'textarea' | 'money' | 'radios' | 'checkboxes' | 'date' | 'count';
  name: string;
  label: string;
  hint?: string;
  choices?: [string, string][];
}

const PROJECT_FIELDS = (serviceChoices: [string, string][]): Field[] => [
  { kind: 'input', name: 'title', label: 'What is being commissioned', hint: 'For example, Libraries and community hubs' },
  { kind: 'textarea', name: 'summary', label: 'What it is about, for residents' },
  { kind: 'textarea', name: 'takePart', label: 'How residents can take part (optional)', hint: 'Beyond the co-design sessions you list: a survey, a drop-in, who to write to' },
  { kind: 'checkboxes', name: 'serviceIds', label: 'Services it covers', choices: serviceChoices },
];

/** The form for each part of a project: its title, fields and the values it starts with. */
const PARTS: Record<Exclude<Part, 'sessions' | 'options'>, { title: string; fields: Field[]; values: (p: ProjectView) => Record<string, unknown> }> = {
  analysis: {
    title: 'Needs assessment and current service',
    fields: [
      { kind: 'textarea', name: 'needsEvidence', label: 'Evidence of need', hint: 'For example, the joint strategic needs assessment, research, referrals' },
      { kind: 'textarea', name: 'needsData', label: 'Data used', hint: 'Which figures, for which wards and years' },
      { kind: 'textarea', name: 'residentInsight', label: 'What residents and service users said' },
      { kind: 'textarea', name: 'currentPerformance', label: 'How the service performs now' },
      { kind: 'money', name: 'currentCost', label: 'What it costs now a year', hint: 'Enter 0 for a new service' },
    ],
    values: (p) => ({ ...p, currentCost: penceValue(p.currentCostPence) }),
  },
  plan: {
    title: 'Commissioning intentions and the chosen option',
    fields: [
      { kind: 'textarea', name: 'intentions', label: 'Commissioning intentions', hint: 'What the council intends to commission, when, and what it wants to achieve; published with the other intentions' },
      { kind: 'radios', name: 'chosenOption', label: 'The chosen option', hint: 'Only options you have appraised can be chosen' },
      { kind: 'textarea', name: 'chosenReasons', label: 'Reasons for the choice' },
    ],
    values: (p) => ({ ...p }),
  },
  handoff: {
    title: 'Hand-off',
    fields: [
      { kind: 'radios', name: 'handoffKind', label: 'What follows', choices: pairs(HANDOFF_KINDS) },
      { kind: 'input', name: 'handoffReference', label: 'Its reference', hint: 'A procurement or programme number, or a web address' },
      { kind: 'date', name: 'handoffOn', label: 'Date of the hand-off (optional)', hint: 'Leave empty for today. For example, 2026-11-30' },
    ],
    values: (p) => ({ ...p }),
  },
  review: {
    title: 'Review',
    fields: [
      { kind: 'textarea', name: 'performanceReview', label: 'How it performed against its outcomes', hint: 'The outcomes’ indicators are shown on the project page' },
      { kind: 'textarea', name: 'residentsSaid', label: 'What residents said' },
      { kind: 'radios', name: 'reviewDecision', label: 'Decision', hint: 'Continuing or changing the service opens the next cycle', choices: pairs(REVIEW_DECISIONS) },
      { kind: 'textarea', name: 'reviewReasons', label: 'Reasons for the decision' },
    ],
    values: (p) => ({ ...p }),
  },
};

const SESSION_FIELDS: Field[] = [
  { kind: 'date', name: 'heldOn', label: 'Date', hint: 'For example, 2026-11-30' },
  { kind: 'input', name: 'title', label: 'Name of the session', hint: 'For example, Library users’ workshop at Brixton library' },
  { kind: 'textarea', name: 'howToJoin', label: 'Where and how residents can join', hint: 'Needed for a session still to come' },
  ...Object.entries(PARTICIPANT_ROLES).map(([role, label]): Field => ({ kind: 'count', name: `participants.${role}`, label: `${label} who took part`, hint: 'How many; leave empty for a session still to come' })),
  { kind: 'textarea', name: 'proposed', label: 'What was proposed' },
  { kind: 'textarea', name: 'decided', label: 'What was decided' },
];
const OPTION_FIELDS: Field[] = [
  { kind: 'radios', name: 'model', label: 'Delivery model', choices: pairs(DELIVERY_OPTIONS) },
  { kind: 'textarea', name: 'assessment', label: 'Appraisal', hint: 'Benefits, risks, cost, social value, who it suits' },
  { kind: 'money', name: 'annualCost', label: 'Expected yearly cost (optional)' },
];
const STATEMENT_FIELDS: Field[] = [
  { kind: 'input', name: 'title', label: 'Title', hint: 'For example, Adult social care market position statement' },
  { kind: 'input', name: 'covers', label: 'Years it covers', hint: 'For example, 2026 to 2029' },
  { kind: 'textarea', name: 'body', label: 'The statement', hint: 'What the council will need, what it will commission and how, and how providers and community groups can get involved. A blank line starts a new paragraph.' },
];

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const ProjectJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  summary: Type.String(),
  takePart: Nullable(Type.String()),
  intentions: Nullable(Type.String({ description: 'The commissioning intentions, once the Plan stage sets them out' })),
  cycle: Type.Integer(),
  previousProjectId: Nullable(Type.String({ format: 'uuid' })),
  stage: Type.String({ enum: [...STAGES] }),
  stageSince: Type.String({ format: 'date' }),
  closedOn: Nullable(Type.String({ format: 'date' })),
  services: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
});
const ProjectDetailJson = Type.Object({
  ...ProjectJson.properties,
  analysis: Type.Object({ needsEvidence: Nullable(Type.String()), needsData: Nullable(Type.String()), residentInsight: Nullable(Type.String()), currentPerformance: Nullable(Type.String()), currentCostPence: Nullable(Type.Integer()) }),
  plan: Type.Object({
    intentions: Nullable(Type.String()),
    options: Type.Array(Type.Object({ model: Type.String({ enum: Object.keys(DELIVERY_OPTIONS) }), assessment: Type.String(), annualCostPence: Nullable(Type.Integer()) })),
    chosenOption: Nullable(Type.String()),
    chosenReasons: Nullable(Type.String()),
  }),
  sessions: Type.Array(Type.Object({ stage: Type.String(), heldOn: Type.String({ format: 'date' }), title: Type.String(), howToJoin: Nullable(Type.String()), participants: Type.Record(Type.String(), Type.Integer()), proposed: Nullable(Type.String()), decided: Nullable(Type.String()) })),
  handoff: Type.Object({ kind: Nullable(Type.String({ enum: Object.keys(HANDOFF_KINDS) })), reference: Nullable(Type.String()), on: Nullable(Type.String({ format: 'date' })) }),
  review: Type.Object({ performance: Nullable(Type.String()), residentsSaid: Nullable(Type.String()), decision: Nullable(Type.String({ enum: Object.keys(REVIEW_DECISIONS) })), reasons: Nullable(Type.String()) }),
  history: Type.Array(Type.Object({ from: Nullable(Type.String()), to: Type.String(), on: Type.String({ format: 'date' }) })),
  needsBeforeMovingOn: Type.Record(Type.String(), Type.String(), { description: 'What the stage still needs before the project can move on (field → message); empty when it can' }),
});
const ProjectParams = Type.Object({ authority: AuthorityParam.properties.authority, project: Type.String({ format: 'uuid' }) });
const StatementJson = Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String(), covers: Type.String(), body: Type.String(), publishedOn: Type.String({ format: 'date' }) });

const projectJson = (p: { id: string; title: string; summary: string; takePart: string | null; intentions: string | null; cycle: number; previousProjectId: string | null; stage: string; stageSince: string; closedOn: string | null; services: { id: string; name: string }[] }) => ({
  id: p.id, title: p.title, summary: p.summary, takePart: p.takePart, intentions: p.intentions, cycle: p.cycle, previousProjectId: p.previousProjectId, stage: p.stage, stageSince: p.stageSince, closedOn: p.closedOn,
  services: p.services.map((s) => ({ id: s.id, name: s.name })),
});
const detailJson = (p: ProjectView) => ({
  ...projectJson(p),
  analysis: { needsEvidence: p.needsEvidence, needsData: p.needsData, residentInsight: p.residentInsight, currentPerformance: p.currentPerformance, currentCostPence: p.currentCostPence },
  plan: { intentions: p.intentions, options: p.options.map((o) => ({ model: o.model, assessment: o.assessment, annualCostPence: o.annualCostPence })), chosenOption: p.chosenOption, chosenReasons: p.chosenReasons },
  sessions: p.sessions.map((s) => ({ stage: s.stage, heldOn: s.heldOn, title: s.title, howToJoin: s.howToJoin, participants: s.participants, proposed: s.proposed, decided: s.decided })),
  handoff: { kind: p.handoffKind, reference: p.handoffReference, on: p.handoffOn },
  review: { performance: p.performanceReview, residentsSaid: p.residentsSaid, decision: p.reviewDecision, reasons: p.reviewReasons },
  history: p.history.map((h) => ({ from: h.fromStage, to: h.toStage, on: h.changedOn })),
  needsBeforeMovingOn: p.gate,
});

export const commissioningRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { commissioning, catalogue, outcomes } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/commissioning`;
    const FORM = 'commissioning/views/form.njk';
    const manages = (req: FastifyRequest) => can(req.principal, 'commissioning.manage', { authorityId: req.authority!.id });
    const projectOf = (req: FastifyRequest<{ Params: { project: string } }>) => commissioning.get(req.authority!.id, uuidOr404(req.params.project));
    const serviceChoices = async (authorityId: string) => (await catalogue.list(authorityId, {}, { limit: 1000, offset: 0 })).rows.map((s) => [s.id, s.name] as [string, string]);

    app.get('/a/:authority/commissioning', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const projects = await commissioning.list(req.authority!.id);
      return reply.view('commissioning/views/list.njk', {
        title: `Commissioning in ${req.authority!.name}`,
        stages: STAGES.map((s) => ({ stage: s, label: STAGE_LABELS[s], purpose: STAGE_PURPOSES[s], projects: projects.filter((p) => !p.closedOn && p.stage === s) })),
        closed: projects.filter((p) => p.closedOn),
        upcoming: await commissioning.upcomingSessions(req.authority!.id),
        manage: manages(req),
      });
    });

    app.get('/a/:authority/commissioning/intentions', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const projects = (await commissioning.list(req.authority!.id)).filter((p) => !p.closedOn && p.intentions);
      return reply.view('commissioning/views/intentions.njk', { title: `Commissioning intentions of ${req.authority!.name}`, projects, stageLabels: STAGE_LABELS });
    });

    app.get('/a/:authority/commissioning/market-position', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const [latest, ...earlier] = await commissioning.statements(req.authority!.id);
      return reply.view('commissioning/views/market-position.njk', {
        title: 'Market position statement',
        latest: latest ? { ...latest, paragraphs: latest.body.split(/\n\s*\n/) } : null,
        earlier,
        manage: manages(req),
      });
    });

    /** Shows a form and, on its POST, makes the change and goes back to the project (or where `after` says). */
    const formRoute = <P extends Record<string, string>>(
      path: string,
      view: (req: FastifyRequest<{ Params: P }>) => Promise<{ title: string; caption?: string; fields: Field[]; values: Record<string, unknown>; back: string }>,
      change: (req: FastifyRequest<{ Params: P; Body: Record<string, unknown> }>) => Promise<string | void>,
    ) => {
      app.get<{ Params: P }>(`/a/:authority/commissioning${path}`, { config: { action: 'commissioning.manage' } }, async (req, reply) => {
        const v = await view(req);
        return reply.view(FORM, { ...v, action: req.url.split('?')[0]!.replace(/\/(new|edit)$/, '') });
      });
      const postPath = path.replace(/\/(new|edit)$/, '');
      app.post<{ Params: P; Body: Record<string, unknown> }>(`/a/:authority/commissioning${postPath}`, { config: { action: 'commissioning.manage' } }, async (req, reply) => {
        const v = await view(req);
        let to: string | void = undefined;
        return (
          (await handleForm(reply, { template: FORM, data: { ...v, action: req.url.split('?')[0] }, values: req.body }, async () => {
            to = await change(req);
          })) ?? reply.redirect(to ?? v.back, 303)
        );
      });
    };

    formRoute('/new', async (req) => ({ title: 'Start a commissioning project', fields: PROJECT_FIELDS(await serviceChoices(req.authority!.id)), values: {}, back: base(req) }), async (req) => {
      const project = await commissioning.create(actorOf(req), req.authority!.id, req.body);
      return `${base(req)}/${project.id}`;
    });

    formRoute('/market-position/new', async (req) => ({ title: 'Publish a market position statement', fields: STATEMENT_FIELDS, values: {}, back: `${base(req)}/market-position` }), async (req) => {
      await commissioning.publishStatement(actorOf(req), req.authority!.id, req.body);
    });

    app.get<{ Params: { project: string } }>('/a/:authority/commissioning/:project', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => projectPage(req, reply));

    const projectPage = async (req: FastifyRequest<{ Params: { project: string } }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const project = await projectOf(req);
      const authorityId = req.authority!.id;
      const outcomeIds = [...new Set(project.services.flatMap((s) => s.outcomeIds))];
      const closed = project.closedOn !== null;
      const editable = Object.fromEntries((['analysis', 'plan', 'options', 'handoff', 'review', 'sessions'] as const).map((part) => [part, editableIn(part, project.stage, closed)]));
      return reply.view('commissioning/views/project.njk', {
        title: project.title,
        project,
        timeline: STAGES.map((s) => ({ label: STAGE_LABELS[s], purpose: STAGE_PURPOSES[s], state: closed || STAGES.indexOf(s) < STAGES.indexOf(project.stage) ? 'done' : s === project.stage ? 'now' : 'later' })),
        stageLabel: STAGE_LABELS[project.stage],
        nextLabel: project.next ? STAGE_LABELS[project.next] : null,
        gate: Object.values(project.gate),
        indicators: await outcomes.indicators(authorityId, outcomeIds),
        nextCycle: closed ? await commissioning.nextCycleOf(authorityId, project.id) : null,
        labels: { options: DELIVERY_OPTIONS, handoff: HANDOFF_KINDS, decisions: REVIEW_DECISIONS, roles: PARTICIPANT_ROLES, stages: STAGE_LABELS },
        manage: manages(req),
        editable,
        ...extra,
      });
    };

    app.post<{ Params: { project: string } }>('/a/:authority/commissioning/:project/stage', { config: { action: 'commissioning.manage' } }, async (req, reply) => {
      const project = await projectOf(req);
      try {
        const moved = await commissioning.advance(actorOf(req), req.authority!.id, project.id);
        return reply.redirect(`${base(req)}/${moved.nextProjectId ?? project.id}`, 303);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Every problem points at the list of what the stage still needs, which is on this page.
        const messages = Object.keys(err.fields).length ? Object.values(err.fields) : [err.message];
        return projectPage(req, reply.code(409), { errors: { stage: err.message }, errorList: messages.map((text) => ({ text, href: '#gate' })) });
      }
    });

    const partForm = (part: keyof typeof PARTS) =>
      formRoute<{ project: string }>(
        `/:project/${part}/edit`,
        async (req) => {
          const project = await projectOf(req);
          const fields = PARTS[part].fields.map((f) =>
            f.name === 'chosenOption' ? { ...f, choices: project.options.map((o) => [o.model, DELIVERY_OPTIONS[o.model as keyof typeof DELIVERY_OPTIONS]] as [string, string]) } : f,
          );
          return { title: PARTS[part].title, caption: project.title, fields, values: PARTS[part].values(project), back: `${base(req)}/${project.id}` };
        },
        (req) => commissioning.record(actorOf(req), req.authority!.id, req.params.project, part, req.body),
      );
    for (const part of Object.keys(PARTS) as (keyof typeof PARTS)[]) partForm(part);

    const projectForm = (path: string, title: string, fields: Field[], change: (req: FastifyRequest<{ Params: { project: string }; Body: Record<string, unknown> }>) => Promise<unknown>) =>
      formRoute<{ project: string }>(
        path,
        async (req) => {
          const project = await projectOf(req);
          return { title, caption: project.title, fields, values: {}, back: `${base(req)}/${project.id}` };
        },
        async (req) => {
          await change(req);
        },
      );
    projectForm('/:project/sessions/new', 'Record a co-design session', SESSION_FIELDS, (req) => commissioning.addSession(actorOf(req), req.authority!.id, req.params.project, req.body));
    projectForm('/:project/options/new', 'Appraise a delivery model', OPTION_FIELDS, (req) => commissioning.appraise(actorOf(req), req.authority!.id, req.params.project, req.body));

    // ------------------------------------------------------------ API
    api.get('/api/v1/authorities/:authority/commissioning', {
      config: { action: 'public.view' },
      schema: { tags: ['commissioning'], summary: 'Commissioning projects: what is being commissioned and which stage of the cycle each is in', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(ProjectJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await commissioning.list(req.authority!.id)).map(projectJson) }));

    api.get('/api/v1/authorities/:authority/commissioning/market-position', {
      config: { action: 'public.view' },
      schema: { tags: ['commissioning'], summary: 'The authority’s market position statements, newest first', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(StatementJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await commissioning.statements(req.authority!.id)).map((s) => ({ id: s.id, title: s.title, covers: s.covers, body: s.body, publishedOn: s.publishedOn })) }));

    api.get('/api/v1/authorities/:authority/commissioning/:project', {
      config: { action: 'public.view' },
      schema: { tags: ['commissioning'], summary: 'A commissioning project: each stage’s record, its co-design sessions, and what it needs before it can move on', params: ProjectParams, response: { 200: ProjectDetailJson, ...errorResponses } },
    }, async (req) => detailJson(await commissioning.get(req.authority!.id, req.params.project)));

    api.post('/api/v1/authorities/:authority/commissioning/:project/stage', {
      config: { action: 'commissioning.manage' },
      schema: {
        tags: ['commissioning'],
        security: [{ bearerAuth: [] }],
        summary: 'Move a project on to its next stage; from Review this ends the cycle and, unless decommissioned, opens the next',
        description: 'Refused with 409 and a field for each thing the stage still needs.',
        params: ProjectParams,
        response: { 200: Type.Object({ stage: Nullable(Type.String({ enum: [...STAGES] })), nextProjectId: Nullable(Type.String({ format: 'uuid' })) }), ...errorResponses },
      },
    }, async (req) => commissioning.advance(actorOf(req), req.authority!.id, req.params.project));
  };
