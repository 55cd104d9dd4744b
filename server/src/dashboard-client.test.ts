import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseKinds, testAdmin, type TestApp } from './testing/harness.js';
// The dashboard's own client, as the browser runs it: hc builds each URL from the route types at run time,
// so this checks that every path it builds is a route the server answers.
import { ApiError, createApiClient } from '../../dashboard/src/api/index.js';

describe.each(databaseKinds)("the dashboard's API client against the server's routes on %s", (kind) => {
  let t: TestApp;
  let cookie = '';
  const unauthorized: string[] = [];

  /** The browser's part: the session cookie rides along (same origin), the rest is the client's. */
  const fetchThroughApp = (async (input: string, init: RequestInit) => {
    const headers = { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) };
    const response = await t.app.request(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return response;
  }) as unknown as typeof fetch;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.dispose());

  it('reaches a route with every call it makes, and reads the answers as typed', async () => {
    const api = createApiClient({ fetch: fetchThroughApp, onUnauthorized: () => unauthorized.push('401') });
    await expect(api.listSites()).rejects.toBeInstanceOf(ApiError);
    expect(unauthorized).toEqual(['401']);

    const session = await api.login(testAdmin);
    const siteId = session.sites[0]!.id;
    expect(api.csrfToken).toBe(session.csrfToken);
    expect((await api.me()).agent.id).toBe(session.agent.id);

    // Reads of every page.
    expect((await api.getSite(siteId)).id).toBe(siteId);
    expect((await api.listSites()).map((site) => site.id)).toContain(siteId);
    expect(await api.installHealth(siteId)).toBeDefined();
    expect(await api.listPageviews(siteId, 5)).toEqual([]);
    expect((await api.listVisitors(siteId)).visitors).toEqual([]);
    expect((await api.getRouting(siteId)).settings).toBeDefined();
    expect((await api.getScoring(siteId)).defaults).toBeDefined();
    expect(await api.getScoringJob(siteId)).toBeNull();
    expect(await api.listTriggers(siteId)).toEqual(expect.any(Array));
    expect(await api.listInvitations(siteId)).toEqual([]);
    expect((await api.listAudiences(siteId)).audiences).toEqual(expect.any(Array));
    expect(await api.identitySecretStatus(siteId)).toBeDefined();
    expect(await api.privacyAudit(siteId)).toEqual(expect.any(Array));
    expect(await api.listConversations({ siteId, view: 'all', status: 'open' })).toEqual([]);
    expect(await api.sitePresence(siteId)).toEqual(expect.any(Array));
    expect((await api.listLeads(new URLSearchParams({ siteId }))).leads).toEqual([]);
    expect(await api.listWebhooks(siteId)).toEqual([]);
    expect(await api.listCallbacks(siteId, 'open', 10)).toEqual([]);
    expect((await api.feedbackReport(siteId, 30)).days).toBe(30);
    expect((await api.listApiKeys()).apiKeys).toEqual([]);
    expect((await api.listAgents()).map((agent) => agent.id)).toContain(session.agent.id);

    // Writes: bodies and path parameters reach their routes, CSRF header included.
    const updated = await api.updateSite(siteId, { name: 'Renamed by the client' });
    expect(updated.name).toBe('Renamed by the client');
    const canned = await api.createCannedResponse(siteId, { shortcut: 'hi', text: 'Hello there' });
    expect((await api.listCannedResponses(siteId)).map((entry) => entry.shortcut)).toContain('hi');
    await expect(api.deleteCannedResponse(siteId, canned.id)).resolves.toBeUndefined();
    const created = await api.createApiKey({ name: 'from the dashboard client', scopes: ['leads:read'] });
    expect((await api.revokeApiKey(created.apiKey.id)).status).toBe('revoked');
    const endpoint = await api.createWebhook(siteId, {
      url: 'https://crm.example.com/hooks',
      events: ['lead.created'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await api.updateWebhook(siteId, endpoint.endpoint.id, { enabled: false })).endpoint.enabled).toBe(false);
    expect(await api.listWebhookDeliveries(siteId, endpoint.endpoint.id, 5)).toEqual([]);
    await expect(api.deleteWebhook(siteId, endpoint.endpoint.id)).resolves.toEqual({ ok: true });

    // A path parameter that names nothing is the server's 404, as an ApiError.
    await expect(api.getConversation('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(api.logout()).resolves.toBeUndefined();
    expect(api.csrfToken).toBeNull();
  });
});
