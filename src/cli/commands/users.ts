/** `coproduce users …`: accounts, starting with a council's first administrator. */
import { NotFoundError } from '../../lib/errors.ts';
import { isRole, ROLES } from '../../lib/auth/policy.ts';
import { requireString, UsageError, type CliCommand, type CliContext, type CliValues } from '../command.ts';

async function passwordFrom(ctx: CliContext, values: CliValues): Promise<string | undefined> {
  if (values['password-stdin']) return (await ctx.stdin()).replace(/\r?\n$/, '');
  return typeof values.password === 'string' ? values.password : undefined;
}

export const commands: CliCommand[] = [
  {
    name: 'users create',
    usage: 'users create --authority SLUG --role ROLE --email EMAIL --name NAME [--password-stdin | --password PASSWORD]',
    summary: 'Add an account. Without a password, a link to set one goes through the outbox.',
    options: {
      authority: { type: 'string' },
      role: { type: 'string', multiple: true },
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    async run(ctx, values) {
      const slug = requireString(values, 'authority');
      const roles = (values.role as string[] | undefined) ?? [];
      if (roles.length === 0) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
      const unknown = roles.find((r) => !isRole(r));
      if (unknown) throw new UsageError(`--role ${unknown} is not a role; choose from ${ROLES.join(', ')}`);
      const authority = await ctx.services.places.authorityBySlug(slug);
      if (!authority) throw new NotFoundError(`No authority called ${slug}. See: coproduce authorities list`);
      const password = await passwordFrom(ctx, values);
      const user = await ctx.services.accounts.createUser(ctx.actor, {
        authorityId: authority.id,
        email: requireString(values, 'email'),
        displayName: requireString(values, 'name'),
        roles: roles.filter(isRole),
        ...(password !== undefined ? { password } : {}),
      });
      ctx.out(`Created ${user.displayName} <${user.email}> as ${roles.join(', ')} of ${authority.name}.`);
      if (password === undefined) {
        await ctx.services.accounts.requestPasswordReset(user.email);
        ctx.out(
          ctx.services.outbox.mode === 'smtp'
            ? 'A link to set their password has been e-mailed to them.'
            : 'A link to set their password is in the local outbox (no SMTP_URL is set): an administrator can read it at /admin/outbox.',
        );
      }
      return 0;
    },
  },
  {
    name: 'users list',
    usage: 'users list --authority SLUG',
    summary: 'List the accounts of a council with their roles.',
    options: { authority: { type: 'string' } },
    async run(ctx, values) {
      const slug = requireString(values, 'authority');
      const authority = await ctx.services.places.authorityBySlug(slug);
      if (!authority) throw new NotFoundError(`No authority called ${slug}. See: coproduce authorities list`);
      for (const u of await ctx.services.accounts.listUsers(authority.id)) {
        ctx.out(`${u.email}\t${u.roles.join(',')}\t${u.displayName}${u.disabledAt ? ' (disabled)' : ''}`);
      }
      return 0;
    },
  },
];
