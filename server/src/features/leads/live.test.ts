import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadSummary } from '@beckon/sdk/protocol';
import { agentsTable, siteMembersTable, webhookEndpointsTable } from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';
import { newWebhookSecret } from '../webhooks/service.js';
import { recordLeadTouch } from './service.js';

describe.each(databaseKinds)('leads on a running server (%s)', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let server: RunningServer;
  let receiver: Server;
  const received: { type: string; data: { lead?: { id: string; status: string } } }[] = [];
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig({ BECKON_WEBHOOKS_ALLOW_PRIVATE: 'true' }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    clients.closeAll();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await server?.close();
    await database?.dispose();
  });

  it("pushes lead:updated to the site's agents only, and the server's own worker delivers the webhooks", async () => {
    const admin = await clients.login();
    const siteId = admin.me.sites[0]!.id;
    const other = await (
      await fetch(`${clients.origin()}/api/sites`, {
        method: 'POST',
        headers: admin.headers,
        body: JSON.stringify({ name: 'Other' }),
      })
    ).json();
    const [outsider] = await database.db
      .insert(agentsTable)
      .values({
        email: 'out@example.test',
        name: 'Out',
        role: 'agent',
        passwordHash: await hashPassword('outsider password'),
      })
      .returning();
    await database.db.insert(siteMembersTable).values({ siteId: other.site.id, agentId: outsider!.id });
    const outsiderSession = await clients.login('out@example.test', 'outsider password');
    await database.db.insert(webhookEndpointsTable).values({
      siteId,
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
      events: ['lead.created', 'lead.updated'],
      secret: newWebhookSecret(),
    });

    const adminSocket = clients.agent(admin.cookie);
    const outsiderSocket = clients.agent(outsiderSession.cookie);
    await Promise.all([clients.connected(adminSocket), clients.connected(outsiderSocket)]);
    const leaked = clients.collect<LeadSummary>(outsiderSocket, 'lead:updated');

    // A touch made by a feature (here directly; callbacks and feedback do the same in their requests).
    const { leadId } = (await recordLeadTouch(database.db, {
      siteId,
      channel: 'callback',
      kind: 'callback.requested',
      contact: { name: 'Ana', phone: '+34612345678' },
      summary: 'Call me',
    }))!;
    // An agent's change goes through the route and the server's Realtime port to every dashboard of the site.
    const changed = clients.next<LeadSummary>(adminSocket, 'lead:updated');
    const response = await fetch(`${clients.origin()}/api/leads/${leadId}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ status: 'contacted' }),
    });
    expect(response.status).toBe(200);
    expect(await changed).toMatchObject({ id: leadId, status: 'contacted', phone: '+34612345678' });

    await expect
      .poll(() => received.map((event) => `${event.type}:${event.data.lead?.status}`), { timeout: 10_000 })
      .toEqual(['lead.created:new', 'lead.updated:contacted']);
    expect(leaked).toEqual([]);
  });
});
