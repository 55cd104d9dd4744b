import type { ApiScope } from '@beckon/sdk/protocol';

/**
 * What an API key may reach: the closed list of `/api` routes a scope names. Every route not listed here
 * (team, sites, settings, key management itself…) refuses keys with 403, whatever the key's scopes.
 * Every listed route is per site, so the key's site limit is checked here too, before any handler runs.
 */
const uuid = '[0-9a-fA-F-]{36}';
const site = `^/api/sites/(?<siteId>${uuid})`;
const routes: {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: RegExp;
  scope: ApiScope;
  siteIn?: 'query';
}[] = [
  { method: 'GET', path: new RegExp(`${site}/sync/leads$`), scope: 'leads:read' },
  { method: 'GET', path: new RegExp(`${site}/leads/by-external-id/[^/]+$`), scope: 'leads:read' },
  { method: 'PUT', path: new RegExp(`${site}/leads/by-external-id/[^/]+$`), scope: 'leads:write' },
  { method: 'GET', path: new RegExp(`${site}/sync/persons$`), scope: 'persons:read' },
  { method: 'GET', path: new RegExp(`${site}/sync/conversations$`), scope: 'conversations:read' },
  { method: 'GET', path: new RegExp(`${site}/sync/callbacks$`), scope: 'callbacks:read' },
  { method: 'POST', path: new RegExp(`${site}/callbacks/${uuid}/close$`), scope: 'callbacks:write' },
  { method: 'GET', path: new RegExp(`${site}/sync/feedback$`), scope: 'feedback:read' },
  { method: 'GET', path: new RegExp(`${site}/sync/scores$`), scope: 'scores:read' },
  { method: 'POST', path: new RegExp(`${site}/outcomes$`), scope: 'outcomes:write' },
  // Offline signals (features/visitors: a purchase in the shop's till, a signed contract) feed the same learning.
  { method: 'POST', path: new RegExp(`${site}/signals$`), scope: 'outcomes:write' },
  { method: 'PUT', path: new RegExp(`${site}/outcomes$`), scope: 'outcomes:write' },
  // The NPS / CSAT report (features/feedback).
  { method: 'GET', path: new RegExp(`${site}/feedback$`), scope: 'reports:read' },
  // Reports (features/reports): one site (`?siteId=`, checked here) or every site the key may see (the route
  // narrows to the key's sites). Spend and digest settings need a dashboard login.
  {
    method: 'GET',
    path: /^\/api\/reports\/(overview|speed|agents|funnel|cost|feedback|triggers)(\/export\.csv)?(\?.*)?$/,
    scope: 'reports:read',
    siteIn: 'query',
  },
  // Webhook endpoints (features/webhooks): list, create, change, delete, test, deliveries, redeliver.
  { method: 'GET', path: new RegExp(`${site}/webhooks(/${uuid}(/deliveries)?)?$`), scope: 'webhooks:write' },
  {
    method: 'POST',
    path: new RegExp(`${site}/webhooks(/${uuid}/(test|deliveries/[^/]+/redeliver))?$`),
    scope: 'webhooks:write',
  },
  { method: 'PATCH', path: new RegExp(`${site}/webhooks/${uuid}$`), scope: 'webhooks:write' },
  { method: 'DELETE', path: new RegExp(`${site}/webhooks/${uuid}$`), scope: 'webhooks:write' },
];

/**
 * The scope a route needs and the site it is about, or null for routes no key may use. `siteId` is null for a
 * route over every site the key may see (the route itself narrows to the key's sites).
 */
export function routeAccess(
  method: string,
  path: string,
  query: URLSearchParams = new URLSearchParams(),
): { scope: ApiScope; siteId: string | null } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (!match) continue;
    if (route.siteIn === 'query') return { scope: route.scope, siteId: query.get('siteId')?.toLowerCase() ?? null };
    return { scope: route.scope, siteId: match.groups!.siteId!.toLowerCase() };
  }
  return null;
}

/** Every (method, example path) the table allows, for the scope-matrix test. */
export const accessRoutes = routes;
