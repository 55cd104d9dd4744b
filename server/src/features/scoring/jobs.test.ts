import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { CollectBatch, LearnResult, ScoringJob, ScoringSettings } from '@beckon/sdk/protocol';
import { scoringJobsTable, visitorsTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { writeGroup, type IngestItem } from '../collect/ingest.js';
import { drainScoringJobs } from './jobs.js';
import { recordOutcome, saveScoringSettings, scoresFor } from './service.js';
import { scoringSettingsOf } from './settings.js';

// Any fit on the main thread is recorded here: learning must happen in a worker thread, whose module graph
// is its own (this mock does not reach it). The latency figure lives in the benchmark, not in a test.
const fitsOnMainThread = vi.hoisted(() => [] as number[]);
vi.mock('./learn.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./learn.js')>();
  return {
    ...original,
    learnProposal: (...args: Parameters<typeof original.learnProposal>) => {
      fitsOnMainThread.push(Date.now());
      return original.learnProposal(...args);
    },
  };
});

let counter = 0;
const id = () => `evt_${Date.now().toString(36)}_${(counter++).toString().padStart(6, '0')}`;
const pageview = (path: string, ts = Date.now()) => ({
  id: id(),
  type: 'pageview' as const,
  ts,
  url: `${testOrigin}/demo${path}`,
});
const batch = (visitorId: string, events: CollectBatch['events']) => ({
  site: 'demo',
  visitorId,
  sessionId: 'session_0001',
  events,
});

/** `count` visitors who each read the pricing page (and half of them the contact page), written in groups. */
async function visitors(
  t: TestApp,
  siteId: string,
  prefix: string,
  count: number,
  extraPages: (i: number) => string[] = () => [],
) {
  const items: IngestItem[] = [];
  for (let i = 0; i < count; i++) {
    const events = [
      pageview('/pricing.html'),
      ...(i % 2 ? [pageview('/contact.html')] : []),
      ...extraPages(i).map((path) => pageview(path)),
    ];
    items.push({ siteId, batch: batch(`${prefix}_${i.toString().padStart(5, '0')}`, events), receivedAt: new Date() });
  }
  for (let i = 0; i < items.length; i += 200) await writeGroup(t.db, items.slice(i, i + 200));
  return items.map((item) => item.batch.visitorId);
}

const withPricing = (settings: ScoringSettings, points: number): ScoringSettings => ({
  ...settings,
  rules: settings.rules.map((rule) => (rule.id === 'pricing' ? { ...rule, points } : rule)),
});

describe.each(databaseKinds)('rescoring jobs on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let ids: string[];
  const pushes: ScoringJob[] = [];
  const logger = createLogger('silent');

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.login()).me.sites[0]!.id;
    ids = await visitors(t, siteId, 'job_visitor', 450);
  }, 120_000);
  afterAll(() => t?.dispose());
  /** The score the Visitors list and lead queues read: written by ingestion and by rescoring. */
  const storedScore = async (visitorId: string) =>
    (
      await t.db
        .select({ score: visitorsTable.score })
        .from(visitorsTable)
        .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)))
    )[0]!.score;

  it('rescores in the background: progress reaches done, scores follow the saved rules', async () => {
    const settings = await scoringSettingsOf(t.db, siteId);
    const { job } = await saveScoringSettings(t.db, siteId, withPricing(settings, 33));
    expect(job).toMatchObject({ status: 'queued', reason: 'rules_saved', done: 0 });
    // Saved, not yet rescored: the request that saved answered before any visitor's stored score changed.
    expect(await storedScore(ids[0]!)).toBe(15);

    pushes.length = 0;
    const ran = await drainScoringJobs({
      db: t.db,
      realtime: {
        toSite: (_site, event, payload) => void (event === 'scoring:job' && pushes.push(payload as ScoringJob)),
      },
      logger,
    });
    expect(ran).toBe(1);
    const [row] = await t.db.select().from(scoringJobsTable).where(eq(scoringJobsTable.id, job.id));
    expect(row).toMatchObject({ status: 'done', total: 450, done: 450, leaseUntil: null });
    // Live progress: 200, 400, 450 visitors, then done.
    expect(pushes.map((p) => [p.status, p.done])).toEqual([
      ['running', 0],
      ['running', 200],
      ['running', 400],
      ['running', 450],
      ['done', 450],
    ]);
    expect(await storedScore(ids[0]!)).toBe(33);
    expect(await storedScore(ids[449]!)).toBe(33 + 10);
  });

  it('handles a second save: a waiting job is replaced, a running one stops and the newest rules win', async () => {
    const settings = await scoringSettingsOf(t.db, siteId);
    const first = (await saveScoringSettings(t.db, siteId, withPricing(settings, 40))).job;
    const second = (await saveScoringSettings(t.db, siteId, withPricing(settings, 41))).job;
    const statusOf = async (jobId: string) =>
      (await t.db.select().from(scoringJobsTable).where(eq(scoringJobsTable.id, jobId)))[0]!.status;
    expect(await statusOf(first.id)).toBe('superseded');

    // A third save arrives while the second runs (after its first chunk).
    let third: Promise<{ job: ScoringJob }> | undefined;
    const realtime = {
      toSite: (_site: string, event: string, payload: unknown) => {
        const job = payload as ScoringJob;
        if (event === 'scoring:job' && job.id === second.id && job.done === 200 && !third)
          third = saveScoringSettings(t.db, siteId, withPricing(settings, 42));
      },
    };
    const ran = await drainScoringJobs({ db: t.db, realtime, logger });
    const thirdJob = (await third!).job;
    expect(ran).toBe(2);
    expect(await statusOf(second.id)).toBe('superseded');
    expect(await statusOf(thirdJob.id)).toBe('done');
    expect([await storedScore(ids[0]!), await storedScore(ids[448]!)]).toEqual([42, 42]);
    expect((await scoresFor(t.db, siteId, [ids[448]!])).get(ids[448]!)!.score).toBe(42);
  });

  it('runs each job once when several nodes drain at once, and takes over a job whose node died', async () => {
    const admin = await t.login();
    const created = await t.request('POST', '/api/sites', {
      body: { name: 'Second shop', template: 'shop', allowedOrigins: [] },
      headers: admin.headers,
    });
    const otherSiteId = (await created.json()).site.id as string;
    const settings = await scoringSettingsOf(t.db, siteId);
    const jobs = [
      (await saveScoringSettings(t.db, siteId, withPricing(settings, 50))).job,
      (await saveScoringSettings(t.db, otherSiteId, withPricing(settings, 51))).job,
    ];
    const starts: string[] = [];
    const node = () => ({
      db: t.db,
      logger,
      realtime: {
        toSite: (_site: string, event: string, payload: unknown) =>
          void (
            event === 'scoring:job' &&
            (payload as ScoringJob).status === 'running' &&
            (payload as ScoringJob).done === 0 &&
            starts.push((payload as ScoringJob).id)
          ),
      },
    });
    const ran = await Promise.all([drainScoringJobs(node()), drainScoringJobs(node()), drainScoringJobs(node())]);
    expect(ran.reduce((sum, n) => sum + n, 0)).toBe(2);
    expect(starts.sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(await storedScore(ids[0]!)).toBe(50);

    // A node died mid-job: its lease runs out and the next drain on any node finishes the job.
    const orphan = (await saveScoringSettings(t.db, siteId, withPricing(settings, 52))).job;
    await t.db
      .update(scoringJobsTable)
      .set({ status: 'running', done: 200, total: 450, leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(scoringJobsTable.id, orphan.id));
    expect(await drainScoringJobs(node())).toBe(1);
    expect((await t.db.select().from(scoringJobsTable).where(eq(scoringJobsTable.id, orphan.id)))[0]).toMatchObject({
      status: 'done',
      done: 450,
    });
    expect(await storedScore(ids[0]!)).toBe(52);
  });

  it('learns in a worker thread: the fit never runs on the main thread, which keeps answering meanwhile', async () => {
    // A catalogue of 60 topic rules, each visitor reading three topics: the learner works on every rule.
    const settings = await scoringSettingsOf(t.db, siteId);
    const topics = Array.from({ length: 60 }, (_, k) => ({
      id: `topic-${k}`,
      label: `Topic ${k}`,
      condition: { kind: 'page' as const, pattern: `/demo/topic-${k}/*` },
      points: 5,
    }));
    await saveScoringSettings(t.db, siteId, { ...settings, rules: [...settings.rules, ...topics] });
    const labelled = await visitors(t, siteId, 'learn_load', 4000, (i) =>
      [i % 60, (i * 7) % 60, (i * 13) % 60].map((k) => `/topic-${k}/page`),
    );
    await recordOutcome(
      t.db,
      siteId,
      labelled.filter((_, i) => i % 3 === 0),
      'won',
    );
    await recordOutcome(
      t.db,
      siteId,
      labelled.filter((_, i) => i % 3 !== 0),
      'lost',
    );
    const admin = await t.login();
    fitsOnMainThread.length = 0;
    let finished = false;
    let answeredWhileLearning = 0;
    const learning = t
      .request('POST', `/api/sites/${siteId}/scoring/learn`, { headers: admin.headers })
      .finally(() => (finished = true));
    // The main thread keeps serving while the worker fits: every probe here is answered before the fit ends.
    while (!finished) {
      const health = await t.request('GET', '/healthz');
      expect(health.status).toBe(200);
      if (!finished) answeredWhileLearning++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const response = await learning;
    expect(response.status).toBe(200);
    const result = (await response.json()) as LearnResult;
    expect(result.outcomes).toEqual({ won: 1334, lost: 2666 });
    expect(result.proposed.length).toBeGreaterThan(60);
    // The fit itself never ran on this thread (this module's learner is a spy; the worker loads its own copy).
    expect(fitsOnMainThread).toEqual([]);
    expect(answeredWhileLearning).toBeGreaterThan(0);
  }, 120_000);
});
