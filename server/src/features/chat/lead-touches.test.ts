import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { eventsTable, leadTouchesTable, leadVisitorsTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { disjointGroups, recordChatLeads, type NewConversation } from './chat.js';
import { resolveChatVisitor, startConversation } from './service.js';

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString().padStart(4, '0')}`;

/** A chat as a welcome round holds it; only what the lead touch reads is filled in. */
const opening = (chatVisitorId: string, trackerVisitorIds: string[], email: string | null = null): NewConversation =>
  ({
    conversation: { id: crypto.randomUUID(), chatVisitorId, channel: 'chat' },
    visitor: { name: null, email, phone: null, currentUrl: null, trackerVisitorIds },
    firstMessage: { text: 'Hello' },
    assign: true,
  }) as unknown as NewConversation;

describe('disjointGroups', () => {
  it('keeps chats of the same browser, email or chat visitor out of one group, in arrival order, at most max a group', () => {
    const a = opening('chat-a', ['browser-1']);
    const b = opening('chat-b', ['browser-1']); // the same browser as a
    const c = opening('chat-c', ['browser-2'], 'Ann@Example.com');
    const d = opening('chat-d', ['browser-3'], 'ann@example.com'); // the same person as c, by email
    const e = opening('chat-a', ['browser-4']); // the same chat visitor as a
    const f = opening('chat-f', ['browser-5']);
    const g = opening('chat-g', ['browser-6']);
    expect(disjointGroups([a, b, c, d, e, f, g], 3)).toEqual([[a, c, f], [b, d, e], [g]]);
    expect(disjointGroups([f, g], 1)).toEqual([[f], [g]]);
  });
});

describe.each(databaseKinds)('chat lead touches on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  const errors: string[] = [];
  const realtime = createRealtime();
  const deps = () => ({
    db: t.db,
    realtime,
    logger: { ...createLogger('silent'), error: (message: string) => void errors.push(message) },
  });

  beforeAll(async () => {
    t = await createTestApp(kind, { realtime });
    siteId = (await t.login()).me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  /** A visitor's first message, committed as the socket path commits it; its lead touch is left to the test. */
  async function started(text = 'Hello, is the blue one in stock?', email: string | null = null) {
    const trackerId = unique('v_');
    const { visitor } = await resolveChatVisitor(t.db, siteId, undefined, 'https://shop.example/', trackerId, 'en');
    const conversation = await startConversation(t.db, {
      siteId,
      chatVisitorId: visitor.id,
      channel: 'chat',
      clientId: unique('c_'),
      text,
      autoReply: null,
    });
    return {
      trackerId,
      item: {
        conversation: conversation!.conversation,
        visitor: { ...visitor, email },
        firstMessage: conversation!.messages[0]!,
        assign: false,
      } satisfies NewConversation,
    };
  }

  const leadsOf = async (trackerIds: string[]) =>
    t.db
      .select({ visitorId: leadVisitorsTable.visitorId, kind: leadTouchesTable.kind })
      .from(leadVisitorsTable)
      .innerJoin(leadTouchesTable, eq(leadTouchesTable.leadId, leadVisitorsTable.leadId))
      .where(and(eq(leadVisitorsTable.siteId, siteId), inArray(leadVisitorsTable.visitorId, trackerIds)));
  const signalsOf = async (trackerIds: string[]) =>
    t.db
      .select({ visitorId: eventsTable.visitorId, name: eventsTable.name })
      .from(eventsTable)
      .where(
        and(eq(eventsTable.siteId, siteId), eq(eventsTable.type, 'signal'), inArray(eventsTable.visitorId, trackerIds)),
      );

  it('records every chat of a group as its own lead, touch and scoring signal', async () => {
    const chats = await Promise.all([started(), started(), started('Hi', 'ann@leads.test'), started()]);
    await recordChatLeads(deps(), siteId, [...chats.map((chat) => chat.item)]);
    const trackerIds = chats.map((chat) => chat.trackerId);
    const leads = await leadsOf(trackerIds);
    expect(leads.map((lead) => lead.visitorId).sort()).toEqual([...trackerIds].sort());
    expect(new Set(leads.map((lead) => lead.kind))).toEqual(new Set(['chat.started']));
    const signals = await signalsOf(trackerIds);
    expect(signals.map((signal) => signal.visitorId).sort()).toEqual([...trackerIds].sort());
    expect(new Set(signals.map((signal) => signal.name))).toEqual(new Set(['chat_started']));
    expect(errors).toEqual([]);
  });

  it('a touch the database refuses costs the other chats of its group nothing: only its own failure is logged', async () => {
    errors.length = 0;
    // A NUL character is text PostgreSQL cannot store: the touch's summary fails its insert.
    const good = await Promise.all([started(), started()]);
    const bad = await started();
    bad.item.firstMessage = { ...bad.item.firstMessage, text: 'nul \u0000 here' };
    const later = await started();
    await recordChatLeads(deps(), siteId, [good[0]!.item, bad.item, good[1]!.item, later.item]);
    const recorded = [...good, later].map((chat) => chat.trackerId);
    expect((await leadsOf([...recorded, bad.trackerId])).map((lead) => lead.visitorId).sort()).toEqual(
      [...recorded].sort(),
    );
    expect((await signalsOf([...recorded, bad.trackerId])).map((signal) => signal.visitorId).sort()).toEqual(
      [...recorded].sort(),
    );
    expect(errors).toEqual(['recording the chat as a lead failed']);
  });
});
