import { z } from 'zod';
import { text } from './text.js';
import { translationsOf } from './languages.js';
import { siteKeySchema } from './site-key.js';
import { clientIdSchema } from './collect.js';

/**
 * How a site asks for consent (issue 6).
 * - `required` (default): no non-essential cookie, storage, identifier or behaviour stream until the
 *   visitor grants `analytics`; before that the loader may only send `anonymous` pageview batches
 *   (see `collectBatchSchema`), which the server counts under a daily-rotating salted hash.
 * - `implied`: analytics on from the first page (sites outside such laws); marketing still needs a grant.
 * - `external`: follow the site's consent manager (Google Consent Mode, IAB TCF `__tcfapi`) or its own
 *   `Beckon('consent', ...)` calls.
 */
export const consentModes = ['required', 'implied', 'external'] as const;
export const consentModeSchema = z.enum(consentModes);
export type ConsentMode = z.infer<typeof consentModeSchema>;

/** `analytics`: behaviour stream and scoring. `marketing`: retargeting cookies (bk_vid, bk_seg) and pixels. */
export const consentPurposes = ['analytics', 'marketing'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

const promptText = (max: number) => text().trim().min(1).max(max);

export const consentPromptSchema = z.object({
  /** Show Beckon's own prompt (mode `required`, no stored choice yet). Off: the site asks with its own banner. */
  enabled: z.boolean(),
  texts: z.object({
    title: promptText(80),
    body: promptText(600),
    acceptAll: promptText(40),
    rejectAll: promptText(40),
    /** Shown as a third button that grants analytics only. */
    analyticsOnly: promptText(40),
  }),
  /** `texts` in other widget languages (the prompt shows the visitor's). */
  translations: translationsOf({
    title: promptText(80),
    body: promptText(600),
    acceptAll: promptText(40),
    rejectAll: promptText(40),
    analyticsOnly: promptText(40),
  }).optional(),
  /** Link to the site's privacy policy, shown in the prompt. */
  policyUrl: text()
    .trim()
    .url()
    .max(500)
    .regex(/^https?:\/\//, 'an http(s) URL')
    .optional(),
});
export type ConsentPrompt = z.infer<typeof consentPromptSchema>;

/** Site settings (dashboard, admins). Everything here is also public (`GET /v1/sites/:key/config`). */
export const consentSettingsSchema = z.object({
  mode: consentModeSchema,
  prompt: consentPromptSchema,
  /** Recorded with every consent choice; changing it asks visitors again (a stored choice for an older version is stale). */
  policyVersion: text()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "-" and "_"'),
  /** Treat `navigator.doNotTrack === "1"` as a denial of both purposes. (GPC always denies marketing.) */
  honourDnt: z.boolean(),
  /**
   * An `identify` that names a user (`userId`) must carry a valid `userHash` (HMAC-SHA256 of the userId
   * with the site's identity secret); otherwise the batch is refused with 401 and nothing changes.
   * When off, a wrong hash is still refused; a missing one identifies without the "verified" mark.
   */
  requireVerifiedIdentity: z.boolean(),
});
export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

export const defaultConsentSettings: ConsentSettings = {
  mode: 'required',
  prompt: {
    enabled: true,
    texts: {
      title: 'Your privacy',
      body: 'We use cookies and similar storage to understand how our site is used (analytics) and to show you relevant offers elsewhere (marketing). You can change your mind at any time.',
      acceptAll: 'Accept all',
      rejectAll: 'Reject all',
      analyticsOnly: 'Analytics only',
    },
  },
  policyVersion: '1',
  honourDnt: false,
  requireVerifiedIdentity: false,
};

/** Per-site data keeping (dashboard, admins). Not public. */
export const privacySettingsSchema = z.object({
  /** Behaviour events older than this many days are purged by the retention job; null keeps them. */
  retentionDays: z.number().int().min(1).max(3650).nullable(),
});
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;
export const defaultPrivacySettings: PrivacySettings = { retentionDays: 395 };

export const consentSources = ['prompt', 'api', 'external', 'gpc'] as const;
export type ConsentSource = (typeof consentSources)[number];

/** A choice per purpose: true granted, false denied; a purpose left out keeps its previous state (denied if none). */
export const consentPurposesSchema = z
  .object({ analytics: z.boolean().optional(), marketing: z.boolean().optional() })
  .refine((p) => p.analytics !== undefined || p.marketing !== undefined, 'at least one purpose');

/**
 * `POST /v1/consent` — a visitor's choice, recorded server-side (time, purposes, policy version, source).
 * `visitorId` is the tracker's id when the visitor has one (after an analytics grant); a denial before
 * any id exists is sent without it and recorded against the anonymous daily hash.
 * A request with `Sec-GPC: 1` never records a marketing grant (stored as denied, source `gpc`).
 */
export const consentRequestSchema = z.object({
  site: siteKeySchema,
  visitorId: clientIdSchema.optional(),
  purposes: consentPurposesSchema,
  policyVersion: text().trim().min(1).max(40),
  source: z.enum(consentSources),
});
export type ConsentRequest = z.infer<typeof consentRequestSchema>;

export const consentStateSchema = z.object({ analytics: z.boolean(), marketing: z.boolean() });
export type ConsentState = z.infer<typeof consentStateSchema>;

export const consentResponseSchema = z.object({
  /** The visitor's state after this choice (marketing false under GPC whatever was asked). */
  state: consentStateSchema,
  recordedAt: text(),
});
export type ConsentResponse = z.infer<typeof consentResponseSchema>;

/** One stored consent record, as export and the dashboard show it. */
export const consentRecordSchema = z.object({
  id: text(),
  visitorId: text(),
  analytics: z.boolean(),
  marketing: z.boolean(),
  policyVersion: text(),
  source: z.enum(consentSources),
  gpc: z.boolean(),
  recordedAt: text(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

/** Identity secret (HMAC key for `userHash`): shown to admins once, when generated or rotated. */
export const identitySecretResponseSchema = z.object({ secret: text(), rotatedAt: text() });
export type IdentitySecretResponse = z.infer<typeof identitySecretResponseSchema>;
export const identitySecretStatusSchema = z.object({ configured: z.boolean(), rotatedAt: text().nullable() });
export type IdentitySecretStatus = z.infer<typeof identitySecretStatusSchema>;

/** `GET /api/sites/:siteId/privacy/visitors/:visitorId/export` — every stored field, per table. */
export const visitorExportSchema = z.object({
  site: z.object({ id: text(), key: text() }),
  visitorId: text(),
  exportedAt: text(),
  /** Table name → rows as stored (all columns). */
  tables: z.record(text(), z.array(z.record(text(), z.unknown()))),
});
export type VisitorExport = z.infer<typeof visitorExportSchema>;

/** `DELETE /api/sites/:siteId/privacy/visitors/:visitorId` — rows removed per table. */
export const visitorErasureSchema = z.object({
  visitorId: text(),
  erasedAt: text(),
  deleted: z.record(text(), z.number().int()),
});
export type VisitorErasure = z.infer<typeof visitorErasureSchema>;

/** The audit trail of exports and erasures. */
export const privacyAuditEntrySchema = z.object({
  id: text(),
  action: z.enum(['export', 'erase']),
  visitorId: text(),
  agentEmail: text().nullable(),
  via: z.enum(['dashboard', 'api']),
  detail: z.record(text(), z.number().int()).nullable(),
  createdAt: text(),
});
export type PrivacyAuditEntry = z.infer<typeof privacyAuditEntrySchema>;
export const privacyAuditSchema = z.object({ entries: z.array(privacyAuditEntrySchema) });
