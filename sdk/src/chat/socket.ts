import { io, type ManagerOptions, type SocketOptions as IoSocketOptions } from 'socket.io-client';
import type { ChatIoOptions, ChatSocket } from './client.js';

/** The chat client's options, and any of socket.io-client's (tests pass `extraHeaders` or a transport class). */
export type SocketOptions = Omit<ChatIoOptions, 'transports'> & Partial<ManagerOptions & IoSocketOptions>;

/**
 * The chat's socket: socket.io-client's own `io`, so the engine.io / socket.io protocol (handshake, acks,
 * pings, reconnection with backoff, dropping the link when the browser goes offline) is the well-kept
 * library's, not ours. The chat client asks for WebSocket first and HTTP long-polling only when a WebSocket
 * cannot open (`tryAllTransports`), so a visitor behind a proxy that blocks WebSockets still gets the chat.
 *
 * Polling is not tree-shaken: engine.io-client's `Socket` imports every transport, whatever `transports`
 * says (measured: `transports: [WebSocket]` bundles the XHR code just the same), so the chat chunk pays
 * for it either way and might as well use it.
 */
export const connectSocket = (url: string, options: SocketOptions): ChatSocket =>
  io(url, options as Partial<ManagerOptions & IoSocketOptions>) as unknown as ChatSocket;
