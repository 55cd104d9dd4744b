import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { io as socketIo, type Socket } from 'socket.io-client';
import { createChatClient, type ChatClient, type ChatSocket } from '@beckon/sdk/chat';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { messagesTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';

const visitorCount = 4;
const rounds = 6;
const agentSocketsPerChat = 4;

describe.each(databaseKinds)('chat through a reconnect storm on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const chats: ChatClient[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
  });
  afterEach(() => {
    chats.splice(0).forEach((chat) => chat.destroy());
    clients.closeAll();
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  /** The SDK's visitor chat client (what the widget runs) over a real socket.io connection. */
  function visitorChat(index: number) {
    const sockets: Socket[] = [];
    const origin = clients.origin();
    const chat = createChatClient({
      endpoint: origin,
      site: 'demo',
      storage: null,
      url: () => `${origin}/demo/`,
      ackTimeoutMs: 5000,
      io: (url, options) => {
        // One address per visitor, as in the field (per-address limits apply to opening chats).
        const socket = socketIo(url, {
          ...options,
          extraHeaders: { origin, 'x-forwarded-for': `203.0.113.${index + 10}` },
        });
        sockets.push(socket);
        return socket as unknown as ChatSocket;
      },
    });
    chats.push(chat);
    const announced: ChatMessage[] = [];
    chat.on('message', (message) => announced.push(message));
    // The network drops under the socket; socket.io reconnects by itself and the client resyncs.
    const drop = () => sockets.at(-1)?.io.engine.close();
    return { chat, announced, drop };
  }

  it('announces every message to its visitor once and in seq order, and relays each to agents once', async () => {
    const session = await clients.login();
    // Several agent sockets per conversation keep each one inside the per-socket event limit.
    const agents = Array.from({ length: visitorCount * agentSocketsPerChat }, () => clients.agent(session.cookie));
    await Promise.all(agents.map((socket) => clients.connected(socket)));
    const frames = clients.collect<ChatMessage[]>(agents[0]!, 'messages:new');
    const visitors = Array.from({ length: visitorCount }, (_, index) => visitorChat(index));
    const opened = await Promise.all(visitors.map(({ chat }, index) => chat.send(`Hello from visitor ${index}`)));

    await Promise.all(
      visitors.map(async ({ chat, drop }, index) => {
        const conversationId = opened[index]!.conversationId;
        let storming = true;
        // The agents write all the time, so relays meet every reconnect at every stage of it.
        const answering = (async () => {
          for (let turn = 0; storming; turn++) {
            const socket = agents[index * agentSocketsPerChat + (turn % agentSocketsPerChat)]!;
            const reply = await socket.timeout(15_000).emitWithAck('message:send', {
              conversationId,
              clientId: `agent_${index}_${turn}_${Math.random().toString(36).slice(2, 10)}`,
              text: `Agent answer ${index}.${turn}`,
              // Notes take seqs the visitor never sees: gaps the client must not wait on forever.
              internal: turn % 5 === 2,
            });
            expect(reply.ok, JSON.stringify(reply)).toBe(true);
            // One send per 100 ms per chat: each of its sockets stays well inside the per-socket event
            // limit (60 per 10 s) however fast the machine answers.
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })();
        for (let round = 0; round < rounds; round++) {
          const asked = chat.send(`Visitor question ${index}.${round}`);
          drop();
          await asked;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        storming = false;
        await answering;
      }),
    );

    const conversationIds = opened.map((message) => message.conversationId);
    const stored = await database.db
      .select()
      .from(messagesTable)
      .where(inArray(messagesTable.conversationId, conversationIds));
    for (const [index, { announced }] of visitors.entries()) {
      const visible = stored
        .filter((row) => row.conversationId === conversationIds[index] && !row.internal)
        .map((row) => row.seq)
        .sort((a, b) => a - b);
      await expect.poll(() => announced.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(visible.length);
      // Every message once, in the order of the conversation, whatever the reconnects did to arrival.
      expect(announced.map((message) => message.seq)).toEqual(visible);
    }
    // Agents: each stored message in exactly one frame.
    await expect.poll(() => frames.flat().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(stored.length);
    const relayed = frames.flat().map((message) => message.id);
    expect(relayed.sort()).toEqual(stored.map((row) => row.id).sort());
  });
});
