import type { TriggerReportRow } from '@beckon/sdk/protocol';
import { useSession } from '../../session';
import { DataTable, type Column } from './DataTable';
import { count, percent } from './numbers';
import { ReportState, Stat, Stats, useReport } from './parts';
import type { ReportQuery } from './query';
import { t } from './i18n';

/** Triggers and invitations: what was shown, accepted, and turned into a lead or a won deal. */
export function TriggersReport({ query }: { query: ReportQuery }) {
  const { sites } = useSession();
  const loaded = useReport('triggers', query);
  const siteName = (id: string) => sites.find((site) => site.id === id)?.name ?? '';
  const rate = (part: number, whole: number) => percent(whole > 0 ? part / whole : null);
  const columns: Column<TriggerReportRow>[] = [
    {
      label: t('triggerOrAgent'),
      cell: (row) => (
        <span class="rp-source">
          <span>{row.name ?? t('deleted')}</span>
          <span class="rp-tag">{row.kind === 'trigger' ? t('kindTrigger') : t('kindInvitation')}</span>
        </span>
      ),
      csv: (row) => row.name ?? '',
    },
    ...(query.allSites
      ? [
          {
            label: t('site'),
            cell: (row: TriggerReportRow) => siteName(row.siteId),
            csv: (row: TriggerReportRow) => siteName(row.siteId),
          },
        ]
      : []),
    { label: t('shown'), cell: (row) => count(row.shown), csv: (row) => row.shown, numeric: true },
    { label: t('accepted'), cell: (row) => count(row.accepted), csv: (row) => row.accepted, numeric: true },
    {
      label: t('acceptRate'),
      cell: (row) => percent(row.acceptPercent === null ? null : row.acceptPercent / 100),
      csv: (row) => row.acceptPercent,
      numeric: true,
    },
    { label: t('dismissed'), cell: (row) => count(row.dismissed), csv: (row) => row.dismissed, numeric: true },
    { label: t('leads'), cell: (row) => count(row.leads), csv: (row) => row.leads, numeric: true },
    { label: t('won'), cell: (row) => count(row.won), csv: (row) => row.won, numeric: true },
  ];
  return (
    <ReportState loaded={loaded}>
      {(report) => {
        const sum = (field: 'shown' | 'accepted' | 'leads' | 'won') =>
          report.rows.reduce((total, row) => total + row[field], 0);
        return (
          <>
            <Stats label={t('headline')}>
              <Stat label={t('shown')} value={count(sum('shown'))} testId="triggers-shown" />
              <Stat
                label={t('accepted')}
                value={count(sum('accepted'))}
                note={t('acceptRateNote', { share: rate(sum('accepted'), sum('shown')) })}
                testId="triggers-accepted"
              />
              <Stat
                label={t('leads')}
                value={count(sum('leads'))}
                note={t('ofAccepted', { share: rate(sum('leads'), sum('accepted')) })}
              />
              <Stat label={t('won')} value={count(sum('won'))} />
            </Stats>
            <DataTable
              title={t('triggersTable')}
              fileParts={['triggers', query.range.from, query.range.to]}
              columns={columns}
              rows={report.rows}
              rowKey={(row) => `${row.kind}|${row.id}|${row.siteId}`}
              empty={t('noTriggers')}
              testId="triggers-table"
            />
          </>
        );
      }}
    </ReportState>
  );
}
