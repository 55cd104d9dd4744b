import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { apiKeyListSchema, apiScopes, createdApiKeySchema, type ApiScope } from '@beckon/sdk/protocol';
import {
  agentsTable,
  callbackEventsTable,
  callbacksTable,
  leadAuditTable,
  leadsTable,
  personAuditTable,
  personsTable,
  sitesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { hashPassword, sha256 } from '../../lib/crypto.js';
import { createTestApp, databaseKinds, testConfig, type TestApp } from '../../testing/harness.js';
import { apiKeyAuditTable, apiKeysTable, idempotencyKeysTable } from './schema.js';
import { forgetLastUsedMarks } from './service.js';
import { accessRoutes } from './access.js';
import { refusedPerAddress } from './middleware.js';

const rateLimit = 60;

describe.each(databaseKinds)('API keys on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteA: string;
  let siteB: string;
  let n = 0;

  const bearer = (secret: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${secret}`,
    ...extra,
  });
  async function createKey(scopes: readonly ApiScope[] = apiScopes, siteIds: string[] | null = null, by = admin) {
    const response = await t.request('POST', '/api/api-keys', {
      headers: by.headers,
      body: { name: `key ${++n}`, scopes, siteIds },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { apiKey: { id: string; prefix: string; status: string }; secret: string };
  }
  const asKey = (secret: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.request(method, path, { headers: bearer(secret, headers), ...(body === undefined ? {} : { body }) });

  /** One request per route of the key access table, on `site`, with the scope it needs. */
  type Probe = { scope: ApiScope; method: string; path: string; body?: unknown };
  const unknownId = '00000000-0000-4000-8000-000000000001';
  const probesOn = (site: string): Probe[] => [
    { scope: 'leads:read', method: 'GET', path: `/api/sites/${site}/sync/leads` },
    { scope: 'leads:read', method: 'GET', path: `/api/sites/${site}/leads/by-external-id/matrix-none` },
    {
      scope: 'leads:write',
      method: 'PUT',
      path: `/api/sites/${site}/leads/by-external-id/matrix-1`,
      body: { name: 'Matrix' },
    },
    { scope: 'persons:read', method: 'GET', path: `/api/sites/${site}/sync/persons` },
    { scope: 'conversations:read', method: 'GET', path: `/api/sites/${site}/sync/conversations` },
    { scope: 'callbacks:read', method: 'GET', path: `/api/sites/${site}/sync/callbacks` },
    {
      scope: 'callbacks:write',
      method: 'POST',
      path: `/api/sites/${site}/callbacks/${unknownId}/close`,
      body: { outcome: 'reached' },
    },
    { scope: 'feedback:read', method: 'GET', path: `/api/sites/${site}/sync/feedback` },
    { scope: 'scores:read', method: 'GET', path: `/api/sites/${site}/sync/scores` },
    {
      scope: 'outcomes:write',
      method: 'POST',
      path: `/api/sites/${site}/outcomes`,
      body: { outcomes: [{ match: { email: 'nobody@example.test' }, outcome: 'won' }] },
    },
    {
      scope: 'outcomes:write',
      method: 'POST',
      path: `/api/sites/${site}/signals`,
      body: { signals: [{ id: 'matrix-1', name: 'purchase', email: 'nobody@example.test' }] },
    },
    {
      scope: 'outcomes:write',
      method: 'PUT',
      path: `/api/sites/${site}/outcomes`,
      body: { outcomes: [{ id: 'matrix-1', email: 'nobody@example.test', outcome: 'won' }] },
    },
    { scope: 'reports:read', method: 'GET', path: `/api/sites/${site}/feedback` },
    {
      scope: 'reports:read',
      method: 'GET',
      path: `/api/reports/overview?siteId=${site}&from=2026-01-01&to=2026-01-31`,
    },
    { scope: 'webhooks:write', method: 'GET', path: `/api/sites/${site}/webhooks` },
    {
      scope: 'webhooks:write',
      method: 'POST',
      path: `/api/sites/${site}/webhooks`,
      body: { url: 'https://crm.example.com/hook', events: ['lead.created'] },
    },
    { scope: 'webhooks:write', method: 'GET', path: `/api/sites/${site}/webhooks/${unknownId}` },
    { scope: 'webhooks:write', method: 'GET', path: `/api/sites/${site}/webhooks/${unknownId}/deliveries` },
    {
      scope: 'webhooks:write',
      method: 'PATCH',
      path: `/api/sites/${site}/webhooks/${unknownId}`,
      body: { enabled: false },
    },
    { scope: 'webhooks:write', method: 'DELETE', path: `/api/sites/${site}/webhooks/${unknownId}` },
    { scope: 'webhooks:write', method: 'POST', path: `/api/sites/${site}/webhooks/${unknownId}/test` },
    {
      scope: 'webhooks:write',
      method: 'POST',
      path: `/api/sites/${site}/webhooks/${unknownId}/deliveries/msg_unknown/redeliver`,
    },
  ];

  beforeAll(async () => {
    t = await createTestApp(kind, {
      config: testConfig({ BECKON_API_SYNC_SETTLE_MS: '0', BECKON_API_KEY_RATE_LIMIT: String(rateLimit) }),
    });
    admin = await t.login();
    siteA = admin.me.sites[0]!.id;
    const created = await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other shop' } });
    siteB = (await created.json()).site.id;
  });
  afterAll(() => t?.dispose());

  it('shows a key once, stores only its SHA-256, records use, and stops it at revocation; all audited', async () => {
    const { apiKey, secret } = createdApiKeySchema.parse(await createKey(['leads:read']));
    expect(secret).toMatch(/^bk_live_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
    const [row] = await t.db.select().from(apiKeysTable).where(eq(apiKeysTable.id, apiKey.id));
    expect(row!.secretHash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(apiKey.prefix.length + 1));
    const listed = apiKeyListSchema.parse(
      await (await t.request('GET', '/api/api-keys', { headers: admin.headers })).json(),
    );
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.apiKeys.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({
      status: 'active',
      scopes: ['leads:read'],
      siteIds: null,
      lastUsedAt: null,
    });

    forgetLastUsedMarks(t.db);
    const used = await t.request('GET', `/api/sites/${siteA}/sync/leads`, {
      headers: bearer(secret),
      ip: '198.51.100.77',
    });
    expect(used.status).toBe(200);
    const [afterUse] = await t.db.select().from(apiKeysTable).where(eq(apiKeysTable.id, apiKey.id));
    expect(afterUse!.lastUsedAt).not.toBeNull();
    expect(afterUse!.lastUsedNetwork).toBe('198.51.100.0');
    // Within the minute a second use writes nothing.
    await t.request('GET', `/api/sites/${siteA}/sync/leads`, { headers: bearer(secret), ip: '192.0.2.9' });
    const [again] = await t.db.select().from(apiKeysTable).where(eq(apiKeysTable.id, apiKey.id));
    expect(again!.lastUsedAt).toEqual(afterUse!.lastUsedAt);

    const revoked = await t.request('POST', `/api/api-keys/${apiKey.id}/revoke`, { headers: admin.headers });
    expect((await revoked.json()).apiKey.status).toBe('revoked');
    const refused = await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads`);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatchObject({ code: 'unauthorized', message: 'This API key was revoked' });
    const audit = await t.db.select().from(apiKeyAuditTable).where(eq(apiKeyAuditTable.keyId, apiKey.id));
    expect(audit.map((entry) => entry.action).sort()).toEqual(['created', 'revoked']);
    expect(audit.every((entry) => entry.byAgentId === admin.me.agent.id)).toBe(true);
  });

  it('answers 401 to wrong, malformed and expired keys and changes nothing', async () => {
    const { apiKey, secret } = await createKey(['leads:write']);
    const wrong = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const expired = (await createKey(['leads:write'])).secret;
    await t.db
      .update(apiKeysTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeysTable.prefix, expired.slice(0, 16)));
    for (const [value, message] of [
      [wrong, 'Invalid API key'],
      [`bk_live_nothex00_${'a'.repeat(43)}`, 'Invalid API key'],
      ['bk_live_0123abcd_short', 'Invalid API key'],
      [expired, 'This API key has expired'],
    ] as const) {
      const response = await asKey(value, 'PUT', `/api/sites/${siteA}/leads/by-external-id/never-${n}`, {
        name: 'Mallory',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect((await response.json()).error).toEqual({ code: 'unauthorized', message });
    }
    // A Bearer token that is not a key is no key: without a session it is simply not logged in.
    const other = await asKey('hello', 'PUT', `/api/sites/${siteA}/leads/by-external-id/never-${n}`, {
      name: 'Mallory',
    });
    expect(other.status).toBe(401);
    expect(
      await t.db
        .select()
        .from(leadsTable)
        .where(eq(leadsTable.externalId, `never-${n}`)),
    ).toEqual([]);
    expect(apiKey.status).toBe('active');
  });

  it('works only while its creator is an admin; agents cannot manage keys', async () => {
    await t.db.insert(agentsTable).values({
      email: 'second-admin@example.test',
      name: 'Second admin',
      role: 'admin',
      passwordHash: await hashPassword('second admin password'),
    });
    const second = await t.login('second-admin@example.test', 'second admin password');
    const { secret } = await createKey(['leads:read'], null, second);
    expect((await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads`)).status).toBe(200);
    await t.db.update(agentsTable).set({ role: 'agent' }).where(eq(agentsTable.id, second.me.agent.id));
    const demoted = await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads`);
    expect(demoted.status).toBe(401);
    expect((await t.request('GET', '/api/api-keys', { headers: second.headers })).status).toBe(403);
    expect(
      (
        await t.request('POST', '/api/api-keys', {
          headers: second.headers,
          body: { name: 'x', scopes: ['leads:read'] },
        })
      ).status,
    ).toBe(403);
    await t.db.delete(agentsTable).where(eq(agentsTable.id, second.me.agent.id));
    expect((await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads`)).status).toBe(401);
  });

  it('slows down an address that keeps sending wrong keys', async () => {
    const wrong = `bk_live_00000000_${'A'.repeat(43)}`;
    let status = 0;
    for (let i = 0; i <= refusedPerAddress.limit && status !== 429; i++) {
      status = (await t.request('GET', `/api/sites/${siteA}/sync/leads`, { headers: bearer(wrong), ip: '192.0.2.200' }))
        .status;
    }
    expect(status).toBe(429);
    // Another address, and good keys from this one, are not affected.
    expect(
      (await t.request('GET', `/api/sites/${siteA}/sync/leads`, { headers: bearer(wrong), ip: '192.0.2.201' })).status,
    ).toBe(401);
    const { secret } = await createKey(['leads:read']);
    expect(
      (await t.request('GET', `/api/sites/${siteA}/sync/leads`, { headers: bearer(secret), ip: '192.0.2.200' })).status,
    ).toBe(200);
  });

  it('refuses bad key definitions', async () => {
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['leads:delete'] },
      { name: '', scopes: ['leads:read'] },
      { name: 'x', scopes: ['leads:read'], siteIds: ['00000000-0000-4000-8000-000000000000'] },
      { name: 'x', scopes: ['leads:read'], expiresAt: '2001-01-01T00:00:00Z' },
    ]) {
      const response = await t.request('POST', '/api/api-keys', { headers: admin.headers, body });
      expect(response.status).toBe(400);
    }
  });

  it('still needs CSRF for cookie sessions, and a key never borrows the cookie', async () => {
    const noCsrf = await t.request('POST', `/api/sites/${siteA}/outcomes`, {
      headers: { cookie: admin.cookie },
      body: { outcomes: [{ match: { email: 'a@b.example' }, outcome: 'won' }] },
    });
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).error.code).toBe('csrf_failed');
    const { secret } = await createKey(['leads:read']);
    // The admin's cookie and CSRF token beside a read-only key: the key's limits hold.
    const both = await t.request('POST', `/api/sites/${siteA}/outcomes`, {
      headers: { ...admin.headers, ...bearer(secret) },
      body: { outcomes: [{ match: { email: 'a@b.example' }, outcome: 'won' }] },
    });
    expect(both.status).toBe(403);
    expect((await both.json()).error.message).toContain('outcomes:write');
    expect((await t.request('GET', '/api/agents', { headers: { ...admin.headers, ...bearer(secret) } })).status).toBe(
      403,
    );
    // A cookie with a key and no CSRF token: the key's own scope is enough for what it names.
    expect(
      (
        await t.request('GET', `/api/sites/${siteA}/sync/leads`, {
          headers: { cookie: admin.cookie, ...bearer(secret) },
        })
      ).status,
    ).toBe(200);
  });

  it('scope matrix: each scope reaches what it names and nothing else', async () => {
    const probes = probesOn(siteA);
    expect(new Set(probes.map((probe) => probe.scope))).toEqual(new Set(apiScopes));
    // Every entry of the access table is probed: a route added there without a probe fails here.
    for (const route of accessRoutes)
      expect(
        probes.some((probe) => probe.method === route.method && route.path.test(probe.path)),
        `${route.method} ${route.path}`,
      ).toBe(true);
    for (const scope of apiScopes) {
      const { secret } = await createKey([scope]);
      for (const probe of probes) {
        const response = await asKey(secret, probe.method, probe.path, probe.body);
        const label = `${scope} → ${probe.method} ${probe.path}: ${response.status}`;
        if (probe.scope === scope) expect([200, 201, 404], label).toContain(response.status);
        else {
          expect(response.status, label).toBe(403);
          expect((await response.json()).error.code).toBe('forbidden');
        }
      }
    }
    // Routes no scope names refuse even a key with every scope.
    const { secret } = await createKey(apiScopes);
    for (const [method, path] of [
      ['GET', '/api/agents'],
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
      ['GET', '/api/me'],
      ['GET', '/api/sites'],
      ['GET', '/api/leads'],
      ['POST', '/api/auth/logout'],
      ['GET', `/api/sites/${siteA}/scoring`],
      ['PATCH', `/api/sites/${siteA}`],
      ['POST', `/api/sites/${siteA}/callbacks/${unknownId}/outcome`],
    ] as const) {
      const response = await asKey(
        secret,
        method,
        path,
        method === 'GET' ? undefined : { name: 'x', scopes: ['leads:read'] },
      );
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect(await t.db.select().from(apiKeysTable).where(eq(apiKeysTable.name, 'x'))).toEqual([]);
  });

  it('a key limited to one site sees nothing of another', async () => {
    const writer = (await createKey(['leads:write'])).secret;
    expect(
      (await asKey(writer, 'PUT', `/api/sites/${siteA}/leads/by-external-id/iso-a`, { name: 'In A' })).status,
    ).toBe(201);
    expect(
      (await asKey(writer, 'PUT', `/api/sites/${siteB}/leads/by-external-id/iso-b`, { name: 'In B' })).status,
    ).toBe(201);
    const onlyA = (await createKey(['leads:read', 'leads:write', 'outcomes:write'], [siteA])).secret;
    const listA = await (await asKey(onlyA, 'GET', `/api/sites/${siteA}/sync/leads?limit=200`)).json();
    expect(listA.items.map((lead: { externalId: string }) => lead.externalId)).toContain('iso-a');
    expect(listA.items.every((lead: { siteId: string }) => lead.siteId === siteA)).toBe(true);
    for (const [method, path, body] of [
      ['GET', `/api/sites/${siteB}/sync/leads`, undefined],
      ['GET', `/api/sites/${siteB}/leads/by-external-id/iso-b`, undefined],
      ['PUT', `/api/sites/${siteB}/leads/by-external-id/iso-b`, { name: 'Overwritten' }],
      ['POST', `/api/sites/${siteB}/outcomes`, { outcomes: [{ match: { externalId: 'iso-b' }, outcome: 'won' }] }],
    ] as const) {
      const response = await asKey(onlyA, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Another site's external id through site A's path is simply not there.
    expect((await asKey(onlyA, 'GET', `/api/sites/${siteA}/leads/by-external-id/iso-b`)).status).toBe(404);
    const [b] = await t.db.select().from(leadsTable).where(eq(leadsTable.externalId, 'iso-b'));
    expect(b).toMatchObject({ name: 'In B', status: 'new' });
    // Every route a key can reach, with every scope, on the site it is not limited to: 404, as for an agent
    // who cannot see the site; nothing is written there.
    const everyScopeInA = (await createKey(apiScopes, [siteA])).secret;
    for (const probe of probesOn(siteB)) {
      const response = await asKey(everyScopeInA, probe.method, probe.path, probe.body);
      expect(response.status, `${probe.method} ${probe.path}`).toBe(404);
      expect((await response.json()).error.code).toBe('not_found');
    }
    const reports = await asKey(everyScopeInA, 'GET', '/api/reports/overview?from=2026-01-01&to=2026-01-31');
    expect((await reports.json()).range.siteIds).toEqual([siteA]);
    expect(await t.db.select().from(webhookEndpointsTable).where(eq(webhookEndpointsTable.siteId, siteB))).toEqual([]);
    expect(await t.db.select().from(leadsTable).where(eq(leadsTable.siteId, siteB))).toHaveLength(1); // iso-b
  });

  it('sends RateLimit headers and answers 429 with Retry-After past the per-key limit', async () => {
    const { secret } = await createKey(['leads:read']);
    const other = (await createKey(['leads:read'])).secret;
    for (let i = 1; i <= rateLimit; i++) {
      const response = await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads?limit=1`);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe(String(rateLimit));
      expect(response.headers.get('ratelimit-remaining')).toBe(String(rateLimit - i));
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    const limited = await asKey(secret, 'GET', `/api/sites/${siteA}/sync/leads?limit=1`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect((await limited.json()).error.code).toBe('rate_limited');
    // Per key: another key is not slowed down.
    expect((await asKey(other, 'GET', `/api/sites/${siteA}/sync/leads?limit=1`)).status).toBe(200);
  });

  it('upserts a lead by external id, claiming the lead Beckon already had for that email', async () => {
    const { secret } = await createKey(['leads:write', 'leads:read']);
    const [existing] = await t.db
      .insert(leadsTable)
      .values({ siteId: siteA, email: 'known@example.test', channels: ['chat'] })
      .returning();
    const claimed = await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/crm-42`, {
      email: 'Known@Example.test',
      name: 'Known Person',
    });
    expect(claimed.status).toBe(200);
    const body = await claimed.json();
    expect(body).toMatchObject({
      created: false,
      lead: { id: existing!.id, externalId: 'crm-42', name: 'Known Person', email: 'known@example.test' },
    });
    const won = await (
      await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/crm-42`, { status: 'won' })
    ).json();
    expect(won.lead).toMatchObject({ status: 'won', name: 'Known Person' });
    const audit = await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, existing!.id));
    expect(audit.map((row) => row.field).sort()).toEqual(['externalId', 'name', 'status']);
    expect(audit.every((row) => row.byAgentId === admin.me.agent.id)).toBe(true);
    const fresh = await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/crm-43`, {
      phone: '+49 30 1234567',
    });
    expect(fresh.status).toBe(201);
    expect((await fresh.json()).lead).toMatchObject({ phone: '+49301234567', status: 'new', externalId: 'crm-43' });
    expect(
      (await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/crm-44`, { phone: '12' })).status,
    ).toBe(400);
    expect((await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/crm-44`, { unknown: 1 })).status).toBe(
      400,
    );
    expect(
      (await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/${encodeURIComponent('bad id')}`, {}))
        .status,
    ).toBe(404);
    expect((await asKey(secret, 'GET', `/api/sites/${siteA}/leads/by-external-id/crm-43`)).status).toBe(200);
  });

  it('closes a callback with an outcome through the callbacks feature (audited)', async () => {
    const { secret } = await createKey(['callbacks:write']);
    const [callback] = await t.db
      .insert(callbacksTable)
      .values({
        siteId: siteA,
        phone: '+4930901820',
        mode: 'now',
        requestedAt: new Date(),
        dueAt: new Date(Date.now() + 600_000),
        visitorTokenHash: `h-${++n}`,
      })
      .returning();
    const closed = await asKey(secret, 'POST', `/api/sites/${siteA}/callbacks/${callback!.id}/close`, {
      outcome: 'converted',
      note: 'Bought the plan',
    });
    expect(closed.status).toBe(200);
    expect((await closed.json()).callback).toMatchObject({
      id: callback!.id,
      status: 'done',
      outcome: 'converted',
      note: 'Bought the plan',
    });
    const events = await t.db
      .select()
      .from(callbackEventsTable)
      .where(and(eq(callbackEventsTable.callbackId, callback!.id), eq(callbackEventsTable.kind, 'outcome')));
    expect(events).toHaveLength(1);
    expect(events[0]!.byAgentId).toBe(admin.me.agent.id);
    expect(
      (await asKey(secret, 'POST', `/api/sites/${siteA}/callbacks/${callback!.id}/close`, { outcome: 'reached' }))
        .status,
    ).toBe(409);
    expect(
      (await asKey(secret, 'POST', `/api/sites/${siteB}/callbacks/${callback!.id}/close`, { outcome: 'reached' }))
        .status,
    ).toBe(404);
  });

  it('bulk outcomes: by person, email, lead id and external id; unknown ones reported; bounded', async () => {
    const { secret } = await createKey(['outcomes:write', 'leads:write']);
    const [person] = await t.db
      .insert(personsTable)
      .values({ siteId: siteA, email: 'buyer@example.test', labelSeed: 'seed-buyer' })
      .returning();
    const [personLead] = await t.db
      .insert(leadsTable)
      .values({ siteId: siteA, email: 'buyer@example.test', personId: person!.id, channels: ['chat'] })
      .returning();
    const external = (
      await (await asKey(secret, 'PUT', `/api/sites/${siteA}/leads/by-external-id/bulk-1`, { name: 'Bulk' })).json()
    ).lead;
    const response = await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, {
      outcomes: [
        { match: { email: 'BUYER@example.test' }, outcome: 'won' },
        { match: { externalId: 'bulk-1' }, outcome: 'lost' },
        { match: { externalId: 'nope' }, outcome: 'won' },
        { match: { leadId: personLead!.id }, outcome: 'won' },
      ],
    });
    expect(response.status).toBe(200);
    const { results } = await response.json();
    expect(results).toEqual([
      { index: 0, status: 'updated', personId: person!.id, leadId: personLead!.id },
      { index: 1, status: 'updated', personId: null, leadId: external.id },
      { index: 2, status: 'not_found', personId: null, leadId: null },
      { index: 3, status: 'updated', personId: person!.id, leadId: personLead!.id },
    ]);
    const [personAfter] = await t.db.select().from(personsTable).where(eq(personsTable.id, person!.id));
    expect(personAfter!.outcome).toBe('won');
    const [leadAfter] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, personLead!.id));
    expect(leadAfter!.status).toBe('won');
    const [externalAfter] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, external.id));
    expect(externalAfter!.status).toBe('lost');
    const tooMany = Array.from({ length: 101 }, () => ({ match: { externalId: 'bulk-1' }, outcome: 'won' }));
    expect((await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, { outcomes: tooMany })).status).toBe(400);
  });

  it('Idempotency-Key: same key and body → the stored answer, nothing run twice; another body → 409', async () => {
    const { secret, apiKey } = await createKey(['outcomes:write']);
    const [person] = await t.db
      .insert(personsTable)
      .values({ siteId: siteA, email: 'idem@example.test', labelSeed: 'seed-idem' })
      .returning();
    const body = { outcomes: [{ match: { personId: person!.id }, outcome: 'won' }] };
    const headers = { 'idempotency-key': 'order-7781-won' };
    const first = await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, body, headers);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const audits = async () =>
      (await t.db.select().from(personAuditTable).where(eq(personAuditTable.personId, person!.id))).length;
    const auditCount = await audits();
    const second = await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, body, headers);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(firstBody);
    expect(await audits()).toBe(auditCount);
    const changed = await asKey(
      secret,
      'POST',
      `/api/sites/${siteA}/outcomes`,
      { outcomes: [{ match: { personId: person!.id }, outcome: 'lost' }] },
      headers,
    );
    expect(changed.status).toBe(409);
    const [personAfter] = await t.db.select().from(personsTable).where(eq(personsTable.id, person!.id));
    expect(personAfter!.outcome).toBe('won');
    // A 4xx answer is kept too; a bad key is refused.
    const invalid = await asKey(
      secret,
      'POST',
      `/api/sites/${siteA}/outcomes`,
      { outcomes: [] },
      { 'idempotency-key': 'bad-body-0001' },
    );
    expect(invalid.status).toBe(400);
    expect(
      (
        await asKey(
          secret,
          'POST',
          `/api/sites/${siteA}/outcomes`,
          { outcomes: [] },
          { 'idempotency-key': 'bad-body-0001' },
        )
      ).headers.get('idempotent-replayed'),
    ).toBe('true');
    expect(
      (await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, body, { 'idempotency-key': 'short' })).status,
    ).toBe(400);
    // Stored per API key, with an expiry; an expired one runs again.
    const [stored] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(and(eq(idempotencyKeysTable.apiKeyId, apiKey.id), eq(idempotencyKeysTable.key, 'order-7781-won')));
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await t.db
      .update(idempotencyKeysTable)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(idempotencyKeysTable.apiKeyId, apiKey.id));
    const rerun = await asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, body, headers);
    expect(rerun.headers.get('idempotent-replayed')).toBeNull();
  });

  it('Idempotency-Key: two copies of a request at once run it once', async () => {
    const { secret } = await createKey(['outcomes:write']);
    const [person] = await t.db
      .insert(personsTable)
      .values({ siteId: siteA, email: 'twice@example.test', labelSeed: 'seed-twice' })
      .returning();
    const body = { outcomes: [{ match: { personId: person!.id }, outcome: 'won' }] };
    const headers = { 'idempotency-key': 'parallel-0001' };
    const answers = await Promise.all(
      [1, 2, 3].map(() => asKey(secret, 'POST', `/api/sites/${siteA}/outcomes`, body, headers)),
    );
    // One ran; the others were told it is running (409) or got its stored answer.
    expect(
      answers.filter((answer) => answer.status === 200 && answer.headers.get('idempotent-replayed') === null),
    ).toHaveLength(1);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const audits = await t.db.select().from(personAuditTable).where(eq(personAuditTable.personId, person!.id));
    expect(audits.filter((row) => row.action === 'outcome')).toHaveLength(1);
  });

  it('Idempotency-Key on cookie sessions: every POST, per agent (all their tabs), CSRF still checked', async () => {
    const sites = async () => (await t.db.select().from(sitesTable)).length;
    const before = await sites();
    const createSite = (headers: Record<string, string>, name = 'Idempotent shop') =>
      t.request('POST', '/api/sites', { headers: { ...headers, 'idempotency-key': 'new-site-0001' }, body: { name } });

    const first = await createSite(admin.headers);
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    // A double-click, or a retry after a lost answer, from another tab of the same agent: the same answer.
    const otherTab = await t.login();
    const again = await createSite(otherTab.headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(firstBody);
    expect(await sites()).toBe(before + 1);
    // The same key with another body is a mistake, not a retry.
    expect((await createSite(admin.headers, 'Another shop')).status).toBe(409);
    const [stored] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'new-site-0001'));
    expect(stored).toMatchObject({ agentId: admin.me.agent.id, apiKeyId: null, status: 201 });

    // Keys are per agent: another admin's identical request is their own and runs.
    await t.db.insert(agentsTable).values({
      email: 'idem-admin@example.test',
      name: 'Idem admin',
      role: 'admin',
      passwordHash: await hashPassword('idem admin password'),
    });
    const other = await t.login('idem-admin@example.test', 'idem admin password');
    const theirs = await createSite(other.headers);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await sites()).toBe(before + 2);

    // A wrong CSRF token is refused as always and stores nothing; without a session the header changes nothing.
    const forged = await t.request('POST', '/api/sites', {
      headers: { cookie: admin.cookie, 'x-csrf-token': 'wrong', 'idempotency-key': 'forged-0001' },
      body: { name: 'Forged' },
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('csrf_failed');
    expect(await t.db.select().from(idempotencyKeysTable).where(eq(idempotencyKeysTable.key, 'forged-0001'))).toEqual(
      [],
    );
    const anonymous = await t.request('POST', '/api/sites', {
      headers: { 'idempotency-key': 'anonymous-0001' },
      body: { name: 'Nobody' },
    });
    expect(anonymous.status).toBe(401);
    // A malformed key from a session is refused like a key's.
    expect(
      (await t.request('POST', '/api/sites', { headers: { ...admin.headers, 'idempotency-key': 'x y' }, body: {} }))
        .status,
    ).toBe(400);
  });

  it('Idempotency-Key never stores a new API key: its answer is the only copy of the secret', async () => {
    const create = () =>
      t.request('POST', '/api/api-keys', {
        headers: { ...admin.headers, 'idempotency-key': 'new-key-0001' },
        body: { name: 'twice', scopes: ['leads:read'] },
      });
    const one = (await (await create()).json()) as { secret: string };
    const two = (await (await create()).json()) as { secret: string };
    expect(one.secret).not.toBe(two.secret);
    const rows = await t.db.select().from(idempotencyKeysTable);
    expect(rows.filter((row) => row.key === 'new-key-0001')).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain(one.secret);
  });
});
