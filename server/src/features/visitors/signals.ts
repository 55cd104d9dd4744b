import { randomUUID } from 'node:crypto';
import type { ChannelSignal, VisitorScore } from '@beckon/sdk/protocol';
import type { Db, Tx } from '../../db/client.js';
import { eventsTable } from '../../db/schema.js';
import { emitTemperatureChanges } from '../scoring/index.js';
import { applyNewEvents, loadDerivationState, visitorKeysOf, type DerivedChanges } from './derive.js';

export type Signal = ChannelSignal | 'identified';

/**
 * Records what another channel learnt about a behaviour-stream visitor (they asked for a callback,
 * started a chat, sent a form or feedback, or identified themselves). Stored as an event, so a
 * recompute sees it too, and scored in the same transaction; temperature listeners run after commit.
 * @example await recordSignal(db, site.id, trackerVisitorId, 'callback_requested')
 */
export async function recordSignal(
  db: Db,
  siteId: string,
  visitorId: string,
  signal: Signal,
  at: Date = new Date(),
): Promise<VisitorScore> {
  const derived = await db.transaction((tx) => storeSignal(tx, siteId, visitorId, signal, at));
  await emitTemperatureChanges(derived.changes);
  const visitor = derived.visitors[0]!;
  return { score: visitor.score, temperature: visitor.temperature, explanation: visitor.explanation };
}

/**
 * `recordSignal` inside the caller's transaction, for a caller that writes more with it. The caller
 * passes the returned changes to `announceSignal` after its commit (the listeners read what it wrote).
 */
export async function storeSignal(
  tx: Tx,
  siteId: string,
  visitorId: string,
  signal: Signal,
  at: Date = new Date(),
): Promise<DerivedChanges> {
  const stored = tx
    .insert(eventsTable)
    .values({
      siteId,
      clientEventId: `signal_${randomUUID()}`,
      visitorId,
      sessionId: 'server',
      type: 'signal',
      url: '',
      name: signal,
      occurredAt: at,
      receivedAt: new Date(),
    })
    .returning({ id: eventsTable.id })
    .then(([row]) => row!);
  // The visitor's lock and reads leave with the insert (one round trip); derivation needs the event's id.
  const state = loadDerivationState(tx, visitorKeysOf([{ siteId, visitorId, occurredAt: at }]));
  const row = await stored.catch(async (error: unknown) => {
    await state.catch(() => {}); // fails with the transaction; the insert's error is the one to report
    throw error;
  });
  return applyNewEvents(
    tx,
    [
      {
        id: row.id,
        siteId,
        visitorId,
        type: 'signal',
        url: '',
        title: null,
        referrer: null,
        name: signal,
        props: null,
        context: null,
        occurredAt: at,
      },
    ],
    Date.now(),
    state,
  );
}

/** After the commit of the caller's transaction that ran `storeSignal`: tells the temperature listeners. */
export const announceSignal = (derived: DerivedChanges) => emitTemperatureChanges(derived.changes);
