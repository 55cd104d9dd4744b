import { describe, expect, it } from 'vitest';
import { buildCsv, csvCell, csvFileName } from './csv';

describe('report CSV', () => {
  it('quotes what RFC 4180 says to quote and starts with a BOM', () => {
    const csv = buildCsv(
      ['Source', 'Inquiries'],
      [
        ['google, cpc', 12],
        ['say "hi"', 3],
        ['two\nlines', null],
      ],
    );
    expect(csv).toBe('\uFEFFSource,Inquiries\r\n"google, cpc",12\r\n"say ""hi""",3\r\n"two\nlines",\r\n');
  });

  it('defuses visitor text a spreadsheet would run as a formula, but keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('names the file from the report, table and range', () => {
    expect(csvFileName(['Overview', 'by source', '2026-11-06', '2026-12-05'])).toBe(
      'beckon-overview-by-source-2026-11-06-2026-12-05.csv',
    );
    expect(csvFileName(['Обзор'])).toBe('beckon-report.csv');
  });
});
