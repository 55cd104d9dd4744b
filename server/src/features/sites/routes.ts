import { Hono } from 'hono';
import { createSiteSchema, updateSiteSchema, siteListSchema, siteAnswerSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { createSite, getVisibleSite, listVisibleSites, toSite, updateSite } from './service.js';
import { describe } from '../../lib/openapi.js';

export function siteRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/',
      describe({
        tag: 'Sites',
        summary: 'List the sites the agent works on',
        access: 'agent',
        responses: { 200: siteListSchema },
      }),
      async (c) => c.json({ sites: (await listVisibleSites(db, c.get('agent'))).map(toSite) }),
    )
    .post(
      '/',
      describe({
        tag: 'Sites',
        summary: 'Create a site',
        access: 'admin',
        body: createSiteSchema,
        errors: ['conflict'],
        responses: { 201: siteAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const input = await readJson(c, createSiteSchema);
        const agent = c.get('agent');
        const site = await createSite(db, agent.id, input);
        realtime.joinSite(agent.id, site.id);
        deps.logger.info('site created', { siteId: site.id, agentId: agent.id });
        return c.json({ site: toSite(site) }, 201);
      },
    )
    .get(
      '/:id',
      describe({
        tag: 'Sites',
        summary: 'One site with its settings',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: siteAnswerSchema },
      }),
      async (c) => c.json({ site: toSite(await getVisibleSite(db, c.get('agent'), c.req.param('id'))) }),
    )
    .patch(
      '/:id',
      describe({
        tag: 'Sites',
        summary: 'Change a site’s settings',
        description: 'Only the sections sent change.',
        access: 'admin',
        params: { id: 'Site id' },
        body: updateSiteSchema,
        responses: { 200: siteAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const patch = await readJson(c, updateSiteSchema);
        const updated = await updateSite(db, site.id, patch);
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        return c.json({ site: toSite(updated) });
      },
    );
}
