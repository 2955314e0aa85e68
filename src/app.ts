/**
 * The web application: one checklist of concerns, then each module's routes.
 * Every request passes the same gate (principal → authority → policy → CSRF)
 * before its handler runs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import swagger from '@fastify/swagger';
import nunjucks from 'nunjucks';
import type { RouteEntry } from './lib/http/types.ts';
import type { Config } from './config.ts';
import type { Services } from './services.ts';
import { ANONYMOUS, can, isAction, ROLE_LABELS, type Action, type Principal } from './lib/auth/policy.ts';
import { configureNunjucks, templatePaths } from './lib/http/views.ts';
import { REDACT, requestSerializer } from './lib/http/log.ts';
import { ConflictError, NotFoundError, ValidationError } from './lib/errors.ts';
import { errorList } from './lib/http/forms.ts';
import { PageCache } from './lib/http/page-cache.ts';
import { placesRoutes } from './modules/places/routes.ts';
import { accountsRoutes } from './modules/accounts/routes.ts';
import { organisationsRoutes } from './modules/organisations/routes.ts';
import { membershipRoutes } from './modules/membership/routes.ts';
import { catalogueRoutes } from './modules/catalogue/routes.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { budgetsRoutes } from './modules/budgets/routes.ts';
import { transparencyRoutes } from './modules/transparency/routes.ts';
import { grantsRoutes } from './modules/grants/routes.ts';
import { rightToChallengeRoutes } from './modules/right-to-challenge/routes.ts';
import { outcomesRoutes } from './modules/outcomes/routes.ts';
import { commissioningRoutes } from './modules/commissioning/routes.ts';
import { paymentByResultsRoutes } from './modules/payment-by-results/routes.ts';
import { placeBudgetsRoutes } from './modules/place-budgets/routes.ts';
import { procurementRoutes } from './modules/procurement/routes.ts';
import { ocdsRoutes } from './modules/procurement/ocds-routes.ts';
import { SESSION_COOKIE } from './modules/accounts/routes.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

export const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith('/api/');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AppOptions {
  /** Where the request log goes (stdout unless given): tests read it to prove no secret is logged. */
  logStream?: { write(line: string): void };
}

export async function buildApp(config: Config, services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: REDACT, serializers: { req: requestSerializer }, ...(options.logStream ? { stream: options.logStream } : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.env === 'production',
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every route and the action it performs: the policy matrix test walks this.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  // A route that names no policy action would escape authorisation: refuse to start.
  app.addHook('onRoute', (route) => {
    const action = (route.config as { action?: unknown } | undefined)?.action;
    if (route.url.startsWith('/assets/')) {
      route.config = { ...route.config, action: 'public.view' };
    } else if (!isAction(action)) {
      throw new Error(`Route ${route.method} ${route.url} names no policy action`);
    } else {
      for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, action });
    }
  });

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        'upgrade-insecure-requests': config.env === 'production' ? [] : null,
        // Nonces are added to these by helmet; 'self' lets our own stylesheet and modules load.
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
      },
    },
    // Pages link to each other and to open data; keep referrers to our own origin.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(formbody);
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
  await app.register(cookie, { secret: config.cookieSecret });
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.env === 'production' },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Coproduce API', version: '1.0.0', description: 'Authorities, wards, organisations, co-operative membership and the service catalogue.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from an administrator (cpt_…)' } } },
    },
    // Only the JSON API, whose routes are all tagged: the HTML pages and their form posts are not API operations.
    hideUntagged: true,
  });

  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets'),
    prefix: '/assets/',
    maxAge: config.env === 'production' ? '1d' : 0,
  });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/assets/js/',
    decorateReply: false,
    allowedPath: (p) => p === '/govuk-frontend.min.js',
  });
  await app.register(fastifyStatic, { root: path.join(root, 'public/build'), prefix: '/assets/css/', decorateReply: false });

  await app.register(view, {
    engine: { nunjucks },
    templates: templatePaths,
    production: config.env !== 'development',
    options: { onConfigure: configureNunjucks },
    defaultContext: { roleLabels: ROLE_LABELS },
  });

  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('authority', null);
  app.decorateRequest('authorityChangeSeq', null);

  const pageCache = config.pageCacheSeconds > 0 ? new PageCache({ maxEntries: 2000, maxChars: 64 * 1024 * 1024, ttlMs: config.pageCacheSeconds * 1000 }) : null;
  /** The key a signed-out visitor's page is kept under, or null when this response must be rendered afresh. */
  const pageKey = (request: FastifyRequest): string | null =>
    pageCache && request.method === 'GET' && request.routeOptions.config?.publicPage && request.principal?.userId === null && request.authority
      ? `${request.authority.id}:${request.authorityChangeSeq}:${request.url}`
      : null;

  // preValidation: after the body is parsed (CSRF needs it) but before schemas validate it, so a caller
  // who may not act learns nothing from validation errors.
  app.addHook('preValidation', async (request, reply) => {
    request.principal = await principalOf(request, reply, services);
    // Set before anything can refuse the request, so error and forbidden pages render the full layout.
    reply.locals = {
      principal: request.principal,
      authority: null,
      currentPath: request.url.split('?')[0],
      cspNonce: reply.cspNonce.script,
      // Generated only when a page has a form, so plain pages set no cookie.
      csrfToken: () => reply.generateCsrf(),
    };
    const slug = (request.params as { authority?: unknown } | undefined)?.authority;
    if (typeof slug === 'string') {
      const found = await services.places.authorityWithChangeSeq(slug);
      if (!found) throw new NotFoundError(`No authority called ${slug}`);
      request.authority = found.authority;
      request.authorityChangeSeq = found.changeSeq;
      reply.locals!.authority = request.authority;
    }
    // The not-found handler is no route and names no action: anyone may be told a page does not exist.
    const action = request.is404 ? 'public.view' : request.routeOptions.config.action!;
    const target = { authorityId: request.authority?.id ?? request.principal.authorityId };
    // Pages ask the same policy what to offer (an edit link, a form), never a role list of their own.
    reply.locals!.can = (other: Action) => can(request.principal, other, target);
    if (!can(request.principal, action, target)) return deny(request, reply);
    if (!SAFE_METHODS.has(request.method) && !isApiRequest(request)) {
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve()));
      });
      if (reply.sent) return reply;
    }
    const key = pageKey(request);
    const kept = key ? pageCache!.get(key, reply.cspNonce.script) : undefined;
    if (kept !== undefined) return reply.type('text/html; charset=utf-8').header('x-page-cache', 'hit').send(kept);
  });

  // Keep a freshly rendered public page, unless it set a cookie (a CSRF secret for a form, say): that one is the visitor's own.
  app.addHook('onSend', async (request, reply, payload) => {
    const key = reply.statusCode === 200 && typeof payload === 'string' && !reply.hasHeader('set-cookie') && reply.getHeader('x-page-cache') === undefined ? pageKey(request) : null;
    if (key) {
      pageCache!.set(key, payload as string, reply.cspNonce.script);
      reply.header('x-page-cache', 'miss');
    }
    return payload;
  });

  app.setErrorHandler((err, request, reply) => errorResponse(err, request, reply));
  app.setNotFoundHandler({ preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }) }, (request, reply) =>
    errorResponse(new NotFoundError('Page not found'), request, reply),
  );

  app.get('/health', { config: { action: 'public.view' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await services.database.ping();
      return { status: 'ok', database: services.database.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: services.database.engine });
    }
  });
  app.get('/api/openapi.json', { config: { action: 'public.view' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(placesRoutes(services));
  await app.register(accountsRoutes(services, config));
  await app.register(organisationsRoutes(services));
  await app.register(membershipRoutes(services, config));
  await app.register(catalogueRoutes(services));
  await app.register(budgetsRoutes(services));
  await app.register(transparencyRoutes(services));
  await app.register(grantsRoutes(services));
  await app.register(rightToChallengeRoutes(services));
  await app.register(outcomesRoutes(services));
  await app.register(commissioningRoutes(services));
  await app.register(paymentByResultsRoutes(services));
  await app.register(placeBudgetsRoutes(services));
  await app.register(procurementRoutes(services));
  await app.register(ocdsRoutes(services));
  await app.register(adminRoutes(services));
  return app;
}

async function principalOf(request: FastifyRequest, reply: FastifyReply, services: Services): Promise<Principal> {
  if (isApiRequest(request)) {
    const header = request.headers.authorization;
    if (!header) return ANONYMOUS;
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const principal = token ? await services.accounts.principalForApiToken(token) : null;
    if (!principal) {
      reply.code(401);
      throw Object.assign(new Error('The API token is missing, revoked or not valid'), { statusCode: 401, code: 'unauthorised' });
    }
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return ANONYMOUS;
  return (await services.accounts.principalForSession(token)) ?? ANONYMOUS;
}

function deny(request: FastifyRequest, reply: FastifyReply) {
  const signedIn = request.principal.userId !== null;
  if (isApiRequest(request)) {
    return reply.code(signedIn ? 403 : 401).send({
      error: signedIn
        ? { code: 'forbidden', message: 'Your role does not allow this', fields: {} }
        : { code: 'unauthorised', message: 'This needs an API token (Authorization: Bearer …)', fields: {} },
    });
  }
  if (!signedIn && request.method === 'GET') {
    return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`, 303);
  }
  return reply.code(signedIn ? 403 : 401).view('errors/forbidden.njk', { signedIn });
}

interface HttpishError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[];
  validationContext?: string;
}

/** One error policy for pages and the API: clear 4xx messages, and no detail of a 500 leaves the server. */
function errorResponse(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const err = error as HttpishError;
  let status = 500;
  let code = 'internal';
  let message = 'Sorry, there is a problem with the service';
  let fields: Record<string, string> = {};
  if (error instanceof ValidationError) [status, code, message, fields] = [400, 'validation', error.message, error.fields];
  else if (error instanceof ConflictError) [status, code, message, fields] = [409, 'conflict', error.message, error.fields];
  else if (error instanceof NotFoundError) [status, code, message] = [404, 'not_found', error.message];
  else if (err.validation) {
    status = 400;
    code = 'validation';
    message = 'The request is not valid';
    for (const v of err.validation) {
      const field = (v.instancePath?.replace(/^\//, '').replace(/\//g, '.') || String(v.params?.missingProperty ?? err.validationContext ?? 'request')) as string;
      fields[field] ??= v.message ?? 'is not valid';
    }
  } else if (err.code?.startsWith('FST_CSRF')) [status, code, message] = [403, 'csrf', 'This form has expired. Go back, refresh the page and try again.'];
  else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) [status, code, message] = [err.statusCode, err.code ?? 'bad_request', err.message];

  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status, code }, 'request refused');

  reply.code(status);
  if (isApiRequest(request)) return reply.send({ error: { code, message, fields } });
  const template = status === 404 ? 'errors/not-found.njk' : status >= 500 ? 'errors/server-error.njk' : 'errors/problem.njk';
  return reply.view(template, {
    status,
    message,
    errorList: errorList(fields),
    principal: request.principal ?? ANONYMOUS,
    cspNonce: reply.cspNonce?.script,
    csrfToken: () => reply.generateCsrf(),
  });
}
