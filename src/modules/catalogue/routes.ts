/** The service catalogue: public browse and detail pages, officers' forms, and the API. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { sealUpload, unsealUpload } from '../../lib/http/sealed-upload.ts';
import { pageFrom, paginationFor } from '../../lib/http/pagination.ts';
import { AuthorityParam, ErrorBody, errorResponses, pageOf, PageQuery, paged } from '../../lib/http/api.ts';
import { NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { DELIVERY_MODELS, SERVICE_STATUSES } from './rules.ts';
import { OrukImportRefusedError, type CatalogueFilter, type OrukReport, type ServiceDetail, type ServiceRow } from './service.ts';
import { parseOrukText } from './oruk.ts';
import type { Authority } from '../places/service.ts';

const deliveryChoices = Object.entries(DELIVERY_MODELS) as [string, string][];
const statusChoices = Object.entries(SERVICE_STATUSES) as [string, string][];

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const ServiceJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  directorate: Nullable(Type.String()),
  provider: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()]),
  deliveryModel: Type.String({ enum: Object.keys(DELIVERY_MODELS) }),
  annualBudgetPence: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
  url: Nullable(Type.String()),
  email: Nullable(Type.String()),
});
const ServiceDetailJson = Type.Object({
  ...ServiceJson.properties,
  wards: Type.Array(Type.Object({ gssCode: Type.String(), name: Type.String() })),
  outcomes: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
});
const ServiceBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  category: Type.String({ maxLength: 100 }),
  directorate: Type.Optional(Type.String({ maxLength: 200 })),
  providerOrganisationId: Type.Optional(Type.String({ format: 'uuid' })),
  deliveryModel: Type.String({ enum: Object.keys(DELIVERY_MODELS) }),
  annualBudgetPence: Type.Optional(Type.Integer({ minimum: 0 })),
  status: Type.Optional(Type.String({ enum: Object.keys(SERVICE_STATUSES) })),
  url: Type.Optional(Type.String({ maxLength: 500 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  wardCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[EWSN][0-9]{8}$' }), { maxItems: 500 })),
  outcomeIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
});
const ServiceQuery = Type.Object({
  ...PageQuery,
  ward: Type.Optional(Type.String({ pattern: '^[EWSN][0-9]{8}$', description: 'GSS code of a ward the service covers' })),
  category: Type.Optional(Type.String({ maxLength: 100 })),
  deliveryModel: Type.Optional(Type.String({ enum: Object.keys(DELIVERY_MODELS) })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
});

const RejectionJson = Type.Object({
  index: Type.Integer({ description: 'Position of the record in the feed’s list of services, from 0' }),
  id: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});
const OrukReportJson = Type.Object({
  total: Type.Integer({ description: 'Service records in the feed' }),
  accepted: Type.Integer({ description: 'Records taken into the catalogue' }),
  rejected: Type.Array(RejectionJson),
  organisationsCreated: Type.Integer(),
  organisationsMatched: Type.Integer(),
  wardLinks: Type.Integer(),
});
const OrukPageJson = Type.Object({
  total_items: Type.Integer(),
  total_pages: Type.Integer(),
  page_number: Type.Integer(),
  size: Type.Integer(),
  first_page: Type.Boolean(),
  last_page: Type.Boolean(),
  empty: Type.Boolean(),
  contents: Type.Array(Type.Unknown(), { description: 'ORUK 3.0 services (compiled/service.json)' }),
});
/** Council directories run to a few megabytes (Bristol's is 2.3 MB); leave plenty of room. */
const ORUK_UPLOAD_LIMIT = 20 * 1024 * 1024;

const rowJson = (s: ServiceRow) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  category: s.category,
  directorate: s.directorate,
  provider: s.providerOrganisationId && s.providerName ? { id: s.providerOrganisationId, name: s.providerName } : null,
  deliveryModel: s.deliveryModel,
  annualBudgetPence: s.annualBudgetPence,
  status: s.status,
  url: s.url,
  email: s.email,
});
const detailJson = (s: ServiceDetail) => ({ ...rowJson(s), wards: s.wards.map((w) => ({ gssCode: w.gssCode, name: w.name })), outcomes: s.outcomes });

const idOf = (id: string) => {
  if (!isUuid(id)) throw new NotFoundError('No such service');
  return id;
};

export const catalogueRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { catalogue, places } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    /** Turn the ward's GSS code in a query into its id; an unknown ward matches nothing rather than everything. */
    const filterFrom = async (authority: Authority, q: Record<string, string | undefined>): Promise<CatalogueFilter> => {
      const wardCode = text(q.ward);
      const ward = wardCode ? await places.wardByCode(authority.id, wardCode) : null;
      return {
        wardId: wardCode ? (ward?.id ?? '00000000-0000-0000-0000-000000000000') : undefined,
        category: text(q.category) || undefined,
        deliveryModel: text(q.deliveryModel) || undefined,
        q: text(q.q) || undefined,
      };
    };

    const formData = async (authorityId: string) => ({
      deliveryChoices,
      statusChoices,
      providerChoices: [['', 'Not recorded'], ...(await services.organisations.choices(authorityId))],
      wardChoices: (await places.listWards(authorityId)).map((w) => [w.id, w.name]),
      outcomeChoices: await services.outcomes.choices(authorityId),
    });

    app.get<{ Querystring: Record<string, string> }>('/a/:authority/services', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const authority = req.authority!;
      const filter = await filterFrom(authority, req.query);
      const page = pageFrom(req.query);
      const [{ rows, total }, categories, wards] = await Promise.all([catalogue.list(authority.id, filter, page), catalogue.categories(authority.id), places.listWards(authority.id)]);
      return reply.view('catalogue/views/list.njk', {
        title: `Local services in ${authority.name}`,
        rows,
        total,
        query: req.query,
        categoryChoices: [['', 'All categories'], ...categories.map((c) => [c, c])],
        deliveryChoices: [['', 'All delivery models'], ...deliveryChoices],
        wardChoices: [['', 'All wards'], ...wards.map((w) => [w.gssCode, w.name])],
        deliveryLabels: DELIVERY_MODELS,
        pagination: paginationFor(`/a/${authority.slug}/services`, req.query, page.page, total),
      });
    });

    app.get('/a/:authority/services/new', { config: { action: 'catalogue.manage' } }, async (req, reply) =>
      reply.view('catalogue/views/form.njk', { title: 'Add a service', ...(await formData(req.authority!.id)), values: { status: 'active' } }),
    );

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/services', { config: { action: 'catalogue.manage' } }, async (req, reply) => {
      const authority = req.authority!;
      let created: ServiceDetail | undefined;
      return (
        (await handleForm(reply, { template: 'catalogue/views/form.njk', data: { title: 'Add a service', ...(await formData(authority.id)) }, values: req.body }, async () => {
          created = await catalogue.create(actorOf(req), authority.id, req.body);
        })) ?? reply.redirect(`/a/${authority.slug}/services/${created!.id}`, 303)
      );
    });

    app.get<{ Params: { id: string } }>('/a/:authority/services/:id', { config: { action: 'public.view', publicPage: true } }, async (req, reply) => {
      const service = await catalogue.get(req.authority!.id, idOf(req.params.id));
      return reply.view('catalogue/views/detail.njk', { title: service.name, service, deliveryLabels: DELIVERY_MODELS, statusLabels: SERVICE_STATUSES });
    });

    app.get<{ Params: { id: string } }>('/a/:authority/services/:id/edit', { config: { action: 'catalogue.manage' } }, async (req, reply) => {
      const authority = req.authority!;
      const service = await catalogue.get(authority.id, idOf(req.params.id));
      return reply.view('catalogue/views/form.njk', { title: `Change ${service.name}`, service, ...(await formData(authority.id)), values: formValues(service) });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/a/:authority/services/:id', { config: { action: 'catalogue.manage' } }, async (req, reply) => {
      const authority = req.authority!;
      const service = await catalogue.get(authority.id, idOf(req.params.id));
      return (
        (await handleForm(reply, { template: 'catalogue/views/form.njk', data: { title: `Change ${service.name}`, service, ...(await formData(authority.id)) }, values: req.body }, async () => {
          await catalogue.update(actorOf(req), authority.id, service.id, req.body);
        })) ?? reply.redirect(`/a/${authority.slug}/services/${service.id}`, 303)
      );
    });

    api.get('/api/v1/authorities/:authority/services', {
      config: { action: 'public.view' },
      schema: { tags: ['catalogue'], summary: 'The service catalogue, filtered and paged', params: AuthorityParam, querystring: ServiceQuery, response: { 200: paged(ServiceJson), ...errorResponses } },
    }, async (req) => {
      const p = pageOf(req.query);
      const { rows, total } = await catalogue.list(req.authority!.id, await filterFrom(req.authority!, req.query as Record<string, string>), p);
      return { items: rows.map(rowJson), page: p.page, pageSize: p.pageSize, total };
    });

    const IdParams = Type.Object({ authority: AuthorityParam.properties.authority, id: Type.String({ format: 'uuid' }) });

    api.get('/api/v1/authorities/:authority/services/:id', {
      config: { action: 'public.view' },
      schema: { tags: ['catalogue'], params: IdParams, response: { 200: ServiceDetailJson, ...errorResponses } },
    }, async (req) => detailJson(await catalogue.get(req.authority!.id, req.params.id)));

    const bodyToInput = async (req: FastifyRequest, body: Record<string, unknown>) => {
      const codes = Array.isArray(body.wardCodes) ? (body.wardCodes as string[]) : [];
      const wardIds: string[] = [];
      const unknown: string[] = [];
      for (const code of codes) {
        const ward = await places.wardByCode(req.authority!.id, code);
        if (ward) wardIds.push(ward.id);
        else unknown.push(code);
      }
      // Name the field the client sent (wardCodes), not the ids it becomes.
      if (unknown.length) throw new ValidationError({ wardCodes: `No ward in ${req.authority!.name} has the code ${unknown.join(', ')}` });
      return { ...body, wardIds };
    };

    api.post('/api/v1/authorities/:authority/services', {
      config: { action: 'catalogue.manage' },
      schema: { tags: ['catalogue'], security: [{ bearerAuth: [] }], params: AuthorityParam, body: ServiceBody, response: { 201: ServiceDetailJson, ...errorResponses } },
    }, async (req, reply) => reply.code(201).send(detailJson(await catalogue.create(actorOf(req), req.authority!.id, await bodyToInput(req, req.body)))));

    api.put('/api/v1/authorities/:authority/services/:id', {
      config: { action: 'catalogue.manage' },
      schema: { tags: ['catalogue'], security: [{ bearerAuth: [] }], params: IdParams, body: ServiceBody, response: { 200: ServiceDetailJson, ...errorResponses } },
    }, async (req) => detailJson(await catalogue.update(actorOf(req), req.authority!.id, req.params.id, await bodyToInput(req, req.body))));

    // -----------------------------------------------------------------------
    // Open Referral UK: upload → preview → confirm, the download, and the API.

    const importTitle = 'Import services from Open Referral UK';
    const importPage = { template: 'catalogue/views/oruk-import.njk', data: { title: importTitle }, values: {} };

    app.get('/a/:authority/catalogue/import', { config: { action: 'catalogue.manage' } }, async (_req, reply) => reply.view(importPage.template, importPage.data));

    app.post<{ Body: Record<string, unknown> | undefined }>(
      '/a/:authority/catalogue/import',
      { config: { action: 'catalogue.manage', multipartOptions: { limits: { fileSize: ORUK_UPLOAD_LIMIT } } } },
      async (req, reply) => {
        const authority = req.authority!;
        let preview: Record<string, unknown> | undefined;
        return (
          (await handleForm(reply, importPage, async () => {
            const content = uploadedText(req.body?.file);
            const report = await catalogue.previewOrukImport(authority, parseOrukText(content));
            preview = previewView(report, sealUpload(app, authority.id, content));
          })) ?? reply.view('catalogue/views/oruk-preview.njk', preview)
        );
      },
    );

    /**
     * The confirm form carries the file back, gzipped and signed with the cookie
     * secret: nothing is held on the server between the two steps, and what is
     * imported is exactly the file that was checked. If the catalogue changed in
     * between (the figures differ), the new figures are shown to confirm instead.
     */
    app.post<{ Body: Record<string, unknown> | undefined }>(
      '/a/:authority/catalogue/import/confirm',
      { config: { action: 'catalogue.manage' }, bodyLimit: ORUK_UPLOAD_LIMIT * 2 },
      async (req, reply) => {
        const authority = req.authority!;
        let page: { template: string; data: Record<string, unknown> } | undefined;
        return (
          (await handleForm(reply, importPage, async () => {
            const sealed = text(req.body?.upload);
            const feed = parseOrukText(unsealUpload(app, authority.id, sealed).toString('utf8'));
            const fresh = await catalogue.previewOrukImport(authority, feed);
            const changed = `${fresh.accepted}/${fresh.rejected.length}` !== text(req.body?.expected);
            if (changed || fresh.accepted === 0) {
              page = { template: 'catalogue/views/oruk-preview.njk', data: { ...previewView(fresh, sealed), changed } };
              return;
            }
            const report = await catalogue.importOruk(actorOf(req), authority, feed, { acceptPartial: true, source: 'web upload' });
            page = { template: 'catalogue/views/oruk-done.njk', data: { title: 'Import complete', report } };
          })) ?? reply.view(page!.template, page!.data)
        );
      },
    );

    app.get('/a/:authority/catalogue/export.oruk.json', { config: { action: 'public.view' } }, async (req, reply) => {
      const authority = req.authority!;
      const page = await catalogue.exportOruk(authority);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${authority.slug}-services.oruk.json"`)
        .send(JSON.stringify(page, null, 2));
    });

    api.get('/api/v1/authorities/:authority/catalogue/oruk', {
      config: { action: 'public.view' },
      schema: {
        tags: ['catalogue'],
        summary: 'The whole catalogue as Open Referral UK 3.0: one /services page of full services',
        params: AuthorityParam,
        response: { 200: OrukPageJson, ...errorResponses },
      },
    }, async (req) => catalogue.exportOruk(req.authority!));

    api.post('/api/v1/authorities/:authority/catalogue/oruk-import', {
      config: { action: 'catalogue.manage' },
      bodyLimit: ORUK_UPLOAD_LIMIT,
      schema: {
        tags: ['catalogue'],
        summary: 'Import an Open Referral UK feed (v1 list or v3 page); with rejected records it imports nothing unless acceptPartial=true',
        security: [{ bearerAuth: [] }],
        params: AuthorityParam,
        querystring: Type.Object({ acceptPartial: Type.Optional(Type.Boolean({ default: false, description: 'Take the records that can be taken even if some are rejected' })) }),
        body: Type.Unknown({ description: 'The feed: an array of services, or a page with content/contents' }),
        response: { 200: OrukReportJson, ...errorResponses, 409: Type.Object({ error: ErrorBody.properties.error, report: Type.Optional(OrukReportJson) }) },
      },
    }, async (req, reply) => {
      try {
        return await catalogue.importOruk(actorOf(req), req.authority!, req.body, { acceptPartial: req.query.acceptPartial === true, source: 'api' });
      } catch (err) {
        if (!(err instanceof OrukImportRefusedError)) throw err;
        return reply.code(409).send({ error: { code: 'records_rejected', message: err.message, fields: err.fields }, report: err.report });
      }
    });
  };

function formValues(s: ServiceDetail) {
  return {
    ...s,
    annualBudget: s.annualBudgetPence == null ? '' : (s.annualBudgetPence / 100).toFixed(2),
    wardIds: s.wards.map((w) => w.id),
    outcomeIds: s.outcomes.map((o) => o.id),
  };
}

/** The uploaded file's text: multipart gives a Buffer; a plain form post a string. */
function uploadedText(file: unknown): string {
  const content = Buffer.isBuffer(file) ? file.toString('utf8') : typeof file === 'string' ? file : '';
  if (!content.trim()) throw new ValidationError({ file: 'Select an Open Referral UK JSON file' });
  return content;
}

/** The preview page: the figures, each rejected record, and the confirm form carrying the file. */
function previewView(report: OrukReport, sealed: string) {
  return {
    title: 'Check the import',
    report,
    sealed,
    expected: `${report.accepted}/${report.rejected.length}`,
    rejectedRows: report.rejected.map((r) => [{ text: String(r.index) }, { text: r.id ?? 'None' }, { text: r.name ?? 'None' }, { text: r.reason }]),
  };
}
