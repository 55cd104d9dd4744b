import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Outcome, TemperatureChange, VisitorScore } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { rowsOf, type Db, type DbOrTx } from '../../db/client.js';
import { leadVisitorsTable, leadsTable, personVisitorsTable, personsTable, type LeadRow } from '../../db/schema.js';
import { onTemperatureChanges, recordOutcome, scoresFor } from '../scoring/index.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { publishLead, summariseLeads } from './service.js';

/** A lead is as warm as its hottest behaviour-stream visitor (its visitors read unless the caller knows them). */
export async function syncLeadScore(db: DbOrTx, lead: LeadRow, knownVisitorIds?: readonly string[]): Promise<LeadRow> {
  const visitorIds =
    knownVisitorIds ??
    (
      await db
        .select({ id: leadVisitorsTable.visitorId })
        .from(leadVisitorsTable)
        .where(eq(leadVisitorsTable.leadId, lead.id))
    ).map((row) => row.id);
  const scores = [...(await scoresFor(db as Db, lead.siteId, visitorIds)).values()];
  const hottest = scores.reduce<VisitorScore | null>(
    (best, score) => (!best || score.score > best.score ? score : best),
    null,
  );
  if (!hottest || (Math.round(hottest.score) === lead.score && hottest.temperature === lead.temperature)) return lead;
  const [updated] = await db
    .update(leadsTable)
    .set({ score: Math.round(hottest.score), temperature: hottest.temperature })
    .where(eq(leadsTable.id, lead.id))
    .returning();
  return updated ?? lead;
}

/**
 * Keeps leads' temperature in step with scoring: when a visitor's temperature changes, every lead that
 * visitor belongs to takes it, the site's CRM gets `lead.temperature_changed` (same transaction) and the
 * dashboards get `lead:updated`. Most visitors have no lead: one query per committed group finds the
 * few that do, and only those open a transaction. Returns the unsubscribe function (called on shutdown).
 */
export function followTemperatureChanges(deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>) {
  return onTemperatureChanges(async (changes) => {
    const keys = JSON.stringify(changes.map(({ siteId, visitorId }) => ({ site_id: siteId, visitor_id: visitorId })));
    const linked = rowsOf<{ site_id: string; visitor_id: string }>(
      await deps.db.execute(sql`
        select lv.site_id, lv.visitor_id from lead_visitors lv
        join jsonb_to_recordset(${keys}::jsonb) as k(site_id uuid, visitor_id text) on lv.site_id = k.site_id and lv.visitor_id = k.visitor_id`),
    );
    const withLead = new Set(linked.map((row) => `${row.site_id}\u0000${row.visitor_id}`));
    for (const change of changes) {
      if (withLead.has(`${change.siteId}\u0000${change.visitorId}`)) await followChange(deps, change);
    }
  });
}

async function followChange(deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>, change: TemperatureChange) {
  const leads = await deps.db.transaction(async (tx) => {
    const linked = tx
      .select({ id: leadVisitorsTable.leadId })
      .from(leadVisitorsTable)
      .where(and(eq(leadVisitorsTable.siteId, change.siteId), eq(leadVisitorsTable.visitorId, change.visitorId)));
    const updated = await tx
      .update(leadsTable)
      .set({ temperature: change.temperature, score: Math.round(change.score), updatedAt: new Date() })
      .where(inArray(leadsTable.id, linked))
      .returning();
    for (const lead of await summariseLeads(tx, updated)) {
      await enqueueWebhookEvent(tx, change.siteId, 'lead.temperature_changed', {
        lead,
        previous: change.previous,
        temperature: change.temperature,
        score: change.score,
        explanation: change.explanation,
        at: change.at,
      });
    }
    return updated;
  });
  for (const lead of leads) await publishLead(deps, lead.id);
}

/**
 * Won and lost leads label their visitors, which is what scoring learns from — every browser of the
 * lead's person too — and the person shows the label (null takes it back).
 */
export async function labelVisitorsOfLead(db: Db, lead: Pick<LeadRow, 'id' | 'siteId'>, status: string) {
  const outcome: Outcome | null = status === 'won' || status === 'lost' ? status : null;
  const [row] = await db.select({ personId: leadsTable.personId }).from(leadsTable).where(eq(leadsTable.id, lead.id));
  const visitorIds = (
    await db
      .select({ id: leadVisitorsTable.visitorId })
      .from(leadVisitorsTable)
      .where(eq(leadVisitorsTable.leadId, lead.id))
  ).map((r) => r.id);
  if (row?.personId) {
    visitorIds.push(
      ...(
        await db
          .select({ id: personVisitorsTable.visitorId })
          .from(personVisitorsTable)
          .where(eq(personVisitorsTable.personId, row.personId))
      ).map((r) => r.id),
    );
    await db.update(personsTable).set({ outcome, updatedAt: new Date() }).where(eq(personsTable.id, row.personId));
  }
  await recordOutcome(db, lead.siteId, visitorIds, outcome);
}
