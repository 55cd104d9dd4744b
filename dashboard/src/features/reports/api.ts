import type { DigestSettings, ReportName, SpendEntryInput } from '@beckon/sdk/protocol';
import { api, type Result } from '../../api';
import type { DayRange } from './range';
import type { ReportQuery } from './query';

/** The Reports section's calls, through the dashboard's typed client (answers typed by the server's routes). */

export type Answers = { [Name in ReportName]: Awaited<ReturnType<(typeof api.reports)[Name]>> };

/** The URL parameters of a report: one site or none (every visible site), the days, the zone, the bucket. */
export function reportParams(query: ReportQuery, range: DayRange = query.range) {
  const params: { from: string; to: string; tz: string; granularity: string; siteId?: string } = {
    from: range.from,
    to: range.to,
    tz: query.timeZone,
    granularity: query.bucket,
  };
  if (!query.allSites && query.siteIds[0]) params.siteId = query.siteIds[0];
  return params;
}

export const fetchReport = <Name extends ReportName>(name: Name, query: ReportQuery, range?: DayRange) =>
  (api.reports[name] as (params: ReturnType<typeof reportParams>) => Promise<Answers[Name]>)(
    reportParams(query, range),
  );

export const listSpend = (siteId: string): Promise<Result<'listSpend'>> => api.listSpend(siteId);
export const saveSpend = (body: SpendEntryInput) => api.saveSpend(body);
export const deleteSpend = (entryId: string) => api.deleteSpend(entryId);
export const getDigest = () => api.getDigest();
export const saveDigest = (body: DigestSettings) => api.saveDigest(body);

/** A spend CSV as its text: the server parses it and answers with the rows stored and the refused ones. */
export const importSpend = (siteId: string, csv: string) => api.importSpend({ siteId, csv });
