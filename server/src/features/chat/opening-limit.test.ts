import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { ChatMessage, ChatReady } from '@beckon/sdk/protocol';
import { conversationsTable, leadsTable, sitesTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { RateLimiter } from '../../lib/rate-limit.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients, type TestVisitorSocket } from '../../testing/sockets.js';
import { chatOpeningLimits, conversationOpenings } from './opening-limit.js';

describe('conversation openings', () => {
  const limits = { ...chatOpeningLimits(), perSite: { limit: 3, windowMs: 60_000 } };

  it('refuses past a limit without taking anything, and takes back what a send did not use', async () => {
    const limiter = new RateLimiter({ now: () => 0 });
    const openings = conversationOpenings(limiter, limits);
    await openings.take('site', '10.0.0.1');
    await openings.take('site', '10.0.0.2');
    const giveBack = await openings.take('site', '10.0.0.3');
    await expect(openings.take('site', '10.0.0.4')).rejects.toThrowError(
      expect.objectContaining({ code: 'too_many_conversations', details: { retryAfterSeconds: 60, scope: 'site' } }),
    );
    await giveBack();
    await openings.take('site', '10.0.0.4');
    // The refused attempts left the address counters as they were.
    expect((await limiter.peek('chat-open:burst:site:10.0.0.4')).count).toBe(1);
  });

  it('bursts of one address stop at 5 per 10 minutes; 20 per 12 hours in all', async () => {
    let now = 0;
    const openings = conversationOpenings(new RateLimiter({ now: () => now }), chatOpeningLimits());
    const opened = async () => {
      try {
        await openings.take('site', '10.0.0.1');
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === 'too_many_conversations') return false;
        throw error;
      }
    };
    const results: boolean[] = [];
    for (let round = 0; round < 6; round++, now += 10 * 60_000)
      for (let i = 0; i < 6; i++) results.push(await opened());
    expect(results.filter(Boolean)).toHaveLength(20);
    expect(results.slice(0, 6)).toEqual([true, true, true, true, true, false]);
  });
});

let sequence = 0;
const clientId = () => `open_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;
type Reply =
  | { ok: true; message: ChatMessage }
  | { ok: false; error: { code: string; message: string; details?: { retryAfterSeconds: number; scope: string } } };
const send = (socket: TestVisitorSocket, text: string) =>
  socket.timeout(5000).emitWithAck('message:send', { clientId: clientId(), text }) as Promise<Reply>;

describe.each(databaseKinds)('opening chats on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  // The demo site takes 22 openings over the first four tests; the last test floods a site of its own.
  const perSite = 22;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig({ BECKON_CHAT_OPENINGS_PER_SITE: String(perSite) }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  /** A new visitor (tracker id, so a started chat is a lead) from `address`, after chat:ready. */
  async function visitorFrom(address: string, site = 'demo') {
    const socket = clients.visitor({ site, visitorId: `v_${clientId()}` }, clients.origin(), ['websocket'], address);
    const ready = clients.next<ChatReady>(socket, 'chat:ready');
    await clients.connected(socket);
    await ready;
    return socket;
  }
  const countOf = async (table: typeof conversationsTable | typeof leadsTable, siteId: string) =>
    Number((await database.db.select({ n: count() }).from(table).where(eq(table.siteId, siteId)))[0]!.n);
  const siteIdOf = async (key: string) =>
    (await database.db.select({ id: sitesTable.id }).from(sitesTable).where(eq(sitesTable.key, key)))[0]!.id;

  it('refuses the 6th new conversation from one address within minutes, storing no conversation or lead; other addresses still chat', async () => {
    const siteId = await siteIdOf('demo');
    const address = '192.0.2.10';
    const first: TestVisitorSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const socket = await visitorFrom(address);
      expect((await send(socket, `Hello ${i}`)).ok).toBe(true);
      first.push(socket);
    }
    await expect.poll(() => countOf(leadsTable, siteId)).toBe(5);

    const refused = await send(await visitorFrom(address), 'One more');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'too_many_conversations', details: { scope: 'address' } },
    });
    if (refused.ok) return;
    expect(refused.error.details!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await countOf(conversationsTable, siteId)).toBe(5);
    expect(await countOf(leadsTable, siteId)).toBe(5);

    // The visitors who already chat from that address go on writing in their conversations.
    expect((await send(first[0]!, 'And another thing')).ok).toBe(true);
    expect(await countOf(conversationsTable, siteId)).toBe(5);
    // Another address is not affected.
    expect((await send(await visitorFrom('192.0.2.11'), 'Hi from elsewhere')).ok).toBe(true);
    await expect.poll(() => countOf(leadsTable, siteId)).toBe(6);
  });

  it('refuses messages left offline past the limit too', async () => {
    const address = '192.0.2.20';
    for (let i = 0; i < 5; i++) expect((await send(await visitorFrom(address), `Hello ${i}`)).ok).toBe(true);
    const offline = await (await visitorFrom(address))
      .timeout(5000)
      .emitWithAck('offline:message', { clientId: clientId(), text: 'Call me', email: 'x@example.test' });
    expect(offline).toMatchObject({ ok: false, error: { code: 'too_many_conversations' } });
  });

  it('lets 5 of 20 sockets opened at once from one address start a chat', async () => {
    const siteId = await siteIdOf('demo');
    const before = await countOf(conversationsTable, siteId);
    const sockets = await Promise.all(Array.from({ length: 20 }, () => visitorFrom('192.0.2.30')));
    const replies = await Promise.all(sockets.map((socket) => send(socket, 'Flood')));
    expect(replies.filter((reply) => reply.ok)).toHaveLength(5);
    expect(replies.filter((reply) => !reply.ok && reply.error.code === 'too_many_conversations')).toHaveLength(15);
    expect((await countOf(conversationsTable, siteId)) - before).toBe(5);
  });

  it('counts an IPv6 /64 as one address', async () => {
    for (let i = 1; i <= 5; i++) expect((await send(await visitorFrom(`2001:db8:7:7::${i}`), 'Hi')).ok).toBe(true);
    expect(await send(await visitorFrom('2001:db8:7:7:ffff:ffff:ffff:ffff'), 'Hi')).toMatchObject({
      ok: false,
      error: { code: 'too_many_conversations' },
    });
    expect((await send(await visitorFrom('2001:db8:7:8::1'), 'Hi')).ok).toBe(true);
  });

  it('limits new conversations per site, whatever the addresses', async () => {
    const session = await clients.login();
    const created = await fetch(`${clients.origin()}/api/sites`, {
      method: 'POST',
      headers: session.headers,
      body: JSON.stringify({ name: 'Flooded', key: 'flooded', allowedOrigins: [clients.origin()] }),
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < perSite; i++)
      expect((await send(await visitorFrom(`198.51.100.${i + 1}`, 'flooded'), 'Hi')).ok).toBe(true);
    const refused = await send(await visitorFrom('198.51.100.200', 'flooded'), 'Hi');
    expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_conversations', details: { scope: 'site' } } });
    expect(await countOf(conversationsTable, await siteIdOf('flooded'))).toBe(perSite);
  });
});
