import type { LivePageview } from '@beckon/sdk/protocol';
import { formatDate } from '../../lib/i18n';
import { t } from './i18n';

export const LIVE_WINDOW_MS = 5 * 60_000;
/** How many rows the Live page keeps in memory. */
export const MAX_ROWS = 200;

const time = (pageview: LivePageview) => Date.parse(pageview.receivedAt) || 0;

/**
 * Merges new pageviews into the list: newest first, each id once (a push may race the REST list),
 * capped at `max` rows.
 */
export function mergePageviews(
  list: readonly LivePageview[],
  incoming: readonly LivePageview[],
  max = MAX_ROWS,
): LivePageview[] {
  const seen = new Set<string>();
  const all: LivePageview[] = [];
  for (const pageview of [...incoming, ...list]) {
    if (seen.has(pageview.id)) continue;
    seen.add(pageview.id);
    all.push(pageview);
  }
  // A stable sort keeps arrival order for equal timestamps.
  all.sort((a, b) => time(b) - time(a));
  return all.slice(0, max);
}

export interface LiveStats {
  pageviews: number;
  visitors: number;
}

/** Pageviews and distinct visitors received in the last `windowMs`. */
export function liveStats(list: readonly LivePageview[], now: number, windowMs = LIVE_WINDOW_MS): LiveStats {
  const visitors = new Set<string>();
  let pageviews = 0;
  for (const pageview of list) {
    if (now - time(pageview) > windowMs) continue;
    pageviews++;
    visitors.add(pageview.visitorId);
  }
  return { pageviews, visitors: visitors.size };
}

/** `https://shop.example.com/p/42?x=1#top` → `/p/42?x=1`; unparsable strings come back as they are. */
export function pagePath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

export function pageHost(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

export interface ReferrerLabel {
  label: string;
  /** Internal navigation, external site, or no referrer at all. */
  kind: 'direct' | 'internal' | 'external';
}

/** A short, readable referrer: "Direct", a path for navigation inside the site, or the other site's host. */
export function referrerLabel(referrer: string | null, pageUrl: string): ReferrerLabel {
  if (!referrer) return { label: t('direct'), kind: 'direct' };
  const host = pageHost(referrer);
  if (!host) return { label: referrer, kind: 'external' };
  if (host === pageHost(pageUrl)) return { label: pagePath(referrer), kind: 'internal' };
  return { label: host.replace(/^www\./, ''), kind: 'external' };
}

/** Enough of an id to tell visitors apart at a glance. */
export function shortId(id: string, length = 6): string {
  return id.length <= length ? id : id.slice(0, length);
}

/** "just now", "42 s ago", "3 min ago", "2 h ago", then a date. */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return t('justNow');
  if (seconds < 60) return t('secondsAgo', { count: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('hoursAgo', { count: hours });
  return formatDate(then, { month: 'short', day: 'numeric' });
}

/** A stable hue per visitor so the same visitor's rows are easy to spot. */
export function visitorHue(visitorId: string): number {
  let hash = 0;
  for (let i = 0; i < visitorId.length; i++) hash = (hash * 31 + visitorId.charCodeAt(i)) >>> 0;
  return hash % 360;
}
