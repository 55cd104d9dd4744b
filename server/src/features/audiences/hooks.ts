import type { AudienceEntry } from './evaluate.js';

export type AudienceListener = (entry: AudienceEntry) => void | Promise<void>;

const listeners = new Set<AudienceListener>();

/**
 * The server-side conversion hook: called once per audience entry, after it committed, on the node that
 * recorded it — the alternative to browser pixels for sites that want none. This branch has no webhooks
 * feature; a webhook sender (or a custom build) subscribes here. Entries only happen for visitors with
 * marketing consent and without GPC, so a listener may share them. Returns the unsubscribe function.
 * @example const off = onAudienceEntered((entry) => webhooks.send(entry.siteId, 'audience.entered', entry))
 */
export function onAudienceEntered(listener: AudienceListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function emitAudienceEntries(entries: readonly AudienceEntry[], onError: (error: unknown) => void = () => {}): Promise<void> {
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
