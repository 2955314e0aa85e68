/** `coproduce spend …`: taking in Transparency Code files (spend over £500, card, grants, land). */
import path from 'node:path';
import { importFileFor, UsageError, type CliCommand } from '../command.ts';
import { ValidationError } from '../../lib/errors.ts';
import { DATASETS, type Dataset } from '../../modules/transparency/fields.ts';
import type { ImportReport } from '../../modules/transparency/service.ts';

/** The --json shape: total in pounds to the penny, credits negative. */
const jsonOf = (r: ImportReport) => ({
  rows: r.rows,
  rejected: r.rejected,
  credits: r.credits,
  total: { GBP: r.totalPence / 100 },
  from: r.from,
  to: r.to,
  warnings: r.warnings,
  errors: r.errors,
});

/**
 * A bar on the terminal as rows are written. Elsewhere (a log file, a pipe) nothing, unless
 * --progress asks for plain lines instead.
 */
function progressReporter(force: boolean): ((written: number, total: number) => void) | undefined {
  const count = (n: number) => n.toLocaleString('en-GB');
  if (process.stderr.isTTY) {
    return (written, total) => {
      const width = 30;
      const filled = Math.round((written / Math.max(1, total)) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${count(written)} of ${count(total)} rows${written === total ? '\n' : ''}`);
    };
  }
  return force ? (written, total) => process.stderr.write(`written ${count(written)} of ${count(total)} rows\n`) : undefined;
}

export const commands: CliCommand[] = [
  {
    name: 'spend import',
    usage: 'spend import FILE --authority SLUG [--publisher NAME] [--dataset spend-over-500|procurement-card|grants-vcse|land-assets] [--json] [--progress]',
    summary: 'Take in a Transparency Code file whole; every row not taken is reported with its line. The same file twice changes nothing.',
    options: { authority: { type: 'string' }, publisher: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' }, progress: { type: 'boolean' } },
    async run(ctx, values, positionals) {
      const dataset = typeof values.dataset === 'string' ? values.dataset : undefined;
      if (dataset !== undefined && !DATASETS.includes(dataset as Dataset)) throw new UsageError(`--dataset must be one of ${DATASETS.join(', ')}`);
      const input = await importFileFor(ctx, values, positionals);
      if (!input) return 1;
      const { file, authority, bytes } = input;
      const progress = progressReporter(values.progress === true);
      let report: ImportReport;
      try {
        report = await ctx.services.transparency.importFile(ctx.actor, authority.id, authority.name, {
          fileName: path.basename(file),
          bytes,
          ...(typeof values.publisher === 'string' ? { publisher: values.publisher } : {}),
          ...(dataset ? { dataset: dataset as Dataset } : {}),
          onProgress: progress,
          // The checks can take as long again on a big file: say why the command has not finished.
          ...(progress ? { onImported: () => process.stderr.write('rows saved; running the counter-fraud checks\n') } : {}),
        });
      } catch (err) {
        // A file that cannot be understood at all is refused whole, with the reason, and nothing is written.
        if (!(err instanceof ValidationError)) throw err;
        ctx.err(`${file}: ${Object.values(err.fields).join(' ') || err.message}`);
        return 1;
      }
      if (values.json) {
        ctx.out(JSON.stringify(jsonOf(report)));
        return 0;
      }
      ctx.out(`${report.alreadyImported ? 'Already imported (nothing changed)' : 'Imported'}: ${report.rows} rows of ${report.dataset}, ${report.credits} credits, net £${(report.totalPence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}${report.from ? `, ${report.from} to ${report.to}` : ''}`);
      ctx.out(`Not taken: ${report.rejected}`);
      for (const e of report.errors) ctx.out(`  line ${e.line}: ${e.reason}`);
      for (const w of report.warnings) ctx.out(`  warning: ${w}`);
      return 0;
    },
  },
];
