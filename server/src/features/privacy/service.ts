import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { PrivacyAuditEntry, VisitorErasure, VisitorExport } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { recomputeHoursAndMonths } from '../reports/index.js';
import {
  agentsTable,
  audienceMembersTable,
  callbackEventsTable,
  callbacksTable,
  feedbackTable,
  leadAuditTable,
  leadTouchesTable,
  leadVisitorsTable,
  leadsTable,
  personAuditTable,
  personVisitorsTable,
  personsTable,
  chatInvitationsTable,
  chatVisitorsTable,
  visitorHotMarksTable,
  visitorPresenceTable,
  consentRecordsTable,
  conversationEventsTable,
  conversationsTable,
  eventsTable,
  messagesTable,
  privacyAuditTable,
  reportInquiriesTable,
  reportTriggerAcceptsTable,
  retentionMarksTable,
  visitorSessionsTable,
  visitorsTable,
} from '../../db/schema.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What the audit and the export name: the visitor id, or `person:<id>` for a request about a person (never their email). */
const subjectId = (subject: PrivacySubject) =>
  'visitorId' in subject ? subject.visitorId : `person:${subject.personId}`;

/** Whose data a privacy request covers: one visitor id (and its person), or a person. */
export type PrivacySubject = { visitorId: string } | { personId: string };

/**
 * The person behind a request: the person of the visitor id (or the person given), every visitor id of
 * that person (browsers, devices), their chat visitors, and the chat visitors whose tracker ids include
 * one of those ids (before consent allowed storage each page load had its own id: the chat token ties
 * them to the same browser, so they are the same person's data). Persons merged into it come along.
 */
async function personOf(
  tx: Tx | Db,
  siteId: string,
  subject: PrivacySubject,
): Promise<{ chatIds: string[]; visitorIds: string[]; personIds: string[] }> {
  let root: string | null;
  if ('personId' in subject) root = subject.personId;
  else {
    const [row] = await tx
      .select({ personId: personVisitorsTable.personId })
      .from(personVisitorsTable)
      .where(and(eq(personVisitorsTable.siteId, siteId), eq(personVisitorsTable.visitorId, subject.visitorId)));
    root = row?.personId ?? null;
  }
  const personIds = root
    ? (
        await tx
          .select({ id: personsTable.id })
          .from(personsTable)
          .where(and(eq(personsTable.siteId, siteId), or(eq(personsTable.id, root), eq(personsTable.mergedInto, root))))
      ).map((row) => row.id)
    : [];
  const personVisitorIds = personIds.length
    ? (
        await tx
          .select({ id: personVisitorsTable.visitorId })
          .from(personVisitorsTable)
          .where(inArray(personVisitorsTable.personId, personIds))
      ).map((row) => row.id)
    : [];
  const seeds = [
    ...new Set(
      ['visitorId' in subject ? subject.visitorId : null, ...personVisitorIds].filter((id): id is string =>
        Boolean(id),
      ),
    ),
  ];
  const rows = await tx
    .select({ id: chatVisitorsTable.id, trackerVisitorIds: chatVisitorsTable.trackerVisitorIds })
    .from(chatVisitorsTable)
    .where(
      and(
        eq(chatVisitorsTable.siteId, siteId),
        or(
          personIds.length ? inArray(chatVisitorsTable.personId, personIds) : undefined,
          ...seeds.map((id) => sql`${chatVisitorsTable.trackerVisitorIds} @> ${JSON.stringify([id])}::jsonb`),
        ) ?? sql`false`,
      ),
    );
  return {
    chatIds: rows.map((row) => row.id),
    visitorIds: [...new Set([...seeds, ...rows.flatMap((row) => row.trackerVisitorIds)])],
    personIds,
  };
}

/**
 * The leads, callbacks and feedback of a person: leads linked to any of their tracker ids, and the
 * callbacks and feedback sent from those ids or attached to those leads.
 */
async function leadDataOf(tx: Tx | Db, siteId: string, visitorIds: string[], personIds: string[]) {
  const leadIds = [
    ...(visitorIds.length
      ? await tx
          .select({ id: leadVisitorsTable.leadId })
          .from(leadVisitorsTable)
          .where(and(eq(leadVisitorsTable.siteId, siteId), inArray(leadVisitorsTable.visitorId, visitorIds)))
      : []),
    ...(personIds.length
      ? await tx
          .select({ id: leadsTable.id })
          .from(leadsTable)
          .where(and(eq(leadsTable.siteId, siteId), inArray(leadsTable.personId, personIds)))
      : []),
  ].map((row) => row.id);
  const ofPerson = <T extends { siteId: unknown; visitorId: unknown; leadId: unknown }>(table: T) =>
    and(
      eq(table.siteId as never, siteId),
      or(
        visitorIds.length ? inArray(table.visitorId as never, visitorIds) : undefined,
        leadIds.length ? inArray(table.leadId as never, leadIds) : undefined,
      ) ?? sql`false`,
    );
  const callbackIds = (
    await tx.select({ id: callbacksTable.id }).from(callbacksTable).where(ofPerson(callbacksTable))
  ).map((row) => row.id);
  const feedbackIds = (
    await tx.select({ id: feedbackTable.id }).from(feedbackTable).where(ofPerson(feedbackTable))
  ).map((row) => row.id);
  return { leadIds: [...new Set(leadIds)], callbackIds, feedbackIds };
}

const plain = (rows: readonly object[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
    ),
  );

/**
 * Every stored row about a visitor, every column, per table: behaviour events, visits, the visitor and
 * score, consent records, audience memberships, and the chat (visitor, conversations, messages, their
 * audit), leads with their touches and audit, callbacks and feedback — also under the other tracker ids the same chat visitor had. The token hash of a chat visitor is a credential, not data about the person: it is left out.
 */
export async function exportVisitor(
  db: Db,
  site: { id: string; key: string },
  subject: PrivacySubject,
): Promise<VisitorExport> {
  const { chatIds, visitorIds, personIds } = await personOf(db, site.id, subject);
  const conversations = chatIds.length
    ? await db
        .select()
        .from(conversationsTable)
        .where(inArray(conversationsTable.chatVisitorId, chatIds))
        .orderBy(asc(conversationsTable.createdAt))
    : [];
  const conversationIds = conversations.map((row) => row.id);
  const { leadIds, callbackIds, feedbackIds } = await leadDataOf(db, site.id, visitorIds, personIds);
  const byVisitor = <T extends { siteId: unknown; visitorId: unknown }>(table: T) =>
    and(eq(table.siteId as never, site.id), inArray(table.visitorId as never, visitorIds.length ? visitorIds : ['']));
  const tables = {
    visitors: await db.select().from(visitorsTable).where(byVisitor(visitorsTable)),
    events: await db.select().from(eventsTable).where(byVisitor(eventsTable)).orderBy(asc(eventsTable.id)),
    visitor_sessions: await db
      .select()
      .from(visitorSessionsTable)
      .where(byVisitor(visitorSessionsTable))
      .orderBy(asc(visitorSessionsTable.startedAt)),
    consent_records: await db
      .select()
      .from(consentRecordsTable)
      .where(byVisitor(consentRecordsTable))
      .orderBy(asc(consentRecordsTable.recordedAt)),
    audience_members: await db.select().from(audienceMembersTable).where(byVisitor(audienceMembersTable)),
    chat_invitations: await db
      .select()
      .from(chatInvitationsTable)
      .where(byVisitor(chatInvitationsTable))
      .orderBy(asc(chatInvitationsTable.createdAt)),
    visitor_hot_marks: await db.select().from(visitorHotMarksTable).where(byVisitor(visitorHotMarksTable)),
    visitor_presence: await db.select().from(visitorPresenceTable).where(byVisitor(visitorPresenceTable)),
    chat_visitors: chatIds.length
      ? (await db.select().from(chatVisitorsTable).where(inArray(chatVisitorsTable.id, chatIds))).map(
          ({ tokenHash: _credential, ...row }) => row,
        )
      : [],
    conversations,
    messages: conversationIds.length
      ? await db
          .select()
          .from(messagesTable)
          .where(inArray(messagesTable.conversationId, conversationIds))
          .orderBy(asc(messagesTable.createdAt))
      : [],
    conversation_events: conversationIds.length
      ? await db
          .select()
          .from(conversationEventsTable)
          .where(inArray(conversationEventsTable.conversationId, conversationIds))
      : [],
    leads: leadIds.length ? await db.select().from(leadsTable).where(inArray(leadsTable.id, leadIds)) : [],
    lead_visitors: leadIds.length
      ? await db.select().from(leadVisitorsTable).where(inArray(leadVisitorsTable.leadId, leadIds))
      : [],
    lead_touches: leadIds.length
      ? await db
          .select()
          .from(leadTouchesTable)
          .where(inArray(leadTouchesTable.leadId, leadIds))
          .orderBy(asc(leadTouchesTable.createdAt))
      : [],
    lead_audit: leadIds.length
      ? await db.select().from(leadAuditTable).where(inArray(leadAuditTable.leadId, leadIds))
      : [],
    callbacks: callbackIds.length
      ? (await db.select().from(callbacksTable).where(inArray(callbacksTable.id, callbackIds))).map(
          ({ visitorTokenHash: _credential, ...row }) => row,
        )
      : [],
    callback_events: callbackIds.length
      ? await db.select().from(callbackEventsTable).where(inArray(callbackEventsTable.callbackId, callbackIds))
      : [],
    feedback: feedbackIds.length
      ? await db.select().from(feedbackTable).where(inArray(feedbackTable.id, feedbackIds))
      : [],
    persons: personIds.length ? await db.select().from(personsTable).where(inArray(personsTable.id, personIds)) : [],
    person_visitors: personIds.length
      ? await db.select().from(personVisitorsTable).where(inArray(personVisitorsTable.personId, personIds))
      : [],
    person_audit: personIds.length
      ? await db
          .select()
          .from(personAuditTable)
          .where(inArray(personAuditTable.personId, personIds))
          .orderBy(asc(personAuditTable.id))
      : [],
  };
  return {
    site: { id: site.id, key: site.key },
    visitorId: subjectId(subject),
    exportedAt: new Date().toISOString(),
    tables: Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, plain(rows)])),
  };
}

/**
 * Deletes everything stored about a visitor, in one transaction, and audits it (who, when, how many
 * rows per table; the audit keeps the visitor id only). Conversations go with their chat visitor
 * (messages and their audit cascade from there, counted first).
 */
export async function eraseVisitor(
  db: Db,
  siteId: string,
  subject: PrivacySubject,
  actor: { agentId: string; via: 'dashboard' | 'api' },
): Promise<VisitorErasure> {
  const visitorId = subjectId(subject);
  return db.transaction(async (tx) => {
    const { chatIds, visitorIds: found, personIds } = await personOf(tx, siteId, subject);
    const visitorIds = found.length ? found : [''];
    const conversationIds = chatIds.length
      ? (
          await tx
            .select({ id: conversationsTable.id })
            .from(conversationsTable)
            .where(inArray(conversationsTable.chatVisitorId, chatIds))
        ).map((row) => row.id)
      : [];
    const byVisitor = <T extends { siteId: unknown; visitorId: unknown }>(table: T) =>
      and(eq(table.siteId as never, siteId), inArray(table.visitorId as never, visitorIds));
    const deleted: Record<string, number> = {};
    const count = async (name: string, run: Promise<unknown[]>) => (deleted[name] = (await run).length);
    if (conversationIds.length) {
      await count(
        'messages',
        tx
          .delete(messagesTable)
          .where(inArray(messagesTable.conversationId, conversationIds))
          .returning({ id: messagesTable.id }),
      );
      await count(
        'conversation_events',
        tx
          .delete(conversationEventsTable)
          .where(inArray(conversationEventsTable.conversationId, conversationIds))
          .returning({ id: conversationEventsTable.id }),
      );
      await count(
        'conversations',
        tx
          .delete(conversationsTable)
          .where(inArray(conversationsTable.id, conversationIds))
          .returning({ id: conversationsTable.id }),
      );
    }
    if (chatIds.length)
      await count(
        'chat_visitors',
        tx
          .delete(chatVisitorsTable)
          .where(inArray(chatVisitorsTable.id, chatIds))
          .returning({ id: chatVisitorsTable.id }),
      );
    await count('events', tx.delete(eventsTable).where(byVisitor(eventsTable)).returning({ id: eventsTable.id }));
    await count(
      'visitor_sessions',
      tx.delete(visitorSessionsTable).where(byVisitor(visitorSessionsTable)).returning({ id: visitorSessionsTable.id }),
    );
    await count(
      'visitors',
      tx.delete(visitorsTable).where(byVisitor(visitorsTable)).returning({ id: visitorsTable.visitorId }),
    );
    await count(
      'consent_records',
      tx.delete(consentRecordsTable).where(byVisitor(consentRecordsTable)).returning({ id: consentRecordsTable.id }),
    );
    await count(
      'audience_members',
      tx
        .delete(audienceMembersTable)
        .where(byVisitor(audienceMembersTable))
        .returning({ id: audienceMembersTable.audienceId }),
    );
    await count(
      'chat_invitations',
      tx.delete(chatInvitationsTable).where(byVisitor(chatInvitationsTable)).returning({ id: chatInvitationsTable.id }),
    );
    await count(
      'visitor_hot_marks',
      tx
        .delete(visitorHotMarksTable)
        .where(byVisitor(visitorHotMarksTable))
        .returning({ id: visitorHotMarksTable.visitorId }),
    );
    await count(
      'visitor_presence',
      tx
        .delete(visitorPresenceTable)
        .where(byVisitor(visitorPresenceTable))
        .returning({ id: visitorPresenceTable.visitorId }),
    );
    // Leads, their callbacks and feedback: a person's erasure is the one deletion of a lead there is.
    const { leadIds, callbackIds, feedbackIds } = await leadDataOf(tx, siteId, found, personIds);
    if (callbackIds.length) {
      await count(
        'callback_events',
        tx
          .delete(callbackEventsTable)
          .where(inArray(callbackEventsTable.callbackId, callbackIds))
          .returning({ id: callbackEventsTable.id }),
      );
      await count(
        'callbacks',
        tx.delete(callbacksTable).where(inArray(callbacksTable.id, callbackIds)).returning({ id: callbacksTable.id }),
      );
    }
    if (feedbackIds.length)
      await count(
        'feedback',
        tx.delete(feedbackTable).where(inArray(feedbackTable.id, feedbackIds)).returning({ id: feedbackTable.id }),
      );
    // Reports keep one row per inquiry (with its comment) and who accepted which trigger: erased with the rest.
    // Hourly trigger counts hold nobody's data and stay.
    // The month and hour counts built from those rows are recomputed without them in the same transaction.
    const inquiryIds = [...conversationIds, ...callbackIds, ...feedbackIds];
    if (inquiryIds.length) {
      const erased = await tx
        .delete(reportInquiriesTable)
        .where(inArray(reportInquiriesTable.refId, inquiryIds))
        .returning({
          id: reportInquiriesTable.refId,
          siteId: reportInquiriesTable.siteId,
          at: reportInquiriesTable.at,
        });
      deleted.report_inquiries = erased.length;
      for (const site of new Set(erased.map((row) => row.siteId)))
        await recomputeHoursAndMonths(
          tx,
          site,
          erased
            .filter((row) => row.siteId === site)
            .map((row) => Math.floor(row.at.getTime() / 3_600_000) * 3_600_000),
        );
    }
    await count(
      'report_trigger_accepts',
      tx
        .delete(reportTriggerAcceptsTable)
        .where(byVisitor(reportTriggerAcceptsTable))
        .returning({ id: reportTriggerAcceptsTable.visitorId }),
    );
    if (leadIds.length) {
      await count(
        'lead_touches',
        tx
          .delete(leadTouchesTable)
          .where(inArray(leadTouchesTable.leadId, leadIds))
          .returning({ id: leadTouchesTable.id }),
      );
      await count(
        'lead_audit',
        tx.delete(leadAuditTable).where(inArray(leadAuditTable.leadId, leadIds)).returning({ id: leadAuditTable.id }),
      );
      await count(
        'lead_visitors',
        tx
          .delete(leadVisitorsTable)
          .where(inArray(leadVisitorsTable.leadId, leadIds))
          .returning({ id: leadVisitorsTable.leadId }),
      );
      await count(
        'leads',
        tx.delete(leadsTable).where(inArray(leadsTable.id, leadIds)).returning({ id: leadsTable.id }),
      );
    }
    // The person rows go last (their visitor links and audit cascade, counted first): nothing names them any more.
    if (personIds.length) {
      await count(
        'person_visitors',
        tx
          .delete(personVisitorsTable)
          .where(inArray(personVisitorsTable.personId, personIds))
          .returning({ id: personVisitorsTable.visitorId }),
      );
      await count(
        'person_audit',
        tx
          .delete(personAuditTable)
          .where(inArray(personAuditTable.personId, personIds))
          .returning({ id: personAuditTable.id }),
      );
      await tx.update(personsTable).set({ mergedInto: null }).where(inArray(personsTable.id, personIds));
      await count(
        'persons',
        tx.delete(personsTable).where(inArray(personsTable.id, personIds)).returning({ id: personsTable.id }),
      );
    }
    const [audit] = await tx
      .insert(privacyAuditTable)
      .values({ siteId, action: 'erase', visitorId, agentId: actor.agentId, via: actor.via, detail: deleted })
      .returning({ createdAt: privacyAuditTable.createdAt });
    return { visitorId, erasedAt: audit!.createdAt.toISOString(), deleted };
  });
}

export async function auditExport(
  db: Db,
  siteId: string,
  visitorId: string,
  actor: { agentId: string; via: 'dashboard' | 'api' },
  rows: Record<string, number>,
): Promise<void> {
  await db
    .insert(privacyAuditTable)
    .values({ siteId, action: 'export', visitorId, agentId: actor.agentId, via: actor.via, detail: rows });
}

export async function privacyAudit(db: Db, siteId: string, limit = 100): Promise<PrivacyAuditEntry[]> {
  const rows = await db
    .select({ audit: privacyAuditTable, agentEmail: agentsTable.email })
    .from(privacyAuditTable)
    .leftJoin(agentsTable, eq(agentsTable.id, privacyAuditTable.agentId))
    .where(eq(privacyAuditTable.siteId, siteId))
    .orderBy(desc(privacyAuditTable.id))
    .limit(limit);
  return rows.map(({ audit, agentEmail }) => ({
    id: String(audit.id),
    action: audit.action,
    visitorId: audit.visitorId,
    agentEmail,
    via: audit.via,
    detail: audit.detail,
    createdAt: audit.createdAt.toISOString(),
  }));
}

/** How often a site's visitor data is purged, and how many rows one statement deletes at most. */
export const retentionOptions = { everyMs: 60 * 60 * 1000, batch: 10_000, sitesPerRun: 20 };

/** What retention purges, each by the time its row speaks of. */
const retainedTables = ['events', 'visitor_presence', 'visitor_hot_marks'] as const;
export type RetentionCounts = Record<(typeof retainedTables)[number], number>;

/**
 * One bounded delete of rows older than `cutoff`: behaviour events by arrival, the keepalive's presence
 * by its last ping, "became hot" marks by when the visitor turned hot (an older mark speaks of behaviour
 * the site no longer keeps). Each picks its rows through an index led by `site_id`.
 */
function purgeBatch(table: (typeof retainedTables)[number], siteId: string, cutoff: Date) {
  const before = sql`${cutoff.toISOString()}::timestamptz`;
  const limit = retentionOptions.batch;
  switch (table) {
    case 'events':
      // (id, occurred_at) is the key of the partitioned table; whole months went before (`dropExpiredEventPartitions`).
      return sql`delete from events where (id, occurred_at) in (
        select id, occurred_at from events where site_id = ${siteId} and received_at < ${before} limit ${limit}) returning 1`;
    case 'visitor_presence':
      return sql`delete from visitor_presence where (site_id, visitor_id) in (
        select site_id, visitor_id from visitor_presence where site_id = ${siteId} and seen_at < ${before} limit ${limit}) returning 1`;
    case 'visitor_hot_marks':
      return sql`delete from visitor_hot_marks where (site_id, visitor_id) in (
        select site_id, visitor_id from visitor_hot_marks where site_id = ${siteId} and hot_at < ${before} limit ${limit}) returning 1`;
  }
}

/**
 * One pass of the retention job: claims sites whose purge is due with `for update skip locked` (so
 * several nodes share the work and never purge the same site at once), deletes their behaviour events,
 * keepalive presence and hot marks older than the site's retention (in bounded batches), and marks the
 * site. Returns the rows deleted per site id and table.
 */
export async function runRetention(db: Db, now = new Date()): Promise<Map<string, RetentionCounts>> {
  // Every site with a retention gets a mark (due at once).
  await db.execute(sql`
    insert into retention_marks (site_id, last_run_at)
    select id, 'epoch'::timestamptz from sites where privacy->>'retentionDays' is not null
    on conflict (site_id) do nothing`);
  const dueBefore = new Date(now.getTime() - retentionOptions.everyMs);
  const purged = new Map<string, RetentionCounts>();
  await db.transaction(async (tx) => {
    const due = rowsOf<{ site_id: string; retention_days: number | string }>(
      await tx.execute(sql`
        select m.site_id, (s.privacy->>'retentionDays')::int as retention_days
        from retention_marks m join sites s on s.id = m.site_id
        where m.last_run_at < ${dueBefore.toISOString()}::timestamptz and s.privacy->>'retentionDays' is not null
        order by m.last_run_at
        limit ${retentionOptions.sitesPerRun}
        for update of m skip locked`),
    );
    for (const { site_id: siteId, retention_days: days } of due) {
      const cutoff = new Date(now.getTime() - Number(days) * 24 * 60 * 60 * 1000);
      const counts: RetentionCounts = { events: 0, visitor_presence: 0, visitor_hot_marks: 0 };
      for (const table of retainedTables) {
        for (;;) {
          const deleted = rowsOf(await tx.execute(purgeBatch(table, siteId, cutoff))).length;
          counts[table] += deleted;
          if (deleted < retentionOptions.batch) break;
        }
      }
      await tx.update(retentionMarksTable).set({ lastRunAt: now }).where(eq(retentionMarksTable.siteId, siteId));
      purged.set(siteId, counts);
    }
  });
  return purged;
}
