/**
 * Plain values of the wire contract, without zod. Browsers (the dashboard) import these at runtime through
 * `@beckon/sdk/protocol/constants`; everything else in the protocol reaches a browser as types only, so
 * no validator code is shipped (zod's runtime also probes `new Function`, a `script-src` CSP violation).
 */

/** The Visitors page lists visitors seen this recently ("on the site now"). */
export const liveVisitorWindowMs = 5 * 60_000;

/**
 * Before consent (consent mode `required` or `external`) a visitor's pageviews arrive without ids and the
 * server names them `anon_` + a daily hash: such a row is everyone behind one address and browser that
 * day, and nothing can reach them (no chat, no invitation) until they consent.
 */
export const isAnonymousVisitorId = (visitorId: string) => visitorId.startsWith('anon_');

export const engagementMetrics = ['time_on_page', 'scroll_depth', 'pages_per_session', 'time_on_site'] as const;
export const sourceFields = ['utm_source', 'utm_medium', 'utm_campaign', 'click_id', 'referrer_domain'] as const;
/** A visit's device class, read by the server from the browser's user agent. */
export const deviceClasses = ['mobile', 'tablet', 'desktop'] as const;

/** Learning needs at least this many won/lost visitors. */
export const minOutcomesToLearn = 50;

/** A site has at most this many trigger rules (enabled or not). */
export const maxTriggersPerSite = 20;

/**
 * The languages the dashboard speaks (English is the source catalogue). An agent's chosen language is
 * stored on the agent (`Me.language`, `PATCH /api/me`); the dashboard's `lib/i18n/locales.ts` uses this list.
 */
export const dashboardLanguages = ['en', 'ru', 'lv', 'hy', 'uz', 'am', 'si'] as const;
export type DashboardLanguage = (typeof dashboardLanguages)[number];

export { displayName, formerAgentName, visitorLabel, visitorLabelCode } from './display-name.js';
export {
  assignmentCause,
  turnedHotReason,
  unansweredReason,
  type AssignmentCause,
} from './assignment-reasons.js';

// ---- Reports (issue 19): the closed lists the Reports page shows; schemas and types in reports.ts.

/** Why a lead was lost, picked when an agent marks it lost; `other` comes with a text. */
export const lostReasons = [
  'price',
  'competitor',
  'no_response',
  'not_interested',
  'no_budget',
  'timing',
  'not_a_lead',
  'spam',
  'other',
] as const;

export const reportNames = ['overview', 'speed', 'agents', 'funnel', 'cost', 'feedback', 'triggers'] as const;

/** The tables each report can export as CSV (`/api/reports/:report/export.csv?table=…`). */
export const reportTables = {
  overview: ['byChannel', 'bySource', 'series'],
  speed: ['byAgent', 'byTeam', 'byChannel', 'overdueCallbacks', 'heatmap'],
  agents: ['agents'],
  funnel: ['stages', 'byTemperature', 'bySource', 'lostReasons'],
  cost: ['rows'],
  feedback: ['series', 'comments'],
  triggers: ['rows'],
} as const satisfies Record<(typeof reportNames)[number], readonly string[]>;

export const reportGranularities = ['day', 'week', 'month'] as const;
export const inquiryChannels = ['chat', 'callback', 'form', 'offline', 'invitation', 'trigger'] as const;
export const sourceKinds = ['paid', 'utm', 'referral', 'direct'] as const;
export const funnelStages = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;
export const digestFrequencies = ['off', 'daily', 'weekly'] as const;
