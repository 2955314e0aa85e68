/**
 * The bytes of an uploaded file as text. Councils publish UTF-8 with and
 * without a byte-order mark, and Windows-1252 from older finance systems
 * (Warwickshire 2011, Hyndburn), where "£" is the single byte 0xA3. Valid
 * UTF-8 is almost never anything else, so invalid UTF-8 means Windows-1252.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { ValidationError } from '../../lib/errors.ts';

export type TextEncoding = 'utf-8' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** The file started with a UTF-8 byte-order mark, now removed. */
  byteOrderMark: boolean;
}

/** Formats people upload by mistake, told apart by their first bytes so the message can say what to do. */
const NOT_CSV: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or another zip file: save it from Excel as “CSV UTF-8”' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls): save it from Excel as “CSV UTF-8”' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF: ask the council for the CSV it was made from' },
  { magic: [0xff, 0xfe], what: 'UTF-16 text (Excel’s “Unicode Text”): save it as “CSV UTF-8” instead' },
  { magic: [0xfe, 0xff], what: 'UTF-16 text: save it as “CSV UTF-8” instead' },
];

/** How much of the start of the file is looked at to tell text from binary. */
const SNIFF_BYTES = 65_536;

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const { body, encoding, byteOrderMark } = bodyOf(bytes);
  return { text: decodeAs(body, encoding), encoding, byteOrderMark };
}

/** A file's bytes after any byte-order mark, and their encoding, not yet decoded: for a reader of the bytes themselves. Refused as decodeBytes refuses. */
export function bodyOf(bytes: Uint8Array): { body: Uint8Array; encoding: TextEncoding; byteOrderMark: boolean } {
  refuseIfNotText(bytes);
  const byteOrderMark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = byteOrderMark ? bytes.subarray(3) : bytes;
  // isUtf8 and Buffer's decoder are several times faster than a fatal TextDecoder on a million-row file.
  return { body, encoding: isUtf8(body) ? 'utf-8' : 'windows-1252', byteOrderMark };
}

/** Bytes as text in an encoding decodeBytes found: the whole file, or a part of it that starts and ends on a character. */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  return encoding === 'utf-8' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : decodeWindows1252(bytes);
}

/**
 * Windows-1252 is Latin-1 except for 0x80–0x9F, where it has € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ.
 * Node 20's TextDecoder('windows-1252') decodes those as Latin-1 control
 * characters (0x80 → U+0080, not €), so they are mapped here.
 */
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
}

function refuseIfNotText(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ValidationError({ file: 'The file is empty' });
  const known = NOT_CSV.find(({ magic }) => magic.every((b, i) => bytes[i] === b));
  if (known) throw new ValidationError({ file: `This is ${known.what}` });
  // Text has no NUL bytes and hardly any other control characters; images and archives are full of them.
  const sniff = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const b of sniff) {
    if (b === 0) throw new ValidationError({ file: 'This is not a text file (it contains NUL bytes): upload the CSV file itself' });
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (control > sniff.length / 100) throw new ValidationError({ file: 'This is not a text file (it is full of control characters): upload the CSV file itself' });
}
