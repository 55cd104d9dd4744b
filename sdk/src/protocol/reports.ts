import { z } from 'zod';
import { leadTemperatures, type LostReason } from './leads.js';
import { text } from './text.js';
import {
  digestFrequencies,
  type funnelStages,
  type inquiryChannels,
  reportGranularities,
  type reportNames,
  type sourceKinds,
} from './constants.js';

export {
  digestFrequencies,
  funnelStages,
  inquiryChannels,
  reportGranularities,
  reportNames,
  reportTables,
  sourceKinds,
} from './constants.js';

// ---- Reports (issue 19) -------------------------------------------------------------------------
//
// Routes (all `GET` unless said; session cookie, or an API key with the `reports:read` scope):
//   /api/reports/overview      inquiries by channel and source, per period, with the previous period
//   /api/reports/speed         chat first response / resolution, missed chats, callback SLA, first contact,
//                              by agent / team / channel, hour-of-week heatmap (volume vs agents online)
//   /api/reports/agents        one row per agent (an agent gets their own row only, an admin every agent)
//   /api/reports/funnel        new → contacted → qualified → won / lost, deal duration, temperature, sources,
//                              lost reasons
//   /api/reports/cost          spend per source / campaign → cost per inquiry, qualified lead, won deal
//   /api/reports/feedback      NPS, CSAT and chat ratings over time, with the latest comments
//   /api/reports/triggers      per trigger (and per inviting agent): shown / accepted / lead / won
//   /api/reports/:report/export.csv?table=<one of reportTables[report]>  the same query, one table as CSV
// Every report takes `reportQuerySchema` (site, local dates, time zone, granularity).
// Spend (admins; cookie only):
//   GET    /api/reports/spend?siteId=…            the site's entries, newest month first
//   PUT    /api/reports/spend                      `spendEntryInputSchema`: upsert by (site, month, source, campaign)
//   DELETE /api/reports/spend/:id
//   POST   /api/reports/spend/import              `spendImportSchema`: a CSV text with a header row naming
//                                                  month, source, campaign (optional), amount, currency
// Digest email (admins; cookie only):
//   GET    /api/reports/digest                     `DigestSettings`
//   PUT    /api/reports/digest                     `digestSettingsSchema`

/** A calendar date in the report's time zone, `YYYY-MM-DD`. */
const localDate = z.iso.date();

/** The longest range a report accepts (a bit over two years, so "this year vs last year" fits). */
export const maxReportDays = 800;

export type ReportGranularity = (typeof reportGranularities)[number];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The query of every report. `from` and `to` are the first and last calendar days (inclusive) in `tz`, the
 * agent's IANA time zone: an inquiry at 23:30 local time counts on that local day, whatever UTC says. Weeks
 * start on Monday. `siteId` absent: every site the caller may see (an API key: the sites it is limited to).
 */
export const reportQuerySchema = z
  .object({
    siteId: z.uuid().optional(),
    from: localDate,
    to: localDate,
    tz: text()
      .max(64)
      .default('UTC')
      .refine((zone) => isTimeZone(zone), 'an IANA time zone such as Europe/Riga'),
    granularity: z.enum(reportGranularities).default('day'),
  })
  .refine((query) => query.from <= query.to, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((query) => (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 < maxReportDays, {
    message: `at most ${maxReportDays} days`,
    path: ['to'],
  });
export type ReportQuery = z.input<typeof reportQuerySchema>;
export type ParsedReportQuery = z.output<typeof reportQuerySchema>;

/** The range a report answered for; the previous period is the same number of days just before `from`. */
export interface ReportRange {
  from: string;
  to: string;
  tz: string;
  granularity: ReportGranularity;
  previousFrom: string;
  previousTo: string;
  /** The site ids the numbers cover (the visible ones when no site was asked for). */
  siteIds: string[];
}

/** A latency: count of measured items, median and 90th percentile in milliseconds (null without items). */
export interface LatencyStats {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

// ---- Overview -----------------------------------------------------------------------------------

/**
 * The channel an inquiry came through. `invitation`: a chat the visitor opened by accepting an agent's
 * invitation; `trigger`: a chat, callback or form sent within 30 minutes after the visitor accepted a
 * proactive trigger; `offline`: a message left while no agent was available; `form`: a feedback answer.
 */
export type InquiryChannel = (typeof inquiryChannels)[number];

/**
 * Where the inquiring visitor's visit came from, first match wins: an ad click id (`paid`), UTM tags
 * (`utm`), another site's referrer (`referral`), else `direct`.
 */
export type SourceKind = (typeof sourceKinds)[number];

export interface ChannelCount {
  channel: InquiryChannel;
  count: number;
  previous: number;
}

export interface SourceCount {
  kind: SourceKind;
  /** UTM source (for `paid` the UTM source when tagged, else the click id type such as `gclid`). Empty when none. */
  source: string;
  medium: string;
  campaign: string;
  /** The referrer's host for `referral`; empty otherwise. */
  referrerDomain: string;
  /** `gclid`, `fbclid`, `yclid`, `msclkid` for `paid`; empty otherwise. */
  clickIdType: string;
  count: number;
  previous: number;
}

/** One period (its first local day, `YYYY-MM-DD`) with the inquiries per channel. */
export interface ChannelSeriesPoint {
  period: string;
  total: number;
  byChannel: Record<InquiryChannel, number>;
}

export interface OverviewReport {
  range: ReportRange;
  total: number;
  previousTotal: number;
  byChannel: ChannelCount[];
  /** At most 200 rows, largest first. */
  bySource: SourceCount[];
  series: ChannelSeriesPoint[];
}

// ---- Speed and SLA ------------------------------------------------------------------------------

export interface ChatSpeed {
  /** Conversations started in the range (chat, invitation and trigger chats; offline messages excluded). */
  chats: number;
  answered: number;
  /** No agent answer yet, or closed without one. */
  missed: number;
  /** Visitor's first message → first agent answer. `businessHours`: chats started within the site's hours. */
  firstResponse: { all: LatencyStats; businessHours: LatencyStats };
  /** Start → closed, for conversations closed so far. */
  resolution: { all: LatencyStats; businessHours: LatencyStats };
}

export interface OverdueCallback {
  id: string;
  siteId: string;
  name: string | null;
  /** E.164. */
  phone: string;
  requestedAt: string;
  dueAt: string;
  /** First outcome (reached or not); null while nobody has called. */
  firstCallAt: string | null;
  assignee: { id: string; name: string } | null;
}

export interface CallbackSla {
  requests: number;
  /** First call at or before the deadline. */
  onTime: number;
  /** First call after the deadline, or none yet with the deadline passed. */
  overdue: number;
  /** Not due yet and not called. */
  pending: number;
  /** onTime / (onTime + overdue), percent with one decimal; null when nothing was due. */
  onTimePercent: number | null;
  /** The overdue requests of the range, latest deadline first, at most 100. */
  overdueList: OverdueCallback[];
}

/** One row of a "by agent / team / channel" breakdown. */
export interface SpeedRow {
  /** Agent id, team id or channel name. */
  key: string;
  label: string;
  chats: number;
  missed: number;
  firstResponse: LatencyStats;
  callbacks: number;
  callbacksOnTime: number;
  callbacksOverdue: number;
}

/** Hour of week in the report's time zone: `day` 0 = Monday … 6 = Sunday, `hour` 0–23. */
export interface HeatmapCell {
  day: number;
  hour: number;
  /** Inquiries started in that hour of the week over the range. */
  inquiries: number;
  /** Agents online in that hour, averaged over the range's weeks (agent-hours / occurrences of the hour). */
  agentsOnline: number;
}

export interface SpeedReport {
  range: ReportRange;
  chat: ChatSpeed;
  callbacks: CallbackSla;
  /** Lead created → first moved out of `new` by an agent, for leads created in the range. */
  firstContact: LatencyStats;
  byAgent: SpeedRow[];
  byTeam: SpeedRow[];
  byChannel: SpeedRow[];
  /** 168 cells, Monday 00:00 first. */
  heatmap: HeatmapCell[];
}

// ---- Agents -------------------------------------------------------------------------------------

export interface AgentReportRow {
  agentId: string;
  name: string;
  chats: number;
  callbacks: number;
  /** Leads created in the range that the agent holds now. */
  leadsOwned: number;
  firstResponse: LatencyStats;
  /** Mean chat rating (1–5, one decimal) of the agent's conversations; null without ratings. */
  csat: number | null;
  csatCount: number;
  won: number;
  lost: number;
  /** won / (won + lost), percent with one decimal; null when none closed. */
  conversionPercent: number | null;
  /** Callbacks of the range that missed their deadline, assigned to the agent. */
  overdue: number;
}

export interface AgentsReport {
  range: ReportRange;
  /** An agent (not admin) gets exactly one row: their own. */
  agents: AgentReportRow[];
}

// ---- Leads and funnel ---------------------------------------------------------------------------

/**
 * Funnel stages of the leads created in the range, each counting leads that reached it or a later one:
 * `contacted` = an agent moved it out of `new` (to open, contacted, won or lost); `qualified` = contacted
 * and not disqualified (not spam, not lost as `not_a_lead` / `spam`); `won` / `lost` = its status now.
 */
export type FunnelStage = (typeof funnelStages)[number];

export interface FunnelStageRow {
  stage: FunnelStage;
  count: number;
  /** count / previous stage's count (for `lost`: of `contacted`), percent with one decimal. */
  conversionPercent: number | null;
}

/** Temperature when the lead was first contacted (stored then); `unknown`: never contacted or no score. */
export const funnelTemperatures = [...leadTemperatures, 'unknown'] as const;
export type FunnelTemperature = (typeof funnelTemperatures)[number];

export interface ConversionRow {
  /** Temperature, or `source / medium / campaign` (empty parts for none), or the source kind. */
  key: string;
  leads: number;
  contacted: number;
  qualified: number;
  won: number;
  lost: number;
  /** won / leads, percent with one decimal. */
  conversionPercent: number | null;
}

export interface LostReasonRow {
  reason: LostReason | 'unspecified';
  count: number;
}

export interface FunnelReport {
  range: ReportRange;
  stages: FunnelStageRow[];
  /** First touch → won, for leads won so far. */
  dealDuration: LatencyStats;
  byTemperature: (ConversionRow & { key: FunnelTemperature })[];
  /** By the source of the lead's first inquiry; at most 200 rows, most leads first. */
  bySource: (ConversionRow & { kind: SourceKind; source: string; medium: string; campaign: string })[];
  lostReasons: LostReasonRow[];
  /** The free texts given with `other`, latest first, at most 50. */
  lostOther: { text: string; at: string }[];
}

// ---- Cost per inquiry ---------------------------------------------------------------------------

/** An ISO currency code, upper-case. */
const currency = text()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as EUR')
  .transform((code) => code.toUpperCase());

/**
 * Money spent on one source (UTM source, or click id type such as `gclid` for untagged paid clicks) in one
 * calendar month; `campaign` empty = the source as a whole. Amounts in the currency's major unit (12.50).
 */
export const spendEntryInputSchema = z.object({
  siteId: z.uuid(),
  month: text().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-03'),
  source: text().trim().min(1).max(200),
  campaign: text().trim().max(200).default(''),
  amount: z.number().min(0).max(1_000_000_000).multipleOf(0.01),
  currency,
});
export type SpendEntryInput = z.input<typeof spendEntryInputSchema>;

export interface SpendEntry {
  id: string;
  siteId: string;
  month: string;
  source: string;
  campaign: string;
  amount: number;
  currency: string;
  updatedAt: string;
}

/** `GET /api/reports/spend?siteId=` answers `{ entries }`; `PUT /api/reports/spend` answers `{ entry }`. */
export interface SpendList {
  entries: SpendEntry[];
}
export interface SavedSpend {
  entry: SpendEntry;
}

/** The answer to a CSV import: rows stored, and the refused ones with their line numbers (header = 1). */
export interface SpendImportResult {
  imported: number;
  errors: { line: number; message: string }[];
}

/** The most rows one CSV import takes. */
export const maxSpendImportRows = 5000;

/** A spend CSV for one site (`,` or `;` separated; decimal `.` or `,`); sent as JSON like every `/api` write. */
export const spendImportSchema = z.object({ siteId: z.uuid(), csv: text().max(250_000) });
export type SpendImport = z.input<typeof spendImportSchema>;

export interface CostRow {
  source: string;
  campaign: string;
  currency: string;
  /** The month's spend spread evenly over its days, summed over the range's days. */
  spend: number;
  inquiries: number;
  qualified: number;
  won: number;
  costPerInquiry: number | null;
  costPerQualified: number | null;
  costPerWon: number | null;
}

export interface CostReport {
  range: ReportRange;
  /** One row per (source, campaign, currency) with spend; campaigns without their own spend roll up to the source row. */
  rows: CostRow[];
  /** Per currency. */
  totals: CostRow[];
}

// ---- Feedback -----------------------------------------------------------------------------------

export interface FeedbackTrendPoint {
  period: string;
  nps: number | null;
  npsAnswers: number;
  /** Mean of the 1–5 CSAT answers, one decimal. */
  csat: number | null;
  csatAnswers: number;
  /** Mean of the 1–5 chat ratings, one decimal. */
  chatRating: number | null;
  chatRatings: number;
}

export interface FeedbackComment {
  source: 'nps' | 'csat' | 'message' | 'chat';
  score: number | null;
  text: string;
  at: string;
  siteId: string;
}

export interface FeedbackTrendReport {
  range: ReportRange;
  nps: { score: number | null; promoters: number; passives: number; detractors: number; count: number };
  csat: { average: number | null; satisfiedPercent: number | null; count: number };
  chatRating: { average: number | null; satisfiedPercent: number | null; count: number };
  series: FeedbackTrendPoint[];
  /** Latest first, at most 100. */
  comments: FeedbackComment[];
}

// ---- Triggers and invitations -------------------------------------------------------------------

export interface TriggerReportRow {
  /** `trigger`: a proactive trigger rule; `invitation`: an agent's "Invite to chat" (one row per agent). */
  kind: 'trigger' | 'invitation';
  /** The trigger rule id, or the inviting agent's id. */
  id: string;
  /** The rule's or agent's name now; null when deleted. */
  name: string | null;
  siteId: string;
  shown: number;
  accepted: number;
  dismissed: number;
  /** Visitors who accepted and have a lead (created after the acceptance or before). */
  leads: number;
  won: number;
  /** accepted / shown, percent with one decimal. */
  acceptPercent: number | null;
}

export interface TriggersReport {
  range: ReportRange;
  rows: TriggerReportRow[];
}

// ---- CSV export ---------------------------------------------------------------------------------

export type ReportName = (typeof reportNames)[number];

export const reportExportQuerySchema = z.object({ table: text().max(40) });

// ---- Digest email -------------------------------------------------------------------------------

export type DigestFrequency = (typeof digestFrequencies)[number];

/** An admin's digest choice: headline numbers of yesterday (daily, ~07:00 in `tz`) or last week (Mondays). */
export const digestSettingsSchema = z.object({
  frequency: z.enum(digestFrequencies),
  tz: text()
    .max(64)
    .refine((zone) => isTimeZone(zone), 'an IANA time zone such as Europe/Riga'),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;
