/**
 * Counting benchmark: `npm run bench:counting` (`-- --files=N` for the N largest, default 5;
 * `-- --match=text` for the files whose names contain it instead; `-- --rules=a,b` for some rules
 * only; `-- --repeat=N` for the fastest of N timings, default 1).
 *
 * Runs every applicable rule on the largest Pabulib files (by file_bytes in expected.json), checks
 * the winners against expected.json and prints seconds per file and rule beside pabutools 1.2.3's
 * timings_s (same 2-core machine class) and the speed-up. Timed apart, as pabutools' timings are:
 * parsing, building the merged profile (pabutools' as_multiprofile), and each rule on that profile;
 * a full `tally` costs the profile plus the rule.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { parsePb } from '../src/modules/budgets/counting/pb.ts';
import { buildProfile } from '../src/modules/budgets/counting/profile.ts';
import { RULES, tallyProfile, type RuleKey } from '../src/modules/budgets/counting/rules.ts';

const DATA = new URL('../../shared/data/pabulib/', import.meta.url);
const { values } = parseArgs({
  options: { files: { type: 'string', default: '5' }, match: { type: 'string' }, rules: { type: 'string' }, repeat: { type: 'string', default: '1' } },
});
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8'));
const details = expected._details as Record<string, { file_bytes: number; vote_type: string; timings_s: Record<string, number> }>;
const onlyRules = values.rules?.split(',');
const repeat = Math.max(1, Number(values.repeat));

const bySize = Object.entries(details).sort(([, a], [, b]) => b.file_bytes - a.file_bytes);
const largest = values.match ? bySize.filter(([file]) => file.includes(values.match!)) : bySize.slice(0, Number(values.files));

/** The fastest of `repeat` timings, in seconds, and the last result. */
function time<T>(work: () => T): { seconds: number; result: T } {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    result = work();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, result };
}

const fmt = (s: number) => s.toFixed(s < 0.1 ? 4 : 3);
const row = (file: string, step: string, ours: number, theirs: number | undefined, note = '') =>
  console.log(`| ${file} | ${step} | ${fmt(ours)} | ${theirs ?? '–'} | ${theirs === undefined ? '–' : `${(theirs / ours).toFixed(0)}×`} | ${note} |`);

const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${load}, ${new Date().toISOString()}`);
console.log('| file | step | ours (s) | pabutools (s) | speed-up | winners |');
console.log('|---|---|---:|---:|---:|---|');
for (const [file, info] of largest) {
  const parsed = time(() => parsePb(fs.readFileSync(new URL(file, DATA), 'utf8')));
  row(file, 'parse', parsed.seconds, info.timings_s.parse);
  const election = parsed.result;
  const built = time(() => buildProfile(election));
  row(file, 'profile', built.seconds, info.timings_s.as_multiprofile);
  for (const [rule, meta] of Object.entries(RULES)) {
    if (!meta.appliesTo.includes(election.voteType) || (onlyRules && !onlyRules.includes(rule))) continue;
    const { seconds, result } = time(() => tallyProfile(built.result, rule as RuleKey));
    const same = JSON.stringify(result.winners) === JSON.stringify(expected[file][rule]);
    row(file, rule, seconds, info.timings_s[rule], same ? 'as pabutools' : 'DIFFERENT');
  }
}
