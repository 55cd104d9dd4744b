import type { Core } from '@beckon/sdk/core';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import type { Channel, UiContext, UiHandle, UiModule } from '../shared/contract.js';
import { hasOngoingChat } from '../shared/chat-storage.js';
import { buildShell, setBadge, type Shell } from '../shared/launcher.js';
import type { PanelControls } from './commands.js';
import type { Log } from './logger.js';

/**
 * Inline `!important` beats every author rule on the host page, including `* { all: unset }` and rules
 * aimed at the element itself; the custom tag name keeps `div`/`button` selectors off it entirely.
 * Set through `style.cssText` (CSSOM), which a strict CSP `style-src` allows, unlike a style attribute.
 */
export const hostStyle =
  'all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;' +
  'width:0!important;height:0!important;z-index:2147483647!important';

export interface WidgetOptions {
  core: Core;
  log: Log;
  site: string;
  endpoint: string;
  /** Path of the UI chunk under the endpoint, e.g. `widget/ui-abc123.js`. */
  uiFile: string;
  fetch: typeof fetch;
  importUi: (url: string) => Promise<UiModule>;
  /** The site config arrived (or could not be had: `undefined`); `layer` is the widget's layer for the consent prompt. */
  onConfig(config: PublicSiteConfig | undefined, layer?: HTMLElement): void;
}

export interface Widget extends PanelControls {
  /** Fetches the site config and shows the launcher; resolves `false` when the widget stays hidden. */
  init(): Promise<boolean>;
  /** Puts the widget back if the page replaced `document.body` (some SPAs do on navigation). */
  reattach(): void;
}

const whenBodyExists = () =>
  new Promise<void>((resolve) => {
    if (document.body || document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
  });

export function createWidget(options: WidgetOptions): Widget {
  const { core, log } = options;
  let config: PublicSiteConfig | undefined;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let shell: Shell | undefined;
  let handle: UiHandle | undefined;
  let loading: Promise<UiModule> | undefined;
  let pending: { channel?: Channel } | undefined;
  let isOpen = false;
  // Bumped by every open and close, so a slow UI download cannot reopen a panel closed meanwhile.
  let generation = 0;

  const loadUi = () =>
    (loading ||= options.importUi(`${options.endpoint}/${options.uiFile}`).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));

  const prefetch = () => loadUi().catch((error: unknown) => log('UI load failed', error));

  function mountUi(ui: UiModule): UiHandle {
    if (!handle) {
      const parts = shell!;
      const context: UiContext = {
        config: config!,
        core,
        endpoint: options.endpoint,
        layer: parts.layer,
        close,
        emit: core.emit,
        log,
        badge: (count, label) => setBadge(parts, count, label),
      };
      handle = ui.mount(root!, context);
    }
    return handle;
  }

  /** Reconnects an ongoing chat in the background so replies reach the launcher's badge. */
  async function resume() {
    try {
      mountUi(await loadUi()).resume?.();
    } catch (error) {
      log('chat resume failed', error);
    }
  }

  async function open(channel?: Channel) {
    if (!config || !root || !shell) {
      pending = { channel };
      return;
    }
    const current = ++generation;
    try {
      const ui = await loadUi();
      if (current !== generation) return;
      mountUi(ui).open(channel);
      if (!isOpen) {
        isOpen = true;
        shell.launcher.setAttribute('aria-expanded', 'true');
        core.emit('open', { channel });
      }
    } catch (error) {
      log('open failed', error);
    }
  }

  function close() {
    generation++;
    pending = undefined;
    if (!isOpen || !root || !shell) return;
    try {
      // Focus returns to the launcher only if it was inside the widget: never steal it from the page.
      const hadFocus = root.activeElement !== null;
      isOpen = false;
      shell.launcher.setAttribute('aria-expanded', 'false');
      handle?.close();
      if (hadFocus) shell.launcher.focus();
      core.emit('close', {});
    } catch (error) {
      log('close failed', error);
    }
  }

  async function init() {
    try {
      const response = await options.fetch(
        `${options.endpoint}/v1/sites/${encodeURIComponent(options.site)}/config`,
        { credentials: 'omit' },
      );
      if (!response.ok) {
        log('no widget: config answered', response.status);
        options.onConfig(undefined);
        return false;
      }
      const body = (await response.json()) as PublicSiteConfig;
      if (!body?.widget?.texts) {
        log('no widget: bad config');
        options.onConfig(undefined);
        return false;
      }
      await whenBodyExists();
      host = document.createElement('beckon-widget');
      host.style.cssText = hostStyle;
      root = host.attachShadow({ mode: 'open' });
      shell = buildShell(root, body.widget);
      const { launcher } = shell;
      launcher.addEventListener('click', () => (isOpen ? close() : void open()));
      // Intent: fetch the UI while the pointer or focus is on the way to a click.
      launcher.addEventListener('pointerenter', prefetch);
      launcher.addEventListener('focus', prefetch);
      config = body;
      reattach();
      options.onConfig(body, shell.layer);
      core.emit('ready', { config });
      if (pending) void open(pending.channel);
      if (hasOngoingChat(options.site)) void resume();
      return true;
    } catch (error) {
      log('no widget:', error);
      if (!config) options.onConfig(undefined);
      return false;
    }
  }

  function reattach() {
    if (host && !host.isConnected) (document.body || document.documentElement).append(host);
  }

  return { init, open, close, reattach };
}
