import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTimestampWindow, type BehaviourEvent } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { eventsTable } from '../../db/schema.js';
import { openTestDatabase, databaseKinds, type DatabaseKind } from '../../testing/harness.js';
import { runRetention } from '../privacy/service.js';
import { writeGroup } from './ingest.js';
import {
  dropExpiredEventPartitions,
  ensureEventPartitions,
  eventPartitionOf,
  listEventPartitions,
} from './partitions.js';

const day = 24 * 60 * 60 * 1000;
const monthsFrom = (at: Date, months: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
let counter = 0;
const pageview = (ts: number, id = `evt_part_${counter++}`): BehaviourEvent => ({
  id,
  type: 'pageview',
  ts,
  url: 'https://shop.example/',
});

describe.each(databaseKinds)('event partitions on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Db;
  const newSite = async (retentionDays?: number) => {
    const key = `part_${randomBytes(4).toString('hex')}`;
    const [row] = rowsOf<{ id: string }>(
      await db.execute(sql`insert into sites (key, name, widget) values (${key}, ${key}, '{}'::jsonb) returning id`),
    );
    if (retentionDays !== undefined)
      await db.execute(
        sql`update sites set privacy = privacy || jsonb_build_object('retentionDays', ${retentionDays}::int) where id = ${row!.id}`,
      );
    return row!.id;
  };
  /** Writes one visitor's events as `/v1/collect` does (the import's window lets a test place them in any month). */
  const write = async (siteId: string, events: BehaviourEvent[], receivedAt = new Date()) =>
    (
      await writeGroup(db, [
        {
          siteId,
          receivedAt,
          window: importTimestampWindow,
          batch: { site: 'test', visitorId: 'partition_visitor', sessionId: 'partition_session', events },
        },
      ])
    ).responses[0]!;
  const partitionHolding = async (clientEventId: string) =>
    rowsOf<{ partition: string }>(
      await db.execute(
        sql`select tableoid::regclass::text as partition from events where client_event_id = ${clientEventId}`,
      ),
    ).map((row) => row.partition);

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    db = t.db;
  });
  afterAll(() => t?.dispose());

  it('leaves the current month, the next two and a default partition after the migration', async () => {
    const names = (await listEventPartitions(db)).map((partition) => partition.name);
    const now = new Date();
    for (const ahead of [0, 1, 2]) expect(names).toContain(eventPartitionOf(monthsFrom(now, ahead)).name);
    const [row] = rowsOf<{ name: string | null }>(
      await db.execute(sql`select to_regclass('events_default')::text as name`),
    );
    expect(row?.name).toBe('events_default');
  });

  it('creates the months ahead once, however many nodes run the job at the same time', async () => {
    const later = monthsFrom(new Date(), 24);
    const runs = await Promise.all([ensureEventPartitions(db, later), ensureEventPartitions(db, later)]);
    const expected = [0, 1, 2].map((ahead) => eventPartitionOf(monthsFrom(later, ahead)).name);
    expect(runs.flat().sort()).toEqual(expected);
    expect(await ensureEventPartitions(db, later)).toEqual([]);
    const partition = eventPartitionOf(later);
    expect(partition.from.toISOString()).toBe(later.toISOString());
    expect(partition.to.toISOString()).toBe(monthsFrom(later, 1).toISOString());
  });

  it('stores an event in the month of its own timestamp, and a month without partition in the default one', async () => {
    const siteId = await newSite();
    const now = Date.now();
    const longAgo = Date.UTC(new Date(now).getUTCFullYear() - 3, 5, 15);
    const current = pageview(now - 1000);
    const old = pageview(longAgo);
    expect(await write(siteId, [current, old])).toMatchObject({ stored: 2, duplicates: 0 });
    expect(await partitionHolding(current.id)).toEqual([eventPartitionOf(new Date(current.ts)).name]);
    expect(await partitionHolding(old.id)).toEqual(['events_default']);
    // A retry is dropped in the default partition too.
    expect(await write(siteId, [old])).toMatchObject({ stored: 0, duplicates: 1 });
    // The job gives the stray month a partition and moves its rows there; retries are still dropped.
    const created = await ensureEventPartitions(db);
    expect(created).toContain(eventPartitionOf(new Date(longAgo)).name);
    expect(await partitionHolding(old.id)).toEqual([eventPartitionOf(new Date(longAgo)).name]);
    expect(await write(siteId, [old, current])).toMatchObject({ stored: 0, duplicates: 2 });
  });

  it('drops a retried event that arrives in another month than its first copy', async () => {
    const siteId = await newSite();
    const boundary = monthsFrom(new Date(), 1);
    // Sent a second before the month turns, first received after it, retried hours later.
    const event = pageview(boundary.getTime() - 1000);
    expect(await write(siteId, [event], new Date(boundary.getTime() + 60_000))).toMatchObject({ stored: 1 });
    expect(await write(siteId, [event], new Date(boundary.getTime() + 5 * 60 * 60 * 1000))).toMatchObject({
      stored: 0,
      duplicates: 1,
    });
    expect(await partitionHolding(event.id)).toEqual([eventPartitionOf(new Date(event.ts)).name]);
  });

  it('drops whole months no site keeps rows in, and leaves the rest to the row-by-row purge', async () => {
    const now = new Date();
    const expiring = await newSite(30);
    const keeping = await newSite();
    const oldest = monthsFrom(now, -14);
    const older = monthsFrom(now, -13);
    const at = (month: Date) => new Date(month.getTime() + 10 * day);
    const row = (siteId: string, month: Date, clientEventId: string) => ({
      siteId,
      clientEventId,
      visitorId: 'retention_visitor',
      sessionId: 'retention_session',
      type: 'pageview' as const,
      url: 'https://shop.example/',
      occurredAt: at(month),
      receivedAt: at(month),
    });
    await db
      .insert(eventsTable)
      .values([
        row(expiring, oldest, 'retention_oldest'),
        row(expiring, older, 'retention_older'),
        row(keeping, older, 'retention_kept'),
      ]);
    await ensureEventPartitions(db);
    const partitions = (await listEventPartitions(db)).map((partition) => partition.name);
    expect(partitions).toContain(eventPartitionOf(oldest).name);
    expect(partitions).toContain(eventPartitionOf(older).name);

    const dropped = await dropExpiredEventPartitions(db, now);
    expect(dropped).toEqual([eventPartitionOf(oldest).name]);
    const left = (await listEventPartitions(db)).map((partition) => partition.name);
    expect(left).not.toContain(eventPartitionOf(oldest).name);
    expect(left).toContain(eventPartitionOf(older).name);
    expect(left).toContain(eventPartitionOf(now).name);
    // The month a site without retention still has a row in is purged row by row, of the expiring site only.
    const purged = await runRetention(db, now);
    expect(purged.get(expiring)?.events).toBe(1);
    expect(await partitionHolding('retention_older')).toEqual([]);
    expect(await partitionHolding('retention_kept')).toEqual([eventPartitionOf(older).name]);
    // Nothing more to drop; months ahead and the current one are never candidates.
    expect(await dropExpiredEventPartitions(db, now)).toEqual([]);
  });
});

/** The SQL of migrations 0000..`last` (drizzle's statement breakpoints), in journal order. */
function migrationStatements(from: number, to: number): string[] {
  const folder = new URL('../../../drizzle/', import.meta.url);
  const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return journal.entries
    .filter((entry) => entry.idx >= from && entry.idx <= to)
    .flatMap((entry) => readFileSync(new URL(`${entry.tag}.sql`, folder), 'utf8').split('--> statement-breakpoint'));
}

async function rawDatabase(kind: DatabaseKind) {
  if (kind === 'pglite') {
    const pg = new PGlite();
    return {
      run: async (text: string) => {
        await pg.exec(text);
      },
      rows: async <T>(text: string) => (await pg.query<T>(text)).rows,
      close: () => pg.close(),
    };
  }
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `beckon_test_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    run: async (text: string) => {
      await client.unsafe(text);
    },
    rows: async <T>(text: string) => (await client.unsafe(text)) as unknown as T[],
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe.each(databaseKinds)('the partitioning migration on %s', (kind) => {
  it('moves the existing events into their months, keeping ids, the sequence and the dedupe index', async () => {
    const raw = await rawDatabase(kind);
    try {
      for (const statement of migrationStatements(0, 21)) await raw.run(statement);
      await raw.run(`insert into sites (key, name, widget) values ('migrated', 'Migrated', '{}')`);
      await raw.run(`
        insert into events (site_id, client_event_id, visitor_id, session_id, type, url, occurred_at, received_at)
        select s.id, 'old_' || n, 'v', 's', 'pageview', 'https://shop.example/', t, t
        from sites s, generate_series(1, 30) n, lateral (select timestamptz '2024-01-20T12:00:00Z' + n * interval '3 days' as t) x`);
      for (const statement of migrationStatements(22, 22)) await raw.run(statement);

      const perPartition = await raw.rows<{ partition: string; n: number | string }>(`
        select tableoid::regclass::text as partition, count(*) as n from events group by 1 order by 1`);
      expect(perPartition.map((row) => [row.partition, Number(row.n)])).toEqual([
        ['events_p2024_01', 3],
        ['events_p2024_02', 10],
        ['events_p2024_03', 10],
        ['events_p2024_04', 7],
      ]);
      const names = (
        await raw.rows<{ name: string }>(
          `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass`,
        )
      ).map((row) => row.name);
      expect(names).toContain('events_default');
      expect(names).toContain(eventPartitionOf(new Date()).name);
      expect(names).toContain(eventPartitionOf(monthsFrom(new Date(), 2)).name);
      // New rows continue the old sequence, and the same client event is refused a second time.
      const [next] = await raw.rows<{ id: number | string }>(`
        insert into events (site_id, client_event_id, visitor_id, session_id, type, url, occurred_at)
        select id, 'new_1', 'v', 's', 'pageview', 'https://shop.example/', now() from sites returning id`);
      expect(Number(next!.id)).toBe(31);
      const again = await raw.rows(`
        insert into events (site_id, client_event_id, visitor_id, session_id, type, url, occurred_at)
        select id, 'old_1', 'v', 's', 'pageview', 'https://shop.example/', timestamptz '2024-01-23T12:00:00Z' from sites
        on conflict (site_id, client_event_id, occurred_at) do nothing returning id`);
      expect(again).toEqual([]);
    } finally {
      await raw.close();
    }
    // Twenty-three migrations one statement at a time: PGlite takes seconds, more on a busy machine.
  }, 180_000);
});
