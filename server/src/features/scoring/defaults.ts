import type { ScoringRule, ScoringSettings } from '@beckon/sdk/protocol';
import type { SiteRow } from '../../db/schema.js';

/** Shared by both templates: what other channels tell us weighs the most. */
const channelRules: ScoringRule[] = [
  {
    id: 'callback',
    label: 'Callback requested',
    condition: { kind: 'signal', signal: 'callback_requested' },
    points: 50,
    limit: 1,
  },
  { id: 'chat', label: 'Chat started', condition: { kind: 'signal', signal: 'chat_started' }, points: 25, limit: 1 },
  {
    id: 'form',
    label: 'Form submitted',
    condition: { kind: 'signal', signal: 'form_submitted' },
    points: 30,
    limit: 2,
  },
  {
    id: 'feedback',
    label: 'Feedback given',
    condition: { kind: 'signal', signal: 'feedback_given' },
    points: 5,
    limit: 1,
  },
  {
    id: 'email',
    label: 'Identified with email',
    condition: { kind: 'identified', with: 'email' },
    points: 20,
    limit: 1,
  },
  {
    id: 'phone',
    label: 'Identified with phone',
    condition: { kind: 'identified', with: 'phone' },
    points: 20,
    limit: 1,
  },
];

/**
 * A shop: depth of product interest, carts and checkouts, and how much of the shop a visitor has seen
 * over all their visits. Points grow with evidence in steps (more product pages, longer time), so the
 * hot end is the visitors who browse deeply or act; one-page visitors lose points.
 * No rule that nearly everyone hits carries much weight: landing on a page earns little by itself.
 * Why these choices (measured on the public Online Shoppers sessions, `npm run bench:scoring`, but each
 * a reason that holds for any shop, not a fit to that data):
 * - product pages earn 1 point each up to 30, not 2 up to 10: buyers compare many products, and the
 *   difference between 10 and 30 product pages is as telling as between 1 and 10 (a cap of 10 tied
 *   every deep browser);
 * - no "a minute on any page" rule: a minute on one page is as often an idle tab as reading; reading
 *   that counts is measured where it matters (product pages, below) and in total time;
 * - a one-page visit, once over, costs points: bounces rarely buy;
 * - a second visit earns nothing by itself, a third does: on an established shop most visits come back
 *   (85 % in the benchmark's data), so "returning" fired for nearly everyone and lifted them alike.
 */
const shopRules: ScoringRule[] = [
  { id: 'pricing', label: 'Pricing page', condition: { kind: 'page', pattern: '*pricing*' }, points: 15, limit: 3 },
  { id: 'product', label: 'Product page', condition: { kind: 'page', pattern: '*product*' }, points: 1, limit: 30 },
  {
    id: 'product-read',
    label: 'Half a minute on a product page',
    condition: { kind: 'engagement', metric: 'time_on_page', min: 30, pattern: '*product*' },
    points: 2,
    limit: 10,
  },
  { id: 'catalogue', label: 'Catalogue', condition: { kind: 'page', pattern: '*catalog*' }, points: 1, limit: 5 },
  {
    id: 'account',
    label: 'Account or sign-in page',
    condition: { kind: 'page', pattern: '*account*' },
    points: 15,
    limit: 1,
  },
  {
    id: 'shipping',
    label: 'Shipping information',
    condition: { kind: 'page', pattern: '*shipping*' },
    points: 5,
    limit: 1,
  },
  { id: 'returns', label: 'Returns policy', condition: { kind: 'page', pattern: '*returns*' }, points: 5, limit: 1 },
  { id: 'contact', label: 'Contact page', condition: { kind: 'page', pattern: '*contact*' }, points: 10, limit: 2 },
  { id: 'careers', label: 'Careers page', condition: { kind: 'page', pattern: '*career*' }, points: -20, limit: 1 },
  {
    id: 'add-to-cart',
    label: 'Added to cart',
    condition: { kind: 'event', name: 'add-to-cart' },
    points: 20,
    limit: 3,
  },
  { id: 'checkout', label: 'Started checkout', condition: { kind: 'event', name: 'checkout' }, points: 35, limit: 1 },
  {
    id: 'contact-form',
    label: 'Contact form sent',
    condition: { kind: 'event', name: 'contact-form' },
    points: 15,
    limit: 2,
  },
  {
    id: 'time-5m',
    label: '5 minutes or more on the site (all visits)',
    condition: { kind: 'total', metric: 'time_on_site', op: 'gte', value: 300 },
    points: 12,
  },
  {
    id: 'time-15m',
    label: '15 minutes or more on the site (all visits)',
    condition: { kind: 'total', metric: 'time_on_site', op: 'gte', value: 900 },
    points: 10,
  },
  {
    id: 'time-1h',
    label: 'An hour or more on the site (all visits)',
    condition: { kind: 'total', metric: 'time_on_site', op: 'gte', value: 3600 },
    points: 10,
  },
  {
    id: 'bounce',
    label: 'Left after one page',
    condition: { kind: 'total', metric: 'pages', op: 'lt', value: 2 },
    points: -10,
  },
  { id: 'paid', label: 'Came from a paid ad', condition: { kind: 'source', field: 'click_id' }, points: 5, limit: 1 },
  {
    id: 'returning',
    label: 'Third visit or more',
    condition: { kind: 'total', metric: 'visits', op: 'gte', value: 3 },
    points: 5,
  },
  ...channelRules,
];

/** B2B: research pages, long visits and known companies' channels. */
const b2bRules: ScoringRule[] = [
  { id: 'pricing', label: 'Pricing page', condition: { kind: 'page', pattern: '*pricing*' }, points: 20, limit: 3 },
  { id: 'demo', label: 'Demo page', condition: { kind: 'page', pattern: '*demo*' }, points: 25, limit: 2 },
  { id: 'case-study', label: 'Case study', condition: { kind: 'page', pattern: '*case-stud*' }, points: 10, limit: 3 },
  { id: 'docs', label: 'Documentation', condition: { kind: 'page', pattern: '*docs*' }, points: 3, limit: 5 },
  { id: 'careers', label: 'Careers page', condition: { kind: 'page', pattern: '*career*' }, points: -30, limit: 1 },
  {
    id: 'time-on-site',
    label: '3 minutes in one visit',
    condition: { kind: 'engagement', metric: 'time_on_site', min: 180 },
    points: 10,
    limit: 3,
  },
  {
    id: 'pages-4',
    label: '4 pages in one visit',
    condition: { kind: 'engagement', metric: 'pages_per_session', min: 4 },
    points: 10,
    limit: 3,
  },
  {
    id: 'linkedin',
    label: 'Came from LinkedIn',
    condition: { kind: 'source', field: 'referrer_domain', value: 'linkedin.com' },
    points: 10,
    limit: 1,
  },
  {
    id: 'email-campaign',
    label: 'Came from an email campaign',
    condition: { kind: 'source', field: 'utm_medium', value: 'email' },
    points: 5,
    limit: 2,
  },
  { id: 'paid', label: 'Came from a paid ad', condition: { kind: 'source', field: 'click_id' }, points: 5, limit: 1 },
  { id: 'returning', label: 'Returning visitor', condition: { kind: 'returning' }, points: 15, limit: 3 },
  ...channelRules.map((rule) =>
    rule.id === 'form' ? { ...rule, points: 40 } : rule.id === 'chat' ? { ...rule, points: 30 } : rule,
  ),
];

export const defaultThresholds = { hot: 70, warm: 30 } as const;
export const defaultHalfLifeDays = 7;

export function defaultScoringSettings(template: SiteRow['template']): ScoringSettings {
  return { rules: template === 'b2b' ? b2bRules : shopRules, halfLifeDays: defaultHalfLifeDays, ...defaultThresholds };
}
