import type {
  AgentsReport,
  ConversionRow,
  CostReport,
  FeedbackTrendReport,
  FunnelReport,
  LatencyStats,
  OverviewReport,
  ReportByName,
  ReportName,
  SpeedReport,
  TriggersReport,
} from '@beckon/sdk/protocol';
import { inquiryChannels, reportTables } from '@beckon/sdk/protocol';
import { csvCell } from '../leads/index.js';

type Cell = string | number | boolean | null | undefined;
type Table = { header: string[]; rows: Cell[][] };

/** Numbers stay numbers (a negative NPS is not a formula); text goes through the leads export's formula guard. */
const cell = (value: Cell) =>
  typeof value === 'number'
    ? Number.isFinite(value)
      ? String(value)
      : ''
    : csvCell(value === undefined ? null : typeof value === 'boolean' ? String(value) : value);

const latency = (name: string) => [`${name} count`, `${name} median ms`, `${name} p90 ms`];
const latencyCells = (stats: LatencyStats) => [stats.count, stats.medianMs, stats.p90Ms];

const speedHeader = ['Key', 'Name', 'Chats', 'Missed', ...latency('First response'), 'Callbacks', 'On time', 'Overdue'];
const speedCells = (row: SpeedReport['byAgent'][number]): Cell[] => [
  row.key,
  row.label,
  row.chats,
  row.missed,
  ...latencyCells(row.firstResponse),
  row.callbacks,
  row.callbacksOnTime,
  row.callbacksOverdue,
];

/** One table of a report as rows (the table names are `reportTables`). */
function tableOf<R extends ReportName>(name: R, report: ReportByName[R], table: string): Table | null {
  switch (name) {
    case 'overview': {
      const r = report as OverviewReport;
      if (table === 'byChannel')
        return {
          header: ['Channel', 'Inquiries', 'Previous period'],
          rows: r.byChannel.map((row) => [row.channel, row.count, row.previous]),
        };
      if (table === 'bySource')
        return {
          header: [
            'Kind',
            'Source',
            'Medium',
            'Campaign',
            'Referrer domain',
            'Click id',
            'Inquiries',
            'Previous period',
          ],
          rows: r.bySource.map((row) => [
            row.kind,
            row.source,
            row.medium,
            row.campaign,
            row.referrerDomain,
            row.clickIdType,
            row.count,
            row.previous,
          ]),
        };
      if (table === 'series')
        return {
          header: ['Period', 'Total', ...inquiryChannels],
          rows: r.series.map((point) => [
            point.period,
            point.total,
            ...inquiryChannels.map((channel) => point.byChannel[channel]),
          ]),
        };
      return null;
    }
    case 'speed': {
      const r = report as SpeedReport;
      if (table === 'byAgent') return { header: speedHeader, rows: r.byAgent.map(speedCells) };
      if (table === 'byTeam') return { header: speedHeader, rows: r.byTeam.map(speedCells) };
      if (table === 'byChannel') return { header: speedHeader, rows: r.byChannel.map(speedCells) };
      if (table === 'overdueCallbacks')
        return {
          header: ['Callback id', 'Site id', 'Name', 'Phone', 'Requested', 'Due', 'First call', 'Assignee'],
          rows: r.callbacks.overdueList.map((row) => [
            row.id,
            row.siteId,
            row.name,
            row.phone,
            row.requestedAt,
            row.dueAt,
            row.firstCallAt,
            row.assignee?.name,
          ]),
        };
      if (table === 'heatmap')
        return {
          header: ['Day (0 = Monday)', 'Hour', 'Inquiries', 'Agents online'],
          rows: r.heatmap.map((row) => [row.day, row.hour, row.inquiries, row.agentsOnline]),
        };
      return null;
    }
    case 'agents': {
      const r = report as AgentsReport;
      if (table !== 'agents') return null;
      return {
        header: [
          'Agent id',
          'Name',
          'Chats',
          'Callbacks',
          'Leads owned',
          ...latency('First response'),
          'CSAT',
          'CSAT answers',
          'Won',
          'Lost',
          'Conversion %',
          'Overdue',
        ],
        rows: r.agents.map((row) => [
          row.agentId,
          row.name,
          row.chats,
          row.callbacks,
          row.leadsOwned,
          ...latencyCells(row.firstResponse),
          row.csat,
          row.csatCount,
          row.won,
          row.lost,
          row.conversionPercent,
          row.overdue,
        ]),
      };
    }
    case 'funnel': {
      const r = report as FunnelReport;
      const conversionHeader = ['Leads', 'Contacted', 'Qualified', 'Won', 'Lost', 'Conversion %'];
      const conversion = (row: ConversionRow) => [
        row.leads,
        row.contacted,
        row.qualified,
        row.won,
        row.lost,
        row.conversionPercent,
      ];
      if (table === 'stages')
        return {
          header: ['Stage', 'Leads', 'Conversion %'],
          rows: r.stages.map((row) => [row.stage, row.count, row.conversionPercent]),
        };
      if (table === 'byTemperature')
        return {
          header: ['Temperature at first contact', ...conversionHeader],
          rows: r.byTemperature.map((row) => [row.key, ...conversion(row)]),
        };
      if (table === 'bySource')
        return {
          header: ['Kind', 'Source', 'Medium', 'Campaign', ...conversionHeader],
          rows: r.bySource.map((row) => [row.kind, row.source, row.medium, row.campaign, ...conversion(row)]),
        };
      if (table === 'lostReasons')
        return { header: ['Reason', 'Leads'], rows: r.lostReasons.map((row) => [row.reason, row.count]) };
      return null;
    }
    case 'cost': {
      const r = report as CostReport;
      if (table !== 'rows') return null;
      return {
        header: [
          'Source',
          'Campaign',
          'Currency',
          'Spend',
          'Inquiries',
          'Qualified',
          'Won',
          'Cost per inquiry',
          'Cost per qualified',
          'Cost per won',
        ],
        rows: r.rows.map((row) => [
          row.source,
          row.campaign,
          row.currency,
          row.spend,
          row.inquiries,
          row.qualified,
          row.won,
          row.costPerInquiry,
          row.costPerQualified,
          row.costPerWon,
        ]),
      };
    }
    case 'feedback': {
      const r = report as FeedbackTrendReport;
      if (table === 'series')
        return {
          header: ['Period', 'NPS', 'NPS answers', 'CSAT', 'CSAT answers', 'Chat rating', 'Chat ratings'],
          rows: r.series.map((row) => [
            row.period,
            row.nps,
            row.npsAnswers,
            row.csat,
            row.csatAnswers,
            row.chatRating,
            row.chatRatings,
          ]),
        };
      if (table === 'comments')
        return {
          header: ['At', 'Site id', 'Source', 'Score', 'Comment'],
          rows: r.comments.map((row) => [row.at, row.siteId, row.source, row.score, row.text]),
        };
      return null;
    }
    case 'triggers': {
      const r = report as TriggersReport;
      if (table !== 'rows') return null;
      return {
        header: ['Kind', 'Id', 'Name', 'Site id', 'Shown', 'Accepted', 'Dismissed', 'Leads', 'Won', 'Accepted %'],
        rows: r.rows.map((row) => [
          row.kind,
          row.id,
          row.name,
          row.siteId,
          row.shown,
          row.accepted,
          row.dismissed,
          row.leads,
          row.won,
          row.acceptPercent,
        ]),
      };
    }
  }
  return null;
}

export const isReportTable = (name: ReportName, table: string) =>
  (reportTables[name] as readonly string[]).includes(table);

/** The CSV of one report table (CRLF rows, formula-safe text cells), or null for a table the report lacks. */
export function reportCsv<R extends ReportName>(name: R, report: ReportByName[R], table: string): string | null {
  const found = isReportTable(name, table) ? tableOf(name, report, table) : null;
  if (!found) return null;
  return [found.header, ...found.rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}
