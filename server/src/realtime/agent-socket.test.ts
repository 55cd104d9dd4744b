import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LivePageview, LiveVisitor } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../testing/harness.js';
import { socketClients } from '../testing/sockets.js';

describe.each(databaseKinds)('the /agent namespace on %s', (kind) => {
  let server: RunningServer;
  let dispose: () => Promise<void>;
  const clients = socketClients(() => server.port);
  const { origin, login: loginAs, connected, next, collect: heard } = clients;

  beforeAll(async () => {
    const database = await openTestDatabase(kind);
    dispose = database.dispose;
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await server?.close();
    await dispose?.();
  });

  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${origin()}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

  async function login(email?: string, password?: string) {
    const session = await loginAs(email, password);
    return { me: session.me, cookie: session.cookie, csrf: session.me.csrfToken };
  }

  /** An agent socket; `socketOrigin` lets a test pretend to be a page on another site. */
  const agentSocket = (cookie?: string, socketOrigin = origin()) => clients.agent(cookie ?? '', socketOrigin);

  // A browser's user agent: Node's own ("node") is dropped as a bot.
  const browserUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
  const collect = (url: string, site = 'demo', visitorId = 'visitor_socket_1') =>
    api('/v1/collect', {
      method: 'POST',
      headers: { origin: origin(), 'user-agent': browserUa },
      body: JSON.stringify({
        site,
        visitorId,
        sessionId: 'session_socket_1',
        events: [
          {
            id: `pv_${Math.random().toString(36).slice(2, 12)}`,
            type: 'pageview',
            ts: Date.now(),
            url,
            title: 'Pricing',
          },
        ],
      }),
    });

  it('refuses a socket without a valid session', async () => {
    await expect(connected(agentSocket())).rejects.toThrow('unauthorized');
    await expect(connected(agentSocket('beckon_session=forged-token'))).rejects.toThrow('unauthorized');
  });

  it('refuses a cookie-authenticated socket opened from another site', async () => {
    const { cookie } = await login();
    await expect(connected(agentSocket(cookie, 'https://evil.example'))).rejects.toThrow('forbidden');
  });

  it('pushes a stored pageview to the agents of that site, and only to them', async () => {
    const admin = await login();
    const adminSocket = agentSocket(admin.cookie);
    await connected(adminSocket);

    // An agent on another site only must not see the demo site's traffic.
    const created = await api('/api/sites', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'Elsewhere' }),
    });
    const elsewhere = (await created.json()).site;
    const invite = await (
      await api('/api/agents/invites', {
        method: 'POST',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: JSON.stringify({ email: 'outsider@example.test', name: 'Outsider', siteIds: [elsewhere.id] }),
      })
    ).json();
    const token = new URL(invite.acceptUrl, origin()).searchParams.get('token');
    await api('/api/invites/accept', {
      method: 'POST',
      body: JSON.stringify({ token, password: 'outsider password' }),
    });
    const outsider = await login('outsider@example.test', 'outsider password');
    const outsiderSocket = agentSocket(outsider.cookie);
    await connected(outsiderSocket);
    const leaked: LivePageview[] = [];
    outsiderSocket.on('pageviews:new', (pageviews) => leaked.push(...pageviews));

    const received = new Promise<LivePageview>((resolve) =>
      adminSocket.once('pageviews:new', ([pageview]) => resolve(pageview!)),
    );
    const url = `${origin()}/demo/pricing.html`;
    expect((await collect(url)).status).toBe(200);
    const pageview = await received;
    expect(pageview).toMatchObject({
      url,
      title: 'Pricing',
      visitorId: 'visitor_socket_1',
      siteId: admin.me.sites[0].id,
    });

    // Pushes fan out together; by now the admin's has arrived, so a leak to the outsider would have too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(leaked).toEqual([]);
  });

  it("pushes a visitor's row when their keepalive refreshes presence, at most once a minute", async () => {
    const admin = await login();
    const socket = agentSocket(admin.cookie);
    await connected(socket);
    const siteId = admin.me.sites[0].id as string;
    const visitorId = 'idle_reader_socket_1';
    const ping = () =>
      api('/v1/ping', {
        method: 'POST',
        headers: { origin: origin(), 'user-agent': browserUa },
        body: JSON.stringify({ site: 'demo', visitorId }),
      });
    // The visit's own push (a frame of the site's window) is heard before the keepalives are watched.
    const visited = next<LiveVisitor[]>(socket, 'visitors:updated', (visitors) =>
      visitors.some((visitor) => visitor.visitorId === visitorId),
    );
    expect((await collect(`${origin()}/demo/article.html`, 'demo', visitorId)).status).toBe(200);
    await visited;
    // An idle reader: their last event and last keepalive are four minutes old.
    const past = new Date(Date.now() - 4 * 60_000).toISOString();
    await server.database.db.execute(
      sql`update visitors set last_seen_at = ${past}::timestamptz where visitor_id = ${visitorId}`,
    );
    await server.database.db.execute(
      sql`update visitor_presence set seen_at = ${past}::timestamptz where visitor_id = ${visitorId}`,
    );

    const pushed = next<LiveVisitor[]>(socket, 'visitors:updated', (visitors) =>
      visitors.some((visitor) => visitor.visitorId === visitorId),
    );
    const before = Date.now();
    expect(await (await ping()).json()).toEqual({});
    const [row] = (await pushed).filter((visitor) => visitor.visitorId === visitorId);
    expect(row).toMatchObject({ siteId, visitorId, currentUrl: `${origin()}/demo/article.html`, pagesThisVisit: 1 });
    expect(Date.parse(row!.lastSeenAt)).toBeGreaterThanOrEqual(before - 1000);

    // The next pings within the minute write nothing, so they push nothing.
    const later = heard<LiveVisitor[]>(socket, 'visitors:updated');
    await ping();
    await ping();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(later.flat().filter((visitor) => visitor.visitorId === visitorId)).toEqual([]);
  });

  it('joins an admin to a site they create without reconnecting', async () => {
    const admin = await login();
    const socket = agentSocket(admin.cookie);
    await connected(socket);
    const response = await api('/api/sites', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'Fresh', key: 'fresh-site', allowedOrigins: [origin()] }),
    });
    expect(response.status).toBe(201);
    const received = new Promise<LivePageview>((resolve) =>
      socket.once('pageviews:new', ([pageview]) => resolve(pageview!)),
    );
    expect((await collect(`${origin()}/fresh`, 'fresh-site')).status).toBe(200);
    expect((await received).url).toBe(`${origin()}/fresh`);
  });

  it('disconnects the sockets of a session when it logs out', async () => {
    const admin = await login();
    const socket = agentSocket(admin.cookie);
    await connected(socket);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const out = await api('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(out.status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
  });
});
