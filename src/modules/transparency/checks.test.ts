import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pence } from '../../lib/money.ts';
import { findCardOutOfHours, findCardRoundSums, findDuplicatePayments, findOutOfPattern, findRoundSums, findSpendWithoutContract, findSplitPurchases, findUnusualMerchants, runChecks, type Flag } from './checks.ts';
import { identifyingReferences } from './check-duplicates.ts';
import { paymentsOf } from './payments.ts';
import { readTransparencyFile, type CardRow, type SpendRow, type TypedRow } from './read.ts';
import { COUNCIL_QUOTATION_THRESHOLD, DEFAULT_SETTINGS, type CounterFraudSettings } from './settings.ts';

let nextLine = 1;
const spend = (date: string | null, supplier: string | null, amountPence: Pence, more: Partial<SpendRow> = {}): SpendRow => ({
  dataset: 'spend-over-500', line: ++nextLine, date, supplier, redacted: false, amountPence, expenseType: null, serviceArea: null, description: null,
  transactionRef: null, invoiceRef: null, supplierId: null, expenseCode: null, vatRegistration: null, irrecoverableVatPence: null, merchantCategory: null, ...more,
});
const card = (date: string, merchant: string, amountPence: Pence, more: Partial<CardRow> = {}): CardRow => ({
  dataset: 'procurement-card', line: ++nextLine, date, merchant, redacted: false, amountPence, merchantCategory: null, purpose: null, serviceArea: null,
  description: null, transactionRef: null, irrecoverableVatPence: null, ...more,
});
const lines = (rows: TypedRow[]) => rows.map((r) => r.line);
const only = (flags: Flag[]): Flag => {
  expect(flags).toHaveLength(1);
  return flags[0]!;
};

describe('findDuplicatePayments', () => {
  it('flags the same amount to the same supplier within the window, however the name is spelt', () => {
    const rows = [spend('2022-03-01', 'ACME SUPPLIES LTD', 490_000), spend('2022-03-06', 'Acme Supplies Limited', 490_000)];
    expect(only(findDuplicatePayments(rows))).toEqual({
      check: 'duplicate-payment', severity: 'medium', lines: lines(rows), amountPence: 490_000,
      explanation: `£4,900.00 was paid to ACME SUPPLIES LTD twice on 1 March 2022 and 6 March 2022, each within 14 days of the one before (lines ${rows[0]!.line} and ${rows[1]!.line}).`,
    });
  });

  it('does not flag look-alikes: outside the window, another supplier, another amount', () => {
    expect(findDuplicatePayments([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-16', 'Acme Ltd', 490_000)])).toEqual([]);
    expect(findDuplicatePayments([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-02', 'Acme Holdings Ltd', 490_000)])).toEqual([]);
    expect(findDuplicatePayments([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-02', 'Acme Ltd', 490_001)])).toEqual([]);
  });

  it('lets a credit cancel the payment it reverses: paid, credited and paid again is one payment', () => {
    expect(findDuplicatePayments([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-03', 'Acme Ltd', -490_000), spend('2022-03-04', 'Acme Ltd', 490_000)])).toEqual([]);
    // A credit for another amount cancels nothing.
    expect(findDuplicatePayments([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-03', 'Acme Ltd', -100_000), spend('2022-03-04', 'Acme Ltd', 490_000)])).toHaveLength(1);
  });

  it('flags the same invoice number twice at any distance, when the file’s invoice numbers identify payments', () => {
    const unique = Array.from({ length: 20 }, (_, i) => spend('2022-01-10', `Supplier ${i}`, 10_000 + i, { invoiceRef: `INV-${i}` }));
    const twice = [spend('2022-01-05', 'Acme Ltd', 250_000, { invoiceRef: 'A-1001' }), spend('2022-06-20', 'Acme Ltd', 250_000, { invoiceRef: 'A-1001' })];
    const flag = only(findDuplicatePayments([...unique, ...twice]));
    expect(flag).toMatchObject({ severity: 'high', lines: lines(twice), amountPence: 250_000 });
    expect(flag.explanation).toBe(`£2,500.00 was paid to Acme Ltd twice with the same invoice number A-1001, on 5 January 2022 and 20 June 2022 (lines ${twice[0]!.line} and ${twice[1]!.line}).`);
  });

  it('does not take a payment-run number shared by many rows as proof of a duplicate', () => {
    const run = Array.from({ length: 20 }, (_, i) => spend('2022-01-10', `Supplier ${i}`, 10_000 + i, { transactionRef: 'RUN-7' }));
    const apart = [spend('2022-01-10', 'Acme Ltd', 250_000, { transactionRef: 'RUN-7' }), spend('2022-04-10', 'Acme Ltd', 250_000, { transactionRef: 'RUN-7' })];
    expect(findDuplicatePayments([...run, ...apart])).toEqual([]);
  });

  it('takes a reference column as identifying from 90 per cent of its values distinct, not below (the house setting)', () => {
    // 20 values: 18 distinct is 90 %, 17 distinct is 85 %; rows without the reference do not count.
    const withRefs = (distinct: number) => [
      ...Array.from({ length: 20 }, (_, i) => spend('2022-01-10', `Supplier ${i}`, 10_000 + i, { invoiceRef: `INV-${Math.min(i, distinct - 1)}`, transactionRef: 'RUN-1' })),
      ...Array.from({ length: 30 }, (_, i) => spend('2022-01-11', `Other ${i}`, 20_000 + i)),
    ];
    expect(identifyingReferences(paymentsOf(withRefs(18)), DEFAULT_SETTINGS)).toEqual(['invoiceRef']);
    expect(identifyingReferences(paymentsOf(withRefs(17)), DEFAULT_SETTINGS)).toEqual([]);
    expect(identifyingReferences(paymentsOf([spend('2022-01-10', 'Acme Ltd', 10_000)]), DEFAULT_SETTINGS)).toEqual([]);
  });

  it('marks several payments of one amount in one payment run as low: one rate for several people', () => {
    const rows = [spend('2022-03-11', 'Casa Care Ltd', 194_432, { transactionRef: '51844455' }), spend('2022-03-11', 'Casa Care Ltd', 194_432, { transactionRef: '51844455' })];
    expect(only(findDuplicatePayments(rows))).toMatchObject({ severity: 'low', explanation: expect.stringMatching(/all in payment run 51844455/) });
  });

  it('matches withheld payees only on the council’s supplier number, and never names them', () => {
    expect(findDuplicatePayments([spend('2022-03-01', null, 50_000, { redacted: true }), spend('2022-03-02', null, 50_000, { redacted: true })])).toEqual([]);
    const flag = only(findDuplicatePayments([spend('2022-03-01', null, 50_000, { redacted: true, supplierId: '88' }), spend('2022-03-02', null, 50_000, { redacted: true, supplierId: '88' })]));
    expect(flag.explanation).toMatch(/^£500.00 was paid to a private individual \(name withheld\) twice/);
  });
});

describe('findSplitPurchases', () => {
  it('flags payments each just under the Transparency Code £5,000 that together reach it', () => {
    const rows = [spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-10', 'Acme Ltd', 480_000)];
    const flag = only(findSplitPurchases(rows));
    expect(flag).toMatchObject({ check: 'split-purchase', severity: 'medium', lines: lines(rows), amountPence: 970_000 });
    expect(flag.explanation).toMatch(/^2 payments to Acme Ltd within 30 days, of £4,900.00 and £4,800.00 on 1 March 2022 and 10 March 2022 .* each under £5,000.00 but together come to £9,700.00, reaching the Transparency Code’s £5,000 threshold/);
  });

  it('does not flag look-alikes: one payment, too far apart, too small to be a part, one over the line, or before the Code', () => {
    expect(findSplitPurchases([spend('2022-03-01', 'Acme Ltd', 490_000)])).toEqual([]);
    expect(findSplitPurchases([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-05-01', 'Acme Ltd', 480_000)])).toEqual([]);
    expect(findSplitPurchases([spend('2022-03-01', 'Acme Ltd', 240_000), spend('2022-03-02', 'Acme Ltd', 240_000), spend('2022-03-03', 'Acme Ltd', 240_000)])).toEqual([]);
    expect(findSplitPurchases([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-02', 'Acme Ltd', 510_000)])).toEqual([]);
    expect(findSplitPurchases([spend('2014-03-01', 'Acme Ltd', 490_000), spend('2014-03-02', 'Acme Ltd', 480_000)])).toEqual([]);
    expect(findSplitPurchases([spend('2022-03-01', 'Acme Ltd', 490_000), spend('2022-03-02', 'Other Ltd', 480_000)])).toEqual([]);
  });

  it('uses the PA 2023 £30,000 from 24 February 2025 only, and says it includes VAT', () => {
    const after = [spend('2025-03-03', 'Acme Ltd', 1_600_000), spend('2025-03-12', 'Acme Ltd', 1_550_000)];
    const flag = only(findSplitPurchases(after));
    expect(flag).toMatchObject({ severity: 'high', explanation: expect.stringMatching(/£30,000 notifiable below-threshold.*includes VAT/) });
    expect(findSplitPurchases([spend('2025-01-03', 'Acme Ltd', 1_600_000), spend('2025-01-12', 'Acme Ltd', 1_550_000)])).toEqual([]);
  });

  it('uses the council’s own threshold once the council sets it', () => {
    const settings: CounterFraudSettings = {
      ...DEFAULT_SETTINGS,
      splitThresholds: [{ ...COUNCIL_QUOTATION_THRESHOLD, versions: [{ value: 100_000, from: '2020-04-01', to: null, source: 'Contract Procedure Rules 2020, rule 4.2', confidence: 'L' }] }],
    };
    const rows = [spend('2022-03-01', 'Acme Ltd', 90_000), spend('2022-03-02', 'Acme Ltd', 80_000)];
    expect(findSplitPurchases(rows)).toEqual([]);
    expect(only(findSplitPurchases(rows, settings)).explanation).toMatch(/the council’s own threshold for seeking quotations \(Contract Procedure Rules 2020, rule 4.2\)/);
  });
});

describe('findSpendWithoutContract', () => {
  const year = [spend('2022-04-05', 'Acme Ltd', 300_000), spend('2022-09-05', 'Acme Ltd', 300_000)];

  it('flags a supplier paid over £5,000 in a financial year with no contract on the register', () => {
    const flag = only(findSpendWithoutContract(year, new Set()));
    expect(flag).toMatchObject({ check: 'no-contract', severity: 'medium', lines: lines(year), amountPence: 600_000 });
    expect(flag.explanation).toMatch(/^Acme Ltd was paid £6,000.00 net in the financial year 2022–23 \(2 payments, 5 April 2022 to 5 September 2022\), over the £5,000.00 contract threshold/);
  });

  it('does not flag look-alikes: a contract on the register, two financial years, credits bringing it under, withheld payees', () => {
    expect(findSpendWithoutContract(year, new Set(['name:acme']))).toEqual([]);
    expect(findSpendWithoutContract([spend('2022-03-30', 'Acme Ltd', 300_000), spend('2022-04-01', 'Acme Ltd', 300_000)], new Set())).toEqual([]);
    expect(findSpendWithoutContract([...year, spend('2022-10-01', 'Acme Ltd', -200_000)], new Set())).toEqual([]);
    expect(findSpendWithoutContract([spend('2022-04-05', null, 600_000, { redacted: true, supplierId: '9' })], new Set())).toEqual([]);
  });

  it('marks a public body low: councils pay each other under agreements', () => {
    expect(only(findSpendWithoutContract([spend('2022-04-05', 'Rugby Borough Council', 900_000)], new Set())).severity).toBe('low');
  });
});

describe('findRoundSums and findOutOfPattern', () => {
  it('flags exact thousands from the floor, and not near-misses, small sums or card payments', () => {
    const round = spend('2022-03-01', 'Acme Ltd', 1_000_000);
    expect(only(findRoundSums([round, spend('2022-03-01', 'Acme Ltd', 1_000_001), spend('2022-03-01', 'Acme Ltd', 900_000), card('2022-03-01', 'Acme', 1_000_000)]))).toMatchObject({ lines: [round.line], explanation: `£10,000.00 to Acme Ltd on 1 March 2022 (line ${round.line}) is an exact multiple of £1,000.00: check it was billed, not estimated.` });
  });

  it('flags a payment far above the supplier’s median once it has a history', () => {
    const history = [10_000, 11_000, 9_000, 10_500, 9_500].map((a, i) => spend(`2022-03-0${i + 1}`, 'Acme Ltd', a));
    const big = spend('2022-03-20', 'Acme Ltd', 60_000);
    expect(only(findOutOfPattern([...history, big]))).toMatchObject({ lines: [big.line], explanation: expect.stringMatching(/^£600.00 to Acme Ltd on 20 March 2022 .* is 6.0 times the median of its 5 earlier payments \(£100.00\)/) });
  });

  it('does not flag look-alikes: too short a history, within the multiple, or the same day as the history', () => {
    const history = [10_000, 11_000, 9_000, 10_500, 9_500].map((a, i) => spend(`2022-03-0${i + 1}`, 'Acme Ltd', a));
    expect(findOutOfPattern([...history.slice(1), spend('2022-03-20', 'Acme Ltd', 60_000)])).toEqual([]);
    expect(findOutOfPattern([...history, spend('2022-03-20', 'Acme Ltd', 50_000)])).toEqual([]);
    const sameDay = [10_000, 11_000, 9_000, 10_500, 9_500].map((a) => spend('2022-03-01', 'Acme Ltd', a));
    expect(findOutOfPattern([...sameDay, spend('2022-03-01', 'Acme Ltd', 60_000)])).toEqual([]);
  });
});

describe('procurement card checks', () => {
  it('flags unusual merchant categories by words or code, and by the name when the file has no category', () => {
    const betting = card('2022-03-02', 'Coral Racing', 2_000, { merchantCategory: 'Betting and gambling' });
    const code = card('2022-03-02', 'Some Shop', 2_000, { merchantCategory: '6011' });
    const byName = card('2022-03-02', 'Ladbrokes Betting', 2_000);
    const flags = findUnusualMerchants([betting, code, byName]);
    expect(flags.map((f) => [f.lines[0], f.severity])).toEqual([[betting.line, 'medium'], [code.line, 'medium'], [byName.line, 'low']]);
    expect(flags[0]!.explanation).toBe(`£20.00 on a procurement card at Coral Racing on 2 March 2022 (line ${betting.line}): its merchant category, “Betting and gambling”, is gambling, which a council card should seldom pay.`);
  });

  it('does not flag look-alike names and categories, or refunds', () => {
    const rows = [card('2022-03-02', 'Barclays Bank', 2_000), card('2022-03-02', 'Cashmere Knitwear', 2_000), card('2022-03-02', 'Rail Ticket', 2_000, { merchantCategory: '4112' }), card('2022-03-02', 'Ladbrokes Betting', -2_000)];
    expect(findUnusualMerchants(rows)).toEqual([]);
  });

  it('flags weekends and bank holidays, naming the holiday, and not weekdays or refunds', () => {
    const saturday = card('2022-03-05', 'Tesco', 2_000);
    const goodFriday = card('2022-04-15', 'Tesco', 2_000);
    const flags = findCardOutOfHours([saturday, goodFriday, card('2022-03-09', 'Tesco', 2_000), card('2022-03-06', 'Tesco', -2_000), spend('2022-03-05', 'Tesco', 2_000)]);
    expect(flags.map((f) => f.lines[0])).toEqual([saturday.line, goodFriday.line]);
    expect(flags[1]!.explanation).toBe(`£20.00 on a procurement card at Tesco on 15 April 2022, Good Friday, a bank holiday (line ${goodFriday.line}): check it was council business.`);
  });

  it('flags round card amounts from the floor, and not odd or small ones', () => {
    const round = card('2022-03-02', 'Love2shop', 15_000);
    expect(findCardRoundSums([round, card('2022-03-02', 'Love2shop', 12_000), card('2022-03-02', 'Love2shop', 5_000)]).map((f) => f.lines[0])).toEqual([round.line]);
  });
});

describe('runChecks', () => {
  it('puts the most serious first and runs the no-contract check only with a register', () => {
    const others = Array.from({ length: 20 }, (_, i) => spend('2022-01-10', `Supplier ${i}`, 10_000 + i, { invoiceRef: `INV-${i}` }));
    const rows = [...others, spend('2022-03-01', 'Acme Ltd', 1_000_000, { invoiceRef: 'A1' }), spend('2022-08-01', 'Acme Ltd', 1_000_000, { invoiceRef: 'A1' })];
    expect(runChecks(rows).map((f) => [f.check, f.severity])).toEqual([['duplicate-payment', 'high'], ['round-sum', 'low'], ['round-sum', 'low']]);
    expect(runChecks(rows, { contracted: new Set() }).map((f) => f.check)).toContain('no-contract');
  });
});

describe('every real sample file', () => {
  const SAMPLES = new URL('../../../../shared/data/samples/transparency-code/', import.meta.url);
  const files = fs.readdirSync(SAMPLES).flatMap((dir) => fs.readdirSync(new URL(`${dir}/`, SAMPLES)).map((f) => `${dir}/${f}`)).filter((f) => !f.includes('supplier-totals'));

  it.each(files)('%s: every check completes, and every flag points at real lines and names no individual', (name) => {
    const file = readTransparencyFile(fs.readFileSync(new URL(name, SAMPLES)));
    const real = new Set(file.rows.map((r) => r.line));
    const flags = runChecks(file.rows, { contracted: new Set() });
    for (const flag of flags) {
      expect(flag.lines.length).toBeGreaterThan(0);
      for (const line of flag.lines) expect(real.has(line)).toBe(true);
      expect(flag.explanation).not.toMatch(/\b(Mr|Mrs|Ms|Miss)\.? [A-Z]/);
    }
    // Files of real size always have something for an officer to look at.
    if (file.dataset === 'spend-over-500' || file.dataset === 'procurement-card') expect(flags.length > 0 || file.rows.length < 100).toBe(true);
  });
});
