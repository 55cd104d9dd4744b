import { createCore, watchNavigation, type ConsentState, type PrivacySignals, type Transport } from '@beckon/sdk/core';
import type { ConsentPrompt, EnteredAudience, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { UiModule } from '../shared/contract.js';
import { createDispatcher } from './commands.js';
import { createLogger } from './logger.js';
import { type EarlyItem, earlyEventTypes, engagementSentMark, scrollDepth } from './tracker.js';
import { createWidget, type ShellChunk } from './widget.js';

/** The lazily loaded consent prompt chunk (`widget/consent-[hash].js`). */
export interface ConsentChunk {
  mountConsentPrompt(layer: HTMLElement, prompt: ConsentPrompt, choose: (state: ConsentState) => void): () => void;
}
export type ExternalChunk = typeof import('./lazy/external.js');
/** The lazily loaded pixels chunk (`widget/pixels-[hash].js`). */
export interface PixelsChunk {
  firePixels(audiences: EnteredAudience[]): number;
}

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
  /** Paths of the lazy consent prompt and pixels chunks under the endpoint, injected at build time. */
  chunks: { shell: string; consent: string; pixels: string; external: string; triggers: string };
  /** `data-consent="required"`: mode `required` whatever the site config says. */
  consentRequired?: boolean;
  transport?: Transport;
  fetch?: typeof fetch;
  signals?: PrivacySignals;
  importUi?: (url: string) => Promise<UiModule>;
  importChunk?: (url: string) => Promise<unknown>;
}

const nativeImport = (url: string) => import(/* @vite-ignore */ url) as Promise<never>;

/** Starts Beckon on the page. Returns a function that stops it (used by tests; pages never stop it). */
export function start(options: StartOptions): () => void {
  const log = createLogger(!!options.debug);
  const win = window as unknown as { Beckon?: BeckonFunction };
  const stub = win.Beckon;
  if (stub?.loaded) {
    log('loaded twice'); // this copy does nothing
    return () => {};
  }
  const queued = Array.from(stub?.q ?? []);

  const fetcher = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  // Nothing identifiable leaves or is stored until the site config says how to ask for consent.
  const core = createCore({
    site: options.site,
    endpoint: options.endpoint,
    transport: options.transport,
    fetch: fetcher,
    signals: options.signals,
    onError: log,
  });
  core.on('error', ({ message }) => log(message));
  const chunkUrl = (file: string) => `${options.endpoint}/${file}`;
  const importChunk = options.importChunk ?? nativeImport;
  const { chunks } = options;
  const load = <T>(file: string) => importChunk(chunkUrl(file)) as Promise<T>;

  core.on('audiences', (audiences) => {
    load<PixelsChunk>(chunks.pixels)
      .then((chunk) => chunk.firePixels(audiences))
      .catch(log);
  });

  let removePrompt: (() => void) | undefined;

  // The shell chunk (launcher, tracker) is fetched at once, in parallel with the config.
  const shell = load<ShellChunk>(chunks.shell);
  shell.catch(() => {}); // awaited below; a failure must not go unhandled
  // Until it brings the tracker, the visitor's clicks, inputs, submits and mouse exits are kept for it.
  const startedAt = Date.now();
  const startUrl = location.href;
  const early: EarlyItem[] = [];
  // A page view that ends before the shell brings the tracker still sends its engagement: the time since the
  // loader ran (as the tracker counts the first page view's; a tab opened in the background overcounts) and the
  // depth at the end. Browsers hide the page when the visitor leaves it (before `pagehide`) as when they switch
  // away, so hidden is the one signal. The mark tells the tracker this page view is done; a later SPA
  // navigation starts a new one.
  let engaged = false;
  const keep = (event: Event) => {
    if (event.type !== 'visibilitychange') early.length < 100 && early.push(event);
    else if (!engaged && document.visibilityState === 'hidden') {
      engaged = true;
      early.push(engagementSentMark);
      core.record(
        {
          type: 'engagement',
          url: location.href,
          // No 24 h cap as in the tracker: this listener lives only while the shell's import is pending.
          visibleMs: Date.now() - startedAt,
          maxScroll: scrollDepth(scrollY, innerHeight, document.documentElement.scrollHeight),
        },
        0,
      );
      void core.flush({ beacon: true });
    }
  };
  const keeping = (on: boolean) => {
    for (const type of earlyEventTypes)
      (on ? addEventListener : removeEventListener)(type, keep, { capture: true, passive: true });
  };
  keeping(true);

  /** The consent gate gets the site's settings; the prompt and the consent manager's watch start here. */
  function onConfig(config: PublicSiteConfig | undefined, layer?: Promise<HTMLElement>) {
    try {
      const settings = config?.consent;
      const mode = options.consentRequired ? 'required' : (settings?.mode ?? 'required');
      core.configure({ mode, policyVersion: settings?.policyVersion ?? '1', honourDnt: settings?.honourDnt });
      if (mode === 'external') {
        load<ExternalChunk>(chunks.external)
          .then((chunk) => chunk.watchExternalConsent(window as never, (state) => core.decide(state)))
          .catch(log);
      }
      // From here on, an analytics grant starts the stream on this very page.
      let analytics = core.getConsent().analytics;
      core.on('consent', (state) => {
        if (state.analytics && !analytics) core.page();
        analytics = state.analytics;
      });
      if (mode === 'required' && core.undecided() && settings?.prompt.enabled && layer) {
        Promise.all([load<ConsentChunk>(chunks.consent), layer])
          .then(([chunk, element]) => {
            // A choice made by the page meanwhile (its own banner) wins.
            if (core.undecided())
              removePrompt = chunk.mountConsentPrompt(element, settings.prompt, (state) =>
                core.decide(state, 'prompt'),
              );
          })
          .catch(log);
      }
    } catch (error) {
      log(error);
    }
  }

  const widget = createWidget({
    core,
    log,
    site: options.site,
    endpoint: options.endpoint,
    uiFile: options.uiFile,
    fetch: fetcher,
    importUi: options.importUi ?? nativeImport,
    shell,
    importTriggers: () => load(chunks.triggers),
    onConfig,
  });
  const dispatch = createDispatcher(core, widget, log);

  // The dispatcher goes in first so that anything called while the queue replays keeps its order.
  const api: BeckonFunction = (...args) => {
    dispatch(args);
    // The site's own banner decided: the built-in prompt has nothing left to ask.
    if (args[0] === 'consent' && !core.undecided()) removePrompt?.();
  };
  api.loaded = true;
  win.Beckon = api;
  queued.forEach(dispatch);

  // The first pageview comes after the queue, so a queued `consent` decision applies to it, and after
  // the document is parsed, so scripts that set the title (product pages) have run.
  const firstPageview = () => core.page({ referrer: document.referrer });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', firstPageview, { once: true });
  else firstPageview();
  let tracker: ReturnType<ShellChunk['startTracker']> | undefined;
  let stopped = false;
  shell
    .then((chunk) => {
      keeping(false);
      if (!stopped)
        tracker = chunk.startTracker(
          core,
          dispatch,
          () => core.emit('exit_intent', {}),
          startedAt,
          startUrl,
          early.splice(0),
        );
    })
    .catch((error: unknown) => {
      keeping(false);
      log(error);
    });
  const stopWatching = watchNavigation((url) => {
    try {
      if (tracker) tracker.navigated(url);
      else {
        early.push(url);
        engaged = false;
      }
      core.page({ url });
      widget.reattach();
    } catch (error) {
      log(error);
    }
  });

  void widget.init();

  return () => {
    stopped = true;
    keeping(false);
    stopWatching();
    tracker?.stop();
  };
}
