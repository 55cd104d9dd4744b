import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { openDatabase } from '../../db/client.js';
import { sitesTable, webhookAttemptsTable, webhookDeliveriesTable, webhookEndpointsTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { deliverDue, pruneDeliveries, retryDelayMs, signatureHeaders, startDeliveryWorker } from './delivery.js';
import { enqueueWebhookEvent } from './outbox.js';
import { newWebhookSecret } from './service.js';

/** A lead as `lead.*` events carry it (in tests every enqueued payload is checked against its event's schema). */
const lead = (id: string, fields: Record<string, unknown> = {}) => ({
  lead: {
    id,
    siteId: '00000000-0000-4000-8000-000000000001',
    status: 'new' as const,
    name: null,
    email: null,
    phone: null,
    channels: [],
    temperature: null,
    score: null,
    assignee: null,
    outcomeNote: null,
    lastTouch: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  },
});

/** A `callback.*` event's data for a request from this number. */
const callbackData = (phone: string) => ({
  callback: {
    id: '00000000-0000-4000-8000-000000000002',
    phone,
    name: null,
    mode: 'now' as const,
    status: 'pending' as const,
    requestedAt: '2026-01-01T00:00:00.000Z',
    dueAt: '2026-01-01T00:05:00.000Z',
    outcome: null,
    note: null,
    assigneeId: null,
    pageUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  site: { id: '00000000-0000-4000-8000-000000000001', key: 'demo', name: 'Demo' },
  leadId: null,
  dashboardUrl: 'http://localhost/app/sites/demo/callbacks',
});

interface Received {
  id: string;
  verified: boolean;
  body: { type: string; data: Record<string, unknown> };
}

/** A real HTTP receiver on loopback that verifies every request like a CRM would; `answer` picks the status. */
async function startReceiver(secret: string) {
  const received: Received[] = [];
  let answer: (request: IncomingMessage, count: number) => number | Promise<number> = () => 200;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let verified = false;
    try {
      new Webhook(secret).verify(raw, request.headers as Record<string, string>);
      verified = true;
    } catch {}
    received.push({ id: String(request.headers['webhook-id']), verified, body: JSON.parse(raw) });
    response.statusCode = await answer(request, received.length);
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answerWith(fn: typeof answer) {
      answer = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const logger = createLogger('silent');
/** The receivers in this file listen on 127.0.0.1, which the worker refuses unless the operator allows private networks. */
const loopback = { allowPrivateNetworks: true } as const;

describe('signatures', () => {
  it('match the Standard Webhooks reference vector', () => {
    // From the Standard Webhooks specification's example (also Svix's documented test values).
    const headers = signatureHeaders(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });
});

describe('retry delays', () => {
  it('double per attempt from 30 s, with jitter, and stop growing at 6 h', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, undefined, mid))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(30, undefined, undefined, mid)).toBe(6 * 60 * 60 * 1000);
    expect(retryDelayMs(1, undefined, undefined, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, undefined, undefined, () => 1)).toBe(36_000);
  });
});

describe.each(databaseKinds)('webhook delivery on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let endpointId: string;
  const secret = newWebhookSecret();
  let clock = Date.now();
  // Never behind the real clock, which stamps what enqueueWebhookEvent stores (a slow login must not make
  // a just-queued event look like the future).
  const now = () => new Date(Math.max(clock, Date.now() + 1000));
  const deliveries = () =>
    t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.endpointId, endpointId))
      .orderBy(asc(webhookDeliveriesTable.createdAt));

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.db.select().from(sitesTable))[0]!.id;
    receiver = await startReceiver(secret);
    const [endpoint] = await t.db
      .insert(webhookEndpointsTable)
      .values({ siteId, url: receiver.url, events: ['lead.created', 'callback.requested'], secret })
      .returning();
    endpointId = endpoint!.id;
  });
  beforeEach(() => {
    // The fake clock starts just after the real one, which stamps what enqueueWebhookEvent stores.
    clock = Date.now() + 1000;
  });
  afterEach(async () => {
    receiver.received.length = 0;
    receiver.answerWith(() => 200);
    await t.db.delete(webhookDeliveriesTable);
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.dispose();
  });

  it('delivers a subscribed event once, signed so the receiver verifies it, and logs the attempt', async () => {
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('lead-1', { email: 'ana@example.com' }));
    // Not subscribed: no outbox row at all.
    await enqueueWebhookEvent(t.db, siteId, 'feedback.submitted', { score: 9 });
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now })).toBe(1);
    expect(receiver.received).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        verified: true,
        body: expect.objectContaining({
          type: 'lead.created',
          data: lead('lead-1', { email: 'ana@example.com' }),
        }),
      },
    ]);
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, leaseUntil: null });
    expect(await t.db.select().from(webhookAttemptsTable).where(eq(webhookAttemptsTable.deliveryId, row!.id))).toEqual([
      expect.objectContaining({ statusCode: 200, error: null }),
    ]);
    // Delivered rows are never claimed again.
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now })).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries after 500s with growing delays, keeping the webhook-id, until the receiver accepts', async () => {
    receiver.answerWith((_request, count) => (count <= 2 ? 500 : 204));
    await enqueueWebhookEvent(t.db, siteId, 'callback.requested', callbackData('+4915112345678'));
    const pass = () => deliverDue({ db: t.db, logger }, { ...loopback, now });
    expect(await pass()).toBe(1);
    let [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    const firstDelay = row!.nextAttemptAt.getTime() - clock;
    expect(firstDelay).toBeGreaterThanOrEqual(24_000);
    expect(firstDelay).toBeLessThanOrEqual(36_000 + 1000);
    // Not due yet: nothing is sent before the backoff passed.
    expect(await pass()).toBe(0);
    clock += 40_000;
    expect(await pass()).toBe(1);
    [row] = await deliveries();
    const secondDelay = row!.nextAttemptAt.getTime() - clock;
    expect(secondDelay).toBeGreaterThan(firstDelay * 1.3);
    clock += 80_000;
    expect(await pass()).toBe(1);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null });
    expect(new Set(receiver.received.map((request) => request.id)).size).toBe(1);
    expect(receiver.received.every((request) => request.verified)).toBe(true);
    const log = await t.db
      .select()
      .from(webhookAttemptsTable)
      .where(eq(webhookAttemptsTable.deliveryId, row!.id))
      .orderBy(asc(webhookAttemptsTable.id));
    expect(log.map((attempt) => attempt.statusCode)).toEqual([500, 500, 204]);
  });

  it('gives up after 24 hours of failures and marks the delivery failed', async () => {
    receiver.answerWith(() => 503);
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('lead-2'));
    for (let hour = 0; hour < 30; hour++) {
      await deliverDue({ db: t.db, logger }, { ...loopback, now });
      clock += 60 * 60 * 1000;
    }
    const [row] = await deliveries();
    expect(row!.status).toBe('failed');
    expect(row!.lastError).toBe('HTTP 503');
    // Backoff, not hammering: about a dozen tries in a day.
    expect(row!.attempts).toBeGreaterThan(5);
    expect(row!.attempts).toBeLessThan(20);
  });

  it('records a timeout as a failed attempt with a readable error, to be retried', async () => {
    receiver.answerWith(() => new Promise((resolve) => setTimeout(() => resolve(200), 1500)));
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('slow'));
    await deliverDue({ db: t.db, logger }, { ...loopback, now, timeoutMs: 300 });
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'No answer within 0.3 s' });
  });

  it('sends each event exactly once when two workers race over a backlog', async () => {
    for (let i = 0; i < 25; i++) await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead(`race-${i}`));
    const worker = async () => {
      let sent = 0;
      for (let claimed = -1; claimed !== 0; )
        sent += claimed = await deliverDue({ db: t.db, logger }, { ...loopback, now, batchSize: 4 });
      return sent;
    };
    const [a, b] = await Promise.all([worker(), worker()]);
    expect(a + b).toBe(25);
    const ids = receiver.received.map((request) => request.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect((await deliveries()).every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('two running workers, as on two nodes, drain a backlog exactly once by themselves and stop cleanly', async () => {
    for (let i = 0; i < 30; i++) await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead(`node-${i}`));
    const workers = [
      startDeliveryWorker({ db: t.db, logger }, { ...loopback, intervalMs: 50, batchSize: 5 }),
      startDeliveryWorker({ db: t.db, logger }, { ...loopback, intervalMs: 50, batchSize: 5 }),
    ];
    try {
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(30);
      // Stopping aborts a request whose answer is not yet recorded (and hands the row back): wait for the records.
      await expect
        .poll(async () => (await deliveries()).every((row) => row.status === 'delivered'), { timeout: 5_000 })
        .toBe(true);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(new Set(receiver.received.map((request) => request.id)).size).toBe(30);
    expect((await deliveries()).every((row) => row.status === 'delivered')).toBe(true);
    // Stopped workers send nothing more.
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('after-stop'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(30);
  });

  it('stopping a worker aborts a delivery the receiver never answers and hands the row to another node at once', async () => {
    receiver.answerWith(() => new Promise<number>(() => {}));
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('hanging'));
    // The default 10 s request timeout: before shutdown aborted deliveries, stop() waited for it.
    const stopping = startDeliveryWorker({ db: t.db, logger }, { ...loopback, intervalMs: 50 });
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const started = performance.now();
    await stopping.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
    const [released] = await deliveries();
    // No lease and the attempt not counted: the receiver's answer was never seen.
    expect(released).toMatchObject({ status: 'pending', attempts: 0, leaseUntil: null, claimToken: null });
    expect(
      await t.db.select().from(webhookAttemptsTable).where(eq(webhookAttemptsTable.deliveryId, released!.id)),
    ).toEqual([]);

    // Another node sends it right away instead of after the 60 s lease; the receiver sees the same webhook-id.
    receiver.answerWith(() => 200);
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now })).toBe(1);
    expect(receiver.received.map((request) => request.id)).toEqual([
      receiver.received[0]!.id,
      receiver.received[0]!.id,
    ]);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it("takes over a crashed worker's claim only after its lease ran out, and the late worker cannot overwrite the result", async () => {
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('crash'));
    // What a worker that claimed the row and then died leaves behind.
    await t.db
      .update(webhookDeliveriesTable)
      .set({ leaseUntil: new Date(clock + 60_000), claimToken: 'crashed-worker', attempts: 1 });
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now })).toBe(0);
    clock += 61_000;
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now })).toBe(1);
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, claimToken: null });
    expect(receiver.received).toHaveLength(1);
  });

  it('records nothing, and does not fail, when the endpoint is deleted while a delivery is in flight', async () => {
    const [spare] = await t.db
      .insert(webhookEndpointsTable)
      .values({ siteId, url: receiver.url, events: ['lead.updated'], secret })
      .returning();
    await enqueueWebhookEvent(t.db, siteId, 'lead.updated', lead('gone'));
    const slowFetch: typeof fetch = async (input, init) => {
      await t.db.delete(webhookEndpointsTable).where(eq(webhookEndpointsTable.id, spare!.id));
      return fetch(input, init);
    };
    expect(await deliverDue({ db: t.db, logger }, { ...loopback, now, fetch: slowFetch })).toBe(1);
    expect(
      await t.db.select().from(webhookDeliveriesTable).where(eq(webhookDeliveriesTable.endpointId, spare!.id)),
    ).toEqual([]);
  });

  it('prunes finished deliveries past retention with their log, never pending ones', async () => {
    for (let i = 0; i < 4; i++) await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead(`old-${i}`));
    const rows = await deliveries();
    const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    await t.db
      .update(webhookDeliveriesTable)
      .set({ status: 'delivered', createdAt: old })
      .where(eq(webhookDeliveriesTable.id, rows[0]!.id));
    await t.db.insert(webhookAttemptsTable).values({ deliveryId: rows[0]!.id, statusCode: 200, durationMs: 5 });
    await t.db
      .update(webhookDeliveriesTable)
      .set({ status: 'failed', createdAt: old })
      .where(eq(webhookDeliveriesTable.id, rows[1]!.id));
    await t.db.update(webhookDeliveriesTable).set({ createdAt: old }).where(eq(webhookDeliveriesTable.id, rows[2]!.id));
    expect(await pruneDeliveries(t.db, new Date(Date.now() - 30 * 24 * 60 * 60 * 1000))).toBe(2);
    expect((await deliveries()).map((row) => row.id).sort()).toEqual([rows[2]!.id, rows[3]!.id].sort());
    expect(
      await t.db.select().from(webhookAttemptsTable).where(eq(webhookAttemptsTable.deliveryId, rows[0]!.id)),
    ).toEqual([]);
  });

  it('redelivers a delivered event on request, with the same webhook-id', async () => {
    const admin = await t.login();
    await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('again'));
    await deliverDue({ db: t.db, logger }, { ...loopback, now });
    const [row] = await deliveries();
    const response = await t.request(
      'POST',
      `/api/sites/${siteId}/webhooks/${endpointId}/deliveries/${row!.id}/redeliver`,
      { headers: admin.headers },
    );
    expect(response.status).toBe(202);
    expect((await deliveries())[0]!.status).toBe('pending');
    await deliverDue({ db: t.db, logger }, { ...loopback, now });
    expect(receiver.received.map((request) => request.id)).toEqual([row!.id, row!.id]);
    const list = await (
      await t.request('GET', `/api/sites/${siteId}/webhooks/${endpointId}/deliveries`, { headers: admin.headers })
    ).json();
    expect(list.deliveries[0]).toMatchObject({
      id: row!.id,
      status: 'delivered',
      attempts: 2,
      log: [expect.objectContaining({ statusCode: 200 }), expect.objectContaining({ statusCode: 200 })],
    });
  });
});

describe('webhook outbox across a restart (PGlite on disk)', () => {
  it('keeps pending deliveries and sends them after the server starts again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'beckon-outbox-'));
    const secret = newWebhookSecret();
    const receiver = await startReceiver(secret);
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir });
      const [site] = await first.db
        .insert(sitesTable)
        .values({ key: 'restart', name: 'Restart', widget: {} as never })
        .returning();
      await first.db
        .insert(webhookEndpointsTable)
        .values({ siteId: site!.id, url: receiver.url, events: ['lead.created'], secret });
      await enqueueWebhookEvent(first.db, site!.id, 'lead.created', lead('survivor'));
      await first.close();

      const second = await openDatabase({ kind: 'pglite', dataDir });
      expect(await deliverDue({ db: second.db, logger }, loopback)).toBe(1);
      expect(receiver.received).toEqual([
        expect.objectContaining({
          verified: true,
          body: expect.objectContaining({ data: lead('survivor') }),
        }),
      ]);
      await second.close();
    } finally {
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('examples/crm-webhook-receiver', () => {
  it("verifies Beckon's signature, processes an event once when it is redelivered, and refuses forgeries", async () => {
    const { createReceiver } = (await import('../../../../examples/crm-webhook-receiver/receiver.mjs')) as {
      createReceiver(options: {
        secret: string;
        onEvent: (event: { type: string; data: Record<string, unknown> }, id: string) => void;
      }): (request: IncomingMessage, response: import('node:http').ServerResponse) => Promise<void>;
    };
    const t = await createTestApp('pglite');
    const secret = newWebhookSecret();
    const processed: string[] = [];
    const receive = createReceiver({ secret, onEvent: (event, id) => void processed.push(`${id} ${event.type}`) });
    const server = createServer((request, response) => void receive(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const siteId = (await t.db.select().from(sitesTable))[0]!.id;
      const [endpoint] = await t.db
        .insert(webhookEndpointsTable)
        .values({ siteId, url, events: ['lead.created'], secret })
        .returning();
      await enqueueWebhookEvent(
        t.db,
        siteId,
        'lead.created',
        lead('l1', { name: 'Ana', phone: '+34612345678', channels: ['callback'] }),
      );
      await deliverDue({ db: t.db, logger }, loopback);
      const [row] = await t.db
        .select()
        .from(webhookDeliveriesTable)
        .where(eq(webhookDeliveriesTable.endpointId, endpoint!.id));
      expect(row).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
      // "Redeliver": the receiver sees the same webhook-id and does not process it again.
      await t.db.update(webhookDeliveriesTable).set({ status: 'pending', nextAttemptAt: new Date() });
      await deliverDue({ db: t.db, logger }, loopback);
      expect(processed).toEqual([`${row!.id} lead.created`]);
      // A request signed with another secret is refused and not processed.
      await t.db.update(webhookEndpointsTable).set({ secret: newWebhookSecret() });
      await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('forged'));
      await deliverDue({ db: t.db, logger }, loopback);
      const forged = (await t.db.select().from(webhookDeliveriesTable)).find((delivery) => delivery.id !== row!.id);
      expect(forged).toMatchObject({ status: 'pending', lastStatusCode: 401 });
      expect(processed).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.dispose();
    }
  });
});

describe('private networks', () => {
  it('never sends to this server or a private address unless the operator allows it', async () => {
    const t = await createTestApp('pglite');
    let hits = 0;
    const server = createServer((_request, response) => {
      hits++;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const siteId = (await t.db.select().from(sitesTable))[0]!.id;
      // Saved straight to the table, as an endpoint saved before a host's address changed would be.
      for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
        await t.db
          .insert(webhookEndpointsTable)
          .values({ siteId, url, events: ['lead.created'], secret: newWebhookSecret() });
      }
      await enqueueWebhookEvent(t.db, siteId, 'lead.created', lead('l1'));
      expect(await deliverDue({ db: t.db, logger })).toBe(2);
      const rows = await t.db.select().from(webhookDeliveriesTable);
      expect(rows.map((row) => row.status)).toEqual(['pending', 'pending']);
      for (const row of rows) expect(row.lastError).toMatch(/private or reserved address|is this server/);
      expect(hits).toBe(0);

      // Allowed by the operator (a CRM inside their network): the same deliveries go out.
      await t.db.update(webhookDeliveriesTable).set({ nextAttemptAt: new Date() });
      expect(await deliverDue({ db: t.db, logger }, loopback)).toBe(2);
      expect(hits).toBe(2);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.dispose();
    }
  });
});
