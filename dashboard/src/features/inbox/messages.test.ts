import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@beckon/sdk/protocol';
import {
  addPending,
  deliveryOf,
  lastSeq,
  lastVisitorSeq,
  mergeMessages,
  setPending,
  type ThreadMessage,
} from './messages';

const conversationId = '11111111-1111-4111-8111-111111111111';
const agent = { id: 'a1', name: 'Ann' };

const msg = (seq: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  conversationId,
  seq,
  clientId: `c${seq}`,
  author: 'visitor',
  agent: null,
  internal: false,
  text: `message ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
  ...over,
});

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const merged = mergeMessages([], [msg(3), msg(1), msg(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps each id once (a push racing the REST load, a resync overlapping the list)', () => {
    const once = mergeMessages([], [msg(1), msg(2)]);
    const twice = mergeMessages(once, [msg(2), msg(3), msg(3)]);
    expect(twice.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('returns the same array when nothing is new', () => {
    const list = mergeMessages([], [msg(1)]);
    expect(mergeMessages(list, [msg(1)])).toBe(list);
    expect(mergeMessages(list, [])).toBe(list);
  });

  it('replaces a pending message with the acked one (same client id), in seq order', () => {
    let list: ThreadMessage[] = mergeMessages([], [msg(1)]);
    list = addPending(list, { conversationId, clientId: 'mine', text: 'hello', internal: false, agent });
    expect(list.map((m) => m.pending ?? 'sent')).toEqual(['sent', 'sending']);
    // A visitor message commits before ours: it goes above the pending one.
    list = mergeMessages(list, [msg(2)]);
    expect(list.map((m) => m.id)).toEqual(['m1', 'm2', 'pending:mine']);
    const acked = msg(3, { id: 'm3', clientId: 'mine', author: 'agent', agent, text: 'hello' });
    list = mergeMessages(list, [acked]);
    expect(list.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(list.some((m) => m.pending)).toBe(false);
    // The echo over message:new after the ack changes nothing.
    expect(mergeMessages(list, [acked])).toBe(list);
  });

  it('replaces a failed message too when it turns out to have been committed (seen after a reconnect)', () => {
    let list = addPending([], { conversationId, clientId: 'x', text: 'hi', internal: false, agent });
    list = setPending(list, 'x', 'failed', 'No answer from the server');
    expect(list[0]).toMatchObject({ pending: 'failed', error: 'No answer from the server' });
    list = mergeMessages(list, [msg(1, { clientId: 'x', author: 'agent', agent })]);
    expect(list).toHaveLength(1);
    expect(list[0]!.pending).toBeUndefined();
  });

  it('keeps several pending messages in the order they were written', () => {
    let list = addPending([], { conversationId, clientId: 'a', text: 'one', internal: false, agent });
    list = addPending(list, { conversationId, clientId: 'b', text: 'two', internal: true, agent });
    list = mergeMessages(list, [msg(1)]);
    expect(list.map((m) => m.text)).toEqual(['message 1', 'one', 'two']);
  });
});

describe('setPending', () => {
  it('moves a failed message back to sending on retry and leaves committed ones alone', () => {
    let list = addPending(mergeMessages([], [msg(1)]), {
      conversationId,
      clientId: 'a',
      text: 'x',
      internal: false,
      agent,
    });
    list = setPending(list, 'a', 'failed', 'nope');
    list = setPending(list, 'a', 'sending');
    expect(list[1]).toMatchObject({ pending: 'sending', error: undefined });
    expect(setPending(list, 'c1', 'failed')).toBe(list);
  });
});

describe('seq helpers and delivery', () => {
  it('resyncs from the highest committed seq, ignoring pending', () => {
    const list = addPending(mergeMessages([], [msg(1), msg(4, { author: 'agent' })]), {
      conversationId,
      clientId: 'p',
      text: 'x',
      internal: false,
      agent,
    });
    expect(lastSeq(list)).toBe(4);
    expect(lastVisitorSeq(list)).toBe(1);
    expect(lastSeq([])).toBe(0);
  });

  it('shows read for agent messages up to the visitor read seq, never for notes', () => {
    const reply = { ...msg(2, { author: 'agent', agent }) };
    const note = { ...msg(3, { author: 'agent', agent, internal: true }) };
    expect(deliveryOf(reply, 1)).toBe('sent');
    expect(deliveryOf(reply, 2)).toBe('read');
    expect(deliveryOf(note, 5)).toBe('sent');
    expect(deliveryOf({ ...reply, pending: 'failed' }, 9)).toBe('failed');
  });
});
