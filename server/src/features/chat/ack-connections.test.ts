import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';

// Only PostgreSQL has a pool to exhaust (PGlite is one connection in the process, shared by everything).
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const heldLock = 727_160_099;
const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

onPostgres('acknowledged writes on PostgreSQL', () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let admin: postgres.Sql;
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
    admin = postgres(database.url!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    clients.closeAll();
    await admin?.end();
    await server?.close();
    await database?.dispose();
  });

  /** Background work stuck on a lock: every connection of the shared pool (the harness opens 5) waits on it. */
  async function holdSharedConnections() {
    await admin`select pg_advisory_lock(${heldLock})`;
    const holders = Array.from({ length: 5 }, async () =>
      database.db.execute(sql`select pg_advisory_lock(${heldLock}), pg_advisory_unlock(${heldLock})`),
    );
    await expect
      .poll(
        async () =>
          (
            await admin`select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and application_name = 'beckon' and wait_event_type = 'Lock'`
          )[0]!.waiting,
        // Generous: the pool's other work (the last batch's derivation, upkeep jobs) must first hand its
        // connections back, which on a loaded 2-core machine once took longer than 5 s.
        { timeout: 20_000 },
      )
      .toBe(5);
    return async () => {
      await admin`select pg_advisory_unlock(${heldLock})`;
      await Promise.all(holders);
    };
  }

  it('a visitor message is acknowledged while background work holds every shared connection', async () => {
    const socket = clients.visitor();
    await clients.connected(socket);
    const send = (clientId: string, text: string) =>
      socket.timeout(10_000).emitWithAck('message:send', { clientId, text });
    expect(await send('held-message-1', 'Hello')).toMatchObject({ ok: true, message: { text: 'Hello' } });

    // Before the ack connections, this message waited behind the held ones and failed after 5 s.
    const release = await holdSharedConnections();
    try {
      expect(await send('held-message-2', 'Still there?')).toMatchObject({
        ok: true,
        message: { text: 'Still there?' },
      });
    } finally {
      await release();
    }
  });

  it('a behaviour batch is stored and answered while background work holds every shared connection', async () => {
    const origin = clients.origin();
    const collect = (id: string) =>
      fetch(`${origin}/v1/collect`, {
        method: 'POST',
        headers: { origin, 'content-type': 'text/plain', 'user-agent': browser },
        body: JSON.stringify({
          site: 'demo',
          visitorId: 'held-visitor',
          sessionId: 'held-session',
          events: [{ id, type: 'pageview', ts: Date.now(), url: `${origin}/demo/pricing.html` }],
        }),
      });
    // The first batch warms the caches (site, daily salt) that a later one reads without the database.
    expect((await collect('held-event-1')).status).toBe(200);
    const release = await holdSharedConnections();
    try {
      const answer = await collect('held-event-2');
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ stored: 1 });
    } finally {
      await release();
    }
  });
});
