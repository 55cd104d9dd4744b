// Tables of the audiences feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AudienceRule } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';

/** Per-site audience (segment) definitions. */
export const audiencesTable = pgTable(
  'audiences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    segment: text('segment').notNull(),
    name: text('name').notNull(),
    rule: jsonb('rule').$type<AudienceRule>().notNull(),
    eventName: text('event_name').notNull(),
    pixels: boolean('pixels').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('audiences_site_segment_uq').on(table.siteId, table.segment)],
);

/** Who entered which audience, once: the primary key makes "entered" happen a single time per visitor. */
export const audienceMembersTable = pgTable(
  'audience_members',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    audienceId: uuid('audience_id')
      .notNull()
      .references(() => audiencesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId, table.audienceId] })],
);
