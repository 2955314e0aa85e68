import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { figuresOf } from './check-worker.ts';
import { bodyOf } from './decode.ts';
import { DateCells, PaymentBytesReader } from './payment-bytes.ts';
import { paymentCopyData, paymentCopyStream } from './payment-copy.ts';
import { readTransparencyFile, type ReadOptions } from './read.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../shared/data/samples/transparency-code');
const AUTHORITY = '00000000-0000-4000-8000-0000000000a1';
const IMPORT = '00000000-0000-4000-8000-0000000000b2';

/** A file read both ways: by readTransparencyFile and paymentCopyData, and by the byte reader with the mapping the first settled on. */
function bothWays(bytes: Uint8Array, options: ReadOptions = {}) {
  const file = readTransparencyFile(bytes, options);
  const { encoding: _encoding, dataset: _dataset, mapping: _mapping, ...expected } = figuresOf(file);
  const { body, encoding } = bodyOf(bytes);
  const chunks: Uint8Array[] = [];
  const stream = paymentCopyStream(AUTHORITY, IMPORT, ({ data }) => chunks.push(data));
  const figures = new PaymentBytesReader(body, encoding, file.mapping, stream, { authorityId: AUTHORITY, importId: IMPORT }).read();
  stream.end();
  const data = Buffer.concat(chunks);
  const expectedData = Buffer.concat([...paymentCopyData(file.rows, AUTHORITY, IMPORT)].map((c) => c.data));
  return { file, figures, expected, same: data.equals(expectedData), bytes: data.length };
}

const paymentFiles = ['spend-over-500', 'procurement-card'].flatMap((dir) => fs.readdirSync(path.join(SAMPLES, dir)).map((name) => path.join(SAMPLES, dir, name)));

describe('a payments file read from its bytes straight into COPY data', () => {
  it.each(paymentFiles.filter((f) => !f.includes('supplier-totals')))('gives the same data and figures as the reader on %s', (file) => {
    const { figures, expected, same, bytes } = bothWays(fs.readFileSync(file));
    expect(figures).toEqual(expected);
    expect(same).toBe(true);
    expect(bytes).toBeGreaterThan(0);
  });

  const HEADINGS = 'Date,Transaction Number,Amount,Supplier Name,Expense Area,Expense Type,Invoice Number,Irrecoverable VAT,,Narrative';
  const QUIRKS = [
    'Anytown Borough Council,,,,,,,,,',
    'Payments over £500,,,,,,,,,',
    HEADINGS,
    '01/04/2024,T1,600.00,Acme Ltd,Housing,Rent,INV1,,,Plain',
    '02/04/2024,T2," 1,234.56 ",  Acme   Ltd ,Housing,Rent,N/A,0.00,,"Padded, quoted"',
    '3 Apr 2024,T3,"106,396.00-","Smith, Jones & Co",Adults,Care,-,,,"Credit, trailing minus"',
    '2024-04-04 00:00:00,T4,(12.50),"The ""Bridge"" Pre-School",Children,Grants,0,,,"Line one\r\nline two"',
    '05/04/24,T5,-£33.32,REDACTED UNDER DP ACT,Adults,Care,none,,,Redacted',
    '06/04/2024,T6,963.2199999999999,Name withheld,Adults,Care,Redacted,,,Float artefact',
    '00:00:00,T7,700.00,Private individual,Adults,Care,INV7,,,Time only',
    ',T8,800.00,Café Nero,Catering,Food,INV8,,,No date',
    '09/04/2024,T9,900.00, Café  Nero ,Catering,Food,INV9,,,Unicode padded',
    '10/04/2024,T10,1000.00,Non\u00a0breaking,Catering,Food,INV10,,,NBSP',
    '11/04/2024,T11,1100.00,Dagger\u2020Ltd,Catering,Food,INV11,,,Dagger',
    '12/04/2024,T12,1200.00,Tab\tLtd,Catering,Food,INV12,,,Tab',
    '13/04/2024,T13,1300.00,Bell\u0007Ltd,Catering,Food,INV13,,,Control',
    '14/04/2024,T14,1400.00,,Catering,Food,INV14,,,No supplier',
    '15/04/2024,T15,not money,Acme Ltd,Housing,Rent,INV15,,,Bad amount',
    '31/02/2024,T16,1600.00,Acme Ltd,Housing,Rent,INV16,,,Bad date',
    '17/04/2024,T17,1700.00,Acme Ltd,Housing,Rent,INV17,x,,Bad VAT',
    '18/04/2024,T18,1800.00,Acme Ltd,Housing,Rent,INV18,,stray,Spacer',
    '19/04/2024,T19,1900.00,Acme Ltd,Housing,Rent,INV19,,,Extra,',
    '20/04/2024,T20,2000.00,Acme Ltd,Housing,Rent,INV20,,,Extra filled,more',
    '21/04/2024,T21,2100.00,"Acme" Ltd,Housing,Rent,INV21,,,Text after quote',
    ',,,,,,,,,',
    '',
    'Sub-total,,12345.00,,,,,,,',
    HEADINGS,
    ',,500.00,,,,,,,',
    'Total,,,,,,,,,',
    '  total: ,,999.00,,,,,,,',
    'Glasgow,T22,2200.00,Glasgow Ltd,Housing,Rent,INV22,,,Starts with g',
    'Sefton,T23,2300.00,Sefton Ltd,Housing,Rent,INV23,,,Starts with s',
    '25/06/2012900,T24,Catch22,Housing,Rent,INV24,,,Fused',
    '26/04/2024,T25,2500.00,Acme Ltd,Housing,Rent,INV25,,,"Unclosed',
    'to the end',
  ];

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['bare CR', '\r'],
  ])('gives the same on every quirk, in UTF-8 with %s line ends', (_name, eol) => {
    const { figures, expected, same } = bothWays(Buffer.from(QUIRKS.join(eol), 'utf8'));
    expect(figures.rejected.length).toBeGreaterThan(4);
    expect(figures.warnings.length).toBeGreaterThan(4);
    expect(figures).toEqual(expected);
    expect(same).toBe(true);
  });

  it('gives the same on every quirk in Windows-1252, with a byte-order mark in UTF-8, and with a trailing comma at the very end', () => {
    const ascii = QUIRKS.filter((l) => !/[\u2020\u0007]/.test(l)).join('\r\n');
    const windows1252 = Buffer.from(ascii, 'latin1'); // £, é and the non-breaking space are these bytes in Windows-1252 too
    expect(bodyOf(windows1252).encoding).toBe('windows-1252');
    for (const bytes of [windows1252, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ascii)]), Buffer.from(`${HEADINGS}\r\n01/04/2024,T1,600.00,Acme Ltd,Housing,Rent,INV1,,,`)]) {
      const { figures, expected, same } = bothWays(bytes);
      expect(figures).toEqual(expected);
      expect(same).toBe(true);
    }
  });

  it('gives the same when the payments fall on thousands of dates, each written four ways, some impossible', () => {
    const lines = ['Date,Supplier,Amount,Description'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    for (let day = 0; day < 3_000; day++) {
      const date = new Date(Date.UTC(2016, 0, 1 + day));
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const dd = String(d).padStart(2, '0');
      const mm = String(m).padStart(2, '0');
      const forms = [`${dd}/${mm}/${y}`, `${y}-${mm}-${dd} 00:00:00`, `${d} ${months[m - 1]} ${y}`, `${dd}/${mm}/${String(y).slice(2)}`];
      // The same date again in another form, a date that cannot be (the 31st of a short month: rejected by line), and one met before.
      for (const form of [forms[day % 4]!, forms[(day + 1) % 4]!, `31/${mm}/${y}`, forms[0]!]) lines.push(`${form},Supplier ${day % 7},${500 + (day % 90)}.00,Payment ${day}`);
    }
    const { figures, expected, same } = bothWays(Buffer.from(lines.join('\n')));
    expect(figures.rowCount).toBeGreaterThan(10_000);
    expect(figures.rejected.length).toBeGreaterThan(1_000);
    expect(figures).toEqual(expected);
    expect(same).toBe(true);
  });

  it('gives the same on thousands of rows of randomly awkward cells, with the mapping given', () => {
    const { file } = bothWays(Buffer.from(`${HEADINGS}\r\n01/04/2024,T1,600.00,Acme Ltd,Housing,Rent,INV1,,,Plain\r\n`));
    const pieces = ['', ' ', '  ', '\t', '\r\n', '\n', '"', ',', 'a', 'Ltd', 'REDACTED', 'withheld', 'individual', 'N/A', '-', '0', 'Total', 'g', 's', '\u00a0', '\u2020', 'é', '1', '2.5', '.00', '£', '(', ')', '\u3000'];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) >> 8) % n;
    const cell = (column: number) => {
      if (column === 2 && next(3) > 0) return ['600.00', ' 1,234.50 ', '-12.00', '£5', '(3.10)'][next(5)]!;
      if (column === 0 && next(3) > 0) return ['01/04/2024', '2024-04-02', ' 3 Apr 2024 ', ''][next(4)]!;
      let text = '';
      for (let i = next(4); i > 0; i--) text += pieces[next(pieces.length)];
      return next(3) === 0 || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = [HEADINGS];
    for (let row = 0; row < 5_000; row++) lines.push(Array.from({ length: next(20) === 0 ? 9 + next(3) : 10 }, (_, column) => cell(column)).join(','));
    const { figures, expected, same } = bothWays(Buffer.from(lines.join('\r\n')), { mapping: file.mapping });
    expect(figures.rowCount).toBeGreaterThan(1_000);
    expect(figures.rejected.length).toBeGreaterThan(100);
    expect(figures).toEqual(expected);
    expect(same).toBe(true);
  });

  it('reads card payments the same way, and refuses a mapping for rows that are not payments', () => {
    const card = Buffer.from('Date,Merchant,Amount,Purpose,Service Area,Merchant Category\r\n01/04/2024,Tesco,12.50,Food,Care,5411\r\n02/04/2024, REDACTED ,-3.00,"Taxi, late",Care,4121\r\n');
    const { file, figures, expected, same } = bothWays(card, { dataset: 'procurement-card' });
    expect(file.dataset).toBe('procurement-card');
    expect(figures).toEqual(expected);
    expect(same).toBe(true);
    const grants = readTransparencyFile(fs.readFileSync(path.join(SAMPLES, 'grants-vcse', fs.readdirSync(path.join(SAMPLES, 'grants-vcse'))[0]!)));
    expect(() => new PaymentBytesReader(new Uint8Array(), 'utf-8', grants.mapping, paymentCopyStream(AUTHORITY, IMPORT, () => {}), { authorityId: AUTHORITY, importId: IMPORT })).toThrow(/not payments/);
  });
});

describe('date cells found by their bytes', () => {
  it('finds every cell added, as it was added, however many; and no cell that was not', () => {
    const cells = new DateCells();
    // 20,000 cells of one length, in runs that differ only in their last byte: many share a run of slots.
    const texts = Array.from({ length: 20_000 }, (_, i) => `${String(Math.floor(i / 10)).padStart(6, '0')}/${i % 10}`);
    const bytesOf = (text: string) => Buffer.from(`,${text},`);
    const reading = (text: string) => ({ ok: false as const, reason: text });
    texts.forEach((text, i) => {
      const bytes = bytesOf(text);
      expect(cells.find(bytes, 1, bytes.length - 1)).toBe(-1);
      expect(cells.add(bytes, 1, bytes.length - 1, text, reading(text))).toBe(i);
    });
    texts.forEach((text, i) => {
      const bytes = bytesOf(text);
      const entry = cells.find(bytes, 1, bytes.length - 1);
      expect(entry).toBe(i);
      expect(cells.texts[entry]).toBe(text);
      expect(cells.readings[entry]).toEqual(reading(text));
    });
    for (const absent of ['002000/0', '000001/x', '000001/', '000001/00']) expect(cells.find(bytesOf(absent), 1, absent.length + 1)).toBe(-1);
  });
});
