import type { VisitContext } from '../protocol/collect.js';
import { truncate } from './text.js';

/**
 * Where this visit came from, read once on the landing page and kept for the session (later pages
 * lose the UTM tags, ad click ids and the referrer). The landing URL carries the UTM tags and click
 * ids (gclid, fbclid, yclid, msclkid); the server reads them from it, so the loader ships no parser.
 * Cut to the protocol's limits so a long ad URL cannot get the whole batch refused.
 */
export function landingContext(href: string, referrer: string): VisitContext {
  return referrer
    ? { landingUrl: truncate(href, 2048), referrer: truncate(referrer, 2048) }
    : { landingUrl: truncate(href, 2048) };
}
