import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { idempotencyKeySchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { clientIp, limitAddress, truncateIp } from '../../lib/client-ip.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError, notFound } from '../../lib/errors.js';
import { routeAccess } from './access.js';
import { idempotencyKeysTable } from './schema.js';
import { authenticateApiKey, touchApiKey, type KeyRefusal } from './service.js';

/** Refused keys one address may send per minute before it gets 429s. */
export const refusedPerAddress = { limit: 30, windowMs: 60_000 };

const refusals: Record<KeyRefusal, string> = {
  malformed: 'Invalid API key',
  unknown: 'Invalid API key',
  revoked: 'This API key was revoked',
  expired: 'This API key has expired',
  creator_not_admin: 'The admin who created this API key is no longer an admin; create a new key',
};

/**
 * `Authorization: Bearer bk_live_…` on `/api`: authenticates the key (401 when wrong, expired or revoked,
 * before anything runs), refuses routes its scopes do not name (403) and sites it is not limited to (404,
 * as for an agent), counts it against its per-key limit (`RateLimit-*` headers, 429 + `Retry-After`), then
 * lets the route run as the key's creator (`requireAgent` reads `apiKey` and never the cookie, so a
 * request carrying both is exactly as strong as its key). Requests without a `bk_` Bearer token pass untouched
 * to the cookie session and its CSRF check (`/api/metrics` reads its own Bearer token, which is not a key).
 * @example app.use('/api/*', apiKeyAuth(deps))
 */
export const apiKeyAuth = (deps: Pick<AppDeps, 'db' | 'config' | 'limiter' | 'logger'>) =>
  createMiddleware<AppEnv>(async function apiKeyAuth(c, next) {
    // Other credentials are not ours to judge: a proxy's Basic auth in front of a staging dashboard, the
    // metrics scraper's Bearer token (`/api/metrics` checks it). Without a key they get no key's rights.
    const token = /^bearer\s+(bk_\S*)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return next();
    const found = await authenticateApiKey(deps.db, token);
    if ('refused' in found) {
      // Keys cannot be guessed (256 bits), but an address sending wrong ones all day still costs a look-up each.
      await deps.limiter.enforce(
        `api-key-refused:${limitAddress(clientIp(c, deps.config.BECKON_TRUST_PROXY))}`,
        refusedPerAddress,
        'Too many requests with invalid API keys',
      );
      c.header('WWW-Authenticate', 'Bearer realm="beckon", error="invalid_token"');
      throw new AppError('unauthorized', refusals[found.refused]);
    }
    const { key } = found;

    const limit = deps.config.BECKON_API_KEY_RATE_LIMIT;
    const window = await deps.limiter.hitWindow(`api-key:${key.id}`, { limit, windowMs: 60_000 });
    const rateHeaders = {
      'RateLimit-Limit': String(limit),
      'RateLimit-Remaining': String(Math.max(0, limit - window.count)),
      'RateLimit-Reset': String(window.resetSeconds),
    };
    if (window.count > limit) {
      throw new AppError('rate_limited', `This API key made more than ${limit} requests this minute`, undefined, {
        ...rateHeaders,
        'Retry-After': String(window.resetSeconds),
      });
    }
    for (const [name, value] of Object.entries(rateHeaders)) c.header(name, value);

    const access = routeAccess(
      c.req.method === 'HEAD' ? 'GET' : c.req.method,
      c.req.path,
      new URL(c.req.url).searchParams,
    );
    if (!access) throw new AppError('forbidden', 'API keys cannot use this route; it needs a dashboard login');
    if (!key.scopes.includes(access.scope))
      throw new AppError('forbidden', `This API key lacks the ${access.scope} scope`);
    if (key.siteIds && access.siteId !== null && !key.siteIds.includes(access.siteId)) throw notFound('Site');

    await touchApiKey(deps.db, key.id, truncateIp(clientIp(c, deps.config.BECKON_TRUST_PROXY))).catch((error) =>
      deps.logger.warn('api key last-used not recorded', { keyId: key.id, error: String(error) }),
    );
    c.set('apiKey', key);
    await next();
  });

export const idempotencyTtlMs = 24 * 60 * 60 * 1000;
const abandonedAfterMs = 5 * 60 * 1000;

/**
 * `Idempotency-Key` on the POSTs of API keys: the first request with a key runs and its answer (below 500)
 * is kept for a day; the same key with the same method, path and body gets that answer again
 * (`Idempotent-Replayed: true`) and runs nothing; with another body, or while the first is still running,
 * 409. Keys are per API key, so two integrations cannot collide. Failed answers (5xx) are forgotten so a
 * retry runs again.
 * @example routes.post('/outcomes', idempotent(deps), handler)
 */
export const idempotent = ({ db }: Pick<AppDeps, 'db'>) =>
  createMiddleware<AppEnv>(async function idempotent(c, next) {
    const apiKey = c.get('apiKey');
    const sent = c.req.header('idempotency-key');
    if (!apiKey || sent === undefined) return next();
    const parsed = idempotencyKeySchema.safeParse(sent);
    if (!parsed.success)
      throw new AppError('validation_failed', 'Idempotency-Key must be 8–200 printable ASCII characters');
    const key = parsed.data;
    const requestHash = sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const now = new Date();
    const own = and(eq(idempotencyKeysTable.apiKeyId, apiKey.id), eq(idempotencyKeysTable.key, key));

    // An expired answer is forgotten; so is a claim whose request died with its node minutes ago.
    await db
      .delete(idempotencyKeysTable)
      .where(
        and(
          own,
          or(
            lt(idempotencyKeysTable.expiresAt, now),
            and(
              isNull(idempotencyKeysTable.status),
              lt(idempotencyKeysTable.createdAt, new Date(now.getTime() - abandonedAfterMs)),
            ),
          ),
        ),
      );
    const [claimed] = await db
      .insert(idempotencyKeysTable)
      .values({
        apiKeyId: apiKey.id,
        key,
        requestHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + idempotencyTtlMs),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeysTable.key });
    if (!claimed) {
      const [stored] = await db.select().from(idempotencyKeysTable).where(own);
      if (!stored) throw new AppError('conflict', 'That Idempotency-Key was just released; send the request again');
      if (stored.requestHash !== requestHash)
        throw new AppError(
          'conflict',
          'This Idempotency-Key was used with another request; use a new key for a new request',
        );
      if (stored.status === null)
        throw new AppError('conflict', 'A request with this Idempotency-Key is still running; retry shortly');
      return c.body(stored.body ?? '', stored.status as 200, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
      });
    }

    let status = 500;
    let body = '';
    try {
      // A route's thrown error is already an answer here (Hono's onError runs at the layer that threw).
      await next();
      status = c.res.status;
      if (status < 500) body = await c.res.clone().text();
    } finally {
      if (status < 500) await db.update(idempotencyKeysTable).set({ status, body }).where(own);
      else await db.delete(idempotencyKeysTable).where(own);
    }
  });
