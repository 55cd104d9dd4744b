import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { FeedbackReport } from '@beckon/sdk/protocol';
import {
  chatVisitorsTable,
  conversationsTable,
  feedbackTable,
  leadTouchesTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)('feedback on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let ip = 0;
  const send = (body: Record<string, unknown>, address = `192.0.2.${++ip}`) =>
    t.request('POST', '/v1/feedback', {
      body: { site: 'demo', formMs: 4000, ...body },
      headers: { origin: testOrigin },
      ip: address,
    });
  const stored = async () => (await t.db.select({ n: count() }).from(feedbackTable))[0]!.n;
  const report = async (query = '') =>
    (await (
      await t.request('GET', `/api/sites/${siteId}/feedback${query}`, { headers: admin.headers })
    ).json()) as FeedbackReport;

  const pushes: { event: string; payload: unknown }[] = [];

  beforeAll(async () => {
    const realtime = Object.assign(createRealtime(), {
      toSite: (_siteId: string, event: string, payload: unknown) => void pushes.push({ event, payload }),
    });
    t = await createTestApp(kind, { realtime });
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    await t.db.insert(webhookEndpointsTable).values({
      siteId,
      url: 'https://crm.example/hooks',
      events: ['feedback.submitted'],
      secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0',
      enabled: true,
    } as typeof webhookEndpointsTable.$inferInsert);
  });
  afterAll(() => t?.dispose());

  it('stores NPS, CSAT and messages, and reports NPS and CSAT for the period', async () => {
    for (const score of [10, 9, 8, 3])
      expect((await send({ kind: 'nps', score, text: score < 5 ? 'Shipping was slow' : undefined })).status).toBe(201);
    for (const score of [5, 4, 2]) expect((await send({ kind: 'csat', score })).status).toBe(201);
    expect((await send({ kind: 'message', text: 'Please stock size 46', email: 'Max@Example.test' })).status).toBe(201);
    const week = await report('?days=7');
    // 2 promoters, 1 passive, 1 detractor of 4 → 50 − 25 = 25.
    expect(week.nps).toEqual({ score: 25, promoters: 2, passives: 1, detractors: 1, count: 4 });
    expect(week.csat).toEqual({ average: 3.7, satisfiedPercent: 67, count: 3 });
    expect(week.daily).toHaveLength(7);
    expect(week.daily.at(-1)!.answers).toBe(8);
    expect(week.answers[0]).toMatchObject({ kind: 'message', text: 'Please stock size 46', email: 'Max@Example.test' });
    expect((await report('?days=90&kind=csat')).answers.map((answer) => answer.score)).toEqual([2, 4, 5]);
    expect((await t.request('GET', `/api/sites/${siteId}/feedback?days=12`, { headers: admin.headers })).status).toBe(
      400,
    );
  });

  it('reports the ratings visitors gave their chats, and lists them with the CSAT answers', async () => {
    const [visitor] = await t.db
      .insert(chatVisitorsTable)
      .values({ siteId, tokenHash: `rated-${kind}`, email: 'rita@example.test' })
      .returning();
    const closedAt = new Date();
    await t.db.insert(conversationsTable).values([
      {
        siteId,
        chatVisitorId: visitor!.id,
        status: 'closed',
        closedAt,
        csatRating: 5,
        csatComment: 'Solved in two minutes',
      },
      {
        siteId,
        chatVisitorId: visitor!.id,
        status: 'closed',
        closedAt: new Date(closedAt.getTime() - 1000),
        csatRating: 3,
      },
      // Rated 100 days ago: outside every period.
      {
        siteId,
        chatVisitorId: visitor!.id,
        status: 'closed',
        closedAt: new Date(closedAt.getTime() - 100 * 86_400_000),
        csatRating: 1,
      },
    ]);
    const week = await report('?days=7');
    expect(week.chatRatings).toEqual({ average: 4, satisfiedPercent: 50, count: 2 });
    const ratings = (await report('?days=7&kind=csat')).answers.filter((answer) => answer.source === 'chat');
    expect(ratings).toEqual([
      expect.objectContaining({ kind: 'csat', score: 5, text: 'Solved in two minutes', email: 'rita@example.test' }),
      expect.objectContaining({ kind: 'csat', score: 3, text: null }),
    ]);
    expect((await report('?days=7&kind=nps')).answers.some((answer) => answer.source === 'chat')).toBe(false);
  });

  it('puts an answer with an email on the lead timeline and sends feedback.submitted', async () => {
    const response = await send({ kind: 'nps', score: 9, email: 'nora@example.test', text: 'Great support' });
    const { feedback } = await response.json();
    const [row] = await t.db.select().from(feedbackTable).where(eq(feedbackTable.id, feedback.id));
    expect(row!.leadId).toEqual(expect.any(String));
    const touches = await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.leadId, row!.leadId!));
    expect(touches).toEqual([
      expect.objectContaining({ kind: 'feedback.submitted', summary: 'NPS 9/10: Great support' }),
    ]);
    const deliveries = await t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'feedback.submitted'));
    expect(
      deliveries.some(
        (delivery) => (delivery.payload as { data: { feedback: { id: string } } }).data.feedback.id === feedback.id,
      ),
    ).toBe(true);
    // Open Feedback pages hear about it after the commit.
    expect(pushes).toContainEqual({
      event: 'feedback:new',
      payload: expect.objectContaining({ id: feedback.id, score: 9 }),
    });
    // An anonymous answer is not a lead.
    const anonymous = await (await send({ kind: 'csat', score: 4 })).json();
    const [plain] = await t.db.select().from(feedbackTable).where(eq(feedbackTable.id, anonymous.feedback.id));
    expect(plain!.leadId).toBeNull();
  });

  it('refuses bad scores, honeypots, instant submissions, other origins and floods, storing nothing', async () => {
    const before = await stored();
    expect((await send({ kind: 'nps', score: 11 })).status).toBe(400);
    expect((await send({ kind: 'csat', score: 0 })).status).toBe(400);
    expect((await send({ kind: 'nps' })).status).toBe(400);
    expect((await send({ kind: 'message' })).status).toBe(400);
    expect((await send({ kind: 'nps', score: 9, website: 'x' })).status).toBe(400);
    expect((await send({ kind: 'nps', score: 9, formMs: 10 })).status).toBe(429);
    const evil = await t.request('POST', '/v1/feedback', {
      body: { site: 'demo', kind: 'nps', score: 9, formMs: 4000 },
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await stored()).toBe(before);
    const address = '192.0.2.250';
    for (let i = 0; i < 20; i++) expect((await send({ kind: 'nps', score: 7 }, address)).status).toBe(201);
    const flood = await send({ kind: 'nps', score: 7 }, address);
    expect(flood.status).toBe(429);
    expect(Number(flood.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stored()).toBe(before + 20);
  });

  it("shows a site's feedback to its members only", async () => {
    expect((await t.request('GET', `/api/sites/${siteId}/feedback`)).status).toBe(401);
    expect(
      (await t.request('GET', `/api/sites/00000000-0000-4000-8000-000000000000/feedback`, { headers: admin.headers }))
        .status,
    ).toBe(404);
  });
});
