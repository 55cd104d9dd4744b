import { matchLanguage, type ChatMessage, type ReplyDelivery, type WidgetLanguage } from '@beckon/sdk/protocol';
import { desc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-env.js';
import { chatVisitorsTable, conversationsTable, sitesTable, type ConversationRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { formatUtc } from '../../lib/i18n.js';
import { messagesAfter } from './service.js';
import { visitorEmailsIn } from './visitor-emails/index.js';

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
  const [site] = await deps.db
    .select({ name: sitesTable.name, widget: sitesTable.widget })
    .from(sitesTable)
    .where(eq(sitesTable.id, siteId));
  return { name: site?.name ?? 'our team', language: site?.widget.language ?? 'en' };
};

/**
 * The language of an email to a visitor: the one their widget last spoke to them (stored at each chat
 * handshake, `chat_visitors.widget_language`), else the site's widget language.
 */
export function visitorEmailLanguage(stored: string | null | undefined, siteLanguage: WidgetLanguage): WidgetLanguage {
  return (stored ? matchLanguage(stored) : undefined) ?? siteLanguage;
}

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
    const site = await siteOf(deps, conversation.siteId);
    const [visitor] = await deps.db
      .select({ url: chatVisitorsTable.currentUrl, language: chatVisitorsTable.widgetLanguage })
      .from(chatVisitorsTable)
      .where(eq(chatVisitorsTable.id, conversation.chatVisitorId));
    const t = visitorEmailsIn(visitorEmailLanguage(visitor?.language, site.language));
    const names = { agent: message.agent?.name ?? site.name, site: site.name };
    await mailer.send({
      to: [delivery.email],
      subject: t('replySubject', names),
      text: [
        message.text,
        '',
        t('replySignature', names),
        '',
        visitor?.url ? t('continuesAt', { url: visitor.url }) : t('continuesOnSite'),
      ].join('\n'),
    });
  })().catch((error: unknown) => deps.logger.error('reply email failed', { error, conversationId: conversation.id }));
}

/**
 * The visitor's open conversation, else their last one, as plain text mailed to `email` (the visitor's own),
 * in `language`: the one their widget speaks.
 */
export async function emailTranscript(
  deps: Deps,
  chatVisitorId: string,
  email: string,
  language: WidgetLanguage,
): Promise<void> {
  const { mailer } = deps;
  if (!mailer) throw new AppError('unavailable', 'Email is not set up for this site');
  const [conversation] = await deps.db
    .select()
    .from(conversationsTable)
    .where(eq(conversationsTable.chatVisitorId, chatVisitorId))
    .orderBy(desc(conversationsTable.createdAt))
    .limit(1);
  if (!conversation) throw new AppError('not_found', 'There is no conversation to send yet');
  const { name: siteName } = await siteOf(deps, conversation.siteId);
  const t = visitorEmailsIn(language);
  const messages = await messagesAfter(deps.db, conversation.id, 0, { includeInternal: false });
  const lines = messages.map((message) => {
    const who =
      message.author === 'visitor'
        ? t('you')
        : message.author === 'agent'
          ? (message.agent?.name ?? siteName)
          : siteName;
    return `[${formatUtc(language, message.createdAt)}] ${who}: ${message.text}`;
  });
  // The address is the visitor's from now on: a later reply while they are away goes there too.
  await deps.db.update(chatVisitorsTable).set({ email }).where(eq(chatVisitorsTable.id, chatVisitorId));
  await mailer.send({
    to: [email],
    subject: t('transcriptSubject', { site: siteName }),
    text: [t('transcriptIntro', { site: siteName }), '', ...lines].join('\n'),
  });
}
