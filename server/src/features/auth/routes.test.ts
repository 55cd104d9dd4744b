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
    const response = await t.request('POST', '/api/auth/login', {
      body: testAdmin,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    for (const body of [
      { ...testAdmin, password: 'wrong password!' },
      { email: 'nobody@example.test', password: 'whatever123' },
    ]) {
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
    const noToken = await t.request('POST', '/api/sites', {
      body: { name: 'Sneaky' },
      headers: { cookie: headers.cookie },
    });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error.code).toBe('csrf_failed');
    const wrongToken = await t.request('POST', '/api/sites', {
      body: { name: 'Sneaky' },
      headers: { ...headers, 'x-csrf-token': 'x'.repeat(32) },
    });
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

  const wrongPassword = (email: string, ip: string, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/auth/login', { body: { email, password: 'not the password' }, ip, headers });
  const cookieOf = (response: Response, name: string) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0]!)
      .find((cookie) => cookie.startsWith(`${name}=`));

  it('remembers the device with a long-lived httpOnly cookie sent only to /api/auth', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: testAdmin, ip: '192.0.2.120' });
    const device = response.headers.getSetCookie().find((cookie) => cookie.startsWith('beckon_device='))!;
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/SameSite=Strict/i);
    expect(device).toMatch(/Path=\/api\/auth/);
    expect(Number(/Max-Age=(\d+)/.exec(device)![1])).toBeGreaterThan(300 * 24 * 3600);
  });

  it('does not let strangers lock an account: after 10 failures from many addresses a fresh address still signs in', async () => {
    for (let i = 0; i < 10; i++) expect((await wrongPassword(testAdmin.email, `192.0.2.${i}`)).status).toBe(401);
    const fresh = await t.request('POST', '/api/auth/login', { body: testAdmin, ip: '198.51.100.200' });
    expect(fresh.status).toBe(200);
    // A fresh address with a wrong guess is still checked (401), and has failed from then on.
    expect((await wrongPassword(testAdmin.email, '198.51.100.201')).status).toBe(401);
  });

  it('a guarded account refuses addresses that failed, even with the right password, but never a known device', async () => {
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: (await t.login()).headers,
        body: { email: 'g2@example.test', name: 'G2', role: 'agent' },
      })
    ).json();
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    expect(
      (await t.request('POST', '/api/invites/accept', { body: { token, password: 'guarded password 1' } })).status,
    ).toBe(200);
    const account = { email: 'g2@example.test', password: 'guarded password 1' };
    const office = '198.51.100.50';
    const signedIn = await t.request('POST', '/api/auth/login', { body: account, ip: office });
    const device = cookieOf(signedIn, 'beckon_device')!;
    expect(device).toBeDefined();

    // A typo from the office, then an attack from ten other addresses: the account is guarded.
    expect((await wrongPassword(account.email, office)).status).toBe(401);
    for (let i = 0; i < 10; i++) expect((await wrongPassword(account.email, `203.0.113.${100 + i}`)).status).toBe(401);
    const attacker = await wrongPassword(account.email, '203.0.113.100');
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attacker.json()).error.code).toBe('rate_limited');
    const officeWithoutDevice = await t.request('POST', '/api/auth/login', { body: account, ip: office });
    expect(officeWithoutDevice.status).toBe(429);

    // The browser that signed in before passes, from the same address.
    const known = await t.request('POST', '/api/auth/login', {
      body: account,
      ip: office,
      headers: { cookie: device },
    });
    expect(known.status).toBe(200);
    // A forged cookie, or another account's, is no known device.
    const [deviceId] = device.slice('beckon_device='.length).split('.');
    const forged = await t.request('POST', '/api/auth/login', {
      body: account,
      ip: office,
      headers: { cookie: `beckon_device=${deviceId}.${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(429);
    const adminDevice = cookieOf(
      await t.request('POST', '/api/auth/login', { body: testAdmin, ip: '198.51.100.60' }),
      'beckon_device',
    )!;
    expect(
      (await t.request('POST', '/api/auth/login', { body: account, ip: office, headers: { cookie: adminDevice } }))
        .status,
    ).toBe(429);
  });

  it('rate-limits login per address across emails', async () => {
    const ip = '192.0.2.250';
    for (let i = 0; i < 20; i++) {
      await t.request('POST', '/api/auth/login', {
        body: { email: `u${i}@example.test`, password: 'whatever123' },
        ip,
      });
    }
    const limited = await t.request('POST', '/api/auth/login', { body: testAdmin, ip });
    expect(limited.status).toBe(429);
  });

  it('counts the addresses of one IPv6 /64 as one address', async () => {
    for (let i = 1; i <= 20; i++) await wrongPassword(`v6-${i}@example.test`, `2001:db8:5:5::${i.toString(16)}`);
    expect((await t.request('POST', '/api/auth/login', { body: testAdmin, ip: '2001:db8:5:5:ffff::1' })).status).toBe(
      429,
    );
    expect((await t.request('POST', '/api/auth/login', { body: testAdmin, ip: '2001:db8:5:6::1' })).status).toBe(200);
  });

  it('does not count successful logins: a whole team behind one address can sign in', async () => {
    const ip = '192.0.2.251';
    for (let i = 0; i < 25; i++)
      expect((await t.request('POST', '/api/auth/login', { body: testAdmin, ip })).status).toBe(200);
  });

  it('refuses a text/plain login (what a cross-site form can send) without signing in', async () => {
    const response = await t.request('POST', '/api/auth/login', {
      body: JSON.stringify(testAdmin),
      headers: { 'content-type': 'text/plain' },
      ip: '192.0.2.98',
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it("refuses logins made by another site's page, and accepts the dashboard's own", async () => {
    for (const headers of [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
    ]) {
      const response = await t.request('POST', '/api/auth/login', { body: testAdmin, headers, ip: '192.0.2.97' });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('origin_not_allowed');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    for (const headers of [
      { origin: 'http://localhost' },
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
    ]) {
      expect((await t.request('POST', '/api/auth/login', { body: testAdmin, headers, ip: '192.0.2.97' })).status).toBe(
        200,
      );
    }
  });

  it("refuses cookie-authenticated writes from another site's page even with the right CSRF token", async () => {
    const { headers } = await t.login();
    const before = await (await t.request('GET', '/api/sites', { headers })).json();
    for (const foreign of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      const response = await t.request('POST', '/api/sites', {
        body: { name: 'Sneaky' },
        headers: { ...headers, ...foreign },
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('origin_not_allowed');
    }
    expect(await (await t.request('GET', '/api/sites', { headers })).json()).toEqual(before);
    const own = await t.request('POST', '/api/sites', {
      body: { name: 'Own' },
      headers: { ...headers, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(201);
  });

  it('forbids caching of /api/ answers: /api/me carries the CSRF token', async () => {
    const login = await t.request('POST', '/api/auth/login', { body: testAdmin });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = await t.request('GET', '/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect((await t.request('GET', '/api/leads', { headers: { cookie } })).headers.get('cache-control')).toBe(
      'no-store',
    );
    expect((await t.request('GET', '/api/me')).headers.get('cache-control')).toBe('no-store');
  });

  it('answers malformed bodies with 4xx JSON errors', async () => {
    const badJson = await t.request('POST', '/api/auth/login', { body: '{"email":', ip: '192.0.2.99' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe('bad_request');
    const wrongTypes = await t.request('POST', '/api/auth/login', {
      body: { email: 42, password: [] },
      ip: '192.0.2.99',
    });
    expect(wrongTypes.status).toBe(400);
    const body = await wrongTypes.json();
    expect(body.error.code).toBe('validation_failed');
    expect(new Set(body.error.details.map((issue: { path: string[] }) => issue.path[0]))).toEqual(
      new Set(['email', 'password']),
    );
    const wrongType = await t.request('POST', '/api/auth/login', {
      body: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      ip: '192.0.2.99',
    });
    expect(wrongType.status).toBe(415);
  });
});
