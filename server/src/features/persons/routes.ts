import { Hono } from 'hono';
import { asc, eq } from 'drizzle-orm';
import { personOutcomeSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { leadsTable, personAuditTable, personVisitorsTable, personsTable } from '../../db/schema.js';
import { readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/middleware.js';
import { labelVisitorsOfLead } from '../leads/scoring-link.js';
import { publishLead, updateLead } from '../leads/service.js';
import { viaOf } from '../privacy/routes.js';
import { auditExport, eraseVisitor, exportVisitor } from '../privacy/service.js';
import { recordOutcome } from '../scoring/service.js';
import { getVisibleSite } from '../sites/service.js';
import { getVisiblePerson, personDetail } from './queries.js';

/** `/api/persons/:id`: the person page, won / lost, and the person's export and erasure (admins; audited). */
export function personRoutes(deps: AppDeps) {
  const { db, logger } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get('/:id', async (c) => {
      const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
      return c.json(await personDetail(db, person));
    })
    // Won / lost: through the person's lead when there is one (audited there, like the lead page), else on the person.
    .post('/:id/outcome', async (c) => {
      const agent = c.get('agent');
      const person = await getVisiblePerson(db, agent, c.req.param('id'));
      const { outcome } = await readJson(c, personOutcomeSchema);
      const [lead] = await db.select().from(leadsTable).where(eq(leadsTable.personId, person.id)).orderBy(asc(leadsTable.createdAt), asc(leadsTable.id)).limit(1);
      await db.transaction(async (tx) => {
        if (lead) await updateLead(tx, lead.id, { id: agent.id, name: agent.name }, { status: outcome ?? 'open' }, 'From the person page');
        await tx.update(personsTable).set({ outcome, updatedAt: new Date() }).where(eq(personsTable.id, person.id));
        await tx.insert(personAuditTable).values({ personId: person.id, byAgentId: agent.id, action: 'outcome', detail: outcome ? `Marked ${outcome}` : 'Outcome cleared' });
      });
      if (lead) {
        await labelVisitorsOfLead(db, lead, outcome ?? 'open');
        await publishLead(deps, lead.id);
      } else {
        const visitorIds = (await db.select({ id: personVisitorsTable.visitorId }).from(personVisitorsTable).where(eq(personVisitorsTable.personId, person.id))).map((row) => row.id);
        await recordOutcome(db, person.siteId, visitorIds, outcome);
      }
      return c.json(await personDetail(db, await getVisiblePerson(db, agent, person.id)));
    })
    .get('/:id/export', requireAdmin(), async (c) => {
      const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
      const site = await getVisibleSite(db, c.get('agent'), person.siteId);
      const data = await exportVisitor(db, site, { personId: person.id });
      await auditExport(db, site.id, data.visitorId, { agentId: c.get('agent').id, via: viaOf(c) }, Object.fromEntries(Object.entries(data.tables).map(([name, rows]) => [name, rows.length])));
      c.header('Content-Disposition', `attachment; filename="beckon-person-${person.id}.json"`);
      return c.json(data);
    })
    .delete('/:id', requireAdmin(), async (c) => {
      const person = await getVisiblePerson(db, c.get('agent'), c.req.param('id'));
      const erasure = await eraseVisitor(db, person.siteId, { personId: person.id }, { agentId: c.get('agent').id, via: viaOf(c) });
      logger.info('person erased', { siteId: person.siteId, agentId: c.get('agent').id, rows: Object.values(erasure.deleted).reduce((a, b) => a + b, 0) });
      return c.json(erasure);
    });
}
