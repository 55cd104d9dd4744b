// Tables of the collect feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import {
  bigint,
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

/**
 * Raw behaviour events as the widget sent them; one row per client event (id and timestamp) per site.
 * In PostgreSQL the table is partitioned by month of `occurred_at` (migration 0022, written by hand: drizzle
 * cannot declare partitioning), with a default partition so an insert never fails; `partitions.ts` creates
 * months ahead and retention drops whole months. Every key includes `occurred_at`, the partition key, as
 * PostgreSQL requires. See ARCHITECTURE.md, "Event storage".
 */
export const eventsTable = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    // No foreign key to `sites`, on purpose: its check ran once per inserted event (an eighth of the insert's
    // PostgreSQL CPU, measured alone). A collect group's insert joins `sites` instead, and the admin import
    // writes the visitors' rows, whose key does reference the site (ARCHITECTURE.md, "Event storage").
    siteId: uuid('site_id').notNull(),
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
    // `id` alone is unique by its sequence; the key adds the partition key (lookups by id name both).
    primaryKey({ name: 'events_pkey', columns: [table.id, table.occurredAt] }),
    // Idempotent ingestion: a client event is its id and its own timestamp (a retry resends both unchanged),
    // so the same event always falls in the same month and this index drops it there, across partitions too.
    uniqueIndex('events_site_client_id_uq').on(table.siteId, table.clientEventId, table.occurredAt),
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

/**
 * Stored events whose visitors are not derived yet (ARCHITECTURE.md, "Derivation after the answer"). The
 * transaction that stores a group's events adds one row naming them; the transaction that derives them
 * deletes it, so whoever deletes a row derives its events, exactly once. A row left behind by a node that
 * stopped (or a derivation that failed) is taken over by any node's recovery pass after a while.
 */
export const derivationBacklogTable = pgTable(
  'derivation_backlog',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventIds: bigint('event_ids', { mode: 'number' }).array().notNull(),
    /** The events' `occurred_at` range: the partitions a recovery reads them from. */
    firstOccurredAt: timestamp('first_occurred_at', { withTimezone: true }).notNull(),
    lastOccurredAt: timestamp('last_occurred_at', { withTimezone: true }).notNull(),
    /** Each batch's visit context, per visitor (`[{ s, v, c }]`): a visit a recovered event opens keeps its source. */
    contexts: jsonb('contexts').$type<{ s: string; v: string; c: VisitContext }[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('derivation_backlog_created_idx').on(table.createdAt)],
);
