import { createLogger } from './logger.js';
import { start } from './start.js';

/** `widget/ui-[hash].js`, injected by vite.loader.config.ts from the UI build's output. */
declare const __BECKON_UI_FILE__: string;
/** The lazy chunks' paths, injected the same way. */
declare const __BECKON_CHUNKS__: { shell: string; consent: string; pixels: string; external: string; triggers: string };

// `beckon.js` entry. `document.currentScript` is only set while this top-level code runs.
try {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-site][src*="beckon.js"]');
  if (script) {
    const site = script.getAttribute('data-site');
    const debugValue = script.getAttribute('data-debug');
    const debug = debugValue !== null && debugValue !== 'false';
    if (site) {
      start({
        site,
        endpoint: new URL(script.src, location.href).origin,
        uiFile: __BECKON_UI_FILE__,
        chunks: __BECKON_CHUNKS__,
        debug,
        consentRequired: script.getAttribute('data-consent') === 'required',
      });
    } else {
      createLogger(debug)('no data-site');
    }
  }
} catch {
  // Never throw into the host page; without a site there is nowhere to report to.
}
