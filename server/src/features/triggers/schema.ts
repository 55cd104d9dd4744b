// Tables of the triggers feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { TriggerAction, TriggerConditions, TriggerFrequency } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';

// ——— Proactive triggers and chat invitations (issue 5) ———

/** A site's proactive trigger rules (≤ 20 per site), served to the widget in the public config when enabled. */
export const triggerRulesTable = pgTable(
  'trigger_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    conditions: jsonb('conditions').$type<TriggerConditions>().notNull(),
    action: jsonb('action').$type<TriggerAction>().notNull(),
    frequency: jsonb('frequency').$type<TriggerFrequency>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('trigger_rules_site_idx').on(table.siteId, table.createdAt)],
);

/** When a visitor last turned hot, written in the ingest transaction on the change (the loader's "became hot" time). */
export const visitorHotMarksTable = pgTable(
  'visitor_hot_marks',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    hotAt: timestamp('hot_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId] })],
);

export type TriggerRuleRow = typeof triggerRulesTable.$inferSelect;
