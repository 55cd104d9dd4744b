import type { TemperatureChange } from '@beckon/sdk/protocol';

export type TemperatureListener = (change: TemperatureChange) => void | Promise<void>;

const listeners = new Set<TemperatureListener>();

/**
 * Subscribes to temperature changes (cold → warm → hot and back, as events and signals arrive). Called
 * after the change is committed, on the node that committed it; a listener's error is logged by the
 * caller's logger and never undoes the change. Webhooks (`lead.temperature_changed`) and routing
 * subscribe here. Returns the unsubscribe function.
 * @example const off = onTemperatureChange((change) => webhooks.send(change.siteId, 'lead.temperature_changed', change))
 */
export function onTemperatureChange(listener: TemperatureListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function emitTemperatureChanges(changes: readonly TemperatureChange[], onError: (error: unknown) => void = () => {}): Promise<void> {
  for (const change of changes) {
    for (const listener of [...listeners]) {
      try {
        await listener(change);
      } catch (error) {
        onError(error);
      }
    }
  }
}
