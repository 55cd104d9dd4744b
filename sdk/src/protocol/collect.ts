import { z } from 'zod';
import { text } from './text.js';
import { siteKeySchema } from './site-key.js';
import { enteredAudienceSchema } from './audiences.js';
import { deviceClasses } from './constants.js';

/** Client-generated ids make retries idempotent: the server stores an id once per site. */
export const clientIdSchema = text()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'url-safe id');

const url = text().max(2048);
const jsonProps = z
  .record(text().max(64), z.union([text().max(500), z.number(), z.boolean(), z.null()]))
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
  title: text().max(300).optional(),
  referrer: url.optional(),
});

export const trackEventSchema = z.object({
  ...eventBase,
  type: z.literal('track'),
  name: text().trim().min(1).max(100),
  props: jsonProps.optional(),
});

export const identifyEventSchema = z.object({
  ...eventBase,
  type: z.literal('identify'),
  traits: z.object({
    userId: text().max(200).optional(),
    email: text().email().max(254).optional(),
    name: text().max(200).optional(),
    phone: text().max(40).optional(),
    /**
     * HMAC-SHA256(site identity secret, userId) as hex, computed on the site's server (verified identity).
     * Wrong, blank or another site's hash: the whole batch is refused (401) and nothing changes.
     */
    userHash: text().max(128).optional(),
  }),
});

/** Scroll depth is reported in quarters, so a page's depth is one of five values. */
export const scrollDepths = [0, 25, 50, 75, 100] as const;

/**
 * One per page view, sent when the visitor leaves or hides the page (a later one for the same page
 * view replaces nothing: send it once). Visible time excludes background tabs.
 */
export const engagementEventSchema = z.object({
  ...eventBase,
  type: z.literal('engagement'),
  visibleMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 * 60 * 1000),
  maxScroll: z.literal(scrollDepths),
});

/** A click on an element marked `data-beckon-track="name"`, or on a link to another site (`href`). */
export const clickEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('click'),
    name: text().trim().min(1).max(100).optional(),
    href: url.optional(),
  })
  .refine(
    (click) => click.name !== undefined || click.href !== undefined,
    'a click has a track name or an outbound href',
  );

/** Form start (first input) and submit. Only the form's name or id travels: never field values. */
export const formEventSchema = z.object({
  ...eventBase,
  type: z.literal('form'),
  action: z.enum(['start', 'submit']),
  form: text().trim().max(100).optional(),
});

/** The visitor looks like leaving (pointer out through the top, fast scroll up, tab hidden). */
export const exitIntentEventSchema = z.object({
  ...eventBase,
  type: z.literal('exit_intent'),
});

export const behaviourEventSchema = z.discriminatedUnion('type', [
  pageviewEventSchema,
  trackEventSchema,
  identifyEventSchema,
  engagementEventSchema,
  clickEventSchema,
  formEventSchema,
  exitIntentEventSchema,
]);
export type BehaviourEvent = z.infer<typeof behaviourEventSchema>;
export type PageviewEvent = z.infer<typeof pageviewEventSchema>;
export type TrackEvent = z.infer<typeof trackEventSchema>;
export type IdentifyEvent = z.infer<typeof identifyEventSchema>;
export type Traits = IdentifyEvent['traits'];
export type EngagementEvent = z.infer<typeof engagementEventSchema>;
export type ClickEvent = z.infer<typeof clickEventSchema>;
export type FormEvent = z.infer<typeof formEventSchema>;
export type ExitIntentEvent = z.infer<typeof exitIntentEventSchema>;
export type BehaviourEventType = BehaviourEvent['type'];

const tag = text().trim().max(200);
export const utmSchema = z.object({
  source: tag.optional(),
  medium: tag.optional(),
  campaign: tag.optional(),
  term: tag.optional(),
  content: tag.optional(),
});
export type Utm = z.infer<typeof utmSchema>;

export const clickIdTypes = ['gclid', 'fbclid', 'yclid', 'msclkid'] as const;
export type ClickIdType = (typeof clickIdTypes)[number];
const clickIdValue = text().max(500);
export const clickIdsSchema = z.object({
  gclid: clickIdValue.optional(),
  fbclid: clickIdValue.optional(),
  yclid: clickIdValue.optional(),
  msclkid: clickIdValue.optional(),
});

/**
 * What the tracker kept for the visit, sent with every batch (all optional: older loaders send none).
 * The server also reads UTM tags and click ids from the landing page URL, so a batch without context
 * still gets its source.
 */
export const visitContextSchema = z.object({
  landingUrl: url.optional(),
  /** `document.referrer` of the landing page. */
  referrer: url.optional(),
  utm: utmSchema.optional(),
  clickIds: clickIdsSchema.optional(),
  /** This visit's number for a returning visitor (1 = first visit), as the tracker counted it. */
  visitCount: z.number().int().min(1).max(100_000).optional(),
  /** Set by the server from the request's user agent (a value the browser sends is replaced). */
  device: z.enum(deviceClasses).optional(),
});
export type VisitContext = z.infer<typeof visitContextSchema>;

export const maxEventsPerBatch = 50;

/** What the visitor has granted, as the loader's consent gate knows it (absent: an older loader, treated as analytics only). */
export const batchConsentSchema = z.object({ analytics: z.boolean(), marketing: z.boolean() });

/**
 * `POST /v1/collect`
 *
 * Two shapes, told apart by `anonymous`:
 * - normal (`anonymous` absent/false): `visitorId` and `sessionId` required; sent after an analytics
 *   grant (or in `implied` mode).
 * - `anonymous: true` (before consent in `required`/`external` mode): NO `visitorId`/`sessionId`, only
 *   `pageview` events and no click ids. The server counts them under a visitor hash =
 *   H(daily salt, site, truncated IP, user agent); the salt lives only in the database for that day and is
 *   never exported, so yesterday's hashes cannot be recomputed. Nothing is stored in the browser.
 */
export const collectBatchSchema = z
  .object({
    site: siteKeySchema,
    anonymous: z.boolean().optional(),
    visitorId: clientIdSchema.optional(),
    sessionId: clientIdSchema.optional(),
    events: z.array(behaviourEventSchema).min(1).max(maxEventsPerBatch),
    context: visitContextSchema.optional(),
    consent: batchConsentSchema.optional(),
    /**
     * How many times the events at the head of this batch were sent before (the loader's failures in a row);
     * above 0, some may be stored already (a retry after a failure or an answer that never came). Optional,
     * and only about speed: the server checks every event of a retry against what is stored; a batch that
     * does not say so, yet holds stored events, is written again that way, so each event is still stored once.
     */
    retry: z.number().int().min(0).max(1_000_000).optional(),
  })
  .superRefine((batch, ctx) => {
    if (batch.anonymous) {
      if (batch.visitorId !== undefined || batch.sessionId !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'an anonymous batch carries no visitor or session id',
          path: ['visitorId'],
        });
      if (batch.events.some((event) => event.type !== 'pageview'))
        ctx.addIssue({ code: 'custom', message: 'an anonymous batch carries pageviews only', path: ['events'] });
      if (batch.context?.clickIds !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'an anonymous batch carries no click ids',
          path: ['context', 'clickIds'],
        });
      if (batch.consent?.analytics || batch.consent?.marketing)
        ctx.addIssue({ code: 'custom', message: 'an anonymous batch has no consent', path: ['consent'] });
    } else {
      if (batch.visitorId === undefined) ctx.addIssue({ code: 'custom', message: 'required', path: ['visitorId'] });
      if (batch.sessionId === undefined) ctx.addIssue({ code: 'custom', message: 'required', path: ['sessionId'] });
    }
  });
export type CollectBatch = z.infer<typeof collectBatchSchema>;
/** A batch with its ids resolved (the server fills in the anonymous hash for an anonymous batch). */
export type IdentifiedCollectBatch = CollectBatch & { visitorId: string; sessionId: string };

/**
 * How far a visitor's clock may be from the server's: an event stamped more than 24 h before the
 * request or more than 5 min after it is rejected (never re-stamped with the server's time, which would
 * put a day-old page view "now"). Backfills of older history go through the admin import instead.
 */
export const collectTimestampWindow = { pastMs: 24 * 60 * 60 * 1000, futureMs: 5 * 60 * 1000 } as const;

/** Why an event of an accepted batch was not stored. */
export const collectRejectReasons = ['too_old', 'in_future'] as const;
export type CollectRejectReason = (typeof collectRejectReasons)[number];

export const collectResponseSchema = z.object({
  /** Events stored by this request. */
  stored: z.number().int(),
  /** Events the server already had (a retried batch). */
  duplicates: z.number().int(),
  /**
   * Events refused one by one, counted per reason (present only when some were): their timestamps lie
   * outside `collectTimestampWindow`. The rest of the batch is stored and the batch counts as sent: the
   * client does not send it again.
   */
  rejected: z.object({ too_old: z.number().int().optional(), in_future: z.number().int().optional() }).optional(),
  /** Events accepted but not stored (bot traffic). */
  dropped: z.number().int().optional(),
  /**
   * The visitor's segments as the `bk_seg` cookie value (comma list, e.g. `hot,pricing`). Present only
   * when the batch carries marketing consent and the request has no `Sec-GPC: 1`.
   */
  segments: text().max(640).optional(),
  /** Audiences entered with this batch (each once per visitor), with pixels to fire. Same conditions as `segments`. */
  audiences: z.array(enteredAudienceSchema).optional(),
  /**
   * The visitor is hot: since when (ms since the epoch); the loader's "became hot" trigger condition reads it.
   * As derived before this batch: a visitor this batch makes hot is told in the next answer.
   */
  hot: z.number().int().optional(),
  /** An agent's invitation to chat waiting for this visitor (see `POST /api/sites/:id/invitations`). */
  invite: z.object({ id: text(), agentName: text(), message: text() }).optional(),
});
export type CollectResponse = z.infer<typeof collectResponseSchema>;

/**
 * The admin import (`POST /api/sites/:id/events/import`) takes history the live window refuses: events up
 * to five years old (never more than 5 minutes ahead). Same events and the same idempotency as collect —
 * an event id already stored is a duplicate — so an interrupted backfill is simply sent again.
 */
export const importTimestampWindow = { pastMs: 5 * 366 * 24 * 60 * 60 * 1000, futureMs: 5 * 60 * 1000 } as const;
export const maxImportBatches = 1000;
export const maxImportEvents = 10_000;

export const importBatchSchema = z
  .object({
    visitorId: clientIdSchema,
    sessionId: clientIdSchema,
    events: z.array(behaviourEventSchema).min(1).max(maxImportEvents),
    context: visitContextSchema.optional(),
  })
  .strict();

export const importEventsSchema = z
  .object({ batches: z.array(importBatchSchema).min(1).max(maxImportBatches) })
  .strict()
  .refine((body) => body.batches.reduce((sum, batch) => sum + batch.events.length, 0) <= maxImportEvents, {
    message: `at most ${maxImportEvents} events in one import`,
    path: ['batches'],
  });
export type ImportEvents = z.input<typeof importEventsSchema>;

export const importEventsResponseSchema = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
  /** Events outside `importTimestampWindow`, per reason. */
  rejected: z.object({ too_old: z.number().int(), in_future: z.number().int() }),
});
export type ImportEventsResponse = z.infer<typeof importEventsResponseSchema>;
/** A pageview as the dashboard's live list shows it. */
export const livePageviewSchema = z.object({
  id: text(),
  siteId: text(),
  visitorId: text(),
  sessionId: text(),
  url: text(),
  title: text().nullable(),
  referrer: text().nullable(),
  /** Server time the event was stored, ISO 8601. */
  receivedAt: z.iso.datetime({ offset: true }),
});
export type LivePageview = z.infer<typeof livePageviewSchema>;
export const livePageviewListSchema = z.object({ pageviews: z.array(livePageviewSchema) });
/** `GET /api/sites/:id/pageviews?limit=`: the latest pageviews (clamped to 1–200; default 50). */
export const pageviewsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .catch(50)
    .transform((limit) => Math.min(200, Math.max(1, Math.trunc(limit) || 50)))
    .optional(),
});
