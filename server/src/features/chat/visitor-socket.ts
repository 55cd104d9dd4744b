import { and, desc, eq, gt, or } from 'drizzle-orm';
import {
  acceptInvitationSchema,
  chatVisitorRoom,
  csatSchema,
  offlineMessageSchema,
  readSchema,
  sendMessageSchema,
  siteVisitorsRoom,
  sinceSchema,
  transcriptRequestSchema,
  typingSchema,
  visitorAuthSchema,
  type ChatMessage,
  type ChatReady,
  type MessageSent,
} from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import {
  chatVisitorsTable,
  conversationsTable,
  sitesTable,
  type ChatVisitorRow,
  type ConversationRow,
  type SiteRow,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isOriginAllowed, pageOrigin } from '../../lib/origin.js';
import type { VisitorNamespace, VisitorSocket, VisitorSocketData } from '../../realtime/realtime.js';
import { findSiteByKey, visitorLanguage } from '../sites/index.js';
import { keyedCache } from '../../lib/keyed-cache.js';
import {
  autoReplyText,
  availability,
  chatSettingsIn,
  createWelcomeQueue,
  publishConversation,
  receiveVisitorMessage,
  relayMessage,
} from './chat.js';
import { emailTranscript } from './email-replies.js';
import { handler, handlerTable } from './socket-handlers.js';
import { primaryLanguage } from '../routing/index.js';
import { createVisitorMessageWriter, type StoredVisitorMessage } from './visitor-message-writer.js';
import {
  findOpenConversation,
  getConversation,
  markRead,
  messagesAfter,
  resolveChatVisitor,
  saveCsat,
  summarise,
} from './service.js';
import { chatOpeningLimits, conversationOpenings, type ChatOpeningLimits } from './opening-limit.js';
import { handshakeIp, limitAddress } from '../../lib/client-ip.js';

/**
 * The visitor's answer to an agent's invitation (invitations feature): opens or joins a conversation
 * with the agent's message. Handed in where the sockets are wired, so chat does not import invitations
 * (which builds on chat's message writer).
 */
export type AcceptInvitation = (
  deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>,
  siteId: string,
  chatVisitor: ChatVisitorRow,
  invitationId: string,
) => Promise<{ conversationId: string; messages: ChatMessage[] }>;

type Deps = Pick<AppDeps, 'db' | 'ackDb' | 'realtime' | 'logger' | 'limiter' | 'metrics'> &
  Partial<Pick<AppDeps, 'mailer'>> & {
    /** Read the visitor's address from `X-Forwarded-For`. */
    trustProxy?: boolean;
    chatOpenings?: ChatOpeningLimits;
  };

// The token is handed to the visitor once, in chat:ready; it never goes into socket.data (shared across nodes).
const issuedTokens = new WeakMap<object, string>();

// A conversation closed this recently is still shown on reload, so the visitor can rate it.
const recentlyClosedMs = 24 * 60 * 60 * 1000;

async function latestConversation(deps: Deps, chatVisitorId: string) {
  const [row] = await deps.db
    .select()
    .from(conversationsTable)
    .where(
      and(
        eq(conversationsTable.chatVisitorId, chatVisitorId),
        or(
          eq(conversationsTable.status, 'open'),
          gt(conversationsTable.closedAt, new Date(Date.now() - recentlyClosedMs)),
        ),
      ),
    )
    .orderBy(desc(conversationsTable.createdAt))
    .limit(1);
  return row;
}

/**
 * `/visitor`: the widget's chat. A socket is bound at the handshake to one site (origin-checked) and one
 * chat visitor (by token), and can only ever read or write that visitor's conversations.
 */
export function registerVisitorChat(visitors: VisitorNamespace, deps: Deps, acceptInvitation: AcceptInvitation) {
  const { db, logger } = deps;
  // Acks wait on these writes: they go through the connections kept for them.
  const writeMessage = createVisitorMessageWriter(deps.ackDb ?? db);
  const welcome = createWelcomeQueue(deps);
  const openings = conversationOpenings(deps.limiter, deps.chatOpenings ?? chatOpeningLimits());
  // Sockets whose visitor had an open conversation when last seen: their sends take no opening.
  const openSeen = new WeakSet<VisitorSocket>();
  // The address each socket's openings count against, parsed once per socket rather than per message.
  const limitAddresses = new WeakMap<VisitorSocket, string>();
  const limitAddressOf = (socket: VisitorSocket) => {
    let address = limitAddresses.get(socket);
    if (address === undefined) {
      address = limitAddress(handshakeIp(socket.handshake, deps.trustProxy ?? false));
      limitAddresses.set(socket, address);
    }
    return address;
  };

  /**
   * Wraps a send that may open a conversation (it calls `opened()` if it did). Unless the socket's
   * visitor is known to have an open conversation, it holds one of the address's and site's openings while
   * it runs and gives it back if nothing opened; over a limit it fails with `too_many_conversations` and
   * stores nothing, unless the visitor has an open conversation after all (opened in another tab).
   */
  const limitOpening =
    <I, T>(send: (input: I, socket: VisitorSocket, opened: () => void, receivedAt: number) => Promise<T>) =>
    async (input: I, socket: VisitorSocket, receivedAt: number): Promise<T> => {
      const { siteId, chatVisitorId } = socket.data;
      let giveBack: (() => Promise<void>) | null = null;
      if (!openSeen.has(socket)) {
        try {
          giveBack = await openings.take(siteId, limitAddressOf(socket));
        } catch (error) {
          if (!(await findOpenConversation(db, chatVisitorId))) throw error;
        }
      }
      let didOpen = false;
      try {
        const result = await send(input, socket, () => (didOpen = true), receivedAt);
        openSeen.add(socket);
        if (!didOpen) await giveBack?.();
        // The conversation this socket knew of was closed meanwhile: the new one still counts.
        else if (!giveBack) await openings.count(siteId, limitAddressOf(socket));
        return result;
      } catch (error) {
        await giveBack?.();
        throw error;
      }
    };

  visitors.use(async (socket, next) => {
    try {
      const auth = visitorAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return next(new Error('validation_failed'));
      const site = await findSiteByKey(db, auth.data.site);
      if (!site) return next(new Error('unknown_site'));
      if (!isOriginAllowed(pageOrigin(socket.handshake.headers), site.allowedOrigins))
        return next(new Error('origin_not_allowed'));
      // The widget names the language it speaks; an older widget names none: the site's choice (auto or fixed).
      const language = visitorLanguage(
        site.widget,
        auth.data.language,
        socket.handshake.headers['accept-language'] as string | undefined,
      );
      const { visitor, token } = await resolveChatVisitor(
        db,
        site.id,
        auth.data.token,
        auth.data.url,
        auth.data.visitorId,
        primaryLanguage(socket.handshake.headers['accept-language']),
        language,
      );
      socket.data = { siteId: site.id, chatVisitorId: visitor.id, language };
      issuedTokens.set(socket, token);
      await socket.join([chatVisitorRoom(visitor.id), siteVisitorsRoom(site.id)]);
      next();
    } catch (error) {
      logger.error('visitor socket auth failed', { error });
      next(new Error('unavailable'));
    }
  });

  // Settings change rarely: one copy per node saves a query per message; a change drops it (lib/keyed-cache.ts).
  const loadSite = keyedCache(5000, async (siteId: string): Promise<SiteRow> => {
    const [site] = await db.select().from(sitesTable).where(eq(sitesTable.id, siteId));
    if (!site) throw notFound('Site');
    return site;
  });
  /** The conversation a payload names, only if it is this visitor's; else their latest one. */
  const ownConversation = async ({ chatVisitorId }: VisitorSocketData, conversationId?: string) => {
    if (conversationId) {
      const conversation = await getConversation(db, conversationId).catch(() => undefined);
      if (!conversation || conversation.chatVisitorId !== chatVisitorId) throw notFound('Conversation');
      return conversation;
    }
    return (await latestConversation(deps, chatVisitorId)) ?? null;
  };

  // One table for every visitor socket: per-socket state is only socket.data (ids), so a node holds many.
  const onEvent = handlerTable<VisitorSocket>(
    {
      'message:send': handler(
        sendMessageSchema,
        limitOpening(async (input, socket, opened, receivedAt) => {
          const { siteId, chatVisitorId, language } = socket.data;
          const site = await loadSite(siteId);
          // The common case takes the group-commit writer (which also opens the conversation on a first
          // message); sends with pre-chat answers take the full path.
          if (!input.prechat) {
            const stored = await writeMessage({
              siteId,
              chatVisitorId,
              clientId: input.clientId,
              text: input.text,
              autoReply: autoReplyText(site, language),
            });
            if (stored) {
              deps.metrics.chatMessageCommit.observeSince(receivedAt, stored.committedAt);
              // Only the copy that stored the message relays it and welcomes its conversation; a retry
              // (even one that joined the same batch) is acknowledged and nothing more.
              const autoReply = stored.started?.autoReply ?? null;
              if (stored.created) relayMessage(deps, stored.conversation, stored.message, socket.id);
              if (stored.created && stored.started) {
                opened();
                // The sending tab gets the auto-reply in its ack: one socket write fewer per new chat.
                if (autoReply) relayMessage(deps, stored.conversation, autoReply, socket.id);
                // The round loads the visitors of all the conversations it welcomes at once.
                void welcome(siteId, {
                  conversation: startedConversation(stored.conversation, stored.message, autoReply),
                  firstMessage: stored.message,
                  assign: true,
                }).catch((error: unknown) => logger.error('welcoming a new conversation failed', { error, siteId }));
              }
              return (
                autoReply ? { message: stored.message, autoReply } : { message: stored.message }
              ) satisfies MessageSent;
            }
          }
          // The writer already looked for an earlier copy of this send; pre-chat answers skipped it.
          const visitor = await resolveChatVisitorById(deps, chatVisitorId);
          const received = await receiveVisitorMessage(deps, site, visitor, input, 'chat', {
            retryChecked: !input.prechat,
            welcome,
            language,
          });
          deps.metrics.chatMessageCommit.observeSince(receivedAt);
          if (received.opened) opened();
          return { message: received.message };
        }),
        { ackLatency: deps.metrics.chatMessageAck },
      ),
      'offline:message': handler(
        offlineMessageSchema,
        limitOpening(async (input, socket, opened) => {
          const { siteId, chatVisitorId } = socket.data;
          const received = await receiveVisitorMessage(
            deps,
            await loadSite(siteId),
            await resolveChatVisitorById(deps, chatVisitorId),
            { clientId: input.clientId, text: input.text, prechat: { name: input.name, email: input.email } },
            'offline',
            { welcome, language: socket.data.language },
          );
          if (received.opened) opened();
          return { conversationId: received.conversation.id };
        }),
      ),
      'transcript:request': handler(transcriptRequestSchema, async ({ email }, socket) => {
        // A mail to any address the visitor types: a few an hour, so the chat cannot be used to spam.
        await deps.limiter.enforce(`transcript:${socket.data.chatVisitorId}`, { limit: 3, windowMs: 60 * 60_000 });
        await emailTranscript(deps, socket.data.chatVisitorId, email, socket.data.language);
        return {};
      }),
      'messages:since': handler(sinceSchema, async ({ conversationId, afterSeq }, socket) => {
        const conversation = await ownConversation(socket.data, conversationId);
        return {
          messages: conversation ? await messagesAfter(db, conversation.id, afterSeq, { includeInternal: false }) : [],
        };
      }),
      'visitor:typing': handler(typingSchema, async ({ typing, preview }, socket) => {
        const { siteId } = socket.data;
        const conversation = await ownConversation(socket.data);
        if (conversation?.status !== 'open') return;
        // Read fresh: turning previews off must take effect at once, not after a cache expires.
        const [site] = await db.select({ chat: sitesTable.chat }).from(sitesTable).where(eq(sitesTable.id, siteId));
        if (!site) return;
        deps.realtime.toSite(siteId, 'visitor:typing', {
          conversationId: conversation.id,
          typing,
          ...(site.chat.typingPreview && typing && preview ? { preview } : {}),
        });
      }),
      'message:read': handler(readSchema, async ({ conversationId, seq }, socket) => {
        const conversation = await ownConversation(socket.data, conversationId);
        if (!conversation) return;
        const updated = await markRead(db, conversation.id, 'visitor', seq);
        if (updated)
          deps.realtime.toSite(socket.data.siteId, 'message:read', {
            conversationId: conversation.id,
            seq: updated.visitorReadSeq,
          });
      }),
      // An agent's invitation answered: a conversation assigned to that agent, opened with their message.
      'invitation:accept': handler(acceptInvitationSchema, async ({ invitationId }, socket) => {
        const { siteId, chatVisitorId } = socket.data;
        const accepted = await acceptInvitation(
          deps,
          siteId,
          await resolveChatVisitorById(deps, chatVisitorId),
          invitationId,
        );
        await publishConversation(deps, accepted.conversationId);
        return accepted;
      }),
      'csat:submit': handler(csatSchema, async ({ conversationId, rating, comment }, socket) => {
        await saveCsat(db, socket.data.chatVisitorId, conversationId, rating, comment);
        await publishConversation(deps, conversationId);
      }),
    },
    deps,
  );

  visitors.on('connection', async (socket) => {
    socket.onAny(onEvent);
    const { siteId, chatVisitorId } = socket.data;
    const token = issuedTokens.get(socket);
    issuedTokens.delete(socket);
    try {
      const site = await loadSite(siteId);
      const conversation = await latestConversation(deps, chatVisitorId);
      const [summary] = conversation ? await summarise(db, [conversation]) : [];
      const ready: ChatReady = {
        token: token!,
        conversation: summary ?? null,
        messages: conversation ? await messagesAfter(db, conversation.id, 0, { includeInternal: false }) : [],
        settings: chatSettingsIn(site.chat, socket.data.language),
        emailAvailable: Boolean(deps.mailer),
        ...(await availability(deps, site)),
      };
      socket.emit('chat:ready', ready);
      // The visitor (re)connects on every page load: agents watching the conversation see the new page.
      if (conversation?.status === 'open') {
        openSeen.add(socket);
        await publishConversation(deps, conversation.id);
      }
    } catch (error) {
      logger.error('chat:ready failed', { error });
      socket.emit('error', { code: 'internal', message: 'The chat could not load; retrying' });
      socket.disconnect(true);
    }
  });
}

/** The row of a conversation the group-commit writer just opened, from what its statement returned. */
function startedConversation(
  conversation: StoredVisitorMessage['conversation'],
  first: ChatMessage,
  autoReply: ChatMessage | null,
): ConversationRow {
  const at = new Date(first.createdAt);
  return {
    ...conversation,
    status: 'open',
    channel: 'chat',
    lastSeq: autoReply?.seq ?? first.seq,
    agentReadSeq: 0,
    visitorReadSeq: 0,
    autoReplied: Boolean(autoReply),
    csatRating: null,
    csatComment: null,
    temperature: null,
    routing: null,
    assignedAt: null,
    createdAt: at,
    lastMessageAt: at,
    closedAt: null,
  };
}

async function resolveChatVisitorById(deps: Deps, chatVisitorId: string) {
  const [row] = await deps.db.select().from(chatVisitorsTable).where(eq(chatVisitorsTable.id, chatVisitorId));
  if (!row) throw new AppError('unauthorized', 'Unknown chat visitor');
  return row;
}
