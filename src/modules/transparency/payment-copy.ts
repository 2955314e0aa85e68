/**
 * Payment rows as spend_transactions' COPY data, in the binary format: pure, so the import worker
 * (check-worker.ts) makes it from the rows it read while this thread only passes it on to PostgreSQL.
 */
import { BinaryCopyStream, binaryCopyChunks, type BinaryColumn, type CopyChunk, type CopyValue } from '../../lib/db/copy.ts';
import { isPaymentRow } from './payments.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';

/** The payment columns, in the order transactionFields gives their values. */
export const TRANSACTION_COLUMNS = ['authority_id', 'import_id', 'line', 'dataset', 'paid_on', 'supplier_name', 'redacted', 'amount_pence', 'expense_type', 'service_area', 'description', 'transaction_ref', 'invoice_ref', 'supplier_ref', 'merchant_category'] as const;

/** The columns' types, in the same order. */
const TRANSACTION_TYPES: readonly BinaryColumn[] = ['uuid', 'uuid', 'int4', 'text', 'date', 'text', 'bool', 'int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];

/** The binary COPY data of a file's payments (its other rows are not payments), a chunk at a time. */
export function paymentCopyData(rows: readonly TypedRow[], authorityId: string, importId: string): Generator<CopyChunk & { data: Uint8Array }> {
  return binaryCopyChunks(paymentsIn(rows), TRANSACTION_TYPES, (r) => transactionFields(r, authorityId, importId));
}

/** The same data made a payment at a time, as a file is read, and handed to `onChunk` a chunk at a time. */
export function paymentCopyStream(authorityId: string, importId: string, onChunk: (chunk: CopyChunk & { data: Uint8Array }) => void): BinaryCopyStream<SpendRow | CardRow> {
  return new BinaryCopyStream(TRANSACTION_TYPES, (r) => transactionFields(r, authorityId, importId), onChunk);
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
