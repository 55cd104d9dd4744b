import type { EnteredAudience } from '../protocol/audiences.js';
import type { BehaviourEvent, CollectBatch, CollectResponse, Traits, VisitContext } from '../protocol/collect.js';
import type { ConsentRequest, ConsentSource } from '../protocol/consent.js';
import type { LiveAnswer } from '../protocol/triggers.js';
import {
  applyDecision,
  browserSignals,
  initialDecision,
  none,
  restrict,
  type ConsentSettings,
  type ConsentState,
  type PrivacySignals,
  type StoredChoice,
} from './consent.js';
import { landingContext } from './context.js';
import { createEmitter } from './emitter.js';
import { randomId } from './ids.js';
import { truncate } from './text.js';
import { readCookie, readJson, remove, writeCookie, writeJson } from './storage.js';
import { browserTransport, type Transport } from './transport.js';

export { randomId } from './ids.js';
export type { Transport, SendResult } from './transport.js';
export type { Handler } from './emitter.js';
export * from './consent.js';
export { landingContext } from './context.js';
export { truncate, truncateReadable } from './text.js';
export { linkify, safeHref, type Segment } from './linkify.js';
export * from './local-time.js';
export { watchExternalConsent, type ExternalConsentWindow } from './external-consent.js';

export interface CoreEvents {
  [event: string]: unknown;
  pageview: { url: string };
  /** The consent in force changed (after GPC and DNT are applied). */
  consent: ConsentState;
  /** Audiences the visitor just entered, with the pixels to fire (only with marketing consent, never under GPC). */
  audiences: EnteredAudience[];
  /** A collect (or keepalive) answer: `hot` since when, an agent's `invite`. */
  answer: LiveAnswer;
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
  // Nothing leaves the browser until `configure()` gives the site's consent settings (the loader reads
  // them from the site config, the npm SDK from its options).
  /** A decision the app already took; wins over the mode and any stored choice. */
  consent?: ConsentState;
  /** GPC and DNT; read from `navigator` by default. */
  signals?: PrivacySignals;
  /** Posts consent choices (`POST /v1/consent`); the global `fetch` by default. */
  fetch?: typeof fetch;
  /** Called with anything that went wrong; the loader routes this to its debug logger. */
  onError?: (error: unknown) => void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<BehaviourEvent, 'id' | 'ts' | 'url'> & { url?: string };

/** The tracker's ids and visit, persisted only after an analytics grant. */
interface VisitRecord {
  /** Visitor id. */
  v: string;
  /** Session id. */
  s: string;
  /** Last activity (ms), for the 30-minute idle session cut. */
  l: number;
  /** Visit number. */
  n: number;
  /** Landing context of this visit. */
  c?: VisitContext;
}

const maxBatch = 50;
const sessionIdleMs = 30 * 60 * 1000;
/** bk_vid lives at most 13 months from the marketing grant, and is never extended. */
export const visitorCookieMaxAgeS = 395 * 24 * 60 * 60;
/** bk_seg is rewritten whenever the segments change; it outlives no visit by much. */
export const segmentsCookieMaxAgeS = 30 * 24 * 60 * 60;

export const storageKeys = (site: string) => ({ visit: `beckon:${site}:visit`, consent: `beckon:${site}:consent` });

/**
 * The small core shared by the `beckon.js` loader and the npm SDK: the consent gate, ids, a bounded
 * queue, batching, retries with backoff, and the retargeting cookies. It imports no validator: the
 * server validates.
 */
export function createCore(options: CoreOptions) {
  const transport = options.transport ?? browserTransport;
  const batchDelayMs = options.batchDelayMs ?? 5000;
  const maxQueue = options.maxQueue ?? 500;
  const onError = options.onError ?? (() => {});
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const keys = storageKeys(options.site);
  const signals = options.signals ?? browserSignals();
  const inBrowser = typeof location !== 'undefined' && typeof document !== 'undefined';
  const emitter = createEmitter<CoreEvents>(onError);

  // Until an analytics grant, ids live in memory only (the chat, strictly necessary, uses them) and
  // never travel with behaviour events.
  const freshVisit = (): VisitRecord => ({
    v: randomId(),
    s: randomId(),
    l: 0,
    n: 1,
    c: inBrowser ? landingContext(location.href, document.referrer) : undefined,
  });
  let visit = freshVisit();
  let settings: ConsentSettings | undefined;
  let decision: ConsentState | undefined = options.consent;
  let explicit = !!options.consent;
  let unposted: { purposes: Partial<ConsentState>; source: ConsentSource } | undefined;
  let queue: BehaviourEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let failures = 0;

  /** What is in force: nothing before the settings are known, then the decision within GPC/DNT. */
  const effective = (): ConsentState => (settings ? restrict(decision ?? none, signals, settings) : none);

  const currentUrl = () => (inBrowser ? location.href : '');

  function schedule(delayMs: number) {
    if (!settings) return; // configure() flushes what waited
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

  /** Starts a new session after 30 idle minutes; persists the visit when analytics is granted. */
  function touch(now: number) {
    if (visit.l && now - visit.l > sessionIdleMs) {
      visit = { ...visit, s: randomId(), n: visit.n + 1, c: inBrowser ? landingContext(location.href, '') : undefined };
    }
    visit.l = now;
    if (effective().analytics) writeJson(keys.visit, visit);
  }

  function enqueue(input: EventInput, delayMs = batchDelayMs) {
    // Decided without analytics: only pageviews, sent anonymously. Undecided settings: keep all for now.
    if (settings && !effective().analytics && input.type !== 'pageview') return;
    // Cut to the protocol's limits: one long URL or title must not get the whole batch refused.
    const event = {
      ...input,
      id: randomId(),
      ts: Date.now(),
      url: truncate(input.url ?? currentUrl(), 2048),
    } as BehaviourEvent;
    queue.push(event);
    if (queue.length > maxQueue) queue = queue.slice(queue.length - maxQueue);
    schedule(queue.length >= maxBatch ? 0 : delayMs);
  }

  function batchOf(events: BehaviourEvent[]): CollectBatch | undefined {
    const state = effective();
    if (state.analytics) {
      touch(Date.now());
      return {
        site: options.site,
        visitorId: visit.v,
        sessionId: visit.s,
        events,
        context: { ...visit.c, visitCount: visit.n },
        consent: state,
        // After a failure the failed batch is back at the head of the queue, whole in this one: some of its
        // events may be stored already.
        retry: failures,
      };
    }
    // Anonymous: pageviews without ids, and without the query and fragment, which can carry ad click
    // ids, e-mail addresses or tokens; of the referrer only its origin.
    const pageviews = events
      .filter((event) => event.type === 'pageview')
      .map((event) => ({
        ...event,
        url: event.url.split(/[?#]/)[0]!,
        referrer: event.referrer?.replace(/^(\w+:\/\/[^/?#]*).*/, '$1'),
      }));
    return pageviews.length ? { site: options.site, anonymous: true, events: pageviews } : undefined;
  }

  /** Sends what is queued. With `beacon`, hands everything to the browser to deliver after unload. */
  async function flush({ beacon = false } = {}): Promise<void> {
    if (!settings || (inFlight && !beacon)) return;
    while (queue.length > 0) {
      const events = queue.splice(0, maxBatch);
      const batch = batchOf(events);
      if (!batch) continue;
      inFlight = true;
      let result: Awaited<ReturnType<typeof transport.send>>;
      try {
        result = await transport.send(`${endpoint}/v1/collect`, batch, { beacon });
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
        // Backs off 2, 4, 8, 16, then 32 s.
        if (!beacon) schedule(1000 << Math.min(failures, 5));
        return;
      }
      failures = 0;
      if (result === 'drop') emitter.emit('error', { message: 'batch refused' });
      else if (typeof result === 'object') answered(result);
    }
  }

  /** The collect answer: the visitor's segments for `bk_seg`, and audiences entered for pixels. */
  function answered(answer: CollectResponse) {
    // "Became hot" and agent invitations, for the trigger engine (no storage, no marketing involved).
    emitter.emit('answer', answer);
    if (!effective().marketing) return;
    if (answer.segments !== undefined && readCookie('bk_seg') !== answer.segments) {
      writeCookie('bk_seg', answer.segments, answer.segments ? segmentsCookieMaxAgeS : -1);
    }
    if (answer.audiences?.length && !signals.gpc) emitter.emit('audiences', answer.audiences);
  }

  /** Puts a decision in force: storage, ids and cookies follow it at once. */
  function apply(next: ConsentState | undefined) {
    const before = effective();
    decision = next;
    const after = effective();
    if (after.analytics && !before.analytics) {
      // The stream starts: a returning visitor's stored visit (or retargeting id) is picked up.
      const stored = readJson<VisitRecord>(keys.visit);
      if (stored && typeof stored.v === 'string' && typeof stored.s === 'string' && stored.n >= 1) {
        visit = { ...stored, c: stored.c ?? visit.c };
        // A visit stored long ago is a new visit now, from this page.
        if (Date.now() - stored.l > sessionIdleMs)
          visit = { ...visit, s: randomId(), n: stored.n + 1, c: freshVisit().c, l: 0 };
      } else {
        const cookie = readCookie('bk_vid');
        if (cookie && /^[\w-]{8,64}$/.test(cookie)) visit.v = cookie;
      }
      touch(Date.now());
    }
    if (!after.analytics && before.analytics) {
      // Withdrawal: forget the ids and what waited to be sent; the stream stops on this page.
      remove(keys.visit);
      queue = [];
      visit = freshVisit();
    }
    if (after.marketing) {
      // Set once: a visit does not extend the cookie's lifetime.
      if (!readCookie('bk_vid')) writeCookie('bk_vid', visit.v, visitorCookieMaxAgeS);
    } else {
      if (readCookie('bk_vid') !== undefined) writeCookie('bk_vid', '', -1);
      if (readCookie('bk_seg') !== undefined) writeCookie('bk_seg', '', -1);
    }
    if (before.analytics !== after.analytics || before.marketing !== after.marketing) emitter.emit('consent', after);
  }

  function post(purposes: Partial<ConsentState>, source: ConsentSource) {
    if (!settings) {
      unposted = { purposes, source };
      return;
    }
    const body: ConsentRequest = {
      site: options.site,
      visitorId: effective().analytics ? visit.v : undefined,
      purposes,
      policyVersion: settings.policyVersion ?? '1',
      source,
    };
    const send = options.fetch ?? (typeof fetch === 'undefined' ? undefined : fetch);
    send?.(`${endpoint}/v1/consent`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'text/plain' },
      keepalive: true,
      credentials: 'omit',
    }).catch(onError);
  }

  /** A choice by the visitor or the site: stored (so we do not ask again), put in force, and recorded server-side. */
  function choose(next: ConsentState, source: ConsentSource) {
    explicit = true;
    const stored: StoredChoice = { a: next.analytics, m: next.marketing, v: settings?.policyVersion };
    writeJson(keys.consent, stored);
    apply(next);
    post({ analytics: next.analytics, marketing: next.marketing }, source);
    void flush();
  }

  const core = {
    site: options.site,
    /** The visitor id: persisted after an analytics grant, in memory (and never sent with events) before. */
    get visitorId() {
      return visit.v;
    },
    get sessionId() {
      return visit.s;
    },
    on: emitter.on,
    off: emitter.off,
    emit: emitter.emit,
    flush,
    /** Applies the site's consent settings (from its config); what waited in memory is sent or dropped now. */
    configure(next: ConsentSettings) {
      settings = next;
      const start = explicit ? decision : initialDecision(next, readJson<StoredChoice>(keys.consent));
      decision = undefined; // so that apply() starts from "nothing in force"
      // A choice made before the settings arrived is stored again with the policy version it was made under.
      apply(start);
      if (unposted && start) writeJson(keys.consent, { a: start.analytics, m: start.marketing, v: next.policyVersion });
      if (unposted) post(unposted.purposes, unposted.source);
      unposted = undefined;
      if (!effective().analytics) queue = queue.filter((event) => event.type === 'pageview');
      if (queue.length) schedule(0);
    },
    /** True while no choice is known (mode `required`/`external`, nothing stored): the prompt may ask. */
    undecided: () => !!settings && decision === undefined,
    /** Records a pageview; sent without waiting so live views see it at once. */
    page(details: { url?: string; title?: string; referrer?: string } = {}) {
      const url = details.url ?? currentUrl();
      const title = details.title ?? (inBrowser ? document.title : '');
      enqueue(
        {
          type: 'pageview',
          url,
          title: truncate(title, 300) || undefined,
          referrer: truncate(details.referrer ?? '', 2048) || undefined,
        },
        0,
      );
      emitter.emit('pageview', { url });
    },
    track(name: string, props?: Record<string, string | number | boolean | null>) {
      enqueue({ type: 'track', name, props });
    },
    identify(traits: Traits) {
      enqueue({ type: 'identify', traits }, 0);
    },
    /** Any behaviour event (the loader's tracker: engagement, click, form, exit intent). */
    record(input: EventInput, delayMs?: number) {
      enqueue(input, delayMs);
    },
    /** The visitor's (or the site's own) choice: `grant`/`deny` the purposes set to true (all when none are named). */
    consent(decisionName: 'grant' | 'deny', purposes?: Partial<ConsentState>, source: ConsentSource = 'api') {
      choose(applyDecision(decision ?? none, decisionName, purposes), source);
    },
    /** A whole state from the consent manager (mode `external`) or the prompt; stored and recorded when it changed. */
    decide(state: ConsentState, source: ConsentSource = 'external') {
      if (decision && decision.analytics === state.analytics && decision.marketing === state.marketing) return;
      choose({ analytics: state.analytics, marketing: state.marketing }, source);
    },
    /** The consent in force (GPC and DNT applied). */
    getConsent: (): ConsentState => ({ ...effective() }),
  };
  return core;
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
