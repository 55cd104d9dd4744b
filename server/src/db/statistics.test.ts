import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { openTestDatabase, databaseKinds } from '../testing/harness.js';
import { rowsOf } from './client.js';
import { needsStatisticsUpkeep, refreshStatistics, staleTables } from './statistics.js';

describe.each(databaseKinds)('statistics upkeep on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  const reltuples = async (table: string) =>
    rowsOf<{ n: number }>(
      await t.db.execute(sql`select reltuples::int as n from pg_class where relname = ${table}`),
    )[0]!.n;
  const addVisitors = async (siteId: string, from: number, count: number) =>
    t.db.execute(sql`
      insert into visitors (site_id, visitor_id, first_seen_at, last_seen_at)
      select ${siteId}::uuid, 'stats_' || g, now(), now() - g * interval '1 second'
      from generate_series(${from}::int, ${from + count - 1}::int) g`);

  /** One database session (a prepared statement and its cached plan live in one). */
  const oneSession = () => {
    if (kind === 'pglite')
      return {
        run: async (text: string) => rowsOf<Record<string, string>>(await t.db.execute(sql.raw(text))),
        end: async () => {},
      };
    const client = postgres(t.url!, { max: 1, onnotice: () => {} });
    return { run: (text: string) => client.unsafe<Record<string, string>[]>(text), end: () => client.end() };
  };

  it('analyzes a table that filled up since the last look, and leaves it alone until it grows again', async () => {
    const [site] = rowsOf<{ id: string }>(
      await t.db.execute(
        sql`insert into sites (key, name, widget) values ('stats', 'Stats', '{}'::jsonb) returning id`,
      ),
    );
    // A prepared look-up whose plan is made while the table is empty, as the server's statements are on a
    // new install (a generic plan, as PostgreSQL settles on after five runs).
    const session = oneSession();
    await session.run(`set plan_cache_mode = force_generic_plan`);
    await session.run(
      `prepare lookup(uuid, text) as select score_state from visitors where site_id = $1 and visitor_id = $2`,
    );
    const lookupPlan = async () =>
      (await session.run(`explain execute lookup('${site!.id}', 'stats_42')`))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    try {
      await lookupPlan();
      await addVisitors(site!.id, 0, 3000);
      expect(await staleTables(t.db)).toContain('visitors');

      expect(await refreshStatistics(t.db)).toContain('visitors');
      expect(await reltuples('visitors')).toBe(3000);
      expect(await staleTables(t.db)).not.toContain('visitors');
      // The plan made for the empty table is replaced: one visitor is read through the primary key, not by
      // reading every visitor of the site through the (site, last seen) index.
      expect(await lookupPlan()).toContain('visitors_site_id_visitor_id_pk');
    } finally {
      await session.run('deallocate lookup');
      await session.run('reset plan_cache_mode');
      await session.end();
    }

    // A few more rows than the growth share: stale again.
    await addVisitors(site!.id, 3000, 600);
    expect(await staleTables(t.db)).toContain('visitors');
    await refreshStatistics(t.db);
    expect(await reltuples('visitors')).toBe(3600);
  });

  it('runs where autovacuum does not: always on PGlite, on PostgreSQL when it is off (with a warning)', async () => {
    const warnings: string[] = [];
    const logger = { ...createLogger('silent'), warn: (message: string) => void warnings.push(message) };
    const needed = await needsStatisticsUpkeep(t, logger);
    if (kind === 'pglite') {
      expect(needed).toBe(true);
      expect(warnings).toEqual([]);
      return;
    }
    const [setting] = rowsOf<{ on: boolean }>(
      await t.db.execute(sql`select current_setting('autovacuum') = 'on' as on`),
    );
    expect(needed).toBe(!setting!.on);
    expect(warnings.length).toBe(setting!.on ? 0 : 1);
  });

  it.runIf(kind === 'postgres')('does nothing while another node holds the turn', async () => {
    await addVisitors(
      rowsOf<{ id: string }>(await t.db.execute(sql`select id from sites where key = 'stats'`))[0]!.id,
      10_000,
      5000,
    );
    const otherNode = postgres(t.url!, { max: 1, onnotice: () => {} });
    try {
      await otherNode`select pg_advisory_lock(727160031)`;
      expect(await refreshStatistics(t.db)).toEqual([]);
      await otherNode`select pg_advisory_unlock(727160031)`;
      expect(await refreshStatistics(t.db)).toContain('visitors');
    } finally {
      await otherNode.end();
    }
  });
});
