import { Hono } from 'hono';
import { triggerInputSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { idParam, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { createTrigger, deleteTrigger, listTriggers, updateTrigger } from './service.js';

/** `/api/sites/:id/triggers…`: members read, admins change. Every change tells the site's dashboards. */
export function triggerRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get('/:id/triggers', async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      return c.json({ triggers: await listTriggers(db, site.id) });
    })
    .post('/:id/triggers', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      const trigger = await createTrigger(db, site.id, await readJson(c, triggerInputSchema));
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.json({ trigger }, 201);
    })
    .put('/:id/triggers/:triggerId', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      const id = idParam(c, 'triggerId', 'Trigger');
      const trigger = await updateTrigger(db, site.id, id, await readJson(c, triggerInputSchema));
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.json({ trigger });
    })
    .delete('/:id/triggers/:triggerId', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      await deleteTrigger(db, site.id, idParam(c, 'triggerId', 'Trigger'));
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.body(null, 204);
    });
}
