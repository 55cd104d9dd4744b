/** A per-node cache whose entries live `ms`; a failed load is not kept. */
export interface KeyedCache<T> {
  (key: string): Promise<T>;
  /** Drops every entry, so the next read loads again (after a write on this node). */
  clear(): void;
}

/**
 * Caches `load(key)` for `ms` per key. For data that changes rarely and is read on hot paths (site
 * settings per collect batch or chat message): each node keeps its own copy, at most `ms` stale after a
 * write on another node; a write on this node clears it at once.
 */
export function keyedCache<T>(ms: number, load: (key: string) => Promise<T>): KeyedCache<T> {
  const entries = new Map<string, { value: Promise<T>; loadedAt: number }>();
  const read = (key: string) => {
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && now - entry.loadedAt <= ms) return entry.value;
    if (entries.size > 1000) for (const [stale, { loadedAt }] of entries) if (now - loadedAt > ms) entries.delete(stale);
    const value = load(key).catch((error: unknown) => {
      entries.delete(key);
      throw error;
    });
    entries.set(key, { value, loadedAt: now });
    return value;
  };
  return Object.assign(read, { clear: () => entries.clear() });
}
