import { describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationSummary } from '@beckon/sdk/protocol';
import {
  applyList,
  applyMessage,
  applyRead,
  applySummary,
  listFor,
  pinSelection,
  shouldAlert,
  unreadTotal,
  viewCounts,
  type Inbox,
  type InboxFilter,
  type Pin,
} from './inbox';

const me = 'agent-me';
let n = 0;

const summary = (over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: over.id ?? `c${++n}`,
  siteId: 'site-1',
  status: 'open',
  channel: 'chat',
  visitor: { id: 'v1', name: null, email: null, phone: null, currentUrl: null },
  assignee: null,
  lastMessage: { text: 'hello', author: 'visitor', createdAt: '2026-01-01T12:00:00.000Z' },
  lastSeq: 1,
  agentReadSeq: 0,
  visitorReadSeq: 0,
  unread: 1,
  createdAt: '2026-01-01T12:00:00.000Z',
  closedAt: null,
  csat: null,
  ...over,
});

const message = (conversationId: string, seq: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `${conversationId}-m${seq}`,
  conversationId,
  seq,
  clientId: `cl${seq}`,
  author: 'visitor',
  agent: null,
  internal: false,
  text: `text ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 1, seq)).toISOString(),
  ...over,
});

const empty: Inbox = new Map();

describe('unread bookkeeping', () => {
  it("keeps the conversation's person when a push without one follows the list's snapshot", () => {
    const person = {
      id: 'v1',
      name: null,
      email: 'ann@example.com',
      phone: null,
      currentUrl: null,
      personId: 'p1',
      displayName: 'Ann',
    };
    let inbox = applySummary(new Map(), summary({ id: 'p', visitor: person }));
    inbox = applySummary(
      inbox,
      summary({ id: 'p', lastSeq: 2, visitor: { ...person, personId: null, displayName: 'ann@example.com' } }),
    );
    expect(inbox.get('p')!.summary.visitor).toMatchObject({ personId: 'p1', displayName: 'Ann' });
  });

  it('counts visitor messages pushed after the snapshot, once each', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 2, unread: 1 }));
    inbox = applyMessage(inbox, message('a', 3));
    inbox = applyMessage(inbox, message('a', 3)); // duplicate push
    inbox = applyMessage(inbox, message('a', 2)); // already in the snapshot
    inbox = applyMessage(inbox, message('a', 4, { author: 'agent' }));
    expect(inbox.get('a')!.summary.unread).toBe(2);
    expect(inbox.get('a')!.summary.lastSeq).toBe(4);
  });

  it('counts a message that arrives out of seq order', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 1, unread: 0 }));
    inbox = applyMessage(inbox, message('a', 3));
    inbox = applyMessage(inbox, message('a', 2));
    expect(inbox.get('a')!.summary.unread).toBe(2);
  });

  it('takes a newer snapshot as the truth and drops what it covers', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 1, unread: 1 }));
    inbox = applyMessage(inbox, message('a', 2));
    inbox = applyMessage(inbox, message('a', 3));
    // Another agent read up to 2; the server's snapshot says one unread (seq 3).
    inbox = applySummary(inbox, summary({ id: 'a', lastSeq: 3, unread: 1 }));
    expect(inbox.get('a')!.summary.unread).toBe(1);
    expect(inbox.get('a')!.liveVisitorSeqs).toEqual([]);
  });

  it('keeps newer pushed messages when a snapshot computed before them arrives late', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 1, unread: 1 }));
    inbox = applyMessage(inbox, message('a', 2, { text: 'newest' }));
    inbox = applySummary(inbox, summary({ id: 'a', lastSeq: 1, unread: 1, assignee: { id: me, name: 'Me' } }));
    const entry = inbox.get('a')!;
    expect(entry.summary.unread).toBe(2);
    expect(entry.summary.lastSeq).toBe(2);
    expect(entry.summary.lastMessage?.text).toBe('newest');
    expect(entry.summary.assignee?.id).toBe(me);
  });

  it('does not go backwards when two snapshots cross', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 5, unread: 0 }));
    inbox = applySummary(inbox, summary({ id: 'a', lastSeq: 4, unread: 3 }));
    expect(inbox.get('a')!.summary.unread).toBe(0);
    expect(inbox.get('a')!.summary.lastSeq).toBe(5);
  });

  it('reading clears the count, and a late snapshot from before the read does not bring it back', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 1, unread: 1 }));
    inbox = applyMessage(inbox, message('a', 2));
    inbox = applyRead(inbox, 'a', 2);
    expect(inbox.get('a')!.summary.unread).toBe(0);
    inbox = applySummary(inbox, summary({ id: 'a', lastSeq: 2, unread: 2 }));
    expect(inbox.get('a')!.summary.unread).toBe(0);
    // Only messages after the read count again.
    inbox = applyMessage(inbox, message('a', 3));
    expect(inbox.get('a')!.summary.unread).toBe(1);
  });

  it('ignores a read that is not newer, and messages for unknown conversations', () => {
    const inbox = applyRead(applySummary(empty, summary({ id: 'a' })), 'a', 1);
    expect(applyRead(inbox, 'a', 1)).toBe(inbox);
    expect(applyMessage(inbox, message('zzz', 1))).toBe(inbox);
  });

  it('does not show internal notes as the last message but orders by them', () => {
    let inbox = applySummary(empty, summary({ id: 'a', lastSeq: 1 }));
    inbox = applySummary(
      inbox,
      summary({
        id: 'b',
        lastSeq: 1,
        lastMessage: { text: 'b', author: 'visitor', createdAt: '2026-01-01T12:00:30.000Z' },
      }),
    );
    inbox = applyMessage(
      inbox,
      message('a', 2, { author: 'agent', internal: true, text: 'note', createdAt: '2026-01-01T12:05:00.000Z' }),
    );
    expect(inbox.get('a')!.summary.lastMessage?.text).toBe('hello');
    expect(listFor(inbox, { view: 'all', status: 'open' }, me).map((e) => e.summary.id)).toEqual(['a', 'b']);
  });

  it('lists Unassigned hot first, then warm, then cold, then longest waiting, and re-orders when a visitor turns hot', () => {
    let inbox = empty;
    inbox = applySummary(
      inbox,
      summary({ id: 'cold-old', temperature: 'cold', createdAt: '2026-01-01T11:00:00.000Z' }),
    );
    inbox = applySummary(inbox, summary({ id: 'warm', temperature: 'warm', createdAt: '2026-01-01T12:00:00.000Z' }));
    inbox = applySummary(inbox, summary({ id: 'hot-new', temperature: 'hot', createdAt: '2026-01-01T12:30:00.000Z' }));
    inbox = applySummary(inbox, summary({ id: 'hot-old', temperature: 'hot', createdAt: '2026-01-01T12:10:00.000Z' }));
    inbox = applySummary(inbox, summary({ id: 'unknown', temperature: null, createdAt: '2026-01-01T10:00:00.000Z' }));
    const unassigned = { view: 'unassigned', status: 'open' } as const;
    expect(listFor(inbox, unassigned, me).map((e) => e.summary.id)).toEqual([
      'hot-old',
      'hot-new',
      'warm',
      'cold-old',
      'unknown',
    ]);
    inbox = applySummary(inbox, { ...inbox.get('cold-old')!.summary, temperature: 'hot' });
    expect(listFor(inbox, unassigned, me).map((e) => e.summary.id)[0]).toBe('cold-old');
  });

  it('previews the last human message, not an automatic reply', () => {
    // The visitor's first message is pushed before the summary exists; the summary's last message is the auto-reply.
    let inbox = applySummary(
      empty,
      summary({
        id: 'a',
        lastSeq: 2,
        unread: 1,
        lastMessage: {
          text: 'Thanks! We answer within 5 minutes.',
          author: 'system',
          createdAt: '2026-01-01T12:00:01.000Z',
        },
      }),
    );
    expect(inbox.get('a')!.preview).toBeNull();
    inbox = applyMessage(inbox, message('a', 1, { text: 'Do you ship to Austria?' }));
    expect(inbox.get('a')!.preview?.text).toBe('Do you ship to Austria?');
    expect(inbox.get('a')!.summary.unread).toBe(1);
    inbox = applySummary(
      inbox,
      summary({
        id: 'a',
        lastSeq: 2,
        unread: 1,
        lastMessage: {
          text: 'Thanks! We answer within 5 minutes.',
          author: 'system',
          createdAt: '2026-01-01T12:00:01.000Z',
        },
      }),
    );
    expect(inbox.get('a')!.preview?.text).toBe('Do you ship to Austria?');
    inbox = applyMessage(inbox, message('a', 3, { author: 'agent', text: 'Yes, we do.' }));
    expect(inbox.get('a')!.preview?.text).toBe('Yes, we do.');
    inbox = applyMessage(inbox, message('a', 4, { author: 'agent', internal: true, text: 'note' }));
    expect(inbox.get('a')!.preview?.text).toBe('Yes, we do.');
  });

  it('totals unread over open conversations per site', () => {
    let inbox = applySummary(empty, summary({ id: 'a', unread: 2 }));
    inbox = applySummary(inbox, summary({ id: 'b', unread: 1, siteId: 'site-2' }));
    inbox = applySummary(inbox, summary({ id: 'c', unread: 4, status: 'closed' }));
    expect(unreadTotal(inbox)).toBe(3);
    expect(unreadTotal(inbox, 'site-1')).toBe(2);
  });
});

describe('views', () => {
  const inbox = [
    summary({ id: 'u' }),
    summary({ id: 'm', assignee: { id: me, name: 'Me' } }),
    summary({ id: 'o', assignee: { id: 'other', name: 'Bob' } }),
    summary({ id: 'x', status: 'closed' }),
  ].reduce<Inbox>((acc, s) => applySummary(acc, s), empty);

  it('filters unassigned, mine and all by status and site', () => {
    const ids = (view: 'unassigned' | 'mine' | 'all', status: 'open' | 'closed' = 'open') =>
      listFor(inbox, { view, status, siteId: 'site-1' }, me)
        .map((e) => e.summary.id)
        .sort();
    expect(ids('unassigned')).toEqual(['u']);
    expect(ids('mine')).toEqual(['m']);
    expect(ids('all')).toEqual(['m', 'o', 'u']);
    expect(ids('all', 'closed')).toEqual(['x']);
    expect(viewCounts(inbox, 'site-1', me)).toEqual({ unassigned: 1, mine: 1, all: 3 });
  });

  it('a complete list drops entries that left the view while offline, but not ones changed since', () => {
    const startedAt = 1_000;
    let local = applySummary(empty, summary({ id: 'gone' }), 500);
    local = applySummary(local, summary({ id: 'fresh' }), 1_500);
    local = applySummary(local, summary({ id: 'open-one' }), 500);
    const next = applyList(local, { view: 'all', status: 'open' }, me, [summary({ id: 'stays' })], {
      complete: true,
      startedAt,
      keep: 'open-one',
      now: 2_000,
    });
    expect([...next.keys()].sort()).toEqual(['fresh', 'open-one', 'stays']);
    const partial = applyList(local, { view: 'all', status: 'open' }, me, [summary({ id: 'stays' })], {
      complete: false,
      startedAt,
      now: 2_000,
    });
    expect(partial.has('gone')).toBe(true);
  });

  it('keeps the selected conversation in the list it was picked from until the agent moves on', () => {
    const open: InboxFilter = { view: 'all', status: 'open', siteId: 'site-1' };
    const ids = (local: Inbox, filter: InboxFilter, pin: Pin | null) =>
      listFor(local, filter, me, pin?.id)
        .map((e) => e.summary.id)
        .sort();
    // Picked from the Open list, then closed (by this agent or another) while it is on screen.
    let pin = pinSelection(null, inbox, open, me, 'u');
    expect(pin?.id).toBe('u');
    const closed = applySummary(inbox, summary({ id: 'u', status: 'closed' }));
    pin = pinSelection(pin, closed, open, me, 'u');
    expect(ids(closed, open, pin)).toEqual(['m', 'o', 'u']);
    expect(listFor(closed, open, me, pin?.id).find((e) => e.summary.id === 'u')!.summary.status).toBe('closed');
    // The tab counters count open conversations only.
    expect(viewCounts(closed, 'site-1', me).all).toBe(2);
    // Still there on the next render; gone once another conversation is opened, or none.
    pin = pinSelection(pin, closed, open, me, 'u');
    expect(pin?.id).toBe('u');
    expect(pinSelection(pin, closed, open, me, 'm')?.id).toBe('m');
    expect(ids(closed, open, pinSelection(pin, closed, open, me, 'm'))).toEqual(['m', 'o']);
    expect(pinSelection(pin, closed, open, me, null)).toBeNull();
    // Switching the view lets it go, and coming back does not bring it back.
    const unassigned: InboxFilter = { ...open, view: 'unassigned' };
    expect(pinSelection(pin, closed, unassigned, me, 'u')).toBeNull();
    expect(pinSelection(pinSelection(pin, closed, unassigned, me, 'u'), closed, open, me, 'u')).toBeNull();
  });

  it('does not add a conversation that never matched the view (opened from a link)', () => {
    const open: InboxFilter = { view: 'all', status: 'open', siteId: 'site-1' };
    const pin = pinSelection(null, inbox, open, me, 'x');
    expect(pin).toBeNull();
    expect(listFor(inbox, open, me, pin?.id).map((e) => e.summary.id)).not.toContain('x');
  });

  it('keeps a conversation taken from the Unassigned view in it while it is open', () => {
    const unassigned: InboxFilter = { view: 'unassigned', status: 'open', siteId: 'site-1' };
    let pin = pinSelection(null, inbox, unassigned, me, 'u');
    const taken = applySummary(inbox, summary({ id: 'u', assignee: { id: me, name: 'Me' } }));
    pin = pinSelection(pin, taken, unassigned, me, 'u');
    expect(listFor(taken, unassigned, me, pin?.id).map((e) => e.summary.id)).toEqual(['u']);
  });

  it('alerts for chats waiting for anyone or given to me', () => {
    expect(shouldAlert(summary(), me)).toBe(true);
    expect(shouldAlert(summary({ assignee: { id: me, name: 'Me' } }), me)).toBe(true);
    expect(shouldAlert(summary({ assignee: { id: 'other', name: 'Bob' } }), me)).toBe(false);
    expect(shouldAlert(summary({ status: 'closed' }), me)).toBe(false);
  });
});
