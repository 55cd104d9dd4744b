import { sql } from 'drizzle-orm';
import { turnedHotReason, unansweredReason, type TemperatureChange } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { rowsOf, type Db } from '../../db/client.js';
import { chatVisitorsTable, conversationsTable, routingSettingsTable } from '../../db/schema.js';
import { onlineAgents, type RoutedWork } from '../routing/index.js';
import { publishConversation } from './chat.js';
import { routeConversations, type RoutedConversation } from './routing.js';

type RoutingDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'>;

interface Claimed {
  id: string;
  site_id: string;
  chat_visitor_id: string;
  assignee_id: string;
  limit_s: number | string;
  last_agent_id: string | null;
  tracker_visitor_ids: string[] | string;
  current_url: string | null;
  language: string | null;
}

const trackerIdsOf = (value: string[] | string) =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : value;

type Moved = RoutedConversation & { chatVisitorId: string; siteId: string };

/** Tells the visitor and the site's dashboards about conversations routing just moved (after commit). */
async function announce(deps: RoutingDeps, moved: Map<string, Moved>) {
  const names = new Map<string, Map<string, { name: string }>>();
  for (const [conversationId, decision] of moved) {
    await publishConversation(deps, conversationId);
    const statuses = names.get(decision.siteId) ?? (await deps.realtime.agentStatuses(decision.siteId));
    names.set(decision.siteId, statuses);
    deps.realtime.toVisitor(decision.chatVisitorId, 'conversation:assigned', {
      conversationId,
      agent: { id: decision.agentId, name: statuses.get(decision.agentId)?.name ?? 'Agent' },
    });
  }
}

/**
 * Reassigns chats whose agent has not replied within the site's `unansweredChatSeconds` (default 120,
 * 0 = off) since the assignment: by the same routing rules, never back to the same agent while someone
 * else is eligible (otherwise the chat stays and is looked at again on the next sweep). Claimed with
 * `for update skip locked`, so several nodes sweep at once without moving a chat twice. Internal notes are
 * not replies. Returns how many chats moved.
 */
export async function sweepUnansweredChats(deps: RoutingDeps, now = new Date(), batch = 100): Promise<number> {
  const moved = await deps.db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      select c.id, c.site_id, c.chat_visitor_id, c.assignee_id, coalesce(rs.unanswered_chat_seconds, 120) as limit_s,
             v.last_agent_id, v.tracker_visitor_ids, v.current_url, v.language
      from ${conversationsTable} c
      join ${chatVisitorsTable} v on v.id = c.chat_visitor_id
      left join ${routingSettingsTable} rs on rs.site_id = c.site_id
      where c.status = 'open' and c.assignee_id is not null and c.channel = 'chat'
        and c.assigned_at <= ${now.toISOString()}::timestamptz
        and coalesce(rs.unanswered_chat_seconds, 120) > 0
        and c.assigned_at <= ${now.toISOString()}::timestamptz - make_interval(secs => coalesce(rs.unanswered_chat_seconds, 120))
        and not exists (
          select 1 from messages m
          where m.conversation_id = c.id and m.author = 'agent' and not m.internal and m.created_at >= c.assigned_at
        )
      order by c.assigned_at
      limit ${batch}
      for update of c skip locked`);
    const claimed = rowsOf<Claimed>(result);
    const moved = new Map<string, Moved>();
    for (const siteId of new Set(claimed.map((row) => row.site_id))) {
      const rows = claimed.filter((row) => row.site_id === siteId);
      const online = await onlineAgents(deps.realtime, siteId, tx);
      const limit = Number(rows[0]!.limit_s);
      const routed = await routeConversations(
        tx,
        siteId,
        rows.map((row) => ({
          id: row.id,
          chatVisitorId: row.chat_visitor_id,
          previousAgentId: row.last_agent_id,
          trackerVisitorId: trackerIdsOf(row.tracker_visitor_ids).at(-1) ?? null,
          url: row.current_url,
          language: row.language,
          currentAgentId: row.assignee_id,
        })),
        online,
        { reason: unansweredReason(limit), now },
      );
      for (const row of rows) {
        const decision = routed.get(row.id);
        if (decision) moved.set(row.id, { ...decision, chatVisitorId: row.chat_visitor_id, siteId });
      }
    }
    return moved;
  });
  await announce(deps, moved);
  return moved.size;
}

/**
 * A visitor's temperature changed: their open conversations take it (the inbox orders by it, dashboards
 * get the new order), and when they turned hot, the ones nobody has — unassigned, or whose agent went
 * offline — are routed again by the rules.
 */
async function conversationsTemperatureChanged(deps: RoutingDeps, change: TemperatureChange): Promise<void> {
  const conversations = rowsOf<{
    id: string;
    chat_visitor_id: string;
    assignee_id: string | null;
    current_url: string | null;
    language: string | null;
    last_agent_id: string | null;
  }>(
    await deps.db.execute(sql`
      update ${conversationsTable} c set temperature = ${change.temperature}
      from ${chatVisitorsTable} v
      where c.site_id = ${change.siteId}::uuid and c.status = 'open' and v.id = c.chat_visitor_id
        and v.tracker_visitor_ids @> ${JSON.stringify([change.visitorId])}::jsonb
      returning c.id, c.chat_visitor_id, c.assignee_id, v.current_url, v.language, v.last_agent_id`),
  );
  let moved = new Map<string, Moved>();
  if (change.temperature === 'hot' && conversations.length) {
    const online = await onlineAgents(deps.realtime, change.siteId);
    const waiting = conversations.filter((row) => !row.assignee_id || !online.includes(row.assignee_id));
    const routed = await routeConversations(
      deps.db,
      change.siteId,
      waiting.map((row) => ({
        id: row.id,
        chatVisitorId: row.chat_visitor_id,
        previousAgentId: row.last_agent_id,
        trackerVisitorId: change.visitorId,
        url: row.current_url,
        language: row.language,
        currentAgentId: row.assignee_id,
      })),
      online,
      { reason: turnedHotReason },
    );
    moved = new Map(
      [...routed].map(([id, decision]) => [
        id,
        { ...decision, chatVisitorId: waiting.find((row) => row.id === id)!.chat_visitor_id, siteId: change.siteId },
      ]),
    );
  }
  await announce(deps, moved);
  for (const row of conversations) if (!moved.has(row.id)) await publishConversation(deps, row.id);
}

/** Chats for routing's jobs (registered at server start): temperature changes and the unanswered sweep. */
export const chatRoutedWork: RoutedWork = {
  name: 'chats',
  async waiting(db: Db, visitors) {
    const keys = JSON.stringify(visitors.map(({ siteId, visitorId }) => ({ site_id: siteId, visitor_id: visitorId })));
    const rows = rowsOf<{ site_id: string; visitor_id: string }>(
      await db.execute(sql`
        select k.site_id, k.visitor_id from jsonb_to_recordset(${keys}::jsonb) as k(site_id uuid, visitor_id text)
        where exists (
          select 1 from ${chatVisitorsTable} v join ${conversationsTable} c on c.chat_visitor_id = v.id and c.status = 'open'
          where v.site_id = k.site_id and v.tracker_visitor_ids @> jsonb_build_array(k.visitor_id))`),
    );
    return rows.map((row) => ({ siteId: row.site_id, visitorId: row.visitor_id }));
  },
  temperatureChanged: conversationsTemperatureChanged,
  sweep: sweepUnansweredChats,
};
