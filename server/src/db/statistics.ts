import { sql } from 'drizzle-orm';
import { startIntervalJob, type IntervalJob } from '../lib/interval-job.js';
import type { Logger } from '../lib/logger.js';
import { rowsOf, type Database, type Db } from './client.js';

/**
 * Keeps the planner's statistics fresh where autovacuum does not: on PGlite (single-user, no autovacuum
 * at all) and on a PostgreSQL server with `autovacuum = off`. Without statistics every plan is made for
 * the tables as they were when empty, and a prepared statement keeps such a plan while its table grows:
 * bench:chat found a visitor looked up through the (site, last seen) index, reading every visitor of the
 * site for each lookup, and a chat visitor's person set through the person index, reading every chat
 * visitor without a person. ANALYZE replaces those plans (it invalidates the cached ones of its tables).
 *
 * A table is stale when it has rows but was never analyzed, or when its size moved by more than
 * `growthShare` since the last ANALYZE (autovacuum's default analyze scale factor, measured in pages,
 * which PGlite keeps too; its row counters are not kept up to date). Only statistics: dead rows are left
 * to autovacuum or to an operator's VACUUM.
 */
export const statisticsOptions = {
  /** autovacuum's default naptime. */
  everyMs: 60_000,
  /**
   * A new node's first look, after start-up's own writes. Not a multiple of 30 s: the reports' catch-up
   * (every 30 s) and the presence sample (every 60 s) tick on that grid from the process's start, and an
   * ANALYZE in the same second as a catch-up put both in one second's latency tail (bench:chat).
   */
  firstAfterMs: 45_000,
  growthShare: 0.1,
  /** Below this many pages of change a table is left alone (tiny tables plan well without help). */
  minPagesChanged: 4,
};

/** Any constant: with it, nodes take turns (one ANALYZE pass at a time, the others skip). */
const statisticsLockId = 727_160_031;

/** The app's tables (partitions included) whose statistics are missing or stale by size, by name. */
export async function staleTables(
  db: Pick<Db, 'execute'>,
  { growthShare, minPagesChanged } = statisticsOptions,
): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`
      select name from (
        select c.oid::regclass::text as name, c.relpages, c.reltuples,
          pg_relation_size(c.oid) / current_setting('block_size')::int as pages
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind = 'r'
      ) t
      where pages > 0 and (reltuples < 0 or abs(pages - relpages) >= greatest(${minPagesChanged}::int, ${growthShare}::float8 * relpages))
      order by name`),
  );
  return rows.map((row) => row.name);
}

/**
 * Analyzes the stale tables, on one node at a time (another node's pass in progress: nothing done here).
 * Returns the tables analyzed.
 */
export async function refreshStatistics(db: Db, options = statisticsOptions): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ got: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${statisticsLockId}) as got`),
    );
    if (!lock?.got) return [];
    // ANALYZE waits for nothing but DDL; a migration or a partition being created goes first.
    await tx.execute(sql`set local lock_timeout = '5s'`);
    const tables = await staleTables(tx, options);
    for (const table of tables) await tx.execute(sql`analyze ${sql.raw(quoteName(table))}`);
    return tables;
  });
}

/** `regclass::text` quotes a name only when it needs quotes; the app's tables never do, so anything else is refused. */
function quoteName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected table name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/**
 * Whether this database needs the upkeep: always on PGlite, and on PostgreSQL when autovacuum is off (a
 * warning says so at start: dead rows then pile up too, which this job does not clean).
 */
export async function needsStatisticsUpkeep(database: Pick<Database, 'db' | 'kind'>, logger: Logger) {
  if (database.kind === 'pglite') return true;
  const [setting] = rowsOf<{ autovacuum: string }>(
    await database.db.execute(sql`select current_setting('autovacuum') as autovacuum`),
  );
  if (setting?.autovacuum !== 'off') return false;
  logger.warn(
    'PostgreSQL runs with autovacuum off: Beckon analyzes its tables itself every minute, but nothing removes dead rows; turn autovacuum on, or VACUUM regularly',
  );
  return true;
}

/** Every node runs one where it is needed (see `needsStatisticsUpkeep`); the advisory lock makes them take turns. */
export async function startStatisticsUpkeep(
  database: Pick<Database, 'db' | 'kind'>,
  logger: Logger,
  options = statisticsOptions,
): Promise<IntervalJob | null> {
  if (!(await needsStatisticsUpkeep(database, logger))) return null;
  return startIntervalJob(
    'statistics upkeep',
    async () => {
      const analyzed = await refreshStatistics(database.db, options);
      if (analyzed.length > 0) logger.debug('tables analyzed', { tables: analyzed });
      return analyzed.length;
    },
    { intervalMs: options.everyMs, firstAfterMs: options.firstAfterMs, logger },
  );
}
