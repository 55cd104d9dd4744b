import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { chatVisitorsTable, conversationEventsTable, conversationsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)('/api/conversations on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  /** A visitor whose first pageview had this URL (sent through /v1/collect, as any browser may), then chatted. */
  async function conversationAfterPageview(url: string) {
    const visitorId = `visitor_url_${counter++}`;
    const collected = await t.request('POST', '/v1/collect', {
      headers: { origin: testOrigin, 'content-type': 'text/plain' },
      body: {
        site: 'demo',
        visitorId,
        sessionId: 'session_00001',
        events: [{ id: `evt_url_${counter}`, type: 'pageview', ts: Date.now(), url, title: 'Landing' }],
      },
    });
    expect(collected.status, url).toBe(200);
    const [visitor] = await t.db
      .insert(chatVisitorsTable)
      .values({ siteId, tokenHash: `hash_${visitorId}`, trackerVisitorIds: [visitorId] })
      .returning();
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({ siteId, chatVisitorId: visitor!.id })
      .returning();
    return conversation!.id;
  }

  it('opens a conversation whose visitor landed on a URL that does not parse', async () => {
    for (const url of ['http://[', '//', 'http://a b/', 'http://%zz/', 'not a url at all']) {
      const id = await conversationAfterPageview(url);
      const response = await t.request('GET', `/api/conversations/${id}`, { headers: admin.headers });
      expect(response.status, url).toBe(200);
      const { visitor } = await response.json();
      expect(visitor.utm, url).toEqual({});
      expect(
        visitor.pages.map((page: { url: string }) => page.url),
        url,
      ).toEqual([url]);
    }
    // A parsable landing URL still gives its campaign tags.
    const tagged = await conversationAfterPageview('https://shop.example/?utm_source=news&gclid=abc&other=1');
    const { visitor } = await (
      await t.request('GET', `/api/conversations/${tagged}`, { headers: admin.headers })
    ).json();
    expect(visitor.utm).toEqual({ utm_source: 'news', gclid: 'abc' });
  });

  it('answers a malformed conversation id with 404 not_found on every route, and changes nothing', async () => {
    const events = async () => (await t.db.select({ n: count() }).from(conversationEventsTable))[0]!.n;
    const before = await events();
    for (const id of [
      'not-a-uuid',
      '------------------------------------',
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '%00',
      '1',
      'x'.repeat(500),
    ]) {
      for (const [method, suffix, body] of [
        ['GET', '', undefined],
        ['POST', '/take', undefined],
        ['POST', '/close', undefined],
        ['POST', '/transfer', { agentId: admin.me.agent.id }],
      ] as const) {
        const response = await t.request(method, `/api/conversations/${id}${suffix}`, { headers: admin.headers, body });
        expect(response.status, `${method} ${id}${suffix}`).toBe(404);
        expect((await response.json()).error.code).toBe('not_found');
      }
    }
    expect(await events()).toBe(before);
  });
});
