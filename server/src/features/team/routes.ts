import { Hono } from 'hono';
import {
  acceptInviteSchema,
  inviteAgentSchema,
  teamListSchema,
  inviteCreatedSchema,
  agentSitesSchema,
  teamMemberAnswerSchema,
  meSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { notFound } from '../../lib/errors.js';
import { idParam, readJson } from '../../lib/validate.js';
import { clientIp } from '../../lib/client-ip.js';
import { requireAdmin, requireAgent, loginLimits, startSession } from '../auth/index.js';
import { acceptInvite, inviteAgent, listTeam, setAgentSites, validateInviteSites } from './service.js';
import { publicUrlOf } from '../callbacks/index.js';
import { agentLanguage, formatUtc } from '../../lib/i18n.js';
import { inviteTexts } from './emails/index.js';
import { describe } from '../../lib/openapi.js';

/**
 * With SMTP configured the invite link goes to the teammate by email; the admin still sees it once (to
 * copy) in case the mail is lost. A failing mail server never fails the invite: the answer says it was not sent.
 * Written in the invitee's language when one is stored, else in the inviter's (who likely shares it).
 */
export async function emailInvite(
  deps: AppDeps,
  inviter: { name: string },
  invite: Awaited<ReturnType<typeof inviteAgent>>,
  publicUrl: string,
): Promise<string | null> {
  if (!deps.mailer) return null;
  const language = agentLanguage(invite.agent, agentLanguage(inviter));
  const t = inviteTexts(language);
  try {
    await deps.mailer.send({
      to: [invite.agent.email],
      subject: t('subject', { inviter: inviter.name }),
      text: [
        t('greeting', { name: invite.agent.name }),
        '',
        t('body', { inviter: inviter.name }),
        '',
        `${publicUrl}${invite.acceptUrl}`,
        '',
        t('expires', { date: formatUtc(language, invite.expiresAt) }),
      ].join('\n'),
    });
    return invite.agent.email;
  } catch (error) {
    deps.logger.error('invite email failed', { error, agentId: invite.agent.id });
    return null;
  }
}

export function teamRoutes(deps: AppDeps) {
  const { db, realtime } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps), requireAdmin())
    .get(
      '/',
      describe({ tag: 'Team', summary: 'List agents', access: 'admin', responses: { 200: teamListSchema } }),
      async (c) => c.json({ agents: await listTeam(db) }),
    )
    .post(
      '/invites',
      describe({
        tag: 'Team',
        summary: 'Invite an agent',
        description: 'The answer holds the one-time link to set a password (emailed too when SMTP is configured).',
        access: 'admin',
        body: inviteAgentSchema,
        errors: ['conflict'],
        responses: { 201: inviteCreatedSchema },
      }),
      async (c) => {
        const input = await readJson(c, inviteAgentSchema);
        await validateInviteSites(db, input.siteIds);
        const invite = await inviteAgent(db, c.get('agent').id, input);
        deps.logger.info('agent invited', { agentId: invite.agent.id, by: c.get('agent').id });
        return c.json(
          { ...invite, emailedTo: await emailInvite(deps, c.get('agent'), invite, publicUrlOf(deps, c)) },
          201,
        );
      },
    )
    .put(
      '/:id/sites',
      describe({
        tag: 'Team',
        summary: 'Set the sites an agent works on',
        access: 'admin',
        params: { id: 'Agent id' },
        body: agentSitesSchema,
        responses: { 200: teamMemberAnswerSchema },
      }),
      async (c) => {
        const agentId = idParam(c, 'id', 'Agent');
        const { siteIds } = await readJson(c, agentSitesSchema);
        const { added, removed } = await setAgentSites(db, agentId, siteIds);
        for (const siteId of added) realtime.joinSite(agentId, siteId);
        for (const siteId of removed) realtime.leaveSite(agentId, siteId);
        const agent = (await listTeam(db)).find((member) => member.id === agentId);
        if (!agent) throw notFound('Agent');
        return c.json({ agent });
      },
    );
}

export function inviteRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/accept',
    describe({
      tag: 'Team',
      summary: 'Accept an invite',
      description: 'Sets the password and starts a session, as a login does.',
      access: 'public',
      body: acceptInviteSchema,
      errors: ['rate_limited', 'not_found'],
      responses: { 200: meSchema },
    }),
    async (c) => {
      // Invite tokens are guessable only by brute force: as many tries per address as failed logins. A
      // key of its own: login counts only failures, and an accepted invite is no failed login.
      await deps.limiter.enforce(`invite-accept:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`, loginLimits.perIp);
      const { token, password } = await readJson(c, acceptInviteSchema);
      const agent = await acceptInvite(deps.db, token, password);
      return c.json(await startSession(deps, c, agent));
    },
  );
}
