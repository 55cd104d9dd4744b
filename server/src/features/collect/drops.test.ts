import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { InstallHealth } from '@beckon/sdk/protocol';
import { collectDropsTable, sitesTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';

let counter = 0;
const pageview = () => ({
  id: `evt_drop_${(counter++).toString().padStart(6, '0')}`,
  type: 'pageview',
  ts: Date.now(),
  url: 'https://x.example/',
});
const batch = (events: unknown[]) => ({
  site: 'demo',
  visitorId: 'visitor_drops_1',
  sessionId: 'session_drops1',
  events,
});
const headlessChrome =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36';

describe.each(databaseKinds)('refused origins and bot drops on the Install page on %s', (kind) => {
  let t: TestApp;
  let auth: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const health = async () =>
    (
      (await (await t.request('GET', `/api/sites/${siteId}/install-health`, { headers: auth.headers })).json()) as {
        health: InstallHealth;
      }
    ).health;

  beforeAll(async () => {
    t = await createTestApp(kind);
    auth = await t.login();
    siteId = (await t.db.select().from(sitesTable).where(eq(sitesTable.key, 'demo')))[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('lists an origin the site refused in the last 24 h until it is added, counted per hour rather than per request', async () => {
    expect((await health()).refusedOrigins).toEqual([]);
    // The loader's config request and its batches, from a page the site does not allow.
    const config = await t.request('GET', '/v1/sites/demo/config', { headers: { origin: 'https://x.example' } });
    expect(config.status).toBe(403);
    expect(((await config.json()) as { error: { message: string } }).error.message).toMatch(
      /https:\/\/x\.example is not allowed/,
    );
    for (let i = 0; i < 3; i++) {
      const refused = await t.request('POST', '/v1/collect', {
        body: batch([pageview()]),
        headers: { origin: 'https://x.example', 'content-type': 'text/plain' },
      });
      expect(refused.status).toBe(403);
    }
    await t.request('POST', '/v1/collect', {
      body: batch([pageview()]),
      headers: { origin: testOrigin, 'content-type': 'text/plain' },
    });

    const { refusedOrigins } = await health();
    expect(refusedOrigins).toEqual([{ origin: 'https://x.example', requests: 4, lastAt: expect.any(String) }]);
    expect(await t.db.select().from(collectDropsTable).where(eq(collectDropsTable.siteId, siteId))).toHaveLength(1);

    // "Add it": the origin joins the allowed list and is no longer reported.
    const site = (await t.db.select().from(sitesTable).where(eq(sitesTable.id, siteId)))[0]!;
    const added = await t.request('PATCH', `/api/sites/${siteId}`, {
      body: { allowedOrigins: [...site.allowedOrigins, 'https://x.example'] },
      headers: auth.headers,
    });
    expect(added.status).toBe(200);
    expect((await health()).refusedOrigins).toEqual([]);
    const accepted = await t.request('POST', '/v1/collect', {
      body: batch([pageview()]),
      headers: { origin: 'https://x.example', 'content-type': 'text/plain' },
    });
    expect(accepted.status).toBe(200);
  });

  it('counts events dropped because the browser is a bot (headless, preview), without storing them', async () => {
    for (const size of [2, 3]) {
      const dropped = await t.request('POST', '/v1/collect', {
        body: batch(Array.from({ length: size }, pageview)),
        headers: { origin: testOrigin, 'content-type': 'text/plain', 'user-agent': headlessChrome },
      });
      expect(await dropped.json()).toEqual({ stored: 0, duplicates: 0, dropped: size });
    }
    expect((await health()).bots).toEqual({ requests: 2, events: 5, lastAt: expect.any(String) });
  });

  it('shows a site’s counts only to agents who may see the site', async () => {
    const response = await t.request('GET', `/api/sites/${siteId}/install-health`);
    expect(response.status).toBe(401);
  });
});
