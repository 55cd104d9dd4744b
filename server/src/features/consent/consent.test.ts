import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { consentRecordsTable, eventsTable } from '../../db/schema.js';
import type { LiveVisitor } from '@beckon/sdk/protocol';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { chromeUa, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import { latestConsent } from './service.js';

describe.each(databaseKinds)('consent on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  const pushes: { event: string; payload: unknown }[] = [];
  const consent = (body: unknown, { ip = '198.51.100.20', headers = {} as Record<string, string> } = {}) =>
    t.request('POST', '/v1/consent', {
      body,
      headers: { origin: testOrigin, 'content-type': 'text/plain', 'user-agent': chromeUa, ...headers },
      ip,
    });
  const recordsOf = async (visitorId: string) =>
    t.db
      .select()
      .from(consentRecordsTable)
      .where(and(eq(consentRecordsTable.siteId, siteId), eq(consentRecordsTable.visitorId, visitorId)));

  beforeAll(async () => {
    const realtime = createRealtime();
    // The Visitors page's pushes (a row that leaves it goes to the tabs that show the page).
    const toSiteWatchers = realtime.toSiteWatchers.bind(realtime);
    realtime.toSiteWatchers = ((site: string, event: string, ...args: unknown[]) => {
      pushes.push({ event, payload: args[0] });
      (toSiteWatchers as (...all: unknown[]) => void)(site, event, ...args);
    }) as typeof realtime.toSiteWatchers;
    t = await createTestApp(kind, { realtime });
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('records each choice with time, purposes, policy version and source; the latest is the state', async () => {
    const granted = await consent({
      site: 'demo',
      visitorId: 'consent_visitor_1',
      purposes: { analytics: true, marketing: true },
      policyVersion: '3',
      source: 'prompt',
    });
    expect(granted.status).toBe(200);
    expect((await granted.json()).state).toEqual({ analytics: true, marketing: true });
    // Withdrawing marketing only keeps analytics as it was.
    const withdrawn = await consent({
      site: 'demo',
      visitorId: 'consent_visitor_1',
      purposes: { marketing: false },
      policyVersion: '3',
      source: 'api',
    });
    expect((await withdrawn.json()).state).toEqual({ analytics: true, marketing: false });
    const records = await recordsOf('consent_visitor_1');
    expect(records).toHaveLength(2);
    expect(records.map((r) => [r.analytics, r.marketing, r.policyVersion, r.source, r.gpc])).toEqual(
      expect.arrayContaining([
        [true, true, '3', 'prompt', false],
        [true, false, '3', 'api', false],
      ]),
    );
    expect(await latestConsent(t.db, siteId, 'consent_visitor_1')).toEqual({ analytics: true, marketing: false });
  });

  it('answers the CORS preflight and the choice with the page origin, so the loader can read its state', async () => {
    const preflight = await t.request('OPTIONS', '/v1/consent', {
      headers: { origin: testOrigin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(testOrigin);
    const response = await consent({
      site: 'demo',
      visitorId: 'consent_cors_1',
      purposes: { analytics: true },
      policyVersion: '1',
      source: 'api',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(testOrigin);
  });

  it('never grants marketing under Sec-GPC: 1, and says so in the record', async () => {
    const response = await consent(
      {
        site: 'demo',
        visitorId: 'consent_gpc_1',
        purposes: { analytics: true, marketing: true },
        policyVersion: '1',
        source: 'prompt',
      },
      { headers: { 'sec-gpc': '1' } },
    );
    expect((await response.json()).state).toEqual({ analytics: true, marketing: false });
    const [record] = await recordsOf('consent_gpc_1');
    expect(record).toMatchObject({ marketing: false, gpc: true, source: 'gpc' });
  });

  it('records a denial made before any id exists against the anonymous daily hash, not a browser id', async () => {
    const response = await consent(
      { site: 'demo', purposes: { analytics: false, marketing: false }, policyVersion: '1', source: 'prompt' },
      { ip: '198.51.100.77' },
    );
    expect(response.status).toBe(200);
    const rows = await t.db.select().from(consentRecordsTable).where(eq(consentRecordsTable.siteId, siteId));
    const anonymous = rows.filter((r) => r.visitorId.startsWith('anon_'));
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]!.visitorId).not.toContain('198.51.100');
  });

  it("turns a pre-consent visitor's anonymous row into their own row on the Visitors page when they consent, and refuses to invite an anonymous row", async () => {
    const ip = '198.51.100.140';
    const listed = async () =>
      (
        (await (await t.request('GET', `/api/sites/${siteId}/visitors`, { headers: admin.headers })).json()) as {
          visitors: LiveVisitor[];
        }
      ).visitors;
    expect(
      (await sendBatch(t, { site: 'demo', anonymous: true, events: [pageview('/pricing.html')] }, { ip })).status,
    ).toBe(200);
    const before = (await listed()).filter(
      (visitor) => visitor.visitorId.startsWith('anon_') && visitor.currentTitle === '/pricing.html',
    );
    expect(before).toHaveLength(1);
    const anonymousId = before[0]!.visitorId;
    // Nothing reaches a daily hash of an address and a browser: no invitation is pretended.
    const invite = await t.request('POST', `/api/sites/${siteId}/invitations`, {
      headers: admin.headers,
      body: { visitorId: anonymousId, message: 'Hello there' },
    });
    expect(invite.status).toBe(409);

    // "Analytics only": the choice, then the same browser's first batch with its id.
    expect(
      (
        await consent(
          {
            site: 'demo',
            visitorId: 'consented_visitor_1',
            purposes: { analytics: true, marketing: false },
            policyVersion: '1',
            source: 'prompt',
          },
          { ip },
        )
      ).status,
    ).toBe(200);
    expect(pushes).toContainEqual({ event: 'visitors:gone', payload: { visitorIds: [anonymousId] } });
    const consented = {
      site: 'demo',
      visitorId: 'consented_visitor_1',
      sessionId: 'consented_session_1',
      events: [pageview('/pricing.html')],
      consent: { analytics: true, marketing: false },
    };
    expect((await sendBatch(t, consented, { ip })).status).toBe(200);
    const after = (await listed()).filter(
      (visitor) =>
        visitor.currentTitle === '/pricing.html' &&
        (visitor.visitorId === anonymousId || visitor.visitorId === 'consented_visitor_1'),
    );
    expect(after.map((visitor) => visitor.visitorId)).toEqual(['consented_visitor_1']);

    // Someone else behind the same address and browser who has not consented shows up again.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(
      (await sendBatch(t, { site: 'demo', anonymous: true, events: [pageview('/pricing.html')] }, { ip })).status,
    ).toBe(200);
    expect((await listed()).some((visitor) => visitor.visitorId === anonymousId)).toBe(true);
  });

  it('refuses bad input and other origins, recording nothing', async () => {
    const before = (await t.db.select({ n: count() }).from(consentRecordsTable))[0]!.n;
    const cases: [unknown, Record<string, string>, number][] = [
      [{ site: 'demo', visitorId: 'v_bad_0001', purposes: {}, policyVersion: '1', source: 'prompt' }, {}, 400],
      [
        {
          site: 'demo',
          visitorId: 'v_bad_0001',
          purposes: { analytics: true },
          policyVersion: '1',
          source: 'cookie-wall',
        },
        {},
        400,
      ],
      [{ site: 'demo', visitorId: 'x', purposes: { analytics: true }, policyVersion: '1', source: 'prompt' }, {}, 400],
      [
        {
          site: 'nope-site',
          visitorId: 'v_bad_0001',
          purposes: { analytics: true },
          policyVersion: '1',
          source: 'prompt',
        },
        {},
        404,
      ],
      [
        { site: 'demo', visitorId: 'v_bad_0001', purposes: { analytics: true }, policyVersion: '1', source: 'prompt' },
        { origin: 'https://evil.example' },
        403,
      ],
    ];
    for (const [body, headers, status] of cases) {
      const response = await consent(body, { headers });
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toEqual(expect.any(String));
    }
    expect((await t.db.select({ n: count() }).from(consentRecordsTable))[0]!.n).toBe(before);
  });

  it('counts anonymous pre-consent pageviews under a daily hash of site, truncated IP and user agent, with no ids from the browser', async () => {
    const anonymous = (path: string, ip: string, ua = chromeUa) =>
      sendBatch(t, { site: 'demo', anonymous: true, events: [pageview(path)] }, { ip, ua });
    expect((await anonymous('/', '198.51.100.30')).status).toBe(200);
    // Same /24 and browser: the same anonymous visitor; another browser: another.
    await anonymous('/pricing.html', '198.51.100.31');
    await anonymous('/', '198.51.100.30', `${chromeUa} Edg/124.0`);
    const rows = await t.db
      .select({ visitorId: eventsTable.visitorId, sessionId: eventsTable.sessionId })
      .from(eventsTable)
      .where(eq(eventsTable.siteId, siteId));
    const ids = [...new Set(rows.filter((r) => r.visitorId.startsWith('anon_')).map((r) => r.visitorId))];
    expect(ids).toHaveLength(2);
    expect(rows.filter((r) => r.visitorId.startsWith('anon_')).every((r) => r.sessionId === r.visitorId)).toBe(true);

    // An anonymous batch may not carry ids, other event types or click ids.
    for (const body of [
      { site: 'demo', anonymous: true, visitorId: 'visitor_00001', events: [pageview('/')] },
      {
        site: 'demo',
        anonymous: true,
        events: [{ id: 'trk_000000001', type: 'track', ts: Date.now(), url: `${testOrigin}/demo/`, name: 'x' }],
      },
      { site: 'demo', anonymous: true, events: [pageview('/')], context: { clickIds: { gclid: 'abc' } } },
    ]) {
      expect((await sendBatch(t, body)).status).toBe(400);
    }
    // A normal batch still needs its ids.
    expect((await sendBatch(t, { site: 'demo', events: [pageview('/')] })).status).toBe(400);
  });
});
