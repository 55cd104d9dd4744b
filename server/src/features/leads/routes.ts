import { and, count, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import {
  leadListQuerySchema,
  updateLeadSchema,
  leadListSchema,
  leadDetailSchema,
  leadAnswerSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { agentsTable, leadsTable, siteMembersTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { csvRow } from './csv.js';
import { getVisibleLead, leadFilter, leadOrder, leadTimeline } from './queries.js';
import { labelVisitorsOfLead } from './scoring-link.js';
import { publishLead, summariseLeads, updateLead } from './service.js';
import { describe } from '../../lib/openapi.js';

/** An export is for a spreadsheet, not a backup: beyond this, narrow the filters. */
export const maxExportRows = 10_000;

/** Query strings repeat keys for lists (`status=new&status=open`); Hono's `queries()` keeps them all. */
function queryOf(c: { req: { queries(): Record<string, string[]> } }) {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([key, values]) => [key, values.length > 1 ? values : values[0]]),
  );
}

export function leadRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/',
      describe({
        tag: 'Leads',
        summary: 'List leads',
        description: 'Filters combine; lists accept `a,b` or repeated keys.',
        access: 'agent',
        query: leadListQuerySchema,
        responses: { 200: leadListSchema },
      }),
      async (c) => {
        const filters = parse(leadListQuerySchema, queryOf(c));
        const where = await leadFilter(db, c.get('agent'), filters);
        if (!where) return c.json({ leads: [], total: 0 });
        const rows = await db
          .select()
          .from(leadsTable)
          .where(where)
          .orderBy(...leadOrder(filters))
          .limit(filters.limit)
          .offset(filters.offset);
        const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(leadsTable).where(where);
        return c.json({ leads: await summariseLeads(db, rows), total: Number(total) });
      },
    )
    .get(
      '/export.csv',
      describe({
        tag: 'Leads',
        summary: 'Export leads as CSV',
        description: 'The same filters as the list; at most 10,000 rows.',
        access: 'agent',
        query: leadListQuerySchema,
        responses: { 200: { contentType: 'text/csv', description: 'One row per lead, with a header row' } },
      }),
      async (c) => {
        const filters = parse(leadListQuerySchema, queryOf(c));
        const where = await leadFilter(db, c.get('agent'), filters);
        const rows = where
          ? await db
              .select()
              .from(leadsTable)
              .where(where)
              .orderBy(...leadOrder(filters))
              .limit(maxExportRows)
          : [];
        const leads = await summariseLeads(db, rows);
        let body = csvRow([
          'Lead id',
          'Name',
          'Email',
          'Phone',
          'Status',
          'Channels',
          'Temperature',
          'Score',
          'Assignee',
          'Outcome note',
          'Last touch',
          'Created',
          'Updated',
        ]);
        for (const lead of leads) {
          body += csvRow([
            lead.id,
            lead.name,
            lead.email,
            lead.phone,
            lead.status,
            lead.channels.join(' '),
            lead.temperature,
            lead.score,
            lead.assignee?.name,
            lead.outcomeNote,
            lead.lastTouch?.summary,
            lead.createdAt,
            lead.updatedAt,
          ]);
        }
        const day = new Date().toISOString().slice(0, 10);
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="beckon-leads-${day}.csv"`,
          'cache-control': 'no-store',
        });
      },
    )
    .get(
      '/:id',
      describe({
        tag: 'Leads',
        summary: 'One lead with its timeline and score',
        access: 'agent',
        params: { id: 'Lead id' },
        responses: { 200: leadDetailSchema },
      }),
      async (c) => {
        const lead = await getVisibleLead(db, c.get('agent'), idParam(c, 'id', 'Lead'));
        const [summary] = await summariseLeads(db, [lead]);
        return c.json({ lead: summary!, ...(await leadTimeline(db, lead)) });
      },
    )
    .patch(
      '/:id',
      describe({
        tag: 'Leads',
        summary: 'Change a lead’s status, assignee or outcome note',
        description: 'Audited. Won and lost teach lead scoring.',
        access: 'agent',
        params: { id: 'Lead id' },
        body: updateLeadSchema,
        responses: { 200: leadAnswerSchema },
      }),
      async (c) => {
        const agent = c.get('agent');
        const visible = await getVisibleLead(db, agent, idParam(c, 'id', 'Lead'));
        const patch = await readJson(c, updateLeadSchema);
        if (patch.assigneeId) {
          const [target] = await db
            .select({ role: agentsTable.role, memberSite: siteMembersTable.siteId })
            .from(agentsTable)
            .leftJoin(
              siteMembersTable,
              and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, visible.siteId)),
            )
            .where(eq(agentsTable.id, patch.assigneeId));
          if (!target || (target.role !== 'admin' && !target.memberSite)) {
            throw new AppError('validation_failed', 'That agent does not work on this site', [
              { path: ['assigneeId'], message: 'not a member of the site' },
            ]);
          }
        }
        const changed = await db.transaction((tx) => updateLead(tx, visible.id, agent, patch));
        // Acknowledged and pushed only after the commit.
        if (changed) await publishLead(deps, visible.id);
        // Won and lost leads teach scoring which behaviour sells (and reopening one takes the label back).
        if (changed && patch.status !== undefined && patch.status !== visible.status)
          await labelVisitorsOfLead(db, visible, patch.status);
        const lead = await getVisibleLead(db, agent, visible.id);
        return c.json({ lead: (await summariseLeads(db, [lead]))[0]! });
      },
    );
}
