// Tables of the feedback feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { FeedbackKind } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { leadsTable } from '../leads/schema.js';
import { sitesTable } from '../sites/schema.js';

/** NPS, CSAT and free-text answers from the widget or the SDK. */
export const feedbackTable = pgTable(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<FeedbackKind>().notNull(),
    score: integer('score'),
    text: text('text'),
    email: text('email'),
    visitorId: text('visitor_id'),
    pageUrl: text('page_url'),
    leadId: uuid('lead_id').references(() => leadsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [index('feedback_site_created_idx').on(table.siteId, table.createdAt)],
);

export type FeedbackRow = typeof feedbackTable.$inferSelect;
