import type { ChatAvailability, ChatMessage, ChatSettings, Prechat, WidgetLanguage } from '@beckon/sdk/protocol';
import { truncateReadable } from '@beckon/sdk/core';
import type { AppDeps } from '../../app-env.js';
import type { Tx } from '../../db/client.js';
import { and, eq, inArray, isNotNull, or } from 'drizzle-orm';
import {
  agentsTable,
  chatVisitorsTable,
  siteMembersTable,
  type ChatVisitorRow,
  type ConversationRow,
  type SiteRow,
} from '../../db/schema.js';
import { isWithinBusinessHours } from '@beckon/sdk/core';
import { AppError } from '../../lib/errors.js';
import { announceLead, recordLeadTouch } from '../leads/index.js';
import { normaliseEmail, normalisePhone } from '../persons/index.js';
import { announceSignal, storeSignal } from '../visitors/index.js';
import { routeConversations } from './routing.js';
import { reusedStatuses } from './presence.js';
import { createPatientQueue, type PatientQueue } from '../../lib/patient-queue.js';
import { createBatcher, type Batcher } from '../../lib/batcher.js';
import {
  appendMessage,
  findOpenConversation,
  findVisitorMessage,
  getConversation,
  savePrechat,
  startConversation,
  summarise,
  toSummary,
} from './service.js';
import { offlineNoticeTexts } from './emails/index.js';
import { agentLanguage, type AgentLanguage } from '../../lib/i18n.js';
import type { Mail } from '../../lib/mailer.js';

export type ChatDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'> &
  Partial<Pick<AppDeps, 'mailer'>> & { publicUrl?: () => string };

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
  deps.realtime.conversationToSite(summary!.siteId, summary!);
}

/**
 * Relays a committed message: agents of the site always, the visitor unless it is an internal note.
 * `senderSocketId`: the visitor tab that sent it has it in its ack; only their other tabs need it.
 */
export function relayMessage(
  deps: ChatDeps,
  conversation: Pick<ConversationRow, 'siteId' | 'chatVisitorId'>,
  message: ChatMessage,
  senderSocketId?: string,
) {
  deps.realtime.messageToSite(conversation.siteId, message);
  if (message.internal) return;
  if (senderSocketId) deps.realtime.toVisitorExcept(conversation.chatVisitorId, senderSocketId, 'message:new', message);
  else deps.realtime.toVisitor(conversation.chatVisitorId, 'message:new', message);
}

/**
 * A visitor's message on the full path (sends with pre-chat answers, messages left offline, and the
 * group-commit writer's rare races): stored idempotently in their open conversation, or opening one with
 * the site's auto-reply, which is then assigned and shown to the inbox (`opened`). Plain chat messages take the
 * group-commit writer (visitor-message-writer.ts), which does the same for many sends at once.
 */
export async function receiveVisitorMessage(
  deps: ChatDeps,
  site: SiteRow,
  visitor: ChatVisitorRow,
  input: { clientId: string; text: string; prechat?: Prechat },
  channel: 'chat' | 'offline' = 'chat',
  {
    retryChecked = false,
    welcome,
    language,
  }: { retryChecked?: boolean; welcome: WelcomeQueue; language: WidgetLanguage },
) {
  // A retry of a send stored earlier, in any of the visitor's conversations, gets the same answer.
  const earlier = retryChecked ? undefined : await findVisitorMessage(deps.db, visitor.id, input.clientId);
  if (earlier) return { ...earlier, opened: false };
  await savePrechat(deps.db, visitor.id, input.prechat);
  const started = await startConversation(deps.db, {
    siteId: site.id,
    chatVisitorId: visitor.id,
    channel,
    clientId: input.clientId,
    text: input.text,
    autoReply: channel === 'chat' ? autoReplyText(site, language) : null,
  });
  if (!started) return { ...(await appendToOpenConversation(deps, site, visitor, input, channel)), opened: false };

  const { conversation } = started;
  const [message, autoReply] = started.messages;
  relayMessage(deps, conversation, message!);
  if (autoReply) relayMessage(deps, conversation, autoReply);
  const contact = { ...visitor, ...definedFields(input.prechat) };
  if (channel === 'offline') notifyOfflineMessage(deps, site, conversation.id, input);
  await welcome(site.id, { conversation, visitor: contact, firstMessage: message!, assign: channel === 'chat' });
  return { conversation, message: message!, opened: true };
}

export interface NewConversation {
  conversation: ConversationRow;
  visitor: Pick<
    ChatVisitorRow,
    'name' | 'email' | 'phone' | 'currentUrl' | 'lastAgentId' | 'trackerVisitorIds' | 'language'
  >;
  firstMessage: ChatMessage;
  /** Chats go to an online agent; messages left offline wait in the queue. */
  assign: boolean;
}

/**
 * After new conversations of a site committed: gives the chats to online agents (one round for all of
 * them), tells each visitor who answers, and shows the inbox each conversation, built from data at hand;
 * then records each as a lead touch and scoring signal (`recordChatLead`).
 */
export async function welcomeConversations(deps: ChatDeps, siteId: string, started: NewConversation[]) {
  await assignAndShow(deps, siteId, started);
  for (const group of disjointGroups(started, leadTouchGroupMax)) await recordChatLeads(deps, siteId, group);
}

type AgentStatuses = Awaited<ReturnType<ChatDeps['realtime']['agentStatuses']>>;

/** The part of a welcome that the next round depends on: assignment (the round-robin turn) and the inbox's view. */
async function assignAndShow(
  deps: ChatDeps,
  siteId: string,
  started: NewConversation[],
  statusesOf: (siteId: string) => Promise<AgentStatuses> = (id) => deps.realtime.agentStatuses(id),
) {
  const toAssign = started.filter((item) => item.assign);
  const statuses: AgentStatuses = toAssign.length ? await statusesOf(siteId) : new Map();
  const online = [...statuses].filter(([, agent]) => agent.status === 'online').map(([id]) => id);
  const routed = await routeConversations(
    deps.db,
    siteId,
    toAssign.map(({ conversation, visitor }) => ({
      id: conversation.id,
      chatVisitorId: conversation.chatVisitorId,
      previousAgentId: visitor.lastAgentId,
      trackerVisitorId: visitor.trackerVisitorIds.at(-1) ?? null,
      url: visitor.currentUrl,
      language: visitor.language,
    })),
    online,
  );
  for (const { conversation, visitor, firstMessage } of started) {
    const decision = routed.get(conversation.id);
    const assignee = decision ? { id: decision.agentId, name: statuses.get(decision.agentId)?.name ?? 'Agent' } : null;
    if (assignee)
      deps.realtime.toVisitor(conversation.chatVisitorId, 'conversation:assigned', {
        conversationId: conversation.id,
        agent: assignee,
      });
    const lastMessage = { text: firstMessage.text, author: firstMessage.author, createdAt: firstMessage.createdAt };
    const row = decision
      ? { ...conversation, assigneeId: decision.agentId, routing: decision.routing, temperature: decision.temperature }
      : conversation;
    deps.realtime.conversationToSite(siteId, toSummary(row, visitor, assignee, lastMessage, 1));
  }
}

/**
 * A started chat is a lead touch (the same person by email, phone or browser as their callbacks and
 * feedback) and a scoring signal, written in one transaction after the conversation's commit; a failure
 * is logged and never undoes the chat.
 */
export async function recordChatLead(deps: ChatDeps, siteId: string, item: NewConversation) {
  try {
    // One commit for the touch and its signal (a chat touch was two transactions; bench:chat opens a
    // thousand chats a second).
    await announceChatLeads(deps, [await deps.db.transaction((tx) => touchChatLead(tx, siteId, item))]);
  } catch (error) {
    deps.logger.error('recording the chat as a lead failed', { error, conversationId: item.conversation.id });
  }
}

/**
 * The lead touches of chats that share no identity (`chatLeadIdentities`), in one transaction: their statements
 * run side by side on its connection, so the touches of a burst of openings share round trips (each a socket
 * write and a wake-up of both processes), one BEGIN and one COMMIT. Should any touch fail, the transaction
 * undoes them all and each is recorded again alone, so only its own failure is logged. The touches take their
 * identity locks in no one order between them: should another transaction wait on two of them the other way
 * round, PostgreSQL ends one of the two as a deadlock, and when that is the group, it is the same fallback.
 */
export async function recordChatLeads(deps: ChatDeps, siteId: string, items: readonly NewConversation[]) {
  let recorded: ChatLead[] | undefined;
  if (items.length > 1) {
    try {
      recorded = await deps.db.transaction(async (tx) => {
        // Settled, not `Promise.all`: the transaction must not end while another touch still issues statements.
        const settled = await Promise.allSettled(items.map((item) => touchChatLead(tx, siteId, item)));
        const failed = settled.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        return settled.map((result) => (result as PromiseFulfilledResult<ChatLead>).value);
      });
    } catch (error) {
      deps.logger.debug('chat lead touches recorded one by one after their shared transaction failed', { error });
    }
  }
  if (recorded) await announceChatLeads(deps, recorded);
  else for (const item of items) await recordChatLead(deps, siteId, item);
}

type ChatLead = Awaited<ReturnType<typeof touchChatLead>>;

/** The touch comes first, so `lead.created` still carries the temperature before the chat, and the change the
 * signal makes reaches the lead after the commit (`announceChatLeads`). */
async function touchChatLead(tx: Tx, siteId: string, { conversation, visitor, firstMessage }: NewConversation) {
  const visitorId = visitor.trackerVisitorIds.at(-1) ?? null;
  const offline = conversation.channel === 'offline';
  return {
    lead: await recordLeadTouch(tx, {
      siteId,
      channel: 'chat',
      kind: offline ? 'chat.offline_message' : 'chat.started',
      contact: { name: visitor.name, email: visitor.email, phone: visitor.phone },
      visitorId,
      chatVisitorId: conversation.chatVisitorId,
      otherVisitorIds: visitor.trackerVisitorIds,
      // The inbox names an unnamed chat visitor after its first browser id (chat/service.ts `toSummary`).
      labelSeed: visitor.trackerVisitorIds[0] ?? conversation.chatVisitorId,
      ref: { type: 'conversation', id: conversation.id },
      summary: `${offline ? 'Left a message' : 'Started a chat'}: ${truncateReadable(firstMessage.text, 140)}`,
      data: { pageUrl: visitor.currentUrl, text: truncateReadable(firstMessage.text, 140) },
    }),
    signal: visitorId ? await storeSignal(tx, siteId, visitorId, offline ? 'form_submitted' : 'chat_started') : null,
  };
}

/** After the commit: the leads to the dashboards, then the signals' temperature changes, all at once, to their listeners. */
async function announceChatLeads(deps: ChatDeps, recorded: readonly ChatLead[]) {
  for (const { lead } of recorded) if (lead) announceLead(deps, lead.summary);
  const signals = recorded.flatMap(({ signal }) => (signal ? [signal] : []));
  if (signals.length > 0)
    await announceSignal({
      visitors: signals.flatMap((signal) => signal.visitors),
      changes: signals.flatMap((signal) => signal.changes),
    });
}

/**
 * Every identity a chat's lead touch locks or matches by (the lead's and the person's): touches whose sets do not
 * meet can share a transaction without racing each other to create the same lead or person.
 */
export function chatLeadIdentities({ conversation, visitor }: NewConversation): string[] {
  const email = normaliseEmail(visitor.email);
  const phone = normalisePhone(visitor.phone);
  return [
    `chat:${conversation.chatVisitorId}`,
    ...visitor.trackerVisitorIds.map((id) => `visitor:${id}`),
    ...(email ? [`email:${email}`] : []),
    ...(phone ? [`phone:${phone}`] : []),
  ];
}

/** Splits touches into groups of at most `max` whose identities do not meet, in arrival order. */
export function disjointGroups(items: readonly NewConversation[], max: number): NewConversation[][] {
  const groups: { items: NewConversation[]; identities: Set<string> }[] = [];
  for (const item of items) {
    const identities = chatLeadIdentities(item);
    const group = groups.find(
      (candidate) =>
        candidate.items.length < max && identities.every((identity) => !candidate.identities.has(identity)),
    );
    if (group) {
      group.items.push(item);
      for (const identity of identities) group.identities.add(identity);
    } else groups.push({ items: [item], identities: new Set(identities) });
  }
  return groups.map((group) => group.items);
}

/** A conversation to welcome; without `visitor`, the round loads it (one query for all of a round's visitors). */
export type Welcome = Omit<NewConversation, 'visitor'> & { visitor?: NewConversation['visitor'] };
export type WelcomeQueue = (siteId: string, item: Welcome) => Promise<void>;

/** Fills in the visitors a round's items came without, in one query. */
async function withVisitors(deps: ChatDeps, items: Welcome[]): Promise<NewConversation[]> {
  const missing = [...new Set(items.filter((item) => !item.visitor).map((item) => item.conversation.chatVisitorId))];
  const loaded = new Map(
    missing.length
      ? (await deps.db.select().from(chatVisitorsTable).where(inArray(chatVisitorsTable.id, missing))).map(
          (visitor) => [visitor.id, visitor],
        )
      : [],
  );
  return items.flatMap((item) => {
    const visitor = item.visitor ?? loaded.get(item.conversation.chatVisitorId);
    return visitor ? [{ ...item, visitor }] : [];
  });
}

/**
 * Chats' lead touches (one transaction of about 25 statements each, the signal's included) are background work: one at a time, so they
 * do not compete with the visitors' acks for the cores, and another beside it only once the running ones have
 * taken 2 s (waiting for an identity lock, say), up to 4. bench:chat's 1,000 openings in a second, 15 s runs,
 * two each: opening ack p50 13-15 ms with 4 always in flight, 10-11 ms with 2, 7.5-7.7 ms with one and
 * 7.8-9.6 ms with this queue; with 250 ms of patience 12.5-15.4 ms, since in such a burst a touch takes
 * hundreds of milliseconds without any lock. One always alone would wait behind a touch stuck on a lock
 * (chat.test.ts).
 */
const leadTouchQueue = { max: 4, patienceMs: 2000 };

/**
 * Touches of one welcome round that share a transaction, at most (`recordChatLeads`). bench:chat, alternated
 * with one touch a transaction (six pairs, four and eight a group): server CPU 0.326-0.399 against 0.362-0.424 ms
 * and PostgreSQL's 0.228-0.247 against 0.250-0.284 ms per message. Larger groups hold the event loop longer at a
 * time (a group's statements are built in the same turns): with eight, the p99 of the first 20 s grew.
 */
const leadTouchGroupMax = 4;

/**
 * A lead touch waits while welcome rounds are queued or running (visitors wait for who answers, agents for the
 * inbox), at most this long. bench:chat's thousand openings in a second: with the touches made cheaper (one
 * transaction, fewer statements) and not held, more of them ran inside that second, and the visitors' "told
 * who answers" p50 went from 116-147 ms to 162-219 ms.
 */
const leadTouchMaxHoldMs = 1000;

/** How long a welcome round's reading of the agents online serves the next rounds (see `reusedStatuses`). */
const welcomeStatusesReuseMs = 100;

/**
 * Welcomes new conversations per site in rounds: everything that arrived while a round ran goes in the
 * next one. Rounds of a site run one at a time, so each reads the round-robin turn the last one left
 * (exact on one node). The writer path does not wait for it: assignment follows the commit and never
 * delays a visitor's ack.
 *
 * A round is assignment and the inbox's view only; the chats' lead touches and scoring signals (a
 * transaction of about 25 statements each, under per-identity locks, and nothing the next round reads)
 * leave the round for a queue of their own (one at a time while they are quick, none while a round waits or
 * runs, for up to `leadTouchMaxHoldMs`). Were they recorded inside the round, as
 * before, a thousand chats opening in one second would wait for a thousand lead touches, one after the
 * other, before the conversations opened meanwhile were assigned and shown to the inbox. A welcome's
 * promise still settles after its own lead touch, so a caller that awaits it sees the lead.
 */
export function createWelcomeQueue(deps: ChatDeps): WelcomeQueue {
  let roundsRunning = 0;
  const leadTouches: PatientQueue<{ siteId: string; items: NewConversation[] }> = createPatientQueue(
    (touches) => recordChatLeads(deps, touches.siteId, touches.items),
    {
      ...leadTouchQueue,
      holdWhile: () => roundsRunning > 0 || rounds.queued > 0,
      maxHoldMs: leadTouchMaxHoldMs,
    },
  );
  // Rounds follow each other within milliseconds in a burst: the agents online are read once per 100 ms.
  const statusesOf = reusedStatuses(welcomeStatusesReuseMs, (siteId) => deps.realtime.agentStatuses(siteId));
  const rounds: Batcher<{ siteId: string; item: Welcome }, { recorded: Promise<void> } | null> = createBatcher(
    async (waiting, siteId) => {
      const items = waiting.map(({ item }) => item);
      roundsRunning++;
      let started: NewConversation[];
      try {
        started = await withVisitors(deps, items);
        await assignAndShow(deps, siteId, started, statusesOf);
      } finally {
        roundsRunning--;
        // After this turn: the batcher starts the next round (if any is queued) first.
        setImmediate(() => leadTouches.resume());
      }
      // Per waiting item: its lead touch's promise, wrapped so the round's slot frees before it settles. The
      // round's touches go in groups, each one transaction (`recordChatLeads`).
      const byConversation = new Map<string, Promise<void>>();
      for (const items of disjointGroups(started, leadTouchGroupMax)) {
        const recorded = leadTouches.submit({ siteId, items });
        for (const item of items) byConversation.set(item.conversation.id, recorded);
      }
      return items.map((item) => {
        const recorded = byConversation.get(item.conversation.id);
        return recorded ? { recorded } : null;
      });
    },
    { wait: 'turn', maxInFlight: 1, keyOf: ({ siteId }) => siteId },
  );
  return async (siteId, item) => {
    const welcomed = await rounds.submit({ siteId, item });
    await welcomed?.recorded;
  };
}

/** The site's automatic answer to a visitor's first message in the visitor's language (else the default), if any. */
export function autoReplyText(site: SiteRow, language: WidgetLanguage): string | null {
  const text = chatSettingsIn(site.chat, language).autoReply;
  return text ? text.replaceAll('{minutes}', String(site.chat.expectedReplyMinutes)) : null;
}

/**
 * A site's chat settings as one visitor sees them: greeting and auto-reply in `language` where the site
 * wrote them in it, else the defaults; the other languages' translations stay on the server.
 */
export function chatSettingsIn(settings: ChatSettings, language: WidgetLanguage): ChatSettings {
  const { translations, ...shown } = settings;
  const own = translations?.[language];
  return { ...shown, greeting: own?.greeting ?? shown.greeting, autoReply: own?.autoReply ?? shown.autoReply };
}

/** A send while the visitor already has an open conversation (a message left offline joins it too). */
async function appendToOpenConversation(
  deps: ChatDeps,
  site: SiteRow,
  visitor: ChatVisitorRow,
  input: { clientId: string; text: string; prechat?: Prechat },
  channel: 'chat' | 'offline',
) {
  const conversation = await findOpenConversation(deps.db, visitor.id);
  if (!conversation) throw new AppError('conflict', 'The conversation changed; send again');
  const { message, created } = await appendMessage(deps.db, {
    conversationId: conversation.id,
    clientId: input.clientId,
    author: 'visitor',
    text: input.text,
  });
  if (created) {
    relayMessage(deps, conversation, message);
    if (channel === 'offline') notifyOfflineMessage(deps, site, conversation.id, input);
    // New contact details change how the inbox shows the conversation.
    if (input.prechat) await publishConversation(deps, conversation.id);
  }
  return { conversation, message };
}

const definedFields = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(
    Object.entries(value ?? {}).filter(([, field]) => field !== undefined && field !== ''),
  ) as Partial<T>;

/**
 * Emails the site's agents about a message left while nobody was available. Sent after the commit and
 * off the visitor's path: a slow or failing SMTP server never delays or fails the visitor's send.
 */
function notifyOfflineMessage(
  deps: ChatDeps,
  site: SiteRow,
  conversationId: string,
  input: { text: string; prechat?: Prechat },
) {
  const { mailer } = deps;
  if (!mailer) return;
  void (async () => {
    // Whole rows: each agent reads the notice in their own language (agentLanguage reads it when stored).
    const rows = await deps.db
      .select({ agent: agentsTable })
      .from(agentsTable)
      .leftJoin(
        siteMembersTable,
        and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, site.id)),
      )
      .where(
        and(isNotNull(agentsTable.passwordHash), or(eq(agentsTable.role, 'admin'), isNotNull(siteMembersTable.siteId))),
      );
    const link = deps.publicUrl ? `${deps.publicUrl()}/app/sites/${site.key}/inbox/${conversationId}` : '';
    for (const mail of offlineNoticeMails(
      rows.map(({ agent }) => agent),
      site.name,
      input,
      link,
    ))
      await mailer.send(mail);
  })().catch((error: unknown) => deps.logger.error('offline message notice failed', { error, siteId: site.id }));
}

/** The offline-message notice, one mail per language among the recipients, each in that language. */
export function offlineNoticeMails(
  recipients: ReadonlyArray<{ email: string }>,
  siteName: string,
  input: { text: string; prechat?: Prechat },
  link: string,
): Mail[] {
  const byLanguage = new Map<AgentLanguage, Set<string>>();
  for (const agent of recipients) {
    const language = agentLanguage(agent);
    byLanguage.set(language, (byLanguage.get(language) ?? new Set()).add(agent.email));
  }
  const from = [input.prechat?.name, input.prechat?.email].filter(Boolean).join(' ');
  return [...byLanguage].map(([language, emails]) => {
    const t = offlineNoticeTexts(language);
    return {
      to: [...emails],
      subject: from ? t('subject', { site: siteName, from }) : t('subjectAnonymous', { site: siteName }),
      text: [from ? t('intro', { from }) : t('introAnonymous'), '', input.text, '', link && t('answer', { link })].join(
        '\n',
      ),
      ...(input.prechat?.email ? { replyTo: input.prechat.email } : {}),
    };
  });
}

/**
 * How long a site's availability push waits for other presence changes to join it. Each push reaches every
 * visitor socket of the site: in bench:chat, 20 agents closing their tabs at once with 1,000 visitors online
 * made 20 pushes, 20,000 socket writes, and held the node's event loop for about half a second.
 */
export const availabilityCoalesceMs = 250;

const availabilityPushes = new WeakMap<ChatDeps['realtime'], Batcher<SiteRow, void>>();

/**
 * Pushes the site's availability to its visitors after an agent's presence changed. The changes of one
 * site within `availabilityCoalesceMs` on this node go out as one push, computed when it leaves (so it says
 * how things stand then); a change while a push is being computed goes in the next one. Not awaited by the
 * change that asked for it: an agent's `presence:set` is answered at once.
 */
export function announceAvailability(deps: ChatDeps, sites: SiteRow[]) {
  let pushes = availabilityPushes.get(deps.realtime);
  if (!pushes) {
    pushes = createBatcher<SiteRow, void>(
      async (changed) => {
        // The latest row of the site: its business hours as they stand now.
        const site = changed.at(-1)!;
        deps.realtime.toSiteVisitors(site.id, 'chat:availability', await availability(deps, site));
      },
      { wait: availabilityCoalesceMs, keyOf: (site) => site.id },
    );
    availabilityPushes.set(deps.realtime, pushes);
  }
  for (const site of sites)
    pushes
      .submit(site)
      .catch((error: unknown) => deps.logger.error('pushing chat availability failed', { error, siteId: site.id }));
}
