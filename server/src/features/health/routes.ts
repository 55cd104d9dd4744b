import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { unavailableRetryAfterSeconds } from '../../lib/errors.js';

/** A load balancer gives up on a check after about a second: the answer must come before that, outage or not. */
export const healthPingTimeoutMs = 800;

export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const { kind } = deps.database;
    const unavailable = (reason: string, message: string) => {
      c.header('Retry-After', String(unavailableRetryAfterSeconds));
      return c.json({ status: 'unavailable', database: { kind, reachable: false, reason, message } }, 503);
    };
    // Known to be down (unreachable, or the embedded database's disk is full): say so without waiting.
    const known = deps.database.availability();
    if (!known.available)
      return unavailable(known.reason ?? 'unreachable', known.message ?? 'The database is unavailable');
    try {
      await deps.database.ping(healthPingTimeoutMs);
      return c.json({ status: 'ok', database: { kind, reachable: true } });
    } catch (error) {
      deps.logger.warn('health check failed', { error: error instanceof Error ? error.message : String(error) });
      return unavailable('unreachable', error instanceof Error ? error.message : 'The database did not answer');
    }
  });
}
