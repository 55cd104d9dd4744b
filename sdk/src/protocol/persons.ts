import { z } from 'zod';
import { text } from './text.js';
import { consentSources } from './consent.js';
import { leadSummarySchema } from './leads.js';
import { agentRefSchema, isoTimeSchema as iso } from './refs.js';
import { outcomeSchema, visitorScoreSchema } from './scoring.js';

/**
 * A person: every visitor id (browser or device), conversation, callback, feedback answer, consent
 * choice and the lead of one human on one site, tied together by normalised email / E.164 phone.
 */

export { personRefSchema, type PersonRef } from './refs.js';

export { displayName, formerAgentName, visitorLabel, visitorLabelCode } from './display-name.js';

export const personSummarySchema = z.object({
  id: text(),
  siteId: text(),
  displayName: text(),
  name: text().nullable(),
  email: text().nullable(),
  /** E.164. */
  phone: text().nullable(),
  label: text(),
  /** Won / lost: what scoring learns from. */
  outcome: outcomeSchema.nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const personVisitSchema = z.object({
  visitorId: text(),
  number: z.number().int(),
  startedAt: iso,
  lastSeenAt: iso,
  landingUrl: text().nullable(),
  referrerDomain: text().nullable(),
  pageviews: z.number().int(),
  country: text().nullable(),
});
export type PersonVisit = z.infer<typeof personVisitSchema>;

export const personConversationSchema = z.object({
  id: text(),
  status: z.enum(['open', 'closed']),
  channel: z.enum(['chat', 'offline']),
  assignee: agentRefSchema.nullable(),
  createdAt: iso,
  closedAt: iso.nullable(),
  csat: z.object({ rating: z.number().int(), comment: text().nullable() }).nullable(),
  /** Readable in place: every message, agents' internal notes marked. */
  messages: z.array(
    z.object({
      author: z.enum(['visitor', 'agent', 'system']),
      agentName: text().nullable(),
      internal: z.boolean(),
      text: text(),
      createdAt: iso,
    }),
  ),
});
export type PersonConversation = z.infer<typeof personConversationSchema>;

export const personCallbackSchema = z.object({
  id: text(),
  status: text(),
  phone: text(),
  outcome: text().nullable(),
  note: text().nullable(),
  dueAt: iso,
  assignee: agentRefSchema.nullable(),
  createdAt: iso,
});
export type PersonCallback = z.infer<typeof personCallbackSchema>;

export const personFeedbackSchema = z.object({
  id: text(),
  kind: text(),
  score: z.number().int().nullable(),
  message: text().nullable(),
  createdAt: iso,
});
export type PersonFeedback = z.infer<typeof personFeedbackSchema>;

export const personConsentSchema = z.object({
  visitorId: text(),
  analytics: z.boolean(),
  marketing: z.boolean(),
  source: z.enum(consentSources),
  gpc: z.boolean(),
  recordedAt: iso,
});
export type PersonConsent = z.infer<typeof personConsentSchema>;

/**
 * What a person audit line says, as values the dashboard words in the agent's language, by `action`:
 * - `created`: `source` (how the person was first seen: identify, chat, callback, feedback);
 * - `identified`: `field` (name, email, phone, userId), `value`, `source`;
 * - `merged`: into this person `other` (their name, email, phone; null: none known), `otherId`, `same`
 *   (what matched: email, phone, browser), `source`; or, on the person merged away, `into`, `intoId`, `source`;
 * - `browser_linked`: `contacts` (the email/phone told), `userId` (a verified one), `source`;
 * - `browser_shared`: `other`, `otherId` and `shared` (`uses_theirs`: this person used the other's browser;
 *   `used_yours`: the other used this person's);
 * - `outcome`: `outcome` (won, lost; null: cleared).
 * Rows written before it may have none (`{}`): show `detail`, the English sentence.
 */
export const personAuditDataSchema = z.object({
  source: text().optional(),
  field: text().optional(),
  value: text().optional(),
  other: text().nullable().optional(),
  otherId: text().optional(),
  same: z.enum(['email', 'phone', 'browser']).optional(),
  into: text().nullable().optional(),
  intoId: text().optional(),
  contacts: z.array(text()).optional(),
  userId: text().nullable().optional(),
  shared: z.enum(['uses_theirs', 'used_yours']).optional(),
  outcome: z.enum(['won', 'lost']).nullable().optional(),
});
export type PersonAuditData = z.infer<typeof personAuditDataSchema>;

/** The person's own audit: identities linked, persons merged in, outcomes (who, when, what). */
export const personAuditEntrySchema = z.object({
  at: iso,
  by: agentRefSchema.nullable(),
  action: text(),
  /** The line in English (the fallback for rows without `data`). */
  detail: text(),
  /** The line as codes and values, for the agent's language. Always sent by the server. */
  data: personAuditDataSchema.optional(),
});
export type PersonAuditEntry = z.infer<typeof personAuditEntrySchema>;

/** `GET /api/persons/:id`: the person page. */
export const personDetailSchema = z.object({
  person: personSummarySchema,
  score: visitorScoreSchema.nullable(),
  visitorIds: z.array(text()),
  visits: z.array(personVisitSchema),
  pages: z.array(z.object({ url: text(), title: text().nullable(), at: iso })),
  conversations: z.array(personConversationSchema),
  callbacks: z.array(personCallbackSchema),
  feedback: z.array(personFeedbackSchema),
  consent: z.array(personConsentSchema),
  audit: z.array(personAuditEntrySchema),
  lead: leadSummarySchema.nullable(),
});
export type PersonDetail = z.infer<typeof personDetailSchema>;

/** `POST /api/persons/:id/outcome`. */
export const personOutcomeSchema = z.object({ outcome: z.enum(['won', 'lost']).nullable() }).strict();

/** `POST /api/sites/:id/privacy/requests`: export or erase a person by what they told you. */
export const privacyRequestSchema = z
  .object({
    action: z.enum(['export', 'erase']),
    email: text().trim().max(254).optional(),
    phone: text().trim().max(40).optional(),
  })
  .strict()
  .refine((value) => Boolean(value.email || value.phone), {
    message: 'Give the email or the phone number the person told you',
  });
export type PrivacyRequest = z.infer<typeof privacyRequestSchema>;
