/** `coproduce catalogue …`: Open Referral UK import and export of the service catalogue. */
import fs from 'node:fs';
import { requireString, UsageError, type CliCommand, type CliContext } from '../command.ts';
import { parseOrukText } from '../../modules/catalogue/oruk.ts';
import { ValidationError } from '../../lib/errors.ts';
import { OrukImportRefusedError, type OrukReport } from '../../modules/catalogue/service.ts';

/** The report as lines a person reads: the figures, then one line per rejected record. */
function printReport(ctx: CliContext, report: OrukReport, imported: boolean) {
  ctx.out(`${imported ? 'Taken' : 'Can be taken'}: ${report.accepted} of ${report.total}`);
  ctx.out(`Rejected: ${report.rejected.length}`);
  ctx.out(`Organisations: ${report.organisationsCreated} new, ${report.organisationsMatched} already known; ward links: ${report.wardLinks}`);
  for (const r of report.rejected) ctx.out(`  #${r.index}\t${r.id ?? '(no id)'}\t${r.reason}`);
}

function readFeed(positionals: string[]): unknown {
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('Name one file to import');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseOrukText(text);
}

export const commands: CliCommand[] = [
  {
    name: 'catalogue import',
    usage: 'catalogue import FILE --authority SLUG [--accept-partial] [--json]',
    summary: 'Import an Open Referral UK feed; with rejected records nothing is written unless --accept-partial.',
    options: { authority: { type: 'string' }, 'accept-partial': { type: 'boolean' }, json: { type: 'boolean' } },
    async run(ctx, values, positionals) {
      const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
      const acceptPartial = values['accept-partial'] === true;
      let report: OrukReport;
      try {
        const feed = readFeed(positionals);
        report = await ctx.services.catalogue.importOruk(ctx.actor, authority, feed, { acceptPartial, source: `cli: ${positionals[0]}` });
      } catch (err) {
        // A file that is no feed at all is about the file, not an option: say so by its name.
        if (err instanceof ValidationError && err.fields.file) {
          ctx.err(`${positionals[0]}: ${err.fields.file}`);
          return 1;
        }
        if (!(err instanceof OrukImportRefusedError)) throw err;
        if (values.json) ctx.out(JSON.stringify({ imported: false, ...err.report }, null, 2));
        else printReport(ctx, err.report, false);
        ctx.err(err.report.accepted > 0 ? `${err.message} (--accept-partial).` : `${err.message}.`);
        return 1;
      }
      if (values.json) ctx.out(JSON.stringify({ imported: true, ...report }, null, 2));
      else printReport(ctx, report, true);
      return 0;
    },
  },
  {
    name: 'catalogue export',
    usage: 'catalogue export --authority SLUG [--out FILE]',
    summary: 'Write the catalogue as Open Referral UK 3.0 JSON, to a file or standard output.',
    options: { authority: { type: 'string' }, out: { type: 'string' } },
    async run(ctx, values) {
      const authority = await ctx.services.places.requireAuthority(requireString(values, 'authority'));
      const page = await ctx.services.catalogue.exportOruk(authority);
      const json = JSON.stringify(page, null, 2);
      if (typeof values.out === 'string' && values.out) {
        fs.writeFileSync(values.out, json + '\n');
        ctx.err(`Wrote ${page.total_items} services to ${values.out}`);
      } else {
        ctx.out(json);
      }
      return 0;
    },
  },
];
