import type { Core } from '@beckon/sdk/core';
import type { ErrorBody, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { Channel, OpenOptions, UiContext, UiHandle, UiModule } from '../shared/contract.js';
import type { Shell } from '../shared/launcher.js';

/** The lazy shell chunk (`widget/shell-[hash].js`): the launcher's DOM, styles and theme. */
export type ShellChunk = typeof import('./lazy/shell.js');
type TriggersChunk = typeof import('./lazy/triggers.js');
import type { PanelControls } from './commands.js';
import { warn, type Log } from './logger.js';

export interface WidgetOptions {
  core: Core;
  log: Log;
  site: string;
  endpoint: string;
  /** Path of the UI chunk under the endpoint, e.g. `widget/ui-abc123.js`. */
  uiFile: string;
  fetch: typeof fetch;
  importUi: (url: string) => Promise<UiModule>;
  /** Imports the shell chunk (started together with the config fetch). */
  importShell: () => Promise<ShellChunk>;
  /** Imports the trigger engine chunk (the shell decides when). */
  importTriggers: () => Promise<TriggersChunk>;
  /** The site config arrived (or could not be had: `undefined`); `layer` is the widget's layer for the consent prompt (its `lang` is the widget's language). */
  onConfig(config: PublicSiteConfig | undefined, layer?: Promise<HTMLElement>): void;
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
  // `Beckon('language', tag)` before the config was asked for: the server localizes it to that tag.
  let wanted: string | undefined;
  const url = `${options.endpoint}/v1/sites/${encodeURIComponent(options.site)}/config`;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let shell: Shell | undefined;
  let handle: UiHandle | undefined;
  let loading: Promise<UiModule> | undefined;
  let pending: { channel?: Channel; options?: OpenOptions } | undefined;
  let isOpen = false;
  let shellChunk: ShellChunk | undefined;
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
        open,
        close,
        emit: core.emit,
        log,
        badge: (count, label) => shellChunk!.setBadge(parts, count, label),
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

  async function open(channel?: Channel, options?: OpenOptions) {
    if (!config || !root || !shell) {
      pending = { channel, options };
      return;
    }
    const current = ++generation;
    try {
      const ui = await loadUi();
      if (current !== generation) return;
      mountUi(ui).open(channel, options);
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
      const shellLoad = options.importShell();
      shellLoad.catch(() => {}); // awaited below; a config failure must not leave it unhandled
      const asked = wanted;
      const response = await options.fetch(asked ? `${url}?lang=${encodeURIComponent(asked)}` : url, {
        credentials: 'omit',
      });
      if (!response.ok) {
        // A refused origin is the site's setup: the server's reason, once per page, even without data-debug.
        if (response.status === 403)
          warn(((await response.json().catch(() => ({}))) as Partial<ErrorBody>).error?.message);
        else log('config answered', response.status);
        options.onConfig(undefined);
        return false;
      }
      const body = (await response.json()) as PublicSiteConfig;
      if (!body?.widget?.texts) {
        log('bad config');
        options.onConfig(undefined);
        return false;
      }
      // The gate needs no DOM; it starts before the launcher is drawn.
      config = body;
      let layerReady!: (layer: HTMLElement) => void;
      options.onConfig(body, new Promise<HTMLElement>((resolve) => (layerReady = resolve)));
      shellChunk = await shellLoad;
      shellChunk.live(core, body, options.endpoint, open, options.importTriggers);
      await whenBodyExists();
      [host, root, shell] = shellChunk.mountShell(body.widget, () => (isOpen ? close() : void open()), prefetch);
      reattach();
      layerReady(shell.layer);
      core.emit('ready', { config });
      if (pending) void open(pending.channel, pending.options);
      // A `Beckon('language')` while the config was on its way.
      if (wanted !== asked) void language(wanted!);
      if (shellChunk.resumable(options.site)) void resume();
      return true;
    } catch (error) {
      log('no widget:', error);
      if (!config) options.onConfig(undefined);
      config = undefined; // no launcher: `open` keeps waiting rather than using a half-built widget
      return false;
    }
  }

  function reattach() {
    if (host && !host.isConnected) (document.body || document.documentElement).append(host);
  }

  /** `Beckon('language', tag)`: before the config is asked for, it is asked for in that language; after, asked for again. */
  async function language(tag: string) {
    wanted = tag;
    if (shell) config = await shellChunk!.relocalize(url, tag, config!, shell, handle);
  }

  return { init, open, close, reattach, language };
}
