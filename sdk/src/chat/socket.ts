import { io, type ManagerOptions, type SocketOptions as IoSocketOptions, type Socket } from 'socket.io-client';
import type { ChatIoOptions, ChatSocket } from './client.js';

/** The chat client's options, and any of socket.io-client's (tests pass `extraHeaders` or a transport class). */
export type SocketOptions = Omit<ChatIoOptions, 'transports'> & Partial<ManagerOptions & IoSocketOptions>;

/** An engine.io transport that could not open (or a handshake that timed out), not a refusal by the server. */
const transportFailed = (error: Error) =>
  (error as Error & { type?: unknown }).type === 'TransportError' || error.message === 'timeout';

/**
 * The chat's socket: socket.io-client's own `io`, so the engine.io / socket.io protocol (handshake, acks,
 * pings, reconnection with backoff, dropping the link when the browser goes offline) is the well-kept
 * library's, not ours.
 *
 * Asked for `['websocket', 'polling']` (what the chat client asks for), it opens a WebSocket only, and
 * brings HTTP long-polling in when a WebSocket cannot open (a proxy that blocks them): the first transport
 * failure imports `polling.ts` and socket.io's next reconnection attempt tries WebSocket, then long-polling
 * (`tryAllTransports`). So the polling code is fetched only by the visitors who need it: the widget's build
 * leaves it out of the chat chunk (widget/vite.ui.config.ts, `websocketFirst`).
 */
export function connectSocket(url: string, options: SocketOptions): ChatSocket {
  const { transports } = options;
  const lazyPolling = transports?.length === 2 && transports[0] === 'websocket' && transports[1] === 'polling';
  const socket: Socket = io(url, {
    ...(options as Partial<ManagerOptions & IoSocketOptions>),
    ...(lazyPolling ? { transports: ['websocket'] } : {}),
  });
  if (lazyPolling) {
    let fallback: Promise<unknown> | undefined;
    socket.on('connect_error', (error) => {
      if (!transportFailed(error)) return;
      fallback ??= import('./polling.js').then(
        ({ WebSocket, XHR }) => {
          socket.io.opts.transports = [WebSocket, XHR];
        },
        // Not downloadable now (offline?): the next transport failure tries again.
        () => (fallback = undefined),
      );
    });
  }
  return socket as unknown as ChatSocket;
}
