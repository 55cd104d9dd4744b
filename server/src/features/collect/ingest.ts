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
} from '../visitors/index.js';
import { waitingInvitationJoin } from '../invitations/index.js';
import { hotMarkJoin, markTurnedHot } from '../triggers/index.js';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';
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
): Promise<{ responses: CollectResponse[]; committed: CommittedGroup }> {
  try {
    return await writeGroupOnce(db, items, false);
  } catch (error) {
    if (pgCode(error) !== '23505' || items.every((item) => item.batch.retry)) throw error;
    return writeGroupOnce(db, items, true);
  }
}

/** One INSERT of wire batches; with `checkStored`, events already stored are skipped instead of failing it. */
const insertEvents = (wire: readonly WireBatch[], checkStored: boolean) => sql`
  insert into events (site_id, client_event_id, visitor_id, session_id, type, url, title, referrer, name, props, occurred_at, received_at)
  select b.site, e.i, b.visitor, b.session, e.t, e.u, e.ti, e.re, e.n, e.p, timestamptz 'epoch' + e.ts * interval '1 millisecond', b.received
  from json_to_recordset(${JSON.stringify(wire)}::json) as b(site uuid, visitor text, session text, received timestamptz, events json)
  cross join lateral json_to_recordset(b.events) as e(o int, i text, t text, u text, ti text, re text, n text, p jsonb, ts bigint)
  order by e.o
  ${checkStored ? sql`on conflict (site_id, client_event_id, occurred_at) do nothing` : sql``}
  returning id, site_id, client_event_id`;

async function writeGroupOnce(
  db: Db,
  items: readonly IngestItem[],
  checkEveryEvent: boolean,
): Promise<{ responses: CollectResponse[]; committed: CommittedGroup }> {
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
          inserts.push(tx.execute(insertEvents(wire, checkStored)).then((result) => rowsOf<InsertedRow>(result)));
      }
      const state = loadDerivationState(tx, visitorKeys, liveAnswerColumns);
      const answers = state.then(({ alongside }) => liveAnswersOf(alongside));
      // A failure here is the state's, which derivation reports: this copy of it must not go unhandled.
      answers.catch(() => {});
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
      const newEvents: NewEvent[] = fresh.map(({ row, record }) => ({
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
      }));
      // "Became hot" for the loader's triggers: when each visitor last turned hot (only on a change), sent
      // with the write-back.
      const derived = await applyNewEvents(tx, newEvents, Date.now(), state, ({ changes }) =>
        markTurnedHot(
          tx,
          changes.filter((change) => change.temperature === 'hot'),
        ),
      );
      return { inserted: fresh, derived, answers: await answers };
    }),
  );
  const hot = hotSince(derived, answers);

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
    committed: { pageviews, ...derived },
  };
}

const visitorKey = (siteId: string, visitorId: string) => `${siteId}\u0000${visitorId}`;

interface LiveAnswer {
  /** When the visitor last turned hot (ms), from triggers' hot marks. */
  hotAt?: number;
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
  }[]) {
    if (!row.hot_at && !row.invite_id) continue;
    answers.set(visitorKey(row.key_site_id, row.key_visitor_id), {
      ...(row.hot_at ? { hotAt: new Date(row.hot_at).getTime() } : {}),
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

export type Ingestor = GroupCommitter<IngestItem, CollectResponse>;

const ingestors = new WeakMap<Db, Ingestor>();

/**
 * The group committer of `/v1/collect` for this database (one per process and database: the state is
 * only requests in flight, so nodes stay stateless). `afterCommit` runs once per committed group.
 */
export function createIngestor(
  db: Db,
  afterCommit: (group: CommittedGroup) => void,
  options?: GroupCommitOptions,
): Ingestor {
  const ingestor: Ingestor = new GroupCommitter(
    async (items) => {
      const { responses, committed } = await writeGroup(db, items);
      afterCommit(committed);
      return responses;
    },
    options,
    // One visitor's bad batch fails alone; every other batch of its group is stored and answered.
    { screen: screenBatch, isolate: isRefusedData },
  );
  ingestors.set(db, ingestor);
  return ingestor;
}

/** The ingestor serving this database (tests read its stats). */
export const ingestorOf = (db: Db) => ingestors.get(db);
