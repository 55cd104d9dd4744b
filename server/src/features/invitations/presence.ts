import type { AppDeps } from '../../app-env.js';
import { liveVisitorsById } from '../visitors/index.js';

/**
 * Tells a site's dashboards that a keepalive moved visitors' "last seen" on, so an idle reader's row stays
 * true (and on the list) without the dashboard polling. Visitors refreshed during one turn of the event
 * loop are read together, one statement per site, after the pings were answered; the rows then leave
 * through the realtime queue as one `visitors:updated` frame per site. A failed read costs only the push.
 */
export function presencePush({ db, realtime, logger }: Pick<AppDeps, 'db' | 'realtime' | 'logger'>): (siteId: string, visitorId: string) => void {
  let pending = new Map<string, Set<string>>();
  const flush = async (batch: Map<string, Set<string>>) => {
    for (const [siteId, visitorIds] of batch) {
      try {
        for (const visitor of await liveVisitorsById(db, siteId, [...visitorIds])) realtime.visitorToSite(siteId, visitor);
      } catch (error) {
        logger.error('presence push failed', { error, siteId });
      }
    }
  };
  return (siteId, visitorId) => {
    if (pending.size === 0) {
      setImmediate(() => {
        const batch = pending;
        pending = new Map();
        void flush(batch);
      });
    }
    const ofSite = pending.get(siteId);
    if (ofSite) ofSite.add(visitorId);
    else pending.set(siteId, new Set([visitorId]));
  };
}
