import type { Traits } from './protocol/collect.js';
import {
  createCore,
  watchNavigation,
  type ConsentMode,
  type ConsentState,
  type CoreEvents,
  type Transport,
} from './core/index.js';
import type { Handler } from './core/emitter.js';
import { lazyChat, type BeckonChat } from './chat/lazy.js';
import { createForms, type CallbackInput, type FeedbackInput } from './forms.js';
import type { CallbackCreated, FeedbackKind } from './protocol/index.js';

export type { ConsentMode, ConsentState, CoreEvents as BeckonEvents, Transport } from './core/index.js';
export type { Traits } from './protocol/collect.js';
export type { BeckonChat } from './chat/lazy.js';
export { BeckonRequestError, type CallbackInput, type FeedbackInput } from './forms.js';
export type { ChatClient, ChatEntry, ChatEvents, ChatState, ChatStatus, Delivery } from './chat/client.js';

export interface BeckonOptions {
  /** The site's public key (Dashboard → Install). */
  site: string;
  /** Origin of your Beckon server, e.g. `https://beckon.example.com`. */
  endpoint: string;
  /** Record a pageview now and after every client-side navigation (default true in a browser). */
  autoPageviews?: boolean;
  /**
   * `required` (default): only anonymous pageviews, nothing stored, until `consent('grant', ...)` (or a
   * choice stored on an earlier visit); `implied`: analytics on, marketing after a grant; `external`:
   * your consent manager calls `consent(...)`. GPC always denies marketing.
   */
  consentMode?: ConsentMode;
  /** A decision your app already took (e.g. from its own banner); wins over the mode. */
  consent?: ConsentState;
  /** Recorded with each choice; a stored choice made under another version is asked again. Default `1`. */
  policyVersion?: string;
  /** Treat Do Not Track as a denial of both purposes. */
  honourDnt?: boolean;
  transport?: Transport;
  /** Posts consent choices (`POST /v1/consent`); the global `fetch` by default. */
  fetch?: typeof fetch;
  batchDelayMs?: number;
}

export interface Beckon {
  readonly visitorId: string;
  readonly sessionId: string;
  page(details?: { url?: string; title?: string; referrer?: string }): void;
  track(name: string, props?: Record<string, string | number | boolean | null>): void;
  identify(traits: Traits): void;
  /** The visitor's choice: `grant`/`deny` the purposes set to true (all when none are named); stored, recorded server-side, in force at once. */
  consent(decision: 'grant' | 'deny', purposes?: Partial<ConsentState>): void;
  /** The consent in force (GPC and Do Not Track applied). */
  getConsent(): ConsentState;
  on<K extends keyof CoreEvents>(event: K, handler: Handler<CoreEvents[K]>): void;
  off<K extends keyof CoreEvents>(event: K, handler: Handler<CoreEvents[K]>): void;
  /** Sends queued events now; resolves when the server has answered. */
  flush(): Promise<void>;
  /**
   * Live chat for a chat UI of your own: `await beckon.chat.open()`, `beckon.chat.send(text)`,
   * `beckon.chat.on('message' | 'typing' | 'agent' | ..., handler)`. The chat code (with socket.io)
   * is downloaded on the first `open()` or `send()`, never before.
   */
  readonly chat: BeckonChat;
  /**
   * Asks for a call back: now (omit `at`; only while an agent is online) or at an offered slot. Resolves
   * with the request and a token for `GET /v1/callbacks/:id?token=`; rejects with a `BeckonRequestError`
   * (429 with `retryAfter` over a limit, 409 when nobody can call now).
   */
  requestCallback(input: CallbackInput): Promise<CallbackCreated>;
  /** Sends an NPS (0–10), CSAT (1–5) or free-text answer. */
  sendFeedback(input: FeedbackInput): Promise<{ feedback: { id: string; kind: FeedbackKind; createdAt: string } }>;
  /** Stops watching navigation and page hide, and closes the chat. */
  destroy(): void;
}

const assertString = (value: unknown, name: string) => {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`Beckon: ${name} must be a non-empty string`);
};

/**
 * The headless lead-capture client for apps that bundle Beckon from npm instead of the script tag.
 * Unlike the loader, it throws on programmer misuse so mistakes surface in development.
 */
export function createBeckon(options: BeckonOptions): Beckon {
  assertString(options.site, 'site');
  assertString(options.endpoint, 'endpoint');
  const core = createCore(options);
  core.configure({
    mode: options.consentMode ?? 'required',
    policyVersion: options.policyVersion ?? '1',
    honourDnt: options.honourDnt,
  });
  const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
  const cleanups: (() => void)[] = [];

  if (inBrowser) {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void core.flush({ beacon: true });
    };
    document.addEventListener('visibilitychange', onHide);
    cleanups.push(() => document.removeEventListener('visibilitychange', onHide));
    if (options.autoPageviews ?? true) {
      // A microtask later, so `on('pageview')` registered right after createBeckon() sees the first one.
      queueMicrotask(() => core.page({ referrer: document.referrer }));
      cleanups.push(watchNavigation((url) => core.page({ url })));
    }
  }

  const forms = createForms({
    site: options.site,
    endpoint: options.endpoint,
    visitorId: core.visitorId,
    startedAt: Date.now(),
  });
  const chat = lazyChat({ site: options.site, endpoint: options.endpoint, visitorId: core.visitorId });
  cleanups.push(() => chat.client?.destroy());

  return {
    get visitorId() {
      return core.visitorId;
    },
    get sessionId() {
      return core.sessionId;
    },
    getConsent: core.getConsent,
    page: core.page,
    track(name, props) {
      assertString(name, 'track name');
      core.track(name, props);
    },
    identify(traits) {
      if (!traits || typeof traits !== 'object') throw new TypeError('Beckon: identify takes an object of traits');
      core.identify(traits);
    },
    consent(decision, purposes) {
      if (decision !== 'grant' && decision !== 'deny') throw new TypeError("Beckon: consent takes 'grant' or 'deny'");
      core.consent(decision, purposes);
    },
    on: core.on,
    off: core.off,
    flush: () => core.flush(),
    chat,
    requestCallback: forms.requestCallback,
    sendFeedback: forms.sendFeedback,
    destroy: () => cleanups.splice(0).forEach((cleanup) => cleanup()),
  };
}
