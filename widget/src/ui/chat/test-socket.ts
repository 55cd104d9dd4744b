import type { ChatIoOptions, ChatSocket } from '@beckon/sdk/chat';
import type { ChatMessage, ChatReady, ChatSettings, ConversationSummary } from '@beckon/sdk/protocol';

/** Test double for a socket.io client socket: records what the widget emits, plays the server's side. */
export class FakeSocket implements ChatSocket {
  connected = false;
  active = false;
  sent: { event: string; payload: Record<string, unknown>; ack?: (reply: unknown) => void }[] = [];
  private listeners = new Map<string, ((...args: never[]) => void)[]>();

  constructor(readonly options: ChatIoOptions) {}

  on(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload?: unknown, ack?: (reply: unknown) => void) {
    this.sent.push({ event, payload: payload as Record<string, unknown>, ack });
  }
  connect() {
    this.active = true;
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
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  accept(ready: Partial<ChatReady> = {}) {
    this.connected = true;
    this.fire('connect');
    this.fire('chat:ready', { ...readyDefaults, ...ready });
  }
  sentOf(event: string) {
    return this.sent.filter((item) => item.event === event);
  }
}

export const chatSettings: ChatSettings = {
  prechat: { name: 'off', email: 'off', phone: 'off' },
  businessHours: null,
  typingPreview: false,
  greeting: 'Hi! How can we help?',
  autoReply: '',
  expectedReplyMinutes: 5,
};

const readyDefaults: ChatReady = {
  token: 'token-for-the-widget-tests-0001',
  conversation: null,
  messages: [],
  settings: chatSettings,
  available: true,
  reason: 'online',
};

export const conversationId = '00000000-0000-4000-8000-0000000000aa';

export const summary = (overrides: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: conversationId,
  siteId: 'site-1',
  status: 'open',
  channel: 'chat',
  visitor: { id: 'v1', name: null, email: null, phone: null, currentUrl: null },
  assignee: { id: 'a1', name: 'Anna' },
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

export const agentMessage = (seq: number, text: string, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m-${seq}`,
  conversationId,
  seq,
  clientId: `agent-client-${seq}`,
  author: 'agent',
  agent: { id: 'a1', name: 'Anna' },
  internal: false,
  text,
  createdAt: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
  ...overrides,
});
