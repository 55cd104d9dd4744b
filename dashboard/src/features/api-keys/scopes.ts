import type { ApiKey, ApiKeyAuditEntry, ApiScope } from '@beckon/sdk/protocol';
import { t } from './i18n';

/**
 * What each scope allows, next to its checkbox: catalogue keys, read at render time in the current language.
 * In the protocol's order (`apiScopes`); a type-only import keeps zod out of the bundle, so the list is spelled
 * here and checked by the Record below.
 */
const scopeDescriptions = {
  'leads:read': 'scopeLeadsRead',
  'leads:write': 'scopeLeadsWrite',
  'persons:read': 'scopePersonsRead',
  'conversations:read': 'scopeConversationsRead',
  'callbacks:read': 'scopeCallbacksRead',
  'callbacks:write': 'scopeCallbacksWrite',
  'feedback:read': 'scopeFeedbackRead',
  'scores:read': 'scopeScoresRead',
  'outcomes:write': 'scopeOutcomesWrite',
  'reports:read': 'scopeReportsRead',
  'webhooks:write': 'scopeWebhooksWrite',
} as const satisfies Record<ApiScope, string>;

export const scopeList = Object.keys(scopeDescriptions) as ApiScope[];

export function scopeDescription(scope: ApiScope): string {
  return t(scopeDescriptions[scope]);
}

const statusLabels = {
  active: 'statusActive',
  expired: 'statusExpired',
  revoked: 'statusRevoked',
} as const satisfies Record<ApiKey['status'], string>;

export function statusLabel(status: ApiKey['status']): string {
  return t(statusLabels[status]);
}

/** The server sends the action as a word; the sentence around it is the catalogue's, so each language orders it. */
export const auditSentences = {
  created: 'auditCreated',
  revoked: 'auditRevoked',
} as const satisfies Record<ApiKeyAuditEntry['action'], string>;
