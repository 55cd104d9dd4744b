import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import {
  apiKeyPrefix,
  type ApiKey,
  type ApiKeyAuditEntry,
  type ApiScope,
  type CreatedApiKey,
  type createApiKeySchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { AgentIdentity, ApiKeyPrincipal } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { agentsTable, sitesTable } from '../../db/schema.js';
import { randomToken, sameToken, sha256 } from '../../lib/crypto.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { apiKeyAuditTable, apiKeysTable, type ApiKeyRow } from './schema.js';

/** `bk_live_` + 8 hex characters (the prefix) + `_` + 43 base64url characters (256 random bits). */
const keyPattern = /^(bk_live_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

const statusOf = (row: Pick<ApiKeyRow, 'revokedAt' | 'expiresAt'>, now: Date): ApiKey['status'] =>
  row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';

const toApiKey = (row: ApiKeyRow, creator: { id: string; name: string } | null, now = new Date()): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  siteIds: row.siteIds,
  createdBy: creator,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  lastUsedNetwork: row.lastUsedNetwork,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  status: statusOf(row, now),
});

/** Creates a key; its secret is in the answer and nowhere else (only its SHA-256 is stored). Audited. */
export async function createApiKey(
  db: Db,
  by: AgentIdentity,
  input: z.output<typeof createApiKeySchema>,
  now = new Date(),
): Promise<CreatedApiKey> {
  const siteIds = input.siteIds ? [...new Set(input.siteIds.map((id) => id.toLowerCase()))] : null;
  const sites = siteIds
    ? await db
        .select({ id: sitesTable.id, name: sitesTable.name })
        .from(sitesTable)
        .where(inArray(sitesTable.id, siteIds))
    : [];
  if (siteIds && sites.length !== siteIds.length)
    throw new AppError('validation_failed', 'Unknown site in siteIds', [
      { path: ['siteIds'], message: 'unknown site' },
    ]);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= now) throw new AppError('validation_failed', 'expiresAt must be in the future');
  const scopes = [...new Set(input.scopes)] as ApiScope[];
  for (let attempt = 0; ; attempt++) {
    const prefix = `${apiKeyPrefix}${randomBytes(4).toString('hex')}`;
    const secret = `${prefix}_${randomToken(32)}`;
    try {
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiKeysTable)
          .values({
            name: input.name,
            prefix,
            secretHash: sha256(secret),
            scopes,
            siteIds,
            createdBy: by.id,
            createdAt: now,
            expiresAt,
          })
          .returning();
        const where = siteIds ? sites.map((site) => site.name).join(', ') : 'every site';
        await tx.insert(apiKeyAuditTable).values({
          keyId: row!.id,
          keyPrefix: prefix,
          byAgentId: by.id,
          action: 'created',
          detail: `"${input.name}": ${scopes.join(', ')} on ${where}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ''}`,
        });
        return row!;
      });
      return { apiKey: toApiKey(row, { id: by.id, name: by.name }, now), secret };
    } catch (error) {
      // 32 random bits of prefix: a clash is rare, and a second draw settles it.
      if (attempt < 2 && String((error as { cause?: unknown }).cause ?? error).includes('api_keys_prefix_unique'))
        continue;
      throw error;
    }
  }
}

export async function listApiKeys(db: Db, now = new Date()): Promise<{ apiKeys: ApiKey[]; audit: ApiKeyAuditEntry[] }> {
  const rows = await db
    .select({ key: apiKeysTable, creatorName: agentsTable.name })
    .from(apiKeysTable)
    .innerJoin(agentsTable, eq(agentsTable.id, apiKeysTable.createdBy))
    .orderBy(desc(apiKeysTable.createdAt), desc(apiKeysTable.id));
  const audit = await db
    .select({ entry: apiKeyAuditTable, byName: agentsTable.name })
    .from(apiKeyAuditTable)
    .leftJoin(agentsTable, eq(agentsTable.id, apiKeyAuditTable.byAgentId))
    .orderBy(desc(apiKeyAuditTable.createdAt), desc(apiKeyAuditTable.id))
    .limit(100);
  return {
    apiKeys: rows.map(({ key, creatorName }) => toApiKey(key, { id: key.createdBy, name: creatorName }, now)),
    audit: audit.map(({ entry, byName }) => ({
      id: entry.id,
      keyId: entry.keyId,
      keyPrefix: entry.keyPrefix,
      action: entry.action,
      by: entry.byAgentId && byName ? { id: entry.byAgentId, name: byName } : null,
      detail: entry.detail,
      createdAt: entry.createdAt.toISOString(),
    })),
  };
}

/** Revokes a key at once (every node: each request reads the key row). Revoking twice changes nothing. Audited. */
export async function revokeApiKey(db: Db, by: AgentIdentity, keyId: string, now = new Date()): Promise<ApiKey> {
  if (!isUuid(keyId)) throw notFound('API key');
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeysTable).where(eq(apiKeysTable.id, keyId)).for('update');
    if (!row) throw notFound('API key');
    let current = row;
    if (!row.revokedAt) {
      [current] = (await tx
        .update(apiKeysTable)
        .set({ revokedAt: now, revokedBy: by.id })
        .where(eq(apiKeysTable.id, keyId))
        .returning()) as [ApiKeyRow];
      await tx
        .insert(apiKeyAuditTable)
        .values({ keyId, keyPrefix: row.prefix, byAgentId: by.id, action: 'revoked', detail: `"${row.name}"` });
    }
    const [creator] = await tx
      .select({ id: agentsTable.id, name: agentsTable.name })
      .from(agentsTable)
      .where(eq(agentsTable.id, row.createdBy));
    return toApiKey(current, creator ?? null, now);
  });
}

/** Why a key was refused; the caller answers 401 either way and says which. */
export type KeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'creator_not_admin';

/**
 * The key behind an `Authorization: Bearer` value, or why it is refused. The secret is compared in
 * constant time after a look-up by its public prefix. A key works only while its creator is an admin.
 */
export async function authenticateApiKey(
  db: Db,
  secret: string,
  now = new Date(),
): Promise<{ key: ApiKeyPrincipal } | { refused: KeyRefusal }> {
  const match = keyPattern.exec(secret);
  if (!match) return { refused: 'malformed' };
  const [row] = await db
    .select({
      key: apiKeysTable,
      agent: { id: agentsTable.id, email: agentsTable.email, name: agentsTable.name, role: agentsTable.role },
    })
    .from(apiKeysTable)
    .innerJoin(agentsTable, eq(agentsTable.id, apiKeysTable.createdBy))
    .where(eq(apiKeysTable.prefix, match[1]!));
  if (!row || !sameToken(sha256(secret), row.key.secretHash)) return { refused: 'unknown' };
  if (row.key.revokedAt) return { refused: 'revoked' };
  if (row.key.expiresAt && row.key.expiresAt <= now) return { refused: 'expired' };
  if (row.agent.role !== 'admin') return { refused: 'creator_not_admin' };
  return {
    key: {
      id: row.key.id,
      prefix: row.key.prefix,
      scopes: row.key.scopes,
      siteIds: row.key.siteIds,
      // Changes through the key are recorded as its creator's, named so the timeline shows the key.
      agent: { ...row.agent, name: `${row.agent.name} (API key ${row.key.prefix})` },
    },
  };
}

const lastWrites = new WeakMap<Db, Map<string, number>>();
export const lastUsedEveryMs = 60_000;

/**
 * Records when and from which network a key was used, at most once a minute per key: this node skips the
 * write from memory, and the statement itself skips a row another node wrote within the minute.
 */
export async function touchApiKey(db: Db, keyId: string, network: string, now = new Date()): Promise<void> {
  let writes = lastWrites.get(db);
  if (!writes) lastWrites.set(db, (writes = new Map()));
  const last = writes.get(keyId);
  if (last !== undefined && now.getTime() - last < lastUsedEveryMs) return;
  writes.set(keyId, now.getTime());
  if (writes.size > 10_000) writes.clear();
  await db
    .update(apiKeysTable)
    .set({ lastUsedAt: now, lastUsedNetwork: network })
    .where(
      and(
        eq(apiKeysTable.id, keyId),
        or(isNull(apiKeysTable.lastUsedAt), lt(apiKeysTable.lastUsedAt, new Date(now.getTime() - lastUsedEveryMs))),
      ),
    );
}

/** Forgets this node's last-used marks (tests). */
export const forgetLastUsedMarks = (db: Db) => lastWrites.delete(db);
