/**
 * The Transparency Code's "contracts over £5,000" dataset: one row per contract above the
 * Code's value, with the fields it requires (../shared/data/standards/transparency-code-2015).
 * Pure: contracts in, CSV out.
 */
import { csvText } from '../../lib/csv.ts';
import { VCSE_TYPES, type OrganisationType } from '../organisations/rules.ts';
import type { Supplier } from './service.ts';

/**
 * The register's routes to a contract. The Code asks "whether or not the contract was the result of
 * an invitation to quote or a published invitation to tender" (fields.json, contracts_over_5000,
 * `procedure`) and lists no values: a direct award came from neither, and says so.
 */
export const REGISTER_ROUTES = {
  tender: { csv: 'tender', label: 'Published invitation to tender' },
  quote: { csv: 'quote', label: 'Invitation to quote' },
  direct_award: { csv: 'direct award', label: 'Direct award, without an invitation to quote or tender' },
} as const;
const routeOf = (procedure: string) => REGISTER_ROUTES[procedure as keyof typeof REGISTER_ROUTES] ?? REGISTER_ROUTES.tender;
export const registerRouteLabel = (procedure: string): string => routeOf(procedure).label;

/** The Code publishes every agreement worth more than this. */
export const CONTRACTS_DATASET_OVER_PENCE = 5_000_00;

interface RegisterRow {
  ref: string;
  title: string;
  serviceArea: string;
  description: string;
  supplier: Supplier;
  currentValuePence: number;
  irrecoverableVatPence: number;
  startsOn: string;
  currentEndsOn: string;
  reviewOn: string | null;
  procedure: string;
}

const pounds = (pence: number) => (pence / 100).toFixed(2);

export function contractsCsv(rows: readonly RegisterRow[]): string {
  const header = ['Reference number', 'Title of agreement', 'Department', 'Description', 'Supplier name', 'Supplier registration number', 'Value', 'Irrecoverable VAT', 'Start date', 'End date', 'Review date', 'Invitation to quote or tender', 'SME', 'VCS organisation'];
  const lines = rows
    .filter((c) => c.currentValuePence > CONTRACTS_DATASET_OVER_PENCE)
    .map((c) => [
      c.ref, c.title, c.serviceArea, c.description, c.supplier.name, c.supplier.charityNumber ?? c.supplier.companyNumber, pounds(c.currentValuePence), pounds(c.irrecoverableVatPence),
      c.startsOn, c.currentEndsOn, c.reviewOn, routeOf(c.procedure).csv, c.supplier.size === 'large' ? 'no' : 'yes', VCSE_TYPES.includes(c.supplier.type as OrganisationType) ? 'yes' : 'no',
    ]);
  return csvText([header, ...lines]);
}
