/** `coproduce authorities …`: the councils this deployment hosts. */
import { requireString, type CliCommand } from '../command.ts';

export const commands: CliCommand[] = [
  {
    name: 'authorities create',
    usage: 'authorities create --slug SLUG --name NAME [--gss CODE]',
    summary: 'Add a council; with its ONS GSS code its wards come from the ONS index.',
    options: { slug: { type: 'string' }, name: { type: 'string' }, gss: { type: 'string' } },
    async run(ctx, values) {
      const authority = await ctx.services.places.createAuthority(ctx.actor, {
        slug: requireString(values, 'slug'),
        name: requireString(values, 'name'),
        gssCode: values.gss,
      });
      const wards = await ctx.services.places.listWards(authority.id);
      ctx.out(`Created ${authority.name} (${authority.slug}) with ${wards.length} wards.`);
      return 0;
    },
  },
  {
    name: 'authorities list',
    usage: 'authorities list [--json]',
    summary: 'List the councils, with their slugs and GSS codes.',
    options: { json: { type: 'boolean' } },
    async run(ctx, values) {
      const all = await ctx.services.places.listAuthorities();
      if (values.json) {
        ctx.out(JSON.stringify(all.map(({ slug, name, gssCode, isDemo }) => ({ slug, name, gssCode, isDemo })), null, 2));
        return 0;
      }
      if (all.length === 0) ctx.out('No authorities yet. Add one with: coproduce authorities create --slug SLUG --name NAME');
      for (const a of all) ctx.out(`${a.slug}\t${a.gssCode ?? '-'}\t${a.name}${a.isDemo ? ' (demo)' : ''}`);
      return 0;
    },
  },
];
