/** A per-node cache whose entries live `ms`; a failed load is not kept. */
export interface KeyedCache<T> {
  (key: string): Promise<T>;
  /** Drops every entry, so the next read loads again (after a write on this node). */
  clear(): void;
}

// Every per-node cache entry remembers the generation it was loaded in; a change to cached data (a site's
// settings, routing rules) starts a new generation on every node, so all entries reload on their next
// read. Coarse on purpose: such changes are rare admin actions, and one reload per site per node after
// them costs less than tracking which cache holds what.
let generation = 0;
const peers = new Set<() => void>();

/** The current cache generation, for caches that are not `keyedCache`s (routing rules). */
export const cacheGeneration = () => generation;

/**
 * Call after a write to data that per-node caches hold: this node's caches reload at once, and the other
 * nodes' too when they are linked (`shareCacheChanges`); unlinked nodes follow within their TTL.
 */
export function cachedDataChanged(): void {
  generation++;
  for (const tellPeers of peers) tellPeers();
}

/** What `shareCacheChanges` needs of a socket.io server running on the Redis adapter. */
export interface ServerSideEvents {
  serverSideEmit(event: string): unknown;
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

const changedEvent = 'cache:changed';

/**
 * Links this node's caches to the other nodes' through socket.io server-side events (over the Redis
 * adapter): a change on any node starts a new generation on all of them within a Redis round trip.
 * Returns the unlink.
 */
export function shareCacheChanges(io: ServerSideEvents): () => void {
  const tellPeers = () => void io.serverSideEmit(changedEvent);
  // Another node's change: a new generation here, not told on again.
  const onPeerChange = () => void generation++;
  peers.add(tellPeers);
  io.on(changedEvent, onPeerChange);
  return () => {
    peers.delete(tellPeers);
    io.off(changedEvent, onPeerChange);
  };
}

/**
 * Caches `load(key)` for `ms` per key. For data that changes rarely and is read on hot paths (site
 * settings per collect batch or chat message): each node keeps its own copy; a change through
 * `cachedDataChanged` drops it on this node at once and on linked nodes within a Redis round trip.
 */
export function keyedCache<T>(ms: number, load: (key: string) => Promise<T>): KeyedCache<T> {
  const entries = new Map<string, { value: Promise<T>; loadedAt: number; generation: number }>();
  const read = (key: string) => {
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && now - entry.loadedAt <= ms && entry.generation === generation) return entry.value;
    if (entries.size > 1000)
      for (const [stale, { loadedAt }] of entries) if (now - loadedAt > ms) entries.delete(stale);
    const value = load(key).catch((error: unknown) => {
      entries.delete(key);
      throw error;
    });
    entries.set(key, { value, loadedAt: now, generation });
    return value;
  };
  return Object.assign(read, { clear: () => entries.clear() });
}
