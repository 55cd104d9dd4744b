import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  cannedResponseBodySchema,
  transferBodySchema,
  type AgentPresence,
  conversationListSchema,
  conversationDetailSchema,
  replyDeliveryAnswerSchema,
  okSchema,
  agentPresenceListSchema,
  cannedResponseListSchema,
  cannedResponseAnswerSchema,
  formerAgentName,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { rowsOf } from '../../db/client.js';
import {
  agentsTable,
  cannedResponsesTable,
  chatVisitorsTable,
  conversationsTable,
  eventsTable,
  siteMembersTable,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { parseUrl } from '../../lib/url.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { getVisibleSite, listVisibleSites } from '../sites/index.js';
import { visibleConversation } from './agent-socket.js';
import { publishConversation } from './chat.js';
import { replyDelivery } from './email-replies.js';
import { assign, closeConversation, conversationEvents, messagesAfter, summarise } from './service.js';
import { describe } from '../../lib/openapi.js';

const listQuerySchema = z.object({
  siteId: z.string().uuid().optional(),
  view: z.enum(['unassigned', 'mine', 'all']).default('all'),
  status: z.enum(['open', 'closed']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/**
 * When the visitor was last active anywhere: the chat connecting, a page, the widget's keepalive (a
 * visible tab: reading the chat or writing a rating counts), or a message in this conversation.
 */
async function lastActivity(
  deps: AppDeps,
  siteId: string,
  chatSeenAt: Date,
  trackerIds: readonly string[],
  conversationId: string,
): Promise<Date> {
  const ids = trackerIds.length
    ? sql.join(
        trackerIds.map((id) => sql`${id}`),
        sql`, `,
      )
    : sql`null`;
  const [row] = rowsOf<{ at: Date | string | null }>(
    await deps.db.execute(sql`
      select greatest(
        (select max(v.last_seen_at) from visitors v where v.site_id = ${siteId} and v.visitor_id in (${ids})),
        (select max(p.seen_at) from visitor_presence p where p.site_id = ${siteId} and p.visitor_id in (${ids})),
        (select max(m.created_at) from messages m where m.conversation_id = ${conversationId} and m.author = 'visitor')
      ) as at`),
  );
  const at = row?.at ? new Date(row.at) : null;
  return at && at > chatSeenAt ? at : chatSeenAt;
}

/** Pages, source and history of a chat visitor, for the sidebar next to a conversation. */
async function visitorContext(deps: AppDeps, siteId: string, chatVisitorId: string, conversationId: string) {
  const [visitor] = await deps.db.select().from(chatVisitorsTable).where(eq(chatVisitorsTable.id, chatVisitorId));
  if (!visitor) throw notFound('Visitor');
  const trackerIds = visitor.trackerVisitorIds;
  const pageviews = trackerIds.length
    ? await deps.db
        .select({
          url: eventsTable.url,
          title: eventsTable.title,
          referrer: eventsTable.referrer,
          at: eventsTable.occurredAt,
          sessionId: eventsTable.sessionId,
        })
        .from(eventsTable)
        .where(
          and(
            eq(eventsTable.siteId, siteId),
            inArray(eventsTable.visitorId, trackerIds),
            eq(eventsTable.type, 'pageview'),
          ),
        )
        .orderBy(desc(eventsTable.occurredAt))
        .limit(200)
        // The 200 most recent, oldest first: the current page and session are always among them.
        .then((rows) => rows.reverse())
    : [];
  // The landing pageview (referrer, UTM) may be older than the recent 200.
  const [first] = trackerIds.length
    ? await deps.db
        .select({ url: eventsTable.url, referrer: eventsTable.referrer })
        .from(eventsTable)
        .where(
          and(
            eq(eventsTable.siteId, siteId),
            inArray(eventsTable.visitorId, trackerIds),
            eq(eventsTable.type, 'pageview'),
          ),
        )
        .orderBy(asc(eventsTable.occurredAt))
        .limit(1)
    : [];
  // A visitor's page URL may not parse at all (`http://[`): then it simply has no tags.
  const landing = parseUrl(first?.url, 'http://invalid');
  const utm = landing
    ? Object.fromEntries(
        [...landing.searchParams].filter(
          ([key]) => key.startsWith('utm_') || ['gclid', 'fbclid', 'yclid', 'msclkid'].includes(key),
        ),
      )
    : {};
  const earlier = await deps.db
    .select()
    .from(conversationsTable)
    .where(and(eq(conversationsTable.chatVisitorId, chatVisitorId), ne(conversationsTable.id, conversationId)))
    .orderBy(desc(conversationsTable.createdAt))
    .limit(20);
  return {
    id: visitor.id,
    name: visitor.name,
    email: visitor.email,
    phone: visitor.phone,
    currentUrl: visitor.currentUrl,
    firstSeenAt: visitor.createdAt.toISOString(),
    lastSeenAt: (await lastActivity(deps, siteId, visitor.lastSeenAt, trackerIds, conversationId)).toISOString(),
    referrer: first?.referrer ?? null,
    utm,
    /** The session of the latest pageview: the visit going on now. */
    currentSessionId: pageviews.at(-1)?.sessionId ?? null,
    pages: pageviews.slice(-30).map((pageview) => ({
      url: pageview.url,
      title: pageview.title,
      at: pageview.at.toISOString(),
      sessionId: pageview.sessionId,
    })),
    earlierConversations: await summarise(deps.db, earlier),
  };
}

const temperatureOrder = sql`case ${conversationsTable.temperature} when 'hot' then 0 when 'warm' then 1 when 'cold' then 2 else 3 end`;

export function conversationRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/',
      describe({
        tag: 'Chat',
        summary: 'List conversations',
        description: 'Open ones by default; `view=unassigned` is the queue (hot first, then whoever waited longest).',
        access: 'agent',
        query: listQuerySchema,
        responses: { 200: conversationListSchema },
      }),
      async (c) => {
        const query = parse(listQuerySchema, c.req.query());
        const agent = c.get('agent');
        const sites = await listVisibleSites(db, agent);
        const siteIds = query.siteId
          ? sites.filter((site) => site.id === query.siteId).map((site) => site.id)
          : sites.map((site) => site.id);
        if (siteIds.length === 0) return c.json({ conversations: [] });
        const filters: SQL[] = [
          inArray(conversationsTable.siteId, siteIds),
          eq(conversationsTable.status, query.status),
        ];
        if (query.view === 'unassigned') filters.push(isNull(conversationsTable.assigneeId));
        if (query.view === 'mine') filters.push(eq(conversationsTable.assigneeId, agent.id));
        const rows = await db
          .select()
          .from(conversationsTable)
          .where(and(...filters))
          // Unassigned is a queue: hot first, then warm, then cold, then whoever has waited longest. Other
          // open lists show the latest activity first; closed lists the latest closed.
          .orderBy(
            ...(query.status === 'closed'
              ? [desc(conversationsTable.closedAt)]
              : query.view === 'unassigned'
                ? [temperatureOrder, asc(conversationsTable.createdAt)]
                : [desc(conversationsTable.lastMessageAt)]),
          )
          .limit(query.limit);
        return c.json({ conversations: await summarise(db, rows) });
      },
    )
    .get(
      '/:id',
      describe({
        tag: 'Chat',
        summary: 'One conversation: messages, history and the visitor',
        access: 'agent',
        params: { id: 'Conversation id' },
        responses: { 200: conversationDetailSchema },
      }),
      async (c) => {
        const { conversation } = await visibleConversation(deps, c.get('agent'), idParam(c, 'id', 'Conversation'));
        const [summary] = await summarise(db, [conversation]);
        if (!summary) throw notFound('Conversation');
        const events = await conversationEvents(db, conversation.id);
        const agentIds = [
          ...new Set(
            events
              .flatMap((event) => [event.fromAgentId, event.toAgentId, event.byAgentId])
              .filter((id): id is string => Boolean(id)),
          ),
        ];
        const names = new Map(
          agentIds.length
            ? (
                await db
                  .select({ id: agentsTable.id, name: agentsTable.name })
                  .from(agentsTable)
                  .where(inArray(agentsTable.id, agentIds))
              ).map((agent) => [agent.id, agent.name])
            : [],
        );
        const name = (id: string | null) => (id ? (names.get(id) ?? formerAgentName) : null);
        return c.json({
          conversation: summary,
          messages: await messagesAfter(db, conversation.id, 0, { includeInternal: true }),
          events: events.map((event) => ({
            kind: event.kind,
            from: name(event.fromAgentId),
            to: name(event.toAgentId),
            by: name(event.byAgentId) ?? 'Beckon',
            reason: event.reason,
            routing: event.routing ?? null,
            at: event.createdAt.toISOString(),
          })),
          visitor: await visitorContext(deps, conversation.siteId, conversation.chatVisitorId, conversation.id),
        });
      },
    )
    .get(
      '/:id/reply-delivery',
      describe({
        tag: 'Chat',
        summary: 'Where a reply would go now (live, email…)',
        access: 'agent',
        params: { id: 'Conversation id' },
        responses: { 200: replyDeliveryAnswerSchema },
      }),
      async (c) => {
        const { conversation } = await visibleConversation(deps, c.get('agent'), c.req.param('id'));
        return c.json({ delivery: await replyDelivery(deps, conversation) });
      },
    )
    .post(
      '/:id/take',
      describe({
        tag: 'Chat',
        summary: 'Take a conversation',
        access: 'agent',
        params: { id: 'Conversation id' },
        responses: { 200: okSchema },
      }),
      async (c) => {
        const agent = c.get('agent');
        const { conversation } = await visibleConversation(deps, agent, idParam(c, 'id', 'Conversation'));
        if (conversation.assigneeId === agent.id) return c.json({ ok: true });
        await assign(
          db,
          conversation.id,
          agent.id,
          'taken',
          agent.id,
          conversation.assigneeId ? 'taken over from a colleague' : 'taken from the unassigned queue',
        );
        realtime.toVisitor(conversation.chatVisitorId, 'conversation:assigned', {
          conversationId: conversation.id,
          agent: { id: agent.id, name: agent.name },
        });
        await publishConversation(deps, conversation.id);
        return c.json({ ok: true });
      },
    )
    .post(
      '/:id/transfer',
      describe({
        tag: 'Chat',
        summary: 'Transfer a conversation to a colleague',
        access: 'agent',
        params: { id: 'Conversation id' },
        body: transferBodySchema,
        responses: { 200: okSchema },
      }),
      async (c) => {
        const agent = c.get('agent');
        const { conversation, site } = await visibleConversation(deps, agent, idParam(c, 'id', 'Conversation'));
        const { agentId, reason } = await readJson(c, transferBodySchema);
        const [target] = await db
          .select({
            id: agentsTable.id,
            name: agentsTable.name,
            role: agentsTable.role,
            memberSite: siteMembersTable.siteId,
          })
          .from(agentsTable)
          .leftJoin(
            siteMembersTable,
            and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, site.id)),
          )
          .where(eq(agentsTable.id, agentId));
        if (!target || (target.role !== 'admin' && !target.memberSite)) {
          throw new AppError('validation_failed', 'That agent does not work on this site', [
            { path: ['agentId'], message: 'not a member of the site' },
          ]);
        }
        await assign(db, conversation.id, target.id, 'transferred', agent.id, reason || `transferred by ${agent.name}`);
        realtime.toVisitor(conversation.chatVisitorId, 'conversation:assigned', {
          conversationId: conversation.id,
          agent: { id: target.id, name: target.name },
        });
        await publishConversation(deps, conversation.id);
        return c.json({ ok: true });
      },
    )
    .post(
      '/:id/close',
      describe({
        tag: 'Chat',
        summary: 'Close a conversation',
        access: 'agent',
        params: { id: 'Conversation id' },
        responses: { 200: okSchema },
      }),
      async (c) => {
        const agent = c.get('agent');
        const { conversation } = await visibleConversation(deps, agent, idParam(c, 'id', 'Conversation'));
        await closeConversation(db, conversation.id, agent.id, `closed by ${agent.name}`);
        realtime.toVisitor(conversation.chatVisitorId, 'conversation:closed', { conversationId: conversation.id });
        await publishConversation(deps, conversation.id);
        return c.json({ ok: true });
      },
    );
}

/** Per-site chat resources: who is online, canned responses. */
export function siteChatRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/presence',
      describe({
        tag: 'Chat',
        summary: 'Who of the site’s agents is online',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: agentPresenceListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const statuses = await realtime.agentStatuses(site.id);
        const members = await db
          .select({
            id: agentsTable.id,
            name: agentsTable.name,
            role: agentsTable.role,
            memberSite: siteMembersTable.siteId,
          })
          .from(agentsTable)
          .leftJoin(
            siteMembersTable,
            and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, site.id)),
          )
          .orderBy(asc(agentsTable.name));
        const agents: AgentPresence[] = members
          .filter((member) => member.memberSite || member.role === 'admin')
          .map((member) => ({
            agentId: member.id,
            name: member.name,
            status: statuses.get(member.id)?.status ?? 'offline',
          }));
        return c.json({ agents });
      },
    )
    .get(
      '/:id/canned-responses',
      describe({
        tag: 'Chat',
        summary: 'List canned responses',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: cannedResponseListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const rows = await db
          .select()
          .from(cannedResponsesTable)
          .where(eq(cannedResponsesTable.siteId, site.id))
          .orderBy(asc(cannedResponsesTable.shortcut));
        return c.json({ cannedResponses: rows.map(({ id, shortcut, text }) => ({ id, shortcut, text })) });
      },
    )
    .post(
      '/:id/canned-responses',
      describe({
        tag: 'Chat',
        summary: 'Add a canned response',
        access: 'agent',
        params: { id: 'Site id' },
        body: cannedResponseBodySchema,
        errors: ['conflict'],
        responses: { 201: cannedResponseAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const input = await readJson(c, cannedResponseBodySchema);
        const [row] = await db
          .insert(cannedResponsesTable)
          .values({ siteId: site.id, ...input })
          .onConflictDoNothing()
          .returning();
        if (!row)
          throw new AppError('conflict', `The shortcut /${input.shortcut} exists already`, { field: 'shortcut' });
        realtime.toSite(site.id, 'canned:updated', { siteId: site.id });
        return c.json({ cannedResponse: { id: row.id, shortcut: row.shortcut, text: row.text } }, 201);
      },
    )
    .delete(
      '/:id/canned-responses/:cannedId',
      describe({
        tag: 'Chat',
        summary: 'Delete a canned response',
        access: 'agent',
        params: { id: 'Site id', cannedId: 'Canned response id' },
        responses: { 204: null },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const cannedId = idParam(c, 'cannedId', 'Canned response');
        const [row] = await db
          .delete(cannedResponsesTable)
          .where(and(eq(cannedResponsesTable.id, cannedId), eq(cannedResponsesTable.siteId, site.id)))
          .returning({ id: cannedResponsesTable.id });
        if (!row) throw notFound('Canned response');
        realtime.toSite(site.id, 'canned:updated', { siteId: site.id });
        return c.body(null, 204);
      },
    );
}
