import type { ConsentState } from './consent.js';

/**
 * Mode `external`: follow the site's consent manager.
 *
 * - Google Consent Mode: `gtag('consent', 'default' | 'update', {...})` calls land in `dataLayer` as
 *   `arguments` objects; `analytics_storage` maps to analytics, `ad_storage` to marketing.
 * - IAB TCF v2 (`__tcfapi`): publisher-level purpose consents, as Beckon is the site's own tool and not a
 *   TCF vendor. Analytics needs purposes 1 (store/access) and 8 (measure content); marketing needs
 *   1, 3 and 4 (personalised-ads profile and selection). `gdprApplies: false` grants both.
 *
 * Whichever reports last wins; nothing reported means undecided (only anonymous pageviews).
 */
export interface ExternalConsentWindow {
  dataLayer?: unknown[];
  __tcfapi?: (command: string, version: number, callback: (data: TcData, success: boolean) => void) => void;
}

interface TcData {
  eventStatus?: string;
  gdprApplies?: boolean;
  purpose?: { consents?: Record<string, boolean> };
}

type GcmFlags = Record<string, unknown>;

/** The state a Google Consent Mode command sets, merged over what earlier commands set. */
function fromGcm(flags: GcmFlags, previous: ConsentState | undefined): ConsentState | undefined {
  const read = (key: string, fallback: boolean | undefined) =>
    flags[key] === 'granted' ? true : flags[key] === 'denied' ? false : fallback;
  const analytics = read('analytics_storage', previous?.analytics);
  const marketing = read('ad_storage', previous?.marketing);
  if (analytics === undefined && marketing === undefined) return previous;
  return { analytics: !!analytics, marketing: !!marketing };
}

export function fromTcf(data: TcData): ConsentState | undefined {
  if (data.gdprApplies === false) return { analytics: true, marketing: true };
  if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return;
  const consents = data.purpose?.consents ?? {};
  const has = (...purposes: number[]) => purposes.every((purpose) => consents[purpose] === true);
  return { analytics: has(1, 8), marketing: has(1, 3, 4) };
}

/** Reports the consent manager's state now and on every change. Returns a function that stops watching. */
export function watchExternalConsent(win: ExternalConsentWindow, report: (state: ConsentState) => void): () => void {
  let gcm: ConsentState | undefined;
  const onGcm = (entry: unknown) => {
    const args = entry as ArrayLike<unknown> | undefined;
    if (!args || typeof args !== 'object' || args[0] !== 'consent' || typeof args[2] !== 'object' || !args[2]) return;
    const next = fromGcm(args[2] as GcmFlags, gcm);
    if (next) report((gcm = next));
  };
  let restore = () => {};
  const layer = win.dataLayer;
  if (Array.isArray(layer)) {
    Array.from(layer).forEach(onGcm);
    const push = layer.push;
    layer.push = function (...items: unknown[]) {
      const length = push.apply(this, items);
      items.forEach(onGcm);
      return length;
    };
    restore = () => (layer.push = push);
  }
  let active = true;
  if (typeof win.__tcfapi === 'function') {
    win.__tcfapi('addEventListener', 2, (data, success) => {
      const state = success && active && data ? fromTcf(data) : undefined;
      if (state) report(state);
    });
  }
  return () => {
    active = false;
    restore();
  };
}
