import type { Bucket, DayRange } from './range';

export const reportIds = ['overview', 'speed', 'agents', 'leads', 'cost', 'feedback', 'triggers'] as const;
export type ReportId = (typeof reportIds)[number];

/** What every report asks the server for: the toolbar's choices. */
export interface ReportQuery {
  /** The sites asked about: the current one, or every site the agent may see. */
  siteIds: string[];
  allSites: boolean;
  range: DayRange;
  previous: DayRange;
  /** The agent's IANA zone: the server cuts days in it. */
  timeZone: string;
  bucket: Bucket;
}
