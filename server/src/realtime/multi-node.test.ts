import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { AgentClientToServer, AgentServerToClient, ChatAvailability, ChatReady, LivePageview } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { openTestDatabase, testAdmin, testConfig } from '../testing/harness.js';
import { socketClients } from '../testing/sockets.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = process.env.TEST_DATABASE_URL;

// Two stateless nodes on one PostgreSQL database and one Redis: what the brief's multi-node shape needs.
// Runs where CI provides PostgreSQL (TEST_DATABASE_URL); PGlite is one process's database by nature.
describe.runIf(Boolean(postgresUrl))('two server nodes sharing PostgreSQL and Redis', () => {
  let nodes: RunningServer[] = [];
  let dispose: () => Promise<void>;
  let socket: Socket<AgentServerToClient, AgentClientToServer> | undefined;

  beforeAll(async () => {
    const database = await openTestDatabase('postgres');
    dispose = database.dispose;
    const config = testConfig({ REDIS_URL: redisUrl });
    const logger = createLogger('silent');
    nodes = [
      await startServer(config, { database, logger, publicDir: '/nonexistent' }),
      await startServer(config, { database, logger, publicDir: '/nonexistent' }),
    ];
  });
  afterAll(async () => {
    socket?.close();
    for (const node of nodes) await node.close();
    await dispose?.();
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
    const received = new Promise<LivePageview>((resolve) => socket!.once('pageviews:new', ([pageview]) => resolve(pageview!)));
    // The demo site allows each node's own origin (seeded by both), so node B accepts its own origin.
    const url = `http://localhost:${b.port}/demo/`;
    const response = await fetch(`http://localhost:${b.port}/v1/collect`, {
      method: 'POST',
      // A browser's user agent: Node's own ("node") is dropped as a bot.
      headers: { 'content-type': 'text/plain', origin: `http://localhost:${b.port}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36' },
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

      const availability = onB.next<ChatAvailability>(visitorOnB, 'chat:availability');
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
});
