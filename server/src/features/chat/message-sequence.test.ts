import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { chatVisitorsTable, conversationsTable, messagesTable, sitesTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase } from '../../testing/harness.js';
import { appendMessage, startConversation } from './service.js';
import { createVisitorMessageWriter } from './visitor-message-writer.js';

let sequence = 0;
const clientId = () => `s_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

describe.each(databaseKinds)('the message sequence stays whole on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let siteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [site] = await database.db
      .insert(sitesTable)
      .values({ key: `sequence-${kind}`, name: 'Sequence', widget: {} as never })
      .returning();
    siteId = site!.id;
  });
  afterAll(() => database?.dispose());

  async function conversation() {
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

  /** Seq numbers are 1…n with no gap and `last_seq` is n. */
  async function expectWhole(conversationId: string) {
    const rows = await database.db
      .select({ seq: messagesTable.seq })
      .from(messagesTable)
      .where(eq(messagesTable.conversationId, conversationId))
      .orderBy(asc(messagesTable.seq));
    const [row] = await database.db
      .select({ lastSeq: conversationsTable.lastSeq })
      .from(conversationsTable)
      .where(eq(conversationsTable.id, conversationId));
    expect(rows.map((message) => message.seq)).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));
    expect(row!.lastSeq).toBe(rows.length);
  }

  /**
   * Another node stores a copy of a send while `run` is under way: the copy's transaction holds the
   * conversation's row lock while `run` starts (on PostgreSQL `run`'s statement takes its snapshot and
   * then waits for the lock), then commits the copy with its own number.
   */
  async function raceWithCopy<T>(conversationId: string, copyClientId: string, run: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const copy = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from ${conversationsTable} where id = ${conversationId} for update`);
      locked();
      await released;
      await tx.execute(sql`
        with bumped as (update ${conversationsTable} set last_seq = last_seq + 1 where id = ${conversationId} returning last_seq)
        insert into ${messagesTable} (conversation_id, seq, client_id, author, text)
        select ${conversationId}, last_seq, ${copyClientId}, 'visitor', 'copy' from bumped`);
    });
    await isLocked;
    const running = run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await copy;
    return running;
  }

  it('an agent send repeated concurrently is stored once and takes one number', async () => {
    const { conversationId } = await conversation();
    const id = clientId();
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        appendMessage(database.db, { conversationId, clientId: id, author: 'agent', agentId: null, text: 'Once' }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
    const next = await appendMessage(database.db, {
      conversationId,
      clientId: clientId(),
      author: 'agent',
      agentId: null,
      text: 'Next',
    });
    expect(next.message.seq).toBe(3);
    await expectWhole(conversationId);
  });

  it('an agent send racing a copy committed after its snapshot answers with the copy and leaves no gap', async () => {
    const { conversationId } = await conversation();
    const id = clientId();
    const result = await raceWithCopy(conversationId, id, () =>
      appendMessage(database.db, { conversationId, clientId: id, author: 'visitor', agentId: null, text: 'copy' }),
    );
    expect(result).toMatchObject({ created: false, message: { clientId: id, seq: 2 } });
    await appendMessage(database.db, {
      conversationId,
      clientId: clientId(),
      author: 'agent',
      agentId: null,
      text: 'Next',
    });
    await expectWhole(conversationId);
  });

  it('a group-commit batch racing a copy of one of its sends keeps every conversation whole', async () => {
    const visitor = await conversation();
    const other = await conversation();
    const write = createVisitorMessageWriter(database.db, { lanes: 1 });
    const id = clientId();
    const later = clientId();
    const results = await raceWithCopy(visitor.conversationId, id, () =>
      Promise.all([
        write({ ...visitor, clientId: id, text: 'copy' }),
        write({ ...visitor, clientId: later, text: 'after' }),
        write({ ...other, clientId: clientId(), text: 'elsewhere' }),
      ]),
    );
    expect(results[0]).toMatchObject({ created: false, message: { clientId: id, seq: 2 } });
    expect(results[1]).toMatchObject({ created: true, message: { clientId: later, seq: 3 } });
    expect(results[2]).toMatchObject({ created: true, message: { seq: 2 } });
    await expectWhole(visitor.conversationId);
    await expectWhole(other.conversationId);
  });
});
