/**
 * Payment rows as spend_transactions' COPY data, in the binary format: pure, so the import worker
 * (check-worker.ts) makes it from the rows it read while this thread only passes it on to PostgreSQL.
 */
import { BinaryCopyStream, binaryCopyChunks, binaryTuples, type BinaryColumn, type CopyChunk, type CopyValue } from '../../lib/db/copy-format.ts';
import type { CalendarDate } from '../../lib/dates.ts';
import type { Pence } from '../../lib/money.ts';
import { isPaymentRow } from './payments.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';
import type { spendTransactions } from './tables.ts';

/** The payment columns, in the order transactionFields gives their values. */
export const TRANSACTION_COLUMNS = ['authority_id', 'import_id', 'line', 'dataset', 'paid_on', 'supplier_name', 'redacted', 'amount_pence', 'expense_type', 'service_area', 'description', 'transaction_ref', 'invoice_ref', 'supplier_ref', 'merchant_category'] as const;

/** The columns' types, in the same order. */
const TRANSACTION_TYPES: readonly BinaryColumn[] = ['uuid', 'uuid', 'int4', 'text', 'date', 'text', 'bool', 'int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];

/** The binary COPY data of a file's payments (its other rows are not payments), a chunk at a time. */
export function paymentCopyData(rows: readonly TypedRow[], authorityId: string, importId: string): Generator<CopyChunk & { data: Uint8Array }> {
  return binaryCopyChunks(paymentsIn(rows), TRANSACTION_TYPES, (r) => transactionFields(r, authorityId, importId));
}

/** The same data made a payment at a time, as a file is read, and handed to `onChunk` a chunk at a time. */
export function paymentCopyStream(authorityId: string, importId: string, onChunk: (chunk: CopyChunk & { data: Uint8Array }) => void, options: { shared?: boolean } = {}): BinaryCopyStream<SpendRow | CardRow> {
  return new BinaryCopyStream(TRANSACTION_TYPES, (r) => transactionFields(r, authorityId, importId), onChunk, options);
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

/** The payment datasets, whose rows go to spend_transactions. */
export type PaymentDataset = (SpendRow | CardRow)['dataset'];

/**
 * The text columns' fields in each dataset's rows, in column order (supplier_name, expense_type,
 * service_area, description, transaction_ref, invoice_ref, supplier_ref, merchant_category), as
 * transactionFields takes them; null where the dataset has none. What a reader writing a row's
 * cells straight from the file's bytes fills (payment-bytes.ts).
 */
export const PAYMENT_TEXT_FIELDS: Record<PaymentDataset, readonly (string | null)[]> = {
  'spend-over-500': ['supplier', 'expenseType', 'serviceArea', 'description', 'transactionRef', 'invoiceRef', 'supplierId', 'merchantCategory'],
  'procurement-card': ['merchant', 'purpose', 'serviceArea', 'description', 'transactionRef', null, null, 'merchantCategory'],
};

/**
 * Payments' tuples from their values and the UTF-8 bytes of their text cells, for a reader that
 * writes a row's cells straight from a file's bytes (payment-bytes.ts): the same data
 * transactionFields makes of the row built from the same cells, with no row between.
 */
export class PaymentTuples {
  private readonly stream: BinaryCopyStream<SpendRow | CardRow>;
  private readonly ids: DataView;
  private readonly dataset: DataView;

  constructor(stream: BinaryCopyStream<SpendRow | CardRow>, authorityId: string, importId: string, dataset: PaymentDataset) {
    this.stream = stream;
    this.ids = stream.encode(0, [authorityId, importId]);
    this.dataset = stream.encode(3, [dataset]);
  }

  /** Text column j (in PAYMENT_TEXT_FIELDS' order) is `sources[j]` from `ranges[2j]` to `ranges[2j + 1]`, or null when `ranges[2j]` is -1. */
  write(line: number, date: CalendarDate | null, redacted: boolean, amountPence: Pence, sources: readonly DataView[], ranges: Int32Array): void {
    const w = this.stream.tuple();
    w.encoded(this.ids);
    w.int4(line);
    w.encoded(this.dataset);
    w.value(4, date);
    for (let j = 0; j < 8; j++) {
      // supplier_name is column 5; the other seven text columns follow redacted and amount_pence, from column 8.
      const k = j === 0 ? 5 : 7 + j;
      if (j === 1) {
        w.value(6, redacted);
        w.value(7, amountPence);
      }
      const start = ranges[2 * j]!;
      if (start === -1) w.value(k, null);
      else w.utf8(k, sources[j]!, start, ranges[2 * j + 1]!);
    }
  }
}

/** A payment as spend_transactions keeps it, the columns the checks read. */
export type StoredPayment = Pick<typeof spendTransactions.$inferSelect, 'line' | 'paidOn' | 'supplierName' | 'redacted' | 'amountPence' | 'expenseType' | 'serviceArea' | 'description' | 'transactionRef' | 'invoiceRef' | 'supplierRef' | 'merchantCategory'>;

/**
 * A saved payment in the reader's shape: every field the checks read is kept in
 * spend_transactions, so they flag exactly what they flagged on the file. The few it does not
 * keep (irrecoverable VAT, expense code, VAT registration) are null; no check reads them.
 */
export function paymentOfStored(dataset: PaymentDataset, r: StoredPayment): SpendRow | CardRow {
  // Whole literals, not spreads: spread rows measured 7 times slower to make, and the checks 2.4 times slower over them.
  if (dataset === 'spend-over-500') {
    return {
      dataset, line: r.line, date: r.paidOn, supplier: r.supplierName, redacted: r.redacted, amountPence: r.amountPence, expenseType: r.expenseType, serviceArea: r.serviceArea, description: r.description,
      transactionRef: r.transactionRef, invoiceRef: r.invoiceRef, supplierId: r.supplierRef, expenseCode: null, vatRegistration: null, irrecoverableVatPence: null, merchantCategory: r.merchantCategory,
    };
  }
  return {
    dataset, line: r.line, date: r.paidOn, merchant: r.supplierName, redacted: r.redacted, amountPence: r.amountPence, merchantCategory: r.merchantCategory, purpose: r.expenseType, serviceArea: r.serviceArea,
    description: r.description, transactionRef: r.transactionRef, irrecoverableVatPence: null,
  };
}

/** The payments in COPY data made here, as PostgreSQL took them: for checks run where the data was made, without reading it back from the database. */
export function paymentsOfCopyData(chunks: readonly Uint8Array[], dataset: PaymentDataset): (SpendRow | CardRow)[] {
  const payments: (SpendRow | CardRow)[] = [];
  for (const chunk of chunks) {
    for (const v of binaryTuples(chunk, TRANSACTION_TYPES)) {
      payments.push(
        paymentOfStored(dataset, {
          line: v[2] as number, paidOn: v[4] as string | null, supplierName: v[5] as string | null, redacted: v[6] as boolean, amountPence: v[7] as number, expenseType: v[8] as string | null,
          serviceArea: v[9] as string | null, description: v[10] as string | null, transactionRef: v[11] as string | null, invoiceRef: v[12] as string | null, supplierRef: v[13] as string | null, merchantCategory: v[14] as string | null,
        }),
      );
    }
  }
  return payments;
}
