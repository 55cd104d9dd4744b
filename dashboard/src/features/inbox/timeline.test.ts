import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@beckon/sdk/protocol';
import type { ConversationEvent } from '../../api';
import { buildTimeline, ratingText } from './timeline';

const at = (day: number, h: number, m: number) => new Date(2026, 0, day, h, m).toISOString();
const msg = (seq: number, createdAt: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  clientId: `c${seq}`,
  author: 'visitor',
  agent: null,
  internal: false,
  text: 't',
  createdAt,
  ...over,
});
const event = (kind: ConversationEvent['kind'], when: string): ConversationEvent => ({
  kind,
  from: null,
  to: 'Ann',
  by: 'Ann',
  reason: '',
  routing: null,
  at: when,
});

const shape = (items: ReturnType<typeof buildTimeline>) =>
  items.map((item) =>
    item.type === 'day'
      ? 'day'
      : item.type === 'event'
        ? `event:${item.event.kind}`
        : item.type === 'rating'
          ? `rating:${item.csat.rating}`
          : `${item.message.id}${item.groupStart ? '<' : ''}${item.groupEnd ? '>' : ''}`,
  );

describe('buildTimeline', () => {
  it('groups bubbles by sender, separates days and slots events in by time', () => {
    const ann = { id: 'a', name: 'Ann' };
    const items = buildTimeline(
      [
        msg(1, at(1, 10, 0)),
        msg(2, at(1, 10, 1)),
        msg(3, at(1, 10, 3), { author: 'agent', agent: ann }),
        msg(4, at(1, 10, 4), { author: 'agent', agent: ann, internal: true }),
        msg(5, at(2, 9, 0)),
      ],
      [event('taken', at(1, 10, 2)), event('closed', at(2, 9, 30))],
    );
    expect(shape(items)).toEqual(['day', 'm1<', 'm2>', 'event:taken', 'm3<>', 'm4<>', 'day', 'm5<>', 'event:closed']);
  });

  it('starts a new group after a long pause', () => {
    const items = buildTimeline([msg(1, at(1, 10, 0)), msg(2, at(1, 10, 10))], []);
    expect(shape(items)).toEqual(['day', 'm1<>', 'm2<>']);
  });

  it("ends with the visitor's rating, after the close", () => {
    const items = buildTimeline(
      [msg(1, at(1, 10, 0)), msg(2, at(1, 10, 1), { author: 'agent', agent: { id: 'a', name: 'Ann' } })],
      [event('closed', at(1, 10, 2))],
      {
        rating: 5,
        comment: 'Quick and friendly',
      },
    );
    expect(shape(items)).toEqual(['day', 'm1<>', 'm2<>', 'event:closed', 'rating:5']);
    expect(buildTimeline([msg(1, at(1, 10, 0))], [], null).some((item) => item.type === 'rating')).toBe(false);
  });
});

describe('ratingText', () => {
  it('says the rating, and the comment when there is one', () => {
    expect(ratingText({ rating: 5, comment: 'Quick and friendly' })).toBe('Rated 5 of 5 — “Quick and friendly”');
    expect(ratingText({ rating: 2, comment: null })).toBe('Rated 2 of 5');
    expect(ratingText({ rating: 3, comment: '  ' })).toBe('Rated 3 of 5');
  });
});
