import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import type { Socket as IoSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatIoOptions, type ChatSocket, chatSocketOptions } from './client.js';
import { connectSocket } from './socket.js';

/**
 * `connectSocket` is socket.io-client with the options the chat client passes: here it talks to a real
 * socket.io server, so what is checked is the behaviour the chat relies on, not a wire format of our own.
 */
let http: HttpServer | undefined;
let io: Server | undefined;
const clients: ChatSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  io = undefined;
  http = undefined;
});

/** A socket.io server with a `/visitor` namespace on a free port; `transports` limits what it accepts. */
async function serve(transports: ('websocket' | 'polling')[] = ['polling', 'websocket']) {
  http = createServer();
  io = new Server(http, { transports });
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  return { io, endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, visitors: io.of('/visitor') };
}

/** The options the chat client passes (sdk/src/chat/client.ts `connect`). */
const chatOptions = (auth: () => Record<string, string>): ChatIoOptions => ({
  auth: (callback) => callback(auth()),
  ...chatSocketOptions,
});

function open(endpoint: string, auth: () => Record<string, string>) {
  const client = connectSocket(`${endpoint}/visitor`, chatOptions(auth));
  clients.push(client);
  return client;
}

const once = (client: ChatSocket, event: string) =>
  new Promise<unknown[]>((resolve) => {
    let done = false;
    client.on(event, (...args: never[]) => {
      if (!done) (done = true), resolve(args);
    });
  });

/** The transports socket.io's next attempt will try, by name. */
const transports = (client: ChatSocket) =>
  ((client as unknown as IoSocket).io.opts.transports ?? []).map((transport) =>
    typeof transport === 'string' ? transport : transport.prototype.name,
  );

const joined = (visitors: ReturnType<Server['of']>) =>
  new Promise<ServerSocket>((resolve) => visitors.once('connection', resolve));

describe("the chat's socket (socket.io-client)", () => {
  it('waits for connect(), then joins the namespace over a WebSocket with the auth of the moment', async () => {
    const { endpoint, visitors } = await serve();
    const client = open(endpoint, () => ({ site: 'demo', url: 'https://shop.test/' }));
    const arrived = joined(visitors);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(visitors.sockets.size).toBe(0); // autoConnect off: nothing until connect()
    client.connect();
    const socket = await arrived;
    expect(socket.handshake.auth).toEqual({ site: 'demo', url: 'https://shop.test/' });
    expect(socket.conn.transport.name).toBe('websocket'); // WebSocket first: no long-polling round trips
    await expect.poll(() => client.connected).toBe(true);
    expect(client.active).toBe(true);
    expect(transports(client)).toEqual(['websocket']); // the long-polling code was never loaded
  });

  it("emits with acks, hears the server's events, and answers the server's acks", async () => {
    const { endpoint, visitors } = await serve();
    visitors.on('connection', (socket) => {
      socket.on('message:send', (payload: { text: string }, ack: (reply: unknown) => void) =>
        ack({ ok: true, echoed: payload.text }),
      );
      socket.emit('message:new', { seq: 1 });
    });
    const client = open(endpoint, () => ({ site: 'demo' }));
    const pushed = once(client, 'message:new');
    client.connect();
    expect(await pushed).toEqual([{ seq: 1 }]);
    const reply = await new Promise((resolve) => client.emit('message:send', { text: 'hi' }, resolve));
    expect(reply).toEqual({ ok: true, echoed: 'hi' });

    client.on('question', (answer: never) => (answer as (value: string) => void)('yes'));
    const [socket] = [...visitors.sockets.values()];
    expect(await socket!.timeout(2000).emitWithAck('question')).toBe('yes');
  });

  it("reports the server's refusal with its code and stops (the chat client decides whether to retry)", async () => {
    const { endpoint, visitors } = await serve();
    visitors.use((_socket, next) => next(Object.assign(new Error('unknown_site'), { data: { retry: false } })));
    const client = open(endpoint, () => ({ site: 'nope' }));
    const refused = once(client, 'connect_error');
    client.connect();
    const [error] = (await refused) as [Error & { data?: unknown }];
    expect(error.message).toBe('unknown_site');
    expect(error.data).toEqual({ retry: false });
    expect(client.active).toBe(false);
    expect(client.connected).toBe(false);
    expect(transports(client)).toEqual(['websocket']); // a refusal is no reason to try long-polling
  });

  it('reconnects by itself after the transport drops, sending the auth issued meanwhile', async () => {
    const { endpoint, visitors } = await serve();
    let token = 'first';
    const client = open(endpoint, () => ({ site: 'demo', token }));
    const first = joined(visitors);
    client.connect();
    const socket = await first;
    expect(socket.handshake.auth.token).toBe('first');

    token = 'second';
    const dropped = once(client, 'disconnect');
    const second = joined(visitors);
    socket.conn.close(); // the transport dies under the socket (not a server-side disconnect)
    expect(await dropped).toEqual(['transport close', expect.anything()]);
    expect(client.active).toBe(true); // socket.io-client's own backoff is running
    expect((await second).handshake.auth.token).toBe('second');
    await expect.poll(() => client.connected).toBe(true);
  });

  it('stops after a server-side disconnect, as socket.io does (then reconnecting is the chat client’s call)', async () => {
    const { endpoint, visitors } = await serve();
    visitors.on('connection', (socket) => setTimeout(() => socket.disconnect(true), 20));
    const client = open(endpoint, () => ({ site: 'demo' }));
    const gone = once(client, 'disconnect');
    client.connect();
    expect((await gone)[0]).toBe('io server disconnect');
    expect(client.active).toBe(false);
  });

  it('falls back to HTTP long-polling when a WebSocket cannot open (a proxy that blocks them)', async () => {
    const { endpoint, visitors } = await serve(['polling']);
    const client = open(endpoint, () => ({ site: 'demo' }));
    const arrived = joined(visitors);
    expect(transports(client)).toEqual(['websocket']);
    client.connect();
    const socket = await arrived;
    expect(socket.conn.transport.name).toBe('polling');
    expect(socket.handshake.auth).toEqual({ site: 'demo' });
    await expect.poll(() => client.connected).toBe(true);
    // Loaded after the first WebSocket failed: each later attempt tries WebSocket again, then long-polling.
    expect(transports(client)).toEqual(['websocket', 'polling']);
  });
});
