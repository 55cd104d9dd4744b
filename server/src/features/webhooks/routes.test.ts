import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentsTable,
  siteMembersTable,
  sitesTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createTestApp, databaseKinds, testConfig, type TestApp } from '../../testing/harness.js';
import { eq } from 'drizzle-orm';

describe.each(databaseKinds)('/api/sites/:siteId/webhooks on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let otherSiteId: string;
  const path = (site = siteId) => `/api/sites/${site}/webhooks`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    const created = await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other shop' } });
    otherSiteId = (await created.json()).site.id;
  });
  afterAll(() => t?.dispose());

  it('creates an endpoint and shows its whsec_ secret once; lists never include it', async () => {
    const response = await t.request('POST', path(), {
      headers: admin.headers,
      body: { url: 'https://crm.example.com/hooks', events: ['lead.created', 'callback.requested'] },
    });
    expect(response.status).toBe(201);
    const { endpoint, secret } = await response.json();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({
      url: 'https://crm.example.com/hooks',
      events: ['lead.created', 'callback.requested'],
      enabled: true,
      secretHint: `${secret.slice(0, 10)}…`,
    });
    const listed = await (await t.request('GET', path(), { headers: admin.headers })).json();
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.endpoints).toHaveLength(1);

    const rotated = await (
      await t.request('PATCH', `${path()}/${endpoint.id}`, {
        headers: admin.headers,
        body: { rotateSecret: true, enabled: false },
      })
    ).json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.enabled).toBe(false);
  });

  it('changes only the fields a PATCH sends', async () => {
    const { endpoint } = await (
      await t.request('POST', path(), {
        headers: admin.headers,
        body: { url: 'https://b.example/hook', description: 'HubSpot', events: ['lead.created'], enabled: false },
      })
    ).json();
    const response = await t.request('PATCH', `${path()}/${endpoint.id}`, {
      headers: admin.headers,
      body: { url: 'https://b.example/v2' },
    });
    expect((await response.json()).endpoint).toMatchObject({
      url: 'https://b.example/v2',
      description: 'HubSpot',
      enabled: false,
      events: ['lead.created'],
    });
    expect((await t.request('PATCH', `${path()}/${endpoint.id}`, { headers: admin.headers, body: {} })).status).toBe(
      400,
    );
  });

  it('refuses bad input with 400 and stores nothing', async () => {
    const before = (await (await t.request('GET', path(), { headers: admin.headers })).json()).endpoints.length;
    for (const body of [
      { url: 'ftp://crm.example.com', events: ['lead.created'] },
      { url: 'not a url', events: ['lead.created'] },
      { url: 'https://crm.example.com', events: [] },
      { url: 'https://crm.example.com', events: ['lead.deleted'] },
      { url: `https://crm.example.com/${'a'.repeat(2100)}`, events: ['lead.created'] },
    ]) {
      const response = await t.request('POST', path(), { headers: admin.headers, body });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('validation_failed');
    }
    expect((await (await t.request('GET', path(), { headers: admin.headers })).json()).endpoints).toHaveLength(before);
  });

  it('refuses URLs on this server or a private network, when saved and when changed', async () => {
    const before = (await (await t.request('GET', path(), { headers: admin.headers })).json()).endpoints.length;
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:3000/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://[::ffff:192.168.0.1]/hook',
      // IPv6 spellings that carry a loopback or private IPv4 address.
      'http://[::127.0.0.1]/hook',
      'http://[::ffff:0:127.0.0.1]/hook',
      'http://[64:ff9b::10.0.0.1]/hook',
      'http://[2002:c0a8:101::1]/hook',
    ]) {
      const response = await t.request('POST', path(), {
        headers: admin.headers,
        body: { url, events: ['lead.created'] },
      });
      expect(response.status, url).toBe(400);
      expect((await response.json()).error.details).toEqual([
        { path: ['url'], message: expect.stringContaining('BECKON_WEBHOOKS_ALLOW_PRIVATE') },
      ]);
    }
    expect((await (await t.request('GET', path(), { headers: admin.headers })).json()).endpoints).toHaveLength(before);
    const { endpoint } = await (
      await t.request('POST', path(), {
        headers: admin.headers,
        body: { url: 'https://crm.example.com/ok', events: ['lead.created'] },
      })
    ).json();
    const moved = await t.request('PATCH', `${path()}/${endpoint.id}`, {
      headers: admin.headers,
      body: { url: 'http://192.168.1.10/hook' },
    });
    expect(moved.status).toBe(400);
    const [row] = await t.db.select().from(webhookEndpointsTable).where(eq(webhookEndpointsTable.id, endpoint.id));
    expect(row!.url).toBe('https://crm.example.com/ok');
  });

  it('queues a test event for one endpoint whatever it subscribed to', async () => {
    const { endpoint } = await (
      await t.request('POST', path(), {
        headers: admin.headers,
        body: { url: 'https://crm.example.com/hook', events: ['feedback.submitted'] },
      })
    ).json();
    const response = await t.request('POST', `${path()}/${endpoint.id}/test`, { headers: admin.headers });
    expect(response.status).toBe(202);
    const { deliveryId } = await response.json();
    const [row] = await t.db.select().from(webhookDeliveriesTable).where(eq(webhookDeliveriesTable.id, deliveryId));
    expect(row).toMatchObject({ endpointId: endpoint.id, eventType: 'webhook.test', status: 'pending' });
  });

  it('is for admins only, and another site’s endpoint is not found', async () => {
    const [agent] = await t.db
      .insert(agentsTable)
      .values({
        email: 'member@example.test',
        name: 'Member',
        role: 'agent',
        passwordHash: await hashPassword('member password 1'),
      })
      .returning();
    await t.db.insert(siteMembersTable).values({ siteId, agentId: agent!.id });
    const member = await t.login('member@example.test', 'member password 1');
    expect((await t.request('GET', path(), { headers: member.headers })).status).toBe(403);
    expect(
      (
        await t.request('POST', path(), {
          headers: member.headers,
          body: { url: 'https://evil.example', events: ['lead.created'] },
        })
      ).status,
    ).toBe(403);

    const { endpoint } = await (
      await t.request('POST', path(), {
        headers: admin.headers,
        body: { url: 'https://a.example', events: ['lead.created'] },
      })
    ).json();
    const crossSite = await t.request('PATCH', `${path(otherSiteId)}/${endpoint.id}`, {
      headers: admin.headers,
      body: { enabled: false },
    });
    expect(crossSite.status).toBe(404);
    expect((await t.request('DELETE', `${path(otherSiteId)}/${endpoint.id}`, { headers: admin.headers })).status).toBe(
      404,
    );
    // Without the CSRF header a write is refused.
    expect((await t.request('DELETE', `${path()}/${endpoint.id}`, { headers: { cookie: admin.cookie } })).status).toBe(
      403,
    );
    expect((await t.request('DELETE', `${path()}/${endpoint.id}`, { headers: admin.headers })).status).toBe(200);
    void sitesTable;
  });
});

describe.each(databaseKinds)('redeliver on %s', (kind) => {
  it('sends a waiting retry now, but never touches a delivery a worker is sending', async () => {
    const t = await createTestApp(kind);
    try {
      const admin = await t.login();
      const siteId = admin.me.sites[0]!.id;
      const { endpoint } = await (
        await t.request('POST', `/api/sites/${siteId}/webhooks`, {
          headers: admin.headers,
          body: { url: 'https://crm.example.com/x', events: ['lead.created'] },
        })
      ).json();
      const { deliveryId } = await (
        await t.request('POST', `/api/sites/${siteId}/webhooks/${endpoint.id}/test`, { headers: admin.headers })
      ).json();
      const path = `/api/sites/${siteId}/webhooks/${endpoint.id}/deliveries/${deliveryId}/redeliver`;
      const later = new Date(Date.now() + 3_600_000);
      await t.db.update(webhookDeliveriesTable).set({ nextAttemptAt: later, attempts: 2, lastError: 'HTTP 500' });
      expect((await t.request('POST', path, { headers: admin.headers })).status).toBe(202);
      const [due] = await t.db.select().from(webhookDeliveriesTable).where(eq(webhookDeliveriesTable.id, deliveryId));
      expect(due!.nextAttemptAt.getTime()).toBeLessThan(Date.now() + 1000);

      await t.db
        .update(webhookDeliveriesTable)
        .set({ leaseUntil: later, claimToken: 'worker-a', nextAttemptAt: later });
      const busy = await t.request('POST', path, { headers: admin.headers });
      expect(busy.status).toBe(409);
      const [untouched] = await t.db
        .select()
        .from(webhookDeliveriesTable)
        .where(eq(webhookDeliveriesTable.id, deliveryId));
      expect(untouched).toMatchObject({ claimToken: 'worker-a', nextAttemptAt: later });
      expect(
        (
          await t.request('POST', `/api/sites/${siteId}/webhooks/${endpoint.id}/deliveries/msg_nope/redeliver`, {
            headers: admin.headers,
          })
        ).status,
      ).toBe(404);
      // A delivery id that could never be one (a NUL, a path) names nothing: 404, before any query.
      for (const bad of ['msg_%00', '%00', 'msg_a%2F..%2Fb', 'x'.repeat(300)]) {
        const response = await t.request(
          'POST',
          `/api/sites/${siteId}/webhooks/${endpoint.id}/deliveries/${bad}/redeliver`,
          { headers: admin.headers },
        );
        expect(response.status, bad).toBe(404);
        expect((await response.json()).error.code).toBe('not_found');
      }
    } finally {
      await t.dispose();
    }
  });
});

describe.each(databaseKinds)('private networks allowed by the operator on %s', (kind) => {
  it('accepts a CRM on the local network when BECKON_WEBHOOKS_ALLOW_PRIVATE is set', async () => {
    const t = await createTestApp(kind, { config: testConfig({ BECKON_WEBHOOKS_ALLOW_PRIVATE: 'true' }) });
    try {
      const admin = await t.login();
      const response = await t.request('POST', `/api/sites/${admin.me.sites[0]!.id}/webhooks`, {
        headers: admin.headers,
        body: { url: 'http://10.1.2.3/hook', events: ['lead.created'] },
      });
      expect(response.status).toBe(201);
    } finally {
      await t.dispose();
    }
  });
});
