import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { eventsTable, visitorsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { agentOn, createSiteFor, eventId, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import { userHashOf } from './identity.js';

describe.each(databaseKinds)('verified identity on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let secret: string;
  let otherSecret: string;

  const identify = (visitorId: string, traits: Record<string, string>) =>
    sendBatch(t, {
      site: 'demo',
      visitorId,
      sessionId: 'session_0001',
      events: [
        pageview('/account'),
        { id: eventId(), type: 'identify', ts: Date.now(), url: `${testOrigin}/demo/account`, traits },
      ],
    });
  const stateOf = async (visitorId: string) => {
    const [visitor] = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)));
    const [{ n } = { n: 0 }] = await t.db
      .select({ n: count() })
      .from(eventsTable)
      .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.visitorId, visitorId)));
    return {
      userId: visitor?.userId ?? null,
      email: visitor?.email ?? null,
      verified: Boolean(visitor?.verifiedAt),
      events: n,
    };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    const rotate = await t.request('POST', `/api/sites/${siteId}/identity-secret`, { headers: admin.headers });
    expect(rotate.status).toBe(200);
    secret = (await rotate.json()).secret;
    const other = await createSiteFor(t, admin.headers, 'Other shop');
    otherSecret = (
      await (await t.request('POST', `/api/sites/${other.id}/identity-secret`, { headers: admin.headers })).json()
    ).secret;
  });
  afterAll(() => t?.dispose());

  it('a correct hash identifies and verifies; the hash itself is never stored', async () => {
    const response = await identify('verified_v1', {
      userId: 'user-1',
      email: 'one@example.test',
      userHash: userHashOf(secret, 'user-1'),
    });
    expect(response.status).toBe(200);
    expect(await stateOf('verified_v1')).toEqual({
      userId: 'user-1',
      email: 'one@example.test',
      verified: true,
      events: 2,
    });
    const stored = await t.db
      .select({ props: eventsTable.props })
      .from(eventsTable)
      .where(eq(eventsTable.visitorId, 'verified_v1'));
    expect(JSON.stringify(stored)).not.toContain('userHash');
  });

  it('upper-case hex of the right digest is the same proof', async () => {
    expect(
      (await identify('verified_v2', { userId: 'user-2', userHash: userHashOf(secret, 'user-2').toUpperCase() }))
        .status,
    ).toBe(200);
    expect(await stateOf('verified_v2')).toMatchObject({ userId: 'user-2', verified: true });
  });

  it.each([
    ['wrong', () => userHashOf(secret, 'someone-else')],
    ['blank', () => ''],
    ["another site's", () => userHashOf(otherSecret, 'user-3')],
    ['not hex', () => 'z'.repeat(64)],
  ])('a %s hash: 401, and nothing changes — no event, no identity, no verification', async (_, hash) => {
    // The visitor exists already, anonymous, with one page view.
    await sendBatch(t, {
      site: 'demo',
      visitorId: 'victim_visitor',
      sessionId: 'session_0001',
      events: [pageview('/')],
    });
    const before = await stateOf('victim_visitor');
    const response = await identify('victim_visitor', {
      userId: 'user-3',
      email: 'victim@example.test',
      userHash: hash(),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
    expect(await stateOf('victim_visitor')).toEqual(before);
    expect(before).toMatchObject({ userId: null, verified: false });
  });

  it('the secret is shown only when rotated, never in the site or its public config; rotation retires the old one', async () => {
    const status = await (
      await t.request('GET', `/api/sites/${siteId}/identity-secret`, { headers: admin.headers })
    ).json();
    expect(status).toEqual({ configured: true, rotatedAt: expect.any(String) });
    const site = await (await t.request('GET', `/api/sites/${siteId}`, { headers: admin.headers })).text();
    const config = await (await t.request('GET', '/v1/sites/demo/config')).text();
    for (const body of [JSON.stringify(status), site, config]) expect(body).not.toContain(secret);

    const rotated = (
      await (await t.request('POST', `/api/sites/${siteId}/identity-secret`, { headers: admin.headers })).json()
    ).secret;
    expect(rotated).not.toBe(secret);
    expect((await identify('verified_v4', { userId: 'user-4', userHash: userHashOf(secret, 'user-4') })).status).toBe(
      401,
    );
    expect((await identify('verified_v4', { userId: 'user-4', userHash: userHashOf(rotated, 'user-4') })).status).toBe(
      200,
    );
    secret = rotated;
  });

  it('when the site requires verified identity, an identify without a valid hash is refused whole', async () => {
    const site = (await (await t.request('GET', `/api/sites/${siteId}`, { headers: admin.headers })).json()).site;
    const patched = await t.request('PATCH', `/api/sites/${siteId}`, {
      headers: admin.headers,
      body: { consent: { ...site.consent, requireVerifiedIdentity: true } },
    });
    expect(patched.status).toBe(200);
    expect((await identify('strict_v1', { userId: 'user-5', email: 'five@example.test' })).status).toBe(401);
    expect(await stateOf('strict_v1')).toEqual({ userId: null, email: null, verified: false, events: 0 });
    expect((await identify('strict_v1', { userId: 'user-5', userHash: userHashOf(secret, 'user-5') })).status).toBe(
      200,
    );
    expect(await stateOf('strict_v1')).toMatchObject({ userId: 'user-5', verified: true });
  });

  it('only admins see or rotate the secret', async () => {
    const agent = await agentOn(t, admin.headers, 'agent-identity@example.test', [siteId]);
    expect((await t.request('POST', `/api/sites/${siteId}/identity-secret`, { headers: agent })).status).toBe(403);
    expect((await t.request('GET', `/api/sites/${siteId}/identity-secret`, { headers: agent })).status).toBe(403);
  });
});
