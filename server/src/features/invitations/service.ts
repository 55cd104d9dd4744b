import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import {
  invitationTtlMs,
  isAnonymousVisitorId,
  type ChatMessage,
  type Invitation,
  type VisitorInvitation,
} from '@beckon/sdk/protocol';
import type { AgentIdentity, AppDeps } from '../../app-env.js';
import { rowsOf, type Db } from '../../db/client.js';
import {
  chatInvitationsTable,
  chatVisitorsTable,
  conversationEventsTable,
  conversationsTable,
  messagesTable,
  visitorHotMarksTable,
  visitorPresenceTable,
  visitorsTable,
  type ChatInvitationRow,
  type ChatVisitorRow,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { appendMessage, toChatMessage } from '../chat/index.js';

type Deps = Pick<AppDeps, 'db' | 'realtime'>;

/** `sent` and `seen` turn `expired` once their time is up (read-time: no job needed, and every node agrees). */
export function toInvitation(row: ChatInvitationRow, now = Date.now()): Invitation {
  const open = row.state === 'sent' || row.state === 'seen';
  return {
    id: row.id,
    siteId: row.siteId,
    visitorId: row.visitorId,
    agentId: row.agentId,
    agentName: row.agentName,
    message: row.message,
    state: open && row.expiresAt.getTime() <= now ? 'expired' : row.state,
    conversationId: row.conversationId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const toVisitorInvitation = (row: Pick<ChatInvitationRow, 'id' | 'agentName' | 'message'>): VisitorInvitation => ({
  id: row.id,
  agentName: row.agentName,
  message: row.message,
});

/** The chat visitors (open `/visitor` sockets live in their rooms) that had this tracker visitor id (GIN-indexed `@>`). */
async function chatVisitorsOf(db: Db, siteId: string, visitorId: string): Promise<string[]> {
  const rows = await db
    .select({ id: chatVisitorsTable.id })
    .from(chatVisitorsTable)
    .where(
      and(
        eq(chatVisitorsTable.siteId, siteId),
        sql`${chatVisitorsTable.trackerVisitorIds} @> ${JSON.stringify([visitorId])}::jsonb`,
      ),
    );
  return rows.map((row) => row.id);
}

/**
 * An agent invites a visitor seen on the site: stored first, then pushed to the visitor's chat sockets
 * (when the chat is loaded) and to the site's dashboards. Without a socket the visitor gets it in the next
 * ping or collect answer. A newer invitation replaces the visitor's unanswered ones.
 */
export async function inviteVisitor(
  deps: Deps,
  agent: AgentIdentity,
  siteId: string,
  input: { visitorId: string; message: string },
): Promise<Invitation> {
  const { db, realtime } = deps;
  // A pre-consent row is a daily hash of everyone behind one address and browser: no page can be told.
  if (isAnonymousVisitorId(input.visitorId))
    throw new AppError('conflict', 'This visitor has not consented yet, so no invitation can reach them');
  const [visitor] = await db
    .select({ id: visitorsTable.visitorId })
    .from(visitorsTable)
    .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, input.visitorId)));
  if (!visitor) throw notFound('Visitor');
  const { row, replaced } = await db.transaction(async (tx) => {
    const replaced = await tx
      .update(chatInvitationsTable)
      .set({ state: 'expired', updatedAt: sql`now()` })
      .where(
        and(
          eq(chatInvitationsTable.siteId, siteId),
          eq(chatInvitationsTable.visitorId, input.visitorId),
          inArray(chatInvitationsTable.state, ['sent', 'seen']),
        ),
      )
      .returning();
    const [row] = await tx
      .insert(chatInvitationsTable)
      .values({
        siteId,
        visitorId: input.visitorId,
        agentId: agent.id,
        agentName: agent.name,
        message: input.message,
        expiresAt: new Date(Date.now() + invitationTtlMs),
      })
      .returning();
    return { row: row!, replaced };
  });
  for (const old of replaced) realtime.toSite(siteId, 'invitation:updated', toInvitation(old));
  realtime.toSite(siteId, 'invitation:updated', toInvitation(row));
  for (const chatVisitorId of await chatVisitorsOf(db, siteId, input.visitorId))
    realtime.toVisitor(chatVisitorId, 'invitation:new', toVisitorInvitation(row));
  return toInvitation(row);
}

/** Invitations of a site from the last hour (the Visitors page shows each visitor's latest). */
export async function recentInvitations(db: Db, siteId: string): Promise<Invitation[]> {
  const rows = await db
    .select()
    .from(chatInvitationsTable)
    .where(
      and(
        eq(chatInvitationsTable.siteId, siteId),
        gt(chatInvitationsTable.createdAt, new Date(Date.now() - 60 * 60_000)),
      ),
    )
    .orderBy(desc(chatInvitationsTable.createdAt))
    .limit(500);
  return rows.map((row) => toInvitation(row));
}

/** The visitor's undelivered invitation (not yet seen, not expired), for the collect and ping answers. */
export async function pendingInvitation(
  db: Db,
  siteId: string,
  visitorId: string,
): Promise<VisitorInvitation | undefined> {
  const [row] = await db
    .select({
      id: chatInvitationsTable.id,
      agentName: chatInvitationsTable.agentName,
      message: chatInvitationsTable.message,
    })
    .from(chatInvitationsTable)
    .where(
      and(
        eq(chatInvitationsTable.siteId, siteId),
        eq(chatInvitationsTable.visitorId, visitorId),
        eq(chatInvitationsTable.state, 'sent'),
        gt(chatInvitationsTable.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(chatInvitationsTable.createdAt))
    .limit(1);
  return row && toVisitorInvitation(row);
}

/** The widget showed the invitation (`seen`) or the visitor closed it (`declined`); only the invited visitor can say so. */
export async function reportInvitation(
  deps: Deps,
  siteId: string,
  invitationId: string,
  visitorId: string,
  state: 'seen' | 'declined',
): Promise<Invitation> {
  const from: ('sent' | 'seen')[] = state === 'seen' ? ['sent'] : ['sent', 'seen'];
  const [row] = await deps.db
    .update(chatInvitationsTable)
    .set({ state, updatedAt: sql`now()` })
    .where(
      and(
        eq(chatInvitationsTable.id, invitationId),
        eq(chatInvitationsTable.siteId, siteId),
        eq(chatInvitationsTable.visitorId, visitorId),
        inArray(chatInvitationsTable.state, from),
        gt(chatInvitationsTable.expiresAt, sql`now()`),
      ),
    )
    .returning();
  if (row) {
    deps.realtime.toSite(siteId, 'invitation:updated', toInvitation(row));
    return toInvitation(row);
  }
  const [current] = await deps.db
    .select()
    .from(chatInvitationsTable)
    .where(
      and(
        eq(chatInvitationsTable.id, invitationId),
        eq(chatInvitationsTable.siteId, siteId),
        eq(chatInvitationsTable.visitorId, visitorId),
      ),
    );
  if (!current) throw notFound('Invitation');
  return toInvitation(current); // already further along (or expired): nothing to change
}

/**
 * The visitor answers the invitation: in one transaction the invitation (locked, still open, this chat
 * visitor's) becomes `accepted`, and a conversation assigned to the inviting agent starts with the agent's
 * message — or, when the visitor already has an open conversation, the message joins that one. The
 * visitor's reply then goes into it like any chat message.
 */
export async function acceptInvitation(
  deps: Deps & Pick<AppDeps, 'logger'>,
  siteId: string,
  chatVisitor: ChatVisitorRow,
  invitationId: string,
) {
  const { db, realtime } = deps;
  const result = await db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(chatInvitationsTable)
      .where(and(eq(chatInvitationsTable.id, invitationId), eq(chatInvitationsTable.siteId, siteId)))
      .for('update');
    if (!invitation || !chatVisitor.trackerVisitorIds.includes(invitation.visitorId)) throw notFound('Invitation');
    if (invitation.state === 'accepted' && invitation.conversationId)
      return { invitation, conversationId: invitation.conversationId, created: false };
    const state = toInvitation(invitation).state;
    if (state !== 'sent' && state !== 'seen') throw new AppError('conflict', 'This invitation is no longer open');
    const [existing] = await tx
      .select()
      .from(conversationsTable)
      .where(and(eq(conversationsTable.chatVisitorId, chatVisitor.id), eq(conversationsTable.status, 'open')))
      .for('update');
    let conversationId: string;
    if (existing) {
      conversationId = existing.id;
      if (!existing.assigneeId && invitation.agentId) {
        await tx
          .update(conversationsTable)
          .set({ assigneeId: invitation.agentId })
          .where(eq(conversationsTable.id, existing.id));
        await tx.insert(conversationEventsTable).values({
          conversationId,
          kind: 'assigned',
          fromAgentId: null,
          toAgentId: invitation.agentId,
          byAgentId: invitation.agentId,
          reason: 'invitation',
        });
      }
    } else {
      const [created] = await tx
        .insert(conversationsTable)
        .values({ siteId, chatVisitorId: chatVisitor.id, channel: 'chat', assigneeId: invitation.agentId, lastSeq: 0 })
        .returning();
      conversationId = created!.id;
      if (invitation.agentId) {
        await tx.insert(conversationEventsTable).values({
          conversationId,
          kind: 'assigned',
          fromAgentId: null,
          toAgentId: invitation.agentId,
          byAgentId: invitation.agentId,
          reason: 'invitation',
        });
      }
    }
    // The conversation is locked (or new) in this transaction: the sequence stays whole (chat's one writer of it).
    await appendMessage(tx, {
      conversationId,
      clientId: `invite_${invitation.id}`,
      author: 'agent',
      agentId: invitation.agentId,
      text: invitation.message,
    });
    if (invitation.agentId)
      await tx
        .update(chatVisitorsTable)
        .set({ lastAgentId: invitation.agentId })
        .where(eq(chatVisitorsTable.id, chatVisitor.id));
    const [accepted] = await tx
      .update(chatInvitationsTable)
      .set({ state: 'accepted', conversationId, updatedAt: sql`now()` })
      .where(eq(chatInvitationsTable.id, invitation.id))
      .returning();
    return { invitation: accepted!, conversationId, created: true };
  });
  const rows = await db
    .select()
    .from(messagesTable)
    .where(eq(messagesTable.conversationId, result.conversationId))
    .orderBy(messagesTable.seq);
  const messages: ChatMessage[] = rows
    .filter((row) => !row.internal)
    .map((row) => toChatMessage(row, row.agentId === result.invitation.agentId ? result.invitation.agentName : null));
  if (result.created) {
    realtime.toSite(siteId, 'invitation:updated', toInvitation(result.invitation));
    const message = messages.find((m) => m.clientId === `invite_${result.invitation.id}`);
    if (message) realtime.messageToSite(siteId, message);
  }
  return { conversationId: result.conversationId, messages };
}

/**
 * The keepalive: at most one write a minute per visitor (the conditional upsert skips fresher rows), then
 * the visitor's pending invitation. Two indexed statements on the primary key / a partial index.
 * `refreshed` says the presence row was written, i.e. the visitor's "last seen" moved on.
 */
export async function ping(
  db: Db,
  siteId: string,
  visitorId: string,
): Promise<{ refreshed: boolean; invite?: VisitorInvitation }> {
  const written = rowsOf(
    await db.execute(sql`
      insert into ${visitorPresenceTable} (site_id, visitor_id, seen_at) values (${siteId}::uuid, ${visitorId}, now())
      on conflict (site_id, visitor_id) do update set seen_at = excluded.seen_at
      where ${visitorPresenceTable.seenAt} < excluded.seen_at - interval '60 seconds'
      returning 1`),
  );
  const invite = await pendingInvitation(db, siteId, visitorId);
  return { refreshed: written.length > 0, ...(invite ? { invite } : {}) };
}

/** When each of these visitors last turned hot (ms), for the collect answer. */
export async function hotMarks(db: Db, siteId: string, visitorIds: string[]): Promise<Map<string, number>> {
  if (!visitorIds.length) return new Map();
  const rows = await db
    .select({ visitorId: visitorHotMarksTable.visitorId, hotAt: visitorHotMarksTable.hotAt })
    .from(visitorHotMarksTable)
    .where(and(eq(visitorHotMarksTable.siteId, siteId), inArray(visitorHotMarksTable.visitorId, visitorIds)));
  return new Map(rows.map((row) => [row.visitorId, row.hotAt.getTime()]));
}

export { chatVisitorsOf };

/**
 * For many tracker visitors at once (a commit's temperature changes): the chat visitors that had each
 * id, keyed `site\u0000visitor`. One statement, each probe through the GIN index on the ids.
 */
export async function chatVisitorsOfMany(
  db: Db,
  visitors: readonly { siteId: string; visitorId: string }[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (visitors.length === 0) return found;
  const keys = JSON.stringify(visitors.map(({ siteId, visitorId }) => ({ site_id: siteId, visitor_id: visitorId })));
  const rows = rowsOf<{ id: string; site_id: string; visitor_id: string }>(
    await db.execute(sql`
      select v.id, k.site_id, k.visitor_id
      from jsonb_to_recordset(${keys}::jsonb) as k(site_id uuid, visitor_id text)
      join ${chatVisitorsTable} v on v.site_id = k.site_id and v.tracker_visitor_ids @> jsonb_build_array(k.visitor_id)`),
  );
  for (const row of rows) {
    const key = `${row.site_id}\u0000${row.visitor_id}`;
    found.set(key, [...(found.get(key) ?? []), row.id]);
  }
  return found;
}
