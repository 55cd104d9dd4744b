import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLanguages } from '@beckon/sdk/protocol';
import { createTestApp, databaseKinds, testAdmin, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)("the agent's dashboard language on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.dispose());

  it('is null until chosen, then follows the agent to every session', async () => {
    const { headers, me } = await t.login();
    expect(me.language).toBeNull();
    const changed = await t.request('PATCH', '/api/me', { headers, body: { language: 'si' } });
    expect(changed.status).toBe(200);
    expect((await changed.json()).language).toBe('si');
    // A new sign-in (another browser) gets it with the login answer and from GET /api/me.
    const login = await t.request('POST', '/api/auth/login', { body: testAdmin });
    expect((await login.json()).language).toBe('si');
    const again = await t.login();
    expect((await (await t.request('GET', '/api/me', { headers: again.headers })).json()).language).toBe('si');
    for (const language of dashboardLanguages) {
      const response = await t.request('PATCH', '/api/me', { headers, body: { language } });
      expect((await response.json()).language).toBe(language);
    }
  });

  it('refuses unknown languages, other fields and writes without the CSRF token, changing nothing', async () => {
    const { headers } = await t.login();
    await t.request('PATCH', '/api/me', { headers, body: { language: 'lv' } });
    for (const body of [
      { language: 'de' },
      { language: 'EN' },
      { language: null },
      {},
      { language: 'ru', role: 'admin' },
      { language: 'x'.repeat(10_000) },
    ]) {
      const response = await t.request('PATCH', '/api/me', { headers, body });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('validation_failed');
    }
    const noToken = await t.request('PATCH', '/api/me', {
      headers: { cookie: headers.cookie },
      body: { language: 'ru' },
    });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error.code).toBe('csrf_failed');
    expect((await t.request('PATCH', '/api/me', { body: { language: 'ru' } })).status).toBe(401);
    expect((await (await t.request('GET', '/api/me', { headers })).json()).language).toBe('lv');
  });

  it("is each agent's own: a colleague's choice does not change the admin's", async () => {
    const admin = await t.login();
    await t.request('PATCH', '/api/me', { headers: admin.headers, body: { language: 'hy' } });
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: admin.headers,
        body: { email: 'lang@example.test', name: 'Lang', role: 'agent' },
      })
    ).json();
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    const accepted = await t.request('POST', '/api/invites/accept', {
      body: { token, password: 'language password 1' },
    });
    expect((await accepted.json()).language).toBeNull();
    const colleague = await t.login('lang@example.test', 'language password 1');
    await t.request('PATCH', '/api/me', { headers: colleague.headers, body: { language: 'am' } });
    expect((await (await t.request('GET', '/api/me', { headers: admin.headers })).json()).language).toBe('hy');
    expect((await (await t.request('GET', '/api/me', { headers: colleague.headers })).json()).language).toBe('am');
  });
});
