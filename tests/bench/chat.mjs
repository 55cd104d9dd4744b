// npm run bench:chat — 1,000 visitor sockets and 20 agent sockets on loopback against real PostgreSQL,
// a steady message rate, every message committed before its ack. Prints a table and one summary line.
// Not a test: it asserts nothing; it measures. Needs `npm run build` and a PostgreSQL server.
// `-- --nodes 2` starts a second server node on the next port, both on one Redis (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379): visitors chat with node 1, agents watch node 2, so every message
// crosses the socket.io Redis adapter and the rate limits are counted in Redis.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { cpuMeter, processCpuSeconds } from './proc.mjs';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

const env = (name, fallback) => process.env[name] ?? fallback;
const visitorsWanted = Number(env('BENCH_VISITORS', 1000));
const agentsWanted = Number(env('BENCH_AGENTS', 20));
const rate = Number(env('BENCH_RATE', 1000));
const seconds = Number(env('BENCH_SECONDS', 60));
const warmupVisitors = Number(env('BENCH_WARMUP_VISITORS', 200));
const warmupRounds = Number(env('BENCH_WARMUP_ROUNDS', 20));
const port = Number(env('BENCH_PORT', 3479));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const origin = `http://localhost:${port}`;
const nodesFlag = process.argv.indexOf('--nodes');
const nodeCount = nodesFlag < 0 ? 1 : Number(process.argv[nodesFlag + 1]);
if (nodeCount !== 1 && nodeCount !== 2) throw new Error('--nodes takes 1 or 2');
// With two nodes the agents are on the second one; with one, everyone is on the first.
const agentOrigin = nodeCount === 2 ? `http://localhost:${port + 1}` : origin;
const redisUrl = env('BENCH_REDIS_URL', 'redis://127.0.0.1:6379');
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };

const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const dbName = `beckon_bench_${Date.now()}`;
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await pgAdmin.unsafe(`create database ${dbName}`);
// BENCH_AUTO_EXPLAIN=ms logs the plan of every statement slower than that to the PostgreSQL log (for profiling).
if (process.env.BENCH_AUTO_EXPLAIN) {
  for (const setting of [`session_preload_libraries = 'auto_explain'`, `auto_explain.log_min_duration = ${Number(process.env.BENCH_AUTO_EXPLAIN)}`, `auto_explain.log_analyze = on`, `auto_explain.log_nested_statements = on`]) {
    await pgAdmin.unsafe(`alter database ${dbName} set ${setting}`);
  }
}
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;

// --inspect lets the bench run a full garbage collection in the server before each memory reading, so
// the per-socket figure counts what sockets keep, not garbage that happens to be uncollected.
// Every bench visitor is one address (127.0.0.1) on one site: the chat-opening limits would stop them.
const serverEnv = (nodePort) => ({
  ...process.env,
  PORT: String(nodePort),
  HOST: '127.0.0.1',
  DATABASE_URL: dbUrl.toString(),
  BECKON_ADMIN_EMAIL: admin.email,
  BECKON_ADMIN_PASSWORD: admin.password,
  BECKON_LOG_LEVEL: 'error',
  BECKON_CHAT_OPENINGS_PER_ADDRESS: '1000000',
  BECKON_CHAT_OPENINGS_PER_SITE: '1000000',
  // Its own keys, so the run's counters never meet another's on a shared Redis.
  ...(nodeCount === 2 ? { REDIS_URL: redisUrl, BECKON_REDIS_PREFIX: `${dbName}:` } : {}),
});
const server = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []), mainJs], {
  env: serverEnv(port),
  stdio: ['ignore', 'ignore', 'pipe'],
});
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
async function collectServerGarbage() {
  const inspector = new WebSocket(await inspectorUrl);
  await new Promise((resolve, reject) => inspector.once('open', resolve).once('error', reject));
  await new Promise((resolve) => {
    inspector.on('message', (data) => JSON.parse(data.toString()).id === 1 && resolve());
    inspector.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
  });
  inspector.close();
  await sleep(500);
}
// CPU seconds the server process has used (user + system), from /proc.
const serverCpuSeconds = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssKib = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
const sockets = [];
const cleanups = [];
async function cleanup() {
  sockets.forEach((socket) => socket.close());
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
    for await (const keys of redis.scanIterator({ MATCH: `${dbName}:*`, COUNT: 1000 })) if (keys.length > 0) await redis.del(keys);
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
    const response = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
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
    const accepted = await fetch(`${origin}/api/invites/accept`, { method: 'POST', headers: json, body: JSON.stringify({ token, password: 'agent password 1' }) });
    agentSessions.push({ cookie: accepted.headers.get('set-cookie').split(';')[0] });
  }

  const connect = (namespace, options) =>
    new Promise((resolve, reject) => {
      const socket = io(`${origin}${namespace}`, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
      sockets.push(socket);
      socket.once('connect_error', reject);
      if (namespace === '/visitor') socket.once('chat:ready', () => resolve(socket));
      else socket.once('connect', () => resolve(socket));
    });

  // The agents' sockets live in a worker thread (chat-agents.mjs), so parsing their frames (every message
  // of the site, times 20) does not delay the visitors' acks in the event loop that times them.
  const agentWorker = new Worker(new URL('./chat-agents.mjs', import.meta.url), { workerData: { origin: agentOrigin, cookies: agentSessions.map(({ cookie }) => cookie) } });
  const fromAgents = () => new Promise((resolve, reject) => agentWorker.once('message', resolve).once('error', reject));
  await fromAgents();
  cleanups.push(() => agentWorker.terminate());

  // Warm-up, untimed: other visitors chat for a few seconds first, so the timed run meets a server whose
  // code is compiled and whose database connections have their statements prepared, as in production.
  // The timed visitors still open their own conversations in the run.
  const warmups = await Promise.all(
    Array.from({ length: warmupVisitors }, () => connect('/visitor', { auth: { site: 'demo', url: `${origin}/demo/` }, extraHeaders: { origin } })),
  );
  for (let round = 0; round < warmupRounds; round++) {
    await Promise.all(warmups.map((socket, i) => socket.timeout(30_000).emitWithAck('message:send', { clientId: `warmup_${round}_${i}`, text: `Warm-up message ${round}` }).catch(() => null)));
    await sleep(100);
  }
  warmups.forEach((socket) => socket.close());
  await sleep(1000);

  await collectServerGarbage();
  const rssBefore = rssKib();
  const visitors = [];
  for (let i = 0; i < visitorsWanted; i += 50) {
    const batch = Array.from({ length: Math.min(50, visitorsWanted - i) }, () =>
      connect('/visitor', { auth: { site: 'demo', url: `${origin}/demo/` }, extraHeaders: { origin } }),
    );
    visitors.push(...(await Promise.all(batch)));
  }
  await sleep(2000);
  await collectServerGarbage();
  const rssAfter = rssKib();

  const sent = new Map(); // clientId -> sent at
  const latencies = [];
  let acked = 0;
  let failed = 0;
  const failures = new Map(); // error code -> count
  let counter = 0;
  const clientLag = monitorEventLoopDelay({ resolution: 10 });
  clientLag.enable();
  const clientCpuBefore = process.cpuUsage();
  const serverCpuBefore = serverCpuSeconds();
  const agentNodeCpuBefore = agentNode ? processCpuSeconds(agentNode.pid) : 0;
  const meter = cpuMeter(server.pid);
  const firstLatencies = [];
  const laterLatencies = [];
  const windowLatencies = [];
  // Round-robin sending makes the first second all conversation openings: shown apart from the rest.
  const firstSecond = [];
  const afterFirstSecond = [];
  const started = performance.now();
  const tickMs = 10;
  while (performance.now() - started < seconds * 1000) {
    // Catch up to the schedule, never past it, however late this tick ran.
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (let owed = due - sent.size; owed > 0; owed--) {
      const socket = visitors[counter % visitors.length];
      const clientId = `bench_${(counter++).toString(36).padStart(8, '0')}`;
      const at = performance.now();
      sent.set(clientId, at);
      const first = counter <= visitors.length; // each visitor's first message opens its conversation
      socket.timeout(30_000).emit('message:send', { clientId, text: `Bench message ${counter}` }, (error, reply) => {
        if (error || !reply?.ok) {
          const code = error ? 'timeout' : reply?.error?.code ?? 'unknown';
          failures.set(code, (failures.get(code) ?? 0) + 1);
          return failed++;
        }
        acked++;
        const ms = performance.now() - at;
        latencies.push(ms);
        (first ? firstLatencies : laterLatencies).push(ms);
        (at - started < 1000 ? firstSecond : afterFirstSecond).push(ms);
        const window = Math.floor((at - started) / 10_000);
        (windowLatencies[window] ??= []).push(ms);
      });
    }
    const nextTick = started + Math.ceil((performance.now() - started + 0.001) / tickMs) * tickMs;
    await sleep(Math.max(0, nextTick - performance.now()));
  }
  const sendSeconds = (performance.now() - started) / 1000;
  const cpu = meter();
  const serverCpu = (serverCpuSeconds() - serverCpuBefore) / sendSeconds;
  const agentNodeCpu = agentNode ? (processCpuSeconds(agentNode.pid) - agentNodeCpuBefore) / sendSeconds : 0;
  const clientCpuUsed = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientCpuUsed.user + clientCpuUsed.system) / 1e6 / sendSeconds;
  clientLag.disable();
  for (let i = 0; i < 300 && acked + failed < sent.size; i++) await sleep(100);
  await sleep(1000);

  const [{ xacts }] = await pgAdmin`select xact_commit::int as xacts from pg_stat_database where datname = ${dbName}`;
  const benchDb = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  const stored = Number((await benchDb`select count(*)::int as n from messages where author = 'visitor'`)[0].n);
  // Every message updates its conversation row: a HOT update (no indexed column changed, room on the
  // page) writes no index entries. Statistics reach the view within a second of the updates.
  const [hot] = await benchDb`select n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables where relname = 'conversations'`;
  await benchDb.end();
  const agentReport = fromAgents();
  agentWorker.postMessage('report');
  const { duplicates, delivered: deliveredList, sockets: agentSocketCount } = await agentReport;
  const deliveredToFirstAgent = new Set(deliveredList);
  const delivered = [...sent.keys()].filter((clientId) => deliveredToFirstAgent.has(clientId)).length;
  const lost = sent.size - delivered;
  latencies.sort((a, b) => a - b);
  const pctOf = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
  };
  const pct = (p) => pctOf(latencies, p);
  const perSocket = Math.round((rssAfter - rssBefore) / visitorsWanted);

  const rows = [
    ['server nodes', nodeCount === 2 ? '2 (visitors on node 1, agents on node 2, one Redis)' : 1],
    ['visitor sockets', visitorsWanted],
    ['agent sockets (in a worker thread)', agentSocketCount],
    ['target rate (msg/s)', rate],
    ['achieved send rate (msg/s)', Math.round(sent.size / sendSeconds)],
    ['sent', sent.size],
    ['acked (committed)', acked],
    ['ack errors/timeouts', failed + (failures.size ? ` (${[...failures].map(([code, n]) => `${code}: ${n}`).join(', ')})` : '')],
    ['stored in PostgreSQL', stored],
    ['delivered to agent', delivered],
    ['lost', lost],
    ['duplicated deliveries', duplicates],
    ['ack p50 (ms)', pct(50).toFixed(1)],
    ['ack p99 (ms)', pct(99).toFixed(1)],
    ['first message of a visitor (opens a conversation): p50 / p99 (ms)', `${pctOf(firstLatencies, 50).toFixed(1)} / ${pctOf(firstLatencies, 99).toFixed(1)}`],
    ['later messages: p50 / p99 (ms)', `${pctOf(laterLatencies, 50).toFixed(1)} / ${pctOf(laterLatencies, 99).toFixed(1)}`],
    ['ack p99 for messages sent in the first second / after it (ms)', `${pctOf(firstSecond, 99).toFixed(1)} / ${pctOf(afterFirstSecond, 99).toFixed(1)}`],
    ...windowLatencies.map((list, i) => [`ack p99 for messages sent in ${i * 10}-${i * 10 + 10} s (ms)`, pctOf(list ?? [], 99).toFixed(1)]),
    ['PostgreSQL transactions committed (whole run)', xacts],
    ['conversation row updates / of them HOT', `${hot.updates} / ${hot.hot}`],
    ['PostgreSQL CPU while sending (cores)', cpu.postgres.toFixed(2)],
    ['other programs CPU while sending (cores)', cpu.other.toFixed(2)],
    [nodeCount === 2 ? 'server node 1 (visitors) CPU while sending (cores)' : 'server CPU while sending (cores)', serverCpu.toFixed(2)],
    ...(agentNode ? [['server node 2 (agents) CPU while sending (cores), also in "other programs"', agentNodeCpu.toFixed(2)]] : []),
    ['bench client CPU while sending (cores)', clientCpu.toFixed(2)],
    ['bench client event-loop delay p99 (ms)', (clientLag.percentile(99) / 1e6).toFixed(1)],
    ['machine load average (1 min) at the end', (await import('node:os')).loadavg()[0].toFixed(2)],
    ['server RSS before visitors (KiB)', rssBefore],
    ['server RSS with visitors (KiB)', rssAfter],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  -----`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
  console.log(
    `\nchat: visitors=${visitorsWanted} rate=${rate}/s sent=${sent.size} delivered=${delivered} lost=${lost} dup=${duplicates} p50_ms=${pct(50).toFixed(1)} p99_ms=${pct(99).toFixed(1)} rss_kib_per_socket=${perSocket}`,
  );
} finally {
  await cleanup();
}
