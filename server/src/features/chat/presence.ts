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
