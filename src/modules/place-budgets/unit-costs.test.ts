import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readUnitCosts, UnitCostFormatError } from './unit-costs.ts';

const FILE = new URL('../../../../shared/data/unit-costs/gmca-unit-cost-database-v1.4.json', import.meta.url);
const json = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { categories: Record<string, { entries: Record<string, unknown>[] }> };

describe('the GMCA unit cost database', () => {
  const db = readUnitCosts(json);

  it('reads all 674 entries over the seven sheets, each code once', () => {
    expect(db.entries).toHaveLength(674);
    expect(new Set(db.entries.map((e) => e.code)).size).toBe(674);
    const bySheet: Record<string, number> = {};
    for (const e of db.entries) bySheet[e.sheet] = (bySheet[e.sheet] ?? 0) + 1;
    expect(bySheet).toEqual({ Crime: 184, 'Education & Skills': 26, 'Employment & Economy': 75, Fire: 15, Health: 201, Housing: 36, 'Social Services': 137 });
  });

  it('keeps the attribution, licence and every price year', () => {
    expect(db.attribution).toBe('GMCA Research Team, Unit Cost Database v1.4');
    expect(db.licence).toBe('Creative Commons (via GO Lab, Oxford University)');
    expect(db.entries.every((e) => /^\d{4}\/\d{2}$/.test(e.priceYear))).toBe(true);
  });

  it('types an entry, the cost in pence, and leaves out the spreadsheet formula', () => {
    expect(db.entries[0]).toEqual({
      code: 'CR1.0',
      sheet: 'Crime',
      category: 'CRIME',
      detail: 'ANTI-SOCIAL BEHAVIOUR',
      description: 'Anti-social behaviour further action necessary (cost of dealing with incident)',
      unit: 'Per incident',
      fiscalCost: 50000,
      agency: 'Police',
      agencyDetail: 'Local authority',
      priceYear: '2002/03',
    });
    const jsa = db.entries.find((e) => e.code === 'E&E1.0')!;
    expect(jsa).toMatchObject({ fiscalCost: 980000, agency: 'Multiple', agencyDetail: 'DWP', unit: 'Per claimant per year', priceYear: '2012/13' });
    expect(db.entries.filter((e) => e.fiscalCost % 100 !== 0).length).toBeGreaterThan(0);
  });

  it('refuses a damaged entry, saying which', () => {
    const damaged = structuredClone(json);
    damaged.categories.fire!.entries[2]!.cost_gbp = 'lots';
    expect(() => readUnitCosts(damaged)).toThrow(new UnitCostFormatError('Fire FI1.0.2: the cost "lots" is not an amount in pounds and pence'));
    const noYear = structuredClone(json);
    noYear.categories.housing!.entries[0]!.source_detail = '2013';
    expect(() => readUnitCosts(noYear)).toThrow(/the price year "2013" is not a financial year like 2013\/14/);
  });
});
