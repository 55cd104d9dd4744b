import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { loginSchema, type Me } from '@beckon/sdk/protocol';
import type { AgentIdentity, AppDeps, AppEnv, AuthedSession } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { readJson } from '../../lib/validate.js';
import { clientIp } from '../../lib/client-ip.js';
import { listVisibleSites, toSite } from '../sites/service.js';
import { requireAgent } from './middleware.js';
import { createSession, revokeSession, sessionCookie, sessionTtlMs, verifyCredentials } from './service.js';

/**
 * Login throttles on failed attempts: per address (a password sprayer) and per account (a targeted
 * guesser). Successful logins do not count, so a team behind one office address can sign in all day.
 */
export const loginLimits = {
  perIp: { limit: 20, windowMs: 15 * 60_000 },
  perEmail: { limit: 10, windowMs: 15 * 60_000 },
};

export async function buildMe(deps: Pick<AppDeps, 'db'>, agent: AgentIdentity, session: Pick<AuthedSession, 'csrfToken'>): Promise<Me> {
  const sites = await listVisibleSites(deps.db, agent);
  return { agent, sites: sites.map(toSite), csrfToken: session.csrfToken };
}

const isHttps = (c: Context, trustProxy: boolean) =>
  new URL(c.req.url).protocol === 'https:' || (trustProxy && c.req.header('x-forwarded-proto') === 'https');

/** Starts a session for an agent and sets the cookie; shared by login and invite acceptance. */
export async function startSession(deps: AppDeps, c: Context, agent: AgentIdentity): Promise<Me> {
  const session = await createSession(deps.db, agent.id);
  setCookie(c, sessionCookie, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, deps.config.BECKON_TRUST_PROXY),
    path: '/',
    maxAge: Math.floor(sessionTtlMs / 1000),
  });
  return buildMe(deps, agent, session);
}

export function authRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { email, password } = await readJson(c, loginSchema);
      const message = 'Too many login attempts; try again later';
      const ipKey = `login:ip:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`;
      const emailKey = `login:email:${email}`;
      deps.limiter.enforceRemaining(ipKey, loginLimits.perIp, message);
      deps.limiter.enforceRemaining(emailKey, loginLimits.perEmail, message);
      const agent = await verifyCredentials(deps.db, email, password);
      if (!agent) {
        deps.limiter.hit(ipKey, loginLimits.perIp);
        deps.limiter.hit(emailKey, loginLimits.perEmail);
        throw new AppError('unauthorized', 'Wrong email or password');
      }
      deps.limiter.reset(emailKey);
      deps.logger.info('agent logged in', { agentId: agent.id, ip: c.get('ipHash') });
      return c.json(await startSession(deps, c, agent));
    })
    .post('/logout', requireAgent(deps), async (c) => {
      const session = c.get('session');
      await revokeSession(deps.db, session.id);
      deps.realtime.endSession(session.id);
      deleteCookie(c, sessionCookie, { path: '/' });
      return c.body(null, 204);
    });
}

export function meRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', requireAgent(deps), async (c) => c.json(await buildMe(deps, c.get('agent'), c.get('session'))));
}
