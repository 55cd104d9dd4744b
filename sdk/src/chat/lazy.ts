import { createEmitter, type Handler } from '../core/emitter.js';
import type { Prechat } from '../protocol/chat.js';
import type { ChatClient, ChatClientOptions, ChatEvents } from './client.js';

/**
 * `beckon.chat`: the chat client behind a dynamic `import()`, so apps that never chat never download
 * socket.io. Listeners may be added before `open()`; they receive the client's events once it exists.
 */
export interface BeckonChat {
  /** Loads the chat code (first call only), connects, and resolves with the client. */
  open(): Promise<ChatClient>;
  /** Opens the chat if needed and sends a message; resolves with the stored message. */
  send(text: string, prechat?: Prechat): ReturnType<ChatClient['send']>;
  on<K extends keyof ChatEvents>(event: K, handler: Handler<ChatEvents[K]>): void;
  off<K extends keyof ChatEvents>(event: K, handler: Handler<ChatEvents[K]>): void;
  /** Disconnects (unsent messages stay queued); `open()` reconnects. */
  close(): void;
  /** The client once `open()` has loaded it, else `null`. */
  readonly client: ChatClient | null;
}

const forwarded: (keyof ChatEvents)[] = [
  'ready',
  'message',
  'typing',
  'agent',
  'status',
  'availability',
  'closed',
  'read',
  'change',
  'error',
];

export function lazyChat(options: ChatClientOptions, load = () => import('./client.js')): BeckonChat {
  const emitter = createEmitter<ChatEvents>(options.onError ?? (() => {}));
  let client: ChatClient | null = null;
  let loading: Promise<ChatClient> | undefined;

  const open = () =>
    (loading ??= load().then(
      ({ createChatClient }) => {
        client = createChatClient(options);
        for (const event of forwarded) client.on(event, (payload) => emitter.emit(event, payload as never));
        return client;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    )).then((loaded) => {
      loaded.connect();
      return loaded;
    });

  return {
    open,
    send: async (text, prechat) => (await open()).send(text, prechat),
    on: emitter.on,
    off: emitter.off,
    close: () => client?.disconnect(),
    get client() {
      return client;
    },
  };
}
