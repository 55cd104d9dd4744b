import type { AppDeps } from '../../app-env.js';
import { chatVisitorsOf } from '../invitations/service.js';
import { onTemperatureChange } from '../scoring/hooks.js';

/**
 * "Became hot" over `/visitor`: a visitor whose chat is loaded hears it at once (the collect answer carries
 * it otherwise). One lookup per change to hot, which is rare. Returns the unsubscribe function.
 */
export function pushHotToVisitors(deps: Pick<AppDeps, 'db' | 'realtime'>) {
  return onTemperatureChange(async (change) => {
    if (change.temperature !== 'hot' || change.previous === 'hot') return;
    const at = new Date(change.at).getTime();
    for (const chatVisitorId of await chatVisitorsOf(deps.db, change.siteId, change.visitorId)) deps.realtime.toVisitor(chatVisitorId, 'visitor:hot', { at });
  });
}
