import { z } from 'zod';
import { text } from './text.js';
import { agentRefSchema, isoTimeSchema as iso, personRefSchema } from './refs.js';
import { routingChoiceSchema } from './routing.js';
import { temperatureSchema } from './scoring.js';
import { clientIdSchema } from './collect.js';
import { siteKeySchema } from './site-key.js';

/** E.164: "+", country code, subscriber number; 8–15 digits. The server checks the number further with libphonenumber-js. */
export const e164Schema = text().regex(/^\+[1-9]\d{6,14}$/, 'a phone number in international format, like +4930123456');

/** A blocked prefix is the start of an E.164 number, e.g. "+1900" (premium rate) or "+44". */
export const phonePrefixSchema = text()
  .trim()
  .regex(/^\+[0-9]{1,14}$/, 'a number prefix like +1900');

/** Per-site callback behaviour, edited by admins in the dashboard. */
export const callbackSettingsSchema = z.object({
  enabled: z.boolean(),
  /** The promise a visitor sees for "call me now": "we'll call you in 30 s". */
  countdownSeconds: z.number().int().min(10).max(600),
  /** Minutes an agent has for a "now" request before it is flagged overdue and escalated. */
  slaMinutes: z.number().int().min(1).max(240),
  /** Length of a bookable slot; slots start on multiples of it inside business hours. */
  slotMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]),
  /** How many days ahead a visitor may book. */
  daysAhead: z.number().int().min(1).max(14),
  limits: z.object({
    /** Requests per phone number per site per UTC day (anti call-bombing). */
    perPhonePerDay: z.number().int().min(1).max(20),
    perIpPerHour: z.number().int().min(1).max(1000),
    perSitePerHour: z.number().int().min(1).max(100_000),
  }),
  /** A human needs a few seconds to type a number; faster submissions are treated as automated. */
  minFormSeconds: z.number().int().min(0).max(60),
  blockedPrefixes: z.array(phonePrefixSchema).max(200),
});
export type CallbackSettings = z.infer<typeof callbackSettingsSchema>;

export const defaultCallbackSettings: CallbackSettings = {
  enabled: true,
  countdownSeconds: 30,
  slaMinutes: 5,
  slotMinutes: 30,
  daysAhead: 5,
  limits: { perPhonePerDay: 3, perIpPerHour: 10, perSitePerHour: 300 },
  minFormSeconds: 3,
  blockedPrefixes: [],
};

/** A bookable time, as an instant; the widget formats it in the visitor's own timezone. */
export const callbackSlotSchema = z.object({ at: iso });
export type CallbackSlot = z.infer<typeof callbackSlotSchema>;

/** `GET /v1/sites/:siteKey/callback-options`: what the form may offer right now. */
export const callbackOptionsSchema = z.object({
  enabled: z.boolean(),
  /** "Call me now" is offered only while an agent is online inside business hours. */
  now: z.object({ available: z.boolean(), countdownSeconds: z.number().int() }),
  slots: z.array(callbackSlotSchema),
  /** The site's timezone (business hours), for "(Berlin time)" hints. */
  timezone: text().nullable(),
});
export type CallbackOptions = z.infer<typeof callbackOptionsSchema>;

/** `POST /v1/callbacks` — sent by the widget and the npm SDK. */
export const callbackRequestSchema = z.object({
  site: siteKeySchema,
  phone: e164Schema,
  name: text().trim().max(100).optional(),
  /** A slot's instant; absent for "call me now". */
  at: z.iso.datetime({ offset: true }).optional(),
  visitorId: clientIdSchema.optional(),
  url: text().max(2000).optional(),
  /** Honeypot: a field people never see. Anything in it marks the request as automated. */
  website: text().max(500).optional(),
  /** Milliseconds the form was open before it was sent. */
  formMs: z.number().int().min(0).max(86_400_000).optional(),
  /** The visitor's IANA time zone (`Europe/London`): agents see a booked time in theirs and the visitor's. */
  timeZone: text()
    .max(64)
    .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/)
    .optional(),
});
export type CallbackRequest = z.input<typeof callbackRequestSchema>;

export const callbackStatuses = ['pending', 'calling', 'done'] as const;
export type CallbackStatus = (typeof callbackStatuses)[number];

export const callbackOutcomes = ['reached', 'no_answer', 'wrong_number', 'converted', 'not_interested'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];

/** What the visitor's browser may know about its own request (no agent details beyond a first name). */
export const visitorCallbackSchema = z.object({
  id: text(),
  status: z.enum(callbackStatuses),
  mode: z.enum(['now', 'scheduled']),
  /** The slot for scheduled requests; for "now" the moment of the request. */
  requestedAt: iso,
  /** When the promised countdown ends ("now" requests). */
  countdownEndsAt: iso.nullable(),
  agentName: text().nullable(),
});
export type VisitorCallback = z.infer<typeof visitorCallbackSchema>;
export const visitorCallbackAnswerSchema = z.object({ callback: visitorCallbackSchema });

/** `POST /v1/callbacks` answer: `token` reads the status at `GET /v1/callbacks/:id?token=`. */
export const callbackCreatedSchema = z.object({ callback: visitorCallbackSchema, token: text() });
export type CallbackCreated = z.infer<typeof callbackCreatedSchema>;

/** A callback as the dashboard's queue shows it. */
export const callbackSchema = z
  .object({
    id: text(),
    siteId: text(),
    phone: text(),
    name: text().nullable(),
    mode: z.enum(['now', 'scheduled']),
    status: z.enum(callbackStatuses),
    requestedAt: iso,
    /** The SLA deadline: the end of the SLA for "now", the slot time for scheduled, the retry time after "no answer". */
    dueAt: iso,
    overdueAt: iso.nullable(),
    assignee: agentRefSchema.nullable(),
    takenAt: iso.nullable(),
    outcome: z.enum(callbackOutcomes).nullable(),
    note: text().nullable(),
    attempts: z.number().int(),
    leadId: text().nullable(),
    /** The person (its page) and the one display name. Always sent by the server. */
    person: personRefSchema.nullable().optional(),
    pageUrl: text().nullable(),
    createdAt: iso,
    /** The visitor's temperature (lead scoring); the queue puts hot first. */
    temperature: temperatureSchema.nullable(),
    /** Which routing decision chose the current assignee (null: taken by hand, or unassigned). */
    routing: routingChoiceSchema.nullable(),
  })
  .meta({ id: 'Callback' });
export type Callback = z.infer<typeof callbackSchema>;
export const callbackAnswerSchema = z.object({ callback: callbackSchema });
export const callbackListSchema = z.object({ callbacks: z.array(callbackSchema) });

export const callbackOutcomeSchema = z
  .object({
    outcome: z.enum(callbackOutcomes),
    note: text().trim().max(2000).optional(),
    /** With "no_answer": when to try again (back in the queue with this deadline). */
    retryAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((body) => body.outcome === 'no_answer' || body.retryAt === undefined, {
    message: 'retryAt goes with no_answer only',
    path: ['retryAt'],
  });
export type CallbackOutcomeInput = z.input<typeof callbackOutcomeSchema>;

export const callbackListQuerySchema = z.object({
  status: z.enum(['open', 'done']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
