// npm run bench:ingest-group — what one collect group costs without HTTP: `writeGroup` (the group commit's
// transaction: the events' insert, the visitors' locks, derivation and its write-back) called directly, one
// group after another, on real PostgreSQL with nothing else running. Each group holds BENCH_GROUP_BATCHES
// (default 18, what bench:ingest's groups hold) batches of bench:ingest's 10 events from 1,000 visitors;
// BENCH_GROUPS (default 600) timed groups follow 200 untimed ones and a VACUUM ANALYZE. Prints wall time, the
// node's main-thread CPU and the database backend's CPU per 1,000 events. Without HTTP, the bench client and
// the other groups in flight, a change to the group's SQL or derivation shows here in a few seconds, where
// bench:ingest's figures move with the machine. BENCH_SERVER_DIST=<dir> times another build's server/dist;
// BENCH_AUTO_EXPLAIN=<ms> logs the plans of slower statements (auto-explain.mjs).
// Not a test: it asserts nothing but that every event was stored. Needs `npm run build` and PostgreSQL.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { autoExplain } from './auto-explain.mjs';
import { batchMaker } from './collect-batches.mjs';
import { postgresCpuSeconds } from './proc.mjs';

const dist = new URL(process.env.BENCH_SERVER_DIST ?? '../../server/dist/', import.meta.url);
const { openDatabase } = await import(new URL('db/client.js', dist));
const { loadConfig } = await import(new URL('config.js', dist));
const { createLogger } = await import(new URL('lib/logger.js', dist));
const { seed } = await import(new URL('features/seed/index.js', dist));
const { writeGroup } = await import(new URL('features/collect/ingest.js', dist));

const groups = Number(process.env.BENCH_GROUPS ?? 600);
const batchesPerGroup = Number(process.env.BENCH_GROUP_BATCHES ?? 18);
const warmupGroups = 200;
const visitors = 1000;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `beckon_bench_group_${Date.now()}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
await autoExplain(admin, dbName);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;

/** CPU seconds of this process's main thread (its task id is the process id). */
const mainThreadCpu = () => {
  const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
try {
  const logger = createLogger('error');
  await seed(database.db, loadConfig({ ...process.env, DATABASE_URL: url.toString() }), ['http://localhost'], logger);
  const direct = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const [{ id: siteId }] = await direct`select id from sites limit 1`;
  const makeBatch = batchMaker('http://localhost', 10);
  let visitor = 0;
  // As the route hands batches over: the server's device class in the context, received now.
  const group = () =>
    Array.from({ length: batchesPerGroup }, () => ({
      siteId,
      batch: { ...makeBatch(`bench_visitor_${visitor++ % visitors}`), context: { device: 'desktop' } },
      receivedAt: new Date(),
    }));
  for (let i = 0; i < warmupGroups; i++) await writeGroup(database.db, group());
  await direct.unsafe('vacuum analyze');

  const before = { main: mainThreadCpu(), pg: postgresCpuSeconds(dbName), at: performance.now() };
  let stored = 0;
  for (let i = 0; i < groups; i++) {
    const { responses } = await writeGroup(database.db, group());
    for (const response of responses) stored += response.stored;
  }
  const wallMs = performance.now() - before.at;
  const mainMs = (mainThreadCpu() - before.main) * 1000;
  const pgMs = (postgresCpuSeconds(dbName) - before.pg) * 1000;
  await direct.end();

  const expected = groups * batchesPerGroup * 10;
  const perThousand = (ms) => ((ms * 1000) / stored).toFixed(1);
  const rows = [
    ['groups timed (after untimed warm-up)', `${groups} (${warmupGroups})`],
    ['batches per group / events per batch', `${batchesPerGroup} / 10`],
    ['events stored / sent', `${stored} / ${expected}`],
    ['wall per group (ms)', (wallMs / groups).toFixed(2)],
    ['wall per 1,000 events (ms)', perThousand(wallMs)],
    ['node main-thread CPU per 1,000 events (ms)', perThousand(mainMs)],
    ['PostgreSQL CPU per 1,000 events (ms; the bench database backends)', perThousand(pgMs)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of rows) console.log(label.padEnd(width) + value);
  if (stored !== expected) {
    console.error('not every event was stored');
    process.exitCode = 1;
  }
  console.log(
    `\ningest-group: groups=${groups} batches_per_group=${batchesPerGroup} wall_ms_per_group=${(wallMs / groups).toFixed(2)} ` +
      `node_main_ms_per_1k=${perThousand(mainMs)} pg_cpu_ms_per_1k=${perThousand(pgMs)}`,
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
