import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import type { CollectBatch, IdentifiedCollectBatch, LiveVisitor } from '@beckon/sdk/protocol';
import { derivationBacklogTable, eventsTable, visitorSessionsTable, visitorsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { chromeUa, createSiteFor, pageview } from '../../testing/visitor-traffic.js';
import { createDeriver } from './derivation.js';
import { derivationsIdle, writeGroup, type IngestItem } from './ingest.js';

describe.each(databaseKinds)('derivation after the answer on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let adminHeaders: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    adminHeaders = admin.headers;
  });
  afterAll(() => t?.dispose());

  const batch = (visitorId: string, events: unknown[], extra: Partial<CollectBatch> = {}) => ({
    site: 'demo',
    visitorId,
    sessionId: `s_${visitorId}`,
    events,
    ...extra,
  });
  const item = (
    visitorId: string,
    events: unknown[],
    extra: Partial<CollectBatch> = {},
    site = siteId,
  ): IngestItem => ({
    siteId: site,
    batch: batch(visitorId, events, extra) as IdentifiedCollectBatch,
    receivedAt: new Date(),
  });
  /** Straight to the app, as the loader posts: the answer comes without waiting for the derivation. */
  const post = (body: unknown) =>
    t.app.request('/v1/collect', {
      method: 'POST',
      headers: {
        origin: testOrigin,
        'content-type': 'text/plain',
        'user-agent': chromeUa,
        'x-forwarded-for': '198.51.100.9',
      },
      body: JSON.stringify(body),
    });
  const visitorRow = async (visitorId: string, site = siteId) =>
    (
      await t.db
        .select()
        .from(visitorsTable)
        .where(and(eq(visitorsTable.siteId, site), eq(visitorsTable.visitorId, visitorId)))
    )[0];
  const backlogRows = async () => (await t.db.select({ n: count() }).from(derivationBacklogTable))[0]!.n;
  const storedFor = async (visitorId: string) =>
    (await t.db.select({ n: count() }).from(eventsTable).where(eq(eventsTable.visitorId, visitorId)))[0]!.n;

  it('answers a behaviour batch at its events’ commit; its visitor, visit and score follow from the backlog', async () => {
    const response = await post(batch('deferred_plain', [pageview('/pricing.html'), pageview('/product.html')]));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 2, duplicates: 0 });
    // Committed when answered: the events are there, whatever the derivation has done by now.
    expect(await storedFor('deferred_plain')).toBe(2);
    await derivationsIdle(t.db);
    const visitor = await visitorRow('deferred_plain');
    expect(visitor).toMatchObject({ visitCount: 1, currentUrl: `${testOrigin}/demo/product.html` });
    expect(visitor!.score).toBeGreaterThan(0);
    const [visit] = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, 'deferred_plain'));
    expect(visit!.pageviews).toBe(2);
    // Derived once, and the backlog row deleted by the derivation that did it.
    expect(await backlogRows()).toBe(0);
  });

  it('answers a batch whose answer reads the derived visitor (an identify) only after its derivation', async () => {
    const response = await post(
      batch('deferred_identify', [
        pageview('/'),
        {
          id: `evt_identify_${Date.now()}`,
          type: 'identify',
          ts: Date.now(),
          url: `${testOrigin}/demo/`,
          traits: { email: 'ada@example.test' },
        },
      ]),
    );
    expect(response.status).toBe(200);
    // No waiting here: the answer itself came after the derivation.
    expect(await visitorRow('deferred_identify')).toMatchObject({ email: 'ada@example.test', visitCount: 1 });
  });

  it('a node that stopped before deriving: any node’s recovery pass derives the backlog, with each batch’s visit source', async () => {
    // Written as the collect route writes it, but no deriver is handed the events (the node stopped here).
    const { responses, queued } = await writeGroup(
      t.db,
      [
        item('recovered_a', [pageview('/'), pageview('/pricing.html')], {
          context: { landingUrl: `${testOrigin}/demo/`, utm: { source: 'newsletter' }, device: 'mobile' },
        }),
        item('recovered_b', [pageview('/product.html')]),
      ],
      { deferDerivation: true },
    );
    expect(responses).toEqual([
      { stored: 2, duplicates: 0 },
      { stored: 1, duplicates: 0 },
    ]);
    expect(queued).toHaveLength(1);
    expect(await visitorRow('recovered_a')).toBeUndefined();
    expect(await backlogRows()).toBe(1);

    const pushed: LiveVisitor[] = [];
    const deriver = createDeriver(t.db, ({ visitors }) => pushed.push(...visitors));
    // Younger than the takeover age: left to its own node.
    expect(await deriver.recover()).toBe(0);
    expect(await deriver.recover(0)).toBe(1);
    expect(await backlogRows()).toBe(0);
    expect(await visitorRow('recovered_a')).toMatchObject({
      visitCount: 1,
      currentUrl: `${testOrigin}/demo/pricing.html`,
    });
    expect(await visitorRow('recovered_b')).toMatchObject({ visitCount: 1 });
    const [visit] = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, 'recovered_a'));
    expect(visit).toMatchObject({ pageviews: 2 });
    expect(visit!.utm).toMatchObject({ source: 'newsletter' });
    expect(pushed.map((visitor) => visitor.visitorId).sort()).toEqual(['recovered_a', 'recovered_b']);
    const scoreState = (await visitorRow('recovered_a'))!.scoreState;

    // The stopped node's own derivation, should it still arrive, finds the row gone and derives nothing twice.
    await deriver.derive(queued[0]!);
    await deriver.idle();
    const [again] = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, 'recovered_a'));
    expect(again!.pageviews).toBe(2);
    expect((await visitorRow('recovered_a'))!.scoreState).toEqual(scoreState);
  });

  it('an outcome set between a batch’s answer and its derivation is kept (the visitor was seen, not yet derived)', async () => {
    await writeGroup(t.db, [item('outcome_before_derivation', [pageview('/pricing.html')])], { deferDerivation: true });
    expect(await visitorRow('outcome_before_derivation')).toBeUndefined();
    const response = await t.request('PUT', `/api/sites/${siteId}/visitors/outcome_before_derivation/outcome`, {
      headers: adminHeaders,
      body: { outcome: 'won' },
    });
    expect(response.status).toBe(200);
    await createDeriver(t.db, () => {}).recover(0);
    expect(await visitorRow('outcome_before_derivation')).toMatchObject({ outcome: 'won', visitCount: 1 });
  });

  it('events whose site was deleted before their derivation are given up, and dropped with the site', async () => {
    const doomed = await createSiteFor(t, adminHeaders, 'Deleted before derivation');
    await writeGroup(t.db, [item('orphan_visitor', [pageview('/')], {}, doomed.id)], { deferDerivation: true });
    expect(await storedFor('orphan_visitor')).toBe(1);
    // Deleted meanwhile (straight in the database: events have no foreign key to sites).
    await t.db.execute(sql`delete from sites where id = ${doomed.id}`);
    const deriver = createDeriver(t.db, () => {});
    expect(await deriver.recover(0)).toBe(1);
    expect(await backlogRows()).toBe(0);
    expect(await storedFor('orphan_visitor')).toBe(0);
  });

  it('refuses a batch whose site is gone at its commit, alone, storing nothing of it', async () => {
    const { responses } = await writeGroup(
      t.db,
      [
        item('gone_site_good', [pageview('/')]),
        item('gone_site_bad', [pageview('/')], {}, '00000000-0000-4000-8000-000000000000'),
      ],
      { deferDerivation: true },
    );
    expect(responses[0]).toEqual({ stored: 1, duplicates: 0 });
    expect(responses[1]).toMatchObject({ error: { code: '23503' } });
    expect(await storedFor('gone_site_bad')).toBe(0);
    await createDeriver(t.db, () => {}).recover(0);
    expect(await visitorRow('gone_site_good')).toMatchObject({ visitCount: 1 });
  });
});
