/**
 * A business case on a web page: a fixed number of cost and benefit rows (pages work without
 * JavaScript), turned into the case's documented JSON form and back. parseCase does the checking;
 * its JSON paths (`benefits[1].deadweight`) are mapped to the field that was typed in.
 */
import { FieldChecker, ValidationError, text, type FieldErrors } from '../../lib/errors.ts';
import { parseCase, type Case } from './appraisal.ts';
import type { UnitCost } from './unit-costs.ts';

export const COST_ROWS = 6;
export const BENEFIT_ROWS = 4;
const COST_FIELDS = ['year', 'amount', 'payer'] as const;
const BENEFIT_FIELDS = ['outcome', 'kind', 'beneficiary', 'cashable', 'unitCode', 'unitValue', 'firstYearUnits', 'startYear', 'durationYears', 'dropOff', 'deadweight', 'displacement', 'attribution', 'optimismBias'] as const;
const NUMBERS = new Set(['year', 'amount', 'unitValue', 'firstYearUnits', 'startYear', 'durationYears', 'dropOff', 'deadweight', 'displacement', 'attribution', 'optimismBias', 'years', 'costOptimismBias']);

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const costField = (i: number, f: string) => `cost${i}${cap(f)}`;
export const benefitField = (i: number, f: string) => `benefit${i}${cap(f)}`;

/** A number as typed, or the text itself so parseCase names what was wrong; blank is missing. */
function value(key: string, raw: unknown): unknown {
  const t = text(raw);
  if (t === '') return undefined;
  if (!NUMBERS.has(key)) return t;
  const n = Number(t.replace(/,/g, ''));
  return Number.isFinite(n) ? n : t;
}

export interface CaseSettings {
  title: string;
  uncertainty: number;
  seed: number;
}

/** The form's fields into the case JSON, with the unit values picked from the unit cost database. */
export function caseFromForm(raw: Record<string, unknown>, unitCost: (code: string) => UnitCost | undefined): { body: Record<string, unknown>; parsed: Case; settings: CaseSettings } {
  const check = new FieldChecker();
  const costs = Array.from({ length: COST_ROWS }, (_, i) => COST_FIELDS.map((f) => [f, value(f, raw[costField(i, f)])] as const))
    .filter((row) => row.some(([, v]) => v !== undefined))
    .map((row) => Object.fromEntries(row.filter(([, v]) => v !== undefined)));
  const rowsOfBenefits: number[] = [];
  const benefits = Array.from({ length: BENEFIT_ROWS }, (_, i) => i).flatMap((i) => {
    const typed = BENEFIT_FIELDS.filter((f) => f !== 'kind' && f !== 'cashable').some((f) => text(raw[benefitField(i, f)]) !== '');
    if (!typed) return [];
    rowsOfBenefits.push(i);
    const b: Record<string, unknown> = { kind: text(raw[benefitField(i, 'kind')]) || undefined, cashable: text(raw[benefitField(i, 'cashable')]) === 'yes' };
    for (const f of BENEFIT_FIELDS) if (f !== 'kind' && f !== 'cashable' && f !== 'unitCode') b[f] = value(f, raw[benefitField(i, f)]);
    const code = text(raw[benefitField(i, 'unitCode')]);
    if (code) {
      const entry = unitCost(code);
      if (!entry) check.add(benefitField(i, 'unitCode'), `There is no unit cost with the code ${code}: look it up in the unit cost database`);
      else {
        b.unitCode = entry.code;
        b.unitValue ??= entry.fiscalCost / 100;
        b.beneficiary ??= entry.agency;
      }
    }
    return [Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined))];
  });
  const body: Record<string, unknown> = {
    name: text(raw.title),
    years: value('years', raw.years),
    discounting: { schedule: text(raw.schedule) || 'standard' },
    costOptimismBias: value('costOptimismBias', raw.costOptimismBias) ?? 0,
    costs,
    benefits,
  };
  const uncertainty = Number(text(raw.uncertainty) || '20');
  check.check(Number.isInteger(uncertainty) && uncertainty >= 0 && uncertainty <= 100, 'uncertainty', 'Enter the uncertainty as a whole percentage from 0 to 100');
  const seed = Number(text(raw.seed) || '1');
  check.check(Number.isInteger(seed) && seed >= 1 && seed <= 2 ** 31 - 1, 'seed', 'Enter the seed as a whole number, 1 or more');
  let parsed: Case | null = null;
  try {
    parsed = parseCase(body);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const costRows = Array.from({ length: COST_ROWS }, (_, i) => i).filter((i) => COST_FIELDS.some((f) => text(raw[costField(i, f)]) !== ''));
    for (const [path, message] of Object.entries(err.fields)) check.add(formField(path, costRows, rowsOfBenefits), message);
  }
  check.throwIfAny();
  return { body, parsed: parsed!, settings: { title: text(raw.title), uncertainty, seed } };
}

/** The form field a JSON path was typed in: costs[1].amount is the second filled-in cost row's amount. */
export function formField(path: string, costRows: number[], benefitRows: number[]): string {
  const row = /^(costs|benefits)\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (row) {
    const [, list, n, f] = row;
    if (list === 'costs') return costField(costRows[Number(n)] ?? 0, f ?? 'amount');
    return benefitField(benefitRows[Number(n)] ?? 0, f === 'units' ? 'firstYearUnits' : (f ?? 'outcome'));
  }
  const top: FieldErrors = { name: 'title', costs: costField(0, 'amount'), benefits: benefitField(0, 'outcome'), discounting: 'schedule', 'discounting.schedule': 'schedule', 'discounting.version': 'schedule' };
  return top[path] ?? path;
}

/** The stored case back into the form's fields, for editing. */
export function formFromCase(body: Record<string, unknown>, settings: CaseSettings): Record<string, string> {
  const out: Record<string, string> = {
    title: settings.title,
    years: String(body.years ?? ''),
    schedule: String((body.discounting as { schedule?: string } | undefined)?.schedule ?? 'standard'),
    costOptimismBias: String(body.costOptimismBias ?? 0),
    uncertainty: String(settings.uncertainty),
    seed: String(settings.seed),
  };
  (body.costs as Record<string, unknown>[]).forEach((c, i) => {
    for (const f of COST_FIELDS) if (c[f] !== undefined) out[costField(i, f)] = String(c[f]);
  });
  (body.benefits as Record<string, unknown>[]).forEach((b, i) => {
    for (const f of BENEFIT_FIELDS) if (b[f] !== undefined) out[benefitField(i, f)] = f === 'cashable' ? (b[f] ? 'yes' : 'no') : String(b[f]);
  });
  return out;
}
