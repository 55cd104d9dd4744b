import type { CollectBatch, CollectResponse } from '../protocol/collect.js';

/** `ok`, or the server's answer (also ok), `retry` later, or `drop` for good (the server refused it). */
export type SendResult = 'ok' | 'retry' | 'drop' | CollectResponse;

/** How a batch leaves the browser. Swappable for tests and for non-browser runtimes. */
export interface Transport {
  send(url: string, batch: CollectBatch, options: { beacon: boolean }): Promise<SendResult>;
}

/**
 * `text/plain` keeps the request "simple" so browsers skip the CORS preflight, and it is the only
 * type `sendBeacon` sends everywhere; the server parses either type as JSON.
 */
export const browserTransport: Transport = {
  async send(url, batch, { beacon }) {
    const body = JSON.stringify(batch);
    if (beacon && typeof navigator !== 'undefined' && navigator.sendBeacon) {
      // A queued beacon is delivered by the browser after the page is gone; its answer is unknowable.
      return navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' })) ? 'ok' : 'retry';
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain' },
        keepalive: body.length < 60_000,
        credentials: 'omit',
      });
      // The answer carries segments and audiences entered; an unreadable body is still a stored batch.
      if (response.ok) return ((await response.json().catch(() => undefined)) as CollectResponse | undefined) ?? 'ok';
      return response.status === 429 || response.status >= 500 ? 'retry' : 'drop';
    } catch {
      return 'retry';
    }
  },
};
