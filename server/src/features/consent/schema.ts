// Tables of the consent feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ConsentSource } from '@beckon/sdk/protocol';
import { sitesTable } from '../sites/schema.js';

/**
 * Every consent choice a visitor made (append-only: the latest row per visitor is their state).
 * `visitorId` is the tracker's id, or the anonymous daily hash for a choice made before any id existed.
 */
export const consentRecordsTable = pgTable(
  'consent_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    analytics: boolean('analytics').notNull(),
    marketing: boolean('marketing').notNull(),
    policyVersion: text('policy_version').notNull(),
    source: text('source').$type<ConsentSource>().notNull(),
    /** The request carried `Sec-GPC: 1` (marketing was forced off). */
    gpc: boolean('gpc').notNull().default(false),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('consent_records_visitor_idx').on(table.siteId, table.visitorId, table.recordedAt)],
);
