import { useMemo } from 'preact/hooks';
import type { FeedbackComment, FeedbackTrendPoint, FeedbackTrendReport } from '@beckon/sdk/protocol';
import { fullTime } from '../../lib/format';
import { formatNumber } from '../../lib/i18n';
import { Chart } from './Chart';
import { DataTable, type Column } from './DataTable';
import { bucketLabel, count, percent } from './numbers';
import { ChartCard, ReportState, Stat, Stats, useReport } from './parts';
import type { ReportQuery } from './query';
import { bucketStarts } from './shape';
import { t } from './i18n';

const oneDecimal = (value: number | null) =>
  value === null ? '—' : formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const sourceKeys = {
  nps: 'commentNps',
  csat: 'commentCsat',
  message: 'commentMessage',
  chat: 'commentChat',
} as const satisfies Record<FeedbackComment['source'], string>;

/** Feedback: NPS, CSAT and chat ratings over time, and what visitors wrote. */
export function FeedbackReport({ query }: { query: ReportQuery }) {
  const loaded = useReport('feedback', query);
  return <ReportState loaded={loaded}>{(report) => <FeedbackBody report={report} query={query} />}</ReportState>;
}

function FeedbackBody({ report, query }: { report: FeedbackTrendReport; query: ReportQuery }) {
  const file = (table: string) => ['feedback', table, query.range.from, query.range.to];
  const charts = useMemo(() => {
    const starts = bucketStarts(query.range, query.bucket);
    const byPeriod = new Map(report.series.map((point) => [point.period, point]));
    const pick = (value: (point: FeedbackTrendPoint) => number | null) =>
      starts.map((start) => {
        const point = byPeriod.get(start);
        return point ? value(point) : null;
      });
    const labels = starts.map((start) => bucketLabel(start, query.bucket));
    return {
      labels,
      nps: [{ label: 'NPS', values: pick((point) => point.nps), tone: 'accent' as const }],
      ratings: [
        { label: t('csat'), values: pick((point) => point.csat), tone: 'success' as const },
        { label: t('chatRating'), values: pick((point) => point.chatRating), tone: 'info' as const },
      ],
    };
  }, [report, query]);
  const seriesColumns: Column<FeedbackTrendPoint>[] = [
    { label: t('period'), cell: (row) => bucketLabel(row.period, query.bucket), csv: (row) => row.period },
    {
      label: 'NPS',
      cell: (row) => (row.nps === null ? '—' : formatNumber(row.nps)),
      csv: (row) => row.nps,
      numeric: true,
    },
    { label: t('npsAnswers'), cell: (row) => count(row.npsAnswers), csv: (row) => row.npsAnswers, numeric: true },
    { label: t('csat'), cell: (row) => oneDecimal(row.csat), csv: (row) => row.csat, numeric: true },
    { label: t('csatAnswers'), cell: (row) => count(row.csatAnswers), csv: (row) => row.csatAnswers, numeric: true },
    { label: t('chatRating'), cell: (row) => oneDecimal(row.chatRating), csv: (row) => row.chatRating, numeric: true },
    { label: t('chatRatings'), cell: (row) => count(row.chatRatings), csv: (row) => row.chatRatings, numeric: true },
  ];
  const { nps, csat, chatRating } = report;

  return (
    <>
      <Stats label={t('headline')}>
        <Stat
          label="NPS"
          value={nps.score === null ? '—' : formatNumber(nps.score, { signDisplay: 'exceptZero' })}
          note={t('npsNote', { count: nps.count, promoters: nps.promoters, detractors: nps.detractors })}
          testId="feedback-nps"
        />
        <Stat
          label={t('csat')}
          value={oneDecimal(csat.average)}
          note={
            csat.count === 0
              ? t('noRatings')
              : t('satisfiedNote', {
                  count: csat.count,
                  share: percent(csat.satisfiedPercent === null ? null : csat.satisfiedPercent / 100),
                })
          }
          testId="feedback-csat"
        />
        <Stat
          label={t('chatRating')}
          value={oneDecimal(chatRating.average)}
          note={
            chatRating.count === 0
              ? t('noRatings')
              : t('satisfiedNote', {
                  count: chatRating.count,
                  share: percent(chatRating.satisfiedPercent === null ? null : chatRating.satisfiedPercent / 100),
                })
          }
        />
      </Stats>
      <div class="rp-two">
        <ChartCard title={t('npsOverTime')}>
          <Chart
            labels={charts.labels}
            series={charts.nps}
            height={180}
            yRange={[-100, 100]}
            format={(value) => formatNumber(value)}
            summary={t('npsChartSummary', { count: nps.count })}
          />
        </ChartCard>
        <ChartCard title={t('ratingsOverTime')}>
          <Chart
            labels={charts.labels}
            series={charts.ratings}
            height={180}
            yRange={[1, 5]}
            format={(value) => formatNumber(value, { maximumFractionDigits: 1 })}
            summary={t('ratingsChartSummary', { count: csat.count + chatRating.count })}
          />
        </ChartCard>
      </div>
      <section class="card">
        <h2 class="card-title">{t('comments')}</h2>
        {report.comments.length === 0 ? (
          <p class="rp-empty">{t('noComments')}</p>
        ) : (
          <ul class="rp-comments" data-testid="feedback-comments">
            {report.comments.map((comment) => (
              <li key={`${comment.at}|${comment.text}`}>
                <p>{comment.text}</p>
                <span class="muted">
                  {t(sourceKeys[comment.source])}
                  {comment.score !== null && ` · ${formatNumber(comment.score)}`} · {fullTime(comment.at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <DataTable
        title={t('overTime')}
        fileParts={file('series')}
        columns={seriesColumns}
        rows={report.series}
        rowKey={(row) => row.period}
      />
    </>
  );
}
