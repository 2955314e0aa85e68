/** Organisations: public list and detail pages, officers' add and edit forms, and the API. */
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
import { can } from '../../lib/auth/policy.ts';
import { LEGAL_FORMS, ORGANISATION_TYPES } from './rules.ts';
import type { Organisation } from './service.ts';

const typeChoices = Object.entries(ORGANISATION_TYPES) as [string, string][];
const legalFormChoices = [['', 'Not known'], ...Object.entries(LEGAL_FORMS)] as [string, string][];
const formData = { typeChoices, legalFormChoices };

const OrganisationJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: Type.String({ enum: Object.keys(ORGANISATION_TYPES) }),
  charityNumber: Type.Union([Type.String(), Type.Null()]),
  companyNumber: Type.Union([Type.String(), Type.Null()]),
  legalForm: Type.Union([Type.String(), Type.Null()]),
  employeeOwned: Type.Boolean(),
  website: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
});
const OrganisationBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  type: Type.String({ enum: Object.keys(ORGANISATION_TYPES) }),
  charityNumber: Type.Optional(Type.String({ maxLength: 20 })),
  companyNumber: Type.Optional(Type.String({ maxLength: 20 })),
  legalForm: Type.Optional(Type.String({ enum: Object.keys(LEGAL_FORMS) })),
  employeeOwned: Type.Optional(Type.Boolean()),
  website: Type.Optional(Type.String({ maxLength: 500 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
});

const json = (o: Organisation) => ({
  id: o.id,
  name: o.name,
  type: o.type,
  charityNumber: o.charityNumber,
  companyNumber: o.companyNumber,
  legalForm: o.legalForm,
  employeeOwned: o.employeeOwned,
  website: o.website,
  description: o.description,
});

const idOf = (id: string) => {
  if (!isUuid(id)) throw new NotFoundError('No such organisation');
  return id;
};

export const organisationsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { organisations } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    app.get<{ Querystring: Record<string, string> }>('/a/:authority/organisations', { config: { action: 'public.view' } }, async (req, reply) => {
      const authority = req.authority!;
      const filter = { type: text(req.query.type) || undefined, q: text(req.query.q) || undefined };
      const page = pageFrom(req.query);
      const { rows, total } = await organisations.list(authority.id, filter, page);
      return reply.view('organisations/views/list.njk', {
        title: `Organisations in ${authority.name}`,
        ...formData,
        rows,
        total,
        filter,
        pagination: paginationFor(`/a/${authority.slug}/organisations`, req.query, page.page, total),
      });
    });

    app.get('/a/:authority/organisations/new', { config: { action: 'organisations.manage' } }, async (_req, reply) =>
      reply.view('organisations/views/form.njk', { title: 'Add an organisation', ...formData, values: {} }),
    );

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/organisations', { config: { action: 'organisations.manage' } }, async (req, reply) => {
      let created: Organisation | undefined;
      return (
        (await handleForm(reply, { template: 'organisations/views/form.njk', data: { title: 'Add an organisation', ...formData }, values: req.body }, async () => {
          created = await organisations.create(actorOf(req), req.authority!.id, req.body);
        })) ?? reply.redirect(`/a/${req.authority!.slug}/organisations/${created!.id}`, 303)
      );
    });

    /** The organisation page; staff also see its people and the form to add one. */
    const detailData = async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const authority = req.authority!;
      const organisation = await organisations.get(authority.id, idOf(req.params.id));
      const provided = await services.catalogue.list(authority.id, { providerOrganisationId: organisation.id }, { limit: 200, offset: 0 });
      const staff = can(req.principal, 'organisations.manage', { authorityId: authority.id });
      const people = staff ? await services.organisationPeople.list(authority.id, organisation.id) : [];
      return { title: organisation.name, organisation, provided: provided.rows, people, typeLabels: ORGANISATION_TYPES, legalForms: LEGAL_FORMS };
    };

    app.get<{ Params: { id: string } }>('/a/:authority/organisations/:id', { config: { action: 'public.view' } }, async (req, reply) =>
      reply.view('organisations/views/detail.njk', { ...(await detailData(req)), values: {} }),
    );

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/a/:authority/organisations/:id/people', { config: { action: 'organisations.manage' } }, async (req, reply) => {
      const id = idOf(req.params.id);
      const values = { email: text(req.body.email), roleTitle: text(req.body.roleTitle) };
      return (
        (await handleForm(reply, { template: 'organisations/views/detail.njk', data: await detailData(req), values }, async () => {
          await services.organisationPeople.add(actorOf(req), req.authority!.id, id, values);
        })) ?? reply.redirect(`/a/${req.authority!.slug}/organisations/${id}#people`, 303)
      );
    });

    app.post<{ Params: { id: string; personId: string } }>(
      '/a/:authority/organisations/:id/people/:personId/remove',
      { config: { action: 'organisations.manage' } },
      async (req, reply) => {
        const id = idOf(req.params.id);
        if (!isUuid(req.params.personId)) throw new NotFoundError('That person does not have a role in this organisation');
        await services.organisationPeople.remove(actorOf(req), req.authority!.id, id, req.params.personId);
        return reply.redirect(`/a/${req.authority!.slug}/organisations/${id}#people`, 303);
      },
    );

    app.get<{ Params: { id: string } }>('/a/:authority/organisations/:id/edit', { config: { action: 'organisations.manage' } }, async (req, reply) => {
      const organisation = await organisations.get(req.authority!.id, idOf(req.params.id));
      return reply.view('organisations/views/form.njk', { title: `Change ${organisation.name}`, ...formData, organisation, values: { ...organisation, employeeOwned: organisation.employeeOwned ? 'yes' : 'no' } });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/a/:authority/organisations/:id', { config: { action: 'organisations.manage' } }, async (req, reply) => {
      const organisation = await organisations.get(req.authority!.id, idOf(req.params.id));
      return (
        (await handleForm(reply, { template: 'organisations/views/form.njk', data: { title: `Change ${organisation.name}`, ...formData, organisation }, values: req.body }, async () => {
          await organisations.update(actorOf(req), req.authority!.id, organisation.id, req.body);
        })) ?? reply.redirect(`/a/${req.authority!.slug}/organisations/${organisation.id}`, 303)
      );
    });

    api.get('/api/v1/authorities/:authority/organisations', {
      config: { action: 'public.view' },
      schema: {
        tags: ['organisations'],
        params: AuthorityParam,
        querystring: Type.Object({ ...PageQuery, type: Type.Optional(Type.String({ enum: Object.keys(ORGANISATION_TYPES) })), q: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: paged(OrganisationJson), ...errorResponses },
      },
    }, async (req) => {
      const p = pageOf(req.query);
      const { rows, total } = await organisations.list(req.authority!.id, { type: req.query.type, q: req.query.q }, p);
      return { items: rows.map(json), page: p.page, pageSize: p.pageSize, total };
    });

    api.get('/api/v1/authorities/:authority/organisations/:id', {
      config: { action: 'public.view' },
      schema: { tags: ['organisations'], params: Type.Object({ authority: AuthorityParam.properties.authority, id: Type.String({ format: 'uuid' }) }), response: { 200: OrganisationJson, ...errorResponses } },
    }, async (req) => json(await organisations.get(req.authority!.id, req.params.id)));

    api.post('/api/v1/authorities/:authority/organisations', {
      config: { action: 'organisations.manage' },
      schema: { tags: ['organisations'], security: [{ bearerAuth: [] }], params: AuthorityParam, body: OrganisationBody, response: { 201: OrganisationJson, ...errorResponses } },
    }, async (req, reply) => reply.code(201).send(json(await organisations.create(actorOf(req), req.authority!.id, req.body))));
  };
