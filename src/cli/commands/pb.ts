/** `coproduce pb …`: count a Pabulib election file; pure, so it needs no database. */
import { readInputFile, UsageError, type CliCommand, type CliContext } from '../command.ts';
import { parsePb, PbFormatError } from '../../modules/budgets/counting/pb.ts';
import { toDecimalString } from '../../lib/rational.ts';
import { RuleNotApplicableError, tally, UnknownRuleError, type Outcome } from '../../modules/budgets/counting/rules.ts';

/** Exactly {"rule":…,"winners":[…],"cost":…}, the cost an exact JSON number. */
const outcomeJson = (o: Outcome) => `{"rule":${JSON.stringify(o.rule)},"winners":${JSON.stringify(o.winners)},"cost":${toDecimalString(o.cost)}}`;

function printTable(ctx: CliContext, o: Outcome, names: Map<string, string | null>) {
  ctx.out(`Rule: ${o.rule}`);
  ctx.out(`Winners: ${o.winners.length}, total cost ${toDecimalString(o.cost)}`);
  for (const id of o.winners) ctx.out(`  ${id}\t${names.get(id) ?? ''}`);
}

export const commands: CliCommand[] = [
  {
    name: 'pb tally',
    usage: 'pb tally FILE.pb --rule RULE [--json]',
    summary: 'Count a Pabulib election file under a rule (greedy_cost, mes_cost_add1_greedy, phragmen, …).',
    options: { rule: { type: 'string' }, json: { type: 'boolean' } },
    needsDatabase: false,
    async run(ctx, values, positionals) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('Name one .pb file to count');
      if (typeof values.rule !== 'string' || values.rule === '') throw new UsageError('--rule is required');
      const bytes = readInputFile(ctx, file);
      if (!bytes) return 2;
      const text = bytes.toString('utf8');
      try {
        const election = parsePb(text);
        const outcome = await tally(election, values.rule);
        if (values.json) ctx.out(outcomeJson(outcome));
        else printTable(ctx, outcome, new Map(election.projects.map((p) => [p.id, p.name])));
        return 0;
      } catch (err) {
        if (err instanceof PbFormatError) ctx.err(`${file}:${err.line}: ${err.message}`);
        else if (err instanceof UnknownRuleError || err instanceof RuleNotApplicableError) ctx.err(err.message);
        else throw err;
        return 2;
      }
    },
  },
];
