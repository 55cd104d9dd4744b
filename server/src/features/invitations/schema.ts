// Tables of the invitations feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { InvitationState } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { conversationsTable } from '../chat/schema.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/** An agent's "Invite to chat" to one live visitor; delivered over `/visitor`, the ping or the collect answer. */
export const chatInvitationsTable = pgTable(
  'chat_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** The agent's display name when they invited (the visitor sees it even if the agent is renamed later). */
    agentName: text('agent_name').notNull(),
    message: text('message').notNull(),
    state: text('state').$type<InvitationState>().notNull().default('sent'),
    conversationId: uuid('conversation_id').references(() => conversationsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Delivery looks up a visitor's undelivered invitations on every collect and ping: a tiny partial index.
    index('chat_invitations_pending_idx').on(table.siteId, table.visitorId).where(sql`${table.state} = 'sent'`),
    index('chat_invitations_site_idx').on(table.siteId, table.createdAt),
  ],
);

/** The keepalive's last ping per visitor (written at most once a minute per visitor): "still on the site". */
export const visitorPresenceTable = pgTable(
  'visitor_presence',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.visitorId] }),
    index('visitor_presence_site_seen_idx').on(table.siteId, table.seenAt),
  ],
);

export type ChatInvitationRow = typeof chatInvitationsTable.$inferSelect;
