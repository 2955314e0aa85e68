/** The outcomes framework: outcomes, their indicators charted against their targets, measurement imports — pages and the API. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { can } from '../../lib/auth/policy.ts';
import { DIRECTIONS, MEASUREMENT_COLUMNS, PROGRESS, chartOf } from './rules.ts';
import type { IndicatorSummary } from './service.ts';
import { MeasurementsRefusedError } from './service.ts';

const uuidOr404 = (id: string, what: string) => {
  if (!isUuid(id)) throw new NotFoundError(`No such ${what}`);
  return id;
};
const directionChoices = Object.entries(DIRECTIONS) as [string, string][];
const PROGRESS_TAGS: Record<keyof typeof PROGRESS, string> = { met: 'govuk-tag--green', better: 'govuk-tag--turquoise', same: 'govuk-tag--grey', worse: 'govuk-tag--red', none: 'govuk-tag--grey' };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const PointJson = Type.Object({ measuredOn: Type.String({ format: 'date' }), value: Type.Number() });
const IndicatorJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  title: Type.String(),
  unit: Type.String(),
  direction: Type.String({ enum: Object.keys(DIRECTIONS) }),
  baseline: PointJson,
  target: PointJson,
  source: Type.String(),
  latest: Nullable(PointJson),
  progress: Type.String({ enum: Object.keys(PROGRESS), description: 'Where the latest whole-place figure stands against the baseline and target' }),
});
const OutcomeJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  description: Nullable(Type.String()),
  indicators: Type.Array(IndicatorJson),
  services: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
});
const indicatorJson = (i: IndicatorSummary) => ({
  id: i.id,
  code: i.code,
  title: i.title,
  unit: i.unit,
  direction: i.direction,
  baseline: { measuredOn: i.baselineOn, value: i.baselineValue },
  target: { measuredOn: i.targetOn, value: i.targetValue },
  source: i.source,
  latest: i.latest,
  progress: i.progress,
});

export const outcomesRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { outcomes, catalogue, places } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/outcomes`;
    const tagged = (i: IndicatorSummary) => ({ ...i, progressLabel: PROGRESS[i.progress], progressClass: PROGRESS_TAGS[i.progress] });

    app.get('/a/:authority/outcomes', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const list = await outcomes.list(req.authority!.id);
      const indicators = (await outcomes.indicators(req.authority!.id)).map(tagged);
      return reply.view('outcomes/views/list.njk', {
        title: `Outcomes for ${req.authority!.name}`,
        outcomes: list.map((o) => ({ ...o, indicators: indicators.filter((i) => i.outcomeId === o.id) })),
        manage: can(req.principal, 'outcomes.manage', { authorityId: req.authority!.id }),
      });
    });

    const OUTCOME_FORM = 'outcomes/views/outcome-form.njk';
    app.get('/a/:authority/outcomes/new', { config: { action: 'outcomes.manage' } }, async (_req, reply) => reply.view(OUTCOME_FORM, { title: 'Add an outcome', values: {} }));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/outcomes', { config: { action: 'outcomes.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: OUTCOME_FORM, data: { title: 'Add an outcome' }, values: req.body }, async () => {
          id = (await outcomes.create(actorOf(req), req.authority!.id, req.body)).id;
        })) ?? reply.redirect(`${base(req)}/${id}`, 303)
      );
    });

    const IMPORT_FORM = 'outcomes/views/import.njk';
    const importData = { title: 'Import measurements', columns: MEASUREMENT_COLUMNS };
    app.get('/a/:authority/outcomes/measurements/import', { config: { action: 'outcomes.manage' } }, async (_req, reply) => reply.view(IMPORT_FORM, { ...importData, values: {} }));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/outcomes/measurements/import', { config: { action: 'outcomes.manage' } }, async (req, reply) => {
      const file = req.body.file;
      if (!Buffer.isBuffer(file) || file.length === 0) {
        const errors = { file: 'Choose a CSV file of measurements to import' };
        return reply.code(400).view(IMPORT_FORM, { ...importData, errors, errorList: [{ text: errors.file, href: '#file' }] });
      }
      try {
        const done = await outcomes.importMeasurements(actorOf(req), req.authority!.id, { fileName: 'Uploaded file', bytes: file });
        return reply.view(IMPORT_FORM, { ...importData, done });
      } catch (err) {
        if (!(err instanceof MeasurementsRefusedError)) throw err;
        // The summary names the file and the first lines; the table below lists every line with its reason.
        const errorList = Object.entries(err.fields).map(([field, message]) => ({ text: message, href: field === 'file' ? '#file' : `#${field}` }));
        return reply.code(400).view(IMPORT_FORM, { ...importData, errors: { file: err.fields.file }, errorList, lines: err.lines });
      }
    });

    const outcomeOf = (req: FastifyRequest<{ Params: { outcome: string } }>) => outcomes.get(req.authority!.id, uuidOr404(req.params.outcome, 'outcome'));

    app.get<{ Params: { outcome: string }; Querystring: { ward?: string } }>('/a/:authority/outcomes/:outcome', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const outcome = await outcomeOf(req);
      const authorityId = req.authority!.id;
      const wards = await places.listWards(authorityId);
      const ward = wards.find((w) => w.gssCode === text(req.query.ward).toUpperCase()) ?? null;
      const indicators = [];
      for (const i of await outcomes.indicators(authorityId, [outcome.id])) {
        const points = await outcomes.measurements(authorityId, i.id, ward?.id ?? null);
        indicators.push({ ...tagged(i), points, chart: chartOf(i, points), directionLabel: DIRECTIONS[i.direction as keyof typeof DIRECTIONS] });
      }
      return reply.view('outcomes/views/outcome.njk', {
        title: outcome.title,
        outcome,
        indicators,
        ward,
        wardChoices: [['', 'The whole place'], ...wards.map((w) => [w.gssCode, w.name])],
        services: await catalogue.servicesForOutcome(authorityId, outcome.id),
        manage: can(req.principal, 'outcomes.manage', { authorityId }),
      });
    });

    const INDICATOR_FORM = 'outcomes/views/indicator-form.njk';
    app.get<{ Params: { outcome: string } }>('/a/:authority/outcomes/:outcome/indicators/new', { config: { action: 'outcomes.manage' } }, async (req, reply) => {
      const outcome = await outcomeOf(req);
      return reply.view(INDICATOR_FORM, { title: `Add an indicator to “${outcome.title}”`, outcome, directionChoices, values: {} });
    });
    app.post<{ Params: { outcome: string }; Body: Record<string, unknown> }>('/a/:authority/outcomes/:outcome/indicators', { config: { action: 'outcomes.manage' } }, async (req, reply) => {
      const outcome = await outcomeOf(req);
      return (
        (await handleForm(reply, { template: INDICATOR_FORM, data: { title: `Add an indicator to “${outcome.title}”`, outcome, directionChoices }, values: req.body }, async () => {
          await outcomes.addIndicator(actorOf(req), req.authority!.id, outcome.id, req.body);
        })) ?? reply.redirect(`${base(req)}/${outcome.id}`, 303)
      );
    });

    // ------------------------------------------------------------ API
    api.get('/api/v1/authorities/:authority/outcomes', {
      config: { action: 'public.view' },
      schema: { tags: ['outcomes'], summary: 'The outcomes the place has agreed, their indicators and the services that serve them', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(OutcomeJson) }), ...errorResponses } },
    }, async (req) => {
      const authorityId = req.authority!.id;
      const indicators = await outcomes.indicators(authorityId);
      const items = [];
      for (const o of await outcomes.list(authorityId)) {
        items.push({ id: o.id, title: o.title, description: o.description, indicators: indicators.filter((i) => i.outcomeId === o.id).map(indicatorJson), services: await catalogue.servicesForOutcome(authorityId, o.id) });
      }
      return { items };
    });

    api.get('/api/v1/authorities/:authority/outcomes/indicators/:indicator/measurements', {
      config: { action: 'public.view' },
      schema: {
        tags: ['outcomes'],
        summary: 'An indicator’s figures over time, for the whole place or one ward',
        params: Type.Object({ authority: AuthorityParam.properties.authority, indicator: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ ward: Type.Optional(Type.String({ pattern: '^[A-Za-z][0-9]{8}$', description: 'A ward’s GSS code; leave out for the whole place' })) }),
        response: { 200: Type.Object({ indicator: IndicatorJson, ward: Nullable(Type.String()), items: Type.Array(PointJson) }), ...errorResponses },
      },
    }, async (req) => {
      const authorityId = req.authority!.id;
      const [indicator] = (await outcomes.indicators(authorityId)).filter((i) => i.id === req.params.indicator);
      if (!indicator) throw new NotFoundError('No such indicator');
      const ward = req.query.ward ? await places.wardByCode(authorityId, req.query.ward) : null;
      if (req.query.ward && !ward) throw new ValidationError({ ward: 'No ward of this council has that GSS code' });
      return { indicator: indicatorJson(indicator), ward: ward?.gssCode ?? null, items: await outcomes.measurements(authorityId, indicator.id, ward?.id ?? null) };
    });

    api.post('/api/v1/authorities/:authority/outcomes/measurements', {
      config: { action: 'outcomes.manage' },
      schema: {
        tags: ['outcomes'],
        security: [{ bearerAuth: [] }],
        summary: 'Import a CSV file of measurements (columns indicator, ward, date, value), whole or not at all',
        description: 'A refused file answers 400 with a field per line not taken (line-N) giving its reason.',
        params: AuthorityParam,
        body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 20 * 1024 * 1024 }), fileName: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ rows: Type.Integer(), replaced: Type.Integer() }), ...errorResponses },
      },
    }, async (req) => outcomes.importMeasurements(actorOf(req), req.authority!.id, { fileName: req.body.fileName ?? 'API upload', bytes: new TextEncoder().encode(req.body.csv) }));
  };
