import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { RateLimiter } from './rate-limit.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const minute = 60_000;
const rule = { limit: 3, windowMs: minute };

async function redisReachable() {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.close();
    return true;
  } catch {
    return false;
  }
}

const withRedis = await redisReachable();
const refused = (error: unknown) => error instanceof AppError && error.code === 'rate_limited';

/** Tries `enforce` once per attempt (round robin over the limiters) and counts how many got through. */
async function passed(limiters: RateLimiter[], attempts: number, key: string) {
  let through = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      await limiters[i % limiters.length]!.enforce(key, rule);
      through++;
    } catch (error) {
      if (!refused(error)) throw error;
    }
  }
  return through;
}

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    warn: (message: string) => void lines.push(`warn ${message}`),
    info: (message: string) => void lines.push(`info ${message}`),
  };
}

describe("rate limits in this node's memory", () => {
  it('allows the limit per fixed window, with the seconds left until it ends', async () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now });
    expect(await passed([limiter], 5, 'k')).toBe(3);
    now = 15_000;
    expect(await limiter.hit('k', rule)).toBe(45);
    expect(await limiter.peek('k')).toEqual({ count: 6, retryAfterSeconds: 45 });
    now = minute;
    expect(await limiter.peek('k')).toEqual({ count: 0, retryAfterSeconds: 0 });
    expect(await passed([limiter], 4, 'k')).toBe(3);
  });

  it('gives back a hit, and counts several keys at once', async () => {
    const limiter = new RateLimiter({ now: () => 0 });
    expect(
      await limiter.hitAll([
        ['a', rule],
        ['b', { limit: 1, windowMs: minute }],
      ]),
    ).toEqual([0, 0]);
    expect(
      await limiter.hitAll([
        ['a', rule],
        ['b', { limit: 1, windowMs: minute }],
      ]),
    ).toEqual([0, 60]);
    await limiter.release('a', 'b', 'never-hit');
    expect(await limiter.peekAll(['a', 'b', 'never-hit'])).toEqual([
      { count: 1, retryAfterSeconds: 60 },
      { count: 1, retryAfterSeconds: 60 },
      { count: 0, retryAfterSeconds: 0 },
    ]);
    await limiter.reset('a');
    expect((await limiter.peek('a')).count).toBe(0);
  });
});

describe.runIf(withRedis)('rate limits shared through Redis', () => {
  const prefix = `beckon-test:${randomUUID()}:`;
  const admin = createClient({ url: redisUrl });
  const clients: ReturnType<typeof createClient>[] = [];
  const node = async () => {
    const client = createClient({ url: redisUrl, disableOfflineQueue: true });
    await client.connect();
    clients.push(client);
    return new RateLimiter({ redis: client, prefix });
  };
  afterAll(async () => {
    if (!admin.isOpen) await admin.connect();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(keys);
    await Promise.all([admin, ...clients].map((client) => client.close()));
  });

  it('holds a limit of N across two nodes: N+1 attempts split across them get exactly N through', async () => {
    const [a, b] = [await node(), await node()];
    expect(await passed([a, b], rule.limit + 1, 'callbacks:10.0.0.1')).toBe(rule.limit);
    // Concurrent attempts too: each check is one atomic script.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => [a, b][i % 2]!.enforce('burst:10.0.0.2', rule)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(rule.limit);
    expect((await b.peek('burst:10.0.0.2')).count).toBe(10);
  });

  it('sends the checks of one turn as one round trip, each answered for its own keys', async () => {
    const client = createClient({ url: redisUrl, disableOfflineQueue: true });
    await client.connect();
    clients.push(client);
    let calls = 0;
    const counting = {
      get isReady() {
        return client.isReady;
      },
      evalSha: (...args: Parameters<typeof client.evalSha>) => (calls++, client.evalSha(...args)),
      eval: (...args: Parameters<typeof client.eval>) => (calls++, client.eval(...args)),
      del: (keys: string[]) => client.del(keys),
    };
    const limiter = new RateLimiter({ redis: counting, prefix });
    await limiter.hit('turn:warm-up', rule); // loads the script (NOSCRIPT, then EVAL) outside the count
    calls = 0;
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => limiter.enforce('turn:same', rule)),
      limiter.hitAll([
        ['turn:a', rule],
        ['turn:b', { limit: 1, windowMs: minute }],
      ]),
      limiter.hit('turn:b', { limit: 1, windowMs: minute }),
    ]);
    expect(calls).toBe(1);
    // The same key five times in one script: counted in order, three get through.
    expect(results.slice(0, 5).map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(results[5]).toEqual({ status: 'fulfilled', value: [0, 0] });
    expect(results[6]).toEqual({ status: 'fulfilled', value: 60 });
    expect((await limiter.peekAll(['turn:same', 'turn:a', 'turn:b'])).map((peek) => peek.count)).toEqual([5, 1, 2]);
  });

  it('ends the window with the key: Redis keeps no counter without an expiry', async () => {
    const limiter = await node();
    await limiter.hit('expiring', { limit: 5, windowMs: 30_000 });
    await admin.connect();
    const ttl = await admin.pTTL(`${prefix}expiring`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect((await limiter.peek('expiring')).retryAfterSeconds).toBe(30);
  });

  it('gives back hits on every node, and leaves a missing key missing', async () => {
    const [a, b] = [await node(), await node()];
    await a.hitAll([
      ['give:1', rule],
      ['give:2', rule],
    ]);
    await b.release('give:1', 'give:2', 'give:missing');
    expect((await a.peekAll(['give:1', 'give:2'])).map((peek) => peek.count)).toEqual([0, 0]);
    if (!admin.isOpen) await admin.connect();
    expect(await admin.exists(`${prefix}give:missing`)).toBe(0);
    await a.hit('reset-me', rule);
    await b.reset('reset-me');
    expect((await a.peek('reset-me')).count).toBe(0);
  });
});

/** A TCP proxy to Redis that can hold its answers back (a slow or hung Redis) and deliver them later, in order. */
async function stallingProxy(target: URL) {
  let stalled = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port || 6379), target.hostname);
    sockets.add(inbound).add(outbound);
    inbound.on('data', (chunk) => void outbound.write(chunk));
    outbound.on('data', (chunk) => (stalled ? held.push(() => inbound.write(chunk)) : inbound.write(chunk)));
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall(value: boolean) {
      stalled = value;
      if (!value) held.splice(0).forEach((deliver) => deliver());
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('rate limits when Redis cannot answer', () => {
  it('counts in memory when Redis is unreachable: no request fails, the node still bounds its share, one log line', async () => {
    const client = createClient({
      url: 'redis://127.0.0.1:1',
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false },
    });
    client.on('error', () => {});
    await client.connect().catch(() => {});
    const logger = recordingLogger();
    const limiter = new RateLimiter({ redis: client, logger });
    expect(await passed([limiter], 5, 'unreachable')).toBe(rule.limit);
    expect(await limiter.peek('unreachable')).toMatchObject({ count: 5 });
    await limiter.release('unreachable');
    await limiter.reset('unreachable');
    expect(logger.lines).toEqual(["warn rate limits counted in this node's memory until Redis answers again"]);
  });

  it('after a timeout, skips Redis for a while instead of making every request wait it out', async () => {
    let calls = 0;
    // A Redis that is connected but never answers.
    const hung = {
      isReady: true,
      evalSha: () => (calls++, new Promise<never>(() => {})),
      eval: () => new Promise<never>(() => {}),
      del: () => new Promise<never>(() => {}),
    };
    const limiter = new RateLimiter({ redis: hung, redisTimeoutMs: 20, redisRetryMs: 60_000 });
    expect(await passed([limiter], 10, 'hung')).toBe(rule.limit);
    expect(calls).toBe(1);
  });

  it.runIf(withRedis)('does not wait on a Redis that stopped answering, and shares again once it answers', async () => {
    const proxy = await stallingProxy(new URL(redisUrl));
    const client = createClient({ url: proxy.url, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
    const logger = recordingLogger();
    const prefix = `beckon-test:${randomUUID()}:`;
    const limiter = new RateLimiter({ redis: client, prefix, redisTimeoutMs: 50, redisRetryMs: 200, logger });
    try {
      await limiter.hit('slow', rule);
      proxy.stall(true);
      const started = Date.now();
      expect(await passed([limiter], 4, 'slow')).toBe(rule.limit);
      // One check waits out the 50 ms timeout, the next ones skip Redis: a generous bound, far below a hung request.
      expect(Date.now() - started).toBeLessThan(2000);
      proxy.stall(false);
      // Answers that were held back may arrive late; the next checks count in Redis again.
      await expect
        .poll(async () => (await limiter.hit('after', rule), logger.lines.at(-1)), { timeout: 5000, interval: 50 })
        .toBe('info rate limits shared through Redis again');
      expect((await limiter.peek('after')).count).toBeGreaterThan(0);
      expect(logger.lines[0]).toBe("warn rate limits counted in this node's memory until Redis answers again");
    } finally {
      proxy.stall(false);
      await client.del(await client.keys(`${prefix}*`)).catch(() => {});
      client.destroy();
      await proxy.close();
    }
  });
});
