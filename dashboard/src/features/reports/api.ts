import type {
  AgentsReport,
  CostReport,
  DigestSettings,
  FeedbackTrendReport,
  FunnelReport,
  OverviewReport,
  ReportName,
  SpeedReport,
  SpendEntry,
  SpendEntryInput,
  SpendImportResult,
  TriggersReport,
} from '@beckon/sdk/protocol';
import { ApiError, api, parseErrorResponse } from '../../api';
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

export const listSpend = (siteId: string) =>
  api.request<{ entries: SpendEntry[] }>('GET', `/api/reports/spend?siteId=${id(siteId)}`);
export const saveSpend = (body: SpendEntryInput) =>
  api.request<{ entry: SpendEntry }>('PUT', '/api/reports/spend', { body });
export const deleteSpend = (entryId: string) => api.request<void>('DELETE', `/api/reports/spend/${id(entryId)}`);
export const getDigest = () => api.request<DigestSettings>('GET', '/api/reports/digest');
export const saveDigest = (body: DigestSettings) => api.request<DigestSettings>('PUT', '/api/reports/digest', { body });

/**
 * A spend CSV goes up as it is (`text/csv`): the one call whose body is not JSON, so it is sent here with
 * the session's CSRF token and read with the request helper's error parser.
 */
export async function importSpend(siteId: string, csv: string): Promise<SpendImportResult> {
  const send = () =>
    fetch(`/api/reports/spend/import?siteId=${id(siteId)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'text/csv', accept: 'application/json', 'x-csrf-token': api.csrfToken ?? '' },
      body: csv,
    });
  if (!api.csrfToken) await api.me();
  let response = await send().catch(() => {
    throw new ApiError(0, 'unavailable', 'Cannot reach the Beckon server. Check your connection and try again.');
  });
  if (response.status === 403) {
    // The token rotated with the session: fetch the current one once and retry, as the helper does.
    await api.me();
    response = await send();
  }
  const body = await response.text();
  if (!response.ok) throw parseErrorResponse(response.status, body, response.headers.get('retry-after'));
  return JSON.parse(body) as SpendImportResult;
}
