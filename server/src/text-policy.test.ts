import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import {
  callbacksTable,
  consentRecordsTable,
  feedbackTable,
  leadTouchesTable,
  webhookEndpointsTable,
} from './db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from './testing/harness.js';

/**
 * README "Security": NUL and lone surrogates in any text field are stored as U+FFFD, on every public
 * route, and the server's own cuts never split an emoji. Bodies go as raw JSON text, escapes included,
 * as a hostile client would send them.
 */
describe.each(databaseKinds)('the text policy on %s', (kind) => {
  let t: TestApp;
  let ip = 0;
  const post = (path: string, body: Record<string, unknown>) =>
    t.request('POST', path, {
      body: JSON.stringify({ site: 'demo', ...body }),
      headers: { origin: testOrigin, 'content-type': 'text/plain' },
      ip: `198.51.100.${++ip}`,
    });

  beforeAll(async () => {
    t = await createTestApp(kind);
    const siteId = (await t.login()).me.sites[0]!.id;
    // Subscribed, so the feedback's webhook payload (jsonb, which refuses lone surrogates) is written too.
    await t.db.insert(webhookEndpointsTable).values({
      siteId,
      url: 'https://crm.example/hooks',
      events: ['feedback.submitted', 'callback.requested', 'lead.created'],
      secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0',
      enabled: true,
    } as typeof webhookEndpointsTable.$inferInsert);
  });
  afterAll(() => t?.dispose());

  it('feedback: stores NUL and lone surrogates as U+FFFD, with an email too, and cuts its summary whole', async () => {
    // 139 characters, then an emoji across the summary's 140-character cut.
    const text = `${'a'.repeat(139)}\u{1F600} and NUL \u0000, half \uD83D.`;
    const response = await post('/v1/feedback', {
      kind: 'message',
      text,
      email: 'hostile@example.test',
      url: 'https://shop.example/\uDE00',
      formMs: 4000,
    });
    expect(response.status).toBeLessThan(300);
    const [stored] = await t.db.select().from(feedbackTable).orderBy(desc(feedbackTable.createdAt)).limit(1);
    expect(stored!.text).toBe(`${'a'.repeat(139)}\u{1F600} and NUL \uFFFD, half \uFFFD.`);
    const [touch] = await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.refId, stored!.id));
    expect(touch!.summary).not.toMatch(/\p{Cs}/u);
    expect(touch!.summary.endsWith('a')).toBe(true);
  });

  it('callbacks: stores NUL and lone surrogates in the name as U+FFFD', async () => {
    const options = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    const response = await post('/v1/callbacks', {
      phone: '+14155550123',
      name: 'Ada\u0000 \uD800Lovelace',
      at: options.slots[0].at,
      formMs: 8000,
    });
    expect(response.status).toBeLessThan(300);
    const [stored] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.phone, '+14155550123'));
    expect(stored!.name).toBe('Ada\uFFFD \uFFFDLovelace');
  });

  it('consent: stores NUL and lone surrogates in the policy version as U+FFFD', async () => {
    const response = await post('/v1/consent', {
      visitorId: 'text_policy_visitor',
      purposes: { analytics: true },
      policyVersion: 'v\u0000\uDBFF',
      source: 'api',
    });
    expect(response.status).toBeLessThan(300);
    const [stored] = await t.db
      .select()
      .from(consentRecordsTable)
      .where(eq(consentRecordsTable.visitorId, 'text_policy_visitor'));
    expect(stored!.policyVersion).toBe('v\uFFFD\uFFFD');
  });
});
