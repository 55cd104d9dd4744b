import { and, desc, eq } from 'drizzle-orm';
import type { ConsentRecord, ConsentRequest, ConsentState } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { consentRecordsTable, visitorsTable } from '../../db/schema.js';

const denied: ConsentState = { analytics: false, marketing: false };

/** A visitor's current consent: their latest record (both purposes denied when there is none). */
export async function latestConsent(db: Db, siteId: string, visitorId: string): Promise<ConsentState> {
  const [row] = await db
    .select({ analytics: consentRecordsTable.analytics, marketing: consentRecordsTable.marketing })
    .from(consentRecordsTable)
    .where(and(eq(consentRecordsTable.siteId, siteId), eq(consentRecordsTable.visitorId, visitorId)))
    .orderBy(desc(consentRecordsTable.recordedAt))
    .limit(1);
  return row ?? denied;
}

/**
 * Records a choice as a new row (the history is kept: time, purposes, policy version, source). A purpose
 * the request leaves out keeps its previous state. Under GPC marketing is never granted, and the row
 * says so. Returns the new state after the commit.
 */
export async function recordConsent(
  db: Db,
  siteId: string,
  visitorId: string,
  request: Pick<ConsentRequest, 'purposes' | 'policyVersion' | 'source'>,
  gpc: boolean,
): Promise<{ state: ConsentState; recordedAt: Date }> {
  return db.transaction(async (tx) => {
    const previous = await latestConsent(tx as unknown as Db, siteId, visitorId);
    const state: ConsentState = {
      analytics: request.purposes.analytics ?? previous.analytics,
      marketing: !gpc && (request.purposes.marketing ?? previous.marketing),
    };
    const [row] = await tx
      .insert(consentRecordsTable)
      .values({
        siteId,
        visitorId,
        ...state,
        policyVersion: request.policyVersion,
        source: gpc && request.purposes.marketing ? 'gpc' : request.source,
        gpc,
      })
      .returning({ recordedAt: consentRecordsTable.recordedAt });
    return { state, recordedAt: row!.recordedAt };
  });
}

export const toConsentRecord = (row: typeof consentRecordsTable.$inferSelect): ConsentRecord => ({
  id: row.id,
  visitorId: row.visitorId,
  analytics: row.analytics,
  marketing: row.marketing,
  policyVersion: row.policyVersion,
  source: row.source,
  gpc: row.gpc,
  recordedAt: row.recordedAt.toISOString(),
});

/** The `Sec-GPC: 1` request header (Global Privacy Control): no retargeting, no sharing. */
export const hasGpc = (header: string | undefined) => header?.trim() === '1';

/** Whether the site knows this visitor id (a pre-consent hash has a row once its pageviews were counted). */
export async function hasVisitorRow(db: Db, siteId: string, visitorId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: visitorsTable.visitorId })
    .from(visitorsTable)
    .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)))
    .limit(1);
  return row !== undefined;
}
