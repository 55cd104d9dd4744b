import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { PersonSummary } from '@beckon/sdk/protocol';
import type { AgentIdentity } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { personsTable, type PersonRow } from '../../db/schema.js';
import { notFound } from '../../lib/errors.js';
import { getVisibleSite } from '../sites/index.js';
import { normaliseEmail, normalisePhone } from './identify.js';
import { personName } from './refs.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A person of a site the agent may see, following merges to the person it lives on as; otherwise "not
 * found", never "forbidden" (it would confirm the person exists).
 */
export async function getVisiblePerson(db: Db, agent: AgentIdentity, personId: string): Promise<PersonRow> {
  if (!uuidPattern.test(personId)) throw notFound('Person');
  let [person] = await db.select().from(personsTable).where(eq(personsTable.id, personId));
  // Merges point at live persons (a merge moves everything on), but a chain of merges is followed anyway.
  for (let hops = 0; person?.mergedInto && hops < 10; hops++)
    [person] = await db.select().from(personsTable).where(eq(personsTable.id, person.mergedInto));
  if (!person) throw notFound('Person');
  await getVisibleSite(db, agent, person.siteId).catch(() => {
    throw notFound('Person');
  });
  return person;
}

/** The person a privacy request names by email or phone (normalised as identify does), on one site. */
export async function findPersonByContact(
  db: Db,
  siteId: string,
  contact: { email?: string | undefined; phone?: string | undefined },
): Promise<PersonRow | null> {
  const email = normaliseEmail(contact.email);
  const phone = normalisePhone(contact.phone);
  if (!email && !phone) return null;
  const [person] = await db
    .select()
    .from(personsTable)
    .where(
      and(
        eq(personsTable.siteId, siteId),
        isNull(personsTable.mergedInto),
        or(email ? eq(personsTable.email, email) : undefined, phone ? eq(personsTable.phone, phone) : undefined),
      ),
    )
    .orderBy(asc(personsTable.createdAt), asc(personsTable.id))
    .limit(1);
  return person ?? null;
}

export const toPersonSummary = (row: PersonRow): PersonSummary => ({
  id: row.id,
  siteId: row.siteId,
  displayName: personName(row),
  name: row.name,
  email: row.email,
  phone: row.phone,
  label: personName({ name: null, email: null, phone: null, labelSeed: row.labelSeed }),
  outcome: row.outcome,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
