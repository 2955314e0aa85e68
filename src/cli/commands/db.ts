/** `coproduce db …`: migrate, seed the demo borough, back up and restore. */
import path from 'node:path';
import { UsageError, type CliCommand } from '../command.ts';
import { backupTo, restoreFrom } from '../../lib/db/backup.ts';
import { DEMO_SLUG, seedDemo } from '../../seed/demo.ts';

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`Name one ${what} file`);
  return path.resolve(positionals[0]!);
}

export const commands: CliCommand[] = [
  {
    name: 'db migrate',
    usage: 'db migrate',
    summary: 'Bring the database schema up to date (every command also does this on first use).',
    async run(ctx) {
      ctx.out(`Database is up to date (${ctx.services.database.engine}, ${ctx.services.database.location}).`);
      return 0;
    },
  },
  {
    name: 'db seed',
    usage: 'db seed --demo [--scale N]',
    summary: 'Add the clearly labelled demo borough, with its demo accounts (never on a live council).',
    options: { demo: { type: 'boolean' }, scale: { type: 'string' } },
    async run(ctx, values) {
      if (!values.demo) throw new UsageError('Only the demo seed exists: pass --demo');
      const scale = values.scale === undefined ? 1 : Number(values.scale);
      if (!Number.isInteger(scale) || scale < 1 || scale > 100) throw new UsageError('--scale must be a whole number from 1 to 100');
      if (await ctx.services.places.authorityBySlug(DEMO_SLUG)) {
        ctx.err(`The demo borough (${DEMO_SLUG}) is already there; nothing to do.`);
        return 1;
      }
      await seedDemo(ctx.services, { scale });
      ctx.out(`Seeded the demo borough ${DEMO_SLUG} at scale ${scale}. Demo accounts are listed in the README.`);
      return 0;
    },
  },
  {
    name: 'db backup',
    usage: 'db backup FILE',
    summary: 'Write every row to FILE (JSON Lines), from one consistent snapshot.',
    async run(ctx, _values, positionals) {
      const file = onePath(positionals, 'backup');
      const header = await backupTo(ctx.services.database.db, file);
      const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
      ctx.out(`Backed up ${rows} rows from ${Object.keys(header.tables).length} tables to ${file}.`);
      return 0;
    },
  },
  {
    name: 'db restore',
    usage: 'db restore FILE',
    summary: 'Restore a backup into an empty database: every row or nothing.',
    async run(ctx, _values, positionals) {
      const file = onePath(positionals, 'backup');
      const header = await restoreFrom(ctx.services.database.db, file);
      const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
      ctx.out(`Restored ${rows} rows into ${Object.keys(header.tables).length} tables from ${file} (taken ${header.createdAt}).`);
      return 0;
    },
  },
];
