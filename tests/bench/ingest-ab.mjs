// node tests/bench/ingest-ab.mjs <server dist A> <server dist B> — two builds of the server side by side, for
// comparing what a change costs. On a shared VM the same build's CPU per event moves by a third from one
// minute to the next, so two bench:ingest runs one after the other compare the machine's moods as much as the
// code. Here both servers run at once, each on its own database, each driven by half of the clients with
// bench:ingest's batches: whatever the machine does, it does to both. Printed per build: events/s and the
// server's and its PostgreSQL backends' CPU per 1,000 events, in ROUNDS rounds (BENCH_ROUNDS, default 3) of
// BENCH_SECONDS each (default 10). BENCH_A_FLAGS and BENCH_B_FLAGS give each build's node its own flags
// (space-separated, e.g. `--max-semi-space-size=32`), to compare settings of one build; BENCH_A_PG_SOCKET and
// BENCH_B_PG_SOCKET (a directory, e.g. /var/run/postgresql) have that build reach PostgreSQL over its Unix socket.
// BENCH_NODES=2 runs each build as two nodes on one Redis (BENCH_REDIS_URL), each build under its own key prefix,
// its clients alternating between its nodes; BENCH_DASHBOARD=1 connects an agent socket to each build's first
// node, as an open dashboard on the Visitors page does (live pushes then cross Redis from the second node to it);
// BENCH_A_WATCH=0 or BENCH_B_WATCH=0 leaves that build's dashboard in the Inbox instead (connected, not
// watching the Visitors page), to see what the Visitors page's stream costs.
// Not a test and not a target: only the difference between A and B means something.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { agentSocket } from './agent-session.mjs';
import { batchMaker } from './collect-batches.mjs';
import { httpClient } from './http-client.mjs';
import { postgresCpuSeconds, processCpuSeconds } from './proc.mjs';

const serverCpuSeconds = (build) => build.servers.reduce((sum, server) => sum + processCpuSeconds(server.pid), 0);

const env = (name, fallback) => process.env[name] ?? fallback;
const [distA, distB] = process.argv.slice(2);
if (!distA || !distB) throw new Error('usage: node tests/bench/ingest-ab.mjs <server dist A> <server dist B>');
const clientsPerBuild = Number(env('BENCH_CLIENTS', 50)) / 2;
const seconds = Number(env('BENCH_SECONDS', 10));
const rounds = Number(env('BENCH_ROUNDS', 3));
const basePort = Number(env('BENCH_PORT', 3491));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const nodesPerBuild = Number(env('BENCH_NODES', 1));
const redisUrl = env('BENCH_REDIS_URL', 'redis://127.0.0.1:6379');
const withDashboard = env('BENCH_DASHBOARD', '0') === '1';
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
async function startBuild(label, dist, port) {
  const database = `beckon_bench_ab_${label.toLowerCase()}_${Date.now()}`;
  await pgAdmin.unsafe(`create database ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const flags = process.env[`BENCH_${label}_FLAGS`]?.split(' ').filter(Boolean) ?? [];
  const startNode = async (nodePort) => {
    const server = spawn(process.execPath, [...flags, resolve(dist, 'main.js')], {
      env: {
        ...process.env,
        PORT: String(nodePort),
        HOST: '127.0.0.1',
        DATABASE_URL: process.env[`BENCH_${label}_PG_SOCKET`]
          ? `${url}?host=${process.env[`BENCH_${label}_PG_SOCKET`]}`
          : url.toString(),
        BECKON_ADMIN_EMAIL: admin.email,
        BECKON_ADMIN_PASSWORD: admin.password,
        BECKON_LOG_LEVEL: 'error',
        BECKON_TRUST_PROXY: 'true',
        ...(nodesPerBuild > 1 ? { REDIS_URL: redisUrl, BECKON_REDIS_PREFIX: `${database}:` } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; !(await fetch(`http://127.0.0.1:${nodePort}/healthz`).catch(() => null))?.ok; i++) {
      if (i > 300 || server.exitCode !== null) {
        server.kill('SIGTERM');
        throw new Error(`${label} did not start`);
      }
      await sleep(100);
    }
    return server;
  };
  // One after the other: the first migrates and seeds. Build A's nodes on even ports, B's on odd ones.
  const servers = [];
  for (let n = 0; n < nodesPerBuild; n++) servers.push(await startNode(port + 2 * n));
  const origin = `http://localhost:${port}`;
  const targets = servers.map((_, n) => `http://localhost:${port + 2 * n}`);
  const build = { label, database, servers, origin, targets, makeBatch: batchMaker(origin) };
  build.db = postgres(url.toString(), { max: 1 });
  // An open dashboard on the first node: on the Visitors page every live pageview and visitor row is pushed to it.
  const watchVisitors = env(`BENCH_${label}_WATCH`, '1') !== '0';
  if (withDashboard) build.dashboard = await agentSocket(origin, admin, { watchVisitors });
  return build;
}

const http = httpClient(clientsPerBuild);
const post = async (origin, target, body, forwardedFor) => {
  const answer = await http.post(target, '/v1/collect', body, {
    origin,
    'content-type': 'text/plain',
    'user-agent': userAgent,
    'x-forwarded-for': forwardedFor,
  });
  return answer?.status === 200 ? JSON.parse(answer.body) : null;
};

/** Both builds at once, each with its own half of the clients. */
async function driveBoth(builds, forSeconds) {
  const deadline = performance.now() + forSeconds * 1000;
  const stored = new Map(builds.map((build) => [build.label, 0]));
  const client = async (build, index) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const answer = await post(
        build.origin,
        build.targets[index % build.targets.length],
        JSON.stringify(build.makeBatch(`bench_visitor_${index}_${n % 20}`)),
        `198.18.${index % 250}.${n % 250}`,
      );
      if (!answer) throw new Error(`${build.label} refused a batch`);
      stored.set(build.label, stored.get(build.label) + answer.stored);
    }
  };
  await Promise.all(builds.flatMap((build) => Array.from({ length: clientsPerBuild }, (_, i) => client(build, i))));
  return stored;
}

const builds = [];
try {
  // One at a time, each kept as soon as it runs: a build that fails to start leaves none running.
  builds.push(await startBuild('A', distA, basePort));
  builds.push(await startBuild('B', distB, basePort + 1));
  await driveBoth(builds, 3);
  for (const build of builds) await build.db.unsafe('vacuum analyze');
  const totals = new Map(builds.map((build) => [build.label, { events: 0, server: 0, postgres: 0, seconds: 0 }]));
  console.log('round  build  events/s  server CPU / 1,000 events (ms)  PostgreSQL CPU / 1,000 events (ms)');
  for (let round = 1; round <= rounds; round++) {
    const before = builds.map((build) => ({
      server: serverCpuSeconds(build),
      postgres: postgresCpuSeconds(build.database),
    }));
    const started = performance.now();
    const stored = await driveBoth(builds, seconds);
    const elapsed = (performance.now() - started) / 1000;
    builds.forEach((build, b) => {
      const events = stored.get(build.label);
      const server = serverCpuSeconds(build) - before[b].server;
      const pg = postgresCpuSeconds(build.database) - before[b].postgres;
      const total = totals.get(build.label);
      total.events += events;
      total.server += server;
      total.postgres += pg;
      total.seconds += elapsed;
      console.log(
        `${String(round).padEnd(5)}  ${build.label.padEnd(5)}  ${String(Math.round(events / elapsed)).padStart(8)}  ` +
          `${((server * 1e6) / events).toFixed(1).padStart(30)}  ${((pg * 1e6) / events).toFixed(1).padStart(34)}`,
      );
    });
  }
  const line = builds.map((build) => {
    const total = totals.get(build.label);
    return `${build.label}_events_per_s=${Math.round(total.events / total.seconds)} ${build.label}_server_ms_per_1k=${((total.server * 1e6) / total.events).toFixed(1)} ${build.label}_pg_ms_per_1k=${((total.postgres * 1e6) / total.events).toFixed(1)}`;
  });
  console.log(`\ningest-ab: ${line.join(' ')}`);
} finally {
  await http.close();
  for (const build of builds) {
    build.dashboard?.close();
    for (const server of build.servers) {
      server.kill('SIGTERM');
      await new Promise((done) => (server.exitCode !== null ? done() : server.once('exit', done)));
    }
    await build.db?.end();
    await pgAdmin.unsafe(`drop database if exists ${build.database} with (force)`);
  }
  await pgAdmin.end();
  if (nodesPerBuild > 1) {
    // The runs' rate-limit counters, which would otherwise sit in Redis until their windows end.
    const { createClient } = await import('redis');
    const redis = await createClient({ url: redisUrl }).connect();
    for (const build of builds)
      for await (const keys of redis.scanIterator({ MATCH: `${build.database}:*`, COUNT: 1000 }))
        if (keys.length > 0) await redis.del(keys);
    await redis.close();
  }
}
