/** Start page, authorities, wards, and postcode look-up: pages and API. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { normalisePostcode } from './rules.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';

const AuthorityJson = Type.Object({ slug: Type.String(), name: Type.String(), gssCode: Type.Union([Type.String(), Type.Null()]), isDemo: Type.Boolean() });
const WardJson = Type.Object({ gssCode: Type.String(), name: Type.String() });
const pub = { action: 'public.view' } as const;
/** Public pages of one authority, which a signed-out visitor may be served from the page cache. */
const publicPage = { action: 'public.view', publicPage: true } as const;

export const placesRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { places } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/', { config: pub }, async (_req, reply) => reply.view('places/views/start.njk', { title: 'Run local services together', authorities: await places.listAuthorities() }));
    app.get('/about', { config: pub }, async (_req, reply) => reply.view('places/views/about.njk', { title: 'About Coproduce' }));
    app.get('/accessibility', { config: pub }, async (_req, reply) => reply.view('places/views/accessibility.njk', { title: 'Accessibility statement' }));

    app.get('/a/:authority', { config: publicPage }, async (req, reply) => {
      const authority = req.authority!;
      const [wards, counts] = await Promise.all([places.listWards(authority.id), authoritySummary(services, authority.id)]);
      return reply.view('places/views/authority.njk', { title: authority.name, wards, counts });
    });

    app.get('/a/:authority/wards', { config: publicPage }, async (req, reply) => {
      const wards = await places.listWards(req.authority!.id);
      return reply.view('places/views/wards.njk', { title: `Wards in ${req.authority!.name}`, wards });
    });

    app.get<{ Params: { authority: string; ward: string } }>('/a/:authority/wards/:ward', { config: publicPage }, async (req, reply) => {
      const authority = req.authority!;
      const ward = await places.wardByCode(authority.id, req.params.ward);
      if (!ward) throw new NotFoundError('No such ward');
      const services_ = await services.catalogue.list(authority.id, { wardId: ward.id }, { limit: 200, offset: 0 });
      return reply.view('places/views/ward.njk', { title: ward.name, ward, services: services_.rows, total: services_.total });
    });

    api.get('/api/v1/authorities', {
      config: pub,
      schema: { tags: ['places'], summary: 'Authorities on this platform', response: { 200: Type.Object({ items: Type.Array(AuthorityJson) }) } },
    }, async () => ({ items: (await places.listAuthorities()).map(authorityJson) }));

    api.get('/api/v1/authorities/:authority', {
      config: pub,
      schema: { tags: ['places'], params: AuthorityParam, response: { 200: AuthorityJson, ...errorResponses } },
    }, async (req) => authorityJson(req.authority!));

    api.get('/api/v1/authorities/:authority/wards', {
      config: pub,
      schema: { tags: ['places'], summary: 'The authority’s wards, by ONS GSS code', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(WardJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await places.listWards(req.authority!.id)).map((w) => ({ gssCode: w.gssCode, name: w.name })) }));

    api.get('/api/v1/postcodes/:postcode', {
      config: pub,
      schema: {
        tags: ['places'],
        summary: 'The ward and local authority of a postcode (ONS Postcode Directory)',
        params: Type.Object({ postcode: Type.String({ maxLength: 10 }) }),
        response: {
          200: Type.Object({ postcode: Type.String(), wardCode: Type.String(), wardName: Type.String(), localAuthorityCode: Type.String(), localAuthorityName: Type.String() }),
          ...errorResponses,
        },
      },
    }, async (req) => {
      // Something that cannot be a postcode is the caller's mistake (400), not a postcode we do not know (404).
      if (!normalisePostcode(req.params.postcode)) throw new ValidationError({ postcode: 'Enter a real postcode, like SW2 1RW' }, 'That is not a postcode');
      const place = places.lookupPostcode(req.params.postcode);
      if (!place) throw new NotFoundError(`${req.params.postcode} is not a postcode this platform knows`);
      return place;
    });
  };

const authorityJson = (a: { slug: string; name: string; gssCode: string | null; isDemo: boolean }) => ({ slug: a.slug, name: a.name, gssCode: a.gssCode, isDemo: a.isDemo });

async function authoritySummary(services: Services, authorityId: string) {
  const [organisations, catalogue, members] = await Promise.all([
    services.organisations.count(authorityId),
    services.catalogue.count(authorityId),
    services.membership.countActive(authorityId),
  ]);
  return { organisations, services: catalogue, members };
}
