import type { Me } from '@beckon/sdk/protocol';
import { observeServerDate } from '../server-clock';
import { ApiError, parseErrorResponse } from './errors';

export interface TransportOptions {
  fetch?: typeof fetch;
  /** Called when a session call answers 401 (expired or revoked session). */
  onUnauthorized?: () => void;
  /** Fetches the current session (`GET /api/me`) when the server refuses a stale CSRF token. */
  refreshSession?: () => Promise<Me>;
}

/**
 * The one place the dashboard talks HTTP: `hc` builds the URL, method and body from the server's route types
 * and hands them to this `fetch`, which adds what every call needs — `accept`, the CSRF header on writes,
 * same-origin credentials — and turns every failure into a thrown `ApiError`, so an answer that reaches the
 * caller is always a success. Two flavours: the session one, and an anonymous one for login and accepting an
 * invite, where a 401 is an answer for the form (not a sign that the session ended) and no CSRF token exists.
 */
export function createTransport(options: TransportOptions = {}) {
  let csrfToken: string | null = null;
  let onUnauthorized = options.onUnauthorized;
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  async function send(method: string, url: string, body: string | undefined, anonymous: boolean) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && !anonymous && csrfToken) headers['x-csrf-token'] = csrfToken;
    try {
      const sentAt = Date.now();
      const response = await doFetch(url, { method, headers, credentials: 'same-origin', body: body ?? null });
      observeServerDate(response.headers.get('date'), sentAt, Date.now());
      return response;
    } catch {
      throw new ApiError(0, 'unavailable', 'Cannot reach the Beckon server. Check your connection and try again.');
    }
  }

  const fetchFor =
    (anonymous: boolean): typeof fetch =>
    async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? 'GET').toUpperCase();
      // hc serialises `json` to a string; the dashboard sends nothing else.
      const body = typeof init?.body === 'string' ? init.body : undefined;
      let response = await send(method, url, body, anonymous);
      if (response.status === 403 && method !== 'GET' && !anonymous && options.refreshSession) {
        // The CSRF token rotates with the session; fetch the current one once and retry.
        const error = parseErrorResponse(response.status, await response.text());
        if (error.code !== 'csrf_failed') throw error;
        await options.refreshSession();
        response = await send(method, url, body, anonymous);
      }
      if (response.ok) return response;
      const error = parseErrorResponse(response.status, await response.text(), response.headers.get('retry-after'));
      if (error.status === 401 && !anonymous) {
        csrfToken = null;
        onUnauthorized?.();
      }
      throw error;
    };

  return {
    session: fetchFor(false),
    anonymous: fetchFor(true),
    remember(me: Me): Me {
      csrfToken = me.csrfToken;
      return me;
    },
    forget() {
      csrfToken = null;
    },
    get csrfToken() {
      return csrfToken;
    },
    setOnUnauthorized(handler: (() => void) | undefined) {
      onUnauthorized = handler;
    },
  };
}
