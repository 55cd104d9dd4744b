import { sql } from 'drizzle-orm';
import type { TemperatureChange } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { rowsOf, type DbOrTx } from '../../db/client.js';
import { callbacksTable, chatVisitorsTable, conversationsTable, routingSettingsTable, type CallbackRow } from '../../db/schema.js';
import { publishCallback, rerouteCallbacks } from '../callbacks/index.js';
import { publishConversation, routeConversations, type RoutedConversation } from '../chat/index.js';
import { onTemperatureChanges } from '../scoring/index.js';
import { startIntervalJob, type IntervalJob } from '../../lib/interval-job.js';

export type RoutingDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'>;

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

const onlineAgents = async (deps: RoutingDeps, siteId: string, db?: DbOrTx) =>
  [...(await deps.realtime.agentStatuses(siteId, db))].filter(([, agent]) => agent.status === 'online').map(([id]) => id);

const trackerIdsOf = (value: string[] | string) => (typeof value === 'string' ? (JSON.parse(value) as string[]) : value);

type Moved = RoutedConversation & { chatVisitorId: string; siteId: string };

/** Tells the visitor and the site's dashboards about conversations routing just moved (after commit). */
async function announce(deps: RoutingDeps, moved: Map<string, Moved>) {
  const names = new Map<string, Map<string, { name: string }>>();
  for (const [conversationId, decision] of moved) {
    await publishConversation(deps, conversationId);
    const statuses = names.get(decision.siteId) ?? (await deps.realtime.agentStatuses(decision.siteId));
    names.set(decision.siteId, statuses);
    deps.realtime.toVisitor(decision.chatVisitorId, 'conversation:assigned', { conversationId, agent: { id: decision.agentId, name: statuses.get(decision.agentId)?.name ?? 'Agent' } });
  }
}

/**
 * Reassigns chats whose agent has not replied within the site's `unansweredChatSeconds` (default 120,
 * 0 = off) since the assignment: by the same routing rules, never back to the same agent while someone
 * else is eligible (otherwise the chat stays and is looked at again on the next sweep). Claimed with
 * `for update skip locked`, so several nodes sweep at once without moving a chat twice. Internal notes are
 * not replies. Returns how many chats moved.
 */
export async function sweepUnanswered(deps: RoutingDeps, now = new Date(), batch = 100): Promise<number> {
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
      const online = await onlineAgents(deps, siteId, tx);
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
        { reason: `no reply within ${limit} s: reassigned`, now },
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
 * When scoring changes a visitor's temperature: their open conversations and callbacks take it (queues
 * order by it, dashboards get the new order), and when they turned hot, the ones nobody has — unassigned,
 * or a chat whose agent went offline — are routed again by the rules.
 */
export async function applyTemperatureChange(deps: RoutingDeps, change: TemperatureChange): Promise<void> {
  const conversations = rowsOf<{ id: string; chat_visitor_id: string; assignee_id: string | null; tracker_visitor_ids: string[] | string; current_url: string | null; language: string | null; last_agent_id: string | null }>(
    await deps.db.execute(sql`
      update ${conversationsTable} c set temperature = ${change.temperature}
      from ${chatVisitorsTable} v
      where c.site_id = ${change.siteId}::uuid and c.status = 'open' and v.id = c.chat_visitor_id
        and v.tracker_visitor_ids @> ${JSON.stringify([change.visitorId])}::jsonb
      returning c.id, c.chat_visitor_id, c.assignee_id, v.tracker_visitor_ids, v.current_url, v.language, v.last_agent_id`),
  );
  const callbacks = await deps.db
    .update(callbacksTable)
    .set({ temperature: change.temperature })
    .where(sql`${callbacksTable.siteId} = ${change.siteId}::uuid and ${callbacksTable.visitorId} = ${change.visitorId} and ${callbacksTable.status} <> 'done'`)
    .returning();
  let moved = new Map<string, Moved>();
  let rerouted: CallbackRow[] = [];
  if (change.temperature === 'hot' && (conversations.length || callbacks.length)) {
    const online = await onlineAgents(deps, change.siteId);
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
      { reason: 'visitor turned hot: routed again' },
    );
    moved = new Map([...routed].map(([id, decision]) => [id, { ...decision, chatVisitorId: waiting.find((row) => row.id === id)!.chat_visitor_id, siteId: change.siteId }]));
    rerouted = await rerouteCallbacks(deps, change.siteId, callbacks);
  }
  await announce(deps, moved);
  for (const row of conversations) if (!moved.has(row.id)) await publishConversation(deps, row.id);
  for (const row of callbacks) if (!rerouted.some((done) => done.id === row.id)) await publishCallback(deps, row);
}

/** Subscribes routing to temperature changes (server start); returns the unsubscribe function. */
export function followTemperatureForRouting(deps: RoutingDeps): () => void {
  return onTemperatureChanges(async (changes) => {
    // Most visitors whose temperature moves have no chat or callback: one query per commit finds those who do.
    const keys = JSON.stringify(changes.map(({ siteId, visitorId }) => ({ site_id: siteId, visitor_id: visitorId })));
    const waiting = rowsOf<{ site_id: string; visitor_id: string }>(
      await deps.db.execute(sql`
        select k.site_id, k.visitor_id from jsonb_to_recordset(${keys}::jsonb) as k(site_id uuid, visitor_id text)
        where exists (
            select 1 from ${chatVisitorsTable} v join ${conversationsTable} c on c.chat_visitor_id = v.id and c.status = 'open'
            where v.site_id = k.site_id and v.tracker_visitor_ids @> jsonb_build_array(k.visitor_id))
          or exists (select 1 from ${callbacksTable} cb where cb.site_id = k.site_id and cb.visitor_id = k.visitor_id and cb.status <> 'done')`),
    );
    const concerned = new Set(waiting.map((row) => `${row.site_id}\u0000${row.visitor_id}`));
    for (const change of changes) {
      if (!concerned.has(`${change.siteId}\u0000${change.visitorId}`)) continue;
      await applyTemperatureChange(deps, change).catch((error: unknown) => deps.logger.error('routing on a temperature change failed', { error, siteId: change.siteId }));
    }
  });
}

export type UnansweredJob = IntervalJob;

/** Runs `sweepUnanswered` every `intervalMs` on every node (claims keep nodes apart). */
export function startUnansweredJob(deps: RoutingDeps, intervalMs = 10_000): UnansweredJob {
  return startIntervalJob('unanswered chat sweep', (now) => sweepUnanswered(deps, now), { intervalMs, logger: deps.logger });
}
