import { useMemo } from 'preact/hooks';
import type { ConversionRow, FunnelReport as Funnel, FunnelStageRow, LostReasonRow } from '@beckon/sdk/protocol';
import { fullTime } from '../../lib/format';
import { lostReasonLabel } from '../leads';
import { Chart } from './Chart';
import { DataTable, type Column } from './DataTable';
import { stageLabel, temperatureName } from './labels';
import { count, duration, percent } from './numbers';
import { ChartCard, ReportState, SourceName, Stat, Stats, useReport } from './parts';
import type { ReportQuery } from './query';
import { t } from './i18n';

const pct = (value: number | null) => (value === null ? null : value / 100);

/** Leads and funnel: how leads move from new to won, how long it takes, what predicts a win, why they are lost. */
export function FunnelReport({ query }: { query: ReportQuery }) {
  const loaded = useReport('funnel', query);
  return <ReportState loaded={loaded}>{(report) => <FunnelBody report={report} query={query} />}</ReportState>;
}

function conversionColumns<Row extends ConversionRow>(first: Column<Row>): Column<Row>[] {
  return [
    first,
    { label: t('leads'), cell: (row) => count(row.leads), csv: (row) => row.leads, numeric: true },
    { label: t('stageContacted'), cell: (row) => count(row.contacted), csv: (row) => row.contacted, numeric: true },
    { label: t('stageQualified'), cell: (row) => count(row.qualified), csv: (row) => row.qualified, numeric: true },
    { label: t('won'), cell: (row) => count(row.won), csv: (row) => row.won, numeric: true },
    { label: t('lost'), cell: (row) => count(row.lost), csv: (row) => row.lost, numeric: true },
    {
      label: t('conversion'),
      cell: (row) => percent(pct(row.conversionPercent)),
      csv: (row) => row.conversionPercent,
      numeric: true,
    },
  ];
}

function FunnelBody({ report, query }: { report: Funnel; query: ReportQuery }) {
  const file = (table: string) => ['funnel', table, query.range.from, query.range.to];
  const newLeads = report.stages.find((row) => row.stage === 'new')?.count ?? 0;
  const won = report.stages.find((row) => row.stage === 'won')?.count ?? 0;
  const widest = Math.max(1, ...report.stages.map((row) => row.count));
  const temperatureChart = useMemo(
    () => ({
      labels: report.byTemperature.map((row) => temperatureName(row.key)),
      series: [
        {
          label: t('conversion'),
          values: report.byTemperature.map((row) => row.conversionPercent ?? 0),
          tone: 'success' as const,
        },
      ],
    }),
    [report],
  );
  const stageColumns: Column<FunnelStageRow>[] = [
    { label: t('stage'), cell: (row) => stageLabel(row.stage), csv: (row) => row.stage },
    { label: t('leads'), cell: (row) => count(row.count), csv: (row) => row.count, numeric: true },
    {
      label: t('conversion'),
      cell: (row) => percent(pct(row.conversionPercent)),
      csv: (row) => row.conversionPercent,
      numeric: true,
    },
  ];
  const lostTotal = report.lostReasons.reduce((sum, row) => sum + row.count, 0);
  const reasonColumns: Column<LostReasonRow>[] = [
    {
      label: t('reason'),
      cell: (row) => (row.reason === 'unspecified' ? t('reasonUnspecified') : lostReasonLabel(row.reason)),
      csv: (row) => row.reason,
    },
    { label: t('leads'), cell: (row) => count(row.count), csv: (row) => row.count, numeric: true },
    {
      label: t('share'),
      cell: (row) => percent(lostTotal ? row.count / lostTotal : null),
      csv: (row) => (lostTotal ? row.count / lostTotal : null),
      numeric: true,
    },
  ];

  return (
    <>
      <Stats label={t('headline')}>
        <Stat label={t('newLeads')} value={count(newLeads)} testId="funnel-leads" />
        <Stat
          label={t('wonDeals')}
          value={count(won)}
          note={t('ofLeads', { share: percent(newLeads ? won / newLeads : null) })}
          testId="funnel-won"
        />
        <Stat
          label={t('dealDuration')}
          value={duration(report.dealDuration.medianMs === null ? null : report.dealDuration.medianMs / 1000)}
          note={t('medianP90', {
            p90: duration(report.dealDuration.p90Ms === null ? null : report.dealDuration.p90Ms / 1000),
          })}
        />
      </Stats>
      <section class="card rp-funnel-card">
        <h2 class="card-title">{t('funnel')}</h2>
        <ol class="rp-funnel" data-testid="funnel-stages">
          {report.stages.map((row) => (
            <li key={row.stage} class={`rp-funnel-${row.stage}`}>
              <span class="rp-funnel-label">{stageLabel(row.stage)}</span>
              <span class="rp-funnel-track" aria-hidden="true">
                <span class="rp-funnel-bar" style={{ width: `${(row.count / widest) * 100}%` }} />
              </span>
              <span class="rp-funnel-count">{count(row.count)}</span>
              <span class="rp-funnel-rate">{row.stage === 'new' ? '' : percent(pct(row.conversionPercent))}</span>
            </li>
          ))}
        </ol>
      </section>
      <ChartCard title={t('byTemperature')} note={t('byTemperatureNote')}>
        <Chart
          labels={temperatureChart.labels}
          series={temperatureChart.series}
          bars
          height={180}
          format={(value) => percent(value / 100)}
          summary={t('temperatureChartSummary')}
        />
      </ChartCard>
      <DataTable
        title={t('stages')}
        fileParts={file('stages')}
        columns={stageColumns}
        rows={report.stages}
        rowKey={(row) => row.stage}
      />
      <DataTable
        title={t('byTemperature')}
        fileParts={file('by-temperature')}
        columns={conversionColumns<Funnel['byTemperature'][number]>({
          label: t('temperature'),
          cell: (row) => temperatureName(row.key),
          csv: (row) => row.key,
        })}
        rows={report.byTemperature}
        rowKey={(row) => row.key}
        testId="funnel-temperature"
      />
      <DataTable
        title={t('bySourceCampaign')}
        fileParts={file('by-source')}
        columns={conversionColumns<Funnel['bySource'][number]>({
          label: t('source'),
          cell: (row) => (
            <SourceName kind={row.kind} path={[row.source, row.medium, row.campaign].filter(Boolean).join(' / ')} />
          ),
          csv: (row) => [row.source, row.medium, row.campaign].filter(Boolean).join(' / ') || row.kind,
        })}
        rows={report.bySource}
        rowKey={(row) => row.key}
      />
      <DataTable
        title={t('lostReasons')}
        fileParts={file('lost-reasons')}
        columns={reasonColumns}
        rows={report.lostReasons}
        rowKey={(row) => row.reason}
        testId="funnel-lost-reasons"
      />
      {report.lostOther.length > 0 && (
        <section class="card">
          <h2 class="card-title">{t('lostOther')}</h2>
          <ul class="rp-comments">
            {report.lostOther.map((entry) => (
              <li key={`${entry.at}|${entry.text}`}>
                <p>{entry.text}</p>
                <span class="muted">{fullTime(entry.at)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
