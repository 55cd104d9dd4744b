import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AgentIdentity, AppDeps, AppEnv } from '../../app-env.js';
import { sameToken } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { isSameOriginRequest } from '../../lib/origin.js';
import { findSession, sessionCookie } from './service.js';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Requires a live agent session (cookie) and, for writes, the session's CSRF token in `x-csrf-token`.
 * A request that authenticated with an API key (features/api-keys, which already refused every route
 * its scopes do not name) acts as the key's creator and never looks at the cookie.
 * @example app.use('/api/sites/*', requireAgent(deps))
 */
export const requireAgent = ({ db }: Pick<AppDeps, 'db'>) =>
  createMiddleware<AppEnv>(async function requireAgent(c, next) {
    const apiKey = c.get('apiKey');
    if (apiKey) {
      c.set('agent', apiKey.agent);
      await next();
      return;
    }
    const found = await findSession(db, getCookie(c, sessionCookie));
    if (!found) throw new AppError('unauthorized', 'Log in to continue');
    if (unsafeMethods.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!sameToken(sent, found.session.csrfToken)) {
        throw new AppError('csrf_failed', 'Missing or wrong x-csrf-token header; reload the dashboard');
      }
    }
    c.set('agent', found.agent);
    c.set('session', found.session);
    await next();
  });

/**
 * The agent whose cookie session sent this request, with the CSRF token checked for writes exactly as
 * `requireAgent` checks it; null when either is missing or wrong (the route's `requireAgent` then refuses the
 * request as usual). For layers in front of the routes that act per agent (features/api-keys' idempotency).
 */
export async function sessionAgent({ db }: Pick<AppDeps, 'db'>, c: Context): Promise<AgentIdentity | null> {
  const found = await findSession(db, getCookie(c, sessionCookie));
  if (!found) return null;
  if (unsafeMethods.has(c.req.method) && !sameToken(c.req.header('x-csrf-token') ?? '', found.session.csrfToken))
    return null;
  return found.agent;
}

export const requireAdmin = () =>
  createMiddleware<AppEnv>(async function requireAdmin(c, next) {
    if (c.get('agent').role !== 'admin') throw new AppError('forbidden', 'Only admins can do this');
    await next();
  });

/**
 * Refuses `/api/` writes that another site's page made (403 `origin_not_allowed`). Cookie-authenticated
 * writes also need the CSRF token, so this is their second defence; login and invite acceptance have no
 * session yet, so for them it is the defence against signing a victim's browser into someone's account.
 * @example app.use('/api/*', sameOriginWrites(deps))
 */
export const sameOriginWrites = ({ config }: Pick<AppDeps, 'config'>) => {
  const publicOrigin = config.BECKON_PUBLIC_URL ? new URL(config.BECKON_PUBLIC_URL).origin : undefined;
  return createMiddleware<AppEnv>(async function sameOriginWrites(c, next) {
    if (unsafeMethods.has(c.req.method)) {
      const source = {
        secFetchSite: c.req.header('sec-fetch-site'),
        origin: c.req.header('origin'),
        host: new URL(c.req.url).host,
      };
      if (!isSameOriginRequest(source, publicOrigin)) {
        throw new AppError('origin_not_allowed', 'The dashboard API accepts writes only from the dashboard itself');
      }
    }
    await next();
  });
};

/**
 * `Cache-Control: no-store` on every answer that did not choose its own: `/api/` answers carry session
 * data (`/api/me` the CSRF token, the rest leads and conversations) that no browser cache or proxy may keep.
 * @example app.use('/api/*', noStore())
 */
export const noStore = () =>
  createMiddleware(async function noStore(c, next) {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store');
  });

/**
 * Requires an `application/json` body (415 otherwise). For routes that start a session: a cross-site
 * form can post `text/plain` or form bodies without a CORS preflight, but never `application/json`.
 * @example .post('/login', jsonBodyOnly(), handler)
 */
export const jsonBodyOnly = () =>
  createMiddleware(async function jsonBodyOnly(c, next) {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new AppError('unsupported_media_type', 'Send the body as application/json');
    await next();
  });
