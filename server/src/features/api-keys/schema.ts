import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ApiScope } from '@beckon/sdk/protocol';
import { agentsTable } from '../../db/schema.js';

/**
 * API keys for CRMs and scripts. Only a SHA-256 of the secret is kept: the secret is 32 random bytes, so
 * a slow hash (scrypt) would add nothing against guessing and would cost a key derivation per request.
 * A key acts with its scopes and sites only, and only while its creator is still an admin.
 */
export const apiKeysTable = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** `bk_live_` + 8 characters, shown in lists and looked up first. */
    prefix: text('prefix').notNull().unique(),
    /** SHA-256 (base64url) of the whole key. */
    secretHash: text('secret_hash').notNull(),
    scopes: jsonb('scopes').$type<ApiScope[]>().notNull(),
    /** Null: every site. */
    siteIds: jsonb('site_ids').$type<string[] | null>(),
    /** The key dies with its creator (cascade) and stops working when they are no longer an admin. */
    createdBy: uuid('created_by')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Written at most once a minute per key and node. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** Truncated like every address Beckon keeps (`truncateIp`: IPv4 /24, IPv6 /48). */
    lastUsedNetwork: text('last_used_network'),
  },
  (table) => [index('api_keys_created_by_idx').on(table.createdBy)],
);

/** Who created and revoked which key, when. Kept after the key (the prefix names it). Append-only. */
export const apiKeyAuditTable = pgTable(
  'api_key_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    keyId: uuid('key_id').references(() => apiKeysTable.id, { onDelete: 'set null' }),
    keyPrefix: text('key_prefix').notNull(),
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    action: text('action', { enum: ['created', 'revoked'] }).notNull(),
    detail: text('detail').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('api_key_audit_created_idx').on(table.createdAt)],
);

/**
 * Answers to POSTs sent with an `Idempotency-Key`, per caller: an API key, or an agent's cookie session (the
 * agent, so two tabs of one agent share their keys). The same key and body within a day get the stored answer
 * again; another body with the same key is refused. Each row has exactly one owner; a unique index per owner
 * kind (NULLs never collide) keeps one answer per (owner, key).
 */
export const idempotencyKeysTable = pgTable(
  'api_idempotency_keys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    apiKeyId: uuid('api_key_id').references(() => apiKeysTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of method, path and body. */
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    status: integer('status'),
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull().default(sql`now() + interval '24 hours'`),
  },
  (table) => [
    uniqueIndex('api_idempotency_key_owner_idx').on(table.apiKeyId, table.key),
    uniqueIndex('api_idempotency_agent_owner_idx').on(table.agentId, table.key),
    check('api_idempotency_one_owner', sql`num_nonnulls(${table.apiKeyId}, ${table.agentId}) = 1`),
    index('api_idempotency_expires_idx').on(table.expiresAt),
  ],
);

export type ApiKeyRow = typeof apiKeysTable.$inferSelect;
