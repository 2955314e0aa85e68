import { describe, expect, it } from 'vitest';
import { binaryCopyChunks, type BinaryColumn, type CopyValue } from '../../lib/db/copy-format.ts';
import { paymentCopyData, paymentOfStored, paymentsOfCopyData, TRANSACTION_COLUMNS } from './payment-copy.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';

const spend: SpendRow = {
  dataset: 'spend-over-500', line: 7, date: '2025-04-03', supplier: 'Tab\tand\\slash\r\nLtd', redacted: false, amountPence: -123_456, expenseType: null, serviceArea: 'Adult Care', description: '\\N',
  transactionRef: 'T1', invoiceRef: null, supplierId: 'S9', expenseCode: 'E1', vatRegistration: null, irrecoverableVatPence: null, merchantCategory: null,
};
const card: CardRow = { dataset: 'procurement-card', line: 8, date: null, merchant: null, redacted: true, amountPence: 5_000, merchantCategory: '5812', purpose: 'Lunch', serviceArea: null, description: 'a\nb', transactionRef: null, irrecoverableVatPence: null };
const grant = { dataset: 'grants-vcse', line: 9 } as TypedRow;
const AUTHORITY = '00000000-0000-4000-8000-0000000000a1';
const IMPORT = '00000000-0000-4000-8000-0000000000b2';
const TYPES: BinaryColumn[] = ['uuid', 'uuid', 'int4', 'text', 'date', 'text', 'bool', 'int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
const tuples = (rows: CopyValue[][]) => Buffer.concat([...binaryCopyChunks(rows, TYPES, (r) => r)].map((c) => c.data));

describe('the COPY data of payments', () => {
  it('is each payment’s values in the columns’ order, as they are, and nothing for other rows', () => {
    const [chunk, ...more] = [...paymentCopyData([spend, grant, card], AUTHORITY, IMPORT)];
    expect(more).toEqual([]);
    expect(chunk!.sent).toBe(2);
    expect(TYPES).toHaveLength(TRANSACTION_COLUMNS.length);
    expect(Buffer.from(chunk!.data).toString('hex')).toBe(
      tuples([
        [AUTHORITY, IMPORT, 7, 'spend-over-500', '2025-04-03', spend.supplier, false, -123_456, null, 'Adult Care', '\\N', 'T1', null, 'S9', null],
        [AUTHORITY, IMPORT, 8, 'procurement-card', null, null, true, 5_000, 'Lunch', null, 'a\nb', null, null, null, '5812'],
      ]).toString('hex'),
    );
  });

  it('reads back as the payments as saved: every field kept, those not kept null', () => {
    const data = [...paymentCopyData([spend, grant], AUTHORITY, IMPORT)].map((c) => c.data);
    expect(paymentsOfCopyData(data, 'spend-over-500')).toEqual([{ ...spend, expenseCode: null }]);
    const [cardBack] = paymentsOfCopyData([...paymentCopyData([card], AUTHORITY, IMPORT)].map((c) => c.data), 'procurement-card');
    expect(cardBack).toEqual(card);
    expect(paymentOfStored('procurement-card', { line: 8, paidOn: null, supplierName: null, redacted: true, amountPence: 5_000, expenseType: 'Lunch', serviceArea: null, description: 'a\nb', transactionRef: null, invoiceRef: null, supplierRef: null, merchantCategory: '5812' })).toEqual(card);
  });
});
