import { z } from 'zod';
import { text } from './text.js';

/** Events a site's webhook endpoint can subscribe to. Payloads: `{ type, timestamp, data }`. */
export const webhookEventTypes = [
  'lead.created',
  'lead.updated',
  'lead.temperature_changed',
  'callback.requested',
  'callback.updated',
  'callback.overdue',
  'feedback.submitted',
  'conversation.closed',
  /** A visitor with marketing consent (and no GPC) entered a retargeting audience: the server-side conversion. */
  'audience.entered',
] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** Sent only by "send test event", to one endpoint, whatever it subscribed to. */
export const webhookTestEventType = 'webhook.test' as const;
export type WebhookDeliveryEventType = WebhookEventType | typeof webhookTestEventType;

/** What a receiver gets as the JSON body (the Standard Webhooks envelope). */
export interface WebhookPayload<Data = Record<string, unknown>> {
  type: WebhookDeliveryEventType;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  data: Data;
}

const webhookUrlSchema = text()
  .trim()
  .max(2000)
  .url('a URL like https://crm.example.com/hooks/beckon')
  .refine((value) => /^https?:\/\//i.test(value), 'must start with http:// or https://');

const endpointFields = {
  url: webhookUrlSchema,
  description: text().trim().max(200),
  events: z.array(webhookEventTypeSchema).min(1, 'choose at least one event').max(webhookEventTypes.length),
  enabled: z.boolean(),
};

export const createWebhookEndpointSchema = z.object({
  ...endpointFields,
  description: endpointFields.description.default(''),
  enabled: endpointFields.enabled.default(true),
});
export type CreateWebhookEndpoint = z.input<typeof createWebhookEndpointSchema>;

/** Only the fields sent change (no defaults here: a PATCH of the URL must not re-enable an endpoint). */
export const updateWebhookEndpointSchema = z
  .object(endpointFields)
  .partial()
  .extend({
    /** Replaces the signing secret; the new one is shown once in the answer. */
    rotateSecret: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'nothing to change');
export type UpdateWebhookEndpoint = z.input<typeof updateWebhookEndpointSchema>;

/** An endpoint as the dashboard sees it; the secret is never listed, only returned once when made. */
export interface WebhookEndpoint {
  id: string;
  siteId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** The secret's first characters, so an admin can tell which one a receiver holds. */
  secretHint: string;
  createdAt: string;
  updatedAt: string;
  /** Deliveries of the last 24 hours, for a health glance. */
  recent: { delivered: number; pending: number; failed: number };
}

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export interface WebhookAttempt {
  at: string;
  /** HTTP status of the receiver's answer; null when there was none (timeout, refused, DNS). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  /** Also the `webhook-id` header: the same event keeps it on every retry and redelivery. */
  id: string;
  endpointId: string;
  eventType: WebhookDeliveryEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: WebhookPayload;
  log: WebhookAttempt[];
}

export const webhookDeliveriesQuerySchema = z.object({
  status: z.enum(webhookDeliveryStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The Standard Webhooks envelope around one event's data. */
const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: z.iso.datetime({ offset: true }), data });

/** Each event a receiver can get: what it means and its body (the OpenAPI document's `webhooks`). */
export const webhookEvents = {
  'webhook.test': {
    summary: 'Test event',
    description: '“Send test event” on the dashboard: one delivery to one endpoint, whatever it subscribed to.',
    payload: envelope('webhook.test', z.object({ message: text() })).meta({ id: 'WebhookTestEvent' }),
  },
} satisfies Partial<Record<WebhookDeliveryEventType, { summary: string; description?: string; payload: z.ZodType }>>;
