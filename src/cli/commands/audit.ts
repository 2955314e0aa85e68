/** `coproduce audit verify`: prove the audit log has not been rewritten. */
import { verifyAudit } from '../../lib/audit/audit.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { CliCommand } from '../command.ts';

export const commands: CliCommand[] = [
  {
    name: 'audit verify',
    usage: 'audit verify [--authority SLUG] [--json]',
    summary: 'Walk every hash chain; report the first tampered or missing entry (exit 1 when found).',
    options: { authority: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, values) {
      let authorityId: string | undefined;
      if (typeof values.authority === 'string') {
        const authority = await ctx.services.places.authorityBySlug(values.authority);
        if (!authority) throw new NotFoundError(`No authority called ${values.authority}. See: coproduce authorities list`);
        authorityId = authority.id;
      }
      const result = await verifyAudit(ctx.services.database.db, authorityId ? { authorityId } : {});
      if (values.json) ctx.out(JSON.stringify(result, null, 2));
      else if (result.ok) ctx.out(`Audit log intact: ${result.entriesChecked} entries in ${result.chainsChecked} chains checked.`);
      else ctx.out(`AUDIT LOG PROBLEM (${result.problem!.kind}): ${result.problem!.message}. ${result.entriesChecked} entries before it are intact.`);
      return result.ok ? 0 : 1;
    },
  },
];
