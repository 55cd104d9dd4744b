/**
 * Remembers the last `limit` ids seen, so a push delivered twice is handled once. The server relays each
 * stored chat message once; this is the second line of defence for any duplicate it or the network may
 * still produce (a retry racing its original on another node), whatever page listens.
 */
export function recentIds(limit = 2000) {
  const seen = new Set<string>();
  return {
    /** True the first time an id is seen, false for a repeat while it is still remembered. */
    first(id: string): boolean {
      if (seen.has(id)) return false;
      seen.add(id);
      // A Set iterates in insertion order: the first entry is the oldest.
      if (seen.size > limit) seen.delete(seen.values().next().value!);
      return true;
    },
  };
}
