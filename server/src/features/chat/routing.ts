import { sql } from 'drizzle-orm';
import type { RoutingChoice, Temperature } from '@beckon/sdk/protocol';
import { rowsOf, type DbOrTx } from '../../db/client.js';
import { chatVisitorsTable, conversationEventsTable, conversationsTable } from '../../db/schema.js';
import { routingRound, type RoundOptions, type RoutingPort } from '../routing/index.js';

export interface ConversationToRoute {
  id: string;
  chatVisitorId: string;
  /** The agent who talked to this chat visitor before, for sticky assignment. */
  previousAgentId: string | null;
  /** The visitor's latest tracker id: temperature, source and lead for the rules. */
  trackerVisitorId: string | null;
  url: string | null;
  language: string | null;
  /** Reassignment: the agent it goes away from (never back to them while someone else is eligible). */
  currentAgentId?: string | null;
}

export interface RoutedConversation {
  agentId: string;
  routing: RoutingChoice;
  temperature: Temperature | null;
}

/**
 * The audit's sentence for an automatic assignment, in English for the API and webhooks. The dashboard
 * does not show it: it words the event's `routing` in the agent's language (lib/format `eventText`).
 */
export function routingReason(choice: RoutingChoice): string {
  if (choice.kind === 'rule')
    return `routing rule “${choice.ruleName}” · ${choice.strategy === 'least_busy' ? 'least busy' : 'round-robin'}`;
  if (choice.kind === 'sticky') return 'returning visitor: same agent as before';
  return 'round-robin among online agents';
}

/**
 * Chats in the routing round (routing/round.ts): sticky to the agent who handled this chat visitor or
 * lead before. The outcome is one statement that assigns, audits (with the routing decision) and updates
 * the visitors' sticky agents; a conversation whose assignee changed meanwhile is left alone. Chats
 * nobody could take wait in Unassigned, ordered by what scoring knows about them.
 */
export const chatRoutingPort: RoutingPort<'chat', ConversationToRoute, RoutedConversation> = {
  kind: 'chat',
  async candidates(_db, _siteId, rows) {
    return rows.map((c) => ({
      id: c.id,
      trackerVisitorId: c.trackerVisitorId,
      url: c.url,
      language: c.language,
      previousAgentId: c.previousAgentId,
      excludeAgentId: c.currentAgentId ?? null,
    }));
  },
  async markAssigned(db, _siteId, outcomes, { reason, now }: RoundOptions) {
    const routed = new Map<string, RoutedConversation>();
    const plan = outcomes.flatMap(({ row, decision, temperature }) =>
      decision
        ? [
            {
              conversation_id: row.id,
              chat_visitor_id: row.chatVisitorId,
              agent_id: decision.agentId,
              from_agent_id: row.currentAgentId ?? null,
              kind: row.currentAgentId ? 'reassigned' : 'assigned',
              reason: reason ?? routingReason(decision.routing),
              routing: decision.routing,
              temperature,
            },
          ]
        : [],
    );
    if (plan.length) {
      const result = await db.execute(sql`
        with plan as (
          select * from jsonb_to_recordset(${JSON.stringify(plan)}::jsonb)
            as t(conversation_id uuid, chat_visitor_id uuid, agent_id uuid, from_agent_id uuid, kind text, reason text, routing jsonb, temperature text)
        ),
        updated as (
          update ${conversationsTable} c
          set assignee_id = plan.agent_id, routing = plan.routing, assigned_at = coalesce(${now?.toISOString() ?? null}::timestamptz, now()), temperature = coalesce(plan.temperature, c.temperature)
          from plan
          where c.id = plan.conversation_id and c.status = 'open' and c.assignee_id is not distinct from plan.from_agent_id
          returning c.id, c.assignee_id
        ),
        audit as (
          insert into ${conversationEventsTable} (conversation_id, kind, from_agent_id, to_agent_id, reason, routing)
          select updated.id, plan.kind, plan.from_agent_id, updated.assignee_id, plan.reason, plan.routing
          from updated join plan on plan.conversation_id = updated.id
        ),
        sticky as (
          update ${chatVisitorsTable} v set last_agent_id = plan.agent_id
          from updated join plan on plan.conversation_id = updated.id
          where v.id = plan.chat_visitor_id
        )
        select id, assignee_id from updated`);
      const byId = new Map(outcomes.map((outcome) => [outcome.row.id, outcome]));
      for (const row of rowsOf<{ id: string; assignee_id: string }>(result)) {
        const outcome = byId.get(row.id)!;
        routed.set(row.id, {
          agentId: row.assignee_id,
          routing: outcome.decision!.routing,
          temperature: outcome.temperature,
        });
      }
    }
    const waiting = outcomes.filter(
      ({ row, temperature }) => !routed.has(row.id) && temperature && !row.currentAgentId,
    );
    if (waiting.length) {
      await db.execute(sql`
        update ${conversationsTable} c set temperature = w.temperature
        from jsonb_to_recordset(${JSON.stringify(waiting.map(({ row, temperature }) => ({ id: row.id, temperature })))}::jsonb) as w(id uuid, temperature text)
        where c.id = w.id and c.temperature is distinct from w.temperature`);
    }
    return routed;
  },
};

/**
 * Routes a round of one site's conversations (new chats, chats that turned hot, unanswered chats) to
 * online agents by the site's routing rules. A fixed number of statements for any number of conversations.
 */
export async function routeConversations(
  db: DbOrTx,
  siteId: string,
  conversations: ConversationToRoute[],
  onlineAgentIds: string[],
  options: RoundOptions = {},
): Promise<Map<string, RoutedConversation>> {
  return (await routingRound(db, siteId, chatRoutingPort, conversations, onlineAgentIds, options)).changed;
}
