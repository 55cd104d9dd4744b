import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { consentRecordsTable, eventsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { chromeUa, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import { latestConsent } from './service.js';

describe.each(databaseKinds)('consent on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  const consent = (body: unknown, { ip = '198.51.100.20', headers = {} as Record<string, string> } = {}) =>
    t.request('POST', '/v1/consent', { body, headers: { origin: testOrigin, 'content-type': 'text/plain', 'user-agent': chromeUa, ...headers }, ip });
  const recordsOf = async (visitorId: string) =>
    t.db.select().from(consentRecordsTable).where(and(eq(consentRecordsTable.siteId, siteId), eq(consentRecordsTable.visitorId, visitorId)));

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.login()).me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('records each choice with time, purposes, policy version and source; the latest is the state', async () => {
    const granted = await consent({ site: 'demo', visitorId: 'consent_visitor_1', purposes: { analytics: true, marketing: true }, policyVersion: '3', source: 'prompt' });
    expect(granted.status).toBe(200);
    expect((await granted.json()).state).toEqual({ analytics: true, marketing: true });
    // Withdrawing marketing only keeps analytics as it was.
    const withdrawn = await consent({ site: 'demo', visitorId: 'consent_visitor_1', purposes: { marketing: false }, policyVersion: '3', source: 'api' });
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
    const preflight = await t.request('OPTIONS', '/v1/consent', { headers: { origin: testOrigin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(testOrigin);
    const response = await consent({ site: 'demo', visitorId: 'consent_cors_1', purposes: { analytics: true }, policyVersion: '1', source: 'api' });
    expect(response.headers.get('access-control-allow-origin')).toBe(testOrigin);
  });

  it('never grants marketing under Sec-GPC: 1, and says so in the record', async () => {
    const response = await consent({ site: 'demo', visitorId: 'consent_gpc_1', purposes: { analytics: true, marketing: true }, policyVersion: '1', source: 'prompt' }, { headers: { 'sec-gpc': '1' } });
    expect((await response.json()).state).toEqual({ analytics: true, marketing: false });
    const [record] = await recordsOf('consent_gpc_1');
    expect(record).toMatchObject({ marketing: false, gpc: true, source: 'gpc' });
  });

  it('records a denial made before any id exists against the anonymous daily hash, not a browser id', async () => {
    const response = await consent({ site: 'demo', purposes: { analytics: false, marketing: false }, policyVersion: '1', source: 'prompt' }, { ip: '198.51.100.77' });
    expect(response.status).toBe(200);
    const rows = await t.db.select().from(consentRecordsTable).where(eq(consentRecordsTable.siteId, siteId));
    const anonymous = rows.filter((r) => r.visitorId.startsWith('anon_'));
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]!.visitorId).not.toContain('198.51.100');
  });

  it('refuses bad input and other origins, recording nothing', async () => {
    const before = (await t.db.select({ n: count() }).from(consentRecordsTable))[0]!.n;
    const cases: [unknown, Record<string, string>, number][] = [
      [{ site: 'demo', visitorId: 'v_bad_0001', purposes: {}, policyVersion: '1', source: 'prompt' }, {}, 400],
      [{ site: 'demo', visitorId: 'v_bad_0001', purposes: { analytics: true }, policyVersion: '1', source: 'cookie-wall' }, {}, 400],
      [{ site: 'demo', visitorId: 'x', purposes: { analytics: true }, policyVersion: '1', source: 'prompt' }, {}, 400],
      [{ site: 'nope-site', visitorId: 'v_bad_0001', purposes: { analytics: true }, policyVersion: '1', source: 'prompt' }, {}, 404],
      [{ site: 'demo', visitorId: 'v_bad_0001', purposes: { analytics: true }, policyVersion: '1', source: 'prompt' }, { origin: 'https://evil.example' }, 403],
    ];
    for (const [body, headers, status] of cases) {
      const response = await consent(body, { headers });
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toEqual(expect.any(String));
    }
    expect((await t.db.select({ n: count() }).from(consentRecordsTable))[0]!.n).toBe(before);
  });

  it('counts anonymous pre-consent pageviews under a daily hash of site, truncated IP and user agent, with no ids from the browser', async () => {
    const anonymous = (path: string, ip: string, ua = chromeUa) => sendBatch(t, { site: 'demo', anonymous: true, events: [pageview(path)] }, { ip, ua });
    expect((await anonymous('/', '198.51.100.30')).status).toBe(200);
    // Same /24 and browser: the same anonymous visitor; another browser: another.
    await anonymous('/pricing.html', '198.51.100.31');
    await anonymous('/', '198.51.100.30', `${chromeUa} Edg/124.0`);
    const rows = await t.db.select({ visitorId: eventsTable.visitorId, sessionId: eventsTable.sessionId }).from(eventsTable).where(eq(eventsTable.siteId, siteId));
    const ids = [...new Set(rows.filter((r) => r.visitorId.startsWith('anon_')).map((r) => r.visitorId))];
    expect(ids).toHaveLength(2);
    expect(rows.filter((r) => r.visitorId.startsWith('anon_')).every((r) => r.sessionId === r.visitorId)).toBe(true);

    // An anonymous batch may not carry ids, other event types or click ids.
    for (const body of [
      { site: 'demo', anonymous: true, visitorId: 'visitor_00001', events: [pageview('/')] },
      { site: 'demo', anonymous: true, events: [{ id: 'trk_000000001', type: 'track', ts: Date.now(), url: `${testOrigin}/demo/`, name: 'x' }] },
      { site: 'demo', anonymous: true, events: [pageview('/')], context: { clickIds: { gclid: 'abc' } } },
    ]) {
      expect((await sendBatch(t, body)).status).toBe(400);
    }
    // A normal batch still needs its ids.
    expect((await sendBatch(t, { site: 'demo', events: [pageview('/')] })).status).toBe(400);
  });
});
