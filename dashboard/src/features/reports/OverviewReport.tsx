import { useMemo } from 'preact/hooks';
import type { OverviewReport as Overview, SourceCount } from '@beckon/sdk/protocol';
import { inquiryChannels } from '@beckon/sdk/protocol/constants';
import { Chart } from './Chart';
import { DataTable, type Column } from './DataTable';
import { channelLabel } from './labels';
import { SourceName } from './parts';
import { bucketLabel, change, count, countSteps, percent, rangeLabel } from './numbers';
import { ChartCard, ReportState, Stat, Stats, useReport } from './parts';
import type { ReportQuery } from './query';
import { alignPrevious, bucketStarts, fillBuckets } from './shape';
import { t } from './i18n';

interface CountRow {
  key: string;
  label: string;
  count: number;
  previous: number;
}

/** Overview: how many inquiries came in, through which channel, from where, against the previous period. */
export function OverviewReport({ query }: { query: ReportQuery }) {
  const loaded = useReport('overview', query);
  // The previous period's own series, for the dashed line under the current one.
  const previous = useReport('overview', query, query.previous);
  return (
    <ReportState loaded={loaded}>
      {(report) => (
        <OverviewBody report={report} previous={previous.state === 'ready' ? previous.data : null} query={query} />
      )}
    </ReportState>
  );
}

function OverviewBody({
  report,
  previous,
  query,
}: {
  report: Overview;
  previous: Overview | null;
  query: ReportQuery;
}) {
  const file = (table: string) => ['overview', table, query.range.from, query.range.to];
  const chart = useMemo(() => {
    const starts = bucketStarts(query.range, query.bucket);
    const current = fillBuckets(
      starts,
      query.bucket,
      report.series.map((point) => ({ day: point.period, value: point.total })),
    );
    const before = previous
      ? fillBuckets(
          bucketStarts(query.previous, query.bucket),
          query.bucket,
          previous.series.map((point) => ({ day: point.period, value: point.total })),
        )
      : [];
    return {
      labels: starts.map((start) => bucketLabel(start, query.bucket)),
      series: [
        { label: t('thisPeriod'), values: current, tone: 'accent' as const },
        ...(previous
          ? [
              {
                label: t('previousPeriod'),
                values: alignPrevious(current, before),
                tone: 'previous' as const,
                dashed: true,
              },
            ]
          : []),
      ],
    };
  }, [report, previous, query]);

  const byChannel = [...report.byChannel].sort(
    (a, b) => inquiryChannels.indexOf(a.channel) - inquiryChannels.indexOf(b.channel),
  );
  const channelRows: CountRow[] = byChannel.map((row) => ({
    key: row.channel,
    label: channelLabel(row.channel),
    count: row.count,
    previous: row.previous,
  }));
  const share = (n: number) => (report.total > 0 ? n / report.total : null);
  const channelColumns: Column<CountRow>[] = [
    { label: t('channel'), cell: (row) => row.label, csv: (row) => row.key },
    { label: t('inquiries'), cell: (row) => count(row.count), csv: (row) => row.count, numeric: true },
    { label: t('share'), cell: (row) => percent(share(row.count)), csv: (row) => share(row.count), numeric: true },
    { label: t('previousPeriod'), cell: (row) => count(row.previous), csv: (row) => row.previous, numeric: true },
    {
      label: t('change'),
      cell: (row) => change(row.count, row.previous) ?? '—',
      csv: (row) => (row.previous > 0 ? (row.count - row.previous) / row.previous : null),
      numeric: true,
    },
  ];
  const sourceColumns: Column<SourceCount>[] = [
    {
      label: t('source'),
      cell: (row) => (
        <SourceName
          kind={row.kind}
          path={[row.source, row.medium, row.campaign, row.referrerDomain].filter(Boolean).join(' / ')}
        />
      ),
      csv: (row) => row.kind,
    },
    { label: 'utm_source', cell: (row) => row.source || '—', csv: (row) => row.source },
    { label: 'utm_medium', cell: (row) => row.medium || '—', csv: (row) => row.medium },
    { label: 'utm_campaign', cell: (row) => row.campaign || '—', csv: (row) => row.campaign },
    {
      label: t('referrer'),
      cell: (row) => row.referrerDomain || row.clickIdType || '—',
      csv: (row) => row.referrerDomain || row.clickIdType,
    },
    { label: t('inquiries'), cell: (row) => count(row.count), csv: (row) => row.count, numeric: true },
    { label: t('previousPeriod'), cell: (row) => count(row.previous), csv: (row) => row.previous, numeric: true },
  ];
  const top = byChannel.filter((row) => row.count > 0).sort((a, b) => b.count - a.count)[0];
  const paid = report.bySource.filter((row) => row.kind === 'paid').reduce((sum, row) => sum + row.count, 0);

  return (
    <>
      <Stats label={t('headline')}>
        <Stat
          label={t('inquiries')}
          value={count(report.total)}
          change={change(report.total, report.previousTotal)}
          note={t('vsPrevious', { count: report.previousTotal })}
          testId="overview-total"
        />
        <Stat
          label={t('topChannel')}
          text
          value={top ? channelLabel(top.channel) : '—'}
          note={top ? t('ofInquiries', { share: percent(share(top.count)) }) : undefined}
        />
        <Stat label={t('fromPaid')} value={count(paid)} note={t('ofInquiries', { share: percent(share(paid)) })} />
      </Stats>
      <ChartCard
        title={t('inquiriesOverTime')}
        note={t('comparedWith', { range: rangeLabel(query.previous.from, query.previous.to) })}
      >
        <Chart
          labels={chart.labels}
          series={chart.series}
          format={(value) => count(value)}
          yIncrements={countSteps}
          summary={t('inquiriesChartSummary', { count: report.total, previous: report.previousTotal })}
        />
      </ChartCard>
      <DataTable
        title={t('byChannel')}
        fileParts={file('by-channel')}
        columns={channelColumns}
        rows={channelRows}
        rowKey={(row) => row.key}
        footer={{ key: 'total', label: t('total'), count: report.total, previous: report.previousTotal }}
        testId="overview-channels"
      />
      <DataTable
        title={t('bySource')}
        fileParts={file('by-source')}
        columns={sourceColumns}
        rows={report.bySource}
        rowKey={(row) =>
          [row.kind, row.source, row.medium, row.campaign, row.referrerDomain, row.clickIdType].join('|')
        }
        testId="overview-sources"
      />
    </>
  );
}
