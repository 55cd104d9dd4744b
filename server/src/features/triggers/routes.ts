import { Hono } from 'hono';
import { triggerInputSchema, triggerListSchema, triggerAnswerSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { idParam, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { createTrigger, deleteTrigger, listTriggers, updateTrigger } from './service.js';
import { describe } from '../../lib/openapi.js';

/** `/api/sites/:id/triggers…`: members read, admins change. Every change tells the site's dashboards. */
export function triggerRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/triggers',
      describe({
        tag: 'Triggers',
        summary: 'List proactive triggers',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: triggerListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({ triggers: await listTriggers(db, site.id) });
      },
    )
    .post(
      '/:id/triggers',
      describe({
        tag: 'Triggers',
        summary: 'Create a trigger',
        access: 'admin',
        params: { id: 'Site id' },
        body: triggerInputSchema,
        errors: ['conflict'],
        responses: { 201: triggerAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const trigger = await createTrigger(db, site.id, await readJson(c, triggerInputSchema));
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        return c.json({ trigger }, 201);
      },
    )
    .put(
      '/:id/triggers/:triggerId',
      describe({
        tag: 'Triggers',
        summary: 'Change a trigger',
        access: 'admin',
        params: { id: 'Site id', triggerId: 'Trigger id' },
        body: triggerInputSchema,
        responses: { 200: triggerAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const id = idParam(c, 'triggerId', 'Trigger');
        const trigger = await updateTrigger(db, site.id, id, await readJson(c, triggerInputSchema));
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        return c.json({ trigger });
      },
    )
    .delete(
      '/:id/triggers/:triggerId',
      describe({
        tag: 'Triggers',
        summary: 'Delete a trigger',
        access: 'admin',
        params: { id: 'Site id', triggerId: 'Trigger id' },
        responses: { 204: null },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        await deleteTrigger(db, site.id, idParam(c, 'triggerId', 'Trigger'));
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        return c.body(null, 204);
      },
    );
}
