import { Hono } from 'hono';
import {
  personOutcomeSchema,
  personDetailSchema,
  visitorExportSchema,
  visitorErasureSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { viaOf, auditExport, eraseVisitor, exportVisitor } from '../privacy/index.js';
import { getVisibleSite } from '../sites/index.js';
import { setPersonOutcome } from '../leads/index.js';
import { getVisiblePerson } from '../persons/index.js';
import { personDetail } from './detail.js';
import { describe } from '../../lib/openapi.js';

/** `/api/persons/:id`: the person page, won / lost, and the person's export and erasure (admins; audited). */
export function personRoutes(deps: AppDeps) {
  const { db, logger } = deps;
  return (
    new Hono<AppEnv>()
      .use(requireAgent(deps))
      .get(
        '/:id',
        describe({
          tag: 'Persons',
          summary: 'The person page',
          description: 'Visits, pages, conversations, callbacks, feedback, consent, audit and lead of one person.',
          access: 'agent',
          params: { id: 'Person id' },
          responses: { 200: personDetailSchema },
        }),
        async (c) => {
          const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
          return c.json(await personDetail(db, person));
        },
      )
      // Won / lost: through the person's lead when there is one (audited there, like the lead page), else on the person.
      .post(
        '/:id/outcome',
        describe({
          tag: 'Persons',
          summary: 'Mark a person won or lost',
          description: 'Through the person’s lead when there is one (audited there); `null` clears it.',
          access: 'agent',
          params: { id: 'Person id' },
          body: personOutcomeSchema,
          responses: { 200: personDetailSchema },
        }),
        async (c) => {
          const agent = c.get('agent');
          const person = await getVisiblePerson(db, agent, c.req.param('id'));
          const { outcome } = await readJson(c, personOutcomeSchema);
          await setPersonOutcome(deps, person, agent, outcome);
          return c.json(await personDetail(db, await getVisiblePerson(db, agent, person.id)));
        },
      )
      .get(
        '/:id/export',
        describe({
          tag: 'Privacy',
          summary: 'Export everything stored about a person',
          description: 'Audited.',
          access: 'admin',
          params: { id: 'Person id' },
          responses: { 200: visitorExportSchema },
        }),
        requireAdmin(),
        async (c) => {
          const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
          const site = await getVisibleSite(db, c.get('agent'), person.siteId);
          const data = await exportVisitor(db, site, { personId: person.id });
          await auditExport(
            db,
            site.id,
            data.visitorId,
            { agentId: c.get('agent').id, via: viaOf(c) },
            Object.fromEntries(Object.entries(data.tables).map(([name, rows]) => [name, rows.length])),
          );
          c.header('Content-Disposition', `attachment; filename="beckon-person-${person.id}.json"`);
          return c.json(data);
        },
      )
      .delete(
        '/:id',
        describe({
          tag: 'Privacy',
          summary: 'Erase a person',
          description: 'Deletes every row of the person on the site; audited.',
          access: 'admin',
          params: { id: 'Person id' },
          responses: { 200: visitorErasureSchema },
        }),
        requireAdmin(),
        async (c) => {
          const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
          const erasure = await eraseVisitor(
            db,
            person.siteId,
            { personId: person.id },
            { agentId: c.get('agent').id, via: viaOf(c) },
          );
          logger.info('person erased', {
            siteId: person.siteId,
            agentId: c.get('agent').id,
            rows: Object.values(erasure.deleted).reduce((a, b) => a + b, 0),
          });
          return c.json(erasure);
        },
      )
  );
}
