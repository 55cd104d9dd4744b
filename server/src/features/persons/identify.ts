import { truncate, truncateReadable } from '@beckon/sdk/core';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../../db/client.js';
import {
  chatVisitorsTable,
  leadAuditTable,
  leadsTable,
  personAuditTable,
  personVisitorsTable,
  personsTable,
  type PersonRow,
} from '../../db/schema.js';

/** The dedupe key for emails: case and surrounding spaces never make a second person. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value && value.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(value) ? value : null;
}

/** E.164 only (callers parse with libphonenumber-js); spaces and dashes a caller left in are dropped. */
export function normalisePhone(phone: string | null | undefined): string | null {
  const value = phone?.replace(/[\s().-]/g, '');
  return value && /^\+[1-9]\d{6,14}$/.test(value) ? value : null;
}

export const cleanName = (name: string | null | undefined) => {
  const value = name?.trim().replace(/\s+/g, ' ');
  return value ? truncateReadable(value, 200) : null;
};

/** What one channel learnt about who is there: a widget `identify`, a pre-chat form, a callback or feedback form. */
export interface Identification {
  siteId: string;
  /** Tracker visitor ids of the browser (a chat visitor may carry several from before consent). */
  visitorIds?: readonly (string | null | undefined)[];
  chatVisitorId?: string | null;
  contact: { name?: string | null; email?: string | null; phone?: string | null };
  /** The site's user id, only when verified (`userHash`): it decides before email and phone. */
  verifiedUserId?: string | null | undefined;
  /** For the audit: 'identify', 'chat', 'callback', 'feedback'. */
  source: string;
  /** The id a new person's "Visitor 7F3K" label derives from (default: the first visitor id), so it matches the label already shown. */
  labelSeed?: string | null | undefined;
}

/**
 * Serialises lookups per identity (site + email / phone / visitor id / chat visitor) for the rest of the
 * caller's transaction, so two browsers identifying with one email at the same moment make one person (and
 * two touches of one new person one lead: `namespace` keeps persons' and leads' locks apart). Keys are taken
 * in sorted order, so two transactions cannot deadlock on them: one statement takes them one after the other,
 * in the order of the array (a statement per key cost a chat's lead touch two more statements to build, send
 * and run).
 */
export async function lockIdentities(db: DbOrTx, namespace: 'person' | 'lead', siteId: string, keys: string[]) {
  const sorted = [...new Set(keys)].sort().map((key) => `${namespace}:${siteId}:${key}`);
  if (sorted.length === 0) return;
  await db.execute(sql`
    select pg_advisory_xact_lock(hashtextextended(k.key, 0))
    from json_array_elements_text(${JSON.stringify(sorted)}::json) with ordinality as k(key, n)
    order by k.n`);
}

/** Two different emails (or phones, or verified user ids) are two different people, whatever browser they share. */
const conflicts = (
  a: Pick<PersonRow, 'email' | 'phone' | 'userId'>,
  b: { email: string | null; phone: string | null; userId?: string | null },
) =>
  Boolean(
    (a.email && b.email && a.email !== b.email) ||
      (a.phone && b.phone && a.phone !== b.phone) ||
      (a.userId && b.userId && a.userId !== b.userId),
  );

/** What we know to call a person by (name, email, phone), or null. */
const contactOf = (person: Pick<PersonRow, 'name' | 'email' | 'phone'>) =>
  [person.name, person.email, person.phone].filter(Boolean).join(', ') || null;
const describe = (person: Pick<PersonRow, 'name' | 'email' | 'phone' | 'id'>) =>
  contactOf(person) ?? `person ${person.id.slice(0, 8)}`;

/**
 * Finds the person behind an identification and returns its id, inside the caller's transaction:
 * by normalised email, else E.164 phone, else the browser (visitor ids, chat visitor) when its person
 * does not carry another email or phone. Persons of the same human found on other browsers are merged
 * into the oldest match (their visitor ids, chat visitors and leads move; the merged row stays, marked
 * `mergedInto`; both sides are audited). A browser whose person has another email or phone is not
 * merged: that browser stays with the person first seen on it (as its lead does), and both are audited.
 * Returns null when the identification carries nothing to go by.
 */
export async function identifyPerson(
  db: DbOrTx,
  input: Identification,
): Promise<{ personId: string; created: boolean; person: PersonRow } | null> {
  const email = normaliseEmail(input.contact.email);
  const phone = normalisePhone(input.contact.phone);
  const name = cleanName(input.contact.name);
  const visitorIds = [
    ...new Set(
      input.visitorIds?.map((id) => truncate(id?.trim() ?? '', 100)).filter((id): id is string => Boolean(id)) ?? [],
    ),
  ];
  const chatVisitorId = input.chatVisitorId ?? null;
  const userId = input.verifiedUserId?.trim().slice(0, 200) || null;
  if (!email && !phone && !userId && visitorIds.length === 0 && !chatVisitorId) return null;
  const { siteId } = input;

  return inTransaction(db, async (tx) => {
    // The look-ups start only once the locks are granted, so each sees what a transaction it waited for
    // committed. Issued together they did not run in that order: drizzle hands a builder's select to the
    // driver a few microtasks sooner than a raw `execute`, so the look-ups by browser reached PostgreSQL
    // before the locks, and two identifications of one new browser at once made two persons (persons.test.ts).
    await lockIdentities(tx, 'person', siteId, [
      ...(userId ? [`user:${userId}`] : []),
      ...(email ? [`email:${email}`] : []),
      ...(phone ? [`phone:${phone}`] : []),
      ...visitorIds.map((id) => `visitor:${id}`),
      ...(chatVisitorId ? [`chat:${chatVisitorId}`] : []),
    ]);
    const live = and(eq(personsTable.siteId, siteId), isNull(personsTable.mergedInto));
    const oldestFirst = [asc(personsTable.createdAt), asc(personsTable.id)];
    const none = Promise.resolve([] as PersonRow[]);
    const withValue = (
      column: typeof personsTable.email | typeof personsTable.phone | typeof personsTable.userId,
      value: string | null,
    ) =>
      value
        ? tx
            .select()
            .from(personsTable)
            .where(and(live, eq(column, value)))
            .orderBy(...oldestFirst)
        : none;
    const [byUser, byEmail, byPhone, byVisitor, byChat] = await Promise.all([
      withValue(personsTable.userId, userId),
      withValue(personsTable.email, email),
      withValue(personsTable.phone, phone),
      visitorIds.length
        ? tx
            .select({ person: personsTable })
            .from(personVisitorsTable)
            .innerJoin(personsTable, eq(personsTable.id, personVisitorsTable.personId))
            .where(
              and(
                eq(personVisitorsTable.siteId, siteId),
                inArray(personVisitorsTable.visitorId, visitorIds),
                isNull(personsTable.mergedInto),
              ),
            )
            .orderBy(...oldestFirst)
            .then((rows) => rows.map((row) => row.person))
        : none,
      chatVisitorId
        ? tx
            .select({ person: personsTable })
            .from(chatVisitorsTable)
            .innerJoin(personsTable, eq(personsTable.id, chatVisitorsTable.personId))
            .where(
              and(
                eq(chatVisitorsTable.id, chatVisitorId),
                eq(chatVisitorsTable.siteId, siteId),
                isNull(personsTable.mergedInto),
              ),
            )
            .then((rows) => rows.map((row) => row.person))
        : none,
    ]);

    const told = { email, phone, userId };
    const byBrowser = [...byChat, ...byVisitor].filter((person) => !conflicts(person, told));
    // A verified user id names one person: an email or phone of someone with another user id is someone else's.
    const sameUser = (person: PersonRow) => !(userId && person.userId && person.userId !== userId);
    const candidates = [
      ...new Map(
        [...byUser, ...byEmail.filter(sameUser), ...byPhone.filter(sameUser), ...byBrowser].map((person) => [
          person.id,
          person,
        ]),
      ).values(),
    ];
    const now = new Date();
    const audits: (typeof personAuditTable.$inferInsert)[] = [];
    let created = false;
    const among = (rows: PersonRow[]) => candidates.find((person) => rows.some((row) => row.id === person.id));
    const found =
      byUser[0] ??
      among(byEmail) ??
      among(byPhone) ??
      [...candidates].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))[0];
    let primary: PersonRow;
    if (found) primary = found;
    else {
      [primary] = (await tx
        .insert(personsTable)
        .values({
          siteId,
          name,
          email,
          phone,
          userId,
          labelSeed: input.labelSeed ?? visitorIds[0] ?? chatVisitorId ?? crypto.randomUUID(),
          createdAt: now,
          updatedAt: now,
        })
        .returning()) as [PersonRow];
      created = true;
      audits.push({
        personId: primary.id,
        action: 'created',
        detail: `First seen through ${input.source}`,
        data: { source: input.source },
        createdAt: now,
      });
    }

    // Merge the other matches that can be the same human: each adds what it knew and was not contradicted.
    const known = { name: primary.name, email: primary.email, phone: primary.phone, userId: primary.userId };
    const merged: PersonRow[] = [];
    for (const other of candidates) {
      if (other.id === primary.id || conflicts(other, known) || conflicts(other, told)) continue;
      merged.push(other);
      known.name ??= other.name;
      known.email ??= other.email;
      known.phone ??= other.phone;
      known.userId ??= other.userId;
    }
    const fill = {
      name: known.name ?? name,
      email: known.email ?? email,
      phone: known.phone ?? phone,
      userId: known.userId ?? userId,
    };
    const changes = Object.fromEntries(
      Object.entries(fill).filter(([field, value]) => value !== null && primary[field as keyof typeof fill] === null),
    ) as Partial<typeof fill>;
    if (!created) {
      for (const [field, value] of Object.entries(changes))
        audits.push({
          personId: primary.id,
          action: 'identified',
          detail: `${field} ${value} (from ${input.source})`,
          data: { field, value: String(value), source: input.source },
          createdAt: now,
        });
    }
    if (Object.keys(changes).length || merged.length) {
      [primary] = (await tx
        .update(personsTable)
        .set({ ...changes, updatedAt: now })
        .where(eq(personsTable.id, primary.id))
        .returning()) as [PersonRow];
    }
    if (merged.length) {
      const ids = merged.map((person) => person.id);
      await tx
        .update(personVisitorsTable)
        .set({ personId: primary.id })
        .where(inArray(personVisitorsTable.personId, ids));
      await tx.update(chatVisitorsTable).set({ personId: primary.id }).where(inArray(chatVisitorsTable.personId, ids));
      const movedLeads = await tx
        .update(leadsTable)
        .set({ personId: primary.id })
        .where(inArray(leadsTable.personId, ids))
        .returning({ id: leadsTable.id });
      // Two leads of one person now: both are kept; the older one (the person's lead) says so on its timeline.
      if (movedLeads.length) {
        const [oldest] = await tx
          .select({ id: leadsTable.id })
          .from(leadsTable)
          .where(eq(leadsTable.personId, primary.id))
          .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id))
          .limit(1);
        const others = movedLeads.filter((lead) => lead.id !== oldest!.id);
        if (others.length) {
          await tx.insert(leadAuditTable).values(
            others.map((lead) => ({
              leadId: oldest!.id,
              field: 'duplicate',
              fromValue: null,
              toValue: lead.id,
              note: `The same person's other lead (persons merged through ${input.source}); both are kept`,
            })),
          );
        }
      }
      await tx
        .update(personsTable)
        .set({ mergedInto: primary.id, updatedAt: now })
        .where(inArray(personsTable.id, ids));
      for (const other of merged) {
        audits.push({
          personId: primary.id,
          action: 'merged',
          detail: `Merged ${describe(other)} (${other.id}) into this person: same ${sameBy(other, told, primary)}, through ${input.source}`,
          data: {
            other: contactOf(other),
            otherId: other.id,
            same: sameBy(other, told, primary),
            source: input.source,
          },
          createdAt: now,
        });
        audits.push({
          personId: other.id,
          action: 'merged',
          detail: `Merged into ${describe(primary)} (${primary.id}) through ${input.source}`,
          data: { into: contactOf(primary), intoId: primary.id, source: input.source },
          createdAt: now,
        });
      }
    }

    // The browser's ids go to this person unless another person already has them: a browser belongs to the
    // first person seen on it (as its lead does), and a second person on it is noted on both, not merged.
    // The chat visitor's link leaves with the browser ids' (one round trip).
    const chatLinked = chatVisitorId
      ? tx
          .update(chatVisitorsTable)
          .set({ personId: primary.id })
          .where(and(eq(chatVisitorsTable.id, chatVisitorId), isNull(chatVisitorsTable.personId)))
          .then(() => undefined)
      : Promise.resolve();
    if (visitorIds.length) {
      const [linked] = await Promise.all([
        tx
          .insert(personVisitorsTable)
          .values(visitorIds.map((visitorId) => ({ siteId, visitorId, personId: primary.id, createdAt: now })))
          .onConflictDoNothing()
          .returning({ visitorId: personVisitorsTable.visitorId }),
        chatLinked,
      ]);
      // A browser or device seen for the first time with a known person (the phone that signed in).
      if (!created && linked.length && (email || phone || userId)) {
        audits.push({
          personId: primary.id,
          action: 'browser_linked',
          detail: `Another browser or device identified as this person (${[email, phone, userId && `verified user ${userId}`].filter(Boolean).join(', ')}, through ${input.source})`,
          data: {
            contacts: [email, phone].filter((value): value is string => Boolean(value)),
            userId: userId ?? null,
            source: input.source,
          },
          createdAt: now,
        });
      }
      for (const other of byVisitor) {
        if (other.id === primary.id || merged.some((person) => person.id === other.id) || !created) continue;
        audits.push({
          personId: other.id,
          action: 'browser_shared',
          detail: `Someone else (${describe(primary)}) used a browser of this person; not merged: a different email or phone`,
          data: { other: contactOf(primary), otherId: primary.id, shared: 'used_yours' },
          createdAt: now,
        });
        audits.push({
          personId: primary.id,
          action: 'browser_shared',
          detail: `Uses a browser of ${describe(other)}; not merged: a different email or phone`,
          data: { other: contactOf(other), otherId: other.id, shared: 'uses_theirs' },
          createdAt: now,
        });
      }
    }
    await chatLinked;
    if (audits.length) await tx.insert(personAuditTable).values(audits);
    return { personId: primary.id, created, person: primary };
  });
}

function sameBy(
  other: Pick<PersonRow, 'email' | 'phone'>,
  told: { email: string | null; phone: string | null },
  primary: Pick<PersonRow, 'email' | 'phone'>,
) {
  if (other.email && other.email === (told.email ?? primary.email)) return 'email';
  if (other.phone && other.phone === (told.phone ?? primary.phone)) return 'phone';
  return 'browser';
}

/**
 * A widget `identify` with an email, phone or name: after the batch committed, the browser's visitor id
 * joins (or becomes) that person. Only batches with such an event cost anything here.
 */
export async function identifyFromEvents(
  db: DbOrTx,
  siteId: string,
  visitorId: string,
  events: readonly {
    type: string;
    traits?: {
      email?: string | undefined;
      phone?: string | undefined;
      name?: string | undefined;
      userId?: string | undefined;
    };
  }[],
  verifiedUserId?: string,
): Promise<void> {
  for (const event of events) {
    if (event.type !== 'identify' || !event.traits) continue;
    const { email, phone, name } = event.traits;
    // Only a user id whose userHash was checked (identity/identity.ts) ties browsers together.
    const userId = verifiedUserId !== undefined && event.traits.userId === verifiedUserId ? verifiedUserId : null;
    if (!email && !phone && !name && !userId) continue;
    await identifyPerson(db, {
      siteId,
      visitorIds: [visitorId],
      contact: { email, phone, name },
      verifiedUserId: userId,
      source: userId ? 'verified identify' : 'identify',
    });
  }
}

/** A browser id seen with a chat visitor that is already a person: it is theirs unless someone has it. */
export async function linkBrowser(db: DbOrTx, siteId: string, visitorId: string, personId: string): Promise<void> {
  await db
    .insert(personVisitorsTable)
    .values({ siteId, visitorId: visitorId.slice(0, 100), personId })
    .onConflictDoNothing();
}
