import { z } from 'zod';
import { siteKeySchema } from './site-key.js';

/** Client-generated ids make retries idempotent: the server stores an id once per site. */
export const clientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'url-safe id');

const url = z.string().max(2048);
const jsonProps = z
  .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((props) => Object.keys(props).length <= 30, 'at most 30 properties');

const eventBase = {
  id: clientIdSchema,
  /** Milliseconds since the epoch on the visitor's clock. */
  ts: z.number().int().positive(),
  url,
};

export const pageviewEventSchema = z.object({
  ...eventBase,
  type: z.literal('pageview'),
  title: z.string().max(300).optional(),
  referrer: url.optional(),
});

export const trackEventSchema = z.object({
  ...eventBase,
  type: z.literal('track'),
  name: z.string().trim().min(1).max(100),
  props: jsonProps.optional(),
});

export const identifyEventSchema = z.object({
  ...eventBase,
  type: z.literal('identify'),
  traits: z.object({
    userId: z.string().max(200).optional(),
    email: z.string().email().max(254).optional(),
    name: z.string().max(200).optional(),
    phone: z.string().max(40).optional(),
  }),
});

export const behaviourEventSchema = z.discriminatedUnion('type', [
  pageviewEventSchema,
  trackEventSchema,
  identifyEventSchema,
]);
export type BehaviourEvent = z.infer<typeof behaviourEventSchema>;
export type PageviewEvent = z.infer<typeof pageviewEventSchema>;
export type TrackEvent = z.infer<typeof trackEventSchema>;
export type IdentifyEvent = z.infer<typeof identifyEventSchema>;
export type Traits = IdentifyEvent['traits'];

export const maxEventsPerBatch = 50;

/** `POST /v1/collect` */
export const collectBatchSchema = z.object({
  site: siteKeySchema,
  visitorId: clientIdSchema,
  sessionId: clientIdSchema,
  events: z.array(behaviourEventSchema).min(1).max(maxEventsPerBatch),
});
export type CollectBatch = z.infer<typeof collectBatchSchema>;

export const collectResponseSchema = z.object({
  /** Events stored by this request. */
  stored: z.number().int(),
  /** Events the server already had (a retried batch). */
  duplicates: z.number().int(),
});
export type CollectResponse = z.infer<typeof collectResponseSchema>;
