import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  defaultWidgetSettings,
  type CreateSite,
  type PublicSiteConfig,
  type Site,
  type UpdateSite,
  type createSiteSchema,
  siteKeySchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { AgentIdentity } from '../../app-env.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { cachedDataChanged, keyedCache, type KeyedCache } from '../../lib/keyed-cache.js';
import { siteMembersTable, sitesTable, type SiteRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { randomId } from '@beckon/sdk/core';

export const toSite = (row: SiteRow): Site => ({
  id: row.id,
  key: row.key,
  name: row.name,
  allowedOrigins: row.allowedOrigins,
  widget: row.widget,
  chat: row.chat,
  callbacks: row.callbacks,
  feedback: row.feedback,
  consent: row.consent,
  privacy: row.privacy,
  template: row.template,
  createdAt: row.createdAt.toISOString(),
});

export const toPublicConfig = (row: SiteRow): PublicSiteConfig => ({
  siteKey: row.key,
  name: row.name,
  widget: row.widget,
  feedback: row.feedback,
  callbackEnabled: row.callbacks.enabled,
  consent: row.consent,
});

/** Admins see every site of the installation; agents the sites they are members of. */
export async function listVisibleSites(db: Db, agent: AgentIdentity): Promise<SiteRow[]> {
  if (agent.role === 'admin') return db.select().from(sitesTable).orderBy(asc(sitesTable.createdAt));
  return db
    .select({ site: sitesTable })
    .from(sitesTable)
    .innerJoin(siteMembersTable, eq(siteMembersTable.siteId, sitesTable.id))
    .where(eq(siteMembersTable.agentId, agent.id))
    .orderBy(asc(sitesTable.createdAt))
    .then((rows) => rows.map((row) => row.site));
}

/** A site by id, only if the agent may see it; otherwise "not found" (never reveal that it exists). */
export async function getVisibleSite(db: Db, agent: AgentIdentity, siteId: string): Promise<SiteRow> {
  if (!isUuid(siteId)) throw notFound('Site');
  const [row] =
    agent.role === 'admin'
      ? await db.select().from(sitesTable).where(eq(sitesTable.id, siteId))
      : await db
          .select({ site: sitesTable })
          .from(sitesTable)
          .innerJoin(siteMembersTable, eq(siteMembersTable.siteId, sitesTable.id))
          .where(and(eq(sitesTable.id, siteId), eq(siteMembersTable.agentId, agent.id)))
          .then((rows) => rows.map((r) => r.site));
  if (!row) throw notFound('Site');
  return row;
}

const siteCaches = new WeakMap<Db, KeyedCache<SiteRow | undefined>>();

/**
 * The site with this public key, as every widget request needs it (collect batches, config, chat,
 * callbacks): cached per node for 5 s, which saves a query per request on the hottest paths. A write
 * through this module drops the copies of this node and, with Redis, of every node (`cachedDataChanged`).
 */
export function findSiteByKey(db: Db, key: string): Promise<SiteRow | undefined> {
  let cache = siteCaches.get(db);
  if (!cache) {
    cache = keyedCache(
      5000,
      async (siteKey) => (await db.select().from(sitesTable).where(eq(sitesTable.key, siteKey)))[0],
    );
    siteCaches.set(db, cache);
  }
  return cache(key);
}

/**
 * The site a public path's `:siteKey` names. By the id rule (lib/validate.ts) a malformed key names no
 * site: 404 `unknown_site`, like a well-formed key nobody uses.
 */
export async function siteOfKeyParam(db: Db, key: string | undefined): Promise<SiteRow> {
  if (key === undefined || !siteKeySchema.safeParse(key).success) throw new AppError('unknown_site', 'No such site');
  const site = await findSiteByKey(db, key);
  if (!site) throw new AppError('unknown_site', `No site with key "${key}"`);
  return site;
}

/** Call after any write to `sites`, so the next read on this node (and on every linked node) sees it. */
export function forgetCachedSites(db: Db) {
  siteCaches.get(db)?.clear();
  cachedDataChanged();
}

const keyFromName = (name: string) =>
  (name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'site') +
  '-' +
  randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');

/** Sets up another feature's per-site rows for a new site, in the transaction that creates it. */
export type SiteCreatedListener = (tx: DbOrTx, site: SiteRow) => Promise<void>;

const siteCreatedListeners = new Set<SiteCreatedListener>();

/**
 * Subscribes to site creation; the listener runs inside `createSite`'s transaction (a failure rolls the site
 * back). Features above sites use it (scoring copies the template's rules); app.ts subscribes them when it builds
 * the app. Subscribing the same function twice is a no-op. Returns the unsubscribe function.
 */
export function onSiteCreated(listener: SiteCreatedListener): () => void {
  siteCreatedListeners.add(listener);
  return () => siteCreatedListeners.delete(listener);
}

/** Creates a site and makes its creator a member, in one transaction, with every `onSiteCreated` listener. */
export async function createSite(
  db: Db,
  creatorId: string,
  input: z.output<typeof createSiteSchema>,
): Promise<SiteRow> {
  const key = input.key?.toLowerCase() ?? keyFromName(input.name);
  return db
    .transaction(async (tx) => {
      const [existing] = await tx.select({ id: sitesTable.id }).from(sitesTable).where(eq(sitesTable.key, key));
      if (existing) throw new AppError('conflict', `The site key "${key}" is taken`, { field: 'key' });
      const [row] = await tx
        .insert(sitesTable)
        .values({
          key,
          name: input.name,
          allowedOrigins: [...new Set(input.allowedOrigins)],
          template: input.template,
          widget: defaultWidgetSettings,
        })
        .returning();
      await tx.insert(siteMembersTable).values({ siteId: row!.id, agentId: creatorId }).onConflictDoNothing();
      for (const listener of siteCreatedListeners) await listener(tx, row!);
      return row!;
    })
    .finally(() => forgetCachedSites(db));
}

export async function updateSite(db: Db, siteId: string, patch: UpdateSite & object): Promise<SiteRow> {
  const values: Partial<SiteRow> = {};
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.allowedOrigins !== undefined) values.allowedOrigins = [...new Set(patch.allowedOrigins)];
  if (patch.widget !== undefined) values.widget = patch.widget;
  if (patch.chat !== undefined) values.chat = patch.chat;
  if (patch.callbacks !== undefined) values.callbacks = patch.callbacks as SiteRow['callbacks'];
  if (patch.feedback !== undefined) values.feedback = patch.feedback;
  if (patch.consent !== undefined) values.consent = patch.consent;
  if (patch.privacy !== undefined) values.privacy = patch.privacy;
  const [row] = await db.update(sitesTable).set(values).where(eq(sitesTable.id, siteId)).returning();
  forgetCachedSites(db);
  if (!row) throw notFound('Site');
  return row;
}

export async function siteIdsOfAgents(db: Db, agentIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return map;
  const rows = await db
    .select({ agentId: siteMembersTable.agentId, siteId: siteMembersTable.siteId })
    .from(siteMembersTable)
    .where(inArray(siteMembersTable.agentId, agentIds));
  for (const row of rows) map.get(row.agentId)?.push(row.siteId);
  return map;
}

export type { CreateSite };
