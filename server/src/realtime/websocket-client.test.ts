import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectSocket, createChatClient, type ChatClient, type WebSocketConstructor } from '@beckon/sdk/chat';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../testing/harness.js';
import { nextVisitorAddress, socketClients } from '../testing/sockets.js';

/**
 * The widget's chat runs on the sdk's own WebSocket-only socket.io client (`connectSocket`), not on
 * socket.io-client: here it talks to the real server — handshake, auth, acks, pushes, refusals, a dropped
 * transport — through the same chat client the widget uses.
 */
describe.each(databaseKinds)('the WebSocket-only chat socket against the server on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const chats: ChatClient[] = [];
  const transports: WebSocket[] = [];

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
    // A class per visitor: the sdk constructs it with the URL only, as it does the browser's WebSocket.
    const BrowserLike = class extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { origin: pageOrigin, 'x-forwarded-for': address } });
        transports.push(this);
      }
    };
    const chat = createChatClient({
      endpoint: clients.origin(),
      site,
      storage: null,
      url: () => `${clients.origin()}/demo/`,
      ackTimeoutMs: 5000,
      io: (url, options) =>
        connectSocket(url, { ...options, WebSocket: BrowserLike as unknown as WebSocketConstructor }),
    });
    chats.push(chat);
    return chat;
  }

  it('opens a conversation, gets the ack and the agent reply, and keeps going after the transport drops', async () => {
    const chat = visitorChat();
    const announced: ChatMessage[] = [];
    chat.on('message', (message) => announced.push(message));
    const first = await chat.send('Hello over a bare WebSocket');
    expect(first.text).toBe('Hello over a bare WebSocket');
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
