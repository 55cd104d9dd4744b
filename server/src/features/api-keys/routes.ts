import { Hono, type Context } from 'hono';
import {
  bulkOutcomesSchema,
  callbackCloseSchema,
  createApiKeySchema,
  externalIdSchema,
  leadUpsertSchema,
  putOutcomesSchema,
  syncQuerySchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { SyncPage } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../lib/errors.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import {
  applyOutcomes,
  bulkOutcomes,
  closeCallback,
  getVisibleSite,
  leadByExternalId,
  publicUrlOf,
  upsertLeadByExternalId,
} from './integrations.js';
import { createApiKey, listApiKeys, revokeApiKey } from './service.js';
import { syncCallbacks, syncConversations, syncFeedback, syncLeads, syncPersons, syncScores } from './sync.js';

/**
 * `/api/api-keys`: admins create, list and revoke keys. Keys themselves can never reach these routes
 * (they are not in the access table), so a key cannot mint a stronger one.
 */
export function apiKeyRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps), requireAdmin())
    .get('/', async (c) => c.json(await listApiKeys(db)))
    .post('/', async (c) => {
      const created = await createApiKey(db, c.get('agent'), await readJson(c, createApiKeySchema));
      deps.logger.info('api key created', {
        keyId: created.apiKey.id,
        prefix: created.apiKey.prefix,
        agentId: c.get('agent').id,
      });
      return c.json(created, 201);
    })
    .post('/:id/revoke', async (c) => {
      const apiKey = await revokeApiKey(db, c.get('agent'), idParam(c, 'id', 'API key'));
      deps.logger.info('api key revoked', { keyId: apiKey.id, prefix: apiKey.prefix, agentId: c.get('agent').id });
      return c.json({ apiKey });
    });
}

const externalIdParam = (c: Context<AppEnv>) => {
  const parsed = externalIdSchema.safeParse(c.req.param('externalId'));
  if (!parsed.success) throw notFound('Lead');
  return parsed.data;
};

/**
 * The integration endpoints under `/api/sites/:siteId`: sync lists, upsert by external id, closing a
 * callback, bulk outcomes. For API keys (scoped in access.ts) and for dashboard sessions alike.
 */
export function integrationRoutes(deps: AppDeps) {
  const { db } = deps;
  const site = (c: Context<AppEnv>) => getVisibleSite(db, c.get('agent'), c.req.param('siteId') ?? '');
  const settle = deps.config.BECKON_API_SYNC_SETTLE_MS;
  const list =
    <Item>(
      sync: (
        db: Db,
        siteId: string,
        query: z.output<typeof syncQuerySchema>,
        settleMs: number,
      ) => Promise<SyncPage<Item>>,
    ) =>
    async (c: Context<AppEnv>) => {
      const query = parse(syncQuerySchema, c.req.query());
      return c.json(await sync(db, (await site(c)).id, query, settle));
    };
  return new Hono<AppEnv>()
    .use('/:siteId/sync/*', requireAgent(deps))
    .use('/:siteId/leads/by-external-id/*', requireAgent(deps))
    .use('/:siteId/callbacks/:id/close', requireAgent(deps))
    .use('/:siteId/outcomes', requireAgent(deps))
    .get('/:siteId/sync/leads', list(syncLeads))
    .get('/:siteId/sync/persons', list(syncPersons))
    .get('/:siteId/sync/conversations', list(syncConversations))
    .get('/:siteId/sync/callbacks', list(syncCallbacks))
    .get('/:siteId/sync/feedback', list(syncFeedback))
    .get('/:siteId/sync/scores', list(syncScores))
    .get('/:siteId/leads/by-external-id/:externalId', async (c) =>
      c.json({ lead: await leadByExternalId(deps, await site(c), externalIdParam(c)) }),
    )
    .put('/:siteId/leads/by-external-id/:externalId', async (c) => {
      const found = await site(c);
      const externalId = externalIdParam(c);
      const { lead, created } = await upsertLeadByExternalId(
        deps,
        found,
        c.get('agent'),
        externalId,
        await readJson(c, leadUpsertSchema),
      );
      return c.json({ lead, created }, created ? 201 : 200);
    })
    .post('/:siteId/callbacks/:id/close', async (c) => {
      const found = await site(c);
      const input = await readJson(c, callbackCloseSchema);
      return c.json({
        callback: await closeCallback(
          deps,
          found,
          c.get('agent'),
          idParam(c, 'id', 'Callback'),
          input,
          publicUrlOf(deps, c),
        ),
      });
    })
    // Scoring labels in bulk (≤ 10,000, by visitor id, email or phone; each idempotent by the caller's id).
    .put('/:siteId/outcomes', async (c) => {
      const found = await site(c);
      const { outcomes } = await readJson(c, putOutcomesSchema);
      const answer = await applyOutcomes(db, found.id, outcomes, c.get('agent').id);
      deps.logger.info('outcomes applied', {
        siteId: found.id,
        agentId: c.get('agent').id,
        applied: answer.applied,
        duplicates: answer.duplicates,
        notFound: answer.notFound,
      });
      return c.json(answer);
    })
    .post('/:siteId/outcomes', async (c) => {
      const found = await site(c);
      return c.json({
        results: await bulkOutcomes(deps, found, c.get('agent'), await readJson(c, bulkOutcomesSchema)),
      });
    });
}
