import type { ChatMessage, maxMessageLength } from '@beckon/sdk/protocol';

/** The protocol's limit, restated so no zod reaches the bundle; the type breaks the build if they drift. */
export const MAX_MESSAGE_LENGTH: typeof maxMessageLength = 4000;

/** A line of the open conversation: a committed message, or one of ours still on its way. */
export interface ThreadMessage extends ChatMessage {
  /** Set while our own message has no ack yet (`sending`) or could not be sent (`failed`). */
  pending?: 'sending' | 'failed';
  /** Why a `failed` message was not sent. */
  error?: string;
  /** The error code behind `error` (a timeout is retried by itself after a reconnect). */
  errorCode?: string;
}

const pendingId = (clientId: string) => `pending:${clientId}`;

/** Committed messages by seq; our unsent ones after them, in the order they were written. */
function order(list: ThreadMessage[]): ThreadMessage[] {
  return list
    .map((message, index) => ({ message, index }))
    .sort((a, b) => {
      const seqA = a.message.pending ? Number.POSITIVE_INFINITY : a.message.seq;
      const seqB = b.message.pending ? Number.POSITIVE_INFINITY : b.message.seq;
      return seqA === seqB ? a.index - b.index : seqA - seqB;
    })
    .map(({ message }) => message);
}

/**
 * Merges messages from any source (the REST load, `messages:new`, an ack, `messages:since` after a
 * reconnect) into the thread: each id once, ordered by seq, and an acknowledged or echoed message
 * replaces our pending copy with the same client id. Returns the same array when nothing changed.
 */
export function mergeMessages(list: readonly ThreadMessage[], incoming: readonly ChatMessage[]): ThreadMessage[] {
  let next: ThreadMessage[] | null = null;
  const ids = new Set(list.map((message) => message.id));
  for (const message of incoming) {
    if (ids.has(message.id)) continue;
    ids.add(message.id);
    next ??= [...list];
    const pendingIndex = next.findIndex((item) => item.pending && item.clientId === message.clientId);
    const committed: ThreadMessage = { ...message };
    if (pendingIndex === -1) next.push(committed);
    else next[pendingIndex] = committed;
  }
  return next ? order(next) : (list as ThreadMessage[]);
}

export interface Draft {
  conversationId: string;
  clientId: string;
  text: string;
  internal: boolean;
  agent: { id: string; name: string };
  now?: Date;
}

/** Our message as shown before the server has it. */
export function pendingMessage(draft: Draft): ThreadMessage {
  return {
    id: pendingId(draft.clientId),
    conversationId: draft.conversationId,
    seq: 0,
    clientId: draft.clientId,
    author: 'agent',
    agent: draft.agent,
    internal: draft.internal,
    text: draft.text,
    createdAt: (draft.now ?? new Date()).toISOString(),
    pending: 'sending',
  };
}

export function addPending(list: readonly ThreadMessage[], draft: Draft): ThreadMessage[] {
  return order([...list, pendingMessage(draft)]);
}

/** Marks our unsent message as sending again (retry) or failed; a committed message is left alone. */
export function setPending(
  list: readonly ThreadMessage[],
  clientId: string,
  state: 'sending' | 'failed',
  error?: string,
  errorCode?: string,
): ThreadMessage[] {
  const index = list.findIndex((message) => message.pending && message.clientId === clientId);
  if (index === -1) return list as ThreadMessage[];
  const next = [...list];
  next[index] = {
    ...next[index]!,
    pending: state,
    error: state === 'failed' ? error : undefined,
    errorCode: state === 'failed' ? errorCode : undefined,
  };
  return next;
}

/** The highest committed seq: what `messages:since` asks after. */
export function lastSeq(list: readonly ThreadMessage[]): number {
  let max = 0;
  for (const message of list) if (!message.pending && message.seq > max) max = message.seq;
  return max;
}

/** The newest committed visitor message's seq, 0 when there is none. */
export function lastVisitorSeq(list: readonly ThreadMessage[]): number {
  let max = 0;
  for (const message of list)
    if (!message.pending && message.author === 'visitor' && message.seq > max) max = message.seq;
  return max;
}

export type Delivery = 'sending' | 'failed' | 'sent' | 'read';

/** Delivery of an agent message as its author sees it; notes are never "read" by the visitor. */
export function deliveryOf(message: ThreadMessage, visitorReadSeq: number): Delivery {
  if (message.pending) return message.pending;
  if (!message.internal && message.seq <= visitorReadSeq) return 'read';
  return 'sent';
}
