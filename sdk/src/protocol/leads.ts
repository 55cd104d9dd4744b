import { z } from 'zod';
import { text } from './text.js';
import { lostReasons } from './constants.js';

export { lostReasons } from './constants.js';
import { visitorScoreSchema } from './scoring.js';
import { agentRefSchema, isoTimeSchema as iso, personRefSchema } from './refs.js';

export const leadStatuses = ['new', 'open', 'contacted', 'won', 'lost', 'closed', 'spam'] as const;
export const leadStatusSchema = z.enum(leadStatuses);
export type LeadStatus = z.infer<typeof leadStatusSchema>;

/** How a lead reached the site; a lead's `channels` lists every one seen so far. */
export const leadChannels = ['chat', 'callback', 'feedback'] as const;
export const leadChannelSchema = z.enum(leadChannels);
export type LeadChannel = z.infer<typeof leadChannelSchema>;

/** Set by lead scoring; null until a score exists. */
export const leadTemperatures = ['cold', 'warm', 'hot'] as const;
export const leadTemperatureSchema = z.enum(leadTemperatures);
export type LeadTemperature = z.infer<typeof leadTemperatureSchema>;

/** One row of the leads table, and the `lead:updated` push. */
export const leadSummarySchema = z
  .object({
    id: text(),
    siteId: text(),
    status: leadStatusSchema,
    name: text().nullable(),
    email: text().nullable(),
    /** E.164. */
    phone: text().nullable(),
    channels: z.array(leadChannelSchema),
    temperature: leadTemperatureSchema.nullable(),
    score: z.number().nullable(),
    assignee: agentRefSchema.nullable(),
    outcomeNote: text().nullable(),
    /** Why it was lost (set when marked lost with a reason); absent from older servers. */
    lostReason: z.enum(lostReasons).nullable().optional(),
    lostReasonText: text().nullable().optional(),
    /** The lead's person (its page) and the one display name. Always sent by the server. */
    person: personRefSchema.nullable().optional(),
    /**
     * The latest touch, for the table: `summary` is an English line (for integrations and as a fallback);
     * the dashboard words `kind` and `data` (see `LeadTimelineEntry`) in the agent's language.
     */
    lastTouch: z
      .object({ kind: text(), summary: text(), data: z.record(text(), z.unknown()).optional(), at: iso })
      .nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'LeadSummary' });
export type LeadSummary = z.infer<typeof leadSummarySchema>;

/** The timeline of a lead's page: touches (what the person did) and audit (what agents or Beckon changed). */
export const leadTimelineEntrySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('touch'),
    at: iso,
    channel: leadChannelSchema,
    kind: text(),
    /** One line in English, for integrations and rows whose `data` lacks what the dashboard needs. */
    summary: text(),
    ref: z.object({ type: z.enum(['callback', 'feedback', 'conversation']), id: text() }).nullable(),
    /**
     * The touch as values, by `kind`: `callback.requested` mode, phone, requestedAt, visitorTimeZone;
     * `callback.outcome` outcome, note, retryAt, agentId, agentName; `feedback.submitted` kind, score,
     * text; `chat.started` / `chat.offline_message` text (the first message, at most 140 characters).
     */
    data: z.record(text(), z.unknown()),
  }),
  z.object({
    type: z.literal('audit'),
    at: iso,
    /** Null when Beckon itself changed it (dedupe, scoring, SLA reassignment). */
    by: agentRefSchema.nullable(),
    field: text(),
    /** For `assignee`, the agents' names. */
    from: text().nullable(),
    to: text().nullable(),
    note: text().nullable(),
  }),
  z.object({ type: z.literal('pageview'), at: iso, url: text(), title: text().nullable() }),
]);
export type LeadTimelineEntry = z.infer<typeof leadTimelineEntrySchema>;

export const leadDetailSchema = z.object({
  lead: leadSummarySchema,
  /** Behaviour-stream visitor ids linked to the lead. */
  visitorIds: z.array(text()),
  /** Newest first. */
  timeline: z.array(leadTimelineEntrySchema),
  /** The hottest linked visitor's score now, with the rules that made it; null before any behaviour. */
  score: visitorScoreSchema.nullable(),
});
export type LeadDetail = z.infer<typeof leadDetailSchema>;
export const leadAnswerSchema = z.object({ lead: leadSummarySchema });

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const csv = <const V extends readonly [string, ...string[]]>(values: V) =>
  z
    .union([text().max(400), z.array(text().max(40)).max(20)])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).max(20));

/**
 * Why a lead was lost: picked when an agent marks it lost (`PATCH /api/leads/:id` `lostReason`, with status `lost`);
 * `other` needs `lostReasonText`.
 */
export const lostReasonSchema = z.enum(lostReasons);
export type LostReason = z.infer<typeof lostReasonSchema>;

export const leadSortKeys = ['updated', 'created', 'score', 'name'] as const;

/** Query of `GET /api/leads` and `GET /api/leads/export.csv`; lists accept `a,b` or repeated keys. */
export const leadListQuerySchema = z.object({
  siteId: z.uuid().optional(),
  type: csv(leadChannels).optional(),
  temperature: csv(['cold', 'warm', 'hot', 'none']).optional(),
  status: csv(leadStatuses).optional(),
  /** An agent id, or `me`, or `none` for unassigned. */
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  /** Created on or after / before (a date means that day's start, UTC; `to` a date includes that day). */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Matches name, email or phone. */
  q: text().trim().max(100).optional(),
  sort: z.enum(leadSortKeys).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type LeadListQuery = z.input<typeof leadListQuerySchema>;

export const leadListSchema = z.object({ leads: z.array(leadSummarySchema), total: z.number().int() });
export type LeadList = z.infer<typeof leadListSchema>;

export const updateLeadSchema = z
  .object({
    status: leadStatusSchema.optional(),
    /** Agent id, or null to unassign. */
    assigneeId: z.uuid().nullable().optional(),
    outcomeNote: text().trim().max(2000).nullable().optional(),
    /** Only with `status: 'lost'` (reports count lost leads by it). */
    lostReason: lostReasonSchema.optional(),
    /** Required with `lostReason: 'other'`, refused with any other reason. */
    lostReasonText: text().trim().min(1).max(300).optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'nothing to change')
  .refine((value) => value.lostReason === undefined || value.status === 'lost', {
    message: 'a lost reason goes with status lost',
    path: ['lostReason'],
  })
  .refine((value) => (value.lostReason === 'other') === (value.lostReasonText !== undefined), {
    message: 'the reason "other" needs a text, and only it takes one',
    path: ['lostReasonText'],
  });
export type UpdateLead = z.input<typeof updateLeadSchema>;
