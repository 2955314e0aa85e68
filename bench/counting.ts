/**
 * Counting benchmark: `npm run bench:counting` (`-- --files=N` for the N largest, default 5;
 * `-- --match=text` for the files whose names contain it instead; `-- --rules=a,b` for some rules
 * only; `-- --repeat=N` for the median of N steady-state timings, default 5).
 *
 * Runs every applicable rule on the largest Pabulib files (by file_bytes in expected.json), checks
 * the winners against expected.json and prints seconds per file and rule beside pabutools 1.2.3's
 * timings_s (same 2-core machine class) and the speed-up. Timed apart, as pabutools' timings are:
 * parsing, building the merged profile (pabutools' as_multiprofile), and each rule on that profile;
 * a full `tally` costs the profile plus the rule.
 *
 * Each step is timed twice over: its first call in this process, and its steady state (the median
 * of `repeat` calls after at least 0.3 s or 200 calls of warm-up). The speed-up is judged on the
 * steady state, the cost of a count in the long-running server: a first call also pays V8's
 * one-off compilation of the counting code, which is milliseconds, and on elections that
 * pabutools counts in a few tens of milliseconds it dominates. The first call is printed beside
 * it so that cost stays in view.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { parsePb } from '../src/modules/budgets/counting/pb.ts';
import { buildProfile } from '../src/modules/budgets/counting/profile.ts';
import { RULES, tallyProfile, type RuleKey } from '../src/modules/budgets/counting/rules.ts';

const DATA = new URL('../../shared/data/pabulib/', import.meta.url);
const { values } = parseArgs({
  options: { files: { type: 'string', default: '5' }, match: { type: 'string' }, rules: { type: 'string' }, repeat: { type: 'string', default: '5' } },
});
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8'));
const details = expected._details as Record<string, { file_bytes: number; vote_type: string; timings_s: Record<string, number> }>;
const onlyRules = values.rules?.split(',');
const repeat = Math.max(1, Number(values.repeat));

const bySize = Object.entries(details).sort(([, a], [, b]) => b.file_bytes - a.file_bytes);
const largest = values.match ? bySize.filter(([file]) => file.includes(values.match!)) : bySize.slice(0, Number(values.files));

/** A rule's count is async (add-one MES may take a worker); parsing and the profile are not, and awaiting them costs a microtask. */
const seconds = async (work: () => unknown) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

/** The first call's time and the steady state's (median of `repeat` after warming up), in seconds, and the first result. */
async function time<T>(work: () => T | Promise<T>): Promise<{ first: number; steady: number; result: T }> {
  let result!: T;
  const first = await seconds(async () => (result = await work()));
  for (let spent = first, calls = 1; spent < 0.3 && calls < 200; calls++) spent += await seconds(work);
  const steady: number[] = [];
  for (let i = 0; i < repeat; i++) steady.push(await seconds(work));
  return { first, steady: steady.sort((a, b) => a - b)[Math.floor(repeat / 2)]!, result };
}

const fmt = (s: number) => (s >= 0.1 ? s.toFixed(3) : s.toPrecision(3));
const times = (theirs: number | undefined, ours: number) => (!theirs ? '–' : `${(theirs / ours).toFixed(0)}×`);
const row = (file: string, step: string, ours: { first: number; steady: number }, theirs: number | undefined, note = '') =>
  console.log(`| ${file} | ${step} | ${fmt(ours.steady)} | ${fmt(ours.first)} | ${theirs ?? '–'} | ${times(theirs, ours.steady)} | ${times(theirs, ours.first)} | ${note} |`);

const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${load}, ${new Date().toISOString()}`);
console.log('| file | step | ours, steady (s) | ours, first call (s) | pabutools (s) | speed-up, steady | speed-up, first call | winners |');
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const [file, info] of largest) {
  const parsed = await time(() => parsePb(fs.readFileSync(new URL(file, DATA), 'utf8')));
  row(file, 'parse', parsed, info.timings_s.parse);
  const election = parsed.result;
  const built = await time(() => buildProfile(election));
  row(file, 'profile', built, info.timings_s.as_multiprofile);
  for (const [rule, meta] of Object.entries(RULES)) {
    if (!meta.appliesTo.includes(election.voteType) || (onlyRules && !onlyRules.includes(rule))) continue;
    const timed = await time(() => tallyProfile(built.result, rule as RuleKey));
    const same = JSON.stringify(timed.result.winners) === JSON.stringify(expected[file][rule]);
    row(file, rule, timed, info.timings_s[rule], same ? 'as pabutools' : 'DIFFERENT');
  }
}
