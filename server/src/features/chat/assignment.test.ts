import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatReady, ConversationSummary } from '@beckon/sdk/protocol';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';

let sequence = 0;
const clientId = () => `asg_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

describe.each(databaseKinds)('chat assignment on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const { login, agent, visitor, connected, next } = clients;
  let admin: Awaited<ReturnType<typeof login>>;
  const agentIds: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), {
      database,
      logger: createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent'),
      publicDir: '/nonexistent',
    });
    admin = await login();
    agentIds.admin = admin.me.agent.id;
    for (const name of ['ann', 'bob']) {
      const invite = await (
        await fetch(`${clients.origin()}/api/agents/invites`, {
          method: 'POST',
          headers: admin.headers,
          body: JSON.stringify({ email: `${name}@example.test`, name, siteIds: [admin.me.sites[0]!.id] }),
        })
      ).json();
      const token = new URL(invite.acceptUrl, clients.origin()).searchParams.get('token');
      await fetch(`${clients.origin()}/api/invites/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: `${name} password 1` }),
      });
      agentIds[name] = invite.agent.id;
    }
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  async function online(name: 'ann' | 'bob') {
    const session = await login(`${name}@example.test`, `${name} password 1`);
    const socket = agent(session.cookie);
    await connected(socket);
    return { ...session, socket };
  }

  async function chatOnce(token?: string) {
    const socket = visitor(token ? { token } : {});
    const ready = next<ChatReady>(socket, 'chat:ready');
    await connected(socket);
    const { token: issued } = await ready;
    const assigned = next<{ agent: { id: string } }>(socket, 'conversation:assigned');
    const reply = await socket.timeout(5000).emitWithAck('message:send', { clientId: clientId(), text: 'Hello' });
    if (!reply.ok) throw new Error(reply.error.message);
    return { socket, token: issued, conversationId: reply.message.conversationId, assignee: (await assigned).agent.id };
  }

  it('spreads new chats round-robin over the online agents', async () => {
    await online('ann');
    await online('bob');
    const assignees = [];
    for (let i = 0; i < 4; i++) {
      const chat = await chatOnce();
      assignees.push(chat.assignee);
      await fetch(`${clients.origin()}/api/conversations/${chat.conversationId}/close`, {
        method: 'POST',
        headers: admin.headers,
      });
    }
    expect(new Set(assignees)).toEqual(new Set([agentIds.ann, agentIds.bob]));
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);
  });

  it('gives no chat to an agent who chose away a moment ago, though the last chat read them online', async () => {
    const sessions = { ann: await online('ann'), bob: await online('bob') };
    // Connected beforehand, so its chat opens within milliseconds of the first one's round.
    const waiting = visitor({});
    const waitingReady = next<ChatReady>(waiting, 'chat:ready');
    await connected(waiting);
    await waitingReady;
    const first = await chatOnce();
    // The turn would pass to the other agent, who now chooses away.
    const turn = first.assignee === agentIds.ann ? 'bob' : 'ann';
    const stayed = turn === 'ann' ? 'bob' : 'ann';
    try {
      await sessions[turn].socket.timeout(5000).emitWithAck('presence:set', { status: 'away' });
      const assigned = next<{ agent: { id: string } }>(waiting, 'conversation:assigned');
      const reply = await waiting.timeout(5000).emitWithAck('message:send', { clientId: clientId(), text: 'Hi' });
      expect(reply.ok).toBe(true);
      expect((await assigned).agent.id).toBe(agentIds[stayed]);
      for (const conversationId of [first.conversationId, reply.message.conversationId])
        await fetch(`${clients.origin()}/api/conversations/${conversationId}/close`, {
          method: 'POST',
          headers: admin.headers,
        });
    } finally {
      await sessions[turn].socket.timeout(5000).emitWithAck('presence:set', { status: 'online' });
    }
  });

  it('spreads chats that start at the same moment evenly, and the turn goes on from there', async () => {
    await online('ann');
    await online('bob');
    const together = await Promise.all(Array.from({ length: 6 }, () => chatOnce()));
    const count = (ids: string[], id: string) => ids.filter((assignee) => assignee === id).length;
    const assignees = together.map((chat) => chat.assignee);
    expect([count(assignees, agentIds.ann!), count(assignees, agentIds.bob!)]).toEqual([3, 3]);
    const after = await Promise.all(Array.from({ length: 2 }, () => chatOnce()));
    expect(new Set(after.map((chat) => chat.assignee))).toEqual(new Set([agentIds.ann, agentIds.bob]));
    await Promise.all(
      [...together, ...after].map((chat) =>
        fetch(`${clients.origin()}/api/conversations/${chat.conversationId}/close`, {
          method: 'POST',
          headers: admin.headers,
        }),
      ),
    );
  });

  it('gives a returning visitor the agent they talked to before, when that agent is online', async () => {
    await online('ann');
    await online('bob');
    const first = await chatOnce();
    await fetch(`${clients.origin()}/api/conversations/${first.conversationId}/close`, {
      method: 'POST',
      headers: admin.headers,
    });
    for (let i = 0; i < 2; i++) {
      const again = await chatOnce(first.token);
      expect(again.assignee).toBe(first.assignee);
      await fetch(`${clients.origin()}/api/conversations/${again.conversationId}/close`, {
        method: 'POST',
        headers: admin.headers,
      });
    }
  });

  it('records take and transfer with who and why, and tells the visitor', async () => {
    const ann = await online('ann');
    const chat = await chatOnce();
    const reassigned = next<{ agent: { id: string; name: string } }>(chat.socket, 'conversation:assigned');
    const toBob = (summary: ConversationSummary) => summary.assignee?.id === agentIds.bob;
    const updated = next<ConversationSummary[]>(ann.socket, 'conversations:updated', (list) => list.some(toBob)).then(
      (list) => list.find(toBob)!,
    );
    const transfer = await fetch(`${clients.origin()}/api/conversations/${chat.conversationId}/transfer`, {
      method: 'POST',
      headers: ann.headers,
      body: JSON.stringify({ agentId: agentIds.bob, reason: 'Bob knows shipping' }),
    });
    expect(transfer.status).toBe(200);
    expect((await reassigned).agent).toEqual({ id: agentIds.bob, name: 'bob' });
    expect((await updated).assignee?.id).toBe(agentIds.bob);
    const take = await fetch(`${clients.origin()}/api/conversations/${chat.conversationId}/take`, {
      method: 'POST',
      headers: admin.headers,
    });
    expect(take.status).toBe(200);
    const detail = await (
      await fetch(`${clients.origin()}/api/conversations/${chat.conversationId}`, { headers: admin.headers })
    ).json();
    expect(detail.events).toEqual([
      expect.objectContaining({ kind: 'assigned', to: 'ann', by: 'Beckon', reason: 'round-robin among online agents' }),
      expect.objectContaining({ kind: 'transferred', from: 'ann', to: 'bob', by: 'ann', reason: 'Bob knows shipping' }),
      expect.objectContaining({ kind: 'taken', from: 'bob', to: 'Admin', by: 'Admin' }),
    ]);
  });

  it('lets the first agent to answer an unassigned chat take it', async () => {
    const socket = visitor();
    await connected(socket);
    const reply = await socket
      .timeout(5000)
      .emitWithAck('message:send', { clientId: clientId(), text: 'Anyone there?' });
    if (!reply.ok) throw new Error(reply.error.message);
    const list = await (
      await fetch(`${clients.origin()}/api/conversations?view=unassigned`, { headers: admin.headers })
    ).json();
    expect(list.conversations.map((c: ConversationSummary) => c.id)).toContain(reply.message.conversationId);
    const ann = await online('ann');
    const answer = await ann.socket.timeout(5000).emitWithAck('message:send', {
      conversationId: reply.message.conversationId,
      clientId: clientId(),
      text: 'Hi, Ann here',
    });
    expect(answer.ok && (answer.message as ChatMessage).agent?.name).toBe('ann');
    const mine = await (
      await fetch(`${clients.origin()}/api/conversations?view=mine`, { headers: ann.headers })
    ).json();
    expect(mine.conversations.map((c: ConversationSummary) => c.id)).toContain(reply.message.conversationId);
    // The thread reads "ann took the chat" above the reply that took it (events slot in by time).
    const detail = await (
      await fetch(`${clients.origin()}/api/conversations/${reply.message.conversationId}`, { headers: admin.headers })
    ).json();
    const took = detail.events.find((event: { kind: string }) => event.kind === 'taken');
    expect(Date.parse(took.at)).toBeLessThan(
      Date.parse((answer.ok && (answer.message as ChatMessage).createdAt) || ''),
    );
  });

  it('turns a message left while offline into a conversation agents see, with the email', async () => {
    const socket = visitor();
    await connected(socket);
    const left = await socket.timeout(5000).emitWithAck('offline:message', {
      clientId: clientId(),
      email: 'Late@Example.test',
      name: 'Late Larry',
      text: 'Call me tomorrow',
    });
    expect(left.ok).toBe(true);
    if (!left.ok) return;
    const detail = await (
      await fetch(`${clients.origin()}/api/conversations/${left.conversationId}`, { headers: admin.headers })
    ).json();
    expect(detail.conversation).toMatchObject({
      channel: 'offline',
      status: 'open',
      visitor: { email: 'late@example.test', name: 'Late Larry' },
    });
    expect(detail.messages.map((m: ChatMessage) => m.text)).toEqual(['Call me tomorrow']);
    const noEmail = await socket
      .timeout(5000)
      .emitWithAck('offline:message', { clientId: clientId(), text: 'no email' } as never);
    expect(noEmail.ok).toBe(false);
  });

  it('keeps one thread per visitor: a retried offline message and a later chat land in the same conversation', async () => {
    const socket = visitor();
    const ready = next<ChatReady>(socket, 'chat:ready');
    await connected(socket);
    const { token } = await ready;
    const id = clientId();
    const left = await socket.timeout(5000).emitWithAck('offline:message', {
      clientId: id,
      email: 'twice@example.test',
      text: 'Sent twice after a lost ack',
    });
    const retried = await socket.timeout(5000).emitWithAck('offline:message', {
      clientId: id,
      email: 'twice@example.test',
      text: 'Sent twice after a lost ack',
    });
    expect(left.ok && retried.ok && retried.conversationId).toBe(left.ok && left.conversationId);
    const chat = await socket
      .timeout(5000)
      .emitWithAck('message:send', { clientId: clientId(), text: 'Now I am chatting' });
    expect(chat.ok && chat.message.conversationId).toBe(left.ok && left.conversationId);
    socket.close();
    const again = visitor({ token });
    const readyAgain = next<ChatReady>(again, 'chat:ready');
    await connected(again);
    const { conversation, messages } = await readyAgain;
    expect(conversation?.id).toBe(left.ok && left.conversationId);
    expect(messages.filter((m) => m.author === 'visitor').map((m) => m.text)).toEqual([
      'Sent twice after a lost ack',
      'Now I am chatting',
    ]);
  });

  it('does not store a retry again after the conversation closed in between', async () => {
    const socket = visitor();
    await connected(socket);
    const id = clientId();
    const first = await socket
      .timeout(5000)
      .emitWithAck('message:send', { clientId: id, text: 'Stored, but my ack got lost' });
    if (!first.ok) throw new Error(first.error.message);
    await fetch(`${clients.origin()}/api/conversations/${first.message.conversationId}/close`, {
      method: 'POST',
      headers: admin.headers,
    });
    const retry = await socket
      .timeout(5000)
      .emitWithAck('message:send', { clientId: id, text: 'Stored, but my ack got lost' });
    expect(retry.ok && retry.message.id).toBe(first.message.id);
  });
});
