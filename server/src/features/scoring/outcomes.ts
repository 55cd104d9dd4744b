import { sql } from 'drizzle-orm';
import type { AppliedOutcome, Outcome, PutOutcomesResponse, VisitorOutcome } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { markPersonsOutcomes, normaliseEmail, normalisePhone } from '../persons/index.js';

/** Rows travel to PostgreSQL as one JSON parameter per statement: a 10,000-outcome call is a handful of round trips. */
const asJson = (value: unknown) => JSON.stringify(value);

interface Subject {
  index: number;
  visitorIds: string[];
  personId: string | null;
}

/**
 * Whose browsers each outcome labels, read in three statements whatever the size of the call: visitor ids
 * the site has seen; persons by normalised email or phone (live ones, the oldest on a tie) and their browsers.
 */
async function resolveSubjects(
  db: Pick<Db, 'execute'>,
  siteId: string,
  items: readonly VisitorOutcome[],
): Promise<Map<number, Subject>> {
  const byVisitor = items.flatMap((item, index) => (item.visitorId ? [{ index, id: item.visitorId }] : []));
  const byEmail = items.flatMap((item, index) => {
    const email = item.email ? normaliseEmail(item.email) : null;
    return email ? [{ index, email }] : [];
  });
  const byPhone = items.flatMap((item, index) => {
    const phone = item.phone ? normalisePhone(item.phone) : null;
    return phone ? [{ index, phone }] : [];
  });
  const subjects = new Map<number, Subject>();

  if (byVisitor.length > 0) {
    const known = new Set(
      rowsOf<{ visitor_id: string }>(
        await db.execute(sql`
          select v.visitor_id from visitors v
          where v.site_id = ${siteId}
            and v.visitor_id in (select value from json_array_elements_text(${asJson(byVisitor.map((s) => s.id))}::json))`),
      ).map((row) => row.visitor_id),
    );
    for (const { index, id } of byVisitor)
      if (known.has(id)) subjects.set(index, { index, visitorIds: [id], personId: null });
  }

  if (byEmail.length + byPhone.length > 0) {
    const emails = [...new Set(byEmail.map((s) => s.email))];
    const phones = [...new Set(byPhone.map((s) => s.phone))];
    const persons = rowsOf<{ id: string; email: string | null; phone: string | null }>(
      await db.execute(sql`
        select p.id, p.email, p.phone from persons p
        where p.site_id = ${siteId} and p.merged_into is null
          and (p.email in (select value from json_array_elements_text(${asJson(emails)}::json))
            or p.phone in (select value from json_array_elements_text(${asJson(phones)}::json)))
        order by p.created_at, p.id`),
    );
    const personOfEmail = new Map<string, string>();
    const personOfPhone = new Map<string, string>();
    for (const person of persons) {
      if (person.email && !personOfEmail.has(person.email)) personOfEmail.set(person.email, person.id);
      if (person.phone && !personOfPhone.has(person.phone)) personOfPhone.set(person.phone, person.id);
    }
    const browsers = new Map<string, string[]>();
    if (persons.length > 0) {
      const links = rowsOf<{ person_id: string; visitor_id: string }>(
        await db.execute(sql`
          select pv.person_id, pv.visitor_id from person_visitors pv
          join visitors v on v.site_id = pv.site_id and v.visitor_id = pv.visitor_id
          where pv.site_id = ${siteId}
            and pv.person_id in (select value::uuid from json_array_elements_text(${asJson(persons.map((p) => p.id))}::json))`),
      );
      for (const link of links) {
        const list = browsers.get(link.person_id) ?? [];
        list.push(link.visitor_id);
        browsers.set(link.person_id, list);
      }
    }
    const found = (index: number, personId: string | undefined) => {
      if (!personId) return;
      subjects.set(index, { index, visitorIds: browsers.get(personId) ?? [], personId });
    };
    for (const { index, email } of byEmail) found(index, personOfEmail.get(email));
    for (const { index, phone } of byPhone) found(index, personOfPhone.get(phone));
  }
  return subjects;
}

/**
 * Labels visitors won or lost (null clears) for scoring: `PUT /api/sites/:id/outcomes`, for API keys with
 * `outcomes:write` and dashboard sessions alike, up to 10,000 at a time. Each outcome carries the caller's
 * id: an id this site already applied is a duplicate and changes nothing, so a retried export can never
 * undo a label given since. By email or phone it labels the person and every browser of theirs. Ids are
 * claimed and labels written in one transaction, a few statements for the whole call; a subject the site
 * does not know is `not_found` and its id stays unclaimed (sent again once the visitor exists, it applies).
 */
export async function applyOutcomes(
  db: Db,
  siteId: string,
  items: readonly VisitorOutcome[],
  agentId: string | null,
  at = new Date(),
): Promise<PutOutcomesResponse> {
  const results: AppliedOutcome[] = items.map((item) => ({ id: item.id, status: 'not_found', visitors: 0 }));
  // Within one call, the first outcome with an id is the one that counts; later copies are duplicates.
  const firstWithId = new Map<string, number>();
  items.forEach((item, index) => {
    if (firstWithId.has(item.id)) results[index]!.status = 'duplicate';
    else firstWithId.set(item.id, index);
  });
  const candidates = items.filter((_, index) => results[index]!.status !== 'duplicate');
  const indexOf = [...firstWithId.values()];

  await db.transaction(async (tx) => {
    const subjects = await resolveSubjects(tx, siteId, candidates);
    const found = [...subjects.values()].map((subject) => ({ ...subject, index: indexOf[subject.index]! }));
    if (found.length === 0) return;
    // Claim the ids: only those not applied before (by this call or an earlier one) go on.
    const claimed = new Set(
      rowsOf<{ id: string }>(
        await tx.execute(sql`
          insert into outcome_receipts (site_id, id, outcome, visitors, applied_at)
          select ${siteId}, r.id, r.outcome, r.visitors, ${at.toISOString()}::timestamptz
          from json_to_recordset(${asJson(
            found.map((subject) => ({
              id: items[subject.index]!.id,
              outcome: items[subject.index]!.outcome,
              visitors: subject.visitorIds.length,
            })),
          )}::json) as r(id text, outcome text, visitors int)
          on conflict (site_id, id) do nothing
          returning id`),
      ).map((row) => row.id),
    );
    // In the order sent: a browser labelled twice in one call keeps the last outcome.
    const labels = new Map<string, Outcome | null>();
    const personChanges: Array<{ personId: string; outcome: Outcome | null }> = [];
    for (const subject of found.sort((a, b) => a.index - b.index)) {
      const item = items[subject.index]!;
      const result = results[subject.index]!;
      if (!claimed.has(item.id)) {
        result.status = 'duplicate';
        continue;
      }
      result.status = 'applied';
      result.visitors = subject.visitorIds.length;
      for (const visitorId of subject.visitorIds) labels.set(visitorId, item.outcome);
      if (subject.personId) personChanges.push({ personId: subject.personId, outcome: item.outcome });
    }
    if (labels.size > 0) {
      await tx.execute(sql`
        update visitors v set outcome = u.outcome,
          outcome_at = case when u.outcome is null then null else ${at.toISOString()}::timestamptz end
        from json_to_recordset(${asJson([...labels].map(([visitor_id, outcome]) => ({ visitor_id, outcome })))}::json)
          as u(visitor_id text, outcome text)
        where v.site_id = ${siteId} and v.visitor_id = u.visitor_id`);
    }
    await markPersonsOutcomes(tx, personChanges, agentId);
  });

  const countOf = (status: AppliedOutcome['status']) => results.filter((result) => result.status === status).length;
  return { applied: countOf('applied'), duplicates: countOf('duplicate'), notFound: countOf('not_found'), results };
}
