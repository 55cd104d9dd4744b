// @vitest-environment node
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { WebSocket } from 'ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatClientOptions, ChatIoOptions, ChatSocket } from '@beckon/sdk/chat';

/**
 * The chat chunk as built (socket.io-client with the text-only parsers and without the code of
 * vite.unused-options.ts and vite.unused-members.ts) against a real socket.io server: the socket behaviour the
 * chat relies on survives the build's cuts. Node has no browser WebSocket, so `ws` stands in for it; the
 * long-polling fallback, which needs XMLHttpRequest, is covered in a browser by tests/e2e/first-load.spec.ts.
 */
const dir = fileURLToPath(new URL('../../dist/widget/', import.meta.url));
const chatFile = () => {
  const found = existsSync(dir) ? readdirSync(dir).filter((name) => /^chat-[\w-]{8}\.js$/.test(name)) : [];
  if (found.length !== 1) throw new Error(`expected one chat chunk in ${dir}: build the widget first`);
  return `${dir}${found[0]}`;
};

interface ChatChunk {
  connectSocket(url: string, options: ChatIoOptions): ChatSocket;
  createChatClient(options: ChatClientOptions): { connect(): void; destroy(): void };
}
let chunk: ChatChunk;
/** The options the chunk's chat client passes to `io()`, but for `auth`. */
let chatSocketOptions: Omit<ChatIoOptions, 'auth'>;
let http: HttpServer | undefined;
let io: Server | undefined;
const clients: ChatSocket[] = [];

beforeAll(async () => {
  // engine.io-client reads the global WebSocket when its module loads.
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  chunk = (await import(pathToFileURL(chatFile()).href)) as ChatChunk;
  // Asked of the chunk's own chat client, with an `io` that only listens.
  const client = chunk.createChatClient({
    endpoint: 'http://127.0.0.1:1',
    site: 'demo',
    storage: null,
    io: (_url, { auth: _auth, ...options }) => {
      chatSocketOptions = options;
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
  });
  client.connect();
  client.destroy();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  io = undefined;
  http = undefined;
});

async function serve() {
  http = createServer();
  io = new Server(http, { transports: ['polling', 'websocket'] });
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, visitors: io.of('/visitor') };
}

/** As the chat client opens it (sdk/src/chat/client.ts `connect`). */
function open(endpoint: string, auth: () => Record<string, string>) {
  const client = chunk.connectSocket(`${endpoint}/visitor`, {
    auth: (callback) => callback(auth()),
    ...chatSocketOptions,
  });
  clients.push(client);
  return client;
}

const joined = (visitors: ReturnType<Server['of']>) =>
  new Promise<ServerSocket>((resolve) => visitors.once('connection', resolve));
const once = (client: ChatSocket, event: string) =>
  new Promise<unknown[]>((resolve) => {
    let done = false;
    client.on(event, (...args: never[]) => {
      if (!done) (done = true), resolve(args);
    });
  });

describe('the chat chunk as built', () => {
  it('has none of the code vite.unused-options.ts removes', () => {
    const code = readFileSync(chatFile(), 'utf8');
    for (const marker of ['probe error', 'beforeunload', 'upgrading', 'operation has timed out', 'reactnative'])
      expect(code).not.toContain(marker);
    // What the cuts take for granted: WebSocket first, no upgrade probing, no emit retries or ack timeouts.
    expect(chatSocketOptions).toEqual({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      upgrade: false,
      autoConnect: false,
      forceNew: true,
      reconnectionDelayMax: 10_000,
    });
  });

  it('joins over a WebSocket with the auth of the moment, emits with acks in order, hears and answers the server', async () => {
    const { endpoint, visitors } = await serve();
    const received: number[] = [];
    visitors.on('connection', (socket) => {
      socket.on('message:send', (payload: { n: number }, ack: (reply: unknown) => void) => {
        received.push(payload.n);
        ack({ ok: true, n: payload.n });
      });
      socket.emit('message:new', { seq: 1 });
    });
    const client = open(endpoint, () => ({ site: 'demo' }));
    const arrived = joined(visitors);
    const pushed = once(client, 'message:new');
    // Emitted before the connection: buffered, then sent in order once connected.
    const replies = Array.from(
      { length: 20 },
      (_, n) => new Promise((resolve) => client.emit('message:send', { n }, resolve)),
    );
    client.connect();
    const socket = await arrived;
    expect(socket.handshake.auth).toEqual({ site: 'demo' });
    expect(socket.conn.transport.name).toBe('websocket');
    expect(await pushed).toEqual([{ seq: 1 }]);
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 20 }, (_, n) => ({ ok: true, n })));
    expect(received).toEqual(Array.from({ length: 20 }, (_, n) => n));

    client.on('question', (answer: never) => (answer as (value: string) => void)('yes'));
    expect(await socket.timeout(2000).emitWithAck('question')).toBe('yes');
  });

  it("reports the server's refusal with its code and stops", async () => {
    const { endpoint, visitors } = await serve();
    visitors.use((_socket, next) => next(new Error('unknown_site')));
    const client = open(endpoint, () => ({ site: 'nope' }));
    const refused = once(client, 'connect_error');
    client.connect();
    expect(((await refused)[0] as Error).message).toBe('unknown_site');
    expect(client.active).toBe(false);
  });

  it('reconnects with backoff after the transport drops, with the auth issued meanwhile', async () => {
    const { endpoint, visitors } = await serve();
    let token = 'first';
    const client = open(endpoint, () => ({ site: 'demo', token }));
    const first = joined(visitors);
    client.connect();
    const socket = await first;
    token = 'second';
    const dropped = once(client, 'disconnect');
    const second = joined(visitors);
    socket.conn.close();
    expect((await dropped)[0]).toBe('transport close');
    expect(client.active).toBe(true);
    expect((await second).handshake.auth.token).toBe('second');
    await expect.poll(() => client.connected).toBe(true);
  });
});
