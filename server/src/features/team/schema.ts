// Tables of the team feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { relations } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AgentRole, DashboardLanguage } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { siteMembersTable } from '../sites/schema.js';

export const agentsTable = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<AgentRole>().notNull().default('agent'),
  /** Null until an invited agent sets a password. */
  passwordHash: text('password_hash'),
  /** The dashboard language the agent chose (one of `dashboardLanguages`); null: the browser's applies. */
  language: text('language').$type<DashboardLanguage>(),
  createdAt: createdAt(),
});

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

export const agentsRelations = relations(agentsTable, ({ many }) => ({ memberships: many(siteMembersTable) }));

export type AgentRow = typeof agentsTable.$inferSelect;
