import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeWebSocket } from 'engine.io-client';
import { connectSocket, createChatClient, type ChatClient } from '@beckon/sdk/chat';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../testing/harness.js';
import { nextVisitorAddress, socketClients } from '../testing/sockets.js';

/**
 * The widget's chat runs on the sdk's `connectSocket` (socket.io-client, WebSocket first): here it talks to the
 * real server — handshake, auth, acks, pushes, refusals, a dropped transport — through the same chat client
 * the widget uses, over a WebSocket carrying the headers a browser on the page would send.
 */
describe.each(databaseKinds)('the chat socket against the server on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const chats: ChatClient[] = [];
  /** The `ws` sockets the chats opened (engine.io-client's Node transport uses the `ws` package). */
  const transports: { terminate(): void }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
  });
  afterEach(() => {
    chats.splice(0).forEach((chat) => chat.destroy());
    transports.splice(0).forEach((transport) => transport.terminate());
    clients.closeAll();
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  /** A chat client on `connectSocket`, over `ws` with the headers a browser on the page would send. */
  function visitorChat(site = 'demo', pageOrigin = clients.origin()) {
    const address = nextVisitorAddress();
    // engine.io-client's WebSocket transport for Node, keeping each `ws` it opens so a test can cut the network.
    const BrowserLike = class extends NodeWebSocket {
      override createSocket(...args: Parameters<NodeWebSocket['createSocket']>) {
        const transport = super.createSocket(...args) as { terminate(): void };
        transports.push(transport);
        return transport;
      }
    };
    const chat = createChatClient({
      endpoint: clients.origin(),
      site,
      storage: null,
      url: () => `${clients.origin()}/demo/`,
      ackTimeoutMs: 5000,
      io: (url, options) =>
        connectSocket(url, {
          ...options,
          transports: [BrowserLike],
          tryAllTransports: false,
          extraHeaders: { origin: pageOrigin, 'x-forwarded-for': address },
        }),
    });
    chats.push(chat);
    return chat;
  }

  it('opens a conversation, gets the ack and the agent reply, and keeps going after the transport drops', async () => {
    const chat = visitorChat();
    const announced: ChatMessage[] = [];
    chat.on('message', (message) => announced.push(message));
    const first = await chat.send('Hello over a WebSocket');
    expect(first.text).toBe('Hello over a WebSocket');
    expect(chat.state.status).toBe('connected');

    const session = await clients.login();
    const agent = clients.agent(session.cookie);
    await clients.connected(agent);
    const reply = await agent.timeout(5000).emitWithAck('message:send', {
      conversationId: first.conversationId,
      clientId: `agent_${Math.random().toString(36).slice(2, 12)}`,
      text: 'Hello from the agent',
    });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    await expect.poll(() => announced.map((message) => message.text)).toContain('Hello from the agent');

    // The network drops under the socket: it reconnects by itself, and the next message arrives once.
    transports.at(-1)!.terminate();
    await expect.poll(() => chat.state.status).not.toBe('connected');
    const second = await chat.send('Still here');
    expect(second.conversationId).toBe(first.conversationId);
    expect(transports.length).toBeGreaterThanOrEqual(2);
    const texts = announced.map((message) => message.text);
    expect(texts.filter((text) => text === 'Hello from the agent')).toHaveLength(1);
  });

  it("fails with the server's refusal code for an unknown site and for an origin the site does not allow", async () => {
    const unknown = visitorChat('no-such-site');
    unknown.connect();
    await expect.poll(() => unknown.state.status).toBe('failed');
    expect(unknown.state.error?.code).toBe('unknown_site');

    const foreign = visitorChat('demo', 'https://not-allowed.example');
    foreign.connect();
    await expect.poll(() => foreign.state.status).toBe('failed');
    expect(foreign.state.error?.code).toBe('origin_not_allowed');
  });
});
