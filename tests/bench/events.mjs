// npm run bench:events — event storage at scale, before and after monthly partitioning (migration 0022).
// Fills an unpartitioned events table (the schema of migration 0021) with BENCH_EVENTS_ROWS events spread over
// 13 months (generate_series, in chunks, indexes built after the fill), times ingestion and the reads that use
// events, then runs migration 0022 on the same data (timed: the copy into monthly partitions) and times the same
// again. Ingestion is writeGroup's statement (a multi-row INSERT … ON CONFLICT DO NOTHING of 240 events, 5 % of
// them resent); the reads are the server's own functions (visitor detail, Visitors list) and the statements of the
// scoring recompute and the live feed. Retention of one month is timed inside a transaction that is rolled back:
// row-by-row deletes before, detach + drop after. Not a test: it measures. Needs `npm run build` and PostgreSQL.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

const env = (name, fallback) => process.env[name] ?? fallback;
const rows = Number(env('BENCH_EVENTS_ROWS', 50_000_000));
const chunk = Number(env('BENCH_EVENTS_CHUNK', 1_000_000));
const eventsPerVisitor = 50;
const sites = 10;
const groups = Number(env('BENCH_EVENTS_GROUPS', 200));
const groupSize = 240;
const reads = Number(env('BENCH_EVENTS_READS', 200));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const keep = Boolean(process.env.BENCH_EVENTS_KEEP);

const serverDist = new URL('../../server/dist/', import.meta.url);
const { visitorDetail, liveVisitors } = await import(new URL('features/visitors/service.js', serverDist).href);
const schema = await import(new URL('db/schema.js', serverDist).href);
const { dropExpiredEventPartitions } = await import(new URL('features/collect/partitions.js', serverDist).href);

const migrations = new URL('../../server/drizzle/', import.meta.url);
const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', migrations), 'utf8'));
const statementsOf = (from, to) =>
  journal.entries
    .filter((entry) => entry.idx >= from && entry.idx <= to)
    .flatMap((entry) =>
      readFileSync(new URL(`${entry.tag}.sql`, migrations), 'utf8').split('--> statement-breakpoint'),
    );

const dbName = `beckon_bench_events_${Date.now()}`;
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await pgAdmin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const sqlClient = postgres(dbUrl.toString(), { max: 4, onnotice: () => {} });
const db = drizzle(sqlClient, { schema });
const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const seconds = (start) => (performance.now() - start) / 1000;
const loads = [];
const sampleLoad = () => loads.push(loadavg()[0]);

const now = Date.now();
const spanMs = 395 * 24 * 60 * 60 * 1000; // 13 months back from now
const visitors = Math.ceil(rows / eventsPerVisitor);
const visitorId = (n) => `bench_v${String(n).padStart(9, '0')}`;

async function fill() {
  for (const statement of statementsOf(0, 21)) await sqlClient.unsafe(statement);
  await sqlClient.unsafe(`
    insert into sites (key, name, widget)
    select 'bench_' || n, 'Bench ' || n, '{}'::jsonb from generate_series(0, ${sites - 1}) n`);
  const siteIds = (await sqlClient`select id from sites order by key`).map((row) => row.id);
  // The fill runs without the indexes and the foreign key: they are built once afterwards.
  await sqlClient.unsafe(`
    alter table events drop constraint events_pkey;
    alter table events drop constraint events_site_id_sites_id_fk;
    drop index events_site_client_id_uq, events_site_received_idx, events_site_visitor_idx`);
  const start = performance.now();
  // Event n belongs to visitor n / 50 (a visit's events are together in time and in id), on site visitor % 10;
  // time runs evenly from 13 months ago to now, so each month holds about 1/13 of the rows. 7 in 10 are pageviews.
  for (let from = 0; from < rows; from += chunk) {
    const to = Math.min(rows, from + chunk) - 1;
    await sqlClient.unsafe(`
      insert into events (id, site_id, client_event_id, visitor_id, session_id, type, url, title, referrer, name, props, occurred_at, received_at)
      select n + 1, (array['${siteIds.join("','")}']::uuid[])[1 + (n / ${eventsPerVisitor}) % ${sites}],
        'e' || n, 'bench_v' || lpad((n / ${eventsPerVisitor})::text, 9, '0'), 's' || (n / 10),
        case when n % 10 < 7 then 'pageview' when n % 10 < 9 then 'engagement' else 'click' end,
        'https://shop.example/p/' || (n % 997), 'Page ' || (n % 997), null, null,
        case when n % 10 >= 7 then '{"visibleMs": 1200, "maxScroll": 0.5}'::jsonb end,
        t, t + interval '150 ms'
      from generate_series(${from}, ${to}) n,
        lateral (select to_timestamp(${(now - spanMs) / 1000} + n::float8 * ${spanMs / 1000 / rows}) as t) x`);
    sampleLoad();
    log(`filled ${to + 1} of ${rows} events (${Math.round((to + 1) / seconds(start))} rows/s)`);
  }
  await sqlClient.unsafe(`select setval('events_id_seq', ${rows})`);
  const indexStart = performance.now();
  await sqlClient.unsafe(`
    alter table events add constraint events_pkey primary key (id);
    create unique index events_site_client_id_uq on events (site_id, client_event_id);
    create index events_site_received_idx on events (site_id, received_at);
    create index events_site_visitor_idx on events (site_id, visitor_id, id);
    alter table events add constraint events_site_id_sites_id_fk foreign key (site_id) references sites(id) on delete cascade not valid`);
  const indexSeconds = seconds(indexStart);
  // One visitor row per visitor (the Visitors list reads visitors, not events); the last ones seen just now.
  await sqlClient.unsafe(`
    insert into visitors (site_id, visitor_id, first_seen_at, last_seen_at, visit_count, current_url, score, temperature)
    select (array['${siteIds.join("','")}']::uuid[])[1 + v % ${sites}], 'bench_v' || lpad(v::text, 9, '0'), t, t, 1,
      'https://shop.example/', (v % 100)::float8, case when v % 100 > 90 then 'hot' else 'cold' end
    from generate_series(0, ${visitors - 1}) v,
      lateral (select to_timestamp(${(now - spanMs) / 1000} + (v + 1)::float8 * ${spanMs / 1000 / visitors}) as t) x`);
  await sqlClient.unsafe('vacuum analyze events');
  await sqlClient.unsafe('vacuum analyze visitors');
  return { siteIds, fillSeconds: seconds(start), indexSeconds };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => `${value.toFixed(1)} ms`;

async function timed(count, run) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  sampleLoad();
  return { p50: percentile(times, 50), p99: percentile(times, 99), total: times.reduce((a, b) => a + b, 0) };
}

let eventCounter = 0;
/** writeGroup's insert: one group of 240 events from 24 visitors, 5 % of them resent from the group before. */
async function ingest(siteIds, conflictTarget, previous) {
  const records = [];
  const at = new Date().toISOString();
  for (let i = 0; i < groupSize; i++) {
    if (previous.length > 0 && i % 20 === 0) {
      records.push({ ...previous[i], ord: i, received_at: at });
      continue;
    }
    const visitor = (eventCounter * 7919) % visitors;
    records.push({
      ord: i,
      site_id: siteIds[visitor % sites],
      client_event_id: `live_${eventCounter++}`,
      visitor_id: visitorId(visitor),
      session_id: 'live',
      type: 'pageview',
      url: 'https://shop.example/live',
      title: 'Live',
      referrer: null,
      name: null,
      props: null,
      occurred_at: at,
      received_at: at,
    });
  }
  const inserted = await sqlClient.unsafe(
    `insert into events (site_id, client_event_id, visitor_id, session_id, type, url, title, referrer, name, props, occurred_at, received_at)
    select e.site_id, e.client_event_id, e.visitor_id, e.session_id, e.type, e.url, e.title, e.referrer, e.name, e.props, e.occurred_at, e.received_at
    from json_to_recordset($1::json) as e(ord int, site_id uuid, client_event_id text, visitor_id text, session_id text,
      type text, url text, title text, referrer text, name text, props jsonb, occurred_at timestamptz, received_at timestamptz)
    order by e.ord
    on conflict (${conflictTarget}) do nothing
    returning id, site_id, client_event_id, received_at`,
    [JSON.stringify(records)],
  );
  return { records, stored: inserted.length };
}

async function measure(label, siteIds, conflictTarget, retention) {
  log(`measuring ${label}`);
  const pick = (i) => {
    const visitor = (i * 104_729 + 17) % visitors;
    return { siteId: siteIds[visitor % sites], visitorId: visitorId(visitor) };
  };
  let previous = [];
  let stored = 0;
  const ingestion = await timed(groups, async () => {
    const group = await ingest(siteIds, conflictTarget, previous);
    previous = group.records;
    stored += group.stored;
  });
  const expected = groups * groupSize - (groups - 1) * Math.ceil(groupSize / 20);
  if (stored !== expected) log(`MISMATCH: ${stored} stored of ${expected} new events`);
  const detail = await timed(reads, (i) => visitorDetail(db, pick(i).siteId, pick(i).visitorId));
  const list = await timed(reads, (i) =>
    liveVisitors(db, siteIds[i % sites], new Date(Date.now() - 6 * 60 * 60 * 1000)),
  );
  const replay = await timed(Math.ceil(reads / 4), async (i) => {
    const ids = Array.from({ length: 100 }, (_, k) => pick(i * 100 + k).visitorId);
    await sqlClient`select * from events where site_id = ${pick(i * 100).siteId} and visitor_id = any(${ids}) order by id`;
  });
  const feed = await timed(
    reads,
    (i) =>
      sqlClient`select * from events where site_id = ${siteIds[i % sites]} and type = 'pageview' order by received_at desc, id desc limit 50`,
  );
  const retentionStart = performance.now();
  const retained = await retention();
  return {
    ingestion: { ...ingestion, eventsPerSecond: (groups * groupSize) / (ingestion.total / 1000) },
    detail,
    list,
    replay,
    feed,
    retention: { seconds: seconds(retentionStart), what: retained },
  };
}

const oldestMonthEnd = new Date(
  Date.UTC(new Date(now - spanMs).getUTCFullYear(), new Date(now - spanMs).getUTCMonth() + 1, 1),
);
const cutoffDays = Math.floor((now - oldestMonthEnd.getTime()) / (24 * 60 * 60 * 1000));

/** Runs `work` in a transaction that is rolled back, so both layouts purge the same month. */
async function rolledBack(work) {
  let result;
  await sqlClient
    .begin(async (tx) => {
      result = await work(tx);
      throw Object.assign(new Error('rollback'), { rollback: true });
    })
    .catch((error) => {
      if (!error.rollback) throw error;
    });
  return result;
}

let results;
try {
  log(`filling ${rows} events for ${visitors} visitors on ${sites} sites`);
  const { siteIds, fillSeconds, indexSeconds } = await fill();
  const before = await measure('before (one table)', siteIds, 'site_id, client_event_id', () =>
    rolledBack(async (tx) => {
      // The purge of runRetention before partitioning: bounded deletes through the (site, received_at) index.
      let deleted = 0;
      const cutoff = oldestMonthEnd.toISOString();
      for (const siteId of siteIds) {
        for (;;) {
          const batch = await tx.unsafe(
            `delete from events where id in (select id from events where site_id = $1 and received_at < $2 limit 10000) returning 1`,
            [siteId, cutoff],
          );
          deleted += batch.length;
          if (batch.length < 10_000) break;
        }
      }
      return `${deleted} rows deleted`;
    }),
  );
  log('running migration 0022 (copy into monthly partitions)');
  const migrationStart = performance.now();
  await sqlClient.begin(async (tx) => {
    for (const statement of statementsOf(22, 22)) await tx.unsafe(statement);
  });
  const migrationSeconds = seconds(migrationStart);
  sampleLoad();
  await sqlClient.unsafe('vacuum analyze events');
  const partitions = (
    await sqlClient`select count(*)::int as n from pg_inherits where inhparent = 'events'::regclass`
  )[0].n;
  const after = await measure(
    'after (monthly partitions)',
    siteIds,
    'site_id, client_event_id, occurred_at',
    async () => {
      // Every site keeps `cutoffDays`: the oldest month is wholly past it, the next one is the boundary month.
      await sqlClient`update sites set privacy = privacy || ${JSON.stringify({ retentionDays: cutoffDays })}::jsonb`;
      let dropped = [];
      await db
        .transaction(async (tx) => {
          // The server's function, inside this transaction (it opens its own on a database).
          dropped = await dropExpiredEventPartitions({ transaction: (work) => work(tx) }, new Date(now));
          tx.rollback();
        })
        .catch((error) => {
          if (error.constructor.name !== 'TransactionRollbackError') throw error;
        });
      await sqlClient`update sites set privacy = privacy - 'retentionDays'`;
      return `${dropped.join(', ')} detached and dropped`;
    },
  );
  results = { fillSeconds, indexSeconds, migrationSeconds, partitions, before, after };
} finally {
  await sqlClient.end();
  if (!keep) await pgAdmin.unsafe(`drop database if exists ${dbName} with (force)`);
  await pgAdmin.end();
}

const { before, after } = results;
const pair = (get, format = ms) => [format(get(before)), format(get(after))];
const table = [
  [
    'ingestion, events/s (240-event groups)',
    ...pair(
      (r) => r.ingestion.eventsPerSecond,
      (v) => Math.round(v).toLocaleString('en'),
    ),
  ],
  ['ingestion, group p50', ...pair((r) => r.ingestion.p50)],
  ['ingestion, group p99', ...pair((r) => r.ingestion.p99)],
  ['visitor detail p50', ...pair((r) => r.detail.p50)],
  ['visitor detail p99', ...pair((r) => r.detail.p99)],
  ['Visitors list p50', ...pair((r) => r.list.p50)],
  ['Visitors list p99', ...pair((r) => r.list.p99)],
  ['scoring replay read (100 visitors) p50', ...pair((r) => r.replay.p50)],
  ['scoring replay read (100 visitors) p99', ...pair((r) => r.replay.p99)],
  ['live feed (latest 50 pageviews) p50', ...pair((r) => r.feed.p50)],
  ['live feed (latest 50 pageviews) p99', ...pair((r) => r.feed.p99)],
  [
    'retention of the oldest month, s',
    ...pair(
      (r) => r.retention.seconds,
      (v) => v.toFixed(2),
    ),
  ],
];
const width = Math.max(...table.map(([name]) => name.length));
console.log(`\n${rows.toLocaleString('en')} events, ${visitors.toLocaleString('en')} visitors, ${sites} sites`);
console.log(`${'metric'.padEnd(width)}  ${'one table'.padStart(14)}  ${'partitioned'.padStart(14)}`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(14)}  ${'-'.repeat(14)}`);
for (const [name, a, b] of table) console.log(`${name.padEnd(width)}  ${a.padStart(14)}  ${b.padStart(14)}`);
console.log(`retention before: ${before.retention.what}; after: ${after.retention.what}`);
console.log(
  `fill ${results.fillSeconds.toFixed(0)} s + indexes ${results.indexSeconds.toFixed(0)} s; migration 0022 ${results.migrationSeconds.toFixed(0)} s into ${results.partitions} partitions; load average during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
);
console.log(
  `bench:events ${rows.toLocaleString('en')} events: ingestion ${Math.round(before.ingestion.eventsPerSecond)} → ${Math.round(after.ingestion.eventsPerSecond)} events/s, visitor detail p50 ${before.detail.p50.toFixed(1)} → ${after.detail.p50.toFixed(1)} ms, Visitors list p50 ${before.list.p50.toFixed(1)} → ${after.list.p50.toFixed(1)} ms, oldest month purged in ${before.retention.seconds.toFixed(1)} → ${after.retention.seconds.toFixed(2)} s`,
);
