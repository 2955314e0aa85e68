import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../lib/dates.ts';
import { runInWorker } from '../../lib/worker.ts';
import { fileFlags, work, type CheckInput, type CheckOutput } from './check-worker.ts';
import { readTransparencyFile } from './read.ts';
import { supplierKey } from './suppliers.ts';

const CSV = [
  'Date,Supplier,Amount,Transaction Number',
  '01/03/2022,ACME SUPPLIES LTD,"4,900.00",T1',
  '06/03/2022,Acme Supplies Limited,"4,900.00",T2',
  '07/03/2022,Hedgerow Trust,"1,250.00",T3',
  '09/03/2022,Hedgerow Trust,"2,000.00",T4',
].join('\r\n');
const bytes = new TextEncoder().encode(`${CSV}\r\n`);
const file = readTransparencyFile(bytes);
// T4 was in February's file too: a payment an earlier import already holds.
const hedgerow = { name: 'Hedgerow Trust', redacted: false, supplierId: null };
const earlier = [{ line: 9, date: '2022-03-09', day: dayNumber('2022-03-09'), amountPence: 200_000, key: supplierKey(hedgerow), name: 'Hedgerow Trust', transactionRef: 'T4', invoiceRef: null, card: null, fileName: 'february.csv' }];
const input: CheckInput = { bytes, dataset: file.dataset, mapping: file.mapping, earlier };

describe('the checks of a file on a worker thread', () => {
  it('finds what the checks find in this thread, from the bytes and mapping alone', async () => {
    const inThread = fileFlags(file.rows, earlier);
    // Acme paid twice (and in two parts under the quotation threshold), and Hedgerow's T4 again after February's file.
    expect(inThread.map((f) => f.check).sort()).toEqual(['duplicate-payment', 'duplicate-payment', 'split-purchase']);
    expect(inThread.filter((f) => f.explanation.includes('february.csv')).map((f) => f.lines)).toEqual([[5]]);
    const checked = await runInWorker<CheckInput, CheckOutput>(new URL('./check-worker.ts', import.meta.url), input);
    expect(checked.flags).toEqual(inThread);
    expect({ rows: checked.rows, totalPence: checked.totalPence }).toEqual({ rows: 4, totalPence: 1_305_000 });
  });

  it('reads the very rows the import read, with the mapping it settled on', () => {
    const again = readTransparencyFile(bytes, { dataset: file.dataset, mapping: file.mapping });
    expect(again.rows).toEqual(file.rows);
    expect(work(input).flags).toEqual(fileFlags(file.rows, earlier));
  });
});
