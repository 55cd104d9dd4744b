import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import type { ChatReady } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../testing/harness.js';
import { redisAnswers } from '../testing/redis.js';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.js';
import { socketClients } from '../testing/sockets.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const skipReason = (await redisAnswers(redisUrl)) ? undefined : `no Redis answers at ${redisUrl} (set TEST_REDIS_URL)`;
if (skipReason) console.warn(`Redis outage tests skipped: ${skipReason}`);

// What a node does when its Redis goes away mid-run. The database plays no part here: one kind (PostgreSQL where the run has it).
describe.skipIf(Boolean(skipReason))(
  `a node whose Redis goes away${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let proxy: TcpProxy;
    let server: RunningServer;
    let dispose: () => Promise<void>;
    const prefix = `beckon-test:${randomUUID()}:`;
    const clients = socketClients(() => server.port);

    beforeAll(async () => {
      const target = new URL(redisUrl);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const database = await openTestDatabase(databaseKinds.at(-1)!);
      dispose = database.dispose;
      const config = testConfig({ REDIS_URL: proxy.through(redisUrl), BECKON_REDIS_PREFIX: prefix });
      server = await startServer(config, { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
    });
    afterAll(async () => {
      clients.closeAll();
      proxy?.restore();
      await server?.close();
      await dispose?.();
      await proxy?.close();
      const redis = await createClient({ url: redisUrl }).connect();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(keys);
      await redis.close();
    });

    it('keeps chatting with the agents connected to it, and survives pushes that Redis cut short', {
      timeout: 60_000,
    }, async () => {
      // An unhandled rejection would end a production process; here it is collected and must not happen.
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const { cookie } = await clients.login();
        const tab = clients.agent(cookie);
        await clients.connected(tab);

        // Pushes in flight when Redis goes: nothing gets through, so the publishes of this presence
        // change wait for their answers (its ack comes once the read of every node's agents gave up
        // waiting, 5 s), and then every connection to Redis drops.
        proxy.blackHole();
        await tab.timeout(15_000).emitWithAck('presence:set', { status: 'online' });
        proxy.cut();

        // A visitor arriving now is told an agent is online (the one connected here) without waiting on
        // Redis, sends, is acknowledged and is assigned.
        const visitor = clients.visitor();
        const ready = clients.next<ChatReady>(visitor, 'chat:ready');
        await clients.connected(visitor);
        expect((await ready).available).toBe(true);
        const assigned = clients.next<{ agent: { name: string } }>(visitor, 'conversation:assigned');
        const reply = (await visitor
          .timeout(5000)
          .emitWithAck('message:send', { clientId: `outage_${Date.now().toString(36)}`, text: 'Anyone there?' })) as {
          ok: boolean;
        };
        expect(reply.ok).toBe(true);
        expect((await assigned).agent.name).toBe('Admin');

        // Redis comes back: the node shares through it again (a failed login is counted there).
        proxy.restore();
        const redis = await createClient({ url: redisUrl }).connect();
        try {
          await expect
            .poll(
              async () => {
                await fetch(`http://localhost:${server.port}/api/auth/login`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.55' },
                  body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' }),
                });
                return (await redis.keys(`${prefix}*192.0.2.55*`)).length;
              },
              { timeout: 15_000, interval: 500 },
            )
            .toBeGreaterThan(0);
        } finally {
          await redis.close();
        }
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  },
);
