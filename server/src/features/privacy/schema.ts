// Tables of the privacy feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/**
 * The salt of anonymous pre-consent counting, one per UTC day. Rows older than today are deleted by the
 * privacy job, so a day's hashes cannot be recomputed afterwards; never exported.
 */
export const anonymousSaltsTable = pgTable('anonymous_salts', {
  day: text('day').primaryKey(),
  salt: text('salt').notNull(),
});

/** Audit of visitor data exports and erasures (who, when, what). Keeps the visitor id, no personal data. */
export const privacyAuditTable = pgTable(
  'privacy_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    action: text('action', { enum: ['export', 'erase'] }).notNull(),
    visitorId: text('visitor_id').notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    via: text('via', { enum: ['dashboard', 'api'] }).notNull(),
    detail: jsonb('detail').$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  (table) => [index('privacy_audit_site_idx').on(table.siteId, table.createdAt)],
);

/** When the retention job last purged a site; rows are claimed with `for update skip locked` so one node works a site. */
export const retentionMarksTable = pgTable('retention_marks', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }).notNull(),
});
