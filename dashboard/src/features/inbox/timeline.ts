import type { ConversationSummary } from '@beckon/sdk/protocol';
import type { ConversationEvent } from '../../api';
import { dayKey } from '../../lib/format';
import type { ThreadMessage } from './messages';
import { t } from './i18n';

export type TimelineItem =
  | { type: 'day'; key: string; at: string }
  | { type: 'message'; key: string; message: ThreadMessage; groupStart: boolean; groupEnd: boolean }
  | { type: 'event'; key: string; event: ConversationEvent }
  | { type: 'rating'; key: string; csat: NonNullable<ConversationSummary['csat']> };

/** Consecutive bubbles from one author within this gap share one name/time line. */
const GROUP_GAP_MS = 3 * 60_000;

const sameSender = (a: ThreadMessage, b: ThreadMessage) =>
  a.author === b.author && a.internal === b.internal && (a.agent?.id ?? null) === (b.agent?.id ?? null);

/**
 * The conversation as rendered: messages in seq order with assignment events slotted in by time, a
 * day separator whenever the calendar day changes, and bubbles grouped by sender. The visitor's rating
 * comes last: it is only given once the conversation is closed (after its last message and the close),
 * and carries no time of its own.
 */
export function buildTimeline(
  messages: readonly ThreadMessage[],
  events: readonly ConversationEvent[],
  csat: ConversationSummary['csat'] = null,
): TimelineItem[] {
  const rows: Array<{ at: string; item: TimelineItem }> = [];
  const pendingEvents = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let e = 0;
  messages.forEach((message, index) => {
    // Events that happened before this message go above it; pending messages are "now", after all of them.
    while (
      e < pendingEvents.length &&
      (message.pending || Date.parse(pendingEvents[e]!.at) < Date.parse(message.createdAt))
    ) {
      const event = pendingEvents[e++]!;
      rows.push({ at: event.at, item: { type: 'event', key: `event-${event.at}-${e}`, event } });
    }
    const prev = messages[index - 1];
    const next = messages[index + 1];
    const near = (a: ThreadMessage | undefined, b: ThreadMessage | undefined) =>
      !!a &&
      !!b &&
      sameSender(a, b) &&
      Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) < GROUP_GAP_MS &&
      dayKey(a.createdAt) === dayKey(b.createdAt);
    rows.push({
      at: message.createdAt,
      item: {
        type: 'message',
        key: message.id,
        message,
        groupStart: !near(prev, message),
        groupEnd: !near(message, next) || !!message.pending || !!next?.pending,
      },
    });
  });
  for (; e < pendingEvents.length; e++) {
    const event = pendingEvents[e]!;
    rows.push({ at: event.at, item: { type: 'event', key: `event-${event.at}-${e + 1}`, event } });
  }
  // Events break a group: the bubble before ends one, the bubble after starts one.
  const items: TimelineItem[] = [];
  let lastDay: string | null = null;
  rows.forEach(({ at, item }, index) => {
    const day = dayKey(at);
    if (day !== lastDay) {
      items.push({ type: 'day', key: `day-${day}`, at });
      lastDay = day;
      if (item.type === 'message') item.groupStart = true;
    }
    if (item.type === 'message') {
      const before = rows[index - 1]?.item;
      const after = rows[index + 1]?.item;
      if (before?.type === 'event') item.groupStart = true;
      if (after?.type === 'event') item.groupEnd = true;
    }
    items.push(item);
  });
  if (csat) items.push({ type: 'rating', key: 'rating', csat });
  return items;
}

/** The thread's line for the visitor's rating: "Rated 4 of 5 — “Quick and friendly”". */
export function ratingText(csat: NonNullable<ConversationSummary['csat']>): string {
  const comment = csat.comment?.trim();
  return comment ? t('ratedWithComment', { rating: csat.rating, comment }) : t('rated', { rating: csat.rating });
}
