import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { CollectBatch, LearnResult, ScoringJob, ScoringSettings, TemperatureChange } from '@beckon/sdk/protocol';
import { agentsTable, visitorsTable } from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import {
  createTestApp,
  databaseKinds,
  openTestDatabase,
  testConfig,
  testOrigin,
  type TestApp,
} from '../../testing/harness.js';
import { socketClients, watchVisitors } from '../../testing/sockets.js';
import { writeGroup } from '../collect/ingest.js';
import { onTemperatureChange } from './hooks.js';
import { recordSignal } from '../visitors/index.js';
import { recordOutcome, scoresFor } from './service.js';
import { scoringJobsIdle } from './jobs.js';

let counter = 0;
const id = () => `evt_${Date.now().toString(36)}_${(counter++).toString().padStart(5, '0')}`;
const pageview = (path: string, ts = Date.now()) => ({
  id: id(),
  type: 'pageview' as const,
  ts,
  url: `${testOrigin}/demo${path}`,
});
const batch = (visitorId: string, events: CollectBatch['events']): CollectBatch => ({
  site: 'demo',
  visitorId,
  sessionId: 'session_0001',
  events,
});

describe.each(databaseKinds)('scoring API on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const api = (method: string, path: string, body?: unknown, headers = admin.headers) =>
    t.request(method, `/api/sites/${siteId}${path}`, { body, headers });

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());
  /** Waits for this node's rescoring runner (kicked by the save) to finish its queue. */
  const rescored = () => scoringJobsIdle(t.db);

  it('serves the demo site the shop defaults, and a new B2B site its own rule set', async () => {
    const demo = await (await api('GET', '/scoring')).json();
    expect(demo.settings).toMatchObject({ hot: 70, warm: 30, halfLifeDays: 7 });
    expect(demo.settings.rules.map((r: { id: string }) => r.id)).toContain('add-to-cart');
    const created = await t.request('POST', '/api/sites', {
      body: { name: 'Acme SaaS', template: 'b2b', allowedOrigins: [] },
      headers: admin.headers,
    });
    expect(created.status).toBe(201);
    const b2bId = (await created.json()).site.id;
    const b2b = await (await t.request('GET', `/api/sites/${b2bId}/scoring`, { headers: admin.headers })).json();
    expect(b2b.settings.rules.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['demo', 'case-study', 'linkedin']),
    );
    expect(b2b.settings.rules.map((r: { id: string }) => r.id)).not.toContain('add-to-cart');
  });

  it('saves edited rules and rescores stored visitors under them; refuses invalid settings with nothing changed', async () => {
    await writeGroup(t.db, [
      { siteId, batch: batch('rescored_visitor', [pageview('/pricing.html')]), receivedAt: new Date() },
    ]);
    expect((await scoresFor(t.db, siteId, ['rescored_visitor'])).get('rescored_visitor')!.score).toBe(15);
    const { settings } = (await (await api('GET', '/scoring')).json()) as { settings: ScoringSettings };
    const edited: ScoringSettings = {
      ...settings,
      rules: [
        ...settings.rules.map((rule) => (rule.id === 'pricing' ? { ...rule, points: 40 } : rule)),
        { id: 'home', label: 'Home page', condition: { kind: 'page', pattern: '/demo/' }, points: 1 },
      ],
    };
    const saved = await api('PUT', '/scoring', edited);
    expect(saved.status).toBe(202);
    await rescored();
    expect((await scoresFor(t.db, siteId, ['rescored_visitor'])).get('rescored_visitor')).toMatchObject({
      score: 40,
      temperature: 'warm',
    });

    const invalid = [
      { ...edited, warm: 80 },
      { ...edited, rules: [...edited.rules, edited.rules[0]] },
      { ...edited, rules: [{ id: 'x', label: 'X', condition: { kind: 'page', pattern: '' }, points: 5 }] },
      { ...edited, rules: [{ id: 'x', label: 'X', condition: { kind: 'signal', signal: 'Teleported!' }, points: 5 }] },
      { ...edited, rules: [{ id: 'x', label: 'X', condition: { kind: 'returning' }, points: 500 }] },
      { ...edited, halfLifeDays: 0 },
    ];
    for (const body of invalid) {
      const response = await api('PUT', '/scoring', body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('validation_failed');
    }
    expect((await (await api('GET', '/scoring')).json()).settings).toEqual(edited);
  });

  it('records channel signals: the score rises with an explanation and temperature listeners hear the change', async () => {
    const heard: TemperatureChange[] = [];
    const off = onTemperatureChange((change) => void heard.push(change));
    try {
      await writeGroup(t.db, [
        { siteId, batch: batch('signal_visitor_01', [pageview('/pricing.html')]), receivedAt: new Date() },
      ]);
      const score = await recordSignal(t.db, siteId, 'signal_visitor_01', 'callback_requested');
      expect(score).toMatchObject({ temperature: 'hot' });
      expect(score.explanation.lines.map((line) => `${line.label} ×${line.count} ${line.total}`)).toEqual([
        'Callback requested ×1 50',
        'Pricing page ×1 40',
      ]);
      expect(heard).toEqual([
        expect.objectContaining({ siteId, visitorId: 'signal_visitor_01', previous: 'warm', temperature: 'hot' }),
      ]);
      // The limit (once per visitor) holds for signals too, and an unchanged temperature is not announced again.
      expect((await recordSignal(t.db, siteId, 'signal_visitor_01', 'callback_requested')).score).toBe(score.score);
      expect(heard).toHaveLength(1);
    } finally {
      off();
    }
  });

  it('keeps visitors, scoring and outcomes to the sites an agent may see', async () => {
    await t.db.insert(agentsTable).values({
      email: 'outsider@example.test',
      name: 'Outsider',
      role: 'agent',
      passwordHash: await hashPassword('outsider password'),
    });
    const outsider = await t.login('outsider@example.test', 'outsider password');
    for (const [method, path, body] of [
      ['GET', '/scoring'],
      ['GET', '/visitors'],
      ['GET', '/visitors/signal_visitor_01'],
      ['PUT', '/visitors/signal_visitor_01/outcome', { outcome: 'won' }],
    ] as const) {
      const response = await api(method, path, body, outsider.headers);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const [visitor] = await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, 'signal_visitor_01'));
    expect(visitor!.outcome).toBeNull();
    // Changing the rules or learning is for admins only.
    expect((await api('POST', '/scoring/learn', undefined, outsider.headers)).status).toBe(403);
    expect(
      (await api('PUT', '/scoring', (await (await api('GET', '/scoring')).json()).settings, outsider.headers)).status,
    ).toBe(403);
    expect((await api('GET', '/visitors/no_such_visitor_1')).status).toBe(404);
  });

  it('answers 404 to an outcome for a visitor never seen on the site, and creates no visitor', async () => {
    const response = await api('PUT', '/visitors/never_seen_visitor_1/outcome', { outcome: 'won' });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
    expect(await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, 'never_seen_visitor_1'))).toEqual(
      [],
    );
  });

  it('refuses to learn from fewer than 50 outcomes with a clear 409', async () => {
    const response = await api('POST', '/scoring/learn');
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toMatch(/at least 50/);
  });

  it('learns from won/lost outcomes, beats rules that ignore what wins, and applies the proposal', async () => {
    // Synthetic truth: visitors who read the contact page win; pricing alone does not matter.
    let seed = 3;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const labelled: { visitorId: string; won: boolean; contact: boolean }[] = [];
    const items = [];
    for (let i = 0; i < 300; i++) {
      const visitorId = `learn_visitor_${i.toString().padStart(3, '0')}`;
      const contact = random() < 0.5;
      const pricing = random() < 0.5;
      // Two visitors only (one won, one lost) add to cart: far too few to move that rule.
      const cart =
        i < 2
          ? [{ id: id(), type: 'track' as const, ts: Date.now(), url: `${testOrigin}/demo/`, name: 'add-to-cart' }]
          : [];
      // Two pages at least: nobody bounces, so the shop's bounce rule (which would stand for "read neither
      // pricing nor contact" here) stays out of the fit.
      const events = [
        pageview('/'),
        pageview('/about.html'),
        ...(pricing ? [pageview('/pricing.html')] : []),
        ...(contact ? [pageview('/contact.html')] : []),
        ...cart,
      ];
      items.push({ siteId, batch: batch(visitorId, events), receivedAt: new Date() });
      const won = i < 2 ? i === 0 : random() < (contact ? 0.9 : 0.1);
      labelled.push({ visitorId, contact, won });
    }
    await writeGroup(t.db, items);
    await recordOutcome(
      t.db,
      siteId,
      labelled.filter((l) => l.won).map((l) => l.visitorId),
      'won',
    );
    const lost = labelled.filter((l) => !l.won).map((l) => l.visitorId);
    await recordOutcome(t.db, siteId, lost.slice(1), 'lost');
    const viaApi = await api('PUT', `/visitors/${lost[0]}/outcome`, { outcome: 'lost' });
    expect(viaApi.status).toBe(200);

    const response = await api('POST', '/scoring/learn');
    expect(response.status).toBe(200);
    const result = (await response.json()) as LearnResult;
    // Two labelled visitors added to cart, one won and one lost: that rule's points stay as they are.
    expect(result.proposed.find((p) => p.ruleId === 'add-to-cart')).toMatchObject({ current: 20, proposed: 20 });
    expect(result.proposed.find((p) => p.ruleId === 'add-to-cart')).toMatchObject({
      labelledHits: 2,
      wonHits: 1,
      confidence: 'not_enough_data',
    });
    // Pricing has nothing to do with winning here: chance does not push it anywhere near the bounds.
    expect(Math.abs(result.proposed.find((p) => p.ruleId === 'pricing')!.proposed)).toBeLessThan(25);
    expect(result.outcomes.won + result.outcomes.lost).toBe(300);
    expect(result.folds).toBe(5);
    // Cross-validated over all 300 labelled visitors, so it does not hang on one lucky split.
    expect(result.learnedAuc).toBeGreaterThan(0.75);
    expect(result.learnedAuc).toBeGreaterThan(result.currentAuc);
    expect(result.calibration.reduce((sum, bucket) => sum + bucket.visitors, 0)).toBe(300);
    const proposed = Object.fromEntries(result.proposed.map((p) => [p.ruleId, p.proposed]));
    expect(proposed.contact).toBeGreaterThan(Math.abs(proposed.pricing ?? 0));
    expect(result.proposed.find((p) => p.ruleId === 'contact')).toMatchObject({
      confidence: expect.stringMatching(/^(high|medium)$/),
      margin: expect.any(Number),
    });

    const applied = await api('POST', '/scoring/apply', {
      points: { contact: proposed.contact, pricing: proposed.pricing },
    });
    expect(applied.status).toBe(202);
    expect((await applied.json()).job).toMatchObject({ reason: 'points_applied', status: 'queued' });
    await rescored();
    const { settings, job } = (await (await api('GET', '/scoring')).json()) as {
      settings: ScoringSettings;
      job: ScoringJob;
    };
    expect(settings.rules.find((rule) => rule.id === 'contact')!.points).toBe(proposed.contact);
    expect(job).toMatchObject({ status: 'done', reason: 'points_applied' });
    expect(job.done).toBe(job.total);
    const contactReader = labelled.find((l) => l.contact)!.visitorId;
    expect(
      (await scoresFor(t.db, siteId, [contactReader]))
        .get(contactReader)!
        .explanation.lines.find((line) => line.ruleId === 'contact')?.points,
    ).toBe(proposed.contact);
    const unknown = await api('POST', '/scoring/apply', { points: { 'no-such-rule': 5 } });
    expect(unknown.status).toBe(400);
  });
});

describe.each(databaseKinds)('live visitors over /agent on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('pushes the visitor row on every batch and the temperature change when a visitor turns hot', async () => {
    const session = await clients.login();
    const socket = clients.agent(session.cookie);
    await clients.connected(socket);
    const siteId = session.me.sites[0]!.id;
    await watchVisitors(socket, siteId);
    const updated = clients.next<{ visitorId: string; pagesThisVisit: number; temperature: string }[]>(
      socket,
      'visitors:updated',
    );
    const origin = clients.origin();
    const post = (events: unknown[]) =>
      fetch(`${origin}/v1/collect`, {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'text/plain',
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36',
        },
        body: JSON.stringify({ site: 'demo', visitorId: 'pushed_visitor_1', sessionId: 'session_0001', events }),
      });
    await post([{ id: id(), type: 'pageview', ts: Date.now(), url: `${origin}/demo/pricing.html` }]);
    expect(await updated).toMatchObject([{ visitorId: 'pushed_visitor_1', pagesThisVisit: 1, temperature: 'cold' }]);

    const hot = clients.next<TemperatureChange>(socket, 'visitor:score');
    await post([
      { id: id(), type: 'track', ts: Date.now(), url: `${origin}/demo/product.html`, name: 'add-to-cart' },
      {
        id: id(),
        type: 'identify',
        ts: Date.now(),
        url: `${origin}/demo/product.html`,
        traits: { email: 'hot@example.test', phone: '+44 20 7946 0000' },
      },
    ]);
    const change = await hot;
    expect(change).toMatchObject({ siteId, visitorId: 'pushed_visitor_1', previous: 'cold', temperature: 'hot' });
    expect(change.explanation.lines.map((line) => line.ruleId)).toEqual(['add-to-cart', 'email', 'phone', 'pricing']);

    const list = await (await fetch(`${origin}/api/sites/${siteId}/visitors`, { headers: session.headers })).json();
    expect(list.visitors).toEqual([
      expect.objectContaining({ visitorId: 'pushed_visitor_1', temperature: 'hot', email: 'hot@example.test' }),
    ]);
  });
});
