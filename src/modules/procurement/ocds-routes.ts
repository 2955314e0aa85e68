/** Open contracting data in the API: the release package and the compiled record package, public to anyone. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';

const OCDS = 'https://standard.open-contracting.org/1.1/en/schema/';
const Anything = Type.Object({}, { additionalProperties: true });
const PackageMeta = {
  uri: Type.String({ format: 'uri' }),
  version: Type.String({ description: 'OCDS version: 1.1 (schema 1.1.5)' }),
  extensions: Type.Array(Type.String({ format: 'uri' }), { description: 'Contracts Finder’s UK extensions: tender suitability, party VCSE status, award publication date' }),
  publishedDate: Type.String({ format: 'date-time', description: 'The newest release’s date' }),
  publisher: Type.Object({ name: Type.String(), uri: Type.String({ format: 'uri' }) }),
  license: Type.String({ format: 'uri' }),
};

/** Where the package was fetched from, which OCDS asks each package to say. */
const uriOf = (req: FastifyRequest) => `${req.protocol}://${req.host}${req.url.split('?')[0]}`;

export const ocdsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    api.get('/api/v1/authorities/:authority/ocds/releases', {
      config: { action: 'public.view' },
      schema: {
        tags: ['procurement'], summary: 'Every OCDS 1.1.5 release: one per tender, cancellation, award, contract, variation and extension, and releases imported from other publishers',
        params: AuthorityParam,
        response: { 200: Type.Object({ ...PackageMeta, releases: Type.Array(Anything) }, { description: `${OCDS}release_package/` }), ...errorResponses },
      },
    }, async (req) => services.ocds.releasePackage(req.authority!, uriOf(req)));

    api.get('/api/v1/authorities/:authority/ocds/records', {
      config: { action: 'public.view' },
      schema: {
        tags: ['procurement'], summary: 'One OCDS record per contracting process: its releases in date order and the compiled release they merge into',
        params: AuthorityParam,
        response: { 200: Type.Object({ ...PackageMeta, records: Type.Array(Type.Object({ ocid: Type.String(), releases: Type.Array(Anything), compiledRelease: Anything })) }, { description: `${OCDS}record_package/` }), ...errorResponses },
      },
    }, async (req) => services.ocds.recordPackage(req.authority!, uriOf(req)));
  };
