import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { webhookAttemptsTable, webhookDeliveriesTable, webhookEndpointsTable } from '../../db/schema.js';
import type { Logger } from '../../lib/logger.js';
import { publicOnlyFetch } from '../../lib/outbound.js';

export interface DeliveryOptions {
  /** How many due deliveries one pass claims. */
  batchSize?: number;
  /** An outbound request taking longer counts as a failed attempt. */
  timeoutMs?: number;
  /**
   * How long a claim keeps other workers away. Longer than the timeout, so a healthy receiver's answer is
   * recorded before anyone else may send again; a crashed worker's rows come back once it passed.
   */
  leaseMs?: number;
  /** First retry delay; it doubles per attempt (with ±20 % jitter so failed endpoints do not pulse). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
  /** Replaces the HTTP client (tests). By default: `fetch` when private networks are allowed, else `publicOnlyFetch`. */
  fetch?: typeof fetch;
  /** Deliver to loopback, private and link-local addresses too (`BECKON_WEBHOOKS_ALLOW_PRIVATE`). */
  allowPrivateNetworks?: boolean;
  /**
   * Shutdown: aborts the requests in flight and hands their rows back (lease released, the attempt not
   * counted), so another node sends them at once instead of after the lease.
   */
  signal?: AbortSignal;
}

const defaults = {
  batchSize: 20,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60 * 1000,
} satisfies DeliveryOptions;

/** Delay before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min, … capped at 6 h. */
export function retryDelayMs(
  attempts: number,
  baseDelayMs = defaults.baseDelayMs,
  maxDelayMs = defaults.maxDelayMs,
  random = Math.random,
) {
  const exponential = Math.min(baseDelayMs * 2 ** Math.max(0, attempts - 1), maxDelayMs);
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

interface Claimed {
  id: string;
  endpoint_id: string;
  payload: unknown;
  attempts: number;
  /** Epoch milliseconds: both drivers return float8 as a number, unlike timestamps. */
  retry_until_ms: number;
}

/**
 * Claims due deliveries in one statement: `for update skip locked` lets workers on several nodes take
 * disjoint rows, and the lease written in the same statement keeps the rows theirs after it commits.
 */
async function claimDue(
  db: Db,
  now: Date,
  options: Required<Pick<DeliveryOptions, 'batchSize' | 'leaseMs'>>,
  claimToken: string,
) {
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const result = await db.execute(sql`
    with due as (
      select id from ${webhookDeliveriesTable}
      where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
        and (lease_until is null or lease_until < ${now.toISOString()}::timestamptz)
      order by next_attempt_at
      limit ${options.batchSize}
      for update skip locked
    )
    update ${webhookDeliveriesTable} as d
    set lease_until = ${leaseUntil.toISOString()}::timestamptz, claim_token = ${claimToken}, attempts = d.attempts + 1
    from due where d.id = due.id
    returning d.id, d.endpoint_id, d.payload, d.attempts, (extract(epoch from d.retry_until) * 1000)::float8 as retry_until_ms`);
  return rowsOf<Claimed>(result);
}

/** The Standard Webhooks headers for one request: HMAC-SHA256 of `id.timestamp.body` with the endpoint's secret. */
export function signatureHeaders(secret: string, id: string, at: Date, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': Math.floor(at.getTime() / 1000).toString(),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

/** Says why an attempt failed in words an admin can act on. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `No answer within ${timeoutMs / 1000} s`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${cause.code}: ${cause.message ?? error.message}`.slice(0, 300);
    return error.message.slice(0, 300);
  }
  return String(error).slice(0, 300);
}

/**
 * One pass of the outbox: claims due deliveries, sends each signed (Standard Webhooks), and records the
 * attempt. 2xx is delivered; anything else is retried with exponential backoff until `retry_until`, then
 * failed. Returns how many deliveries it attempted.
 */
export async function deliverDue(deps: { db: Db; logger: Logger }, options: DeliveryOptions = {}): Promise<number> {
  const settings = { ...defaults, ...options };
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? (options.allowPrivateNetworks ? fetch : publicOnlyFetch);
  const claimToken = randomUUID();
  if (options.signal?.aborted) return 0;
  const claimed = await claimDue(deps.db, now(), settings, claimToken);
  if (claimed.length === 0) return 0;

  const endpointIds = [...new Set(claimed.map((row) => row.endpoint_id))];
  const endpoints = new Map(
    (await deps.db.select().from(webhookEndpointsTable).where(inArray(webhookEndpointsTable.id, endpointIds))).map(
      (endpoint) => [endpoint.id, endpoint],
    ),
  );

  await Promise.all(
    claimed.map(async (row) => {
      const endpoint = endpoints.get(row.endpoint_id);
      const payload = typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload);
      const started = performance.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      if (!endpoint?.enabled) {
        error = 'The endpoint is disabled';
      } else {
        try {
          const response = await send(endpoint.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Beckon-Webhooks/1',
              ...signatureHeaders(endpoint.secret, row.id, now(), payload),
            },
            body: payload,
            // A redirect could point anywhere; receivers must answer at the URL they gave.
            redirect: 'manual',
            signal: options.signal
              ? AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), options.signal])
              : AbortSignal.timeout(settings.timeoutMs),
          });
          statusCode = response.status;
          // The body is not needed; cancelling frees the connection at once.
          await response.body?.cancel().catch(() => {});
          if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
        } catch (caught) {
          if (options.signal?.aborted) return releaseClaim(deps.db, row, claimToken);
          error = describeFailure(caught, settings.timeoutMs);
        }
      }
      const durationMs = Math.round(performance.now() - started);
      const finishedAt = now();
      const retryAt = new Date(
        finishedAt.getTime() + retryDelayMs(row.attempts, settings.baseDelayMs, settings.maxDelayMs),
      );
      const givesUp =
        error !== null && (retryAt.getTime() > Number(row.retry_until_ms) || !endpoint || !endpoint.enabled);
      await deps.db.transaction(async (tx) => {
        // Locked, so deleting the endpoint waits for this result; if it went while we were sending, there is nothing to record.
        const [still] = await tx
          .select({ id: webhookDeliveriesTable.id })
          .from(webhookDeliveriesTable)
          .where(eq(webhookDeliveriesTable.id, row.id))
          .for('update');
        if (!still) return;
        await tx
          .insert(webhookAttemptsTable)
          .values({ deliveryId: row.id, statusCode, error, durationMs, createdAt: finishedAt });
        await tx
          .update(webhookDeliveriesTable)
          .set(
            error === null
              ? {
                  status: 'delivered',
                  deliveredAt: finishedAt,
                  leaseUntil: null,
                  claimToken: null,
                  lastStatusCode: statusCode,
                  lastError: null,
                }
              : {
                  status: givesUp ? 'failed' : 'pending',
                  nextAttemptAt: retryAt,
                  leaseUntil: null,
                  claimToken: null,
                  lastStatusCode: statusCode,
                  lastError: error,
                },
          )
          // Only the claim that holds the row records into it: a worker whose lease ran out must not undo a newer result.
          .where(and(eq(webhookDeliveriesTable.id, row.id), eq(webhookDeliveriesTable.claimToken, claimToken)));
      });
      if (error)
        deps.logger.warn('webhook delivery failed', {
          deliveryId: row.id,
          endpointId: row.endpoint_id,
          attempt: row.attempts,
          statusCode,
          error,
          gaveUp: givesUp,
        });
    }),
  );
  return claimed.length;
}

/**
 * Hands a claimed row back untouched by this attempt: no lease (any node may send it now), and the attempt
 * is not counted, since the receiver's answer was never seen. Only while this claim still holds the row.
 */
async function releaseClaim(db: Db, row: Claimed, claimToken: string) {
  await db
    .update(webhookDeliveriesTable)
    .set({ leaseUntil: null, claimToken: null, attempts: sql`${webhookDeliveriesTable.attempts} - 1` })
    .where(and(eq(webhookDeliveriesTable.id, row.id), eq(webhookDeliveriesTable.claimToken, claimToken)));
}

/** Finished deliveries (and their attempt log) are kept this long for the dashboard, then removed. */
export const deliveryRetentionMs = 30 * 24 * 60 * 60 * 1000;

/**
 * Deletes delivered and failed deliveries created before `before`; pending ones are never touched. Safe
 * on every node at once: deleting the same old rows twice deletes nothing the second time.
 */
export async function pruneDeliveries(db: Db, before: Date): Promise<number> {
  const removed = await db
    .delete(webhookDeliveriesTable)
    .where(and(ne(webhookDeliveriesTable.status, 'pending'), lt(webhookDeliveriesTable.createdAt, before)))
    .returning({ id: webhookDeliveriesTable.id });
  return removed.length;
}

export interface DeliveryWorker {
  /** Stops ticking, aborts the requests in flight, hands their rows back and waits for that. */
  stop(): Promise<void>;
}

/**
 * Polls the outbox every `intervalMs` on every node; the claim makes that safe. A full batch is followed
 * at once by another pass so a backlog drains without waiting for ticks.
 */
export function startDeliveryWorker(
  deps: { db: Db; logger: Logger },
  options: DeliveryOptions & { intervalMs?: number } = {},
): DeliveryWorker {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? defaults.batchSize;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let prunedAt = 0;
  const shutdown = new AbortController();
  const passOptions = {
    ...options,
    signal: options.signal ? AbortSignal.any([options.signal, shutdown.signal]) : shutdown.signal,
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref?.();
  };
  const tick = () => {
    if (running) return;
    running = (async () => {
      let more = true;
      try {
        for (let passes = 0; more && passes < 50 && !stopped; passes++)
          more = (await deliverDue(deps, passOptions)) === batchSize;
        if (Date.now() - prunedAt > 60 * 60 * 1000) {
          prunedAt = Date.now();
          await pruneDeliveries(deps.db, new Date(Date.now() - deliveryRetentionMs));
        }
      } catch (error) {
        deps.logger.error('webhook worker pass failed', { error });
      } finally {
        running = undefined;
        schedule(intervalMs);
      }
    })();
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      shutdown.abort();
      await running;
    },
  };
}
