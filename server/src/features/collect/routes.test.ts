import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { eventsTable, sitesTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { collectLimits } from './routes.js';

let counter = 0;
const eventId = () => `evt_${Date.now().toString(36)}_${(counter++).toString().padStart(4, '0')}`;
const pageview = (url = 'http://localhost:3999/demo/') => ({
  id: eventId(),
  type: 'pageview',
  ts: Date.now(),
  url,
  title: 'Home',
});
const batch = (events: unknown[], site = 'demo') => ({
  site,
  visitorId: 'visitor_000001',
  sessionId: 'session_00001',
  events,
});

describe.each(databaseKinds)('POST /v1/collect on %s', (kind) => {
  let t: TestApp;
  const storedEvents = async () => (await t.db.select({ n: count() }).from(eventsTable))[0]!.n;
  const collect = (body: unknown, { origin = testOrigin, ip = '203.0.113.9', type = 'text/plain' } = {}) =>
    t.request('POST', '/v1/collect', { body, headers: { origin, 'content-type': type }, ip });

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.dispose());

  it('stores a batch sent as text/plain (the beacon type) and answers with CORS for the allowed origin', async () => {
    const response = await collect(
      batch([
        pageview(),
        {
          id: eventId(),
          type: 'track',
          ts: Date.now(),
          url: 'http://localhost:3999/demo/',
          name: 'add-to-cart',
          props: { sku: 'A1' },
        },
      ]),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 2, duplicates: 0 });
    expect(response.headers.get('access-control-allow-origin')).toBe(testOrigin);
  });

  it('is idempotent: a retried batch stores nothing twice', async () => {
    const events = [pageview(), pageview('http://localhost:3999/demo/pricing.html')];
    const before = await storedEvents();
    expect(await (await collect(batch(events))).json()).toEqual({ stored: 2, duplicates: 0 });
    expect(await (await collect(batch(events))).json()).toEqual({ stored: 0, duplicates: 2 });
    // A batch repeating an id inside itself stores it once too.
    const repeated = pageview();
    expect(await (await collect(batch([repeated, repeated]))).json()).toEqual({ stored: 1, duplicates: 1 });
    expect(await storedEvents()).toBe(before + 3);
  });

  it('answers a batch PostgreSQL refuses 400 (the client drops it) while the batches grouped with it are stored', async () => {
    const admin = await t.login();
    const created = await t.request('POST', '/api/sites', {
      body: { name: 'Soon gone', key: 'soon-gone', allowedOrigins: [testOrigin] },
      headers: admin.headers,
    });
    expect(created.status).toBe(201);
    const { id } = ((await created.json()) as { site: { id: string } }).site;
    expect((await collect(batch([pageview()], 'soon-gone'))).status).toBe(200);
    // Deleted behind this node's back (another node): its key stays in this node's site cache for a while.
    await t.db.delete(sitesTable).where(eq(sitesTable.id, id));
    const before = await storedEvents();
    const answers = await Promise.all(
      [batch([pageview()], 'soon-gone'), ...[1, 2, 3, 4].map(() => batch([pageview()]))].map((body) => collect(body)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([400, 200, 200, 200, 200]);
    expect((await answers[0]!.json()).error.code).toBe('validation_failed');
    expect(await storedEvents()).toBe(before + 4);
  });

  it('refuses disallowed or missing origins and stores nothing', async () => {
    const before = await storedEvents();
    const evil = await collect(batch([pageview()]), { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe('origin_not_allowed');
    const none = await t.request('POST', '/v1/collect', { body: batch([pageview()]) });
    expect(none.status).toBe(403);
    expect(await storedEvents()).toBe(before);
  });

  it('answers every kind of bad input with a 4xx JSON error and stores nothing', async () => {
    const before = await storedEvents();
    const cases: [unknown, number, string][] = [
      ['{"site":', 400, 'bad_request'],
      [batch([]), 400, 'validation_failed'],
      [batch([{ ...pageview(), type: 'purchase' }]), 400, 'validation_failed'],
      [batch([{ ...pageview(), ts: 'yesterday' }]), 400, 'validation_failed'],
      [batch(Array.from({ length: 51 }, () => pageview())), 400, 'validation_failed'],
      [{ ...batch([pageview()]), visitorId: 'x' }, 400, 'validation_failed'],
      [batch([pageview()], 'no-such-site'), 404, 'unknown_site'],
      [[1, 2, 3], 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await collect(body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect((await response.json()).error.code).toBe(code);
      // The loader reads the reason only if the error answer carries CORS too.
      expect(response.headers.get('access-control-allow-origin')).toBe(testOrigin);
    }
    const oversized = await collect(batch([{ ...pageview(), title: 'x'.repeat(collectLimits.maxBodyBytes) }]));
    expect(oversized.status).toBe(413);
    expect((await oversized.json()).error.code).toBe('payload_too_large');
    expect(await storedEvents()).toBe(before);
    const health = await t.request('GET', '/healthz');
    expect(health.status).toBe(200);
  });

  it('rate-limits per site and address', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < collectLimits.perSiteAndIp.limit; i++) {
      expect((await collect(batch([pageview()]), { ip })).status).toBe(200);
    }
    const limited = await collect(batch([pageview()]), { ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another visitor address is not affected.
    expect((await collect(batch([pageview()]), { ip: '203.0.113.78' })).status).toBe(200);
  });

  it('answers CORS preflights', async () => {
    const response = await t.request('OPTIONS', '/v1/collect', {
      headers: {
        origin: testOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(testOrigin);
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('lists the stored pageviews newest first for the dashboard', async () => {
    const admin = await t.login();
    const url = 'http://localhost:3999/demo/contact.html';
    await collect(batch([pageview(url)]));
    const response = await t.request('GET', `/api/sites/${admin.me.sites[0]!.id}/pageviews?limit=1`, {
      headers: admin.headers,
    });
    const { pageviews } = await response.json();
    expect(pageviews).toHaveLength(1);
    expect(pageviews[0]).toMatchObject({ url, visitorId: 'visitor_000001', title: 'Home' });
  });
});
