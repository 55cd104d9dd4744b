// Tables of the collect feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { BehaviourEventType, VisitContext } from '@beckon/sdk/protocol';
import { sitesTable } from '../sites/schema.js';

/** Raw behaviour events as the widget sent them; one row per client event id per site. */
export const eventsTable = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    clientEventId: text('client_event_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** Behaviour event types, plus `signal` for what other channels report (see scoring `recordSignal`). */
    type: text('type').$type<BehaviourEventType | 'signal'>().notNull(),
    url: text('url').notNull(),
    title: text('title'),
    referrer: text('referrer'),
    name: text('name'),
    props: jsonb('props').$type<Record<string, unknown>>(),
    /** The batch's visit context, kept only on an event that started a server session (its source). */
    context: jsonb('context').$type<VisitContext>(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('events_site_client_id_uq').on(table.siteId, table.clientEventId),
    index('events_site_received_idx').on(table.siteId, table.receivedAt),
    // Replays (score recompute) and the visitor detail page read one visitor's events in order.
    index('events_site_visitor_idx').on(table.siteId, table.visitorId, table.id),
  ],
);

export type EventRow = typeof eventsTable.$inferSelect;

/**
 * What the public endpoints refused or dropped, per site, kind, origin and hour: requests from an
 * origin the site does not allow, and events from user agents classed as bots. Counted in each node's
 * memory and added here every few seconds (one upsert per key), never a write per request.
 */
export const collectDropsTable = pgTable(
  'collect_drops',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['origin', 'bot'] }).notNull(),
    /** The refused Origin header; '' for bot drops. */
    origin: text('origin').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    requests: integer('requests').notNull(),
    events: integer('events').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.kind, table.origin, table.hour] })],
);
