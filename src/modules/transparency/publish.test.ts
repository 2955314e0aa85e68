import { describe, expect, it } from 'vitest';
import { grantsCsv, transactionsCsv } from './publish.ts';

const row = (over: Record<string, unknown> = {}) => ({
  id: 'x', authorityId: 'a', importId: 'i', line: 2, dataset: 'spend-over-500', paidOn: '2024-04-03', supplierName: 'Acme, Ltd', redacted: false, amountPence: -123456,
  expenseType: 'Supplies', serviceArea: 'Highways', description: 'He said "fix it"', transactionRef: 'T1', invoiceRef: null, supplierRef: null, merchantCategory: null, ...over,
});

describe('publishing the Code datasets', () => {
  it('writes payments with the Code’s headings, amounts in pounds with credits negative, individuals redacted', () => {
    const text = transactionsCsv('spend-over-500', [row(), row({ supplierName: 'Jane Smith', redacted: true, amountPence: 50000 })] as never);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Date the expenditure was incurred,Beneficiary (supplier),Amount,Expense type,Service area,Description,Transaction number,Invoice number,Supplier ID,Merchant category');
    expect(lines[1]).toBe('2024-04-03,"Acme, Ltd",-1234.56,Supplies,Highways,"He said ""fix it""",T1,,,');
    expect(lines[2]).toContain('Redacted (personal data),500.00');
    expect(text).not.toContain('Jane Smith');
  });

  it('writes grants with their registration numbers', () => {
    const text = grantsCsv([{ id: 'g', authorityId: 'a', importId: 'i', line: 5, awardedOn: null, recipient: 'Norwood Carers', redacted: false, registrationNumber: '1234567', amountPence: 695009, purpose: 'Respite', period: '12 months', department: 'Adults' }] as never);
    expect(text.split('\r\n')[1]).toBe(',Norwood Carers,1234567,6950.09,Respite,12 months,Adults');
  });
});
