/**
 * Whether this visitor has a chat going on this site: an open conversation or unsent messages, as the
 * chat client stored them under `chatStorageKey(site)` (`@beckon/sdk/chat`; restated here so the loader
 * carries no socket.io). The loader only ever reads storage; the chat client writes it once the visitor
 * opened the chat.
 */
export function hasOngoingChat(site: string): boolean {
  try {
    const stored = JSON.parse(localStorage.getItem(`beckon:${site}:chat`) || 'null') as {
      open?: unknown;
      outbox?: unknown[];
    } | null;
    return !!stored && (stored.open === true || (Array.isArray(stored.outbox) && stored.outbox.length > 0));
  } catch {
    return false;
  }
}

/** A "call me now" request this tab is waiting on (see `ui/callback/waiting.ts`, which writes it). */
export interface WaitingCallback {
  id: string;
  token: string;
  /** Local clock time the countdown ends, or null when the server gave none. */
  endsAt: number | null;
}

export const waitingKey = (site: string) => `beckon:${site}:callback`;
/** After this a stored request is no longer watched (the status endpoint stops answering too). */
const waitingForMs = 30 * 60_000;

export function readWaiting(site: string): WaitingCallback | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(waitingKey(site)) || 'null') as {
      id?: unknown;
      token?: unknown;
      endsAt?: unknown;
      savedAt?: unknown;
    } | null;
    if (
      !stored ||
      typeof stored.id !== 'string' ||
      typeof stored.token !== 'string' ||
      typeof stored.savedAt !== 'number'
    )
      return null;
    if (Date.now() - stored.savedAt > waitingForMs) return null;
    return { id: stored.id, token: stored.token, endsAt: typeof stored.endsAt === 'number' ? stored.endsAt : null };
  } catch {
    return null;
  }
}

/**
 * Whether a page load should bring the UI in without a click: a chat going on (replies reach the
 * launcher's badge) or a "call me now" countdown (it stays on screen on every page until the call).
 */
export const resumable = (site: string): boolean => hasOngoingChat(site) || readWaiting(site) !== null;
