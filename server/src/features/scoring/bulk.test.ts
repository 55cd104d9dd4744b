import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import {
  maxImportEvents,
  maxOutcomesPerCall,
  type CollectBatch,
  type ImportEventsResponse,
  type PutOutcomesResponse,
  type ScoringSettings,
} from '@beckon/sdk/protocol';
import { agentsTable, personsTable, visitorsTable } from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { writeGroup } from '../collect/ingest.js';
import { identifyFromEvents } from '../persons/index.js';
import { scoringJobsIdle } from './jobs.js';
import { scoresFor } from './service.js';
import { pointsForShares } from './thresholds.js';

let counter = 0;
const id = () => `evt_bulk_${Date.now().toString(36)}_${(counter++).toString().padStart(6, '0')}`;
const pageview = (path: string, ts = Date.now()) => ({
  id: id(),
  type: 'pageview' as const,
  ts,
  url: `${testOrigin}/demo${path}`,
});
const batch = (visitorId: string, events: CollectBatch['events']): CollectBatch => ({
  site: 'demo',
  visitorId,
  sessionId: `s_${visitorId}`,
  events,
});
const dayMs = 24 * 60 * 60 * 1000;

describe('pointsForShares', () => {
  it('puts at most the asked share at hot and warm, ties at the border left out', () => {
    const scores = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    expect(pointsForShares(scores, 20, 50)).toEqual({ hot: 81, warm: 51 });
    // Ties: five visitors share 40; "top 20 %" may not take all of them, so hot sits above the tie.
    const tied = [90, 40, 40, 40, 40, 40, 0, 0, 0, 0];
    const { hot, warm } = pointsForShares(tied, 20, 60);
    expect(tied.filter((s) => s >= hot).length).toBeLessThanOrEqual(2);
    expect(tied.filter((s) => s >= warm).length).toBeLessThanOrEqual(6);
    expect(tied.filter((s) => s >= warm).length).toBe(6);
    // Everyone at 0: nobody is hot (hot stays at least 1) and warm stays below hot.
    expect(pointsForShares([0, 0, 0], 20, 50)).toEqual({ hot: 1, warm: 0 });
  });
});

describe.each(databaseKinds)('bulk scoring paths on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const api = (method: string, path: string, body?: unknown, headers = admin.headers) =>
    t.request(method, `/api/sites/${siteId}${path}`, { body, headers });
  const outcomeOf = async (visitorIds: string[]) =>
    new Map(
      (
        await t.db
          .select({ id: visitorsTable.visitorId, outcome: visitorsTable.outcome })
          .from(visitorsTable)
          .where(and(eq(visitorsTable.siteId, siteId), inArray(visitorsTable.visitorId, visitorIds)))
      ).map((row) => [row.id, row.outcome]),
    );

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('PUT /outcomes labels by visitor id, email and phone; a caller id applies once; unknown subjects stay unclaimed', async () => {
    await writeGroup(t.db, [
      { siteId, batch: batch('bulk_v1', [pageview('/pricing.html')]), receivedAt: new Date() },
      { siteId, batch: batch('bulk_v2', [pageview('/pricing.html')]), receivedAt: new Date() },
      { siteId, batch: batch('bulk_v3', [pageview('/')]), receivedAt: new Date() },
      { siteId, batch: batch('bulk_v4', [pageview('/')]), receivedAt: new Date() },
    ]);
    // Two browsers of one person (same email), a third person known by phone.
    const identify = (email?: string, phone?: string) => [
      { type: 'identify', traits: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) } },
    ];
    await identifyFromEvents(t.db, siteId, 'bulk_v2', identify('Buyer@Example.test'));
    await identifyFromEvents(t.db, siteId, 'bulk_v3', identify('buyer@example.test'));
    await identifyFromEvents(t.db, siteId, 'bulk_v4', identify(undefined, '+4930123456'));

    const first = await api('PUT', '/outcomes', {
      outcomes: [
        { id: 'crm-1', visitorId: 'bulk_v1', outcome: 'won' },
        { id: 'crm-2', email: ' BUYER@example.test', outcome: 'won' },
        { id: 'crm-3', phone: '+49 30 123456', outcome: 'lost' },
        { id: 'crm-4', visitorId: 'bulk_never_seen', outcome: 'won' },
        { id: 'crm-1', visitorId: 'bulk_v1', outcome: 'lost' },
      ],
    });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as PutOutcomesResponse;
    expect(answer).toMatchObject({ applied: 3, duplicates: 1, notFound: 1 });
    expect(answer.results).toEqual([
      { id: 'crm-1', status: 'applied', visitors: 1 },
      { id: 'crm-2', status: 'applied', visitors: 2 },
      { id: 'crm-3', status: 'applied', visitors: 1 },
      { id: 'crm-4', status: 'not_found', visitors: 0 },
      { id: 'crm-1', status: 'duplicate', visitors: 0 },
    ]);
    expect(Object.fromEntries(await outcomeOf(['bulk_v1', 'bulk_v2', 'bulk_v3', 'bulk_v4']))).toEqual({
      bulk_v1: 'won',
      bulk_v2: 'won',
      bulk_v3: 'won',
      bulk_v4: 'lost',
    });
    const [buyer] = await t.db.select().from(personsTable).where(eq(personsTable.email, 'buyer@example.test'));
    expect(buyer!.outcome).toBe('won');

    // A later label, then the old export retried: the retry is a duplicate and undoes nothing.
    await api('PUT', '/outcomes', { outcomes: [{ id: 'crm-5', visitorId: 'bulk_v1', outcome: null }] });
    const retried = (await (
      await api('PUT', '/outcomes', {
        outcomes: [
          { id: 'crm-1', visitorId: 'bulk_v1', outcome: 'won' },
          { id: 'crm-4', visitorId: 'bulk_v1', outcome: 'lost' },
        ],
      })
    ).json()) as PutOutcomesResponse;
    // crm-4 found nobody before, so its id was never used: now that it names a known visitor, it applies.
    expect(retried.results.map((r) => r.status)).toEqual(['duplicate', 'applied']);
    expect((await outcomeOf(['bulk_v1'])).get('bulk_v1')).toBe('lost');
  });

  it('PUT /outcomes takes 10,000 in one call and refuses more, or an outcome naming two subjects', async () => {
    const many = Array.from({ length: maxOutcomesPerCall }, (_, i) => ({
      id: `many-${i}`,
      visitorId: i % 2 ? 'bulk_v2' : `bulk_absent_${i}`,
      outcome: 'won' as const,
    }));
    const response = await api('PUT', '/outcomes', { outcomes: many });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as PutOutcomesResponse;
    expect(answer).toMatchObject({ applied: 5000, notFound: 5000, duplicates: 0 });
    const tooMany = await api('PUT', '/outcomes', {
      outcomes: [...many, { id: 'one-more', visitorId: 'bulk_v2', outcome: 'won' }],
    });
    expect(tooMany.status).toBe(400);
    const both = await api('PUT', '/outcomes', {
      outcomes: [{ id: 'x', visitorId: 'bulk_v2', email: 'a@b.test', outcome: 'won' }],
    });
    expect(both.status).toBe(400);
    expect((await both.json()).error.code).toBe('validation_failed');
  });

  it('PUT /outcomes works with an API key that has outcomes:write, and not with one that lacks it', async () => {
    const create = async (scopes: string[]) =>
      (
        await (
          await t.request('POST', '/api/api-keys', { headers: admin.headers, body: { name: `k ${scopes}`, scopes } })
        ).json()
      ).secret as string;
    const body = { outcomes: [{ id: 'key-1', visitorId: 'bulk_v3', outcome: 'lost' }] };
    const allowed = await api('PUT', '/outcomes', body, {
      authorization: `Bearer ${await create(['outcomes:write'])}`,
    });
    expect(allowed.status).toBe(200);
    expect((await outcomeOf(['bulk_v3'])).get('bulk_v3')).toBe('lost');
    const refused = await api('PUT', '/outcomes', body, { authorization: `Bearer ${await create(['leads:read'])}` });
    expect(refused.status).toBe(403);
  });

  it('the admin import stores history the live window refuses, counts what lies outside its own, and is idempotent', async () => {
    const threeDaysAgo = Date.now() - 3 * dayMs;
    // Live collect refuses a three-day-old event, counted, not re-stamped.
    const [live] = (
      await writeGroup(t.db, [
        { siteId, batch: batch('import_v1', [pageview('/pricing.html', threeDaysAgo)]), receivedAt: new Date() },
      ])
    ).responses;
    expect(live).toMatchObject({ stored: 0, rejected: { too_old: 1 } });

    const history = {
      batches: [
        {
          visitorId: 'import_v1',
          sessionId: 'import_s1',
          // Sent out of order: stored in time order.
          events: [
            pageview('/checkout.html', threeDaysAgo + 60_000),
            pageview('/pricing.html', threeDaysAgo),
            pageview('/', Date.now() - 6 * 366 * dayMs),
            pageview('/', Date.now() + 60 * 60_000),
          ],
        },
      ],
    };
    const imported = await api('POST', '/events/import', history);
    expect(imported.status).toBe(200);
    expect((await imported.json()) as ImportEventsResponse).toEqual({
      stored: 2,
      duplicates: 0,
      rejected: { too_old: 1, in_future: 1 },
    });
    const again = (await (await api('POST', '/events/import', history)).json()) as ImportEventsResponse;
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
    const [visitor] = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, 'import_v1')));
    expect(visitor!.firstSeenAt.getTime()).toBe(threeDaysAgo);
    // Scored like a live visitor would have been (then decayed over three days).
    expect((await scoresFor(t.db, siteId, ['import_v1'])).get('import_v1')!.explanation.lines.length).toBeGreaterThan(
      0,
    );

    const tooMany = await api('POST', '/events/import', {
      batches: [
        {
          visitorId: 'import_v2',
          sessionId: 'import_s2',
          events: Array.from({ length: maxImportEvents + 1 }, () => pageview('/', threeDaysAgo)),
        },
      ],
    });
    expect(tooMany.status).toBe(400);
  });

  it('the import and the outcomes are refused for an agent who cannot see the site', async () => {
    await t.db.insert(agentsTable).values({
      email: 'bulk-outsider@example.test',
      name: 'Outsider',
      role: 'agent',
      passwordHash: await hashPassword('outsider password'),
    });
    const outsider = await t.login('bulk-outsider@example.test', 'outsider password');
    const importing = await api('POST', '/events/import', { batches: [] }, outsider.headers);
    expect([403, 404]).toContain(importing.status);
    const labelling = await api(
      'PUT',
      '/outcomes',
      { outcomes: [{ id: 'o', visitorId: 'bulk_v1', outcome: 'won' }] },
      outsider.headers,
    );
    expect(labelling.status).toBe(404);
    expect((await outcomeOf(['bulk_v1'])).get('bulk_v1')).toBe('lost');
  });

  it('apply adds the accepted new rules after the site rules, and refuses a taken id with nothing changed', async () => {
    const before = (await (await api('GET', '/scoring')).json()).settings as ScoringSettings;
    const rule = {
      id: 'pages-8',
      label: 'Pages, all visits ≥ 8',
      condition: { kind: 'total', metric: 'pages', op: 'gte', value: 8 },
      points: 12,
    };
    const applied = await api('POST', '/scoring/apply', { points: {}, newRules: [rule] });
    expect(applied.status).toBe(202);
    await scoringJobsIdle(t.db);
    const after = (await (await api('GET', '/scoring')).json()).settings as ScoringSettings;
    expect(after.rules).toEqual([...before.rules, rule]);
    const clash = await api('POST', '/scoring/apply', {
      points: {},
      newRules: [{ ...rule, id: before.rules[0]!.id }],
    });
    expect(clash.status).toBe(400);
    expect(((await (await api('GET', '/scoring')).json()).settings as ScoringSettings).rules).toEqual(after.rules);
  });

  it('percent thresholds: the top N % of the last 30 days are hot, computed after the rescore and shown', async () => {
    // A fresh site: 10 visitors with 0…9 pricing views (pricing scores per view on the shop template).
    const created = await t.request('POST', '/api/sites', {
      body: { name: 'Percent shop', template: 'shop', allowedOrigins: [] },
      headers: admin.headers,
    });
    const percentSite = (await created.json()).site.id as string;
    const items = Array.from({ length: 10 }, (_, i) => ({
      siteId: percentSite,
      batch: batch(
        `pct_v${i}`,
        Array.from({ length: i }, (_, k) => pageview(`/product-${k}.html`)),
      ),
      receivedAt: new Date(),
    })).filter((item) => item.batch.events.length > 0);
    await writeGroup(t.db, items);
    const path = `/api/sites/${percentSite}/scoring`;
    const { settings } = (await (await t.request('GET', path, { headers: admin.headers })).json()) as {
      settings: ScoringSettings;
    };
    const saved = await t.request('PUT', path, {
      headers: admin.headers,
      body: { ...settings, thresholdMode: 'percent', hotPercent: 20, warmPercent: 50 },
    });
    expect(saved.status).toBe(202);
    await scoringJobsIdle(t.db);
    const after = await (await t.request('GET', path, { headers: admin.headers })).json();
    expect(after.settings).toMatchObject({ thresholdMode: 'percent', hotPercent: 20, warmPercent: 50 });
    expect(after.thresholds).toMatchObject({ visitors: 9, hot: after.settings.hot, warm: after.settings.warm });
    const rows = await t.db
      .select({ score: visitorsTable.score, temperature: visitorsTable.temperature })
      .from(visitorsTable)
      .where(eq(visitorsTable.siteId, percentSite));
    const hot = rows.filter((row) => row.temperature === 'hot');
    expect(hot.length).toBeGreaterThan(0);
    expect(hot.length).toBeLessThanOrEqual(Math.floor(rows.length * 0.2));
    // Stored temperatures follow the computed points.
    for (const row of rows) expect(row.temperature === 'hot').toBe(row.score >= after.settings.hot);
    const invalid = await t.request('PUT', path, {
      headers: admin.headers,
      body: { ...settings, thresholdMode: 'percent', hotPercent: 60, warmPercent: 50 },
    });
    expect(invalid.status).toBe(400);
  });
});
