import { z } from 'zod';
import { text } from './text.js';
import { translationsOf } from './languages.js';
import { clientIdSchema } from './collect.js';
import { siteKeySchema } from './site-key.js';
import { isoTimeSchema as iso, personRefSchema } from './refs.js';

export const feedbackKinds = ['nps', 'csat', 'message'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

/** Per-site feedback texts and behaviour; public (the widget shows them). */
export const feedbackSettingsSchema = z.object({
  enabled: z.boolean(),
  /** What "Leave feedback" on the panel home opens. */
  defaultKind: z.enum(feedbackKinds),
  npsQuestion: text().trim().min(1).max(200),
  csatQuestion: text().trim().min(1).max(200),
  /** The two questions in other widget languages. */
  translations: translationsOf({
    npsQuestion: text().trim().min(1).max(200),
    csatQuestion: text().trim().min(1).max(200),
  }).optional(),
  /** Offer the NPS form after a chat has ended. */
  afterChat: z.boolean(),
});
export type FeedbackSettings = z.infer<typeof feedbackSettingsSchema>;

export const defaultFeedbackSettings: FeedbackSettings = {
  enabled: true,
  defaultKind: 'nps',
  npsQuestion: 'How likely are you to recommend us to a friend or colleague?',
  csatQuestion: 'How satisfied are you with us?',
  afterChat: true,
};

const email = text().trim().max(254).email();

/** `POST /v1/feedback` — NPS (0–10), CSAT (1–5) or a free-text message. */
export const feedbackRequestSchema = z
  .object({
    site: siteKeySchema,
    kind: z.enum(feedbackKinds),
    score: z.number().int().min(0).max(10).optional(),
    text: text().trim().max(4000).optional(),
    email: email.optional(),
    visitorId: clientIdSchema.optional(),
    url: text().max(2000).optional(),
    /** Honeypot; see callbackRequestSchema. */
    website: text().max(500).optional(),
    formMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'nps' && body.score === undefined)
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'NPS needs a score from 0 to 10' });
    if (body.kind === 'csat' && (body.score === undefined || body.score < 1 || body.score > 5))
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'CSAT needs a score from 1 to 5' });
    if (body.kind === 'message' && body.score !== undefined)
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'a message has no score' });
    if (body.kind === 'message' && !body.text)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'write a message' });
  });
export type FeedbackRequest = z.input<typeof feedbackRequestSchema>;

export const feedbackSchema = z
  .object({
    id: text(),
    siteId: text(),
    kind: z.enum(feedbackKinds),
    score: z.number().int().nullable(),
    text: text().nullable(),
    email: text().nullable(),
    pageUrl: text().nullable(),
    leadId: text().nullable(),
    /** The person (its page) and the one display name. Always sent by the server. */
    person: personRefSchema.nullable().optional(),
    createdAt: iso,
    /** `chat`: a chat's rating (1–5, `id` is the conversation's), listed with the CSAT answers. Absent: the feedback form. */
    source: z.enum(['form', 'chat']).optional(),
  })
  .meta({ id: 'Feedback' });
export type Feedback = z.infer<typeof feedbackSchema>;

/** `POST /v1/feedback` answer. */
export const feedbackCreatedSchema = z.object({
  feedback: z.object({ id: text(), kind: z.enum(feedbackKinds), createdAt: iso }),
});

/** NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100; null without answers. */
export const npsSummarySchema = z.object({
  score: z.number().nullable(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  count: z.number().int(),
});
export type NpsSummary = z.infer<typeof npsSummarySchema>;

/** CSAT: mean of 1–5 and the share of 4–5 answers ("satisfied"), in percent. */
export const csatSummarySchema = z.object({
  average: z.number().nullable(),
  satisfiedPercent: z.number().nullable(),
  count: z.number().int(),
});
export type CsatSummary = z.infer<typeof csatSummarySchema>;

export const feedbackPeriods = [7, 30, 90] as const;

export const feedbackReportQuerySchema = z.object({
  days: z.coerce
    .number()
    .pipe(z.union([z.literal(7), z.literal(30), z.literal(90)]))
    .default(30),
  kind: z.enum(feedbackKinds).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/sites/:siteId/feedback` */
export const feedbackReportSchema = z.object({
  days: z.number().int(),
  nps: npsSummarySchema,
  csat: csatSummarySchema,
  /** Ratings visitors gave closed chats (1–5), in the same period. */
  chatRatings: csatSummarySchema,
  /** One point per day (site-independent UTC days), oldest first. */
  daily: z.array(
    z.object({ day: z.iso.date(), nps: z.number().nullable(), csat: z.number().nullable(), answers: z.number().int() }),
  ),
  answers: z.array(feedbackSchema),
});
export type FeedbackReport = z.infer<typeof feedbackReportSchema>;
