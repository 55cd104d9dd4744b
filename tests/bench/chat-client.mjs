// bench:chat's client, a process of its own (forked by chat.mjs): the 1,000 visitor sockets that send and
// time the messages, and the agents' sockets in a worker thread (chat-agents.mjs). Its CPU is read from
// /proc by the driver and its event-loop delay is measured here, so a client that falls behind shows as a
// busy client, not as a slow server (the server's own latencies come from its metrics endpoint).
// Steps, each started by the driver: warm up → connect the timed visitors → run → report.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';

const next = (step) =>
  new Promise((resolve) => {
    const listener = (message) => {
      if (message?.step !== step) return;
      process.off('message', listener);
      resolve(message);
    };
    process.on('message', listener);
  });
const tell = (message) => process.send(message);

const start = next('start');
tell({ step: 'ready' });
const {
  origin,
  agentOrigin = origin,
  cookies,
  visitorsWanted,
  rate,
  seconds,
  warmupVisitors,
  warmupRounds,
  tracked = true,
} = (await start).options;

const sockets = [];
const connect = (namespace, options) =>
  new Promise((resolve, reject) => {
    const socket = io(`${origin}${namespace}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...options,
    });
    sockets.push(socket);
    socket.once('connect_error', reject);
    socket.once('chat:ready', () => resolve(socket));
  });
// Like the widget on a page whose visitor allowed analytics, each visitor names its browser's tracker id
// (unless BENCH_TRACKED=0), so opening a chat is also a lead touch and a scoring signal for that browser.
let visitorNumber = 0;
const visitorOptions = () => ({
  auth: {
    site: 'demo',
    url: `${origin}/demo/`,
    ...(tracked ? { visitorId: `bench_browser_${process.pid}_${visitorNumber++}` } : {}),
  },
  extraHeaders: { origin },
});

// The agents' sockets live in a worker thread, so parsing their frames (every message of the site, times
// 20) does not delay the visitors' acks in the event loop that times them (in real life agents and visitors
// are different machines). Their CPU still counts as the client's: one process.
const agentWorker = new Worker(new URL('./chat-agents.mjs', import.meta.url), {
  workerData: { origin: agentOrigin, cookies },
});
const fromAgents = () => new Promise((resolve, reject) => agentWorker.once('message', resolve).once('error', reject));
await fromAgents();

// Warm-up, untimed: other visitors chat for a few seconds first, so the timed run meets a server whose code
// is compiled and whose database connections have their statements prepared, as in production. The timed
// visitors still open their own conversations in the run.
const warmups = await Promise.all(Array.from({ length: warmupVisitors }, () => connect('/visitor', visitorOptions())));
for (let round = 0; round < warmupRounds; round++) {
  await Promise.all(
    warmups.map((socket, i) =>
      socket
        .timeout(30_000)
        .emitWithAck('message:send', { clientId: `warmup_${round}_${i}`, text: `Warm-up message ${round}` })
        .catch(() => null),
    ),
  );
  await sleep(100);
}
warmups.forEach((socket) => socket.close());
await sleep(1000);
tell({ step: 'warmed' });

await next('connect');
const visitors = [];
for (let i = 0; i < visitorsWanted; i += 50) {
  const batch = Array.from({ length: Math.min(50, visitorsWanted - i) }, () => connect('/visitor', visitorOptions()));
  visitors.push(...(await Promise.all(batch)));
}
// How long after its opening message a visitor hears who answers (`conversation:assigned`, sent by the
// welcome round after the ack): the part of an opening that happens after the ack.
const openedAt = new Map(); // socket -> when its first message was sent
const assignedLatencies = [];
for (const socket of visitors)
  socket.once('conversation:assigned', () => {
    const at = openedAt.get(socket);
    if (at !== undefined) assignedLatencies.push(performance.now() - at);
  });
tell({ step: 'connected' });

await next('run');
const sent = new Map(); // clientId -> sent at
const latencies = [];
let acked = 0;
let failed = 0;
const failures = new Map(); // error code -> count
let counter = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const firstLatencies = [];
const laterLatencies = [];
const windowLatencies = [];
// BENCH_TIMELINE=file.json keeps every ack as [ms after the start, latency ms], to find when a tail happened.
const timeline = process.env.BENCH_TIMELINE ? [] : null;
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
    if (first) openedAt.set(socket, at);
    socket.timeout(30_000).emit('message:send', { clientId, text: `Bench message ${counter}` }, (error, reply) => {
      if (error || !reply?.ok) {
        const code = error ? 'timeout' : (reply?.error?.code ?? 'unknown');
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
      timeline?.push([Math.round(at - started), Math.round(ms * 10) / 10]);
    });
  }
  const nextTick = started + Math.ceil((performance.now() - started + 0.001) / tickMs) * tickMs;
  await sleep(Math.max(0, nextTick - performance.now()));
}
const sendSeconds = (performance.now() - started) / 1000;
lag.disable();
tell({ step: 'sent', sendSeconds });
for (let i = 0; i < 300 && acked + failed < sent.size; i++) await sleep(100);
// Assignments follow the acks; wait for them as long as for the acks.
for (let i = 0; i < 300 && assignedLatencies.length < openedAt.size; i++) await sleep(100);
await sleep(1000);
if (timeline) writeFileSync(process.env.BENCH_TIMELINE, JSON.stringify(timeline));

const agentReport = fromAgents();
agentWorker.postMessage('report');
const { duplicates, delivered: deliveredList, sockets: agentSockets } = await agentReport;
const deliveredToFirstAgent = new Set(deliveredList);
const delivered = [...sent.keys()].filter((clientId) => deliveredToFirstAgent.has(clientId)).length;
const pctOf = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
const pair = (list) => ({ p50: pctOf(list, 50), p99: pctOf(list, 99) });
tell({
  step: 'report',
  report: {
    sent: sent.size,
    acked,
    failed,
    failures: [...failures],
    delivered,
    lost: sent.size - delivered,
    duplicates,
    agentSockets,
    sendSeconds,
    all: pair(latencies),
    first: pair(firstLatencies),
    later: pair(laterLatencies),
    firstSecond: pair(firstSecond),
    assigned: { ...pair(assignedLatencies), count: assignedLatencies.length, opened: openedAt.size },
    afterFirstSecond: pair(afterFirstSecond),
    windows: windowLatencies.map((list) => pair(list ?? [])),
    eventLoopDelayP99Ms: lag.percentile(99) / 1e6,
  },
});
sockets.forEach((socket) => socket.close());
await agentWorker.terminate();
process.disconnect();
