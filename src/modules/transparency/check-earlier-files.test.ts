import { describe, expect, it } from 'vitest';
import { dayNumber, type CalendarDate } from '../../lib/dates.ts';
import { duplicatesOfEarlierFiles, type EarlierPayment } from './check-earlier-files.ts';
import type { Payment } from './payments.ts';

let line = 1;
function payment(date: CalendarDate, key: string, pounds: number, refs: { invoiceRef?: string; transactionRef?: string } = {}): Payment {
  return { line: line++, date, day: dayNumber(date), amountPence: Math.round(pounds * 100), key, name: key.slice(5), transactionRef: refs.transactionRef ?? null, invoiceRef: refs.invoiceRef ?? null, card: null };
}
const earlier = (fileName: string, p: Payment): EarlierPayment => ({ ...p, fileName });

describe('duplicatesOfEarlierFiles', () => {
  it('flags a payment an earlier file holds with the same invoice number, months apart, naming the file and line', () => {
    const old = earlier('march.csv', payment('2024-03-02', 'name:acme', 1200, { invoiceRef: 'INV-1' }));
    const now = [payment('2024-06-20', 'name:acme', 1200, { invoiceRef: 'INV-1' }), payment('2024-06-21', 'name:other', 900, { invoiceRef: 'INV-2' })];
    const flags = duplicatesOfEarlierFiles(now, [old]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ check: 'duplicate-payment', severity: 'high', lines: [now[0]!.line], amountPence: 120_000 });
    expect(flags[0]!.explanation).toBe(`£1,200.00 was paid to acme on 20 June 2024 (line ${now[0]!.line}), and an earlier file, march.csv, already has it on 2 March 2024 (line ${old.line}): the same invoice number INV-1.`);
  });

  it('flags the same supplier and amount within the duplicate window, and not beyond it', () => {
    const old = [earlier('may.csv', payment('2024-05-25', 'name:acme', 750)), earlier('may.csv', payment('2024-05-01', 'name:brick', 640))];
    const flags = duplicatesOfEarlierFiles([payment('2024-06-03', 'name:acme', 750), payment('2024-06-03', 'name:brick', 640)], old);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ severity: 'medium' });
    expect(flags[0]!.explanation).toMatch(/acme .* within 9 days\.$/);
  });

  it('lets a credit of the amount cancel, in either file', () => {
    const old = [earlier('may.csv', payment('2024-05-25', 'name:acme', 750)), earlier('may.csv', payment('2024-05-26', 'name:acme', -750))];
    expect(duplicatesOfEarlierFiles([payment('2024-06-01', 'name:acme', 750)], old)).toEqual([]);
    const credited = [payment('2024-06-01', 'name:acme', 500), payment('2024-06-02', 'name:acme', -500)];
    expect(duplicatesOfEarlierFiles(credited, [earlier('may.csv', payment('2024-05-30', 'name:acme', 500))])).toEqual([]);
  });

  it('says once that a file looks published again when most of it repeats earlier files', () => {
    const old: EarlierPayment[] = [];
    const now: Payment[] = [];
    for (let i = 0; i < 30; i++) {
      old.push(earlier(i < 20 ? 'june-v1.csv' : 'june-v2.csv', payment('2024-06-10', `name:supplier ${i}`, 600 + i, { transactionRef: `T${i}` })));
      now.push(payment('2024-06-10', `name:supplier ${i}`, 600 + i, { transactionRef: `T${i}` }));
    }
    for (let i = 30; i < 40; i++) now.push(payment('2024-06-11', `name:supplier ${i}`, 600 + i, { transactionRef: `T${i}` }));
    const flags = duplicatesOfEarlierFiles(now, old);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.lines).toHaveLength(30);
    expect(flags[0]!.amountPence).toBe(Array.from({ length: 30 }, (_, i) => (600 + i) * 100).reduce((a, b) => a + b));
    expect(flags[0]!.explanation).toMatch(/^30 of this file’s 40 payments from 10 June 2024 to 10 June 2024, £18,435\.00 in all, are already in earlier files, june-v1\.csv and june-v2\.csv/);
  });

  it('matches nothing for payees with no key, or other amounts', () => {
    const old = [earlier('may.csv', payment('2024-05-30', 'name:acme', 500))];
    expect(duplicatesOfEarlierFiles([{ ...payment('2024-06-01', 'name:acme', 500), key: null }, payment('2024-06-01', 'name:acme', 500.01)], old)).toEqual([]);
  });
});
