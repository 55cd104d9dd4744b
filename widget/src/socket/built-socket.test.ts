// @vitest-environment node
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { WebSocket } from 'ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatClient, ChatClientOptions, ChatIoOptions } from '@beckon/sdk/chat';

/**
 * The chat chunk as built (socket.io-client with the text-only parsers and without the code of
 * vite.unused-options.ts and vite.unused-members.ts), its own chat client against a real socket.io server: the
 * socket behaviour the chat relies on survives the build's cuts. Node has no browser WebSocket, so `ws` stands in
 * for it; the long-polling fallback, which needs XMLHttpRequest, is covered in a browser by
 * tests/e2e/first-load.spec.ts.
 */
const dir = fileURLToPath(new URL('../../dist/widget/', import.meta.url));
const chatFile = () => {
  const found = existsSync(dir) ? readdirSync(dir).filter((name) => /^chat-[\w-]{8}\.js$/.test(name)) : [];
  if (found.length !== 1) throw new Error(`expected one chat chunk in ${dir}: build the widget first`);
  return `${dir}${found[0]}`;
};

/** What the UI takes of the chat chunk (src/ui/chat/session.ts). */
let createChatClient: (options: ChatClientOptions) => ChatClient;
let http: HttpServer | undefined;
let io: Server | undefined;
const clients: ChatClient[] = [];

beforeAll(async () => {
  // engine.io-client reads the global WebSocket when its module loads.
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  ({ createChatClient } = await import(pathToFileURL(chatFile()).href));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  io = undefined;
  http = undefined;
});

const settings = {
  prechat: { name: 'off', email: 'off', phone: 'off' },
  businessHours: null,
  typingPreview: false,
  greeting: '',
  autoReply: '',
};

/**
 * A `/visitor` namespace that speaks the chat's protocol: `chat:ready` on each connection (a token, no conversation),
 * `message:send` stored with the next seq and acknowledged.
 */
async function serve() {
  http = createServer();
  io = new Server(http, { transports: ['polling', 'websocket'] });
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  const visitors = io.of('/visitor');
  const stored: string[] = [];
  visitors.on('connection', (socket) => {
    socket.on('message:send', (payload: { clientId: string; text: string }, ack: (reply: unknown) => void) => {
      stored.push(payload.text);
      const message = {
        id: `m${stored.length}`,
        conversationId: 'c1',
        seq: stored.length,
        clientId: payload.clientId,
        author: 'visitor',
        agent: null,
        internal: false,
        text: payload.text,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, stored.length)).toISOString(),
      };
      ack({ ok: true, message });
    });
    socket.on('messages:since', (_query: unknown, ack: (reply: unknown) => void) => ack({ ok: true, messages: [] }));
    socket.emit('chat:ready', {
      token: 'token-1',
      conversation: null,
      messages: [],
      settings,
      available: true,
      reason: 'online',
    });
  });
  return { endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, visitors, stored };
}

function open(endpoint: string, options: Partial<ChatClientOptions> = {}) {
  const client = createChatClient({
    endpoint,
    site: 'demo',
    storage: null,
    url: () => 'https://shop.test/',
    ...options,
  });
  clients.push(client);
  return client;
}

const joined = (visitors: ReturnType<Server['of']>) =>
  new Promise<ServerSocket>((resolve) => visitors.once('connection', resolve));
const status = (client: ChatClient) => client.state.status;

describe('the chat chunk as built', () => {
  it('has none of the code vite.unused-options.ts removes, and its chat client asks for no upgrade probing', async () => {
    const code = readFileSync(chatFile(), 'utf8');
    for (const marker of ['probe error', 'beforeunload', 'upgrading', 'operation has timed out', 'reactnative'])
      expect(code).not.toContain(marker);
    // What the cuts take for granted: WebSocket first, no upgrade probing, no emit retries or ack timeouts.
    let asked: Omit<ChatIoOptions, 'auth'> | undefined;
    open('http://127.0.0.1:1', {
      io: (_url, { auth: _auth, ...options }) => {
        asked = options;
        return {
          connected: false,
          active: false,
          on() {},
          emit() {},
          connect() {},
          disconnect() {},
          removeAllListeners() {},
        };
      },
    }).connect();
    expect(asked).toEqual({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      upgrade: false,
      autoConnect: false,
      forceNew: true,
      reconnectionDelayMax: 10_000,
    });
  });

  it('joins over a WebSocket with its auth, and sends messages with acks, in the order written', async () => {
    const { endpoint, visitors, stored } = await serve();
    const client = open(endpoint);
    const arrived = joined(visitors);
    // Written before the connection: queued, then sent one by one once the server is ready.
    const sent = Array.from({ length: 12 }, (_, n) => client.send(`message ${n}`));
    const socket = await arrived;
    expect(socket.handshake.auth).toEqual({ site: 'demo', url: 'https://shop.test/' });
    expect(socket.conn.transport.name).toBe('websocket');
    const messages = await Promise.all(sent);
    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    expect(stored).toEqual(Array.from({ length: 12 }, (_, n) => `message ${n}`));
    expect(status(client)).toBe('connected');
  });

  it("reports the server's refusal with its code and stops", async () => {
    const { endpoint, visitors } = await serve();
    visitors.use((_socket, next) => next(new Error('unknown_site')));
    const client = open(endpoint);
    client.connect();
    await expect.poll(() => status(client)).toBe('failed');
    expect(client.state.error?.code).toBe('unknown_site');
  });

  it('reconnects with backoff after the transport drops, with the token issued meanwhile', async () => {
    const { endpoint, visitors } = await serve();
    const client = open(endpoint);
    const first = joined(visitors);
    client.connect();
    const socket = await first;
    await expect.poll(() => status(client)).toBe('connected');
    const second = joined(visitors);
    socket.conn.close(); // the transport dies under the socket (not a server-side disconnect)
    await expect.poll(() => status(client)).toBe('reconnecting');
    expect((await second).handshake.auth).toMatchObject({ site: 'demo', token: 'token-1' });
    await expect.poll(() => status(client)).toBe('connected');
  });
});
