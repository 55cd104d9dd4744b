import { io, type ManagerOptions, type SocketOptions as IoSocketOptions, type Socket } from 'socket.io-client';
import type { ChatIoOptions, ChatSocket } from './client.js';

/** The chat client's options, and any of socket.io-client's (tests pass `extraHeaders` or a transport class). */
export type SocketOptions = Omit<ChatIoOptions, 'transports'> & Partial<ManagerOptions & IoSocketOptions>;

/** What `fallBackToPolling` needs of a socket.io-client socket (typed by any build of its declarations). */
export interface PollingFallbackSocket {
  readonly io: {
    on(event: 'error', listener: (error: Error) => void): unknown;
    opts: { transports?: unknown; tryAllTransports?: boolean };
  };
}

/**
 * Brings HTTP long-polling in for a socket opened with `transports: ['websocket']`, once a WebSocket cannot
 * open (a proxy that blocks them, a WebSocket the browser refuses): the manager's first `error` (a transport
 * that failed or a handshake that timed out; a refusal by the server is a namespace's `connect_error`, not
 * one) imports `polling.ts`, and socket.io's next reconnection attempt tries WebSocket, then long-polling
 * (`tryAllTransports`). So the polling code is fetched only by those who need it: the widget's and the
 * dashboard's builds leave it out of their bundles (widget/vite.websocket-first.ts).
 */
export function fallBackToPolling(socket: PollingFallbackSocket): void {
  let fallback: Promise<unknown> | undefined;
  socket.io.on('error', () => {
    fallback ??= import('./polling.js').then(
      ({ WebSocket, XHR }) => {
        socket.io.opts.transports = [WebSocket, XHR];
        socket.io.opts.tryAllTransports = true;
      },
      // Not downloadable now (offline?): the next transport failure tries again.
      () => (fallback = undefined),
    );
  });
}

/**
 * The chat's socket: socket.io-client's own `io`, so the engine.io / socket.io protocol (handshake, acks,
 * pings, reconnection with backoff, dropping the link when the browser goes offline) is the well-kept
 * library's, not ours. Asked for `['websocket', 'polling']` (what the chat client asks for), it opens a
 * WebSocket, and long-polling joins only after a WebSocket failed (`fallBackToPolling`).
 */
export function connectSocket(url: string, options: SocketOptions): ChatSocket {
  const { transports } = options;
  const lazyPolling = transports?.length === 2 && transports[0] === 'websocket' && transports[1] === 'polling';
  const socket: Socket = io(url, {
    ...(options as Partial<ManagerOptions & IoSocketOptions>),
    ...(lazyPolling ? { transports: ['websocket'] } : {}),
  });
  if (lazyPolling) fallBackToPolling(socket);
  return socket as unknown as ChatSocket;
}
