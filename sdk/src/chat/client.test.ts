import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, ChatReady, ChatSettings, ConversationSummary } from '../protocol/chat.js';
import { createChatClient, type ChatClientOptions, type ChatIoOptions, type ChatSocket } from './client.js';
import { chatStorageKey, type ChatStorage, type StoredChat } from './storage.js';

type Listener = (...args: never[]) => void;
interface Sent {
  event: string;
  payload: Record<string, unknown>;
  ack?: (reply: unknown) => void;
}

/** Plays the server's side of one socket.io client socket. */
class FakeSocket implements ChatSocket {
  connected = false;
  active = false;
  connects = 0;
  options!: ChatIoOptions;
  url = '';
  sent: Sent[] = [];
  private listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload?: unknown, ack?: (reply: unknown) => void) {
    this.sent.push({ event, payload: payload as Record<string, unknown>, ack });
  }
  connect() {
    this.active = true;
    this.connects++;
  }
  disconnect() {
    this.active = false;
    if (this.connected) {
      this.connected = false;
      this.fire('disconnect', 'io client disconnect');
    }
  }
  removeAllListeners() {
    this.listeners.clear();
  }

  // The server's moves.
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  /** Accepts the connection and answers with chat:ready. */
  accept(ready: Partial<ChatReady> = {}) {
    this.connected = true;
    this.fire('connect');
    this.fire('chat:ready', { ...readyDefaults, ...ready });
  }
  /** The network drops; socket.io will reconnect by itself. */
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  auth() {
    let value: Record<string, string> = {};
    this.options.auth((auth) => (value = auth));
    return value;
  }
  sentOf(event: string) {
    return this.sent.filter((item) => item.event === event);
  }
  last(event: string) {
    const all = this.sentOf(event);
    return all[all.length - 1]!;
  }
}

const settings: ChatSettings = {
  prechat: { name: 'optional', email: 'optional', phone: 'off' },
  businessHours: null,
  typingPreview: true,
  greeting: 'Hi!',
  autoReply: 'We answer within {minutes} minutes.',
  expectedReplyMinutes: 5,
};
const conversationId = '00000000-0000-4000-8000-000000000001';
const readyDefaults: ChatReady = {
  token: 'token-aaaaaaaaaaaaaaaaaaaaaaaa',
  conversation: null,
  messages: [],
  settings,
  available: true,
  reason: 'online',
};

const summary = (overrides: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: conversationId,
  siteId: 'site-1',
  status: 'open',
  channel: 'chat',
  visitor: { id: 'v1', name: null, email: null, phone: null, currentUrl: null },
  assignee: null,
  lastMessage: null,
  lastSeq: 0,
  agentReadSeq: 0,
  visitorReadSeq: 0,
  unread: 0,
  createdAt: '2030-01-01T10:00:00.000Z',
  closedAt: null,
  csat: null,
  ...overrides,
});

let serial = 0;
const message = (seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m-${seq}-${++serial}`,
  conversationId,
  seq,
  clientId: `client-${seq}-${serial}`,
  author: 'agent',
  agent: { id: 'a1', name: 'Anna' },
  internal: false,
  text: `message ${seq}`,
  createdAt: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
  ...overrides,
});
const visitorMessage = (seq: number, clientId: string, text: string) =>
  message(seq, { author: 'visitor', agent: null, clientId, text });

function memoryStorage(): ChatStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

function setup(overrides: Partial<ChatClientOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const storage = (overrides.storage as ReturnType<typeof memoryStorage> | undefined) ?? memoryStorage();
  const client = createChatClient({
    endpoint: 'https://beckon.test/',
    site: 'demo',
    visitorId: 'visitor-123456',
    url: () => 'https://shop.test/page',
    io: (url, options) => {
      const socket = new FakeSocket();
      socket.url = url;
      socket.options = options;
      sockets.push(socket);
      return socket;
    },
    ...overrides,
    storage,
  });
  const socket = () => sockets[sockets.length - 1]!;
  const stored = () => JSON.parse(storage.data.get(chatStorageKey('demo')) ?? 'null') as StoredChat | null;
  return { client, socket, sockets, storage, stored };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('chat client: connection and storage', () => {
  it("names the widget's language now on every connection, so the greeting and auto-reply follow a switch", () => {
    let language = 'lv';
    const { client, socket } = setup({ language: () => language });
    client.connect();
    expect(socket().auth()).toMatchObject({ language: 'lv' });
    language = 'si';
    expect(socket().auth()).toMatchObject({ language: 'si' });
  });

  it('connects to /visitor with the site, page and visitor id, and stores the token only after chat:ready', async () => {
    const { client, socket, stored } = setup();
    client.connect();
    expect(socket().url).toBe('https://beckon.test/visitor');
    expect(socket().options.transports).toEqual(['websocket', 'polling']);
    expect(socket().auth()).toEqual({ site: 'demo', url: 'https://shop.test/page', visitorId: 'visitor-123456' });
    expect(client.state.status).toBe('connecting');

    void client.send('typed before the server answered').catch(() => {});
    expect(stored()).toBeNull();

    socket().accept({ token: 'token-issued-by-the-server-0001' });
    expect(stored()).toMatchObject({ v: 1, token: 'token-issued-by-the-server-0001' });
    expect(client.state.status).toBe('connected');
    // Every later (re)connection sends the token back.
    expect(socket().auth()).toMatchObject({ token: 'token-issued-by-the-server-0001' });
  });

  it('sends a stored token on the next page load and keeps it when chat:ready comes without one', async () => {
    const first = setup();
    first.client.connect();
    first.socket().accept({ token: 'token-from-the-first-page-0001' });
    first.client.destroy();

    const second = setup({ storage: first.storage });
    second.client.connect();
    expect(second.socket().auth()).toMatchObject({ token: 'token-from-the-first-page-0001' });
    // A connection restored by socket.io's state recovery skips the handshake that issues the token.
    second.socket().accept({ token: undefined as unknown as string });
    expect(second.stored()?.token).toBe('token-from-the-first-page-0001');
  });

  it('stops on a refused origin and fails queued messages with the reason', async () => {
    const { client, socket } = setup();
    client.connect();
    const sent = client.send('hello');
    socket().active = false;
    socket().fire('connect_error', new Error('origin_not_allowed'));
    await expect(sent).rejects.toMatchObject({ code: 'origin_not_allowed' });
    expect(client.state.status).toBe('failed');
    expect(client.state.error?.code).toBe('origin_not_allowed');
    expect(client.state.messages[0]).toMatchObject({ delivery: 'failed' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket().connects).toBe(1);
  });

  it('reconnects by itself after the server refused with unavailable', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().active = false;
    socket().fire('connect_error', new Error('unavailable'));
    expect(client.state.status).toBe('connecting');
    await vi.advanceTimersByTimeAsync(2000);
    expect(socket().connects).toBe(2);
  });

  it('reconnects at once when the browser is back online, not after the backoff', async () => {
    const listeners = new Map<string, () => void>();
    vi.stubGlobal('addEventListener', (event: string, listener: () => void) => listeners.set(event, listener));
    vi.stubGlobal('removeEventListener', (event: string) => listeners.delete(event));
    try {
      const { client, socket, sockets } = setup();
      const online = () => listeners.get('online')?.();
      online();
      expect(sockets).toHaveLength(0); // nothing to reconnect before the first connect
      client.connect();
      socket().accept();
      online();
      expect(socket().connects).toBe(1); // connected: nothing to do
      socket().drop();
      expect(client.state.status).toBe('reconnecting');
      online();
      expect(socket().active).toBe(true);
      expect(socket().connects).toBe(2);
      client.destroy();
      expect(listeners.has('online')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('chat client: the outbox', () => {
  it('resends an unacknowledged message after a reconnect with the same clientId, and shows it once', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept();
    const sent = client.send('  Where is my order?  ');
    await settle();
    const first = socket().last('message:send');
    expect(first.payload).toMatchObject({ text: 'Where is my order?' });
    expect(client.state.messages).toMatchObject([{ author: 'visitor', delivery: 'sending', seq: null }]);

    socket().drop();
    expect(client.state.status).toBe('reconnecting');
    socket().accept();
    await settle();
    // No conversation yet, so nothing to resync: the outbox goes at once.
    expect(socket().sentOf('messages:since')).toHaveLength(0);
    const second = socket().last('message:send');
    expect(second).not.toBe(first);
    expect(second.payload.clientId).toBe(first.payload.clientId);

    const stored = visitorMessage(1, first.payload.clientId as string, 'Where is my order?');
    // The echo comes before the ack; the late ack of the first attempt comes too.
    socket().fire('message:new', stored);
    second.ack!({ ok: true, message: stored });
    first.ack!({ ok: true, message: stored });
    await expect(sent).resolves.toEqual(stored);
    await settle();
    expect(client.state.messages).toHaveLength(1);
    expect(client.state.messages[0]).toMatchObject({
      id: stored.id,
      seq: 1,
      delivery: 'sent',
      key: `v:${stored.clientId}`,
    });
  });

  it('sends queued messages one at a time, in the order written', async () => {
    const { client, socket } = setup();
    client.connect();
    void client.send('one');
    void client.send('two');
    socket().accept();
    await settle();
    expect(socket().sentOf('message:send')).toHaveLength(1);
    const one = socket().last('message:send');
    one.ack!({ ok: true, message: visitorMessage(1, one.payload.clientId as string, 'one') });
    await settle();
    const two = socket().last('message:send');
    expect(two.payload.text).toBe('two');
    two.ack!({ ok: true, message: visitorMessage(2, two.payload.clientId as string, 'two') });
    await settle();
    expect(client.state.messages.map((entry) => [entry.text, entry.delivery])).toEqual([
      ['one', 'sent'],
      ['two', 'sent'],
    ]);
  });

  it('shows the auto-reply an opening send carries in its ack, once, after the message', async () => {
    const { client, socket } = setup();
    const events: (number | null)[] = [];
    client.on('message', (message) => events.push(message.seq));
    client.connect();
    socket().accept();
    void client.send('Do you ship to Norway?');
    await settle();
    const send = socket().last('message:send');
    const autoReply = message(2, { author: 'system', agent: null, text: 'We answer within 5 minutes.' });
    send.ack!({
      ok: true,
      message: visitorMessage(1, send.payload.clientId as string, 'Do you ship to Norway?'),
      autoReply,
    });
    await settle();
    // The same reply relayed again (a resync) is not shown twice.
    socket().fire('message:new', autoReply);
    await settle();
    expect(client.state.messages.map((entry) => [entry.seq, entry.author, entry.text])).toEqual([
      [1, 'visitor', 'Do you ship to Norway?'],
      [2, 'system', 'We answer within 5 minutes.'],
    ]);
    // A site's own chat UI built on the SDK hears it as a 'message', once.
    expect(events).toEqual([1, 2]);
  });

  it('marks a message failed after the retries run out, and retry() sends it again with the same clientId', async () => {
    const { client, socket } = setup({ maxAttempts: 3, ackTimeoutMs: 1000 });
    client.connect();
    socket().accept();
    const sent = client.send('hello');
    const failed = expect(sent).rejects.toMatchObject({ code: 'internal' });
    await settle();
    socket().last('message:send').ack!({ ok: false, error: { code: 'internal', message: 'db down' } });
    await vi.advanceTimersByTimeAsync(1000);
    // No answer at all counts as a try too.
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    const attempts = socket().sentOf('message:send');
    expect(attempts).toHaveLength(3);
    attempts[2]!.ack!({ ok: false, error: { code: 'internal', message: 'db down' } });
    await failed;
    expect(client.state.messages[0]).toMatchObject({ delivery: 'failed', error: { code: 'internal' } });
    expect(new Set(attempts.map((attempt) => attempt.payload.clientId)).size).toBe(1);

    const clientId = attempts[0]!.payload.clientId as string;
    const again = client.retry(clientId);
    await settle();
    const retried = socket().last('message:send');
    expect(retried.payload.clientId).toBe(clientId);
    expect(client.state.messages[0]!.delivery).toBe('sending');
    retried.ack!({ ok: true, message: visitorMessage(1, clientId, 'hello') });
    await expect(again).resolves.toMatchObject({ seq: 1 });
  });

  it('fails at once on a refusal (4xx) and can discard the message', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept();
    const sent = client.send('x'.repeat(10));
    await settle();
    socket().last('message:send').ack!({ ok: false, error: { code: 'validation_failed', message: 'bad' } });
    await expect(sent).rejects.toMatchObject({ code: 'validation_failed' });
    expect(socket().sentOf('message:send')).toHaveLength(1);
    client.discard(client.state.messages[0]!.clientId);
    expect(client.state.messages).toEqual([]);
  });

  it('waits out a rate limit without counting it as a try', async () => {
    const { client, socket } = setup({ maxAttempts: 1 });
    client.connect();
    socket().accept();
    void client.send('hello');
    await settle();
    socket().last('message:send').ack!({
      ok: false,
      error: { code: 'rate_limited', message: 'slow', details: { retryAfterSeconds: 4 } },
    });
    await vi.advanceTimersByTimeAsync(3900);
    expect(socket().sentOf('message:send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(socket().sentOf('message:send')).toHaveLength(2);
    expect(client.state.messages[0]!.delivery).toBe('sending');
  });

  it('refuses empty and over-long messages and bounds the outbox', async () => {
    const { client } = setup({ maxOutbox: 2 });
    await expect(client.send('   ')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(client.send('x'.repeat(4001))).rejects.toMatchObject({ code: 'validation_failed' });
    void client.send('x'.repeat(4000));
    void client.send('two');
    await expect(client.send('three')).rejects.toMatchObject({ code: 'outbox_full' });
  });

  it('keeps unsent messages across a page load and resends them once, unless the server already has them', async () => {
    const first = setup();
    first.client.connect();
    first.socket().accept();
    void first.client.send('sent but never acknowledged').catch(() => {});
    void first.client.send('never left the page').catch(() => {});
    await settle();
    const pending = first.stored()!.outbox!;
    expect(pending.map((item) => item.text)).toEqual(['sent but never acknowledged', 'never left the page']);
    first.client.destroy();

    const second = setup({ storage: first.storage });
    expect(second.client.state.messages.map((entry) => entry.delivery)).toEqual(['sending', 'sending']);
    second.client.connect();
    // The first one did reach the server before the reload.
    second.socket().accept({
      conversation: summary(),
      messages: [
        visitorMessage(1, pending[0]!.clientId, 'sent but never acknowledged'),
        message(2, { author: 'system', agent: null }),
      ],
    });
    await settle();
    second.socket().last('messages:since').ack!({ ok: true, messages: [] });
    await settle();
    const resent = second.socket().sentOf('message:send');
    expect(resent.map((item) => item.payload.clientId)).toEqual([pending[1]!.clientId]);
    expect(second.client.state.messages.map((entry) => entry.text)).toEqual([
      'sent but never acknowledged',
      'message 2',
      'never left the page',
    ]);
    expect(second.stored()!.outbox!.map((item) => item.clientId)).toEqual([pending[1]!.clientId]);
  });
});

describe('chat client: merging and resync', () => {
  it('orders by seq and drops duplicates (echoes, replays, resync overlaps)', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept({ conversation: summary(), messages: [message(1)] });
    const live: number[] = [];
    client.on('message', (m) => live.push(m.seq));
    const three = message(3);
    socket().fire('message:new', three);
    socket().fire('message:new', message(2));
    socket().fire('message:new', three);
    await settle();
    expect(client.state.messages.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    // Announced in seq order: 3 waited for 2.
    expect(live).toEqual([2, 3]);
  });

  it('asks for everything after the last seen seq on every reconnect, page by page', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept({ conversation: summary(), messages: [message(1), message(4)] });
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    await settle();
    expect(socket().last('messages:since').payload).toEqual({ conversationId, afterSeq: 4 });

    socket().drop();
    // chat:ready after a reconnect carries the history again; messages missed meanwhile are new.
    const live: number[] = [];
    client.on('message', (m) => live.push(m.seq));
    socket().accept({ conversation: summary(), messages: [message(1), message(4), message(5)] });
    await settle();
    const since = socket().last('messages:since');
    expect(since.payload).toEqual({ conversationId, afterSeq: 5 });
    since.ack!({ ok: true, messages: [message(6), message(7)] });
    await settle();
    const next = socket().last('messages:since');
    expect(next.payload).toEqual({ conversationId, afterSeq: 7 });
    next.ack!({ ok: true, messages: [] });
    await settle();
    expect(live).toEqual([5, 6, 7]);
    expect(client.state.messages.map((entry) => entry.seq)).toEqual([1, 4, 5, 6, 7]);
  });

  it('follows a new conversation after the old one closed, and rates the closed one', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept({ conversation: summary({ assignee: { id: 'a1', name: 'Anna' } }), messages: [message(1)] });
    const closed: unknown[] = [];
    client.on('closed', (event) => closed.push(event));
    socket().fire('conversation:closed', { conversationId });
    expect(closed).toEqual([{ conversationId }]);
    expect(client.state.conversation).toMatchObject({ status: 'closed', agent: { name: 'Anna' } });

    const rated = client.rate(5, ' Quick and kind ');
    await settle();
    const csat = socket().last('csat:submit');
    expect(csat.payload).toEqual({ conversationId, rating: 5, comment: 'Quick and kind' });
    csat.ack!({ ok: true });
    await rated;
    expect(client.state.conversation?.csat).toEqual({ rating: 5, comment: 'Quick and kind' });

    const next = '00000000-0000-4000-8000-000000000002';
    void client.send('one more question');
    await settle();
    const send = socket().last('message:send');
    send.ack!({
      ok: true,
      message: {
        ...visitorMessage(1, send.payload.clientId as string, 'one more question'),
        conversationId: next,
        createdAt: '2030-01-02T00:00:00.000Z',
      },
    });
    await settle();
    expect(client.state.conversation).toMatchObject({ id: next, status: 'open' });
    expect(client.state.messages.map((entry) => [entry.conversationId, entry.seq])).toEqual([
      [conversationId, 1],
      [next, 1],
    ]);
  });

  it('counts unread agent messages until markRead, and tells the server once', async () => {
    const { client, socket, stored } = setup();
    client.connect();
    socket().accept({ conversation: summary(), messages: [message(1)] });
    // History on a first connection without a stored marker counts as seen.
    expect(client.state.unread).toBe(0);
    socket().fire('message:new', message(2));
    socket().fire('message:new', message(3));
    expect(client.state.unread).toBe(2);
    client.markRead();
    client.markRead();
    expect(client.state.unread).toBe(0);
    expect(
      socket()
        .sentOf('message:read')
        .map((item) => item.payload),
    ).toEqual([{ conversationId, seq: 3 }]);
    expect(stored()).toMatchObject({ conversationId, open: true, readSeq: 3 });
  });

  it('shows read receipts, the agent and their typing', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept({
      conversation: summary(),
      messages: [visitorMessage(1, 'client-aaaaaaaa', 'hi'), visitorMessage(2, 'client-bbbbbbbb', 'there')],
    });
    const agents: unknown[] = [];
    client.on('agent', (event) => agents.push(event));
    socket().fire('conversation:assigned', { conversationId, agent: { id: 'a1', name: 'Anna' } });
    socket().fire('message:read', { conversationId, seq: 1 });
    socket().fire('agent:typing', { conversationId, typing: true, agentName: 'Anna' });
    expect(agents).toEqual([{ conversationId, agent: { id: 'a1', name: 'Anna' } }]);
    expect(client.state.messages.map((entry) => entry.delivery)).toEqual(['read', 'sent']);
    expect(client.state.conversation?.agent).toEqual({ id: 'a1', name: 'Anna' });
    expect(client.state.typing).toBe('Anna');
    // A lost "stopped typing" does not leave the dots forever.
    await vi.advanceTimersByTimeAsync(8000);
    expect(client.state.typing).toBeNull();
  });

  it('keeps read receipts across a page load from the conversation summary, never stepping back', async () => {
    const history = [
      visitorMessage(1, 'client-aaaaaaaa', 'hi'),
      message(2),
      visitorMessage(3, 'client-bbbbbbbb', 'there'),
      visitorMessage(4, 'client-cccccccc', 'again'),
    ];
    const { client, socket } = setup();
    client.connect();
    socket().accept({ conversation: summary({ agentReadSeq: 3, lastSeq: 4 }), messages: history });
    expect(client.state.conversation?.agentReadSeq).toBe(3);
    expect(client.state.messages.filter((entry) => entry.author === 'visitor').map((entry) => entry.delivery)).toEqual([
      'read',
      'read',
      'sent',
    ]);
    // A live receipt moves it on; an older summary on a reconnect does not move it back.
    socket().fire('message:read', { conversationId, seq: 4 });
    socket().drop();
    socket().accept({ conversation: summary({ agentReadSeq: 3, lastSeq: 4 }), messages: history });
    await settle();
    expect(client.state.conversation?.agentReadSeq).toBe(4);
    expect(client.state.messages.filter((entry) => entry.author === 'visitor').map((entry) => entry.delivery)).toEqual([
      'read',
      'read',
      'read',
    ]);
  });
});

describe('chat client: late acks and the order of message events', () => {
  /** A connected client whose conversation holds message 1, recording every `message` event's seq. */
  function chatting(overrides: Partial<ChatClientOptions> = {}) {
    const env = setup({ ackTimeoutMs: 1000, maxAttempts: 3, ...overrides });
    env.client.connect();
    env.socket().accept({ conversation: summary(), messages: [message(1)] });
    const events: number[] = [];
    env.client.on('message', (m) => events.push(m.seq));
    return { ...env, events };
  }

  /** Lets every attempt of a send time out: three tries, two backoffs. */
  const timeOutEveryAttempt = async () => {
    for (const wait of [1000, 1000, 1000, 2000, 1000]) await vi.advanceTimersByTimeAsync(wait);
  };

  it('settles a message whose ack came after its timeout, while a retry is already out, and announces it once', async () => {
    const { client, socket, events } = chatting();
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    const sent = client.send('Are you there?');
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    const [first, second] = socket().sentOf('message:send');
    expect(second!.payload.clientId).toBe(first!.payload.clientId);
    const stored = visitorMessage(2, first!.payload.clientId as string, 'Are you there?');
    first!.ack!({ ok: true, message: stored });
    await expect(sent).resolves.toEqual(stored);
    second!.ack!({ ok: true, message: stored });
    await settle();
    expect(client.state.messages.map((entry) => [entry.seq, entry.delivery])).toEqual([
      [1, undefined],
      [2, 'sent'],
    ]);
    expect(events).toEqual([2]);
  });

  it('turns a message marked failed after its timeouts sent when the late ack comes', async () => {
    const { client, socket, events } = chatting();
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    const sent = client.send('Hello?');
    const failed = expect(sent).rejects.toMatchObject({ code: 'timeout' });
    await settle();
    await timeOutEveryAttempt();
    await failed;
    expect(client.state.messages[1]).toMatchObject({ delivery: 'failed', error: { code: 'timeout' } });
    const attempts = socket().sentOf('message:send');
    expect(attempts).toHaveLength(3);
    // The database was slow, not down: the first attempt's answer arrives at last.
    attempts[0]!.ack!({ ok: true, message: visitorMessage(2, attempts[0]!.payload.clientId as string, 'Hello?') });
    await settle();
    expect(client.state.messages.map((entry) => [entry.seq, entry.delivery])).toEqual([
      [1, undefined],
      [2, 'sent'],
    ]);
    expect(events).toEqual([2]);
  });

  it('after a reconnect, marks a failed message the server stored as sent and sends again one it never got', async () => {
    const { client, socket, events } = chatting({ maxAttempts: 1 });
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    void client.send('stored before the link died').catch(() => {});
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    void client.send('never arrived').catch(() => {});
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    const [storedAttempt, lostAttempt] = socket().sentOf('message:send');
    expect(client.state.messages.map((entry) => entry.delivery)).toEqual([undefined, 'failed', 'failed']);

    socket().drop();
    socket().accept({
      conversation: summary(),
      messages: [
        message(1),
        visitorMessage(2, storedAttempt!.payload.clientId as string, 'stored before the link died'),
      ],
    });
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    await settle();
    expect(client.state.messages.map((entry) => [entry.text, entry.delivery])).toEqual([
      ['message 1', undefined],
      ['stored before the link died', 'sent'],
      ['never arrived', 'sending'],
    ]);
    const resent = socket().last('message:send');
    expect(resent.payload.clientId).toBe(lostAttempt!.payload.clientId);
    resent.ack!({ ok: true, message: visitorMessage(3, lostAttempt!.payload.clientId as string, 'never arrived') });
    await settle();
    expect(client.state.messages.map((entry) => entry.delivery)).toEqual([undefined, 'sent', 'sent']);
    expect(events).toEqual([2, 3]);
  });

  it('finds a failed message through the gap the agent’s answer leaves, so a retry never brings it back out of order', async () => {
    const { client, socket, events } = chatting();
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    const sent = client.send('Is it in stock?');
    const failed = expect(sent).rejects.toMatchObject({ code: 'timeout' });
    await settle();
    await timeOutEveryAttempt();
    await failed;
    const clientId = socket().last('message:send').payload.clientId as string;
    // The agent answered the stored message (seq 2): the answer comes, the ack never did.
    socket().fire('message:new', message(3, { text: 'Yes, two left' }));
    await settle();
    expect(events).toEqual([]);
    const since = socket().last('messages:since');
    expect(since.payload).toEqual({ conversationId, afterSeq: 1 });
    since.ack!({
      ok: true,
      messages: [visitorMessage(2, clientId, 'Is it in stock?'), message(3, { text: 'Yes, two left' })],
    });
    await settle();
    expect(events).toEqual([2, 3]);
    expect(client.state.messages.map((entry) => [entry.text, entry.delivery ?? null])).toEqual([
      ['message 1', null],
      ['Is it in stock?', 'sent'],
      ['Yes, two left', null],
    ]);
    await expect(client.retry(clientId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never leaves a message held for good when the resync filling its gap is cut off by a reconnect', async () => {
    const { socket, events } = chatting();
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    await settle();
    socket().fire('message:new', message(3));
    const cutOff = socket().last('messages:since');
    expect(cutOff.payload).toEqual({ conversationId, afterSeq: 1 });
    socket().drop();
    socket().accept({ conversation: summary(), messages: [message(1)] });
    await settle();
    const again = socket().last('messages:since');
    expect(again).not.toBe(cutOff);
    again.ack!({ ok: true, messages: [message(2), message(3)] });
    await settle();
    expect(events).toEqual([2, 3]);
  });

  it('delivers message events in seq order whatever order relays, acks and resyncs arrive in', async () => {
    const { client, socket, events } = chatting();
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    // Relays overtaking each other.
    socket().fire('message:new', message(4));
    socket().fire('message:new', message(3));
    expect(events).toEqual([]);
    const gap = socket().last('messages:since');
    expect(gap.payload).toEqual({ conversationId, afterSeq: 1 });
    socket().fire('message:new', message(2));
    expect(events).toEqual([2, 3, 4]);
    gap.ack!({ ok: true, messages: [message(2), message(3), message(4)] });
    await settle();
    // An internal note took seq 5: the resync says there is nothing else before 6.
    socket().fire('message:new', message(6));
    expect(events).toEqual([2, 3, 4]);
    socket().last('messages:since').ack!({ ok: true, messages: [message(6)] });
    await settle();
    expect(events).toEqual([2, 3, 4, 6]);

    // A reconnect storm: a relay reaches the new connection before its chat:ready does.
    socket().drop();
    socket().connected = true;
    socket().fire('connect');
    socket().fire('message:new', message(8));
    expect(events).toEqual([2, 3, 4, 6]);
    socket().fire('chat:ready', {
      ...readyDefaults,
      conversation: summary(),
      messages: [message(1), message(2), message(3), message(4), message(6), message(7)],
    });
    expect(events).toEqual([2, 3, 4, 6, 7, 8]);
    await settle();
    socket().last('messages:since').ack!({ ok: true, messages: [] });
    await settle();
    expect(events).toEqual([2, 3, 4, 6, 7, 8]);
    expect(client.state.messages.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 6, 7, 8]);
  });
});

describe('chat client: typing, offline messages', () => {
  it('throttles typing previews to one per 300 ms, ending on the latest text, and stops on send', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept({ conversation: summary(), messages: [message(1)] });
    client.setTyping('h');
    client.setTyping('he');
    client.setTyping('hel');
    expect(
      socket()
        .sentOf('visitor:typing')
        .map((item) => item.payload),
    ).toEqual([{ typing: true, preview: 'h' }]);
    await vi.advanceTimersByTimeAsync(300);
    expect(socket().last('visitor:typing').payload).toEqual({ typing: true, preview: 'hel' });
    void client.send('hello').catch(() => {});
    expect(socket().last('visitor:typing').payload).toEqual({ typing: false });
    expect(socket().sentOf('visitor:typing')).toHaveLength(3);
  });

  it('sends no preview when the site does not allow it, and nothing without an open conversation', async () => {
    const { client, socket } = setup();
    client.connect();
    socket().accept();
    client.setTyping('hello');
    expect(socket().sentOf('visitor:typing')).toHaveLength(0);
    socket().fire('chat:ready', {
      ...readyDefaults,
      settings: { ...settings, typingPreview: false },
      conversation: summary(),
      messages: [message(1)],
    });
    client.setTyping('secret text');
    expect(socket().last('visitor:typing').payload).toEqual({ typing: true });
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket().last('visitor:typing').payload).toEqual({ typing: false });
  });

  it('leaves a message with one clientId for every attempt', async () => {
    const { client, socket } = setup({ ackTimeoutMs: 1000 });
    client.connect();
    socket().accept({ available: false, reason: 'no_agents' });
    await expect(client.leaveMessage({ email: 'not-an-email', text: 'hi' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const left = client.leaveMessage({ email: ' ada@example.com ', name: 'Ada', text: 'Please call me back' });
    await settle();
    const first = socket().last('offline:message');
    expect(first.payload).toMatchObject({ email: 'ada@example.com', name: 'Ada', text: 'Please call me back' });
    await vi.advanceTimersByTimeAsync(1000 + 1000);
    const second = socket().last('offline:message');
    expect(second).not.toBe(first);
    expect(second.payload.clientId).toBe(first.payload.clientId);
    second.ack!({ ok: true, conversationId });
    await expect(left).resolves.toEqual({ conversationId });
  });
});
