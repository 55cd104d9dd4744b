// npm run bench:lead-touch — what one chat's lead touch costs: the lead, person and scoring signal a started
// chat records after its commit (`recordChatLeads`, the background work of bench:chat's 1,000 openings), in
// groups of BENCH_GROUP chats a transaction (default 4, as a welcome round groups them; 1 is one at a time), one
// group after another on real PostgreSQL, with nothing else running. Reports wall time, the node's CPU (the whole
// process and its main thread) and the database backend's CPU per touch. BENCH_TOUCHES (default 1,000) timed
// touches follow 200 untimed ones. BENCH_AUTO_EXPLAIN=<ms> logs the plans of slower statements (auto-explain.mjs;
// `statement-times.mjs` sums them). Not a test: it asserts nothing but that every touch made its lead.
// Needs `npm run build` and PostgreSQL.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { autoExplain } from './auto-explain.mjs';
import { postgresCpuSeconds } from './proc.mjs';

const dist = new URL('../../server/dist/', import.meta.url);
const { openDatabase } = await import(new URL('db/client.js', dist));
const { loadConfig } = await import(new URL('config.js', dist));
const { createLogger } = await import(new URL('lib/logger.js', dist));
const { createRealtime } = await import(new URL('realtime/realtime.js', dist));
const { seed } = await import(new URL('features/seed/index.js', dist));
const { recordChatLeads } = await import(new URL('features/chat/index.js', dist));
const { followTemperatureChanges } = await import(new URL('features/leads/index.js', dist));

const touches = Number(process.env.BENCH_TOUCHES ?? 1000);
// Touches recorded together, in one transaction, as a welcome round groups a burst's touches (1: one at a time).
const groupSize = Number(process.env.BENCH_GROUP ?? 4);
const warmup = 200;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `beckon_bench_touch_${Date.now()}`;
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

const logger = createLogger('error');
const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
const errors = [];
try {
  await seed(database.db, loadConfig({ ...process.env, DATABASE_URL: url.toString() }), ['http://localhost'], logger);
  const direct = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const [{ id: siteId }] = await direct`select id from sites limit 1`;
  const deps = {
    db: database.db,
    realtime: createRealtime({ logger }),
    logger: { ...logger, error: (message, data) => errors.push({ message, data }) },
  };
  // As on a server: a temperature change the signal makes reaches the lead after the commit.
  const stopFollowing = followTemperatureChanges(deps);
  const chat = (index) => {
    const trackerId = `bench_${index}_${Math.random().toString(36).slice(2, 10)}`;
    return {
      conversation: { id: crypto.randomUUID(), chatVisitorId: crypto.randomUUID(), channel: 'chat' },
      visitor: {
        name: null,
        email: null,
        phone: null,
        currentUrl: 'http://localhost/demo/pricing.html',
        trackerVisitorIds: [trackerId],
      },
      firstMessage: { text: 'Hello, is the blue one in stock?' },
    };
  };
  /** Touches `count` new chats, `groupSize` at a time. */
  const touchAll = async (prefix, count) => {
    for (let i = 0; i < count; i += groupSize) {
      const group = Array.from({ length: Math.min(groupSize, count - i) }, (_, j) => chat(`${prefix}${i + j}`));
      await recordChatLeads(deps, siteId, group);
    }
  };
  await touchAll('w', warmup);
  const before = {
    cpu: process.cpuUsage(),
    main: mainThreadCpu(),
    pg: postgresCpuSeconds(dbName),
    at: performance.now(),
  };
  await touchAll('', touches);
  const cpu = process.cpuUsage(before.cpu);
  const wallMs = performance.now() - before.at;
  const mainMs = (mainThreadCpu() - before.main) * 1000;
  const pgMs = (postgresCpuSeconds(dbName) - before.pg) * 1000;
  stopFollowing();
  const [{ count }] = await direct`select count(*)::int as count from leads`;
  await direct.end();

  const perTouch = (ms) => (ms / touches).toFixed(2);
  const rows = [
    ['touches timed (after untimed warm-up)', `${touches} (${warmup})`],
    ['touches a transaction', groupSize],
    ['leads recorded / failed touches', `${count} / ${errors.length}`],
    ['wall per touch (ms)', perTouch(wallMs)],
    ['node CPU per touch, whole process (ms)', perTouch((cpu.user + cpu.system) / 1000)],
    ['node CPU per touch, main thread (ms)', perTouch(mainMs)],
    ['PostgreSQL CPU per touch, the bench database backends (ms)', perTouch(pgMs)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of rows) console.log(label.padEnd(width) + value);
  if (count !== touches + warmup || errors.length) {
    console.error('not every touch made its lead', errors.slice(0, 3));
    process.exitCode = 1;
  }
  console.log(
    `\nlead-touch: touches=${touches} group=${groupSize} wall_ms=${perTouch(wallMs)} node_cpu_ms=${perTouch((cpu.user + cpu.system) / 1000)} node_main_ms=${perTouch(mainMs)} pg_cpu_ms=${perTouch(pgMs)}`,
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
