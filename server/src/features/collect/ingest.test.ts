import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, asc, count, eq } from 'drizzle-orm';
import type { CollectBatch, CollectResponse, IdentifiedCollectBatch } from '@beckon/sdk/protocol';
import { eventsTable, visitorSessionsTable, visitorsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { createRealtime } from '../../realtime/realtime.js';
import { replay, scoreOf } from '../scoring/engine.js';
import { scoringSettingsOf } from '../scoring/index.js';
import { GroupCommitter } from './group-commit.js';
import { ingestorOf, isRefusedData, writeGroup, type IngestItem } from './ingest.js';

let counter = 0;
const id = (prefix = 'evt') => `${prefix}_${Date.now().toString(36)}_${(counter++).toString().padStart(5, '0')}`;
const origin = testOrigin;
const pageview = (path: string, ts = Date.now()) => ({
  id: id(),
  type: 'pageview' as const,
  ts,
  url: `${origin}/demo${path}`,
  title: path,
});
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

describe.each(databaseKinds)('ingestion on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  const collect = (body: unknown, { ip = '198.51.100.7', ua = chrome } = {}) =>
    t.request('POST', '/v1/collect', { body, headers: { origin, 'content-type': 'text/plain', 'user-agent': ua }, ip });
  const batch = (visitorId: string, events: unknown[], extra: Partial<CollectBatch> = {}) => ({
    site: 'demo',
    visitorId,
    sessionId: 'session_0001',
    events,
    ...extra,
  });
  const storedFor = async (visitorId: string) =>
    (
      await t.db
        .select({ n: count() })
        .from(eventsTable)
        .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.visitorId, visitorId)))
    )[0]!.n;

  const realtime = createRealtime();
  beforeAll(async () => {
    t = await createTestApp(kind, { realtime });
    const admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('commits concurrent requests in a few group transactions, each answered after its events are stored', async () => {
    const ingestor = ingestorOf(t.db)!;
    const before = { ...ingestor.stats };
    const visitors = Array.from({ length: 40 }, (_, i) => `group_visitor_${i.toString().padStart(3, '0')}`);
    await Promise.all(
      visitors.map(async (visitorId) => {
        const response = await collect(batch(visitorId, [pageview('/'), pageview('/pricing.html')]), {
          ip: `198.51.100.${visitors.indexOf(visitorId)}`,
        });
        expect(await response.json()).toEqual({ stored: 2, duplicates: 0 });
        // Acknowledged means committed: the events are readable the moment the answer arrives.
        expect(await storedFor(visitorId)).toBe(2);
      }),
    );
    const flushes = ingestor.stats.flushes - before.flushes;
    expect(ingestor.stats.items - before.items).toBe(40);
    expect(flushes).toBeLessThan(20);
    expect(flushes).toBeGreaterThanOrEqual(1);
  });

  it('stores each event id once across concurrent retries of the same batch', async () => {
    const events = [pageview('/'), pageview('/product.html')];
    const answers = await Promise.all(
      [1, 2, 3].map(() => collect(batch('retry_visitor_0001', events)).then((r) => r.json())),
    );
    expect(answers.reduce((sum, a) => sum + a.stored, 0)).toBe(2);
    expect(answers.reduce((sum, a) => sum + a.duplicates, 0)).toBe(4);
    expect(await storedFor('retry_visitor_0001')).toBe(2);
    const [visitor] = await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, 'retry_visitor_0001'));
    // Scored once too: a duplicate never adds points.
    expect(visitor!.scoreState.rules.product?.n).toBe(1);
  });

  describe('a resend among new batches', () => {
    const item = (visitorId: string, events: unknown[], extra: Partial<CollectBatch> = {}): IngestItem => ({
      siteId,
      batch: batch(visitorId, events, extra) as IdentifiedCollectBatch,
      receivedAt: new Date(),
    });
    const transactions = () => vi.spyOn(t.db, 'transaction');

    it('marked as a retry: stores only its new events, in the one transaction of its group', async () => {
      const [first, second] = [pageview('/'), pageview('/pricing.html')];
      await writeGroup(t.db, [item('resent_marked', [first, second])]);
      const spy = transactions();
      const { responses } = await writeGroup(t.db, [
        item('resent_marked', [first, second, pageview('/contact.html')], { retry: 1 }),
        item('resent_marked_neighbour', [pageview('/')]),
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      expect(responses).toEqual([
        { stored: 1, duplicates: 2 },
        { stored: 1, duplicates: 0 },
      ]);
      expect(await storedFor('resent_marked')).toBe(3);
      expect(await storedFor('resent_marked_neighbour')).toBe(1);
    });

    it('not marked (an older loader): the group is written again with every event checked, each event stored once', async () => {
      const [first, second] = [pageview('/'), pageview('/product.html')];
      await writeGroup(t.db, [item('resent_unmarked', [first, second])]);
      const spy = transactions();
      const { responses } = await writeGroup(t.db, [
        item('resent_unmarked_neighbour', [pageview('/')]),
        item('resent_unmarked', [first, second, pageview('/contact.html')]),
      ]);
      // The first try met the stored events (a unique violation) and rolled back; the second checked them.
      expect(spy).toHaveBeenCalledTimes(2);
      spy.mockRestore();
      expect(responses).toEqual([
        { stored: 1, duplicates: 0 },
        { stored: 1, duplicates: 2 },
      ]);
      expect(await storedFor('resent_unmarked')).toBe(3);
      expect(await storedFor('resent_unmarked_neighbour')).toBe(1);
      const [visitor] = await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, 'resent_unmarked'));
      // Scored once per event: the rolled-back try left nothing behind.
      expect(visitor!.scoreState.rules.product?.n).toBe(1);
    });
  });

  it('fails every batch of a group whose transaction fails, and stores nothing of it', async () => {
    const good = {
      siteId,
      batch: batch('failing_group_good', [pageview('/')]) as CollectBatch,
      receivedAt: new Date(),
    };
    // A site id that does not exist violates the visitors' foreign key inside the shared transaction.
    const bad = {
      siteId: '00000000-0000-4000-8000-000000000000',
      batch: batch('failing_group_bad', [pageview('/')]) as CollectBatch,
      receivedAt: new Date(),
    };
    await expect(writeGroup(t.db, [good, bad])).rejects.toThrow();
    expect(await storedFor('failing_group_good')).toBe(0);
    expect(await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, 'failing_group_good'))).toEqual(
      [],
    );
  });

  it('fails only the poisoned batches of a busy group: every innocent batch is stored and acknowledged once', async () => {
    const ingestor = ingestorOf(t.db)!;
    const pushed: string[] = [];
    const toSite = vi
      .spyOn(realtime, 'pageviewToSite')
      .mockImplementation((_site, pageview) => void pushed.push(pageview.visitorId));
    const item = (visitorId: string, events: unknown[], site = siteId) => ({
      siteId: site,
      batch: batch(visitorId, events) as IdentifiedCollectBatch,
      receivedAt: new Date(),
    });
    const innocents = Array.from({ length: 24 }, (_, i) =>
      item(`isolated_good_${String(i).padStart(3, '0')}`, [pageview('/'), pageview('/pricing.html')]),
    );
    // Straight to the ingestor, past the protocol's normalisation: what PostgreSQL itself would refuse.
    const screened = [
      item('isolated_nul_title', [{ ...pageview('/'), title: 'x\u0000' }]),
      item('isolated_surrogate_url', [{ ...pageview('/'), url: `${origin}/demo/\uD83D` }]),
      item('isolated_nul_prop_key', [
        { id: id(), type: 'track', ts: Date.now(), url: `${origin}/demo/`, name: 'cart', props: { 'a\u0000': 1 } },
      ]),
      item('isolated_bad_ts', [{ ...pageview('/'), ts: Number.NaN }]),
    ];
    // Only PostgreSQL can tell: the site was deleted after its key was looked up (the visitors' foreign key).
    const deletedSite = item('isolated_deleted_site', [pageview('/')], '00000000-0000-4000-8000-000000000000');
    // Marked as validated by the protocol's schema, the ingestor trusts it and does not screen it: should such a
    // batch still hold what PostgreSQL refuses, isolation fails it alone all the same.
    const trustedButPoisoned = {
      ...item('isolated_validated_nul', [{ ...pageview('/'), title: 'x\u0000' }]),
      validated: true,
    };
    const before = { ...ingestor.stats };
    const all = [...innocents.slice(0, 12), ...screened, deletedSite, trustedButPoisoned, ...innocents.slice(12)];
    const results = await Promise.allSettled(all.map((entry) => ingestor.submit(entry, entry.batch.events.length)));
    toSite.mockRestore();

    const resultOf = (entry: (typeof all)[number]) => results[all.indexOf(entry)]!;
    for (const innocent of innocents)
      expect(resultOf(innocent)).toEqual({
        status: 'fulfilled',
        value: { response: { stored: 2, duplicates: 0 }, derived: expect.any(Promise) },
      });
    for (const poisoned of screened) {
      const result = resultOf(poisoned);
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'validation_failed' });
    }
    // The answer names the field, as a validation error does.
    expect((resultOf(screened[0]!) as PromiseRejectedResult).reason.details).toEqual([
      { path: ['events', '0', 'title'], message: 'NUL or a lone surrogate' },
    ]);
    expect((resultOf(screened[2]!) as PromiseRejectedResult).reason.details[0].path).toEqual([
      'events',
      '0',
      'props',
      'a\u0000',
    ]);
    for (const refusedByDatabase of [resultOf(deletedSite), resultOf(trustedButPoisoned)]) {
      expect(refusedByDatabase.status).toBe('rejected');
      expect(isRefusedData((refusedByDatabase as PromiseRejectedResult).reason)).toBe(true);
    }

    // Stored once each, pushed live once each; nothing of the poisoned batches.
    for (const innocent of innocents) expect(await storedFor(innocent.batch.visitorId)).toBe(2);
    for (const poisoned of [...screened, deletedSite, trustedButPoisoned])
      expect(await storedFor(poisoned.batch.visitorId)).toBe(0);
    expect(pushed.sort()).toEqual(
      innocents.flatMap((innocent) => [innocent.batch.visitorId, innocent.batch.visitorId]).sort(),
    );
    expect(ingestor.stats.refused - before.refused).toBe(screened.length + 2);
  });

  it('retries a group PostgreSQL refuses in halves, whatever value it refused, down to the guilty batch', async () => {
    // Without the screen: PostgreSQL's own refusal of NUL and lone surrogates is what isolates them.
    const committer = new GroupCommitter<IngestItem, CollectResponse>(
      async (items) => (await writeGroup(t.db, items)).responses,
      { windowMs: 5 },
      { isolate: isRefusedData },
    );
    const item = (visitorId: string, events: unknown[]) => ({
      siteId,
      batch: batch(visitorId, events) as IdentifiedCollectBatch,
      receivedAt: new Date(),
    });
    const innocents = Array.from({ length: 10 }, (_, i) => item(`unscreened_good_${i}`, [pageview('/')]));
    const poisoned = [
      item('unscreened_nul', [{ ...pageview('/'), title: 'x\u0000' }]),
      item('unscreened_surrogate', [
        {
          id: id(),
          type: 'track',
          ts: Date.now(),
          url: `${origin}/demo/`,
          name: 'cart',
          props: { note: 'half \uD83D' },
        },
      ]),
    ];
    const all = [innocents[0]!, poisoned[0]!, ...innocents.slice(1, 6), poisoned[1]!, ...innocents.slice(6)];
    const results = await Promise.allSettled(all.map((entry) => committer.submit(entry)));
    all.forEach((entry, i) => {
      if (poisoned.includes(entry)) expect(isRefusedData((results[i] as PromiseRejectedResult).reason)).toBe(true);
      else expect(results[i]).toEqual({ status: 'fulfilled', value: { stored: 1, duplicates: 0 } });
    });
    for (const innocent of innocents) expect(await storedFor(innocent.batch.visitorId)).toBe(1);
    for (const entry of poisoned) expect(await storedFor(entry.batch.visitorId)).toBe(0);
  });

  it('stores text with NUL or lone surrogates as U+FFFD and answers every batch of the group 200', async () => {
    const visitors = [
      'fffd_visitor_0001',
      'fffd_visitor_0002',
      'fffd_visitor_0003',
      'fffd_visitor_0004',
      'fffd_visitor_0005',
    ];
    const hostile = [
      { ...pageview('/'), title: 'x\u0000' },
      {
        id: id(),
        type: 'track',
        ts: Date.now(),
        url: `${origin}/demo/`,
        name: `${'a'.repeat(99)}\uD83D`,
        props: { note: '\uDE00' },
      },
      // Percent-decoded by the server from the landing URL: NUL, and a cut that falls inside an emoji.
      pageview(`/?utm_source=%00&utm_campaign=${'a'.repeat(199)}%F0%9F%98%80`),
      pageview('/'),
      pageview('/pricing.html'),
    ];
    // As a browser sends it: raw JSON text, escapes included.
    const answers = await Promise.all(
      visitors.map((visitorId, i) =>
        collect(JSON.stringify(batch(visitorId, [hostile[i]!])), { ip: `198.51.100.${60 + i}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const [nul] = await t.db.select().from(eventsTable).where(eq(eventsTable.visitorId, visitors[0]!));
    expect(nul!.title).toBe('x\uFFFD');
    const [track] = await t.db.select().from(eventsTable).where(eq(eventsTable.visitorId, visitors[1]!));
    expect([track!.name, track!.props]).toEqual([`${'a'.repeat(99)}\uFFFD`, { note: '\uFFFD' }]);
    const [session] = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, visitors[2]!));
    expect(session!.utm).toEqual({ source: '\uFFFD', campaign: 'a'.repeat(199) });
  });

  it('rejects events stamped more than 24 h back or 5 min ahead, per event, counted by reason, never re-stamped', async () => {
    const now = Date.now();
    const hour = 60 * 60 * 1000;
    const visitorId = 'clock_window_visitor';
    const response = await collect(
      batch(visitorId, [
        pageview('/old', now - 48 * hour),
        pageview('/future', now + 3 * hour),
        pageview('/late', now - 23 * hour),
        pageview('/now', now + 60_000),
      ]),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 2, duplicates: 0, rejected: { too_old: 1, in_future: 1 } });
    const stored = await t.db
      .select({ url: eventsTable.url, occurredAt: eventsTable.occurredAt })
      .from(eventsTable)
      .where(eq(eventsTable.visitorId, visitorId))
      .orderBy(asc(eventsTable.id));
    expect(stored.map((e) => [new URL(e.url).pathname, e.occurredAt.getTime()])).toEqual([
      ['/demo/late', now - 23 * hour],
      ['/demo/now', now + 60_000],
    ]);
    // A batch of nothing but rejected events is still an answer the client takes as sent.
    const allOld = await collect(batch(visitorId, [pageview('/older', now - 30 * hour)]));
    expect(await allOld.json()).toEqual({ stored: 0, duplicates: 0, rejected: { too_old: 1 } });
  });

  it('keeps a read longer than 30 minutes in one visit: its engagement event opens no phantom visit', async () => {
    const start = Date.now() - 2 * 60 * 60 * 1000;
    const visitorId = 'long_read_visitor';
    await collect(batch(visitorId, [pageview('/guide.html', start)]));
    await collect(
      batch(visitorId, [
        {
          id: id(),
          type: 'engagement',
          ts: start + 50 * 60_000,
          url: `${origin}/demo/guide.html`,
          visibleMs: 50 * 60_000,
          maxScroll: 100,
        },
      ]),
    );
    const sessions = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, visitorId));
    expect(sessions.map((s) => [s.number, s.pageviews, s.engagedMs])).toEqual([[1, 1, 50 * 60_000]]);
    const [visitor] = await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, visitorId));
    expect(visitor!.visitCount).toBe(1);
    // The totals that `visits` conditions (returning, third visit) compare saw one visit too.
    expect(visitor!.scoreState.totals?.visits).toBe(1);
  });

  it('drops bot traffic (by User-Agent) without storing it', async () => {
    const response = await collect(batch('bot_visitor_00001', [pageview('/')]), {
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 0, duplicates: 0, dropped: 1 });
    const headless = await collect(batch('bot_visitor_00001', [pageview('/')]), {
      ua: 'Mozilla/5.0 HeadlessChrome/124.0 Safari/537.36',
    });
    expect((await headless.json()).dropped).toBe(1);
    expect(await storedFor('bot_visitor_00001')).toBe(0);
  });

  it('splits visits after 30 idle minutes and keeps each visit’s source, visit count and the totals across them', async () => {
    const start = Date.now() - 3 * 60 * 60 * 1000;
    const visitorId = 'session_split_visitor';
    await collect(
      batch(visitorId, [
        {
          ...pageview('/?utm_source=newsletter&utm_medium=email&gclid=xyz', start),
          referrer: 'https://mail.example.net/',
        },
        pageview('/pricing.html', start + 10 * 60_000),
        {
          id: id(),
          type: 'engagement',
          ts: start + 12 * 60_000,
          url: `${origin}/demo/pricing.html`,
          visibleMs: 90_000,
          maxScroll: 100,
        },
      ]),
    );
    // 40 minutes after the last event: a second visit, from LinkedIn, told by the tracker's context.
    await collect(
      batch(visitorId, [pageview('/product.html', start + 52 * 60_000)], {
        context: { referrer: 'https://www.linkedin.com/feed', landingUrl: `${origin}/demo/product.html` },
      }),
    );
    const sessions = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, visitorId))
      .orderBy(asc(visitorSessionsTable.number));
    expect(sessions.map((s) => [s.number, s.pageviews, s.referrerDomain, s.clickIdType, s.utm.source ?? null])).toEqual(
      [
        [1, 2, 'mail.example.net', 'gclid', 'newsletter'],
        [2, 1, 'linkedin.com', null, null],
      ],
    );
    expect(sessions[0]!.engagedMs).toBe(90_000);
    const admin = await t.login();
    const detail = await (
      await t.request('GET', `/api/sites/${siteId}/visitors/${visitorId}`, { headers: admin.headers })
    ).json();
    expect(detail.visitor).toMatchObject({
      visitorId,
      visitNumber: 2,
      pagesThisVisit: 1,
      source: { referrerDomain: 'linkedin.com' },
    });
    expect(detail.visitor.sessions).toHaveLength(2);
    expect(detail.visitor.pages.map((p: { url: string }) => new URL(p.url).pathname)).toEqual([
      '/demo/product.html',
      '/demo/pricing.html',
      '/demo/',
    ]);
    const ruleIds = detail.visitor.explanation.lines.map((line: { ruleId: string }) => line.ruleId);
    expect(ruleIds).toEqual(expect.arrayContaining(['pricing', 'product', 'paid']));
    // The shop's "third visit or more" waits for a third; a one-page bounce it was not.
    expect(ruleIds).not.toContain('returning');
    expect(ruleIds).not.toContain('bounce');
    const [stored] = await t.db.select().from(visitorsTable).where(eq(visitorsTable.visitorId, visitorId));
    expect(stored!.scoreState.totals).toMatchObject({ visits: 2, pages: 3, engagedMs: 90_000 });
  });

  it('keeps the incremental score equal to a full replay of the stored events', async () => {
    const visitorId = 'incremental_visitor';
    const start = Date.now() - 5 * 24 * 60 * 60 * 1000;
    const paths = [
      '/',
      '/pricing.html',
      '/product.html',
      '/catalogue.html',
      '/product.html',
      '/careers',
      '/pricing.html',
      '/contact.html',
    ];
    // Eight batches over five days, some hours apart (new visits), each arriving when it was sent.
    for (let i = 0; i < paths.length; i++) {
      const ts = start + i * 14 * 60 * 60 * 1000;
      await writeGroup(t.db, [
        {
          siteId,
          receivedAt: new Date(ts + 10_000),
          batch: batch(visitorId, [
            pageview(paths[i]!, ts),
            {
              id: id(),
              type: 'engagement',
              ts: ts + 5_000,
              url: `${origin}/demo${paths[i]}`,
              visibleMs: 30_000 * i,
              maxScroll: 75,
            },
            ...(i === 3
              ? [{ id: id(), type: 'track', ts: ts + 6_000, url: `${origin}/demo/`, name: 'add-to-cart' }]
              : []),
            ...(i === 5
              ? [
                  {
                    id: id(),
                    type: 'identify',
                    ts: ts + 7_000,
                    url: `${origin}/demo/`,
                    traits: { email: 'inc@example.test' },
                  },
                ]
              : []),
          ]) as IdentifiedCollectBatch,
        },
      ]);
    }
    const settings = await scoringSettingsOf(t.db, siteId);
    const events = await t.db
      .select()
      .from(eventsTable)
      .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.visitorId, visitorId)))
      .orderBy(asc(eventsTable.id));
    const full = replay(events, settings);
    const [stored] = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)));
    const now = Date.now();
    const incremental = scoreOf(stored!.scoreState, settings, now);
    const recomputed = scoreOf(full.visitor.scoreState, settings, now);
    expect(incremental.score).toBeCloseTo(recomputed.score, 6);
    expect(incremental.explanation.lines).toEqual(recomputed.explanation.lines);
    expect(stored!.visitCount).toBe(full.visitor.visitCount);
    expect(incremental.explanation.decay).toBeLessThan(0);
    expect(incremental.explanation.lines.length).toBeGreaterThan(4);
  });

  it('serialises concurrent transactions (as from several nodes) on one visitor without losing an update', async () => {
    const visitorId = 'many_nodes_visitor';
    const start = Date.now() - 60_000;
    // Separate transactions at once, not one group: what several server nodes would do.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        writeGroup(t.db, [
          {
            siteId,
            batch: batch(visitorId, [
              pageview(i % 2 ? '/product.html' : '/pricing.html', start + i * 1000),
            ]) as CollectBatch,
            receivedAt: new Date(),
          },
        ]),
      ),
    );
    const sessions = await t.db
      .select()
      .from(visitorSessionsTable)
      .where(eq(visitorSessionsTable.visitorId, visitorId));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.pageviews).toBe(8);
    const [stored] = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)));
    expect(stored!.scoreState.rules.pricing?.n).toBe(3); // the shop rule counts pricing at most 3 times
    expect(stored!.scoreState.rules.product?.n).toBe(4);
  });
});
