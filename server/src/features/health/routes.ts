import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env.js';

export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await deps.database.ping();
      return c.json({ status: 'ok', database: { kind: deps.database.kind, reachable: true } });
    } catch (error) {
      deps.logger.error('health check failed', { error });
      return c.json({ status: 'unavailable', database: { kind: deps.database.kind, reachable: false } }, 503);
    }
  });
}
