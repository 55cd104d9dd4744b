import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { visitorSessionsTable } from '../../db/schema.js';

/** Marks the visitor's visits that have no country yet (the one this batch opened or continued). */
export async function setVisitCountry(db: Db, siteId: string, visitorId: string, country: string): Promise<void> {
  await db
    .update(visitorSessionsTable)
    .set({ country })
    .where(
      and(
        eq(visitorSessionsTable.siteId, siteId),
        eq(visitorSessionsTable.visitorId, visitorId),
        isNull(visitorSessionsTable.country),
      ),
    );
}
