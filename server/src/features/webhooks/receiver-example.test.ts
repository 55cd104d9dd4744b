import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@beckon/sdk/protocol';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testAdmin, testConfig } from '../../testing/harness.js';
// The example from this repository, as a CRM would run it, receiving from a real listening server.
import { createReceiver } from '../../../../examples/crm-webhook-receiver/receiver.mjs';

/** Asks `read` every 100 ms until it has an answer (the delivery worker polls every second). */
async function poll<T>(
  read: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(databaseKinds)('examples/crm-webhook-receiver against a started server on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let receiver: Server;
  let receiverUrl: string;
  let session: Record<string, string>;
  let siteId: string;
  const processed: Array<{ id: string; type: string; data: unknown }> = [];
  let secret = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.json();
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The receiver listens on loopback, which webhooks may reach only when the operator allows private networks.
    server = await startServer(testConfig({ BECKON_WEBHOOKS_ALLOW_PRIVATE: 'true' }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(testAdmin),
    });
    const me = (await login.json()) as { csrfToken: string; sites: { id: string }[] };
    siteId = me.sites[0]!.id;
    session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': me.csrfToken };

    let receive: ReturnType<typeof createReceiver> | undefined;
    receiver = createServer((request, response) => {
      if (!receive) return void response.writeHead(503).end();
      void receive(request, response);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/beckon`;
    const created = await api('POST', `/api/sites/${siteId}/webhooks`, {
      url: receiverUrl,
      events: ['callback.requested'],
    });
    secret = created.secret;
    receive = createReceiver({
      secret,
      onEvent: (event, id) => void processed.push({ id, type: event.type, data: event.data }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.dispose();
  });

  it('verifies and processes what the server signs, once per webhook-id, redelivery included', async () => {
    const endpoints = (await api('GET', `/api/sites/${siteId}/webhooks`)).endpoints as { id: string }[];
    const endpointId = endpoints[0]!.id;
    // The delivery's id is the webhook-id the receiver sees.
    const { deliveryId } = (await api('POST', `/api/sites/${siteId}/webhooks/${endpointId}/test`)) as {
      deliveryId: string;
    };
    const delivery = async () =>
      (
        (await api('GET', `/api/sites/${siteId}/webhooks/${endpointId}/deliveries`)).deliveries as WebhookDelivery[]
      ).find((row) => row.id === deliveryId);

    // The server's delivery worker sends it; the receiver verifies the signature with the secret shown once.
    const first = await poll(() => processed.find((event) => event.id === deliveryId), 'the test event');
    expect(first).toMatchObject({ type: 'webhook.test', data: { message: expect.any(String) } });
    expect(await poll(async () => ((await delivery())?.status === 'delivered' ? true : undefined), 'delivered')).toBe(
      true,
    );

    // "Redeliver" sends the same webhook-id again: the receiver answers 2xx and processes nothing twice.
    await api('POST', `/api/sites/${siteId}/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`);
    const redelivered = await poll(async () => {
      const row = await delivery();
      return row && row.attempts >= 2 && row.status === 'delivered' ? row : undefined;
    }, 'the redelivery');
    expect(redelivered.lastStatusCode).toBe(200);
    expect(processed.filter((event) => event.id === deliveryId)).toHaveLength(1);
  }, 60_000);

  it('refuses a forged request with 401', async () => {
    const body = JSON.stringify({ type: 'lead.created', timestamp: new Date().toISOString(), data: {} });
    const response = await fetch(receiverUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiAzMiBieXRlcyEhISE=',
      },
      body,
    });
    expect(response.status).toBe(401);
    expect(processed.find((event) => event.id === 'msg_forged')).toBeUndefined();
  });
});
