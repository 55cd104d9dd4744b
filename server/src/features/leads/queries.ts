import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { leadListQuerySchema, LeadTimelineEntry, VisitorScore } from '@beckon/sdk/protocol';
import { formerAgentName } from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { AgentIdentity } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import {
  agentsTable,
  chatVisitorsTable,
  conversationsTable,
  eventsTable,
  leadAuditTable,
  leadTouchesTable,
  leadVisitorsTable,
  leadsTable,
  messagesTable,
  personVisitorsTable,
  type LeadRow,
} from '../../db/schema.js';
import { notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { getVisibleSite, listVisibleSites } from '../sites/index.js';
import { scoresFor } from '../scoring/index.js';

export type LeadFilters = z.output<typeof leadListQuerySchema>;

const isDateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (char) => `\\${char}`);

/** The WHERE of the leads table and its CSV export, scoped to the sites the agent may see. */
export async function leadFilter(db: Db, agent: AgentIdentity, filters: LeadFilters): Promise<SQL | null> {
  let siteIds: string[];
  if (filters.siteId) siteIds = [(await getVisibleSite(db, agent, filters.siteId)).id];
  else siteIds = (await listVisibleSites(db, agent)).map((site) => site.id);
  if (siteIds.length === 0) return null;

  const where: (SQL | undefined)[] = [inArray(leadsTable.siteId, siteIds)];
  if (filters.type?.length)
    where.push(
      or(...filters.type.map((channel) => sql`${leadsTable.channels} @> ${JSON.stringify([channel])}::jsonb`)),
    );
  if (filters.temperature?.length) {
    const named = filters.temperature.filter((value) => value !== 'none');
    where.push(
      or(
        named.length ? inArray(leadsTable.temperature, named as ('cold' | 'warm' | 'hot')[]) : undefined,
        filters.temperature.includes('none') ? isNull(leadsTable.temperature) : undefined,
      ),
    );
  }
  if (filters.status?.length) where.push(inArray(leadsTable.status, filters.status));
  if (filters.assignee === 'me') where.push(eq(leadsTable.assigneeId, agent.id));
  else if (filters.assignee === 'none') where.push(isNull(leadsTable.assigneeId));
  else if (filters.assignee) where.push(eq(leadsTable.assigneeId, filters.assignee));
  if (filters.from)
    where.push(
      gte(leadsTable.createdAt, new Date(isDateOnly(filters.from) ? `${filters.from}T00:00:00Z` : filters.from)),
    );
  if (filters.to) {
    // A date means "through that day".
    if (isDateOnly(filters.to))
      where.push(lt(leadsTable.createdAt, new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000)));
    else where.push(lte(leadsTable.createdAt, new Date(filters.to)));
  }
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    where.push(or(ilike(leadsTable.name, pattern), ilike(leadsTable.email, pattern), ilike(leadsTable.phone, pattern)));
  }
  return and(...where)!;
}

export function leadOrder(filters: Pick<LeadFilters, 'sort' | 'order'>): SQL[] {
  const direction = filters.order === 'asc' ? asc : desc;
  const column = {
    updated: leadsTable.updatedAt,
    created: leadsTable.createdAt,
    score: leadsTable.score,
    name: leadsTable.name,
  }[filters.sort];
  // Leads without a score or name sort last either way; the id keeps pages stable.
  const nulls = filters.sort === 'score' || filters.sort === 'name' ? sql`${column} is null` : undefined;
  return [...(nulls ? [nulls] : []), direction(column), direction(leadsTable.id)];
}

/** A lead of a site the agent may see; otherwise "not found", never "forbidden" (it would confirm it exists). */
export async function getVisibleLead(db: Db, agent: AgentIdentity, leadId: string): Promise<LeadRow> {
  if (!isUuid(leadId)) throw notFound('Lead');
  const [lead] = await db.select().from(leadsTable).where(eq(leadsTable.id, leadId));
  if (!lead) throw notFound('Lead');
  await getVisibleSite(db, agent, lead.siteId).catch(() => {
    throw notFound('Lead');
  });
  return lead;
}

/** Touches, audit and pages of a lead, newest first. */
export async function leadTimeline(
  db: Db,
  lead: LeadRow,
): Promise<{ visitorIds: string[]; timeline: LeadTimelineEntry[]; score: VisitorScore | null }> {
  const touches = await db
    .select()
    .from(leadTouchesTable)
    .where(eq(leadTouchesTable.leadId, lead.id))
    .orderBy(desc(leadTouchesTable.createdAt))
    .limit(500);
  const audit = await db
    .select({ row: leadAuditTable, agentName: agentsTable.name })
    .from(leadAuditTable)
    .leftJoin(agentsTable, eq(agentsTable.id, leadAuditTable.byAgentId))
    .where(eq(leadAuditTable.leadId, lead.id))
    .orderBy(desc(leadAuditTable.createdAt))
    .limit(500);
  // Assignee changes read as names on the page; an agent removed since shows as "Former agent".
  const assigneeIds = [
    ...new Set(
      audit
        .filter(({ row }) => row.field === 'assignee')
        .flatMap(({ row }) => [row.fromValue, row.toValue])
        .filter((id): id is string => Boolean(id)),
    ),
  ];
  const names = new Map(
    assigneeIds.length
      ? (
          await db
            .select({ id: agentsTable.id, name: agentsTable.name })
            .from(agentsTable)
            .where(inArray(agentsTable.id, assigneeIds))
        ).map((agent) => [agent.id, agent.name])
      : [],
  );
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? formerAgentName) : null);
  const visitorIds = [
    ...new Set([
      ...(
        await db
          .select({ visitorId: leadVisitorsTable.visitorId })
          .from(leadVisitorsTable)
          .where(eq(leadVisitorsTable.leadId, lead.id))
      ).map((row) => row.visitorId),
      // Every browser of the lead's person: pages and score of the phone that identified later too.
      ...(lead.personId
        ? (
            await db
              .select({ visitorId: personVisitorsTable.visitorId })
              .from(personVisitorsTable)
              .where(eq(personVisitorsTable.personId, lead.personId))
          ).map((row) => row.visitorId)
        : []),
    ]),
  ];
  // The person's chats that reached the lead through another identity (an anonymous chat on the browser
  // that later asked for a callback) are the lead's story too.
  const touched = new Set(touches.filter((touch) => touch.refType === 'conversation').map((touch) => touch.refId));
  const chats = lead.personId
    ? (
        await db
          .select({ conversation: conversationsTable, first: messagesTable.text })
          .from(conversationsTable)
          .innerJoin(chatVisitorsTable, eq(chatVisitorsTable.id, conversationsTable.chatVisitorId))
          .leftJoin(
            messagesTable,
            and(eq(messagesTable.conversationId, conversationsTable.id), eq(messagesTable.seq, 1)),
          )
          .where(eq(chatVisitorsTable.personId, lead.personId))
          .orderBy(desc(conversationsTable.createdAt))
          .limit(100)
      ).filter(({ conversation }) => !touched.has(conversation.id))
    : [];
  const pages = visitorIds.length
    ? await db
        .select({ url: eventsTable.url, title: eventsTable.title, at: eventsTable.occurredAt })
        .from(eventsTable)
        .where(
          and(
            eq(eventsTable.siteId, lead.siteId),
            inArray(eventsTable.visitorId, visitorIds),
            eq(eventsTable.type, 'pageview'),
          ),
        )
        .orderBy(desc(eventsTable.occurredAt))
        .limit(100)
    : [];
  const timeline: LeadTimelineEntry[] = [
    ...touches.map(
      (touch): LeadTimelineEntry => ({
        type: 'touch',
        at: touch.createdAt.toISOString(),
        channel: touch.channel,
        kind: touch.kind,
        summary: touch.summary,
        ref: touch.refType && touch.refId ? { type: touch.refType, id: touch.refId } : null,
        data: touch.data,
      }),
    ),
    ...audit.map(
      ({ row, agentName }): LeadTimelineEntry => ({
        type: 'audit',
        at: row.createdAt.toISOString(),
        by: row.byAgentId ? { id: row.byAgentId, name: agentName ?? formerAgentName } : null,
        field: row.field,
        from: row.field === 'assignee' ? nameOf(row.fromValue) : row.fromValue,
        to: row.field === 'assignee' ? nameOf(row.toValue) : row.toValue,
        note: row.note,
      }),
    ),
    ...chats.map(
      ({ conversation, first }): LeadTimelineEntry => ({
        type: 'touch',
        at: conversation.createdAt.toISOString(),
        channel: 'chat',
        kind: conversation.channel === 'offline' ? 'chat.offline_message' : 'chat.started',
        summary: `${conversation.channel === 'offline' ? 'Left a message' : 'Started a chat'}${first ? `: ${first.slice(0, 140)}` : ''}`,
        ref: { type: 'conversation', id: conversation.id },
        data: first ? { text: first.slice(0, 140) } : {},
      }),
    ),
    ...pages.map(
      (page): LeadTimelineEntry => ({ type: 'pageview', at: page.at.toISOString(), url: page.url, title: page.title }),
    ),
  ];
  timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const scores = [...(await scoresFor(db, lead.siteId, visitorIds)).values()];
  const score = scores.reduce<VisitorScore | null>(
    (best, next) => (!best || next.score > best.score ? next : best),
    null,
  );
  return { visitorIds, timeline, score };
}
