import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { loginSchema, updateMeSchema, type Me, meSchema } from '@beckon/sdk/protocol';
import { agentsTable } from '../../db/schema.js';
import type { AgentIdentity, AppDeps, AppEnv, AuthedSession } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { readJson } from '../../lib/validate.js';
import { clientIp, limitAddress } from '../../lib/client-ip.js';
import { rememberDevice, knownDeviceId } from './device.js';
import { loginThrottle } from './login-throttle.js';
import { jsonBodyOnly, requireAgent } from './middleware.js';
import { visibleSitesOf } from './visible-sites.js';
import {
  checkPassword,
  createSession,
  findLoginAccount,
  revokeSession,
  sessionCookie,
  sessionTtlMs,
} from './service.js';
import { describe } from '../../lib/openapi.js';

export { loginLimits } from './login-throttle.js';

export async function buildMe(
  deps: Pick<AppDeps, 'db'>,
  agent: AgentIdentity,
  session: Pick<AuthedSession, 'csrfToken'>,
): Promise<Me> {
  const [sites, [row]] = await Promise.all([
    visibleSitesOf(deps.db, agent),
    deps.db.select({ language: agentsTable.language }).from(agentsTable).where(eq(agentsTable.id, agent.id)),
  ]);
  return { agent, sites, csrfToken: session.csrfToken, language: row?.language ?? null };
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
  const throttle = loginThrottle(deps.limiter);
  return new Hono<AppEnv>()
    .post(
      '/login',
      describe({
        tag: 'Auth',
        summary: 'Log in',
        description:
          'Sets the session cookie (`beckon_session`) and answers who is logged in, with the CSRF token writes need. Failed logins are throttled per address, account and device.',
        access: 'public',
        body: loginSchema,
        errors: ['unauthorized', 'rate_limited'],
        responses: { 200: meSchema },
      }),
      jsonBodyOnly(),
      async (c) => {
        const { email, password } = await readJson(c, loginSchema);
        const account = await findLoginAccount(deps.db, email);
        const attempt = {
          ip: limitAddress(clientIp(c, deps.config.BECKON_TRUST_PROXY)),
          email,
          deviceId: knownDeviceId(c, account),
        };
        await throttle.admit(attempt);
        const agent = await checkPassword(account, password);
        if (!agent || !account) {
          await throttle.failed(attempt);
          throw new AppError('unauthorized', 'Wrong email or password');
        }
        await throttle.succeeded(attempt);
        deps.logger.info('agent logged in', {
          agentId: agent.id,
          ip: c.get('ipHash'),
          knownDevice: attempt.deviceId !== null,
        });
        const me = await startSession(deps, c, agent);
        // After the session cookie, so clients reading the first Set-Cookie still find the session.
        rememberDevice(c, account, attempt.deviceId, isHttps(c, deps.config.BECKON_TRUST_PROXY));
        return c.json(me);
      },
    )
    .post(
      '/logout',
      describe({
        tag: 'Auth',
        summary: 'Log out',
        description: 'Ends the session and its live connections.',
        access: 'agent',
        responses: { 204: null },
      }),
      requireAgent(deps),
      async (c) => {
        const session = c.get('session');
        await revokeSession(deps.db, session.id);
        deps.realtime.endSession(session.id);
        deleteCookie(c, sessionCookie, { path: '/' });
        return c.body(null, 204);
      },
    );
}

export function meRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      '/',
      describe({
        tag: 'Auth',
        summary: 'The logged-in agent, their sites and CSRF token',
        access: 'agent',
        responses: { 200: meSchema },
      }),
      requireAgent(deps),
      async (c) => c.json(await buildMe(deps, c.get('agent'), c.get('session'))),
    )
    .patch(
      '/',
      describe({
        tag: 'Auth',
        summary: 'Change the agent’s own preferences',
        access: 'agent',
        body: updateMeSchema,
        responses: { 200: meSchema },
      }),
      requireAgent(deps),
      jsonBodyOnly(),
      async (c) => {
        // The agent's own preferences (today: the dashboard language, so it follows them to every browser).
        const { language } = await readJson(c, updateMeSchema);
        const agent = c.get('agent');
        await deps.db.update(agentsTable).set({ language }).where(eq(agentsTable.id, agent.id));
        return c.json(await buildMe(deps, agent, c.get('session')));
      },
    );
}
