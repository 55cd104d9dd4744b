import type { LivePageview, LiveVisitor, TemperatureChange, VisitSource } from '@beckon/sdk/protocol';
import { displayName, isAnonymousVisitorId, visitorLabel } from '@beckon/sdk/protocol/constants';
import { shownName } from '../../lib/format';
import { serverNow } from '../../server-clock';
import { t } from './i18n';

const seen = (visitor: LiveVisitor) => Date.parse(visitor.lastSeenAt) || 0;

/** Upserts visitors by id (a push may race the REST list; the later `lastSeenAt` wins), newest first. */
export function mergeVisitors(list: readonly LiveVisitor[], incoming: readonly LiveVisitor[]): LiveVisitor[] {
  const byId = new Map(list.map((visitor) => [visitor.visitorId, visitor]));
  for (const visitor of incoming) {
    const current = byId.get(visitor.visitorId);
    // The ingest's live rows do not look persons up: a row without `person` keeps the one already known.
    if (!current || seen(visitor) >= seen(current))
      byId.set(
        visitor.visitorId,
        visitor.person === undefined && current?.person ? { ...visitor, person: current.person } : visitor,
      );
  }
  return [...byId.values()].sort((a, b) => seen(b) - seen(a));
}

/**
 * The list in a frozen order (visitor ids, as the rows stood when the agent started pointing at or
 * focusing the table), visitors who arrived since at the end; `null` leaves the list as it is. Live
 * updates re-sort by activity: a row moving under the agent's pointer, or a focused row being moved
 * (which drops its focus and the explanation it shows), makes the table unusable while it is busy.
 */
export function inFrozenOrder(list: readonly LiveVisitor[], order: readonly string[] | null): readonly LiveVisitor[] {
  if (!order) return list;
  const position = new Map(order.map((visitorId, index) => [visitorId, index]));
  const kept = list
    .filter((visitor) => position.has(visitor.visitorId))
    .sort((a, b) => position.get(a.visitorId)! - position.get(b.visitorId)!);
  return [...kept, ...list.filter((visitor) => !position.has(visitor.visitorId))];
}

/** A temperature change (e.g. a callback request) updates the visitor's badge in place. */
export function applyScoreChange(list: readonly LiveVisitor[], change: TemperatureChange): LiveVisitor[] {
  return list.map((visitor) =>
    visitor.visitorId === change.visitorId
      ? { ...visitor, score: change.score, temperature: change.temperature, explanation: change.explanation }
      : visitor,
  );
}

/** Visitors seen within the window: the rest have left (idle) and drop off the page. */
export function activeVisitors(list: readonly LiveVisitor[], now: number, windowMs: number): LiveVisitor[] {
  return list.filter((visitor) => now - seen(visitor) <= windowMs);
}

/**
 * What changes the Visitors page's list: rows pushed or loaded, a temperature change, and the page's own
 * timer dropping whoever fell out of the live window (nothing else would: a visitor who leaves sends nothing).
 */
export type VisitorsAction =
  | { type: 'merge'; visitors: readonly LiveVisitor[] }
  | { type: 'score'; change: TemperatureChange }
  | { type: 'gone'; visitorIds: readonly string[] }
  | { type: 'expire'; now: number; windowMs: number }
  | { type: 'reset' };

export function visitorsReducer(list: LiveVisitor[], action: VisitorsAction): LiveVisitor[] {
  switch (action.type) {
    case 'merge':
      return mergeVisitors(list, action.visitors);
    case 'score':
      return applyScoreChange(list, action.change);
    case 'gone': {
      const kept = list.filter((visitor) => !action.visitorIds.includes(visitor.visitorId));
      return kept.length === list.length ? list : kept;
    }
    case 'expire': {
      const active = activeVisitors(list, action.now, action.windowMs);
      // Same array when nobody left, so the page does not render for nothing.
      return active.length === list.length ? list : active;
    }
    case 'reset':
      return list.length ? [] : list;
  }
}

/** The latest "last seen" in the list (ms since the epoch), or 0 for an empty list. */
export function latestSeen(list: readonly LiveVisitor[]): number {
  return list.reduce((latest, visitor) => Math.max(latest, seen(visitor)), 0);
}

/**
 * What takes the visitor table's place. The first-run help ("open the demo shop", "install the snippet")
 * is for a site that has never had a pageview: shown to a site with traffic but nobody on it right now,
 * it says the install is broken. Nothing is claimed until both lists have answered; a pageview list that
 * failed (its error shows under it) does not make a site new either.
 */
export type VisitorsPanel =
  | { kind: 'loading' }
  | { kind: 'visitors' }
  | { kind: 'quiet'; lastSeenAt: number | null }
  | { kind: 'first-run' };

export function visitorsPanel({
  visitors,
  pageviews,
  seenBefore = 0,
}: {
  /** Who is on the site now; null until the list's first load has answered. */
  visitors: readonly LiveVisitor[] | null;
  /** The recent pageviews, newest first; null until their first load has answered, 'failed' if it failed. */
  pageviews: readonly Pick<LivePageview, 'receivedAt'>[] | 'failed' | null;
  /** The latest "last seen" of anyone the page has listed since it opened (they may have left since). */
  seenBefore?: number;
}): VisitorsPanel {
  if (visitors === null) return { kind: 'loading' };
  if (visitors.length > 0) return { kind: 'visitors' };
  if (pageviews === null) return { kind: 'loading' };
  const lastPageview = pageviews === 'failed' ? 0 : Date.parse(pageviews[0]?.receivedAt ?? '') || 0;
  const lastSeenAt = Math.max(lastPageview, seenBefore);
  if (lastSeenAt > 0 || pageviews === 'failed') return { kind: 'quiet', lastSeenAt: lastSeenAt || null };
  return { kind: 'first-run' };
}

/**
 * How long until the first of these visitors falls out of the window (just past its edge), or null for
 * an empty list: the page sets one timer for that moment instead of checking on an interval.
 */
export function nextExpiryIn(list: readonly LiveVisitor[], now: number, windowMs: number): number | null {
  if (list.length === 0) return null;
  const oldest = Math.min(...list.map(seen));
  return Math.max(0, oldest + windowMs + 1 - now);
}

/**
 * Keeps one timer armed for the next visitor to leave the window and calls `expire(now)` when it fires,
 * then arms the next one for whoever remains; returns its cancel. The page re-arms it whenever the list
 * changes (a push may bring someone back), so no interval and no request is needed to drop leavers.
 */
export function expireOnTime(
  list: readonly LiveVisitor[],
  windowMs: number,
  expire: (now: number) => void,
  clock: () => number = serverNow,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let remaining = list;
  const arm = () => {
    const wait = nextExpiryIn(remaining, clock(), windowMs);
    if (wait === null) return;
    timer = setTimeout(() => {
      const now = clock();
      remaining = activeVisitors(remaining, now, windowMs);
      expire(now);
      arm();
    }, wait);
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * A visible tab's keepalive moves "last seen" on at least once a minute (pings every 8 s, written once a
 * minute), so a visitor seen within 90 s is still there; past that they have hidden or closed the tab.
 */
export const presentWithinMs = 90_000;

/**
 * Time on site for this visit: up to now while the visitor is present, else up to when they were last
 * seen (with `idleMs`, how long ago that was), so a visitor who left does not keep gaining minutes.
 */
export function timeOnSite(
  visitor: Pick<LiveVisitor, 'sessionStartedAt' | 'lastSeenAt'>,
  now: number,
): { ms: number; idleMs: number | null } {
  const started = Date.parse(visitor.sessionStartedAt) || 0;
  const last = Date.parse(visitor.lastSeenAt) || 0;
  const idleMs = now - last;
  if (idleMs <= presentWithinMs) return { ms: Math.max(0, now - started), idleMs: null };
  return { ms: Math.max(0, last - started), idleMs };
}

const clickIdNames: Record<string, string> = {
  gclid: 'Google Ads',
  fbclid: 'Meta ads',
  yclid: 'Yandex Direct',
  msclkid: 'Microsoft Ads',
};

/** "Google Ads", "newsletter / email", "linkedin.com" or "Direct": the most telling thing first. */
export function sourceLabel(source: VisitSource): { label: string; detail: string | null; paid: boolean } {
  const campaign = source.utm.campaign ?? null;
  if (source.clickIdType)
    return { label: clickIdNames[source.clickIdType] ?? source.clickIdType, detail: campaign, paid: true };
  if (source.utm.source || source.utm.medium) {
    return { label: [source.utm.source, source.utm.medium].filter(Boolean).join(' / '), detail: campaign, paid: false };
  }
  if (source.referrerDomain) return { label: source.referrerDomain, detail: null, paid: false };
  return { label: t('direct'), detail: null, paid: false };
}

/** "45 s", "3 min", "1 h 20 min". */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('durationSeconds', { count: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('durationMinutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? t('durationHoursMinutes', { hours, minutes: minutes % 60 }) : t('durationHours', { hours });
}

/**
 * Adds the visitors the page lists now to `seen`, which outlives their rows: Recent pageviews still shows a
 * visitor who left the live list, and a known person must not turn back into "Visitor 7F3K" there. Holds at
 * most `limit` visitors, the longest unseen dropped first.
 */
export function rememberVisitors(
  seen: Map<string, LiveVisitor>,
  visitors: readonly LiveVisitor[],
  limit = 5_000,
): void {
  for (const visitor of visitors) {
    seen.delete(visitor.visitorId);
    seen.set(visitor.visitorId, visitor);
  }
  for (const visitorId of seen.keys()) {
    if (seen.size <= limit) break;
    seen.delete(visitorId);
  }
}

/**
 * Who the visitor is, as far as we know: their person's one display name (the same on every page), else
 * the same rule over what this browser told (`displayName`: name, email, phone, "Visitor 7F3K").
 */
export function visitorName(visitor: Pick<LiveVisitor, 'name' | 'email' | 'visitorId' | 'person'>): {
  primary: string;
  secondary: string | null;
  known: boolean;
} {
  if (!visitor.person && isAnonymousVisitorId(visitor.visitorId))
    return { primary: t('anonymousVisitor'), secondary: null, known: false };
  const name = visitor.person?.name ?? displayName(visitor, visitor.visitorId);
  const known = Boolean(visitor.name || visitor.email || (visitor.person && name !== visitorLabel(visitor.visitorId)));
  const primary = shownName(name);
  // With a person the name says who it is (and links to them); an email is shown only for a visitor nobody tied to a person yet.
  return {
    primary,
    secondary: !visitor.person && visitor.email && visitor.email !== primary ? visitor.email : null,
    known,
  };
}
