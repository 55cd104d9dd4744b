import type { VisitContext } from '../protocol/collect.js';

/**
 * Where this visit came from, read once on the landing page and kept for the session (later pages
 * lose the UTM tags, ad click ids and the referrer). The landing URL carries the UTM tags and click
 * ids (gclid, fbclid, yclid, msclkid); the server reads them from it, so the loader ships no parser.
 * Cut to the protocol's limits so a long ad URL cannot get the whole batch refused.
 */
export function landingContext(href: string, referrer: string): VisitContext {
  return referrer ? { landingUrl: href.slice(0, 2048), referrer: referrer.slice(0, 2048) } : { landingUrl: href.slice(0, 2048) };
}
