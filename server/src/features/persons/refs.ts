import { displayName, type PersonRef } from '@beckon/sdk/protocol';
import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { leadsTable, personsTable, type PersonRow } from '../../db/schema.js';

/** The one display name of a person: name, else email, else phone, else "Visitor 7F3K" from its label seed. */
export const personName = (person: Pick<PersonRow, 'name' | 'email' | 'phone' | 'labelSeed'>) =>
  displayName(person, person.labelSeed);

export const personRef = (person: Pick<PersonRow, 'id' | 'name' | 'email' | 'phone' | 'labelSeed'>): PersonRef => ({
  id: person.id,
  name: personName(person),
});

/** Person links of persons by id, one query. */
export async function personRefsById(
  db: DbOrTx,
  personIds: readonly (string | null | undefined)[],
): Promise<Map<string, PersonRef>> {
  const ids = [...new Set(personIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(personsTable).where(inArray(personsTable.id, ids));
  return new Map(rows.map((row) => [row.id, personRef(row)]));
}

/** Person links of leads (callbacks and feedback reach their person through their lead), one query. */
export async function personRefsByLead(
  db: DbOrTx,
  leadIds: readonly (string | null | undefined)[],
): Promise<Map<string, PersonRef>> {
  const ids = [...new Set(leadIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ leadId: leadsTable.id, person: personsTable })
    .from(leadsTable)
    .innerJoin(personsTable, eq(personsTable.id, leadsTable.personId))
    .where(inArray(leadsTable.id, ids));
  return new Map(rows.map((row) => [row.leadId, personRef(row.person)]));
}
