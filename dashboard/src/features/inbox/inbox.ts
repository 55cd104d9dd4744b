import type { ChatMessage, ConversationStatus, ConversationSummary } from '@beckon/sdk/protocol';
import type { InboxView } from '../../api';
import { temperatureRank } from '../routing';

/**
 * The inbox as this dashboard knows it: one entry per conversation, fed by REST lists and kept current
 * by pushes. The server re-sends a conversation's summary only when its shape changes (created,
 * assigned, closed, read, rated), not on every message, so new messages update the entry here:
 * last message, order, and the unread count.
 *
 * Unread bookkeeping: the server's summary counts visitor messages after the read marker up to its
 * `lastSeq` (`base`); visitor messages pushed after that snapshot are counted locally by seq, so a
 * duplicate push, a message older than the snapshot, or a late snapshot never counts a message twice.
 */
export interface InboxEntry {
  /** What the list shows: the server's summary with newer messages and the local unread count overlaid. */
  summary: ConversationSummary;
  /** The latest server snapshot's seq and unread count. */
  base: { lastSeq: number; unread: number };
  /** Visitor messages pushed with a seq above `base.lastSeq`. */
  liveVisitorSeqs: number[];
  /** The highest seq this dashboard has marked read. */
  readSeq: number;
  /** Seq of the message shown as `lastMessage` (the snapshot's `lastSeq` for a server summary). */
  shownSeq: number;
  /**
   * The newest message from the visitor or an agent (not a note, not an automatic message), for the
   * list's preview: an auto-reply says nothing about what the visitor asked.
   */
  preview: (NonNullable<ConversationSummary['lastMessage']> & { seq: number }) | null;
  /** Last activity, for ordering (notes count, as they do on the server). */
  activity: number;
  /** Local time the entry last changed; a list fetched before that cannot say it is gone. */
  touched: number;
}

export type Inbox = ReadonlyMap<string, InboxEntry>;

export interface InboxFilter {
  siteId?: string;
  view: InboxView;
  status: ConversationStatus;
}

const MAX_LIVE_SEQS = 200;

const time = (iso: string | undefined | null) => (iso ? Date.parse(iso) || 0 : 0);

export function unreadOf(entry: Pick<InboxEntry, 'base' | 'liveVisitorSeqs' | 'readSeq'>): number {
  const fromSnapshot = entry.readSeq >= entry.base.lastSeq ? 0 : entry.base.unread;
  return fromSnapshot + entry.liveVisitorSeqs.filter((seq) => seq > entry.readSeq).length;
}

const withUnread = (entry: Omit<InboxEntry, 'summary'> & { summary: ConversationSummary }): InboxEntry => ({
  ...entry,
  summary: { ...entry.summary, unread: unreadOf(entry) },
});

/** A summary from a list or a `conversations:updated` push. */
export function applySummary(inbox: Inbox, summary: ConversationSummary, now = Date.now()): Inbox {
  const prev = inbox.get(summary.id);
  const activity = Math.max(time(summary.lastMessage?.createdAt), time(summary.createdAt));
  let entry: InboxEntry;
  if (!prev) {
    entry = withUnread({
      summary,
      base: { lastSeq: summary.lastSeq, unread: summary.unread },
      liveVisitorSeqs: [],
      readSeq: 0,
      shownSeq: summary.lastSeq,
      preview: humanPreview(summary, null),
      activity,
      touched: now,
    });
  } else {
    // A snapshot older than the last one (two publishes crossing) must not move the base back.
    const newerBase = summary.lastSeq >= prev.base.lastSeq;
    const base = newerBase ? { lastSeq: summary.lastSeq, unread: summary.unread } : prev.base;
    const liveVisitorSeqs = prev.liveVisitorSeqs.filter((seq) => seq > base.lastSeq);
    const newerMessage = summary.lastSeq >= prev.shownSeq;
    entry = withUnread({
      // Assignment, status, visitor and rating come from the latest snapshot; messages from whichever is newer.
      summary: {
        ...summary,
        // Pushes sent before the chat became a person's (or without looking it up) keep the person already known.
        visitor:
          !summary.visitor.personId && prev.summary.visitor.personId
            ? {
                ...summary.visitor,
                personId: prev.summary.visitor.personId,
                displayName: prev.summary.visitor.displayName,
              }
            : summary.visitor,
        lastSeq: Math.max(summary.lastSeq, prev.summary.lastSeq),
        lastMessage: newerMessage ? summary.lastMessage : prev.summary.lastMessage,
      },
      base,
      liveVisitorSeqs,
      readSeq: prev.readSeq,
      shownSeq: newerMessage ? summary.lastSeq : prev.shownSeq,
      preview: humanPreview(summary, prev.preview),
      activity: Math.max(prev.activity, activity),
      touched: now,
    });
  }
  const next = new Map(inbox);
  next.set(summary.id, entry);
  return next;
}

/** A summary's last message counts as the preview when it is human and not older than what we have. */
function humanPreview(summary: ConversationSummary, prev: InboxEntry['preview']): InboxEntry['preview'] {
  const last = summary.lastMessage;
  if (!last || last.author === 'system') return prev;
  if (prev && prev.seq > summary.lastSeq) return prev;
  return { ...last, seq: summary.lastSeq };
}

/**
 * A pushed message (or one loaded with the conversation). Returns the inbox unchanged for a
 * conversation it does not know (the caller asks the server for its summary) and for a message that
 * changes nothing (already counted and shown).
 */
export function applyMessage(inbox: Inbox, message: ChatMessage, now = Date.now()): Inbox {
  const prev = inbox.get(message.conversationId);
  if (!prev) return inbox;
  const counted = message.seq <= prev.base.lastSeq || prev.liveVisitorSeqs.includes(message.seq);
  const countNow = message.author === 'visitor' && !counted;
  const newer = message.seq > prev.shownSeq && !message.internal;
  const newerPreview = !message.internal && message.author !== 'system' && message.seq > (prev.preview?.seq ?? -1);
  const activity = Math.max(prev.activity, time(message.createdAt));
  if (!countNow && !newer && !newerPreview && message.seq <= prev.summary.lastSeq && activity === prev.activity) {
    return inbox;
  }
  const liveVisitorSeqs = countNow
    ? [...prev.liveVisitorSeqs, message.seq].slice(-MAX_LIVE_SEQS)
    : prev.liveVisitorSeqs;
  const entry = withUnread({
    ...prev,
    summary: {
      ...prev.summary,
      lastSeq: Math.max(prev.summary.lastSeq, message.seq),
      lastMessage: newer
        ? { text: message.text, author: message.author, createdAt: message.createdAt }
        : prev.summary.lastMessage,
    },
    liveVisitorSeqs,
    shownSeq: newer ? message.seq : prev.shownSeq,
    preview: newerPreview
      ? { text: message.text, author: message.author, createdAt: message.createdAt, seq: message.seq }
      : prev.preview,
    activity,
    touched: now,
  });
  const next = new Map(inbox);
  next.set(message.conversationId, entry);
  return next;
}

/** The agent has seen everything up to `seq` (sent to the server as `message:read`). */
export function applyRead(inbox: Inbox, conversationId: string, seq: number, now = Date.now()): Inbox {
  const prev = inbox.get(conversationId);
  if (!prev || seq <= prev.readSeq) return inbox;
  const next = new Map(inbox);
  next.set(conversationId, withUnread({ ...prev, readSeq: seq, touched: now }));
  return next;
}

export function matchesFilter(summary: ConversationSummary, filter: InboxFilter, meId: string): boolean {
  if (summary.status !== filter.status) return false;
  if (filter.siteId && summary.siteId !== filter.siteId) return false;
  if (filter.view === 'unassigned') return !summary.assignee;
  if (filter.view === 'mine') return summary.assignee?.id === meId;
  return true;
}

/**
 * Merges a list the server returned for `filter`. When the list is complete (shorter than the limit),
 * entries that match the filter locally but are not in it are gone from that view (closed or moved
 * while we were offline) and are dropped, unless they changed after the request started.
 */
export function applyList(
  inbox: Inbox,
  filter: InboxFilter,
  meId: string,
  list: readonly ConversationSummary[],
  {
    complete,
    startedAt,
    keep,
    now = Date.now(),
  }: { complete: boolean; startedAt: number; keep?: string | null; now?: number },
): Inbox {
  let next = inbox;
  for (const summary of list) next = applySummary(next, summary, now);
  if (!complete) return next;
  const ids = new Set(list.map((summary) => summary.id));
  let pruned: Map<string, InboxEntry> | null = null;
  for (const [id, entry] of next) {
    if (ids.has(id) || id === keep || entry.touched >= startedAt) continue;
    if (!matchesFilter(entry.summary, filter, meId)) continue;
    pruned ??= new Map(next);
    pruned.delete(id);
  }
  return pruned ?? next;
}

/**
 * The conversations of a view, most recent activity first. `keep` (see `pinSelection`) is listed even
 * when it no longer matches the view.
 */
export function listFor(inbox: Inbox, filter: InboxFilter, meId: string, keep: string | null = null): InboxEntry[] {
  const entries = [...inbox.values()].filter(
    (entry) => entry.summary.id === keep || matchesFilter(entry.summary, filter, meId),
  );
  // Unassigned is a queue, like the server orders it: hot first, then warm, then cold, then longest waiting.
  if (filter.view === 'unassigned' && filter.status === 'open') {
    return entries.sort(
      (a, b) =>
        temperatureRank(a.summary.temperature) - temperatureRank(b.summary.temperature) ||
        a.summary.createdAt.localeCompare(b.summary.createdAt) ||
        a.summary.id.localeCompare(b.summary.id),
    );
  }
  return entries.sort((a, b) => b.activity - a.activity || a.summary.id.localeCompare(b.summary.id));
}

/** The selected conversation, pinned to the view it was shown in. */
export interface Pin {
  id: string;
  view: string;
}

const viewKey = (filter: InboxFilter) => `${filter.siteId ?? ''}/${filter.view}/${filter.status}`;

/**
 * Keeps the open conversation in the list it was picked from after it leaves that view (closed while
 * the agent reads it, taken or transferred), so its row does not vanish from under the agent; the row
 * goes once the agent opens another conversation, goes back to the list, or switches the view. A
 * conversation that never matched the view (opened from a link) is not added to it. Call on every
 * render with the previous pin; `pin?.id` is what `listFor` keeps.
 */
export function pinSelection(
  pin: Pin | null,
  inbox: Inbox,
  filter: InboxFilter,
  meId: string,
  selectedId: string | null,
): Pin | null {
  if (!selectedId) return null;
  const view = viewKey(filter);
  const same = pin?.id === selectedId && pin.view === view;
  const summary = inbox.get(selectedId)?.summary;
  if (summary && matchesFilter(summary, filter, meId)) return same ? pin : { id: selectedId, view };
  return same ? pin : null;
}

/** Unread visitor messages in open conversations, for one site or all. */
export function unreadTotal(inbox: Inbox, siteId?: string): number {
  let total = 0;
  for (const entry of inbox.values()) {
    if (entry.summary.status !== 'open') continue;
    if (siteId && entry.summary.siteId !== siteId) continue;
    total += entry.summary.unread;
  }
  return total;
}

/** Open conversations per view, for the tab counters. */
export function viewCounts(inbox: Inbox, siteId: string, meId: string): Record<InboxView, number> {
  const counts: Record<InboxView, number> = { unassigned: 0, mine: 0, all: 0 };
  for (const entry of inbox.values()) {
    const s = entry.summary;
    if (s.status !== 'open' || s.siteId !== siteId) continue;
    counts.all++;
    if (!s.assignee) counts.unassigned++;
    else if (s.assignee.id === meId) counts.mine++;
  }
  return counts;
}

/** Whether a new conversation should ring: it is waiting for anyone, or it was given to me. */
export function shouldAlert(summary: ConversationSummary, meId: string): boolean {
  return summary.status === 'open' && (!summary.assignee || summary.assignee.id === meId);
}
