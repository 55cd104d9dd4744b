import { Hono } from 'hono';
import { z } from 'zod';
import { acceptInviteSchema, inviteAgentSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { idParam, readJson } from '../../lib/validate.js';
import { clientIp } from '../../lib/client-ip.js';
import { requireAdmin, requireAgent } from '../auth/middleware.js';
import { loginLimits, startSession } from '../auth/routes.js';
import { acceptInvite, inviteAgent, listTeam, setAgentSites, validateInviteSites } from './service.js';

const agentSitesSchema = z.object({ siteIds: z.array(z.uuid()).max(500) });

export function teamRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps), requireAdmin())
    .get('/', async (c) => c.json({ agents: await listTeam(db) }))
    .post('/invites', async (c) => {
      const input = await readJson(c, inviteAgentSchema);
      await validateInviteSites(db, input.siteIds);
      const invite = await inviteAgent(db, c.get('agent').id, input);
      deps.logger.info('agent invited', { agentId: invite.agent.id, by: c.get('agent').id });
      return c.json(invite, 201);
    })
    .put('/:id/sites', async (c) => {
      const agentId = idParam(c, 'id', 'Agent');
      const { siteIds } = await readJson(c, agentSitesSchema);
      const { added, removed } = await setAgentSites(db, agentId, siteIds);
      for (const siteId of added) realtime.joinSite(agentId, siteId);
      for (const siteId of removed) realtime.leaveSite(agentId, siteId);
      const agent = (await listTeam(db)).find((member) => member.id === agentId);
      return c.json({ agent });
    });
}

export function inviteRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/accept', async (c) => {
    // Invite tokens are guessable only by brute force; the login throttle per address covers it.
    deps.limiter.enforce(`login:ip:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`, loginLimits.perIp);
    const { token, password } = await readJson(c, acceptInviteSchema);
    const agent = await acceptInvite(deps.db, token, password);
    return c.json(await startSession(deps, c, agent));
  });
}
