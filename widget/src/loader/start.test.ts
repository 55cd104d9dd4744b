// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { host, installStub, launcher, startForTest, testConfig, win } from './test-helpers.js';

let stops: (() => void)[] = [];
const run = (...args: Parameters<typeof startForTest>) => {
  const started = startForTest(...args);
  stops.push(started.stop);
  return started;
};

beforeEach(() => {
  delete win().Beckon;
  document.body.replaceChildren();
  history.replaceState(null, '', '/start');
  localStorage.clear();
});

afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  vi.restoreAllMocks();
});

describe('command queue', () => {
  it('replays calls made before the loader, in order, then dispatches new calls directly', async () => {
    installStub();
    const beckon = win().Beckon!;
    beckon('identify', { email: 'ada@example.com', name: 'Ada' });
    beckon('track', 'added-to-cart', { sku: 'mug-01', price: 18 });
    const { events } = run();

    expect(win().Beckon).not.toBe(beckon);
    expect(win().Beckon?.loaded).toBe(true);
    win().Beckon!('track', 'checkout');

    await vi.waitFor(() => expect(events().map((event) => event.type)).toContain('pageview'));
    await vi.waitFor(() => expect(events()).toHaveLength(4));
    const tracked = events().filter((event) => event.type === 'track');
    expect(tracked.map((event) => event.type === 'track' && event.name)).toEqual(['added-to-cart', 'checkout']);
    expect(events().find((event) => event.type === 'identify')).toMatchObject({
      traits: { email: 'ada@example.com', name: 'Ada' },
    });
  });

  it('applies a queued consent decision before the first pageview', async () => {
    installStub();
    win().Beckon!('consent', 'deny');
    const { transport } = run();
    win().Beckon!('track', 'ignored');
    await Promise.resolve();
    expect(transport.send).not.toHaveBeenCalled();
  });

  it('skips unknown commands and bad arguments without throwing, and logs only with debug', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    installStub();
    const queued = win().Beckon!;
    queued('explode');
    queued('track');
    queued('track', '', {});
    queued('track', 'ok-name', { nested: { no: true } });
    queued('identify', 'not an object');
    queued('identify', { email: 'not-an-email' });
    queued('consent', 'maybe');
    queued('open', 'fax');
    queued('on', 'ready', 'not a function');
    queued();
    const { events } = run();
    const beckon = win().Beckon!;
    expect(() => beckon(Symbol('odd'))).not.toThrow();
    expect(() => beckon('track', 'name', { n: Number.NaN })).not.toThrow();
    expect(() =>
      beckon('on', 'pageview', () => {
        throw new Error('a listener that throws');
      }),
    ).not.toThrow();
    beckon('page');

    await vi.waitFor(() => expect(events().length).toBeGreaterThanOrEqual(2));
    expect(events().every((event) => event.type === 'pageview')).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs skipped calls with a [beckon] prefix when debug is on', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    run({ debug: true });
    win().Beckon!('explode');
    win().Beckon!('track', 42);
    expect(warn).toHaveBeenCalledWith('[beckon]', 'unknown command:', 'explode');
    expect(warn.mock.calls.some((call) => call[0] === '[beckon]' && String(call[1]).includes('bad arguments'))).toBe(
      true,
    );
  });

  it('leaves a second copy of the loader inert', () => {
    run();
    const first = win().Beckon;
    const second = run();
    expect(win().Beckon).toBe(first);
    expect(second.fetchConfig).not.toHaveBeenCalled();
  });

  it('calls on/off handlers for widget events', async () => {
    const { events } = run();
    const seen: string[] = [];
    const onPageview = ({ url }: { url: string }) => seen.push(url);
    win().Beckon!('on', 'pageview', onPageview);
    history.pushState(null, '', '/one');
    await vi.waitFor(() => expect(seen).toEqual([`${location.origin}/one`]));
    win().Beckon!('off', 'pageview', onPageview);
    history.pushState(null, '', '/two');
    // Once the /two pageview went out (engagements of the views left may come before or after it):
    await vi.waitFor(() =>
      expect(events().some((event) => event.type === 'pageview' && event.url.endsWith('/two'))).toBe(true),
    );
    expect(seen).toEqual([`${location.origin}/one`]);
  });
});

describe('pageviews', () => {
  it('records one at start with the referrer, and one per SPA navigation', async () => {
    const { events } = run();
    history.pushState(null, '', '/catalogue');
    history.replaceState(null, '', '/catalogue'); // same URL: not a new page
    history.pushState(null, '', '/product?id=2');
    location.hash = '#reviews';
    const pageviews = () => events().filter((event) => event.type === 'pageview');
    await vi.waitFor(() => expect(pageviews().length).toBe(4));
    expect(pageviews().map((event) => event.url)).toEqual([
      `${location.origin}/start`,
      `${location.origin}/catalogue`,
      `${location.origin}/product?id=2`,
      `${location.origin}/product?id=2#reviews`,
    ]);
    // Each page view left ends with its engagement (visible time, scroll depth), for the page it was about —
    // also those left before the tracker arrived with the shell chunk (the loader kept the navigations for it).
    const engagement = () => events().filter((event) => event.type === 'engagement');
    await vi.waitFor(() =>
      expect(engagement().map((event) => event.url)).toEqual(
        pageviews()
          .slice(0, 3)
          .map((event) => event.url),
      ),
    );
  });

  it('keeps what the visitor does before the tracker arrives with the shell chunk, and hands it over in order', async () => {
    let release!: () => void;
    const shellHeld = new Promise<void>((resolve) => (release = resolve));
    const { events } = run({
      importChunk: async (url: string) => {
        if (!url.endsWith('/widget/shell.js')) throw new Error(`unexpected chunk ${url}`);
        await shellHeld;
        return import('./lazy/shell.js');
      },
    });
    document.body.innerHTML =
      '<button data-beckon-track="early-click">Add</button><form name="early-form"><input id="field" /></form>';
    document.querySelector('button')!.click();
    document.getElementById('field')!.dispatchEvent(new Event('input', { bubbles: true }));
    history.pushState(null, '', '/after-the-click');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const kinds = () => events().map((event) => event.type);
    expect(kinds()).not.toContain('track'); // no tracker yet: kept, not lost
    release();
    await vi.waitFor(() => expect(kinds()).toEqual(expect.arrayContaining(['track', 'form', 'engagement'])));
    expect(events().find((event) => event.type === 'track')).toMatchObject({ name: 'early-click' });
    expect(events().find((event) => event.type === 'form')).toMatchObject({ action: 'start', form: 'early-form' });
    // The page view left before the tracker came still ends with its engagement, for the page it was about.
    expect(events().find((event) => event.type === 'engagement')).toMatchObject({ url: `${location.origin}/start` });
  });

  it('sends the engagement of a page view that ends before the shell arrives, once, and the tracker takes the next one', async () => {
    let release!: () => void;
    const shellHeld = new Promise<void>((resolve) => (release = resolve));
    const { events, transport } = run({
      importChunk: async (url: string) => {
        if (!url.endsWith('/widget/shell.js')) throw new Error(`unexpected chunk ${url}`);
        await shellHeld;
        return import('./lazy/shell.js');
      },
    });
    let visibility: DocumentVisibilityState = 'visible';
    const visibilityState = vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    const show = (state: DocumentVisibilityState) => {
      visibility = state;
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    };
    const engagement = () => events().filter((event) => event.type === 'engagement');
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The visitor leaves (the page is hidden first) while the shell and its tracker are still on their way:
    // the loader sends the engagement itself, by beacon.
    show('hidden');
    await vi.waitFor(() => expect(engagement()).toHaveLength(1));
    expect(engagement()[0]).toMatchObject({ url: `${location.origin}/start`, maxScroll: 100 });
    expect((engagement()[0] as { visibleMs: number }).visibleMs).toBeGreaterThanOrEqual(25);
    expect(transport.send).toHaveBeenCalledWith(expect.any(String), expect.anything(), { beacon: true });
    show('visible');
    show('hidden'); // a second hide of the same page view sends nothing more
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(engagement()).toHaveLength(1);

    // Back on the page, a SPA navigation starts a new page view; then the tracker arrives.
    show('visible');
    history.pushState(null, '', '/next');
    release();
    await vi.waitFor(() => expect(events().filter((event) => event.type === 'pageview')).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(engagement()).toHaveLength(1); // the tracker does not send /start's again
    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(engagement()).toHaveLength(2));
    expect(engagement()[1]).toMatchObject({ url: `${location.origin}/next` });
    visibilityState.mockRestore();
  });

  it('hands queued events to the beacon when the page is hidden', async () => {
    const { transport, events } = run();
    // Before the site config nothing may leave (the consent mode is unknown); after it, the beacon.
    await vi.waitFor(() => expect(events()).toHaveLength(1));
    win().Beckon!('track', 'slow');
    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() =>
      expect(transport.send).toHaveBeenCalledWith(expect.any(String), expect.anything(), { beacon: true }),
    );
  });

  it('tracks clicks on elements marked data-beckon-track', async () => {
    const { events } = run();
    document.body.innerHTML =
      '<button data-beckon-track="add-to-cart" data-beckon-prop-sku="mug-01"><span id="inner">Add</span></button>';
    document.getElementById('inner')!.click();
    await vi.waitFor(() => expect(events().some((event) => event.type === 'track')).toBe(true));
    expect(events().find((event) => event.type === 'track')).toMatchObject({
      name: 'add-to-cart',
      props: { sku: 'mug-01' },
    });
  });

  it('cuts long track names, props, form names, titles and links to the protocol limits without splitting an emoji', async () => {
    const { events } = run();
    const emoji = '\u{1F600}'; // two UTF-16 units
    // An emoji straddling, ending at, and starting past each limit.
    const around = (limit: number) =>
      [limit - 3, limit - 2, limit - 1, limit, limit + 1].map((before) => 'a'.repeat(before) + emoji + 'b'.repeat(3));
    const sent: { limit: number; original: string; cut: () => string | undefined }[] = [];
    const tracks = () => events().filter((event) => event.type === 'track');
    const forms = () => events().filter((event) => event.type === 'form');
    const clicks = () => events().filter((event) => event.type === 'click');
    for (const [i, name] of around(100).entries()) {
      const prop = around(500)[i]!;
      const button = document.createElement('button');
      button.setAttribute('data-beckon-track', name);
      button.setAttribute('data-beckon-prop-note', prop);
      document.body.replaceChildren(button);
      button.click();
      const index = i;
      sent.push({ limit: 100, original: name, cut: () => tracks()[index]?.name });
      sent.push({ limit: 500, original: prop, cut: () => tracks()[index]?.props?.note as string | undefined });

      const form = document.createElement('form');
      form.setAttribute('data-beckon-form', name);
      const input = document.createElement('input');
      form.append(input);
      document.body.replaceChildren(form);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      sent.push({ limit: 100, original: name, cut: () => forms()[index]?.form });

      const link = document.createElement('a');
      link.href = `https://elsewhere.example/${around(2048)[i]!.slice(40)}`;
      link.addEventListener('click', (event) => event.preventDefault());
      document.body.replaceChildren(link);
      link.click();
      sent.push({ limit: 2048, original: link.href, cut: () => clicks()[index]?.href });
    }
    await vi.waitFor(() => expect(events().filter((event) => event.type === 'pageview')).toHaveLength(1));
    const titles = () =>
      events()
        .filter((event) => event.type === 'pageview')
        .slice(1);
    for (const [i, title] of around(300).entries()) {
      document.title = title;
      win().Beckon!('page');
      sent.push({ limit: 300, original: title, cut: () => titles()[i]?.title });
    }
    await vi.waitFor(() => expect(clicks()).toHaveLength(5));
    await vi.waitFor(() => expect(titles()).toHaveLength(5));
    for (const { limit, original, cut } of sent) {
      const value = cut()!;
      expect(value.length).toBeLessThanOrEqual(limit);
      // Whole code points only: no lone half of a surrogate pair left at the end.
      expect(value).not.toMatch(/\p{Cs}/u);
      expect(original.startsWith(value)).toBe(true);
      // Only what does not fit goes: at most the emoji's first half beyond the limit.
      expect(value.length).toBeGreaterThanOrEqual(Math.min(original.length, limit - 1));
    }
  });
});

describe('launcher', () => {
  it('renders inside a shadow root on a custom element, with all styles inside it', async () => {
    const headStyles = document.head.querySelectorAll('style').length;
    const { fetchConfig } = run();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    expect(fetchConfig).toHaveBeenCalledWith('https://beckon.example/v1/sites/demo/config', { credentials: 'omit' });

    const element = host()!;
    expect(element.parentElement).toBe(document.body);
    for (const [property, value] of [
      ['position', 'fixed'],
      ['z-index', '2147483647'],
      ['display', 'block'],
    ] as const) {
      expect(element.style.getPropertyValue(property)).toBe(value);
      expect(element.style.getPropertyPriority(property)).toBe('important');
    }
    // Page selectors for `div` and `button` cannot match anything of ours.
    expect(document.querySelectorAll('button, div')).toHaveLength(0);
    expect(document.head.querySelectorAll('style')).toHaveLength(headStyles);
    const root = element.shadowRoot!;
    const css = [
      ...root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)),
      ...[...root.querySelectorAll('style')].map((style) => style.textContent),
    ].join('\n');
    expect(css).toContain(':host');
    expect(css).toContain('.bk-launcher');
    expect(launcher()!.textContent).toBe(testConfig.widget.launcherLabel);
    expect(launcher()!.getAttribute('aria-expanded')).toBe('false');
  });

  it('takes colour and side from the site config', async () => {
    const config = structuredClone(testConfig);
    config.widget.color = '#facc15';
    config.widget.position = 'bottom-left';
    run({
      fetch: (async () => new Response(JSON.stringify(config))) as unknown as typeof fetch,
    });
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    const layer = host()!.shadowRoot!.querySelector<HTMLElement>('.bk-layer')!;
    expect(layer.getAttribute('data-position')).toBe('left');
    expect(layer.style.getPropertyValue('--bk-accent')).toBe('#facc15');
    // Yellow needs dark text to be readable.
    expect(layer.style.getPropertyValue('--bk-on-accent')).toBe('#111827');
  });

  it('prints the server’s reason once, even without data-debug, when the site refuses this page’s origin', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reason = 'The origin https://x.example is not allowed for this site; add it under Install → Allowed origins';
    run({
      fetch: (async () =>
        new Response(JSON.stringify({ error: { code: 'origin_not_allowed', message: reason } }), {
          status: 403,
        })) as unknown as typeof fetch,
    });
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warn.mock.calls).toEqual([['[beckon]', reason]]);
    expect(host()).toBeNull();
  });

  it.each([404, 500])('renders nothing and stays quiet when the config answers %i', async (status) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { fetchConfig } = run({ configStatus: status });
    await vi.waitFor(() => expect(fetchConfig).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(host()).toBeNull();
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(() => win().Beckon!('open', 'chat')).not.toThrow();
  });

  it('stays hidden when the network fails', async () => {
    run({ fetch: (async () => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(host()).toBeNull();
  });

  it('loads the UI on click, mounts it once, and toggles the panel', async () => {
    const { importUi, uiModule, ui } = run();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    const opened: unknown[] = [];
    win().Beckon!('on', 'open', (payload: unknown) => opened.push(payload));
    win().Beckon!('on', 'close', (payload: unknown) => opened.push(payload));

    launcher()!.dispatchEvent(new Event('pointerenter'));
    expect(importUi).toHaveBeenCalledWith('https://beckon.example/widget/ui-test.js');
    launcher()!.click();
    await vi.waitFor(() => expect(ui.open).toHaveBeenCalledTimes(1));
    expect(uiModule.mount).toHaveBeenCalledTimes(1);
    expect(launcher()!.getAttribute('aria-expanded')).toBe('true');

    launcher()!.click();
    expect(ui.close).toHaveBeenCalledTimes(1);
    expect(launcher()!.getAttribute('aria-expanded')).toBe('false');

    win().Beckon!('open', 'callback');
    await vi.waitFor(() => expect(ui.open).toHaveBeenLastCalledWith('callback', undefined));
    expect(uiModule.mount).toHaveBeenCalledTimes(1);
    expect(importUi).toHaveBeenCalledTimes(1);
    expect(opened).toEqual([{ channel: undefined }, {}, { channel: 'callback' }]);
  });

  it('asks for the config in the language Beckon("language") names: queued before the loader, and at run time', async () => {
    const inLanguage = (language: 'lv' | 'hy', label: string) => {
      const config = structuredClone(testConfig);
      config.widget.language = language;
      config.widget.launcherLabel = label;
      return config;
    };
    installStub();
    win().Beckon!('language', 'lv-LV');
    const { fetchConfig, ui } = run({ config: inLanguage('lv', 'Raksti mums') });
    await vi.waitFor(() => expect(launcher()?.textContent).toBe('Raksti mums'));
    expect(fetchConfig).toHaveBeenCalledWith('https://beckon.example/v1/sites/demo/config?lang=lv-LV', {
      credentials: 'omit',
    });
    const layer = host()!.shadowRoot!.querySelector<HTMLElement>('.bk-layer')!;
    expect(layer.lang).toBe('lv');

    launcher()!.click();
    await vi.waitFor(() => expect(ui.open).toHaveBeenCalled());
    // The launcher's shell asks again (the server localizes); the launcher and the open panel follow.
    const again = vi.fn(
      async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(inLanguage('hy', 'Գրեք մեզ'))),
    );
    vi.stubGlobal('fetch', again);
    try {
      win().Beckon!('language', 'hy');
      await vi.waitFor(() => expect(launcher()!.textContent).toBe('Գրեք մեզ'));
      expect(again.mock.calls[0]![0]).toBe('https://beckon.example/v1/sites/demo/config?lang=hy');
      expect(layer.lang).toBe('hy');
      expect(ui.update).toHaveBeenCalledWith(
        expect.objectContaining({ widget: expect.objectContaining({ language: 'hy' }) }),
      );
      // Offline: the widget keeps its language and the page hears nothing.
      again.mockRejectedValueOnce(new TypeError('offline'));
      win().Beckon!('language', 'lv');
      await vi.waitFor(() => expect(again).toHaveBeenCalledTimes(2));
      expect(launcher()!.textContent).toBe('Գրեք մեզ');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('opens after the config arrives when Beckon("open") was queued', async () => {
    installStub();
    win().Beckon!('open', 'feedback', { kind: 'csat' });
    const { ui } = run();
    await vi.waitFor(() => expect(ui.open).toHaveBeenCalledWith('feedback', { kind: 'csat' }));
  });

  it('skips Beckon("open") with options that are not an object', async () => {
    installStub();
    const { ui } = run();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    win().Beckon!('open', 'feedback', 'csat');
    win().Beckon!('open', 'feedback', { kind: 'nps' });
    await vi.waitFor(() => expect(ui.open).toHaveBeenCalledTimes(1));
    expect(ui.open).toHaveBeenCalledWith('feedback', { kind: 'nps' });
  });

  it('retries the UI download after a failure', async () => {
    const importUi = vi.fn().mockRejectedValueOnce(new TypeError('offline'));
    const ui = { open: vi.fn(), close: vi.fn() };
    importUi.mockResolvedValue({ mount: () => ui });
    run({ importUi });
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    launcher()!.click();
    await vi.waitFor(() => expect(importUi).toHaveBeenCalledTimes(1));
    launcher()!.click();
    await vi.waitFor(() => expect(ui.open).toHaveBeenCalledTimes(1));
  });

  it('comes back when a SPA replaces the body', async () => {
    run();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    document.body.replaceChildren();
    expect(host()).toBeNull();
    history.pushState(null, '', '/elsewhere');
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
  });
});

describe('ongoing chat', () => {
  afterEach(() => localStorage.clear());

  it('reads the chat client’s storage key (and only reads it)', async () => {
    const { chatStorageKey } = await import('@beckon/sdk/chat');
    expect(chatStorageKey('demo')).toBe('beckon:demo:chat');
    const { hasOngoingChat } = await import('../shared/chat-storage.js');
    expect(hasOngoingChat('demo')).toBe(false);
    localStorage.setItem('beckon:demo:chat', JSON.stringify({ v: 1, token: 't'.repeat(30), open: false }));
    expect(hasOngoingChat('demo')).toBe(false);
    localStorage.setItem(
      'beckon:demo:chat',
      JSON.stringify({ v: 1, token: 't'.repeat(30), outbox: [{ clientId: 'x' }] }),
    );
    expect(hasOngoingChat('demo')).toBe(true);
    localStorage.setItem('beckon:demo:chat', '{not json');
    expect(hasOngoingChat('demo')).toBe(false);
  });

  it('loads nothing for a visitor who never chatted, and resumes an open conversation after a page load', async () => {
    const quiet = run();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(quiet.importUi).not.toHaveBeenCalled();
    quiet.stop();
    document.body.replaceChildren();
    delete win().Beckon;

    localStorage.setItem(
      'beckon:demo:chat',
      JSON.stringify({ v: 1, token: 't'.repeat(30), conversationId: 'c', open: true }),
    );
    const resume = vi.fn();
    const ui = { open: vi.fn(), close: vi.fn(), resume };
    const { uiModule } = run({ importUi: async () => ({ mount: vi.fn(() => ui) }) });
    await vi.waitFor(() => expect(resume).toHaveBeenCalledTimes(1));
    expect(ui.open).not.toHaveBeenCalled();
    expect(uiModule.mount).not.toHaveBeenCalled(); // the overriding importUi mounted its own
  });

  it('shows the unread count the UI reports on the launcher, for eyes and screen readers', async () => {
    let context: import('../shared/contract.js').UiContext | undefined;
    run({ importUi: async () => ({ mount: (_root, ctx) => ((context = ctx), { open: vi.fn(), close: vi.fn() }) }) });
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    launcher()!.click();
    await vi.waitFor(() => expect(context).toBeDefined());
    context!.badge(3, 'New messages: 3');
    const badge = launcher()!.querySelector('.bk-badge')!;
    expect(badge.textContent).toBe('3New messages: 3');
    expect(badge.firstElementChild!.getAttribute('aria-hidden')).toBe('true');
    expect(launcher()!.querySelector('.bk-label')!.textContent).toBe('Chat with us');
    context!.badge(0, 'New messages: 0');
    expect(badge.childElementCount).toBe(0);
  });
});
