// npm run bench:ingest — N concurrent clients posting behaviour batches (10 events each) to /v1/collect
// on loopback against real PostgreSQL. Every answer comes after the group commit holding its events, so
// this measures acknowledged, durable throughput; a share of batches is resent to exercise dedupe.
// For scale it also measures the raw COPY ceiling of the same database on the same machine. A 3-s warm-up
// (BENCH_WARMUP_SECONDS) and VACUUM ANALYZE (BENCH_ANALYZE=0 skips it) come before the timed run.
// `-- --nodes 2` starts a second server node on the next port, both on one Redis (BENCH_REDIS_URL, default
// redis://127.0.0.1:6379), and sends client i's batches to node i mod 2, as a load balancer would: one node per
// core of the machine. The dashboard's socket is on node 1, so node 2's scores reach it through Redis.
// Not a test: it asserts nothing but consistency; it measures. Needs `npm run build` and PostgreSQL.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { agentSocket as openAgentSocket } from './agent-session.mjs';
import { autoExplain } from './auto-explain.mjs';
import { batchMaker } from './collect-batches.mjs';
import { httpClient } from './http-client.mjs';
import { cpuMeter } from './proc.mjs';
import { histogramDelta, histogramQuantile, readHistogram, runtimeRows, scrapeMetrics } from './server-metrics.mjs';

const { values: flags } = parseArgs({ options: { nodes: { type: 'string' } } });
const nodeCount = Number(flags.nodes ?? 1);
if (nodeCount !== 1 && nodeCount !== 2) throw new Error('--nodes takes 1 or 2');

const env = (name, fallback) => process.env[name] ?? fallback;
const clients = Number(env('BENCH_CLIENTS', 50));
const seconds = Number(env('BENCH_SECONDS', 20));
const eventsPerRequest = Number(env('BENCH_EVENTS', 10));
const resendShare = Number(env('BENCH_RESEND', 0.05));
const port = Number(env('BENCH_PORT', 3481));
const floorSeconds = Number(env('BENCH_FLOOR_SECONDS', 5));
// A short unmeasured run first, then VACUUM ANALYZE: the timed run meets tables with statistics, as a
// production database has them. This machine's PostgreSQL runs with autovacuum off (the CI image's
// conf.d/90-ci.conf), so without it every plan was made for empty tables and never revised.
const warmupSeconds = Number(env('BENCH_WARMUP_SECONDS', 3));
const analyzeAfterWarmup = env('BENCH_ANALYZE', '1') !== '0';
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const origin = `http://localhost:${port}`;
const nodeOrigins = Array.from({ length: nodeCount }, (_, i) => `http://localhost:${port + i}`);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

// The bench reads the server's own latency histograms with it (GET /api/metrics).
const metricsToken = randomBytes(24).toString('hex');
const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const dbName = `beckon_bench_ingest_${Date.now()}`;
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await pgAdmin.unsafe(`create database ${dbName}`);
if (process.env.BENCH_LOG_STATEMENTS) await pgAdmin.unsafe(`alter database ${dbName} set log_statement = 'all'`);
await autoExplain(pgAdmin, dbName);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
// BENCH_PG_SOCKET=/var/run/postgresql: the server reaches PostgreSQL over its Unix socket (a `host` directory in
// DATABASE_URL, as a one-machine install would connect), not TCP; the bench's own connections stay on TCP.
const pgSocket = process.env.BENCH_PG_SOCKET;
const serverDbUrl = pgSocket ? `${dbUrl}?host=${pgSocket}` : dbUrl.toString();

const startNode = (nodePort) =>
  spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      // Extra flags for the server's node (e.g. `--trace-deopt`, `--perf-basic-prof`), space-separated.
      ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      mainJs,
    ],
    {
      env: {
        ...process.env,
        PORT: String(nodePort),
        HOST: '127.0.0.1',
        DATABASE_URL: serverDbUrl,
        BECKON_ADMIN_EMAIL: admin.email,
        BECKON_ADMIN_PASSWORD: admin.password,
        BECKON_LOG_LEVEL: 'error',
        // Clients spread over many forwarded addresses, so the per-address rate limit does not cap the run.
        BECKON_TRUST_PROXY: 'true',
        BECKON_METRICS_TOKEN: metricsToken,
        // Its own keys, so the run's counters never meet another's on a shared Redis.
        ...(nodeCount === 2 ? { REDIS_URL: redisUrl, BECKON_REDIS_PREFIX: `${dbName}:` } : {}),
      },
      stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    },
  );
// The second node starts once the first has migrated and seeded the database.
const nodes = [startNode(port)];
const db = postgres(dbUrl.toString(), { max: 2, onnotice: () => {} });
let agentSocket;
async function cleanup() {
  agentSocket?.close();
  for (const node of nodes) {
    node.kill('SIGTERM');
    await new Promise((resolve) => (node.exitCode !== null ? resolve() : node.once('exit', resolve)));
  }
  await db.end();
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

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const makeBatch = batchMaker(origin, eventsPerRequest);

try {
  const waitForHealth = async (nodeOrigin) => {
    for (let i = 0; ; i++) {
      if ((await fetch(`${nodeOrigin}/healthz`).catch(() => null))?.ok) return;
      if (i > 300) throw new Error(`server at ${nodeOrigin} did not start`);
      await sleep(100);
    }
  };
  await waitForHealth(origin);
  if (nodeCount === 2) {
    nodes.push(startNode(port + 1));
    await waitForHealth(nodeOrigins[1]);
  }

  // The dashboard's view: an agent socket gets every visitor's new score after the commit. Scoring lag is
  // the time from sending a batch to the agent receiving that visitor's updated score.
  agentSocket = await openAgentSocket(origin, admin);
  const awaitingScore = new Map(); // visitor id -> when its batch was sent
  const scoringLags = [];
  const onVisitorUpdated = (visitor) => {
    const sentAt = awaitingScore.get(visitor.visitorId);
    if (sentAt === undefined) return;
    awaitingScore.delete(visitor.visitorId);
    scoringLags.push(performance.now() - sentAt);
  };
  agentSocket.on('visitors:updated', (visitors) => visitors.forEach(onVisitorUpdated));

  // One keep-alive connection per client (see http-client.mjs for why undici).
  const http = httpClient(clients);
  const post = async (body, headers, target = origin) => {
    const answer = await http.post(target, '/v1/collect', body, headers);
    return answer && { ok: answer.status === 200, body: answer.body };
  };

  /**
   * `clients` closed-loop clients posting batches to `targets` (client i to targets[i mod length]) for
   * `forSeconds`: each sends its next batch as soon as the last one is answered. Each client plays many
   * visitors; an address per request keeps rate limits out of the measurement. With `scored`, the time each
   * batch is sent is kept for the scoring lag.
   */
  async function drive(targets, forSeconds, { scored = true } = {}) {
    const run = { requests: 0, acknowledged: 0, duplicates: 0, failures: 0, resent: 0, latencies: [] };
    const started = performance.now();
    const deadline = started + forSeconds * 1000;
    async function client(index) {
      const target = targets[index % targets.length];
      let previous = null;
      let n = 0;
      while (performance.now() < deadline) {
        const resend = previous && Math.random() < resendShare;
        // Marked as the widget marks a batch it sends again after a failure (its answer lost, say).
        const batch = resend ? { ...previous, retry: 1 } : makeBatch(`bench_visitor_${index}_${n % 20}`);
        const t0 = performance.now();
        // A resent batch stores nothing new, so no score follows it.
        if (!resend && scored) awaitingScore.set(batch.visitorId, t0);
        const response = await post(
          JSON.stringify(batch),
          {
            origin,
            'content-type': 'text/plain',
            'user-agent': userAgent,
            'x-forwarded-for': `198.18.${index % 250}.${n % 250}`,
          },
          target,
        );
        const ms = performance.now() - t0;
        run.requests++;
        n++;
        if (!response?.ok) {
          run.failures++;
          continue;
        }
        const answer = JSON.parse(response.body);
        run.latencies.push(ms);
        run.acknowledged += answer.stored;
        run.duplicates += answer.duplicates;
        if (resend) run.resent++;
        previous = batch;
      }
    }
    await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
    return { ...run, elapsed: (performance.now() - started) / 1000 };
  }

  if (warmupSeconds > 0) await drive(nodeOrigins, warmupSeconds);
  if (analyzeAfterWarmup) await db.unsafe('vacuum analyze');
  const [{ autovacuum }] = await db`select current_setting('autovacuum') as autovacuum`;
  await sleep(500); // the warm-up's last scores
  awaitingScore.clear();
  scoringLags.length = 0;
  const [{ warmupEvents }] = await db`select count(*)::int as "warmupEvents" from events`;

  const scrapeNodes = () => Promise.all(nodeOrigins.map((nodeOrigin) => scrapeMetrics(nodeOrigin, metricsToken)));
  const metricsBefore = await scrapeNodes();
  const readAt = performance.now();
  const meter = cpuMeter(nodes.map((node) => node.pid));
  const { requests, acknowledged, duplicates, failures, resent, latencies, elapsed } = await drive(
    nodeOrigins,
    seconds,
  );
  const cpu = meter();
  const metricsAfter = await scrapeNodes();
  const runtime = runtimeRows(metricsBefore[0], metricsAfter[0], (performance.now() - readAt) / 1000).map(
    ([label, value]) => [nodeCount === 2 ? label.replace(/^server/, 'server node 1') : label, value],
  );
  // What the server measures itself, from the request reaching the route: the rest of the client's latency
  // is HTTP, the client's own event loop, and waiting for the server's. Every node's observations together.
  const serverLatency = (name) => {
    const deltas = nodeOrigins.map((_, i) =>
      histogramDelta(readHistogram(metricsBefore[i], name), readHistogram(metricsAfter[i], name)),
    );
    const observed = deltas.reduce((sum, delta) => ({
      buckets: sum.buckets.map(([le, count], i) => [le, count + delta.buckets[i][1]]),
      sum: sum.sum + delta.sum,
      count: sum.count + delta.count,
    }));
    return `${(histogramQuantile(0.5, observed) * 1000).toFixed(1)} / ${(histogramQuantile(0.99, observed) * 1000).toFixed(1)}`;
  };
  const machineLoad = loadavg()[0];
  await sleep(1000); // the last scores still on their way to the dashboard

  const stored = (await db`select count(*)::int as n from events`)[0].n - warmupEvents;
  const [{ visitors }] = await db`select count(*)::int as visitors from visitors`;
  const [{ scored }] = await db`select count(*)::int as scored from visitors where score <> 0`;

  // The ceiling: COPY of as many event rows as were stored, into a table shaped like events, same database.
  await db`create table copy_ceiling (site_id uuid, client_event_id text, visitor_id text, session_id text, type text, url text, title text, props jsonb, occurred_at timestamptz)`;
  const siteId = (await db`select id from sites limit 1`)[0].id;
  const rows = Math.max(10_000, stored);
  const copyStarted = performance.now();
  const writable = await db`copy copy_ceiling from stdin`.writable();
  const ts = new Date().toISOString();
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${siteId}\tc${i}\tv${i % 1000}\ts${i % 1000}\tpageview\t${origin}/demo/product.html\tBench page\t{"visibleMs":12000}\t${ts}\n`;
    if (chunk.length > 256 * 1024) {
      if (!writable.write(chunk)) await new Promise((resolve) => writable.once('drain', resolve));
      chunk = '';
    }
  }
  writable.end(chunk);
  await new Promise((resolve, reject) => {
    writable.once('finish', resolve);
    writable.once('error', reject);
  });
  const copySeconds = (performance.now() - copyStarted) / 1000;

  // The HTTP floor: the same clients against a server that only parses the JSON and answers (http-floor.mjs).
  // Whatever Beckon does, it cannot acknowledge more than this on this machine.
  const floorPort = port + nodeCount;
  const floorServer = fork(fileURLToPath(new URL('./http-floor.mjs', import.meta.url)), [String(floorPort)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => floorServer.once('message', resolve).once('error', reject));
  const floor = await drive([`http://127.0.0.1:${floorPort}`], floorSeconds, { scored: false });
  floorServer.kill('SIGTERM');
  await http.close();
  const floorPerSecond = Math.round(floor.acknowledged / floor.elapsed);
  floor.latencies.sort((a, b) => a - b);

  latencies.sort((a, b) => a - b);
  scoringLags.sort((a, b) => a - b);
  const eventsPerSecond = Math.round(acknowledged / elapsed);
  const copyPerSecond = Math.round(rows / copySeconds);
  const table = [
    ['server nodes', nodeCount === 2 ? '2 (client i on node i mod 2, the dashboard on node 1, one Redis)' : 1],
    ['server → PostgreSQL', pgSocket ? `Unix socket in ${pgSocket}` : `TCP ${dbUrl.host}`],
    ['clients', clients],
    ['seconds', elapsed.toFixed(1)],
    ['events per request', eventsPerRequest],
    ['requests', requests],
    ['failed requests', failures],
    ['batches resent (dedupe)', resent],
    ['events acknowledged as stored', acknowledged],
    ['events in the database (warm-up left out)', stored],
    [
      `warm-up (s) / VACUUM ANALYZE after it / PostgreSQL autovacuum`,
      `${warmupSeconds} / ${analyzeAfterWarmup ? 'yes' : 'no'} / ${autovacuum}`,
    ],
    ['duplicates answered', duplicates],
    ['visitors derived', visitors],
    ['visitors with a score', scored],
    ['events/s (ack after commit)', eventsPerSecond],
    ['COPY ceiling rows/s', copyPerSecond],
    ['ratio', (eventsPerSecond / copyPerSecond).toFixed(2)],
    [`HTTP floor events/s (same clients, a server that only parses JSON, ${floorSeconds} s)`, floorPerSecond],
    ['HTTP floor / COPY ceiling (the best ratio any server reaches here)', (floorPerSecond / copyPerSecond).toFixed(2)],
    ['HTTP floor latency p99 ms', percentile(floor.latencies, 99).toFixed(1)],
    ['latency p50 ms', percentile(latencies, 50).toFixed(1)],
    ['latency p99 ms', percentile(latencies, 99).toFixed(1)],
    ['latency max ms', (latencies.at(-1) ?? 0).toFixed(1)],
    [
      'server: receive → commit p50 / p99 ms (from its histogram)',
      serverLatency('beckon_collect_batch_commit_seconds'),
    ],
    [
      'server: receive → answer p50 / p99 ms (from its histogram)',
      serverLatency('beckon_collect_batch_answer_seconds'),
    ],
    ...runtime,
    ['scores received by the dashboard', scoringLags.length],
    ['scoring lag p50 ms (send → agent socket)', percentile(scoringLags, 50).toFixed(1)],
    ['scoring lag p99 ms', percentile(scoringLags, 99).toFixed(1)],
    [nodeCount === 2 ? 'server CPU (cores, both nodes)' : 'server CPU (cores)', cpu.server.toFixed(2)],
    ['server CPU per 1,000 events (ms)', ((cpu.server * 1e6) / eventsPerSecond).toFixed(1)],
    ['PostgreSQL CPU (cores)', cpu.postgres.toFixed(2)],
    ['PostgreSQL CPU per 1,000 events (ms)', ((cpu.postgres * 1e6) / eventsPerSecond).toFixed(1)],
    [`bench client CPU (cores; HTTP client: ${http.kind})`, cpu.client.toFixed(2)],
    ['other programs CPU (cores)', cpu.other.toFixed(2)],
    ['machine load average (1 min) at the end', machineLoad.toFixed(2)],
  ];
  const width = Math.max(...table.map(([name]) => name.length));
  console.log(`\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  -----`);
  for (const [name, value] of table) console.log(`${name.padEnd(width)}  ${value}`);
  // Every acknowledged event is in the database, and nothing more: ack-after-commit and idempotency.
  if (stored !== acknowledged) console.log(`\nMISMATCH: ${acknowledged} acknowledged but ${stored} stored`);
  console.log(
    `
ingest: events_per_s=${eventsPerSecond} copy_ceiling_per_s=${copyPerSecond} ratio=${(eventsPerSecond / copyPerSecond).toFixed(2)} ` +
      `p99_ms=${percentile(latencies, 99).toFixed(1)} scoring_lag_p99_ms=${percentile(scoringLags, 99).toFixed(1)}`,
  );
  process.exitCode = stored === acknowledged && failures === 0 ? 0 : 1;
} finally {
  await cleanup();
}
