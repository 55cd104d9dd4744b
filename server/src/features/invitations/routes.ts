import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  createInvitationSchema,
  invitationReportSchema,
  pingSchema,
  liveAnswerSchema,
  invitationReportAnswerSchema,
  invitationListSchema,
  invitationAnswerSchema,
} from '@beckon/sdk/protocol';
import { isbot } from 'isbot';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { clientIp } from '../../lib/client-ip.js';
import { AppError } from '../../lib/errors.js';
import { idParam, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { publicCors, requireAllowedOrigin, findSiteByKey, getVisibleSite } from '../sites/index.js';
import { presencePush } from './presence.js';
import { inviteVisitor, ping, recentInvitations, reportInvitation } from './service.js';
import { describe } from '../../lib/openapi.js';

export const invitationLimits = {
  /** A visible tab pings every 8 s: 60 a minute leaves room for several tabs behind one address. */
  ping: { limit: 60, windowMs: 60_000 },
  /** Per agent: inviting is a deliberate click. */
  invite: { limit: 30, windowMs: 60_000 },
  maxBodyBytes: 2 * 1024,
};

const tooLarge = () => {
  throw new AppError('payload_too_large', `A request is at most ${invitationLimits.maxBodyBytes} bytes`);
};

// Per route: a sub-app's `use` would apply to every `/v1/*` route once mounted.
const small = () => bodyLimit({ maxSize: invitationLimits.maxBodyBytes, onError: tooLarge });

async function siteOf(deps: AppDeps, key: string) {
  const site = await findSiteByKey(deps.db, key);
  if (!site) throw new AppError('unknown_site', `No site with key "${key}"`);
  return site;
}

/** `POST /v1/ping` (the loader's keepalive) and `POST /v1/invitations/:id` (seen / declined), called by the widget. */
export function publicInvitationRoutes(deps: AppDeps) {
  const { db, limiter } = deps;
  const pushPresence = presencePush(deps);
  return new Hono<AppEnv>()
    .use(publicCors())
    .post(
      '/ping',
      describe({
        tag: 'Invitations',
        summary: 'Keep a visitor live (the loader’s keepalive)',
        description:
          'Sent while the tab is visible (analytics consent only); answers whether the visitor is hot and an agent’s waiting invitation.',
        access: 'public',
        body: pingSchema,
        errors: ['unknown_site', 'origin_not_allowed', 'rate_limited'],
        responses: { 200: liveAnswerSchema },
      }),
      small(),
      async (c) => {
        const body = await readJson(c, pingSchema);
        const site = await siteOf(deps, body.site);
        requireAllowedOrigin(c, site, c.req.header('origin'));
        await limiter.enforce(`ping:${site.id}:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`, invitationLimits.ping);
        if (isbot(c.req.header('user-agent') ?? '')) return c.json({});
        const { refreshed, ...answer } = await ping(db, site.id, body.visitorId);
        if (refreshed) pushPresence(site.id, body.visitorId);
        return c.json(answer);
      },
    )
    .post(
      '/invitations/:invitationId',
      describe({
        tag: 'Invitations',
        summary: 'Report an invitation seen or declined',
        access: 'public',
        params: { invitationId: 'Invitation id' },
        body: invitationReportSchema,
        errors: ['unknown_site', 'origin_not_allowed', 'rate_limited'],
        responses: { 200: invitationReportAnswerSchema },
      }),
      small(),
      async (c) => {
        const id = idParam(c, 'invitationId', 'Invitation');
        const body = await readJson(c, invitationReportSchema);
        const site = await siteOf(deps, body.site);
        requireAllowedOrigin(c, site, c.req.header('origin'));
        await limiter.enforce(`ping:${site.id}:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`, invitationLimits.ping);
        const invitation = await reportInvitation(deps, site.id, id, body.visitorId, body.state);
        return c.json({ state: invitation.state });
      },
    );
}

/** `/api/sites/:id/invitations`: any member of the site invites its live visitors and sees the invitations' state. */
export function invitationRoutes(deps: AppDeps) {
  const { db, limiter } = deps;
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/invitations',
      describe({
        tag: 'Invitations',
        summary: 'Recent invitations of a site',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: invitationListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(db, c.get('agent'), c.req.param('id'));
        return c.json({ invitations: await recentInvitations(db, site.id) });
      },
    )
    .post(
      '/:id/invitations',
      describe({
        tag: 'Invitations',
        summary: 'Invite a live visitor to chat',
        access: 'agent',
        params: { id: 'Site id' },
        body: createInvitationSchema,
        errors: ['conflict', 'rate_limited'],
        responses: { 201: invitationAnswerSchema },
      }),
      async (c) => {
        const agent = c.get('agent');
        const site = await getVisibleSite(db, agent, c.req.param('id'));
        const input = await readJson(c, createInvitationSchema);
        await limiter.enforce(`invite:${agent.id}`, invitationLimits.invite);
        return c.json({ invitation: await inviteVisitor(deps, agent, site.id, input) }, 201);
      },
    );
}
