/**
 * The consent gate: one decision, taken here and read by everything that stores, identifies or shares.
 *
 * - `required` (default): nothing is stored and no identifier leaves the browser until the visitor
 *   decides; until then only anonymous pageviews are sent (the server counts them with a daily salt).
 * - `implied`: analytics is on from the first page unless the visitor says otherwise; marketing still
 *   needs a grant.
 * - `external`: the site's consent manager decides (Google Consent Mode, IAB TCF, or `Beckon('consent')`).
 *
 * Whatever the mode, Global Privacy Control means no marketing (no retargeting cookie, no pixel), and
 * Do Not Track, when the site honours it, means neither purpose.
 */

export type ConsentMode = 'required' | 'implied' | 'external';

export interface ConsentState {
  /** Behaviour stream and scoring. */
  analytics: boolean;
  /** Retargeting cookies and pixels. */
  marketing: boolean;
}

export interface ConsentSettings {
  mode: ConsentMode;
  /** A stored choice made under another policy version is asked again. */
  policyVersion?: string;
  /** Treat `navigator.doNotTrack === '1'` as a denial of both purposes. */
  honourDnt?: boolean;
}

export interface PrivacySignals {
  /** Global Privacy Control (`navigator.globalPrivacyControl`). */
  gpc: boolean;
  /** Do Not Track (`navigator.doNotTrack`). */
  dnt: boolean;
}

/** A choice as stored after the visitor made it (strictly necessary: it is what stops us asking again). */
export interface StoredChoice {
  a: boolean;
  m: boolean;
  /** Policy version the choice was made under. */
  v?: string;
}

export const none: ConsentState = { analytics: false, marketing: false };

export function browserSignals(): PrivacySignals {
  const nav = (typeof navigator === 'undefined' ? {} : navigator) as {
    globalPrivacyControl?: unknown;
    doNotTrack?: unknown;
  };
  return { gpc: nav.globalPrivacyControl === true, dnt: nav.doNotTrack === '1' || nav.doNotTrack === 'yes' };
}

/** What the visitor's browser signals allow of a decision. */
export function restrict(
  state: ConsentState,
  signals: PrivacySignals,
  settings: Pick<ConsentSettings, 'honourDnt'>,
): ConsentState {
  const dnt = signals.dnt && !!settings.honourDnt;
  return { analytics: state.analytics && !dnt, marketing: state.marketing && !dnt && !signals.gpc };
}

/**
 * The decision in force when a page loads: a stored choice (under the current policy version) wins;
 * otherwise `implied` grants analytics and the other modes wait (`undefined`: undecided).
 */
export function initialDecision(settings: ConsentSettings, stored: StoredChoice | undefined): ConsentState | undefined {
  if (stored && (settings.policyVersion === undefined || stored.v === settings.policyVersion)) {
    return { analytics: !!stored.a, marketing: !!stored.m };
  }
  return settings.mode === 'implied' ? { analytics: true, marketing: false } : undefined;
}

/** `grant`/`deny` applied to the purposes named `true` (all purposes when none are named). */
export function applyDecision(
  current: ConsentState,
  decision: 'grant' | 'deny',
  purposes?: Partial<ConsentState>,
): ConsentState {
  const value = decision === 'grant';
  const named = purposes && (purposes.analytics !== undefined || purposes.marketing !== undefined);
  return {
    analytics: !named || purposes.analytics ? value : current.analytics,
    marketing: !named || purposes.marketing ? value : current.marketing,
  };
}
