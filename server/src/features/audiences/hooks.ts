import type { DbOrTx } from '../../db/client.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import type { AudienceEntry } from './evaluate.js';

export type AudienceListener = (entry: AudienceEntry) => void | Promise<void>;

const listeners = new Set<AudienceListener>();

/**
 * The server-side conversion hook: called once per audience entry, after it committed, on the node that
 * recorded it — the alternative to browser pixels for sites that want none. Entries only happen for visitors with
 * marketing consent and without GPC, so a listener may share them. The `audience.entered` webhook
 * subscribes here (see `conversionWebhooks`). Returns the unsubscribe function.
 */
export function onAudienceEntered(listener: AudienceListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function emitAudienceEntries(
  entries: readonly AudienceEntry[],
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  for (const entry of entries) {
    for (const listener of [...listeners]) {
      try {
        await listener(entry);
      } catch (error) {
        onError(error);
      }
    }
  }
}

/**
 * Sends every audience entry to the site's CRM as an `audience.entered` webhook (durable outbox, signed
 * like every webhook): sites that want no pixels in their pages get their conversions server-side.
 */
export function conversionWebhooks(db: DbOrTx): () => void {
  return onAudienceEntered((entry) =>
    enqueueWebhookEvent(db, entry.siteId, 'audience.entered', {
      visitorId: entry.visitorId,
      audience: { id: entry.audienceId, name: entry.name, segment: entry.segment, eventName: entry.eventName },
      enteredAt: entry.enteredAt.toISOString(),
    }),
  );
}
