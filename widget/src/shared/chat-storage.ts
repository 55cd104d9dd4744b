/**
 * Whether this visitor has a chat going on this site: an open conversation or unsent messages, as the
 * chat client stored them under `chatStorageKey(site)` (`@beckon/sdk/chat`; restated here so the loader
 * carries no socket.io). The loader only ever reads storage; the chat client writes it once the visitor
 * opened the chat.
 */
export function hasOngoingChat(site: string): boolean {
  try {
    const stored = JSON.parse(localStorage.getItem(`beckon:${site}:chat`) || 'null') as { open?: unknown; outbox?: unknown[] } | null;
    return !!stored && (stored.open === true || (Array.isArray(stored.outbox) && stored.outbox.length > 0));
  } catch {
    return false;
  }
}
