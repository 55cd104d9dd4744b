import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LivePageview, LiveVisitor } from '@beckon/sdk/protocol';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../testing/harness.js';
import { socketClients, watchVisitors } from '../testing/sockets.js';

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

  /** An agent whose only site is a new one (`Elsewhere`), signed in; `admin` invites them. */
  async function outsiderOnNewSite(admin: Awaited<ReturnType<typeof login>>, email: string) {
    const created = await api('/api/sites', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'Elsewhere' }),
    });
    const elsewhere = (await created.json()).site as { id: string };
    const invite = await (
      await api('/api/agents/invites', {
        method: 'POST',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: JSON.stringify({ email, name: 'Outsider', siteIds: [elsewhere.id] }),
      })
    ).json();
    const token = new URL(invite.acceptUrl, origin()).searchParams.get('token');
    await api('/api/invites/accept', {
      method: 'POST',
      body: JSON.stringify({ token, password: 'outsider password' }),
    });
    const outsider = await login(email, 'outsider password');
    return { outsider, elsewhere, agentId: invite.agent.id as string };
  }

  it('pushes a stored pageview to the agents of that site, and only to them', async () => {
    const admin = await login();
    const adminSocket = agentSocket(admin.cookie);
    await connected(adminSocket);
    expect(await watchVisitors(adminSocket, admin.me.sites[0].id)).toEqual({ ok: true, watching: true });

    // An agent on another site only must not see the demo site's traffic, nor be able to ask for it.
    const { outsider, elsewhere } = await outsiderOnNewSite(admin, 'outsider@example.test');
    const outsiderSocket = agentSocket(outsider.cookie);
    await connected(outsiderSocket);
    expect(await watchVisitors(outsiderSocket, elsewhere.id)).toEqual({ ok: true, watching: true });
    expect(await watchVisitors(outsiderSocket, admin.me.sites[0].id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
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

  it('streams live rows and pageviews only to tabs that show the Visitors page, until they leave it', async () => {
    const admin = await login();
    const siteId = admin.me.sites[0].id;
    const [watching, inbox, leaving] = [
      agentSocket(admin.cookie),
      agentSocket(admin.cookie),
      agentSocket(admin.cookie),
    ];
    await Promise.all([connected(watching), connected(inbox), connected(leaving)]);
    await watchVisitors(watching, siteId);
    await watchVisitors(leaving, siteId);
    expect(await watchVisitors(leaving, siteId, false)).toEqual({ ok: true, watching: false });
    const unwanted = [
      ...['pageviews:new', 'visitors:updated'].map((event) => heard(inbox, event)),
      ...['pageviews:new', 'visitors:updated'].map((event) => heard(leaving, event)),
    ];
    // The tab that shows the page gets the pageview and the visitor's row...
    const visitorId = 'visitor_watch_1';
    const pageview = next<LivePageview[]>(watching, 'pageviews:new', (pageviews) =>
      pageviews.some((item) => item.visitorId === visitorId),
    );
    const row = next<LiveVisitor[]>(watching, 'visitors:updated', (visitors) =>
      visitors.some((visitor) => visitor.visitorId === visitorId),
    );
    expect((await collect(`${origin()}/demo/pricing.html`, 'demo', visitorId)).status).toBe(200);
    await Promise.all([pageview, row]);
    // ...and by the time both arrived, a copy to the others would have: the frames leave together.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unwanted.flat()).toEqual([]);
  });

  it("stops an agent's Visitors stream of a site when an admin takes the site from them", async () => {
    const admin = await login();
    const demoId = admin.me.sites[0].id;
    const { outsider, elsewhere, agentId } = await outsiderOnNewSite(admin, 'moved-agent@example.test');
    const setSites = (siteIds: string[]) =>
      api(`/api/agents/${agentId}/sites`, {
        method: 'PUT',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: JSON.stringify({ siteIds }),
      });
    const agent = agentSocket(outsider.cookie);
    const witness = agentSocket(admin.cookie);
    await Promise.all([connected(agent), connected(witness)]);
    await watchVisitors(witness, demoId);
    // Given the demo site while connected, the agent may watch it at once.
    expect((await setSites([elsewhere.id, demoId])).status).toBe(200);
    expect(await watchVisitors(agent, demoId)).toEqual({ ok: true, watching: true });
    const first = next<LivePageview[]>(agent, 'pageviews:new', (pageviews) =>
      pageviews.some((item) => item.visitorId === 'visitor_moved_1'),
    );
    expect((await collect(`${origin()}/demo/`, 'demo', 'visitor_moved_1')).status).toBe(200);
    await first;

    expect((await setSites([elsewhere.id])).status).toBe(200);
    const after = heard<LivePageview[]>(agent, 'pageviews:new');
    const witnessed = next<LivePageview[]>(witness, 'pageviews:new', (pageviews) =>
      pageviews.some((item) => item.visitorId === 'visitor_moved_2'),
    );
    expect((await collect(`${origin()}/demo/`, 'demo', 'visitor_moved_2')).status).toBe(200);
    await witnessed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(after.flat()).toEqual([]);
    expect(await watchVisitors(agent, demoId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it("pushes a visitor's row when their keepalive refreshes presence, at most once a minute", async () => {
    const admin = await login();
    const socket = agentSocket(admin.cookie);
    await connected(socket);
    const siteId = admin.me.sites[0].id as string;
    await watchVisitors(socket, siteId);
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
    // Joined to the new site's room, the tab may show its Visitors page at once.
    expect(await watchVisitors(socket, (await response.json()).site.id)).toEqual({ ok: true, watching: true });
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
