import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floatMes, setupFloatMes } from './mes-float.ts';
import { runMes, setupMes, type MesSatisfaction } from './mes.ts';
import { parsePb } from './pb.ts';
import { buildProfile } from './profile.ts';
import { add, fromInt, rational } from '../../../lib/rational.ts';
import { tally } from './rules.ts';

const DATA = new URL('../../../../../shared/data/pabulib/', import.meta.url);
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8'));
const details = expected._details as Record<string, { ties: Record<string, { add1_iterations?: { mes_runs: number } }> }>;

describe('MES in doubles finds the exact purchases, or says it cannot', () => {
  // The runs that decide an add-one outcome: the first (plain MES) and the last two (the one
  // returned, and the one that stopped the count), on every real file with an MES rule.
  const cases = Object.entries(details).flatMap(([file, info]) =>
    Object.entries(info.ties)
      .filter(([rule]) => rule.endsWith('_add1'))
      .map(([rule, tie]) => ({ file, kind: (rule.startsWith('mes_cost') ? 'cost' : 'points') as MesSatisfaction, runs: tie.add1_iterations!.mes_runs })),
  );

  const undecided: string[] = [];

  it.each(cases)('$file ($kind)', ({ file, kind, runs }) => {
    const profile = buildProfile(parsePb(fs.readFileSync(new URL(file, DATA), 'utf8')));
    const setup = setupMes(profile, kind);
    const fast = setupFloatMes(setup)!;
    const start = rational(profile.budget, BigInt(profile.voterCount));
    for (const k of new Set([0, Math.max(runs - 2, 0), runs - 1])) {
      const share = add(start, fromInt(profile.moneyScale * BigInt(k)));
      const order = floatMes(fast, share);
      const exact = runMes(setup, share).purchases.map((p) => p.project);
      if (order) expect(order).toEqual(exact);
      else undecided.push(`${file} +${k}`);
    }
  }, 60_000);

  it('decides all those runs in doubles but one, where the budget buys the one project with nothing to spare', () => {
    // There every voter pays exactly all they have: a tie that only exact arithmetic can see.
    expect(undecided).toEqual(['Poland_Warszawa_2018_Pole_Mokotowskie.pb +0']);
  });

  it('starts a run with a larger share from an earlier run’s opening, and buys what the exact count buys', () => {
    const profile = buildProfile(parsePb(fs.readFileSync(new URL('Poland_Warszawa_2023_Mokotow.pb', DATA), 'utf8')));
    const setup = setupMes(profile, 'cost');
    const fast = setupFloatMes(setup)!;
    const start = rational(profile.budget, BigInt(profile.voterCount));
    // A smaller share after a larger one cannot reuse that opening: it is counted afresh.
    for (const k of [40, 0, 1, 2, 41]) {
      const share = add(start, fromInt(profile.moneyScale * BigInt(k)));
      expect(floatMes(fast, share)).toEqual(runMes(setup, share).purchases.map((p) => p.project));
    }
    expect(fast.opening!.rounds).toBeGreaterThan(1);
  }, 60_000);

  it('gives up on an exact tie between prices that involve poorer voters, and the exact count decides it', async () => {
    // z costs 4 and is bought first (6 supporters, 2/3 each); then x and y cost exactly the same
    // per unit: v1 (or v2) pays the 7/3 left and v3, v4 share the rest. x is the smaller id.
    const lines = ['META', 'key;value', 'budget;24', 'vote_type;approval', 'PROJECTS', 'project_id;cost', 'x;7.5', 'y;7.5', 'z;4', 'VOTES', 'voter_id;vote'];
    const votes = ['v1:x,z', 'v2:y,z', 'v3:x,y', 'v4:x,y', 'v5:z', 'v6:z', 'v7:z', 'v8:z'];
    const election = parsePb([...lines, ...votes.map((v) => v.replace(':', ';'))].join('\n'));
    const profile = buildProfile(election);
    const setup = setupMes(profile, 'cost');
    expect(floatMes(setupFloatMes(setup)!, rational(profile.budget, 8n))).toBeNull();
    expect((await tally(election, 'mes_cost')).winners).toEqual(['x', 'z']);
  });
});
