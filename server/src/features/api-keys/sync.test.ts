import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  apiLeadSchema,
  apiConversationSchema,
  apiScoreSchema,
  apiFeedbackSchema,
  apiPersonSchema,
  apiCallbackSchema,
  syncPageSchema,
} from '@beckon/sdk/protocol';
import {
  chatVisitorsTable,
  conversationsTable,
  feedbackTable,
  leadsTable,
  messagesTable,
  personVisitorsTable,
  personsTable,
  visitorsTable,
} from '../../db/schema.js';
import { createTestApp, databaseKinds, testConfig, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)('API sync lists on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let secret: string;
  const get = async (path: string) => {
    const response = await t.request('GET', path, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const put = (externalId: string, body: unknown) =>
    t.request('PUT', `/api/sites/${siteId}/leads/by-external-id/${externalId}`, {
      headers: { authorization: `Bearer ${secret}` },
      body,
    });

  beforeAll(async () => {
    t = await createTestApp(kind, {
      config: testConfig({ BECKON_API_SYNC_SETTLE_MS: '0', BECKON_API_KEY_RATE_LIMIT: '100000' }),
    });
    const admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    const created = await t.request('POST', '/api/api-keys', {
      headers: admin.headers,
      body: {
        name: 'sync',
        scopes: [
          'leads:read',
          'leads:write',
          'persons:read',
          'conversations:read',
          'callbacks:read',
          'feedback:read',
          'scores:read',
        ],
      },
    });
    secret = (await created.json()).secret;
  });
  afterAll(() => t?.dispose());

  it('pages leads without gaps while they change: the reader ends with the latest version of every row', async () => {
    for (let i = 0; i < 30; i++) expect((await put(`page-${i}`, { name: `Lead ${i}` })).status).toBe(201);
    const seen = new Map<string, { updatedAt: string; name: string }>();
    let cursor: string | null = null;
    let resume: string | null = null;
    let pages = 0;
    let writes = 0;
    // A writer that changes rows already read and rows not read yet, between every page.
    const write = async () => {
      writes++;
      await put(`page-${(writes * 7) % 30}`, { name: `Lead ${(writes * 7) % 30} v${writes}` });
      await put(`page-new-${writes}`, { name: `New ${writes}` });
    };
    do {
      const [page] = await Promise.all([
        get(`/api/sites/${siteId}/sync/leads?limit=4${cursor ? `&cursor=${cursor}` : ''}`),
        pages < 12 ? write() : Promise.resolve(),
      ]);
      syncPageSchema(apiLeadSchema).parse(page);
      expect(page.items.length).toBeLessThanOrEqual(4);
      for (const lead of page.items) seen.set(lead.id, { updatedAt: lead.updatedAt, name: lead.name });
      cursor = page.nextCursor;
      resume = page.resumeCursor;
      pages++;
    } while (cursor && pages < 100);
    // The CRM's next poll (a minute later) starts where the last page ended: it gets what the writes
    // that overlapped the last page changed, and then nothing more.
    for (let polls = 0; polls < 20; polls++) {
      const page = await get(`/api/sites/${siteId}/sync/leads?limit=4&cursor=${resume}`);
      for (const lead of page.items) seen.set(lead.id, { updatedAt: lead.updatedAt, name: lead.name });
      resume = page.resumeCursor;
      if (page.items.length === 0) break;
    }
    const rows = await t.db.select().from(leadsTable).where(eq(leadsTable.siteId, siteId));
    expect(rows.length).toBeGreaterThanOrEqual(30 + 12);
    for (const row of rows)
      expect(seen.get(row.id), row.externalId ?? row.id).toEqual({
        updatedAt: row.updatedAt.toISOString(),
        name: row.name,
      });
  });

  it('resumes from the last cursor and from updated_since; a bad cursor is a 400', async () => {
    const first = await get(`/api/sites/${siteId}/sync/leads?limit=200`);
    expect(first.hasMore).toBe(false);
    expect(first.nextCursor).toBeNull();
    const resume = first.resumeCursor as string;
    expect((await get(`/api/sites/${siteId}/sync/leads?cursor=${resume}`)).items).toEqual([]);
    await put('page-3', { name: 'Changed later' });
    const later = await get(`/api/sites/${siteId}/sync/leads?cursor=${resume}`);
    expect(later.items.map((lead: { externalId: string }) => lead.externalId)).toEqual(['page-3']);
    const since = later.items[0].updatedAt;
    expect(
      (await get(`/api/sites/${siteId}/sync/leads?updated_since=${encodeURIComponent(since)}`)).items.map(
        (lead: { externalId: string }) => lead.externalId,
      ),
    ).toEqual(['page-3']);
    for (const bad of [
      'cursor=abc',
      `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
      'limit=0',
      'limit=201',
      'updated_since=yesterday',
    ]) {
      const response = await t.request('GET', `/api/sites/${siteId}/sync/leads?${bad}`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(response.status, bad).toBe(400);
    }
  });

  it('leaves out rows changed within the settle window', async () => {
    const settled = await createTestApp(kind, { config: testConfig({ BECKON_API_SYNC_SETTLE_MS: '60000' }) });
    try {
      const admin = await settled.login();
      const site = admin.me.sites[0]!.id;
      const key = (
        await (
          await settled.request('POST', '/api/api-keys', {
            headers: admin.headers,
            body: { name: 's', scopes: ['leads:read'] },
          })
        ).json()
      ).secret;
      await settled.db.insert(leadsTable).values([
        { siteId: site, name: 'old', updatedAt: new Date(Date.now() - 120_000) },
        { siteId: site, name: 'fresh' },
      ]);
      const page = await (
        await settled.request('GET', `/api/sites/${site}/sync/leads`, { headers: { authorization: `Bearer ${key}` } })
      ).json();
      expect(page.items.map((lead: { name: string }) => lead.name)).toEqual(['old']);
    } finally {
      await settled.dispose();
    }
  });

  it('lists persons, conversations with their visible messages, feedback, callbacks and scores', async () => {
    const [person] = await t.db
      .insert(personsTable)
      .values({ siteId, name: 'Ada', email: 'ada@example.test', labelSeed: 'v-ada' })
      .returning();
    await t.db.insert(visitorsTable).values({
      siteId,
      visitorId: 'v-ada',
      firstSeenAt: new Date(),
      lastSeenAt: new Date(),
      score: 42.123,
      temperature: 'warm',
    });
    await t.db.insert(personVisitorsTable).values({ siteId, visitorId: 'v-ada', personId: person!.id });
    const [chatVisitor] = await t.db
      .insert(chatVisitorsTable)
      .values({ siteId, personId: person!.id, tokenHash: 'tok-ada' })
      .returning();
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({ siteId, chatVisitorId: chatVisitor!.id, lastSeq: 3 })
      .returning();
    await t.db.insert(messagesTable).values([
      { conversationId: conversation!.id, seq: 1, clientId: 'c1', author: 'visitor', text: 'Hello' },
      {
        conversationId: conversation!.id,
        seq: 2,
        clientId: 'c2',
        author: 'agent',
        internal: true,
        text: 'internal note',
      },
      { conversationId: conversation!.id, seq: 3, clientId: 'c3', author: 'agent', text: 'Hi Ada' },
    ]);
    await t.db.insert(feedbackTable).values({ siteId, kind: 'nps', score: 9, email: 'ada@example.test' });

    const persons = syncPageSchema(apiPersonSchema).parse(await get(`/api/sites/${siteId}/sync/persons`));
    expect(persons.items.find((p) => p.id === person!.id)).toMatchObject({ name: 'Ada', email: 'ada@example.test' });
    const conversations = syncPageSchema(apiConversationSchema).parse(
      await get(`/api/sites/${siteId}/sync/conversations`),
    );
    const found = conversations.items.find((c) => c.id === conversation!.id)!;
    expect(found.personId).toBe(person!.id);
    expect(found.messages.map((m) => m.text)).toEqual(['Hello', 'Hi Ada']);
    const feedback = syncPageSchema(apiFeedbackSchema).parse(await get(`/api/sites/${siteId}/sync/feedback`));
    expect(feedback.items.some((f) => f.score === 9)).toBe(true);
    const scores = syncPageSchema(apiScoreSchema).parse(await get(`/api/sites/${siteId}/sync/scores`));
    expect(scores.items.find((s) => s.visitorId === 'v-ada')).toMatchObject({
      personId: person!.id,
      score: 42.12,
      temperature: 'warm',
    });
    syncPageSchema(apiCallbackSchema).parse(await get(`/api/sites/${siteId}/sync/callbacks`));
  });
});
