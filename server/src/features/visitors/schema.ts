// Tables of the visitors feature (drizzle). Other features read them through db/schema.ts; writes go through this
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
import type { ClickIdType, Outcome, Temperature, Utm } from '@beckon/sdk/protocol';
import { sitesTable } from '../sites/schema.js';

/** Per-visitor running score: rule counts and decayed counts as of `asOf` (see features/scoring/engine.ts). */
export interface ScoreState {
  asOf: number;
  rules: Record<string, { n: number; d: number }>;
  /**
   * The visitor's totals across visits, for `total` conditions (absent in states written before they
   * existed: a rescore fills them). `at` is the latest fact's time, from which state points decay.
   */
  totals?: { pages: number; engagedMs: number; visits: number; at: number };
}

/**
 * A behaviour-stream visitor (the tracker's visitor id), derived server-side from their events:
 * identity, visits and the incrementally kept score.
 */
export const visitorsTable = pgTable(
  'visitors',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    visitCount: integer('visit_count').notNull().default(0),
    currentUrl: text('current_url'),
    currentTitle: text('current_title'),
    userId: text('user_id'),
    email: text('email'),
    name: text('name'),
    phone: text('phone'),
    scoreState: jsonb('score_state').$type<ScoreState>().notNull().default(sql`'{"asOf":0,"rules":{}}'::jsonb`),
    /** Score and temperature at `lastSeenAt` (decay moves them on; readers recompute from `scoreState`). */
    score: doublePrecision('score').notNull().default(0),
    temperature: text('temperature').$type<Temperature>().notNull().default('cold'),
    outcome: text('outcome').$type<Outcome>(),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    /** Set when an `identify` carried a valid `userHash` for `userId` (verified identity). */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.visitorId] }),
    index('visitors_site_last_seen_idx').on(table.siteId, table.lastSeenAt),
    index('visitors_site_outcome_idx').on(table.siteId).where(sql`${table.outcome} is not null`),
  ],
);

/** A visit: a visitor's events with no gap over 30 minutes. */
export const visitorSessionsTable = pgTable(
  'visitor_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    number: integer('number').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    landingUrl: text('landing_url'),
    referrerDomain: text('referrer_domain'),
    utm: jsonb('utm').$type<Utm>().notNull().default(sql`'{}'::jsonb`),
    clickIdType: text('click_id_type').$type<ClickIdType>(),
    pageviews: integer('pageviews').notNull().default(0),
    engagedMs: integer('engaged_ms').notNull().default(0),
    /** ISO 3166 country from the trusted proxy's header (BECKON_COUNTRY_HEADER), never looked up. */
    country: text('country'),
  },
  // Read by visitor only (latest visit, a visitor's visits, reports' visit before a chat). No index holds
  // `last_seen_at`, `pageviews` or `engaged_ms`, which every collect group updates: PostgreSQL can then update
  // a visit in place (a HOT update, no index entries to add).
  (table) => [index('visitor_sessions_visitor_idx').on(table.siteId, table.visitorId, table.startedAt)],
);

export type VisitorRow = typeof visitorsTable.$inferSelect;

export type VisitorSessionRow = typeof visitorSessionsTable.$inferSelect;
