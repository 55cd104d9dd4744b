import { Hono } from 'hono';
import {
  liveVisitorWindowMs,
  recordSignalsSchema,
  setOutcomeSchema,
  liveVisitorListSchema,
  visitorDetailAnswerSchema,
  recordSignalsResponseSchema,
  visitorOutcomeAnswerSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { notFound } from '../../lib/errors.js';
import { idParam, isClientId, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { setVisitorOutcome } from '../scoring/index.js';
import { getVisibleSite } from '../sites/index.js';
import { and, eq } from 'drizzle-orm';
import { personVisitorsTable, personsTable } from '../../db/schema.js';
import { setPersonOutcome } from '../leads/index.js';
import { liveVisitors, visitorDetail } from './service.js';
import { recordOfflineSignals } from './offline-signals.js';
import { describe } from '../../lib/openapi.js';

/** `/api/sites/:id/visitors…`: who is on the site now, one visitor's story, and won/lost labels. */
export function visitorRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/visitors',
      describe({
        tag: 'Visitors',
        summary: 'Who is on the site now',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: liveVisitorListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({
          visitors: await liveVisitors(db, site.id, new Date(Date.now() - liveVisitorWindowMs)),
          windowMs: liveVisitorWindowMs,
        });
      },
    )
    .get(
      '/:id/visitors/:visitorId',
      describe({
        tag: 'Visitors',
        summary: 'One visitor’s visits, pages and score',
        access: 'agent',
        params: { id: 'Site id', visitorId: 'Visitor id' },
        responses: { 200: visitorDetailAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const visitorId = idParam(c, 'visitorId', 'Visitor', isClientId);
        return c.json({ visitor: await visitorDetail(db, site.id, visitorId) });
      },
    )
    .post(
      '/:id/signals',
      describe({
        tag: 'Scoring',
        summary: 'Record offline signals',
        description:
          'Up to 1,000 things a CRM, an ad platform’s lead form or a sales call learnt about a person; the same `id` again stores nothing new.',
        access: 'admin',
        scope: 'outcomes:write',
        params: { id: 'Site id' },
        body: recordSignalsSchema,
        responses: { 200: recordSignalsResponseSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const { signals } = await readJson(c, recordSignalsSchema);
        const answer = await recordOfflineSignals(db, site.id, signals);
        deps.logger.info('offline signals recorded', {
          siteId: site.id,
          agentId: c.get('agent').id,
          stored: answer.stored,
          duplicates: answer.duplicates,
          rejected: answer.rejected,
        });
        return c.json(answer);
      },
    )
    .put(
      '/:id/visitors/:visitorId/outcome',
      describe({
        tag: 'Visitors',
        summary: 'Mark a visitor won or lost',
        description: 'A browser of a known person marks the person (their lead and every browser).',
        access: 'agent',
        params: { id: 'Site id', visitorId: 'Visitor id' },
        body: setOutcomeSchema,
        responses: { 200: visitorOutcomeAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const visitorId = idParam(c, 'visitorId', 'Visitor', isClientId);
        const { outcome } = await readJson(c, setOutcomeSchema);
        // A browser of a known person: the person is won or lost (their lead and every browser), not one browser.
        const [person] = await db
          .select({ person: personsTable })
          .from(personVisitorsTable)
          .innerJoin(personsTable, eq(personsTable.id, personVisitorsTable.personId))
          .where(and(eq(personVisitorsTable.siteId, site.id), eq(personVisitorsTable.visitorId, visitorId)));
        if (person) await setPersonOutcome(deps, person.person, c.get('agent'), outcome);
        else if (!(await setVisitorOutcome(db, site.id, visitorId, outcome))) throw notFound('Visitor');
        deps.logger.info('visitor outcome set', { siteId: site.id, agentId: c.get('agent').id, outcome });
        return c.json({ outcome });
      },
    );
}
