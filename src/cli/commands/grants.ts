/** `coproduce grants …`: 360Giving files in and out. */
import path from 'node:path';
import { importFileFor, requireString, type CliCommand } from '../command.ts';
import { penceToPounds } from '../../lib/money.ts';
import { threeSixtyPackage } from '../../modules/grants/threesixty.ts';
import type { ImportReport } from '../../modules/grants/service.ts';

/** The --json shape: amounts awarded by currency, in pounds to the penny. */
const jsonOf = (r: ImportReport) => ({
  grants: r.grants,
  amountAwarded: { GBP: penceToPounds(r.amountAwarded.GBP ?? 0), ...Object.fromEntries(Object.entries(r.amountAwarded).filter(([c]) => c !== 'GBP').map(([c, p]) => [c, penceToPounds(p)])) },
  warnings: r.warnings,
  errors: r.errors,
});

export const commands: CliCommand[] = [
  {
    name: 'grants import',
    usage: 'grants import FILE --authority SLUG [--json]',
    summary: 'Take in a 360Giving JSON file whole, or report each grant and field that cannot be read and take nothing. The same file twice changes nothing.',
    options: { authority: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, values, positionals) {
      const input = await importFileFor(ctx, values, positionals);
      if (!input) return 1;
      const { file, authority, bytes } = input;
      const report = await ctx.services.grants.importFile(ctx.actor, authority.id, { fileName: path.basename(file), text: bytes.toString('utf8') });
      if (values.json) ctx.out(JSON.stringify(jsonOf(report)));
      else {
        ctx.out(report.errors.length ? `Nothing imported: ${report.errors.length} problems` : `Imported ${report.grants} grants (${report.added} new, ${report.updated} changed, ${report.unchanged} unchanged), £${(penceToPounds(report.amountAwarded.GBP ?? 0)).toLocaleString('en-GB', { minimumFractionDigits: 2 })} awarded`);
        for (const e of report.errors) ctx.out(`  ${file}: ${e}`);
        for (const w of report.warnings) ctx.out(`  warning: ${w}`);
      }
      return report.errors.length ? 1 : 0;
    },
  },
  {
    name: 'grants export',
    usage: 'grants export --authority SLUG',
    summary: 'Print every grant the authority holds as a 360Giving 1.4.3 JSON package.',
    options: { authority: { type: 'string' } },
    async run(ctx, values) {
      const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
      ctx.out(JSON.stringify(threeSixtyPackage(await ctx.services.grants.grants(authority.id)), null, 2));
      return 0;
    },
  },
];
