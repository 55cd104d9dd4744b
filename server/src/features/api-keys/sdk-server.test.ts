import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { BeckonApiError, createBeckonClient, type SiteClient } from '@beckon/sdk/server';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { callbackEventsTable, callbacksTable, leadsTable, personsTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase, testAdmin, testConfig } from '../../testing/harness.js';
import { idempotencyKeysTable } from './schema.js';

/** `@beckon/sdk/server` as a CRM uses it: a real listening server, a real key, the network in between. */
describe.each(databaseKinds)('@beckon/sdk/server against a started server on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let siteId: string;
  let session: Record<string, string>;

  async function createKey(scopes: string[]) {
    const response = await fetch(`${server.url}/api/api-keys`, {
      method: 'POST',
      headers: { ...session, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `sdk ${scopes.join(' ')}`, scopes, siteIds: [siteId] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { secret: string }).secret;
  }
  const site = async (scopes: string[]): Promise<SiteClient> =>
    createBeckonClient({ baseUrl: server.url, apiKey: await createKey(scopes) }).site(siteId);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig({ BECKON_API_SYNC_SETTLE_MS: '0' }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(testAdmin),
    });
    const me = (await login.json()) as { csrfToken: string; sites: { id: string }[] };
    siteId = me.sites[0]!.id;
    session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': me.csrfToken };
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('syncs leads across pages with for await, resumes from the cursor, and upserts by external id', async () => {
    await database.db
      .insert(leadsTable)
      .values(
        ['a', 'b', 'c'].map((name) => ({ siteId, name, email: `${name}@sdk.test`, channels: ['chat' as const] })),
      );
    const beckon = await site(['leads:read', 'leads:write']);
    const leads = beckon.sync('leads', { pageSize: 2 });
    const seen: string[] = [];
    for await (const lead of leads) seen.push(lead.email ?? '');
    expect(seen.sort()).toEqual(['a@sdk.test', 'b@sdk.test', 'c@sdk.test']);
    expect(leads.cursor).toEqual(expect.any(String));

    const { lead, created } = await beckon.upsertLead('crm-42', { email: 'b@sdk.test', status: 'contacted' });
    expect(created).toBe(false);
    expect(lead).toMatchObject({ externalId: 'crm-42', email: 'b@sdk.test', status: 'contacted' });
    expect((await beckon.getLead('crm-42')).id).toBe(lead.id);
    // Next run from the saved cursor: just the lead that changed.
    const next = beckon.sync('leads', { cursor: leads.cursor });
    const changed = [];
    for await (const row of next) changed.push(row.externalId);
    expect(changed).toEqual(['crm-42']);
  });

  it('closes a callback, records outcomes and signals once per Idempotency-Key, and types the refusals', async () => {
    const [callback] = await database.db
      .insert(callbacksTable)
      .values({
        siteId,
        phone: '+4930901821',
        mode: 'now',
        requestedAt: new Date(),
        dueAt: new Date(Date.now() + 600_000),
        visitorTokenHash: 'sdk-callback',
      })
      .returning();
    const beckon = await site(['callbacks:write', 'outcomes:write']);
    const closed = await beckon.closeCallback(
      callback!.id,
      { outcome: 'converted', note: 'Signed' },
      { idempotencyKey: 'crm-call-0001' },
    );
    expect(closed).toMatchObject({ id: callback!.id, status: 'done', outcome: 'converted' });
    // The same close sent again (a retry after a lost answer): the stored answer, nothing recorded twice.
    expect(
      await beckon.closeCallback(
        callback!.id,
        { outcome: 'converted', note: 'Signed' },
        { idempotencyKey: 'crm-call-0001' },
      ),
    ).toEqual(closed);
    const outcomeEvents = await database.db
      .select()
      .from(callbackEventsTable)
      .where(eq(callbackEventsTable.callbackId, callback!.id));
    expect(outcomeEvents.filter((event) => event.kind === 'outcome')).toHaveLength(1);

    await database.db.insert(personsTable).values({ siteId, email: 'buyer@sdk.test', labelSeed: 'sdk-buyer' });
    expect(await beckon.recordOutcomes([{ match: { email: 'buyer@sdk.test' }, outcome: 'won' }])).toEqual([
      expect.objectContaining({ index: 0, status: 'updated' }),
    ]);
    const till = [
      { id: 'till-1', name: 'purchase', email: 'buyer@sdk.test', amount: 120 },
      { id: 'till-2', name: 'purchase', email: 'stranger@sdk.test' },
    ];
    expect(await beckon.recordSignals(till)).toMatchObject({ stored: 2, duplicates: 0 });
    // Another run of the till export (a new Idempotency-Key): the signals' own ids keep them from counting twice.
    expect(await beckon.recordSignals(till)).toMatchObject({ stored: 0, duplicates: 2 });
    // Every POST went with a key, generated by the client when none was given.
    expect((await database.db.select().from(idempotencyKeysTable)).length).toBeGreaterThanOrEqual(4);

    const refused = await beckon.getLead('crm-42').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BeckonApiError);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
    const wrongKey = createBeckonClient({ baseUrl: server.url, apiKey: `bk_live_00000000_${'x'.repeat(43)}` });
    await expect(wrongKey.site(siteId).getLead('crm-42')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(wrongKey.rateLimit).toBeNull();
  });

  it('reads a report over the key’s sites, typed by the report’s name', async () => {
    const beckon = createBeckonClient({ baseUrl: server.url, apiKey: await createKey(['reports:read']) });
    const funnel = await beckon.report('funnel', { from: '2026-03-01', to: '2026-03-31', tz: 'Europe/Riga' });
    expect(funnel.range).toMatchObject({ from: '2026-03-01', to: '2026-03-31', siteIds: [siteId] });
    expect(funnel.stages.map((row) => row.stage)).toEqual(['new', 'contacted', 'qualified', 'won', 'lost']);
    const speed = await beckon.report('speed', { siteId, from: '2026-03-02', to: '2026-03-08', granularity: 'week' });
    expect(speed.heatmap).toHaveLength(168);
    expect(speed.range.previousFrom).toBe('2026-02-23');
    await expect(beckon.report('cost', { from: '2026-03-31', to: '2026-03-01' })).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
    const leadsOnly = createBeckonClient({ baseUrl: server.url, apiKey: await createKey(['leads:read']) });
    await expect(leadsOnly.report('overview', { from: '2026-03-01', to: '2026-03-31' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });
});
