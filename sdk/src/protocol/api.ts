import { z } from 'zod';
import { callbackOutcomes } from './callbacks.js';
import { leadStatusSchema } from './leads.js';
import { outcomeSchema } from './scoring.js';
import { text } from './text.js';

// ---- API keys -----------------------------------------------------------------------------------

/**
 * The closed list of what an API key may be allowed to do. Each scope names exactly the routes of the
 * server's access table (`server/src/features/api-keys/access.ts`); every other `/api` route refuses keys.
 */
export const apiScopes = [
  'leads:read',
  'leads:write',
  'persons:read',
  'conversations:read',
  'callbacks:read',
  'callbacks:write',
  'feedback:read',
  'scores:read',
  'outcomes:write',
  'reports:read',
  'webhooks:write',
] as const;
export const apiScopeSchema = z.enum(apiScopes);
export type ApiScope = z.infer<typeof apiScopeSchema>;

/** Every key starts with this, then 8 characters of its id-like prefix (shown in lists), then the secret. */
export const apiKeyPrefix = 'bk_live_';

export const createApiKeySchema = z.object({
  name: text().trim().min(1).max(100),
  scopes: z.array(apiScopeSchema).min(1, 'choose at least one scope').max(apiScopes.length),
  /** Null or absent: every site of the installation (now and later). */
  siteIds: z.array(z.uuid()).min(1).max(200).nullable().default(null),
  /** Absent: never expires. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type CreateApiKey = z.input<typeof createApiKeySchema>;

const iso = z.iso.datetime({ offset: true });
const agentRefSchema = z.object({ id: z.uuid(), name: text() });

/** A key as lists show it: never its secret. */
export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: text(),
    /** `bk_live_` + 8 characters: enough to recognise a key in logs and configs. */
    prefix: text(),
    scopes: z.array(apiScopeSchema),
    siteIds: z.array(z.uuid()).nullable(),
    createdBy: agentRefSchema.nullable(),
    createdAt: iso,
    lastUsedAt: iso.nullable(),
    /** The network it was last used from, truncated as every address Beckon keeps (IPv4 /24, IPv6 /48). */
    lastUsedNetwork: text().nullable(),
    expiresAt: iso.nullable(),
    revokedAt: iso.nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The answer to a creation: the only time `secret` is ever sent. */
export const createdApiKeySchema = z.object({ apiKey: apiKeySchema, secret: text() }).meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const apiKeyAuditEntrySchema = z
  .object({
    id: z.number().int(),
    keyId: z.uuid().nullable(),
    keyPrefix: text(),
    action: z.enum(['created', 'revoked']),
    by: agentRefSchema.nullable(),
    detail: text(),
    createdAt: iso,
  })
  .meta({ id: 'ApiKeyAuditEntry' });
export type ApiKeyAuditEntry = z.infer<typeof apiKeyAuditEntrySchema>;

export const apiKeyListSchema = z.object({ apiKeys: z.array(apiKeySchema), audit: z.array(apiKeyAuditEntrySchema) });
export type ApiKeyList = z.infer<typeof apiKeyListSchema>;

// ---- Sync lists -----------------------------------------------------------------------------------

/**
 * `?updated_since=…&cursor=…&limit=…` on every sync list. Rows come in (updated_at, id) order; a CRM keeps
 * the last `nextCursor` (or the newest `updatedAt` it saw) and asks again later: a row changed while it was
 * paging moves behind the cursor and comes again on a later page, so nothing is missed.
 */
export const syncQuerySchema = z.object({
  updated_since: z.iso.datetime({ offset: true }).optional(),
  cursor: text().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SyncQuery = z.input<typeof syncQuerySchema>;

/** One page of a sync list. */
export const syncPageSchema = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    /** Pass back as `cursor` for the next page; null when this page reached the end. */
    nextCursor: text().nullable(),
    /** Where to resume polling later: after this page's last row (or the cursor given, on an empty page). */
    resumeCursor: text().nullable(),
    hasMore: z.boolean(),
  });
export interface SyncPage<Item> {
  items: Item[];
  nextCursor: string | null;
  resumeCursor: string | null;
  hasMore: boolean;
}

export const apiLeadSchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    externalId: text().nullable(),
    status: leadStatusSchema,
    name: text().nullable(),
    email: text().nullable(),
    phone: text().nullable(),
    channels: z.array(text()),
    temperature: z.enum(['cold', 'warm', 'hot']).nullable(),
    score: z.number().nullable(),
    personId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    outcomeNote: text().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ApiLead' });
export type ApiLead = z.infer<typeof apiLeadSchema>;

export const apiPersonSchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    name: text().nullable(),
    email: text().nullable(),
    phone: text().nullable(),
    userId: text().nullable(),
    outcome: outcomeSchema.nullable(),
    mergedInto: z.uuid().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ApiPerson' });
export type ApiPerson = z.infer<typeof apiPersonSchema>;

export const apiMessageSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    author: z.enum(['visitor', 'agent', 'system']),
    agentId: z.uuid().nullable(),
    text: text(),
    createdAt: iso,
  })
  .meta({ id: 'ApiMessage' });
export type ApiMessage = z.infer<typeof apiMessageSchema>;

export const maxSyncMessages = 500;

export const apiConversationSchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    status: z.enum(['open', 'closed']),
    channel: z.enum(['chat', 'offline']),
    assigneeId: z.uuid().nullable(),
    personId: z.uuid().nullable(),
    csatRating: z.number().int().nullable(),
    createdAt: iso,
    closedAt: iso.nullable(),
    /** The later of the last message and the closing. */
    updatedAt: iso,
    /** Visitor-visible messages (internal notes are left out), oldest first; at most the last 500. */
    messages: z.array(apiMessageSchema),
  })
  .meta({ id: 'ApiConversation' });
export type ApiConversation = z.infer<typeof apiConversationSchema>;

export const apiCallbackSchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    phone: text(),
    name: text().nullable(),
    mode: z.enum(['now', 'scheduled']),
    status: text(),
    requestedAt: iso,
    dueAt: iso,
    assigneeId: z.uuid().nullable(),
    outcome: z.enum(callbackOutcomes).nullable(),
    note: text().nullable(),
    attempts: z.number().int(),
    leadId: z.uuid().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ApiCallback' });
export type ApiCallback = z.infer<typeof apiCallbackSchema>;

export const apiFeedbackSchema = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    kind: text(),
    score: z.number().int().nullable(),
    text: text().nullable(),
    email: text().nullable(),
    leadId: z.uuid().nullable(),
    createdAt: iso,
    /** Feedback never changes: the same as `createdAt`. */
    updatedAt: iso,
  })
  .meta({ id: 'ApiFeedback' });
export type ApiFeedback = z.infer<typeof apiFeedbackSchema>;

export const apiScoreSchema = z
  .object({
    visitorId: text(),
    siteId: z.uuid(),
    personId: z.uuid().nullable(),
    score: z.number(),
    temperature: z.enum(['cold', 'warm', 'hot']),
    outcome: outcomeSchema.nullable(),
    lastSeenAt: iso,
    /** The later of the last visit and the outcome. */
    updatedAt: iso,
  })
  .meta({ id: 'ApiScore' });
export type ApiScore = z.infer<typeof apiScoreSchema>;

// ---- Writes -----------------------------------------------------------------------------------------

/** `external_id` in paths: the CRM's own id of a lead, unique per site. */
export const externalIdSchema = text()
  .min(1)
  .max(200)
  .regex(/^[\w.:@-]+$/, 'letters, digits and . _ : @ - only');

/** `PUT /api/sites/:siteId/leads/by-external-id/:externalId`: only the fields sent change. */
export const leadUpsertSchema = z
  .object({
    name: text().trim().max(200).nullable(),
    email: text().trim().max(320).email().nullable(),
    phone: text().trim().max(40).nullable(),
    status: leadStatusSchema,
    outcomeNote: text().trim().max(2000).nullable(),
  })
  .partial()
  .strict();
export type LeadUpsert = z.input<typeof leadUpsertSchema>;

/** `POST /api/sites/:siteId/callbacks/:id/close`. */
export const callbackCloseSchema = z
  .object({
    outcome: z.enum(callbackOutcomes),
    note: text().trim().max(2000).optional(),
  })
  .strict();

export const maxBulkOutcomes = 100;

const outcomeMatchSchema = z.union([
  z.object({ leadId: z.uuid() }).strict(),
  z.object({ personId: z.uuid() }).strict(),
  z.object({ email: text().trim().max(320).email() }).strict(),
  z.object({ externalId: externalIdSchema }).strict(),
]);

/** `POST /api/sites/:siteId/outcomes`: won / lost (null clears) for up to 100 leads or persons. */
export const bulkOutcomesSchema = z
  .object({
    outcomes: z
      .array(z.object({ match: outcomeMatchSchema, outcome: outcomeSchema.nullable() }).strict())
      .min(1)
      .max(maxBulkOutcomes),
  })
  .strict();
export type BulkOutcomes = z.input<typeof bulkOutcomesSchema>;

export const bulkOutcomeResultSchema = z.object({
  index: z.number().int(),
  status: z.enum(['updated', 'not_found']),
  personId: z.uuid().nullable(),
  leadId: z.uuid().nullable(),
});
export type BulkOutcomeResult = z.infer<typeof bulkOutcomeResultSchema>;
export const bulkOutcomesAnswerSchema = z.object({ results: z.array(bulkOutcomeResultSchema) });

/** The answers of the integration routes. */
export const apiLeadAnswerSchema = z.object({ lead: apiLeadSchema });
export const apiLeadUpsertAnswerSchema = z.object({ lead: apiLeadSchema, created: z.boolean() });
export const apiCallbackAnswerSchema = z.object({ callback: apiCallbackSchema });
export const apiKeyAnswerSchema = z.object({ apiKey: apiKeySchema });

/** The `Idempotency-Key` header every integration POST accepts. */
export const idempotencyKeySchema = text()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
