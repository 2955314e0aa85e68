import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber } from '../../lib/dates.ts';
import { portMessages, startWorker, type WorkerSession } from '../../lib/worker.ts';
import { figuresOf, fileFlags, type CheckAnswer, type CheckQuestion, type CopyMessage } from './check-worker.ts';
import { paymentCopyData } from './payment-copy.ts';
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

describe('a big file read, written and checked on a worker thread', () => {
  let worker: WorkerSession<CheckQuestion, CheckAnswer>;
  afterEach(() => worker?.end());

  it('reads the file once, answers its figures, and checks the rows it read as this thread would', async () => {
    const inThread = fileFlags(file.rows, earlier);
    // Acme paid twice (and in two parts under the quotation threshold), and Hedgerow's T4 again after February's file.
    expect(inThread.map((f) => f.check).sort()).toEqual(['duplicate-payment', 'duplicate-payment', 'split-purchase']);
    expect(inThread.filter((f) => f.explanation.includes('february.csv')).map((f) => f.lines)).toEqual([[5]]);
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    expect(await worker.ask({ read: { bytes, options: {} } })).toEqual({ file: figuresOf(file) });
    expect(figuresOf(file)).toMatchObject({ rowCount: 4, totalPence: 1_305_000 });
    expect(await worker.ask({ check: { earlier } })).toEqual({ flags: inThread });
  });

  it('sends the COPY data of the rows it read, chunk by chunk on the port, then the end', async () => {
    const [authorityId, importId] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2'];
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    await worker.ask({ read: { bytes, options: {} } });
    const { port1, port2 } = new MessageChannel();
    const written = worker.ask({ write: { authorityId, importId, port: port2 } }, [port2]);
    const messages: CopyMessage[] = [];
    for await (const m of portMessages<CopyMessage>(port1, (m) => 'end' in m, written)) messages.push(m);
    await written;
    const sent = Buffer.concat(messages.flatMap((m) => ('chunk' in m ? [new Uint8Array(m.chunk)] : [])));
    expect(sent.equals(Buffer.concat([...paymentCopyData(file.rows, authorityId, importId)].map((c) => c.data)))).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
    expect(messages.at(-1)).toMatchObject({ sent: 4 });
  });

  it('reads again when the import settles on another mapping, and keeps its last good read when that one does not fit', async () => {
    // The officer says the supplier is in the Expense Type column: Acme's and Hedgerow's payments now look like two other suppliers'.
    const { expenseType, ...others } = file.mapping.columns;
    const mapping = { ...file.mapping, columns: { ...others, supplier: expenseType! } };
    const other = readTransparencyFile(bytes, { mapping });
    expect(fileFlags(other.rows, [])).not.toEqual(fileFlags(file.rows, []));
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    await worker.ask({ read: { bytes, options: {} } });
    expect(await worker.ask({ read: { options: { mapping } } })).toEqual({ file: figuresOf(other) });
    const misfit = { ...mapping, columns: { ...mapping.columns, supplier: { ...expenseType!, heading: 'Payee' } } };
    expect(await worker.ask({ read: { options: { mapping: misfit } } })).toMatchObject({ refused: { mapping: expect.stringContaining('Payee') } });
    expect(await worker.ask({ check: { earlier: [] } })).toEqual({ flags: fileFlags(other.rows, []) });
  });

  it('refuses to write or check a file it was never given', async () => {
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    await expect(worker.ask({ check: { earlier: [] } })).rejects.toThrow(/before it had read the file/);
  });
});
