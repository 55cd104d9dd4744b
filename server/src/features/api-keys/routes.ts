import { Hono, type Context } from 'hono';
import {
  apiCallbackAnswerSchema,
  apiCallbackSchema,
  apiConversationSchema,
  apiFeedbackSchema,
  apiKeyAnswerSchema,
  apiKeyListSchema,
  apiLeadAnswerSchema,
  apiLeadSchema,
  apiLeadUpsertAnswerSchema,
  apiPersonSchema,
  apiScoreSchema,
  bulkOutcomesAnswerSchema,
  bulkOutcomesSchema,
  createdApiKeySchema,
  callbackCloseSchema,
  createApiKeySchema,
  externalIdSchema,
  leadUpsertSchema,
  putOutcomesSchema,
  putOutcomesResponseSchema,
  syncPageSchema,
  syncQuerySchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { SyncPage } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../lib/errors.js';
import { describe, type RouteDescription } from '../../lib/openapi.js';
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
    .get(
      '/',
      describe({
        tag: 'API keys',
        summary: 'List API keys and their audit log',
        access: 'admin',
        responses: { 200: apiKeyListSchema },
      }),
      async (c) => c.json(await listApiKeys(db)),
    )
    .post(
      '/',
      describe({
        tag: 'API keys',
        summary: 'Create an API key',
        description: 'The answer holds the key’s secret: the only time it is ever sent. Store it now.',
        access: 'admin',
        body: createApiKeySchema,
        responses: { 201: createdApiKeySchema },
      }),
      async (c) => {
        const created = await createApiKey(db, c.get('agent'), await readJson(c, createApiKeySchema));
        deps.logger.info('api key created', {
          keyId: created.apiKey.id,
          prefix: created.apiKey.prefix,
          agentId: c.get('agent').id,
        });
        return c.json(created, 201);
      },
    )
    .post(
      '/:id/revoke',
      describe({
        tag: 'API keys',
        summary: 'Revoke an API key',
        description: 'At once and for good: the key answers 401 from now on.',
        access: 'admin',
        params: { id: 'API key id' },
        responses: { 200: apiKeyAnswerSchema },
      }),
      async (c) => {
        const apiKey = await revokeApiKey(db, c.get('agent'), idParam(c, 'id', 'API key'));
        deps.logger.info('api key revoked', { keyId: apiKey.id, prefix: apiKey.prefix, agentId: c.get('agent').id });
        return c.json({ apiKey });
      },
    );
}

const siteParam = { siteId: 'Site id' };
const syncList = (what: string, scope: RouteDescription['scope'], item: z.ZodType, description: string) =>
  describe({
    tag: 'Integrations',
    summary: `Sync ${what}`,
    description: `${description} Cursor-paged in (updatedAt, id) order: keep \`resumeCursor\` and ask again later for what changed since.`,
    access: 'agent',
    scope,
    params: siteParam,
    query: syncQuerySchema,
    responses: { 200: syncPageSchema(item) },
  });

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
    .get('/:siteId/sync/leads', syncList('leads', 'leads:read', apiLeadSchema, 'Leads of the site.'), list(syncLeads))
    .get(
      '/:siteId/sync/persons',
      syncList('persons', 'persons:read', apiPersonSchema, 'People of the site (merged ones name `mergedInto`).'),
      list(syncPersons),
    )
    .get(
      '/:siteId/sync/conversations',
      syncList(
        'conversations',
        'conversations:read',
        apiConversationSchema,
        'Conversations with their visitor-visible messages (the last 500 each).',
      ),
      list(syncConversations),
    )
    .get(
      '/:siteId/sync/callbacks',
      syncList('callbacks', 'callbacks:read', apiCallbackSchema, 'Callback requests.'),
      list(syncCallbacks),
    )
    .get(
      '/:siteId/sync/feedback',
      syncList('feedback', 'feedback:read', apiFeedbackSchema, 'Feedback, NPS and CSAT answers.'),
      list(syncFeedback),
    )
    .get(
      '/:siteId/sync/scores',
      syncList('scores', 'scores:read', apiScoreSchema, 'Visitors’ lead scores and outcomes.'),
      list(syncScores),
    )
    .get(
      '/:siteId/leads/by-external-id/:externalId',
      describe({
        tag: 'Integrations',
        summary: 'A lead by your external id',
        access: 'agent',
        scope: 'leads:read',
        params: { ...siteParam, externalId: 'Your CRM’s id of the lead (letters, digits and `. _ : @ -`)' },
        responses: { 200: apiLeadAnswerSchema },
      }),
      async (c) => c.json({ lead: await leadByExternalId(deps, await site(c), externalIdParam(c)) }),
    )
    .put(
      '/:siteId/leads/by-external-id/:externalId',
      describe({
        tag: 'Integrations',
        summary: 'Create or update a lead by your external id',
        description: 'Only the fields sent change. 201 when the lead was created, 200 when it existed.',
        access: 'agent',
        scope: 'leads:write',
        params: { ...siteParam, externalId: 'Your CRM’s id of the lead (letters, digits and `. _ : @ -`)' },
        body: leadUpsertSchema,
        responses: { 200: apiLeadUpsertAnswerSchema, 201: apiLeadUpsertAnswerSchema },
      }),
      async (c) => {
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
      },
    )
    .post(
      '/:siteId/callbacks/:id/close',
      describe({
        tag: 'Integrations',
        summary: 'Close a callback with an outcome',
        access: 'agent',
        scope: 'callbacks:write',
        params: { ...siteParam, id: 'Callback id' },
        body: callbackCloseSchema,
        idempotent: true,
        responses: { 200: apiCallbackAnswerSchema },
      }),
      async (c) => {
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
      },
    )
    .put(
      '/:siteId/outcomes',
      describe({
        tag: 'Integrations',
        summary: 'Label visitors won / lost for lead scoring, in bulk',
        description:
          'Up to 10,000 labels, each naming one visitor id, email or phone; each idempotent by your own `id` ' +
          '(an id already applied changes nothing). By email or phone it labels the person and every browser of theirs.',
        access: 'agent',
        scope: 'outcomes:write',
        params: siteParam,
        body: putOutcomesSchema,
        responses: { 200: putOutcomesResponseSchema },
      }),
      async (c) => {
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
      },
    )
    .post(
      '/:siteId/outcomes',
      describe({
        tag: 'Integrations',
        summary: 'Record won / lost outcomes in bulk',
        description:
          'Up to 100 outcomes, each matched by lead id, person id, email or external id; `null` clears one. ' +
          'Outcomes teach lead scoring which behaviour sells.',
        access: 'agent',
        scope: 'outcomes:write',
        params: siteParam,
        body: bulkOutcomesSchema,
        idempotent: true,
        responses: { 200: bulkOutcomesAnswerSchema },
      }),
      async (c) => {
        const found = await site(c);
        return c.json({
          results: await bulkOutcomes(deps, found, c.get('agent'), await readJson(c, bulkOutcomesSchema)),
        });
      },
    );
}
