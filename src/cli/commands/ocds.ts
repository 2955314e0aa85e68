/** `coproduce ocds …`: open contracting data files in and out. */
import path from 'node:path';
import { importFileFor, requireString, type CliCommand } from '../command.ts';
import { penceToPounds } from '../../lib/money.ts';
import type { OcdsImportReport } from '../../modules/procurement/ocds-service.ts';

/** The --json shape: award value by currency, in pounds (or the currency's unit) to the penny. */
const jsonOf = (r: OcdsImportReport) => ({
  releases: r.releases,
  tenders: r.tenders,
  awards: r.awards,
  contracts: r.contracts,
  awardValue: { GBP: penceToPounds(r.awardValue.GBP ?? 0), ...Object.fromEntries(Object.entries(r.awardValue).filter(([c]) => c !== 'GBP').map(([c, p]) => [c, penceToPounds(p)])) },
  warnings: r.warnings,
  errors: r.errors,
});

export const commands: CliCommand[] = [
  {
    name: 'ocds import',
    usage: 'ocds import FILE --authority SLUG [--json]',
    summary: 'Take in an OCDS release or record package whole, or report each release and field that cannot be read and take nothing. The same file twice changes nothing.',
    options: { authority: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, values, positionals) {
      const input = await importFileFor(ctx, values, positionals);
      if (!input) return 1;
      const { file, authority, bytes } = input;
      const report = await ctx.services.ocds.importFile(ctx.actor, authority.id, { fileName: path.basename(file), text: bytes.toString('utf8') });
      if (values.json) ctx.out(JSON.stringify(jsonOf(report)));
      else {
        ctx.out(report.errors.length
          ? `Nothing imported: ${report.errors.length} problems`
          : `Imported ${report.releases} releases (${report.added} new, ${report.updated} changed, ${report.unchanged} unchanged): ${report.tenders} tenders, ${report.awards} awards, ${report.contracts} contracts, £${penceToPounds(report.awardValue.GBP ?? 0).toLocaleString('en-GB', { minimumFractionDigits: 2 })} awarded`);
        for (const e of report.errors) ctx.out(`  ${file}: ${e}`);
        for (const w of report.warnings) ctx.out(`  warning: ${w}`);
      }
      return report.errors.length ? 1 : 0;
    },
  },
  {
    name: 'ocds export',
    usage: 'ocds export --authority SLUG',
    summary: 'Print every OCDS release the authority publishes or has imported, as a release package.',
    options: { authority: { type: 'string' } },
    async run(ctx, values) {
      const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
      const uri = new URL(`api/v1/authorities/${authority.slug}/ocds/releases`, ctx.config.baseUrl.endsWith('/') ? ctx.config.baseUrl : `${ctx.config.baseUrl}/`).href;
      ctx.out(JSON.stringify(await ctx.services.ocds.releasePackage(authority, uri), null, 2));
      return 0;
    },
  },
  {
    name: 'ocds prefix',
    usage: 'ocds prefix --authority SLUG --ocid-prefix PREFIX',
    summary: 'Set the ocid prefix the Open Contracting Partnership registered for the authority, like ocds-b5fd17.',
    options: { authority: { type: 'string' }, 'ocid-prefix': { type: 'string' } },
    async run(ctx, values) {
      const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
      const ocidPrefix = requireString(values, 'ocid-prefix');
      await ctx.services.ocds.setPrefix(ctx.actor, authority.id, { ocidPrefix });
      ctx.out(`${authority.name} publishes ocids beginning ${ocidPrefix}`);
      return 0;
    },
  },
];
