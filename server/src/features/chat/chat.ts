import type { ChatAvailability, ChatMessage, Prechat } from '@beckon/sdk/protocol';
import { randomId } from '@beckon/sdk/core';
import type { AppDeps } from '../../app-env.js';
import { and, eq, isNotNull, or } from 'drizzle-orm';
import { agentsTable, siteMembersTable, type ChatVisitorRow, type ConversationRow, type SiteRow } from '../../db/schema.js';
import { isWithinBusinessHours } from './hours.js';
import { appendMessage, assign, chooseAssignee, findVisitorMessage, getConversation, openConversationFor, summarise } from './service.js';

export type ChatDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'> & Partial<Pick<AppDeps, 'mailer'>> & { publicUrl?: () => string };

/** Whether a visitor can expect a live answer now: an agent online and the site open. */
export async function availability(deps: ChatDeps, site: SiteRow, now = new Date()): Promise<ChatAvailability> {
  if (!isWithinBusinessHours(site.chat.businessHours, now)) return { available: false, reason: 'closed' };
  const statuses = await deps.realtime.agentStatuses(site.id);
  const online = [...statuses.values()].some((agent) => agent.status === 'online');
  return online ? { available: true, reason: 'online' } : { available: false, reason: 'no_agents' };
}

/** Tells the site's agents how a conversation looks now (read back after the change committed). */
export async function publishConversation(deps: ChatDeps, conversationId: string) {
  const [summary] = await summarise(deps.db, [await getConversation(deps.db, conversationId)]);
  deps.realtime.toSite(summary!.siteId, 'conversation:updated', summary!);
}

/** Relays a committed message: agents of the site always, the visitor unless it is an internal note. */
export function relayMessage(deps: ChatDeps, conversation: Pick<ConversationRow, 'siteId' | 'chatVisitorId'>, message: ChatMessage) {
  deps.realtime.toSite(conversation.siteId, 'message:new', message);
  if (!message.internal) deps.realtime.toVisitor(conversation.chatVisitorId, 'message:new', message);
}

async function autoAssign(deps: ChatDeps, conversation: ConversationRow, visitor: ChatVisitorRow) {
  const statuses = await deps.realtime.agentStatuses(conversation.siteId);
  const online = [...statuses].filter(([, agent]) => agent.status === 'online').map(([id]) => id);
  const choice = await chooseAssignee(deps.db, conversation.siteId, online, visitor.lastAgentId);
  if (!choice) return conversation;
  const assigned = await assign(deps.db, conversation.id, choice.agentId, 'assigned', null, choice.reason, true);
  if (!assigned) return conversation;
  deps.realtime.toVisitor(conversation.chatVisitorId, 'conversation:assigned', {
    conversationId: conversation.id,
    agent: { id: choice.agentId, name: statuses.get(choice.agentId)?.name ?? 'Agent' },
  });
  return assigned;
}

/**
 * A visitor's message: stored (idempotently) in their open conversation, which is created and assigned
 * on the first message; the first message also gets the site's auto-reply while no agent has answered.
 */
export async function receiveVisitorMessage(
  deps: ChatDeps,
  site: SiteRow,
  visitor: ChatVisitorRow,
  input: { clientId: string; text: string; prechat?: Prechat },
  channel: 'chat' | 'offline' = 'chat',
) {
  const earlier = await findVisitorMessage(deps.db, visitor.id, input.clientId);
  if (earlier) return earlier;
  let { conversation, created: newConversation } = await openConversationFor(deps.db, visitor, input.prechat, channel);
  const { message, created } = await appendMessage(deps.db, { conversationId: conversation.id, clientId: input.clientId, author: 'visitor', text: input.text });
  if (!created) return { conversation, message };
  relayMessage(deps, conversation, message);
  if (newConversation && channel === 'chat') {
    conversation = await autoAssign(deps, conversation, visitor);
    if (site.chat.autoReply) {
      const text = site.chat.autoReply.replaceAll('{minutes}', String(site.chat.expectedReplyMinutes));
      const reply = await appendMessage(deps.db, { conversationId: conversation.id, clientId: `auto_${randomId(16)}`, author: 'system', text });
      relayMessage(deps, conversation, reply.message);
    }
  }
  if (created && channel === 'offline') notifyOfflineMessage(deps, site, conversation.id, input);
  // Later messages reach the inbox as `message:new` alone; a summary is re-sent only when its shape changes.
  if (newConversation) await publishConversation(deps, conversation.id);
  return { conversation, message };
}

/**
 * Emails the site's agents about a message left while nobody was available. Sent after the commit and
 * off the visitor's path: a slow or failing SMTP server never delays or fails the visitor's send.
 */
function notifyOfflineMessage(deps: ChatDeps, site: SiteRow, conversationId: string, input: { text: string; prechat?: Prechat }) {
  const { mailer } = deps;
  if (!mailer) return;
  void (async () => {
    const recipients = await deps.db
      .selectDistinct({ email: agentsTable.email })
      .from(agentsTable)
      .leftJoin(siteMembersTable, and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, site.id)))
      .where(and(isNotNull(agentsTable.passwordHash), or(eq(agentsTable.role, 'admin'), isNotNull(siteMembersTable.siteId))));
    const from = [input.prechat?.name, input.prechat?.email].filter(Boolean).join(' ');
    const link = deps.publicUrl ? `${deps.publicUrl()}/app/sites/${site.key}/inbox/${conversationId}` : '';
    await mailer.send({
      to: recipients.map((recipient) => recipient.email),
      subject: `New message on ${site.name} from ${from || 'a visitor'}`,
      text: [`${from || 'A visitor'} left a message while no agent was available:`, '', input.text, '', link && `Answer it in Beckon: ${link}`].filter((line) => line !== undefined).join('\n'),
      ...(input.prechat?.email ? { replyTo: input.prechat.email } : {}),
    });
  })().catch((error: unknown) => deps.logger.error('offline message notice failed', { error, siteId: site.id }));
}

/** Pushes the site's availability to its visitors after an agent's presence changed. */
export async function announceAvailability(deps: ChatDeps, sites: SiteRow[]) {
  for (const site of sites) deps.realtime.toSiteVisitors(site.id, 'chat:availability', await availability(deps, site));
}
