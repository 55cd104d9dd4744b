import { sql } from 'drizzle-orm';
import type { ChatMessage } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { pgCode, retryOnDeadlock } from '../../lib/deadlock.js';
import { AppError } from '../../lib/errors.js';
import { conversationsTable, messagesTable, type ConversationRow } from '../../db/schema.js';
import { retryOnRacingDuplicate, sequencedInsert } from './message-sequence.js';
import { BatchItemError, createBatcher } from '../../lib/batcher.js';

export interface VisitorSend {
  siteId: string;
  chatVisitorId: string;
  clientId: string;
  text: string;
  /** The site's automatic answer, stored after this message if it opens a conversation. */
  autoReply: string | null;
}

export interface StoredVisitorMessage {
  message: ChatMessage;
  conversation: Pick<ConversationRow, 'id' | 'siteId' | 'chatVisitorId' | 'assigneeId'>;
  /** False when this client id was stored before (a retry): acknowledge it again, relay nothing. */
  created: boolean;
  /** Set when this message opened the conversation: the auto-reply stored with it, if the site has one. */
  started: { autoReply: ChatMessage | null } | null;
  /** `performance.now()` when the batch holding it committed (for the server's latency histograms). */
  committedAt: number;
}

/**
 * Stores a visitor's message with group commit, in their open conversation or in a new one. Answers
 * `null` in the rare races the statement leaves to the caller's slow path (see `writeBatch`).
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
  author: 'visitor' | 'system';
  text: string;
  created_at: string | Date;
  site_id: string;
  chat_visitor_id: string;
  assignee_id: string | null;
  created: boolean;
  started: boolean;
}

/**
 * Group commit for visitor messages. Sends that arrive while a batch is being written wait for it and
 * then go together in the next one: one statement, one round trip and one commit for many messages
 * instead of several queries each. Every promise resolves only after its batch committed, so an ack
 * still means "durable".
 *
 * Visitors can be split over `lanes` by id, each lane with one batch in flight: batches of one lane never
 * race each other, and lanes never share a visitor (so never a conversation), while their commits
 * overlap. One lane is the default: on 2 vCPUs, fewer and larger batches cost less CPU per message than
 * overlapping ones and wait less (bench:chat, five alternated pairs: server p99 17.7–26.1 ms with one lane
 * against 19.0–37.3 with two, 0.40–0.48 against 0.43–0.56 ms of server CPU per message; four lanes 62.8).
 */
export function createVisitorMessageWriter(
  db: Db,
  { maxBatch = 500, lanes = 1 }: { maxBatch?: number; lanes?: number } = {},
): VisitorMessageWriter {
  const writers = Array.from({ length: Math.max(1, lanes) }, () => createLane(db, maxBatch));
  return (send) => writers[laneOf(send.chatVisitorId, writers.length)]!(send);
}

/** A stable lane per visitor: the last hex digits of its uuid. */
export const laneOf = (chatVisitorId: string, lanes: number) =>
  Number.parseInt(chatVisitorId.slice(-4), 16) % lanes || 0;

function createLane(db: Db, maxBatch: number): VisitorMessageWriter {
  // One batch in flight per lane; sends read from the sockets in the same turn of the event loop join it.
  const batcher = createBatcher<VisitorSend, StoredVisitorMessage | null>(
    async (sends) => {
      // The same send twice in one batch (a retry after the client's timeout while the lane was busy)
      // shares one row; only the first copy is answered as the new message (see `settle`).
      const members = new Map<string, Pending>();
      // Each answer is turned into a value or a per-item error at once: a member refused while the others
      // are still being written one by one must not sit as an unhandled rejection meanwhile.
      const answers = sends.map((send) => {
        const member = members.get(key(send)) ?? { ...send, settle: [] };
        members.set(key(send), member);
        return new Promise<StoredVisitorMessage | null>((resolve, reject) =>
          member.settle.push({ resolve, reject }),
        ).then(
          (value) => value,
          (error: unknown) => new BatchItemError(error),
        );
      });
      await writeIsolated(db, [...members.values()]);
      return Promise.all(answers);
    },
    { wait: 'turn', maxBatch, maxInFlight: 1 },
  );
  return (send) => {
    // What PostgreSQL would refuse fails this send alone, before it can join (and fail) a batch.
    const refused = unstorableText(send);
    return refused ? Promise.reject(refused) : batcher.submit(send);
  };
}

/**
 * Writes a batch and answers every member. When PostgreSQL refuses the batch for its data (one poisoned
 * member makes the whole statement fail), its members are written again one by one, so only the guilty
 * one fails; any other failure (connection lost, timeout) fails the batch, which stored nothing.
 */
async function writeIsolated(db: Db, batch: Pending[]) {
  try {
    settle(batch, await retryOnDeadlock(() => retryOnRacingDuplicate(() => writeBatch(db, batch))), performance.now());
  } catch (error) {
    if (batch.length === 1 || !isDataError(error)) return failAll(batch, error);
    // One at a time and in order, so a visitor's messages keep the order they were sent in.
    for (const member of batch) {
      try {
        settle(
          [member],
          await retryOnDeadlock(() => retryOnRacingDuplicate(() => writeBatch(db, [member]))),
          performance.now(),
        );
      } catch (memberError) {
        failAll(
          [member],
          isDataError(memberError)
            ? new AppError('validation_failed', 'The message cannot be stored as sent')
            : memberError,
        );
      }
    }
  }
}

/**
 * Answers each member with its stored row. A member that several sends joined (a retry) made one row,
 * so one waiter gets it as new (it is relayed, and an opening message welcomed, once) and the others
 * get it as a retry: acknowledged, relayed nothing.
 */
function settle(batch: Pending[], rows: StoredRow[], committedAt: number) {
  const sends = new Map<number, StoredRow>();
  const autoReplies = new Map<number, StoredRow>();
  for (const row of rows) (row.author === 'system' ? autoReplies : sends).set(Number(row.ord), row);
  batch.forEach((pending, ord) => {
    const row = sends.get(ord);
    const result = row ? toStored(row, autoReplies.get(ord), committedAt) : null;
    pending.settle.forEach((waiter, index) =>
      waiter.resolve(result && index > 0 ? { ...result, created: false } : result),
    );
  });
}

const failAll = (batch: Pending[], error: unknown) => {
  for (const pending of batch) for (const waiter of pending.settle) waiter.reject(error);
};

/** PostgreSQL refused the statement for a value in it (data exception, constraint, program limit such as an index row size). */
const isDataError = (error: unknown) => /^(22|23|54)/.test(pgCode(error) ?? '');

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text PostgreSQL cannot store: NUL (`text` and `jsonb` refuse U+0000) and lone UTF-16 surrogates (not
 * Unicode; JSON carries them as escapes that `jsonb` refuses). Checked here whatever the protocol's
 * schemas let through, so such a send fails alone and with a clear error.
 */
function unstorableText(send: VisitorSend): AppError | null {
  for (const [field, value] of [
    ['text', send.text],
    ['clientId', send.clientId],
  ] as const) {
    if (value.includes('\u0000') || loneSurrogate.test(value)) {
      return new AppError(
        'validation_failed',
        `The message ${field} contains a character that cannot be stored (NUL or a lone surrogate)`,
        { field },
      );
    }
  }
  return null;
}

const key = (send: VisitorSend) => `${send.chatVisitorId}\n${send.clientId}`;

/**
 * One statement for the whole batch. For each send it finds an earlier copy (a retry, in any of the
 * sender's conversations), else the sender's open conversation, else opens one (with the site's
 * auto-reply right after the first message); it reserves a run of sequence numbers per existing
 * conversation under its row lock and inserts the new messages. A conversation closed meanwhile is
 * skipped by the lock re-check, and a conversation another node opened at this instant by the
 * one-open-conversation index: those sends come back without a row and take the slow path.
 */
async function writeBatch(db: Db, batch: Pending[]): Promise<StoredRow[]> {
  const input = JSON.stringify(
    batch.map((send, ord) => ({
      ord,
      chat_visitor_id: send.chatVisitorId,
      site_id: send.siteId,
      client_id: send.clientId,
      text: send.text,
      auto_reply: send.autoReply,
    })),
  );
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb)
        as t(ord int, chat_visitor_id uuid, site_id uuid, client_id text, text text, auto_reply text)
    ),
    -- Both lookups are LATERAL with LIMIT, so each input row is one index probe whatever the statistics
    -- say: on a young, fast-growing messages table the planner otherwise hash-joins against a full scan.
    earlier as (
      select i.ord, e.*, false as created, false as started
      from input i
      join lateral (
        select m.id, m.conversation_id, m.seq, m.client_id, m.author, m.text, m.created_at, c.site_id, c.chat_visitor_id, c.assignee_id
        from ${messagesTable} m join ${conversationsTable} c on c.id = m.conversation_id
        where m.client_id = i.client_id and m.author = 'visitor' and c.chat_visitor_id = i.chat_visitor_id
        limit 1
      ) e on true
    ),
    pending as (
      select * from input i where not exists (select 1 from earlier e where e.ord = i.ord)
    ),
    open_conversation as (
      select o.id, v.chat_visitor_id
      from (select distinct chat_visitor_id from pending) v
      join lateral (
        select c.id from ${conversationsTable} c where c.chat_visitor_id = v.chat_visitor_id and c.status = 'open' limit 1
      ) o on true
    ),
    to_start as (
      -- The auto-reply's id is drawn here, for openings only (random ids for every send cost the server CPU).
      select distinct on (p.chat_visitor_id) p.chat_visitor_id, p.site_id, p.ord as first_ord, p.auto_reply,
             'auto_' || replace(gen_random_uuid()::text, '-', '') as auto_client_id,
             count(*) over (partition by p.chat_visitor_id) + (p.auto_reply is not null)::int as message_count
      from pending p
      where p.chat_visitor_id not in (select chat_visitor_id from open_conversation)
      order by p.chat_visitor_id, p.ord
    ),
    started as (
      insert into ${conversationsTable} (site_id, chat_visitor_id, channel, last_seq, auto_replied)
      select site_id, chat_visitor_id, 'chat', message_count, auto_reply is not null from to_start
      on conflict (chat_visitor_id) where status = 'open' do nothing
      returning id, site_id, chat_visitor_id
    ),
    targets as (
      select p.ord, 0 as sub, coalesce(o.id, s.id) as conversation_id, p.client_id, 'visitor' as author, null::uuid as agent_id, false as internal, p.text,
             s.id is not null as started
      from pending p
      left join open_conversation o on o.chat_visitor_id = p.chat_visitor_id
      left join started s on s.chat_visitor_id = p.chat_visitor_id
      where o.id is not null or s.id is not null
      union all
      select t.first_ord, 1, s.id, t.auto_client_id, 'system', null::uuid, false, t.auto_reply, true
      from started s join to_start t on t.chat_visitor_id = s.chat_visitor_id
      where t.auto_reply is not null
    ),
    -- A copy stored by another node at this very moment makes the statement fail and run again (see
    -- message-sequence.ts); earlier then finds it. A conversation closed meanwhile is skipped by
    -- the re-check in bumped: those sends come back without a row and take the slow path.
    ${sequencedInsert({ onlyOpen: true })}
    select n.ord, ins.id, ins.conversation_id, ins.seq, ins.client_id, ins.author, ins.text, ins.created_at,
           b.site_id, b.chat_visitor_id, b.assignee_id, true as created, n.started
    from inserted ins
    join numbered n on n.conversation_id = ins.conversation_id and n.client_id = ins.client_id
    join base b on b.id = ins.conversation_id
    union all
    select * from earlier`);
  return rowsOf<StoredRow>(result);
}

function toStored(row: StoredRow, autoReply: StoredRow | undefined, committedAt: number): StoredVisitorMessage {
  return {
    committedAt,
    created: row.created,
    started: row.started ? { autoReply: autoReply ? toMessage(autoReply) : null } : null,
    conversation: {
      id: row.conversation_id,
      siteId: row.site_id,
      chatVisitorId: row.chat_visitor_id,
      assigneeId: row.assignee_id,
    },
    message: toMessage(row),
  };
}

const toMessage = (row: StoredRow): ChatMessage => ({
  id: row.id,
  conversationId: row.conversation_id,
  seq: Number(row.seq),
  clientId: row.client_id,
  author: row.author,
  agent: null,
  internal: false,
  text: row.text,
  createdAt: new Date(row.created_at).toISOString(),
});
