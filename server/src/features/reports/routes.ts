import { Hono } from 'hono';
import type { Context } from 'hono';
import {
  type DigestSettings,
  digestSettingsSchema,
  reportExportQuerySchema,
  type ReportName,
  reportNames,
  reportQuerySchema,
  type SavedSpend,
  type SpendImportResult,
  type SpendList,
  spendEntryInputSchema,
  spendImportSchema,
} from '@beckon/sdk/protocol';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-env.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../lib/errors.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite, listVisibleSites } from '../sites/index.js';
import { type ReportByName, reportCsv } from './csv.js';
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
      .get('/spend', requireAdmin(), async (c) => {
        const { siteId } = parse(siteQuerySchema, c.req.query());
        const [site] = await sitesFor(deps, c, siteId);
        return c.json({ entries: await listSpend(db, site!) } satisfies SpendList);
      })
      .put('/spend', requireAdmin(), async (c) => {
        const input = await readJson(c, spendEntryInputSchema);
        await sitesFor(deps, c, input.siteId);
        const [entry] = await saveSpend(db, c.get('agent'), [input]);
        return c.json({ entry: entry! } satisfies SavedSpend);
      })
      .delete('/spend/:id', requireAdmin(), async (c) => {
        const id = idParam(c, 'id', 'Spend entry');
        await deleteSpend(db, await sitesFor(deps, c, undefined), id);
        return c.body(null, 204);
      })
      .post('/spend/import', requireAdmin(), async (c) => {
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
      })
      .get('/digest', requireAdmin(), async (c) => c.json(await digestSettingsOf(db, c.get('agent').id)))
      .put('/digest', requireAdmin(), async (c) => {
        const settings = await readJson(c, digestSettingsSchema);
        return c.json((await saveDigestSettings(db, c.get('agent').id, settings)) satisfies DigestSettings);
      })
      // One route per report, chained, so `AppType` (and the dashboard's typed client) carries each answer's type.
      .get('/overview', async (c) => c.json(await runners.overview(db, await scopeFor(deps, c))))
      .get('/speed', async (c) => c.json(await runners.speed(db, await scopeFor(deps, c))))
      .get('/agents', async (c) => c.json(await runners.agents(db, await scopeFor(deps, c))))
      .get('/funnel', async (c) => c.json(await runners.funnel(db, await scopeFor(deps, c))))
      .get('/cost', async (c) => c.json(await runners.cost(db, await scopeFor(deps, c))))
      .get('/feedback', async (c) => c.json(await runners.feedback(db, await scopeFor(deps, c))))
      .get('/triggers', async (c) => c.json(await runners.triggers(db, await scopeFor(deps, c))))
      .get('/:report/export.csv', async (c) => {
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
      })
  );
}
