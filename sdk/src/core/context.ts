import type { ClickIdType, Utm, VisitContext } from '../protocol/collect.js';

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;
const clickIdKeys: readonly ClickIdType[] = ['gclid', 'fbclid', 'yclid', 'msclkid'];

/**
 * Where this visit came from, read once on the landing page and kept for the session (later pages
 * lose the UTM tags and the referrer). Values are cut to the protocol's limits so a long ad URL
 * cannot get the whole batch refused.
 */
export function landingContext(href: string, referrer: string): VisitContext {
  const context: VisitContext = { landingUrl: href.slice(0, 2048) };
  if (referrer) context.referrer = referrer.slice(0, 2048);
  let params: URLSearchParams;
  try {
    params = new URL(href).searchParams;
  } catch {
    return context;
  }
  const utm: Utm = {};
  for (const key of utmKeys) {
    const value = params.get(`utm_${key}`)?.trim();
    if (value) utm[key] = value.slice(0, 200);
  }
  if (Object.keys(utm).length) context.utm = utm;
  const clickIds: Record<string, string> = {};
  for (const key of clickIdKeys) {
    const value = params.get(key);
    if (value) clickIds[key] = value.slice(0, 500);
  }
  if (Object.keys(clickIds).length) context.clickIds = clickIds;
  return context;
}
