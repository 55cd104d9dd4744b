import { z } from 'zod';
import { leadTemperatures } from './leads.js';
import { isoTimeSchema } from './refs.js';
import { text } from './text.js';
import {
  digestFrequencies,
  funnelStages,
  inquiryChannels,
  lostReasons,
  reportGranularities,
  type reportNames,
  sourceKinds,
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

// ---- Answers ------------------------------------------------------------------------------------
//
// Every answer below is a zod schema (the OpenAPI document describes the routes with them, and the tests
// check each answer the server gives against them); the types are what they infer.

/** How many of something: a whole number, never negative. */
const count = z.number().int().min(0);
/** A share in percent with one decimal (`33.3`); null when there was nothing to divide by. */
const percent = z.number().min(0).nullable();
/** The same, of a part that cannot exceed its whole. */
const partPercent = z.number().min(0).max(100).nullable();
/** A mean of 1–5 answers with one decimal; null without answers. */
const rating = z.number().min(1).max(5).nullable();
/** A duration in whole milliseconds. */
const ms = z.number().int().min(0);
/** An instant (ISO 8601, UTC). */
const iso = isoTimeSchema;

/** The range a report answered for; the previous period is the same number of days just before `from`. */
export const reportRangeSchema = z
  .object({
    from: localDate,
    to: localDate,
    tz: text(),
    granularity: z.enum(reportGranularities),
    previousFrom: localDate,
    previousTo: localDate,
    /** The site ids the numbers cover (the visible ones when no site was asked for). */
    siteIds: z.array(z.uuid()),
  })
  .meta({ id: 'ReportRange' });
export type ReportRange = z.infer<typeof reportRangeSchema>;

/** A latency: count of measured items, median and 90th percentile in milliseconds (null without items). */
export const latencyStatsSchema = z
  .object({ count, medianMs: ms.nullable(), p90Ms: ms.nullable() })
  .meta({ id: 'LatencyStats' });
export type LatencyStats = z.infer<typeof latencyStatsSchema>;

// ---- Overview -----------------------------------------------------------------------------------

/**
 * The channel an inquiry came through. `invitation`: a chat the visitor opened by accepting an agent's
 * invitation; `trigger`: a chat, callback or form sent within 30 minutes after the visitor accepted a
 * proactive trigger; `offline`: a message left while no agent was available; `form`: a feedback answer.
 */
export const inquiryChannelSchema = z.enum(inquiryChannels);
export type InquiryChannel = z.infer<typeof inquiryChannelSchema>;

/**
 * Where the inquiring visitor's visit came from, first match wins: an ad click id (`paid`), UTM tags
 * (`utm`), another site's referrer (`referral`), else `direct`.
 */
export const sourceKindSchema = z.enum(sourceKinds);
export type SourceKind = z.infer<typeof sourceKindSchema>;

export const channelCountSchema = z.object({ channel: inquiryChannelSchema, count, previous: count });
export type ChannelCount = z.infer<typeof channelCountSchema>;

export const sourceCountSchema = z.object({
  kind: sourceKindSchema,
  /** UTM source (for `paid` the UTM source when tagged, else the click id type such as `gclid`). Empty when none. */
  source: text(),
  medium: text(),
  campaign: text(),
  /** The referrer's host for `referral`; empty otherwise. */
  referrerDomain: text(),
  /** `gclid`, `fbclid`, `yclid`, `msclkid` for `paid`; empty otherwise. */
  clickIdType: text(),
  count,
  previous: count,
});
export type SourceCount = z.infer<typeof sourceCountSchema>;

/** One period (its first local day, `YYYY-MM-DD`) with the inquiries per channel. */
export const channelSeriesPointSchema = z.object({
  period: localDate,
  total: count,
  byChannel: z.record(inquiryChannelSchema, count),
});
export type ChannelSeriesPoint = z.infer<typeof channelSeriesPointSchema>;

export const overviewReportSchema = z
  .object({
    range: reportRangeSchema,
    total: count,
    previousTotal: count,
    /** Every channel, in `inquiryChannels` order. */
    byChannel: z.array(channelCountSchema).length(inquiryChannels.length),
    /** At most 200 rows, largest first. */
    bySource: z.array(sourceCountSchema).max(200),
    /** Every period the range touches, in order. */
    series: z.array(channelSeriesPointSchema),
  })
  .meta({ id: 'OverviewReport' });
export type OverviewReport = z.infer<typeof overviewReportSchema>;

// ---- Speed and SLA ------------------------------------------------------------------------------

const latencySplitSchema = z.object({ all: latencyStatsSchema, businessHours: latencyStatsSchema });

export const chatSpeedSchema = z.object({
  /** Conversations started in the range (chat, invitation and trigger chats; offline messages excluded). */
  chats: count,
  answered: count,
  /** No agent answer yet, or closed without one. */
  missed: count,
  /** Visitor's first message → first agent answer. `businessHours`: chats started within the site's hours. */
  firstResponse: latencySplitSchema,
  /** Start → closed, for conversations closed so far. */
  resolution: latencySplitSchema,
});
export type ChatSpeed = z.infer<typeof chatSpeedSchema>;

export const overdueCallbackSchema = z.object({
  id: z.uuid(),
  siteId: z.uuid(),
  name: text().nullable(),
  /** E.164. */
  phone: text(),
  requestedAt: iso,
  dueAt: iso,
  /** First outcome (reached or not); null while nobody has called. */
  firstCallAt: iso.nullable(),
  assignee: z.object({ id: z.uuid(), name: text() }).nullable(),
});
export type OverdueCallback = z.infer<typeof overdueCallbackSchema>;

export const callbackSlaSchema = z.object({
  requests: count,
  /** First call at or before the deadline. */
  onTime: count,
  /** First call after the deadline, or none yet with the deadline passed. */
  overdue: count,
  /** Not due yet and not called. */
  pending: count,
  /** onTime / (onTime + overdue), percent with one decimal; null when nothing was due. */
  onTimePercent: partPercent,
  /** The overdue requests of the range, latest deadline first, at most 100. */
  overdueList: z.array(overdueCallbackSchema).max(100),
});
export type CallbackSla = z.infer<typeof callbackSlaSchema>;

/** One row of a "by agent / team / channel" breakdown. */
export const speedRowSchema = z.object({
  /** Agent id, team id or channel name. */
  key: text(),
  label: text(),
  chats: count,
  missed: count,
  firstResponse: latencyStatsSchema,
  callbacks: count,
  callbacksOnTime: count,
  callbacksOverdue: count,
});
export type SpeedRow = z.infer<typeof speedRowSchema>;

/** Hour of week in the report's time zone: `day` 0 = Monday … 6 = Sunday, `hour` 0–23. */
export const heatmapCellSchema = z.object({
  day: z.number().int().min(0).max(6),
  hour: z.number().int().min(0).max(23),
  /** Inquiries started in that hour of the week over the range. */
  inquiries: count,
  /** Agents online in that hour, averaged over the range's weeks (agent-hours / occurrences of the hour), two decimals. */
  agentsOnline: z.number().min(0),
});
export type HeatmapCell = z.infer<typeof heatmapCellSchema>;

export const speedReportSchema = z
  .object({
    range: reportRangeSchema,
    chat: chatSpeedSchema,
    callbacks: callbackSlaSchema,
    /** Lead created → first moved out of `new` by an agent, for leads created in the range. */
    firstContact: latencyStatsSchema,
    byAgent: z.array(speedRowSchema),
    byTeam: z.array(speedRowSchema),
    byChannel: z.array(speedRowSchema),
    /** 168 cells, Monday 00:00 first. */
    heatmap: z.array(heatmapCellSchema).length(168),
  })
  .meta({ id: 'SpeedReport' });
export type SpeedReport = z.infer<typeof speedReportSchema>;

// ---- Agents -------------------------------------------------------------------------------------

export const agentReportRowSchema = z.object({
  agentId: z.uuid(),
  name: text(),
  chats: count,
  callbacks: count,
  /** Leads created in the range that the agent holds now. */
  leadsOwned: count,
  firstResponse: latencyStatsSchema,
  /** Mean chat rating (1–5, one decimal) of the agent's conversations; null without ratings. */
  csat: rating,
  csatCount: count,
  won: count,
  lost: count,
  /** won / (won + lost), percent with one decimal; null when none closed. */
  conversionPercent: partPercent,
  /** Callbacks of the range that missed their deadline, assigned to the agent. */
  overdue: count,
});
export type AgentReportRow = z.infer<typeof agentReportRowSchema>;

export const agentsReportSchema = z
  .object({
    range: reportRangeSchema,
    /** An agent (not admin) gets exactly one row: their own. */
    agents: z.array(agentReportRowSchema),
  })
  .meta({ id: 'AgentsReport' });
export type AgentsReport = z.infer<typeof agentsReportSchema>;

// ---- Leads and funnel ---------------------------------------------------------------------------

/**
 * Funnel stages of the leads created in the range, each counting leads that reached it or a later one:
 * `contacted` = an agent moved it out of `new` (to open, contacted, won or lost); `qualified` = contacted
 * and not disqualified (not spam, not lost as `not_a_lead` / `spam`); `won` / `lost` = its status now.
 */
export type FunnelStage = (typeof funnelStages)[number];

export const funnelStageRowSchema = z.object({
  stage: z.enum(funnelStages),
  count,
  /** count / previous stage's count (for `lost`: of `contacted`), percent with one decimal; null for `new`. */
  conversionPercent: percent,
});
export type FunnelStageRow = z.infer<typeof funnelStageRowSchema>;

/** Temperature when the lead was first contacted (stored then); `unknown`: never contacted or no score. */
export const funnelTemperatures = [...leadTemperatures, 'unknown'] as const;
export type FunnelTemperature = (typeof funnelTemperatures)[number];

export const conversionRowSchema = z.object({
  /** Temperature, or `source / medium / campaign` (empty parts for none), or the source kind. */
  key: text(),
  leads: count,
  contacted: count,
  qualified: count,
  won: count,
  lost: count,
  /** won / leads, percent with one decimal; null without leads. */
  conversionPercent: partPercent,
});
export type ConversionRow = z.infer<typeof conversionRowSchema>;

export const lostReasonRowSchema = z.object({ reason: z.enum([...lostReasons, 'unspecified']), count });
export type LostReasonRow = z.infer<typeof lostReasonRowSchema>;

export const funnelReportSchema = z
  .object({
    range: reportRangeSchema,
    /** The five stages, in `funnelStages` order. */
    stages: z.array(funnelStageRowSchema).length(funnelStages.length),
    /** First touch → won, for leads won so far. */
    dealDuration: latencyStatsSchema,
    /** Every temperature, in `funnelTemperatures` order. */
    byTemperature: z
      .array(conversionRowSchema.extend({ key: z.enum(funnelTemperatures) }))
      .length(funnelTemperatures.length),
    /** By the source of the lead's first inquiry; at most 200 rows, most leads first. */
    bySource: z
      .array(conversionRowSchema.extend({ kind: sourceKindSchema, source: text(), medium: text(), campaign: text() }))
      .max(200),
    lostReasons: z.array(lostReasonRowSchema),
    /** The free texts given with `other`, latest first, at most 50. */
    lostOther: z.array(z.object({ text: text(), at: iso })).max(50),
  })
  .meta({ id: 'FunnelReport' });
export type FunnelReport = z.infer<typeof funnelReportSchema>;

// ---- Cost per inquiry ---------------------------------------------------------------------------

/** An ISO currency code, upper-case. */
const currency = text()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as EUR')
  .transform((code) => code.toUpperCase());
/** A currency code as answers spell it. */
const currencyCode = text().regex(/^[A-Z]{3}$/);
const month = text().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-03');
/** An amount in the currency's major unit, rounded to cents. */
const money = z.number().min(0);

/**
 * Money spent on one source (UTM source, or click id type such as `gclid` for untagged paid clicks) in one
 * calendar month; `campaign` empty = the source as a whole. Amounts in the currency's major unit (12.50).
 */
export const spendEntryInputSchema = z.object({
  siteId: z.uuid(),
  month,
  source: text().trim().min(1).max(200),
  campaign: text().trim().max(200).default(''),
  amount: z.number().min(0).max(1_000_000_000).multipleOf(0.01),
  currency,
});
export type SpendEntryInput = z.input<typeof spendEntryInputSchema>;

export const spendEntrySchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    /** `YYYY-MM`. */
    month,
    source: text(),
    /** Empty: the source as a whole. */
    campaign: text(),
    amount: money,
    currency: currencyCode,
    updatedAt: iso,
  })
  .meta({ id: 'SpendEntry' });
export type SpendEntry = z.infer<typeof spendEntrySchema>;

/** `GET /api/reports/spend?siteId=` answers `{ entries }`; `PUT /api/reports/spend` answers `{ entry }`. */
export const spendListSchema = z.object({ entries: z.array(spendEntrySchema) });
export type SpendList = z.infer<typeof spendListSchema>;
export const savedSpendSchema = z.object({ entry: spendEntrySchema });
export type SavedSpend = z.infer<typeof savedSpendSchema>;

/** The answer to a CSV import: rows stored, and the refused ones with their line numbers (header = 1). */
export const spendImportResultSchema = z.object({
  imported: count,
  errors: z.array(z.object({ line: z.number().int().min(2), message: text() })),
});
export type SpendImportResult = z.infer<typeof spendImportResultSchema>;

/** The most rows one CSV import takes. */
export const maxSpendImportRows = 5000;

/** A spend CSV for one site (`,` or `;` separated; decimal `.` or `,`); sent as JSON like every `/api` write. */
export const spendImportSchema = z.object({ siteId: z.uuid(), csv: text().max(250_000) });
export type SpendImport = z.input<typeof spendImportSchema>;

export const costRowSchema = z.object({
  /** Empty in `totals`. */
  source: text(),
  /** Empty: the source as a whole (and in `totals`). */
  campaign: text(),
  currency: currencyCode,
  /** The month's spend spread evenly over its days, summed over the range's days. */
  spend: money,
  inquiries: count,
  qualified: count,
  won: count,
  /** spend / count, rounded to cents; null when the count is 0. */
  costPerInquiry: money.nullable(),
  costPerQualified: money.nullable(),
  costPerWon: money.nullable(),
});
export type CostRow = z.infer<typeof costRowSchema>;

export const costReportSchema = z
  .object({
    range: reportRangeSchema,
    /** One row per (source, campaign, currency) with spend; campaigns without their own spend roll up to the source row. */
    rows: z.array(costRowSchema),
    /** Per currency. */
    totals: z.array(costRowSchema),
  })
  .meta({ id: 'CostReport' });
export type CostReport = z.infer<typeof costReportSchema>;

// ---- Feedback -----------------------------------------------------------------------------------

/** Net Promoter Score: % promoters (9–10) − % detractors (0–6), a whole number; null without answers. */
const npsScore = z.number().int().min(-100).max(100).nullable();
/** Answers of 4 or 5, percent (whole); null without answers. */
const satisfiedPercent = z.number().int().min(0).max(100).nullable();

export const feedbackTrendPointSchema = z.object({
  /** The period's first local day. */
  period: localDate,
  nps: npsScore,
  npsAnswers: count,
  /** Mean of the 1–5 CSAT answers, one decimal. */
  csat: rating,
  csatAnswers: count,
  /** Mean of the 1–5 chat ratings, one decimal. */
  chatRating: rating,
  chatRatings: count,
});
export type FeedbackTrendPoint = z.infer<typeof feedbackTrendPointSchema>;

export const feedbackCommentSchema = z.object({
  source: z.enum(['nps', 'csat', 'message', 'chat']),
  /** NPS 0–10, CSAT and chat rating 1–5; null for a message. */
  score: z.number().int().min(0).max(10).nullable(),
  text: text(),
  at: iso,
  siteId: z.uuid(),
});
export type FeedbackComment = z.infer<typeof feedbackCommentSchema>;

const ratingSummarySchema = z.object({ average: rating, satisfiedPercent, count });

export const feedbackTrendReportSchema = z
  .object({
    range: reportRangeSchema,
    nps: z.object({ score: npsScore, promoters: count, passives: count, detractors: count, count }),
    csat: ratingSummarySchema,
    chatRating: ratingSummarySchema,
    /** Every period the range touches, in order. */
    series: z.array(feedbackTrendPointSchema),
    /** Latest first, at most 100. */
    comments: z.array(feedbackCommentSchema).max(100),
  })
  .meta({ id: 'FeedbackTrendReport' });
export type FeedbackTrendReport = z.infer<typeof feedbackTrendReportSchema>;

// ---- Triggers and invitations -------------------------------------------------------------------

export const triggerReportRowSchema = z.object({
  /** `trigger`: a proactive trigger rule; `invitation`: an agent's "Invite to chat" (one row per agent). */
  kind: z.enum(['trigger', 'invitation']),
  /** The trigger rule id, or the inviting agent's id (empty when the agent was deleted). */
  id: text(),
  /** The rule's or agent's name now; null when deleted. */
  name: text().nullable(),
  siteId: z.uuid(),
  shown: count,
  accepted: count,
  dismissed: count,
  /** Visitors who accepted and have a lead (created after the acceptance or before). */
  leads: count,
  won: count,
  /** accepted / shown, percent with one decimal; null when never shown. */
  acceptPercent: percent,
});
export type TriggerReportRow = z.infer<typeof triggerReportRowSchema>;

export const triggersReportSchema = z
  .object({ range: reportRangeSchema, rows: z.array(triggerReportRowSchema) })
  .meta({ id: 'TriggersReport' });
export type TriggersReport = z.infer<typeof triggersReportSchema>;

// ---- By name, and CSV export --------------------------------------------------------------------

export type ReportName = (typeof reportNames)[number];

/** Each report's answer, by name (`GET /api/reports/<name>`). */
export const reportSchemas = {
  overview: overviewReportSchema,
  speed: speedReportSchema,
  agents: agentsReportSchema,
  funnel: funnelReportSchema,
  cost: costReportSchema,
  feedback: feedbackTrendReportSchema,
  triggers: triggersReportSchema,
} as const satisfies Record<ReportName, z.ZodType>;
export type ReportByName = { [Name in ReportName]: z.infer<(typeof reportSchemas)[Name]> };

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
