import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import type { PersonDetail, VisitorScore } from '@beckon/sdk/protocol';
import { formerAgentName } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import {
  agentsTable,
  callbacksTable,
  chatVisitorsTable,
  consentRecordsTable,
  conversationsTable,
  eventsTable,
  feedbackTable,
  leadsTable,
  messagesTable,
  personAuditTable,
  personVisitorsTable,
  personsTable,
  visitorSessionsTable,
  type PersonRow,
} from '../../db/schema.js';
import { summariseLeads } from '../leads/index.js';
import { scoresFor } from '../scoring/index.js';
import { toPersonSummary } from '../persons/index.js';

/** Everything about one person for the person page, newest first, bounded per section. */
export async function personDetail(db: Db, person: PersonRow): Promise<PersonDetail> {
  const { siteId } = person;
  const merged = (
    await db.select({ id: personsTable.id }).from(personsTable).where(eq(personsTable.mergedInto, person.id))
  ).map((row) => row.id);
  const visitorIds = (
    await db
      .select({ id: personVisitorsTable.visitorId })
      .from(personVisitorsTable)
      .where(eq(personVisitorsTable.personId, person.id))
      .orderBy(asc(personVisitorsTable.createdAt))
  ).map((row) => row.id);
  const chatVisitorIds = (
    await db
      .select({ id: chatVisitorsTable.id })
      .from(chatVisitorsTable)
      .where(eq(chatVisitorsTable.personId, person.id))
  ).map((row) => row.id);
  const leads = await db
    .select()
    .from(leadsTable)
    .where(eq(leadsTable.personId, person.id))
    .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id));
  const leadIds = leads.map((lead) => lead.id);
  const byVisitor = <T extends { siteId: unknown; visitorId: unknown }>(table: T) =>
    and(eq(table.siteId as never, siteId), inArray(table.visitorId as never, visitorIds));

  const visits = visitorIds.length
    ? await db
        .select()
        .from(visitorSessionsTable)
        .where(byVisitor(visitorSessionsTable))
        .orderBy(desc(visitorSessionsTable.startedAt))
        .limit(100)
    : [];
  const pages = visitorIds.length
    ? await db
        .select({ url: eventsTable.url, title: eventsTable.title, at: eventsTable.occurredAt })
        .from(eventsTable)
        .where(and(byVisitor(eventsTable), eq(eventsTable.type, 'pageview')))
        .orderBy(desc(eventsTable.occurredAt))
        .limit(100)
    : [];
  const conversations = chatVisitorIds.length
    ? await db
        .select()
        .from(conversationsTable)
        .where(inArray(conversationsTable.chatVisitorId, chatVisitorIds))
        .orderBy(desc(conversationsTable.createdAt))
        .limit(50)
    : [];
  const messages = conversations.length
    ? await db
        .select({ message: messagesTable, agentName: agentsTable.name })
        .from(messagesTable)
        .leftJoin(agentsTable, eq(agentsTable.id, messagesTable.agentId))
        .where(
          inArray(
            messagesTable.conversationId,
            conversations.map((c) => c.id),
          ),
        )
        .orderBy(asc(messagesTable.conversationId), asc(messagesTable.seq))
    : [];
  const ownedBy = or(
    leadIds.length ? inArray(callbacksTable.leadId, leadIds) : undefined,
    visitorIds.length ? inArray(callbacksTable.visitorId, visitorIds) : undefined,
  );
  const callbacks = ownedBy
    ? await db
        .select()
        .from(callbacksTable)
        .where(and(eq(callbacksTable.siteId, siteId), ownedBy))
        .orderBy(desc(callbacksTable.createdAt))
        .limit(50)
    : [];
  const feedbackOwner = or(
    leadIds.length ? inArray(feedbackTable.leadId, leadIds) : undefined,
    visitorIds.length ? inArray(feedbackTable.visitorId, visitorIds) : undefined,
  );
  const feedback = feedbackOwner
    ? await db
        .select()
        .from(feedbackTable)
        .where(and(eq(feedbackTable.siteId, siteId), feedbackOwner))
        .orderBy(desc(feedbackTable.createdAt))
        .limit(50)
    : [];
  const consent = visitorIds.length
    ? await db
        .select()
        .from(consentRecordsTable)
        .where(byVisitor(consentRecordsTable))
        .orderBy(desc(consentRecordsTable.recordedAt))
        .limit(50)
    : [];
  const audit = await db
    .select({ row: personAuditTable, agentName: agentsTable.name })
    .from(personAuditTable)
    .leftJoin(agentsTable, eq(agentsTable.id, personAuditTable.byAgentId))
    .where(inArray(personAuditTable.personId, [person.id, ...merged]))
    .orderBy(desc(personAuditTable.createdAt), desc(personAuditTable.id))
    .limit(200);

  const agentIds = [
    ...new Set(
      [...conversations.map((c) => c.assigneeId), ...callbacks.map((c) => c.assigneeId)].filter((id): id is string =>
        Boolean(id),
      ),
    ),
  ];
  const agentNames = new Map(
    agentIds.length
      ? (
          await db
            .select({ id: agentsTable.id, name: agentsTable.name })
            .from(agentsTable)
            .where(inArray(agentsTable.id, agentIds))
        ).map((a) => [a.id, a.name])
      : [],
  );
  const agentOf = (id: string | null) => (id ? { id, name: agentNames.get(id) ?? formerAgentName } : null);
  const scores = [...(await scoresFor(db, siteId, visitorIds)).values()];
  const score = scores.reduce<VisitorScore | null>(
    (best, next) => (!best || next.score > best.score ? next : best),
    null,
  );
  const [lead] = await summariseLeads(db, leads.slice(0, 1));

  return {
    person: toPersonSummary(person),
    score,
    visitorIds,
    visits: visits.map((visit) => ({
      visitorId: visit.visitorId,
      number: visit.number,
      startedAt: visit.startedAt.toISOString(),
      lastSeenAt: visit.lastSeenAt.toISOString(),
      landingUrl: visit.landingUrl,
      referrerDomain: visit.referrerDomain,
      pageviews: visit.pageviews,
      country: visit.country,
    })),
    pages: pages.map((page) => ({ url: page.url, title: page.title, at: page.at.toISOString() })),
    conversations: conversations.map((c) => ({
      id: c.id,
      status: c.status,
      channel: c.channel,
      assignee: agentOf(c.assigneeId),
      createdAt: c.createdAt.toISOString(),
      closedAt: c.closedAt?.toISOString() ?? null,
      csat: c.csatRating ? { rating: c.csatRating, comment: c.csatComment } : null,
      messages: messages
        .filter(({ message }) => message.conversationId === c.id)
        .map(({ message, agentName }) => ({
          author: message.author,
          agentName: message.author === 'agent' ? (agentName ?? formerAgentName) : null,
          internal: message.internal,
          text: message.text,
          createdAt: message.createdAt.toISOString(),
        })),
    })),
    callbacks: callbacks.map((cb) => ({
      id: cb.id,
      status: cb.status,
      phone: cb.phone,
      outcome: cb.outcome,
      note: cb.note,
      dueAt: cb.dueAt.toISOString(),
      assignee: agentOf(cb.assigneeId),
      createdAt: cb.createdAt.toISOString(),
    })),
    feedback: feedback.map((f) => ({
      id: f.id,
      kind: f.kind,
      score: f.score,
      message: f.text,
      createdAt: f.createdAt.toISOString(),
    })),
    consent: consent.map((c) => ({
      visitorId: c.visitorId,
      analytics: c.analytics,
      marketing: c.marketing,
      source: c.source,
      gpc: c.gpc,
      recordedAt: c.recordedAt.toISOString(),
    })),
    audit: audit.map(({ row, agentName }) => ({
      at: row.createdAt.toISOString(),
      by: row.byAgentId ? { id: row.byAgentId, name: agentName ?? formerAgentName } : null,
      action: row.action,
      detail: row.detail,
      data: row.data,
    })),
    lead: lead ?? null,
  };
}
