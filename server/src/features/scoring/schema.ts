// Tables of the scoring feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Outcome, ScoringJobStatus, ScoringRule, ThresholdMode } from '@beckon/sdk/protocol';
import { sitesTable } from '../sites/schema.js';

/** Per-site scoring rules, half-life and thresholds; a site without a row uses its template's defaults. */
export const scoringSettingsTable = pgTable('scoring_settings', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<ScoringRule[]>().notNull(),
  halfLifeDays: doublePrecision('half_life_days').notNull(),
  hot: integer('hot').notNull(),
  warm: integer('warm').notNull(),
  /** `percent`: `hot` / `warm` are computed from the top `hot_percent` / `warm_percent` of recent visitors. */
  thresholdMode: text('threshold_mode').$type<ThresholdMode>().notNull().default('points'),
  hotPercent: integer('hot_percent'),
  warmPercent: integer('warm_percent'),
  /** When percent thresholds were last computed, and from how many visitors (null: never). */
  thresholdsComputedAt: timestamp('thresholds_computed_at', { withTimezone: true }),
  thresholdsVisitors: integer('thresholds_visitors'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Caller ids of outcomes applied through `PUT /api/sites/:id/outcomes`: an id already here is a duplicate
 * and changes nothing (a retried or overlapping CRM export cannot undo a later label).
 */
export const outcomeReceiptsTable = pgTable(
  'outcome_receipts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    outcome: text('outcome').$type<Outcome>(),
    visitors: integer('visitors').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

/**
 * Background rescoring of a site (rules saved, learnt points applied). Claimed with `for update skip
 * locked` by any node; `lease_until` hands a job of a node that died to another.
 */
export const scoringJobsTable = pgTable(
  'scoring_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    reason: text('reason').$type<'rules_saved' | 'points_applied'>().notNull(),
    status: text('status').$type<ScoringJobStatus>().notNull().default('queued'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    error: text('error'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (t) => [
    index('scoring_jobs_site_idx').on(t.siteId, t.requestedAt),
    index('scoring_jobs_open_idx').on(t.status).where(sql`status in ('queued', 'running')`),
  ],
);

export type ScoringJobRow = typeof scoringJobsTable.$inferSelect;
