import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber } from '../../lib/dates.ts';
import { portMessages, startWorker, type WorkerSession } from '../../lib/worker.ts';
import { figuresOf, fileFlags, type CheckAnswer, type CheckQuestion, type CopyMessage } from './check-worker.ts';
import { paymentCopyData } from './payment-copy.ts';
import { fileLayout, readTransparencyFile, type ReadOptions } from './read.ts';
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
  const [authorityId, importId] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2'];

  /** Asks the worker to read `file` (in shared memory, as the import sends it) with `options`, gathering what it sends on the port. */
  async function readOnWorker(file: Uint8Array, options: ReadOptions) {
    const { port1, port2 } = new MessageChannel();
    const shared = new Uint8Array(new SharedArrayBuffer(file.length));
    shared.set(file);
    const answer = worker.ask({ read: { bytes: shared, options, authorityId, importId, port: port2 } }, [port2]);
    const messages: CopyMessage[] = [];
    for await (const m of portMessages<CopyMessage>(port1, (m) => 'end' in m, answer)) messages.push(m);
    const chunks = messages.flatMap((m) => ('chunk' in m ? [m] : []));
    return { answer: await answer, chunks, sent: Buffer.concat(chunks.map((m) => m.chunk)) };
  }

  it('reads the rows from the bytes, sending their COPY data as it reads them, answers their figures, and checks them as this thread would', async () => {
    const inThread = fileFlags(file.rows, earlier);
    // Acme paid twice (and in two parts under the quotation threshold), and Hedgerow's T4 again after February's file.
    expect(inThread.map((f) => f.check).sort()).toEqual(['duplicate-payment', 'duplicate-payment', 'split-purchase']);
    expect(inThread.filter((f) => f.explanation.includes('february.csv')).map((f) => f.lines)).toEqual([[5]]);
    // The import settles the layout from the start of the file before it asks the worker to read.
    expect(fileLayout(bytes)).toEqual({ dataset: file.dataset, mapping: file.mapping, warnings: [] });
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    const { answer, chunks, sent } = await readOnWorker(bytes, { mapping: file.mapping });
    expect(answer).toEqual({ file: figuresOf(file) });
    expect(figuresOf(file)).toMatchObject({ rowCount: 4, totalPence: 1_305_000 });
    expect(sent.equals(Buffer.concat([...paymentCopyData(file.rows, authorityId, importId)].map((c) => c.data)))).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ sent: 4, expected: 4 });
    expect(await worker.ask({ check: { earlier } })).toEqual({ flags: inThread });
  });

  it('estimates the rows a file holds from how far through its bytes the read is, exactly in the last chunk', async () => {
    // 12,000 payments, some with a line break inside a quoted description, and a total line: three chunks of COPY data.
    const lines = ['Date,Supplier,Amount,Description'];
    for (let i = 0; i < 12_000; i++) lines.push(`01/03/2022,Supplier ${i % 50},${500 + i}.00,${i % 3 ? 'Stationery' : '"Paper,\r\nand ink"'}`);
    lines.push('Total,,,');
    const big = new TextEncoder().encode(lines.join('\r\n'));
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    const { answer, chunks } = await readOnWorker(big, { mapping: fileLayout(big).mapping });
    expect(answer).toMatchObject({ file: { rowCount: 12_000 } });
    expect(chunks.map((c) => c.sent)).toEqual([5_000, 10_000, 12_000]);
    for (const c of chunks.slice(0, -1)) expect(Math.abs(c.expected - 12_000)).toBeLessThan(12_000 * 0.01);
    expect(chunks.at(-1)!.expected).toBe(12_000);
  });

  it('reads with another mapping when the import settles on one; one that does not fit is refused before the worker is asked', async () => {
    // The officer says the supplier is in the Expense Type column: Acme's and Hedgerow's payments now look like two other suppliers'.
    const { expenseType, ...others } = file.mapping.columns;
    const mapping = { ...file.mapping, columns: { ...others, supplier: expenseType! } };
    const other = readTransparencyFile(bytes, { mapping });
    expect(fileFlags(other.rows, [])).not.toEqual(fileFlags(file.rows, []));
    const misfit = { ...mapping, columns: { ...mapping.columns, supplier: { ...expenseType!, heading: 'Payee' } } };
    expect(() => fileLayout(bytes, { mapping: misfit })).toThrow(expect.objectContaining({ fields: { mapping: expect.stringContaining('Payee') } }));
    expect(fileLayout(bytes, { mapping })).toMatchObject({ mapping });
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    const { answer, sent } = await readOnWorker(bytes, { mapping });
    expect(answer).toEqual({ file: figuresOf(other) });
    expect(sent.equals(Buffer.concat([...paymentCopyData(other.rows, authorityId, importId)].map((c) => c.data)))).toBe(true);
    expect(await worker.ask({ check: { earlier: [] } })).toEqual({ flags: fileFlags(other.rows, []) });
  });

  it('refuses a file that is not text, to read without a payments mapping, and to check a file it has not read', async () => {
    worker = startWorker(new URL('./check-worker.ts', import.meta.url));
    await expect(worker.ask({ check: { earlier: [] } })).rejects.toThrow(/before it had read the file/);
    const { port2 } = new MessageChannel();
    await expect(worker.ask({ read: { bytes, options: {}, authorityId, importId, port: port2 } }, [port2])).rejects.toThrow(/with their mapping settled/);
    const { answer } = await readOnWorker(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe]), { mapping: file.mapping });
    expect(answer).toMatchObject({ refused: { file: expect.stringContaining('Excel') } });
  });
});
