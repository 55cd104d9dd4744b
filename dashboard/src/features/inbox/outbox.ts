import type { ThreadMessage } from './messages';

/**
 * Our unsent messages per conversation, outside any component: switching to another conversation
 * while a message is on its way (or failed) must not drop it. The conversation on screen registers an
 * updater; results for a conversation that is not on screen update the stored list instead.
 */
type Update = (list: ThreadMessage[]) => ThreadMessage[];

const unsent = new Map<string, ThreadMessage[]>();
const views = new Map<string, (update: Update) => void>();

/** Pending and failed messages we hold for a conversation. */
export function unsentFor(conversationId: string): ThreadMessage[] {
  return unsent.get(conversationId) ?? [];
}

/** Keeps the unsent part of a thread (called with every new thread state). */
export function rememberUnsent(conversationId: string, thread: readonly ThreadMessage[]): void {
  const pending = thread.filter((message) => message.pending);
  if (pending.length) unsent.set(conversationId, pending);
  else unsent.delete(conversationId);
}

/** The conversation view on screen routes updates to its state while mounted. */
export function registerView(conversationId: string, apply: (update: Update) => void): () => void {
  views.set(conversationId, apply);
  return () => {
    if (views.get(conversationId) === apply) views.delete(conversationId);
  };
}

export function updateThread(conversationId: string, update: Update): void {
  const view = views.get(conversationId);
  if (view) view(update);
  else rememberUnsent(conversationId, update(unsentFor(conversationId)));
}

/** Failures worth trying again by ourselves after a reconnect; a refusal (closed, invalid) is not. */
export const transientErrors: ReadonlySet<string> = new Set(['timeout', 'unavailable', 'rate_limited', 'internal']);
