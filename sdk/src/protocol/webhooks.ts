import { z } from 'zod';
import { text } from './text.js';
import { callbackOutcomes, callbackStatuses } from './callbacks.js';
import { conversationSummarySchema } from './chat.js';
import { feedbackSchema } from './feedback.js';
import { leadChannelSchema, leadSummarySchema } from './leads.js';
import { agentRefSchema, isoTimeSchema as iso } from './refs.js';
import { scoreExplanationSchema, temperatureSchema } from './scoring.js';

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
const webhookPayloadSchema = z.object({
  type: z.enum([...webhookEventTypes, 'webhook.test']),
  timestamp: iso,
  data: z.record(text(), z.unknown()),
});

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
export const webhookEndpointSchema = z
  .object({
    id: text(),
    siteId: text(),
    url: text(),
    description: text(),
    events: z.array(webhookEventTypeSchema),
    enabled: z.boolean(),
    /** The secret's first characters, so an admin can tell which one a receiver holds. */
    secretHint: text(),
    createdAt: iso,
    updatedAt: iso,
    /** Deliveries of the last 24 hours, for a health glance. */
    recent: z.object({ delivered: z.number().int(), pending: z.number().int(), failed: z.number().int() }),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export const webhookEndpointListSchema = z.object({ endpoints: z.array(webhookEndpointSchema) });
/** A created endpoint, or one whose secret was rotated: the only time `secret` is sent. */
export const webhookEndpointAnswerSchema = z.object({ endpoint: webhookEndpointSchema, secret: text().optional() });
export const webhookEndpointCreatedSchema = z.object({ endpoint: webhookEndpointSchema, secret: text() });
export const webhookTestAnswerSchema = z.object({ deliveryId: text() });

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export const webhookAttemptSchema = z.object({
  at: iso,
  /** HTTP status of the receiver's answer; null when there was none (timeout, refused, DNS). */
  statusCode: z.number().int().nullable(),
  error: text().nullable(),
  durationMs: z.number(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z.object({
  /** Also the `webhook-id` header: the same event keeps it on every retry and redelivery. */
  id: text(),
  endpointId: text(),
  eventType: z.enum([...webhookEventTypes, 'webhook.test']),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  nextAttemptAt: iso.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: text().nullable(),
  createdAt: iso,
  deliveredAt: iso.nullable(),
  payload: webhookPayloadSchema,
  log: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = Omit<z.infer<typeof webhookDeliverySchema>, 'payload'> & { payload: WebhookPayload };
export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });

export const webhookDeliveriesQuerySchema = z.object({
  status: z.enum(webhookDeliveryStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The Standard Webhooks envelope around one event's data. */
const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: iso, data });

const siteRefSchema = z.object({ id: text(), key: text(), name: text() });
const leadTouchSchema = z.object({
  channel: leadChannelSchema,
  kind: text(),
  summary: text(),
  ref: z.object({ type: z.enum(['callback', 'feedback', 'conversation']), id: text() }).nullable(),
  data: z.record(text(), z.unknown()),
  at: iso,
});
const leadChangeSchema = z.object({
  field: text(),
  from: text().nullable().optional(),
  to: text().nullable(),
});

/** `lead.created` / `lead.updated`: the lead now, and what happened (a touch, or changed fields and by whom). */
export const leadEventDataSchema = z.object({
  lead: leadSummarySchema,
  /** What the person did (a chat, a callback request, feedback); null for a lead made through the API. */
  touch: leadTouchSchema.nullable().optional(),
  /** Fields an agent, an API key or Beckon changed. */
  changes: z.array(leadChangeSchema).optional(),
  /** Null: Beckon itself. */
  by: agentRefSchema.nullable().optional(),
});
export type LeadEventData = z.input<typeof leadEventDataSchema>;

export const leadTemperatureEventDataSchema = z.object({
  lead: leadSummarySchema,
  previous: temperatureSchema,
  temperature: temperatureSchema,
  score: z.number(),
  explanation: scoreExplanationSchema,
  at: iso,
});

export const callbackEventDataSchema = z.object({
  callback: z.object({
    id: text(),
    phone: text(),
    name: text().nullable(),
    mode: z.enum(['now', 'scheduled']),
    status: z.enum(callbackStatuses),
    requestedAt: iso,
    dueAt: iso,
    outcome: z.enum(callbackOutcomes).nullable(),
    note: text().nullable(),
    assigneeId: text().nullable(),
    pageUrl: text().nullable(),
    createdAt: iso,
  }),
  site: siteRefSchema,
  leadId: text().nullable(),
  dashboardUrl: text(),
  /** `callback.updated`: what changed and who did it. */
  change: z.enum(['taken', 'outcome']).optional(),
  agent: agentRefSchema.optional(),
  /** `callback.overdue`: the deadline it missed. */
  overdueSince: iso.optional(),
});

export const feedbackEventDataSchema = z.object({
  feedback: feedbackSchema,
  site: siteRefSchema,
  leadId: text().nullable(),
  dashboardUrl: text(),
});

export const conversationClosedEventDataSchema = z.object({
  conversation: conversationSummarySchema,
  /** The agent who closed it; null when Beckon closed it. */
  closedBy: text().nullable(),
  reason: text().nullable(),
});

export const audienceEnteredEventDataSchema = z.object({
  visitorId: text(),
  audience: z.object({ id: text(), name: text(), segment: text(), eventName: text() }),
  enteredAt: iso,
});

/** Each event a receiver can get: what it means and its body (the OpenAPI document's `webhooks`). */
export const webhookEvents = {
  'lead.created': {
    summary: 'A lead was created',
    description: 'A new person got in touch (chat, callback, feedback), or an integration created a lead.',
    payload: envelope('lead.created', leadEventDataSchema).meta({ id: 'LeadCreatedEvent' }),
  },
  'lead.updated': {
    summary: 'A lead changed',
    description:
      'Its status, assignee or outcome note changed, its contact details were updated, or the person got in touch again.',
    payload: envelope('lead.updated', leadEventDataSchema).meta({ id: 'LeadUpdatedEvent' }),
  },
  'lead.temperature_changed': {
    summary: 'A lead became hot, warm or cold',
    payload: envelope('lead.temperature_changed', leadTemperatureEventDataSchema).meta({
      id: 'LeadTemperatureChangedEvent',
    }),
  },
  'callback.requested': {
    summary: 'A visitor asked to be called back',
    payload: envelope('callback.requested', callbackEventDataSchema).meta({ id: 'CallbackRequestedEvent' }),
  },
  'callback.updated': {
    summary: 'A callback was taken or its outcome recorded',
    payload: envelope('callback.updated', callbackEventDataSchema).meta({ id: 'CallbackUpdatedEvent' }),
  },
  'callback.overdue': {
    summary: 'A callback missed its deadline',
    payload: envelope('callback.overdue', callbackEventDataSchema).meta({ id: 'CallbackOverdueEvent' }),
  },
  'feedback.submitted': {
    summary: 'A visitor sent feedback (NPS, CSAT or a message)',
    payload: envelope('feedback.submitted', feedbackEventDataSchema).meta({ id: 'FeedbackSubmittedEvent' }),
  },
  'conversation.closed': {
    summary: 'A conversation was closed',
    payload: envelope('conversation.closed', conversationClosedEventDataSchema).meta({
      id: 'ConversationClosedEvent',
    }),
  },
  'audience.entered': {
    summary: 'A visitor entered a retargeting audience',
    description: 'Only for visitors with marketing consent and no Global Privacy Control: the server-side conversion.',
    payload: envelope('audience.entered', audienceEnteredEventDataSchema).meta({ id: 'AudienceEnteredEvent' }),
  },
  'webhook.test': {
    summary: 'Test event',
    description: '“Send test event” on the dashboard: one delivery to one endpoint, whatever it subscribed to.',
    payload: envelope('webhook.test', z.object({ message: text() })).meta({ id: 'WebhookTestEvent' }),
  },
} satisfies Record<WebhookDeliveryEventType, { summary: string; description?: string; payload: z.ZodType }>;

/** The `data` each event carries (what `enqueueWebhookEvent` must be given). */
export type WebhookEventData<T extends WebhookDeliveryEventType> = z.input<
  (typeof webhookEvents)[T]['payload']
>['data'];
