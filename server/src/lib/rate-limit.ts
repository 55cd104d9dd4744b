import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { createBatcher } from './batcher.js';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** A key's hits in its current window and the seconds until that window ends (0 when it has none). */
export interface WindowPeek {
  count: number;
  retryAfterSeconds: number;
}

/** A counter's state as a store reports it. */
interface WindowState {
  count: number;
  msLeft: number;
}

const secondsLeft = (msLeft: number) => Math.max(1, Math.ceil(msLeft / 1000));
const toPeek = ({ count, msLeft }: WindowState): WindowPeek =>
  count > 0 && msLeft > 0 ? { count, retryAfterSeconds: secondsLeft(msLeft) } : { count: 0, retryAfterSeconds: 0 };

/** Fixed-window counters in this node's memory: alone without Redis, and the fallback while Redis cannot answer. */
class MemoryWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number) {}

  hit(key: string, rule: RateLimitRule): WindowState {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + rule.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, msLeft: window.resetAt - now };
  }

  peek(key: string): WindowState {
    const now = this.now();
    const window = this.windows.get(key);
    return !window || window.resetAt <= now
      ? { count: 0, msLeft: 0 }
      : { count: window.count, msLeft: window.resetAt - now };
  }

  release(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** What the shared store needs of a Redis client (node-redis's `createClient()` has it). */
export interface ScriptingRedis {
  readonly isReady: boolean;
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
}

// Each script does every key of one check in one round trip, atomically (no other node's hit between the
// INCR and the PEXPIRE). The window starts at a key's first hit and ends with the key (PEXPIRE), so Redis
// sweeps old counters itself; a key that somehow lost its expiry gets one again.
const script = (source: string) => ({ source, sha1: createHash('sha1').update(source).digest('hex') });
const hitScript = script(`
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if count == 1 or ttl < 0 then
    ttl = tonumber(ARGV[i])
    redis.call('PEXPIRE', key, ttl)
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`);
const peekScript = script(`
local out = {}
for _, key in ipairs(KEYS) do
  out[#out + 1] = tonumber(redis.call('GET', key) or '0')
  out[#out + 1] = redis.call('PTTL', key)
end
return out`);
// DECR keeps the key's expiry; a missing key is left missing (DECR would create it at -1 without one).
const releaseScript = script(`
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`);

const pairs = (reply: unknown): WindowState[] => {
  const flat = (reply as unknown[]).map(Number);
  const states: WindowState[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) states.push({ count: flat[i]!, msLeft: flat[i + 1]! });
  return states;
};

type HitEntry = readonly [key: string, rule: RateLimitRule, ...rest: unknown[]];

/** Fixed-window counters in Redis, shared by every node: N nodes together allow a limit once. */
class RedisWindows {
  /**
   * The hits of one turn of the event loop go to Redis as one script call: a burst of requests (the answers of
   * one group commit bring their clients' next batches together) costs one round trip, not one each. With two
   * nodes on one Redis, a round trip per collect request was 4 % of each node's CPU (bench:ingest --nodes 2).
   */
  private readonly hits = createBatcher<readonly HitEntry[], WindowState[]>(
    async (calls) => {
      const entries = calls.flat();
      const states = pairs(
        await this.run(
          hitScript,
          entries.map(([key]) => key),
          entries.map(([, rule]) => String(rule.windowMs)),
        ),
      );
      let at = 0;
      return calls.map((call) => states.slice(at, (at += call.length)));
    },
    { wait: 'turn', maxInFlight: Number.POSITIVE_INFINITY, maxBatch: 200, sizeOf: (call) => call.length },
  );

  constructor(
    private readonly client: ScriptingRedis,
    private readonly prefix: string,
  ) {}

  get ready() {
    return this.client.isReady;
  }

  hit(entries: readonly HitEntry[]): Promise<WindowState[]> {
    return this.hits.submit(entries);
  }

  async peek(keys: readonly string[]): Promise<WindowState[]> {
    return pairs(await this.run(peekScript, keys));
  }

  async release(keys: readonly string[]): Promise<void> {
    await this.run(releaseScript, keys);
  }

  async reset(key: string): Promise<void> {
    await this.client.del([this.prefix + key]);
  }

  /** By hash, so the script's text crosses the wire only after a Redis restart forgot it. */
  private async run({ source, sha1 }: { source: string; sha1: string }, keys: readonly string[], args: string[] = []) {
    const options = { keys: keys.map((key) => this.prefix + key), arguments: args };
    try {
      return await this.client.evalSha(sha1, options);
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error;
      return this.client.eval(source, options);
    }
  }
}

export interface RateLimiterOptions {
  now?: () => number;
  /** Share the counters through this Redis client (REDIS_URL); without it they live in this node's memory. */
  redis?: ScriptingRedis;
  /** Prepended to every Redis key. */
  prefix?: string;
  /** How long a check waits for Redis before it counts in this node's memory instead. */
  redisTimeoutMs?: number;
  /** After Redis failed or was slow, how long checks go straight to memory before trying Redis again. */
  redisRetryMs?: number;
  /** Told once when checks fall back to memory and once when Redis answers again. */
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Fixed-window rate limits. With Redis the counters are shared by every node, so three nodes allow a
 * limit once rather than three times; the checks of one turn are one round trip (a Lua script over all of their keys).
 * When Redis is unreachable or slower than `redisTimeoutMs` a check counts in this node's memory instead
 * and never fails the request: the shared part fails open, each node still bounds what reaches it. The
 * checks of the next `redisRetryMs` go straight to memory, so a hung Redis costs one timeout a second,
 * not one per request.
 */
export class RateLimiter {
  private readonly now: () => number;
  private readonly memory: MemoryWindows;
  private readonly shared: RedisWindows | undefined;
  private readonly redisTimeoutMs: number;
  private readonly logger: RateLimiterOptions['logger'];
  private readonly redisRetryMs: number;
  private fallingBack = false;
  /** While Redis is failing, checks skip it until then (a wall-clock time), so none waits out the timeout. */
  private skipRedisUntil = 0;
  private localLimiter: RateLimiter | undefined;

  constructor({
    now = Date.now,
    redis,
    prefix = 'beckon:rate:',
    redisTimeoutMs = 100,
    redisRetryMs = 1000,
    logger,
  }: RateLimiterOptions = {}) {
    this.now = now;
    this.memory = new MemoryWindows(now);
    this.shared = redis ? new RedisWindows(redis, prefix) : undefined;
    this.redisTimeoutMs = redisTimeoutMs;
    this.redisRetryMs = redisRetryMs;
    this.logger = logger;
  }

  /**
   * A limiter in this node's memory only, for counters of things that live on one node (a socket's
   * events): sharing them would cost a Redis round trip per chat message and count nothing more.
   */
  get local(): RateLimiter {
    return (this.localLimiter ??= this.shared ? new RateLimiter({ now: this.now }) : this);
  }

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  async hit(key: string, rule: RateLimitRule): Promise<number> {
    const [retryAfter] = await this.hitAll([[key, rule]]);
    return retryAfter ?? 0;
  }

  /** Counts one hit on each key (one round trip); returns per key the seconds to wait when over its limit, else 0. */
  async hitAll(entries: readonly HitEntry[]): Promise<number[]> {
    const states = await this.use(
      (redis) => redis.hit(entries),
      () => entries.map(([key, rule]) => this.memory.hit(key, rule)),
    );
    return states.map((state, i) => (state.count > entries[i]![1].limit ? secondsLeft(state.msLeft) : 0));
  }

  /** Counts one hit and reports its window: the hits so far and the seconds until it ends (`RateLimit-*` headers). */
  async hitWindow(key: string, rule: RateLimitRule): Promise<{ count: number; resetSeconds: number }> {
    const [state] = await this.use(
      (redis) => redis.hit([[key, rule]]),
      () => [this.memory.hit(key, rule)],
    );
    return { count: state!.count, resetSeconds: secondsLeft(state!.msLeft) };
  }

  /** Throws `rate_limited` with `Retry-After` when over the limit. */
  async enforce(key: string, rule: RateLimitRule, message = 'Too many requests, please slow down'): Promise<void> {
    const retryAfter = await this.hit(key, rule);
    if (retryAfter > 0) throw rateLimited(message, retryAfter);
  }

  /** The hits `key` has in its current window and the seconds until that window ends, without counting. */
  async peek(key: string): Promise<WindowPeek> {
    const [peek] = await this.peekAll([key]);
    return peek!;
  }

  /** `peek` for several keys in one round trip. */
  async peekAll(keys: readonly string[]): Promise<WindowPeek[]> {
    const states = await this.use(
      (redis) => redis.peek(keys),
      () => keys.map((key) => this.memory.peek(key)),
    );
    return states.map(toPeek);
  }

  /** Gives back one hit on each key, counted by `hit` for something that turned out not to use the allowance. */
  async release(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.use(
      (redis) => redis.release(keys),
      () => keys.forEach((key) => this.memory.release(key)),
    );
  }

  async reset(key: string): Promise<void> {
    await this.use(
      (redis) => redis.reset(key),
      () => this.memory.reset(key),
    );
  }

  /** Runs `shared` on Redis when it is there and answers in time, else `inMemory` on this node. */
  private async use<T>(shared: (redis: RedisWindows) => Promise<T>, inMemory: () => T): Promise<T> {
    if (!this.shared || Date.now() < this.skipRedisUntil) return inMemory();
    if (!this.shared.ready) return this.fallBack('redis not connected', inMemory);
    let timer: NodeJS.Timeout | undefined;
    const attempt = shared(this.shared);
    // A late answer after the timeout is dropped; its rejection must not go unhandled.
    attempt.catch(() => {});
    try {
      const result = await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`redis answered no faster than ${this.redisTimeoutMs} ms`)),
            this.redisTimeoutMs,
          );
        }),
      ]);
      if (this.fallingBack) {
        this.fallingBack = false;
        this.logger?.info('rate limits shared through Redis again');
      }
      return result;
    } catch (error) {
      return this.fallBack(error instanceof Error ? error.message : String(error), inMemory);
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack<T>(reason: string, inMemory: () => T): T {
    this.skipRedisUntil = Date.now() + this.redisRetryMs;
    if (!this.fallingBack) {
      this.fallingBack = true;
      this.logger?.warn("rate limits counted in this node's memory until Redis answers again", { reason });
    }
    return inMemory();
  }
}

/** The `rate_limited` error, with the wait in its details and in `Retry-After`. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });

/**
 * The server's limiter: shared through Redis when `redisUrl` is set, else in this node's memory. The
 * client never queues commands while disconnected (a check falls back at once instead of waiting for
 * a reconnect) and keeps reconnecting in the background; start-up does not wait for Redis.
 */
export function connectRateLimiter({
  redisUrl,
  prefix,
  logger,
}: {
  redisUrl: string | undefined;
  prefix?: string;
  logger: Logger;
}): { limiter: RateLimiter; close(): Promise<void> } {
  if (!redisUrl) return { limiter: new RateLimiter({ logger }), close: async () => {} };
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
  });
  // Every failed reconnect emits an error; the limiter logs the fallback once instead.
  client.on('error', () => {});
  client.connect().catch(() => {});
  return {
    limiter: new RateLimiter({ redis: client, logger, ...(prefix ? { prefix } : {}) }),
    // At shutdown nothing waits on a check any more; `close()` could wait on a Redis that stopped answering.
    close: async () => void (client.isOpen && client.destroy()),
  };
}
