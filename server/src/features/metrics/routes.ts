import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { findSession, sessionCookie } from '../auth/index.js';
import { exposition } from './exposition.js';
import { renderMetrics } from './server-metrics.js';
import { describe } from '../../lib/openapi.js';

// Digests have one length whatever was sent, so the comparison is constant-time and leaks no length.
const digest = (token: string) => createHash('sha256').update(token).digest();
const sameSecret = (sent: string, expected: string) => timingSafeEqual(digest(sent), digest(expected));

/**
 * `GET /api/metrics`: this node's metrics in Prometheus text format, for an admin's session (to look)
 * or a scraper's `Authorization: Bearer $BECKON_METRICS_TOKEN` (a scraper has no cookie). Anyone
 * else gets 401 (no or wrong credentials) or 403 (an agent who is not an admin).
 */
export function metricsRoutes(deps: Pick<AppDeps, 'db' | 'database' | 'config' | 'metrics'>) {
  const token = deps.config.BECKON_METRICS_TOKEN;
  return new Hono<AppEnv>().get(
    '/',
    describe({
      tag: 'Metrics',
      summary: 'This node’s metrics (Prometheus text format)',
      description: 'For a scraper with `BECKON_METRICS_TOKEN`, or an admin’s session.',
      access: 'metrics',
      errors: ['forbidden'],
      responses: { 200: { contentType: 'text/plain; version=0.0.4', description: 'Prometheus exposition' } },
    }),
    async (c) => {
      const authorization = c.req.header('authorization');
      if (authorization !== undefined) {
        const sent = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
        if (!token || !sent || !sameSecret(sent, token))
          throw new AppError('unauthorized', 'Wrong or unknown metrics token');
      } else {
        const found = await findSession(deps.db, getCookie(c, sessionCookie));
        if (!found)
          throw new AppError(
            'unauthorized',
            'Log in as an admin, or send Authorization: Bearer with BECKON_METRICS_TOKEN',
          );
        if (found.agent.role !== 'admin') throw new AppError('forbidden', 'Only admins can read metrics');
      }
      return c.body(await renderMetrics(deps.metrics, deps.database), 200, { 'content-type': exposition.contentType });
    },
  );
}
