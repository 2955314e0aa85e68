/** Sign in and out, password reset, and each role's dashboard. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import type { Config } from '../../config.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { text } from '../../lib/errors.ts';

export const SESSION_COOKIE = 'coproduce_session';

/** Only ever send people back to a page on this site. */
export const safeReturnTo = (value: unknown): string => {
  const v = text(value);
  return v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/dashboard';
};

export const accountsRoutes =
  (services: Services, config: Config): FastifyPluginAsync =>
  async (app) => {
    const { accounts } = services;
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.env === 'production', maxAge: config.sessionHours * 3600 };
    // Slows password guessing from one address; each attempt also costs an argon2 hash.
    const limited = { max: config.signInRateLimit, timeWindow: '1 minute' };

    app.get<{ Querystring: { returnTo?: string; reset?: string } }>('/sign-in', { config: { action: 'account.sign-in' } }, async (req, reply) =>
      reply.view('accounts/views/sign-in.njk', { title: 'Sign in', passwordWasReset: req.query.reset === 'done', values: { returnTo: safeReturnTo(req.query.returnTo) } }),
    );

    app.post<{ Body: Record<string, unknown> }>('/sign-in', { config: { action: 'account.sign-in', rateLimit: limited } }, async (req, reply) => {
      const values = { email: text(req.body.email), returnTo: safeReturnTo(req.body.returnTo) };
      return (
        (await handleForm(reply, { template: 'accounts/views/sign-in.njk', data: { title: 'Sign in' }, values }, async () => {
          const { token } = await accounts.signIn(req.body.email, req.body.password);
          reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        })) ?? reply.redirect(values.returnTo, 303)
      );
    });

    app.post('/sign-out', { config: { action: 'account.view' } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await accounts.signOut(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/signed-out', 303);
    });

    app.get('/signed-out', { config: { action: 'account.sign-in' } }, async (_req, reply) => reply.view('accounts/views/signed-out.njk', { title: 'You have signed out' }));

    app.get('/forgot-password', { config: { action: 'account.sign-in' } }, async (_req, reply) =>
      reply.view('accounts/views/forgot-password.njk', { title: 'Reset your password', values: {} }),
    );

    app.post<{ Body: Record<string, unknown> }>('/forgot-password', { config: { action: 'account.sign-in', rateLimit: limited } }, async (req, reply) => {
      const values = { email: text(req.body.email) };
      return (
        (await handleForm(reply, { template: 'accounts/views/forgot-password.njk', data: { title: 'Reset your password' }, values }, () =>
          accounts.requestPasswordReset(req.body.email),
        )) ?? reply.view('accounts/views/reset-sent.njk', { title: 'Check your email', email: values.email })
      );
    });

    const resetPage = (reply: FastifyReply, token: string) => reply.view('accounts/views/reset-password.njk', { title: 'Choose a new password', token, values: {} });

    app.get<{ Params: { token: string } }>('/reset-password/:token', { config: { action: 'account.sign-in' } }, async (req, reply) => {
      if (!(await accounts.resetTokenIsValid(req.params.token))) {
        return reply.code(410).view('accounts/views/reset-expired.njk', { title: 'This link has expired' });
      }
      return resetPage(reply, req.params.token);
    });

    app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
      '/reset-password/:token',
      { config: { action: 'account.sign-in', rateLimit: limited } },
      async (req, reply) =>
        (await handleForm(
          reply,
          { template: 'accounts/views/reset-password.njk', data: { title: 'Choose a new password', token: req.params.token }, values: {} },
          () => accounts.resetPassword(req.params.token, req.body.password, req.body.confirmPassword),
        )) ?? reply.redirect('/sign-in?reset=done', 303),
    );

    app.get('/dashboard', { config: { action: 'dashboard.view' } }, async (req, reply) => {
      const p = req.principal;
      const [home, membership, myOrganisations] = await Promise.all([
        services.places.authorityById(p.authorityId!),
        services.membership.forUser(p.authorityId!, p.userId!),
        services.organisationPeople.forUser(p.authorityId!, p.userId!),
      ]);
      return reply.view('accounts/views/dashboard.njk', { title: 'Your dashboard', home, membership, myOrganisations, roles: p.roles });
    });
  };
