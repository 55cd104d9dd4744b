import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatReady } from '@beckon/sdk/protocol';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';

const metricsToken = 'scrape-token-0123456789abcdef';

/** The value of one sample line (`name` or `name{labels}`) of an exposition, NaN when absent. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
};

let sequence = 0;
const id = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

describe.each(databaseKinds)('GET /api/metrics on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig({ BECKON_METRICS_TOKEN: metricsToken }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
  });
  afterAll(async () => {
    clients.closeAll();
    await server?.close();
    await database?.dispose();
  });

  const get = (headers: Record<string, string> = {}) => fetch(`${server.url}/api/metrics`, { headers });
  const scrape = async () => {
    const response = await get({ authorization: `Bearer ${metricsToken}` });
    expect(response.status).toBe(200);
    return response.text();
  };
  const expectError = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).error.code).toBe(code);
  };

  it('answers a scraper with the token and an admin with their session, in Prometheus text format', async () => {
    const byToken = await get({ authorization: `Bearer ${metricsToken}` });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(byToken.headers.get('cache-control')).toBe('no-store');
    const text = await byToken.text();
    expect(text).toContain('# TYPE beckon_chat_message_ack_seconds histogram\n');
    expect(sample(text, `beckon_database_available{kind="${kind === 'pglite' ? 'pglite' : 'postgres'}"}`)).toBe(1);
    // Present and a number (a process that has just started may still read 0 s of user CPU).
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);

    const admin = await clients.login();
    const bySession = await get({ cookie: admin.cookie });
    expect(bySession.status).toBe(200);
    expect(await bySession.text()).toContain('# TYPE beckon_collect_batch_commit_seconds histogram\n');
  });

  it('refuses anonymous requests, wrong tokens and agents who are not admins', async () => {
    await expectError(await get(), 401, 'unauthorized');
    await expectError(await get({ authorization: 'Bearer wrong-token-0123456789abcdef' }), 401, 'unauthorized');
    await expectError(await get({ authorization: `Bearer ${metricsToken}x` }), 401, 'unauthorized');
    await expectError(
      await get({ authorization: `Basic ${Buffer.from(`admin:${metricsToken}`).toString('base64')}` }),
      401,
      'unauthorized',
    );
    await expectError(await get({ cookie: 'beckon_session=not-a-session' }), 401, 'unauthorized');
    // A wrong token is refused even alongside an admin's cookie: the scraper's mistake is not hidden.
    const admin = await clients.login();
    await expectError(
      await get({ authorization: 'Bearer nope-nope-nope-nope', cookie: admin.cookie }),
      401,
      'unauthorized',
    );

    const invite = await fetch(`${server.url}/api/agents/invites`, {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({
        email: `agent-${kind}@example.test`,
        name: 'Plain Agent',
        siteIds: [admin.me.sites[0]!.id],
      }),
    });
    expect(invite.status).toBe(201);
    const token = new URL(((await invite.json()) as { acceptUrl: string }).acceptUrl, server.url).searchParams.get(
      'token',
    );
    const accepted = await fetch(`${server.url}/api/invites/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'agent password 1' }),
    });
    expect(accepted.status).toBe(200);
    const agentCookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    await expectError(await get({ cookie: agentCookie }), 403, 'forbidden');
  });

  it('counts every acknowledged visitor chat message from receipt to commit and to ack', async () => {
    const before = await scrape();
    const visitors = [clients.visitor(), clients.visitor()];
    await Promise.all(
      visitors.map((socket) => new Promise<ChatReady>((resolve) => socket.once('chat:ready', resolve))),
    );
    const replies = [];
    for (const socket of visitors) {
      for (let i = 0; i < 3; i++)
        replies.push(
          await socket.timeout(5000).emitWithAck('message:send', { clientId: id('msg'), text: `Hello ${i}` }),
        );
    }
    // A send with pre-chat answers takes the full path, not the group-commit writer: counted the same.
    replies.push(
      await visitors[0]!
        .timeout(5000)
        .emitWithAck('message:send', { clientId: id('msg'), text: 'With my name', prechat: { name: 'Ann' } }),
    );
    expect(replies.every((reply) => reply.ok)).toBe(true);
    // A send refused before storage (bad payload) is not a latency sample.
    expect((await visitors[1]!.timeout(5000).emitWithAck('message:send', { clientId: '', text: '' } as never)).ok).toBe(
      false,
    );

    const after = await scrape();
    for (const name of ['beckon_chat_message_commit_seconds', 'beckon_chat_message_ack_seconds']) {
      expect(sample(after, `${name}_count`) - sample(before, `${name}_count`)).toBe(7);
      expect(sample(after, `${name}_bucket{le="+Inf"}`)).toBe(sample(after, `${name}_count`));
      expect(sample(after, `${name}_sum`)).toBeGreaterThan(sample(before, `${name}_sum`));
    }
    // Each ack leaves after its commit, so the acks' total time is at least the commits'.
    expect(sample(after, 'beckon_chat_message_ack_seconds_sum')).toBeGreaterThanOrEqual(
      sample(after, 'beckon_chat_message_commit_seconds_sum'),
    );
    expect(sample(after, 'beckon_collect_batch_answer_seconds_count')).toBe(
      sample(before, 'beckon_collect_batch_answer_seconds_count'),
    );
  });

  it('counts every stored collect batch from receipt to commit and to answer', async () => {
    const before = await scrape();
    const origin = new URL(server.url).origin;
    // Without it the batch would be dropped as a bot's (answered, never stored).
    const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
    const batch = () => ({
      site: 'demo',
      visitorId: 'visitor_metrics1',
      sessionId: 'session_metrics1',
      events: [{ id: id('evt'), type: 'pageview', ts: Date.now(), url: `${origin}/demo/`, title: 'Home' }],
    });
    const post = (body: unknown) =>
      fetch(`${server.url}/v1/collect`, {
        method: 'POST',
        headers: { origin, 'content-type': 'text/plain', 'user-agent': browser },
        body: JSON.stringify(body),
      });
    const answers = await Promise.all([batch(), batch(), batch()].map(post));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // Refused before storage: no latency sample.
    expect((await post({ ...batch(), site: 'no-such-site' })).status).toBe(404);

    const after = await scrape();
    for (const name of ['beckon_collect_batch_commit_seconds', 'beckon_collect_batch_answer_seconds']) {
      expect(sample(after, `${name}_count`) - sample(before, `${name}_count`)).toBe(3);
      expect(sample(after, `${name}_bucket{le="+Inf"}`)).toBe(sample(after, `${name}_count`));
    }
    expect(sample(after, 'beckon_chat_message_ack_seconds_count')).toBe(
      sample(before, 'beckon_chat_message_ack_seconds_count'),
    );
  });
});
