import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { agentsTable, siteMembersTable, teamsTable, webhookEndpointsTable } from '../db/schema.js';
import { createTestApp, databaseKinds, type TestApp } from '../testing/harness.js';
import { isUuid } from './validate.js';

describe('isUuid', () => {
  it('takes the one spelling Beckon hands out, nothing PostgreSQL would choke on', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isUuid('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
    for (const bad of [
      '------------------------------------',
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '0f8fad5bd9cb469fa16570867728950e',
      '{0f8fad5b-d9cb-469f-a165-70867728950e}',
      '0f8fad5b-d9cb-469f-a165-70867728950e\u0000',
      '',
      42,
    ]) {
      expect(isUuid(bad), String(bad)).toBe(false);
    }
  });
});

/** The malformed ids of issue 14 (item 5): each reached PostgreSQL and answered 500. */
describe.each(databaseKinds)('malformed ids on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const malformed = ['------------------------------------', 'not-a-uuid', '%00', 'x'.repeat(300)];

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  const expectError = async (response: Response, status: number, code: string, what: string) => {
    expect(response.status, what).toBe(status);
    expect((await response.json()).error.code, what).toBe(code);
  };

  it('answers a malformed id in the path with 404 not_found, like an id that names nothing', async () => {
    const teamsBefore = (await t.db.select({ n: count() }).from(teamsTable))[0]!.n;
    for (const id of malformed) {
      const cases: [string, string, unknown?][] = [
        ['GET', `/v1/callbacks/${id}?token=${'t'.repeat(30)}`],
        ['POST', `/api/sites/${siteId}/callbacks/${id}/take`],
        ['POST', `/api/sites/${siteId}/callbacks/${id}/outcome`, { outcome: 'reached' }],
        ['PUT', `/api/sites/${siteId}/teams/${id}`, { name: 'Team', agentIds: [] }],
        ['DELETE', `/api/sites/${siteId}/teams/${id}`],
        ['PUT', `/api/agents/${id}/sites`, { siteIds: [] }],
        ['GET', `/api/leads/${id}`],
        ['GET', `/api/sites/${id}`],
        ['PUT', `/api/sites/${siteId}/visitors/${id}/outcome`, { outcome: 'won' }],
        ['POST', `/v1/invitations/${id}`, { site: 'demo', visitorId: 'visitor_000001', state: 'seen' }],
      ];
      for (const [method, path, body] of cases)
        await expectError(
          await t.request(method, path, { headers: admin.headers, body }),
          404,
          'not_found',
          `${method} ${path}`,
        );
    }
    expect((await t.db.select({ n: count() }).from(teamsTable))[0]!.n).toBe(teamsBefore);
  });

  it('answers a malformed site key in a public path with 404 unknown_site', async () => {
    for (const key of ['%00', 'a', 'bad key', '..%2F..']) {
      await expectError(await t.request('GET', `/v1/sites/${key}/config`), 404, 'unknown_site', key);
      await expectError(await t.request('GET', `/v1/sites/${key}/callback-options`), 404, 'unknown_site', key);
    }
  });

  it('ignores unknown body fields: a body cannot set what the schema does not name, nor pollute a prototype', async () => {
    const other = (
      await (await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other shop' } })).json()
    ).site;
    const body = `{"__proto__":{"polluted":true},"url":"https://crm.example.com/hook","events":["lead.created"],"siteId":"${other.id}","secret":"whsec_chosen","id":"00000000-0000-4000-8000-000000000000","extra":1}`;
    const created = await t.request('POST', `/api/sites/${siteId}/webhooks`, { headers: admin.headers, body });
    expect(created.status).toBe(201);
    const answer = await created.json();
    expect(answer.endpoint).not.toHaveProperty('extra');
    expect(answer.endpoint.id).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(answer.secret).not.toBe('whsec_chosen');
    const [row] = await t.db
      .select()
      .from(webhookEndpointsTable)
      .where(eq(webhookEndpointsTable.id, answer.endpoint.id));
    expect(row).toMatchObject({ siteId, url: 'https://crm.example.com/hook' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a malformed id inside a body with 400 validation_failed naming the field, and stores nothing', async () => {
    const agents = async () => (await t.db.select({ n: count() }).from(agentsTable))[0]!.n;
    const before = await agents();
    const invite = await t.request('POST', '/api/agents/invites', {
      headers: admin.headers,
      body: { email: 'bad-site@example.test', name: 'Bad', siteIds: ['not-a-site'] },
    });
    await expectError(invite.clone(), 400, 'validation_failed', 'invite');
    expect((await invite.json()).error.details[0].path).toEqual(['siteIds', '0']);
    expect(await agents()).toBe(before);
    const memberships = (await t.db.select({ n: count() }).from(siteMembersTable))[0]!.n;
    await expectError(
      await t.request('PUT', `/api/agents/${admin.me.agent.id}/sites`, {
        headers: admin.headers,
        body: { siteIds: ['------------------------------------'] },
      }),
      400,
      'validation_failed',
      'sites',
    );
    expect((await t.db.select({ n: count() }).from(siteMembersTable))[0]!.n).toBe(memberships);
  });
});
