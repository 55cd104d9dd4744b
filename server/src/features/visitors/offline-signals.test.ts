import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { RecordSignalsResponse, ScoringSettings } from '@beckon/sdk/protocol';
import { eventsTable, personVisitorsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { writeGroup } from '../collect/ingest.js';
import { scoresFor } from '../scoring/index.js';
import { scoringJobsIdle } from '../scoring/jobs.js';

describe.each(databaseKinds)('offline signals API on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const api = (method: string, path: string, body?: unknown, headers = admin.headers) =>
    t.request(method, `/api/sites/${siteId}${path}`, { body, headers });
  const send = async (signals: unknown[]) => {
    const response = await api('POST', '/signals', { signals });
    return { status: response.status, body: (await response.json()) as RecordSignalsResponse };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    const { settings } = (await (await api('GET', '/scoring')).json()) as { settings: ScoringSettings };
    const rules: ScoringSettings['rules'] = [
      ...settings.rules,
      {
        id: 'deal-big',
        label: 'Big deal won',
        condition: { kind: 'signal', signal: 'deal_won', minAmount: 1000 },
        points: 60,
      },
      {
        id: 'ad-lead',
        label: 'Ad lead form',
        condition: { kind: 'signal', signal: 'lead_form_submitted' },
        points: 45,
      },
    ];
    expect((await api('PUT', '/scoring', { ...settings, rules })).status).toBe(202);
    await scoringJobsIdle(t.db);
  });
  afterAll(() => t?.dispose());

  it('scores a known browser by its visitor id, once per caller id', async () => {
    await writeGroup(t.db, [
      {
        siteId,
        batch: {
          site: 'demo',
          visitorId: 'signal_browser',
          sessionId: 'session_0001',
          events: [{ id: 'evt_sig_1', type: 'pageview', ts: Date.now(), url: 'https://shop.example/' }],
        },
        receivedAt: new Date(),
      },
    ]);
    const first = await send([{ id: 'crm-1', name: 'lead_form_submitted', visitorId: 'signal_browser' }]);
    expect(first).toMatchObject({ status: 200, body: { stored: 1, duplicates: 0, rejected: 0 } });
    const again = await send([{ id: 'crm-1', name: 'lead_form_submitted', visitorId: 'signal_browser' }]);
    expect(again.body).toMatchObject({ stored: 0, duplicates: 1 });
    const score = (await scoresFor(t.db, siteId, ['signal_browser'])).get('signal_browser')!;
    expect(score.explanation.lines.find((line) => line.ruleId === 'ad-lead')).toMatchObject({ count: 1, points: 45 });
  });

  it('scores a person never seen on the site from signals alone, by email, with the amount condition', async () => {
    const { body } = await send([
      { id: 'crm-2', name: 'deal_won', amount: 200, email: 'Offline.Only@Example.com' },
      { id: 'crm-3', name: 'deal_won', amount: 5000, email: 'offline.only@example.com' },
    ]);
    expect(body.stored).toBe(2);
    const visitorId = body.results[0]!.visitorId!;
    expect(visitorId).toMatch(/^offline_/);
    expect(body.results[1]!.visitorId).toBe(visitorId);
    const linked = await t.db
      .select()
      .from(personVisitorsTable)
      .where(and(eq(personVisitorsTable.siteId, siteId), eq(personVisitorsTable.visitorId, visitorId)));
    expect(linked).toHaveLength(1);
    const score = (await scoresFor(t.db, siteId, [visitorId])).get(visitorId)!;
    expect(score.explanation.lines.map((line) => [line.ruleId, line.count])).toEqual([['deal-big', 1]]);
  });

  it('rejects signals outside the time window one by one, and refuses a malformed call with nothing stored', async () => {
    const now = Date.now();
    const { body } = await send([
      { id: 'crm-4', name: 'deal_won', visitorId: 'signal_browser', at: new Date(now + 60 * 60 * 1000).toISOString() },
      {
        id: 'crm-5',
        name: 'deal_won',
        visitorId: 'signal_browser',
        at: new Date(now - 3 * 365 * 24 * 60 * 60 * 1000).toISOString(),
      },
      {
        id: 'crm-6',
        name: 'deal_won',
        visitorId: 'signal_browser',
        at: new Date(now - 30 * 24 * 60 * 60 * 1000).toISOString(),
      },
    ]);
    expect(body.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'in_future'],
      ['rejected', 'too_old'],
      ['stored', undefined],
    ]);
    const before = await t.db.select({ id: eventsTable.id }).from(eventsTable).where(eq(eventsTable.siteId, siteId));
    for (const bad of [
      { signals: [] },
      { signals: [{ id: 'x', name: 'Deal Won', visitorId: 'v' }] },
      { signals: [{ id: 'y', name: 'deal_won' }] },
    ]) {
      const response = await api('POST', '/signals', bad);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('validation_failed');
    }
    const after = await t.db.select({ id: eventsTable.id }).from(eventsTable).where(eq(eventsTable.siteId, siteId));
    expect(after.length).toBe(before.length);
  });

  it('is for admins only', async () => {
    const anonymous = await t.request('POST', `/api/sites/${siteId}/signals`, {
      body: { signals: [{ id: 'z', name: 'deal_won', visitorId: 'v' }] },
    });
    expect(anonymous.status).toBe(401);
  });
});
