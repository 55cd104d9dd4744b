import { sql } from 'drizzle-orm';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { conversationsTable, messagesTable, type ConversationRow } from '../../db/schema.js';

export interface VisitorSend {
  chatVisitorId: string;
  clientId: string;
  text: string;
}

export interface StoredVisitorMessage {
  message: ChatMessage;
  conversation: Pick<ConversationRow, 'id' | 'siteId' | 'chatVisitorId' | 'assigneeId'>;
  /** False when this client id was stored before (a retry): acknowledge it again, relay nothing. */
  created: boolean;
}

/**
 * Stores a visitor's message in their open conversation with group commit, or answers `null` when the
 * visitor has no open conversation (the caller then opens one on the slower, first-message path).
 */
export type VisitorMessageWriter = (send: VisitorSend) => Promise<StoredVisitorMessage | null>;

interface Pending extends VisitorSend {
  settle: { resolve(value: StoredVisitorMessage | null): void; reject(error: unknown): void }[];
}

interface StoredRow {
  ord: number;
  id: string;
  conversation_id: string;
  seq: number | string;
  client_id: string;
  text: string;
  created_at: string | Date;
  site_id: string;
  chat_visitor_id: string;
  assignee_id: string | null;
  created: boolean;
}

/**
 * Group commit for visitor messages. Sends that arrive while a batch is being written wait for it and
 * then go together in the next one: one statement, one round trip and one commit for many messages
 * instead of several queries each. That statement is what made the chat keep up with 1,000 messages/s on
 * two cores (see `npm run bench:chat`). Every promise resolves only after its batch committed, so an
 * ack still means "durable".
 *
 * One batch is in flight per node: batches never race each other for the same conversation rows.
 */
export function createVisitorMessageWriter(db: Db, { maxBatch = 500 }: { maxBatch?: number } = {}): VisitorMessageWriter {
  let queue = new Map<string, Pending>();
  let writing = false;

  const flush = async () => {
    if (writing || queue.size === 0) return;
    writing = true;
    const batch = [...queue.values()].slice(0, maxBatch);
    for (const pending of batch) queue.delete(key(pending));
    try {
      const rows = await writeBatch(db, batch);
      const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
      batch.forEach((pending, ord) => {
        const row = byOrd.get(ord);
        const result = row ? toStored(row) : null;
        for (const waiter of pending.settle) waiter.resolve(result);
      });
    } catch (error) {
      for (const pending of batch) for (const waiter of pending.settle) waiter.reject(error);
    } finally {
      writing = false;
      if (queue.size > 0) setImmediate(() => void flush());
    }
  };

  return (send) =>
    new Promise((resolve, reject) => {
      // The same send twice in one batch (a fast retry) shares one row and one answer.
      const existing = queue.get(key(send));
      if (existing) return existing.settle.push({ resolve, reject });
      queue.set(key(send), { ...send, settle: [{ resolve, reject }] });
      // Waiting one turn of the event loop lets every send already read from the sockets join the batch.
      if (!writing && queue.size === 1) setImmediate(() => void flush());
    });
}

const key = (send: VisitorSend) => `${send.chatVisitorId}\n${send.clientId}`;

/**
 * One statement for the whole batch: finds each sender's earlier copy (a retry, in any of their
 * conversations) or open conversation, reserves a run of sequence numbers per conversation under its row
 * lock, and inserts the new messages. A conversation closed meanwhile is skipped by the lock re-check,
 * so those sends come back without a row and take the first-message path into a new conversation.
 */
async function writeBatch(db: Db, batch: Pending[]): Promise<StoredRow[]> {
  const input = JSON.stringify(batch.map((send, ord) => ({ ord, chat_visitor_id: send.chatVisitorId, client_id: send.clientId, text: send.text })));
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as t(ord int, chat_visitor_id uuid, client_id text, text text)
    ),
    earlier as (
      select i.ord, m.id, m.conversation_id, m.seq, m.client_id, m.text, m.created_at,
             c.site_id, c.chat_visitor_id, c.assignee_id, false as created
      from input i
      join ${messagesTable} m on m.client_id = i.client_id and m.author = 'visitor'
      join ${conversationsTable} c on c.id = m.conversation_id and c.chat_visitor_id = i.chat_visitor_id
    ),
    fresh as (
      select i.ord, i.client_id, i.text, c.id as conversation_id,
             row_number() over (partition by c.id order by i.ord) as n,
             count(*) over (partition by c.id) as k
      from input i
      join ${conversationsTable} c on c.chat_visitor_id = i.chat_visitor_id and c.status = 'open'
      where not exists (select 1 from earlier e where e.ord = i.ord)
    ),
    bumped as (
      update ${conversationsTable} c set last_seq = c.last_seq + f.k, last_message_at = now()
      from (select distinct conversation_id, k from fresh) f
      where c.id = f.conversation_id and c.status = 'open'
      returning c.id, c.last_seq - f.k as base, c.site_id, c.chat_visitor_id, c.assignee_id
    ),
    inserted as (
      insert into ${messagesTable} (conversation_id, seq, client_id, author, text)
      select f.conversation_id, b.base + f.n, f.client_id, 'visitor', f.text
      from fresh f join bumped b on b.id = f.conversation_id
      -- Another node storing a retry of the same send at this very moment: that copy wins, this one
      -- comes back without a row, and the caller's first-message path finds the winner.
      on conflict (conversation_id, client_id) do nothing
      returning id, conversation_id, seq, client_id, text, created_at
    )
    select f.ord, ins.id, ins.conversation_id, ins.seq, ins.client_id, ins.text, ins.created_at,
           b.site_id, b.chat_visitor_id, b.assignee_id, true as created
    from inserted ins
    join fresh f on f.conversation_id = ins.conversation_id and f.client_id = ins.client_id
    join bumped b on b.id = ins.conversation_id
    union all
    select * from earlier`);
  return rowsOf<StoredRow>(result);
}

function toStored(row: StoredRow): StoredVisitorMessage {
  return {
    created: row.created,
    conversation: { id: row.conversation_id, siteId: row.site_id, chatVisitorId: row.chat_visitor_id, assigneeId: row.assignee_id },
    message: {
      id: row.id,
      conversationId: row.conversation_id,
      seq: Number(row.seq),
      clientId: row.client_id,
      author: 'visitor',
      agent: null,
      internal: false,
      text: row.text,
      createdAt: new Date(row.created_at).toISOString(),
    },
  };
}
