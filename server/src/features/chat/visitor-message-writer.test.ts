import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatVisitorsTable, conversationsTable, messagesTable, sitesTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase } from '../../testing/harness.js';
import { appendMessage, closeConversation, startConversation } from './service.js';
import { createVisitorMessageWriter } from './visitor-message-writer.js';

let sequence = 0;
const clientId = () => `w_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

describe.each(databaseKinds)('group-commit writer for visitor messages on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let siteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [site] = await database.db.insert(sitesTable).values({ key: `writer-${kind}`, name: 'Writer', widget: {} as never }).returning();
    siteId = site!.id;
  });
  afterAll(() => database?.dispose());

  /** A visitor with an open conversation holding their first message (seq 1). */
  async function chattingVisitor() {
    const [visitor] = await database.db.insert(chatVisitorsTable).values({ siteId, tokenHash: clientId() }).returning();
    const started = await startConversation(database.db, { siteId, chatVisitorId: visitor!.id, channel: 'chat', clientId: clientId(), text: 'Hello', autoReply: null });
    return { siteId, chatVisitorId: visitor!.id, conversationId: started!.conversation.id, autoReply: null };
  }

  /** Counts the statements the writer sends, to see that concurrent sends share them. */
  function countingDb() {
    const counter = { statements: 0 };
    const db = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property === 'execute') return (...args: Parameters<Db['execute']>) => (counter.statements++, target.execute(...args));
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    return { db, counter };
  }

  it('stores concurrent sends of many visitors with few statements, numbering each conversation in send order', async () => {
    const visitors = await Promise.all([chattingVisitor(), chattingVisitor(), chattingVisitor()]);
    const { db, counter } = countingDb();
    const write = createVisitorMessageWriter(db);
    const sends = Array.from({ length: 60 }, (_, index) => ({ ...visitors[index % 3]!, clientId: clientId(), text: `Message ${index}` }));
    const results = await Promise.all(sends.map((send) => write(send)));

    expect(counter.statements).toBeLessThan(10);
    expect(results.every((result) => result?.created)).toBe(true);
    for (const visitor of visitors) {
      const rows = await database.db.select().from(messagesTable).where(eq(messagesTable.conversationId, visitor.conversationId)).orderBy(asc(messagesTable.seq));
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 21 }, (_, index) => index + 1));
      const expected = sends.filter((send) => send.chatVisitorId === visitor.chatVisitorId).map((send) => send.text);
      expect(rows.slice(1).map((row) => row.text)).toEqual(expected);
    }
    // The answer of each send is its own stored row.
    results.forEach((result, index) => expect(result?.message).toMatchObject({ clientId: sends[index]!.clientId, text: sends[index]!.text, author: 'visitor' }));
  });

  it('numbers a conversation without gaps or repeats while agents answer in it at the same moment', async () => {
    const visitor = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db);
    const visitorSends = Array.from({ length: 30 }, (_, index) => write({ ...visitor, clientId: clientId(), text: `Visitor ${index}` }));
    // Each agent answer bumps the same conversation row in its own transaction, racing the writer's batches.
    const agentSends = Array.from({ length: 30 }, (_, index) =>
      appendMessage(database.db, { conversationId: visitor.conversationId, clientId: clientId(), author: 'agent', agentId: null, text: `Agent ${index}` }),
    );
    const [fromVisitor, fromAgents] = await Promise.all([Promise.all(visitorSends), Promise.all(agentSends)]);
    // A batch row changed by an agent's commit meanwhile is rechecked and still stored, not dropped.
    expect(fromVisitor.every((result) => result?.created)).toBe(true);
    expect(fromAgents.every((result) => result.created)).toBe(true);
    const rows = await database.db.select().from(messagesTable).where(eq(messagesTable.conversationId, visitor.conversationId)).orderBy(asc(messagesTable.seq));
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 61 }, (_, index) => index + 1));
    const [conversation] = await database.db.select().from(conversationsTable).where(eq(conversationsTable.id, visitor.conversationId));
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
    expect(first).toMatchObject({ created: true, message: { seq: 1, text: 'Hi' }, started: { autoReply: { seq: 2, author: 'system' } } });
    expect(second).toMatchObject({ created: true, message: { seq: 3, text: 'Anyone there?' }, conversation: { id: first!.conversation.id } });
    const [conversation] = await database.db.select().from(conversationsTable).where(eq(conversationsTable.id, first!.conversation.id));
    expect(conversation).toMatchObject({ status: 'open', lastSeq: 3, autoReplied: true });
    const closedRows = await database.db.select().from(messagesTable).where(eq(messagesTable.conversationId, returning.conversationId));
    expect(closedRows).toHaveLength(1);
  });

  it('does not reach another visitor’s conversation with a client id that visitor used', async () => {
    const alice = await chattingVisitor();
    const mallory = await chattingVisitor();
    const write = createVisitorMessageWriter(database.db);
    const alicesSend = await write({ ...alice, clientId: clientId(), text: 'Private' });
    const copy = await write({ ...mallory, clientId: alicesSend!.message.clientId, text: 'Copy' });
    expect(copy).toMatchObject({ created: true, conversation: { id: mallory.conversationId }, message: { text: 'Copy' } });
  });
});
