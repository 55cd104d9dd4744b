import {
  agentSendMessageSchema,
  presenceSchema,
  readSchema,
  sinceSchema,
  siteRoom,
  siteWatchersRoom,
  watchVisitorsSchema,
  type AgentPresence,
} from '@beckon/sdk/protocol';
import { z } from 'zod';
import type { AgentIdentity, AppDeps } from '../../app-env.js';
import type { AgentNamespace } from '../../realtime/realtime.js';
import { AppError } from '../../lib/errors.js';
import { getVisibleSite, listVisibleSites } from '../sites/index.js';
import { announceAvailability, publishConversation, relayMessage } from './chat.js';
import { emailReplyIfLeft } from './email-replies.js';
import { presenceChanged, readAwayAgents, setAgentAway } from './presence.js';
import { handler, handlerTable } from './socket-handlers.js';
import { appendMessage, assign, getConversation, markRead, messagesAfter } from './service.js';

type Deps = Pick<AppDeps, 'db' | 'realtime' | 'logger' | 'limiter'> & Partial<Pick<AppDeps, 'mailer'>>;

/** A conversation the agent may work on: it must belong to one of the agent's sites. */
export async function visibleConversation(deps: Pick<AppDeps, 'db'>, agent: AgentIdentity, conversationId: string) {
  const conversation = await getConversation(deps.db, conversationId);
  const site = await getVisibleSite(deps.db, agent, conversation.siteId).catch(() => {
    throw new AppError('not_found', 'Conversation not found');
  });
  return { conversation, site };
}

/** The agent's status (connected, and what they chose in any tab), pushed to their sites and visitors. */
async function announcePresence(deps: Deps, agent: AgentIdentity) {
  const sites = await listVisibleSites(deps.db, agent);
  for (const site of sites) {
    const statuses = await deps.realtime.agentStatuses(site.id);
    const presence: AgentPresence = {
      agentId: agent.id,
      name: agent.name,
      status: statuses.get(agent.id)?.status ?? 'offline',
    };
    deps.realtime.toSite(site.id, 'presence:updated', presence);
  }
  announceAvailability(deps, sites);
}

/** Chat and presence over `/agent`; the socket is already authenticated and in its sites' rooms. */
export function registerAgentChat(
  agents: AgentNamespace,
  deps: Deps,
  identify: (socketData: { agentId: string }) => Promise<AgentIdentity | null>,
) {
  agents.on('connection', (socket) => {
    presenceChanged();
    // Handlers are registered before any await: an event sent right after connecting must not be lost.
    const identity = identify(socket.data);
    const agentOf = async () => {
      const agent = await identity;
      if (!agent) throw new AppError('unauthorized', 'Unknown agent');
      return agent;
    };

    // Few agent sockets per node: a table per socket lets the handlers close over the agent's identity.
    const onEvent = handlerTable(
      {
        'message:send': handler(agentSendMessageSchema, async (input) => {
          const agent = await agentOf();
          const { conversation } = await visibleConversation(deps, agent, input.conversationId);
          if (conversation.status !== 'open') throw new AppError('conflict', 'The conversation is closed');
          // Answering an unassigned chat takes it, so two agents do not answer the same visitor. Taken
          // before the reply is stored, so the thread reads "took the chat" above the reply it caused.
          const taken =
            !conversation.assigneeId && !input.internal
              ? await assign(
                  deps.db,
                  conversation.id,
                  agent.id,
                  'taken',
                  agent.id,
                  'replied to an unassigned chat',
                  true,
                )
              : null;
          const { message, created } = await appendMessage(deps.db, {
            conversationId: conversation.id,
            clientId: input.clientId,
            author: 'agent',
            agentId: agent.id,
            internal: input.internal,
            text: input.text,
          });
          if (created) {
            relayMessage(deps, conversation, message);
            emailReplyIfLeft(deps, conversation, message);
          }
          if (taken) {
            deps.realtime.toVisitor(conversation.chatVisitorId, 'conversation:assigned', {
              conversationId: conversation.id,
              agent: { id: agent.id, name: agent.name },
            });
            await publishConversation(deps, conversation.id);
          }
          return { message };
        }),
        'messages:since': handler(
          sinceSchema.required({ conversationId: true }),
          async ({ conversationId, afterSeq }) => {
            const agent = await agentOf();
            const { conversation } = await visibleConversation(deps, agent, conversationId);
            return { messages: await messagesAfter(deps.db, conversation.id, afterSeq, { includeInternal: true }) };
          },
        ),
        'agent:typing': handler(
          z.object({ conversationId: z.string().uuid(), typing: z.boolean() }),
          async ({ conversationId, typing }) => {
            const agent = await agentOf();
            const { conversation } = await visibleConversation(deps, agent, conversationId);
            deps.realtime.toVisitor(conversation.chatVisitorId, 'agent:typing', {
              conversationId,
              typing,
              agentName: agent.name,
            });
          },
        ),
        'message:read': handler(readSchema.required({ conversationId: true }), async ({ conversationId, seq }) => {
          const agent = await agentOf();
          const { conversation } = await visibleConversation(deps, agent, conversationId);
          const updated = await markRead(deps.db, conversation.id, 'agent', seq);
          if (!updated) return;
          deps.realtime.toVisitor(conversation.chatVisitorId, 'message:read', {
            conversationId,
            seq: updated.agentReadSeq,
          });
          await publishConversation(deps, conversation.id);
        }),
        'presence:set': handler(presenceSchema, async ({ status }) => {
          const agent = await agentOf();
          await setAgentAway(deps.db, agent.id, status === 'away');
          // Every tab of this agent, on any node, shows the choice.
          deps.realtime.toAgent(agent.id, 'presence:self', { status });
          await announcePresence(deps, agent);
          return { presence: { agentId: agent.id, name: agent.name, status } satisfies AgentPresence };
        }),
        // The socket is in the room of every site its agent may see (joined at the handshake, and by
        // `realtime.joinSite` / `leaveSite` when access changes): that membership is the permission.
        'visitors:watch': handler(watchVisitorsSchema, async ({ siteId, watching }) => {
          if (!watching) {
            await socket.leave(siteWatchersRoom(siteId));
            return { watching: false };
          }
          if (!socket.rooms.has(siteRoom(siteId))) throw new AppError('not_found', 'Site not found');
          await socket.join(siteWatchersRoom(siteId));
          return { watching: true };
        }),
      },
      deps,
    );
    socket.onAny(onEvent);

    const announce = () =>
      agentOf()
        .then((agent) => announcePresence(deps, agent))
        .catch((error: unknown) => deps.logger.error('presence update failed', { error }));
    socket.on('disconnect', () => {
      presenceChanged();
      void announce();
    });
    void identity.then(async (agent) => {
      if (!agent) return void socket.disconnect(true);
      // A new tab shows what the agent chose in their other tabs (or before a reload).
      const away = await readAwayAgents(deps.db, [agent.id]).catch(() => new Set<string>());
      socket.emit('presence:self', { status: away.has(agent.id) ? 'away' : 'online' });
      void announce();
    });
  });
}
