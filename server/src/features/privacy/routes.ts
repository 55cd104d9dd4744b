import { Hono, type Context } from 'hono';
import {
  privacyRequestSchema,
  visitorExportSchema,
  visitorErasureSchema,
  privacyAuditSchema,
  identitySecretStatusSchema,
  identitySecretResponseSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { idParam, isClientId, readJson } from '../../lib/validate.js';
import { findPersonByContact } from '../persons/index.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { rotateIdentitySecret } from '../identity/index.js';
import { getVisibleSite } from '../sites/index.js';
import { auditExport, eraseVisitor, exportVisitor, privacyAudit } from './service.js';
import { describe } from '../../lib/openapi.js';
import { z } from 'zod';

// Visitor ids are client ids; the anonymous daily hash (`anon_…`) is one too.
const visitorIdParam = (c: Context<AppEnv>) => idParam(c, 'visitorId', 'Visitor', isClientId);

/**
 * The audit says whether a person used the dashboard or a script called the API: the dashboard's
 * `fetch` is same-origin (browsers send `Sec-Fetch-Site`), a script's request is not.
 */
export const viaOf = (c: Context<AppEnv>): 'dashboard' | 'api' =>
  c.req.header('sec-fetch-site') === 'same-origin' ? 'dashboard' : 'api';

/** `/api/sites/:id/privacy…`: visitor export and erasure (admins; audited), the audit, and the identity secret. */
export function privacyRoutes(deps: AppDeps) {
  const { db, logger } = deps;
  return (
    new Hono<AppEnv>()
      .use(requireAgent(deps))
      .get(
        '/:id/privacy/visitors/:visitorId/export',
        describe({
          tag: 'Privacy',
          summary: 'Export everything stored about a visitor',
          description: 'Audited.',
          access: 'admin',
          params: { id: 'Site id', visitorId: 'Visitor id' },
          responses: { 200: visitorExportSchema },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          const visitorId = visitorIdParam(c);
          const data = await exportVisitor(db, site, { visitorId });
          await auditExport(
            db,
            site.id,
            visitorId,
            { agentId: c.get('agent').id, via: viaOf(c) },
            Object.fromEntries(Object.entries(data.tables).map(([name, rows]) => [name, rows.length])),
          );
          c.header('Content-Disposition', `attachment; filename="beckon-visitor-${visitorId}.json"`);
          return c.json(data);
        },
      )
      .delete(
        '/:id/privacy/visitors/:visitorId',
        describe({
          tag: 'Privacy',
          summary: 'Erase a visitor',
          description: 'Audited.',
          access: 'admin',
          params: { id: 'Site id', visitorId: 'Visitor id' },
          responses: { 200: visitorErasureSchema },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          const erasure = await eraseVisitor(
            db,
            site.id,
            { visitorId: visitorIdParam(c) },
            { agentId: c.get('agent').id, via: viaOf(c) },
          );
          logger.info('visitor erased', {
            siteId: site.id,
            agentId: c.get('agent').id,
            rows: Object.values(erasure.deleted).reduce((a, b) => a + b, 0),
          });
          return c.json(erasure);
        },
      )
      // A request as people make them: "delete everything about ann@example.com" — the visitor id is never needed.
      .post(
        '/:id/privacy/requests',
        describe({
          tag: 'Privacy',
          summary: 'Export or erase a person by their email or phone',
          description: 'Answers the export, or the erasure, as the two routes above do.',
          access: 'admin',
          params: { id: 'Site id' },
          body: privacyRequestSchema,
          responses: { 200: z.union([visitorExportSchema, visitorErasureSchema]) },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          const request = await readJson(c, privacyRequestSchema);
          const person = await findPersonByContact(db, site.id, request);
          if (!person) throw new AppError('not_found', 'Nobody with that email or phone number on this site');
          const actor = { agentId: c.get('agent').id, via: viaOf(c) };
          if (request.action === 'erase') {
            const erasure = await eraseVisitor(db, site.id, { personId: person.id }, actor);
            logger.info('person erased', {
              siteId: site.id,
              agentId: actor.agentId,
              rows: Object.values(erasure.deleted).reduce((a, b) => a + b, 0),
            });
            return c.json(erasure);
          }
          const data = await exportVisitor(db, site, { personId: person.id });
          await auditExport(
            db,
            site.id,
            data.visitorId,
            actor,
            Object.fromEntries(Object.entries(data.tables).map(([name, rows]) => [name, rows.length])),
          );
          c.header('Content-Disposition', `attachment; filename="beckon-person-${person.id}.json"`);
          return c.json(data);
        },
      )
      .get(
        '/:id/privacy/audit',
        describe({
          tag: 'Privacy',
          summary: 'The audit of exports and erasures',
          access: 'admin',
          params: { id: 'Site id' },
          responses: { 200: privacyAuditSchema },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          return c.json({ entries: await privacyAudit(db, site.id) });
        },
      )
      .get(
        '/:id/identity-secret',
        describe({
          tag: 'Sites',
          summary: 'Whether the identity-verification secret is set',
          access: 'admin',
          params: { id: 'Site id' },
          responses: { 200: identitySecretStatusSchema },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          return c.json({
            configured: site.identitySecret !== null,
            rotatedAt: site.identitySecretRotatedAt?.toISOString() ?? null,
          });
        },
      )
      // Generates or rotates the secret and shows it this once; the old one stops verifying at once.
      .post(
        '/:id/identity-secret',
        describe({
          tag: 'Sites',
          summary: 'Rotate the identity-verification secret',
          description: 'The new secret is in the answer, once. The old one stops working at once.',
          access: 'admin',
          params: { id: 'Site id' },
          responses: { 200: identitySecretResponseSchema },
        }),
        requireAdmin(),
        async (c) => {
          const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
          const { secret, rotatedAt } = await rotateIdentitySecret(db, site.id);
          logger.info('identity secret rotated', { siteId: site.id, agentId: c.get('agent').id });
          c.header('Cache-Control', 'no-store');
          return c.json({ secret, rotatedAt: rotatedAt.toISOString() });
        },
      )
  );
}
