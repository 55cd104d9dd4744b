import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { leadsTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase, testAdmin, testConfig } from '../../testing/harness.js';
// The example from this repository, as a CRM would run it, against a real listening server.
import { createCrmSync } from '../../../../examples/crm-sync/crm-sync.mjs';

describe.each(databaseKinds)('examples/crm-sync against a started server on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let siteId: string;
  let apiKey: string;

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
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const created = await fetch(`${server.url}/api/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({
        name: 'CRM sync example',
        scopes: ['leads:read', 'leads:write', 'outcomes:write'],
        siteIds: [siteId],
      }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { secret: string }).secret;
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('pulls new leads with its cursor, links them, pushes an outcome back once, and sees the change next round', async () => {
    const [first, second] = await database.db
      .insert(leadsTable)
      .values([
        { siteId, name: 'Ann', email: 'ann@example.test', channels: ['chat'] },
        { siteId, name: 'Bob', email: 'bob@example.test', channels: ['callback'] },
      ])
      .returning();
    const sync = createCrmSync({ baseUrl: server.url, apiKey, siteId });

    const round1 = await sync.pullLeads({ pageSize: 1 });
    expect(round1.leads.map((lead) => lead.email).sort()).toEqual(['ann@example.test', 'bob@example.test']);
    expect((await sync.linkLead('crm-1', { email: 'ann@example.test' })).lead).toMatchObject({
      id: first!.id,
      externalId: 'crm-1',
    });

    // Nothing else changed: the next round gets just the lead the link touched.
    const round2 = await sync.pullLeads({ cursor: round1.cursor });
    expect(round2.leads.map((lead) => lead.externalId)).toEqual(['crm-1']);

    const pushed = await sync.pushOutcomes(
      [
        { match: { externalId: 'crm-1' }, outcome: 'won' },
        { match: { email: 'bob@example.test' }, outcome: 'lost' },
      ],
      'deal-batch-1',
    );
    expect(pushed.results.map((result) => result.status)).toEqual(['updated', 'updated']);
    // A retry after a lost answer: the same key, nothing applied twice.
    expect(
      await sync.pushOutcomes(
        [
          { match: { externalId: 'crm-1' }, outcome: 'won' },
          { match: { email: 'bob@example.test' }, outcome: 'lost' },
        ],
        'deal-batch-1',
      ),
    ).toEqual(pushed);

    const round3 = await sync.pullLeads({ cursor: round2.cursor });
    expect(Object.fromEntries(round3.leads.map((lead) => [lead.email, lead.status]))).toEqual({
      'ann@example.test': 'won',
      'bob@example.test': 'lost',
    });
    const [bob] = await database.db.select().from(leadsTable).where(eq(leadsTable.id, second!.id));
    expect(bob!.status).toBe('lost');
    expect((await sync.pullLeads({ cursor: round3.cursor })).leads).toEqual([]);
  });

  it('reports a revoked or wrong key as an error the script can show', async () => {
    const sync = createCrmSync({ baseUrl: server.url, apiKey: `${apiKey.slice(0, -2)}xx`, siteId });
    await expect(sync.pullLeads()).rejects.toMatchObject({ status: 401 });
  });
});
