import type { AppDeps } from '../../app-env.js';
import { chatVisitorsOfMany } from '../invitations/index.js';
import { onTemperatureChanges } from '../scoring/index.js';

/**
 * "Became hot" over `/visitor`: a visitor whose chat is loaded hears it at once (the collect answer carries
 * it otherwise). One lookup per commit that turned visitors hot. Returns the unsubscribe function.
 */
export function pushHotToVisitors(deps: Pick<AppDeps, 'db' | 'realtime'>) {
  return onTemperatureChanges(async (changes) => {
    const turnedHot = changes.filter((change) => change.temperature === 'hot' && change.previous !== 'hot');
    const chatVisitors = await chatVisitorsOfMany(deps.db, turnedHot);
    for (const change of turnedHot) {
      const at = new Date(change.at).getTime();
      for (const chatVisitorId of chatVisitors.get(`${change.siteId}\u0000${change.visitorId}`) ?? [])
        deps.realtime.toVisitor(chatVisitorId, 'visitor:hot', { at });
    }
  });
}
