// npm run bench:reports — every report endpoint over a generated year of a busy site on real PostgreSQL:
// 30-day and 365-day ranges, cold (the first request of a fresh server process) and warm (repeated), the rows
// PostgreSQL read for each, and ingestion throughput with and without report readers running beside it.
// Not a test: it measures. Needs `npm run build` and PostgreSQL.
//
//   BENCH_SCALE=1          the year's size (1 = 5 M events, 300 k visitors, 100 k conversations, 1 M messages…)
//   BENCH_DATABASE=name    keep the generated database under this name and reuse it on the next run
//   BENCH_REPEAT=20        warm requests per report and range
//   BENCH_INGEST_SECONDS=10  each ingestion phase (0 skips them)
//   BENCH_PGLITE=1         the same on embedded PGlite (in a temp dir, or BENCH_PGLITE_DIR to keep it) instead of
//                          PostgreSQL: use a smaller BENCH_SCALE (PGlite is one process; rows read are not counted)
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { loginCookie } from './agent-session.mjs';
import { cpuMeter } from './proc.mjs';
import { sizesFor, yearOfData } from './reports-data.mjs';

const env = (name, fallback) => process.env[name] ?? fallback;
const scale = Number(env('BENCH_SCALE', 1));
const repeat = Number(env('BENCH_REPEAT', 20));
const ingestSeconds = Number(env('BENCH_INGEST_SECONDS', 10));
const ingestClients = Number(env('BENCH_INGEST_CLIENTS', 20));
const port = Number(env('BENCH_PORT', 3483));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const keptName = process.env.BENCH_DATABASE;
const onPglite = process.env.BENCH_PGLITE === '1';
const pgliteDir = onPglite ? (process.env.BENCH_PGLITE_DIR ?? (await mkdtemp(join(tmpdir(), 'beckon-bench-')))) : null;
const origin = `http://localhost:${port}`;
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const reports = ['overview', 'speed', 'agents', 'funnel', 'cost', 'feedback', 'triggers'];
const timeZone = 'Europe/Riga';

const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const reportsJs = new URL('../../server/dist/features/reports/index.js', import.meta.url).href;
const dbClientJs = new URL('../../server/dist/db/client.js', import.meta.url).href;
const dbName = keptName ?? `beckon_bench_reports_${Date.now()}`;
const pgAdmin = onPglite ? null : postgres(adminUrl, { max: 1, onnotice: () => {} });
if (pgAdmin) {
  const [{ exists }] = await pgAdmin`select count(*)::int as exists from pg_database where datname = ${dbName}`;
  if (!exists) await pgAdmin.unsafe(`create database ${dbName}`);
}
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const db = onPglite ? null : postgres(dbUrl.toString(), { max: 2, onnotice: () => {} });
/**
 * Runs statements outside the server. PGlite's data dir has one user at a time, so there it is opened for the
 * call and closed again (the server is stopped meanwhile).
 */
async function direct(work) {
  if (!onPglite) {
    const connection = await db.reserve(); // one connection: the generation's begin and commit go together
    try {
      return await work((text) => connection.unsafe(text));
    } finally {
      connection.release();
    }
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = await PGlite.create({ dataDir: pgliteDir });
  try {
    return await work(async (text) => (await lite.query(text)).rows);
  } finally {
    await lite.close();
  }
}

let server;
function startServer() {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  server = spawn(process.execPath, [mainJs], {
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(onPglite ? { BECKON_DATA_DIR: pgliteDir } : { DATABASE_URL: dbUrl.toString() }),
      BECKON_ADMIN_EMAIL: admin.email,
      BECKON_ADMIN_PASSWORD: admin.password,
      BECKON_LOG_LEVEL: 'error',
      BECKON_TRUST_PROXY: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitHealthy();
}
async function stopServer() {
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
}
async function waitHealthy() {
  for (let i = 0; ; i++) {
    if ((await fetch(`${origin}/healthz`).catch(() => null))?.ok) return;
    if (server.exitCode !== null) throw new Error('server exited');
    if (i > 600) throw new Error('server did not start');
    await sleep(100);
  }
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const localDay = (date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(date);
const rangeOf = (days) => ({
  from: localDay(new Date(Date.now() - (days - 1) * 86_400_000)),
  to: localDay(new Date()),
});

/** Rows PostgreSQL read (sequential tuples + index fetches) over all user tables, from the statistics views. */
async function rowsRead() {
  if (onPglite) return '-'; // the server holds the data dir
  await db`select pg_stat_clear_snapshot()`;
  const [{ rows }] =
    await db`select coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0)::bigint as rows from pg_stat_user_tables`;
  return Number(rows);
}

const t0 = performance.now();
try {
  await startServer(); // migrates and seeds the demo site and the admin
  await stopServer();
  const sizes = sizesFor(scale);
  let generateSeconds = 0;
  let rebuildSeconds = 0;
  const { site, rollups, months } = await direct(async (query) => {
    const [site] = await query('select id from sites order by created_at limit 1');
    const [{ events: existing }] = await query('select count(*)::int as events from events');
    if (existing < sizes.events) {
      const started = performance.now();
      await query('begin');
      for (const statement of yearOfData(site.id, sizes)) await query(statement);
      await query('commit');
      generateSeconds = (performance.now() - started) / 1000;
    }
    const [{ rollups }] = await query('select count(*)::int as rollups from report_inquiries');
    const [{ months }] = await query('select count(*)::int as months from report_inquiry_months');
    return { site, rollups, months };
  });
  if (rollups === 0 || months === 0) {
    // Generated rows bypass the app's write path, so the rollups are built the way a backfill builds them; a
    // database kept from before the month rollups existed gets them the way an upgrade does (the catch-up).
    const rebuildStarted = performance.now();
    const { catchUpSite, rebuildSiteRollups } = await import(reportsJs);
    const { openDatabase } = await import(dbClientJs);
    // A year folds in long statements: neither the request-sized statement timeout (0 would also make the link
    // watch call 5 s of silence dead) nor the stall probe (which
    // takes a connection waiting seconds for an answer for a dead link) applies to a backfill.
    const database = await openDatabase(
      onPglite
        ? { kind: 'pglite', dataDir: pgliteDir }
        : {
            kind: 'postgres',
            url: dbUrl.toString(),
            timeouts: { statementTimeoutMs: 3_600_000, stallMs: 3_600_000, probeTimeoutMs: 60_000 },
          },
    );
    try {
      if (rollups === 0) await rebuildSiteRollups(database.db, site.id);
      else await catchUpSite(database.db, site.id);
    } finally {
      await database.close();
    }
    rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  }
  const counts = await direct(async (query) => {
    if (rollups === 0 || months === 0) await query('vacuum analyze');
    const counted = {};
    const tables = [
      'events',
      'visitors',
      'visitor_sessions',
      'conversations',
      'messages',
      'callbacks',
      'feedback',
      'leads',
    ];
    for (const table of tables) counted[table] = (await query(`select count(*)::int as n from ${table}`))[0].n;
    return counted;
  });

  await startServer(); // a fresh process: the first request of each report below is its cold one
  const cookie = await loginCookie(origin, admin);
  const getReport = async (report, range) => {
    const query = new URLSearchParams({ siteId: site.id, ...range, tz: timeZone, granularity: 'day' });
    const started = performance.now();
    const response = await fetch(`${origin}/api/reports/${report}?${query}`, { headers: { cookie } });
    const body = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`${report} ${JSON.stringify(range)}: ${response.status} ${body.slice(0, 300)}`);
    return ms;
  };

  const rows = [];
  for (const days of [30, 365]) {
    for (const report of reports) {
      const range = rangeOf(days);
      if (!onPglite) await sleep(1100); // statistics of earlier requests flushed (PostgreSQL reports them at most once a second)
      const before = await rowsRead();
      const cold = await getReport(report, range);
      if (!onPglite) await sleep(1100);
      const scanned = onPglite ? '-' : (await rowsRead()) - before;
      const warm = [];
      for (let i = 0; i < repeat; i++) warm.push(await getReport(report, range));
      warm.sort((a, b) => a - b);
      rows.push({
        report,
        days,
        cold,
        p50: percentile(warm, 50),
        p95: percentile(warm, 95),
        max: warm.at(-1),
        scanned,
      });
    }
  }

  // Ingestion alone, then with report readers looping beside it: reports must not slow the write path.
  const ingest = ingestSeconds > 0 ? await ingestPhases(cookie, site.id) : null;

  const cell = (value, digits = 1) => (typeof value === 'number' ? value.toFixed(digits) : String(value));
  console.log(`\ngenerated year (scale ${scale}) on ${onPglite ? 'PGlite' : 'PostgreSQL'}: ${JSON.stringify(counts)}`);
  if (generateSeconds || rebuildSeconds)
    console.log(`generation ${generateSeconds.toFixed(0)} s, rollup rebuild ${rebuildSeconds.toFixed(1)} s`);
  console.log(
    `\n${'report'.padEnd(10)} ${'range'.padStart(6)} ${'cold ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'rows read'.padStart(10)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.report.padEnd(10)} ${`${row.days}d`.padStart(6)} ${cell(row.cold).padStart(9)} ${cell(row.p50).padStart(8)} ${cell(row.p95).padStart(8)} ${cell(row.max).padStart(8)} ${String(row.scanned).padStart(10)}`,
    );
  }
  if (ingest) {
    console.log('\ningestion (events/s acknowledged after commit, p99 ms):');
    console.log(`  alone:                ${ingest.alone.perSecond} ev/s, p99 ${cell(ingest.alone.p99)} ms`);
    console.log(
      `  with report readers:  ${ingest.withReaders.perSecond} ev/s, p99 ${cell(ingest.withReaders.p99)} ms (${ingest.reads} report reads, p95 ${cell(ingest.readP95)} ms)`,
    );
  }
  console.log(
    `machine load average (1 min) at the end: ${loadavg()[0].toFixed(2)}; total ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const of = (days) => rows.filter((row) => row.days === days);
  const worst = (list, key) => Math.max(...list.map((row) => row[key]));
  console.log(
    `\nreports: p95_30d_ms=${worst(of(30), 'p95').toFixed(1)} p95_365d_ms=${worst(of(365), 'p95').toFixed(1)} ` +
      `max_ms=${worst(rows, 'max').toFixed(1)} cold_max_ms=${worst(rows, 'cold').toFixed(1)} rows_scanned_max=${onPglite ? '-' : worst(rows, 'scanned')}` +
      (ingest
        ? ` ingest_alone_per_s=${ingest.alone.perSecond} ingest_with_reports_per_s=${ingest.withReaders.perSecond}`
        : ''),
  );
} finally {
  await stopServer();
  await db?.end();
  if (pgAdmin && !keptName) await pgAdmin.unsafe(`drop database if exists ${dbName} with (force)`);
  await pgAdmin?.end();
  if (onPglite && !process.env.BENCH_PGLITE_DIR) await rm(pgliteDir, { recursive: true, force: true });
}

/** Closed-loop ingestion clients (as bench:ingest) for `ingestSeconds`, alone and then beside report readers. */
async function ingestPhases(cookie, siteId) {
  const agent = new Agent({ keepAlive: true, maxSockets: ingestClients });
  let sequence = 0;
  const post = (body, index) =>
    new Promise((resolve) => {
      const req = request(
        `${origin}/v1/collect`,
        {
          method: 'POST',
          agent,
          headers: {
            origin,
            'content-type': 'text/plain',
            'user-agent': userAgent,
            'x-forwarded-for': `198.18.${index % 250}.${sequence % 250}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const parts = [];
          res.on('data', (part) => parts.push(part));
          res.on('end', () => resolve(res.statusCode === 200 ? JSON.parse(Buffer.concat(parts).toString()) : null));
          res.on('error', () => resolve(null));
        },
      );
      req.on('error', () => resolve(null));
      req.end(body);
    });
  const batch = (visitorId) => {
    const now = Date.now();
    return {
      site: 'demo',
      visitorId,
      sessionId: `s_${visitorId}`,
      events: Array.from({ length: 10 }, (_, i) => ({
        id: `r${now.toString(36)}${(sequence++).toString(36)}`,
        type: 'pageview',
        ts: now,
        url: `${origin}/demo/p${i}.html`,
        title: 'Bench page',
      })),
    };
  };
  async function drive(stopAt) {
    let stored = 0;
    const latencies = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: ingestClients }, async (_, index) => {
        for (let n = 0; performance.now() < stopAt; n++) {
          const sent = performance.now();
          const answer = await post(JSON.stringify(batch(`bench_ingest_${index}_${n % 20}`)), index);
          if (answer) {
            stored += answer.stored;
            latencies.push(performance.now() - sent);
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { perSecond: Math.round(stored / ((performance.now() - started) / 1000)), p99: percentile(latencies, 99) };
  }
  const meter = cpuMeter(server.pid);
  const alone = await drive(performance.now() + ingestSeconds * 1000);
  const stopAt = performance.now() + ingestSeconds * 1000;
  const reads = [];
  const reader = async (offset) => {
    for (let i = offset; performance.now() < stopAt; i++) {
      const query = new URLSearchParams({ siteId, ...rangeOf(i % 2 ? 365 : 30), tz: timeZone });
      const started = performance.now();
      const response = await fetch(`${origin}/api/reports/${reports[i % reports.length]}?${query}`, {
        headers: { cookie },
      });
      await response.arrayBuffer();
      reads.push(performance.now() - started);
    }
  };
  const [withReaders] = await Promise.all([drive(stopAt), reader(0), reader(3)]);
  meter();
  agent.destroy();
  reads.sort((a, b) => a - b);
  return { alone, withReaders, reads: reads.length, readP95: percentile(reads, 95) };
}
