import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode.ts';
import { proposeLayout, type ColumnMapping } from './layout.ts';

const SAMPLES = new URL('../../../../shared/data/samples/transparency-code/', import.meta.url);
const sample = (name: string) => decodeBytes(fs.readFileSync(new URL(name, SAMPLES))).text;
/** field → column index, the part of a mapping a person checks. */
const indices = (mapping: ColumnMapping | null) => Object.fromEntries(Object.entries(mapping?.columns ?? {}).map(([field, c]) => [field, c.index]));

describe('proposeLayout', () => {
  it('finds the headings below a report preamble and says where they are', () => {
    const text = ['Lambeth Invoices Over Specified Nett Amount,,,', ',,,', 'Report Date:† 02/07/2012† 16:59:18,,,', 'Invoice Threshold Nett Amt:†† 500,,,',
      'Department,Supplier Name,Invoice Creation Date,Invoice Nett Amount', 'Adults,170 Community Project,08/06/2012,1534.24'].join('\n');
    const proposal = proposeLayout(text);
    expect(proposal.mapping?.headerLine).toBe(5);
    expect(indices(proposal.mapping)).toEqual({ serviceArea: 0, supplier: 1, date: 2, amount: 3 });
    expect(proposal.notes[0]).toMatch(/headings are on line 5; the 4 line\(s\) above them/);
  });

  it('skips an empty first row and reads cp1252 junk and (£) out of headings', () => {
    const proposal = proposeLayout(',,,\nName,Payment Date,Net Amount (Â£)\nH & M Ltd,6 Jun 2023,"1,708.75"\n');
    expect(proposal.mapping?.headerLine).toBe(2);
    expect(indices(proposal.mapping)).toEqual({ supplier: 0, date: 1, amount: 2 });
    expect(proposal.mapping?.columns.amount).toEqual({ index: 2, heading: 'Net Amount (Â£)', confidence: 'high' });
  });

  it('leaves out blank spacer columns', () => {
    const proposal = proposeLayout('Name:  ,,,Payment Date,,Amount Paid\nKeyplus Security Ltd,,,01/10/2024,,527.00\nVivid Resourcing,,,01/10/2024,,647.33\n');
    expect(proposal.mapping?.spacers).toEqual([1, 2, 4]);
    expect(indices(proposal.mapping)).toEqual({ supplier: 0, date: 3, amount: 5 });
  });

  it('rates a heading by how sure it can be: an alias, words that suggest a field, or the values alone', () => {
    const proposal = proposeLayout('Supplier Name,Date of payment,Cost,Posted\nAcme Ltd,01/04/2024,"1,250.00",02/04/2024\nBeta Ltd,02/04/2024,600.00,03/04/2024\n');
    const columns = proposal.mapping!.columns;
    expect(columns.supplier?.confidence).toBe('high');
    expect(columns.date).toMatchObject({ index: 1, confidence: 'medium' });
    expect(columns.amount).toMatchObject({ index: 2, confidence: 'low' });
    expect(proposal.missingMandatory.map((m) => m.field)).toEqual(['expenseType', 'serviceArea', 'irrecoverableVat', 'merchantCategory']);
  });

  it('recognises the columns of a file without headings from their values (Hyndburn March 2025)', () => {
    const proposal = proposeLayout(sample('spend-over-500/hyndburn_2025-03_spend-over-250_no-header.csv'));
    expect(proposal.dataset).toBe('spend-over-500');
    expect(proposal.mapping?.headerLine).toBeNull();
    expect(Object.values(proposal.mapping!.columns).every((c) => c.confidence === 'low' && c.heading === null)).toBe(true);
    // The same layout with headings (October 2024) maps to the same columns.
    const withHeadings = proposeLayout(sample('spend-over-500/hyndburn_2024-10_spend-over-250_spread-columns.csv'));
    expect(indices(proposal.mapping)).toEqual(indices(withHeadings.mapping));
    expect(indices(proposal.mapping)).toEqual({ serviceArea: 2, expenseType: 4, transactionRef: 9, supplier: 11, date: 14, amount: 16 });
  });

  it.each([
    ['spend-over-500/devon-cc_2017-10_spending-over-500.csv', 'spend-over-500'],
    ['spend-over-500/warwickshire-cc_2011-01_expenditure-over-500.csv', 'spend-over-500'],
    ['procurement-card/warwickshire-cc_2022-03_p-card.csv', 'procurement-card'],
    ['procurement-card/warwickshire-cc_2021-06_p-card.csv', 'procurement-card'],
    ['procurement-card/hyndburn_2022-09_pcard-in-spend-format.csv', 'procurement-card'],
    ['grants-vcse/warwickshire-cc_grants-2015-16.csv', 'grants-vcse'],
    ['land-assets/warwickshire-cc_property-and-asset-list_2022-04.csv', 'land-assets'],
  ])('tells which dataset %s is', (name, dataset) => {
    expect(proposeLayout(sample(name)).dataset).toBe(dataset);
  });

  it('says clearly that supplier totals are not transparency data (Lambeth January 2011)', () => {
    const proposal = proposeLayout(sample('spend-over-500/lambeth_2011-01_supplier-totals.csv'));
    expect(proposal.dataset).toBeNull();
    expect(proposal.mapping).toBeNull();
    expect(proposal.notTransparency).toMatch(/totals \(“Sum of Invoice Nett Amount”\), not individual transactions: it has no dates/);
  });

  it('says so when a file is not Transparency Code data at all', () => {
    expect(proposeLayout('Supplier,Amount\nAcme Ltd,500.00\nBeta Ltd,700.00\n').notTransparency).toMatch(/no dates and only a few columns: it looks like a summary/);
    expect(proposeLayout('Ward,Population\nBrixton Acre Lane,15000\nColdharbour,16000\n').notTransparency).toMatch(/does not look like Transparency Code data/);
  });

  it('reads as the dataset it is told', () => {
    const text = 'Supplier,Transno,Amount,Directorate,Pay Date\nAcme Ltd,1,900.00,Resources,11/06/2021\n';
    expect(proposeLayout(text).dataset).toBe('spend-over-500');
    expect(proposeLayout(text, { dataset: 'procurement-card' }).mapping?.columns.merchant?.index).toBe(0);
  });
});
