import { Hono } from 'hono';
import type { Context } from 'hono';
import {
  agentsReportSchema,
  costReportSchema,
  type DigestSettings,
  digestSettingsSchema,
  feedbackTrendReportSchema,
  funnelReportSchema,
  overviewReportSchema,
  reportExportQuerySchema,
  type ReportByName,
  type ReportName,
  reportNames,
  reportQuerySchema,
  type SavedSpend,
  savedSpendSchema,
  type SpendImportResult,
  spendImportResultSchema,
  type SpendList,
  spendListSchema,
  spendEntryInputSchema,
  spendImportSchema,
  speedReportSchema,
  triggersReportSchema,
} from '@beckon/sdk/protocol';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-env.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../lib/errors.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { describe } from '../../lib/openapi.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite, listVisibleSites } from '../sites/index.js';
import { reportCsv } from './csv.js';
import {
  agentsReport,
  costReport,
  feedbackReport,
  funnelReport,
  overviewReport,
  type ReportScope,
  scopeOf,
  speedReport,
  triggersReport,
} from './queries.js';
import { deleteSpend, digestSettingsOf, listSpend, parseSpendCsv, saveDigestSettings, saveSpend } from './service.js';

const runners: { [R in ReportName]: (db: DbOrTx, scope: ReportScope) => Promise<ReportByName[R]> } = {
  overview: overviewReport,
  speed: speedReport,
  agents: agentsReport,
  funnel: funnelReport,
  cost: costReport,
  feedback: feedbackReport,
  triggers: triggersReport,
};

/**
 * The sites a request may report on: the one asked for (404 when the caller cannot see it), else every
 * visible site; an API key limited to some sites narrows both.
 */
async function sitesFor(deps: AppDeps, c: Context<AppEnv>, siteId: string | undefined): Promise<string[]> {
  const agent = c.get('agent');
  const keySites = c.get('apiKey')?.siteIds ?? null;
  if (siteId) {
    if (keySites && !keySites.includes(siteId)) throw notFound('Site');
    return [(await getVisibleSite(deps.db, agent, siteId)).id];
  }
  const visible = (await listVisibleSites(deps.db, agent)).map((site) => site.id);
  return keySites ? visible.filter((id) => keySites.includes(id)) : visible;
}

async function scopeFor(deps: AppDeps, c: Context<AppEnv>) {
  const query = parse(reportQuerySchema, c.req.query());
  return scopeOf(deps.db, query, await sitesFor(deps, c, query.siteId), c.get('agent'));
}

const siteQuerySchema = z.object({ siteId: z.uuid() });

/**
 * `/api/reports`: the seven reports (JSON, or one table as CSV), spend entries and the digest choice.
 * Reports read only the rollups (`schema.ts`), never the raw tables' history.
 */
export function reportRoutes(deps: AppDeps) {
  const { db } = deps;
  return (
    new Hono<AppEnv>()
      .use(requireAgent(deps))
      .get(
        '/spend',
        describe({
          tag: 'Reports',
          summary: 'A site’s spend entries (cost per inquiry), newest month first',
          access: 'admin',
          query: siteQuerySchema,
          responses: { 200: spendListSchema },
        }),
        requireAdmin(),
        async (c) => {
          const { siteId } = parse(siteQuerySchema, c.req.query());
          const [site] = await sitesFor(deps, c, siteId);
          return c.json({ entries: await listSpend(db, site!) } satisfies SpendList);
        },
      )
      .put(
        '/spend',
        describe({
          tag: 'Reports',
          summary: 'Save one spend entry (upsert by site, month, source and campaign)',
          access: 'admin',
          body: spendEntryInputSchema,
          responses: { 200: savedSpendSchema },
        }),
        requireAdmin(),
        async (c) => {
          const input = await readJson(c, spendEntryInputSchema);
          await sitesFor(deps, c, input.siteId);
          const [entry] = await saveSpend(db, c.get('agent'), [input]);
          return c.json({ entry: entry! } satisfies SavedSpend);
        },
      )
      .delete(
        '/spend/:id',
        describe({
          tag: 'Reports',
          summary: 'Delete a spend entry',
          access: 'admin',
          params: { id: 'Spend entry id' },
          responses: { 204: null },
        }),
        requireAdmin(),
        async (c) => {
          const id = idParam(c, 'id', 'Spend entry');
          await deleteSpend(db, await sitesFor(deps, c, undefined), id);
          return c.body(null, 204);
        },
      )
      .post(
        '/spend/import',
        describe({
          tag: 'Reports',
          summary: 'Import spend from CSV (month,source,campaign,amount,currency)',
          access: 'admin',
          body: spendImportSchema,
          responses: { 200: spendImportResultSchema },
        }),
        requireAdmin(),
        async (c) => {
          const input = await readJson(c, spendImportSchema);
          await sitesFor(deps, c, input.siteId);
          const { entries, errors } = parseSpendCsv(input.siteId, input.csv);
          if (entries.length === 0 && errors.length > 0)
            throw new AppError(
              'validation_failed',
              'No row of the file could be imported',
              errors.map((error) => ({ path: [`line ${error.line}`], message: error.message })),
            );
          const saved = await db.transaction((tx) => saveSpend(tx, c.get('agent'), entries));
          return c.json({ imported: saved.length, errors } satisfies SpendImportResult);
        },
      )
      .get(
        '/digest',
        describe({
          tag: 'Reports',
          summary: 'This admin’s digest email choice',
          access: 'admin',
          responses: { 200: digestSettingsSchema },
        }),
        requireAdmin(),
        async (c) => c.json(await digestSettingsOf(db, c.get('agent').id)),
      )
      .put(
        '/digest',
        describe({
          tag: 'Reports',
          summary: 'Choose the digest email: daily, weekly or off',
          access: 'admin',
          body: digestSettingsSchema,
          responses: { 200: digestSettingsSchema },
        }),
        requireAdmin(),
        async (c) => {
          const settings = await readJson(c, digestSettingsSchema);
          return c.json((await saveDigestSettings(db, c.get('agent').id, settings)) satisfies DigestSettings);
        },
      )
      // One route per report, chained, so `AppType` (and the dashboard's typed client) carries each answer's type.
      .get(
        '/overview',
        describe({
          tag: 'Reports',
          summary: 'Inquiries by channel and source, per period, with the previous period',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: overviewReportSchema },
        }),
        async (c) => c.json(await runners.overview(db, await scopeFor(deps, c))),
      )
      .get(
        '/speed',
        describe({
          tag: 'Reports',
          summary: 'First response, resolution, missed chats, callback SLA, first contact, hour-of-week heatmap',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: speedReportSchema },
        }),
        async (c) => c.json(await runners.speed(db, await scopeFor(deps, c))),
      )
      .get(
        '/agents',
        describe({
          tag: 'Reports',
          summary: 'One row per agent (an agent gets their own row only)',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: agentsReportSchema },
        }),
        async (c) => c.json(await runners.agents(db, await scopeFor(deps, c))),
      )
      .get(
        '/funnel',
        describe({
          tag: 'Reports',
          summary: 'Lead stages and conversion, deal duration, temperature, sources, lost reasons',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: funnelReportSchema },
        }),
        async (c) => c.json(await runners.funnel(db, await scopeFor(deps, c))),
      )
      .get(
        '/cost',
        describe({
          tag: 'Reports',
          summary: 'Cost per inquiry, qualified lead and won deal by source',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: costReportSchema },
        }),
        async (c) => c.json(await runners.cost(db, await scopeFor(deps, c))),
      )
      .get(
        '/feedback',
        describe({
          tag: 'Reports',
          summary: 'NPS, CSAT and chat ratings over time, with comments',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: feedbackTrendReportSchema },
        }),
        async (c) => c.json(await runners.feedback(db, await scopeFor(deps, c))),
      )
      .get(
        '/triggers',
        describe({
          tag: 'Reports',
          summary: 'Triggers and invitations: shown, accepted, leads, won',
          access: 'agent',
          scope: 'reports:read',
          query: reportQuerySchema,
          responses: { 200: triggersReportSchema },
        }),
        async (c) => c.json(await runners.triggers(db, await scopeFor(deps, c))),
      )
      .get(
        '/:report/export.csv',
        describe({
          tag: 'Reports',
          summary: 'One table of a report as CSV',
          access: 'agent',
          scope: 'reports:read',
          params: { report: 'The report: overview, speed, agents, funnel, cost, feedback or triggers' },
          query: reportExportQuerySchema,
          responses: {
            200: {
              contentType: 'text/csv',
              description: 'The table, with a header row (same query as the report, plus `table`)',
            },
          },
        }),
        async (c) => {
          const name = reportNames.find((known) => known === c.req.param('report'));
          if (!name) throw notFound('Report');
          const { table } = parse(reportExportQuerySchema, c.req.query());
          const scope = await scopeFor(deps, c);
          const body = reportCsv(name, await runners[name](db, scope), table);
          if (body === null) throw new AppError('validation_failed', `The ${name} report has no table "${table}"`);
          c.header('Content-Type', 'text/csv; charset=utf-8');
          c.header(
            'Content-Disposition',
            `attachment; filename="beckon-${name}-${table}-${scope.range.from}-${scope.range.to}.csv"`,
          );
          return c.body(body);
        },
      )
  );
}
