/**
 * Writing CSV that people open in spreadsheets: cells quoted only when they must be, and never a
 * formula. Every published file (the Transparency Code's, 360Giving's, registers) is made here.
 */

export type CsvValue = string | number | null;

/** One CSV cell: quoted when it must be, and never a formula when a spreadsheet opens it. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // A plain number (a credit's minus sign included) is data; anything else starting so is a formula.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text with CRLF line ends, as RFC 4180 and the Code's files have them. */
export function csvText(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
