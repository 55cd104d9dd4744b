// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveAnswer, PublicTrigger } from '@beckon/sdk/protocol';
import { globMatches, startTriggers, typingQuietMs } from './triggers.js';

type Opened = { channel: string; options?: Record<string, unknown> };

function fakeCore(analytics = true) {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const emitter = {
    on: (event: string, handler: (payload: unknown) => void) =>
      void (handlers.get(event) ?? handlers.set(event, new Set()).get(event)!).add(handler),
    off: (event: string, handler: (payload: unknown) => void) => void handlers.get(event)?.delete(handler),
    emit: (event: string, payload: unknown) => handlers.get(event)?.forEach((handler) => handler(payload)),
  };
  const tracked: { name: string; props?: Record<string, unknown> }[] = [];
  const emitted: unknown[] = [];
  const core = {
    site: 'shop',
    visitorId: 'visitor_0001',
    on: emitter.on,
    off: emitter.off,
    emit: (event: string, payload: unknown) => {
      if (event === 'trigger') emitted.push(payload);
      emitter.emit(event, payload);
    },
    track: (name: string, props?: Record<string, unknown>) => void tracked.push({ name, props }),
    getConsent: () => ({ analytics, marketing: false }),
  };
  return { core, tracked, emitted };
}

const rule = (
  id: string,
  conditions: PublicTrigger['conditions'],
  overrides: Partial<PublicTrigger> = {},
): PublicTrigger => ({
  id,
  conditions,
  action: { kind: 'callback', message: 'Shall we call you?' },
  frequency: { kind: 'session' },
  ...overrides,
});

const started: { stop(): void }[] = [];
function engine(triggers: PublicTrigger[], { analytics = true } = {}) {
  const { core, tracked, emitted } = fakeCore(analytics);
  const opened: Opened[] = [];
  const fetches: { url: string; body: unknown }[] = [];
  const win = Object.create(window) as Window;
  // Invitation reports go through the window's fetch.
  (win as { fetch: unknown }).fetch = vi.fn(async (url: string, init: RequestInit) => {
    fetches.push({ url, body: JSON.parse(String(init.body)) });
    return new Response('{}');
  });
  const intervals: number[] = [];
  (win as { setInterval: unknown }).setInterval = (fn: () => void, ms: number) => {
    const id = window.setInterval(fn, ms) as unknown as number;
    intervals.push(id);
    return id;
  };
  const handle = startTriggers({
    core: core as never,
    config: { siteKey: 'shop', name: 'Shop', triggers },
    endpoint: 'https://beckon.example',
    open: (channel, options) => {
      opened.push({ channel, options });
      core.emit('open', { channel });
    },
    win,
  });
  started.push({ stop: () => intervals.forEach((id) => window.clearInterval(id)) });
  const type = () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
  const navigate = (path: string) => {
    history.pushState({}, '', path);
    core.emit('pageview', { url: location.href });
  };
  const close = () => core.emit('close', {});
  return {
    core,
    tracked,
    emitted,
    opened,
    fetches,
    handle: handle as (answer: LiveAnswer) => void,
    type,
    navigate,
    close,
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00Z') });
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState({}, '', '/');
});
afterEach(() => {
  started.splice(0).forEach((s) => s.stop());
  vi.useRealTimers();
});

describe('trigger engine', () => {
  it('fires "time on page ≥ N s" once the page has been visible that long, opening the action with its message', () => {
    const t = engine([rule('t1', { timeOnPage: 5 })]);
    vi.advanceTimersByTime(4000);
    expect(t.opened).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(t.opened).toEqual([{ channel: 'callback', options: { message: 'Shall we call you?', unasked: true } }]);
    expect(t.tracked).toEqual([{ name: 'trigger:shown', props: { trigger: 't1', action: 'callback' } }]);
    expect(t.emitted).toEqual([{ trigger: 't1', action: 'callback', state: 'shown' }]);
  });

  it('fires "scroll ≥ N %" when the visitor scrolls that far', () => {
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, get: () => 4000 });
    const t = engine([rule('s1', { scroll: 50 }, { action: { kind: 'chat', message: 'Need help choosing?' } })]);
    vi.advanceTimersByTime(2000);
    expect(t.opened).toEqual([]);
    Object.defineProperty(window, 'scrollY', { configurable: true, get: () => 3000 });
    window.dispatchEvent(new Event('scroll'));
    expect(t.opened).toEqual([{ channel: 'chat', options: { message: 'Need help choosing?', unasked: true } }]);
    Object.defineProperty(window, 'scrollY', { configurable: true, get: () => 0 });
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, get: () => 0 });
  });

  it('fires "exit intent" only where the URL pattern matches (same syntax as scoring rules)', () => {
    const t = engine([rule('e1', { exitIntent: true, url: '*pricing*' })]);
    t.core.emit('exit_intent', {});
    expect(t.opened).toEqual([]);
    t.navigate('/pricing.html');
    t.core.emit('exit_intent', {});
    expect(t.opened.map((o) => o.channel)).toEqual(['callback']);
    expect(globMatches('/products/*', '/products/espresso.html')).toBe(true);
    expect(globMatches('/products/*', '/pricing.html')).toBe(false);
  });

  it('fires "became hot" when an answer says the visitor is hot', () => {
    const t = engine([
      rule('h1', { hot: true }, { action: { kind: 'chat', message: 'Hi! Questions about pricing?' } }),
    ]);
    vi.advanceTimersByTime(3000);
    t.handle({});
    expect(t.opened).toEqual([]);
    t.handle({ hot: Date.now() - 1000 });
    expect(t.opened.map((o) => o.channel)).toEqual(['chat']);
  });

  it('checks the visit number and the UTM source from the stored visit (after consent), or the page URL', () => {
    localStorage.setItem('beckon:shop:visit', JSON.stringify({ n: 1, c: { utm: { source: 'newsletter' } } }));
    const first = engine([rule('v2', { visit: 2 })]);
    vi.advanceTimersByTime(2000);
    expect(first.opened).toEqual([]);
    localStorage.setItem('beckon:shop:visit', JSON.stringify({ n: 3, c: { utm: { source: 'Newsletter' } } }));
    const returning = engine([rule('v2b', { visit: 2, utmSource: 'newsletter' })]);
    vi.advanceTimersByTime(1000);
    expect(returning.opened.length).toBe(1);
    // Without consent nothing is read from storage: the current URL's utm_source counts, visit number is 1.
    history.replaceState({}, '', '/?utm_source=ads');
    const anonymous = engine([rule('u1', { utmSource: 'ads' }), rule('v3', { visit: 3 })], { analytics: false });
    vi.advanceTimersByTime(1000);
    expect(anonymous.tracked.map((x) => x.props?.trigger)).toEqual(['u1']);
  });

  it('never fires on top of an open panel; waits until it is closed', () => {
    const t = engine([rule('p1', { timeOnPage: 2 })]);
    t.core.emit('open', { channel: 'chat' });
    vi.advanceTimersByTime(10_000);
    expect(t.opened).toEqual([]);
    t.close();
    vi.advanceTimersByTime(1000);
    expect(t.opened.length).toBe(1);
  });

  it('never fires while the visitor types: it waits for a quiet moment, then checks again', () => {
    const t = engine([rule('k1', { timeOnPage: 2 })]);
    vi.advanceTimersByTime(1500);
    t.type();
    vi.advanceTimersByTime(1000); // 2.5 s on the page, but a key 1 s ago
    expect(t.opened).toEqual([]);
    vi.advanceTimersByTime(1000);
    t.type(); // still typing
    vi.advanceTimersByTime(typingQuietMs - 1000);
    expect(t.opened).toEqual([]);
    vi.advanceTimersByTime(1500); // the next check after three quiet seconds
    expect(t.opened.length).toBe(1);
  });

  it('fires at most one trigger per page view; the next page view may show another', () => {
    const t = engine([
      rule('a', { timeOnPage: 1 }),
      rule('b', { timeOnPage: 1 }, { action: { kind: 'feedback', message: '' } }),
    ]);
    vi.advanceTimersByTime(5000);
    expect(t.tracked.map((x) => x.props?.trigger)).toEqual(['a']);
    t.close();
    t.navigate('/next.html');
    vi.advanceTimersByTime(5000);
    expect(t.tracked.filter((x) => x.name === 'trigger:shown').map((x) => x.props?.trigger)).toEqual(['a', 'b']);
    expect(t.opened[1]).toEqual({ channel: 'feedback', options: { kind: 'nps', message: '', unasked: true } });
  });

  it('caps "once per session" across page views and page loads (sessionStorage, with consent)', () => {
    const t = engine([rule('once', { exitIntent: true })]);
    t.core.emit('exit_intent', {});
    t.close();
    t.core.emit('exit_intent', {});
    t.navigate('/other.html');
    t.core.emit('exit_intent', {});
    expect(t.opened.length).toBe(1);
    expect(JSON.parse(sessionStorage.getItem('beckon:shop:triggers')!)).toHaveProperty('once');
    const nextPage = engine([rule('once', { exitIntent: true })]);
    nextPage.core.emit('exit_intent', {});
    expect(nextPage.opened).toEqual([]);
  });

  it('before consent keeps caps in memory only: nothing is written to storage', () => {
    const t = engine([rule('once', { exitIntent: true })], { analytics: false });
    t.core.emit('exit_intent', {});
    t.close();
    t.navigate('/other.html');
    t.core.emit('exit_intent', {});
    expect(t.opened.length).toBe(1);
    expect(sessionStorage.length + localStorage.length).toBe(0);
  });

  it('caps "once per N days" in localStorage', () => {
    const weekly = [rule('w', { timeOnPage: 1 }, { frequency: { kind: 'days', days: 2 } })];
    const first = engine(weekly);
    vi.advanceTimersByTime(2000);
    expect(first.opened.length).toBe(1);
    sessionStorage.clear(); // a new browser session
    started.splice(0).forEach((s) => s.stop());
    vi.setSystemTime(Date.now() + 86_400_000);
    const nextDay = engine(weekly);
    vi.advanceTimersByTime(2000);
    expect(nextDay.opened).toEqual([]);
    started.splice(0).forEach((s) => s.stop()); // that page is gone
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    const later = engine(weekly);
    vi.advanceTimersByTime(2000);
    expect(later.opened.length).toBe(1);
  });

  it('tracks what the visitor did with a trigger: accepted (e.g. a callback request) or dismissed', () => {
    const t = engine([rule('x', { timeOnPage: 1 })]);
    vi.advanceTimersByTime(1000);
    t.core.emit('callback:requested', { id: 'c1' });
    t.close(); // after accepting, closing is not a dismissal
    expect(t.tracked.map((x) => x.name)).toEqual(['trigger:shown', 'trigger:accepted']);
    t.navigate('/b.html');
    const u = engine([rule('y', { timeOnPage: 1 })]);
    vi.advanceTimersByTime(1000);
    u.close();
    expect(u.tracked.map((x) => x.name)).toEqual(['trigger:shown', 'trigger:dismissed']);
  });

  it("shows an agent's invitation once (not while typing), reports it seen, and declined when closed", async () => {
    const t = engine([]);
    t.type();
    t.handle({ invite: { id: 'inv-1', agentName: 'Anna', message: 'Can I help?' } });
    expect(t.opened).toEqual([]);
    vi.advanceTimersByTime(typingQuietMs);
    expect(t.opened).toEqual([
      { channel: 'chat', options: { message: 'Can I help?', from: 'Anna', invitationId: 'inv-1', unasked: true } },
    ]);
    t.handle({ invite: { id: 'inv-1', agentName: 'Anna', message: 'Can I help?' } }); // repeated by the next answer
    vi.advanceTimersByTime(5000);
    expect(t.opened.length).toBe(1);
    t.close();
    expect(t.fetches).toEqual([
      {
        url: 'https://beckon.example/v1/invitations/inv-1',
        body: { site: 'shop', visitorId: 'visitor_0001', state: 'seen' },
      },
      {
        url: 'https://beckon.example/v1/invitations/inv-1',
        body: { site: 'shop', visitorId: 'visitor_0001', state: 'declined' },
      },
    ]);
    expect(t.emitted).toEqual([
      { invitation: 'inv-1', state: 'shown' },
      { invitation: 'inv-1', state: 'dismissed' },
    ]);
  });
});
