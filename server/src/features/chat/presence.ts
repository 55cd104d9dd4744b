import { inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { agentsAwayTable } from '../../db/schema.js';

/**
 * An agent's chosen status is theirs, not a tab's: "away" chosen in one tab holds for every tab and
 * node until they choose "online" again (a reload or a second tab does not bring them back).
 */
export async function setAgentAway(db: Db, agentId: string, away: boolean): Promise<void> {
  if (away) await db.insert(agentsAwayTable).values({ agentId }).onConflictDoNothing();
  else await db.delete(agentsAwayTable).where(sql`${agentsAwayTable.agentId} = ${agentId}`);
  presenceChanged();
}

// Counts this node's presence changes (a status chosen, a dashboard opened or closed): statuses read before
// a change are not reused after it (the welcome rounds' `reusedStatuses`).
let presenceEpoch = 0;
export const presenceChanged = () => void presenceEpoch++;

/**
 * `read(siteId)` (the site's agents and their statuses), reused for `ms` by the next calls for the same
 * site unless presence changed on this node meanwhile. For bursts: 1,000 chats opening in a second ran a
 * welcome round every few milliseconds, each asking every node for the site's sockets and the database for
 * who is away (bench:chat, 2 pairs of 20-s runs: first-second ack p99 43 and 50 ms each time, 28 and 25 ms
 * reused for 100 ms). Another node's change shows within `ms`.
 */
export function reusedStatuses<T>(ms: number, read: (siteId: string) => Promise<T>): (siteId: string) => Promise<T> {
  const last = new Map<string, { at: number; epoch: number; statuses: Promise<T> }>();
  return (siteId) => {
    const now = performance.now();
    const hit = last.get(siteId);
    if (hit && now - hit.at < ms && hit.epoch === presenceEpoch) return hit.statuses;
    const statuses = read(siteId);
    // A failed read is not reused; the caller sees its rejection.
    statuses.catch(() => last.get(siteId)?.statuses === statuses && last.delete(siteId));
    last.set(siteId, { at: now, epoch: presenceEpoch, statuses });
    return statuses;
  };
}

/** Which of these agents chose away: one indexed read, for agents that have a dashboard open. */
export async function readAwayAgents(db: DbOrTx, agentIds: string[]): Promise<Set<string>> {
  if (agentIds.length === 0) return new Set();
  const rows = await db
    .select({ agentId: agentsAwayTable.agentId })
    .from(agentsAwayTable)
    .where(inArray(agentsAwayTable.agentId, agentIds));
  return new Set(rows.map((row) => row.agentId));
}
