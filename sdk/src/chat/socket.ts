import type { ChatIoOptions, ChatSocket } from './client.js';

/** The part of the WebSocket API used here (the browser's, or `ws` in Node tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface SocketOptions extends ChatIoOptions {
  /** Used instead of the global `WebSocket` (Node tests pass one that sets headers). */
  WebSocket?: WebSocketConstructor;
  /** First reconnection delay in ms, doubled per failed attempt up to `reconnectionDelayMax` (default 1000). */
  reconnectionDelay?: number;
}

type Listener = (...args: never[]) => void;

/**
 * A socket.io client for one namespace over a WebSocket only: the engine.io v4 / socket.io v5 wire format
 * (`EIO=4`), acks, the server's ping answered, and reconnection with socket.io's backoff (1 s doubling up to
 * `reconnectionDelayMax`, ±50 % jitter). About 1.3 KB gzipped where socket.io-client is 13 KB: it is what
 * the widget downloads when the chat opens.
 *
 * Deliberately left out, because the chat client needs none of it: the HTTP long-polling transport (the
 * socket.io-client it replaces was configured websocket-first without `tryAllTransports`, so it never fell
 * back to polling either; a site behind a proxy that blocks WebSockets can pass socket.io-client's `io` as the
 * chat client's `io` option), binary packets, several namespaces on one connection, buffering emits while
 * disconnected (the chat client only emits when `connected` and resends from its outbox).
 *
 * Events: the server's events, `disconnect` (reason) and `connect_error` (an `Error` whose message is the
 * server's refusal code, or `websocket error`). `active` is false after a refusal or a server-side
 * disconnect, as in socket.io: then it is the caller's to reconnect.
 */
export function connectSocket(url: string, options: SocketOptions): ChatSocket {
  const { origin, pathname } = new URL(url);
  const namespace = pathname === '/' ? '' : `${pathname},`;
  const address = `${origin.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const WebSocketClass = options.WebSocket ?? (WebSocket as unknown as WebSocketConstructor);
  const firstDelay = options.reconnectionDelay ?? 1000;
  const listeners = new Map<string, Set<Listener>>();
  const acks = new Map<number, Listener>();
  let ws: WebSocketLike | null = null;
  let nextAck = 0;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatMs = 0;

  const fire = (event: string, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(event) ?? [])]) (listener as (...args: unknown[]) => void)(...args);
  };
  /** A socket.io packet of this namespace inside an engine.io message (`4`). */
  const packet = (type: number, data?: unknown, id?: number) => {
    if (ws?.readyState === 1)
      ws.send(`4${type}${namespace}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`);
  };

  // The browser knows the network is gone before any ping is missed: drop the link now, as socket.io-client
  // does, so the chat says "reconnecting" at once (a half-open WebSocket would only fail after the ping timeout).
  const offline = () => lost('transport close');
  const watchNetwork = (on: boolean) => {
    if (typeof addEventListener === 'function') (on ? addEventListener : removeEventListener)('offline', offline);
  };

  /** Drops the transport, its timers and unanswered acks (their senders time out on their own). */
  const close = () => {
    watchNetwork(false);
    clearTimeout(heartbeatTimer);
    const closing = ws;
    ws = null;
    self.connected = false;
    acks.clear();
    if (closing) {
      closing.onmessage = closing.onclose = closing.onerror = null;
      closing.close();
    }
  };

  /** The transport closed or failed: tell the listeners, then retry after a backoff while active. */
  const lost = (reason: string) => {
    const wasConnected = self.connected;
    close();
    if (wasConnected) fire('disconnect', reason);
    else fire('connect_error', new Error('websocket error'));
    if (!self.active) return;
    const delay = Math.min(firstDelay * 2 ** failures++, options.reconnectionDelayMax) * (0.5 + Math.random());
    retryTimer = setTimeout(() => self.active && !ws && open(), delay);
  };

  /** The server pings every `pingInterval`; silence for that plus `pingTimeout` means the link is dead. */
  const heartbeat = () => {
    clearTimeout(heartbeatTimer);
    if (heartbeatMs) heartbeatTimer = setTimeout(() => lost('ping timeout'), heartbeatMs);
  };

  const receive = (text: string) => {
    heartbeat();
    const kind = text[0];
    if (kind === '0') {
      const handshake = JSON.parse(text.slice(1)) as { pingInterval: number; pingTimeout: number };
      heartbeatMs = handshake.pingInterval + handshake.pingTimeout;
      heartbeat();
      options.auth((auth) => packet(0, auth));
    } else if (kind === '2') {
      ws?.send('3');
    } else if (kind === '1') {
      lost('transport close');
    } else if (kind === '4') {
      receivePacket(text.slice(1));
    }
  };

  const receivePacket = (text: string) => {
    // type, then `/namespace,` unless the main one, then the ack id, then JSON (binary packets are not used).
    const match = /^(\d)(?:(\/[^,]*),)?(\d*)([\s\S]*)$/.exec(text);
    if (!match || (match[2] ? `${match[2]},` : '') !== namespace) return;
    const [, type, , id, json] = match;
    const data = json ? (JSON.parse(json) as unknown) : undefined;
    if (type === '0') {
      failures = 0;
      self.connected = true;
      fire('connect');
    } else if (type === '1') {
      close();
      self.active = false;
      fire('disconnect', 'io server disconnect');
    } else if (type === '2' && Array.isArray(data)) {
      const [event, ...args] = data as [string, ...unknown[]];
      if (id) args.push((...reply: unknown[]) => packet(3, reply, Number(id)));
      fire(event, ...args);
    } else if (type === '3' && Array.isArray(data)) {
      const ack = acks.get(Number(id));
      acks.delete(Number(id));
      (ack as ((...args: unknown[]) => void) | undefined)?.(...data);
    } else if (type === '4') {
      close();
      self.active = false;
      const refusal = data as { message?: string; data?: unknown } | undefined;
      fire('connect_error', Object.assign(new Error(refusal?.message), { data: refusal?.data }));
    }
  };

  const open = () => {
    clearTimeout(retryTimer);
    heartbeatMs = 0;
    let socket: WebSocketLike;
    try {
      socket = new WebSocketClass(address);
    } catch {
      // No WebSocket here (a CSP without ws: in connect-src throws in some browsers): a failed attempt, retried.
      setTimeout(() => lost('transport error'));
      return;
    }
    ws = socket;
    watchNetwork(true);
    socket.onmessage = ({ data }) => {
      if (ws !== socket || typeof data !== 'string') return;
      try {
        receive(data);
      } catch {
        // A packet that does not parse is dropped, as socket.io-client does; the connection stays.
      }
    };
    socket.onclose = socket.onerror = () => ws === socket && lost('transport close');
  };

  const self = {
    connected: false,
    active: false,
    on(event: string, listener: Listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return self;
    },
    emit(event: string, ...args: unknown[]) {
      if (!self.connected) return self;
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Listener) : undefined;
      const id = ack ? nextAck++ : undefined;
      if (ack) acks.set(id!, ack);
      packet(2, [event, ...args], id);
      return self;
    },
    connect() {
      self.active = true;
      if (!ws) open();
      return self;
    },
    disconnect() {
      const wasConnected = self.connected;
      packet(1);
      self.active = false;
      clearTimeout(retryTimer);
      close();
      if (wasConnected) fire('disconnect', 'io client disconnect');
      return self;
    },
    removeAllListeners() {
      listeners.clear();
      return self;
    },
  };
  if (options.autoConnect) self.connect();
  return self;
}
