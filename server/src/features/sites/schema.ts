// Tables of the sites feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { relations, sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
  defaultCallbackSettings,
  defaultConsentSettings,
  defaultPrivacySettings,
  defaultChatSettings,
  defaultFeedbackSettings,
  type ConsentSettings,
  type PixelConfig,
  type PrivacySettings,
  type CallbackSettings,
  type ChatSettings,
  type FeedbackSettings,
  type WidgetSettings,
} from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { agentsTable } from '../team/schema.js';

export const sitesTable = pgTable('sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  widget: jsonb('widget').$type<WidgetSettings>().notNull(),
  template: text('template', { enum: ['shop', 'b2b'] })
    .notNull()
    .default('shop'),
  chat: jsonb('chat').$type<ChatSettings>().notNull().default(defaultChatSettings),
  callbacks: jsonb('callbacks').$type<CallbackSettings>().notNull().default(defaultCallbackSettings),
  feedback: jsonb('feedback').$type<FeedbackSettings>().notNull().default(defaultFeedbackSettings),
  consent: jsonb('consent').$type<ConsentSettings>().notNull().default(defaultConsentSettings),
  privacy: jsonb('privacy').$type<PrivacySettings>().notNull().default(defaultPrivacySettings),
  /** HMAC key for verified identity (`userHash`); shown to admins once, never sent to a browser. Null until generated. */
  identitySecret: text('identity_secret'),
  identitySecretRotatedAt: timestamp('identity_secret_rotated_at', { withTimezone: true }),
  /** Pixel integrations fired when a visitor enters an audience (see features/audiences). */
  pixels: jsonb('pixels').$type<PixelConfig[]>().notNull().default(sql`'[]'::jsonb`),
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
  (table) => [
    primaryKey({ columns: [table.siteId, table.agentId] }),
    index('site_members_agent_idx').on(table.agentId),
  ],
);

export const sitesRelations = relations(sitesTable, ({ many }) => ({ members: many(siteMembersTable) }));

export const siteMembersRelations = relations(siteMembersTable, ({ one }) => ({
  site: one(sitesTable, { fields: [siteMembersTable.siteId], references: [sitesTable.id] }),
  agent: one(agentsTable, { fields: [siteMembersTable.agentId], references: [agentsTable.id] }),
}));

export type SiteRow = typeof sitesTable.$inferSelect;
