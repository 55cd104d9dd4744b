import { eq, asc } from 'drizzle-orm';
import { Hono } from 'hono';
import {
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
  webhookDeliveriesQuerySchema,
  webhookEndpointListSchema,
  webhookEndpointCreatedSchema,
  webhookEndpointAnswerSchema,
  okSchema,
  webhookTestAnswerSchema,
  webhookDeliveryListSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { webhookEndpointsTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { privateHostReason } from '../../lib/outbound.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { isMessageId } from './outbox.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { enqueueTestEvent } from './outbox.js';
import { getEndpoint, listDeliveries, newWebhookSecret, redeliver, toEndpoint, toEndpoints } from './service.js';
import { describe } from '../../lib/openapi.js';

/**
 * `/api/sites/:siteId/webhooks`. Admins only: an endpoint sends lead data (names, emails, phones) to any
 * URL, which is an installation owner's decision, not every agent's. The delivery worker polls the outbox
 * every second on each node, so a test event or redelivery goes out within about a second.
 */
export function webhookRoutes(deps: AppDeps) {
  const { db } = deps;
  /** A URL on this server or a private network is refused when saved (and again by DNS at every delivery). */
  const refuseUnreachable = (url: string) => {
    const reason = deps.config.BECKON_WEBHOOKS_ALLOW_PRIVATE ? null : privateHostReason(url);
    if (reason) {
      throw new AppError('validation_failed', 'The request is not valid', [
        {
          path: ['url'],
          message: `${reason}: webhooks go to addresses on the internet (the operator can allow private networks with BECKON_WEBHOOKS_ALLOW_PRIVATE)`,
        },
      ]);
    }
  };
  const site = (c: { get(key: 'agent'): AppEnv['Variables']['agent']; req: { param(name: 'siteId'): string } }) =>
    getVisibleSite(db, c.get('agent'), c.req.param('siteId'));
  return new Hono<AppEnv>()
    .use('/:siteId/webhooks/*', requireAgent(deps), requireAdmin())
    .use('/:siteId/webhooks', requireAgent(deps), requireAdmin())
    .get(
      '/:siteId/webhooks',
      describe({
        tag: 'Webhooks',
        summary: 'List webhook endpoints',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id' },
        responses: { 200: webhookEndpointListSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const rows = await db
          .select()
          .from(webhookEndpointsTable)
          .where(eq(webhookEndpointsTable.siteId, id))
          .orderBy(asc(webhookEndpointsTable.createdAt));
        return c.json({ endpoints: await toEndpoints(db, rows) });
      },
    )
    .post(
      '/:siteId/webhooks',
      describe({
        tag: 'Webhooks',
        summary: 'Add a webhook endpoint',
        description:
          'The answer holds the signing secret, once. Private network addresses are refused unless the operator allows them.',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id' },
        body: createWebhookEndpointSchema,
        responses: { 201: webhookEndpointCreatedSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const input = await readJson(c, createWebhookEndpointSchema);
        refuseUnreachable(input.url);
        const secret = newWebhookSecret();
        const [row] = await db
          .insert(webhookEndpointsTable)
          .values({ siteId: id, ...input, secret })
          .returning();
        deps.logger.info('webhook endpoint created', { siteId: id, endpointId: row!.id, agentId: c.get('agent').id });
        // The secret is shown this once; later reads only show its first characters.
        return c.json({ endpoint: await toEndpoint(db, row!), secret }, 201);
      },
    )
    .patch(
      '/:siteId/webhooks/:endpointId',
      describe({
        tag: 'Webhooks',
        summary: 'Change a webhook endpoint',
        description: 'Only the fields sent change; `rotateSecret` answers the new secret, once.',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id', endpointId: 'Endpoint id' },
        body: updateWebhookEndpointSchema,
        responses: { 200: webhookEndpointAnswerSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const endpoint = await getEndpoint(db, id, idParam(c, 'endpointId', 'Webhook endpoint'));
        const { rotateSecret, ...changes } = await readJson(c, updateWebhookEndpointSchema);
        if (changes.url !== undefined) refuseUnreachable(changes.url);
        const secret = rotateSecret ? newWebhookSecret() : undefined;
        const [row] = await db
          .update(webhookEndpointsTable)
          .set({ ...changes, ...(secret ? { secret } : {}), updatedAt: new Date() })
          .where(eq(webhookEndpointsTable.id, endpoint.id))
          .returning();
        return c.json({ endpoint: await toEndpoint(db, row!), ...(secret ? { secret } : {}) });
      },
    )
    .delete(
      '/:siteId/webhooks/:endpointId',
      describe({
        tag: 'Webhooks',
        summary: 'Delete a webhook endpoint',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id', endpointId: 'Endpoint id' },
        responses: { 200: okSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const endpoint = await getEndpoint(db, id, idParam(c, 'endpointId', 'Webhook endpoint'));
        // Its outbox rows and log go with it (cascade): nothing is sent to a deleted endpoint.
        await db.delete(webhookEndpointsTable).where(eq(webhookEndpointsTable.id, endpoint.id));
        return c.json({ ok: true });
      },
    )
    .post(
      '/:siteId/webhooks/:endpointId/test',
      describe({
        tag: 'Webhooks',
        summary: 'Send a test event',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id', endpointId: 'Endpoint id' },
        responses: { 202: webhookTestAnswerSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const endpoint = await getEndpoint(db, id, idParam(c, 'endpointId', 'Webhook endpoint'));
        const deliveryId = await enqueueTestEvent(db, endpoint);
        return c.json({ deliveryId }, 202);
      },
    )
    .get(
      '/:siteId/webhooks/:endpointId/deliveries',
      describe({
        tag: 'Webhooks',
        summary: 'Recent deliveries of an endpoint, with each attempt',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id', endpointId: 'Endpoint id' },
        query: webhookDeliveriesQuerySchema,
        responses: { 200: webhookDeliveryListSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const endpoint = await getEndpoint(db, id, idParam(c, 'endpointId', 'Webhook endpoint'));
        const query = parse(webhookDeliveriesQuerySchema, c.req.query());
        return c.json({ deliveries: await listDeliveries(db, endpoint.id, query) });
      },
    )
    .post(
      '/:siteId/webhooks/:endpointId/deliveries/:deliveryId/redeliver',
      describe({
        tag: 'Webhooks',
        summary: 'Deliver an event again',
        description: 'Same `webhook-id`, so a receiver that already has it can tell.',
        access: 'admin',
        scope: 'webhooks:write',
        params: { siteId: 'Site id', endpointId: 'Endpoint id', deliveryId: 'Delivery id (`msg_…`)' },
        responses: { 202: okSchema },
      }),
      async (c) => {
        const { id } = await site(c);
        const endpoint = await getEndpoint(db, id, idParam(c, 'endpointId', 'Webhook endpoint'));
        await redeliver(db, endpoint.id, idParam(c, 'deliveryId', 'Delivery', isMessageId));
        return c.json({ ok: true }, 202);
      },
    );
}
