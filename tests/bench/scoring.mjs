// npm run bench:scoring — lead scoring on public data: the 12,330 sessions of the Online Shoppers data set
// (tests/fixtures/online-shoppers, CC BY 4.0) replayed through the real /v1/collect as a script tag would
// send them, against a server on real PostgreSQL. 70 % of the sessions (fixed seed) are marked won/lost
// through the API, the server learns from them in its worker thread, the proposal is applied; the other
// 30 % measure how well the default shop rules and the learnt points rank buyers. Learning runs twice
// (BENCH_LEARN_ROUNDS), each proposal accepted through the API as an admin would. /healthz is polled while
// the server learns, and for 5 s before as the control on a shared machine. Not a test: it measures and
// prints; it asserts nothing.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { auc, loadSessions, pagesOf, seeded, userAgentOf } from './shoppers.mjs';

const env = (name, fallback) => process.env[name] ?? fallback;
const port = Number(env('BENCH_PORT', 3483));
const concurrency = Number(env('BENCH_CLIENTS', 16));
const limit = Number(env('BENCH_SESSIONS', 0));
const adminUrl = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const origin = `http://localhost:${port}`;
const admin = { email: 'bench-admin@example.test', password: 'bench password 1' };

const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const dbName = `beckon_bench_scoring_${Date.now()}`;
const pgAdmin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await pgAdmin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const server = spawn(process.execPath, [mainJs], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl.toString(),
    BECKON_ADMIN_EMAIL: admin.email,
    BECKON_ADMIN_PASSWORD: admin.password,
    BECKON_LOG_LEVEL: 'error',
    // Each replayed session comes from an address of its own, as real visitors do.
    BECKON_TRUST_PROXY: 'true',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const db = postgres(dbUrl.toString(), { max: 2, onnotice: () => {} });
async function cleanup() {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await db.end();
  await pgAdmin.unsafe(`drop database if exists ${dbName} with (force)`);
  await pgAdmin.end();
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function waitForServer() {
  // Up to 3 minutes: on a machine shared with other runs, start-up (migrations) took over a minute.
  for (let i = 0; i < 1800; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error('server did not start');
}

/** One session's batches: each page view with the engagement the tag sends on leaving it. */
function batchesOf(session, startAt) {
  const random = seeded(1000 + session.index);
  const visitorId = `shopper_${session.index.toString().padStart(5, '0')}`;
  const context = {
    visitCount: session.returning ? 2 : 1,
    utm: { source: `traffic-${session.trafficType}` },
    landingUrl: `${origin}/`,
  };
  const events = [];
  let t = startAt;
  let n = 0;
  for (const page of pagesOf(session, random)) {
    const url = `${origin}${page.path}`;
    events.push({ id: `${visitorId}_${n++}`, type: 'pageview', ts: t, url, title: 'Shop' });
    const visibleMs = Math.round(page.seconds * 1000);
    t += visibleMs;
    events.push({ id: `${visitorId}_${n++}`, type: 'engagement', ts: t, url, visibleMs, maxScroll: 0 });
    t += 1000;
  }
  const batches = [];
  for (let i = 0; i < events.length; i += 50) {
    batches.push({ site: 'demo', visitorId, sessionId: `s_${visitorId}`, events: events.slice(i, i + 50), context });
  }
  return { visitorId, batches };
}

try {
  await waitForServer();
  const login = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`login failed: ${await login.text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const me = await login.json();
  const siteId = me.sites.find((site) => site.key === 'demo').id;
  const headers = { cookie, origin, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' };
  const api = async (method, path, body) => {
    const response = await fetch(`${origin}/api/sites/${siteId}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  let sessions = loadSessions();
  if (limit) sessions = sessions.slice(0, limit);
  const random = seeded(42);
  const shuffled = sessions.map((s) => s.index);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const train = new Set(shuffled.slice(0, Math.floor(shuffled.length * 0.7)));

  // Replay: sessions spread over the last day (the collect window takes 24 h back), each in order.
  const replayStarted = performance.now();
  const now = Date.now();
  const start = now - 23 * 60 * 60 * 1000;
  let next = 0;
  let events = 0;
  const visitorOf = new Map();
  async function worker() {
    for (;;) {
      const session = sessions[next++];
      if (!session) return;
      const { visitorId, batches } = batchesOf(session, start + (session.index % 3600) * 1000);
      visitorOf.set(session.index, visitorId);
      const ip = `10.${(session.index >> 16) & 255}.${(session.index >> 8) & 255}.${session.index & 255}`;
      for (const batch of batches) {
        const response = await fetch(`${origin}/v1/collect`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', origin, 'user-agent': userAgentOf(session), 'x-forwarded-for': ip },
          body: JSON.stringify(batch),
        });
        if (!response.ok) throw new Error(`collect ${response.status}: ${await response.text()}`);
        events += batch.events.length;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const replayMs = performance.now() - replayStarted;

  const scoresNow = async () => {
    const rows = await db`select visitor_id, score, temperature from visitors where site_id = ${siteId}`;
    return new Map(rows.map((row) => [row.visitor_id, row]));
  };
  const measure = (scores) => {
    const test = sessions
      .filter((s) => !train.has(s.index))
      .map((s) => ({ won: s.won, ...scores.get(visitorOf.get(s.index)) }));
    const conversion = (rows) => (rows.length ? rows.filter((r) => r.won).length / rows.length : 0);
    const hot = test.filter((r) => r.temperature === 'hot');
    const cold = test.filter((r) => r.temperature === 'cold');
    return {
      auc: auc(test.map((r) => ({ score: Number(r.score), won: r.won }))),
      hotShare: hot.length / test.length,
      warmShare: test.filter((r) => r.temperature === 'warm').length / test.length,
      hotConv: conversion(hot),
      coldConv: conversion(cold),
    };
  };
  const defaults = measure(await scoresNow());

  // Outcomes of the training sessions, as a CRM would send them: the bulk API, 10,000 per call.
  const labelled = sessions.filter((s) => train.has(s.index));
  const outcomesStarted = performance.now();
  for (let i = 0; i < labelled.length; i += 10_000) {
    const answer = await api('PUT', '/outcomes', {
      outcomes: labelled.slice(i, i + 10_000).map((session) => ({
        id: `bench-${session.index}`,
        visitorId: visitorOf.get(session.index),
        outcome: session.won ? 'won' : 'lost',
      })),
    });
    if (answer.notFound > 0) throw new Error(`${answer.notFound} outcomes found no visitor`);
  }
  const outcomesMs = performance.now() - outcomesStarted;

  // /healthz polled while `during` runs: learning runs in a worker thread, the event loop keeps answering.
  const pollHealthz = async (during) => {
    const samples = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        await fetch(`${origin}/healthz`);
        samples.push(performance.now() - started);
        await sleep(10);
      }
    })();
    try {
      return { result: await during(), samples };
    } finally {
      polling = false;
      await poller;
    }
  };
  // The control: the same polling for a few seconds with nothing else running, on the same (shared) machine.
  const idle = (await pollHealthz(() => sleep(5000))).samples.sort((a, b) => a - b);

  // Learn, then accept the proposal as an admin would (every proposed point and new rule, through the
  // API), wait for the rescore, and learn again from the rules now in place: a new rule changes what the
  // others' points should be, and the second round may find thresholds the first could not use.
  const rounds = Number(env('BENCH_LEARN_ROUNDS', 2));
  const healthz = [];
  const learnt = [];
  let learnMs = 0;
  for (let round = 1; round <= rounds; round++) {
    const learnStarted = performance.now();
    const { result: proposal, samples } = await pollHealthz(() => api('POST', '/scoring/learn'));
    learnMs += performance.now() - learnStarted;
    healthz.push(...samples);
    // Labelled here in English, as the dashboard would in its language.
    const newRules = proposal.newRules.map((rule, i) => ({
      id: `learnt-${round}-${i + 1}`,
      label: `${rule.condition.metric} ${rule.condition.op === 'gte' ? '≥' : '<'} ${rule.condition.value}`,
      condition: rule.condition,
      points: rule.points,
    }));
    learnt.push({ round, proposal, newRules });
    const applied = await api('POST', '/scoring/apply', {
      points: Object.fromEntries(proposal.proposed.map((rule) => [rule.ruleId, rule.proposed])),
      newRules,
    });
    for (;;) {
      const { job } = await api('GET', '/scoring/job');
      if (job?.id === applied.job.id && job.status === 'done') break;
      if (job?.status === 'failed') throw new Error('rescoring failed');
      await sleep(250);
    }
  }
  healthz.sort((a, b) => a - b);
  const learned = measure(await scoresNow());

  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `sessions ${sessions.length} (train ${train.size}, test ${sessions.length - train.size}); events ${events} replayed in ${(replayMs / 1000).toFixed(1)} s`,
  );
  for (const { round, proposal, newRules } of learnt) {
    console.log(
      `learn round ${round}: ${proposal.outcomes.won} won / ${proposal.outcomes.lost} lost, cross-validated AUC ${proposal.learnedAuc}${proposal.newRulesAuc === undefined ? '' : ` (${proposal.newRulesAuc} with the new rules)`}, L2 ${proposal.l2}, server-side fit ${proposal.learnMs} ms`,
    );
    for (const rule of newRules) console.log(`  new rule accepted: ${rule.label} → ${rule.points} points`);
  }
  console.log(
    `outcomes sent in ${Math.round(outcomesMs)} ms through PUT /outcomes; /healthz during learning: ${healthz.length} polls, p50 ${percentile(healthz, 50).toFixed(1)} ms, p99 ${percentile(healthz, 99).toFixed(1)} ms; idle before: ${idle.length} polls, p50 ${percentile(idle, 50).toFixed(1)} ms, p99 ${percentile(idle, 99).toFixed(1)} ms`,
  );
  console.table({
    'default shop rules': {
      AUC: defaults.auc.toFixed(3),
      hot: pct(defaults.hotShare),
      warm: pct(defaults.warmShare),
      'hot conversion': pct(defaults.hotConv),
      'cold conversion': pct(defaults.coldConv),
    },
    'learnt points': {
      AUC: learned.auc.toFixed(3),
      hot: pct(learned.hotShare),
      warm: pct(learned.warmShare),
      'hot conversion': pct(learned.hotConv),
      'cold conversion': pct(learned.coldConv),
    },
  });
  console.log(
    `scoring: default_auc=${defaults.auc.toFixed(3)} learned_auc=${learned.auc.toFixed(3)} hot_share=${defaults.hotShare.toFixed(3)} hot_conv=${defaults.hotConv.toFixed(3)} cold_conv=${defaults.coldConv.toFixed(3)} learn_ms=${Math.round(learnMs)} healthz_p99_ms_during_learn=${percentile(healthz, 99).toFixed(1)} healthz_p99_ms_idle=${percentile(idle, 99).toFixed(1)}`,
  );
} finally {
  await cleanup();
}
