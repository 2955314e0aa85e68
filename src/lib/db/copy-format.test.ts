import { describe, expect, it } from 'vitest';
import { BinaryCopyStream, binaryCopyChunks, binaryTuples, type BinaryColumn, type CopyValue } from './copy-format.ts';

const COLUMNS: BinaryColumn[] = ['uuid', 'int4', 'int8', 'bool', 'date', 'text', 'text'];
const bytesOf = (rows: CopyValue[][], columns = COLUMNS) => Buffer.concat([...binaryCopyChunks(rows, columns, (r) => r)].map((c) => c.data));

describe('binaryCopyChunks', () => {
  it('writes each tuple as COPY’s binary format has it: a field count, then each field’s length and bytes', () => {
    const bytes = bytesOf([['0123abcd-0000-4000-8000-00000000ffee', -7, -2, true, '2000-01-02', 'é£', null]]);
    expect(bytes.toString('hex')).toBe(
      [
        '0007', // seven fields
        '00000010', '0123abcd000040008000' + '00000000ffee', // uuid: 16 bytes
        '00000004', 'fffffff9', // int4, two's complement
        '00000008', 'fffffffffffffffe', // int8, two's complement
        '00000001', '01', // bool
        '00000004', '00000001', // date: days since 2000-01-01
        '00000004', 'c3a9c2a3', // text: UTF-8 bytes
        'ffffffff', // null: length -1
      ].join(''),
    );
  });

  it('writes the largest safe integers and dates before 2000 exactly', () => {
    const bytes = bytesOf([[Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 12_345_678_901n, '1999-12-31']], ['int8', 'int8', 'int8', 'date']);
    expect(bytes.readBigInt64BE(6)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(bytes.readBigInt64BE(18)).toBe(-BigInt(Number.MAX_SAFE_INTEGER));
    expect(bytes.readBigInt64BE(30)).toBe(12_345_678_901n);
    expect(bytes.readInt32BE(42)).toBe(-1);
  });

  it('refuses a value of the wrong type, naming its column', () => {
    expect(() => bytesOf([['not-a-uuid', 1, 1, true, null, null, null]])).toThrow(/Column 1 is uuid/);
    expect(() => bytesOf([[null, 1.5, 1, true, null, null, null]])).toThrow(/Column 2 is int4/);
    expect(() => bytesOf([[null, 2 ** 31, 1, true, null, null, null]])).toThrow(/Column 2 is int4/);
    expect(() => bytesOf([[null, 1, 2 ** 60, true, null, null, null]])).toThrow(/Column 3 is int8/);
    expect(() => bytesOf([[null, 1, 1, 'yes', null, null, null]])).toThrow(/Column 4 is bool/);
    expect(() => bytesOf([[null, 1, 1, true, '3 April 2023', null, null]])).toThrow(/Column 5 is date/);
    expect(() => bytesOf([[null, 1, 1, true, null, 5, null]])).toThrow(/Column 6 is text/);
    expect(() => bytesOf([[null, 1]])).toThrow(/2 values for 7 columns/);
  });

  it('gives chunks of whole tuples, each in a buffer of its own, with the rows sent so far', () => {
    const long = 'x'.repeat(300); // enough to make the writer's buffer grow
    const chunks = [...binaryCopyChunks(Array.from({ length: 12_345 }, (_, i) => i), ['int4', 'text'], (i) => [i, long])];
    expect(chunks.map((c) => c.sent)).toEqual([5_000, 10_000, 12_345]);
    expect(new Set(chunks.map((c) => c.data.buffer)).size).toBe(3);
    const tuple = 2 + 8 + 4 + 300;
    expect(chunks.map((c) => c.data.byteLength)).toEqual([5_000 * tuple, 5_000 * tuple, 2_345 * tuple]);
    expect(chunks.map((c) => Buffer.from(c.data).readInt32BE(6))).toEqual([0, 5_000, 10_000]);
  });

  it('reads tuples back as the values they were made from', () => {
    const rows: CopyValue[][] = [
      ['0123abcd-0000-4000-8000-00000000ffee', -7, Number.MAX_SAFE_INTEGER, true, '1999-12-31', 'é£ and \\N', null],
      [null, 2 ** 31 - 1, -5, false, '2024-02-29', '', 'x'],
    ];
    expect([...binaryTuples(bytesOf(rows), COLUMNS)]).toEqual(rows);
    expect(() => [...binaryTuples(bytesOf(rows), COLUMNS.slice(1))]).toThrow(/7 fields for 6 columns/);
  });

  it('writes fields straight from UTF-8 bytes and from values encoded once, as the values themselves would be written', () => {
    const chunks: Uint8Array[] = [];
    const stream = new BinaryCopyStream<CopyValue[]>(COLUMNS, (r) => r, ({ data }) => chunks.push(data), { shared: true });
    const id = stream.encode(0, ['0123abcd-0000-4000-8000-00000000ffee']);
    // 18 bytes between the dots: four words and two bytes more.
    const bytes = Buffer.from('..é£ and some text..');
    const file = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const w = stream.tuple();
    w.encoded(id);
    w.int4(-7);
    for (const [k, value] of [[2, 5], [3, true], [4, '2000-01-02']] as const) w.value(k, value);
    w.utf8(5, file, 2, bytes.length - 2);
    w.value(6, null);
    stream.end();
    expect(chunks[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(chunks[0]!).equals(bytesOf([['0123abcd-0000-4000-8000-00000000ffee', -7, 5, true, '2000-01-02', 'é£ and some text', null]]))).toBe(true);
    expect(() => stream.tuple().int4(2 ** 31)).toThrow(/not an int4/);
    expect(() => stream.tuple().utf8(0, file, 0, 1)).toThrow(/Column 1 is uuid, not text/);
  });
});
