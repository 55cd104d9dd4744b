// Tables of the callbacks feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RoutingChoice, CallbackOutcome, CallbackStatus, Temperature } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { leadsTable } from '../leads/schema.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/** A visitor's request to be called back; worked by agents against `due_at`. */
export const callbacksTable = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    /** E.164. */
    phone: text('phone').notNull(),
    name: text('name'),
    mode: text('mode', { enum: ['now', 'scheduled'] }).notNull(),
    status: text('status').$type<CallbackStatus>().notNull().default('pending'),
    /** The slot for scheduled requests, the request time for "now". */
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** SLA deadline; the SLA job flags pending rows past it. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    countdownEndsAt: timestamp('countdown_ends_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    outcome: text('outcome').$type<CallbackOutcome>(),
    note: text('note'),
    attempts: integer('attempts').notNull().default(0),
    leadId: uuid('lead_id').references(() => leadsTable.id, { onDelete: 'set null' }),
    visitorId: text('visitor_id'),
    pageUrl: text('page_url'),
    /** SHA-256 of the token the visitor's browser reads the status with. */
    visitorTokenHash: text('visitor_token_hash').notNull(),
    /** Routing: the visitor's temperature when last known (the queue puts hot first). */
    temperature: text('temperature').$type<Temperature>(),
    /** Routing: which decision chose the current assignee (null after a manual take). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    /** Routing: the browser's language (first Accept-Language tag, lowercased) of the request. */
    language: text('language'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('callbacks_site_status_due_idx').on(table.siteId, table.status, table.dueAt),
    index('callbacks_site_visitor_idx').on(table.siteId, table.visitorId),
    // Least-busy routing: an agent's open callbacks on every site, read per round.
    index('callbacks_open_assignee_idx')
      .on(table.assigneeId)
      .where(sql`${table.status} <> 'done' and ${table.assigneeId} is not null`),
    // The SLA job's scan: pending rows not yet flagged, by deadline.
    index('callbacks_overdue_scan_idx')
      .on(table.dueAt)
      .where(sql`${table.status} = 'pending' and ${table.overdueAt} is null`),
  ],
);

/** Audit of every change to a callback: who, when, what. */
export const callbackEventsTable = pgTable(
  'callback_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    callbackId: uuid('callback_id')
      .notNull()
      .references(() => callbacksTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['requested', 'assigned', 'taken', 'outcome', 'overdue', 'reassigned'] }).notNull(),
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    toAgentId: uuid('to_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [index('callback_events_callback_idx').on(table.callbackId)],
);

/**
 * Requests per phone number per site per UTC day. In PostgreSQL (not node memory) because the limit
 * protects a third party from call-bombing: it must hold across restarts and nodes.
 */
export const callbackPhoneCountsTable = pgTable(
  'callback_phone_counts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.phone, table.day] })],
);

export type CallbackRow = typeof callbacksTable.$inferSelect;
