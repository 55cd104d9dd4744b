// @vitest-environment happy-dom
import type { Core } from '@beckon/sdk/core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { host, launcher, startForTest, testConfig, win } from '../loader/test-helpers.js';
import type { UiContext, UiModule } from '../shared/contract.js';
import { buildShell } from '../shared/launcher.js';
import { mount } from './index.js';
import { WidgetPreview } from './preview.js';

// Opening the chat view connects: here to a fake socket that never answers.
vi.mock('@beckon/sdk/chat', async (importOriginal) => {
  const real = await importOriginal<typeof import('@beckon/sdk/chat')>();
  const { FakeSocket } = await import('./chat/test-socket.js');
  return {
    ...real,
    createChatClient: (options: Parameters<typeof real.createChatClient>[0]) =>
      real.createChatClient({ ...options, storage: null, io: (_url, ioOptions) => new FakeSocket(ioOptions) }),
  };
});

function setup(widget = testConfig.widget) {
  const element = document.createElement('beckon-widget');
  document.body.append(element);
  const root = element.attachShadow({ mode: 'open' });
  const shell = buildShell(root, widget);
  const core = { track: vi.fn() } as unknown as Core;
  const context: UiContext = {
    config: { ...testConfig, widget },
    core,
    endpoint: 'https://beckon.example',
    layer: shell.layer,
    open: vi.fn(),
    close: vi.fn(),
    emit: vi.fn(),
    log: vi.fn(),
    badge: vi.fn(),
  };
  const handle = mount(root, context);
  const panel = () => root.querySelector<HTMLElement>('.bk-panel');
  const entry = (channel: string) => root.querySelector<HTMLButtonElement>(`[data-channel="${channel}"]`)!;
  return { root, shell, context, handle, panel, entry, core };
}

const key = (target: Element, init: KeyboardEventInit) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }));

beforeEach(() => document.body.replaceChildren());

describe('language', () => {
  it('follows a new config from Beckon("language"): the site texts, the close label and the chat words', async () => {
    const { handle, panel, root, entry } = setup();
    handle.open();
    expect(panel()!.querySelector('.bk-close')!.getAttribute('aria-label')).toBe('Close');
    const latvian = structuredClone(testConfig);
    latvian.widget.language = 'lv';
    latvian.widget.texts = { ...latvian.widget.texts, title: 'Sveiki', chat: 'Sākt tērzēšanu' };
    act(() => handle.update!(latvian));
    expect(panel()!.textContent).toContain('Sveiki');
    expect(panel()!.querySelector('.bk-close')!.getAttribute('aria-label')).toBe('Aizvērt');
    act(() => entry('chat').click());
    // The chat's words come in Latvian from their own chunk.
    // (The fake socket never answers: the view says it is connecting.)
    await vi.waitFor(() => expect(root.querySelector('.bk-spin')?.getAttribute('aria-label')).toBe('Savieno…'));
    const armenian = structuredClone(latvian);
    armenian.widget.language = 'hy';
    act(() => handle.update!(armenian));
    await vi.waitFor(() => expect(root.querySelector('.bk-spin')?.getAttribute('aria-label')).toBe('Միացում…'));
  });
});

describe('panel', () => {
  it('is a labelled modal dialog showing the site texts as text only', () => {
    const widget = structuredClone(testConfig.widget);
    widget.texts.title = '<img src=x onerror=alert(1)>Welcome';
    const { handle, panel, root } = setup(widget);
    expect(panel()).toBeNull();
    handle.open();
    const dialog = panel()!;
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const title = root.getElementById(dialog.getAttribute('aria-labelledby')!)!;
    expect(title.textContent).toBe('<img src=x onerror=alert(1)>Welcome');
    expect(root.querySelector('img')).toBeNull();
    expect(dialog.textContent).toContain(widget.texts.greeting);
    expect([...root.querySelectorAll('.bk-entry')].map((button) => button.textContent)).toEqual([
      'Start a chat',
      'Call me back',
      'Leave feedback',
    ]);
    expect(root.querySelector('.bk-close')!.getAttribute('aria-label')).toBe('Close');
  });

  it('moves focus onto the first entry, and back onto the channel a form came from', async () => {
    const { handle, root, entry } = setup();
    handle.open();
    expect(root.activeElement).toBe(entry('chat'));
    handle.open('feedback');
    await vi.waitFor(() => expect(root.querySelector('.bk-tabs')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('.bk-chead .bk-ib')!.click(); // back
    expect(root.activeElement).toBe(entry('feedback'));
  });

  it('opens the feedback form of the kind asked for (Beckon("open", "feedback", { kind }))', async () => {
    const { handle, root } = setup();
    handle.open('feedback', { kind: 'csat' });
    await vi.waitFor(() => expect(root.querySelector('legend')?.textContent).toBe(testConfig.feedback.csatQuestion));
    expect(root.querySelectorAll('.bk-score')).toHaveLength(5);
    expect(root.activeElement?.textContent).toBe('Rate us');
    // An unknown kind falls back to the site's default (NPS).
    handle.open('feedback', { kind: 'poll' });
    await vi.waitFor(() => expect(root.querySelectorAll('.bk-score')).toHaveLength(11));
  });

  it('opens with a config cached from before feedback settings existed', async () => {
    const element = document.createElement('beckon-widget');
    document.body.append(element);
    const root = element.attachShadow({ mode: 'open' });
    const shell = buildShell(root, testConfig.widget);
    const { feedback: _feedback, callbackEnabled: _callbackEnabled, ...older } = testConfig;
    const handle = mount(root, {
      config: older as typeof testConfig,
      core: { track: vi.fn() } as unknown as Core,
      endpoint: 'https://beckon.example',
      layer: shell.layer,
      open: vi.fn(),
      close: vi.fn(),
      emit: vi.fn(),
      log: vi.fn(),
      badge: vi.fn(),
    });
    handle.open();
    expect(root.querySelectorAll('.bk-entry')).toHaveLength(3);
    handle.open('feedback');
    await vi.waitFor(() => expect(root.querySelectorAll('.bk-score')).toHaveLength(11));
  });

  it("speaks the site's language in the forms", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise(() => {})),
    );
    try {
      const { handle, root } = setup({ ...testConfig.widget, language: 'de' });
      handle.open('feedback', { kind: 'nps' });
      await vi.waitFor(() => expect(root.querySelector('.bk-btn')?.textContent).toBe('Feedback senden'));
      expect([...root.querySelectorAll('.bk-tab')].map((tab) => tab.textContent)).toEqual([
        'Empfehlen',
        'Bewerten',
        'Nachricht',
      ]);
      expect(root.querySelector('.bk-chead .bk-ib')!.getAttribute('aria-label')).toBe('Zurück');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('reports the chosen channel as an intent and opens its form', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise(() => {})),
    );
    try {
      const { handle, entry, context, core, panel, root } = setup();
      handle.open();
      entry('callback').click();
      expect(context.emit).toHaveBeenCalledWith('intent', { channel: 'callback' });
      expect(core.track).toHaveBeenCalledWith('widget:callback');
      expect(panel()).not.toBeNull();
      await vi.waitFor(() => expect(root.querySelector('#bk-cb-title')?.textContent).toBe('Call me back'));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks the loader to close on Escape and on the close button', () => {
    const { handle, root, context } = setup();
    handle.open();
    key(root.activeElement!, { key: 'Escape' });
    expect(context.close).toHaveBeenCalledTimes(1);
    root.querySelector<HTMLButtonElement>('.bk-close')!.click();
    expect(context.close).toHaveBeenCalledTimes(2);
    handle.close();
    expect(root.querySelector('.bk-panel')).toBeNull();
  });

  it('keeps Tab inside the dialog', () => {
    const { handle, root, entry } = setup();
    handle.open();
    const close = root.querySelector<HTMLButtonElement>('.bk-close')!;
    close.focus();
    key(close, { key: 'Tab', shiftKey: true });
    expect(root.activeElement).toBe(entry('feedback'));
    key(entry('feedback'), { key: 'Tab' });
    expect(root.activeElement).toBe(close);
  });
});

describe('loader with the real UI', () => {
  afterEach(() => delete win().Beckon);

  it('opens the panel in the launcher’s shadow root and gives focus back on close', async () => {
    const { stop } = startForTest({ importUi: async () => ({ mount }) satisfies UiModule });
    try {
      await vi.waitFor(() => expect(launcher()).not.toBeNull());
      const root = host()!.shadowRoot!;
      const intents: unknown[] = [];
      win().Beckon!('on', 'intent', (payload: unknown) => intents.push(payload));

      launcher()!.focus();
      launcher()!.click();
      await vi.waitFor(() => expect(root.querySelector('.bk-panel')).not.toBeNull());
      expect(root.activeElement).toBe(root.querySelector('[data-channel="chat"]'));
      root.querySelector<HTMLButtonElement>('[data-channel="chat"]')!.click();
      expect(intents).toEqual([{ channel: 'chat' }]);

      key(root.activeElement!, { key: 'Escape' });
      expect(root.querySelector('.bk-panel')).toBeNull();
      expect(root.activeElement).toBe(launcher());
      expect(launcher()!.getAttribute('aria-expanded')).toBe('false');
    } finally {
      stop();
    }
  });
});

describe('a "call me now" countdown on the next page', () => {
  afterEach(() => {
    delete win().Beckon;
    sessionStorage.clear();
    vi.unstubAllGlobals();
  });

  it('shows as a bubble above the launcher without a click, and a tap opens the callback view', async () => {
    const requestedAt = new Date().toISOString();
    const pending = {
      id: 'cb-7',
      status: 'pending',
      mode: 'now',
      requestedAt,
      countdownEndsAt: new Date(Date.now() + 25_000).toISOString(),
      agentName: null,
    };
    // As the callback form stored it on the page before.
    sessionStorage.setItem(
      'beckon:demo:callback',
      JSON.stringify({ id: 'cb-7', token: 't'.repeat(43), endsAt: Date.now() + 25_000, savedAt: Date.now() }),
    );
    const status = vi.fn(
      async () =>
        new Response(JSON.stringify({ callback: pending }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', status);
    const { stop } = startForTest({ importUi: async () => ({ mount }) satisfies UiModule });
    try {
      await vi.waitFor(() => expect(launcher()).not.toBeNull());
      const root = host()!.shadowRoot!;
      await vi.waitFor(() =>
        expect(root.querySelector('.bk-cb-bubble')?.textContent).toMatch(/We will call you in 2\d s/),
      );
      // The bubble asks for the status from its effect, which Preact runs after the paint that showed it.
      await vi.waitFor(() =>
        expect(status).toHaveBeenCalledWith(
          `https://beckon.example/v1/callbacks/cb-7?token=${'t'.repeat(43)}`,
          expect.anything(),
        ),
      );
      expect(root.querySelector('.bk-panel')).toBeNull();
      expect(launcher()!.getAttribute('aria-expanded')).toBe('false');

      root.querySelector<HTMLButtonElement>('.bk-cb-bubble .bk-teaser-body')!.click();
      await vi.waitFor(() => expect(root.querySelector('.bk-panel')?.textContent).toMatch(/We will call you in 2\d s/));
      expect(launcher()!.getAttribute('aria-expanded')).toBe('true');
      expect(root.querySelector('.bk-cb-bubble')).toBeNull();
    } finally {
      stop();
    }
  });
});

describe('WidgetPreview', () => {
  it('renders the same launcher and panel in its own shadow root and follows the settings', () => {
    const container = document.createElement('div');
    document.body.append(container);
    act(() => render(<WidgetPreview settings={testConfig.widget} open={false} />, container));
    const box = container.firstElementChild as HTMLElement;
    // `:host { all: initial }` would make the box inline and sizeless without these inline styles.
    expect(box.style.display).toBe('block');
    expect(box.style.position).toBe('relative');
    const root = box.shadowRoot!;
    expect(root.querySelector('.bk-layer.bk-preview')).not.toBeNull();
    expect(root.querySelector('.bk-launcher')!.textContent).toBe('Chat with us');
    expect(root.querySelector('.bk-panel')).toBeNull();

    const changed = structuredClone(testConfig.widget);
    changed.launcherLabel = 'Need help?';
    changed.texts.title = 'Hello from the preview';
    changed.position = 'bottom-left';
    act(() => render(<WidgetPreview settings={changed} open />, container));
    expect(root.querySelector('.bk-launcher')!.textContent).toBe('Need help?');
    expect(root.querySelector('.bk-title')!.textContent).toBe('Hello from the preview');
    expect(root.querySelector('.bk-layer')!.getAttribute('data-position')).toBe('left');
    // The preview is a picture: it never takes focus from the dashboard's form.
    expect(root.activeElement).toBeNull();

    act(() => render(null, container));
    expect(container.childElementCount).toBe(0);
  });
});
