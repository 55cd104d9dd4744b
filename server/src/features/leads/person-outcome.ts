import { asc, eq } from 'drizzle-orm';
import type { Outcome } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { leadsTable, personVisitorsTable, type PersonRow } from '../../db/schema.js';
import { markPersonOutcome } from '../persons/index.js';
import { labelVisitorsOfLead } from './scoring-link.js';
import { publishLead, updateLead } from './service.js';
import { recordOutcome } from '../scoring/index.js';

/**
 * Labels a person won / lost (null takes it back): through their lead when there is one (status changed
 * and audited as the agent's, `lead.updated`), on the person (audited) and on every browser for scoring.
 */
export async function setPersonOutcome(
  deps: Pick<AppDeps, 'db' | 'realtime'>,
  person: PersonRow,
  agent: { id: string; name: string },
  outcome: Outcome | null,
): Promise<void> {
  const { db } = deps;
  const [lead] = await db
    .select()
    .from(leadsTable)
    .where(eq(leadsTable.personId, person.id))
    .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id))
    .limit(1);
  await db.transaction(async (tx) => {
    if (lead) await updateLead(tx, lead.id, agent, { status: outcome ?? 'open' }, 'Marked on the person');
    await markPersonOutcome(tx, person.id, agent.id, outcome);
  });
  if (lead) {
    await labelVisitorsOfLead(db, lead, outcome ?? 'open');
    await publishLead(deps, lead.id);
  } else {
    const visitorIds = (
      await db
        .select({ id: personVisitorsTable.visitorId })
        .from(personVisitorsTable)
        .where(eq(personVisitorsTable.personId, person.id))
    ).map((row) => row.id);
    await recordOutcome(db, person.siteId, visitorIds, outcome);
  }
}
