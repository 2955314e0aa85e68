import { describe, expect, it } from 'vitest';
import { copyField, type CopyValue } from '../../lib/db/copy.ts';
import { paymentCopyText, TRANSACTION_COLUMNS } from './payment-copy.ts';
import type { CardRow, SpendRow, TypedRow } from './read.ts';

const spend: SpendRow = {
  dataset: 'spend-over-500', line: 7, date: '2025-04-03', supplier: 'Tab\tand\\slash\r\nLtd', redacted: false, amountPence: -123_456, expenseType: null, serviceArea: 'Adult Care', description: '\\N',
  transactionRef: 'T1', invoiceRef: null, supplierId: 'S9', expenseCode: 'E1', vatRegistration: null, irrecoverableVatPence: null, merchantCategory: null,
};
const card: CardRow = { dataset: 'procurement-card', line: 8, date: null, merchant: null, redacted: true, amountPence: 5_000, merchantCategory: '5812', purpose: 'Lunch', serviceArea: null, description: 'a\nb', transactionRef: null, irrecoverableVatPence: null };
const grant = { dataset: 'grants-vcse', line: 9 } as TypedRow;
const copyLine = (values: CopyValue[]) => values.map(copyField).join('\t');

describe('the COPY text of payments', () => {
  it('is each payment’s values in the columns’ order, escaped, and nothing for other rows', () => {
    const [chunk, ...more] = [...paymentCopyText([spend, grant, card], 'auth', 'imp')];
    expect(more).toEqual([]);
    expect(chunk!.sent).toBe(2);
    expect(chunk!.text).toBe(
      `${copyLine(['auth', 'imp', 7, 'spend-over-500', '2025-04-03', spend.supplier, false, -123_456, null, 'Adult Care', '\\N', 'T1', null, 'S9', null])}\n` +
        `${copyLine(['auth', 'imp', 8, 'procurement-card', null, null, true, 5_000, 'Lunch', null, 'a\nb', null, null, null, '5812'])}\n`,
    );
    expect(chunk!.text.split('\n')[0]!.split('\t')).toHaveLength(TRANSACTION_COLUMNS.length);
  });
});
