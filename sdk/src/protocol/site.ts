import { z } from 'zod';
import { text } from './text.js';
import { chatSettingsSchema } from './chat.js';
import { callbackSettingsSchema } from './callbacks.js';
import { feedbackSettingsSchema } from './feedback.js';

import { siteKeySchema } from './site-key.js';
import { translationsOf, widgetLanguages } from './languages.js';

export {
  acceptedLanguages,
  matchLanguage,
  pickLanguage,
  translationsOf,
  widgetLanguages,
  type WidgetLanguage,
} from './languages.js';
import type { PublicTrigger } from './triggers.js';
import { consentSettingsSchema, privacySettingsSchema } from './consent.js';

export { siteKeySchema };

const hexColor = text().regex(/^#[0-9a-f]{6}$/i, 'a colour like #2563eb');
const shortText = (max: number) => text().trim().min(1).max(max);

export const widgetPositions = ['bottom-right', 'bottom-left'] as const;

const widgetTextsSchema = z.object({
  title: shortText(60),
  greeting: shortText(400),
  chat: shortText(40),
  callback: shortText(40),
  feedback: shortText(40),
});

/** Everything a marketer can change about how the widget looks and speaks. Public by design. */
export const widgetSettingsSchema = z.object({
  color: hexColor,
  position: z.enum(widgetPositions),
  launcherLabel: shortText(40),
  /** The site's default language: the widget speaks it when fixed, and falls back to it on `auto`. The default texts are in it. */
  language: z.enum(widgetLanguages),
  /** Speak the visitor's language: the best of `navigator.languages` the widget supports, else `language`. */
  auto: z.boolean().optional(),
  texts: widgetTextsSchema,
  /** `launcherLabel` and `texts` in other languages. */
  translations: translationsOf({ launcherLabel: shortText(40), ...widgetTextsSchema.shape }).optional(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

export const defaultWidgetSettings: WidgetSettings = {
  color: '#2563eb',
  position: 'bottom-right',
  launcherLabel: 'Chat with us',
  language: 'en',
  texts: {
    title: 'Hi there 👋',
    greeting: 'Questions about an order or a product? We are here to help.',
    chat: 'Start a chat',
    callback: 'Call me back',
    feedback: 'Leave feedback',
  },
};

/**
 * `GET /v1/sites/:siteKey/config?lang=` — `lang` is `Beckon('language', tag)`'s tag or `auto`. Anything
 * else (too long, not a language tag) is ignored rather than refused: a page's bad call must not cost
 * it the widget.
 */
export const configQuerySchema = z.object({
  lang: text()
    .trim()
    .max(35)
    .regex(/^(auto|[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*)$/)
    .optional(),
});

/**
 * `GET /v1/sites/:siteKey/config` — only what a visitor's browser may see, in one language: the server
 * picks it (see the README's *Languages*), sets `widget.language` to it and sends the site's texts in it
 * (each translation, else the default) without the other languages' translations.
 */
export const publicSiteConfigSchema = z.object({
  siteKey: siteKeySchema,
  name: text(),
  widget: widgetSettingsSchema,
  /** Feedback texts the widget shows; callback availability comes from `/v1/sites/:key/callback-options`. */
  feedback: feedbackSettingsSchema,
  callbackEnabled: z.boolean(),
  /** How the loader's consent gate behaves on this site (issue 6). Older servers send none: treat as `required`. */
  consent: consentSettingsSchema,
  /** Enabled proactive triggers (absent or empty: the loader never loads its trigger engine). */
  triggers: z.array(z.custom<PublicTrigger>()).optional(),
});
export type PublicSiteConfig = z.infer<typeof publicSiteConfigSchema>;

/**
 * An allowed origin is scheme + host + optional port, exactly as browsers send `Origin`.
 * A leading `*.` allows every subdomain of that host.
 */
export const allowedOriginSchema = text()
  .trim()
  .max(200)
  .regex(
    /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i,
    'an origin like https://shop.example.com (no path; "*." allows subdomains)',
  )
  .transform((origin) => origin.toLowerCase());

export const siteTemplates = ['shop', 'b2b'] as const;

export const createSiteSchema = z.object({
  name: shortText(80),
  key: siteKeySchema.optional(),
  allowedOrigins: z.array(allowedOriginSchema).max(50).default([]),
  template: z.enum(siteTemplates).default('shop'),
});
export type CreateSite = z.input<typeof createSiteSchema>;

export const updateSiteSchema = z
  .object({
    name: shortText(80),
    allowedOrigins: z.array(allowedOriginSchema).max(50),
    widget: widgetSettingsSchema,
    chat: chatSettingsSchema,
    callbacks: callbackSettingsSchema,
    feedback: feedbackSettingsSchema,
    consent: consentSettingsSchema,
    privacy: privacySettingsSchema,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to update');
export type UpdateSite = z.input<typeof updateSiteSchema>;

/** A site as the dashboard sees it (members only). */
export const siteSchema = z.object({
  id: text(),
  key: siteKeySchema,
  name: text(),
  allowedOrigins: z.array(text()),
  widget: widgetSettingsSchema,
  chat: chatSettingsSchema,
  callbacks: callbackSettingsSchema,
  feedback: feedbackSettingsSchema,
  consent: consentSettingsSchema,
  privacy: privacySettingsSchema,
  template: z.enum(siteTemplates),
  createdAt: text(),
});
export type Site = z.infer<typeof siteSchema>;

export const siteAnswerSchema = z.object({ site: siteSchema });
export const siteListSchema = z.object({ sites: z.array(siteSchema) });

/** The Install page's "is it working" facts: what the public endpoints refused or dropped in the last 24 h. */
export const installHealthSchema = z.object({
  /** Requests from an origin the site does not allow (not yet added), most requests first. */
  refusedOrigins: z.array(
    z.object({ origin: text(), requests: z.number().int(), lastAt: z.iso.datetime({ offset: true }) }),
  ),
  /** Batches from user agents classed as bots (headless browsers, crawlers, link previews): accepted, not stored. */
  bots: z.object({
    requests: z.number().int(),
    events: z.number().int(),
    lastAt: z.iso.datetime({ offset: true }).nullable(),
  }),
});
export type InstallHealth = z.infer<typeof installHealthSchema>;
export const installHealthAnswerSchema = z.object({ health: installHealthSchema });
