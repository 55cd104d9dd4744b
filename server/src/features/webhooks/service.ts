import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { WebhookDelivery, WebhookEndpoint } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import {
  webhookAttemptsTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { retryWindowMs } from './outbox.js';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64, as receivers' libraries expect. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** One endpoint as lists show it (`toEndpoints` answers one per row; typed so no answer says `undefined`). */
export async function toEndpoint(db: Db, row: WebhookEndpointRow): Promise<WebhookEndpoint> {
  const [endpoint] = await toEndpoints(db, [row]);
  if (!endpoint) throw new Error('toEndpoints answered no endpoint for a row');
  return endpoint;
}

export async function toEndpoints(db: Db, rows: WebhookEndpointRow[]): Promise<WebhookEndpoint[]> {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const counts = rows.length
    ? await db
        .select({
          endpointId: webhookDeliveriesTable.endpointId,
          status: webhookDeliveriesTable.status,
          n: sql<number>`count(*)::int`,
        })
        .from(webhookDeliveriesTable)
        .where(
          and(
            inArray(
              webhookDeliveriesTable.endpointId,
              rows.map((row) => row.id),
            ),
            gte(webhookDeliveriesTable.createdAt, since),
          ),
        )
        .groupBy(webhookDeliveriesTable.endpointId, webhookDeliveriesTable.status)
    : [];
  return rows.map((row) => {
    const recent = { delivered: 0, pending: 0, failed: 0 };
    for (const count of counts) if (count.endpointId === row.id) recent[count.status] = Number(count.n);
    return {
      id: row.id,
      siteId: row.siteId,
      url: row.url,
      description: row.description,
      events: row.events,
      enabled: row.enabled,
      secretHint: `${row.secret.slice(0, 10)}…`,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      recent,
    };
  });
}

/** An endpoint of a site the caller already may see; another site's endpoint is "not found". */
export async function getEndpoint(db: Db, siteId: string, endpointId: string): Promise<WebhookEndpointRow> {
  if (!isUuid(endpointId)) throw notFound('Webhook endpoint');
  const [row] = await db
    .select()
    .from(webhookEndpointsTable)
    .where(and(eq(webhookEndpointsTable.id, endpointId), eq(webhookEndpointsTable.siteId, siteId)));
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function listDeliveries(
  db: Db,
  endpointId: string,
  options: { status?: WebhookDeliveryRow['status']; limit: number },
): Promise<WebhookDelivery[]> {
  const rows = await db
    .select()
    .from(webhookDeliveriesTable)
    .where(
      and(
        eq(webhookDeliveriesTable.endpointId, endpointId),
        options.status ? eq(webhookDeliveriesTable.status, options.status) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveriesTable.createdAt), desc(webhookDeliveriesTable.id))
    .limit(options.limit);
  const attempts = rows.length
    ? await db
        .select()
        .from(webhookAttemptsTable)
        .where(
          inArray(
            webhookAttemptsTable.deliveryId,
            rows.map((row) => row.id),
          ),
        )
        .orderBy(webhookAttemptsTable.id)
    : [];
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpointId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    payload: row.payload,
    log: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .map((attempt) => ({
        at: attempt.createdAt.toISOString(),
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      })),
  }));
}

/**
 * Sends a delivery again now: a delivered or failed one ("redeliver"), or a pending one waiting for its
 * next retry ("retry now", after fixing the receiver). It goes back to pending with a fresh 24 h retry
 * window and keeps its `webhook-id`, so a receiver that deduplicates sees it is the same event. A delivery
 * a worker is sending at this moment is left alone: resetting its lease could send it twice.
 */
export async function redeliver(db: Db, endpointId: string, deliveryId: string, now = new Date()): Promise<void> {
  const [row] = await db
    .update(webhookDeliveriesTable)
    .set({
      status: 'pending',
      nextAttemptAt: now,
      retryUntil: new Date(now.getTime() + retryWindowMs),
      leaseUntil: null,
      claimToken: null,
    })
    .where(
      and(
        eq(webhookDeliveriesTable.id, deliveryId),
        eq(webhookDeliveriesTable.endpointId, endpointId),
        or(isNull(webhookDeliveriesTable.leaseUntil), lt(webhookDeliveriesTable.leaseUntil, now)),
      ),
    )
    .returning({ id: webhookDeliveriesTable.id });
  if (row) return;
  const [exists] = await db
    .select({ id: webhookDeliveriesTable.id })
    .from(webhookDeliveriesTable)
    .where(and(eq(webhookDeliveriesTable.id, deliveryId), eq(webhookDeliveriesTable.endpointId, endpointId)));
  if (!exists) throw notFound('Delivery');
  throw new AppError('conflict', 'This delivery is being sent right now; try again in a moment');
}
