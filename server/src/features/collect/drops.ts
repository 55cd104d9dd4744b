import type { InstallHealth } from '@beckon/sdk/protocol';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collectDropsTable } from '../../db/schema.js';
import type { Logger } from '../../lib/logger.js';
import { isOriginAllowed } from '../../lib/origin.js';

type Kind = 'origin' | 'bot';
interface Pending {
  siteId: string;
  kind: Kind;
  origin: string;
  hour: Date;
  requests: number;
  events: number;
  lastAt: Date;
}

/** Distinct keys one node keeps between flushes: a flood of made-up origins cannot grow memory. */
const maxPendingKeys = 2_000;
/** Rows older than this are deleted at a flush (the Install page shows the last 24 h). */
const keepMs = 7 * 24 * 60 * 60 * 1000;

/** A browser Origin is short; anything longer is cut so one header cannot fill the table. */
const originKey = (origin: string | undefined) =>
  origin && origin !== 'null' ? origin.toLowerCase().slice(0, 200) : '(no origin)';
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/**
 * Counts what the public endpoints refuse (an origin the site does not allow) or drop (events from user
 * agents classed as bots), so the Install page can tell the site owner. The hot path only bumps a number
 * in this node's memory; every `flushMs` the counts go to PostgreSQL in one upsert per (site, kind,
 * origin, hour). Counts of a node that crashes between flushes are lost: they are diagnostics, not data.
 */
export function createDropCounter(db: Db, logger: Logger, { flushMs = 10_000 } = {}) {
  let pending = new Map<string, Pending>();
  let flushing: Promise<void> | undefined;
  let lastPrune = 0;

  const bump = (siteId: string, kind: Kind, origin: string, events: number) => {
    const now = new Date();
    const hour = hourOf(now);
    const key = `${siteId}\n${kind}\n${origin}\n${hour.getTime()}`;
    const entry = pending.get(key);
    if (entry) {
      entry.requests += 1;
      entry.events += events;
      entry.lastAt = now;
    } else if (pending.size < maxPendingKeys) {
      pending.set(key, { siteId, kind, origin, hour, requests: 1, events, lastAt: now });
    }
  };

  const flush = (): Promise<void> =>
    (flushing ??= (async () => {
      const rows = [...pending.values()];
      pending = new Map();
      if (rows.length === 0) return;
      await db
        .insert(collectDropsTable)
        .values(rows)
        .onConflictDoUpdate({
          target: [collectDropsTable.siteId, collectDropsTable.kind, collectDropsTable.origin, collectDropsTable.hour],
          set: {
            requests: sql`${collectDropsTable.requests} + excluded.requests`,
            events: sql`${collectDropsTable.events} + excluded.events`,
            lastAt: sql`greatest(${collectDropsTable.lastAt}, excluded.last_at)`,
          },
        });
      // Old hours go while there is something to write anyway: an idle node sends no statement.
      if (Date.now() - lastPrune > 60 * 60_000) {
        lastPrune = Date.now();
        await db.delete(collectDropsTable).where(lt(collectDropsTable.hour, new Date(Date.now() - keepMs)));
      }
    })().finally(() => (flushing = undefined)));

  const timer = setInterval(
    () => void flush().catch((error: unknown) => logger.error('drop counts flush failed', { error })),
    flushMs,
  );
  timer.unref();

  return {
    /** A request refused because its Origin is not one of the site's allowed origins. */
    refusedOrigin: (siteId: string, origin: string | undefined) => bump(siteId, 'origin', originKey(origin), 0),
    /** A batch accepted but not stored because the user agent is a bot. */
    bot: (siteId: string, events: number) => bump(siteId, 'bot', '', events),
    /** Writes this node's counts now (also before the Install page reads them). */
    flush,
    stop() {
      clearInterval(timer);
      return flush();
    },
  };
}
export type DropCounter = ReturnType<typeof createDropCounter>;

/** The last 24 h of refused origins (most requests first) and bot drops of one site. */
export async function installHealth(
  db: Db,
  siteId: string,
  allowedOrigins: readonly string[],
  now = new Date(),
): Promise<InstallHealth> {
  const since = hourOf(new Date(now.getTime() - 24 * 60 * 60 * 1000));
  const rows = await db
    .select({
      kind: collectDropsTable.kind,
      origin: collectDropsTable.origin,
      requests: sql<number>`sum(${collectDropsTable.requests})::int`,
      events: sql<number>`sum(${collectDropsTable.events})::int`,
      lastAt: sql<Date>`max(${collectDropsTable.lastAt})`,
    })
    .from(collectDropsTable)
    .where(and(eq(collectDropsTable.siteId, siteId), gte(collectDropsTable.hour, since)))
    .groupBy(collectDropsTable.kind, collectDropsTable.origin)
    .orderBy(desc(sql`sum(${collectDropsTable.requests})`))
    .limit(50);
  const bots = rows.find((row) => row.kind === 'bot');
  return {
    // An origin added since is no longer a problem, even if it was refused an hour ago.
    refusedOrigins: rows
      .filter((row) => row.kind === 'origin' && !isOriginAllowed(row.origin, allowedOrigins))
      .slice(0, 20)
      .map((row) => ({ origin: row.origin, requests: row.requests, lastAt: new Date(row.lastAt).toISOString() })),
    bots: {
      requests: bots?.requests ?? 0,
      events: bots?.events ?? 0,
      lastAt: bots ? new Date(bots.lastAt).toISOString() : null,
    },
  };
}
