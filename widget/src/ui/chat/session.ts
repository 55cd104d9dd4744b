import type { ChatClient, ChatState } from '@beckon/sdk/chat';
import { hasOngoingChat } from '../../shared/chat-storage.js';
import type { UiContext } from '../../shared/contract.js';
import { type ChatStrings, fill, loadStrings } from '../i18n/index.js';

/** What the chat view takes of `@beckon/sdk/chat`. */
export type ChatModule = Pick<
  typeof import('@beckon/sdk/chat'),
  'createChatClient' | 'emailPattern' | 'maxMessageLength'
>;

/**
 * The chat chunk, its exports taken by name: then the bundler hands them over as they are, not as a namespace
 * object of the chunk (which would need a copy of every export the polling chunk also imports from it).
 */
const importChat = (): Promise<ChatModule> =>
  import('@beckon/sdk/chat').then(({ createChatClient, emailPattern, maxMessageLength }) => ({
    createChatClient,
    emailPattern,
    maxMessageLength,
  }));

export interface SessionView {
  /** `null` while the chat code (socket.io, in its own chunk) and the words are loading. */
  chat: ChatModule | null;
  client: ChatClient | null;
  state: ChatState | null;
  strings: ChatStrings | null;
  /** The chat code could not be downloaded. */
  loadFailed: boolean;
}

export interface ChatSession {
  /** Loads the chat code on first use and connects. Never rejects. */
  start(): Promise<void>;
  view(): SessionView;
  subscribe(listener: () => void): () => void;
  /** The chat view is on screen (or not): while it is, new messages count as read. */
  setVisible(visible: boolean): void;
  /** The panel closed: the connection stays open only while a conversation is going on. */
  panelClosed(): void;
  /** An open conversation or unsent messages (asked before the chat code may have loaded). */
  ongoing(): boolean;
  /** `Beckon('language', …)`: the chat's words in another language (loaded if the chat is). */
  setLanguage(language: string): void;
}

/** The events a page can follow with `Beckon('on', event, handler)`, as the chat client names them. */
const pageEvents = ['message', 'typing', 'agent', 'availability'] as const;

/**
 * The widget's one chat connection, outliving the panel: it keeps running while the panel is closed so
 * a reply can show on the launcher's badge and in the tab title ("(1) New message — …").
 */
export function createChatSession(context: UiContext): ChatSession {
  const listeners = new Set<() => void>();
  let view: SessionView = { chat: null, client: null, state: null, strings: null, loadFailed: false };
  let loading: Promise<void> | undefined;
  let visible = false;
  let savedTitle: string | null = null;
  let shownTitle = '';
  let badged = 0;

  const notify = () => listeners.forEach((listener) => listener());
  const seeing = () => visible && document.visibilityState !== 'hidden';

  function showTitle(count: number, strings: ChatStrings) {
    // The page may have changed its title meanwhile (SPA navigation): that is the one to restore.
    if (document.title !== shownTitle) savedTitle = document.title;
    shownTitle = `(${count}) ${strings.newMessage} — ${savedTitle}`;
    if (document.title !== shownTitle) document.title = shownTitle;
  }

  function restoreTitle() {
    if (savedTitle !== null && document.title === shownTitle) document.title = savedTitle;
    savedTitle = null;
    shownTitle = '';
  }

  function update() {
    const { client, strings } = view;
    if (!client || !strings) return notify();
    if (seeing() && client.state.unread > 0) client.markRead();
    const state = client.state;
    view = { ...view, state };
    const unread = visible ? 0 : state.unread;
    if (unread !== badged) context.badge((badged = unread), fill(strings.unread, { n: unread }));
    if (state.unread > 0 && !seeing()) showTitle(state.unread, strings);
    else restoreTitle();
    notify();
  }

  function load() {
    return (loading ??= Promise.all([importChat(), loadStrings(context.config.widget.language)]).then(
      ([chat, strings]) => {
        const client = chat.createChatClient({
          endpoint: context.endpoint,
          site: context.config.siteKey,
          visitorId: context.core.visitorId,
          language: () => context.config.widget.language,
          onError: (error) => context.log('chat:', error),
        });
        for (const event of pageEvents) client.on(event, (payload) => context.emit(event, payload));
        // Over the socket while the chat is loaded: the trigger engine hears these like the collect answers.
        client.on('invitation', (invite) => context.core.emit('answer', { invite }));
        client.on('hot', ({ at }) => context.core.emit('answer', { hot: at }));
        client.on('change', update);
        view = { chat, client, state: client.state, strings, loadFailed: false };
        document.addEventListener('visibilitychange', update);
        update();
      },
      (error: unknown) => {
        loading = undefined;
        view = { ...view, loadFailed: true };
        context.log('chat could not load', error);
        notify();
      },
    ));
  }

  return {
    async start() {
      await load();
      view.client?.connect();
    },
    view: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setVisible(next) {
      visible = next;
      update();
    },
    setLanguage(language) {
      if (!view.strings) return; // not loaded yet: `load` reads the language from the config
      void loadStrings(language).then((strings) => {
        if (language !== context.config.widget.language) return; // another switch came after this one
        view = { ...view, strings };
        // The server sends the site's greeting and auto-reply in the language of the connection: reconnect
        // (queued messages wait and resend) so they follow. Not during a conversation: its greeting was read.
        const { client } = view;
        if (client && client.state.status !== 'idle' && client.state.conversation?.status !== 'open') {
          client.disconnect();
          client.connect();
        }
        update();
      });
    },
    panelClosed() {
      const { client } = view;
      if (client && !this.ongoing()) client.disconnect();
    },
    ongoing() {
      const state = view.client?.state;
      // Until the server has answered, what the last page stored is the best answer.
      if (!state?.settings) return hasOngoingChat(context.config.siteKey);
      return state.conversation?.status === 'open' || state.messages.some((entry) => entry.delivery === 'sending');
    },
  };
}
