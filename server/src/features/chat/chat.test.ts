import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { count, desc, eq } from 'drizzle-orm';
import type { ChatAvailability, ChatMessage, ChatReady, ConversationSummary } from '@beckon/sdk/protocol';
import {
  agentsAwayTable,
  chatVisitorsTable,
  conversationEventsTable,
  conversationsTable,
  leadsTable,
  leadVisitorsTable,
  messagesTable,
  sitesTable,
  visitorPresenceTable,
  visitorsTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { holdAdvisoryLock, holdTable } from '../../testing/locks.js';
import { socketClients, type TestVisitorSocket } from '../../testing/sockets.js';
import { laneOf } from './visitor-message-writer.js';
import { availabilityCoalesceMs } from './chat.js';

let sequence = 0;
const clientId = () => `msg_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

type SendReply =
  | { ok: true; message: ChatMessage; autoReply?: ChatMessage }
  | { ok: false; error: { code: string; message: string } };
const send = (socket: TestVisitorSocket, text: string, id = clientId(), prechat?: { name?: string; email?: string }) =>
  socket
    .timeout(5000)
    .emitWithAck('message:send', { clientId: id, text, ...(prechat ? { prechat } : {}) }) as Promise<SendReply>;

describe.each(databaseKinds)('live chat on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const { login, agent, visitor, connected, next, collect } = clients;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
  });
  afterEach(async () => {
    clients.closeAll();
    // Away is kept per agent across connections: each test starts with everyone online.
    await database.db.delete(agentsAwayTable);
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  async function openVisitor(auth: { token?: string } = {}) {
    const socket = visitor(auth);
    const ready = next<ChatReady>(socket, 'chat:ready');
    await connected(socket);
    return { socket, ready: await ready };
  }

  async function onlineAgent(email?: string, password?: string) {
    const session = await login(email, password);
    const socket = agent(session.cookie);
    await connected(socket);
    return { ...session, socket };
  }

  it('refuses visitor sockets from origins the site does not allow, and unknown sites', async () => {
    await expect(connected(visitor({}, 'https://evil.example'))).rejects.toThrow('origin_not_allowed');
    await expect(connected(visitor({ site: 'no-such-site' }))).rejects.toThrow('unknown_site');
  });

  it('lets a widget on a customer site fall back to long-polling (CORS), still checking the origin', async () => {
    const handshake = await fetch(`${clients.origin()}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    await expect(connected(visitor({}, 'https://evil.example', ['polling']))).rejects.toThrow('origin_not_allowed');
    const allowed = visitor({}, clients.origin(), ['polling']);
    const ready = next<ChatReady>(allowed, 'chat:ready');
    await connected(allowed);
    expect(allowed.io.engine.transport.name).toBe('polling');
    expect((await ready).token).toEqual(expect.any(String));
  });

  it('is offline with no agent online, and becomes available when one connects', async () => {
    const { socket, ready } = await openVisitor();
    expect(ready).toMatchObject({
      available: false,
      reason: 'no_agents',
      conversation: null,
      messages: [],
      emailAvailable: false,
    });
    expect(ready.token.length).toBeGreaterThan(20);
    expect(ready.settings.greeting).toEqual(expect.any(String));
    const availability = next<ChatAvailability>(socket, 'chat:availability', (pushed) => pushed.available);
    const admin = await onlineAgent();
    expect(await availability).toEqual({ available: true, reason: 'online' });
    const away = next<ChatAvailability>(socket, 'chat:availability', (pushed) => !pushed.available);
    await admin.socket.timeout(5000).emitWithAck('presence:set', { status: 'away' });
    expect(await away).toEqual({ available: false, reason: 'no_agents' });
    await admin.socket.timeout(5000).emitWithAck('presence:set', { status: 'online' });
  });

  it('tells visitors once when many agent tabs close together, and how things stand afterwards', async () => {
    const first = await onlineAgent();
    const tabs = [first.socket];
    for (let i = 1; i < 6; i++) {
      const tab = agent(first.cookie);
      await connected(tab);
      tabs.push(tab);
    }
    const { socket, ready } = await openVisitor();
    expect(ready.available).toBe(true);
    // Pushes of the tabs' connections may still be on their way: count from a quiet moment.
    await new Promise((resolve) => setTimeout(resolve, 3 * availabilityCoalesceMs));
    const pushes = collect<{ available: boolean }>(socket, 'chat:availability');
    for (const tab of tabs) tab.close();
    await expect.poll(() => pushes.at(-1)).toEqual({ available: false, reason: 'no_agents' });
    await new Promise((resolve) => setTimeout(resolve, 3 * availabilityCoalesceMs));
    // Six disconnects, each a presence change: one push to every visitor of the site, not six (a second
    // only if the disconnects reached the server further apart than the coalescing window).
    expect(pushes.length).toBeLessThanOrEqual(2);
    expect(pushes.at(-1)).toEqual({ available: false, reason: 'no_agents' });
  });

  it('makes an agent away in every tab when they choose Away in one, for visitors and for their other tabs', async () => {
    const firstTab = await onlineAgent();
    const secondTab = agent(firstTab.cookie);
    const secondTabStatus = collect<{ status: string }>(secondTab, 'presence:self');
    await connected(secondTab);
    await expect.poll(() => secondTabStatus.at(-1)).toEqual({ status: 'online' });
    const { socket: visitorSocket, ready } = await openVisitor();
    expect(ready.available).toBe(true);

    // A push caused by the second tab's connection may still be on its way: wait for the one this causes.
    const availability = next<ChatAvailability>(visitorSocket, 'chat:availability', (pushed) => !pushed.available);
    await firstTab.socket.timeout(5000).emitWithAck('presence:set', { status: 'away' });
    // The other tab is still open, yet the agent is away: visitors get the offline form.
    expect(await availability).toEqual({ available: false, reason: 'no_agents' });
    await expect.poll(() => secondTabStatus.at(-1)).toEqual({ status: 'away' });
    const [demo] = await database.db.select().from(sitesTable).where(eq(sitesTable.key, 'demo'));
    const presence = await fetch(`${clients.origin()}/api/sites/${demo!.id}/presence`, {
      headers: { cookie: firstTab.cookie },
    });
    expect(((await presence.json()) as { agents: { agentId: string; status: string }[] }).agents).toContainEqual(
      expect.objectContaining({ agentId: firstTab.me.agent.id, status: 'away' }),
    );
    // A tab opened later (or a reload) starts away too.
    const thirdTab = agent(firstTab.cookie);
    const thirdTabStatus = next<{ status: string }>(thirdTab, 'presence:self');
    await connected(thirdTab);
    expect(await thirdTabStatus).toEqual({ status: 'away' });
    expect((await openVisitor()).ready.available).toBe(false);

    // No SMTP on this server: a reply to someone who left with an email cannot go by email, and the reply box says so.
    const left = await visitorSocket
      .timeout(5000)
      .emitWithAck('offline:message', { clientId: clientId(), email: 'gone@example.test', text: 'Back tomorrow' });
    if (!left.ok) throw new Error(left.error.message);
    visitorSocket.close();
    const delivery = async () =>
      (
        (await (
          await fetch(`${clients.origin()}/api/conversations/${left.conversationId}/reply-delivery`, {
            headers: { cookie: firstTab.cookie },
          })
        ).json()) as { delivery: unknown }
      ).delivery;
    await expect.poll(delivery).toEqual({ mode: 'no_smtp', email: 'gone@example.test' });
    const returning = await openVisitor();
    // The third tab's connection pushed 'away' to every visitor too, possibly after this one connected.
    const back = next<ChatAvailability>(returning.socket, 'chat:availability', (pushed) => pushed.available);
    await secondTab.timeout(5000).emitWithAck('presence:set', { status: 'online' });
    expect(await back).toEqual({ available: true, reason: 'online' });
  });

  it('acknowledges a committed message, assigns the chat, auto-replies, and relays both ways', async () => {
    const admin = await onlineAgent();
    const { socket } = await openVisitor();
    const agentBatches = collect<ChatMessage[]>(admin.socket, 'messages:new');
    const assigned = next<{ agent: { id: string } }>(socket, 'conversation:assigned');
    const updated = next<ConversationSummary[]>(admin.socket, 'conversations:updated').then(([summary]) => summary!);

    const reply = await send(socket, 'Do you ship to Norway?', clientId(), {
      name: 'Nora',
      email: 'Nora@Example.test',
    });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.message).toMatchObject({ seq: 1, author: 'visitor', text: 'Do you ship to Norway?' });
    // Acknowledged means committed: the row is there.
    const [stored] = await database.db.select().from(messagesTable).where(eq(messagesTable.id, reply.message.id));
    expect(stored?.text).toBe('Do you ship to Norway?');

    expect((await assigned).agent.id).toBe(admin.me.agent.id);
    const summary = await updated;
    expect(summary.visitor).toMatchObject({ name: 'Nora', email: 'nora@example.test' });
    // Someone who left their email in a chat is a lead, with the chat on their timeline.
    const [lead] = await database.db.select().from(leadsTable).where(eq(leadsTable.email, 'nora@example.test'));
    expect(lead).toMatchObject({ name: 'Nora', channels: ['chat'] });

    const fromAgent = next<ChatMessage>(socket, 'message:new');
    const agentReply = await admin.socket.timeout(5000).emitWithAck('message:send', {
      conversationId: reply.message.conversationId,
      clientId: clientId(),
      text: 'Yes, in 3 days.',
    });
    expect(agentReply.ok).toBe(true);
    // The visitor first receives the auto-reply (seq 2), then the agent's answer (seq 3).
    let received = await fromAgent;
    if (received.author === 'system') received = await next<ChatMessage>(socket, 'message:new');
    expect(received).toMatchObject({ author: 'agent', text: 'Yes, in 3 days.', seq: 3, agent: { name: 'Admin' } });
    // The site's dashboards get their frames at most every few milliseconds: wait for the last one.
    await expect
      .poll(() => agentBatches.flat().map((message) => message.author))
      .toEqual(['visitor', 'system', 'agent']);
  });

  // PostgreSQL only: the held lock stands for a slow lead transaction, and on PGlite's one connection an
  // open transaction would hold every statement, the chat's own included.
  it.runIf(kind === 'postgres')(
    "assigns a new chat while an earlier chat's lead touch still waits for its lock",
    async () => {
      const admin = await onlineAgent();
      const siteId = admin.me.sites[0]!.id;
      const slowBrowser = `v_slow_lead_${Date.now().toString(36)}`;
      // The lock the first chat's lead touch takes first (leads/service.ts `lockIdentities`), held as by a
      // slow transaction elsewhere: that touch waits until the lock is released.
      const release = await holdAdvisoryLock(database.db, `lead:${siteId}:visitor:${slowBrowser}`);
      const leadOf = async (browser: string) =>
        (await database.db.select().from(leadVisitorsTable).where(eq(leadVisitorsTable.visitorId, browser))).length;
      try {
        const first = await openVisitor({ visitorId: slowBrowser });
        const firstAssigned = next(first.socket, 'conversation:assigned');
        expect((await send(first.socket, 'Hello, first')).ok).toBe(true);
        await firstAssigned;

        // A later chat's round does not wait behind the first chat's lead touch: it is assigned and
        // recorded while that touch still waits (under the statement timeout, 15 s, which would end the wait).
        const otherBrowser = `v_other_lead_${Date.now().toString(36)}`;
        const second = await openVisitor({ visitorId: otherBrowser });
        const secondAssigned = next<{ agent: { id: string } }>(
          second.socket,
          'conversation:assigned',
          () => true,
          10_000,
        );
        expect((await send(second.socket, 'Hello, second')).ok).toBe(true);
        expect((await secondAssigned).agent.id).toBe(admin.me.agent.id);
        await expect.poll(() => leadOf(otherBrowser), { timeout: 10_000 }).toBe(1);
        expect(await leadOf(slowBrowser)).toBe(0);
      } finally {
        await release();
      }
      // Once the lock goes, the first chat's touch is recorded too: nothing is dropped.
      await expect.poll(() => leadOf(slowBrowser), { timeout: 10_000 }).toBe(1);
    },
  );

  it('stores a retried send once and answers it with the same message', async () => {
    await onlineAgent();
    const { socket } = await openVisitor();
    const id = clientId();
    const [first, second] = await Promise.all([send(socket, 'Hello?', id), send(socket, 'Hello?', id)]);
    const third = await send(socket, 'Hello?', id);
    expect(first.ok && second.ok && third.ok).toBe(true);
    if (!first.ok || !second.ok || !third.ok) return;
    expect(second.message.id).toBe(first.message.id);
    expect(third.message).toEqual(first.message);
    const [{ n }] = (await database.db
      .select({ n: count() })
      .from(messagesTable)
      .where(eq(messagesTable.clientId, id))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('relays a message its visitor resent during a slow commit to agents once, and welcomes an opening one once', async () => {
    const admin = await onlineAgent();
    const agentBatches = collect<ChatMessage[]>(admin.socket, 'messages:new');
    const { socket: busy } = await openVisitor();
    const opened = await send(busy, 'I was here first');
    if (!opened.ok) throw new Error('send failed');
    const [row] = await database.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, opened.message.conversationId));
    // A new visitor whose sends share the busy visitor's writer lane (so they queue behind its batch).
    let fresh: Awaited<ReturnType<typeof openVisitor>> | undefined;
    for (let tries = 0; tries < 20 && !fresh; tries++) {
      const candidate = await openVisitor();
      const [newest] = await database.db
        .select()
        .from(chatVisitorsTable)
        .orderBy(desc(chatVisitorsTable.createdAt))
        .limit(1);
      if (laneOf(newest!.id, 2) === laneOf(row!.chatVisitorId, 2)) fresh = candidate;
    }
    if (!fresh) throw new Error('no visitor in the lane');
    const assigned = collect(fresh.socket, 'conversation:assigned');
    // An event that needs no database answers at once: when its ack is back, the sends before it are queued.
    const queued = (socket: TestVisitorSocket) => socket.timeout(5000).emitWithAck('nothing:here' as never);

    const release = await holdTable(database.db, messagesTable);
    const stuck = send(busy, 'Stuck behind the lock');
    await queued(busy);
    const more = clientId();
    const opening = clientId();
    // The visitor client's ack timed out while the lane was busy: it sends the same message again.
    const copies = [
      send(busy, 'Resent', more),
      send(fresh.socket, 'Hello?', opening),
      send(busy, 'Resent', more),
      send(fresh.socket, 'Hello?', opening),
    ];
    await Promise.all([queued(busy), queued(fresh.socket)]);
    await release();
    const [moreFirst, openingFirst, moreRetry, openingRetry] = await Promise.all(copies);
    expect((await stuck).ok).toBe(true);
    if (!moreFirst!.ok || !moreRetry!.ok || !openingFirst!.ok || !openingRetry!.ok) throw new Error('send failed');
    expect(moreRetry.message).toEqual(moreFirst.message);
    expect(openingRetry.message).toEqual(openingFirst.message);
    // Both copies of the opening send carry the auto-reply, whichever ack the visitor still listens to.
    expect(openingRetry.autoReply).toEqual(openingFirst.autoReply);

    // Frames of a site leave in order: once a later message is there, any second relay would be too.
    const after = await send(busy, 'After the storm');
    if (!after.ok) throw new Error('send failed');
    await expect.poll(() => agentBatches.flat().some((message) => message.id === after.message.id)).toBe(true);
    const relayed = agentBatches.flat().filter((message) => message.clientId === more || message.clientId === opening);
    expect(relayed.map((message) => message.text).sort()).toEqual(['Hello?', 'Resent']);
    await expect.poll(() => assigned.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(assigned).toHaveLength(1);
    const [{ n }] = (await database.db
      .select({ n: count() })
      .from(conversationEventsTable)
      .where(eq(conversationEventsTable.conversationId, openingFirst.message.conversationId))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('numbers concurrent messages without gaps or repeats', async () => {
    const { socket } = await openVisitor();
    const first = await send(socket, 'first');
    if (!first.ok) throw new Error('send failed');
    const replies = await Promise.all(Array.from({ length: 15 }, (_, i) => send(socket, `burst ${i}`)));
    const seqs = replies.map((reply) => (reply.ok ? reply.message.seq : -1)).sort((a, b) => a - b);
    const start = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: 15 }, (_, i) => start + i));
  });

  it('shows a message in the visitor’s other tabs, while the sending tab has it in its ack', async () => {
    const { socket: sender, ready } = await openVisitor();
    if (!(await send(sender, 'opening')).ok) throw new Error('send failed');
    const { socket: otherTab } = await openVisitor({ token: ready.token });
    const senderEchoes = collect<ChatMessage>(sender, 'message:new');
    const inOtherTab = next<ChatMessage>(otherTab, 'message:new', (message) => message.text === 'from tab one');
    const reply = await send(sender, 'from tab one');
    expect(reply.ok && reply.message.text).toBe('from tab one');
    expect((await inOtherTab).clientId).toBe(reply.ok ? reply.message.clientId : '');
    expect(senderEchoes.filter((message) => message.text === 'from tab one')).toEqual([]);
  });

  it('puts the auto-reply of an opening send in its ack, and relays it to the visitor’s other tabs only', async () => {
    const { socket: sender, ready } = await openVisitor();
    const { socket: otherTab } = await openVisitor({ token: ready.token });
    const senderEchoes = collect<ChatMessage>(sender, 'message:new');
    const inOtherTab = collect<ChatMessage>(otherTab, 'message:new');
    const opening = await send(sender, 'First words');
    if (!opening.ok) throw new Error('send failed');
    expect(opening.autoReply).toMatchObject({
      author: 'system',
      seq: opening.message.seq + 1,
      conversationId: opening.message.conversationId,
    });
    await expect.poll(() => inOtherTab.map((message) => message.author)).toEqual(['visitor', 'system']);
    // Later sends carry no auto-reply, and the sending tab never got either message twice.
    const later = await send(sender, 'More words');
    expect(later.ok && later.autoReply).toBeUndefined();
    expect(senderEchoes).toEqual([]);
  });

  it('gives history back on reconnect with the token, and resyncs from a sequence number', async () => {
    const { socket, ready } = await openVisitor();
    const sent = await send(socket, 'Remember me');
    if (!sent.ok) throw new Error('send failed');
    socket.close();
    const again = await openVisitor({ token: ready.token });
    expect(again.ready.token).toBe(ready.token);
    expect(again.ready.conversation?.id).toBe(sent.message.conversationId);
    expect(again.ready.messages.map((message) => message.text)).toContain('Remember me');
    const since = await again.socket.timeout(5000).emitWithAck('messages:since', { afterSeq: sent.message.seq - 1 });
    expect(since.ok && since.messages.map((message) => message.seq)[0]).toBe(sent.message.seq);
  });

  it('shows agents the page a chatting visitor moved to, and previews what the visitor wrote', async () => {
    const admin = await onlineAgent();
    const { socket, ready } = await openVisitor();
    const sent = await send(socket, 'Which size fits me?');
    if (!sent.ok) throw new Error('send failed');
    socket.close();
    const movedTo = (summary: ConversationSummary) => summary.visitor.currentUrl?.endsWith('id=3') ?? false;
    const updated = next<ConversationSummary[]>(admin.socket, 'conversations:updated', (list) =>
      list.some(movedTo),
    ).then((list) => list.find(movedTo)!);
    const moved = visitor({ token: ready.token, url: `${clients.origin()}/demo/product.html?id=3` });
    await connected(moved);
    const summary = await updated;
    expect(summary.visitor.currentUrl).toBe(`${clients.origin()}/demo/product.html?id=3`);
    // The auto-reply came after the visitor's message; the inbox preview is still the visitor's words.
    expect(summary.lastMessage).toMatchObject({ author: 'visitor', text: 'Which size fits me?' });
  });

  it('never shows internal notes or another visitor’s conversation to a visitor', async () => {
    const admin = await onlineAgent();
    const alice = await openVisitor();
    const sent = await send(alice.socket, 'Private question');
    if (!sent.ok) throw new Error('send failed');
    const aliceMessages = collect<ChatMessage>(alice.socket, 'message:new');
    const note = await admin.socket.timeout(5000).emitWithAck('message:send', {
      conversationId: sent.message.conversationId,
      clientId: clientId(),
      text: 'Looks like a reseller',
      internal: true,
    });
    expect(note.ok).toBe(true);
    const since = await alice.socket.timeout(5000).emitWithAck('messages:since', { afterSeq: 0 });
    expect(since.ok && since.messages.some((message) => message.internal)).toBe(false);
    expect(aliceMessages.some((message) => message.internal)).toBe(false);

    const mallory = await openVisitor();
    const stolen = await mallory.socket
      .timeout(5000)
      .emitWithAck('messages:since', { conversationId: sent.message.conversationId, afterSeq: 0 });
    expect(stolen).toEqual({ ok: false, error: { code: 'not_found', message: 'Conversation not found' } });
    const forged = await openVisitor({ token: 'x'.repeat(43) });
    expect(forged.ready.conversation).toBeNull();
    expect(forged.ready.token).not.toBe('x'.repeat(43));
  });

  it('forwards typing with a live preview only when the site allows it', async () => {
    const admin = await onlineAgent();
    const { socket } = await openVisitor();
    await send(socket, 'Hi');
    const typing = next<{ typing: boolean; preview?: string }>(admin.socket, 'visitor:typing');
    socket.emit('visitor:typing', { typing: true, preview: 'I would like to ord' });
    expect(await typing).toMatchObject({ typing: true, preview: 'I would like to ord' });

    const siteId = admin.me.sites[0].id;
    const site = (await (await fetch(`${clients.origin()}/api/sites/${siteId}`, { headers: admin.headers })).json())
      .site;
    await fetch(`${clients.origin()}/api/sites/${siteId}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ chat: { ...site.chat, typingPreview: false } }),
    });
    const privateTyping = next<{ typing: boolean; preview?: string }>(admin.socket, 'visitor:typing');
    socket.emit('visitor:typing', { typing: true, preview: 'my card number is' });
    expect(await privateTyping).toEqual({ conversationId: expect.any(String), typing: true });
    await fetch(`${clients.origin()}/api/sites/${siteId}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ chat: site.chat }),
    });
  });

  it("shows the visitor as last seen when their widget's tab last said so, not when the chat connected", async () => {
    const admin = await onlineAgent();
    const trackerId = `trk_keepalive_${kind}`;
    const { socket } = await openVisitor({ visitorId: trackerId } as { token?: string });
    const sent = await send(socket, 'Still deciding');
    if (!sent.ok) throw new Error('send failed');
    const [conversation] = await database.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, sent.message.conversationId));
    // The chat's own scoring signal writes the tracker visitor's row after the reply: wait for it.
    await expect
      .poll(
        async () =>
          (await database.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, trackerId))).length,
      )
      .toBe(1);
    // Connected, browsed and wrote five minutes ago; since then the tab's keepalive kept saying "still here" (writing a rating, say).
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    await database.db
      .update(chatVisitorsTable)
      .set({ lastSeenAt: fiveMinutesAgo })
      .where(eq(chatVisitorsTable.id, conversation!.chatVisitorId));
    await database.db
      .update(messagesTable)
      .set({ createdAt: fiveMinutesAgo })
      .where(eq(messagesTable.conversationId, conversation!.id));
    await database.db
      .update(visitorsTable)
      .set({ lastSeenAt: fiveMinutesAgo })
      .where(eq(visitorsTable.visitorId, trackerId));
    const keepalive = new Date(Date.now() - 10_000);
    await database.db
      .insert(visitorPresenceTable)
      .values({ siteId: conversation!.siteId, visitorId: trackerId, seenAt: keepalive });
    const detail = await (
      await fetch(`${clients.origin()}/api/conversations/${conversation!.id}`, { headers: admin.headers })
    ).json();
    expect(detail.visitor.lastSeenAt).toBe(keepalive.toISOString());
  });

  it('closes a conversation, tells the visitor, and takes one CSAT rating', async () => {
    const admin = await onlineAgent();
    const { socket } = await openVisitor();
    const assigned = next(socket, 'conversation:assigned');
    const sent = await send(socket, 'Thanks, bye');
    if (!sent.ok) throw new Error('send failed');
    await assigned;
    const [conversation] = await database.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, sent.message.conversationId));
    await database.db.insert(webhookEndpointsTable).values({
      siteId: conversation!.siteId,
      url: 'http://127.0.0.1:9/crm',
      events: ['conversation.closed'],
      secret: 'whsec_dGVzdA==',
    });
    const closed = next<{ conversationId: string }>(socket, 'conversation:closed');
    const response = await fetch(`${clients.origin()}/api/conversations/${sent.message.conversationId}/close`, {
      method: 'POST',
      headers: admin.headers,
    });
    expect(response.status).toBe(200);
    expect((await closed).conversationId).toBe(sent.message.conversationId);
    const rated = await socket
      .timeout(5000)
      .emitWithAck('csat:submit', { conversationId: sent.message.conversationId, rating: 5, comment: 'Quick!' });
    expect(rated).toEqual({ ok: true });
    const again = await socket
      .timeout(5000)
      .emitWithAck('csat:submit', { conversationId: sent.message.conversationId, rating: 1 });
    expect(again.ok).toBe(false);
    const detail = await (
      await fetch(`${clients.origin()}/api/conversations/${sent.message.conversationId}`, { headers: admin.headers })
    ).json();
    expect(detail.conversation).toMatchObject({ status: 'closed', csat: { rating: 5, comment: 'Quick!' } });
    expect(detail.events.map((event: { kind: string }) => event.kind)).toEqual(['assigned', 'closed']);
    // The site's CRM hears of the close (from the durable outbox, committed with the close).
    const deliveries = await database.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'conversation.closed'));
    expect(deliveries.map((row) => row.payload.data)).toEqual([
      expect.objectContaining({
        conversation: expect.objectContaining({
          id: sent.message.conversationId,
          status: 'closed',
          assignee: expect.objectContaining({ id: admin.me.agent.id }),
        }),
      }),
    ]);
    // A new message after closing starts a new conversation.
    const fresh = await send(socket, 'One more thing');
    expect(fresh.ok && fresh.message.conversationId).not.toBe(sent.message.conversationId);
  });

  it('lists open conversations by latest activity and closed ones by latest close', async () => {
    const admin = await onlineAgent();
    const list = async (status: 'open' | 'closed') =>
      (
        (await (
          await fetch(`${clients.origin()}/api/conversations?status=${status}`, { headers: admin.headers })
        ).json()) as { conversations: ConversationSummary[] }
      ).conversations.map((conversation) => conversation.id);
    const start = async (text: string) => {
      const { socket } = await openVisitor();
      const sent = await send(socket, text);
      if (!sent.ok) throw new Error('send failed');
      return { socket, id: sent.message.conversationId };
    };
    const { socket: firstSocket, id: first } = await start('first visitor');
    const { id: second } = await start('second visitor');
    expect((await list('open')).slice(0, 2)).toEqual([second, first]);
    expect((await send(firstSocket, 'first visitor again')).ok).toBe(true);
    expect((await list('open')).slice(0, 2)).toEqual([first, second]);
    // Closed in the other order than their last messages: the list follows the closing.
    for (const id of [first, second]) {
      expect(
        (await fetch(`${clients.origin()}/api/conversations/${id}/close`, { method: 'POST', headers: admin.headers }))
          .status,
      ).toBe(200);
    }
    expect((await list('closed')).slice(0, 2)).toEqual([second, first]);
  });

  it('answers bad payloads and floods with errors, never a crash', async () => {
    const { socket } = await openVisitor();
    const tooLong = await send(socket, 'x'.repeat(4001));
    expect(tooLong.ok === false && tooLong.error.code).toBe('validation_failed');
    const empty = await send(socket, '   ');
    expect(empty.ok === false && empty.error.code).toBe('validation_failed');
    const wrongShape = await socket.timeout(5000).emitWithAck('message:send', { text: 42 } as never);
    expect(wrongShape.ok === false && wrongShape.error.code).toBe('validation_failed');
    const errors = collect<{ code: string }>(socket, 'error');
    for (let i = 0; i < 60; i++) socket.emit('visitor:typing', { typing: i % 2 === 0 });
    const limited = await send(socket, 'after the flood');
    expect(limited.ok === false && limited.error.code).toBe('rate_limited');
    expect(errors.every((error) => error.code === 'rate_limited')).toBe(true);
    const health = await fetch(`${clients.origin()}/healthz`);
    expect(health.status).toBe(200);
  });

  it('loses nothing acknowledged across a server restart', async () => {
    const { socket, ready } = await openVisitor();
    const texts = ['before restart 1', 'before restart 2'];
    for (const text of texts) expect((await send(socket, text)).ok).toBe(true);
    socket.close();
    await server.close();
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
    const again = await openVisitor({ token: ready.token });
    expect(again.ready.messages.map((message) => message.text)).toEqual(expect.arrayContaining(texts));
  });
});
