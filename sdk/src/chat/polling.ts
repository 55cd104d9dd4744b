/**
 * The long-polling fallback of the chat's socket, imported only when a WebSocket could not open (see
 * `socket.ts`), so the widget's chat chunk does not carry it. socket.io-client's `Node*` transports are the
 * ones it picks by itself: under Node the `ws` and `xmlhttprequest-ssl` ones, and in a browser build
 * engine.io-client's `browser` field maps them to the built-in WebSocket and XMLHttpRequest ones.
 */
export { NodeWebSocket as WebSocket, NodeXHR as XHR } from 'socket.io-client';
