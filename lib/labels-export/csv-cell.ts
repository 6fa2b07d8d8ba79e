// One CSV cell, quoted as RFC 4180 asks, and safe to open in a spreadsheet: text that starts
// with = + - @ (or a tab or carriage return) would run as a formula in Excel, LibreOffice and
// Google Sheets (OWASP "CSV injection"), so it is written with a leading apostrophe, which the
// spreadsheet shows as plain text. A reader that wants the raw text strips a leading "'" from
// a cell whose next character is one of those.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
