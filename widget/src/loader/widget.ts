import type { Core } from '@beckon/sdk/core';
import type { ErrorBody, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { Channel, OpenOptions, UiModule } from '../shared/contract.js';
import type { PanelControls } from './commands.js';
import type { Panel } from './lazy/shell.js';
import { warn, type Log } from './logger.js';

/** The lazy shell chunk (`widget/shell-[hash].js`): the launcher, and the widget's controls once the config is in. */
export type ShellChunk = typeof import('./lazy/shell.js');
type TriggersChunk = typeof import('./lazy/triggers.js');

export interface WidgetOptions {
  core: Core;
  log: Log;
  site: string;
  endpoint: string;
  /** Path of the UI chunk under the endpoint, e.g. `widget/ui-abc123.js`. */
  uiFile: string;
  fetch: typeof fetch;
  importUi: (url: string) => Promise<UiModule>;
  /** The shell chunk's import, started together with the config fetch. */
  shell: Promise<ShellChunk>;
  /** Imports the trigger engine chunk (the shell decides when). */
  importTriggers: () => Promise<TriggersChunk>;
  /** The site config arrived (or could not be had: `undefined`); `layer` is the widget's layer for the consent prompt (its `lang` is the widget's language). */
  onConfig(config: PublicSiteConfig | undefined, layer?: Promise<HTMLElement>): void;
}

export interface Widget extends PanelControls {
  /** Fetches the site config and hands it to the shell; resolves `false` when the widget stays hidden. */
  init(): Promise<boolean>;
  /** Puts the widget back if the page replaced `document.body` (some SPAs do on navigation). */
  reattach(): void;
}

/**
 * The loader's part of the widget: the config fetch (started with the shell chunk's import, so both
 * arrive together) and the consent gate's settings from it. Everything after — the launcher, open and
 * close, the UI chunk, the language switch — is the shell chunk's `showWidget`; calls that come before
 * it is in wait here (the last `open` unless a `close` followed, the last `language`).
 */
export function createWidget(options: WidgetOptions): Widget {
  const { log } = options;
  // `Beckon('language', tag)` before the config was asked for: the server localizes it to that tag.
  let wanted: string | undefined;
  const url = `${options.endpoint}/v1/sites/${encodeURIComponent(options.site)}/config`;
  let panel: Panel | undefined;
  let pending: [Channel?, OpenOptions?] | undefined;

  async function init() {
    let configured = false;
    try {
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
      const config = (await response.json()) as PublicSiteConfig;
      if (!config?.widget?.texts) {
        log('bad config');
        options.onConfig(undefined);
        return false;
      }
      // The gate needs no DOM; it starts before the launcher is drawn.
      let layerReady!: (layer: HTMLElement) => void;
      configured = true;
      options.onConfig(config, new Promise<HTMLElement>((resolve) => (layerReady = resolve)));
      panel = (await options.shell).showWidget({ ...options, config, url, asked, layerReady });
      if (pending) panel.open(...pending);
      if (wanted !== asked) panel.language(wanted!);
      return true;
    } catch (error) {
      log('no widget:', error);
      if (!configured) options.onConfig(undefined);
      return false;
    }
  }

  return {
    init,
    open: (channel, openOptions) =>
      panel ? panel.open(channel, openOptions) : void (pending = [channel, openOptions]),
    close: () => (panel ? panel.close() : void (pending = undefined)),
    reattach: () => panel?.reattach(),
    language: (tag) => {
      wanted = tag;
      panel?.language(tag);
    },
  };
}
