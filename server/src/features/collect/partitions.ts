import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx } from '../../db/client.js';
import { startIntervalJob, type IntervalJob } from '../../lib/interval-job.js';
import type { Logger } from '../../lib/logger.js';

/**
 * The events table is partitioned by month of `occurred_at` (migration 0022): `events_pYYYY_MM` holds
 * [first of the month, first of the next) in UTC, and `events_default` whatever no month holds, so an
 * insert never fails. This module creates months ahead and drops months that retention has emptied.
 * See ARCHITECTURE.md, "Event storage".
 */
export const eventPartitionOptions = {
  /** Months created ahead of the current one: a missed job run has two months to be noticed. */
  monthsAhead: 2,
  everyMs: 6 * 60 * 60 * 1000,
  /**
   * How long a DDL statement may wait for its lock on `events`. Creating and detaching a partition lock the
   * table for a moment, and a waiting lock request holds up the inserts queued behind it: better to give up
   * and try again on the next run (months are made ahead, and retention is not urgent by the minute).
   */
  lockTimeoutMs: 2_000,
};

/** One node at a time changes the partitions (any constant: the same on every node). */
const partitionLockId = 727_160_022;

export interface EventPartition {
  name: string;
  from: Date;
  to: Date;
}

const addMonths = (month: Date, months: number) =>
  new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + months, 1));

/** The partition holding the month of `at` (UTC). */
export function eventPartitionOf(at: Date): EventPartition {
  const from = addMonths(at, 0);
  const month = String(from.getUTCMonth() + 1).padStart(2, '0');
  return { name: `events_p${from.getUTCFullYear()}_${month}`, from, to: addMonths(from, 1) };
}

const partitionName = /^events_p(\d{4})_(\d{2})$/;

/** The monthly partitions attached to `events`, oldest first (the default partition is not one of them). */
export async function listEventPartitions(db: DbOrTx): Promise<EventPartition[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'events'::regclass`),
  );
  return rows
    .flatMap(({ name }) => {
      const match = partitionName.exec(name);
      return match ? [eventPartitionOf(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)))] : [];
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

const lockTimeout = () => sql.raw(`set local lock_timeout = ${Math.round(eventPartitionOptions.lockTimeoutMs)}`);
const bound = (at: Date) => `'${at.toISOString()}'`;

/**
 * Creates the partitions of the current month and the next `monthsAhead`, and of every month that rows in the
 * default partition belong to (an import of old history, or a run that was missed), moving those rows into it
 * in the same transaction. Safe on several nodes at once: they take turns on an advisory lock, and each creates
 * only what is missing. Returns the names created.
 */
export async function ensureEventPartitions(
  db: Db,
  now = new Date(),
  monthsAhead = eventPartitionOptions.monthsAhead,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${partitionLockId})`);
    await tx.execute(lockTimeout());
    const existing = new Set((await listEventPartitions(tx)).map((partition) => partition.name));
    const stray = rowsOf<{ month: string }>(
      await tx.execute(sql`
        select distinct to_char(occurred_at at time zone 'UTC', 'YYYY-MM') as month from events_default`),
    ).map(({ month }) => new Date(`${month}-01T00:00:00Z`));
    const wanted = new Map<string, EventPartition & { holdsStray: boolean }>();
    for (let ahead = 0; ahead <= monthsAhead; ahead++) {
      const partition = eventPartitionOf(addMonths(now, ahead));
      wanted.set(partition.name, { ...partition, holdsStray: false });
    }
    for (const month of stray) {
      const partition = eventPartitionOf(month);
      wanted.set(partition.name, { ...partition, holdsStray: true });
    }
    const created: string[] = [];
    for (const partition of [...wanted.values()].sort((a, b) => a.from.getTime() - b.from.getTime())) {
      if (existing.has(partition.name)) continue;
      const range = sql.raw(`occurred_at >= ${bound(partition.from)} and occurred_at < ${bound(partition.to)}`);
      // PostgreSQL refuses a partition whose range has rows in the default partition: they leave it first.
      if (partition.holdsStray) {
        await tx.execute(sql`create temporary table events_moving (like events) on commit drop`);
        await tx.execute(
          sql`with moved as (delete from events_default where ${range} returning *) insert into events_moving select * from moved`,
        );
      }
      await tx.execute(
        sql.raw(
          `create table if not exists "${partition.name}" partition of events for values from (${bound(partition.from)}) to (${bound(partition.to)})`,
        ),
      );
      if (partition.holdsStray) {
        await tx.execute(sql`insert into events select * from events_moving`);
        await tx.execute(sql`drop table events_moving`);
      }
      created.push(partition.name);
    }
    return created;
  });
}

/**
 * Drops the monthly partitions whose every row retention would delete: months that ended before the latest
 * cutoff of any site with a retention, where no site still keeps a row (by arrival time, as the row-by-row
 * purge judges: a site without retention keeps all). One index probe per site and partition decides it.
 * Rows of the months left (the boundary month, or months shared with a site that keeps them) are purged row by
 * row by `runRetention`. Runs on one node at a time; when another holds the lock it does nothing.
 */
export async function dropExpiredEventPartitions(db: Db, now = new Date()): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ got: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${partitionLockId}) as got`),
    );
    if (!lock?.got) return [];
    await tx.execute(lockTimeout());
    const at = sql`${now.toISOString()}::timestamptz`;
    const cutoff = sql`${at} - (s.privacy->>'retentionDays')::int * interval '24 hours'`;
    const [latest] = rowsOf<{ cutoff: Date | string | null }>(
      await tx.execute(sql`select max(${cutoff}) as cutoff from sites s where s.privacy->>'retentionDays' is not null`),
    );
    if (!latest?.cutoff) return [];
    const latestCutoff = new Date(latest.cutoff).getTime();
    const dropped: string[] = [];
    for (const partition of await listEventPartitions(tx)) {
      if (partition.to.getTime() > latestCutoff) break;
      const table = sql.identifier(partition.name);
      const [kept] = rowsOf<{ kept: boolean }>(
        await tx.execute(sql`
          select exists (
            select 1 from sites s cross join lateral (select max(e.received_at) as last from ${table} e where e.site_id = s.id) x
            where x.last is not null and (s.privacy->>'retentionDays' is null or x.last >= ${cutoff})
          ) as kept`),
      );
      if (kept?.kept) continue;
      await tx.execute(sql`alter table events detach partition ${table}`);
      await tx.execute(sql`drop table ${table}`);
      dropped.push(partition.name);
    }
    return dropped;
  });
}

/**
 * Every node creates the months ahead at start and every `everyMs` (the advisory lock makes them take turns;
 * all but the first find nothing to do).
 */
export function startEventPartitionJob(db: Db, logger: Logger): IntervalJob {
  const job = startIntervalJob(
    'event partitions',
    async (now) => {
      const created = await ensureEventPartitions(db, now);
      if (created.length > 0) logger.info('event partitions created', { partitions: created });
      return created.length;
    },
    { intervalMs: eventPartitionOptions.everyMs, logger },
  );
  job.runOnce().catch((error: unknown) => logger.error('event partitions failed', { error }));
  return job;
}
