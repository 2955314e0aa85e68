/** The service catalogue: public browse and detail pages, officers' forms, and the API. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { pageFrom, paginationFor } from '../../lib/http/pagination.ts';
import { AuthorityParam, errorResponses, pageOf, PageQuery, paged } from '../../lib/http/api.ts';
import { NotFoundError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { DELIVERY_MODELS, SERVICE_STATUSES } from './rules.ts';
import type { CatalogueFilter, ServiceDetail, ServiceRow } from './service.ts';
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

    app.get<{ Querystring: Record<string, string> }>('/a/:authority/services', { config: { action: 'public.view' } }, async (req, reply) => {
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

    app.get<{ Params: { id: string } }>('/a/:authority/services/:id', { config: { action: 'public.view' } }, async (req, reply) => {
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
      for (const code of codes) {
        const ward = await places.wardByCode(req.authority!.id, code);
        // An unknown code becomes an id that fails the same-authority check, with a field error.
        wardIds.push(ward?.id ?? '00000000-0000-0000-0000-000000000000');
      }
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
  };

function formValues(s: ServiceDetail) {
  return {
    ...s,
    annualBudget: s.annualBudgetPence == null ? '' : (s.annualBudgetPence / 100).toFixed(2),
    wardIds: s.wards.map((w) => w.id),
    outcomeIds: s.outcomes.map((o) => o.id),
  };
}
