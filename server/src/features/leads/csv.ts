/**
 * One CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (starting with = + - @,
 * or a tab / carriage return that some programs skip before one) gets a leading apostrophe: visitors
 * type names and notes, and an export must never execute what they typed (OWASP "CSV injection").
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
