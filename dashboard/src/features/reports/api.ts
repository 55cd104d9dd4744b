import type {
  AgentsReport,
  CostReport,
  DigestSettings,
  FeedbackTrendReport,
  FunnelReport,
  OverviewReport,
  ReportName,
  SpeedReport,
  SavedSpend,
  SpendEntryInput,
  SpendList,
  SpendImportResult,
  TriggersReport,
} from '@beckon/sdk/protocol';
import { api } from '../../api';
import type { DayRange } from './range';
import type { ReportQuery } from './query';

/** The Reports section's calls, through the dashboard's one request helper (session, CSRF, errors). */

export interface Answers {
  overview: OverviewReport;
  speed: SpeedReport;
  agents: AgentsReport;
  funnel: FunnelReport;
  cost: CostReport;
  feedback: FeedbackTrendReport;
  triggers: TriggersReport;
}

/** The URL parameters of a report: one site or none (every visible site), the days, the zone, the bucket. */
export function reportParams(query: ReportQuery, range: DayRange = query.range): URLSearchParams {
  const params = new URLSearchParams({ from: range.from, to: range.to, tz: query.timeZone, granularity: query.bucket });
  if (!query.allSites && query.siteIds[0]) params.set('siteId', query.siteIds[0]);
  return params;
}

export const fetchReport = <Name extends ReportName>(name: Name, query: ReportQuery, range?: DayRange) =>
  api.request<Answers[Name]>('GET', `/api/reports/${name}?${reportParams(query, range)}`);

const id = encodeURIComponent;

export const listSpend = (siteId: string) => api.request<SpendList>('GET', `/api/reports/spend?siteId=${id(siteId)}`);
export const saveSpend = (body: SpendEntryInput) => api.request<SavedSpend>('PUT', '/api/reports/spend', { body });
export const deleteSpend = (entryId: string) => api.request<void>('DELETE', `/api/reports/spend/${id(entryId)}`);
export const getDigest = () => api.request<DigestSettings>('GET', '/api/reports/digest');
export const saveDigest = (body: DigestSettings) => api.request<DigestSettings>('PUT', '/api/reports/digest', { body });

/** A spend CSV as its text: the server parses it and answers with the rows stored and the refused ones. */
export const importSpend = (siteId: string, csv: string) =>
  api.request<SpendImportResult>('POST', '/api/reports/spend/import', { body: { siteId, csv } });
