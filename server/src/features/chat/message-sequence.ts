import { sql, type SQL } from 'drizzle-orm';
import { conversationsTable, messagesTable } from '../../db/schema.js';
import { pgCode } from '../../lib/deadlock.js';

/**
 * The message sequence invariant, written once for every path that stores messages (the visitor
 * message writer, an agent's send, a new conversation, an accepted invitation): a conversation's
 * messages are numbered 1, 2, 3 … without gaps or repeats, and `conversations.last_seq` is the highest
 * number stored.
 *
 * The caller's statement defines two CTEs before this chain:
 * - `targets(ord int, sub int, conversation_id uuid, client_id text, author text, agent_id uuid,
 *   internal boolean, text text, started boolean)`: the messages to store, in order (`ord`, then `sub`);
 * - `started(id uuid, site_id uuid, chat_visitor_id uuid)`: conversations this same statement opened,
 *   already inserted with `last_seq` = the number of their targets (their messages take 1…k).
 *
 * The chain adds `fresh` (targets whose client id the conversation does not hold yet), `numbered`,
 * `bumped` (the row lock on each existing conversation: it serialises writers, so a number is never
 * handed out twice), `base` and `inserted(id, conversation_id, seq, client_id, author, agent_id,
 * internal, text, created_at)`.
 *
 * Copies of a send already stored are left out BEFORE numbers are reserved, so a retry never moves
 * `last_seq`. A copy committed by another writer after this statement's snapshot is not seen by that
 * check: the insert then fails on the client-id index (no `on conflict do nothing`, which would keep the
 * reserved number and leave a gap), the whole statement rolls back, and the caller runs it again
 * (`retryOnRacingDuplicate`), when the copy is visible and skipped.
 */
export function sequencedInsert({ onlyOpen }: { onlyOpen: boolean }): SQL {
  return sql`
    fresh as (
      select t.* from targets t
      where t.started or not exists (
        select 1 from ${messagesTable} m where m.conversation_id = t.conversation_id and m.client_id = t.client_id
      )
    ),
    numbered as (
      select fresh.*, row_number() over (partition by conversation_id order by ord, sub) as n,
             count(*) over (partition by conversation_id) as k
      from fresh
    ),
    bumped as (
      update ${conversationsTable} c set last_seq = c.last_seq + f.k, last_message_at = now()
      from (select distinct conversation_id, k from numbered where not started) f
      -- The re-check is wrapped in coalesce so that it cannot match the partial one-open index: on a young
      -- table the planner otherwise read that whole index once per conversation of the batch and joined on
      -- id as a filter (bench:chat, the first seconds: 1,000 open conversations scanned per message).
      where c.id = f.conversation_id ${onlyOpen ? sql`and coalesce(c.status = 'open', false)` : sql``}
      returning c.id, c.last_seq - f.k as base, c.site_id, c.chat_visitor_id, c.assignee_id
    ),
    base as (
      select id, base, site_id, chat_visitor_id, assignee_id from bumped
      union all
      select id, 0, site_id, chat_visitor_id, null::uuid from started
    ),
    inserted as (
      insert into ${messagesTable} (conversation_id, seq, client_id, author, agent_id, internal, text)
      select n.conversation_id, b.base + n.n, n.client_id, n.author, n.agent_id, n.internal, n.text
      from numbered n join base b on b.id = n.conversation_id
      returning id, conversation_id, seq, client_id, author, agent_id, internal, text, created_at
    )`;
}

/** An empty `started` CTE, for statements that only append to existing conversations. */
export const noneStarted = sql`started as (select null::uuid as id, null::uuid as site_id, null::uuid as chat_visitor_id where false)`;

const constraintOf = (error: unknown): string | undefined => {
  for (
    let e = error as { constraint_name?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
};

/** Another writer stored a copy of this send (same conversation and client id) after the statement's snapshot. */
export const isRacingDuplicate = (error: unknown) =>
  pgCode(error) === '23505' && constraintOf(error) === 'messages_conversation_client_uq';

/**
 * Runs a `sequencedInsert` statement again when it lost a race to a copy of one of its sends: the
 * statement rolled back whole (nothing reserved, nothing stored), and the next run sees the copy and
 * skips it. Not inside a caller's transaction: there the failed statement aborted the transaction.
 */
export async function retryOnRacingDuplicate<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRacingDuplicate(error)) throw error;
    }
  }
}
