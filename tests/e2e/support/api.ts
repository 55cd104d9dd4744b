import { expect, type APIRequestContext } from '@playwright/test';
import type { LivePageview, Me, Site } from '@beckon/sdk/protocol';
import { admin, demoSiteKey } from './env.js';

/** Logs the request context in as the seeded admin; its cookie jar keeps the session. */
export async function login(request: APIRequestContext): Promise<Me> {
  const response = await request.post('/api/auth/login', { data: admin });
  expect(response.status(), `login failed: ${await response.text()}`).toBe(200);
  return (await response.json()) as Me;
}

export function demoSite(me: Me): Site {
  const site = me.sites.find((candidate) => candidate.key === demoSiteKey);
  if (!site)
    throw new Error(`the admin cannot see the "${demoSiteKey}" site; sites: ${me.sites.map((s) => s.key).join(', ')}`);
  return site;
}

export async function recentPageviews(
  request: APIRequestContext,
  siteId: string,
  limit = 200,
): Promise<LivePageview[]> {
  const response = await request.get(`/api/sites/${encodeURIComponent(siteId)}/pageviews?limit=${limit}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { pageviews: LivePageview[] }).pageviews;
}
