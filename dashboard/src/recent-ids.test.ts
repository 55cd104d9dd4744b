import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { recentIds } from './recent-ids';

const conversationId = '11111111-1111-4111-8111-111111111111';
const visitorMessage = (seq: number): ChatMessage => ({
  id: `m${seq}`,
  conversationId,
  seq,
  clientId: `c${seq}`,
  author: 'visitor',
  agent: null,
  internal: false,
  text: `message ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
});

describe('recentIds', () => {
  it('lets each id through once, forgetting the oldest beyond its limit', () => {
    const ids = recentIds(2);
    expect(['a', 'b', 'a', 'b'].map((id) => ids.first(id))).toEqual([true, true, false, false]);
    expect(ids.first('c')).toBe(true);
    // 'a' was the oldest: forgotten, so it passes again; 'b' and 'c' are still remembered.
    expect(['a', 'c'].map((id) => ids.first(id))).toEqual([true, false]);
  });

  it('passes a message relayed twice (the same id in two frames) on once', () => {
    const ids = recentIds();
    const frames = [[visitorMessage(2)], [visitorMessage(2), visitorMessage(3)]];
    const delivered = frames.flat().filter((message) => ids.first(message.id));
    expect(delivered.map((message) => message.id)).toEqual(['m2', 'm3']);
  });
});
