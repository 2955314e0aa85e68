/**
 * Business cases for One place, one budget: a cost-benefit appraisal in the manner of the HM
 * Treasury Green Book and the GM cost-benefit analysis guidance for local partnerships (HMT, PSTN
 * and New Economy, 2014). A case lists costs by year and by the agency that pays, and benefits by
 * outcome, each valued per unit, with the share that would have happened anyway (deadweight), that
 * only moves an outcome from elsewhere (displacement), that others caused (attribution) and the
 * optimism bias taken off. The results say what it is worth and who invests, who saves.
 *
 * Conventions: years are 0..years−1; amounts are real terms in pounds in the price base year (the
 * first year of the proposal); year 0 is not discounted.
 */
import { mulInt, type Rational } from '../../lib/rational.ts';
import { FieldChecker, ValidationError } from '../../lib/errors.ts';
import type { Pence } from '../../lib/money.ts';
import { decimalOf, EXACT, hundredths, toPence, type Arithmetic } from './arithmetic.ts';
import { CURRENT_VERSION, discountFactors, rateBands, RATE_TABLES, SCHEDULES, type Discounting, type ScheduleName } from './discounting.ts';

/** Fiscal: savings to a named public agency. Economic: to people and businesses (earnings, GVA). Social: health and well-being. */
export const BENEFIT_KINDS = ['fiscal', 'economic', 'social'] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

export interface Cost {
  year: number;
  /** Pounds, to the penny. */
  amount: number;
  payer: string;
}

export interface UnitsByYear {
  units: number[];
}

/** A first-year figure that falls by the drop-off each year after, for durationYears. */
export interface FirstYear {
  firstYearUnits: number;
  startYear: number;
  durationYears: number;
  dropOff: number;
}

/** How many units of the outcome each year: listed year by year, or a first year that drops off. */
export type Profile = UnitsByYear | FirstYear;

export interface Benefit {
  outcome: string;
  kind: BenefitKind;
  beneficiary: string;
  /** A saving the agency can take out of its budget, not just capacity freed up. */
  cashable: boolean;
  /** Pounds per unit. */
  unitValue: number;
  profile: Profile;
  deadweight: number;
  displacement: number;
  attribution: number;
  optimismBias: number;
}

export interface Case {
  name: string;
  years: number;
  discounting: Discounting;
  /** The uplift on every cost: adjusted cost = amount × (1 + costOptimismBias). */
  costOptimismBias: number;
  costs: Cost[];
  benefits: Benefit[];
}

/**
 * Into the Green Book's 126–200-year band, far past any council business case; beyond it the exact
 * fractions grow long enough to slow the appraisal (a 200-year case takes well under a second).
 */
const MAX_YEARS = 200;

export const ADJUSTMENTS = ['deadweight', 'displacement', 'attribution', 'optimismBias'] as const;

// ---------------------------------------------------------------------------------------------
// Reading a case

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads fields off one JSON object, recording what is wrong under its JSON path. */
class Reader {
  readonly checker: FieldChecker;
  private readonly obj: Json;
  private readonly at: string;
  /** Reading a list's items, so keys are written [t]. */
  private readonly indexed: boolean;

  constructor(checker: FieldChecker, obj: Json, at: string, indexed = false) {
    this.checker = checker;
    this.obj = obj;
    this.at = at;
    this.indexed = indexed;
  }

  path = (key: string) => (this.indexed ? `${this.at}[${key}]` : this.at ? `${this.at}.${key}` : key);

  add(key: string, message: string): void {
    this.checker.add(this.path(key), message);
  }

  text(key: string, what: string): string {
    const v = this.obj[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.add(key, `Enter ${what}`);
    return '';
  }

  oneOf<T extends string>(key: string, what: string, options: readonly T[]): T {
    const v = this.obj[key];
    if (!options.includes(v as T)) this.add(key, `${v === undefined ? 'Enter' : `Unknown ${JSON.stringify(v)}: enter`} ${what}, one of ${options.join(', ')}`);
    return v as T;
  }

  flag(key: string, what: string): boolean {
    const v = this.obj[key];
    if (typeof v !== 'boolean') this.add(key, `Enter ${what} as true or false`);
    return v === true;
  }

  number(key: string, what: string, ok: (n: number) => boolean, rule: string): number {
    const v = this.obj[key];
    if (!isNumber(v)) this.add(key, `Enter ${what} as a number${v === undefined ? '' : `, not ${JSON.stringify(v)}`}`);
    else if (!ok(v)) this.add(key, `${capital(what)} must be ${rule}; it is ${v}`);
    return isNumber(v) ? v : 0;
  }

  share(key: string, what: string): number {
    return this.number(key, what, (n) => n >= 0 && n <= 1, 'between 0 and 1 (a share: 0.25 is 25%)');
  }

  /** A year of the case; `years` is null when the case's own number of years is wrong, so only the form is checked. */
  year(key: string, what: string, years: number | null): number {
    if (years === null) return this.number(key, what, (n) => Number.isInteger(n) && n >= 0, 'a whole year, 0 or more');
    return this.number(key, what, (n) => Number.isInteger(n) && n >= 0 && n < years, `a whole year from 0 to ${years - 1} (the case has ${years} years)`);
  }
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isPounds = (n: number) => n >= 0 && mulInt(decimalOf(n), 100n).den === 1n;

/**
 * A case from its JSON form, amounts in pounds. Everything wrong is reported at once, each under
 * its JSON path (`benefits[2].deadweight`), as a ValidationError.
 */
export function parseCase(raw: unknown): Case {
  const check = new FieldChecker();
  if (!isObject(raw)) throw new ValidationError({ case: 'A case must be a JSON object, {"name": …, "years": …, …}' });
  const top = new Reader(check, raw, '');
  const name = top.text('name', 'the name of the case');
  const validYears = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_YEARS;
  const years = top.number('years', 'the number of years appraised', validYears, `a whole number from 1 to ${MAX_YEARS}`);
  const horizon = validYears(years) ? years : null;
  const discounting = readDiscounting(check, raw.discounting);
  // The Green Book's upper bounds go past 100% (200% for equipment and development capex), so no ceiling here.
  const costOptimismBias = top.number('costOptimismBias', 'the optimism bias on costs', (n) => n >= 0, '0 or more (0.41 is a 41% uplift)');
  const costs = readList(check, raw.costs, 'costs', (r) => readCost(r, horizon));
  // A case may claim no benefits at all; it must show what it costs.
  const benefits = readList(check, raw.benefits === undefined ? [] : raw.benefits, 'benefits', (r, obj) => readBenefit(r, obj, horizon));
  if (costs.length > 0 && !check.errors.costs && costs.every((c) => c.amount === 0)) {
    check.add('costs', 'A case needs at least one cost above £0: the benefit-cost ratio divides by the costs');
  }
  check.throwIfAny();
  return { name, years, discounting, costOptimismBias, costs, benefits };
}

function readDiscounting(check: FieldChecker, raw: unknown): Discounting {
  // "health" is short for {"schedule": "health"} on the rates in force.
  const obj = typeof raw === 'string' ? { schedule: raw } : raw;
  const known = SCHEDULES.join(', ');
  if (!isObject(obj)) {
    check.add('discounting', `Enter the discounting, like {"schedule": "standard"} (one of ${known})`);
    return { version: CURRENT_VERSION, schedule: 'standard' };
  }
  const version = obj.version === undefined ? CURRENT_VERSION : obj.version;
  const schedule = obj.schedule as ScheduleName;
  const field = typeof raw === 'string' ? 'discounting' : 'discounting.schedule';
  if (typeof version !== 'string' || !RATE_TABLES.some((t) => t.version === version)) {
    check.add('discounting.version', `Unknown rate table ${JSON.stringify(version)}: use one of ${RATE_TABLES.map((t) => t.version).join(', ')}`);
  } else if (!SCHEDULES.includes(schedule)) {
    check.add(field, `Unknown discount rate schedule ${JSON.stringify(obj.schedule)}: use one of ${known}`);
  } else if (!rateBands({ version, schedule })) {
    check.add(field, `The ${version} rate table has no ${schedule} schedule`);
  }
  return { version: String(version), schedule };
}

function readList<T>(check: FieldChecker, raw: unknown, key: string, read: (r: Reader, obj: Json) => T): T[] {
  if (!Array.isArray(raw)) {
    check.add(key, raw === undefined ? `Enter the ${key} as a list` : `The ${key} must be a list [ … ]`);
    return [];
  }
  if (key === 'costs' && raw.length === 0) check.add(key, 'A case needs at least one cost');
  return raw.flatMap((item, i) => {
    if (isObject(item)) return [read(new Reader(check, item, `${key}[${i}]`), item)];
    check.add(`${key}[${i}]`, `Each of the ${key} must be an object { … }`);
    return [];
  });
}

function readCost(r: Reader, years: number | null): Cost {
  return {
    year: r.year('year', 'the year of the cost', years),
    amount: r.number('amount', 'the amount in pounds', isPounds, 'pounds and pence, £0 or more (a saving is a benefit)'),
    payer: r.text('payer', 'the agency that pays'),
  };
}

function readBenefit(r: Reader, obj: Json, years: number | null): Benefit {
  const kind = r.oneOf('kind', 'the kind of benefit', BENEFIT_KINDS);
  const cashable = r.flag('cashable', 'whether the saving is cashable');
  if (cashable && kind !== 'fiscal' && BENEFIT_KINDS.includes(kind)) r.add('cashable', 'Only a fiscal benefit (a saving to a public agency) can be cashable');
  return {
    outcome: r.text('outcome', 'the outcome'),
    kind,
    beneficiary: r.text('beneficiary', 'the agency or group that gains'),
    cashable,
    unitValue: r.number('unitValue', 'the value of one unit in pounds', (n) => n >= 0, '£0 or more'),
    profile: readProfile(r, obj, years),
    deadweight: r.share('deadweight', 'deadweight'),
    displacement: r.share('displacement', 'displacement'),
    attribution: r.share('attribution', 'attribution'),
    optimismBias: r.share('optimismBias', 'the optimism bias on this benefit'),
  };
}

const FIRST_YEAR_FIELDS = ['firstYearUnits', 'startYear', 'durationYears', 'dropOff'] as const;

function readProfile(r: Reader, obj: Json, years: number | null): Profile {
  const firstYearForm = FIRST_YEAR_FIELDS.some((k) => k in obj);
  if ('units' in obj && firstYearForm) {
    r.add('units', 'Give either units year by year or firstYearUnits with startYear, durationYears and dropOff, not both');
    return { units: [] };
  }
  if (firstYearForm) return readFirstYear(r, years);
  const units = obj.units;
  if (!Array.isArray(units)) {
    r.add('units', 'Enter the units of the outcome year by year, like [0, 120, 120], or give firstYearUnits, startYear, durationYears and dropOff');
    return { units: [] };
  }
  if (years !== null && units.length > years) r.add('units', `There are ${units.length} years of units but the case has ${years} years (0 to ${years - 1})`);
  const unitsReader = new Reader(r.checker, { ...units }, r.path('units'), true);
  return { units: units.map((_, t) => unitsReader.number(String(t), `the units in year ${t}`, (n) => n >= 0, '0 or more')) };
}

function readFirstYear(r: Reader, years: number | null): Profile {
  const firstYearUnits = r.number('firstYearUnits', 'the units in the first year', (n) => n >= 0, '0 or more');
  const startYear = r.year('startYear', 'the first year of the outcome', years);
  const durationYears = r.number('durationYears', 'how many years the outcome lasts', (n) => Number.isInteger(n) && n >= 1, 'a whole number of years, 1 or more');
  const dropOff = r.share('dropOff', 'the drop-off each year');
  const checkable = years !== null && startYear < years && Number.isInteger(durationYears);
  if (checkable && startYear + durationYears > years) {
    r.add('durationYears', `The outcome runs to year ${startYear + durationYears - 1} but the case ends in year ${years - 1}`);
  }
  return { firstYearUnits, startYear, durationYears, dropOff };
}

// ---------------------------------------------------------------------------------------------
// Working it out

/** Units of the outcome in year t: units(t) = firstYearUnits × (1 − dropOff)^(t − startYear) while it lasts. */
export function unitsByYear<T>(profile: Profile, years: number, A: Arithmetic<T>): T[] {
  const zero = A.of(0);
  if ('units' in profile) return Array.from({ length: years }, (_, t) => A.of(profile.units[t] ?? 0));
  const units = Array.from({ length: years }, () => zero);
  const keep = A.sub(A.of(1), A.of(profile.dropOff));
  let u = A.of(profile.firstYearUnits);
  for (let t = profile.startYear; t < profile.startYear + profile.durationYears; t++) {
    units[t] = u;
    u = A.mul(u, keep);
  }
  return units;
}

/** The value of one unit once deadweight, displacement, attribution and optimism bias are taken off. */
function netUnitValue<T>(b: Benefit, A: Arithmetic<T>): T {
  const one = A.of(1);
  return ADJUSTMENTS.reduce((value, key) => A.mul(value, A.sub(one, A.of(b[key]))), A.of(b.unitValue));
}

interface AgencyTotals<T> {
  pvCosts: T;
  pvBenefits: T;
}

/** Present values, unrounded, in whichever arithmetic. */
export interface Totals<T> {
  pvCosts: T;
  pvBenefits: T;
  pvCashable: T;
  byKind: Record<BenefitKind, T>;
  byAgency: Map<string, AgencyTotals<T>>;
  /** Discounted benefits minus costs in each year, for the payback year. */
  netByYear: T[];
}

export function presentValues<T>(c: Case, A: Arithmetic<T>): Totals<T> {
  const zero = A.of(0);
  const factors = discountFactors(rateBands(c.discounting)!, c.years, A);
  const totals: Totals<T> = {
    pvCosts: zero,
    pvBenefits: zero,
    pvCashable: zero,
    byKind: { fiscal: zero, economic: zero, social: zero },
    byAgency: new Map(),
    netByYear: factors.map(() => zero),
  };
  const uplift = A.add(A.of(1), A.of(c.costOptimismBias));
  for (const cost of c.costs) addCost(totals, cost, A.mul(A.mul(A.of(cost.amount), uplift), factors[cost.year]!), A);
  for (const b of c.benefits) addBenefit(totals, b, c.years, factors, A);
  return totals;
}

function agency<T>(totals: Totals<T>, name: string, A: Arithmetic<T>): AgencyTotals<T> {
  let found = totals.byAgency.get(name);
  if (!found) totals.byAgency.set(name, (found = { pvCosts: A.of(0), pvBenefits: A.of(0) }));
  return found;
}

function addCost<T>(totals: Totals<T>, cost: Cost, pv: T, A: Arithmetic<T>): void {
  totals.pvCosts = A.add(totals.pvCosts, pv);
  const payer = agency(totals, cost.payer, A);
  payer.pvCosts = A.add(payer.pvCosts, pv);
  totals.netByYear[cost.year] = A.sub(totals.netByYear[cost.year]!, pv);
}

function addBenefit<T>(totals: Totals<T>, b: Benefit, years: number, factors: T[], A: Arithmetic<T>): void {
  const value = netUnitValue(b, A);
  let pv = A.of(0);
  unitsByYear(b.profile, years, A).forEach((units, t) => {
    if (A.sign(units) === 0) return;
    const pvYear = A.mul(A.mul(units, value), factors[t]!);
    pv = A.add(pv, pvYear);
    totals.netByYear[t] = A.add(totals.netByYear[t]!, pvYear);
  });
  totals.pvBenefits = A.add(totals.pvBenefits, pv);
  totals.byKind[b.kind] = A.add(totals.byKind[b.kind], pv);
  if (b.cashable) totals.pvCashable = A.add(totals.pvCashable, pv);
  const beneficiary = agency(totals, b.beneficiary, A);
  beneficiary.pvBenefits = A.add(beneficiary.pvBenefits, pv);
}

export const netPresentValue = <T>(c: Case, A: Arithmetic<T>): T => {
  const { pvBenefits, pvCosts } = presentValues(c, A);
  return A.sub(pvBenefits, pvCosts);
};

/** The first year by which cumulative discounted benefits have caught up with costs, or null. */
function paybackYear<T>(netByYear: T[], A: Arithmetic<T>): number | null {
  let cumulative = A.of(0);
  for (const [t, net] of netByYear.entries()) {
    cumulative = A.add(cumulative, net);
    if (A.sign(cumulative) >= 0) return t;
  }
  return null;
}

export interface AgencyResult {
  pvCosts: Pence;
  pvBenefits: Pence;
  /** What it gains less what it puts in: positive for those who save, negative for those who invest. */
  net: Pence;
}

/** Every figure worked exactly and rounded once: money to the penny, ratios to two decimal places. */
export interface Appraisal {
  pvCosts: Pence;
  pvBenefits: Pence;
  npv: Pence;
  bcr: number;
  /** PV of fiscal benefits per £1 of PV costs: "£4.44 saved for every £1 spent". */
  fiscalReturnPerPound: number;
  paybackYear: number | null;
  byKind: Record<BenefitKind, Pence>;
  /** PV of the fiscal benefits that are cashable. */
  pvCashable: Pence;
  /** In the order the agencies first appear in the case, payers first. */
  byAgency: Record<string, AgencyResult>;
  discounting: Discounting & { source: string };
}

export function appraise(c: Case): Appraisal {
  const t = presentValues(c, EXACT);
  const ratio = (a: Rational) => hundredths(EXACT.div(a, t.pvCosts)) / 100;
  const byKind = Object.fromEntries(BENEFIT_KINDS.map((k) => [k, toPence(t.byKind[k])])) as Record<BenefitKind, Pence>;
  const byAgency = Object.fromEntries(
    [...t.byAgency].map(([name, a]) => [name, { pvCosts: toPence(a.pvCosts), pvBenefits: toPence(a.pvBenefits), net: toPence(EXACT.sub(a.pvBenefits, a.pvCosts)) }]),
  );
  return {
    pvCosts: toPence(t.pvCosts),
    pvBenefits: toPence(t.pvBenefits),
    npv: toPence(EXACT.sub(t.pvBenefits, t.pvCosts)),
    bcr: ratio(t.pvBenefits),
    fiscalReturnPerPound: ratio(t.byKind.fiscal),
    paybackYear: paybackYear(t.netByYear, EXACT),
    byKind,
    pvCashable: toPence(t.pvCashable),
    byAgency,
    discounting: { ...c.discounting, source: RATE_TABLES.find((r) => r.version === c.discounting.version)!.source },
  };
}
