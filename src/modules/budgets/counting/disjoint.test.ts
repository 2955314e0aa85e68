import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDisjoint } from './mes-disjoint.ts';
import { mes, MesCounter, runMes, setupMes, type MesRun, type MesSatisfaction, type MesSetup } from './mes.ts';
import { countAddOne, mesAddOne } from './mes-add-one.ts';
import { parsePb } from './pb.ts';
import { phragmen } from './phragmen.ts';
import { buildProfile, type Profile } from './profile.ts';
import { rational } from '../../../lib/rational.ts';

const DATA = new URL('../../../../../shared/data/pabulib/', import.meta.url);
const expected = JSON.parse(fs.readFileSync(new URL('expected.json', DATA), 'utf8'));
const files = Object.keys(expected).filter((f) => f.endsWith('.pb'));

/** Everything a results page shows of a run: purchases with prices and payers, and every project's money left. */
const shown = (setup: MesSetup, run: MesRun) => ({
  budgetPerVoter: run.budgetPerVoter,
  purchases: run.purchases,
  free: run.free,
  moneyLeft: setup.profile.ids.map((_, p) => run.moneyLeft(p)),
});

/** Plain and add-one MES by the disjoint shortcut and by the general count agree in everything shown. */
async function expectSameAsGeneral(setup: MesSetup, kind: MesSatisfaction): Promise<void> {
  const { profile } = setup;
  const start = rational(profile.budget, BigInt(Math.max(profile.voterCount, 1)));
  expect(shown(setup, mes(setup))).toEqual(shown(setup, runMes(setup, start)));
  const fast = await mesAddOne(setup, kind);
  const general = await countAddOne(new MesCounter(setup, false), kind);
  expect(fast.runs).toBe(general.runs);
  expect(shown(setup, fast.run)).toEqual(shown(setup, general.run));
}

/** A small Pabulib election: `votes` are "project" or "project=points" lists, one voter each. */
function election(voteType: string, budget: number, costs: number[], votes: string[][]) {
  const lines = ['META', 'key;value', `budget;${budget}`, `vote_type;${voteType}`, 'PROJECTS', 'project_id;cost'];
  costs.forEach((c, i) => lines.push(`p${i};${c}`));
  lines.push('VOTES', voteType === 'cumulative' ? 'voter_id;vote;points' : 'voter_id;vote');
  votes.forEach((vote, v) => {
    const ids = vote.map((item) => item.split('=')[0]).join(',');
    lines.push(voteType === 'cumulative' ? `v${v};${ids};${vote.map((item) => item.split('=')[1]).join(',')}` : `v${v};${ids}`);
  });
  return buildProfile(parsePb(lines.join('\n')));
}

/** A seeded generator, so that every run tests the same elections. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n); // the high bits: an LCG's low bits repeat quickly
  };
}

/** Small random elections in which every ballot backs one project or none (a third of them cumulative). */
function randomElections(count: number): { profile: Profile; cumulative: boolean }[] {
  const next = random(7);
  return Array.from({ length: count }, (_, e) => {
    const projects = 2 + next(6);
    const costs = Array.from({ length: projects }, () => (next(5) === 0 ? 0 : 1 + next(400)));
    const cumulative = e % 3 === 0;
    const votes = Array.from({ length: 3 + next(25) }, () => {
      if (next(8) === 0) return [];
      const project = `p${next(projects)}`;
      return [cumulative ? `${project}=${1 + next(4)}` : project];
    });
    // Less than all the projects cost, so that MES leaves money unspent and the iteration goes on.
    const budget = 1 + Math.floor((costs.reduce((sum, c) => sum + c, 0) * (30 + next(60))) / 100);
    return { profile: election(cumulative ? 'cumulative' : 'choose-1', budget, costs, votes), cumulative };
  });
}

const realProfiles = new Map(files.map((file) => [file, buildProfile(parsePb(fs.readFileSync(new URL(file, DATA), 'utf8')))]));

describe('MES with disjoint supporters (each ballot backs at most one project)', () => {
  it('tells disjoint supporters from others', () => {
    expect(isDisjoint(setupMes(election('choose-1', 10, [4, 6], [['p0'], ['p1'], []]), 'cost'))).toBe(true);
    expect(isDisjoint(setupMes(election('approval', 10, [4, 6], [['p0'], ['p0', 'p1']]), 'cost'))).toBe(false);
    // A free project costs nobody anything, so backing it beside another keeps supporters disjoint.
    expect(isDisjoint(setupMes(election('approval', 10, [0, 6], [['p0', 'p1'], ['p1']]), 'cost'))).toBe(true);
  });

  it('buys what the general count buys, at the same prices, on hand-made elections', async () => {
    // Equal prices (ties to the smaller id), a project affordable exactly at its threshold (every
    // supporter pays all they have), one nobody can ever afford, a free one and an empty ballot.
    const profile = election('choose-1', 30, [6, 6, 8, 40, 0], [['p0'], ['p0'], ['p1'], ['p1'], ['p2'], ['p2'], ['p2'], ['p3'], ['p4'], []]);
    const setup = setupMes(profile, 'cost');
    expect(isDisjoint(setup)).toBe(true);
    await expectSameAsGeneral(setup, 'cost');
    expect(mes(setup).purchases.map((p) => profile.ids[p.project])).toEqual(['p2', 'p0', 'p1']);
    expect(mes(setup).purchases.map((p) => p.payersWithAllTheyHad)).toEqual([0, 2, 2]);
  });

  it('agrees with the general count on 300 random choose-1 and one-project cumulative elections', async () => {
    let iterated = 0;
    for (const { profile, cumulative } of randomElections(300)) {
      for (const kind of (cumulative ? ['cost', 'points'] : ['cost']) as MesSatisfaction[]) {
        const setup = setupMes(profile, kind);
        await expectSameAsGeneral(setup, kind);
        if ((await mesAddOne(setup, kind)).runs > 1) iterated++;
      }
    }
    // On many of them the add-one iteration ran more than once: thresholds were jumped over.
    expect(iterated).toBeGreaterThan(200);
  });

  const real = files.flatMap((file) => {
    const profile = realProfiles.get(file)!;
    return (['cost', 'points'] as const)
      .filter((kind) => Object.keys(expected[file]).some((rule) => rule.startsWith(kind === 'cost' ? 'mes_cost' : 'mes_cardinal')))
      .map((kind) => ({ file, kind, setup: setupMes(profile, kind) }))
      .filter(({ setup }) => isDisjoint(setup));
  });

  it('applies to the real choose-1 files', () => {
    expect(real.map(({ file, kind }) => `${file} ${kind}`)).toEqual(
      expect.arrayContaining(['Poland_Gdansk_2020.pb cost', 'Poland_Poznan_2023_Green_Budget.pb cost', 'Poland_Wroclaw_2015_150_-_500.pb cost', 'Poland_Zabrze_2020_Centrum_Poludnie.pb cost']),
    );
  });

  it.each(real)('$file ($kind) gives what the general count gives', ({ setup, kind }) => expectSameAsGeneral(setup, kind), 60_000);
});

describe('Phragmén when no ballot lists two projects', () => {
  const cases = [...realProfiles].filter(([file, profile]) => 'phragmen' in expected[file] && profile.ballots.every((b) => b.projects.length <= 1));

  it('gives what the general count gives on hand-made elections', () => {
    // p2 has the smallest load (2 / 1); p0 and p1 tie (6 / 2), p0 is bought and p1 no longer fits,
    // which ends the count; p3 costs more than the whole budget; nobody backs p4.
    const profile = election('choose-1', 12, [6, 6, 2, 20, 1], [['p0'], ['p0'], ['p1'], ['p1'], ['p2'], ['p3'], []]);
    expect(phragmen(profile)).toEqual(phragmen(profile, false));
    expect(phragmen(profile).purchases.map((b) => b.project)).toEqual([2, 0]);
    expect(phragmen(profile).stoppedBy?.project).toBe(1);
    for (const { profile: random } of randomElections(300)) expect(phragmen(random)).toEqual(phragmen(random, false));
  });

  it('applies to the real choose-1 files', () => {
    expect(cases.map(([file]) => file)).toEqual(
      expect.arrayContaining(['Poland_Gdansk_2020.pb', 'Poland_Poznan_2023_Green_Budget.pb', 'Poland_Wroclaw_2015_150_-_500.pb', 'Poland_Zabrze_2020_Centrum_Poludnie.pb']),
    );
  });

  it.each(cases)('%s gives what the general count gives', (_, profile) => expect(phragmen(profile)).toEqual(phragmen(profile, false)));
});
