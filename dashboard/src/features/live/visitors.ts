import type { LiveVisitor, TemperatureChange, VisitSource } from '@beckon/sdk/protocol';

const seen = (visitor: LiveVisitor) => Date.parse(visitor.lastSeenAt) || 0;

/** Upserts visitors by id (a push may race the REST list; the later `lastSeenAt` wins), newest first. */
export function mergeVisitors(list: readonly LiveVisitor[], incoming: readonly LiveVisitor[]): LiveVisitor[] {
  const byId = new Map(list.map((visitor) => [visitor.visitorId, visitor]));
  for (const visitor of incoming) {
    const current = byId.get(visitor.visitorId);
    if (!current || seen(visitor) >= seen(current)) byId.set(visitor.visitorId, visitor);
  }
  return [...byId.values()].sort((a, b) => seen(b) - seen(a));
}

/** A temperature change (e.g. a callback request) updates the visitor's badge in place. */
export function applyScoreChange(list: readonly LiveVisitor[], change: TemperatureChange): LiveVisitor[] {
  return list.map((visitor) =>
    visitor.visitorId === change.visitorId ? { ...visitor, score: change.score, temperature: change.temperature, explanation: change.explanation } : visitor,
  );
}

/** Visitors seen within the window: the rest have left (idle) and drop off the page. */
export function activeVisitors(list: readonly LiveVisitor[], now: number, windowMs: number): LiveVisitor[] {
  return list.filter((visitor) => now - seen(visitor) <= windowMs);
}

const clickIdNames: Record<string, string> = { gclid: 'Google Ads', fbclid: 'Meta ads', yclid: 'Yandex Direct', msclkid: 'Microsoft Ads' };

/** "Google Ads", "newsletter / email", "linkedin.com" or "Direct": the most telling thing first. */
export function sourceLabel(source: VisitSource): { label: string; detail: string | null; paid: boolean } {
  const campaign = source.utm.campaign ?? null;
  if (source.clickIdType) return { label: clickIdNames[source.clickIdType] ?? source.clickIdType, detail: campaign, paid: true };
  if (source.utm.source || source.utm.medium) {
    return { label: [source.utm.source, source.utm.medium].filter(Boolean).join(' / '), detail: campaign, paid: false };
  }
  if (source.referrerDomain) return { label: source.referrerDomain, detail: null, paid: false };
  return { label: 'Direct', detail: null, paid: false };
}

/** "45 s", "3 min", "1 h 20 min". */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** Who the visitor is, as far as we know. */
export function visitorName(visitor: Pick<LiveVisitor, 'name' | 'email' | 'visitorId'>): { primary: string; secondary: string | null; known: boolean } {
  if (visitor.name) return { primary: visitor.name, secondary: visitor.email, known: true };
  if (visitor.email) return { primary: visitor.email, secondary: null, known: true };
  return { primary: `Visitor ${visitor.visitorId.slice(0, 6)}`, secondary: null, known: false };
}
