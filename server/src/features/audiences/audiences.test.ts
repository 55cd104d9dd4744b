import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { audienceMembersTable, visitorsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { agentOn, createSiteFor, eventId, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import type { AudienceEntry } from './evaluate.js';
import { onAudienceEntered } from './hooks.js';

describe.each(databaseKinds)('audiences on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const marketing = { analytics: true, marketing: true };
  const visit = (
    visitorId: string,
    events: unknown[],
    consent?: { analytics: boolean; marketing: boolean },
    headers: Record<string, string> = {},
  ) =>
    sendBatch(
      t,
      { site: 'demo', visitorId, sessionId: 'session_0001', events, ...(consent ? { consent } : {}) },
      { headers },
    );
  const membersOf = async (visitorId: string) =>
    (
      await t.db
        .select()
        .from(audienceMembersTable)
        .where(and(eq(audienceMembersTable.siteId, siteId), eq(audienceMembersTable.visitorId, visitorId)))
    ).length;
  const temperatureOf = async (visitorId: string) =>
    (
      await t.db
        .select({ temperature: visitorsTable.temperature })
        .from(visitorsTable)
        .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)))
    )[0]!.temperature;
  let unsubscribe: (() => void) | undefined;
  afterEach(() => unsubscribe?.());

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    const pixels = await t.request('PUT', `/api/sites/${siteId}/pixels`, {
      headers: admin.headers,
      body: {
        pixels: [
          { kind: 'meta', pixelId: '1234567890' },
          { kind: 'image', url: 'https://px.example/hit?seg={segment}&v={visitor}' },
        ],
      },
    });
    expect(pixels.status).toBe(200);
  });
  afterAll(() => t?.dispose());

  it('answers the segments and a newly entered audience once, with pixels, under marketing consent', async () => {
    const entries: AudienceEntry[] = [];
    unsubscribe = onAudienceEntered((entry) => void entries.push(entry));
    const first = await (await visit('aud_visitor_1', [pageview('/'), pageview('/pricing.html')], marketing)).json();
    // The visitor's temperature (when warm or hot) leads the segments, then their audiences.
    const segments = async () =>
      [
        ...((await temperatureOf('aud_visitor_1')) === 'cold' ? [] : [await temperatureOf('aud_visitor_1')]),
        'pricing',
      ].join(',');
    expect(first.segments).toBe(await segments());
    expect(first.audiences).toEqual([
      {
        segment: 'pricing',
        name: 'Viewed pricing, no lead',
        pixels: [
          { kind: 'meta', pixelId: '1234567890', event: 'beckon_pricing_no_lead' },
          { kind: 'image', url: 'https://px.example/hit?seg=pricing&v=aud_visitor_1' },
        ],
      },
    ]);
    // Still in the segment on the next batch, but entered only once: no second pixel.
    const second = await (await visit('aud_visitor_1', [pageview('/pricing.html')], marketing)).json();
    expect(second.segments).toBe(await segments());
    expect(second.audiences).toEqual([]);
    expect(await membersOf('aud_visitor_1')).toBe(1);
    expect(entries.map((e) => [e.visitorId, e.segment])).toEqual([['aud_visitor_1', 'pricing']]);
  });

  it('concurrent batches of one visitor enter an audience once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        visit(
          'aud_visitor_race',
          [pageview('/product.html'), pageview('/product.html'), pageview('/product.html')],
          marketing,
        ).then((r) => r.json()),
      ),
    );
    const entered = answers.flatMap((a: { audiences: { segment: string }[] }) => a.audiences.map((x) => x.segment));
    expect(entered.filter((s) => s === 'product-fan')).toHaveLength(1);
  });

  it('without marketing consent, or under Sec-GPC: 1, answers no segments, no audiences and enters nothing', async () => {
    const analyticsOnly = await (
      await visit('aud_visitor_2', [pageview('/pricing.html')], { analytics: true, marketing: false })
    ).json();
    const legacy = await (await visit('aud_visitor_2', [pageview('/pricing.html')])).json();
    const gpc = await (await visit('aud_visitor_2', [pageview('/pricing.html')], marketing, { 'sec-gpc': '1' })).json();
    for (const answer of [analyticsOnly, legacy, gpc]) {
      expect(answer.segments).toBeUndefined();
      expect(answer.audiences).toBeUndefined();
    }
    expect(await membersOf('aud_visitor_2')).toBe(0);
  });

  it('under DNT: 1 only when the site honours Do Not Track', async () => {
    const dnt = { dnt: '1' };
    const ignored = await (await visit('aud_visitor_dnt1', [pageview('/pricing.html')], marketing, dnt)).json();
    expect(ignored.audiences?.map((a: { segment: string }) => a.segment)).toContain('pricing');
    const site = (await (await t.request('GET', `/api/sites/${siteId}`, { headers: admin.headers })).json()).site;
    expect(
      (
        await t.request('PATCH', `/api/sites/${siteId}`, {
          headers: admin.headers,
          body: { consent: { ...site.consent, honourDnt: true } },
        })
      ).status,
    ).toBe(200);
    const honoured = await (await visit('aud_visitor_dnt2', [pageview('/pricing.html')], marketing, dnt)).json();
    expect(honoured.audiences).toBeUndefined();
    expect(await membersOf('aud_visitor_dnt2')).toBe(0);
    await t.request('PATCH', `/api/sites/${siteId}`, { headers: admin.headers, body: { consent: site.consent } });
  });

  it('a callback form started and then left is an abandoned callback form, not before', async () => {
    const form = (action: string) => ({
      id: eventId(),
      type: 'form',
      ts: Date.now(),
      url: `${testOrigin}/demo/contact`,
      action,
      form: 'callback',
    });
    const started = await (await visit('aud_visitor_3', [pageview('/contact'), form('start')], marketing)).json();
    expect(started.audiences.map((a: { segment: string }) => a.segment)).not.toContain('callback-abandoned');
    const left = await (await visit('aud_visitor_3', [pageview('/')], marketing)).json();
    expect(left.audiences.map((a: { segment: string }) => a.segment)).toContain('callback-abandoned');
  });

  it('admins manage audiences and pixels; input is validated; other sites stay invisible', async () => {
    const created = await t.request('POST', `/api/sites/${siteId}/audiences`, {
      headers: admin.headers,
      body: {
        segment: 'shoes',
        name: 'Shoe fans',
        rule: { kind: 'page_views', pattern: '/shoes/*', min: 2 },
        eventName: 'shoe_fan',
        pixels: true,
        enabled: true,
      },
    });
    expect(created.status).toBe(201);
    const duplicate = await t.request('POST', `/api/sites/${siteId}/audiences`, {
      headers: admin.headers,
      body: {
        segment: 'shoes',
        name: 'Again',
        rule: { kind: 'temperature', temperature: 'hot' },
        eventName: 'x',
        pixels: false,
        enabled: true,
      },
    });
    expect(duplicate.status).toBe(409);
    for (const body of [
      {
        segment: 'Bad Segment',
        name: 'x',
        rule: { kind: 'temperature', temperature: 'hot' },
        eventName: 'x',
        pixels: true,
        enabled: true,
      },
      {
        segment: 'ok',
        name: 'x',
        rule: { kind: 'page_views', pattern: '/a', min: 0 },
        eventName: 'x',
        pixels: true,
        enabled: true,
      },
    ]) {
      expect((await t.request('POST', `/api/sites/${siteId}/audiences`, { headers: admin.headers, body })).status).toBe(
        400,
      );
    }
    expect(
      (
        await t.request('PUT', `/api/sites/${siteId}/pixels`, {
          headers: admin.headers,
          body: { pixels: [{ kind: 'image', url: 'javascript:alert(1)' }] },
        })
      ).status,
    ).toBe(400);

    const other = await createSiteFor(t, admin.headers, 'Audience tenancy');
    const agent = await agentOn(t, admin.headers, 'agent-audiences@example.test', [siteId]);
    expect((await t.request('GET', `/api/sites/${siteId}/audiences`, { headers: agent })).status).toBe(200);
    expect((await t.request('GET', `/api/sites/${other.id}/audiences`, { headers: agent })).status).toBe(404);
    const audienceId = (await created.json()).audience.id;
    expect((await t.request('DELETE', `/api/sites/${siteId}/audiences/${audienceId}`, { headers: agent })).status).toBe(
      403,
    );
    // An admin cannot reach a site's audience through another site's path.
    expect(
      (await t.request('DELETE', `/api/sites/${other.id}/audiences/${audienceId}`, { headers: admin.headers })).status,
    ).toBe(404);
    expect(
      (await t.request('DELETE', `/api/sites/${siteId}/audiences/${audienceId}`, { headers: admin.headers })).status,
    ).toBe(204);
  });
});
