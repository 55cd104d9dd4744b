// Tables of the webhooks feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type {
  WebhookDeliveryEventType,
  WebhookDeliveryStatus,
  WebhookEventType,
  WebhookPayload,
} from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';

// ---- Webhooks -----------------------------------------------------------------------------------

export const webhookEndpointsTable = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: jsonb('events').$type<WebhookEventType[]>().notNull(),
    /** `whsec_<base64>`; kept readable because every delivery is signed with it. */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoints_site_idx').on(table.siteId)],
);

/**
 * The durable outbox: one row per event per endpoint, written in the transaction that made the event.
 * A worker claims due rows with a lease (`for update skip locked`), so several nodes never send the same
 * row at once, and a crashed worker's rows come back when its lease runs out.
 */
export const webhookDeliveriesTable = pgTable(
  'webhook_deliveries',
  {
    /** `msg_...`: the `webhook-id` header, the same on every retry. */
    id: text('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpointsTable.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    eventType: text('event_type').$type<WebhookDeliveryEventType>().notNull(),
    payload: jsonb('payload').$type<WebhookPayload>().notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Retries stop (status failed) after this; a redelivery moves it 24 h on. */
    retryUntil: timestamp('retry_until', { withTimezone: true }).notNull(),
    /** Set while a worker is sending; another worker may take the row only after it passed. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Which claim holds the lease: a worker whose lease ran out cannot overwrite a newer claim's result. */
    claimToken: text('claim_token'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(table.endpointId, table.createdAt),
  ],
);

/** One row per HTTP attempt: the delivery log. */
export const webhookAttemptsTable = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveriesTable.id, { onDelete: 'cascade' }),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('webhook_attempts_delivery_idx').on(table.deliveryId)],
);

export type WebhookEndpointRow = typeof webhookEndpointsTable.$inferSelect;

export type WebhookDeliveryRow = typeof webhookDeliveriesTable.$inferSelect;
