import type { ApiKey, ApiScope } from '@beckon/sdk/protocol';

/** In the protocol's order (`apiScopes`); a type-only import keeps zod out of the bundle, so the list is spelled here and checked by the Record below. */
export const scopeDescriptions: Record<ApiScope, string> = {
  'leads:read': 'List leads and read one by external id',
  'leads:write': 'Create and change leads by external id',
  'persons:read': 'List persons',
  'conversations:read': 'List conversations with their messages',
  'callbacks:read': 'List callback requests',
  'callbacks:write': 'Close callbacks with an outcome',
  'feedback:read': 'List feedback answers',
  'scores:read': 'List visitor scores and temperatures',
  'outcomes:write': 'Mark leads and persons won or lost; send offline signals',
  'reports:read': 'Read the NPS / CSAT report',
  'webhooks:write': 'Manage webhook endpoints',
};

export const scopeList = Object.keys(scopeDescriptions) as ApiScope[];

export const statusLabels: Record<ApiKey['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};
