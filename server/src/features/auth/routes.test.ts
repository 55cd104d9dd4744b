import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { agentSessionsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testAdmin, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)('agent auth on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.dispose());

  it('logs in the seeded admin with an httpOnly, SameSite=Lax session cookie', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: testAdmin });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^beckon_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/); // plain http here; Secure is set behind https
    const me = await response.json();
    expect(me.agent).toMatchObject({ email: testAdmin.email, role: 'admin' });
    expect(me.sites.map((site: { key: string }) => site.key)).toEqual(['demo']);
    expect(me.csrfToken).toEqual(expect.any(String));
    expect(JSON.stringify(me)).not.toContain('password');
  });

  it('sets Secure on the cookie behind https', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: testAdmin, headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    for (const body of [{ ...testAdmin, password: 'wrong password!' }, { email: 'nobody@example.test', password: 'whatever123' }]) {
      const response = await t.request('POST', '/api/auth/login', { body, ip: '198.51.100.7' });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'Wrong email or password' } });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('GET /api/me needs a session', async () => {
    const anonymous = await t.request('GET', '/api/me');
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('unauthorized');
    const { headers } = await t.login();
    const me = await t.request('GET', '/api/me', { headers: { cookie: headers.cookie } });
    expect(me.status).toBe(200);
  });

  it('refuses cookie-authenticated writes without the CSRF token and changes nothing', async () => {
    const { headers } = await t.login();
    const before = await t.request('GET', '/api/sites', { headers });
    const noToken = await t.request('POST', '/api/sites', { body: { name: 'Sneaky' }, headers: { cookie: headers.cookie } });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error.code).toBe('csrf_failed');
    const wrongToken = await t.request('POST', '/api/sites', { body: { name: 'Sneaky' }, headers: { ...headers, 'x-csrf-token': 'x'.repeat(32) } });
    expect(wrongToken.status).toBe(403);
    const after = await t.request('GET', '/api/sites', { headers });
    expect((await after.json()).sites).toEqual((await before.json()).sites);
  });

  it('logout revokes the session server-side', async () => {
    const { headers } = await t.login();
    const out = await t.request('POST', '/api/auth/logout', { headers });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/beckon_session=;/);
    // The old cookie no longer works even if a browser kept it.
    const me = await t.request('GET', '/api/me', { headers: { cookie: headers.cookie } });
    expect(me.status).toBe(401);
  });

  it('rejects an expired session', async () => {
    const { headers, me } = await t.login();
    await t.db
      .update(agentSessionsTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(agentSessionsTable.csrfToken, me.csrfToken));
    const response = await t.request('GET', '/api/me', { headers });
    expect(response.status).toBe(401);
  });

  it('rate-limits login per email, with Retry-After, even for the right password', async () => {
    const email = 'target@example.test';
    for (let i = 0; i < 10; i++) {
      const response = await t.request('POST', '/api/auth/login', { body: { email, password: `guess-${i}-xxxx` }, ip: `192.0.2.${i}` });
      expect(response.status).toBe(401);
    }
    const limited = await t.request('POST', '/api/auth/login', { body: { email, password: 'guess-x-xxxx' }, ip: '192.0.2.200' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('rate_limited');
  });

  it('rate-limits login per address across emails', async () => {
    const ip = '192.0.2.250';
    for (let i = 0; i < 20; i++) {
      await t.request('POST', '/api/auth/login', { body: { email: `u${i}@example.test`, password: 'whatever123' }, ip });
    }
    const limited = await t.request('POST', '/api/auth/login', { body: testAdmin, ip });
    expect(limited.status).toBe(429);
  });

  it('does not count successful logins: a whole team behind one address can sign in', async () => {
    const ip = '192.0.2.251';
    for (let i = 0; i < 25; i++) expect((await t.request('POST', '/api/auth/login', { body: testAdmin, ip })).status).toBe(200);
  });

  it('answers malformed bodies with 4xx JSON errors', async () => {
    const badJson = await t.request('POST', '/api/auth/login', { body: '{"email":', ip: '192.0.2.99' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe('bad_request');
    const wrongTypes = await t.request('POST', '/api/auth/login', { body: { email: 42, password: [] }, ip: '192.0.2.99' });
    expect(wrongTypes.status).toBe(400);
    const body = await wrongTypes.json();
    expect(body.error.code).toBe('validation_failed');
    expect(new Set(body.error.details.map((issue: { path: string[] }) => issue.path[0]))).toEqual(new Set(['email', 'password']));
    const wrongType = await t.request('POST', '/api/auth/login', { body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' }, ip: '192.0.2.99' });
    expect(wrongType.status).toBe(415);
  });
});
