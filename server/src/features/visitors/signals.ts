import { randomUUID } from 'node:crypto';
import type { ChannelSignal, VisitorScore } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { eventsTable } from '../../db/schema.js';
import { emitTemperatureChanges } from '../scoring/index.js';
import { applyNewEvents } from './derive.js';

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
  const derived = await db.transaction(async (tx) => {
    const [row] = await tx
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
      .returning({ id: eventsTable.id });
    return applyNewEvents(tx, [
      {
        id: row!.id,
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
    ]);
  });
  await emitTemperatureChanges(derived.changes);
  const visitor = derived.visitors[0]!;
  return { score: visitor.score, temperature: visitor.temperature, explanation: visitor.explanation };
}
