// Tables of the routing feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { RoutingRule } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

/**
 * When each agent last got a conversation automatically, per site: round-robin picks the agent whose mark
 * is oldest with one indexed read, however long the assignment history grows.
 */
export const assignmentMarksTable = pgTable(
  'assignment_marks',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.agentId] })],
);

// ---- Routing (issue 5: teams, routing rules) -----------------------------------------------------
// Columns added to existing tables for routing: chat_visitors.language; conversations.temperature,
// .routing, .assigned_at (+ conversations_unanswered_scan_idx); conversation_events.routing (and kind
// 'reassigned'); callbacks.temperature, .routing, .language (callback_events kind 'assigned').

/**
 * A named group of one site's agents. Per site, like routing rules: a team can only hold agents of its
 * site, and an agent's view of teams is scoped by the same site check as everything else.
 */
export const teamsTable = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('teams_site_name_uq').on(table.siteId, table.name)],
);

export const teamMembersTable = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teamsTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.agentId] }),
    index('team_members_agent_idx').on(table.agentId),
  ],
);

/** A site's ordered routing rules and its unanswered-chat limit; a site without a row routes by default (120 s limit). */
export const routingSettingsTable = pgTable('routing_settings', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<RoutingRule[]>().notNull().default(sql`'[]'::jsonb`),
  unansweredChatSeconds: integer('unanswered_chat_seconds').notNull().default(120),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TeamRow = typeof teamsTable.$inferSelect;
