import { z } from 'zod';
import { text } from './text.js';
import { deviceClasses, engagementMetrics, sourceFields } from './constants.js';
import { isoTimeSchema as iso } from './refs.js';

/** Hot, warm or cold: how ready a visitor looks to buy, from the site's scoring rules. */
export const temperatures = ['hot', 'warm', 'cold'] as const;
export const temperatureSchema = z.enum(temperatures);
export type Temperature = z.infer<typeof temperatureSchema>;

/** Things other channels report about a visitor (see `recordSignal` on the server). */
export const channelSignals = ['callback_requested', 'chat_started', 'form_submitted', 'feedback_given'] as const;
export const channelSignalSchema = z.enum(channelSignals);
export type ChannelSignal = z.infer<typeof channelSignalSchema>;

export { deviceClasses, engagementMetrics, minOutcomesToLearn, sourceFields } from './constants.js';

/** Totals across a visitor's visits that `total` conditions compare. */
export const totalMetrics = ['time_on_site', 'pages', 'visits'] as const;
export type TotalMetric = (typeof totalMetrics)[number];
/** `gte`: at least the value; `lt`: below it. */
export const comparisonOps = ['gte', 'lt'] as const;
export type DeviceClass = (typeof deviceClasses)[number];

/** An offline signal's name: lower-case words joined by `_` (`deal_won`, `lead_form_submitted`). */
export const offlineSignalNameSchema = text().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _');

/** Glob over the page path: `*` matches anything, e.g. `/pricing*` or `*product*`. */
const pathPattern = text()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'no spaces');

/**
 * What a rule matches. Page and event rules count every match; session facts (source, returning,
 * pages per session, time on site) count once per visit; identification once per visitor.
 */
export const ruleConditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), pattern: pathPattern }),
  /** A `Beckon('track', name)` call or a click on `data-beckon-track="name"`. */
  z.object({ kind: z.literal('event'), name: text().trim().min(1).max(100) }),
  z.object({
    kind: z.literal('engagement'),
    metric: z.enum(engagementMetrics),
    /** Seconds for time metrics, percent for scroll depth, pages for pages per session. */
    min: z.number().int().min(1).max(100_000),
    /** Only pages whose path matches (time on page, scroll depth). */
    pattern: pathPattern.optional(),
  }),
  z.object({
    kind: z.literal('source'),
    field: z.enum(sourceFields),
    /** Compared case-insensitively; a referrer domain matches its subdomains. Empty for "any click id". */
    value: text().trim().max(200).optional(),
  }),
  z.object({ kind: z.literal('returning') }),
  z.object({ kind: z.literal('identified'), with: z.enum(['email', 'phone', 'any']) }),
  /**
   * A channel signal (chat, callback, form, feedback) or an offline one recorded through
   * `POST /api/sites/:id/signals` (`deal_won`, `lead_form_submitted`…), optionally with an amount ≥ `minAmount`.
   */
  z.object({
    kind: z.literal('signal'),
    signal: z.union([channelSignalSchema, offlineSignalNameSchema]),
    minAmount: z.number().min(0).max(1e12).optional(),
  }),
  /**
   * The visitor's totals across all visits, compared either way: `time_on_site` in seconds, `pages`, `visits`.
   * Holds or not at any moment (it counts once), so `lt` expresses bounces and new visitors:
   * "pages < 2" is a one-page visitor, "visits < 2" a new one.
   */
  z.object({
    kind: z.literal('total'),
    metric: z.enum(totalMetrics),
    op: z.enum(comparisonOps),
    value: z.number().int().min(0).max(10_000_000),
  }),
  /** A submitted form, by its `data-beckon-form`, name or id (glob; empty: any form). */
  z.object({
    kind: z.literal('form'),
    pattern: text()
      .trim()
      .max(100)
      .regex(/^[^\s]*$/, 'no spaces')
      .optional(),
  }),
  /** A `track` call (or `data-beckon-track` click) whose property equals a value, e.g. `plan` = `pro`. */
  z.object({
    kind: z.literal('event_prop'),
    name: text().trim().min(1).max(100),
    prop: text().trim().min(1).max(60),
    value: text().trim().max(200),
  }),
  /** The device class of a visit (from the browser's user agent). */
  z.object({ kind: z.literal('device'), device: z.enum(deviceClasses) }),
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const scoringRuleSchema = z.object({
  id: text()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _'),
  label: text().trim().min(1).max(80),
  condition: ruleConditionSchema,
  points: z.number().int().min(-100).max(100),
  /** Counted at most this many times per visitor (unset: no cap). */
  limit: z.number().int().min(1).max(1000).optional(),
});
export type ScoringRule = z.infer<typeof scoringRuleSchema>;

/** `points`: hot / warm are the admin's numbers; `percent`: computed from the share of recent visitors. */
export const thresholdModes = ['points', 'percent'] as const;
export type ThresholdMode = (typeof thresholdModes)[number];
/** The window of visitors whose scores "top N %" thresholds are computed from. */
export const thresholdWindowDays = 30;

/** What the last computation of percent thresholds found (`GET /api/sites/:id/scoring`). */
export const computedThresholdsSchema = z.object({
  hot: z.number(),
  warm: z.number(),
  /** Visitors seen in the window the points were computed from. */
  visitors: z.number().int(),
  computedAt: z.iso.datetime({ offset: true }),
});
export type ComputedThresholds = z.infer<typeof computedThresholdsSchema>;

export const scoringSettingsSchema = z
  .object({
    rules: z
      .array(scoringRuleSchema)
      .max(100)
      .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, 'rule ids are unique'),
    halfLifeDays: z.number().min(0.1).max(365),
    hot: z.number().int().min(1).max(10_000),
    warm: z.number().int().min(0).max(10_000),
    /**
     * How `hot` and `warm` are set: `points` (absent) as given, or `percent`: the top `hotPercent` % of the
     * last 30 days' visitors are hot and the top `warmPercent` % at least warm — the points are computed from
     * their scores after each rescore and hourly by the rescoring runner (the given `hot` / `warm` are kept
     * until then).
     */
    thresholdMode: z.enum(thresholdModes).optional(),
    hotPercent: z.number().int().min(1).max(50).optional(),
    warmPercent: z.number().int().min(2).max(90).optional(),
  })
  .refine((settings) => settings.warm < settings.hot, { message: 'warm must be below hot', path: ['warm'] })
  .refine(
    (settings) =>
      settings.thresholdMode !== 'percent' ||
      (settings.hotPercent !== undefined &&
        settings.warmPercent !== undefined &&
        settings.hotPercent < settings.warmPercent),
    { message: 'hotPercent and warmPercent are set, hot below warm', path: ['hotPercent'] },
  );
export type ScoringSettings = z.infer<typeof scoringSettingsSchema>;

/** One line of a score's explanation: "Pricing page ×3 +45". */
export const explanationLineSchema = z.object({
  ruleId: text(),
  label: text(),
  count: z.number(),
  points: z.number(),
  /** count × points, before decay. */
  total: z.number(),
});
export type ExplanationLine = z.infer<typeof explanationLineSchema>;

export const scoreExplanationSchema = z.object({
  lines: z.array(explanationLineSchema),
  /** Points lost to decay (≤ 0). */
  decay: z.number(),
  halfLifeDays: z.number(),
});
export type ScoreExplanation = z.infer<typeof scoreExplanationSchema>;

export const visitorScoreSchema = z
  .object({ score: z.number(), temperature: temperatureSchema, explanation: scoreExplanationSchema })
  .meta({ id: 'VisitorScore' });
export type VisitorScore = z.infer<typeof visitorScoreSchema>;

/** `visitor:score` on `/agent`: a visitor's temperature changed. */
export interface TemperatureChange extends VisitorScore {
  siteId: string;
  visitorId: string;
  previous: Temperature;
  at: string;
}

export const outcomes = ['won', 'lost'] as const;
export const outcomeSchema = z.enum(outcomes);
export type Outcome = z.infer<typeof outcomeSchema>;

/** `PUT /api/sites/:id/visitors/:visitorId/outcome` */
export const setOutcomeSchema = z.object({ outcome: outcomeSchema.nullable() });

/**
 * How well the data pin a rule's learnt points down. A rule that keeps its points says why:
 * `not_enough_data` (fewer labelled hits than the minimum) or `no_contrast` (every labelled visitor hit it alike).
 */
export const ruleConfidences = ['high', 'medium', 'low', 'not_enough_data', 'no_contrast'] as const;
export type RuleConfidence = (typeof ruleConfidences)[number];

/** One rule in a learnt proposal. */
export const learnedRuleSchema = z.object({
  ruleId: text(),
  label: text(),
  current: z.number(),
  proposed: z.number(),
  /** Labelled visitors who hit the rule, and how many of them won. */
  labelledHits: z.number().int(),
  wonHits: z.number().int(),
  confidence: z.enum(ruleConfidences),
  /** Half-width of the 95 % interval around `proposed`, in points (absent when the rule keeps its points). */
  margin: z.number().optional(),
});
export type LearnedRule = z.infer<typeof learnedRuleSchema>;

/** One bucket of labelled visitors by predicted chance of winning: what the model said against what happened. */
export const calibrationBucketSchema = z.object({
  predicted: z.number(),
  observed: z.number(),
  visitors: z.number().int(),
});
export type CalibrationBucket = z.infer<typeof calibrationBucketSchema>;

/** A rule the fit proposes among conditions the site has no rule for; the admin accepts each one. */
export const proposedNewRuleSchema = z.object({
  condition: ruleConditionSchema,
  points: z.number(),
  /** Labelled visitors who meet the condition, and how many of them won. */
  labelledHits: z.number().int(),
  wonHits: z.number().int(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** Half-width of the 95 % interval around `points`. */
  margin: z.number(),
});
export type ProposedNewRule = z.infer<typeof proposedNewRuleSchema>;

/** `POST /api/sites/:id/scoring/learn` answers with this proposal. */
export const learnResultSchema = z.object({
  outcomes: z.object({ won: z.number().int(), lost: z.number().int() }),
  /** Cross-validation folds: each labelled visitor is predicted by a model fitted without them. */
  folds: z.number().int(),
  /** AUC over the labelled visitors: of the current rules' points, and of the learnt model on held-out folds (mean). */
  currentAuc: z.number(),
  learnedAuc: z.number(),
  /** Predicted vs observed conversion by bucket (out-of-fold predictions). */
  calibration: z.array(calibrationBucketSchema),
  /**
   * Labelled visitors a rule needs before its points move; the L2 strength (prior precision on log-odds per
   * hit), chosen by cross-validation among a few strengths.
   */
  minLabelledHits: z.number().int(),
  l2: z.number(),
  /** Proposed points per rule, scaled so that reaching "hot" means even odds of winning. */
  proposed: z.array(learnedRuleSchema),
  /**
   * New rules the fit found among conditions the site has no rule for (totals across visits at thresholds
   * cut at the labelled visitors' quantiles, either way: "pages ≥ 10", "time on site < 30 s"), strongest
   * first, each with its points on the proposal's scale; as many as cross-validation finds worth adding.
   * The admin accepts each one (it is added by `apply`).
   */
  newRules: z.array(proposedNewRuleSchema),
  /**
   * Cross-validated AUC with the proposed new rules added (their choice repeated inside each fold, so no
   * held-out visitor helped choose them); absent when none is proposed.
   */
  newRulesAuc: z.number().optional(),
  /** How long the fit took (ms), off the event loop. */
  learnMs: z.number(),
});
export type LearnResult = z.infer<typeof learnResultSchema>;

/**
 * Rescoring a site's visitors after its rules changed runs as a background job (any node may run it):
 * `queued` → `running` (with `done` of `total` visitors) → `done`; a save while one runs makes it
 * `superseded` and a new job starts over under the newest rules.
 */
export const scoringJobStatuses = ['queued', 'running', 'done', 'failed', 'superseded'] as const;
export type ScoringJobStatus = (typeof scoringJobStatuses)[number];

export const scoringJobSchema = z.object({
  id: text(),
  siteId: text(),
  /** What asked for it: rules saved in the editor, or learnt points applied. */
  reason: z.enum(['rules_saved', 'points_applied']),
  status: z.enum(scoringJobStatuses),
  total: z.number().int(),
  done: z.number().int(),
  requestedAt: iso,
  finishedAt: iso.nullable(),
});
export type ScoringJob = z.infer<typeof scoringJobSchema>;

/** `POST /api/sites/:id/scoring/apply` */
export const applyWeightsSchema = z.object({
  points: z.record(text().max(40), z.number().int().min(-100).max(100)),
  /** Proposed new rules the admin accepted, added after the site's rules (ids must be new). */
  newRules: z.array(scoringRuleSchema).max(10).optional(),
});

/** At most this many offline signals in one `POST /api/sites/:id/signals`. */
export const maxSignalsPerCall = 1000;

/**
 * One offline signal: something a CRM, an ad platform's lead form or a sales call learnt about a
 * person. `id` is the caller's: sending the same id again stores nothing new. The subject is a tracker
 * visitor id, or an email / phone (the person's latest browser, or — a person never seen on the site —
 * a visitor of their own, so they can be scored from signals alone).
 */
export const offlineSignalSchema = z
  .object({
    id: text().trim().min(1).max(100),
    name: offlineSignalNameSchema,
    /** When it happened (default: now); at most 5 minutes ahead, at most two years back. */
    at: z.iso.datetime({ offset: true }).optional(),
    amount: z.number().min(0).max(1e12).optional(),
    visitorId: text().trim().min(1).max(100).optional(),
    email: text().trim().max(254).email().optional(),
    phone: text().trim().min(3).max(40).optional(),
  })
  .refine((signal) => signal.visitorId || signal.email || signal.phone, {
    message: 'a visitorId, email or phone says whose signal it is',
    path: ['visitorId'],
  });
export type OfflineSignal = z.infer<typeof offlineSignalSchema>;

export const recordSignalsSchema = z.object({ signals: z.array(offlineSignalSchema).min(1).max(maxSignalsPerCall) });

/** One signal's fate, in the order sent. */
export const recordedSignalSchema = z.object({
  id: text(),
  status: z.enum(['stored', 'duplicate', 'rejected']),
  visitorId: text().optional(),
  reason: z.enum(['too_old', 'in_future', 'unknown_person']).optional(),
});
export type RecordedSignal = z.infer<typeof recordedSignalSchema>;

export const recordSignalsResponseSchema = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(recordedSignalSchema),
});
export type RecordSignalsResponse = z.infer<typeof recordSignalsResponseSchema>;

/** `GET /api/sites/:id/scoring`: the site's settings, its template's defaults and the latest rescoring job. */
export const scoringPageSchema = z.object({
  settings: scoringSettingsSchema,
  defaults: scoringSettingsSchema,
  job: scoringJobSchema.nullable(),
  /** Percent mode: the points last computed from the last 30 days' visitors (null: not yet). */
  thresholds: computedThresholdsSchema.nullable(),
});
export const scoringJobAnswerSchema = z.object({ job: scoringJobSchema.nullable() });
/** The answer of a save: the settings now in force and the rescoring job they queued. */
export const scoringSavedSchema = z.object({ settings: scoringSettingsSchema, job: scoringJobSchema });

/** At most this many outcomes in one `PUT /api/sites/:id/outcomes`. */
export const maxOutcomesPerCall = 10_000;

/**
 * One won / lost label (null clears it) for scoring, from a CRM. `id` is the caller's: an id already
 * applied is a duplicate and changes nothing, so a retried or overlapping export is safe. The subject is
 * exactly one of a tracker visitor id, an email or a phone (every browser of that person).
 */
export const visitorOutcomeSchema = z
  .object({
    id: text().trim().min(1).max(100),
    outcome: outcomeSchema.nullable(),
    visitorId: text().trim().min(1).max(100).optional(),
    email: text().trim().max(254).email().optional(),
    phone: text().trim().min(3).max(40).optional(),
  })
  .strict()
  .refine((item) => [item.visitorId, item.email, item.phone].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of visitorId, email or phone says whose outcome it is',
    path: ['visitorId'],
  });
export type VisitorOutcome = z.infer<typeof visitorOutcomeSchema>;

export const putOutcomesSchema = z
  .object({ outcomes: z.array(visitorOutcomeSchema).min(1).max(maxOutcomesPerCall) })
  .strict();

/** One outcome's fate, in the order sent: how many browsers it labelled. */
export const appliedOutcomeSchema = z.object({
  id: text(),
  status: z.enum(['applied', 'duplicate', 'not_found']),
  visitors: z.number().int(),
});
export type AppliedOutcome = z.infer<typeof appliedOutcomeSchema>;

export const putOutcomesResponseSchema = z.object({
  applied: z.number().int(),
  duplicates: z.number().int(),
  notFound: z.number().int(),
  results: z.array(appliedOutcomeSchema),
});
export type PutOutcomesResponse = z.infer<typeof putOutcomesResponseSchema>;
