import { z } from 'zod';
import { text } from './text.js';
import { lostReasons } from './constants.js';

export { lostReasons } from './constants.js';
import type { VisitorScore } from './scoring.js';
import type { PersonRef } from './persons.js';

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
export interface LeadSummary {
  id: string;
  siteId: string;
  status: LeadStatus;
  name: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
  channels: LeadChannel[];
  temperature: LeadTemperature | null;
  score: number | null;
  assignee: { id: string; name: string } | null;
  outcomeNote: string | null;
  /** Why it was lost (set when marked lost with a reason); absent from older servers. */
  lostReason?: LostReason | null | undefined;
  lostReasonText?: string | null | undefined;
  /** The lead's person (its page) and the one display name. Always sent by the server. */
  person?: PersonRef | null | undefined;
  /** The latest touch's one-line summary, for the table. */
  lastTouch: { kind: string; summary: string; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** The timeline of a lead's page: touches (what the person did) and audit (what agents or Beckon changed). */
export type LeadTimelineEntry =
  | {
      type: 'touch';
      at: string;
      channel: LeadChannel;
      kind: string;
      summary: string;
      ref: { type: 'callback' | 'feedback' | 'conversation'; id: string } | null;
      data: Record<string, unknown>;
    }
  | {
      type: 'audit';
      at: string;
      /** Null when Beckon itself changed it (dedupe, scoring, SLA reassignment). */
      by: { id: string; name: string } | null;
      field: string;
      /** For `assignee`, the agents' names. */
      from: string | null;
      to: string | null;
      note: string | null;
    }
  | { type: 'pageview'; at: string; url: string; title: string | null };

export interface LeadDetail {
  lead: LeadSummary;
  /** Behaviour-stream visitor ids linked to the lead. */
  visitorIds: string[];
  /** Newest first. */
  timeline: LeadTimelineEntry[];
  /** The hottest linked visitor's score now, with the rules that made it; null before any behaviour. */
  score: VisitorScore | null;
}

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

export interface LeadList {
  leads: LeadSummary[];
  total: number;
}

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
