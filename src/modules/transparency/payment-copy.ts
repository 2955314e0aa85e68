/**
 * Payment rows as spend_transactions' COPY text: pure, so the import worker (check-worker.ts)
 * makes it from the rows it read while this thread only passes it on to PostgreSQL.
 */
import { copyChunks, type CopyChunk, type CopyValue } from '../../lib/db/copy.ts';
import { isPaymentRow } from './payments.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';

/** The payment columns, in the order transactionFields gives their values. */
export const TRANSACTION_COLUMNS = ['authority_id', 'import_id', 'line', 'dataset', 'paid_on', 'supplier_name', 'redacted', 'amount_pence', 'expense_type', 'service_area', 'description', 'transaction_ref', 'invoice_ref', 'supplier_ref', 'merchant_category'] as const;

/** The COPY text of a file's payments (its other rows are not payments), a chunk at a time. */
export function paymentCopyText(rows: readonly TypedRow[], authorityId: string, importId: string): Generator<CopyChunk & { text: string }> {
  return copyChunks(paymentsIn(rows), (r) => transactionFields(r, authorityId, importId));
}

function* paymentsIn(rows: readonly TypedRow[]): Generator<SpendRow | CardRow> {
  for (const row of rows) if (isPaymentRow(row)) yield row;
}

/**
 * A payment row as spend_transactions' values, straight from the reader's row (no object between:
 * a million of them is what the load's garbage collector would otherwise spend its time on).
 */
function transactionFields(r: SpendRow | CardRow, authorityId: string, importId: string): CopyValue[] {
  const spend = r.dataset === 'spend-over-500';
  return [
    authorityId, importId, r.line, r.dataset, r.date, spend ? r.supplier : r.merchant, r.redacted, r.amountPence,
    spend ? r.expenseType : r.purpose, r.serviceArea, r.description, r.transactionRef, spend ? r.invoiceRef : null, spend ? r.supplierId : null, r.merchantCategory,
  ];
}
