import { and, desc, eq, sql } from 'drizzle-orm';
import type { ScoringJob } from '@beckon/sdk/protocol';
import { isDatabaseUnavailable, rowsOf, type Db } from '../../db/client.js';
import { scoringJobsTable, type ScoringJobRow } from '../../db/schema.js';
import type { Logger } from '../../lib/logger.js';
import type { Realtime } from '../../realtime/realtime.js';
import { recomputeSite } from './service.js';
import { computePercentThresholds, refreshDueThresholds } from './thresholds.js';

type Executor = Pick<Db, 'insert' | 'update' | 'select' | 'execute'>;

/** A running job that has not reported for this long belonged to a node that died: another takes it over. */
export const scoringJobLeaseMs = 60_000;

export const toScoringJob = (row: ScoringJobRow): ScoringJob => ({
  id: row.id,
  siteId: row.siteId,
  reason: row.reason,
  status: row.status,
  total: row.total,
  done: row.done,
  requestedAt: row.requestedAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

/**
 * Asks for a rescore of the site (in the caller's transaction, so it commits with the settings that
 * need it). A job still waiting for the same site is replaced: one run under the newest rules does both.
 */
export async function enqueueRescore(tx: Executor, siteId: string, reason: ScoringJob['reason']): Promise<ScoringJob> {
  // Two saves at once (two nodes) must not both leave a waiting job: they queue up on the site's lock.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`scoring_jobs:${siteId}`}, 0))`);
  await tx
    .update(scoringJobsTable)
    .set({ status: 'superseded', finishedAt: new Date() })
    .where(and(eq(scoringJobsTable.siteId, siteId), eq(scoringJobsTable.status, 'queued')));
  const [row] = await tx.insert(scoringJobsTable).values({ siteId, reason }).returning();
  return toScoringJob(row!);
}

/** The site's latest rescoring job (the Scoring page's progress on load), or null. */
export async function latestScoringJob(db: Pick<Db, 'select'>, siteId: string): Promise<ScoringJob | null> {
  const [row] = await db
    .select()
    .from(scoringJobsTable)
    .where(eq(scoringJobsTable.siteId, siteId))
    .orderBy(desc(scoringJobsTable.requestedAt))
    .limit(1);
  return row ? toScoringJob(row) : null;
}

interface RawJob {
  id: string;
  site_id: string;
  reason: ScoringJob['reason'];
  status: ScoringJob['status'];
  total: number;
  done: number;
  error: string | null;
  requested_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  lease_until: Date | string | null;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));
const fromRaw = (raw: RawJob): ScoringJobRow => ({
  id: raw.id,
  siteId: raw.site_id,
  reason: raw.reason,
  status: raw.status,
  total: raw.total,
  done: raw.done,
  error: raw.error,
  requestedAt: date(raw.requested_at)!,
  startedAt: date(raw.started_at),
  finishedAt: date(raw.finished_at),
  leaseUntil: date(raw.lease_until),
});

/**
 * Claims the oldest waiting job of a site no other node is rescoring (or a running one whose lease ran
 * out), in one statement: `for update skip locked` keeps two nodes from taking the same row.
 */
async function claimJob(db: Db): Promise<ScoringJobRow | null> {
  const rows = rowsOf<RawJob>(
    await db.execute(sql`
      update scoring_jobs set status = 'running', started_at = coalesce(started_at, now()), lease_until = now() + ${`${scoringJobLeaseMs} milliseconds`}::interval
      where id = (
        select j.id from scoring_jobs j
        where (j.status = 'queued' or (j.status = 'running' and j.lease_until < now()))
          and not exists (select 1 from scoring_jobs r where r.site_id = j.site_id and r.id <> j.id and r.status = 'running' and r.lease_until >= now())
        order by j.requested_at
        limit 1
        for update skip locked)
      returning *`),
  );
  return rows[0] ? fromRaw(rows[0]) : null;
}

export interface ScoringJobDeps {
  db: Db;
  realtime: Pick<Realtime, 'toSite'>;
  logger: Logger;
}

/**
 * Runs one claimed job: replays the site's visitors chunk by chunk, reporting progress (row and live
 * push) and renewing the lease after each chunk. A newer job for the site ends this one as superseded,
 * so a save while a rescore runs starts over under the newest rules instead of finishing the old ones.
 */
async function runJob({ db, realtime }: ScoringJobDeps, job: ScoringJobRow, stopped: () => boolean): Promise<void> {
  const push = (row: ScoringJobRow) => realtime.toSite(row.siteId, 'scoring:job', toScoringJob(row));
  const update = async (values: Partial<ScoringJobRow>) => {
    const [row] = await db.update(scoringJobsTable).set(values).where(eq(scoringJobsTable.id, job.id)).returning();
    if (row) push(row);
    return row;
  };
  const newerWaiting = async () =>
    (
      await db
        .select({ id: scoringJobsTable.id })
        .from(scoringJobsTable)
        .where(and(eq(scoringJobsTable.siteId, job.siteId), eq(scoringJobsTable.status, 'queued')))
        .limit(1)
    ).length > 0;
  try {
    let superseded = false;
    let interrupted = false;
    await recomputeSite(db, job.siteId, Date.now(), {
      onStart: async (total) => void (await update({ total, done: 0 })),
      onChunk: async (done) => {
        await update({ done, leaseUntil: new Date(Date.now() + scoringJobLeaseMs) });
        superseded = await newerWaiting();
        interrupted = stopped();
        return !superseded && !interrupted;
      },
    });
    // This node is shutting down: the job goes back to the queue for another node (or this one on restart).
    if (interrupted && !superseded) return void (await update({ status: 'queued', leaseUntil: null }));
    // A site whose hot / warm are "the top N %" gets its points from the scores just written.
    if (!superseded) await computePercentThresholds(db, job.siteId);
    const finished = await update({
      status: superseded ? 'superseded' : 'done',
      finishedAt: new Date(),
      leaseUntil: null,
    });
    if (finished?.status === 'done') realtime.toSite(job.siteId, 'site:updated', { id: job.siteId });
  } catch (error) {
    await update({
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
      finishedAt: new Date(),
      leaseUntil: null,
    }).catch(() => {});
    throw error;
  }
}

/** Claims and runs jobs until none is left to take. Resolves with how many ran. */
export async function drainScoringJobs(deps: ScoringJobDeps, stopped: () => boolean = () => false): Promise<number> {
  let ran = 0;
  for (;;) {
    if (stopped()) return ran;
    const job = await claimJob(deps.db);
    if (!job) return ran;
    ran++;
    try {
      await runJob(deps, job, stopped);
    } catch (error) {
      // An outage is logged once where the database goes down; the job's lease hands it on afterwards.
      if (isDatabaseUnavailable(error)) return ran;
      deps.logger.error('rescoring job failed', { error, siteId: job.siteId, jobId: job.id });
    }
  }
}

export interface ScoringJobRunner {
  /** Runs the queue now (after a save on this node); a kick during a pass makes it look again when done. */
  kick(): Promise<void>;
  /** Resolves once the queue has been drained by this node (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const runners = new WeakMap<Db, ScoringJobRunner>();

/** Resolves once this node's runner for the database (if any) has drained its queue (tests). */
export const scoringJobsIdle = (db: Db) => runners.get(db)?.idle() ?? Promise.resolve();

/**
 * This node's rescoring runner for a database: kicked by the routes that enqueue, and polling every
 * `intervalMs` for jobs other nodes enqueued or left behind. One per database handle, so the routes and
 * the server share it.
 */
export function scoringJobRunner(deps: ScoringJobDeps, intervalMs = 2000): ScoringJobRunner {
  const existing = runners.get(deps.db);
  if (existing) return existing;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const pass = (): Promise<void> =>
    (running ??= (async () => {
      try {
        do {
          again = false;
          await drainScoringJobs(deps, () => stopped);
          // Percent thresholds follow the visitors of the last 30 days: recomputed hourly, a few sites a pass.
          for (let sites = 0; sites < 20 && !stopped && (await refreshDueThresholds(deps.db)); sites++);
        } while (again && !stopped);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) deps.logger.error('rescoring runner failed', { error });
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => {
    if (!stopped && !running) void pass();
  }, intervalMs);
  timer.unref();
  const runner: ScoringJobRunner = {
    kick() {
      if (stopped) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      return pass();
    },
    idle: () => running ?? Promise.resolve(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      runners.delete(deps.db);
      await running;
    },
  };
  runners.set(deps.db, runner);
  return runner;
}
