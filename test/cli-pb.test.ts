/**
 * `coproduce pb tally` through the real bin, one file per vote type, against pabutools' outcomes
 * in expected.json. The data directory is named COPRODUCE_DATA_DIR and never created: the command
 * must not open the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_DATABASE_DIR, runPureCommand } from './helpers.ts';

const DATA = fileURLToPath(new URL('../../shared/data/pabulib/', import.meta.url));
const expected = JSON.parse(fs.readFileSync(path.join(DATA, 'expected.json'), 'utf8')) as Record<string, Record<string, string[]>>;

const coproduce = runPureCommand;

const totalCost = (file: string, winners: string[]) => {
  const text = fs.readFileSync(path.join(DATA, file), 'utf8');
  const projects = text.split(/PROJECTS\r?\n/)[1]!.split(/VOTES/)[0]!.split(/\r?\n/).slice(1);
  const costs = new Map(projects.filter(Boolean).map((line) => [line.split(';')[0]!, Number(line.split(';')[1])]));
  return winners.reduce((sum, id) => sum + costs.get(id)!, 0);
};

describe('coproduce pb tally', () => {
  it.each([
    ['Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb', 'mes_cost_add1_greedy'],
    ['Poland_Zabrze_2020_Centrum_Poludnie.pb', 'phragmen'],
    ['Switzerland_Zurich_D5.pb', 'mes_cardinal_add1_greedy'],
    ['US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb', 'greedy_borda'],
    ['Poland_Krakow_2025_Podgorze.pb', 'greedy_cost'],
  ])('prints the outcome of %s under %s as JSON, as pabutools has it', (file, rule) => {
    const { code, out } = coproduce('pb', 'tally', path.join(DATA, file), '--rule', rule, '--json');
    expect(code).toBe(0);
    const want = expected[file]![rule]!;
    expect(out.trim()).toBe(JSON.stringify({ rule, winners: want, cost: totalCost(file, want) }));
  }, 60_000);

  it('prints a readable table without --json', () => {
    const { code, out } = coproduce('pb', 'tally', path.join(DATA, 'Netherlands_Assen_2024.pb'), '--rule', 'greedy_cost');
    expect(code).toBe(0);
    expect(out).toMatch(/^Rule: greedy_cost\nWinners: \d+, total cost \d+/);
    expect(fs.existsSync(NO_DATABASE_DIR)).toBe(false);
  }, 60_000);

  it('refuses an unknown rule and a rule for another vote type with exit code 2', () => {
    const file = path.join(DATA, 'US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb');
    const unknown = coproduce('pb', 'tally', file, '--rule', 'greedy');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown rule "greedy"/);
    const wrongType = coproduce('pb', 'tally', file, '--rule', 'phragmen');
    expect(wrongType.code).toBe(2);
    expect(wrongType.err).toMatch(/does not apply to ordinal votes/);
  }, 60_000);

  it('names the file and line of a malformed file, exit code 2', () => {
    const file = path.join(os.tmpdir(), `coproduce-bad-${process.pid}.pb`);
    fs.writeFileSync(file, 'META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;ten\nVOTES\nvoter_id;vote\n');
    try {
      const { code, err } = coproduce('pb', 'tally', file, '--rule', 'greedy_cost');
      expect(code).toBe(2);
      expect(err.trim()).toBe(`${file}:7: The cost of project 1 "ten" is not a number`);
    } finally {
      fs.rmSync(file);
    }
  }, 60_000);
});
