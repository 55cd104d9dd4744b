import { Hono } from 'hono';
import { createSiteSchema, updateSiteSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { createSite, getVisibleSite, listVisibleSites, toSite, updateSite } from './service.js';

export function siteRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get('/', async (c) => c.json({ sites: (await listVisibleSites(db, c.get('agent'))).map(toSite) }))
    .post('/', requireAdmin(), async (c) => {
      const input = await readJson(c, createSiteSchema);
      const agent = c.get('agent');
      const site = await createSite(db, agent.id, input);
      realtime.joinSite(agent.id, site.id);
      deps.logger.info('site created', { siteId: site.id, agentId: agent.id });
      return c.json({ site: toSite(site) }, 201);
    })
    .get('/:id', async (c) => c.json({ site: toSite(await getVisibleSite(db, c.get('agent'), c.req.param('id'))) }))
    .patch('/:id', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      const patch = await readJson(c, updateSiteSchema);
      const updated = await updateSite(db, site.id, patch);
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.json({ site: toSite(updated) });
    });
}
