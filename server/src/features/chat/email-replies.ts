import type { ChatMessage, ReplyDelivery } from '@beckon/sdk/protocol';
import { desc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-env.js';
import { chatVisitorsTable, conversationsTable, sitesTable, type ConversationRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { messagesAfter } from './service.js';

type Deps = Pick<AppDeps, 'db' | 'realtime' | 'logger'> & Partial<Pick<AppDeps, 'mailer'>>;

/** Where a reply in this conversation goes now (see `ReplyDelivery`): the reply box says it before sending. */
export async function replyDelivery(
  deps: Deps,
  conversation: Pick<ConversationRow, 'chatVisitorId'>,
): Promise<ReplyDelivery> {
  const [visitor] = await deps.db
    .select({ email: chatVisitorsTable.email })
    .from(chatVisitorsTable)
    .where(eq(chatVisitorsTable.id, conversation.chatVisitorId));
  const email = visitor?.email ?? null;
  if (await deps.realtime.visitorConnected(conversation.chatVisitorId)) return { mode: 'live', email };
  if (!email) return { mode: 'no_email', email };
  return { mode: deps.mailer ? 'email' : 'no_smtp', email };
}

const siteOf = async (deps: Deps, siteId: string) => {
  const [site] = await deps.db.select({ name: sitesTable.name }).from(sitesTable).where(eq(sitesTable.id, siteId));
  return site?.name ?? 'our team';
};

/**
 * A reply to a visitor who has left (no chat tab open) goes to the email they gave, after it is stored.
 * Off the agent's path: a slow or failing SMTP server never delays the ack; failures are logged.
 * Answers by email reach the `BECKON_MAIL_FROM` mailbox; they are not threaded back into the chat.
 */
export function emailReplyIfLeft(deps: Deps, conversation: ConversationRow, message: ChatMessage): void {
  const { mailer } = deps;
  if (!mailer || message.internal) return;
  void (async () => {
    const delivery = await replyDelivery(deps, conversation);
    if (delivery.mode !== 'email' || !delivery.email) return;
    const siteName = await siteOf(deps, conversation.siteId);
    const [visitor] = await deps.db
      .select({ url: chatVisitorsTable.currentUrl })
      .from(chatVisitorsTable)
      .where(eq(chatVisitorsTable.id, conversation.chatVisitorId));
    await mailer.send({
      to: [delivery.email],
      subject: `${message.agent?.name ?? siteName} replied to your message to ${siteName}`,
      text: [
        message.text,
        '',
        `— ${message.agent?.name ?? siteName}, ${siteName}`,
        '',
        visitor?.url
          ? `Your conversation continues in the chat on ${visitor.url}`
          : 'Your conversation continues in the chat on our website.',
      ].join('\n'),
    });
  })().catch((error: unknown) => deps.logger.error('reply email failed', { error, conversationId: conversation.id }));
}

/** The visitor's open conversation, else their last one, as plain text mailed to `email` (the visitor's own). */
export async function emailTranscript(deps: Deps, chatVisitorId: string, email: string): Promise<void> {
  const { mailer } = deps;
  if (!mailer) throw new AppError('unavailable', 'Email is not set up for this site');
  const [conversation] = await deps.db
    .select()
    .from(conversationsTable)
    .where(eq(conversationsTable.chatVisitorId, chatVisitorId))
    .orderBy(desc(conversationsTable.createdAt))
    .limit(1);
  if (!conversation) throw new AppError('not_found', 'There is no conversation to send yet');
  const siteName = await siteOf(deps, conversation.siteId);
  const messages = await messagesAfter(deps.db, conversation.id, 0, { includeInternal: false });
  const lines = messages.map((message) => {
    const who =
      message.author === 'visitor' ? 'You' : message.author === 'agent' ? (message.agent?.name ?? siteName) : siteName;
    return `[${message.createdAt.slice(0, 16).replace('T', ' ')} UTC] ${who}: ${message.text}`;
  });
  // The address is the visitor's from now on: a later reply while they are away goes there too.
  await deps.db.update(chatVisitorsTable).set({ email }).where(eq(chatVisitorsTable.id, chatVisitorId));
  await mailer.send({
    to: [email],
    subject: `Your chat with ${siteName}`,
    text: [`Your conversation with ${siteName}:`, '', ...lines].join('\n'),
  });
}
