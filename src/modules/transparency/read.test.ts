import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { proposeLayout } from './layout.ts';
import { bodyOf, decodeBytes } from './decode.ts';
import { layoutOf, layoutTextOf, readRows, readTransparencyFile, type LandAssetRow, type SpendRow, type TransparencyFile } from './read.ts';

const SAMPLES = new URL('../../../../shared/data/samples/transparency-code/', import.meta.url);
/**
 * Figures worked out without this reader: scripts/transparency-expected.py reads each
 * file with Python's csv module, Decimal and datetime, told each file's layout by hand.
 */
const EXPECTED = JSON.parse(fs.readFileSync(new URL('../../../test/fixtures/transparency-expected.json', import.meta.url), 'utf8')) as {
  files: Record<string, { encoding: string; rows: number; rejected: number; credits: number; totalPence: number; undated: number; ownTotalsPence?: number[]; fused?: number; registrationNone?: number; uprnMissing?: number; uprnUnreliable?: number }>;
};
const readSample = (name: string) => readTransparencyFile(fs.readFileSync(new URL(name, SAMPLES)));
const readText = (text: string, options = {}) => readTransparencyFile(new TextEncoder().encode(text), options);
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (err) {
    if (err instanceof ValidationError) return Object.values(err.fields)[0];
    throw err;
  }
  return null;
};
const undated = (file: TransparencyFile) => file.rows.filter((r) => 'date' in r && r.date === null).length;

describe('every real sample file', () => {
  it('has expected figures for each sample but the supplier-totals file', () => {
    const onDisk = fs.readdirSync(SAMPLES).flatMap((dir) => fs.readdirSync(new URL(`${dir}/`, SAMPLES)).map((f) => `${dir}/${f}`));
    expect(onDisk.filter((f) => !(f in EXPECTED.files)).sort()).toEqual(['spend-over-500/lambeth_2011-01_supplier-totals.csv']);
  });

  it.each(Object.entries(EXPECTED.files))('%s: rows, rejected, credits and net total agree with the independent figures', (name, expected) => {
    const file = readSample(name);
    expect({ encoding: file.encoding, rows: file.rows.length, rejected: file.rejected.length, credits: file.credits, totalPence: file.totalPence, undated: undated(file) }).toEqual({
      encoding: expected.encoding, rows: expected.rows, rejected: expected.rejected, credits: expected.credits, totalPence: expected.totalPence, undated: expected.undated,
    });
    for (const own of expected.ownTotalsPence ?? []) {
      expect(file.warnings.some((w) => w.includes('is a total line') && w.includes('it agrees with the rows above it'))).toBe(own === file.totalPence);
    }
  });

  it('refuses Lambeth’s supplier totals, saying why', () => {
    expect(refusal(() => readSample('spend-over-500/lambeth_2011-01_supplier-totals.csv'))).toMatch(/not individual transactions/);
  });
});

describe('real quirks, row by row', () => {
  it('splits Lambeth’s fused date and amount back as dd/mm/yyyy + amount, which the file’s own Total line confirms', () => {
    const file = readSample('spend-over-500/lambeth_2012-06_invoices-over-500_report-export.csv');
    const at = (line: number) => file.rows.find((r) => r.line === line) as SpendRow;
    expect(at(19)).toMatchObject({ supplier: 'A A GuestHouses', date: '2012-06-25', amountPence: 90000, expenseType: 'PRIVATE RESIDENTIAL CARE' });
    expect(at(29)).toMatchObject({ supplier: 'Abbey Law', date: '2012-06-11', amountPence: 57960 });
    // The supplier ran into the date: "Catch2212/06/2012" is Catch22 on 12/06/2012.
    expect(at(441)).toMatchObject({ supplier: 'Catch22', date: '2012-06-12', amountPence: 875520 });
    expect(at(1382)).toMatchObject({ supplier: 'Inter High Education/Academy21', date: '2012-05-29', amountPence: 74000 });
    expect(file.warnings).toContain('Line 3167 is a total line (£40,292,334.84) and was left out; it agrees with the rows above it');
    expect(file.warnings.find((w) => w.startsWith('Two values had run together'))).toMatch(new RegExp(`${EXPECTED.files['spend-over-500/lambeth_2012-06_invoices-over-500_report-export.csv']!.fused} rows`));
    expect(at(20)!.supplier).not.toMatch(/†/);
  });

  it('reads Oxford 2014’s lost dates as no date, reported, not guessed', () => {
    const file = readSample('spend-over-500/oxford-city_2014-q2_expenditure-over-500.csv');
    expect(file.from).toBeNull();
    expect(file.warnings[0]).toMatch(/^The date is only a time \(“00:00:00”\): the date was lost when the council exported the file: 3,836 rows, lines 2, 3, 4, 5, 6 and 3,831 more$/);
  });

  it('flags Devon’s redacted names and float artefacts', () => {
    const file = readSample('spend-over-500/devon-cc_2017-10_spending-over-500.csv');
    const rows = file.rows as SpendRow[];
    expect(rows.filter((r) => r.redacted).length).toBe(312);
    expect(rows.find((r) => r.line === 3)).toMatchObject({ amountPence: 795642, supplier: 'DATASHARP UK LTD', transactionRef: 'BSS33401087', invoiceRef: '1348546', vatRegistration: '337062665' });
    expect(rows.find((r) => r.line === 7)!.invoiceRef).toBeNull(); // "REDACTED UNDER DP ACT"
  });

  it('reads Hyndburn’s trailing-minus credits, spacer columns and headings at the bottom', () => {
    const october = readSample('spend-over-500/hyndburn_2024-10_spend-over-250_spread-columns.csv');
    expect((october.rows as SpendRow[]).filter((r) => r.amountPence === -10639600)).toHaveLength(1);
    expect(october.warnings).toContain('“th Grant” in an empty spacer column (column 4) was ignored: line 32');
    const march = readSample('spend-over-500/hyndburn_2025-03_spend-over-250_no-header.csv');
    expect(march.warnings).toContain('The column headings appear again and were left out: line 983');
  });

  it('types grants (N/A is no registration number) and land assets (rounded and missing UPRNs)', () => {
    const grants = readSample('grants-vcse/warwickshire-cc_grants-2015-16.csv');
    expect(grants.rows.filter((r) => r.dataset === 'grants-vcse' && r.registrationNumber === null)).toHaveLength(EXPECTED.files['grants-vcse/warwickshire-cc_grants-2015-16.csv']!.registrationNone!);
    expect(grants.rows[0]).toMatchObject({ awardDate: '2015-12-04', recipient: 'Barnardo Services Ltd', registrationNumber: '200613', amountPence: 695009, period: 'One-off' });
    const land = readSample('land-assets/warwickshire-cc_property-and-asset-list_2022-04.csv');
    const assets = land.rows as LandAssetRow[];
    const expected = EXPECTED.files['land-assets/warwickshire-cc_property-and-asset-list_2022-04.csv']!;
    expect(assets.filter((a) => a.uprnStatus === 'unreliable')).toHaveLength(expected.uprnUnreliable!);
    expect(assets.filter((a) => a.uprnStatus === 'missing')).toHaveLength(expected.uprnMissing!);
    expect(assets[0]).toMatchObject({ uprn: '100071000000', uprnStatus: 'unreliable', assetId: '1007', name: 'Nicholas Chamberlaine School (Academy)', easting: 436810, northing: 286930, tenure: 'Freehold' });
    expect(assets.at(-1)).toMatchObject({ uprn: '10001176929', uprnStatus: 'ok' });
  });
});

describe('hand-made files, one quirk each', () => {
  const SPEND = 'Date,Supplier Name,Amount,Expense Type,Service Area,Transaction Number';

  it('reads the same rows whatever the line endings, BOM or encoding', () => {
    const lines = [SPEND, '01/04/2024,Acme Ltd,£600.00,Rent,Housing,T1', '02/04/2024,Béta Ltd,-£20.00,Rent,Housing,T2'];
    const utf8 = readText(lines.join('\n'));
    const bom = readTransparencyFile(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(lines.join('\r\n'))]));
    const cp1252 = readTransparencyFile(new Uint8Array([...lines.join('\r')].map((c) => c.charCodeAt(0))));
    expect(cp1252.encoding).toBe('windows-1252');
    for (const file of [bom, cp1252]) {
      expect(file.rows).toEqual(utf8.rows);
    }
    expect(utf8).toMatchObject({ credits: 1, totalPence: 58000, from: '2024-04-01', to: '2024-04-02', rejected: [] });
    expect(utf8.rows[1]).toMatchObject({ line: 3, supplier: 'Béta Ltd', amountPence: -2000, transactionRef: 'T2' });
  });

  it('rejects impossible dates and bad amounts with the line and the reason, and keeps going', () => {
    const file = readText([SPEND, '31/02/2024,Acme Ltd,600.00,Rent,Housing,T1', '01/03/2024,Acme Ltd,12.345,Rent,Housing,T2', '01/03/2024,Acme Ltd,,Rent,Housing,T3', '"01/03/2024","Smith, J",(500.00),Rent,Housing,T4'].join('\n'));
    expect(file.rejected).toEqual([
      { line: 2, reason: 'Date: “31/02/2024” is not a real date: February 2024 has 29 days' },
      { line: 3, reason: 'Amount: “12.345” has more than 2 decimal places' },
      { line: 4, reason: 'Amount: no amount' },
    ]);
    expect(file.rows).toMatchObject([{ line: 5, supplier: 'Smith, J', amountPence: -50000 }]);
  });

  it('gives the line a multi-line quoted record starts on', () => {
    const file = readText([SPEND, '01/04/2024,"Lapworth Garage,', 'Old Warwick Road",600.00,Rent,Housing,T1', '31/04/2024,Acme Ltd,1.00,Rent,Housing,T2'].join('\r\n'));
    expect(file.rows).toMatchObject([{ line: 2, supplier: 'Lapworth Garage, Old Warwick Road' }]);
    expect(file.rejected).toEqual([{ line: 4, reason: 'Date: “31/04/2024” is not a real date: April 2024 has 30 days' }]);
  });

  it('reads every date form in one file', () => {
    const dates = ['25/06/2012', '06/01/26', '11-Aug-22', '3 Apr 2023', '2017-10-02 00:00:00', '2017-10-03'];
    const file = readText([SPEND, ...dates.map((d, i) => `${d},Acme Ltd,500.00,Rent,Housing,T${i}`)].join('\n'));
    expect(file.rows.map((r) => 'date' in r && r.date)).toEqual(['2012-06-25', '2026-01-06', '2022-08-11', '2023-04-03', '2017-10-02', '2017-10-03']);
  });

  it('leaves out subtotal and total lines with a warning that checks them against the rows', () => {
    const file = readText([SPEND, '01/04/2024,Acme Ltd,600.00,Rent,Housing,T1', 'Sub total,,600.00,,,', '01/04/2024,Beta Ltd,"106,396.00-",Rent,Housing,T2', ',,"1,000.00",,,'].join('\n'));
    expect(file.rows).toHaveLength(2);
    expect(file.rejected).toEqual([]);
    expect(file.warnings).toEqual([
      'Line 3 is a total line (£600.00) and was left out; it agrees with the rows above it',
      'Line 5 is a total line (£1,000.00) and was left out; the rows taken above it add up to -£106,396.00',
    ]);
    expect(file.totalPence).toBe(60000 - 10639600);
  });

  it('does not take a supplier called Total for a total line', () => {
    const file = readText(['Supplier Name,Date,Amount', 'TOTAL GAS & POWER LIMITED,01/04/2024,900.00'].join('\n'));
    expect(file.rows).toMatchObject([{ supplier: 'TOTAL GAS & POWER LIMITED', amountPence: 90000 }]);
  });

  it('splits a fused date and amount on real Lambeth rows, and refuses a short row it cannot place', () => {
    const file = readText([
      'Body,Department,Supplier Name,Invoice Creation Date,Invoice Nett Amount,Subj Description',
      'Lambeth,Adults,170 Community Project,08/06/2012,1534.24,FLOATING SUPPORT SERVICES',
      'Lambeth,Children,198 Contemporary Arts & Learning Ltd,06/06/2012,1750.00,GRANTS',
      'Lambeth,Children,A A GuestHouses,25/06/2012900,PRIVATE RESIDENTIAL CARE',
      'Lambeth,Finance,Abbey Law,11/06/2012579.6,COST DRAFTSMAN',
      'Lambeth,Children,Catch2212/06/2012,8755.20,SUPPORTED HOUSING',
      'Lambeth,Children,Somebody,RENT 01/06/2012,SUPPORTED HOUSING',
    ].join('\n'));
    expect(file.rows.slice(2)).toMatchObject([
      { line: 4, date: '2012-06-25', amountPence: 90000, supplier: 'A A GuestHouses' },
      { line: 5, date: '2012-06-11', amountPence: 57960 },
      { line: 6, date: '2012-06-12', amountPence: 875520, supplier: 'Catch22' },
    ]);
    expect(file.rejected).toEqual([{ line: 7, reason: 'The row has 5 values where the headings have 6, and they cannot be matched to the columns' }]);
  });

  it('rejects a row with an unquoted comma rather than shifting its columns', () => {
    const file = readText([SPEND, '01/04/2024,Smith, J,600.00,Rent,Housing,T1'].join('\n'));
    expect(file.rejected[0]?.reason).toMatch(/^The row has 7 values where the headings have 6: probably a comma/);
  });

  it('reads a headingless file from its values, with a saved mapping, and checks a saved mapping still fits', () => {
    const rows = ['REGN - Housing,,FAF - Strategic Housing,,Affordable Warmth Grant,,1,,CRINV0008145,,Rhea Projects Ltd,,04/03/2025,,"2,730.00"',
      'ENVH - Health,,BAA - Housing Standards,,Agency costs w/c 27/01/25,,1,,CRINV0008147,,Oyster Partnership,,04/03/2025,,"1,294.80"',
      'ENVH - Health,,BAA - Housing Standards,,Agency costs w/c 03/02/25,,1,,CRINV0008148,,Oyster Partnership,,05/03/2025,,"5,559.00-"'];
    const file = readText(rows.join('\r\n'));
    expect(file.mapping.headerLine).toBeNull();
    expect(file.rows[2]).toMatchObject({ line: 3, supplier: 'Oyster Partnership', amountPence: -555900, transactionRef: 'CRINV0008148', serviceArea: 'BAA - Housing Standards' });
    // Saved and used again on next month's file.
    const again = readRows(rows.slice(1).join('\n'), JSON.parse(JSON.stringify(file.mapping)));
    expect(again.rows).toHaveLength(2);
    // A saved mapping whose headings no longer match is refused, not misread.
    const saved = proposeLayout(`${SPEND}\n01/04/2024,Acme Ltd,600.00,Rent,Housing,T1\n`).mapping!;
    expect(refusal(() => readRows('Supplier Name,Date,Amount,Expense Type,Service Area,Transaction Number\nAcme Ltd,01/04/2024,600.00,Rent,Housing,T1\n', saved))).toMatch(/^Column 1 was “Date” \(date\) in the mapping, but in this file it is “Supplier Name”/);
  });

  it('lets a person change the mapping and reads by it', () => {
    const text = 'Payment Date,Who,Net Amount,Why\n01/04/2024,Acme Ltd,600.00,Rent\n';
    const mapping = proposeLayout(text).mapping!;
    expect(Object.keys(mapping.columns)).toEqual(['date', 'amount']);
    mapping.columns.supplier = { index: 1, heading: 'Who', confidence: 'high' };
    mapping.columns.expenseType = { index: 3, heading: 'Why', confidence: 'high' };
    expect(readRows(text, mapping).rows[0]).toMatchObject({ supplier: 'Acme Ltd', expenseType: 'Rent', amountPence: 60000 });
  });

  it('refuses a file that is not text, and one that is not spend data', () => {
    expect(refusal(() => readTransparencyFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])))).toMatch(/Excel workbook/);
    expect(refusal(() => readText('Supplier Name,Sum of Invoice Nett Amount\nVeolia ES (UK) Ltd,2037315.80\n'))).toMatch(/not individual transactions/);
  });
});

describe('the start of a file its layout is settled from', () => {
  it('is enough of a big file for the same layout as the whole, and all of a small one', () => {
    // Long multi-line descriptions, so the 400 sampled records take more than the first cut of a megabyte.
    const rows = Array.from({ length: 3_000 }, (_, i) => `0${1 + (i % 9)}/04/2024,Supplier ${i},${500 + i}.00,"${'word '.repeat(200)}\r\nmore"`);
    for (const eol of ['\r\n', '\r']) {
      const text = ['Anytown Council,,,', 'Date,Supplier,Amount,Description', ...rows].join(eol);
      const body = Buffer.from(text);
      const start = layoutTextOf(body, 'utf-8');
      expect(start.length).toBeLessThan(text.length);
      expect(text.startsWith(start)).toBe(true);
      expect(layoutOf(start)).toEqual(layoutOf(text));
    }
    const small = fs.readFileSync(new URL('spend-over-500/hyndburn_2023-06_spend-over-250.csv', SAMPLES));
    const { body, encoding } = bodyOf(small);
    expect(layoutTextOf(body, encoding)).toBe(decodeBytes(small).text);
  });
});
