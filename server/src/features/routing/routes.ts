import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import { Hono } from 'hono';
import {
  routingSettingsSchema,
  teamInputSchema,
  routingPageSchema,
  routingSettingsAnswerSchema,
  teamListAnswerSchema,
  teamAnswerSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { agentsTable, siteMembersTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { idParam, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { getVisibleSite } from '../sites/index.js';
import { deleteTeam, listTeams, routingSettingsOf, saveRoutingSettings, saveTeam } from './service.js';
import { describe } from '../../lib/openapi.js';

/**
 * `/api/sites/:id/routing` and `/api/sites/:id/teams`: every agent of the site reads, admins edit. The
 * site check comes first, so another site's rules and teams answer "not found" to anyone who cannot see it.
 */
export function routingRoutes(deps: AppDeps) {
  const { db } = deps;
  const adminSite = async (agent: AppEnv['Variables']['agent'], siteId: string) => {
    const site = await getVisibleSite(db, agent, siteId);
    if (agent.role !== 'admin') throw new AppError('forbidden', 'Only admins can do this');
    return site;
  };
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/routing',
      describe({
        tag: 'Routing',
        summary: 'Routing rules, teams and the agents they may target',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: routingPageSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        // The agents a rule or team may name: the site's members and every admin.
        const agents = await db
          .selectDistinct({ id: agentsTable.id, name: agentsTable.name, email: agentsTable.email })
          .from(agentsTable)
          .leftJoin(
            siteMembersTable,
            and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, site.id)),
          )
          .where(or(eq(agentsTable.role, 'admin'), isNotNull(siteMembersTable.siteId)))
          .orderBy(asc(agentsTable.name));
        return c.json({ settings: await routingSettingsOf(db, site.id), teams: await listTeams(db, site.id), agents });
      },
    )
    .put(
      '/:id/routing',
      describe({
        tag: 'Routing',
        summary: 'Save the routing rules',
        description: 'The whole ordered list; the first matching rule decides.',
        access: 'admin',
        params: { id: 'Site id' },
        body: routingSettingsSchema,
        responses: { 200: routingSettingsAnswerSchema },
      }),
      async (c) => {
        const site = await adminSite(c.get('agent'), c.req.param('id'));
        const settings = await saveRoutingSettings(db, site.id, await readJson(c, routingSettingsSchema));
        deps.logger.info('routing rules saved', {
          siteId: site.id,
          agentId: c.get('agent').id,
          rules: settings.rules.length,
        });
        return c.json({ settings });
      },
    )
    .get(
      '/:id/teams',
      describe({
        tag: 'Routing',
        summary: 'List teams',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: teamListAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({ teams: await listTeams(db, site.id) });
      },
    )
    .post(
      '/:id/teams',
      describe({
        tag: 'Routing',
        summary: 'Create a team',
        access: 'admin',
        params: { id: 'Site id' },
        body: teamInputSchema,
        errors: ['conflict'],
        responses: { 201: teamAnswerSchema },
      }),
      async (c) => {
        const site = await adminSite(c.get('agent'), c.req.param('id'));
        const team = await saveTeam(db, site.id, await readJson(c, teamInputSchema));
        deps.logger.info('team created', { siteId: site.id, teamId: team.id, agentId: c.get('agent').id });
        return c.json({ team }, 201);
      },
    )
    .put(
      '/:id/teams/:teamId',
      describe({
        tag: 'Routing',
        summary: 'Change a team',
        access: 'admin',
        params: { id: 'Site id', teamId: 'Team id' },
        body: teamInputSchema,
        errors: ['conflict'],
        responses: { 200: teamAnswerSchema },
      }),
      async (c) => {
        const site = await adminSite(c.get('agent'), c.req.param('id'));
        const team = await saveTeam(db, site.id, await readJson(c, teamInputSchema), idParam(c, 'teamId', 'Team'));
        return c.json({ team });
      },
    )
    .delete(
      '/:id/teams/:teamId',
      describe({
        tag: 'Routing',
        summary: 'Delete a team',
        access: 'admin',
        params: { id: 'Site id', teamId: 'Team id' },
        errors: ['conflict'],
        responses: { 204: null },
      }),
      async (c) => {
        const site = await adminSite(c.get('agent'), c.req.param('id'));
        const teamId = idParam(c, 'teamId', 'Team');
        await deleteTeam(db, site.id, teamId);
        deps.logger.info('team deleted', { siteId: site.id, teamId, agentId: c.get('agent').id });
        return c.body(null, 204);
      },
    );
}
