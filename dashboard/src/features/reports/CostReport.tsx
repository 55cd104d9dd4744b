import type { CostRow, Site, SpendEntry } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { formatDate, formatNumber } from '../../lib/i18n';
import { useSession } from '../../session';
import { deleteSpend, importSpend, listSpend, saveSpend } from './api';
import { DataTable, type Column } from './DataTable';
import { sourcePath } from './labels';
import { count, dash } from './numbers';
import { ReportState, useReport } from './parts';
import type { ReportQuery } from './query';
import { t } from './i18n';

const money = (amount: number | null, currency: string) => {
  if (amount === null) return dash;
  try {
    return formatNumber(amount, { style: 'currency', currency });
  } catch {
    return `${formatNumber(amount, { maximumFractionDigits: 2 })} ${currency}`;
  }
};

const monthLabel = (month: string) =>
  formatDate(`${month}-01T00:00:00Z`, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Cost per inquiry: the spend an admin entered, against the inquiries, qualified leads and won deals it bought. */
export function CostReport({ query, site }: { query: ReportQuery; site: Site }) {
  const { isAdmin } = useSession();
  const [reload, setReload] = useState(0);
  const loaded = useReport('cost', query, undefined, reload);
  const columns: Column<CostRow>[] = [
    {
      label: t('sourceCampaign'),
      cell: (row) => sourcePath(row.source, row.campaign),
      csv: (row) => sourcePath(row.source, row.campaign),
    },
    { label: t('currency'), cell: (row) => row.currency, csv: (row) => row.currency },
    { label: t('spend'), cell: (row) => money(row.spend, row.currency), csv: (row) => row.spend, numeric: true },
    { label: t('inquiries'), cell: (row) => count(row.inquiries), csv: (row) => row.inquiries, numeric: true },
    {
      label: t('costPerInquiry'),
      cell: (row) => money(row.costPerInquiry, row.currency),
      csv: (row) => row.costPerInquiry,
      numeric: true,
    },
    { label: t('stageQualified'), cell: (row) => count(row.qualified), csv: (row) => row.qualified, numeric: true },
    {
      label: t('costPerQualified'),
      cell: (row) => money(row.costPerQualified, row.currency),
      csv: (row) => row.costPerQualified,
      numeric: true,
    },
    { label: t('won'), cell: (row) => count(row.won), csv: (row) => row.won, numeric: true },
    {
      label: t('costPerWon'),
      cell: (row) => money(row.costPerWon, row.currency),
      csv: (row) => row.costPerWon,
      numeric: true,
    },
  ];
  return (
    <>
      <ReportState loaded={loaded}>
        {(report) => (
          <>
            {report.totals.length > 0 && (
              <section class="rp-stats" aria-label={t('headline')}>
                {report.totals.map((total) => (
                  <div class="rp-stat" key={total.currency}>
                    <span class="rp-stat-label">{t('costPerInquiry')}</span>
                    <span class="rp-stat-value" data-testid="cost-per-inquiry">
                      {money(total.costPerInquiry, total.currency)}
                    </span>
                    <span class="rp-stat-note">
                      {t('costNote', { spend: money(total.spend, total.currency), count: total.inquiries })}
                    </span>
                  </div>
                ))}
              </section>
            )}
            <DataTable
              title={t('costTable')}
              fileParts={['cost', query.range.from, query.range.to]}
              columns={columns}
              rows={report.rows}
              rowKey={(row) => `${row.source}|${row.campaign}|${row.currency}`}
              empty={isAdmin ? t('noSpendAdmin') : t('noSpend')}
              testId="cost-table"
            />
          </>
        )}
      </ReportState>
      {isAdmin && <SpendEditor site={site} onChanged={() => setReload((n) => n + 1)} />}
    </>
  );
}

/** `[{ path: ['line 3'], message }]` (a refused import's details) → line numbers and messages. */
function issuesOf(details: unknown): { line: number; message: string }[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((issue: { path?: unknown[]; message?: unknown }) => {
    const line = Number(/\d+/.exec(String(issue.path?.[0] ?? ''))?.[0]);
    return Number.isFinite(line) && typeof issue.message === 'string' ? [{ line, message: issue.message }] : [];
  });
}

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Where an admin enters a month's spend per source and campaign, or imports a CSV of it. */
function SpendEditor({ site, onChanged }: { site: Site; onChanged: () => void }) {
  const [entries, setEntries] = useState<SpendEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [importErrors, setImportErrors] = useState<{ line: number; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ month: thisMonth(), source: '', campaign: '', amount: '', currency: 'EUR' });

  const refresh = () =>
    listSpend(site.id).then(
      (answer) => {
        setEntries(answer.entries);
        const last = answer.entries[0];
        if (last) setForm((current) => (current.source ? current : { ...current, currency: last.currency }));
      },
      (caught: unknown) => setError(errorMessage(caught)),
    );
  useEffect(() => {
    void refresh();
  }, [site.id]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setImportErrors([]);
    try {
      setNotice(await action());
      await refresh();
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
      // A file with no usable row: its lines' problems, as the server listed them.
      if (caught instanceof ApiError) setImportErrors(issuesOf(caught.details));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const amount = Number(form.amount.replace(',', '.'));
    void run(async () => {
      await saveSpend({
        siteId: site.id,
        month: form.month,
        source: form.source,
        campaign: form.campaign,
        amount: Math.round(amount * 100) / 100,
        currency: form.currency,
      });
      setForm((current) => ({ ...current, campaign: '', amount: '' }));
      return t('spendSaved');
    });
  };

  const upload = (file: File | undefined) => {
    if (!file) return;
    void run(async () => {
      const result = await importSpend(site.id, await file.text());
      setImportErrors(result.errors);
      return t('spendImported', { count: result.imported });
    });
  };

  return (
    <section class="card rp-spend" aria-labelledby="rp-spend-title">
      <div>
        <h2 class="card-title" id="rp-spend-title">
          {t('spendTitle', { site: site.name })}
        </h2>
        <p class="card-description">{t('spendHint')}</p>
      </div>
      {error && <Alert>{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      {importErrors.length > 0 && (
        <Alert>
          <ul class="rp-import-errors">
            {importErrors.slice(0, 20).map((issue) => (
              <li key={issue.line}>{t('importLine', { line: issue.line, message: issue.message })}</li>
            ))}
          </ul>
        </Alert>
      )}
      <form class="rp-spend-form" onSubmit={submit}>
        <label class="rp-field rp-field-month">
          <span class="rp-field-label">{t('month')}</span>
          <input
            class="input"
            type="month"
            required
            value={form.month}
            onInput={(event) => setForm({ ...form, month: event.currentTarget.value })}
          />
        </label>
        <label class="rp-field">
          <span class="rp-field-label">{t('source')}</span>
          <input
            class="input"
            required
            maxLength={200}
            placeholder="google"
            value={form.source}
            onInput={(event) => setForm({ ...form, source: event.currentTarget.value })}
          />
        </label>
        <label class="rp-field">
          <span class="rp-field-label">{t('campaignOptional')}</span>
          <input
            class="input"
            maxLength={200}
            placeholder="spring-sale"
            value={form.campaign}
            onInput={(event) => setForm({ ...form, campaign: event.currentTarget.value })}
          />
        </label>
        <label class="rp-field">
          <span class="rp-field-label">{t('amount')}</span>
          <input
            class="input"
            required
            inputMode="decimal"
            pattern="[0-9]+([.,][0-9]{1,2})?"
            value={form.amount}
            onInput={(event) => setForm({ ...form, amount: event.currentTarget.value })}
          />
        </label>
        <label class="rp-field rp-field-currency">
          <span class="rp-field-label">{t('currency')}</span>
          <input
            class="input"
            required
            maxLength={3}
            pattern="[A-Za-z]{3}"
            value={form.currency}
            onInput={(event) => setForm({ ...form, currency: event.currentTarget.value.toUpperCase() })}
          />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('saveSpend')}
        </button>
      </form>
      <div class="rp-import">
        <label class="btn btn-secondary btn-sm rp-file">
          {t('importCsv')}
          <input
            type="file"
            accept=".csv,text/csv"
            class="sr-only"
            disabled={busy}
            onChange={(event) => {
              upload(event.currentTarget.files?.[0]);
              event.currentTarget.value = '';
            }}
          />
        </label>
        <span class="muted">
          {t('importFormat')} <code>month,source,campaign,amount,currency</code>
        </span>
      </div>
      {entries && entries.length > 0 && (
        <div class="rp-table-scroll" tabIndex={0} role="region" aria-label={t('spendEntries')}>
          <table class="table rp-table" data-testid="spend-entries">
            <caption class="sr-only">{t('spendEntries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('month')}</th>
                <th scope="col">{t('sourceCampaign')}</th>
                <th scope="col" class="num">
                  {t('spend')}
                </th>
                <th scope="col">
                  <span class="sr-only">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{monthLabel(entry.month)}</th>
                  <td>{sourcePath(entry.source, entry.campaign)}</td>
                  <td class="num">{money(entry.amount, entry.currency)}</td>
                  <td class="num">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      disabled={busy}
                      aria-label={t('deleteSpendOf', {
                        what: `${monthLabel(entry.month)} ${sourcePath(entry.source, entry.campaign)}`,
                      })}
                      onClick={() =>
                        void run(async () => {
                          await deleteSpend(entry.id);
                          return t('spendDeleted');
                        })
                      }
                    >
                      {t('delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
