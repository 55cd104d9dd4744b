// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { host, startForTest, testConfig, win } from './test-helpers.js';

const inMode = (mode: PublicSiteConfig['consent']['mode'], promptEnabled = true): PublicSiteConfig => ({
  ...testConfig,
  consent: { ...testConfig.consent, mode, prompt: { ...testConfig.consent.prompt, enabled: promptEnabled } },
});

let stops: (() => void)[] = [];
const run = (...args: Parameters<typeof startForTest>) => {
  const started = startForTest(...args);
  stops.push(started.stop);
  return started;
};
const prompt = () => host()?.shadowRoot?.querySelector<HTMLElement>('.bk-consent') ?? null;
const button = (name: string) =>
  Array.from(prompt()?.querySelectorAll('button') ?? []).find((b) => b.textContent === name)!;

beforeEach(() => {
  delete win().Beckon;
  document.body.replaceChildren();
  history.replaceState(null, '', '/start?utm_source=mail');
  localStorage.clear();
  for (const name of ['bk_vid', 'bk_seg']) document.cookie = `${name}=;Max-Age=-1;Path=/`;
});
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
});

describe('the loader in mode required', () => {
  it('shows the prompt (lazily), sends only anonymous pageviews, and starts the stream on "Analytics only"', async () => {
    const { batches, importChunk } = run({ config: inMode('required') });
    await vi.waitFor(() => expect(prompt()).not.toBeNull());
    expect(importChunk).toHaveBeenCalledWith('https://beckon.example/widget/consent.js');
    expect(prompt()!.getAttribute('aria-labelledby')).toBe('bk-consent-title');
    win().Beckon!('track', 'add-to-cart');
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    expect(batches[0]).toEqual({
      site: 'demo',
      anonymous: true,
      events: [expect.objectContaining({ type: 'pageview', url: `${location.origin}/start` })],
    });
    expect(Object.keys(localStorage)).toEqual([]);
    expect(document.cookie).toBe('');

    button('Analytics only').click();
    expect(prompt()).toBeNull();
    // The stream starts on this page, with a pageview of its own.
    await vi.waitFor(() => expect(batches.some((batch) => batch.visitorId)).toBe(true));
    expect(batches.find((batch) => batch.visitorId)).toMatchObject({
      consent: { analytics: true, marketing: false },
      events: [{ type: 'pageview' }],
    });
    expect(document.cookie).toBe('');
  });

  it("takes the prompt away when the site's own banner decides through the API", async () => {
    const { batches } = run({ config: inMode('required') });
    await vi.waitFor(() => expect(prompt()).not.toBeNull());
    win().Beckon!('consent', 'deny');
    expect(prompt()).toBeNull();
    expect(JSON.parse(localStorage.getItem('beckon:demo:consent')!)).toEqual({ a: false, m: false, v: '1' });
    expect(batches.every((batch) => batch.anonymous)).toBe(true);
  });

  it('does not load the prompt when a choice is stored, nor when the site turned it off', async () => {
    localStorage.setItem('beckon:demo:consent', JSON.stringify({ a: false, m: false, v: '1' }));
    const first = run({ config: inMode('required') });
    await vi.waitFor(() => expect(host()).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(first.importChunk).not.toHaveBeenCalledWith('https://beckon.example/widget/consent.js');
    first.stop();
    stops = [];
    delete win().Beckon;
    document.body.replaceChildren();
    localStorage.clear();
    const second = run({ config: inMode('required', false) });
    await vi.waitFor(() => expect(host()).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.importChunk).not.toHaveBeenCalledWith('https://beckon.example/widget/consent.js');
  });

  it('"Accept all" sets bk_vid, and audiences in the collect answer fire their pixels through the lazy chunk', async () => {
    const gtag = vi.fn();
    (window as unknown as { gtag: unknown }).gtag = gtag;
    const answer = {
      stored: 1,
      duplicates: 0,
      segments: 'hot',
      audiences: [{ segment: 'hot', name: 'Hot', pixels: [{ kind: 'gtag' as const, event: 'beckon_hot' }] }],
    };
    const { importChunk } = run({ config: inMode('required'), answer });
    await vi.waitFor(() => expect(prompt()).not.toBeNull());
    button('Accept all').click();
    await vi.waitFor(() => expect(gtag).toHaveBeenCalledWith('event', 'beckon_hot', {}));
    expect(importChunk).toHaveBeenCalledWith('https://beckon.example/widget/pixels.js');
    expect(document.cookie).toMatch(/bk_vid=[\w-]{21}/);
    expect(document.cookie).toContain('bk_seg=hot');
    delete (window as unknown as { gtag?: unknown }).gtag;
  });
});

describe('the loader in mode external', () => {
  it('loads the consent-manager adapters and follows Google Consent Mode, never showing the prompt', async () => {
    const w = window as unknown as { dataLayer?: unknown[] };
    w.dataLayer = [];
    const { batches, importChunk } = run({ config: inMode('external') });
    await vi.waitFor(() => expect(importChunk).toHaveBeenCalledWith('https://beckon.example/widget/external.js'));
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    expect(batches[0]!.anonymous).toBe(true);
    w.dataLayer!.push(['consent', 'update', { analytics_storage: 'granted', ad_storage: 'denied' }]);
    await vi.waitFor(() => expect(batches.some((batch) => batch.visitorId)).toBe(true));
    expect(prompt()).toBeNull();
    delete w.dataLayer;
  });
});
