import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { OfflineSignal, RecordedSignal, RecordSignalsResponse } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { eventsTable, personVisitorsTable, visitorsTable } from '../../db/schema.js';
import { identifyPerson, linkBrowser } from '../persons/index.js';
import { emitTemperatureChanges } from '../scoring/index.js';
import { applyNewEvents, type NewEvent } from './derive.js';

/** Offline signals may be old (a deal closes weeks after the visit) but not from the future or another era. */
const maxAheadMs = 5 * 60 * 1000;
const maxBackMs = 2 * 365 * 24 * 60 * 60 * 1000;

/** With the site's id, the advisory lock that makes offline signals of one site take turns (any constant). */
const offlineSignalLockClass = 727_160_023;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The visitor a signal scores: the given tracker id; else the person with that email / phone — their
 * most recently seen browser, or for a person never seen on the site a visitor of their own
 * (`offline_<person id>`), linked to them so the person page and their temperature include it.
 */
async function subjectOf(tx: Tx, siteId: string, signal: OfflineSignal): Promise<string | null> {
  if (signal.visitorId) return signal.visitorId;
  const person = await identifyPerson(tx, {
    siteId,
    contact: { email: signal.email ?? null, phone: signal.phone ?? null },
    source: 'signal',
  });
  if (!person) return null;
  const [latest] = await tx
    .select({ visitorId: personVisitorsTable.visitorId })
    .from(personVisitorsTable)
    .leftJoin(
      visitorsTable,
      sql`${visitorsTable.siteId} = ${personVisitorsTable.siteId} and ${visitorsTable.visitorId} = ${personVisitorsTable.visitorId}`,
    )
    .where(eq(personVisitorsTable.personId, person.personId))
    .orderBy(sql`${visitorsTable.lastSeenAt} desc nulls last`, desc(personVisitorsTable.createdAt))
    .limit(1);
  if (latest) return latest.visitorId;
  const offlineVisitor = `offline_${person.personId}`;
  await linkBrowser(tx, siteId, offlineVisitor, person.personId);
  return offlineVisitor;
}

/**
 * Records offline signals (`POST /api/sites/:id/signals`): each is stored once per caller id as a
 * `signal` event and scored in the same transaction, like a channel's signal; temperature listeners
 * (live push, webhooks, routing) run after the commit. Signals outside the time window are rejected
 * one by one with a reason, never moved in time.
 */
export async function recordOfflineSignals(
  db: Db,
  siteId: string,
  signals: readonly OfflineSignal[],
  now = new Date(),
): Promise<RecordSignalsResponse> {
  const { results, changes } = await db.transaction(async (tx) => {
    const results: RecordedSignal[] = [];
    const pending: Array<{ index: number; row: typeof eventsTable.$inferInsert }> = [];
    for (const signal of signals) {
      const at = signal.at ? new Date(signal.at) : now;
      if (at.getTime() > now.getTime() + maxAheadMs) {
        results.push({ id: signal.id, status: 'rejected', reason: 'in_future' });
        continue;
      }
      if (at.getTime() < now.getTime() - maxBackMs) {
        results.push({ id: signal.id, status: 'rejected', reason: 'too_old' });
        continue;
      }
      const visitorId = await subjectOf(tx, siteId, signal);
      if (!visitorId) {
        results.push({ id: signal.id, status: 'rejected', reason: 'unknown_person' });
        continue;
      }
      pending.push({
        index: results.length,
        row: {
          siteId,
          clientEventId: `offline_${signal.id}`,
          visitorId,
          sessionId: 'server',
          type: 'signal',
          url: '',
          name: signal.name,
          props: signal.amount === undefined ? null : { amount: signal.amount },
          occurredAt: at,
          receivedAt: now,
        },
      });
      results.push({ id: signal.id, status: 'duplicate', visitorId });
    }
    if (pending.length === 0) return { results, changes: [] };
    // A signal's time may be left out (then it is now), so a resent signal can carry another `occurred_at` than
    // its first copy, and the events' unique index holds (site, client id, occurred_at): the ids stored in any
    // month are looked up first, under a lock per site so two calls with the same id take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(${offlineSignalLockClass}, hashtext(${siteId}))`);
    const stored = new Set(
      (
        await tx
          .select({ clientEventId: eventsTable.clientEventId })
          .from(eventsTable)
          .where(
            and(
              eq(eventsTable.siteId, siteId),
              inArray(
                eventsTable.clientEventId,
                pending.map((p) => p.row.clientEventId),
              ),
            ),
          )
      ).map((row) => row.clientEventId),
    );
    // The first of one id in the call is stored; later copies are duplicates, as are ids stored before.
    const unseen: typeof pending = [];
    for (const p of pending) {
      if (stored.has(p.row.clientEventId)) continue;
      stored.add(p.row.clientEventId);
      unseen.push(p);
    }
    const inserted =
      unseen.length === 0
        ? []
        : await tx
            .insert(eventsTable)
            .values(unseen.map((p) => p.row))
            .onConflictDoNothing()
            .returning({ id: eventsTable.id, clientEventId: eventsTable.clientEventId });
    const idOf = new Map(inserted.map((row) => [row.clientEventId, row.id]));
    const fresh: NewEvent[] = [];
    for (const { index, row } of unseen) {
      const id = idOf.get(row.clientEventId);
      if (id === undefined) continue;
      results[index]!.status = 'stored';
      fresh.push({
        id,
        siteId,
        visitorId: row.visitorId,
        type: 'signal',
        url: '',
        title: null,
        referrer: null,
        name: row.name ?? null,
        props: row.props ?? null,
        context: null,
        occurredAt: row.occurredAt,
      });
    }
    const derived = await applyNewEvents(tx, fresh, now.getTime());
    return { results, changes: derived.changes };
  });
  await emitTemperatureChanges(changes);
  const countOf = (status: RecordedSignal['status']) => results.filter((r) => r.status === status).length;
  return { stored: countOf('stored'), duplicates: countOf('duplicate'), rejected: countOf('rejected'), results };
}
