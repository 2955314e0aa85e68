import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { formatPence } from '../../lib/money.ts';
import { balances, checkBalanced, checkCovered, financialQuarter, isQuarter, postingsFor, quarterRange, quartersOf, reconcile, statement, statementCsv, type LedgerEntry, type Movement } from './ledger.ts';

const S = 'stream-1';
let n = 0;
const entry = (kind: Movement, amount: number, occurredOn: string, allocationId: string | null = null): LedgerEntry => ({
  transactionId: `t${++n}`,
  kind,
  occurredOn,
  description: `${kind} ${amount}`,
  streamId: S,
  postings: postingsFor(kind, amount, S, allocationId),
});

describe('postings', () => {
  it('debit one account and credit another by the same amount, so every movement balances', () => {
    expect(postingsFor('allocation', 5000, S, 'a1')).toEqual([
      { streamId: S, account: 'allocated', allocationId: 'a1', amountPence: 5000 },
      { streamId: S, account: 'available', allocationId: null, amountPence: -5000 },
    ]);
    for (const kind of ['contribution', 'allocation', 'top-slice', 'release', 'spend', 'return', 'clawback'] as const) expect(() => checkBalanced(postingsFor(kind, 1, S, 'a'))).not.toThrow();
  });

  it('refuses a ledger entry that does not balance, has one line, a zero line or part pence, naming the amount', () => {
    const unbalanced = [...postingsFor('contribution', 100, S, null)];
    unbalanced[1] = { ...unbalanced[1]!, amountPence: -99 };
    const refused = (p: Parameters<typeof checkBalanced>[0]) => {
      try {
        checkBalanced(p);
        return null;
      } catch (err) {
        return (err as ValidationError).fields.amount;
      }
    };
    expect(refused(unbalanced)).toBe('The ledger entry does not balance: its lines sum to 1 pence, not 0');
    expect(refused(unbalanced.slice(0, 1))).toMatch(/needs a debit and a credit/);
    expect(refused([{ ...unbalanced[0]!, amountPence: 0 }, { ...unbalanced[0]!, amountPence: 0 }])).toMatch(/whole number of pence/);
    expect(refused([{ ...unbalanced[0]!, amountPence: 0.5 }, { ...unbalanced[0]!, amountPence: -0.5 }])).toMatch(/whole number of pence/);
  });
});

describe('balances and cover', () => {
  const history = [entry('contribution', 100_000, '2026-04-10'), entry('allocation', 60_000, '2026-05-01', 'a1'), entry('top-slice', 10_000, '2026-05-02'), entry('spend', 25_000, '2026-06-01', 'a1')];
  const all = history.flatMap((e) => e.postings);

  it('say where the money is; the accounts sum to zero', () => {
    expect(balances(all)).toEqual({ contributed: -100_000, available: 30_000, fund: 10_000, allocated: 35_000, spent: 25_000 });
    expect(balances(all, 'a1')).toEqual({ contributed: 0, available: 0, fund: 0, allocated: 35_000, spent: 25_000 });
  });

  it('refuse a movement beyond the money it draws on, saying what is left', () => {
    const b = balances(all);
    expect(() => checkCovered('allocation', 30_000, b, formatPence)).not.toThrow();
    expect(() => checkCovered('allocation', 30_001, b, formatPence)).toThrow(expect.objectContaining({ fields: { amount: 'Only £300.00 is available to allocate in this stream' } }));
    expect(() => checkCovered('release', 10_001, b, formatPence)).toThrow(expect.objectContaining({ fields: { amount: 'Only £100.00 is in the investment fund in this stream' } }));
    expect(() => checkCovered('spend', 35_001, balances(all, 'a1'), formatPence)).toThrow(expect.objectContaining({ fields: { amount: 'Only £350.00 is allocated and unspent in this stream' } }));
    expect(() => checkCovered('contribution', 1e9, b, formatPence)).not.toThrow();
  });
});

describe('financial quarters', () => {
  it('begin on 1 April, 1 July, 1 October and 1 January', () => {
    expect(financialQuarter('2026-04-01')).toBe('2026-27 Q1');
    expect(financialQuarter('2026-06-30')).toBe('2026-27 Q1');
    expect(financialQuarter('2026-07-01')).toBe('2026-27 Q2');
    expect(financialQuarter('2026-12-31')).toBe('2026-27 Q3');
    expect(financialQuarter('2027-01-01')).toBe('2026-27 Q4');
    expect(financialQuarter('2027-03-31')).toBe('2026-27 Q4');
    expect(financialQuarter('1999-04-01')).toBe('1999-00 Q1');
  });
  it('run from their first day to their last', () => {
    expect(quarterRange('2026-27 Q1')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterRange('2026-27 Q3')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterRange('2027-28 Q4')).toEqual({ from: '2028-01-01', to: '2028-03-31' });
    expect(isQuarter('2026-27 Q4')).toBe(true);
    expect(isQuarter('2026-28 Q1')).toBe(false);
    expect(isQuarter('2026-27 Q5')).toBe(false);
  });
});

describe('statements', () => {
  const history = [entry('contribution', 100_000, '2026-04-10'), entry('allocation', 60_000, '2026-05-01', 'a1'), entry('spend', 25_000, '2026-07-15', 'a1'), entry('return', 5_000, '2026-08-01', 'a1')];

  it('open with the balances at the start of the quarter, list its movements and close with its balances', () => {
    const s = statement(history, '2026-27 Q2');
    expect(s.opening).toEqual({ contributed: -100_000, available: 40_000, fund: 0, allocated: 60_000, spent: 0 });
    expect(s.lines.map((l) => [l.occurredOn, l.kind, l.amountPence, l.availableAfter])).toEqual([
      ['2026-07-15', 'spend', 25_000, 40_000],
      ['2026-08-01', 'return', 5_000, 45_000],
    ]);
    expect(s.closing).toEqual({ contributed: -100_000, available: 45_000, fund: 0, allocated: 30_000, spent: 25_000 });
    expect(quartersOf(history)).toEqual(['2026-27 Q1', '2026-27 Q2']);
  });

  it('download as CSV with amounts in pounds, quoting text that needs it', () => {
    const csv = statementCsv(statement(history, '2026-27 Q1'), { partner: 'NHS South East London, "ICB"', stream: () => 'Better Care Fund' });
    expect(csv.split('\r\n')).toEqual([
      'Partner,Quarter,Date,Stream,Movement,Description,Amount,Available after',
      '"NHS South East London, ""ICB""",2026-27 Q1,2026-04-01,,Opening balance,Available at the start of the quarter,,0.00',
      '"NHS South East London, ""ICB""",2026-27 Q1,2026-04-10,Better Care Fund,Contribution,contribution 100000,1000.00,1000.00',
      '"NHS South East London, ""ICB""",2026-27 Q1,2026-05-01,Better Care Fund,Allocation,allocation 60000,600.00,400.00',
      '"NHS South East London, ""ICB""",2026-27 Q1,2026-06-30,,Closing balance,Contributed 1000.00; in the fund 0.00; allocated 600.00; spent 0.00,,400.00',
      '',
    ]);
  });
});

describe('reconciliation', () => {
  it('adds up each stream’s movements by financial year, with the balances at its end, and checks they balance', () => {
    const rows = reconcile([entry('contribution', 100_000, '2026-04-10'), entry('allocation', 60_000, '2027-03-31', 'a1'), entry('clawback', 10_000, '2027-04-01'), entry('spend', 20_000, '2027-05-01', 'a1')]);
    expect(rows.map((r) => [r.year, r.moved.contribution, r.moved.allocation, r.moved.clawback, r.moved.spend, r.closing.available, r.closing.spent, r.balanced])).toEqual([
      ['2026-27', 100_000, 60_000, 0, 0, 40_000, 0, true],
      ['2027-28', 0, 0, 10_000, 20_000, 30_000, 20_000, true],
    ]);
  });

  it('shows a stream out of balance when a posting went missing', () => {
    const broken = entry('contribution', 100, '2026-04-10');
    broken.postings = broken.postings.slice(0, 1);
    expect(reconcile([broken])[0]!.balanced).toBe(false);
  });
});
