// Tables of the chat feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RoutingChoice, Temperature } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { personsTable } from '../persons/schema.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/**
 * An agent's chosen presence, one row per agent who chose "away" (no row: online while a dashboard is
 * open). Kept in the database so every tab and node agrees: whether an agent is connected is socket
 * state, what they chose is this.
 */
export const agentsAwayTable = pgTable('agents_away', {
  agentId: uuid('agent_id')
    .primaryKey()
    .references(() => agentsTable.id, { onDelete: 'cascade' }),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
});

/** A visitor who opened the chat; the token (hashed here) binds their sockets to their conversations only. */
export const chatVisitorsTable = pgTable(
  'chat_visitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    currentUrl: text('current_url'),
    /** Behaviour-stream visitor ids this chat visitor had (one per page load until consent allows storage). */
    trackerVisitorIds: jsonb('tracker_visitor_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** The agent who last talked to this visitor, for sticky assignment. */
    lastAgentId: uuid('last_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Routing: the browser's language (first Accept-Language tag, lowercased) at the last socket handshake. */
    language: text('language'),
    /** The widget's language (`de`) at the last socket handshake: emails to the visitor are written in it. */
    widgetLanguage: text('widget_language'),
    /** The person this chat visitor is (features/persons); set when the chat becomes a lead touch. */
    personId: uuid('person_id').references((): AnyPgColumn => personsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // "Which chat visitors had this tracker id" (temperature changes, invitations): `@>` through GIN, not a scan of the site.
  (table) => [
    index('chat_visitors_tracker_ids_idx').using('gin', table.trackerVisitorIds.op('jsonb_path_ops')),
    index('chat_visitors_person_idx').on(table.personId),
  ],
);

export const conversationsTable = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    chatVisitorId: uuid('chat_visitor_id')
      .notNull()
      .references(() => chatVisitorsTable.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    channel: text('channel', { enum: ['chat', 'offline'] })
      .notNull()
      .default('chat'),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Highest sequence number handed out; bumped under the row lock, so numbers never repeat. */
    lastSeq: integer('last_seq').notNull().default(0),
    agentReadSeq: integer('agent_read_seq').notNull().default(0),
    visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
    autoReplied: boolean('auto_replied').notNull().default(false),
    csatRating: integer('csat_rating'),
    csatComment: text('csat_comment'),
    createdAt: createdAt(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Routing: the visitor's temperature when last known (Unassigned lists hot first; kept by a temperature listener). */
    temperature: text('temperature').$type<Temperature>(),
    /** Routing: which decision chose the current assignee (null after a manual take/transfer). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    /** Routing: when the current assignee got it; the unanswered-chat sweep measures from here. */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
  },
  (table) => [
    // Not on last_message_at: every message bumps it with last_seq, and an update that touches no indexed
    // column is HOT (no index writes). Open lists sort a site's open conversations in memory; closed
    // lists read this index backwards by closing time.
    index('conversations_site_status_closed_idx').on(table.siteId, table.status, table.closedAt),
    // The unanswered-chat sweep: open, assigned conversations by assignment time.
    index('conversations_unanswered_scan_idx')
      .on(table.assignedAt)
      .where(sql`${table.status} = 'open' and ${table.assigneeId} is not null`),
    index('conversations_visitor_idx').on(table.chatVisitorId),
    // Least-busy routing: an agent's open conversations on every site, read per round.
    index('conversations_open_assignee_idx')
      .on(table.assigneeId)
      .where(sql`${table.status} = 'open' and ${table.assigneeId} is not null`),
    // One open conversation per visitor, even when two tabs send their first message at the same moment.
    uniqueIndex('conversations_one_open_uq').on(table.chatVisitorId).where(sql`${table.status} = 'open'`),
  ],
);

export const messagesTable = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversationsTable.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    clientId: text('client_id').notNull(),
    author: text('author', { enum: ['visitor', 'agent', 'system'] }).notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    internal: boolean('internal').notNull().default(false),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('messages_conversation_seq_uq').on(table.conversationId, table.seq),
    uniqueIndex('messages_conversation_client_uq').on(table.conversationId, table.clientId),
    // A visitor's retry is looked up by client id across their conversations (see findVisitorMessage).
    index('messages_client_idx').on(table.clientId),
  ],
);

/** Audit of every assignment and status change: who, when, why. */
export const conversationEventsTable = pgTable(
  'conversation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversationsTable.id, { onDelete: 'cascade' }),
    kind: text('kind', {
      enum: ['assigned', 'unassigned', 'taken', 'transferred', 'reassigned', 'closed', 'reopened'],
    }).notNull(),
    fromAgentId: uuid('from_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    toAgentId: uuid('to_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Null when the system acted (automatic assignment). */
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    /** Routing: the decision behind an automatic assignment (rule, sticky or default). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    createdAt: createdAt(),
  },
  (table) => [index('conversation_events_conversation_idx').on(table.conversationId)],
);

export const cannedResponsesTable = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('canned_site_shortcut_uq').on(table.siteId, table.shortcut)],
);

export type ChatVisitorRow = typeof chatVisitorsTable.$inferSelect;

export type ConversationRow = typeof conversationsTable.$inferSelect;

export type MessageRow = typeof messagesTable.$inferSelect;
