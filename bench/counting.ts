/**
 * Counting benchmark: `npm run bench:counting` (`-- --files=N` for the N largest, default 5;
 * `-- --rules=a,b` for some rules only).
 *
 * Runs every applicable rule on the largest Pabulib files (by file_bytes in expected.json), checks
 * the winners against expected.json and prints seconds per file and rule beside pabutools 1.2.3's
 * timings_s (same 2-core machine class) and the speed-up. Parsing is timed separately, as
 * pabutools' timings are too.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { parsePb } from '../src/modules/budgets/counting/pb.ts';
import { RULES, tally } from '../src/modules/budgets/counting/rules.ts';

const DATA = new URL('../../shared/data/pabulib/', import.meta.url);
const { values } = parseArgs({ options: { files: { type: 'string', default: '5' }, rules: { type: 'string' } } });
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8'));
const details = expected._details as Record<string, { file_bytes: number; vote_type: string; timings_s: Record<string, number> }>;
const onlyRules = values.rules?.split(',');

const largest = Object.entries(details)
  .sort(([, a], [, b]) => b.file_bytes - a.file_bytes)
  .slice(0, Number(values.files));

const seconds = (start: number) => (performance.now() - start) / 1000;
const fmt = (s: number) => s.toFixed(s < 0.1 ? 4 : 3);

console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`);
console.log('| file | rule | ours (s) | pabutools (s) | speed-up | winners |');
console.log('|---|---|---:|---:|---:|---|');
for (const [file, info] of largest) {
  let start = performance.now();
  const election = parsePb(fs.readFileSync(new URL(file, DATA), 'utf8'));
  const parse = seconds(start);
  console.log(`| ${file} | parse | ${fmt(parse)} | ${info.timings_s.parse} | ${(info.timings_s.parse! / parse).toFixed(0)}× | |`);
  for (const [rule, meta] of Object.entries(RULES)) {
    if (!meta.appliesTo.includes(election.voteType) || (onlyRules && !onlyRules.includes(rule))) continue;
    start = performance.now();
    const outcome = tally(election, rule);
    const ours = seconds(start);
    const theirs = info.timings_s[rule]!;
    const same = JSON.stringify(outcome.winners) === JSON.stringify(expected[file][rule]);
    console.log(`| ${file} | ${rule} | ${fmt(ours)} | ${theirs} | ${(theirs / ours).toFixed(0)}× | ${same ? 'as pabutools' : 'DIFFERENT'} |`);
  }
}
