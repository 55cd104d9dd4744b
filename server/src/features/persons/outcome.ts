import { eq } from 'drizzle-orm';
import type { Outcome } from '@beckon/sdk/protocol';
import type { DbOrTx } from '../../db/client.js';
import { personAuditTable, personsTable } from '../../db/schema.js';

/** Sets a person's won / lost (null clears it) and audits it as the agent's, in the caller's transaction. */
export async function markPersonOutcome(
  tx: DbOrTx,
  personId: string,
  agentId: string,
  outcome: Outcome | null,
): Promise<void> {
  await tx.update(personsTable).set({ outcome, updatedAt: new Date() }).where(eq(personsTable.id, personId));
  await tx.insert(personAuditTable).values({
    personId,
    byAgentId: agentId,
    action: 'outcome',
    detail: outcome ? `Marked ${outcome}` : 'Outcome cleared',
    data: { outcome },
  });
}
