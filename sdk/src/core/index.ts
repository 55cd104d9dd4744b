import type { BehaviourEvent, CollectBatch, Traits } from '../protocol/collect.js';
import { createEmitter } from './emitter.js';
import { randomId } from './ids.js';
import { browserTransport, type Transport } from './transport.js';

export { randomId } from './ids.js';
export type { Transport, SendResult } from './transport.js';
export type { Handler } from './emitter.js';

export interface ConsentState {
  /** Behaviour stream and scoring. */
  analytics: boolean;
  /** Retargeting cookies and pixels. */
  marketing: boolean;
}

export interface CoreEvents {
  [event: string]: unknown;
  pageview: { url: string };
  consent: ConsentState;
  /** A batch was dropped for good (the server refused it); the payload says why. */
  error: { message: string };
}

export interface CoreOptions {
  /** The site's public key, as in `data-site`. */
  site: string;
  /** Origin of the Beckon server, e.g. `https://beckon.example.com`. */
  endpoint: string;
  transport?: Transport;
  /** How long ordinary events wait to share a batch (pageviews go at once). */
  batchDelayMs?: number;
  /** Events kept while the network is down; the oldest go first past this. */
  maxQueue?: number;
  consent?: ConsentState;
  /** Called with anything that went wrong; the loader routes this to its debug logger. */
  onError?: (error: unknown) => void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<BehaviourEvent, 'id' | 'ts' | 'url'> & { url?: string };

const maxBatch = 50;

/**
 * The small core shared by the `beckon.js` loader and the npm SDK: ids, a bounded queue, batching,
 * retries with backoff, and consent gating. It imports no validator: the server validates.
 */
export function createCore(options: CoreOptions) {
  const transport = options.transport ?? browserTransport;
  const batchDelayMs = options.batchDelayMs ?? 5000;
  const maxQueue = options.maxQueue ?? 500;
  const onError = options.onError ?? (() => {});
  const collectUrl = options.endpoint.replace(/\/+$/, '') + '/v1/collect';
  // Ids live in memory only: storing anything on the visitor's device waits for consent.
  const visitorId = randomId();
  const sessionId = randomId();
  const emitter = createEmitter<CoreEvents>(onError);

  let consent: ConsentState = options.consent ?? { analytics: true, marketing: false };
  let queue: BehaviourEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let failures = 0;

  const currentUrl = () => (typeof location === 'undefined' ? '' : location.href);

  function schedule(delayMs: number) {
    if (timer !== undefined) {
      // An earlier, sooner flush already covers this one.
      if (delayMs > 0) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delayMs);
  }

  function enqueue(input: EventInput, delayMs = batchDelayMs) {
    if (!consent.analytics) return;
    const event = { ...input, id: randomId(), ts: Date.now(), url: input.url ?? currentUrl() } as BehaviourEvent;
    queue.push(event);
    if (queue.length > maxQueue) queue = queue.slice(queue.length - maxQueue);
    schedule(queue.length >= maxBatch ? 0 : delayMs);
  }

  /** Sends what is queued. With `beacon`, hands everything to the browser to deliver after unload. */
  async function flush({ beacon = false } = {}): Promise<void> {
    if (inFlight && !beacon) return;
    while (queue.length > 0 && consent.analytics) {
      const events = queue.splice(0, maxBatch);
      const batch: CollectBatch = { site: options.site, visitorId, sessionId, events };
      inFlight = true;
      let result;
      try {
        result = await transport.send(collectUrl, batch, { beacon });
      } catch (error) {
        onError(error);
        result = 'retry' as const;
      } finally {
        inFlight = false;
      }
      if (result === 'retry') {
        // Same ids on retry, so the server stores each event once however often it is sent.
        queue = events.concat(queue).slice(0, maxQueue);
        failures++;
        if (!beacon) schedule(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
        return;
      }
      failures = 0;
      if (result === 'drop') emitter.emit('error', { message: 'the server refused a batch of events' });
    }
  }

  return {
    site: options.site,
    visitorId,
    sessionId,
    on: emitter.on,
    off: emitter.off,
    emit: emitter.emit,
    flush,
    /** Records a pageview; sent without waiting so live views see it at once. */
    page(details: { url?: string; title?: string; referrer?: string } = {}) {
      const url = details.url ?? currentUrl();
      const title = details.title ?? (typeof document === 'undefined' ? undefined : document.title);
      enqueue({ type: 'pageview', url, title: title || undefined, referrer: details.referrer || undefined }, 0);
      emitter.emit('pageview', { url });
    },
    track(name: string, props?: Record<string, string | number | boolean | null>) {
      enqueue({ type: 'track', name, props });
    },
    identify(traits: Traits) {
      enqueue({ type: 'identify', traits }, 0);
    },
    /** `grant` / `deny` the purposes set to true (all when none are named). Denying analytics empties the queue. */
    consent(decision: 'grant' | 'deny', purposes?: Partial<ConsentState>) {
      const value = decision === 'grant';
      consent = {
        analytics: !purposes || purposes.analytics ? value : consent.analytics,
        marketing: !purposes || purposes.marketing ? value : consent.marketing,
      };
      if (!consent.analytics) queue = [];
      emitter.emit('consent', { ...consent });
    },
    getConsent: (): ConsentState => ({ ...consent }),
  };
}

export type Core = ReturnType<typeof createCore>;

/**
 * Calls `onNavigate` after every client-side navigation (History API, back/forward, hash change),
 * once per distinct URL. Returns a function that stops watching.
 */
export function watchNavigation(onNavigate: (url: string) => void): () => void {
  let lastUrl = location.href;
  const check = () => {
    if (location.href === lastUrl) return;
    const url = (lastUrl = location.href);
    // Routers set the new title after pushState/popstate, so the pageview (which reads it) waits a task.
    setTimeout(() => onNavigate(url), 0);
  };
  const { pushState, replaceState } = history;
  history.pushState = function (...args: Parameters<History['pushState']>) {
    pushState.apply(this, args);
    check();
  };
  history.replaceState = function (...args: Parameters<History['replaceState']>) {
    replaceState.apply(this, args);
    check();
  };
  addEventListener('popstate', check);
  addEventListener('hashchange', check);
  return () => {
    history.pushState = pushState;
    history.replaceState = replaceState;
    removeEventListener('popstate', check);
    removeEventListener('hashchange', check);
  };
}
