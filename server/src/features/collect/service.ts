import { and, desc, eq } from 'drizzle-orm';
import type { LivePageview } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { eventsTable, type EventRow } from '../../db/schema.js';

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

export async function recentPageviews(db: Db, siteId: string, limit: number): Promise<LivePageview[]> {
  const rows = await db
    .select()
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.type, 'pageview')))
    .orderBy(desc(eventsTable.receivedAt), desc(eventsTable.id))
    .limit(limit);
  return rows.map(toLivePageview);
}
