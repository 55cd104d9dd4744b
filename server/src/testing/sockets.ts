import { io as connect, type Socket } from 'socket.io-client';
import type {
  AgentClientToServer,
  AgentServerToClient,
  VisitorClientToServer,
  VisitorServerToClient,
} from '@beckon/sdk/protocol';
import { testAdmin } from './harness.js';

export type TestAgentSocket = Socket<AgentServerToClient, AgentClientToServer>;
export type TestVisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

let addresses = 0;
/** A new client address (198.18.0.0/15, for tests) for each visitor, as on the web: per-address limits apply to one visitor only. */
export const nextVisitorAddress = () => `198.18.${Math.floor(addresses / 250) % 250}.${(addresses++ % 250) + 1}`;

/** Real socket.io clients against a running test server, closed together at the end. */
export function socketClients(port: () => number) {
  const sockets: Socket[] = [];
  const origin = () => `http://localhost:${port()}`;

  async function login(email = testAdmin.email, password = testAdmin.password) {
    const response = await fetch(`${origin()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
    const me = (await response.json()) as {
      csrfToken: string;
      agent: { id: string; name: string };
      sites: { id: string; key: string }[];
    };
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { me, cookie, headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' } };
  }

  function agent(cookie: string, pageOrigin = origin()): TestAgentSocket {
    const headers: Record<string, string> = { origin: pageOrigin, ...(cookie ? { cookie } : {}) };
    const socket: TestAgentSocket = connect(`${origin()}/agent`, {
      transports: ['websocket'],
      extraHeaders: headers,
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  function visitor(
    auth: { site?: string; token?: string; visitorId?: string; url?: string; language?: string } = {},
    pageOrigin = origin(),
    transports: ('websocket' | 'polling')[] = ['websocket'],
    /** The visitor's address, sent as X-Forwarded-For (test servers trust the proxy). */
    address = nextVisitorAddress(),
    /** More handshake headers (a browser's `Accept-Language`). */
    headers: Record<string, string> = {},
  ): TestVisitorSocket {
    const socket: TestVisitorSocket = connect(`${origin()}/visitor`, {
      transports,
      auth: { site: 'demo', url: `${origin()}/demo/`, ...auth },
      extraHeaders: { origin: pageOrigin, 'x-forwarded-for': address, ...headers },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      if (socket.connected) return resolve();
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });

  /**
   * Resolves with the next payload of `event` (registered before the action that causes it) that passes
   * `where`: pushes caused by an earlier action may still be on their way on another connection.
   */
  const next = <T = unknown>(
    socket: Socket,
    event: string,
    where: (payload: T) => boolean = () => true,
    timeoutMs = 5000,
  ) =>
    new Promise<T>((resolve, reject) => {
      const listener = (payload: T) => {
        if (!where(payload)) return;
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        socket.off(event, listener);
        reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on(event, listener);
    });

  /** Every payload of `event` from now on. */
  const collect = <T = unknown>(socket: Socket, event: string) => {
    const seen: T[] = [];
    socket.on(event, (payload: T) => seen.push(payload));
    return seen;
  };

  const closeAll = () => sockets.splice(0).forEach((socket) => socket.close());
  return { origin, login, agent, visitor, connected, next, collect, closeAll };
}

/**
 * The agent socket shows (or stops showing) the site's Visitors page, as the dashboard does: its live rows and
 * pageviews come only then. Resolves with the server's answer.
 */
export const watchVisitors = (socket: TestAgentSocket, siteId: string, watching = true) =>
  socket.timeout(5000).emitWithAck('visitors:watch', { siteId, watching });
