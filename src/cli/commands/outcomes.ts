/** `coproduce outcomes …`: taking in indicators' figures from a measurements file. */
import path from 'node:path';
import { importFileFor, type CliCommand } from '../command.ts';
import { MeasurementsRefusedError } from '../../modules/outcomes/service.ts';

export const commands: CliCommand[] = [
  {
    name: 'outcomes import',
    usage: 'outcomes import FILE --authority SLUG [--json]',
    summary: 'Take in a measurements CSV (indicator,ward,date,value) whole or not at all; each line not taken is printed as FILE:LINE: reason.',
    options: { authority: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, values, positionals) {
      const input = await importFileFor(ctx, values, positionals);
      if (!input) return 1;
      const { file, authority, bytes } = input;
      try {
        const done = await ctx.services.outcomes.importMeasurements(ctx.actor, authority.id, { fileName: path.basename(file), bytes });
        ctx.out(values.json ? JSON.stringify(done) : `Took ${done.rows} figures, ${done.replaced} of them replacing figures already held`);
        return 0;
      } catch (err) {
        if (!(err instanceof MeasurementsRefusedError)) throw err;
        for (const l of err.lines) ctx.err(`${file}:${l.line}: ${l.reason}`);
        ctx.err('Nothing was imported.');
        return 1;
      }
    },
  },
];
