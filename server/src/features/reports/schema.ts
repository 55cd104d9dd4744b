// Tables of the reports feature (drizzle): the pre-aggregated data every report reads instead of the raw
// tables, spend entries and digest choices. Rollups are derived data: `rebuildRollups` recomputes any of
// them from the raw tables (see ARCHITECTURE.md, "Reports and their rollups").

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DigestFrequency, InquiryChannel, LostReason, SourceKind } from '@beckon/sdk/protocol';
import { leadsTable } from '../leads/schema.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/** Source columns shared by inquiries and leads: where the visit that brought them came from. */
const sourceColumns = () => ({
  sourceKind: text('source_kind').$type<SourceKind>().notNull(),
  utmSource: text('utm_source').notNull().default(''),
  utmMedium: text('utm_medium').notNull().default(''),
  utmCampaign: text('utm_campaign').notNull().default(''),
  referrerDomain: text('referrer_domain').notNull().default(''),
  clickIdType: text('click_id_type').notNull().default(''),
});

/**
 * One narrow row per inquiry (a conversation, a callback request or a feedback answer) with everything the
 * reports group by and measure, computed from the raw rows. Keyed by the raw row, so recomputing an item is an
 * upsert: retries and repeated catch-ups change nothing. Instants are kept (not local days), so any time zone,
 * :30 and :45 ones included, buckets exactly at read time.
 */
export const reportInquiriesTable = pgTable(
  'report_inquiries',
  {
    refId: uuid('ref_id').primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['conversation', 'callback', 'feedback'] }).notNull(),
    /** When the inquiry arrived: conversation start, callback request, feedback answer. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    channel: text('channel').$type<InquiryChannel>().notNull(),
    ...sourceColumns(),
    /** The agent now responsible (conversation / callback assignee, or who answered first). */
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    leadId: uuid('lead_id').references(() => leadsTable.id, { onDelete: 'set null' }),
    /** Arrived while the site was open (its chat business hours; always true without hours). */
    inBusinessHours: boolean('in_business_hours').notNull(),
    /** Conversations: an agent answered. Callbacks: a first outcome was recorded. */
    answered: boolean('answered').notNull().default(false),
    /** Conversations: first visitor message → first agent message. Callbacks: request → first outcome. */
    firstResponseMs: bigint('first_response_ms', { mode: 'number' }),
    /** Conversations: start → close. */
    resolutionMs: bigint('resolution_ms', { mode: 'number' }),
    /** Callbacks: the SLA deadline and the first outcome. */
    dueAt: timestamp('due_at', { withTimezone: true }),
    firstCallAt: timestamp('first_call_at', { withTimezone: true }),
    /** Conversations: the visitor's 1–5 rating. Feedback: the NPS (0–10) or CSAT (1–5) score. */
    score: integer('score'),
    /** Feedback: nps / csat / message; conversations with a rating: chat. */
    scoreKind: text('score_kind', { enum: ['nps', 'csat', 'message', 'chat'] }),
    /** The visitor's comment (feedback text, rating comment), for the comments list. */
    comment: text('comment'),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('report_inquiries_site_at_idx').on(table.siteId, table.at),
    index('report_inquiries_lead_idx').on(table.leadId),
    // The catch-up finds the facts it rewrote (refreshed_at = its transaction's now()) to recompute their months.
    index('report_inquiries_site_refreshed_idx').on(table.siteId, table.refreshedAt),
    // Overdue callbacks (called late or not at all) and comments: small slices a report lists or counts directly.
    // (the overdue list, latest deadline first, by due_at; the not-yet-called count by at).
    index('report_inquiries_overdue_idx')
      .on(table.siteId, table.dueAt)
      .where(sql`kind = 'callback' and (first_call_at is null or first_call_at > due_at)`),
    index('report_inquiries_uncalled_idx')
      .on(table.siteId, table.at)
      .where(sql`kind = 'callback' and first_call_at is null`),
    index('report_inquiries_comment_idx').on(table.siteId, table.at).where(sql`comment is not null`),
  ],
);

/**
 * Second-level rollups, recomputed from `report_inquiries` (never from the raw tables) per site and UTC month or
 * hour: whole months inside a report's range are read from here, the partial months at its ends from the facts,
 * so any time zone stays exact. See `refresh.ts` (`recomputeInquiryRollups`) and ARCHITECTURE.md.
 *
 * Inquiry counts per month and (kind, channel, agent, business hours).
 */
export const reportInquiryMonthsTable = pgTable(
  'report_inquiry_months',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    /** The first instant of the UTC month. */
    month: timestamp('month', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').$type<InquiryChannel>().notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    inBusinessHours: boolean('in_business_hours').notNull(),
    n: integer('n').notNull(),
    answered: integer('answered').notNull(),
    /** Callbacks first called by their deadline / after it (not yet called ones are counted from the facts). */
    onTime: integer('on_time').notNull(),
    late: integer('late').notNull(),
    /** Chat ratings (1–5): how many and their sum. */
    ratings: integer('ratings').notNull(),
    ratingSum: integer('rating_sum').notNull(),
  },
  (table) => [index('report_inquiry_months_site_month_idx').on(table.siteId, table.month)],
);

/**
 * Latency histograms of chats per month: `metric` first response (`fr`) or resolution (`res`), by one dimension
 * (`bh`: in business hours 'true' / 'false'; `agent`: agent id; `channel`), in fixed log-spaced buckets
 * (`latencyBucket` in refresh.ts) with the count and the sum of the milliseconds in each, so medians and 90th
 * percentiles come from summed buckets.
 */
export const reportLatencyMonthsTable = pgTable(
  'report_latency_months',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    month: timestamp('month', { withTimezone: true }).notNull(),
    metric: text('metric', { enum: ['fr', 'res'] }).notNull(),
    dim: text('dim', { enum: ['bh', 'agent', 'channel'] }).notNull(),
    key: text('key').notNull(),
    bucket: smallint('bucket').notNull(),
    n: integer('n').notNull(),
    sumMs: bigint('sum_ms', { mode: 'number' }).notNull(),
  },
  (table) => [index('report_latency_months_site_month_idx').on(table.siteId, table.month)],
);

/** Inquiry counts per month and source (overview's sources, cost per inquiry). */
export const reportSourceMonthsTable = pgTable(
  'report_source_months',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    month: timestamp('month', { withTimezone: true }).notNull(),
    ...sourceColumns(),
    n: integer('n').notNull(),
  },
  (table) => [index('report_source_months_site_month_idx').on(table.siteId, table.month)],
);

/**
 * Inquiries and scores per UTC hour and channel: the series per local day / week / month and the heatmap. An hour
 * that a local period boundary cuts (zones with :30 / :45 offsets) is read from the facts instead.
 */
export const reportInquiryHoursTable = pgTable(
  'report_inquiry_hours',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    channel: text('channel').$type<InquiryChannel>().notNull(),
    n: integer('n').notNull(),
    npsN: integer('nps_n').notNull(),
    promoters: integer('promoters').notNull(),
    detractors: integer('detractors').notNull(),
    csatN: integer('csat_n').notNull(),
    csatSum: integer('csat_sum').notNull(),
    csatOk: integer('csat_ok').notNull(),
    chatN: integer('chat_n').notNull(),
    chatSum: integer('chat_sum').notNull(),
    chatOk: integer('chat_ok').notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.hour, table.channel] })],
);

/** One row per lead: its funnel facts and the source of its first inquiry. */
export const reportLeadsTable = pgTable(
  'report_leads',
  {
    leadId: uuid('lead_id')
      .primaryKey()
      .references(() => leadsTable.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    firstContactedAt: timestamp('first_contacted_at', { withTimezone: true }),
    firstContactTemperature: text('first_contact_temperature'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    lostReason: text('lost_reason').$type<LostReason>(),
    ...sourceColumns(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('report_leads_site_created_idx').on(table.siteId, table.createdAt),
    // Leads won / lost in a range (the agents report).
    index('report_leads_site_closed_idx').on(table.siteId, table.closedAt),
  ],
);

/**
 * Trigger and invitation outcomes per UTC hour: `trigger:shown|accepted|dismissed` events counted by the
 * catch-up (added once per event: the watermark moves in the same transaction as the counts).
 */
export const reportTriggerHoursTable = pgTable(
  'report_trigger_hours',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    /** The trigger rule id (kept after the rule is deleted: the report then shows no name). */
    triggerId: text('trigger_id').notNull(),
    shown: integer('shown').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    dismissed: integer('dismissed').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.hour, table.triggerId] })],
);

/** Who accepted which trigger, first time: the link from a trigger to leads and won deals. */
export const reportTriggerAcceptsTable = pgTable(
  'report_trigger_accepts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    triggerId: text('trigger_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.triggerId, table.visitorId] }),
    index('report_trigger_accepts_site_at_idx').on(table.siteId, table.acceptedAt),
  ],
);

/**
 * Agent presence per site and UTC hour: bit n of `minutes` = online during minute n. Every node samples the
 * agents online each minute and ORs its bits in, so two nodes seeing the same agent count them once.
 */
export const reportAgentOnlineTable = pgTable(
  'report_agent_online',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    minutes: bigint('minutes', { mode: 'bigint' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.hour, table.agentId] }),
    index('report_agent_online_agent_idx').on(table.agentId),
  ],
);

/** How far the catch-up has folded each site's raw changes into the rollups (exclusive upper bound). */
export const reportWatermarksTable = pgTable('report_watermarks', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  refreshedTo: timestamp('refreshed_to', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Money spent on a source (and campaign; '' = the whole source) in a calendar month, entered by an admin. */
export const reportSpendTable = pgTable(
  'report_spend',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    source: text('source').notNull(),
    campaign: text('campaign').notNull().default(''),
    amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    updatedBy: uuid('updated_by').references(() => agentsTable.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('report_spend_key_uq').on(table.siteId, table.month, table.source, table.campaign)],
);

/**
 * An admin's digest email choice. `lastPeriod` is claimed (compare-and-set) before a digest is sent, so
 * two nodes running the job send it once.
 */
export const reportDigestsTable = pgTable('report_digests', {
  agentId: uuid('agent_id')
    .primaryKey()
    .references(() => agentsTable.id, { onDelete: 'cascade' }),
  frequency: text('frequency').$type<DigestFrequency>().notNull(),
  tz: text('tz').notNull().default('UTC'),
  /** The period the last digest covered (`daily:2026-03-29`, `weekly:2026-03-23`). */
  lastPeriod: text('last_period'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
