/**
 * The GMCA Unit Cost Database: 600-odd national unit costs (crime, education and skills,
 * employment and economy, fire, health, housing, social services), each with the agency that
 * bears the cost and the year its prices are in, from which business cases take the value of an
 * outcome. It is read from the JSON extract kept with its SOURCES.md; values shown from it must
 * carry its attribution, and a cost is only comparable with others once uplifted (GDP deflator)
 * from its own price year to the case's price base year.
 */
import type { Pence } from '../../lib/money.ts';

export interface UnitCost {
  /** The database's own code, e.g. "CR1.0". */
  code: string;
  /** The workbook sheet, e.g. "Education & Skills". */
  sheet: string;
  category: string;
  detail: string;
  description: string;
  /** What one unit is: "Per incident", "Per person per year", … */
  unit: string;
  /** The fiscal cost of one unit to the agency, in the prices of `priceYear`. */
  fiscalCost: Pence;
  agency: string;
  agencyDetail: string | null;
  /** The financial year of the prices, e.g. "2013/14". */
  priceYear: string;
}

export interface UnitCostDatabase {
  source: string;
  publisher: string;
  url: string;
  licence: string;
  /** To show wherever a value from the database is shown, e.g. "GMCA Research Team, Unit Cost Database v1.4". */
  attribution: string;
  entries: UnitCost[];
}

export class UnitCostFormatError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function field(obj: Json, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '') throw new UnitCostFormatError(`${where}: "${key}" is missing`);
  return v.trim();
}

/**
 * The database from its JSON extract (`{source, publisher, url, license, categories: {<sheet key>:
 * {sheet, count, entries: […]}}}`). Each entry's `notes` holds the workbook's uprating formula,
 * not data, so it is left out.
 */
export function readUnitCosts(json: unknown): UnitCostDatabase {
  if (!isObject(json) || !isObject(json.categories)) throw new UnitCostFormatError('Not a unit cost database: no "categories"');
  const source = field(json, 'source', 'The database');
  const version = /\bv(\d+(?:\.\d+)*)\b/.exec(source)?.[1];
  if (!version) throw new UnitCostFormatError(`The database's source "${source}" does not say which version it is`);
  const entries = Object.entries(json.categories).flatMap(([key, category]) => readSheet(key, category));
  if (json.total_entries !== undefined && json.total_entries !== entries.length) {
    throw new UnitCostFormatError(`The database says it has ${String(json.total_entries)} entries but holds ${entries.length}`);
  }
  return {
    source,
    publisher: field(json, 'publisher', 'The database'),
    url: field(json, 'url', 'The database'),
    licence: field(json, 'license', 'The database'),
    attribution: `GMCA Research Team, Unit Cost Database v${version}`,
    entries,
  };
}

function readSheet(key: string, category: unknown): UnitCost[] {
  if (!isObject(category) || !Array.isArray(category.entries)) throw new UnitCostFormatError(`Category "${key}" has no list of entries`);
  const sheet = field(category, 'sheet', `Category "${key}"`);
  return category.entries.map((entry, i) => readEntry(entry, `${sheet} entry ${i + 1}`, sheet));
}

function readEntry(entry: unknown, where: string, sheet: string): UnitCost {
  if (!isObject(entry)) throw new UnitCostFormatError(`${where} is not an object`);
  const code = field(entry, 'code', where);
  const at = `${sheet} ${code}`;
  const cost = entry.cost_gbp;
  const pence = typeof cost === 'number' ? Math.round(cost * 100) : NaN;
  // Every cost in the database is in whole pence; anything else is a damaged file, not a rounding to make.
  if (!Number.isSafeInteger(pence) || pence < 0 || Math.abs(pence - (cost as number) * 100) > 1e-6) {
    throw new UnitCostFormatError(`${at}: the cost ${JSON.stringify(cost)} is not an amount in pounds and pence`);
  }
  const priceYear = field(entry, 'source_detail', at);
  if (!/^\d{4}\/\d{2}$/.test(priceYear)) throw new UnitCostFormatError(`${at}: the price year "${priceYear}" is not a financial year like 2013/14`);
  return {
    code,
    sheet,
    category: field(entry, 'category', at),
    detail: field(entry, 'detail', at),
    description: field(entry, 'description', at),
    unit: field(entry, 'unit', at),
    fiscalCost: pence,
    agency: field(entry, 'agency', at),
    agencyDetail: typeof entry.agency_detail === 'string' && entry.agency_detail.trim() !== '' ? entry.agency_detail.trim() : null,
    priceYear,
  };
}
