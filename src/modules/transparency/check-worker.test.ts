import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber } from '../../lib/dates.ts';
import { startWorker, type WorkerSession } from '../../lib/worker.ts';
import { fileFlags, type CheckAnswer, type CheckQuestion } from './check-worker.ts';
import { readTransparencyFile } from './read.ts';
import { supplierKey } from './suppliers.ts';

const CSV = [
  'Date,Supplier,Amount,Transaction Number,Expense Type',
  '01/03/2022,ACME SUPPLIES LTD,"4,900.00",T1,Stationery',
  '06/03/2022,Acme Supplies Limited,"4,900.00",T2,Stationery',
  '07/03/2022,Hedgerow Trust,"1,250.00",T3,Grounds',
  '09/03/2022,Hedgerow Trust,"2,000.00",T4,Grounds',
].join('\r\n');
const bytes = new TextEncoder().encode(`${CSV}\r\n`);
const file = readTransparencyFile(bytes);
// T4 was in February's file too: a payment an earlier import already holds.
const hedgerow = { name: 'Hedgerow Trust', redacted: false, supplierId: null };
const earlier = [{ line: 9, date: '2022-03-09', day: dayNumber('2022-03-09'), amountPence: 200_000, key: supplierKey(hedgerow), name: 'Hedgerow Trust', transactionRef: 'T4', invoiceRef: null, card: null, fileName: 'february.csv' }];

describe('the checks of a file on a worker thread', () => {
  let worker: WorkerSession<CheckQuestion, CheckAnswer | null>;
  afterEach(() => worker?.end());

  it('finds what the checks find in this thread, from the bytes it read beside the import', async () => {
    const inThread = fileFlags(file.rows, earlier);
    // Acme paid twice (and in two parts under the quotation threshold), and Hedgerow's T4 again after February's file.
    expect(inThread.map((f) => f.check).sort()).toEqual(['duplicate-payment', 'duplicate-payment', 'split-purchase']);
    expect(inThread.filter((f) => f.explanation.includes('february.csv')).map((f) => f.lines)).toEqual([[5]]);
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    void worker.ask({ read: { bytes, options: {} } });
    const checked = await worker.ask({ check: { dataset: file.dataset, mapping: file.mapping, earlier } });
    expect(checked).toEqual({ flags: inThread, rows: 4, totalPence: 1_305_000, readAgain: false });
  });

  it('reads again when the import settles on another mapping, and checks the rows that mapping gives', async () => {
    // The officer says the supplier is in the Expense Type column: Acme's and Hedgerow's payments now look like two other suppliers'.
    const { expenseType, ...others } = file.mapping.columns;
    const mapping = { ...file.mapping, columns: { ...others, supplier: expenseType! } };
    const other = readTransparencyFile(bytes, { mapping });
    expect(fileFlags(other.rows, [])).not.toEqual(fileFlags(file.rows, []));
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    void worker.ask({ read: { bytes, options: {} } });
    const checked = await worker.ask({ check: { dataset: file.dataset, mapping, earlier: [] } });
    expect(checked).toEqual({ flags: fileFlags(other.rows, []), rows: 4, totalPence: 1_305_000, readAgain: true });
  });

  it('refuses to check a file it was never given', async () => {
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    await expect(worker.ask({ check: { dataset: file.dataset, mapping: file.mapping, earlier: [] } })).rejects.toThrow(/before being given the file/);
  });
});
