import type {
  ChatAvailability,
  ChatMessage,
  ChatReady,
  ChatSettings,
  ConversationStatus,
  ConversationSummary,
  MessageAuthor,
  MessageSent,
  Prechat,
  VisitorClientToServer,
  VisitorServerToClient,
  maxMessageLength as protocolMaxLength,
} from '../protocol/chat.js';
import type { ErrorCode } from '../protocol/errors.js';
import type { VisitorInvitation } from '../protocol/triggers.js';
import { createEmitter, type Handler } from '../core/emitter.js';
import { randomId } from '../core/ids.js';
import {
  browserStorage,
  chatStorageKey,
  readStoredChat,
  type ChatStorage,
  type StoredChat,
  type StoredOutgoing,
} from './storage.js';
import { connectSocket } from './socket.js';

/** The protocol's limit, restated so no zod reaches the browser; the type breaks the build if they drift. */
export const maxMessageLength: typeof protocolMaxLength = 4000;

export type ChatStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';
/** Delivery of the visitor's own messages: `sent` once the server committed it, `read` once an agent read it. */
export type Delivery = 'sending' | 'sent' | 'read' | 'failed';

export interface ChatError {
  /** A protocol error code, or `timeout` (no answer in time) / `outbox_full` (too many unsent messages). */
  code: ErrorCode | 'timeout' | 'outbox_full';
  message: string;
  details?: unknown;
}

/** What `send`, `retry`, `leaveMessage` and `rate` reject with. */
export class ChatClientError extends Error {
  // `declare`: assigned in the constructor, so no class fields, which the widget's ES2020 build would turn
  // into a defineProperty helper (about 300 bytes gzipped in the chat chunk).
  declare readonly code: ChatError['code'];
  declare readonly details?: unknown;
  constructor(error: ChatError) {
    super(error.message);
    this.name = 'ChatClientError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** One line of the conversation as a chat UI renders it: committed messages and the visitor's unsent ones. */
export interface ChatEntry {
  /** Stable across the sending → sent transition, so a UI keeps the same element. */
  key: string;
  /** Server id; `null` while unsent. */
  id: string | null;
  clientId: string;
  conversationId: string | null;
  /** Order within the conversation; `null` while unsent. */
  seq: number | null;
  author: MessageAuthor;
  agent: { id: string; name: string } | null;
  text: string;
  createdAt: string;
  /** Set on the visitor's own messages. */
  delivery?: Delivery;
  /** Why a `failed` message was not sent. */
  error?: ChatError;
}

export interface ChatConversation {
  id: string;
  status: ConversationStatus;
  channel: 'chat' | 'offline';
  /** The agent answering (assigned, or the last one who wrote). */
  agent: { id: string; name: string } | null;
  csat: { rating: number; comment: string | null } | null;
  /** Visitor messages up to this seq have been read by an agent. */
  agentReadSeq: number;
  createdAt: string;
}

export interface ChatState {
  status: ChatStatus;
  /** Why `status` is `failed` (e.g. `origin_not_allowed`, `unknown_site`). */
  error: ChatError | null;
  /** `null` until the server first answered. */
  settings: ChatSettings | null;
  /** The server can email a transcript (`emailTranscript`). */
  emailAvailable: boolean;
  availability: ChatAvailability | null;
  /** The visitor's latest conversation (a closed one stays until the visitor writes again). */
  conversation: ChatConversation | null;
  /** Every conversation seen on this page, oldest first, each by seq; then the unsent messages. */
  messages: ChatEntry[];
  /** Name of the agent typing right now. */
  typing: string | null;
  /** Agent and system messages of the current conversation the visitor has not seen (see `markRead`). */
  unread: number;
}

export type ChatEvents = {
  /** The server answered a (re)connection: settings, availability, the conversation and its history. */
  ready: {
    settings: ChatSettings;
    availability: ChatAvailability;
    conversation: ChatConversation | null;
    messages: ChatMessage[];
  };
  /** A message new to this page (not the history loaded on the first connection), once, in seq order. */
  message: ChatMessage;
  typing: { conversationId: string; typing: boolean; agentName: string };
  /** The conversation was assigned to an agent (or unassigned: `agent: null`). */
  agent: { conversationId: string; agent: { id: string; name: string } | null };
  status: { status: ChatStatus; error?: ChatError };
  availability: ChatAvailability;
  /** An agent closed the conversation: time to offer a rating. */
  closed: { conversationId: string };
  /** An agent has read the visitor's messages up to `seq`. */
  read: { conversationId: string; seq: number };
  /** Anything in `state` changed (batched per microtask). */
  change: ChatState;
  /** The server reported a problem (e.g. `rate_limited` for typing). */
  error: ChatError;
  /** An agent invites the visitor to chat (the widget's trigger engine shows it). */
  invitation: VisitorInvitation;
  /** The visitor's temperature became hot (ms since the epoch). */
  hot: { at: number };
};

/** The part of a socket.io client socket this module uses (a fake one in tests). */
export interface ChatSocket {
  readonly connected: boolean;
  /** False after the server refused the connection or `disconnect()`: socket.io will not reconnect by itself. */
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

export interface ChatIoOptions {
  auth: (callback: (auth: Record<string, string>) => void) => void;
  transports: string[];
  /** socket.io-client: try the next transport when one cannot open. */
  tryAllTransports: boolean;
  /**
   * engine.io: no probing for a WebSocket beside a working long-polling connection. Long-polling is what a visitor
   * whose WebSocket failed ends on; each reconnection tries WebSocket first again. (The widget's build leaves the
   * probing code out: widget/vite.unused-options.ts.)
   */
  upgrade: false;
  autoConnect: boolean;
  forceNew: boolean;
  reconnectionDelayMax: number;
}
export type ChatIo = (url: string, options: ChatIoOptions) => ChatSocket;

/** What the chat client asks of socket.io besides its `auth` (the socket tests open it the same way). */
export const chatSocketOptions: Readonly<Omit<ChatIoOptions, 'auth'>> = {
  // WebSocket first; long-polling only when a WebSocket cannot open (a proxy that blocks them).
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  upgrade: false,
  autoConnect: false,
  forceNew: true,
  reconnectionDelayMax: 10_000,
};

export interface ChatClientOptions {
  /** Origin of the Beckon server, e.g. `https://beckon.example.com`. */
  endpoint: string;
  /** The site's public key. */
  site: string;
  /** Where the visitor token and unsent messages are kept (default `localStorage`; `null`: memory only). */
  storage?: ChatStorage | null;
  /** The behaviour stream's visitor id, so agents see the pages this visitor viewed. */
  visitorId?: string;
  /** The page the chat runs on, sent on each connection (default `location.href`). */
  url?: () => string | undefined;
  /** The widget's language (`lv`), sent on each connection: the site's greeting and auto-reply come in it. */
  language?: () => string | undefined;
  /**
   * Opens the socket (default: `connectSocket`, socket.io-client WebSocket first with a long-polling fallback);
   * tests pass a fake.
   */
  io?: ChatIo;
  /** How long to wait for the server to acknowledge an event (default 10 s). */
  ackTimeoutMs?: number;
  /** Sends of one message before it is marked failed (default 3). */
  maxAttempts?: number;
  /** Unsent messages kept at most (default 50). */
  maxOutbox?: number;
  /** Called with internal errors (the widget routes these to its debug logger). */
  onError?: (error: unknown) => void;
}

export interface ChatClient {
  /** A snapshot; a new object after every change. */
  readonly state: ChatState;
  /** Connects (or reconnects after `disconnect`). `send` connects by itself. */
  connect(): void;
  /** Closes the connection; unsent messages stay queued for the next `connect`. */
  disconnect(): void;
  /**
   * Queues a message (trimmed, 1–4000 characters) and sends it as soon as the server is reachable,
   * again after every reconnect and page load until acknowledged, always with the same client id so
   * it is stored once. Resolves with the stored message; rejects once it is marked failed.
   * `prechat` answers go with the first message of a conversation.
   */
  send(text: string, prechat?: Prechat): Promise<ChatMessage>;
  /** Sends a failed message again (same client id). */
  retry(clientId: string): Promise<ChatMessage>;
  /** Drops a failed message. */
  discard(clientId: string): void;
  /** "Leave a message" while no agent is available; becomes a conversation the agents see. */
  leaveMessage(message: { email: string; name?: string; text: string }): Promise<{ conversationId: string }>;
  /** Rates a closed conversation (the current one by default), 1–5 with an optional comment. */
  rate(rating: number, comment?: string, conversationId?: string): Promise<void>;
  /** Emails the conversation (open or last) to the visitor; resolves once the mail server took it. */
  emailTranscript(email: string): Promise<void>;
  /** The visitor has seen the conversation: clears `unread` and tells the agents. */
  markRead(): void;
  /** Call with the composer's text on every input ('' once cleared); throttled, previews only if the site allows. */
  setTyping(draft: string): void;
  on<K extends keyof ChatEvents>(event: K, handler: Handler<ChatEvents[K]>): void;
  off<K extends keyof ChatEvents>(event: K, handler: Handler<ChatEvents[K]>): void;
  /**
   * Answers an agent's invitation: the server opens a conversation assigned to that agent, starting with
   * their message (which joins the state); the visitor's next `send` goes into it.
   */
  acceptInvitation(invitationId: string): Promise<{ conversationId: string }>;
  /** Disconnects and stops listening for good. */
  destroy(): void;
}

interface Outgoing extends StoredOutgoing {
  state: 'sending' | 'failed';
  attempts: number;
  error?: ChatError;
}

interface Conversation extends ChatConversation {
  messages: Map<number, ChatMessage>;
  /**
   * Every message of the conversation up to this seq is known (or never meant for the visitor: an agent's
   * internal note takes a seq too). Reached by consecutive seqs, or by the server's word: a history or a
   * resync answer lists everything after the seq it was asked from.
   */
  settledSeq: number;
  /** New messages above a gap, held back so `message` events keep seq order until the gap is filled. */
  held: Map<number, ChatMessage>;
}

type Reply<T> = ({ ok: true } & T) | { ok: false; error: ChatError };

const permanentConnectErrors = new Set(['origin_not_allowed', 'unknown_site', 'validation_failed']);
const retryableCodes = new Set<ChatError['code']>(['timeout', 'rate_limited', 'unavailable', 'internal']);
const typingThrottleMs = 300;
const typingKeepAliveMs = 3000;
const typingIdleMs = 5000;
const agentTypingTimeoutMs = 8000;
const outboxMaxAgeMs = 24 * 60 * 60 * 1000;
/** Resyncs in a row that may chase a gap before held messages are released anyway (none is ever withheld for good). */
const maxGapRounds = 5;

const defaultUrl = () => (typeof location === 'undefined' ? undefined : location.href);
const validation = (message: string): ChatError => ({ code: 'validation_failed', message });
/** The server's rule for email addresses (zod's), so a message is never refused for its pre-chat email. */
export const emailPattern =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * The visitor side of Beckon's live chat over socket.io (`/visitor`), shared by the widget and by sites
 * that build their own chat UI. Nothing is lost or shown twice: unsent messages wait in an outbox (kept
 * across reloads) and are resent with the same client id until acknowledged; every message is merged by
 * conversation and seq, so echoes, replays and resyncs never duplicate; after every (re)connection the
 * client asks for everything after the last seq it has.
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const storage = options.storage === undefined ? browserStorage() : options.storage;
  const storageKey = chatStorageKey(options.site);
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const maxOutbox = options.maxOutbox ?? 50;
  const onError = options.onError ?? (() => {});
  const pageUrl = options.url ?? defaultUrl;
  const emitter = createEmitter<ChatEvents>(onError);

  const stored = readStoredChat(storage, storageKey);
  let token = stored?.token;
  // Storage is written only once the server has answered an opened chat (`chat:ready`).
  let persistEnabled = false;

  let socket: ChatSocket | null = null;
  let status: ChatStatus = 'idle';
  let failure: ChatError | null = null;
  let ready = false;
  let everReady = false;
  let stopped = false;
  let settings: ChatSettings | null = null;
  let emailAvailable = false;
  let availability: ChatAvailability | null = null;
  let typingAgent: string | null = null;

  const conversations = new Map<string, Conversation>();
  /** Conversations with a resync running on the current connection, each with its run's number. */
  const syncing = new Map<string, number>();
  let syncRuns = 0;
  const readSeqs = new Map<string, number>();
  const readSent = new Map<string, number>();
  /** Client ids of every visitor message known to be stored. */
  const committed = new Set<string>();
  const discarded = new Set<string>();
  /** Client ids of messages left with `leaveMessage`: their conversation is an offline one. */
  const offlineIds = new Set<string>();
  const cutoff = Date.now() - outboxMaxAgeMs;
  const outbox: Outgoing[] = (stored?.outbox ?? [])
    .filter((item) => item && typeof item.text === 'string' && Date.parse(item.createdAt) > cutoff)
    .map((item) => ({ ...item, state: 'sending', attempts: 0 }));
  const waiters = new Map<string, { resolve: (message: ChatMessage) => void; reject: (error: Error) => void }[]>();
  const readyWaiters = new Set<() => void>();

  let sending: Outgoing | null = null;
  let attemptId = 0;
  let pumpTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectFailures = 0;
  let gapTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests waiting for an ack: a dropped connection answers them at once (their acks will never come). */
  const inFlight = new Set<() => void>();
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSent = false;
  let lastTypingAt = 0;
  let typingDraft = '';
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingIdleTimer: ReturnType<typeof setTimeout> | undefined;

  // ---- state and change notification ----

  let snapshot: ChatState | null = null;
  let changeQueued = false;
  function changed() {
    snapshot = null;
    if (changeQueued) return;
    changeQueued = true;
    queueMicrotask(() => {
      changeQueued = false;
      if (!stopped) emitter.emit('change', getState());
    });
  }

  const sortedConversations = () => [...conversations.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const current = (): Conversation | undefined => sortedConversations().at(-1);
  const lastSeq = (conversation: Conversation) => Math.max(0, ...conversation.messages.keys());
  const publicConversation = (conversation: Conversation | undefined): ChatConversation | null => {
    if (!conversation) return null;
    const { messages: _messages, settledSeq: _settled, held: _held, ...rest } = conversation;
    return { ...rest };
  };

  function getState(): ChatState {
    if (snapshot) return snapshot;
    const messages: ChatEntry[] = [];
    for (const conversation of sortedConversations()) {
      for (const message of [...conversation.messages.values()].sort((a, b) => a.seq - b.seq)) {
        const visitor = message.author === 'visitor';
        messages.push({
          key: visitor ? `v:${message.clientId}` : message.id,
          id: message.id,
          clientId: message.clientId,
          conversationId: message.conversationId,
          seq: message.seq,
          author: message.author,
          agent: message.agent,
          text: message.text,
          createdAt: message.createdAt,
          ...(visitor ? { delivery: message.seq <= conversation.agentReadSeq ? 'read' : 'sent' } : {}),
        });
      }
    }
    for (const item of outbox) {
      messages.push({
        key: `v:${item.clientId}`,
        id: null,
        clientId: item.clientId,
        conversationId: null,
        seq: null,
        author: 'visitor',
        agent: null,
        text: item.text,
        createdAt: item.createdAt,
        delivery: item.state,
        ...(item.error ? { error: item.error } : {}),
      });
    }
    const latest = current();
    const readSeq = latest ? (readSeqs.get(latest.id) ?? 0) : 0;
    const unread = latest
      ? [...latest.messages.values()].filter((m) => m.author !== 'visitor' && m.seq > readSeq).length
      : 0;
    snapshot = {
      status,
      error: failure,
      settings,
      emailAvailable,
      availability,
      conversation: publicConversation(latest),
      messages,
      typing: typingAgent,
      unread,
    };
    return snapshot;
  }

  function setStatus(next: ChatStatus, error?: ChatError) {
    failure = next === 'failed' ? (error ?? null) : null;
    if (next === 'failed') {
      // Whoever waits for the server need not wait for a timeout.
      readyWaiters.forEach((resolve) => resolve());
      readyWaiters.clear();
    }
    if (status === next) return;
    status = next;
    changed();
    emitter.emit('status', error ? { status: next, error } : { status: next });
  }

  // ---- storage ----

  function persist() {
    if (!persistEnabled || !storage || !token) return;
    try {
      const latest = current();
      // Another tab may have queued messages since this one loaded: keep those it has not seen stored.
      const mine = new Set(outbox.map((item) => item.clientId));
      const others = (readStoredChat(storage, storageKey)?.outbox ?? []).filter(
        (item) => !mine.has(item.clientId) && !committed.has(item.clientId) && !discarded.has(item.clientId),
      );
      const value: StoredChat = {
        v: 1,
        token,
        ...(latest
          ? { conversationId: latest.id, open: latest.status === 'open', readSeq: readSeqs.get(latest.id) ?? 0 }
          : {}),
      };
      const queued = [
        ...others,
        ...outbox.map(({ clientId, text, prechat, createdAt }) => ({
          clientId,
          text,
          createdAt,
          ...(prechat ? { prechat } : {}),
        })),
      ];
      if (queued.length) value.outbox = queued.slice(-maxOutbox);
      storage.setItem(storageKey, JSON.stringify(value));
    } catch (error) {
      onError(error);
    }
  }

  // Another tab marked the conversation read: so has this one.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== storageKey || !event.newValue) return;
    const other = readStoredChat({ getItem: () => event.newValue, setItem() {}, removeItem() {} }, storageKey);
    if (!other?.conversationId || other.readSeq === undefined) return;
    if (other.readSeq > (readSeqs.get(other.conversationId) ?? 0)) {
      readSeqs.set(other.conversationId, other.readSeq);
      readSent.set(other.conversationId, Math.max(readSent.get(other.conversationId) ?? 0, other.readSeq));
      changed();
    }
  };
  if (typeof addEventListener === 'function' && storage) addEventListener('storage', onStorage);

  // Back from a network outage (a phone leaving a tunnel): reconnect now, not at the end of socket.io's
  // backoff (up to 10 s), so what waits in the outbox goes out at once.
  const onOnline = () => {
    if (stopped || !socket || socket.connected || (status !== 'reconnecting' && status !== 'connecting')) return;
    clearTimeout(reconnectTimer);
    // Not connected, so this stops the pending attempt without a `disconnect` event; `connect` starts afresh.
    socket.disconnect();
    socket.connect();
  };
  if (typeof addEventListener === 'function') addEventListener('online', onOnline);

  // ---- merging what the server says ----

  function ensureConversation(id: string, createdAt: string): Conversation {
    let conversation = conversations.get(id);
    if (!conversation) {
      conversation = {
        id,
        status: 'open',
        channel: 'chat',
        agent: null,
        csat: null,
        agentReadSeq: 0,
        createdAt,
        messages: new Map(),
        settledSeq: 0,
        held: new Map(),
      };
      conversations.set(id, conversation);
    }
    return conversation;
  }

  function applySummary(summary: ConversationSummary) {
    const conversation = ensureConversation(summary.id, summary.createdAt);
    conversation.createdAt = summary.createdAt;
    conversation.status = summary.status;
    conversation.channel = summary.channel;
    conversation.csat = summary.csat;
    if (summary.assignee) conversation.agent = summary.assignee;
    // Read receipts survive a reload; never step back behind a live `message:read` already applied.
    if (typeof summary.agentReadSeq === 'number' && summary.agentReadSeq > conversation.agentReadSeq) {
      conversation.agentReadSeq = summary.agentReadSeq;
    }
    return conversation;
  }

  /**
   * Adds a server message once (by conversation and seq); settles the outbox entry with its client id,
   * whatever state it is in (a message marked failed that the server did store turns sent). A `live`
   * message is announced as a `message` event once every message before it is known.
   */
  function merge(message: ChatMessage, live: boolean): boolean {
    if (!message || message.internal || typeof message.seq !== 'number') return false;
    const isNew = !conversations.has(message.conversationId);
    const conversation = ensureConversation(message.conversationId, message.createdAt);
    if (conversation.messages.has(message.seq)) return false;
    conversation.messages.set(message.seq, message);
    if (isNew) persist();
    if (message.author === 'visitor') {
      committed.add(message.clientId);
      if (offlineIds.has(message.clientId)) conversation.channel = 'offline';
      const index = outbox.findIndex((item) => item.clientId === message.clientId);
      if (index >= 0) {
        outbox.splice(index, 1);
        persist();
      }
      waiters.get(message.clientId)?.forEach((waiter) => waiter.resolve(message));
      waiters.delete(message.clientId);
    }
    if (message.author === 'agent' && message.agent) {
      conversation.agent ??= message.agent;
      if (typingAgent) {
        typingAgent = null;
        clearTimeout(agentTypingTimer);
      }
    }
    changed();
    if (live) conversation.held.set(message.seq, message);
    release(conversation);
    return true;
  }

  /**
   * Moves `settledSeq` on (to `completeTo` at least, when the server listed everything up to it) and
   * emits the held messages it reached, in seq order. Messages still above a gap wait for a resync:
   * relays, acks and resync answers can arrive in any order, the app's `message` events cannot.
   */
  function release(conversation: Conversation, completeTo = 0) {
    let settled = Math.max(conversation.settledSeq, completeTo);
    while (conversation.messages.has(settled + 1)) settled++;
    conversation.settledSeq = settled;
    emitHeld(conversation, settled);
    if (conversation.held.size > 0 && ready && !syncing.has(conversation.id)) void resync(conversation);
  }

  function retryGapsSoon() {
    if (gapTimer) return;
    gapTimer = setTimeout(() => {
      gapTimer = undefined;
      if (ready)
        for (const conversation of conversations.values()) if (conversation.held.size > 0) release(conversation);
    }, 2000);
  }

  function emitHeld(conversation: Conversation, upTo: number) {
    const due = [...conversation.held.keys()].filter((seq) => seq <= upTo).sort((a, b) => a - b);
    for (const seq of due) {
      const message = conversation.held.get(seq)!;
      conversation.held.delete(seq);
      emitter.emit('message', message);
    }
  }

  // ---- the connection ----

  function connect() {
    if (stopped) return;
    clearTimeout(reconnectTimer);
    if (socket) {
      if (!socket.connected && !socket.active) {
        setStatus(everReady ? 'reconnecting' : 'connecting');
        socket.connect();
      }
      return;
    }
    const io: ChatIo = options.io ?? connectSocket;
    socket = io(`${endpoint}/visitor`, {
      // A function, so every reconnection sends the token issued meanwhile and the current page.
      auth: (callback) => {
        const url = pageUrl()?.slice(0, 2048);
        const language = options.language?.()?.slice(0, 35);
        callback({
          site: options.site,
          ...(token ? { token } : {}),
          ...(url ? { url } : {}),
          ...(options.visitorId ? { visitorId: options.visitorId } : {}),
          ...(language ? { language } : {}),
        });
      },
      ...chatSocketOptions,
    });
    listen(socket);
    setStatus('connecting');
    socket.connect();
  }

  const on = <E extends keyof VisitorServerToClient>(
    target: ChatSocket,
    event: E,
    listener: VisitorServerToClient[E],
  ) =>
    target.on(event, (...args: never[]) => {
      try {
        (listener as (...args: never[]) => void)(...args);
      } catch (error) {
        onError(error);
      }
    });

  function listen(target: ChatSocket) {
    on(target, 'chat:ready', onReady);
    on(target, 'message:new', (message) => merge(message, true));
    on(target, 'agent:typing', (event) => {
      clearTimeout(agentTypingTimer);
      typingAgent = event.typing ? event.agentName : null;
      // A lost "stopped typing" must not leave the dots forever.
      if (event.typing) agentTypingTimer = setTimeout(() => ((typingAgent = null), changed()), agentTypingTimeoutMs);
      changed();
      emitter.emit('typing', event);
    });
    on(target, 'message:read', ({ conversationId, seq }) => {
      const conversation = conversations.get(conversationId);
      if (conversation && seq > conversation.agentReadSeq) {
        conversation.agentReadSeq = seq;
        changed();
      }
      emitter.emit('read', { conversationId, seq });
    });
    on(target, 'conversation:assigned', ({ conversationId, agent }) => {
      const conversation = conversations.get(conversationId);
      if (conversation) {
        conversation.agent = agent;
        changed();
      }
      emitter.emit('agent', { conversationId, agent });
    });
    on(target, 'conversation:closed', ({ conversationId }) => {
      const conversation = conversations.get(conversationId);
      if (conversation) {
        conversation.status = 'closed';
        typingAgent = null;
        changed();
        persist();
      }
      emitter.emit('closed', { conversationId });
    });
    on(target, 'chat:availability', (next) => {
      availability = { available: next.available, reason: next.reason };
      changed();
      emitter.emit('availability', availability);
    });
    on(target, 'invitation:new', (invitation) => emitter.emit('invitation', invitation));
    on(target, 'visitor:hot', (hot) => emitter.emit('hot', hot));
    on(target, 'error', (error) => emitter.emit('error', error));
    target.on('disconnect', () => onDisconnect());
    target.on('connect_error', (error: Error) => onConnectError(error));
  }

  function onReady(event: ChatReady) {
    // A connection restored by socket.io's state recovery may come without a token: keep the one we have.
    if (typeof event.token === 'string' && event.token) token = event.token;
    settings = event.settings;
    emailAvailable = event.emailAvailable === true;
    availability = { available: event.available, reason: event.reason };
    const first = !everReady;
    if (event.conversation) {
      const conversation = applySummary(event.conversation);
      if (!readSeqs.has(conversation.id)) {
        // Across page loads the stored marker says what was seen; without one, history counts as seen.
        const seen =
          stored?.conversationId === conversation.id && typeof stored.readSeq === 'number'
            ? stored.readSeq
            : first
              ? Math.max(0, ...event.messages.map((message) => message.seq))
              : 0;
        readSeqs.set(conversation.id, seen);
        readSent.set(conversation.id, seen);
      }
    }
    for (const message of event.messages ?? []) merge(message, !first);
    // The history lists the conversation from its start: complete up to its last message.
    const history = event.conversation && conversations.get(event.conversation.id);
    if (history)
      release(
        history,
        Math.max(
          0,
          ...(event.messages ?? [])
            .filter((message) => message.conversationId === history.id)
            .map((message) => message.seq),
        ),
      );
    everReady = true;
    ready = true;
    reconnectFailures = 0;
    persistEnabled = true;
    persist();
    setStatus('connected');
    changed();
    emitter.emit('ready', {
      settings: event.settings,
      availability,
      conversation: publicConversation(event.conversation ? conversations.get(event.conversation.id) : undefined),
      messages: event.messages ?? [],
    });
    readyWaiters.forEach((resolve) => resolve());
    readyWaiters.clear();
    const connection = socket;
    void resyncAll().finally(() => {
      if (socket !== connection || !ready) return;
      // What the history and the resync did not find stored, and failed only for want of an answer
      // (the connection was dying), goes again: same client id, so it is stored once whatever happened.
      for (const item of outbox) {
        if (item.state === 'failed' && item.error?.code === 'timeout') {
          item.state = 'sending';
          item.attempts = 0;
          delete item.error;
          changed();
        }
      }
      sendRead();
      pump();
    });
  }

  function onDisconnect() {
    ready = false;
    inFlight.forEach((giveUp) => giveUp());
    // Resyncs of the lost connection end on their own; the next connection starts its own at once.
    syncing.clear();
    typingSent = false;
    if (typingAgent) typingAgent = null;
    // The answer to an interrupted send will never come: it does not count as an attempt.
    if (sending) sending.attempts = Math.max(0, sending.attempts - 1);
    sending = null;
    attemptId++;
    clearTimeout(pumpTimer);
    if (stopped || status === 'idle') return;
    setStatus('reconnecting');
    changed();
    if (socket && !socket.active) scheduleReconnect();
  }

  function onConnectError(error: Error) {
    const code = error?.message;
    if (code === 'validation_failed' && token) {
      // A damaged stored token must not lock the visitor out: start afresh.
      token = undefined;
      scheduleReconnect(0);
      return;
    }
    if (permanentConnectErrors.has(code)) {
      const reason: ChatError = { code: code as ErrorCode, message: `The chat refused the connection: ${code}` };
      setStatus('failed', reason);
      for (const item of outbox) if (item.state === 'sending') fail(item, reason);
      return;
    }
    setStatus(everReady ? 'reconnecting' : 'connecting');
    // socket.io retries transport errors itself; a refusal by the server (e.g. `unavailable`) is ours to retry.
    if (socket && !socket.active) scheduleReconnect();
  }

  function scheduleReconnect(delay?: number) {
    clearTimeout(reconnectTimer);
    const wait = delay ?? Math.min(30_000, 1000 * 2 ** reconnectFailures++) * (0.75 + Math.random() / 2);
    reconnectTimer = setTimeout(() => {
      if (!stopped && socket && !socket.connected && status !== 'idle') socket.connect();
    }, wait);
  }

  /** Emits with an ack; `late` hears an answer that arrives after the timeout resolved the promise. */
  function request<E extends keyof VisitorClientToServer, T>(
    event: E,
    payload: Parameters<VisitorClientToServer[E]>[0],
    late?: (reply: Reply<T>) => void,
  ): Promise<Reply<T>> {
    return new Promise((resolve) => {
      if (!socket?.connected) return resolve({ ok: false, error: { code: 'timeout', message: 'Not connected' } });
      let timedOut = false;
      const giveUp = (message: string) => {
        clearTimeout(timer);
        inFlight.delete(disconnected);
        timedOut = true;
        resolve({ ok: false, error: { code: 'timeout', message } });
      };
      const disconnected = () => giveUp(`Disconnected before the answer to ${event}`);
      const timer = setTimeout(() => giveUp(`No answer to ${event}`), ackTimeoutMs);
      inFlight.add(disconnected);
      socket.emit(event, payload, (reply: Reply<T>) => {
        clearTimeout(timer);
        inFlight.delete(disconnected);
        const answer: Reply<T> =
          reply && typeof reply === 'object'
            ? reply
            : { ok: false, error: { code: 'internal', message: 'Bad answer' } };
        if (!timedOut) resolve(answer);
        else if (!stopped) late?.(answer);
      });
    });
  }

  const whenReady = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (ready) return resolve(true);
      connect();
      const done = () => {
        clearTimeout(timer);
        readyWaiters.delete(done);
        resolve(ready);
      };
      const timer = setTimeout(done, timeoutMs);
      readyWaiters.add(done);
    });

  /** After a (re)connection: the current conversation, and any other one with messages held above a gap. */
  async function resyncAll() {
    const latest = current();
    const gapped = [...conversations.values()].filter(
      (conversation) => conversation !== latest && conversation.held.size > 0,
    );
    for (const conversation of latest ? [latest, ...gapped] : gapped) await resync(conversation);
  }

  /**
   * Asks for everything after the seq up to which the conversation is known, page by page. An answer
   * lists every message after that seq, so it settles the conversation up to its last message; messages
   * still held above a gap afterwards (relayed while the answer was on its way) take another round.
   */
  async function resync(conversation: Conversation, round = 1): Promise<void> {
    if (syncing.has(conversation.id)) return;
    const run = ++syncRuns;
    syncing.set(conversation.id, run);
    let answered = false;
    try {
      for (let page = 0; page < 50; page++) {
        const afterSeq = conversation.settledSeq;
        const reply = await request<'messages:since', { messages: ChatMessage[] }>('messages:since', {
          conversationId: conversation.id,
          afterSeq,
        });
        if (!reply.ok) {
          // Messages held above a gap are not left waiting for the next reconnect: try again soon.
          if (conversation.held.size > 0) retryGapsSoon();
          return onError(new ChatClientError(reply.error));
        }
        answered = true;
        reply.messages.forEach((message) => merge(message, true));
        release(conversation, Math.max(afterSeq, ...reply.messages.map((message) => message.seq)));
        if (reply.messages.length === 0 || conversation.settledSeq === afterSeq) break;
      }
    } finally {
      if (syncing.get(conversation.id) === run) syncing.delete(conversation.id);
    }
    if (!answered || conversation.held.size === 0) return;
    if (round < maxGapRounds && ready) return resync(conversation, round + 1);
    // The server keeps answering without the missing seqs: announce what is held rather than withhold it.
    emitHeld(conversation, Number.POSITIVE_INFINITY);
  }

  // ---- the outbox ----

  function fail(item: Outgoing, error: ChatError) {
    item.state = 'failed';
    item.error = error;
    changed();
    const pending = waiters.get(item.clientId);
    waiters.delete(item.clientId);
    pending?.forEach((waiter) => waiter.reject(new ChatClientError(error)));
  }

  /** Sends the oldest unsent message, one at a time so the server stores them in the order written. */
  function pump() {
    if (!ready || sending || !socket?.connected) return;
    const item = outbox.find((entry) => entry.state === 'sending');
    if (!item) return;
    clearTimeout(pumpTimer);
    sending = item;
    item.attempts++;
    const attempt = ++attemptId;
    const payload = { clientId: item.clientId, text: item.text, ...(item.prechat ? { prechat: item.prechat } : {}) };
    // An answer is the truth about the message whenever it comes: after its timeout, after a retry
    // went out, after the message was marked failed (it then turns sent).
    const stored = (reply: Reply<MessageSent>) => {
      if (!reply.ok) return;
      merge(reply.message, true);
      if (reply.autoReply) merge(reply.autoReply, true);
    };
    void request<'message:send', MessageSent>('message:send', payload, stored).then((reply) => {
      stored(reply);
      if (attempt !== attemptId) return;
      sending = null;
      if (reply.ok || !outbox.includes(item)) return pump();
      const { error } = reply;
      if (!retryableCodes.has(error.code)) {
        fail(item, error);
        return pump();
      }
      if (error.code === 'rate_limited') item.attempts--;
      if (item.attempts >= maxAttempts) {
        fail(item, error);
        return pump();
      }
      const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      pumpTimer = setTimeout(pump, retryAfter ? retryAfter * 1000 : 1000 * 2 ** (item.attempts - 1));
    });
  }

  function waitFor(clientId: string) {
    return new Promise<ChatMessage>((resolve, reject) => {
      const list = waiters.get(clientId) ?? [];
      list.push({ resolve, reject });
      waiters.set(clientId, list);
    });
  }

  function send(text: string, prechat?: Prechat): Promise<ChatMessage> {
    const trimmed = typeof text === 'string' ? text.trim() : '';
    if (!trimmed) return Promise.reject(new ChatClientError(validation('A message needs some text')));
    if (trimmed.length > maxMessageLength) {
      return Promise.reject(new ChatClientError(validation(`A message has at most ${maxMessageLength} characters`)));
    }
    if (outbox.length >= maxOutbox) {
      return Promise.reject(
        new ChatClientError({ code: 'outbox_full', message: 'Too many messages are waiting to be sent' }),
      );
    }
    const item: Outgoing = {
      clientId: randomId(),
      text: trimmed,
      createdAt: new Date().toISOString(),
      state: 'sending',
      attempts: 0,
    };
    const answers = prechat && cleanPrechat(prechat);
    if (answers) item.prechat = answers;
    outbox.push(item);
    const promise = waitFor(item.clientId);
    stopTyping();
    persist();
    changed();
    if (status === 'failed' && failure) fail(item, failure);
    else {
      connect();
      pump();
    }
    return promise;
  }

  async function acceptInvitation(invitationId: string): Promise<{ conversationId: string }> {
    if (!(await whenReady(ackTimeoutMs))) throw new ChatClientError({ code: 'timeout', message: 'Not connected' });
    const reply = await request<'invitation:accept', { conversationId: string; messages: ChatMessage[] }>(
      'invitation:accept',
      { invitationId },
    );
    if (!reply.ok) throw new ChatClientError(reply.error);
    reply.messages.forEach((message) => merge(message, true));
    const conversation = conversations.get(reply.conversationId);
    if (conversation) conversation.status = 'open';
    persist();
    changed();
    return { conversationId: reply.conversationId };
  }

  function retry(clientId: string): Promise<ChatMessage> {
    const item = outbox.find((entry) => entry.clientId === clientId);
    if (!item)
      return Promise.reject(
        new ChatClientError({ code: 'not_found', message: 'No unsent message with this client id' }),
      );
    const promise = waitFor(clientId);
    if (item.state === 'failed') {
      item.state = 'sending';
      item.attempts = 0;
      delete item.error;
      changed();
    }
    if (status === 'failed') {
      failure = null;
      status = 'idle';
      socket?.disconnect();
    }
    connect();
    pump();
    return promise;
  }

  function discard(clientId: string) {
    const index = outbox.findIndex((entry) => entry.clientId === clientId && entry.state === 'failed');
    if (index < 0) return;
    outbox.splice(index, 1);
    discarded.add(clientId);
    persist();
    changed();
  }

  // ---- the rest of the protocol ----

  async function leaveMessage(message: { email: string; name?: string; text: string }) {
    const text = typeof message?.text === 'string' ? message.text.trim() : '';
    const email = typeof message?.email === 'string' ? message.email.trim() : '';
    const name = typeof message?.name === 'string' ? message.name.trim().slice(0, 100) : '';
    if (!text || text.length > maxMessageLength)
      throw new ChatClientError(validation(`A message needs 1 to ${maxMessageLength} characters`));
    if (!emailPattern.test(email) || email.length > 254)
      throw new ChatClientError(validation('A valid email address is required'));
    // One client id for every attempt, so the server can tell a retry from a second message.
    const payload = { clientId: randomId(), email, text, ...(name ? { name } : {}) };
    offlineIds.add(payload.clientId);
    for (let attempt = 1; ; attempt++) {
      if (!(await whenReady(ackTimeoutMs * 2))) {
        throw new ChatClientError(failure ?? { code: 'timeout', message: 'The chat server cannot be reached' });
      }
      const reply = await request<'offline:message', { conversationId: string }>('offline:message', payload);
      if (reply.ok) {
        // Known only by id so far (the echo may still be on its way): it is the newest conversation.
        const newest = Math.max(
          Date.now(),
          ...[...conversations.values()].map((known) => Date.parse(known.createdAt) + 1),
        );
        ensureConversation(reply.conversationId, new Date(newest).toISOString()).channel = 'offline';
        changed();
        return { conversationId: reply.conversationId };
      }
      if (!retryableCodes.has(reply.error.code) || attempt >= maxAttempts) throw new ChatClientError(reply.error);
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
    }
  }

  async function rate(rating: number, comment?: string, conversationId?: string) {
    const id = conversationId ?? current()?.id;
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      throw new ChatClientError(validation('A rating is a whole number from 1 to 5'));
    if (!id) throw new ChatClientError({ code: 'not_found', message: 'There is no conversation to rate' });
    const note = typeof comment === 'string' ? comment.trim().slice(0, 1000) : '';
    if (!(await whenReady(ackTimeoutMs * 2)))
      throw new ChatClientError(failure ?? { code: 'timeout', message: 'The chat server cannot be reached' });
    const reply = await request<'csat:submit', object>('csat:submit', {
      conversationId: id,
      rating,
      ...(note ? { comment: note } : {}),
    });
    if (!reply.ok) throw new ChatClientError(reply.error);
    const conversation = conversations.get(id);
    if (conversation) {
      conversation.csat = { rating, comment: note || null };
      changed();
    }
  }

  async function emailTranscript(email: string) {
    const address = typeof email === 'string' ? email.trim() : '';
    if (!emailPattern.test(address) || address.length > 254)
      throw new ChatClientError(validation('A valid email address is required'));
    if (!(await whenReady(ackTimeoutMs * 2)))
      throw new ChatClientError(failure ?? { code: 'timeout', message: 'The chat server cannot be reached' });
    const reply = await request<'transcript:request', object>('transcript:request', { email: address });
    if (!reply.ok) throw new ChatClientError(reply.error);
  }

  function sendRead() {
    const conversation = current();
    if (!conversation || !ready || !socket?.connected) return;
    const seq = readSeqs.get(conversation.id) ?? 0;
    if (seq <= (readSent.get(conversation.id) ?? 0)) return;
    readSent.set(conversation.id, seq);
    socket.emit('message:read', { conversationId: conversation.id, seq });
  }

  function markRead() {
    const conversation = current();
    if (!conversation) return;
    const seq = lastSeq(conversation);
    if (seq <= (readSeqs.get(conversation.id) ?? 0)) return;
    readSeqs.set(conversation.id, seq);
    persist();
    changed();
    sendRead();
  }

  function emitTyping(typing: boolean) {
    clearTimeout(typingTimer);
    typingTimer = undefined;
    const conversation = current();
    // The server only relays typing in an open conversation; skip the event (and its rate-limit cost) otherwise.
    if (!ready || !socket?.connected || !conversation || conversation.status !== 'open') return;
    if (!typing && !typingSent) return;
    const preview = typing && settings?.typingPreview ? typingDraft.slice(0, maxMessageLength) : undefined;
    socket.emit('visitor:typing', preview ? { typing, preview } : { typing });
    typingSent = typing;
    lastTypingAt = Date.now();
  }

  function stopTyping() {
    clearTimeout(typingIdleTimer);
    typingDraft = '';
    emitTyping(false);
  }

  function setTyping(draft: string) {
    if (typeof draft !== 'string' || !draft.trim()) return stopTyping();
    typingDraft = draft;
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(stopTyping, typingIdleMs);
    const since = Date.now() - lastTypingAt;
    if (settings?.typingPreview) {
      // Previews follow the text at most every 300 ms, always ending on the latest text.
      if (!typingSent || since >= typingThrottleMs) emitTyping(true);
      else typingTimer ??= setTimeout(() => emitTyping(true), typingThrottleMs - since);
    } else if (!typingSent || since >= typingKeepAliveMs) {
      emitTyping(true);
    }
  }

  return {
    get state() {
      return getState();
    },
    connect,
    disconnect() {
      clearTimeout(reconnectTimer);
      setStatus('idle');
      ready = false;
      socket?.disconnect();
    },
    send,
    retry,
    acceptInvitation,
    discard,
    leaveMessage,
    rate,
    emailTranscript,
    markRead,
    setTyping,
    on: emitter.on,
    off: emitter.off,
    destroy() {
      stopped = true;
      for (const timer of [reconnectTimer, pumpTimer, agentTypingTimer, typingTimer, typingIdleTimer, gapTimer])
        clearTimeout(timer);
      if (typeof removeEventListener === 'function') {
        removeEventListener('storage', onStorage);
        removeEventListener('online', onOnline);
      }
      socket?.removeAllListeners();
      socket?.disconnect();
      socket = null;
      ready = false;
      status = 'idle';
    },
  };
}

function cleanPrechat(prechat: Prechat): Prechat | undefined {
  const answers: Prechat = {};
  const limits = { name: 100, email: 254, phone: 40 } as const;
  for (const field of ['name', 'email', 'phone'] as const) {
    const value = typeof prechat[field] === 'string' ? prechat[field].trim() : '';
    if (value) answers[field] = value.slice(0, limits[field]);
  }
  if (answers.email && !emailPattern.test(answers.email)) delete answers.email;
  return Object.keys(answers).length ? answers : undefined;
}
