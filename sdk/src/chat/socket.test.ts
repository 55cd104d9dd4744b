// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatSocket } from './client.js';
import { connectSocket, type SocketOptions, type WebSocketLike } from './socket.js';

/** A WebSocket the test drives: what the client sent, and the server's frames pushed in by hand. */
class FakeWebSocket implements WebSocketLike {
  static all: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  /** The engine.io handshake: the server's first frame once the socket opened. */
  open(handshake = { sid: 'engine-sid', pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1e6 }) {
    this.readyState = 1;
    this.frame(`0${JSON.stringify(handshake)}`);
  }
  frame(data: unknown) {
    this.onmessage?.({ data });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const last = () => FakeWebSocket.all[FakeWebSocket.all.length - 1]!;

/** Every client a test made, disconnected after it (their `offline` listeners live on the shared window). */
const clients: ChatSocket[] = [];

function socket(overrides: Partial<SocketOptions> = {}) {
  const client = connectSocket('https://beckon.test/visitor', {
    auth: (callback) => callback({ site: 'demo', url: 'https://shop.test/' }),
    transports: ['websocket'],
    tryAllTransports: false,
    autoConnect: false,
    forceNew: true,
    reconnectionDelayMax: 10_000,
    WebSocket: FakeWebSocket,
    ...overrides,
  });
  clients.push(client);
  return client;
}

/** Opens the transport and accepts the namespace connection. */
function connected(overrides: Partial<SocketOptions> = {}) {
  const client = socket(overrides);
  client.connect();
  last().open();
  last().frame('40/visitor,{"sid":"socket-sid"}');
  return client;
}

beforeEach(() => {
  FakeWebSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
  vi.useRealTimers();
});

describe('the WebSocket-only socket.io client', () => {
  it('opens engine.io v4 over a WebSocket and joins the namespace with the auth', () => {
    const client = socket();
    const connect = vi.fn();
    client.on('connect', connect);
    expect(FakeWebSocket.all).toHaveLength(0); // autoConnect off: nothing until connect()
    client.connect();
    expect(last().url).toBe('wss://beckon.test/socket.io/?EIO=4&transport=websocket');
    last().open();
    expect(last().sent).toEqual(['40/visitor,{"site":"demo","url":"https://shop.test/"}']);
    expect(client.connected).toBe(false);
    last().frame('40/visitor,{"sid":"socket-sid"}');
    expect(client.connected).toBe(true);
    expect(client.active).toBe(true);
    expect(connect).toHaveBeenCalledOnce();
  });

  it('uses ws: for an http endpoint', () => {
    const client = connectSocket('http://localhost:3000/visitor', {
      auth: (callback) => callback({}),
      transports: [],
      tryAllTransports: false,
      autoConnect: true,
      forceNew: true,
      reconnectionDelayMax: 1000,
      WebSocket: FakeWebSocket,
    });
    clients.push(client);
    expect(last().url).toBe('ws://localhost:3000/socket.io/?EIO=4&transport=websocket');
  });

  it('emits events with acks and hands the answer to the right callback', () => {
    const client = connected();
    const first = vi.fn();
    const second = vi.fn();
    client.emit('message:send', { text: 'hi' }, first);
    client.emit('message:read', { seq: 3 });
    client.emit('history', { after: 0 }, second);
    expect(last().sent.slice(1)).toEqual([
      '42/visitor,0["message:send",{"text":"hi"}]',
      '42/visitor,["message:read",{"seq":3}]',
      '42/visitor,1["history",{"after":0}]',
    ]);
    last().frame('43/visitor,1[{"ok":true,"messages":[]}]');
    expect(second).toHaveBeenCalledWith({ ok: true, messages: [] });
    expect(first).not.toHaveBeenCalled();
    last().frame('43/visitor,0[{"ok":false}]');
    expect(first).toHaveBeenCalledWith({ ok: false });
  });

  it("delivers the namespace's events, answers the server's acks, and ignores other namespaces and bad frames", () => {
    const client = connected();
    const heard: unknown[] = [];
    client.on('message:new', (...args: never[]) => heard.push(args));
    last().frame('42/visitor,["message:new",{"seq":1}]');
    last().frame('42/agent,["message:new",{"seq":2}]');
    last().frame('42/visitor,["message:new",{"seq":'); // cut short: dropped
    last().frame(new ArrayBuffer(4)); // binary: not used by the chat
    expect(heard).toEqual([[{ seq: 1 }]]);
    client.on('question', (answer: never) => (answer as (value: string) => void)('yes'));
    last().frame('42/visitor,7["question"]');
    expect(last().sent.at(-1)).toBe('43/visitor,7["yes"]');
    expect(client.connected).toBe(true);
  });

  it("answers the server's pings and reconnects when they stop (pingInterval + pingTimeout of silence)", () => {
    const client = connected();
    const reasons: unknown[] = [];
    client.on('disconnect', (reason: never) => reasons.push(reason));
    last().frame('2');
    expect(last().sent.at(-1)).toBe('3');
    vi.advanceTimersByTime(44_000);
    last().frame('2'); // in time: the clock starts again
    vi.advanceTimersByTime(44_000);
    expect(client.connected).toBe(true);
    const dead = last();
    vi.advanceTimersByTime(1_001);
    expect(client.connected).toBe(false);
    expect(dead.closed).toBe(true);
    expect(reasons).toEqual(['ping timeout']);
    // socket.io's backoff: the first retry within 0.5–1.5 × 1 s.
    expect(FakeWebSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1_500);
    expect(FakeWebSocket.all).toHaveLength(2);
    last().open();
    last().frame('40/visitor,{"sid":"again"}');
    expect(client.connected).toBe(true);
  });

  it('retries a transport that fails with a growing, capped delay and reports each failure', () => {
    const client = socket({ reconnectionDelayMax: 4000 });
    const errors: string[] = [];
    client.on('connect_error', (error: never) => errors.push((error as Error).message));
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: 1 s, 2 s, 4 s, 4 s
    client.connect();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      last().drop();
      const before = FakeWebSocket.all.length;
      let waited = 0;
      while (FakeWebSocket.all.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
    expect(errors).toEqual(Array(4).fill('websocket error'));
    expect(client.active).toBe(true);
    // A success resets the backoff.
    last().open();
    last().frame('40/visitor,{"sid":"s"}');
    last().drop();
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.all).toHaveLength(6);
  });

  it("reports the server's refusal with its code and stops (the caller decides whether to retry)", () => {
    const client = socket();
    const errors: Error[] = [];
    client.on('connect_error', (error: never) => errors.push(error));
    client.connect();
    last().open();
    last().frame('44/visitor,{"message":"origin_not_allowed"}');
    expect(errors.map((error) => error.message)).toEqual(['origin_not_allowed']);
    expect(client.active).toBe(false);
    expect(last().closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
    client.connect(); // the caller's retry opens a new transport
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('stops after a server-side disconnect and after disconnect(), telling the listeners once', () => {
    const client = connected();
    const reasons: unknown[] = [];
    client.on('disconnect', (reason: never) => reasons.push(reason));
    last().frame('41/visitor,');
    expect(client.connected).toBe(false);
    expect(client.active).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);

    client.connect();
    last().open();
    last().frame('40/visitor,{"sid":"s2"}');
    client.disconnect();
    expect(last().sent.at(-1)).toBe('41/visitor,');
    expect(last().closed).toBe(true);
    expect(reasons).toEqual(['io server disconnect', 'io client disconnect']);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('drops the link when the browser goes offline, and reconnects with the backoff', () => {
    const client = connected();
    const reasons: unknown[] = [];
    client.on('disconnect', (reason: never) => reasons.push(reason));
    const dropped = last();
    window.dispatchEvent(new Event('offline'));
    expect(reasons).toEqual(['transport close']);
    expect(dropped.closed).toBe(true);
    window.dispatchEvent(new Event('offline')); // no transport now: nothing more to drop
    expect(reasons).toHaveLength(1);
    vi.advanceTimersByTime(1_500);
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('sends nothing while not connected (the chat client resends from its outbox)', () => {
    const client = socket();
    client.connect();
    client.emit('message:send', { text: 'early' }, () => {});
    last().open();
    expect(last().sent).toEqual(['40/visitor,{"site":"demo","url":"https://shop.test/"}']);
  });
});
