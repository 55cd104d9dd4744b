import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatVisitorsTable, conversationsTable, messagesTable, sitesTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase } from '../../testing/harness.js';
import { holdTable } from '../../testing/locks.js';
import { appendMessage, closeConversation, startConversation } from './service.js';
import { createVisitorMessageWriter } from './visitor-message-writer.js';

let sequence = 0;
const clientId = () => `w_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

describe.each(databaseKinds)('group-commit writer for visitor messages on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let siteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [site] = await database.db
      .insert(sitesTable)
      .values({ key: `writer-${kind}`, name: 'Writer', widget: {} as never })
      .returning();
    siteId = site!.id;
  });
  afterAll(() => database?.dispose());

  /** A visitor with an open conversation holding their first message (seq 1). */
  async function chattingVisitor() {
    const [visitor] = await database.db.insert(chatVisitorsTable).values({ siteId, tokenHash: clientId() }).returning();
    const started = await startConversation(database.db, {
      siteId,
      chatVisitorId: visitor!.id,
      channel: 'chat',
      clientId: clientId(),
      text: 'Hello',
      autoReply: null,
    });
    return { siteId, chatVisitorId: visitor!.id, conversationId: started!.conversation.id, autoReply: null };
  }

  /** Counts the statements the writer sends, to see that concurrent sends share them. */
  function countingDb() {
    const counter = { statements: 0 };
    const db = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property === 'execute')
          return (...args: Parameters<Db['execute']>) => (counter.statements++, target.execute(...args));
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    return { db, counter };
  }

  it('stores concurrent sends of many visitors with few statements, numbering each conversation in send order', async () => {
    const visitors = await Promise.all([chattingVisitor(), chattingVisitor(), chattingVisitor()]);
    const { db, counter } = countingDb();
    const write = createVisitorMessageWriter(db);
    const sends = Array.from({ length: 60 }, (_, index) => ({
      ...visitors[index % 3]!,
      clientId: clientId(),
      text: `Message ${index}`,
    }));
    const results = await Promise.all(sends.map((send) => write(send)));

    expect(counter.statements).toBeLessThan(10);
    expect(results.every((result) => result?.created)).toBe(true);
    for (const visitor of visitors) {
      const rows = await database.db
        .select()
        .from(messagesTable)
        .where(eq(messagesTable.conversationId, visitor.conversationId))
        .orderBy(asc(messagesTable.seq));
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 21 }, (_, index) => index + 1));
      const expected = sends.filter((send) => send.chatVisitorId === visitor.chatVisitorId).map((send) => send.text);
      expect(rows.slice(1).map((row) => row.text)).toEqual(expected);
    }
    // The answer of each send is its own stored row.
    results.forEach((result, index) =>
      expect(result?.message).toMatchObject({
        clientId: sends[index]!.clientId,
        text: sends[index]!.text,
        author: 'visitor',
      }),
    );
  });

  it('numbers a conversation without gaps or repeats while agents answer in it at the same moment', async () => {
    const visitor = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db);
    const visitorSends = Array.from({ length: 30 }, (_, index) =>
      write({ ...visitor, clientId: clientId(), text: `Visitor ${index}` }),
    );
    // Each agent answer bumps the same conversation row in its own transaction, racing the writer's batches.
    const agentSends = Array.from({ length: 30 }, (_, index) =>
      appendMessage(database.db, {
        conversationId: visitor.conversationId,
        clientId: clientId(),
        author: 'agent',
        agentId: null,
        text: `Agent ${index}`,
      }),
    );
    const [fromVisitor, fromAgents] = await Promise.all([Promise.all(visitorSends), Promise.all(agentSends)]);
    // A batch row changed by an agent's commit meanwhile is rechecked and still stored, not dropped.
    expect(fromVisitor.every((result) => result?.created)).toBe(true);
    expect(fromAgents.every((result) => result.created)).toBe(true);
    const rows = await database.db
      .select()
      .from(messagesTable)
      .where(eq(messagesTable.conversationId, visitor.conversationId))
      .orderBy(asc(messagesTable.seq));
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 61 }, (_, index) => index + 1));
    const [conversation] = await database.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, visitor.conversationId));
    expect(conversation?.lastSeq).toBe(61);
  });

  it('stores a retried send once and answers every copy with the same message', async () => {
    const visitor = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db);
    const send = { ...visitor, clientId: clientId(), text: 'Only once' };
    const [first, sameBatch] = await Promise.all([write(send), write(send)]);
    const later = await write(send);
    expect(first?.created).toBe(true);
    expect(sameBatch?.message).toEqual(first?.message);
    expect(later).toMatchObject({ created: false, message: first!.message });
    const rows = await database.db.select().from(messagesTable).where(eq(messagesTable.clientId, send.clientId));
    expect(rows).toHaveLength(1);
  });

  const freshVisitor = async () => {
    const [visitor] = await database.db.insert(chatVisitorsTable).values({ siteId, tokenHash: clientId() }).returning();
    return { siteId, chatVisitorId: visitor!.id, autoReply: 'We answer soon' };
  };

  it('answers a send retried while its batch waits behind a slow commit as new once, so it is relayed and welcomed once', async () => {
    const busy = await chattingVisitor();
    const opening = await freshVisitor();
    const chatting = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db, { lanes: 1 });
    const release = await holdTable(database.db, messagesTable);
    // The lane's batch in flight waits for the lock; the sends below queue behind it, and their retries
    // (the visitor client's ack timed out) join them there.
    const inFlight = write({ ...busy, clientId: clientId(), text: 'Stuck behind the lock' });
    await new Promise((resolve) => setImmediate(resolve));
    const firstWords = { ...opening, clientId: clientId(), text: 'Hello?' };
    const more = { ...chatting, clientId: clientId(), text: 'Still there?' };
    const copies = [write(firstWords), write(more), write(firstWords), write(more)];
    await release();
    const [openingFirst, moreFirst, openingRetry, moreRetry] = await Promise.all(copies);
    expect((await inFlight)?.created).toBe(true);

    expect(openingFirst).toMatchObject({ created: true, started: { autoReply: { author: 'system' } } });
    expect(openingRetry).toMatchObject({ created: false, message: openingFirst!.message });
    expect(moreFirst).toMatchObject({ created: true, started: null });
    expect(moreRetry).toMatchObject({ created: false, message: moreFirst!.message });
    const rows = await database.db
      .select()
      .from(messagesTable)
      .where(inArray(messagesTable.clientId, [firstWords.clientId, more.clientId]));
    expect(rows).toHaveLength(2);
  });

  it('fails only the poisoned sends of a busy batch: every other visitor’s message is stored and answered once', async () => {
    const visitors = await Promise.all(Array.from({ length: 6 }, () => chattingVisitor()));
    const opening = await freshVisitor();
    const write = createVisitorMessageWriter(database.db, { lanes: 1 });
    const innocent = Array.from({ length: 30 }, (_, index) => ({
      ...visitors[index % 6]!,
      clientId: clientId(),
      text: `Fine ${index}`,
    }));
    innocent.push({ ...opening, clientId: clientId(), text: 'First words 👋' });
    // Called directly, past the protocol's schemas: the writer must hold whatever they let through.
    const poisoned = [
      { ...visitors[0]!, clientId: clientId(), text: 'nul \u0000 inside' },
      { ...visitors[1]!, clientId: clientId(), text: 'half an emoji \ud83d' },
      { ...visitors[2]!, clientId: clientId(), text: 'reversed pair \ude00\ud83d' },
    ];
    const all = [...innocent.slice(0, 10), ...poisoned, ...innocent.slice(10)];
    const results = await Promise.allSettled(all.map((send) => write(send)));

    const byClientId = new Map(all.map((send, index) => [send.clientId, results[index]!]));
    for (const send of poisoned) {
      expect(byClientId.get(send.clientId)).toMatchObject({
        status: 'rejected',
        reason: { code: 'validation_failed', details: { field: 'text' } },
      });
    }
    for (const send of innocent) {
      expect(byClientId.get(send.clientId)).toMatchObject({
        status: 'fulfilled',
        value: { created: true, message: { clientId: send.clientId, text: send.text } },
      });
    }
    const rows = await database.db
      .select()
      .from(messagesTable)
      .where(
        inArray(
          messagesTable.clientId,
          all.map((send) => send.clientId),
        ),
      );
    expect(rows.map((row) => row.clientId).sort()).toEqual(innocent.map((send) => send.clientId).sort());
  });

  it('writes the members of a batch PostgreSQL refused one by one, so only the one it cannot store fails', async () => {
    const visitors = await Promise.all(Array.from({ length: 4 }, () => chattingVisitor()));
    const write = createVisitorMessageWriter(database.db, { lanes: 1 });
    const innocent = Array.from({ length: 12 }, (_, index) => ({
      ...visitors[index % 4]!,
      clientId: clientId(),
      text: `Fine ${index}`,
    }));
    // Past any check before the batch: a client id too long for the messages index (a btree row holds ~2.7 KB).
    const randomText = Array.from({ length: 2000 }, () => Math.random().toString(36).slice(2, 12)).join('');
    const guilty = { ...visitors[0]!, clientId: randomText, text: 'My client id is too long' };
    const all = [...innocent.slice(0, 6), guilty, ...innocent.slice(6)];
    const results = await Promise.allSettled(all.map((send) => write(send)));

    expect(results[6]).toMatchObject({ status: 'rejected', reason: { code: 'validation_failed' } });
    results.forEach((result, index) => {
      if (index !== 6)
        expect(result).toMatchObject({
          status: 'fulfilled',
          value: { created: true, message: { clientId: all[index]!.clientId } },
        });
    });
    // Each visitor's messages still in the order they were sent.
    for (const visitor of visitors) {
      const rows = await database.db
        .select()
        .from(messagesTable)
        .where(eq(messagesTable.conversationId, visitor.conversationId))
        .orderBy(asc(messagesTable.seq));
      expect(rows.slice(1).map((row) => row.text)).toEqual(
        innocent.filter((send) => send.chatVisitorId === visitor.chatVisitorId).map((send) => send.text),
      );
    }
  });

  it('opens a conversation for a first message, with the auto-reply right after it, and never writes into a closed one', async () => {
    const returning = await chattingVisitor();
    await closeConversation(database.db, returning.conversationId, null, 'test');
    const [fresh] = await database.db.insert(chatVisitorsTable).values({ siteId, tokenHash: clientId() }).returning();
    const write = createVisitorMessageWriter(database.db);
    const autoReply = 'We usually answer in 5 minutes';
    const [back, first, second] = await Promise.all([
      write({ ...returning, autoReply, clientId: clientId(), text: 'Back again' }),
      write({ siteId, chatVisitorId: fresh!.id, autoReply, clientId: clientId(), text: 'Hi' }),
      write({ siteId, chatVisitorId: fresh!.id, autoReply, clientId: clientId(), text: 'Anyone there?' }),
    ]);
    expect(back?.conversation.id).not.toBe(returning.conversationId);
    expect(back?.started?.autoReply?.text).toBe(autoReply);
    expect(first).toMatchObject({
      created: true,
      message: { seq: 1, text: 'Hi' },
      started: { autoReply: { seq: 2, author: 'system' } },
    });
    expect(second).toMatchObject({
      created: true,
      message: { seq: 3, text: 'Anyone there?' },
      conversation: { id: first!.conversation.id },
    });
    const [conversation] = await database.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, first!.conversation.id));
    expect(conversation).toMatchObject({ status: 'open', lastSeq: 3, autoReplied: true });
    const closedRows = await database.db
      .select()
      .from(messagesTable)
      .where(eq(messagesTable.conversationId, returning.conversationId));
    expect(closedRows).toHaveLength(1);
  });

  it('does not reach another visitor’s conversation with a client id that visitor used', async () => {
    const alice = await chattingVisitor();
    const mallory = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db);
    const alicesSend = await write({ ...alice, clientId: clientId(), text: 'Private' });
    const copy = await write({ ...mallory, clientId: alicesSend!.message.clientId, text: 'Copy' });
    expect(copy).toMatchObject({
      created: true,
      conversation: { id: mallory.conversationId },
      message: { text: 'Copy' },
    });
  });
});
