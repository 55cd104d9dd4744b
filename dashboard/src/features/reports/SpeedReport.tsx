import type {
  InquiryChannel,
  LatencyStats,
  OverdueCallback,
  SpeedReport as Speed,
  SpeedRow,
} from '@beckon/sdk/protocol';
import { inquiryChannels } from '@beckon/sdk/protocol/constants';
import { fullTime, shownAgent, shownPhone } from '../../lib/format';
import { DataTable, type Column } from './DataTable';
import { Heatmap } from './Heatmap';
import { channelLabel } from './labels';
import { count, duration, percent } from './numbers';
import { ReportState, Stat, Stats, useReport } from './parts';
import type { ReportQuery } from './query';
import { t } from './i18n';

const ms = (value: number | null) => (value === null ? null : value / 1000);
const median = (stats: LatencyStats) => duration(ms(stats.medianMs));
const isChannel = (key: string): key is InquiryChannel => (inquiryChannels as readonly string[]).includes(key);
/** "median · 90 % within 4 min", or nothing when nothing was measured (a dash says it already). */
const spread = (stats: LatencyStats) =>
  stats.count > 0 ? t('medianP90', { p90: duration(ms(stats.p90Ms)) }) : undefined;

/** Speed and SLA: how fast chats are answered and closed, callbacks made on time, leads first contacted. */
export function SpeedReport({ query }: { query: ReportQuery }) {
  const loaded = useReport('speed', query);
  return <ReportState loaded={loaded}>{(report) => <SpeedBody report={report} query={query} />}</ReportState>;
}

function SpeedBody({ report, query }: { report: Speed; query: ReportQuery }) {
  const file = (table: string) => ['speed', table, query.range.from, query.range.to];
  const { chat, callbacks } = report;
  const rowColumns = (first: string): Column<SpeedRow>[] => [
    { label: first, cell: (row) => row.label, csv: (row) => row.label },
    { label: t('chats'), cell: (row) => count(row.chats), csv: (row) => row.chats, numeric: true },
    { label: t('missed'), cell: (row) => count(row.missed), csv: (row) => row.missed, numeric: true },
    {
      label: t('firstResponseMedian'),
      cell: (row) => median(row.firstResponse),
      csv: (row) => ms(row.firstResponse.medianMs),
      numeric: true,
    },
    {
      label: t('firstResponseP90'),
      cell: (row) => duration(ms(row.firstResponse.p90Ms)),
      csv: (row) => ms(row.firstResponse.p90Ms),
      numeric: true,
    },
    { label: t('callbacks'), cell: (row) => count(row.callbacks), csv: (row) => row.callbacks, numeric: true },
    { label: t('onTime'), cell: (row) => count(row.callbacksOnTime), csv: (row) => row.callbacksOnTime, numeric: true },
    {
      label: t('overdue'),
      cell: (row) => count(row.callbacksOverdue),
      csv: (row) => row.callbacksOverdue,
      numeric: true,
    },
  ];
  const overdueColumns: Column<OverdueCallback>[] = [
    { label: t('contact'), cell: (row) => row.name ?? shownPhone(row.phone), csv: (row) => row.name ?? '' },
    { label: t('phone'), cell: (row) => shownPhone(row.phone), csv: (row) => row.phone },
    { label: t('requested'), cell: (row) => fullTime(row.requestedAt), csv: (row) => row.requestedAt },
    { label: t('due'), cell: (row) => fullTime(row.dueAt), csv: (row) => row.dueAt },
    {
      label: t('firstCall'),
      cell: (row) => (row.firstCallAt ? fullTime(row.firstCallAt) : <span class="rp-bad">{t('notCalled')}</span>),
      csv: (row) => row.firstCallAt,
    },
    {
      label: t('assignee'),
      cell: (row) => (row.assignee ? shownAgent(row.assignee.name) : t('nobody')),
      csv: (row) => row.assignee?.name ?? '',
    },
  ];
  const missedShare = chat.chats > 0 ? chat.missed / chat.chats : null;

  return (
    <>
      <Stats label={t('headline')}>
        <Stat
          label={t('firstResponse')}
          value={median(chat.firstResponse.all)}
          note={spread(chat.firstResponse.all)}
          testId="speed-first-response"
        />
        <Stat
          label={t('firstResponseInHours')}
          value={median(chat.firstResponse.businessHours)}
          note={spread(chat.firstResponse.businessHours)}
        />
        <Stat label={t('resolution')} value={median(chat.resolution.all)} note={spread(chat.resolution.all)} />
        <Stat
          label={t('missedChats')}
          value={count(chat.missed)}
          note={t('ofChats', { count: chat.chats, share: percent(missedShare) })}
          tone={chat.missed > 0 ? 'bad' : undefined}
          testId="speed-missed"
        />
        <Stat
          label={t('callbacksOnTime')}
          value={callbacks.onTimePercent === null ? '—' : percent(callbacks.onTimePercent / 100)}
          note={t('callbacksNote', {
            onTime: callbacks.onTime,
            overdue: callbacks.overdue,
            pending: callbacks.pending,
          })}
          tone={callbacks.overdue > 0 ? 'bad' : callbacks.onTime > 0 ? 'good' : undefined}
          testId="speed-callbacks-on-time"
        />
        <Stat
          label={t('firstContact')}
          value={median(report.firstContact)}
          note={t('firstContactNote', { count: report.firstContact.count })}
        />
      </Stats>
      <Heatmap cells={report.heatmap} />
      <DataTable
        title={t('overdueCallbacks')}
        fileParts={file('overdue-callbacks')}
        columns={overdueColumns}
        rows={callbacks.overdueList}
        rowKey={(row) => row.id}
        empty={t('noOverdue')}
        testId="speed-overdue"
      />
      <DataTable
        title={t('byAgent')}
        fileParts={file('by-agent')}
        columns={rowColumns(t('agent'))}
        rows={report.byAgent}
        rowKey={(row) => row.key}
        testId="speed-by-agent"
      />
      <DataTable
        title={t('byTeam')}
        fileParts={file('by-team')}
        columns={rowColumns(t('team'))}
        rows={report.byTeam}
        rowKey={(row) => row.key}
      />
      <DataTable
        title={t('byChannel')}
        fileParts={file('by-channel')}
        columns={rowColumns(t('channel'))}
        rows={report.byChannel.map((row) => ({
          ...row,
          label: isChannel(row.key) ? channelLabel(row.key) : row.label,
        }))}
        rowKey={(row) => row.key}
      />
    </>
  );
}
