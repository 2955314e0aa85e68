/** Join the co-operative; officers see and manage members; open counts by ward. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import type { Config } from '../../config.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { pageFrom, paginationFor } from '../../lib/http/pagination.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { NotFoundError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { SESSION_COOKIE } from '../accounts/routes.ts';
import { MEMBERSHIP_STATUSES } from './rules.ts';

export const membershipRoutes =
  (services: Services, config: Config): FastifyPluginAsync =>
  async (app) => {
    const { membership } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    const joinView = async (userId: string | null, authorityId: string) => ({
      title: 'Join the co-operative',
      current: userId ? await membership.forUser(authorityId, userId) : null,
    });

    app.get('/a/:authority/join', { config: { action: 'membership.join' } }, async (req, reply) =>
      reply.view('membership/views/join.njk', { ...(await joinView(req.principal.userId, req.authority!.id)), values: {} }),
    );

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/join', { config: { action: 'membership.join', rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
      const authority = req.authority!;
      const { password: _omit, ...values } = req.body;
      let joinedUser: { id: string; authorityId: string } | undefined;
      const failed = await handleForm(reply, { template: 'membership/views/join.njk', data: await joinView(req.principal.userId, authority.id), values }, async () => {
        joinedUser = (await membership.join(actorOf(req), authority, req.principal.userId, { ...req.body, postcode: req.body.postcode, confirmResident: req.body.confirmResident })).user;
      });
      if (failed) return failed;
      if (!req.principal.userId) {
        // A new member is signed in straight away, as they just chose their password.
        const token = await services.accounts.openSession(joinedUser!, 'user.sign-in-after-joining');
        reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.env === 'production', maxAge: config.sessionHours * 3600 });
      }
      return reply.redirect(`/a/${authority.slug}/join/done`, 303);
    });

    app.get('/a/:authority/join/done', { config: { action: 'dashboard.view' } }, async (req, reply) => {
      const current = await membership.forUser(req.authority!.id, req.principal.userId!);
      return reply.view('membership/views/joined.njk', { title: 'You have joined', current });
    });

    app.get<{ Querystring: Record<string, string> }>('/a/:authority/members', { config: { action: 'membership.manage' } }, async (req, reply) => {
      const authority = req.authority!;
      const status = text(req.query.status);
      const page = pageFrom(req.query);
      const { rows, total } = await membership.list(authority.id, page, status in MEMBERSHIP_STATUSES ? status : undefined);
      return reply.view('membership/views/members.njk', {
        title: 'Co-operative members',
        rows,
        total,
        status,
        statuses: MEMBERSHIP_STATUSES,
        byWard: await membership.countsByWard(authority.id),
        pagination: paginationFor(`/a/${authority.slug}/members`, req.query, page.page, total),
      });
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/a/:authority/members/:id/end', { config: { action: 'membership.manage' } }, async (req, reply) => {
      if (!isUuid(req.params.id)) throw new NotFoundError('No such membership');
      const authority = req.authority!;
      const page = { limit: 25, offset: 0 };
      // endingId: the row whose form failed, so its field carries the error and the error summary can link to it.
      const listing = async () => ({ title: 'Co-operative members', ...(await membership.list(authority.id, page)), statuses: MEMBERSHIP_STATUSES, byWard: await membership.countsByWard(authority.id), endingId: req.params.id });
      return (
        (await handleForm(reply, { template: 'membership/views/members.njk', data: await listing(), values: req.body }, async () => {
          await membership.end(actorOf(req), authority.id, req.params.id, req.body.kind, req.body.reason);
        })) ?? reply.redirect(`/a/${authority.slug}/members`, 303)
      );
    });

    /** A member leaves of their own accord. */
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/membership/withdraw', { config: { action: 'membership.join' } }, async (req, reply) => {
      const authority = req.authority!;
      const current = req.principal.userId ? await membership.forUser(authority.id, req.principal.userId) : null;
      if (!current) throw new NotFoundError('You are not a member');
      return (
        (await handleForm(reply, { template: 'membership/views/join.njk', data: await joinView(req.principal.userId, authority.id), values: req.body }, async () => {
          await membership.end(actorOf(req), authority.id, current.id, 'withdrawn', req.body.reason);
        })) ?? reply.redirect('/dashboard', 303)
      );
    });

    api.get('/api/v1/authorities/:authority/membership', {
      config: { action: 'public.view' },
      schema: {
        tags: ['membership'],
        summary: 'How many active co-operative members there are, in total and per ward',
        params: AuthorityParam,
        response: {
          200: Type.Object({ activeMembers: Type.Integer(), byWard: Type.Array(Type.Object({ wardCode: Type.String(), wardName: Type.String(), members: Type.Integer() })) }),
          ...errorResponses,
        },
      },
    }, async (req) => ({ activeMembers: await membership.countActive(req.authority!.id), byWard: await membership.countsByWard(req.authority!.id) }));
  };
