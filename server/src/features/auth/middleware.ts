import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from 'node:crypto';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { findSession, sessionCookie } from './service.js';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Requires a live agent session (cookie) and, for writes, the session's CSRF token in `x-csrf-token`.
 * @example app.use('/api/sites/*', requireAgent(deps))
 */
export const requireAgent = ({ db }: Pick<AppDeps, 'db'>) =>
  createMiddleware<AppEnv>(async function requireAgent(c, next) {
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

export const requireAdmin = () =>
  createMiddleware<AppEnv>(async function requireAdmin(c, next) {
    if (c.get('agent').role !== 'admin') throw new AppError('forbidden', 'Only admins can do this');
    await next();
  });
