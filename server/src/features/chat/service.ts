import { and, asc, count, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type {
  ChatMessage,
  ConversationSummary,
  Prechat,
  RoutingChoice,
  Temperature,
  WidgetLanguage,
} from '@beckon/sdk/protocol';
import { rowsOf, type Db, type DbOrTx } from '../../db/client.js';
import {
  agentsTable,
  chatVisitorsTable,
  conversationEventsTable,
  conversationsTable,
  messagesTable,
  type ChatVisitorRow,
  type ConversationRow,
  type MessageRow,
} from '../../db/schema.js';
import { randomId } from '@beckon/sdk/core';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { displayName } from '@beckon/sdk/protocol';
import { personRefsById, linkBrowser } from '../persons/index.js';
import { isRacingDuplicate, noneStarted, sequencedInsert } from './message-sequence.js';

export const toChatMessage = (row: MessageRow, agentName: string | null): ChatMessage => ({
  id: row.id,
  conversationId: row.conversationId,
  seq: row.seq,
  clientId: row.clientId,
  author: row.author,
  agent: row.agentId ? { id: row.agentId, name: agentName ?? 'Agent' } : null,
  internal: row.internal,
  text: row.text,
  createdAt: row.createdAt.toISOString(),
});

/** The chat visitor behind a token, or a new one (with a new token) when there is none or it is unknown. */
export async function resolveChatVisitor(
  db: Db,
  siteId: string,
  token: string | undefined,
  url: string | undefined,
  trackerVisitorId?: string,
  language?: string | null,
  /** The language the widget speaks to this visitor now: emails to them (a reply after they left) use it. */
  widgetLanguage?: WidgetLanguage,
) {
  // Keeps the 20 most recent tracker ids, newest last, without duplicates.
  const trackerIds = trackerVisitorId
    ? sql`(select coalesce(jsonb_agg(id), '[]'::jsonb) from (select id from jsonb_array_elements_text(${chatVisitorsTable.trackerVisitorIds} || ${JSON.stringify([trackerVisitorId])}::jsonb) with ordinality as t(id, n) group by id order by max(n) desc limit 20) recent)`
    : undefined;
  if (token) {
    const [visitor] = await db
      .update(chatVisitorsTable)
      .set({
        lastSeenAt: new Date(),
        ...(url ? { currentUrl: url } : {}),
        ...(trackerIds ? { trackerVisitorIds: trackerIds } : {}),
        ...(language ? { language } : {}),
        ...(widgetLanguage ? { widgetLanguage } : {}),
      })
      .where(and(eq(chatVisitorsTable.tokenHash, sha256(token)), eq(chatVisitorsTable.siteId, siteId)))
      .returning();
    if (visitor) {
      // A chat visitor who is a person brings each new browser id along (consent given, a new device id):
      // the callback sent from it later finds the same person, and its lead shows the chat.
      if (visitor.personId && trackerVisitorId) await linkBrowser(db, siteId, trackerVisitorId, visitor.personId);
      return { visitor, token };
    }
  }
  const fresh = randomToken();
  const [visitor] = await db
    .insert(chatVisitorsTable)
    .values({
      siteId,
      tokenHash: sha256(fresh),
      currentUrl: url ?? null,
      trackerVisitorIds: trackerVisitorId ? [trackerVisitorId] : [],
      language: language ?? null,
      widgetLanguage: widgetLanguage ?? null,
    })
    .returning();
  return { visitor: visitor!, token: fresh };
}

export async function findOpenConversation(db: Db, chatVisitorId: string): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversationsTable)
    .where(and(eq(conversationsTable.chatVisitorId, chatVisitorId), eq(conversationsTable.status, 'open')))
    .orderBy(desc(conversationsTable.createdAt))
    .limit(1);
  return row;
}

interface NewMessage {
  conversationId: string;
  clientId: string;
  author: ChatMessage['author'];
  agentId?: string | null;
  internal?: boolean;
  text: string;
}

async function agentName(db: DbOrTx, agentId: string | null): Promise<string | null> {
  if (!agentId) return null;
  const [agent] = await db.select({ name: agentsTable.name }).from(agentsTable).where(eq(agentsTable.id, agentId));
  return agent?.name ?? null;
}

/**
 * Appends a message with the conversation's next sequence number (`sequencedInsert`). Sending the same
 * client id again returns the stored message (`created: false`), so a retried send is acknowledged
 * identically and stored once, and never moves the sequence. Inside a transaction (`db` is one) the
 * caller holds the conversation's lock, so no copy can race it.
 */
export async function appendMessage(
  db: DbOrTx,
  input: NewMessage,
): Promise<{ message: ChatMessage; created: boolean }> {
  const existing = async () => {
    const [row] = await db
      .select()
      .from(messagesTable)
      .where(and(eq(messagesTable.conversationId, input.conversationId), eq(messagesTable.clientId, input.clientId)));
    return row ? { message: toChatMessage(row, await agentName(db, row.agentId)), created: false } : null;
  };
  const already = await existing();
  if (already) return already;
  // One statement, so one round trip and atomic without an explicit transaction.
  let result: Awaited<ReturnType<typeof db.execute>>;
  try {
    result = await db.execute(sql`
      with targets as (
        select 1 as ord, 0 as sub, ${input.conversationId}::uuid as conversation_id, ${input.clientId}::text as client_id, ${input.author}::text as author,
               ${input.agentId ?? null}::uuid as agent_id, ${input.internal ?? false}::boolean as internal, ${input.text}::text as text, false as started
      ),
      ${noneStarted},
      ${sequencedInsert({ onlyOpen: false })}
      select * from inserted`);
  } catch (error) {
    // A copy of this send won the race a moment ago (the statement rolled back whole): answer with it.
    const winner = isRacingDuplicate(error) ? await existing() : null;
    if (winner) return winner;
    throw error;
  }
  const [raw] = rowsOf<RawMessage>(result);
  if (raw) {
    const row = messageFromRaw(raw);
    return { message: toChatMessage(row, await agentName(db, row.agentId)), created: true };
  }
  // Either the conversation does not exist, or a copy of this send was stored a moment ago.
  const winner = await existing();
  if (winner) return winner;
  throw notFound('Conversation');
}

interface RawMessage {
  id: string;
  conversation_id: string;
  seq: number | string;
  client_id: string;
  author: MessageRow['author'];
  agent_id: string | null;
  internal: boolean;
  text: string;
  created_at: string | Date;
}

const messageFromRaw = (raw: RawMessage): MessageRow => ({
  id: raw.id,
  conversationId: raw.conversation_id,
  seq: Number(raw.seq),
  clientId: raw.client_id,
  author: raw.author,
  agentId: raw.agent_id,
  internal: raw.internal,
  text: raw.text,
  createdAt: new Date(raw.created_at),
});

/** Stores the pre-chat answers a visitor gave (only the fields they filled in). */
export async function savePrechat(db: Db, chatVisitorId: string, prechat: Prechat | undefined) {
  if (!prechat || !(prechat.name || prechat.email || prechat.phone)) return;
  await db
    .update(chatVisitorsTable)
    .set({
      ...(prechat.name ? { name: prechat.name } : {}),
      ...(prechat.email ? { email: prechat.email } : {}),
      ...(prechat.phone ? { phone: prechat.phone } : {}),
    })
    .where(eq(chatVisitorsTable.id, chatVisitorId));
}

interface NewConversation {
  siteId: string;
  chatVisitorId: string;
  channel: 'chat' | 'offline';
  clientId: string;
  text: string;
  /** The site's automatic answer, stored right after the visitor's message. */
  autoReply: string | null;
}

/**
 * Opens a conversation holding the visitor's first message (and the auto-reply) in one statement: one
 * round trip, and never a conversation without its message. Answers null when the visitor already has an
 * open conversation (the one-open-conversation index said so): the caller appends to that one instead.
 */
export async function startConversation(
  db: Db,
  input: NewConversation,
): Promise<{ conversation: ConversationRow; messages: ChatMessage[] } | null> {
  const messages: { clientId: string; author: 'visitor' | 'system'; text: string }[] = [
    { clientId: input.clientId, author: 'visitor', text: input.text },
  ];
  if (input.autoReply) messages.push({ clientId: `auto_${randomId(16)}`, author: 'system', text: input.autoReply });
  const rows = messages.map(
    (message, index) =>
      sql`(${index + 1}::int, ${message.clientId}::text, ${message.author}::text, ${message.text}::text)`,
  );
  const result = await db.execute(sql`
    with conversation as (
      insert into ${conversationsTable} (site_id, chat_visitor_id, channel, last_seq, auto_replied)
      values (${input.siteId}::uuid, ${input.chatVisitorId}::uuid, ${input.channel}, ${messages.length}::int, ${Boolean(input.autoReply)})
      on conflict (chat_visitor_id) where status = 'open' do nothing
      returning *
    ),
    started as (select id, site_id, chat_visitor_id from conversation),
    targets as (
      select m.ord, 0 as sub, started.id as conversation_id, m.client_id, m.author, null::uuid as agent_id, false as internal, m.text, true as started
      from started, (values ${sql.join(rows, sql`, `)}) as m(ord, client_id, author, text)
    ),
    ${sequencedInsert({ onlyOpen: true })}
    select to_jsonb(conversation) as conversation,
           (select jsonb_agg(to_jsonb(inserted) order by inserted.seq) from inserted) as messages
    from conversation`);
  const [row] = rowsOf<{ conversation: RawConversation | string; messages: RawMessage[] | string }>(result);
  if (!row) return null;
  // postgres-js parses jsonb, PGlite may hand it over as text.
  const conversation =
    typeof row.conversation === 'string' ? (JSON.parse(row.conversation) as RawConversation) : row.conversation;
  const stored = typeof row.messages === 'string' ? (JSON.parse(row.messages) as RawMessage[]) : row.messages;
  return {
    conversation: conversationFromRaw(conversation),
    messages: stored.map((raw) => toChatMessage(messageFromRaw(raw), null)),
  };
}

interface RawConversation {
  id: string;
  site_id: string;
  chat_visitor_id: string;
  status: ConversationRow['status'];
  channel: ConversationRow['channel'];
  assignee_id: string | null;
  last_seq: number;
  agent_read_seq: number;
  visitor_read_seq: number;
  auto_replied: boolean;
  csat_rating: number | null;
  csat_comment: string | null;
  created_at: string;
  last_message_at: string;
  closed_at: string | null;
  temperature: Temperature | null;
  routing: RoutingChoice | null;
  assigned_at: string | null;
}

const conversationFromRaw = (raw: RawConversation): ConversationRow => ({
  id: raw.id,
  siteId: raw.site_id,
  chatVisitorId: raw.chat_visitor_id,
  status: raw.status,
  channel: raw.channel,
  assigneeId: raw.assignee_id,
  lastSeq: Number(raw.last_seq),
  agentReadSeq: Number(raw.agent_read_seq),
  visitorReadSeq: Number(raw.visitor_read_seq),
  autoReplied: raw.auto_replied,
  csatRating: raw.csat_rating,
  csatComment: raw.csat_comment,
  createdAt: new Date(raw.created_at),
  lastMessageAt: new Date(raw.last_message_at),
  closedAt: raw.closed_at ? new Date(raw.closed_at) : null,
  temperature: raw.temperature ?? null,
  routing: raw.routing ?? null,
  assignedAt: raw.assigned_at ? new Date(raw.assigned_at) : null,
});

/**
 * A message this visitor already sent with this client id, in any of their conversations: a retry after
 * a lost ack must not land in a new conversation when the old one closed in between.
 */
export async function findVisitorMessage(db: Db, chatVisitorId: string, clientId: string) {
  const [row] = await db
    .select({ message: messagesTable, conversation: conversationsTable })
    .from(messagesTable)
    .innerJoin(conversationsTable, eq(conversationsTable.id, messagesTable.conversationId))
    .where(
      and(
        eq(conversationsTable.chatVisitorId, chatVisitorId),
        eq(messagesTable.clientId, clientId),
        eq(messagesTable.author, 'visitor'),
      ),
    )
    .limit(1);
  return row ? { message: toChatMessage(row.message, null), conversation: row.conversation } : undefined;
}

/** Messages after `afterSeq`, oldest first; visitors never get internal notes. */
export async function messagesAfter(
  db: Db,
  conversationId: string,
  afterSeq: number,
  { includeInternal }: { includeInternal: boolean },
) {
  const rows = await db
    .select({ message: messagesTable, agentName: agentsTable.name })
    .from(messagesTable)
    .leftJoin(agentsTable, eq(agentsTable.id, messagesTable.agentId))
    .where(
      and(
        eq(messagesTable.conversationId, conversationId),
        gt(messagesTable.seq, afterSeq),
        includeInternal ? undefined : eq(messagesTable.internal, false),
      ),
    )
    .orderBy(asc(messagesTable.seq))
    .limit(500);
  return rows.map((row) => toChatMessage(row.message, row.agentName));
}

/** Builds the summaries the inbox shows, in one round of queries for any number of conversations. */
export async function summarise(db: Db, conversations: ConversationRow[]): Promise<ConversationSummary[]> {
  if (conversations.length === 0) return [];
  const ids = conversations.map((c) => c.id);
  const visitorIds = [...new Set(conversations.map((c) => c.chatVisitorId))];
  const assigneeIds = [...new Set(conversations.map((c) => c.assigneeId).filter((id): id is string => Boolean(id)))];
  const [visitors, assignees, lastMessages, unread] = await Promise.all([
    db.select().from(chatVisitorsTable).where(inArray(chatVisitorsTable.id, visitorIds)),
    assigneeIds.length
      ? db
          .select({ id: agentsTable.id, name: agentsTable.name })
          .from(agentsTable)
          .where(inArray(agentsTable.id, assigneeIds))
      : [],
    db
      .selectDistinctOn([messagesTable.conversationId], {
        conversationId: messagesTable.conversationId,
        text: messagesTable.text,
        author: messagesTable.author,
        createdAt: messagesTable.createdAt,
      })
      .from(messagesTable)
      // Auto-replies are not what anyone wrote; the inbox previews the last human message.
      .where(
        and(
          inArray(messagesTable.conversationId, ids),
          eq(messagesTable.internal, false),
          ne(messagesTable.author, 'system'),
        ),
      )
      .orderBy(messagesTable.conversationId, desc(messagesTable.seq)),
    db
      .select({ conversationId: messagesTable.conversationId, n: count() })
      .from(messagesTable)
      .innerJoin(conversationsTable, eq(conversationsTable.id, messagesTable.conversationId))
      .where(
        and(
          inArray(messagesTable.conversationId, ids),
          eq(messagesTable.author, 'visitor'),
          gt(messagesTable.seq, conversationsTable.agentReadSeq),
        ),
      )
      .groupBy(messagesTable.conversationId),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const visitorById = byId(visitors);
  const persons = await personRefsById(
    db,
    visitors.map((visitor) => visitor.personId),
  );
  const assigneeById = byId(assignees);
  const lastById = new Map(lastMessages.map((row) => [row.conversationId, row]));
  const unreadById = new Map(unread.map((row) => [row.conversationId, row.n]));
  return conversations.map((c) => {
    const assignee = c.assigneeId ? assigneeById.get(c.assigneeId) : undefined;
    const last = lastById.get(c.id);
    const visitor = visitorById.get(c.chatVisitorId);
    const summary = toSummary(
      c,
      visitor,
      assignee ?? null,
      last ? { text: last.text, author: last.author, createdAt: last.createdAt.toISOString() } : null,
      unreadById.get(c.id) ?? 0,
    );
    const person = visitor?.personId ? persons.get(visitor.personId) : undefined;
    return person
      ? { ...summary, visitor: { ...summary.visitor, personId: person.id, displayName: person.name } }
      : summary;
  });
}

/** The inbox's view of a conversation, from rows already at hand (no queries). */
export function toSummary(
  c: ConversationRow,
  visitor:
    | (Pick<ChatVisitorRow, 'name' | 'email' | 'phone' | 'currentUrl'> &
        Partial<Pick<ChatVisitorRow, 'personId' | 'trackerVisitorIds'>>)
    | undefined,
  assignee: { id: string; name: string } | null,
  lastMessage: ConversationSummary['lastMessage'],
  unread: number,
): ConversationSummary {
  return {
    id: c.id,
    siteId: c.siteId,
    status: c.status,
    channel: c.channel,
    visitor: {
      id: c.chatVisitorId,
      name: visitor?.name ?? null,
      email: visitor?.email ?? null,
      phone: visitor?.phone ?? null,
      currentUrl: visitor?.currentUrl ?? null,
      personId: visitor?.personId ?? null,
      // Without the person row at hand: the visitor's own answers, else the label of its first browser id
      // (a person created from that browser has the same label). `summarise` puts the person's name in.
      displayName: displayName(visitor ?? {}, visitor?.trackerVisitorIds?.[0] ?? c.chatVisitorId),
    },
    assignee,
    lastMessage,
    lastSeq: c.lastSeq,
    agentReadSeq: c.agentReadSeq,
    visitorReadSeq: c.visitorReadSeq,
    unread,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    csat: c.csatRating ? { rating: c.csatRating, comment: c.csatComment } : null,
    temperature: c.temperature,
    routing: c.routing,
  };
}

export async function getConversation(db: Db, conversationId: string): Promise<ConversationRow> {
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const [row] = await db.select().from(conversationsTable).where(eq(conversationsTable.id, conversationId));
  if (!row) throw notFound('Conversation');
  return row;
}

type AssignmentKind = 'assigned' | 'taken' | 'transferred' | 'unassigned';

/** Changes the assignee and records who did it and why, atomically. Only open conversations. */
export async function assign(
  db: Db,
  conversationId: string,
  toAgentId: string | null,
  kind: AssignmentKind,
  byAgentId: string | null,
  reason: string,
  onlyIfUnassigned = false,
) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, conversationId))
      .for('update');
    if (!current) throw notFound('Conversation');
    if (current.status !== 'open') throw new AppError('conflict', 'The conversation is closed');
    if (onlyIfUnassigned && current.assigneeId) return null;
    // A hand-made change is nobody's routing decision; the unanswered clock restarts for the new agent.
    const [updated] = await tx
      .update(conversationsTable)
      .set({ assigneeId: toAgentId, routing: null, assignedAt: toAgentId ? new Date() : null })
      .where(eq(conversationsTable.id, conversationId))
      .returning();
    await tx
      .insert(conversationEventsTable)
      .values({ conversationId, kind, fromAgentId: current.assigneeId, toAgentId, byAgentId, reason });
    if (toAgentId)
      await tx
        .update(chatVisitorsTable)
        .set({ lastAgentId: toAgentId })
        .where(eq(chatVisitorsTable.id, current.chatVisitorId));
    return updated!;
  });
}

export async function closeConversation(db: Db, conversationId: string, byAgentId: string | null, reason: string) {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(conversationsTable)
      .set({ status: 'closed', closedAt: new Date() })
      .where(and(eq(conversationsTable.id, conversationId), eq(conversationsTable.status, 'open')))
      .returning();
    if (!updated) throw new AppError('conflict', 'The conversation is already closed');
    await tx
      .insert(conversationEventsTable)
      .values({ conversationId, kind: 'closed', fromAgentId: updated.assigneeId, toAgentId: null, byAgentId, reason });
    const [visitor] = await tx.select().from(chatVisitorsTable).where(eq(chatVisitorsTable.id, updated.chatVisitorId));
    const [assignee] = updated.assigneeId
      ? await tx
          .select({ id: agentsTable.id, name: agentsTable.name })
          .from(agentsTable)
          .where(eq(agentsTable.id, updated.assigneeId))
      : [];
    await enqueueWebhookEvent(tx, updated.siteId, 'conversation.closed', {
      conversation: toSummary(updated, visitor, assignee ?? null, null, 0),
      closedBy: byAgentId,
      reason,
    });
    return updated;
  });
}

/** Moves a read marker forward only (a late, older receipt never un-reads messages). */
export async function markRead(db: Db, conversationId: string, side: 'agent' | 'visitor', seq: number) {
  const column = side === 'agent' ? conversationsTable.agentReadSeq : conversationsTable.visitorReadSeq;
  const [row] = await db
    .update(conversationsTable)
    .set(
      side === 'agent'
        ? { agentReadSeq: sql`least(${conversationsTable.lastSeq}, greatest(${column}, ${seq}))` }
        : { visitorReadSeq: sql`least(${conversationsTable.lastSeq}, greatest(${column}, ${seq}))` },
    )
    .where(eq(conversationsTable.id, conversationId))
    .returning();
  return row;
}

export async function saveCsat(
  db: Db,
  chatVisitorId: string,
  conversationId: string,
  rating: number,
  comment: string | undefined,
) {
  const [row] = await db
    .update(conversationsTable)
    .set({ csatRating: rating, csatComment: comment ?? null })
    .where(
      and(
        eq(conversationsTable.id, conversationId),
        eq(conversationsTable.chatVisitorId, chatVisitorId),
        eq(conversationsTable.status, 'closed'),
        isNull(conversationsTable.csatRating),
      ),
    )
    .returning();
  if (!row)
    throw new AppError('conflict', 'This conversation cannot be rated (not yours, not closed, or already rated)');
  return row;
}

export async function conversationEvents(db: Db, conversationId: string) {
  return db
    .select()
    .from(conversationEventsTable)
    .where(eq(conversationEventsTable.conversationId, conversationId))
    .orderBy(asc(conversationEventsTable.id));
}
