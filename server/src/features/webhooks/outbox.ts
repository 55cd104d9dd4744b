import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type {
  WebhookDeliveryEventType,
  WebhookEventData,
  WebhookEventType,
  WebhookPayload,
} from '@beckon/sdk/protocol';
import { webhookEvents } from '@beckon/sdk/protocol';
import { checkWebhookPayload } from '../../lib/openapi.js';
import type { DbOrTx } from '../../db/client.js';
import { webhookDeliveriesTable, webhookEndpointsTable } from '../../db/schema.js';

/** How long the outbox keeps retrying one event before it is marked failed. */
export const retryWindowMs = 24 * 60 * 60 * 1000;

/** Standard Webhooks message ids: unique per event and endpoint, stable across retries. */
export const newMessageId = () => `msg_${randomBytes(16).toString('base64url')}`;

/** The shape `newMessageId` makes (anything else names no delivery). */
export const isMessageId = (value: string) => /^msg_[\w-]{1,64}$/.test(value);

const payloadOf = (type: WebhookDeliveryEventType, data: object, at: Date): WebhookPayload => ({
  type,
  timestamp: at.toISOString(),
  data: data as Record<string, unknown>,
});

/**
 * Stores one event per subscribed, enabled endpoint of the site in the durable outbox, in the caller's
 * transaction: the event exists exactly when the change that caused it committed.
 */
export async function enqueueWebhookEvent<T extends WebhookEventType>(
  db: DbOrTx,
  siteId: string,
  type: T,
  /** Typed by the event's schema in the protocol (`webhookEvents`), which the OpenAPI document publishes. */
  data: WebhookEventData<T>,
): Promise<void> {
  const endpoints = await db
    .select({ id: webhookEndpointsTable.id })
    .from(webhookEndpointsTable)
    .where(
      and(
        eq(webhookEndpointsTable.siteId, siteId),
        eq(webhookEndpointsTable.enabled, true),
        sql`${webhookEndpointsTable.events} @> ${JSON.stringify([type])}::jsonb`,
      ),
    );
  if (endpoints.length === 0) return;
  const now = new Date();
  const payload = payloadOf(type, data, now);
  checkWebhookPayload(type, payload, webhookEvents[type].payload);
  await db.insert(webhookDeliveriesTable).values(
    endpoints.map((endpoint) => ({
      id: newMessageId(),
      endpointId: endpoint.id,
      siteId,
      eventType: type,
      payload,
      nextAttemptAt: now,
      retryUntil: new Date(now.getTime() + retryWindowMs),
    })),
  );
}

/** "Send test event": one delivery to one endpoint, whatever it subscribed to. */
export async function enqueueTestEvent(db: DbOrTx, endpoint: { id: string; siteId: string }): Promise<string> {
  const now = new Date();
  const id = newMessageId();
  await db.insert(webhookDeliveriesTable).values({
    id,
    endpointId: endpoint.id,
    siteId: endpoint.siteId,
    eventType: 'webhook.test',
    payload: payloadOf(
      'webhook.test',
      { message: 'A test event from Beckon: your endpoint receives and verifies webhooks.' },
      now,
    ),
    nextAttemptAt: now,
    retryUntil: new Date(now.getTime() + retryWindowMs),
  });
  return id;
}
