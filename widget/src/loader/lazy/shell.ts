// The shell chunk, which the loader imports while it fetches the site config (both are needed at the same
// moment): the launcher's DOM and styles, the theme maths, the keepalive, and the widget's controls once the
// config is in (open, close, the UI chunk's mount, the language switch). All of it costs `beckon.js` nothing.
import type { Core } from '@beckon/sdk/core';
import type { PublicSiteConfig, WidgetSettings } from '@beckon/sdk/protocol';
import type { Channel, OpenOptions, UiContext, UiHandle, UiModule } from '../../shared/contract.js';
import { resumable } from '../../shared/chat-storage.js';
import { buildShell, setBadge, updateShell, type Shell } from '../../shared/launcher.js';
import type { PanelControls } from '../commands.js';
import type { Log } from '../logger.js';
import { live } from './keepalive.js';

export { startTracker } from '../tracker.js';

/**
 * `Beckon('language', tag)` after the launcher is up: the site config again, in that language (the
 * server localizes it: see the README's *Languages*), shown on the launcher and the panel.
 */
export async function relocalize(
  url: string,
  tag: string,
  current: PublicSiteConfig,
  shell: Shell,
  ui?: UiHandle,
): Promise<PublicSiteConfig> {
  try {
    const response = await fetch(`${url}?lang=${encodeURIComponent(tag)}`, { credentials: 'omit' });
    const config = (await response.json()) as PublicSiteConfig;
    if (!response.ok || !config?.widget?.texts) return current;
    updateShell(shell, config.widget);
    ui?.update?.(config);
    return config;
  } catch {
    return current; // offline: the widget keeps its language
  }
}

/**
 * Inline `!important` beats every author rule on the host page, including `* { all: unset }` and rules
 * aimed at the element itself; the custom tag name keeps `div`/`button` selectors off it entirely.
 * Set through `style.cssText` (CSSOM), which a strict CSP `style-src` allows, unlike a style attribute.
 */
export const hostStyle =
  'all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;' +
  'width:0!important;height:0!important;z-index:2147483647!important';

/**
 * The `<beckon-widget>` host (not yet in the page), its shadow root and the launcher in it, wired to
 * `toggle` on click and to `prefetch` when the pointer or focus arrives (intent: fetch the UI early).
 * Here rather than in the loader, which keeps only what it needs before the config answers.
 */
export function mountShell(
  settings: WidgetSettings,
  toggle: () => void,
  prefetch: () => void,
): [HTMLElement, ShadowRoot, Shell] {
  const host = document.createElement('beckon-widget');
  host.style.cssText = hostStyle;
  const root = host.attachShadow({ mode: 'open' });
  const shell = buildShell(root, settings);
  const { launcher } = shell;
  launcher.addEventListener('click', toggle);
  launcher.addEventListener('pointerenter', prefetch);
  launcher.addEventListener('focus', prefetch);
  return [host, root, shell];
}

type TriggersChunk = typeof import('./triggers.js');

export interface PanelOptions {
  core: Core;
  log: Log;
  site: string;
  endpoint: string;
  /** Path of the UI chunk under the endpoint, e.g. `widget/ui-abc123.js`. */
  uiFile: string;
  importUi: (url: string) => Promise<UiModule>;
  /** Imports the trigger engine chunk (`live` decides when). */
  importTriggers: () => Promise<TriggersChunk>;
  /** The site config the loader fetched. */
  config: PublicSiteConfig;
  /** The config's URL, asked again by `Beckon('language')`. */
  url: string;
  /** The language the config was asked in (`Beckon('language')` before the loader fetched it). */
  asked: string | undefined;
  /** Hands the widget's layer to the consent prompt once the launcher is up. */
  layerReady: (layer: HTMLElement) => void;
}

export interface Panel extends PanelControls {
  /** Puts the widget back if the page replaced `document.body` (some SPAs do on navigation). */
  reattach(): void;
}

const whenBodyExists = () =>
  new Promise<void>((resolve) => {
    if (document.body || document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
  });

/**
 * The widget once its config is in: the launcher, the panel's open and close, the UI chunk's mount and
 * the language switch. In the shell chunk, which the loader imports while it fetches the config, so
 * `beckon.js` keeps only the config fetch and forwards `open`/`close`/`language` here; calls made before the
 * launcher is up wait, as they did in the loader.
 */
export function showWidget(options: PanelOptions): Panel {
  const { core, log, endpoint } = options;
  let config = options.config;
  let wanted = options.asked;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let shell: Shell | undefined;
  let handle: UiHandle | undefined;
  let loading: Promise<UiModule> | undefined;
  let pending: { channel?: Channel; options?: OpenOptions } | undefined;
  let isOpen = false;
  // Bumped by every open and close, so a slow UI download cannot reopen a panel closed meanwhile.
  let generation = 0;

  const loadUi = () =>
    (loading ||= options.importUi(`${endpoint}/${options.uiFile}`).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));

  const prefetch = () => loadUi().catch((error: unknown) => log('UI load failed', error));

  function mountUi(ui: UiModule): UiHandle {
    if (!handle) {
      const parts = shell!;
      const context: UiContext = {
        config,
        core,
        endpoint,
        layer: parts.layer,
        open,
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
      log('resume failed', error);
    }
  }

  async function open(channel?: Channel, openOptions?: OpenOptions) {
    if (!root || !shell) {
      pending = { channel, options: openOptions };
      return;
    }
    const current = ++generation;
    try {
      const ui = await loadUi();
      if (current !== generation) return;
      mountUi(ui).open(channel, openOptions);
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

  function reattach() {
    if (host && !host.isConnected) (document.body || document.documentElement).append(host);
  }

  /** `Beckon('language', tag)`: the config asked for again in that language (after the launcher is up). */
  async function language(tag: string) {
    wanted = tag;
    if (shell) config = await relocalize(options.url, tag, config, shell, handle);
  }

  async function mount() {
    try {
      live(core, config, endpoint, open, options.importTriggers);
      await whenBodyExists();
      [host, root, shell] = mountShell(config.widget, () => (isOpen ? close() : void open()), prefetch);
      reattach();
      options.layerReady(shell.layer);
      core.emit('ready', { config });
      if (pending) void open(pending.channel, pending.options);
      // A `Beckon('language')` while the config was on its way.
      if (wanted !== options.asked) void language(wanted!);
      if (resumable(options.site)) void resume();
    } catch (error) {
      // No launcher: `open` keeps waiting rather than using a half-built widget.
      log('no widget:', error);
    }
  }
  void mount();

  return { open, close, reattach, language };
}
