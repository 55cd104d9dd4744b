import { and, desc, eq } from 'drizzle-orm';
import type { CollectBatch, CollectResponse, LivePageview } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { eventsTable, type EventRow } from '../../db/schema.js';

// Visitor clocks drift; a timestamp far off is replaced by the server's time rather than trusted.
const maxClockSkewMs = 24 * 60 * 60 * 1000;

const toLivePageview = (row: EventRow): LivePageview => ({
  id: String(row.id),
  siteId: row.siteId,
  visitorId: row.visitorId,
  sessionId: row.sessionId,
  url: row.url,
  title: row.title,
  referrer: row.referrer,
  receivedAt: row.receivedAt.toISOString(),
});

/**
 * Stores a batch in one multi-row INSERT; events whose client id the site already has are skipped, so
 * a retried batch stores nothing twice. Returns the answer and the pageviews that are new.
 */
export async function storeBatch(
  db: Db,
  siteId: string,
  batch: CollectBatch,
  now = new Date(),
): Promise<{ response: CollectResponse; newPageviews: LivePageview[] }> {
  // A batch may repeat an id (a client bug); keep the first so the INSERT cannot conflict with itself.
  const seen = new Set<string>();
  const events = batch.events.filter((event) => !seen.has(event.id) && seen.add(event.id));
  const rows = events.map((event) => {
    const occurredAt = Math.abs(event.ts - now.getTime()) > maxClockSkewMs ? now : new Date(event.ts);
    const base = {
      siteId,
      clientEventId: event.id,
      visitorId: batch.visitorId,
      sessionId: batch.sessionId,
      type: event.type,
      url: event.url,
      occurredAt,
      receivedAt: now,
    };
    switch (event.type) {
      case 'pageview':
        return { ...base, title: event.title ?? null, referrer: event.referrer || null };
      case 'track':
        return { ...base, name: event.name, props: event.props ?? null };
      case 'identify':
        return { ...base, props: event.traits };
    }
  });
  const inserted = await db.insert(eventsTable).values(rows).onConflictDoNothing().returning();
  return {
    response: { stored: inserted.length, duplicates: batch.events.length - inserted.length },
    newPageviews: inserted.filter((row) => row.type === 'pageview').map(toLivePageview),
  };
}

export async function recentPageviews(db: Db, siteId: string, limit: number): Promise<LivePageview[]> {
  const rows = await db
    .select()
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.type, 'pageview')))
    .orderBy(desc(eventsTable.receivedAt), desc(eventsTable.id))
    .limit(limit);
  return rows.map(toLivePageview);
}
