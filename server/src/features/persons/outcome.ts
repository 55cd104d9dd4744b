import { eq, sql } from 'drizzle-orm';
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

/**
 * Many persons' won / lost at once (a CRM's bulk export): one update and one audit insert for all of them,
 * in the caller's transaction. A person listed twice takes the last outcome given.
 */
export async function markPersonsOutcomes(
  tx: DbOrTx,
  changes: ReadonlyArray<{ personId: string; outcome: Outcome | null }>,
  agentId: string | null,
): Promise<void> {
  const last = new Map(changes.map((change) => [change.personId, change.outcome]));
  if (last.size === 0) return;
  const rows = [...last].map(([person_id, outcome]) => ({ person_id, outcome }));
  await tx.execute(sql`
    update persons p set outcome = u.outcome, updated_at = now()
    from json_to_recordset(${JSON.stringify(rows)}::json) as u(person_id uuid, outcome text)
    where p.id = u.person_id`);
  await tx.execute(sql`
    insert into person_audit (person_id, by_agent_id, action, detail)
    select u.person_id, ${agentId}::uuid, 'outcome',
      case when u.outcome is null then 'Outcome cleared (bulk)' else 'Marked ' || u.outcome || ' (bulk)' end
    from json_to_recordset(${JSON.stringify(rows)}::json) as u(person_id uuid, outcome text)`);
}
