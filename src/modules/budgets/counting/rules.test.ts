import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePb, type PbElection } from './pb.ts';
import { rational } from '../../../lib/rational.ts';
import { RULES, RuleNotApplicableError, tally, tallyAll, UnknownRuleError, type MesExplanation, type Outcome, type PhragmenExplanation, type GreedyExplanation, type RuleKey } from './rules.ts';

const DATA = new URL('../../../../../shared/data/pabulib/', import.meta.url);
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8')) as Record<string, Record<string, string[]>>;
type AddOneRuns = { mes_runs: number; budget_per_voter_returned: string };
const details = (expected as unknown as { _details: Record<string, { ties: Record<string, { add1_iterations?: AddOneRuns }> }> })._details;

/** A small election written as Pabulib text: `votes` are "voter:project,project" or, with points, "voter:project=points,…". */
function election(voteType: string, budget: string, projects: Record<string, number>, votes: string[]): PbElection {
  const withPoints = voteType === 'cumulative';
  const lines = ['META', 'key;value', `budget;${budget}`, `vote_type;${voteType}`, 'PROJECTS', 'project_id;cost'];
  for (const [id, cost] of Object.entries(projects)) lines.push(`${id};${cost}`);
  lines.push('VOTES', withPoints ? 'voter_id;vote;points' : 'voter_id;vote');
  for (const vote of votes) {
    const [voter, list = ''] = vote.split(':');
    const items = list ? list.split(',') : [];
    const ids = items.map((i) => i.split('=')[0]).join(',');
    lines.push(withPoints ? `${voter};${ids};${items.map((i) => i.split('=')[1]).join(',')}` : `${voter};${ids}`);
  }
  return parsePb(lines.join('\n'));
}

const winners = async (e: PbElection, rule: string) => (await tally(e, rule)).winners;

describe('every rule on the real Pabulib elections gives pabutools 1.2.3 winners', () => {
  const cases = Object.entries(expected)
    .filter(([file]) => file.endsWith('.pb'))
    .flatMap(([file, rules]) => Object.entries(rules).map(([rule, want]) => ({ file, rule, want })));
  const elections = new Map<string, PbElection>();
  const load = (file: string) => elections.get(file) ?? elections.set(file, parsePb(fs.readFileSync(new URL(file, DATA), 'utf8'))).get(file)!;
  // All of a file's rules at once: one profile, and one add-one count for *_add1 and *_add1_greedy.
  const outcomes = new Map<string, Promise<Map<RuleKey, Outcome>>>();
  const outcome = async (file: string, rule: string) => {
    if (!outcomes.has(file)) outcomes.set(file, tallyAll(load(file), Object.keys(expected[file]!)));
    return (await outcomes.get(file)!).get(rule as RuleKey)!;
  };

  it('covers every applicable rule of every file', async () => {
    for (const [file, rules] of Object.entries(expected).filter(([f]) => f.endsWith('.pb'))) {
      const applicable = Object.entries(RULES).filter(([, r]) => r.appliesTo.includes(load(file).voteType)).map(([k]) => k);
      expect(Object.keys(rules).sort()).toEqual(applicable.sort());
    }
  });

  it.each(cases)('$file $rule', async ({ file, rule, want }) => {
    expect((await outcome(file, rule)).winners).toEqual(want);
  }, 60_000);

  const addOne = Object.entries(details).flatMap(
    ([file, info]) => Object.entries(info.ties).flatMap(([rule, tie]) => (tie.add1_iterations ? [{ file, rule, ...tie.add1_iterations }] : [])),
  );

  it.each(addOne)('$file $rule runs MES as often as pabutools and returns the same starting share', async ({ file, rule, mes_runs, budget_per_voter_returned }) => {
    const steps = (await outcome(file, rule)).steps as MesExplanation;
    const [num, den = '1'] = budget_per_voter_returned.split('/');
    expect(steps.runs).toBe(mes_runs);
    expect(steps.budgetPerVoter).toEqual(rational(BigInt(num!), BigInt(den)));
  });

  it('tallyAll gives what tally gives, rule by rule', async () => {
    const file = 'Poland_Swiecie_2023.pb';
    for (const [rule, shared] of await tallyAll(load(file), Object.keys(expected[file]!))) expect(shared).toEqual(await tally(load(file), rule));
  });
});

describe('tie-breaking', () => {
  const tied = election('approval', '5', { '9': 5, '10': 5 }, ['a:9,10', 'b:9,10']);

  it.each(['greedy_cost', 'greedy_cardinality', 'mes_cost', 'mes_cost_add1_greedy', 'phragmen'])('%s takes the smaller id in code-point order: "10" before "9"', async (rule) => {
    expect(await winners(tied, rule)).toEqual(['10']);
  });

  it('sorts winners in code-point order too', async () => {
    const e = election('approval', '20', { '9': 5, '10': 5, '100': 5 }, ['a:9,10,100']);
    expect(await winners(e, 'greedy_cost')).toEqual(['10', '100', '9']);
  });
});

describe('greedy rules', () => {
  // a is most popular but dear; b does not fit after it; c still does.
  const e = election('approval', '10', { a: 8, b: 5, c: 2 }, ['v1:a', 'v2:a', 'v3:a', 'v4:b', 'v5:b', 'v6:c']);

  it('greedy_cost takes the most voted first and skips what no longer fits', async () => {
    const outcome = await tally(e, 'greedy_cost');
    expect(outcome.winners).toEqual(['a', 'c']);
    expect(outcome.cost).toEqual(rational(10n));
    const steps = outcome.steps as GreedyExplanation;
    expect(steps.order.map((s) => [s.project, s.taken, s.budgetLeft])).toEqual([
      ['a', true, rational(10n)],
      ['b', false, rational(2n)],
      ['c', true, rational(2n)],
    ]);
  });

  it('greedy_cardinality ranks by votes per unit of cost', async () => {
    // c: 1/2 per unit, a: 3/8, b: 2/5 → c, b, then a does not fit.
    expect(await winners(e, 'greedy_cardinality')).toEqual(['b', 'c']);
  });

  const points = election('cumulative', '10', { p: 10, q: 1, r: 2 }, ['v1:p=5,q=1', 'v2:p=4,r=2']);

  it('greedy_points takes the most points; greedy_cardinal the most points per unit of cost, ties to the smaller id', async () => {
    expect(await winners(points, 'greedy_points')).toEqual(['p']);
    expect(await winners(points, 'greedy_cardinal')).toEqual(['q', 'r']);
    expect(await winners(points, 'greedy_cost')).toEqual(['p']);
  });

  it('greedy_borda gives the last ranked 0 points', async () => {
    // Borda: a 2+2 = 4, b 1+1+0 = 2, c 0+0+1 = 1; listed by: a 2, b 3, c 3.
    const ranked = election('ordinal', '2', { a: 1, b: 1, c: 1 }, ['v1:a,b,c', 'v2:a,b,c', 'v3:c,b']);
    expect(await winners(ranked, 'greedy_borda')).toEqual(['a', 'b']);
    expect(await winners(ranked, 'greedy_cost')).toEqual(['b', 'c']);
  });
});

describe('Method of Equal Shares', () => {
  it('mes_cardinal: supporters pay in proportion to points; a project they can no longer afford is out', async () => {
    // 5 each. q and r cost 1 per point (tie, q first), p would cost 5/4 per point. After q and r,
    // p's supporters have 4 + 3 = 7 < 10.
    const e = election('cumulative', '10', { p: 10, q: 1, r: 2 }, ['v1:p=5,q=1', 'v2:p=4,r=2']);
    const outcome = await tally(e, 'mes_cardinal');
    expect(outcome.winners).toEqual(['q', 'r']);
    const steps = outcome.steps as MesExplanation;
    expect(steps.bought.map((b) => [b.project, b.round, b.share, b.sharePer])).toEqual([
      ['q', 1, rational(1n), 'point'],
      ['r', 2, rational(1n), 'point'],
    ]);
    expect(steps.notBought).toEqual([{ project: 'p', cost: rational(10n), supportersMoneyLeft: rational(7n) }]);
  });

  it('mes_cost: a supporter with less than an equal share pays all they have and the others share the rest', async () => {
    // 6 voters with 3 each. z (4 supporters, rho 1/4) is bought first, 1 each, leaving v1 with 2;
    // x (cost 7.5) would be 2.5 each, so v1 pays 2 and v2, v3 pay 2.75 each.
    const e = election('approval', '18', { x: 7.5, z: 4 }, ['v1:x,z', 'v2:x', 'v3:x', 'v4:z', 'v5:z', 'v6:z']);
    const steps = (await tally(e, 'mes_cost')).steps as MesExplanation;
    expect(steps.bought.map((b) => [b.project, b.rho, b.share, b.paid, b.payersWithAllTheyHad])).toEqual([
      ['z', rational(1n, 4n), rational(1n), rational(4n), 0],
      ['x', rational(11n, 30n), rational(11n, 4n), rational(15n, 2n), 1],
    ]);
  });

  // x needs both v1 and v2 (5 > 2 + 2); y is cheap.
  const topUp = election('approval', '6', { x: 5, y: 1 }, ['v1:x', 'v2:x', 'v3:y']);

  it('mes_cost leaves money unspent when shares are too small', async () => {
    expect(await winners(topUp, 'mes_cost')).toEqual(['y']);
  });

  it('mes_cost_add1 raises every share by 1 until the outcome uses the budget up', async () => {
    const outcome = await tally(topUp, 'mes_cost_add1');
    expect(outcome.winners).toEqual(['x', 'y']);
    const steps = outcome.steps as MesExplanation;
    expect(steps.runs).toBe(2);
    expect(steps.budgetPerVoter).toEqual(rational(3n));
  });

  // With shares of 8/3 MES would buy all three (15 > 10): the previous outcome (nothing) stands.
  const overspend = election('approval', '10', { a: 8, b: 5, c: 2 }, ['v1:a', 'v2:a', 'v3:a', 'v4:b', 'v5:b', 'v6:c']);

  it('mes_cost_add1 returns the previous outcome as soon as the next would overspend', async () => {
    const outcome = await tally(overspend, 'mes_cost_add1');
    expect(outcome.winners).toEqual([]);
    expect((outcome.steps as MesExplanation).runs).toBe(2);
    expect((outcome.steps as MesExplanation).notBought.map((n) => [n.project, n.supportersMoneyLeft])).toEqual([
      ['a', rational(5n)],
      ['b', rational(10n, 3n)],
      ['c', rational(5n, 3n)],
    ]);
  });

  it('mes_cost_add1_greedy completes an unfinished outcome by votes, and not a finished one', async () => {
    const completed = await tally(overspend, 'mes_cost_add1_greedy');
    expect(completed.winners).toEqual(['a', 'c']);
    expect((completed.steps as MesExplanation).completion?.order.map((s) => s.project)).toEqual(['a', 'b', 'c']);
    expect(((await tally(topUp, 'mes_cost_add1_greedy')).steps as MesExplanation).completion).toBeNull();
  });

  it('mes_cardinal_add1_greedy completes by points per unit of cost', async () => {
    const e = election('cumulative', '10', { p: 10, q: 1, r: 2 }, ['v1:p=5,q=1', 'v2:p=4,r=2']);
    expect(await winners(e, 'mes_cardinal_add1')).toEqual(['q', 'r']);
    expect(await winners(e, 'mes_cardinal_add1_greedy')).toEqual(['q', 'r']);
  });

  it('applies to ordinal ballots as approval of every ranked project', async () => {
    const ranked = election('ordinal', '6', { x: 5, y: 1 }, ['v1:x', 'v2:x', 'v3:y']);
    expect(await winners(ranked, 'mes_cost')).toEqual(['y']);
    expect(await winners(ranked, 'mes_cost_add1')).toEqual(['x', 'y']);
  });
});

describe('Phragmén', () => {
  it('buys the project with the smallest new load and stops, without skipping, at the first that does not fit', async () => {
    // Loads: c 2/1, b 5/2, a 8/3. c and b are bought (7 of 10); a is next but does not fit: stop.
    const e = election('approval', '10', { a: 8, b: 5, c: 2 }, ['v1:a', 'v2:a', 'v3:a', 'v4:b', 'v5:b', 'v6:c']);
    const outcome = await tally(e, 'phragmen');
    expect(outcome.winners).toEqual(['b', 'c']);
    const steps = outcome.steps as PhragmenExplanation;
    expect(steps.bought).toEqual([
      { project: 'c', round: 1, load: rational(2n) },
      { project: 'b', round: 2, load: rational(5n, 2n) },
    ]);
    expect(steps.stoppedBy).toEqual({ project: 'a', cost: rational(8n), load: rational(8n, 3n), budgetLeft: rational(3n) });
  });

  it('counts the load a supporter already carries', async () => {
    // x: load 1 on v1, v2. Then y costs (1 + 0 + 3) / 2 = 2 and z 2 / 1 = 2: a tie, y is the smaller id.
    const e = election('approval', '100', { x: 2, y: 3, z: 2 }, ['v1:x,y', 'v2:x', 'v3:y', 'v4:z']);
    const steps = (await tally(e, 'phragmen')).steps as PhragmenExplanation;
    expect(steps.bought.map((b) => [b.project, b.load])).toEqual([
      ['x', rational(1n)],
      ['y', rational(2n)],
      ['z', rational(2n)],
    ]);
    expect(steps.stoppedBy).toBeNull();
  });
});

describe('rule checks', () => {
  const ranked = election('ordinal', '6', { x: 5 }, ['v1:x']);

  it('refuses a rule that does not apply to the vote type', async () => {
    await expect(tally(ranked, 'phragmen')).rejects.toThrow(RuleNotApplicableError);
    await expect(tally(ranked, 'mes_cardinal')).rejects.toThrow(/does not apply to ordinal votes/);
  });

  it('refuses an unknown rule', async () => {
    await expect(tally(ranked, 'greedy')).rejects.toThrow(UnknownRuleError);
  });

  it('keeps decimal costs exact', async () => {
    const e = election('approval', '0.3', { a: 0.1, b: 0.2 }, ['v1:a,b']);
    expect((await tally(e, 'greedy_cost')).cost).toEqual(rational(3n, 10n));
  });
});
