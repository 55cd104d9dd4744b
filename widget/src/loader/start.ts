import { createCore, watchNavigation, type Transport } from '@beckon/sdk/core';
import type { UiModule } from '../shared/contract.js';
import { createDispatcher } from './commands.js';
import { createLogger } from './logger.js';
import { createWidget } from './widget.js';

/** `window.Beckon`: the snippet's queueing stub before the loader runs, the dispatcher after. */
export interface BeckonFunction {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  /** Set on the dispatcher, so a second copy of the snippet leaves the first in charge. */
  loaded?: true;
}

export interface StartOptions {
  site: string;
  /** Origin of the Beckon server (the origin of the script's `src`). */
  endpoint: string;
  /** Path of the UI chunk under the endpoint, injected at build time. */
  uiFile: string;
  debug?: boolean;
  /** `data-consent="required"`: record nothing until `Beckon('consent', 'grant')`. */
  consentRequired?: boolean;
  transport?: Transport;
  fetch?: typeof fetch;
  importUi?: (url: string) => Promise<UiModule>;
}

const nativeImport = (url: string) => import(/* @vite-ignore */ url) as Promise<UiModule>;

/** Starts Beckon on the page. Returns a function that stops it (used by tests; pages never stop it). */
export function start(options: StartOptions): () => void {
  const log = createLogger(!!options.debug);
  const win = window as unknown as { Beckon?: BeckonFunction };
  const stub = win.Beckon;
  if (stub?.loaded) {
    log('loaded twice: this copy does nothing');
    return () => {};
  }
  const queued = Array.from(stub?.q ?? []);

  const core = createCore({
    site: options.site,
    endpoint: options.endpoint,
    transport: options.transport,
    consent: options.consentRequired ? { analytics: false, marketing: false } : undefined,
    onError: (error) => log(error),
  });
  core.on('error', ({ message }) => log(message));

  const widget = createWidget({
    core,
    log,
    site: options.site,
    endpoint: options.endpoint,
    uiFile: options.uiFile,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    importUi: options.importUi ?? nativeImport,
  });
  const dispatch = createDispatcher(core, widget, log);

  // The dispatcher goes in first so that anything called while the queue replays keeps its order.
  const api: BeckonFunction = (...args) => dispatch(args);
  api.loaded = true;
  win.Beckon = api;
  queued.forEach(dispatch);

  // The first pageview comes after the queue, so a queued `consent` decision applies to it, and after
  // the document is parsed, so scripts that set the title (product pages) have run.
  const firstPageview = () => core.page({ referrer: document.referrer });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', firstPageview, { once: true });
  else firstPageview();
  const stopWatching = watchNavigation((url) => {
    try {
      core.page({ url });
      widget.reattach();
    } catch (error) {
      log(error);
    }
  });

  const sendNow = () => core.flush({ beacon: true }).catch(log);
  const onVisibility = () => document.visibilityState === 'hidden' && sendNow();
  // Elements marked `data-beckon-track="name"` (plus `data-beckon-prop-*`) record a click.
  const onClick = (event: Event) => {
    try {
      const element = (event.target as Element | null)?.closest?.('[data-beckon-track]');
      const name = element?.getAttribute('data-beckon-track')?.trim();
      if (!element || !name) return;
      const props: Record<string, string> = {};
      for (const { name: attribute, value } of Array.from(element.attributes)) {
        if (attribute.startsWith('data-beckon-prop-')) props[attribute.slice(17)] = value.slice(0, 500);
      }
      dispatch(['track', name.slice(0, 100), props]);
    } catch (error) {
      log(error);
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('pagehide', sendNow);
  document.addEventListener('click', onClick, true);

  void widget.init();

  return () => {
    stopWatching();
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('pagehide', sendNow);
    document.removeEventListener('click', onClick, true);
  };
}
