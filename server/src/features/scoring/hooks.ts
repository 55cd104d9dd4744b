import type { TemperatureChange } from '@beckon/sdk/protocol';
import { createBatcher } from '../../lib/batcher.js';

export type TemperatureListener = (change: TemperatureChange) => void | Promise<void>;

export type TemperatureBatchListener = (changes: readonly TemperatureChange[]) => void | Promise<void>;

const listeners = new Set<TemperatureListener>();
const batchListeners = new Set<TemperatureBatchListener>();

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

/**
 * Like `onTemperatureChange`, but gets all the changes one commit made at once (a collect group can
 * change hundreds of visitors): for listeners that can answer them with one query instead of one each.
 */
export function onTemperatureChanges(listener: TemperatureBatchListener): () => void {
  batchListeners.add(listener);
  return () => batchListeners.delete(listener);
}

export async function emitTemperatureChanges(
  changes: readonly TemperatureChange[],
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  if (changes.length === 0) return;
  for (const listener of [...batchListeners]) {
    try {
      await listener(changes);
    } catch (error) {
      onError(error);
    }
  }
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

/**
 * Hands the listeners the changes of commits that follow each other closely together, `windowMs` after the
 * first of them (and never two hand-overs at once): each batch listener asks PostgreSQL once per hand-over
 * whether the visitors concern it (an open chat, a callback, a lead), where per commit it asked once per
 * collect group. bench:ingest commits a group every few milliseconds and changes visitors in nearly every
 * one, so those lookups were four round trips per group. Changes keep their order.
 */
export function createTemperatureRelay(
  windowMs: number,
  onError: (error: unknown) => void,
): (changes: readonly TemperatureChange[]) => void {
  const handOver = createBatcher<TemperatureChange>((changes) => emitTemperatureChanges(changes, onError), {
    wait: windowMs,
    maxInFlight: 1,
  });
  return (changes) => {
    for (const change of changes) void handOver.submit(change);
  };
}
