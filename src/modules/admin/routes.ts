/** Administrators' pages: the audit log, the outbox, and users with their roles and API tokens. */
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { pageFrom, paginationFor } from '../../lib/http/pagination.ts';
import { listAudit } from '../../lib/audit/audit.ts';
import { ROLES, ROLE_LABELS, isRole } from '../../lib/auth/policy.ts';
import { text } from '../../lib/errors.ts';
import { isCalendarDate, addDays } from '../../lib/dates.ts';

const roleChoices = ROLES.map((r) => [r, ROLE_LABELS[r]]);

/** Start of a London calendar day as an instant (so a date filter means the council's day). */
const londonMidnight = (date: string): Date => {
  const utc = new Date(`${date}T00:00:00Z`);
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' }).formatToParts(utc).find((p) => p.type === 'timeZoneName')?.value;
  return offset === 'GMT+1' ? new Date(utc.getTime() - 3600_000) : utc;
};

export const adminRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { accounts, outbox, database } = services;

    app.get<{ Querystring: Record<string, string> }>('/admin/audit', { config: { action: 'audit.view' } }, async (req, reply) => {
      const authorityId = req.principal.authorityId!;
      const page = pageFrom(req.query, 50);
      const from = isCalendarDate(text(req.query.from)) ? text(req.query.from) : '';
      const to = isCalendarDate(text(req.query.to)) ? text(req.query.to) : '';
      const { rows, total } = await listAudit(
        database.db,
        {
          authorityId,
          action: text(req.query.action) || undefined,
          entityType: text(req.query.entityType) || undefined,
          from: from ? londonMidnight(from) : undefined,
          to: to ? londonMidnight(addDays(to, 1)) : undefined,
        },
        page,
      );
      const people = new Map((await accounts.listUsers(authorityId)).map((u) => [u.id, u.displayName]));
      return reply.view('admin/views/audit.njk', {
        title: 'Audit log',
        rows: rows.map((r) => ({ ...r, actorName: r.actorUserId ? (people.get(r.actorUserId) ?? 'Unknown user') : 'The platform' })),
        total,
        query: { ...req.query, from, to },
        pagination: paginationFor('/admin/audit', req.query, page.page, total, 50),
      });
    });

    app.get<{ Querystring: Record<string, string> }>('/admin/outbox', { config: { action: 'outbox.view' } }, async (req, reply) => {
      const page = pageFrom(req.query);
      const { rows, total } = await outbox.list(database.db, req.principal.authorityId!, page);
      return reply.view('admin/views/outbox.njk', { title: 'Outbox', rows, total, mode: outbox.mode, pagination: paginationFor('/admin/outbox', req.query, page.page, total) });
    });

    const usersPage = async (authorityId: string) => ({ title: 'Users and roles', users: await accounts.listUsers(authorityId), roleChoices });

    app.get('/admin/users', { config: { action: 'users.manage' } }, async (req, reply) =>
      reply.view('admin/views/users.njk', { ...(await usersPage(req.principal.authorityId!)), values: {} }),
    );

    app.post<{ Body: Record<string, unknown> }>('/admin/users', { config: { action: 'users.manage' } }, async (req, reply) => {
      const authorityId = req.principal.authorityId!;
      const roles = (Array.isArray(req.body.roles) ? req.body.roles : [req.body.roles]).map(String).filter(isRole);
      return (
        (await handleForm(reply, { template: 'admin/views/users.njk', data: await usersPage(authorityId), values: req.body }, async () => {
          // No password: the new user chooses one through the reset link the outbox sends.
          const user = await accounts.createUser(actorOf(req), { authorityId, email: req.body.email, displayName: req.body.displayName, roles });
          await accounts.requestPasswordReset(user.email);
        })) ?? reply.redirect('/admin/users?created=1', 303)
      );
    });

    app.post<{ Body: Record<string, unknown> }>('/admin/tokens', { config: { action: 'users.manage' } }, async (req, reply) => {
      const authorityId = req.principal.authorityId!;
      let issued: { token: string } | undefined;
      const failed = await handleForm(reply, { template: 'admin/views/users.njk', data: await usersPage(authorityId), values: req.body }, async () => {
        issued = await accounts.createApiToken(actorOf(req), req.principal.userId!, req.body.tokenName);
      });
      // The secret is shown once, on this page, and never stored.
      return failed ?? reply.header('cache-control', 'no-store').view('admin/views/token.njk', { title: 'Your new API token', token: issued!.token });
    });
  };
