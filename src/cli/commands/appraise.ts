/** `coproduce appraise …`: the cost-benefit appraisal of a business case; pure, so it needs no database. */
import { readInputFile, UsageError, type CliCommand, type CliContext } from '../command.ts';
import { ValidationError } from '../../lib/errors.ts';
import { formatPence, type Pence } from '../../lib/money.ts';
import { appraise, BENEFIT_KINDS, parseCase, type Appraisal, type Case } from '../../modules/place-budgets/appraisal.ts';
import { JsonSyntaxError, parseJsonText } from '../../modules/place-budgets/json-text.ts';

/** Pounds to the penny as a JSON number, always with two places: 1234.50, -0.07. */
function pounds(p: Pence): string {
  const abs = Math.abs(p);
  return `${p < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Exactly the documented shape: {"pvCosts","pvBenefits","npv","bcr","fiscalReturnPerPound","paybackYear","byKind","byAgency"}. */
function appraisalJson(a: Appraisal): string {
  const object = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  return object([
    ['pvCosts', pounds(a.pvCosts)],
    ['pvBenefits', pounds(a.pvBenefits)],
    ['npv', pounds(a.npv)],
    ['bcr', a.bcr.toFixed(2)],
    ['fiscalReturnPerPound', a.fiscalReturnPerPound.toFixed(2)],
    ['paybackYear', JSON.stringify(a.paybackYear)],
    ['byKind', object(BENEFIT_KINDS.map((k) => [k, pounds(a.byKind[k])]))],
    ['byAgency', object(Object.entries(a.byAgency).map(([name, x]) => [name, object([['pvCosts', pounds(x.pvCosts)], ['pvBenefits', pounds(x.pvBenefits)], ['net', pounds(x.net)]])]))],
  ]);
}

function printSummary(ctx: CliContext, c: Case, a: Appraisal) {
  const row = (label: string, value: string) => ctx.out(`${label.padEnd(28)}${value}`);
  ctx.out(c.name);
  ctx.out(`${c.years} years (0 to ${c.years - 1}), real terms in base-year prices, Green Book ${c.discounting.schedule} discount rates (${c.discounting.version})\n`);
  row('Present value of costs', formatPence(a.pvCosts));
  row('Present value of benefits', formatPence(a.pvBenefits));
  for (const kind of BENEFIT_KINDS) row(`  ${kind}`, formatPence(a.byKind[kind]) + (kind === 'fiscal' ? ` (cashable ${formatPence(a.pvCashable)})` : ''));
  row('Net present value', formatPence(a.npv));
  row('Benefit-cost ratio', a.bcr.toFixed(2));
  row('Fiscal return', `£${a.fiscalReturnPerPound.toFixed(2)} saved for every £1 spent`);
  row('Payback', a.paybackYear === null ? `not within the ${c.years} years` : `year ${a.paybackYear}`);
  ctx.out('\nWho invests, who saves (present values)');
  const cells = Object.entries(a.byAgency).map(([name, x]) => [name, formatPence(x.pvCosts), formatPence(x.pvBenefits), formatPence(x.net)]);
  const table = [['Agency', 'Costs', 'Benefits', 'Net'], ...cells];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) ctx.out(`  ${r[0]!.padEnd(widths[0]!)}  ${r.slice(1).map((v, i) => v.padStart(widths[i + 1]!)).join('  ')}`);
}

export const commands: CliCommand[] = [
  {
    name: 'appraise',
    usage: 'appraise CASE.json [--json]',
    summary: 'Appraise a business case on Green Book rates: present values, NPV, benefit-cost ratio, fiscal return per £1, payback, who invests and who saves.',
    options: { json: { type: 'boolean' } },
    needsDatabase: false,
    async run(ctx, values, positionals) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('Name one business case file (JSON) to appraise');
      const bytes = readInputFile(ctx, file);
      if (!bytes) return 2;
      const text = bytes.toString('utf8');
      try {
        const c = parseCase(parseJsonText(text));
        const a = appraise(c);
        if (values.json) ctx.out(appraisalJson(a));
        else printSummary(ctx, c, a);
        return 0;
      } catch (err) {
        // The fields are JSON paths in the file, not command-line options, so they are reported here.
        if (err instanceof JsonSyntaxError) ctx.err(`${file}:${err.line}:${err.column}: Not valid JSON: ${err.message}`);
        else if (err instanceof ValidationError) for (const [field, message] of Object.entries(err.fields)) ctx.err(`${file}: ${field}: ${message}`);
        else throw err;
        return 2;
      }
    },
  },
];
