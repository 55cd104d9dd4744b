import { z } from 'zod';
import { text } from './text.js';

/**
 * Audiences (issue 6): per-site segment rules, evaluated as behaviour events arrive. A visitor enters
 * an audience once; `/v1/collect` then answers the entry with the pixel instructions to fire — only
 * when the batch carries marketing consent and the request has no `Sec-GPC: 1`.
 */
const pathPattern = text()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'no spaces');

export const audienceRuleSchema = z.discriminatedUnion('kind', [
  /** The visitor's temperature became hot (from scoring). */
  z.object({ kind: z.literal('temperature'), temperature: z.enum(['hot', 'warm']) }),
  /** Viewed a page matching `pattern` (glob on the path, e.g. `/pricing*`) and sent no lead (no chat, callback or form submit). */
  z.object({ kind: z.literal('viewed_without_lead'), pattern: pathPattern }),
  /** Started the form named `form` (a `form` start) without submitting it in the same visit, or a tracked event of that name. */
  z.object({ kind: z.literal('abandoned_form'), form: text().trim().min(1).max(100) }),
  /** Viewed pages matching `pattern` at least `min` times (e.g. a product category). */
  z.object({ kind: z.literal('page_views'), pattern: pathPattern, min: z.number().int().min(1).max(1000) }),
]);
export type AudienceRule = z.infer<typeof audienceRuleSchema>;

const pixelEvent = text()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, "_", ".", ":" and "-"');

/**
 * Per-site pixel integrations, configured in the dashboard. The image template's placeholders are
 * `{audience}`, `{segment}`, `{visitor}` (bk_vid), `{ts}` (ms), `{rand}`, URL-encoded by the server.
 */
export const pixelConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('meta'),
    pixelId: text()
      .trim()
      .regex(/^\d{5,20}$/, 'the numeric pixel id'),
  }),
  z.object({
    kind: z.literal('gtag'),
    sendTo: text()
      .trim()
      .regex(/^[A-Z]{1,3}-[A-Za-z0-9/_-]{4,60}$/, 'an id like AW-123456789/label or G-XXXX')
      .optional(),
  }),
  z.object({ kind: z.literal('yandex'), counterId: z.number().int().min(1).max(9_999_999_999) }),
  z.object({
    kind: z.literal('vk'),
    pixelId: text()
      .trim()
      .regex(/^VK-RTRG-\d+-[A-Za-z0-9]+$|^\d{3,20}$/, 'a VK pixel id'),
  }),
  z.object({
    kind: z.literal('image'),
    url: text()
      .trim()
      .max(1000)
      .regex(/^https:\/\/[^\s"'<>]+$/, 'an https URL; placeholders {audience} {segment} {visitor} {ts} {rand}'),
  }),
]);
export type PixelConfig = z.infer<typeof pixelConfigSchema>;
export const pixelKinds = ['meta', 'gtag', 'yandex', 'vk', 'image'] as const;
export type PixelKind = (typeof pixelKinds)[number];

/** An audience: a segment (its slug is what `bk_seg` carries) and the pixels fired on entry. */
export const audienceSchema = z.object({
  id: text(),
  /** Lower-case slug, e.g. `hot` or `pricing`; becomes part of the `bk_seg` cookie. */
  segment: text()
    .trim()
    .min(1)
    .max(30)
    .regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, "-" and "_"'),
  name: text().trim().min(1).max(80),
  rule: audienceRuleSchema,
  /** The pixel event / goal name fired on entry (Meta custom event, gtag event, Yandex goal, VK event). */
  eventName: pixelEvent,
  /** Fire pixels (browser) for this audience; the server-side conversion hook fires either way. */
  pixels: z.boolean(),
  enabled: z.boolean(),
  createdAt: text(),
});
export type Audience = z.infer<typeof audienceSchema>;

export const audienceInputSchema = audienceSchema.omit({ id: true, createdAt: true });
export type AudienceInput = z.input<typeof audienceInputSchema>;
/** `GET /api/sites/:id/audiences`: each audience with how many visitors are in it, and the site's pixels. */
export const audienceListSchema = z.object({
  audiences: z.array(audienceSchema.extend({ members: z.number().int() })),
  pixels: z.array(pixelConfigSchema),
});
export type AudienceList = z.infer<typeof audienceListSchema>;
export const pixelsUpdateSchema = z.object({ pixels: z.array(pixelConfigSchema).max(10) });
export type PixelsUpdate = z.infer<typeof pixelsUpdateSchema>;

/**
 * One pixel to fire in the browser, ready to run (the loader does no templating):
 * - meta:   `fbq('trackCustom', event)` (after `fbq('init', pixelId)` if the page has no fbq of its own)
 * - gtag:   `gtag('event', event, sendTo ? { send_to: sendTo } : {})`
 * - yandex: `ym(counterId, 'reachGoal', goal)`
 * - vk:     `VK.Retargeting.Event(event)` on the page's VK pixel (`pixelId` for `VK.Retargeting.Init`)
 * - image:  `new Image().src = url` (placeholders already filled in by the server)
 */
export const pixelInstructionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('meta'), pixelId: text(), event: text() }),
  z.object({ kind: z.literal('gtag'), event: text(), sendTo: text().optional() }),
  z.object({ kind: z.literal('yandex'), counterId: z.number(), goal: text() }),
  z.object({ kind: z.literal('vk'), pixelId: text(), event: text() }),
  z.object({ kind: z.literal('image'), url: text() }),
]);
export type PixelInstruction = z.infer<typeof pixelInstructionSchema>;

/** An audience the visitor entered with this batch. */
export const enteredAudienceSchema = z.object({
  segment: text(),
  name: text(),
  pixels: z.array(pixelInstructionSchema),
});
export type EnteredAudience = z.infer<typeof enteredAudienceSchema>;

/** Lets the loader check the `bk_seg` value it writes: comma list of segment slugs, at most 20. */
export const segmentsCookieMaxSegments = 20;

export const audienceAnswerSchema = z.object({ audience: audienceSchema });
export const pixelsAnswerSchema = z.object({ pixels: z.array(pixelConfigSchema) });
