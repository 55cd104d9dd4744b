// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBatch, CollectResponse } from '../protocol/collect.js';
import { applyDecision, initialDecision, restrict } from './consent.js';
import { watchExternalConsent, type ExternalConsentWindow } from './external-consent.js';
import {
  createCore,
  segmentsCookieMaxAgeS,
  storageKeys,
  visitorCookieMaxAgeS,
  type ConsentSettings,
  type CoreOptions,
  type SendResult,
} from './index.js';
import { writeCookie } from './storage.js';

const required: ConsentSettings = { mode: 'required', policyVersion: '1' };

function setup(options: Partial<CoreOptions> & { answers?: SendResult[]; settings?: ConsentSettings } = {}) {
  const sent: CollectBatch[] = [];
  const posted: unknown[] = [];
  const answers = options.answers ?? [];
  const core = createCore({
    site: 'demo',
    endpoint: 'https://beckon.test',
    signals: { gpc: false, dnt: false },
    batchDelayMs: 1000,
    transport: { send: async (_url, batch) => (sent.push(structuredClone(batch)), answers.shift() ?? 'ok') },
    fetch: (async (_url: string, init: RequestInit) => {
      posted.push(JSON.parse(String(init.body)));
      return new Response('{}');
    }) as typeof fetch,
    ...options,
  });
  core.configure(options.settings ?? required);
  return { core, sent, posted };
}

/** Every cookie write, as the browser received it (the attributes are not readable back). */
function cookieWrites() {
  const writes: string[] = [];
  let proto = Object.getPrototypeOf(document);
  while (!Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto);
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'cookie')!;
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => descriptor.get!.call(document),
    set: (value: string) => {
      writes.push(value);
      descriptor.set!.call(document, value);
    },
  });
  return writes;
}

const storedKeys = () => Object.keys(localStorage).concat(Object.keys(sessionStorage));
const clearCookies = () => {
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]!.trim();
    if (name) document.cookie = `${name}=;Max-Age=-1;Path=/`;
  }
};

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  sessionStorage.clear();
  clearCookies();
});
afterEach(() => {
  vi.useRealTimers();
  delete (document as { cookie?: string }).cookie; // back to the prototype's accessor
});

describe('the consent gate, mode required', () => {
  it('stores nothing and sends only anonymous pageviews, without ids or query, before a choice', async () => {
    const { core, sent } = setup();
    core.page({
      url: 'https://shop.test/pricing?gclid=x&email=a@b.c#top',
      referrer: 'https://mail.example/inbox/123?token=secret',
    });
    core.track('add-to-cart');
    core.identify({ email: 'ann@example.test' });
    core.record({ type: 'engagement', visibleMs: 1000, maxScroll: 50 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([
      {
        site: 'demo',
        anonymous: true,
        events: [
          expect.objectContaining({
            type: 'pageview',
            url: 'https://shop.test/pricing',
            referrer: 'https://mail.example',
          }),
        ],
      },
    ]);
    expect(sent[0]).not.toHaveProperty('visitorId');
    expect(storedKeys()).toEqual([]);
    expect(document.cookie).toBe('');
    expect(core.undecided()).toBe(true);
  });

  it('starts the identified stream on an analytics grant, keeping ids and visit for the next page', async () => {
    const { core, sent, posted } = setup();
    core.consent('grant', { analytics: true }, 'prompt');
    core.track('add-to-cart');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent[0]).toMatchObject({
      visitorId: core.visitorId,
      sessionId: core.sessionId,
      context: { visitCount: 1 },
      consent: { analytics: true, marketing: false },
    });
    expect(posted).toEqual([
      {
        site: 'demo',
        visitorId: core.visitorId,
        purposes: { analytics: true, marketing: false },
        policyVersion: '1',
        source: 'prompt',
      },
    ]);
    expect(document.cookie).toBe(''); // analytics stores locally; cookies are marketing's
    // Next page: same visitor and session, no prompt.
    const next = setup();
    expect(next.core.undecided()).toBe(false);
    expect(next.core.visitorId).toBe(core.visitorId);
    expect(next.core.sessionId).toBe(core.sessionId);
    // After 30 idle minutes: a new session, visit 2.
    vi.advanceTimersByTime(31 * 60 * 1000);
    const later = setup();
    later.core.track('back');
    await vi.advanceTimersByTimeAsync(1000);
    expect(later.sent[0]).toMatchObject({ visitorId: core.visitorId, context: { visitCount: 2 } });
    expect(later.sent[0]!.sessionId).not.toBe(core.sessionId);
  });

  it('sets bk_vid once on a marketing grant (Secure, SameSite=Lax, Path=/, 13 months) and never extends it', async () => {
    const writes = cookieWrites();
    const { core } = setup();
    core.consent('grant');
    expect(writes).toEqual([`bk_vid=${core.visitorId};Max-Age=${visitorCookieMaxAgeS};Path=/;SameSite=Lax`]);
    expect(visitorCookieMaxAgeS).toBeLessThanOrEqual(13 * 31 * 24 * 3600);
    // Later visits find the cookie and leave its expiry alone.
    vi.advanceTimersByTime(40 * 24 * 3600 * 1000);
    const again = setup();
    again.core.track('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toHaveLength(1);
    expect(again.core.visitorId).toBe(core.visitorId);
  });

  it('marks the cookies Secure on https pages', () => {
    const writes = cookieWrites();
    vi.stubGlobal('location', new URL('https://shop.test/pricing'));
    try {
      writeCookie('bk_seg', 'hot,pricing', segmentsCookieMaxAgeS);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(writes).toEqual([`bk_seg=hot,pricing;Max-Age=${segmentsCookieMaxAgeS};Path=/;SameSite=Lax;Secure`]);
  });

  it('writes bk_seg from the collect answer and reports audiences entered, only with marketing consent', async () => {
    const answer: CollectResponse = {
      stored: 1,
      duplicates: 0,
      segments: 'hot,pricing',
      audiences: [{ segment: 'hot', name: 'Hot', pixels: [{ kind: 'image', url: 'https://px.test/hot' }] }],
    };
    const { core } = setup({ answers: [answer, answer] });
    const entered: unknown[] = [];
    core.on('audiences', (audiences) => entered.push(audiences));
    core.consent('grant', { analytics: true });
    core.track('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.cookie).not.toContain('bk_seg'); // no marketing consent: answer ignored
    expect(entered).toEqual([]);
    core.consent('grant', { marketing: true });
    core.track('y');
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.cookie).toContain('bk_seg=hot,pricing'); // readable by the site's ad tags as is
    expect(entered).toEqual([answer.audiences]);
  });

  it('withdrawal deletes the cookies and stored ids at once and stops the stream', async () => {
    const { core, sent } = setup();
    core.consent('grant');
    core.track('before');
    await vi.advanceTimersByTimeAsync(1000);
    document.cookie = 'bk_seg=hot;Path=/';
    const visitorId = core.visitorId;
    core.track('queued');
    core.consent('deny');
    expect(document.cookie).toBe('');
    expect(localStorage.getItem(storageKeys('demo').visit)).toBeNull();
    // Only the choice itself stays, so we do not ask again.
    expect(storedKeys()).toEqual([storageKeys('demo').consent]);
    core.track('after');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.flatMap((batch) => batch.events.map((event) => event.type === 'track' && event.name))).toEqual([
      'before',
    ]);
    expect(core.visitorId).not.toBe(visitorId);
  });

  it('asks again when the stored choice was made under another policy version', () => {
    setup().core.consent('grant');
    expect(setup({ settings: { mode: 'required', policyVersion: '2' } }).core.undecided()).toBe(true);
  });
});

describe('privacy signals', () => {
  it('GPC never allows marketing: no bk_vid, no bk_seg, no audiences, whatever was granted', async () => {
    const answer: CollectResponse = {
      stored: 1,
      duplicates: 0,
      segments: 'hot',
      audiences: [{ segment: 'hot', name: 'Hot', pixels: [] }],
    };
    const { core } = setup({ signals: { gpc: true, dnt: false }, answers: [answer] });
    const entered: unknown[] = [];
    core.on('audiences', (audiences) => entered.push(audiences));
    core.consent('grant');
    expect(core.getConsent()).toEqual({ analytics: true, marketing: false });
    core.track('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.cookie).toBe('');
    expect(entered).toEqual([]);
  });

  it('Do Not Track denies both purposes only where the site honours it', () => {
    const dnt = { gpc: false, dnt: true };
    expect(restrict({ analytics: true, marketing: true }, dnt, { honourDnt: true })).toEqual({
      analytics: false,
      marketing: false,
    });
    expect(restrict({ analytics: true, marketing: true }, dnt, { honourDnt: false })).toEqual({
      analytics: true,
      marketing: true,
    });
  });

  it('implied mode grants analytics but not marketing; grant/deny touch only the purposes named', () => {
    expect(initialDecision({ mode: 'implied' }, undefined)).toEqual({ analytics: true, marketing: false });
    expect(initialDecision({ mode: 'external' }, undefined)).toBeUndefined();
    expect(initialDecision({ mode: 'required', policyVersion: '3' }, { a: true, m: false, v: '3' })).toEqual({
      analytics: true,
      marketing: false,
    });
    expect(applyDecision({ analytics: true, marketing: true }, 'deny', { marketing: true })).toEqual({
      analytics: true,
      marketing: false,
    });
    expect(applyDecision({ analytics: false, marketing: false }, 'grant')).toEqual({
      analytics: true,
      marketing: true,
    });
  });
});

describe('mode external', () => {
  it('follows an IAB TCF consent manager: purposes 1+8 for analytics, 1+3+4 for marketing', () => {
    let listener: ((data: object, success: boolean) => void) | undefined;
    const win: ExternalConsentWindow = {
      __tcfapi: (command, version, callback) =>
        command === 'addEventListener' && version === 2 && (listener = callback as never),
    };
    const states: unknown[] = [];
    watchExternalConsent(win, (state) => states.push(state));
    listener!({ eventStatus: 'cmpuishown', purpose: { consents: {} } }, true);
    listener!(
      { eventStatus: 'useractioncomplete', gdprApplies: true, purpose: { consents: { 1: true, 8: true } } },
      true,
    );
    listener!(
      {
        eventStatus: 'useractioncomplete',
        gdprApplies: true,
        purpose: { consents: { 1: true, 3: true, 4: true, 8: true } },
      },
      true,
    );
    listener!(
      {
        eventStatus: 'useractioncomplete',
        gdprApplies: true,
        purpose: { consents: { 1: true, 3: true, 4: true, 8: true } },
      },
      false,
    );
    expect(states).toEqual([
      { analytics: true, marketing: false },
      { analytics: true, marketing: true },
    ]);
  });

  it('follows Google Consent Mode commands already in dataLayer and pushed later', () => {
    const gtagArgs = (...args: unknown[]) => args;
    const win: ExternalConsentWindow = {
      dataLayer: [gtagArgs('consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied' })],
    };
    const states: unknown[] = [];
    const stop = watchExternalConsent(win, (state) => states.push(state));
    win.dataLayer!.push(gtagArgs('event', 'page_view'));
    win.dataLayer!.push(gtagArgs('consent', 'update', { analytics_storage: 'granted' }));
    win.dataLayer!.push(gtagArgs('consent', 'update', { ad_storage: 'granted' }));
    stop();
    win.dataLayer!.push(gtagArgs('consent', 'update', { ad_storage: 'denied' }));
    expect(states).toEqual([
      { analytics: false, marketing: false },
      { analytics: true, marketing: false },
      { analytics: true, marketing: true },
    ]);
  });

  it('records the manager\'s state once per change, from the source "external"', () => {
    const { core, posted } = setup({ settings: { mode: 'external', policyVersion: '1' } });
    core.decide({ analytics: true, marketing: false });
    core.decide({ analytics: true, marketing: false });
    expect(posted).toEqual([
      expect.objectContaining({ purposes: { analytics: true, marketing: false }, source: 'external' }),
    ]);
    expect(core.getConsent()).toEqual({ analytics: true, marketing: false });
  });
});

describe('retries', () => {
  it('backs off exponentially while the server is unavailable', async () => {
    const { core, sent } = setup({ settings: { mode: 'implied' }, answers: ['retry', 'retry', 'retry', 'ok'] });
    core.page({ url: 'https://shop.test/' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2); // after 2 s
    await vi.advanceTimersByTimeAsync(4000);
    expect(sent).toHaveLength(3); // after 4 more
    await vi.advanceTimersByTimeAsync(7999);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(4); // after 8 more
  });
});
