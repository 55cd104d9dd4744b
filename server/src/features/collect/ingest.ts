import { sql } from 'drizzle-orm';
import {
  collectTimestampWindow,
  isWellFormedText,
  type BehaviourEvent,
  type CollectRejectReason,
  type CollectResponse,
  type IdentifiedCollectBatch,
  type LivePageview,
  type LiveVisitor,
  type TemperatureChange,
  type VisitContext,
  type VisitorInvitation,
} from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import {
  applyNewEvents,
  loadDerivationState,
  visitorKeysOf,
  type DerivedChanges,
  type NewEvent,
  type ReadAlongside,
  type VisitorKey,
} from '../visitors/index.js';
import { waitingInvitationJoin } from '../invitations/index.js';
import { hotMarkJoin, markTurnedHot } from '../triggers/index.js';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';
import { BatchItemError } from '../../lib/batcher.js';
import { createDeriver, type BacklogContext, type Deriver, type QueuedDerivation } from './derivation.js';
import type { Logger } from '../../lib/logger.js';
import { startIntervalJob, type IntervalJob } from '../../lib/interval-job.js';
import { pgCode, retryOnDeadlock } from '../../lib/deadlock.js';

/** Why an event's own timestamp keeps it out (see `collectTimestampWindow`), or null when it is within the window. */
export function timestampRejection(
  ts: number,
  receivedAt: number,
  window: TimestampWindow = collectTimestampWindow,
): CollectRejectReason | null {
  if (ts < receivedAt - window.pastMs) return 'too_old';
  if (ts > receivedAt + window.futureMs) return 'in_future';
  return null;
}

export interface TimestampWindow {
  pastMs: number;
  futureMs: number;
}

export interface IngestItem {
  siteId: string;
  batch: IdentifiedCollectBatch;
  receivedAt: Date;
  /** How far event timestamps may lie from `receivedAt` (default: the live window; the admin import's is wider). */
  window?: TimestampWindow;
  /**
   * The batch came through `collectBatchSchema` (the public route), whose text policy and bounds already
   * guarantee everything `screenBatch` checks: the ingestor does not walk it again.
   */
  validated?: boolean;
}

/** What one committed group produced, for live pushes after the commit. */
export interface CommittedGroup {
  pageviews: LivePageview[];
  visitors: LiveVisitor[];
  changes: TemperatureChange[];
}

/** An event of the group as the code after the insert reads it. */
interface EventRecord {
  ord: number;
  site_id: string;
  client_event_id: string;
  visitor_id: string;
  session_id: string;
  /** When the batch holding the event reached this node (the row's `received_at`), ISO 8601. */
  received: string;
  type: string;
  url: string;
  title: string | null;
  referrer: string | null;
  name: string | null;
  props: Record<string, unknown> | null;
  /** The event's own timestamp, epoch ms. */
  ts: number;
}

/**
 * What the multi-row insert reads, through `json_to_recordset`: each batch's shared columns once, its events
 * with short keys, nulls left out, timestamps as epoch ms. A third of the bytes of one flat row per event,
 * so less to serialise here and less JSON for PostgreSQL to parse (both were a large share of CPU per event).
 */
interface WireBatch {
  site: string;
  visitor: string;
  session: string;
  received: string;
  events: {
    o: number;
    i: string;
    t: string;
    u: string;
    ti?: string;
    re?: string;
    n?: string;
    p?: Record<string, unknown>;
    ts: number;
  }[];
}

interface InsertedRow {
  id: number | string;
  site_id: string;
  client_event_id: string;
  /** With a backlog: the `derivation_backlog` row naming this event. */
  backlog_id?: number | string;
}

/** Per type, which fields become columns and which go to `props` (never form values: there are none). */
function columnsOf(event: BehaviourEvent): Pick<EventRecord, 'title' | 'referrer' | 'name' | 'props'> {
  switch (event.type) {
    case 'pageview':
      return { title: event.title ?? null, referrer: event.referrer || null, name: null, props: null };
    case 'track':
      return { title: null, referrer: null, name: event.name, props: event.props ?? null };
    case 'identify':
      return { title: null, referrer: null, name: null, props: event.traits };
    case 'engagement':
      return {
        title: null,
        referrer: null,
        name: null,
        props: { visibleMs: event.visibleMs, maxScroll: event.maxScroll },
      };
    case 'click':
      return { title: null, referrer: null, name: event.name ?? null, props: event.href ? { href: event.href } : null };
    case 'form':
      return { title: null, referrer: null, name: event.form ?? null, props: { action: event.action } };
    case 'exit_intent':
      return { title: null, referrer: null, name: null, props: null };
  }
}

const eventKey = (siteId: string, clientId: string) => `${siteId}\u0000${clientId}`;

export { retryOnDeadlock };

/**
 * Writes a group of batches in one transaction: their events in multi-row INSERTs, then the visitors, visits
 * and scores derived from the events that were new. Returns one answer per batch.
 *
 * With `deferDerivation`, the transaction stores the events and a `derivation_backlog` row naming them, and
 * the answers come from the visitors as they stood; `queued` holds the stored events for a `Deriver`
 * (derivation.ts), which derives them in a transaction of its own (ARCHITECTURE.md, "Derivation after the
 * answer").
 *
 * The unique (site, client id, timestamp) index stores each event once: a retry resends an event's id and
 * timestamp unchanged (the timestamp is the partition key). Only a batch marked as a `retry` can hold stored
 * events, so only those go through `ON CONFLICT DO NOTHING`, whose speculative insertion cost PostgreSQL a
 * fifth more per event than a plain insert (measured). A plain insert that meets a stored event fails the
 * group's transaction (unique violation): the group is then written again with every event checked, so an
 * unmarked resend (an older loader, another client) costs time, never a duplicate.
 */
export async function writeGroup(
  db: Db,
  items: readonly IngestItem[],
  { deferDerivation = false }: { deferDerivation?: boolean } = {},
): Promise<WrittenGroup> {
  try {
    return await writeGroupOnce(db, items, false, deferDerivation);
  } catch (error) {
    if (pgCode(error) !== '23505' || items.every((item) => item.batch.retry)) throw error;
    return writeGroupOnce(db, items, true, deferDerivation);
  }
}

export interface WrittenGroup {
  /** One per item; with `deferDerivation`, a batch whose site was deleted meanwhile is refused alone. */
  responses: (CollectResponse | BatchItemError)[];
  committed: CommittedGroup;
  /** With `deferDerivation`: the stored events, per backlog row, still to derive. */
  queued: QueuedDerivation[];
}

/**
 * One INSERT of wire batches; with `checkStored`, events already stored are skipped instead of failing it.
 * With `backlog` (the batches' visit contexts), the same statement adds the `derivation_backlog` row naming
 * the events it stored, and every returned row carries that row's id; a batch whose site is gone is left out
 * (events have no foreign key, and no visitor row is written in this transaction to fail in its place).
 */
const insertEvents = (wire: readonly WireBatch[], checkStored: boolean, backlog?: BacklogContext[]) => {
  const insert = sql`
  insert into events (site_id, client_event_id, visitor_id, session_id, type, url, title, referrer, name, props, occurred_at, received_at)
  select b.site, e.i, b.visitor, b.session, e.t, e.u, e.ti, e.re, e.n, e.p, timestamptz 'epoch' + e.ts * interval '1 millisecond', b.received
  from json_to_recordset(${JSON.stringify(wire)}::json) as b(site uuid, visitor text, session text, received timestamptz, events json)
  ${backlog ? sql`join sites st on st.id = b.site` : sql``}
  cross join lateral json_to_recordset(b.events) as e(o int, i text, t text, u text, ti text, re text, n text, p jsonb, ts bigint)
  order by e.o
  ${checkStored ? sql`on conflict (site_id, client_event_id, occurred_at) do nothing` : sql``}`;
  if (!backlog) return sql`${insert} returning id, site_id, client_event_id`;
  return sql`
  with stored as (${insert} returning id, site_id, client_event_id, occurred_at),
  queued as (
    insert into derivation_backlog (event_ids, first_occurred_at, last_occurred_at, contexts)
    select array_agg(id), min(occurred_at), max(occurred_at), ${JSON.stringify(backlog)}::jsonb from stored having count(*) > 0
    returning id
  )
  select s.id, s.site_id, s.client_event_id, (select id from queued) as backlog_id from stored s`;
};

async function writeGroupOnce(
  db: Db,
  items: readonly IngestItem[],
  checkEveryEvent: boolean,
  deferDerivation: boolean,
): Promise<WrittenGroup> {
  const records: EventRecord[] = [];
  // Batches that cannot hold a stored event, and those that may (see `writeGroup`).
  const wireNew: WireBatch[] = [];
  const wireRetried: WireBatch[] = [];
  const owner = new Map<string, number>();
  const contextOf = new Map<number, VisitContext | null>();
  const rejectedPerItem = items.map(() => ({}) as Partial<Record<CollectRejectReason, number>>);
  items.forEach((item, index) => {
    const now = item.receivedAt.getTime();
    const received = item.receivedAt.toISOString();
    let batch: WireBatch | null = null;
    for (const event of item.batch.events) {
      // Outside the clock window: refused and counted in the answer, never re-stamped with our clock.
      const rejection = timestampRejection(event.ts, now, item.window);
      if (rejection) {
        const counts = rejectedPerItem[index]!;
        counts[rejection] = (counts[rejection] ?? 0) + 1;
        continue;
      }
      const key = eventKey(item.siteId, event.id);
      // The first batch of the group to carry an id owns it; later copies are duplicates.
      if (owner.has(key)) continue;
      owner.set(key, index);
      const ord = records.length;
      contextOf.set(ord, item.batch.context ?? null);
      const columns = columnsOf(event);
      records.push({
        ord,
        site_id: item.siteId,
        client_event_id: event.id,
        visitor_id: item.batch.visitorId,
        session_id: item.batch.sessionId,
        received,
        type: event.type,
        url: event.url,
        title: columns.title,
        referrer: columns.referrer,
        name: columns.name,
        props: columns.props,
        ts: event.ts,
      });
      if (!batch) {
        batch = {
          site: item.siteId,
          visitor: item.batch.visitorId,
          session: item.batch.sessionId,
          received,
          events: [],
        };
        (checkEveryEvent || item.batch.retry ? wireRetried : wireNew).push(batch);
      }
      // Nulls are left out (fewer bytes to write and for PostgreSQL to read); assigned, not spread: this
      // runs for every event of every group.
      const sent: WireBatch['events'][number] = { o: ord, i: event.id, t: event.type, u: event.url, ts: event.ts };
      if (columns.title !== null) sent.ti = columns.title;
      if (columns.referrer !== null) sent.re = columns.referrer;
      if (columns.name !== null) sent.n = columns.name;
      if (columns.props !== null) sent.p = columns.props;
      batch.events.push(sent);
    }
  });

  const visitorKeys = visitorKeysOf(
    records.map((record) => ({
      siteId: record.site_id,
      visitorId: record.visitor_id,
      occurredAt: new Date(record.ts),
    })),
  );
  const newEventOf = ({ row, record }: { row: InsertedRow; record: EventRecord }): NewEvent => ({
    id: Number(row.id),
    siteId: record.site_id,
    visitorId: record.visitor_id,
    type: record.type as NewEvent['type'],
    url: record.url,
    title: record.title,
    referrer: record.referrer,
    name: record.name,
    props: record.props,
    context: contextOf.get(record.ord) ?? null,
    occurredAt: new Date(record.ts),
  });
  // Deferred: sites deleted since their batches were read (their events were not inserted, see `insertEvents`).
  const goneSites = new Set<string>();
  const { inserted, derived, answers } = await retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      // Issued together, one round trip: the inserts, then the locks and reads derivation needs for every
      // visitor of the group (a visitor whose events all turn out to be retries is locked and left alone).
      // The rows travel as `json`, not `jsonb`: the group is read once, and PostgreSQL takes 92 KB of `json`
      // (240 events) in 0.5 ms where building the `jsonb` tree first took 2.6 ms. Timestamps are added to the
      // epoch as whole milliseconds, so a resent event gets exactly the same `occurred_at` (the dedupe key).
      // `.then` sends an insert now: a drizzle query starts when it is awaited, and `Promise.allSettled` would
      // await it a microtask after the reads below, behind the visitors' locks. Their failure (a deleted site)
      // would then be reported by the insert as "transaction aborted", which no split of the group can isolate.
      const inserts: Promise<InsertedRow[]>[] = [];
      for (const [wire, checkStored] of [
        [wireNew, false],
        [wireRetried, true],
      ] as const) {
        if (wire.length > 0)
          inserts.push(
            tx
              .execute(insertEvents(wire, checkStored, deferDerivation ? contextsOf(wire, items) : undefined))
              .then((result) => rowsOf<InsertedRow>(result)),
          );
      }
      // Deferred: the visitors are not locked here, only read for the answers (their temperature as it stands).
      const state = deferDerivation ? null : loadDerivationState(tx, visitorKeys, liveAnswerColumns);
      const answers = state
        ? state.then(({ alongside }) => liveAnswersOf(alongside))
        : tx.execute(currentAnswers(visitorKeys)).then((result) => {
            const rows = rowsOf<{ site_live: boolean; key_site_id: string }>(result);
            for (const row of rows) if (!row.site_live) goneSites.add(row.key_site_id);
            return liveAnswersOf(rows);
          });
      // A failure here is the state's, which derivation reports: this copy of it must not go unhandled.
      answers.catch(() => {});
      // Deferred, nothing is decided between the statements and the end: COMMIT leaves with them, one round
      // trip in all (ROLLBACK, should one of them fail; the transaction then fails with its error).
      if (deferDerivation) void tx.execute(sql.raw('commit')).catch(() => {});
      const insertResults = await Promise.allSettled(inserts);
      const refused = insertResults.find((result) => result.status === 'rejected');
      if (refused) {
        // The rest fails with the transaction; the insert's error is the one to report.
        await Promise.allSettled([state, answers]);
        throw refused.reason;
      }
      const rows = insertResults.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
      const recordByKey = new Map(records.map((record) => [eventKey(record.site_id, record.client_event_id), record]));
      const fresh = rows
        .map((row) => ({ row, record: recordByKey.get(eventKey(row.site_id, row.client_event_id))! }))
        .sort((a, b) => Number(a.row.id) - Number(b.row.id));
      if (!state) return { inserted: fresh, derived: null, answers: await answers };
      // "Became hot" for the loader's triggers: when each visitor last turned hot (only on a change), sent
      // with the write-back.
      const derived = await applyNewEvents(tx, fresh.map(newEventOf), Date.now(), state, ({ changes }) =>
        markTurnedHot(
          tx,
          changes.filter((change) => change.temperature === 'hot'),
        ),
      );
      return { inserted: fresh, derived, answers: await answers };
    }),
  );
  const queued: QueuedDerivation[] = [];
  if (!derived) {
    const byBacklog = new Map<number, NewEvent[]>();
    for (const stored of inserted) {
      const backlogId = Number(stored.row.backlog_id);
      if (!byBacklog.has(backlogId)) byBacklog.set(backlogId, []);
      byBacklog.get(backlogId)!.push(newEventOf(stored));
    }
    for (const [backlogId, events] of byBacklog) queued.push({ backlogId, events });
  }
  const hot = hotSince(derived ?? { visitors: [], changes: [] }, answers);

  const storedPerItem = items.map(() => 0);
  const pageviews: LivePageview[] = [];
  for (const { row, record } of inserted) {
    storedPerItem[owner.get(eventKey(record.site_id, record.client_event_id))!]! += 1;
    if (record.type === 'pageview') {
      pageviews.push({
        id: String(row.id),
        siteId: record.site_id,
        visitorId: record.visitor_id,
        sessionId: record.session_id,
        url: record.url,
        title: record.title,
        referrer: record.referrer,
        receivedAt: record.received,
      });
    }
  }
  return {
    responses: items.map((item, index) => {
      if (goneSites.has(item.siteId)) return new BatchItemError(new SiteGoneError(item.siteId));
      const key = visitorKey(item.siteId, item.batch.visitorId);
      const hotAt = hot.get(key);
      // An agent's invitation waits for identified visitors only (an anonymous id is shared and changes daily).
      const invite = item.batch.anonymous ? undefined : answers.get(key)?.invite;
      const rejected = rejectedPerItem[index]!;
      const rejectedCount = (rejected.too_old ?? 0) + (rejected.in_future ?? 0);
      return {
        stored: storedPerItem[index]!,
        duplicates: item.batch.events.length - rejectedCount - storedPerItem[index]!,
        ...(rejectedCount ? { rejected } : {}),
        ...(hotAt ? { hot: hotAt } : {}),
        ...(invite ? { invite } : {}),
      };
    }),
    committed: { pageviews, visitors: derived?.visitors ?? [], changes: derived?.changes ?? [] },
    queued,
  };
}

/** Each batch's visit context, once per visitor, for a recovery that derives the events without the batch. */
function contextsOf(wire: readonly WireBatch[], items: readonly IngestItem[]): BacklogContext[] {
  const contexts = new Map<string, BacklogContext>();
  const itemByVisitor = new Map(items.map((item) => [visitorKey(item.siteId, item.batch.visitorId), item]));
  for (const batch of wire) {
    const key = visitorKey(batch.site, batch.visitor);
    const context = itemByVisitor.get(key)?.batch.context;
    if (context && !contexts.has(key)) contexts.set(key, { s: batch.site, v: batch.visitor, c: context });
  }
  return [...contexts.values()];
}

/**
 * The collect answers' columns for a group whose derivation comes later: the visitors as they stand (a hot
 * visitor's temperature, last activity and hot mark) and waiting invitations. Reads only: nothing is locked.
 * The LIMIT (the number of keys, so a no-op) is for the planner, which takes any json_to_recordset for 100 rows
 * and at that size hashed every visitor and hot mark of the table instead of looking up ~20 keys.
 */
const currentAnswers = (keys: readonly VisitorKey[]) => sql`
  select k.site_id as key_site_id, k.visitor_id as key_visitor_id, st.id is not null as site_live, v.temperature,
    v.last_seen_at, ${liveAnswerColumns.columns}
  from (select * from json_to_recordset(${JSON.stringify(keys)}::json) as k(site_id uuid, visitor_id text) limit ${keys.length}) k
  left join sites st on st.id = k.site_id
  left join visitors v on v.site_id = k.site_id and v.visitor_id = k.visitor_id
  ${liveAnswerColumns.joins}`;

/**
 * A batch's site was deleted since the batch was read: nothing of it was stored, and it is refused alone, as a
 * data error (as the visitors' foreign key refuses it when derivation is in the transaction).
 */
class SiteGoneError extends Error {
  readonly code = '23503';
  constructor(siteId: string) {
    super(`The site ${siteId} no longer exists`);
  }
}

const visitorKey = (siteId: string, visitorId: string) => `${siteId}\u0000${visitorId}`;

interface LiveAnswer {
  /** When the visitor last turned hot (ms), from triggers' hot marks. */
  hotAt?: number;
  /** The visitor is hot as they stand (not derived by this group): since when (ms). */
  hotNow?: number;
  invite?: VisitorInvitation;
}

/**
 * What the collect answer tells the loader besides counts, for every visitor of the group: when they
 * turned hot and an agent's waiting invitation. Read with the visitors' latest visits, in the same statement.
 */
const liveAnswerColumns: ReadAlongside = {
  columns: sql`m.hot_at, i.id as invite_id, i.agent_name, i.message`,
  joins: sql`${hotMarkJoin('k', 'm')} ${waitingInvitationJoin('k', 'i')}`,
};

function liveAnswersOf(rows: readonly Record<string, unknown>[]): Map<string, LiveAnswer> {
  const answers = new Map<string, LiveAnswer>();
  for (const row of rows as {
    key_site_id: string;
    key_visitor_id: string;
    hot_at: Date | string | null;
    invite_id: string | null;
    agent_name: string | null;
    message: string | null;
    /** Only in `currentAnswers`: the visitor as it stands. */
    temperature?: string | null;
    last_seen_at?: Date | string | null;
  }[]) {
    const hotNow = row.temperature === 'hot';
    if (!row.hot_at && !row.invite_id && !hotNow) continue;
    answers.set(visitorKey(row.key_site_id, row.key_visitor_id), {
      ...(row.hot_at ? { hotAt: new Date(row.hot_at).getTime() } : {}),
      // A visitor hot since before hot marks existed counts from their latest activity.
      ...(hotNow
        ? { hotNow: row.hot_at ? new Date(row.hot_at).getTime() : new Date(row.last_seen_at!).getTime() }
        : {}),
      ...(row.invite_id ? { invite: { id: row.invite_id, agentName: row.agent_name!, message: row.message! } } : {}),
    });
  }
  return answers;
}

/** When each hot visitor of the group turned hot (ms): now if this group made them hot, else their mark. */
function hotSince(derived: DerivedChanges, answers: Map<string, LiveAnswer>): Map<string, number> {
  const turned = new Map(
    derived.changes
      .filter((change) => change.temperature === 'hot')
      .map((change) => [visitorKey(change.siteId, change.visitorId), new Date(change.at).getTime()]),
  );
  const since = new Map<string, number>();
  for (const visitor of derived.visitors) {
    if (visitor.temperature !== 'hot') continue;
    const key = visitorKey(visitor.siteId, visitor.visitorId);
    // A visitor hot since before marks existed counts from their latest activity.
    since.set(key, turned.get(key) ?? answers.get(key)?.hotAt ?? new Date(visitor.lastSeenAt).getTime());
  }
  // A group whose derivation comes later answers with the visitors as they stood.
  for (const [key, answer] of answers)
    if (answer.hotNow !== undefined && !since.has(key)) since.set(key, answer.hotNow);
  return since;
}

/** Ids are b-tree keys: PostgreSQL refuses an index entry over 2,704 bytes (here at most 1,024). */
const maxIdLength = 256;

/** True when every string (and key) in `value` is one PostgreSQL can store. */
function storableText(value: unknown): boolean {
  if (typeof value === 'string') return isWellFormedText(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!storableText(item)) return false;
    return true;
  }
  for (const key in value)
    if (!isWellFormedText(key) || !storableText((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** Where in `value` the first string PostgreSQL cannot store sits (only once one is known to be there). */
function unstorableTextAt(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  for (const [key, child] of Object.entries(value)) {
    if (!isWellFormedText(key)) return [key];
    if (!storableText(child)) return [key, ...unstorableTextAt(child)];
  }
  return [];
}

/**
 * What PostgreSQL (or the group's own code) would refuse in a batch, found before the batch joins a
 * group, so it fails alone: text with NUL or a lone surrogate, an id too long for its index, a timestamp
 * that is not a number. Through HTTP the protocol's schemas have already normalised and bounded all of
 * this; the screen is for every other caller, and costs one walk over the batch's strings.
 */
export function screenBatch({ batch }: IngestItem): AppError | undefined {
  const refuse = (path: string[], message: string) =>
    new AppError('validation_failed', 'The batch holds a value that cannot be stored', [{ path, message }]);
  if (batch.visitorId.length > maxIdLength) return refuse(['visitorId'], 'too long');
  if (batch.sessionId.length > maxIdLength) return refuse(['sessionId'], 'too long');
  for (const [i, event] of batch.events.entries()) {
    if (typeof event.id !== 'string' || event.id.length > maxIdLength)
      return refuse(['events', String(i), 'id'], 'not an id');
    if (!Number.isFinite(event.ts)) return refuse(['events', String(i), 'ts'], 'not a timestamp');
  }
  return storableText(batch) ? undefined : refuse(unstorableTextAt(batch), 'NUL or a lone surrogate');
}

/**
 * PostgreSQL refused a value of the group, not the group as a whole: a data exception (22: NUL or a lone
 * surrogate in text or json, a number out of range, a malformed uuid), an integrity violation (23: the
 * site was deleted meanwhile) or a program limit (54: a value too large for an index). Retrying that
 * batch cannot help, so it fails alone (400) and the rest of its group commits. A unique violation
 * (23505) is left out: a race could cause it, and a retry may pass.
 */
export function isRefusedData(error: unknown): boolean {
  const code = pgCode(error);
  return code !== undefined && code !== '23505' && /^(22|23|54)/.test(code);
}

/** A batch's answer, and its derivation: settled at once, or (deferred) when the deriver has derived its events. */
export interface IngestAnswer {
  response: CollectResponse;
  derived: Promise<void>;
}

export type Ingestor = GroupCommitter<IngestItem, IngestAnswer> & {
  /** With `deferDerivation`: the deriver of this ingestor's groups (recovery passes, waiting until idle). */
  readonly deriver?: Deriver;
};

export interface IngestorOptions extends GroupCommitOptions {
  /**
   * Answer each batch when its events are committed, and derive visitors and scores right after, in a
   * transaction of their own (derivation.ts). Off: each group derives inside its own transaction.
   */
  deferDerivation?: boolean;
  /** Where derivations run (default: `db`): background work, so the shared pool, not the connections kept for acks. */
  deriveDb?: Db;
  logger?: Pick<Logger, 'error'>;
}

const ingestors = new WeakMap<Db, Ingestor>();
const derivedAlready = Promise.resolve();

/**
 * The group committer of `/v1/collect` for this database (one per process and database: the state is
 * only requests in flight, so nodes stay stateless). `afterCommit` runs once per committed group, and with
 * `deferDerivation` once more per derivation, with the visitors and temperature changes it made.
 */
export function createIngestor(
  db: Db,
  afterCommit: (group: CommittedGroup) => void,
  { deferDerivation = false, deriveDb = db, logger, ...options }: IngestorOptions = {},
): Ingestor {
  const deriver = deferDerivation
    ? createDeriver(deriveDb, (derived) => afterCommit({ pageviews: [], ...derived }), logger)
    : undefined;
  const ingestor = new GroupCommitter<IngestItem, IngestAnswer>(
    async (items) => {
      const { responses, committed, queued } = await writeGroup(db, items, { deferDerivation });
      afterCommit(committed);
      const derived =
        deriver && queued.length > 0 ? Promise.all(queued.map(deriver.derive)).then(noop) : derivedAlready;
      return responses.map((response) => (response instanceof BatchItemError ? response : { response, derived }));
    },
    options,
    // One visitor's bad batch fails alone; every other batch of its group is stored and answered. A batch the
    // protocol's schema has validated is not screened again (the walk was 4 % of the node's busy time in a
    // bench:ingest profile); should PostgreSQL still refuse one, isolation finds it.
    { screen: (item) => (item.validated ? undefined : screenBatch(item)), isolate: isRefusedData },
  ) as Ingestor;
  Object.defineProperty(ingestor, 'deriver', { value: deriver });
  ingestors.set(db, ingestor);
  return ingestor;
}

const noop = () => {};

/** The ingestor serving this database (tests read its stats). */
export const ingestorOf = (db: Db) => ingestors.get(db);

/** Resolves when every derivation this database's ingestor has started has finished (tests, shutdown). */
export const derivationsIdle = async (db: Db) => ingestors.get(db)?.deriver?.idle();

/**
 * Every node runs one: every 10 s, backlog rows older than `backlogTakeoverMs` (a node stopped before it
 * derived them, or a derivation failed) are derived by whichever node claims them first, with the live pushes
 * of this node's ingestor for `db`. Started after the routes (which create the ingestor).
 */
export function startDerivationRecovery(db: Db, logger: Logger): IntervalJob {
  return startIntervalJob('derivation recovery', async () => (await ingestors.get(db)?.deriver?.recover()) ?? 0, {
    intervalMs: 10_000,
    logger,
  });
}
