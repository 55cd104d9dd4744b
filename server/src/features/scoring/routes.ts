import { Hono } from 'hono';
import { applyWeightsSchema, scoringSettingsSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/middleware.js';
import { getVisibleSite } from '../sites/service.js';
import { defaultScoringSettings } from './defaults.js';
import { applyPoints, learnFromOutcomes, saveScoringSettings } from './service.js';
import { scoringSettingsOf } from './settings.js';

/** `/api/sites/:id/scoring…`: rules, half-life and thresholds; learning from won/lost outcomes. */
export function scoringRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get('/:id/scoring', async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      return c.json({ settings: await scoringSettingsOf(db, site.id), defaults: defaultScoringSettings(site.template) });
    })
    .put('/:id/scoring', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      const settings = await saveScoringSettings(db, site.id, await readJson(c, scoringSettingsSchema));
      deps.logger.info('scoring settings saved', { siteId: site.id, agentId: c.get('agent').id, rules: settings.rules.length });
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.json({ settings });
    })
    .post('/:id/scoring/learn', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      return c.json(await learnFromOutcomes(db, site.id));
    })
    .post('/:id/scoring/apply', requireAdmin(), async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
      const { points } = await readJson(c, applyWeightsSchema);
      const settings = await applyPoints(db, site.id, points);
      deps.logger.info('learnt scoring points applied', { siteId: site.id, agentId: c.get('agent').id });
      realtime.toSite(site.id, 'site:updated', { id: site.id });
      return c.json({ settings });
    });
}
