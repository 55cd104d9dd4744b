import { sql } from 'drizzle-orm';
import type { VisitContext } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { pgCode, retryOnDeadlock } from '../../lib/deadlock.js';
import type { Logger } from '../../lib/logger.js';
import {
  applyNewEvents,
  loadDerivationState,
  visitorKeysOf,
  type DerivedChanges,
  type NewEvent,
} from '../visitors/index.js';
import { markTurnedHot } from '../triggers/index.js';
import { GroupCommitter } from './group-commit.js';

/**
 * Derivation after the answer (ARCHITECTURE.md): a collect group's transaction stores its events and a
 * `derivation_backlog` row naming them, and is answered at that commit; the visitors, visits and scores those
 * events change are derived here, in transactions of their own, a moment later.
 *
 * Exactly once: a derivation deletes the backlog rows of the events it derives, in the transaction that
 * writes what they changed. A row another transaction deleted first (a recovery pass) comes back from the
 * delete missing, and its events are left to that transaction.
 */

/** The stored events of one backlog row, as the group's transaction returned them. */
export interface QueuedDerivation {
  backlogId: number;
  events: NewEvent[];
}

/** A batch's visit context, once per visitor, kept in the backlog row for a recovery (`s`ite, `v`isitor, `c`ontext). */
export interface BacklogContext {
  s: string;
  v: string;
  c: VisitContext;
}

/**
 * How long a derivation waits for company: under load, the groups of this window are derived in one
 * transaction (its BEGIN, locks, write-back and COMMIT shared), at the price of that much scoring lag.
 */
const deriveWindowMs = 50;

/** A backlog row older than this is taken over by any node's recovery pass: its own node stopped, or failed it. */
export const backlogTakeoverMs = 30_000;

/**
 * Derives the claimable backlog rows among `queued` in one transaction: deletes them, locks their visitors and
 * applies their events. Returns what changed (for the live pushes and temperature listeners).
 */
async function deriveQueued(db: Db, queued: readonly QueuedDerivation[]): Promise<DerivedChanges> {
  const all = queued.flatMap((item) => item.events);
  return retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      // Sent with the visitors' locks, one round trip; the delete runs first, so whoever holds a backlog row
      // takes its visitors' locks after it (the recovery pass does the same: no deadlock between them).
      // Not waited for on disk: a derivation lost in a crash of PostgreSQL is lost with its backlog delete, so
      // the rows come back and a recovery pass derives their events again. The events themselves are durable.
      // (A drizzle query leaves when it is first awaited: `.then` sends each now, in this order.)
      tx.execute(sql`set local synchronous_commit = off`).then(noop, noop);
      const claimed = tx
        .execute(sql`
          delete from derivation_backlog
          where id in (select value::bigint from json_array_elements_text(${JSON.stringify(queued.map((item) => item.backlogId))}::json))
          returning id`)
        .then((result) => rowsOf<{ id: number | string }>(result));
      const state = loadDerivationState(tx, visitorKeysOf(all));
      // Should the delete fail, the transaction fails with its error; the state's must not go unhandled.
      state.catch(noop);
      const claimedIds = new Set((await claimed).map((row) => Number(row.id)));
      const events = queued
        .filter((item) => claimedIds.has(item.backlogId))
        .flatMap((item) => item.events)
        .sort((a, b) => a.id - b.id);
      return applyNewEvents(tx, events, Date.now(), state, ({ changes }) =>
        markTurnedHot(
          tx,
          changes.filter((change) => change.temperature === 'hot'),
        ),
      );
    }),
  );
}

/** PostgreSQL refused the derivation for its data (the site was deleted meanwhile, say), not for an outage. */
const isDataError = (error: unknown) => {
  const code = pgCode(error);
  return code !== undefined && /^(22|23|54)/.test(code);
};

export interface Deriver {
  /** Derives these stored events soon; resolves once they are derived (or left to a recovery pass). */
  derive(queued: QueuedDerivation): Promise<void>;
  /** Derives backlog rows older than `backlogTakeoverMs` (any node's); resolves with how many rows it took. */
  recover(olderThanMs?: number): Promise<number>;
  /** Resolves when every derivation handed to this deriver has finished. */
  idle(): Promise<void>;
}

/**
 * One deriver per ingestor. Derivations wait one turn for company and one runs at a time, so under load each
 * derives every group that committed meanwhile in one transaction. One failing derivation is split down to
 * its bad row (as a group commit is); a row that fails stays in the backlog for a recovery pass.
 */
export function createDeriver(
  db: Db,
  afterDerived: (derived: DerivedChanges) => void,
  logger?: Pick<Logger, 'error'>,
): Deriver {
  const committer = new GroupCommitter<QueuedDerivation, void>(
    async (queued) => {
      afterDerived(await deriveQueued(db, queued));
      return queued.map(() => undefined);
    },
    { windowMs: deriveWindowMs, maxRows: 5_000, maxInFlight: 1 },
    { isolate: isDataError },
  );
  const running = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  };
  return {
    derive: (queued) =>
      track(
        committer.submit(queued, queued.events.length).catch((error: unknown) => {
          // The backlog row stays: a recovery pass derives it later (or gives it up, when its data is to blame).
          logger?.error('derivation failed; left for recovery', { error });
        }),
      ),
    recover(olderThanMs = backlogTakeoverMs) {
      const recovering = recoverBacklog(db, olderThanMs, afterDerived, logger);
      void track(recovering.then(noop, noop));
      return recovering;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

const noop = () => {};

interface BacklogRow {
  id: number | string;
  event_ids: (number | string)[] | string;
  first_occurred_at: Date | string;
  last_occurred_at: Date | string;
  contexts: BacklogContext[] | string;
}

interface StoredEventRow {
  id: number | string;
  site_id: string;
  visitor_id: string;
  type: NewEvent['type'];
  url: string;
  title: string | null;
  referrer: string | null;
  name: string | null;
  props: Record<string, unknown> | string | null;
  occurred_at: Date | string;
}

/** PGlite returns arrays as arrays; a driver may return the text form `{1,2}`. */
const idsOf = (value: BacklogRow['event_ids']) =>
  (typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean) : value).map(Number);
const parsed = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/**
 * Takes over backlog rows older than `olderThanMs` (claimed with `skip locked`, so nodes never take the same
 * row), reads their events back and derives them. Rows are taken a few at a time; a row whose derivation
 * fails for its data alone is derived by nobody: its events stay stored (or, when their site is gone, are
 * deleted with it), and the error is logged.
 */
async function recoverBacklog(
  db: Db,
  olderThanMs: number,
  afterDerived: (derived: DerivedChanges) => void,
  logger?: Pick<Logger, 'error'>,
): Promise<number> {
  let taken = 0;
  for (;;) {
    const claim = async (limit: number, onlyId?: number) =>
      retryOnDeadlock(() =>
        db.transaction(async (tx) => {
          const rows = rowsOf<BacklogRow>(
            await tx.execute(sql`
              delete from derivation_backlog where id in (
                select id from derivation_backlog
                where created_at < now() - ${olderThanMs} * interval '1 millisecond'
                  ${onlyId === undefined ? sql`` : sql`and id = ${onlyId}`}
                order by id limit ${limit} for update skip locked)
              returning *`),
          );
          if (rows.length === 0) return { rows, derived: null };
          const ids = rows.flatMap((row) => idsOf(row.event_ids));
          const from = new Date(Math.min(...rows.map((row) => new Date(row.first_occurred_at).getTime())));
          const to = new Date(Math.max(...rows.map((row) => new Date(row.last_occurred_at).getTime())));
          const contexts = new Map<string, VisitContext>();
          for (const row of rows) for (const { s, v, c } of parsed(row.contexts)) contexts.set(`${s}\u0000${v}`, c);
          // The range lets PostgreSQL read only the months that hold them.
          const stored = rowsOf<StoredEventRow>(
            await tx.execute(sql`
              select id, site_id, visitor_id, type, url, title, referrer, name, props, occurred_at from events
              where id in (select value::bigint from json_array_elements_text(${JSON.stringify(ids)}::json))
                and occurred_at between ${from.toISOString()} and ${to.toISOString()}
              order by id`),
          );
          const events: NewEvent[] = stored.map((event) => ({
            id: Number(event.id),
            siteId: event.site_id,
            visitorId: event.visitor_id,
            type: event.type,
            url: event.url,
            title: event.title,
            referrer: event.referrer,
            name: event.name,
            props: parsed(event.props),
            context: contexts.get(`${event.site_id}\u0000${event.visitor_id}`) ?? null,
            occurredAt: new Date(event.occurred_at),
          }));
          const state = loadDerivationState(tx, visitorKeysOf(events));
          const derived = await applyNewEvents(tx, events, Date.now(), state, ({ changes }) =>
            markTurnedHot(
              tx,
              changes.filter((change) => change.temperature === 'hot'),
            ),
          );
          return { rows, derived };
        }),
      );
    let round: Awaited<ReturnType<typeof claim>>;
    try {
      round = await claim(20);
    } catch (error) {
      if (!isDataError(error)) throw error;
      // One of the rows is to blame: each is tried alone, and the one that fails is given up.
      const [oldest] = rowsOf<{ id: number | string }>(
        await db.execute(sql`
          select id from derivation_backlog where created_at < now() - ${olderThanMs} * interval '1 millisecond'
          order by id limit 1`),
      );
      if (!oldest) return taken;
      try {
        round = await claim(1, Number(oldest.id));
      } catch (alone) {
        if (!isDataError(alone)) throw alone;
        await giveUp(db, Number(oldest.id));
        logger?.error('derivation given up: its events stay stored, underived', { error: alone, backlogId: oldest.id });
        taken++;
        continue;
      }
    }
    if (round.rows.length === 0) return taken;
    taken += round.rows.length;
    if (round.derived) afterDerived(round.derived);
  }
}

/** Drops a backlog row nobody can derive; events of a site deleted meanwhile go with it (no visitor can hold them). */
async function giveUp(db: Db, backlogId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = rowsOf<BacklogRow>(
      await tx.execute(sql`delete from derivation_backlog where id = ${backlogId} returning *`),
    );
    if (!row) return;
    await tx.execute(sql`
      delete from events e
      where e.id in (select value::bigint from json_array_elements_text(${JSON.stringify(idsOf(row.event_ids))}::json))
        and e.occurred_at between ${new Date(row.first_occurred_at).toISOString()} and ${new Date(row.last_occurred_at).toISOString()}
        and not exists (select 1 from sites s where s.id = e.site_id)`);
  });
}
