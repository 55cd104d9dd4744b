// npm run bench:chat — 1,000 visitor sockets and 20 agent sockets on loopback against real PostgreSQL,
// a steady message rate, every message committed before its ack. Prints a table and one summary line with
// the client's ack latencies and the server's own (its receive → ack histogram, read before and after the
// timed run). This file is the driver: it starts the server and the client (chat-client.mjs, a process of
// its own) and reads both processes' CPU from /proc.
// Not a test: it asserts nothing; it measures. Needs `npm run build` and a PostgreSQL server.
// `-- --nodes 2` starts a second server node on the next port, both on one Redis (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379): visitors chat with node 1, agents watch node 2, so every message
// crosses the socket.io Redis adapter and the rate limits are counted in Redis.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import WebSocket from 'ws';
import { autoExplain } from './auto-explain.mjs';
import { cpuMeter, postgresCpuSeconds, processCpuSeconds } from './proc.mjs';
import { histogramDelta, histogramQuantile, readHistogram, runtimeRows, scrapeMetrics } from './server-metrics.mjs';

// `npm run bench:chat -- --seconds 5` for a quick check that the bench works; BENCH_SECONDS does the same.
const { values: flags } = parseArgs({ options: { seconds: { type: 'string' }, nodes: { type: 'string' } } });
const env = (name, fallback) => process.env[name] ?? fallback;
const visitorsWanted = Number(env('BENCH_VISITORS', 1000));
const agentsWanted = Number(env('BENCH_AGENTS', 20));
const rate = Number(env('BENCH_RATE', 1000));
const seconds = Number(flags.seconds ?? env('BENCH_SECONDS', 60));
const warmupVisitors = Number(env('BENCH_WARMUP_VISITORS', 200));
const warmupRounds = Number(env('BENCH_WARMUP_ROUNDS', 20));
const analyzeAfterWarmup = env('BENCH_ANALYZE', '1') !== '0';
const tracked = env('BENCH_TRACKED', '1') !== '0';
const port = Number(env('BENCH_PORT', 3479));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const origin = `http://localhost:${port}`;
const nodeCount = Number(flags.nodes ?? 1);
if (nodeCount !== 1 && nodeCount !== 2) throw new Error('--nodes takes 1 or 2');
// With two nodes the agents are on the second one; with one, everyone is on the first.
const agentOrigin = nodeCount === 2 ? `http://localhost:${port + 1}` : origin;
const redisUrl = env('BENCH_REDIS_URL', 'redis://127.0.0.1:6379');
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };
// The bench reads the server's own latency histograms with it (GET /api/metrics).
const metricsToken = randomBytes(24).toString('hex');

const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const dbName = `beckon_bench_${Date.now()}`;
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await pgAdmin.unsafe(`create database ${dbName}`);
// BENCH_LOG_STATEMENTS=1 logs every statement of the bench database (PostgreSQL's log), to count round trips.
if (process.env.BENCH_LOG_STATEMENTS) await pgAdmin.unsafe(`alter database ${dbName} set log_statement = 'all'`);
await autoExplain(pgAdmin, dbName);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;

// The server runs as `npm start` runs it, plus a SIGUSR2 handler (gc-on-signal.mjs) with which the bench
// runs a full garbage collection before each memory reading, so the per-socket figure counts what sockets
// keep, not garbage that happens to be uncollected. The inspector is opened only for BENCH_PROFILE: a
// DevTools session, once connected, made the server allocate about four times as much per message.
// Every bench visitor is one address (127.0.0.1) on one site: the chat-opening limits would stop them.
const serverEnv = (nodePort) => ({
  ...process.env,
  PORT: String(nodePort),
  HOST: '127.0.0.1',
  DATABASE_URL: dbUrl.toString(),
  BECKON_ADMIN_EMAIL: admin.email,
  BECKON_ADMIN_PASSWORD: admin.password,
  BECKON_LOG_LEVEL: 'error',
  BECKON_METRICS_TOKEN: metricsToken,
  BECKON_CHAT_OPENINGS_PER_ADDRESS: '1000000',
  BECKON_CHAT_OPENINGS_PER_SITE: '1000000',
  // Its own keys, so the run's counters never meet another's on a shared Redis.
  ...(nodeCount === 2 ? { REDIS_URL: redisUrl, BECKON_REDIS_PREFIX: `${dbName}:` } : {}),
});
const gcOnSignal = new URL('./gc-on-signal.mjs', import.meta.url).href;
const server = spawn(
  process.execPath,
  [
    '--expose-gc',
    `--import=${gcOnSignal}`,
    ...(process.env.BENCH_PROFILE ? ['--inspect=127.0.0.1:0'] : []),
    // Extra flags for the server's node (e.g. `--trace-gc` with BENCH_SERVER_STDOUT=1), space-separated.
    ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
    mainJs,
  ],
  {
    env: serverEnv(port),
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'pipe'],
  },
);
/** The second node, started once the first has migrated and seeded the database. */
let agentNode = null;
const startAgentNode = () => {
  agentNode = spawn(process.execPath, [mainJs], { env: serverEnv(port + 1), stdio: ['ignore', 'ignore', 'inherit'] });
};
const inspectorUrl = new Promise((resolve) => {
  server.stderr.on('data', (chunk) => {
    const text = chunk.toString();
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(text)?.[1];
    if (url) resolve(url);
    else if (!/Debugger|inspector|For help/.test(text)) process.stderr.write(text);
  });
});
/**
 * BENCH_PROFILE=<dir>: a CPU profile of the server during the timed run only (warm-up and connecting left
 * out), written as <dir>/chat-<time>.cpuprofile for Chrome DevTools or `node tests/bench/profile-top.mjs`.
 * The session stays open while it records: the inspector drops a profile whose session closed.
 */
async function profileServer(dir) {
  const inspector = new WebSocket(await inspectorUrl);
  await new Promise((resolve, reject) => inspector.once('open', resolve).once('error', reject));
  let nextId = 0;
  const waiting = new Map();
  inspector.on('message', (data) => {
    const reply = JSON.parse(data.toString());
    waiting.get(reply.id)?.(reply.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve);
      inspector.send(JSON.stringify({ id, method, params }));
    });
  // BENCH_PROFILE_KIND=heap: where the server allocates instead (every allocation sampled, the collected ones
  // included), for `node tests/bench/heap-top.mjs`: each scavenge pauses every socket, so bytes per message count.
  const heap = process.env.BENCH_PROFILE_KIND === 'heap';
  if (heap) {
    await send('HeapProfiler.enable');
    await send('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  } else {
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: 200 });
    await send('Profiler.start');
  }
  return async () => {
    const { profile } = await send(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
    inspector.close();
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/chat-${Date.now()}.${heap ? 'heapprofile' : 'cpuprofile'}`;
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}
/** Collects the server's garbage, then waits until its RSS holds still (freed pages leave in the background). */
async function collectServerGarbage() {
  server.kill('SIGUSR2');
  await sleep(500);
  for (let last = rssKib(), i = 0; i < 20; i++) {
    await sleep(250);
    const now = rssKib();
    if (Math.abs(now - last) < 256) return;
    last = now;
  }
}
const rssKib = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
/** The most the server's RSS has been (what its garbage collector let the heap grow to, garbage included). */
const peakRssKib = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
const cleanups = [];
async function cleanup() {
  for (const step of cleanups) await step();
  for (const node of [server, agentNode]) {
    if (!node) continue;
    node.kill('SIGTERM');
    await new Promise((resolve) => (node.exitCode !== null ? resolve() : node.once('exit', resolve)));
  }
  await pgAdmin.unsafe(`drop database if exists ${dbName} with (force)`);
  if (nodeCount === 2) {
    // The run's rate-limit counters, which would otherwise sit in Redis until their windows end.
    const { createClient } = await import('redis');
    const redis = await createClient({ url: redisUrl }).connect();
    for await (const keys of redis.scanIterator({ MATCH: `${dbName}:*`, COUNT: 1000 }))
      if (keys.length > 0) await redis.del(keys);
    await redis.close();
  }
  await pgAdmin.end();
}

const waitForHealth = async (nodeOrigin) => {
  for (let i = 0; ; i++) {
    if ((await fetch(`${nodeOrigin}/healthz`).catch(() => null))?.ok) return;
    if (i > 300) throw new Error(`server at ${nodeOrigin} did not start`);
    await sleep(100);
  }
};

try {
  await waitForHealth(origin);
  if (nodeCount === 2) {
    startAgentNode();
    await waitForHealth(agentOrigin);
  }
  const json = { 'content-type': 'application/json' };
  const login = async (email, password) => {
    const response = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password }),
    });
    const me = await response.json();
    if (!response.ok) throw new Error(`login failed: ${JSON.stringify(me)}`);
    return { me, cookie: response.headers.get('set-cookie').split(';')[0] };
  };
  const boss = await login(admin.email, admin.password);
  const siteId = boss.me.sites[0].id;
  const agentSessions = [boss];
  for (let i = 1; i < agentsWanted; i++) {
    const invite = await (
      await fetch(`${origin}/api/agents/invites`, {
        method: 'POST',
        headers: { ...json, cookie: boss.cookie, 'x-csrf-token': boss.me.csrfToken },
        body: JSON.stringify({ email: `agent${i}@example.test`, name: `Agent ${i}`, siteIds: [siteId] }),
      })
    ).json();
    const token = new URL(invite.acceptUrl, origin).searchParams.get('token');
    const accepted = await fetch(`${origin}/api/invites/accept`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token, password: 'agent password 1' }),
    });
    agentSessions.push({ cookie: accepted.headers.get('set-cookie').split(';')[0] });
  }

  // The client (visitor and agent sockets) is a process of its own, with its own CPU reading: a busy client
  // shows as a busy client, and the server's own latencies come from its metrics endpoint.
  const client = fork(fileURLToPath(new URL('./chat-client.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  cleanups.push(() =>
    client.exitCode === null && client.signalCode === null
      ? (client.kill(), new Promise((resolve) => client.once('exit', resolve)))
      : undefined,
  );
  const fromClient = (step) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) =>
        message.step === step && (client.off('exit', onExit), client.off('message', onMessage), resolve(message));
      const onExit = (code) => reject(new Error(`the bench client exited (${code}) before "${step}"`));
      client.on('message', onMessage).once('exit', onExit);
    });
  await fromClient('ready');
  const warmed = fromClient('warmed');
  client.send({
    step: 'start',
    options: {
      origin,
      agentOrigin,
      cookies: agentSessions.map(({ cookie }) => cookie),
      visitorsWanted,
      rate,
      seconds,
      warmupVisitors,
      warmupRounds,
      tracked,
    },
  });
  await warmed;

  await collectServerGarbage();
  const rssBefore = rssKib();
  const connected = fromClient('connected');
  client.send({ step: 'connect' });
  await connected;
  // The timed run meets tables with statistics, as a production database has them (autovacuum analyzes a
  // table once it has grown by a tenth). This machine's PostgreSQL runs with autovacuum off (the CI image's
  // conf.d/90-ci.conf); the server then analyzes on its own every minute (db/statistics.ts), but its first
  // pass may fall anywhere in the run. BENCH_ANALYZE=0 leaves it out (3 pairs of 30-s runs: server p99
  // 16.4, 20.6, 16.5 ms without, 12.4, 11.6, 11.2 with).
  const analyzer = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  if (analyzeAfterWarmup) await analyzer.unsafe('vacuum analyze');
  const [{ autovacuum }] = await analyzer`select current_setting('autovacuum') as autovacuum`;
  await analyzer.end();
  await sleep(2000);
  await collectServerGarbage();
  const rssAfter = rssKib();

  const metricsBefore = await scrapeMetrics(origin, metricsToken);
  const readAt = performance.now();
  const meter = cpuMeter(server.pid, client.pid);
  const sentAll = fromClient('sent');
  const reported = fromClient('report');
  // Awaited below; a client that dies before sending makes `sentAll` throw first, and this must not crash the driver before its cleanup.
  reported.catch(() => {});
  const agentNodeCpuBefore = agentNode ? processCpuSeconds(agentNode.pid) : 0;
  const stopProfile = process.env.BENCH_PROFILE ? await profileServer(process.env.BENCH_PROFILE) : null;
  // CPU per message counts from the first send to the last ack: on a loaded machine the server can still
  // be working off the sends after the client stopped, which "while sending" would leave out.
  const serverCpuAtStart = processCpuSeconds(server.pid);
  const postgresCpuAtStart = postgresCpuSeconds(dbName);
  // BENCH_PERF=<file>: Linux perf samples the server (JIT frames named with BENCH_SERVER_FLAGS=--perf-basic-prof)
  // from the first send, for BENCH_PROFILE_SECONDS (default 2): unlike the inspector's profile, it is not biased
  // towards system calls.
  const perf = process.env.BENCH_PERF
    ? spawn(
        'perf',
        [
          'record',
          '-g',
          '-F',
          '999',
          '-p',
          String(server.pid),
          '-o',
          process.env.BENCH_PERF,
          '--',
          'sleep',
          String(Number(process.env.BENCH_PROFILE_SECONDS ?? 2)),
        ],
        { stdio: 'ignore' },
      )
    : null;
  client.send({ step: 'run' });
  // BENCH_PROFILE_SECONDS=<s> stops the profile that long after the first send (e.g. 1: the openings alone).
  const profileSeconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 0);
  const earlyProfile = stopProfile && profileSeconds > 0 ? sleep(profileSeconds * 1000).then(stopProfile) : null;
  await sentAll;
  const cpu = meter();
  if (perf) await new Promise((resolve) => (perf.exitCode === null ? perf.once('exit', resolve) : resolve()));
  const { report } = await reported;
  const serverCpuMsPerMessage = ((processCpuSeconds(server.pid) - serverCpuAtStart) * 1000) / report.acked;
  // The backends serving the bench's database only: other programs' databases on the machine do not count.
  const postgresCpuMsPerMessage = ((postgresCpuSeconds(dbName) - postgresCpuAtStart) * 1000) / report.acked;
  // An opening's work goes on after its ack: the welcome round assigns it, shows it to the inbox and, for
  // a visitor with a tracker id, records the chat as a lead touch. Done when every conversation has its touch.
  const welcomeDb = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  const welcomesLeft = async () =>
    Number(
      (
        await welcomeDb`select count(*)::int as n from conversations c where not exists (
          select 1 from lead_touches t where t.ref_type = 'conversation' and t.ref_id = c.id::text)`
      )[0].n,
    );
  const welcomeWaitStarted = performance.now();
  if (tracked) while ((await welcomesLeft()) > 0 && performance.now() - welcomeWaitStarted < 120_000) await sleep(100);
  const welcomesUnfinished = tracked ? await welcomesLeft() : 0;
  await welcomeDb.end();
  const welcomedAfterMs = performance.now() - welcomeWaitStarted;
  const serverCpuMsWithWelcome = ((processCpuSeconds(server.pid) - serverCpuAtStart) * 1000) / report.acked;
  const postgresCpuMsWithWelcome = ((postgresCpuSeconds(dbName) - postgresCpuAtStart) * 1000) / report.acked;
  const profileFile = stopProfile ? await (earlyProfile ?? stopProfile()) : null;
  const agentNodeCpu = agentNode ? (processCpuSeconds(agentNode.pid) - agentNodeCpuBefore) / report.sendSeconds : 0;
  // After every ack: the difference holds exactly the timed run's messages (warm-up was before the first reading).
  const metricsAfter = await scrapeMetrics(origin, metricsToken);
  const runtime = runtimeRows(metricsBefore, metricsAfter, (performance.now() - readAt) / 1000);
  const serverHistogram = (name) =>
    histogramDelta(readHistogram(metricsBefore, name), readHistogram(metricsAfter, name));
  const serverAck = serverHistogram('beckon_chat_message_ack_seconds');
  const serverCommit = serverHistogram('beckon_chat_message_commit_seconds');
  const serverMs = (q, histogram) => histogramQuantile(q, histogram) * 1000;

  const [{ xacts }] = await pgAdmin`select xact_commit::int as xacts from pg_stat_database where datname = ${dbName}`;
  const benchDb = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  const stored = Number((await benchDb`select count(*)::int as n from messages where author = 'visitor'`)[0].n);
  // Every message updates its conversation row: a HOT update (no indexed column changed, room on the
  // page) writes no index entries. Statistics reach the view within a second of the updates.
  const [hot] =
    await benchDb`select n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables where relname = 'conversations'`;
  await benchDb.end();
  const { sent, acked, failed, delivered, lost, duplicates } = report;
  const failures = new Map(report.failures);
  const perSocket = Math.round((rssAfter - rssBefore) / visitorsWanted);

  // A one-second run has no later messages: their figures are empty, not zero.
  const ms = (value) => (value == null ? '–' : value.toFixed(1));
  const rows = [
    ['server nodes', nodeCount === 2 ? '2 (visitors on node 1, agents on node 2, one Redis)' : 1],
    ['visitor sockets', visitorsWanted],
    [
      'visitors name a tracker id (an opening is a lead touch and a scoring signal)',
      tracked ? 'yes' : 'no (BENCH_TRACKED=0)',
    ],
    ["agent sockets (in the client's worker thread)", report.agentSockets],
    ['target rate (msg/s)', rate],
    ['achieved send rate (msg/s)', Math.round(sent / report.sendSeconds)],
    ['sent', sent],
    ['acked (committed)', acked],
    [
      'ack errors/timeouts',
      failed + (failures.size ? ` (${[...failures].map(([code, n]) => `${code}: ${n}`).join(', ')})` : ''),
    ],
    ['stored in PostgreSQL', stored],
    ['delivered to agent', delivered],
    ['lost', lost],
    ['duplicated deliveries', duplicates],
    ['client: ack p50 (ms)', ms(report.all.p50)],
    ['client: ack p99 (ms)', ms(report.all.p99)],
    [
      'server: receive → ack p50 / p99 (ms, from its histogram)',
      `${ms(serverMs(0.5, serverAck))} / ${ms(serverMs(0.99, serverAck))}`,
    ],
    [
      'server: receive → commit p50 / p99 (ms, from its histogram)',
      `${ms(serverMs(0.5, serverCommit))} / ${ms(serverMs(0.99, serverCommit))}`,
    ],
    ['server: messages acked in the timed run (histogram count)', serverAck.count],
    ...runtime,
    [
      'client: first message of a visitor (opens a conversation): p50 / p99 (ms)',
      `${ms(report.first.p50)} / ${ms(report.first.p99)}`,
    ],
    ['client: later messages: p50 / p99 (ms)', `${ms(report.later.p50)} / ${ms(report.later.p99)}`],
    [
      'client: opening message sent → visitor told who answers (conversation:assigned): p50 / p99 (ms)',
      `${ms(report.assigned.p50)} / ${ms(report.assigned.p99)}${report.assigned.count < report.assigned.opened ? ` (${report.assigned.opened - report.assigned.count} of ${report.assigned.opened} never told)` : ''}`,
    ],
    [
      'client: ack p99 for messages sent in the first second / after it (ms)',
      `${ms(report.firstSecond.p99)} / ${ms(report.afterFirstSecond.p99)}`,
    ],
    ...report.windows.map(({ p99 }, i) => [
      `client: ack p99 for messages sent in ${i * 10}-${i * 10 + 10} s (ms)`,
      ms(p99),
    ]),
    ['PostgreSQL transactions committed (whole run)', xacts],
    ['conversation row updates / of them HOT', `${hot.updates} / ${hot.hot}`],
    ['PostgreSQL CPU while sending (cores)', cpu.postgres.toFixed(2)],
    ['other programs CPU while sending (cores)', cpu.other.toFixed(2)],
    [
      nodeCount === 2 ? 'server node 1 (visitors) CPU while sending (cores)' : 'server CPU while sending (cores)',
      cpu.server.toFixed(2),
    ],
    ...(agentNode
      ? [['server node 2 (agents) CPU while sending (cores), also in "other programs"', agentNodeCpu.toFixed(2)]]
      : []),
    ['bench client process CPU while sending (cores)', cpu.client.toFixed(2)],
    [
      nodeCount === 2
        ? 'server node 1 CPU per message, first send → last ack (ms)'
        : 'server CPU per message, first send → last ack (ms)',
      serverCpuMsPerMessage.toFixed(3),
    ],
    [
      "PostgreSQL CPU per message, first send → last ack (ms; the bench database's backends)",
      postgresCpuMsPerMessage.toFixed(3),
    ],
    [
      `the last lead touch recorded after the last ack (ms)${welcomesUnfinished ? `; ${welcomesUnfinished} conversations still without one` : ''}`,
      tracked ? ms(welcomedAfterMs) : '– (no tracker ids, no lead touches)',
    ],
    [
      'server CPU per message, first send → last lead touch (ms; welcome rounds included)',
      serverCpuMsWithWelcome.toFixed(3),
    ],
    [
      "PostgreSQL CPU per message, first send → last lead touch (ms; the bench database's backends)",
      postgresCpuMsWithWelcome.toFixed(3),
    ],
    ['bench client event-loop delay p99 (ms)', ms(report.eventLoopDelayP99Ms)],
    ['machine load average (1 min) at the end', loadavg()[0].toFixed(2)],
    ['VACUUM ANALYZE after warm-up / PostgreSQL autovacuum', `${analyzeAfterWarmup ? 'yes' : 'no'} / ${autovacuum}`],
    ['server RSS before visitors (KiB)', rssBefore],
    ['server RSS with visitors (KiB)', rssAfter],
    ['server peak RSS, garbage included (VmHWM, KiB)', peakRssKib()],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  -----`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
  console.log(
    `\nchat: visitors=${visitorsWanted} rate=${rate}/s sent=${sent} delivered=${delivered} lost=${lost} dup=${duplicates} p50_ms=${ms(report.all.p50)} p99_ms=${ms(report.all.p99)} rss_kib_per_socket=${perSocket} server_p50_ms=${ms(serverMs(0.5, serverAck))} server_p99_ms=${ms(serverMs(0.99, serverAck))} server_cpu_ms_per_msg=${serverCpuMsPerMessage.toFixed(3)}`,
  );
  if (profileFile) console.log(`server CPU profile of the timed run: ${profileFile}`);
} finally {
  await cleanup();
}
