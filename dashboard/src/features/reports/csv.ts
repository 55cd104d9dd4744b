/**
 * CSV for the report tables: RFC 4180 quoting, a UTF-8 byte-order mark so spreadsheet programs read
 * Cyrillic, Armenian and the rest as UTF-8, and cells that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return first) prefixed with a quote, because the names in them
 * (UTM campaigns, page titles, comments) come from visitors.
 */

export type CsvCell = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  // Numbers are ours: a negative number stays a number.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  const safe = typeof value === 'string' && formulaStart.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function buildCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A file name from words a person reads: `beckon-overview-by-source-2026-11-05-2026-12-04.csv`. */
export function csvFileName(parts: readonly string[]): string {
  const slug = parts
    .map((part) =>
      part
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean)
    .join('-');
  return `beckon-${slug || 'report'}.csv`;
}

/** Saves text as a file from the browser (an object URL on a temporary link). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; a tick later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
