import type { AgentReportRow } from '@beckon/sdk/protocol';
import { formatNumber } from '../../lib/i18n';
import { useSession } from '../../session';
import { DataTable, type Column } from './DataTable';
import { count, duration, percent } from './numbers';
import { ReportState, useReport } from './parts';
import type { ReportQuery } from './query';
import { t } from './i18n';

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** Agents: each agent's work and results (the server gives an agent their own row only, an admin everyone's). */
export function AgentsReport({ query }: { query: ReportQuery }) {
  const { isAdmin, me } = useSession();
  const loaded = useReport('agents', query);
  const columns: Column<AgentReportRow>[] = [
    {
      label: t('agent'),
      cell: (row) => (
        <>
          {row.name} {row.agentId === me.agent.id && <span class="you">{t('you')}</span>}
        </>
      ),
      csv: (row) => row.name,
    },
    { label: t('chats'), cell: (row) => count(row.chats), csv: (row) => row.chats, numeric: true },
    { label: t('callbacks'), cell: (row) => count(row.callbacks), csv: (row) => row.callbacks, numeric: true },
    { label: t('leadsOwned'), cell: (row) => count(row.leadsOwned), csv: (row) => row.leadsOwned, numeric: true },
    {
      label: t('firstResponseMedian'),
      cell: (row) => duration(seconds(row.firstResponse.medianMs)),
      csv: (row) => seconds(row.firstResponse.medianMs),
      numeric: true,
    },
    {
      label: t('csat'),
      cell: (row) =>
        row.csat === null
          ? '—'
          : `${formatNumber(row.csat, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} (${count(row.csatCount)})`,
      csv: (row) => row.csat,
      numeric: true,
    },
    { label: t('won'), cell: (row) => count(row.won), csv: (row) => row.won, numeric: true },
    { label: t('lost'), cell: (row) => count(row.lost), csv: (row) => row.lost, numeric: true },
    {
      label: t('conversion'),
      cell: (row) => (row.conversionPercent === null ? '—' : percent(row.conversionPercent / 100)),
      csv: (row) => row.conversionPercent,
      numeric: true,
    },
    {
      label: t('overdue'),
      cell: (row) => (row.overdue > 0 ? <span class="rp-bad">{count(row.overdue)}</span> : count(row.overdue)),
      csv: (row) => row.overdue,
      numeric: true,
    },
  ];
  return (
    <ReportState loaded={loaded}>
      {(report) => (
        <>
          {!isAdmin && <p class="rp-hint">{t('agentsOwnRow')}</p>}
          <DataTable
            title={t('agentsTable')}
            fileParts={['agents', query.range.from, query.range.to]}
            columns={columns}
            rows={report.agents}
            rowKey={(row) => row.agentId}
            testId="agents-table"
          />
        </>
      )}
    </ReportState>
  );
}
