import { relations, sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AgentRole, WidgetSettings } from '@beckon/sdk/protocol';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const sitesTable = pgTable('sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  widget: jsonb('widget').$type<WidgetSettings>().notNull(),
  template: text('template', { enum: ['shop', 'b2b'] }).notNull().default('shop'),
  createdAt: createdAt(),
});

export const agentsTable = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<AgentRole>().notNull().default('agent'),
  /** Null until an invited agent sets a password. */
  passwordHash: text('password_hash'),
  createdAt: createdAt(),
});

export const siteMembersTable = pgTable(
  'site_members',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.agentId] }), index('site_members_agent_idx').on(table.agentId)],
);

export const agentSessionsTable = pgTable(
  'agent_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the cookie value: a database leak does not hand out live sessions. */
    tokenHash: text('token_hash').notNull().unique(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [index('agent_sessions_agent_idx').on(table.agentId)],
);

export const agentInvitesTable = pgTable('agent_invites', {
  tokenHash: text('token_hash').primaryKey(),
  agentId: uuid('agent_id')
    .notNull()
    .references(() => agentsTable.id, { onDelete: 'cascade' }),
  invitedBy: uuid('invited_by').references(() => agentsTable.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

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
    type: text('type', { enum: ['pageview', 'track', 'identify'] }).notNull(),
    url: text('url').notNull(),
    title: text('title'),
    referrer: text('referrer'),
    name: text('name'),
    props: jsonb('props').$type<Record<string, unknown>>(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('events_site_client_id_uq').on(table.siteId, table.clientEventId),
    index('events_site_received_idx').on(table.siteId, table.receivedAt),
  ],
);

export const sitesRelations = relations(sitesTable, ({ many }) => ({ members: many(siteMembersTable) }));
export const agentsRelations = relations(agentsTable, ({ many }) => ({ memberships: many(siteMembersTable) }));
export const siteMembersRelations = relations(siteMembersTable, ({ one }) => ({
  site: one(sitesTable, { fields: [siteMembersTable.siteId], references: [sitesTable.id] }),
  agent: one(agentsTable, { fields: [siteMembersTable.agentId], references: [agentsTable.id] }),
}));

export type SiteRow = typeof sitesTable.$inferSelect;
export type AgentRow = typeof agentsTable.$inferSelect;
export type EventRow = typeof eventsTable.$inferSelect;
