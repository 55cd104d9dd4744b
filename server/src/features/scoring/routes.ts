import { Hono } from 'hono';
import {
  applyWeightsSchema,
  scoringSettingsSchema,
  scoringPageSchema,
  scoringJobAnswerSchema,
  scoringSavedSchema,
  learnResultSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { defaultScoringSettings } from './defaults.js';
import { applyPoints, learnFromOutcomes, saveScoringSettings } from './service.js';
import { latestScoringJob, scoringJobRunner } from './jobs.js';
import { scoringSettingsOf } from './settings.js';
import { computedThresholdsOf } from './thresholds.js';
import { describe } from '../../lib/openapi.js';

/** `/api/sites/:id/scoring…`: rules, half-life and thresholds (saved, then rescored by a background job); learning from won/lost outcomes. */
export function scoringRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  const jobs = scoringJobRunner(deps);
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/scoring',
      describe({
        tag: 'Scoring',
        summary: 'Scoring rules, thresholds and the latest rescoring job',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: scoringPageSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const [settings, job, thresholds] = await Promise.all([
          scoringSettingsOf(db, site.id),
          latestScoringJob(db, site.id),
          computedThresholdsOf(db, site.id),
        ]);
        return c.json({ settings, defaults: defaultScoringSettings(site.template), job, thresholds });
      },
    )
    .get(
      '/:id/scoring/job',
      describe({
        tag: 'Scoring',
        summary: 'The latest rescoring job',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: scoringJobAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({ job: await latestScoringJob(db, site.id) });
      },
    )
    .put(
      '/:id/scoring',
      describe({
        tag: 'Scoring',
        summary: 'Save scoring rules and thresholds',
        description: 'Answered at once (202): every visitor is rescored by a background job that reports its progress.',
        access: 'admin',
        params: { id: 'Site id' },
        body: scoringSettingsSchema,
        responses: { 202: scoringSavedSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const { settings, job } = await saveScoringSettings(db, site.id, await readJson(c, scoringSettingsSchema));
        deps.logger.info('scoring settings saved', {
          siteId: site.id,
          agentId: c.get('agent').id,
          rules: settings.rules.length,
          jobId: job.id,
        });
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        // Answered at once: the rescore runs in the background and reports on `scoring:job`.
        void jobs.kick();
        return c.json({ settings, job }, 202);
      },
    )
    .post(
      '/:id/scoring/learn',
      describe({
        tag: 'Scoring',
        summary: 'Propose points learnt from won / lost outcomes',
        access: 'admin',
        params: { id: 'Site id' },
        responses: { 200: learnResultSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json(await learnFromOutcomes(db, site.id));
      },
    )
    .post(
      '/:id/scoring/apply',
      describe({
        tag: 'Scoring',
        summary: 'Apply learnt points (and the proposed new rules the admin accepted)',
        access: 'admin',
        params: { id: 'Site id' },
        body: applyWeightsSchema,
        responses: { 202: scoringSavedSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const { points, newRules } = await readJson(c, applyWeightsSchema);
        const { settings, job } = await applyPoints(db, site.id, points, newRules);
        deps.logger.info('learnt scoring points applied', {
          siteId: site.id,
          agentId: c.get('agent').id,
          jobId: job.id,
        });
        realtime.toSite(site.id, 'site:updated', { id: site.id });
        void jobs.kick();
        return c.json({ settings, job }, 202);
      },
    );
}
