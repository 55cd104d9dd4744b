import type { AppDeps } from '../../app-env.js';
import { liveVisitorsById } from '../visitors/index.js';
import { createBatcher } from '../../lib/batcher.js';

/**
 * Tells the tabs showing a site's Visitors page that a keepalive moved visitors' "last seen" on, so an idle reader's row stays
 * true (and on the list) without the dashboard polling. Visitors refreshed during one turn of the event
 * loop are read together, one statement per site, after the pings were answered; the rows then leave
 * through the realtime queue as one `visitors:updated` frame per site. A failed read costs only the push.
 */
export function presencePush({
  db,
  realtime,
  logger,
}: Pick<AppDeps, 'db' | 'realtime' | 'logger'>): (siteId: string, visitorId: string) => void {
  const pushes = createBatcher<{ siteId: string; visitorId: string }>(
    async (refreshed, siteId) => {
      try {
        const visitorIds = [...new Set(refreshed.map(({ visitorId }) => visitorId))];
        for (const visitor of await liveVisitorsById(db, siteId, visitorIds)) realtime.visitorToSite(siteId, visitor);
      } catch (error) {
        logger.error('presence push failed', { error, siteId });
      }
    },
    // Several reads of a site may overlap: a push is never held back behind a slow one.
    { wait: 'turn', maxInFlight: Infinity, keyOf: ({ siteId }) => siteId },
  );
  // Nobody shows the site's Visitors page: no row to read.
  return (siteId, visitorId) => {
    if (realtime.watchingVisitors(siteId)) void pushes.submit({ siteId, visitorId });
  };
}
