import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countAddOne } from './mes-add-one.ts';
import { packProfile, unpackProfile } from './mes-add-one-worker.ts';
import { MesCounter, setupMes, type MesRun } from './mes.ts';
import { parsePb } from './pb.ts';
import { buildProfile } from './profile.ts';

const DATA = new URL('../../../../../shared/data/pabulib/', import.meta.url);
const profileOf = (file: string) => buildProfile(parsePb(fs.readFileSync(new URL(file, DATA), 'utf8')));
const shown = (run: MesRun) => ({ budgetPerVoter: run.budgetPerVoter, purchases: run.purchases, free: run.free });

describe('the add-one count on two cores', () => {
  it('sends a profile to the worker and back unchanged, points included', () => {
    for (const file of ['Poland_Krakow_2024.pb', 'Poland_Czestochowa_2024.pb', 'Switzerland_Zurich_S5.pb']) {
      const profile = profileOf(file);
      expect(unpackProfile(structuredClone(packProfile(profile)))).toEqual(profile);
    }
    expect(profileOf('Poland_Czestochowa_2024.pb').ballots.every((b) => b.points)).toBe(true);
  });

  // The two with the most runs among the real elections: 186 and 349.
  it.each(['Poland_Warszawa_2026.pb', 'Poland_Warszawa_2023_Mokotow.pb'])('%s: the worker counts runs, and the outcome is the one counted alone', async (file) => {
    const setup = setupMes(profileOf(file), 'cost');
    const alone = await countAddOne(new MesCounter(setup), 'cost', { aloneForMs: Infinity });
    const beside = await countAddOne(new MesCounter(setup), 'cost', { aloneForMs: 0 });
    expect(alone.workerRuns).toBe(0);
    expect(beside.workerRuns).toBeGreaterThan(0);
    expect(beside.runs).toBe(alone.runs);
    expect(shown(beside.run)).toEqual(shown(alone.run));
  }, 120_000);

  it('counts points satisfaction beside a worker as it does alone', async () => {
    const setup = setupMes(profileOf('Poland_Czestochowa_2024.pb'), 'points');
    const alone = await countAddOne(new MesCounter(setup), 'points', { aloneForMs: Infinity });
    const beside = await countAddOne(new MesCounter(setup), 'points', { aloneForMs: 0 });
    expect(beside.runs).toBe(alone.runs);
    expect(shown(beside.run)).toEqual(shown(alone.run));
  }, 120_000);
});
