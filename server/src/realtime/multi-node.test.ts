import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import type {
  AgentClientToServer,
  AgentServerToClient,
  ChatAvailability,
  ChatReady,
  LivePageview,
} from '@beckon/sdk/protocol';
import { loginLimits } from '../features/auth/index.js';
import { chatOpeningLimits } from '../features/chat/index.js';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { openTestDatabase, testAdmin, testConfig } from '../testing/harness.js';
import { redisAnswers } from '../testing/redis.js';
import { socketClients } from '../testing/sockets.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = process.env.TEST_DATABASE_URL;

// Two stateless nodes on one PostgreSQL database and one Redis: what the brief's multi-node shape needs.
// Runs where CI provides PostgreSQL (TEST_DATABASE_URL; PGlite is one process's database by nature) and a
// Redis answers (TEST_REDIS_URL, default 127.0.0.1:6379); otherwise the suite is skipped and says why in
// its name and on stderr, so a green run without Redis cannot pass for a tested multi-node setup.
const skipReason = !postgresUrl
  ? 'TEST_DATABASE_URL is not set (two nodes need one PostgreSQL)'
  : !(await redisAnswers(redisUrl))
    ? `no Redis answers at ${redisUrl} (set TEST_REDIS_URL)`
    : undefined;
if (skipReason) console.warn(`multi-node tests skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason))(
  `two server nodes sharing PostgreSQL and Redis${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let nodes: RunningServer[] = [];
    let dispose: () => Promise<void>;
    let databaseUrl: string;
    let nodeProcess: ChildProcess | undefined;
    let socket: Socket<AgentServerToClient, AgentClientToServer> | undefined;
    const redisPrefix = `beckon-test:${randomUUID()}:`;

    beforeAll(async () => {
      const database = await openTestDatabase('postgres');
      dispose = database.dispose;
      databaseUrl = database.url!;
      // Its own key prefix, so parallel runs on one Redis never share counters.
      const config = testConfig({ REDIS_URL: redisUrl, BECKON_REDIS_PREFIX: redisPrefix });
      const logger = createLogger('silent');
      nodes = [
        await startServer(config, { database, logger, publicDir: '/nonexistent' }),
        await startServer(config, { database, logger, publicDir: '/nonexistent' }),
      ];
    });
    afterAll(async () => {
      socket?.close();
      if (nodeProcess && nodeProcess.exitCode === null) {
        nodeProcess.kill('SIGTERM');
        await new Promise((resolve) => nodeProcess!.once('exit', resolve));
      }
      for (const node of nodes) await node.close();
      await dispose?.();
      const redis = createClient({ url: redisUrl });
      await redis.connect();
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(keys);
      await redis.close();
    });

    /** N+1 attempts from one address, alternating between the nodes: the statuses they got. */
    async function alternate(attempts: number, attempt: (node: RunningServer, i: number) => Promise<number>) {
      const statuses: number[] = [];
      for (let i = 0; i < attempts; i++) statuses.push(await attempt(nodes[i % 2]!, i));
      return statuses;
    }
    const tally = (statuses: number[]) =>
      statuses.reduce<Record<number, number>>((counts, status) => {
        counts[status] = (counts[status] ?? 0) + 1;
        return counts;
      }, {});

    // 21 password checks (scrypt, 32 MiB each, unknown emails included): CPU work a busy machine takes long over.
    it('holds the failed-login limit per address across both nodes', { timeout: 90_000 }, async () => {
      const statuses = await alternate(loginLimits.perIp.limit + 1, async (node, i) => {
        const response = await fetch(`http://localhost:${node.port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
          body: JSON.stringify({ email: `nobody${i}@example.test`, password: 'wrong password' }),
        });
        return response.status;
      });
      expect(tally(statuses)).toEqual({ 401: loginLimits.perIp.limit, 429: 1 });
      expect(statuses.at(-1)).toBe(429);
    });

    it('holds the callback limit per address across both nodes', async () => {
      const [a] = nodes as [RunningServer, RunningServer];
      const origin = `http://localhost:${a.port}`;
      const options = (await (
        await fetch(`${origin}/v1/sites/demo/callback-options`, { headers: { origin } })
      ).json()) as { slots: { at: string }[] };
      const perIpPerHour = 10; // the default site's callback settings
      const statuses = await alternate(perIpPerHour + 1, async (node, i) => {
        const response = await fetch(`http://localhost:${node.port}/v1/callbacks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': '192.0.2.88' },
          body: JSON.stringify({
            site: 'demo',
            phone: `+4915113${String(100000 + i).padStart(6, '0')}`,
            at: options.slots[0]!.at,
            formMs: 8000,
          }),
        });
        return response.status;
      });
      expect(tally(statuses)).toEqual({ 201: perIpPerHour, 429: 1 });
    });

    it('holds the chat openings per address across both nodes', async () => {
      const [a, b] = nodes as [RunningServer, RunningServer];
      const clients = [socketClients(() => a.port), socketClients(() => b.port)];
      const burst = chatOpeningLimits().burstPerAddress.limit;
      try {
        const replies = [];
        for (let i = 0; i <= burst; i++) {
          const on = clients[i % 2]!;
          // Each node's own origin, as the seeded demo site allows both.
          const visitor = on.visitor({ visitorId: `v_multi_open_${i}` }, on.origin(), ['websocket'], '192.0.2.99');
          const ready = on.next<ChatReady>(visitor, 'chat:ready');
          await on.connected(visitor);
          await ready;
          replies.push(
            (await visitor
              .timeout(5000)
              .emitWithAck('message:send', { clientId: `multi_open_${i}`, text: 'Hello' })) as {
              ok: boolean;
              error?: { code: string };
            },
          );
        }
        expect(replies.filter((reply) => reply.ok)).toHaveLength(burst);
        expect(replies.filter((reply) => reply.error?.code === 'too_many_conversations')).toHaveLength(1);
      } finally {
        for (const on of clients) on.closeAll();
      }
    });

    it('shows a site change made through one node on a node in another process at once, not after its cache expires', async () => {
      // A process of its own: in this one every node shares the per-node caches' module state.
      const mainJs = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
      if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run "npm run build" first`);
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      nodeProcess = spawn(process.execPath, [mainJs], {
        env: {
          PATH: process.env.PATH,
          PORT: String(port),
          HOST: '127.0.0.1',
          BECKON_LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          BECKON_REDIS_PREFIX: redisPrefix,
          BECKON_ADMIN_EMAIL: testAdmin.email,
          BECKON_ADMIN_PASSWORD: testAdmin.password,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const other = `http://127.0.0.1:${port}`;
      await expect
        .poll(
          () =>
            fetch(`${other}/healthz`).then(
              (response) => response.ok,
              () => false,
            ),
          { timeout: 30_000, interval: 100 },
        )
        .toBe(true);

      const shop = 'https://shop.example';
      const config = () =>
        fetch(`${other}/v1/sites/demo/config`, { headers: { origin: shop } }).then((response) => response.status);
      // The other node now holds the demo site, which does not allow the shop's origin, in its cache.
      expect(await config()).toBe(403);

      const [a] = nodes as [RunningServer];
      const session = await socketClients(() => a.port).login();
      const site = (session.me as { sites: { id: string; allowedOrigins: string[] }[] }).sites[0]!;
      const patched = await fetch(`http://localhost:${a.port}/api/sites/${site.id}`, {
        method: 'PATCH',
        headers: session.headers,
        body: JSON.stringify({ allowedOrigins: [...site.allowedOrigins, shop] }),
      });
      expect(patched.status).toBe(200);
      // Well inside the 5 s the other node would otherwise keep its copy.
      await expect.poll(config, { timeout: 2000, interval: 50 }).toBe(200);
    });

    it('pushes a pageview stored through node B to an agent connected to node A', async () => {
      const [a, b] = nodes as [RunningServer, RunningServer];
      const login = await fetch(`http://localhost:${a.port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(testAdmin),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      socket = connect(`http://localhost:${a.port}/agent`, {
        transports: ['websocket'],
        extraHeaders: { cookie, origin: `http://localhost:${a.port}` },
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        socket!.once('connect', resolve);
        socket!.once('connect_error', reject);
      });
      // The tab shows the site's Visitors page, joined to its watchers on node A; node B streams to them.
      const { sites } = (await login.json()) as { sites: { id: string }[] };
      expect(
        await socket!.timeout(5000).emitWithAck('visitors:watch', { siteId: sites[0]!.id, watching: true }),
      ).toEqual({
        ok: true,
        watching: true,
      });
      const received = new Promise<LivePageview>((resolve) =>
        socket!.once('pageviews:new', ([pageview]) => resolve(pageview!)),
      );
      // The demo site allows each node's own origin (seeded by both), so node B accepts its own origin.
      const url = `http://localhost:${b.port}/demo/`;
      const response = await fetch(`http://localhost:${b.port}/v1/collect`, {
        method: 'POST',
        // A browser's user agent: Node's own ("node") is dropped as a bot.
        headers: {
          'content-type': 'text/plain',
          origin: `http://localhost:${b.port}`,
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36',
        },
        body: JSON.stringify({
          site: 'demo',
          visitorId: 'visitor_multi_1',
          sessionId: 'session_multi_1',
          events: [{ id: 'pv_multi_node_1', type: 'pageview', ts: Date.now(), url }],
        }),
      });
      expect(response.status).toBe(200);
      expect((await received).url).toBe(url);
    });

    it('makes an agent away on every node when they choose Away in a tab on one of them', async () => {
      const [a, b] = nodes as [RunningServer, RunningServer];
      const onA = socketClients(() => a.port);
      const onB = socketClients(() => b.port);
      try {
        const { cookie } = await onA.login();
        const tabOnA = onA.agent(cookie);
        await onA.connected(tabOnA);
        // The same session in a tab served by node B.
        const tabOnB = onB.agent(cookie);
        const seenOnB = onB.collect<{ status: string }>(tabOnB, 'presence:self');
        await onB.connected(tabOnB);
        const visitorOnB = onB.visitor();
        const ready = onB.next<ChatReady>(visitorOnB, 'chat:ready');
        await onB.connected(visitorOnB);
        expect((await ready).available).toBe(true);

        // The announcement of tabOnB's connection ("online") may still be on its way: wait for the change.
        const availability = onB.next<ChatAvailability>(visitorOnB, 'chat:availability', (pushed) => !pushed.available);
        await tabOnA.timeout(5000).emitWithAck('presence:set', { status: 'away' });
        expect(await availability).toEqual({ available: false, reason: 'no_agents' });
        await expect.poll(() => seenOnB.at(-1)).toEqual({ status: 'away' });
        await tabOnA.timeout(5000).emitWithAck('presence:set', { status: 'online' });
        await expect.poll(() => seenOnB.at(-1)).toEqual({ status: 'online' });
      } finally {
        onA.closeAll();
        onB.closeAll();
      }
    });

    it('tells a visitor on node B when the only agent, connected to node A, comes and goes', async () => {
      // The pageview test's agent tab is on node A too: this test wants the agent's only tab.
      socket?.close();
      socket = undefined;
      const [a, b] = nodes as [RunningServer, RunningServer];
      const onA = socketClients(() => a.port);
      const onB = socketClients(() => b.port);
      try {
        const visitorOnB = onB.visitor();
        const ready = onB.next<ChatReady>(visitorOnB, 'chat:ready');
        const pushed = onB.collect<ChatAvailability>(visitorOnB, 'chat:availability');
        await onB.connected(visitorOnB);
        const first = await ready;
        const latest = () => (pushed.at(-1) ?? first).available;
        // Earlier tests' tabs were closed client-side; their nodes may still be announcing it.
        await expect.poll(latest, { timeout: 5000 }).toBe(false);

        const { cookie } = await onA.login();
        const tabOnA = onA.agent(cookie);
        await onA.connected(tabOnA);
        // Node B knows nothing of node A's sockets but what the adapter tells it.
        await expect.poll(latest, { timeout: 5000 }).toBe(true);
        tabOnA.close();
        await expect.poll(() => pushed.at(-1), { timeout: 5000 }).toEqual({ available: false, reason: 'no_agents' });
      } finally {
        onA.closeAll();
        onB.closeAll();
      }
    });
  },
);
