/**
 * The Code's datasets as files residents and journalists can open: CSV with the Code's own
 * headings, one row per payment, individuals redacted, and cells that a spreadsheet would run
 * as formulas made safe. Pure: rows in, text out.
 */
import { csvText as csv } from '../../lib/csv.ts';
import type { spendTransactions, vcseGrants } from './tables.ts';

type Transaction = typeof spendTransactions.$inferSelect;
type Grant = typeof vcseGrants.$inferSelect;

const pounds = (pence: number) => (pence / 100).toFixed(2);
const REDACTED = 'Redacted (personal data)';

export function transactionsCsv(dataset: 'spend-over-500' | 'procurement-card', rows: Transaction[]): string {
  if (dataset === 'procurement-card') {
    return csv([
      ['Date of transaction', 'Merchant', 'Amount', 'Summary of the purpose of the expenditure', 'Service area', 'Merchant category', 'Description', 'Transaction number'],
      ...rows.map((r) => [r.paidOn, r.redacted ? REDACTED : r.supplierName, pounds(r.amountPence), r.expenseType, r.serviceArea, r.merchantCategory, r.description, r.transactionRef]),
    ]);
  }
  return csv([
    ['Date the expenditure was incurred', 'Beneficiary (supplier)', 'Amount', 'Expense type', 'Service area', 'Description', 'Transaction number', 'Invoice number', 'Supplier ID', 'Merchant category'],
    ...rows.map((r) => [r.paidOn, r.redacted ? REDACTED : r.supplierName, pounds(r.amountPence), r.expenseType, r.serviceArea, r.description, r.transactionRef, r.invoiceRef, r.supplierRef, r.merchantCategory]),
  ]);
}

export function grantsCsv(rows: Grant[]): string {
  return csv([
    ['Date of award', 'Beneficiary', 'Registration number', 'Amount', 'Purpose of the grant', 'Time period', 'Department'],
    ...rows.map((r) => [r.awardedOn, r.redacted ? REDACTED : r.recipient, r.registrationNumber, pounds(r.amountPence), r.purpose, r.period, r.department]),
  ]);
}
