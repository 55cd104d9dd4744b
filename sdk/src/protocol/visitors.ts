import { z } from 'zod';
import { text } from './text.js';
import { clickIdTypes, utmSchema } from './collect.js';
import { isoTimeSchema as iso, personRefSchema } from './refs.js';
import { outcomeSchema, scoreExplanationSchema, temperatureSchema } from './scoring.js';

export { isAnonymousVisitorId, liveVisitorWindowMs } from './constants.js';

/** Where a visit came from, as the Visitors page shows it. */
export const visitSourceSchema = z.object({
  referrerDomain: text().nullable(),
  utm: utmSchema,
  clickIdType: z.enum(clickIdTypes).nullable(),
});
export type VisitSource = z.infer<typeof visitSourceSchema>;

/** A visitor as the Visitors page lists them (pushed in `visitors:updated`). */
export const liveVisitorSchema = z.object({
  siteId: text(),
  visitorId: text(),
  name: text().nullable(),
  email: text().nullable(),
  /** The visitor's person (its page) and the one display name; absent for a visitor nobody identified yet. */
  person: personRefSchema.nullable().optional(),
  currentUrl: text().nullable(),
  currentTitle: text().nullable(),
  /** This visit (server session: 30 minutes idle ends it). */
  sessionStartedAt: iso,
  lastSeenAt: iso,
  pagesThisVisit: z.number().int(),
  visitNumber: z.number().int(),
  source: visitSourceSchema,
  score: z.number(),
  temperature: temperatureSchema,
  explanation: scoreExplanationSchema,
});
export type LiveVisitor = z.infer<typeof liveVisitorSchema>;

/**
 * A dashboard tab showing a site's Visitors page says so (`visitors:watch`), and says so again when it
 * leaves: only such tabs get the site's live rows and pageview stream (`visitors:updated`,
 * `pageviews:new`, `visitors:gone`). A busy site stores hundreds of pageviews a second, and an agent in the
 * Inbox has no use for them.
 */
export const watchVisitorsSchema = z.object({ siteId: z.uuid(), watching: z.boolean() });

export const visitorSessionSchema = z.object({
  id: text(),
  number: z.number().int(),
  startedAt: iso,
  lastSeenAt: iso,
  landingUrl: text().nullable(),
  pageviews: z.number().int(),
  engagedMs: z.number(),
  source: visitSourceSchema,
});
export type VisitorSession = z.infer<typeof visitorSessionSchema>;

export const visitorPageSchema = z.object({
  url: text(),
  title: text().nullable(),
  at: iso,
  sessionId: text().nullable(),
});
export type VisitorPage = z.infer<typeof visitorPageSchema>;

/** `GET /api/sites/:id/visitors/:visitorId` */
export const visitorDetailSchema = liveVisitorSchema.extend({
  firstSeenAt: iso,
  phone: text().nullable(),
  outcome: outcomeSchema.nullable(),
  sessions: z.array(visitorSessionSchema),
  pages: z.array(visitorPageSchema),
});
export type VisitorDetail = z.infer<typeof visitorDetailSchema>;

/** `GET /api/sites/:id/visitors`: who is on the site now (seen within `windowMs`). */
export const liveVisitorListSchema = z.object({ visitors: z.array(liveVisitorSchema), windowMs: z.number().int() });
export const visitorDetailAnswerSchema = z.object({ visitor: visitorDetailSchema });
export const visitorOutcomeAnswerSchema = z.object({ outcome: outcomeSchema.nullable() });
