import type { ComponentChildren } from 'preact';
import { buildCsv, csvFileName, downloadText, type CsvCell } from './csv';
import { t } from './i18n';

export interface Column<Row> {
  /** Column heading, also the CSV header. */
  label: string;
  /** The cell as shown (formatted in the agent's language). */
  cell: (row: Row) => ComponentChildren;
  /** The cell in the CSV: raw numbers and ISO values, so a spreadsheet can compute with them. */
  csv: (row: Row) => CsvCell;
  numeric?: boolean;
}

interface DataTableProps<Row> {
  /** The table's caption; names the CSV file too. */
  title: string;
  /** Words for the CSV file name (report, table, range), in ASCII. */
  fileParts: readonly string[];
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** A last row (totals), shown and exported after the rows. */
  footer?: Row;
  empty?: string;
  testId?: string;
}

/**
 * A report table with its CSV export. On a phone it scrolls sideways inside its card (the first column stays
 * put), so the numbers keep their columns instead of wrapping into an unreadable stack.
 */
export function DataTable<Row>({
  title,
  fileParts,
  columns,
  rows,
  rowKey,
  footer,
  empty,
  testId,
}: DataTableProps<Row>) {
  const exportCsv = () => {
    const all = footer ? [...rows, footer] : rows;
    downloadText(
      buildCsv(
        columns.map((column) => column.label),
        all.map((row) => columns.map((column) => column.csv(row))),
      ),
      csvFileName(fileParts),
    );
  };
  return (
    <section class="card card-flush rp-table-card" data-testid={testId}>
      <header class="rp-table-head">
        <h2 class="card-title">{title}</h2>
        <button
          type="button"
          class="btn btn-secondary btn-sm"
          onClick={exportCsv}
          disabled={rows.length === 0}
          aria-label={t('exportCsvOf', { table: title })}
        >
          {t('exportCsv')}
        </button>
      </header>
      {rows.length === 0 ? (
        <p class="rp-empty">{empty ?? t('noData')}</p>
      ) : (
        <div class="rp-table-scroll" tabIndex={0} role="region" aria-label={title}>
          <table class="table rp-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} scope="col" class={column.numeric ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column, index) =>
                    index === 0 ? (
                      <th key={column.label} scope="row">
                        {column.cell(row)}
                      </th>
                    ) : (
                      <td key={column.label} class={column.numeric ? 'num' : undefined}>
                        {column.cell(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
            {footer && (
              <tfoot>
                <tr>
                  {columns.map((column, index) =>
                    index === 0 ? (
                      <th key={column.label} scope="row">
                        {column.cell(footer)}
                      </th>
                    ) : (
                      <td key={column.label} class={column.numeric ? 'num' : undefined}>
                        {column.cell(footer)}
                      </td>
                    ),
                  )}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}
