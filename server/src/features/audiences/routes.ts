import { Hono } from 'hono';
import {
  audienceInputSchema,
  pixelsUpdateSchema,
  audienceListSchema,
  audienceAnswerSchema,
  pixelsAnswerSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { idParam, readJson } from '../../lib/validate.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { createAudience, deleteAudience, listAudiences, setPixels, updateAudience } from './service.js';
import { describe } from '../../lib/openapi.js';

export const maxAudiencesPerSite = 50;

/** `/api/sites/:id/audiences…` and `/pixels`: members read, admins change. */
export function audienceRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/audiences',
      describe({
        tag: 'Audiences',
        summary: 'List audiences and the site’s pixels',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: audienceListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({ audiences: await listAudiences(db, site.id), pixels: site.pixels });
      },
    )
    .post(
      '/:id/audiences',
      describe({
        tag: 'Audiences',
        summary: 'Create an audience',
        access: 'admin',
        params: { id: 'Site id' },
        body: audienceInputSchema,
        errors: ['conflict'],
        responses: { 201: audienceAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const input = await readJson(c, audienceInputSchema);
        if ((await listAudiences(db, site.id)).length >= maxAudiencesPerSite)
          throw new AppError('validation_failed', `A site has at most ${maxAudiencesPerSite} audiences`);
        return c.json({ audience: await createAudience(db, site.id, input) }, 201);
      },
    )
    .put(
      '/:id/audiences/:audienceId',
      describe({
        tag: 'Audiences',
        summary: 'Change an audience',
        access: 'admin',
        params: { id: 'Site id', audienceId: 'Audience id' },
        body: audienceInputSchema,
        errors: ['conflict'],
        responses: { 200: audienceAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const id = idParam(c, 'audienceId', 'Audience');
        return c.json({ audience: await updateAudience(db, site.id, id, await readJson(c, audienceInputSchema)) });
      },
    )
    .delete(
      '/:id/audiences/:audienceId',
      describe({
        tag: 'Audiences',
        summary: 'Delete an audience',
        access: 'admin',
        params: { id: 'Site id', audienceId: 'Audience id' },
        responses: { 204: null },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        await deleteAudience(db, site.id, idParam(c, 'audienceId', 'Audience'));
        return c.body(null, 204);
      },
    )
    .put(
      '/:id/pixels',
      describe({
        tag: 'Audiences',
        summary: 'Set the site’s pixels',
        access: 'admin',
        params: { id: 'Site id' },
        body: pixelsUpdateSchema,
        responses: { 200: pixelsAnswerSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        const { pixels } = await readJson(c, pixelsUpdateSchema);
        return c.json({ pixels: await setPixels(db, site.id, pixels) });
      },
    );
}
