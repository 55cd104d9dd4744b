import { Hono } from 'hono';
import { limitBody } from './lib/body-limit.js';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './app-env.js';
import { assetRoutes } from './features/assets/index.js';
import { authRoutes, meRoutes, noStore, provideVisibleSites, sameOriginWrites } from './features/auth/index.js';
import { publicCallbackRoutes, siteCallbackRoutes } from './features/callbacks/index.js';
import { conversationRoutes, siteChatRoutes } from './features/chat/index.js';
import { audienceRoutes } from './features/audiences/index.js';
import { publicRoutes, siteCollectRoutes } from './features/collect/index.js';
import { publicFeedbackRoutes, siteFeedbackRoutes } from './features/feedback/index.js';
import { consentPublicRoutes } from './features/consent/index.js';
import { privacyRoutes } from './features/privacy/index.js';
import { healthRoutes } from './features/health/index.js';
import { routingRoutes } from './features/routing/index.js';
import { copyTemplateScoring, scoringRoutes } from './features/scoring/index.js';
import { listVisibleSites, onSiteCreated, siteRoutes, toSite } from './features/sites/index.js';
import { inviteRoutes, teamRoutes } from './features/team/index.js';
import { visitorRoutes } from './features/visitors/index.js';
import { leadRoutes } from './features/leads/index.js';
import { webhookRoutes } from './features/webhooks/index.js';
import { triggerRoutes } from './features/triggers/index.js';
import { metricsRoutes } from './features/metrics/index.js';
import { invitationRoutes, publicInvitationRoutes } from './features/invitations/index.js';
import { clientIp, hashIp } from './lib/client-ip.js';
import { personRoutes } from './features/person-page/index.js';
import { apiKeyAuth, apiKeyRoutes, idempotent, integrationRoutes } from './features/api-keys/index.js';
import { reportRoutes } from './features/reports/index.js';
import { AppError, errorBody, handleError } from './lib/errors.js';
import { openApiRoutes } from './openapi.js';

export type { AppDeps } from './app-env.js';

/** Default cap for any request body; the widget endpoints set tighter ones. */
export const maxBodyBytes = 256 * 1024;
/** The two bulk writes (10,000 outcomes, 10,000 imported events) carry more; still bounded. */
export const maxBulkBodyBytes = 6 * 1024 * 1024;
const bulkWrites = [
  { method: 'PUT', path: /^\/api\/sites\/[0-9a-fA-F-]{36}\/outcomes$/ },
  { method: 'POST', path: /^\/api\/sites\/[0-9a-fA-F-]{36}\/events\/import$/ },
];
const isBulkWrite = (method: string, path: string) =>
  bulkWrites.some((bulk) => bulk.method === method && bulk.path.test(path));

const dashboardCsp = {
  defaultSrc: ["'self'"],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/**
 * Ports between features, wired here because the feature below cannot import the one above it (ARCHITECTURE.md,
 * "Module boundaries"). Each call is idempotent, so building several apps in one process (tests) is fine.
 */
function wireFeatures(): void {
  provideVisibleSites(async (db, agent) => (await listVisibleSites(db, agent)).map(toSite));
  onSiteCreated(copyTemplateScoring);
}

export function createApp(deps: AppDeps) {
  wireFeatures();
  const app = new Hono<AppEnv>();
  app.onError(handleError(deps.logger));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  app.use(async function requestLog(c, next) {
    const started = performance.now();
    await deps.ready;
    // Hashed on demand: most requests log nothing above the configured level, and the hash is a SHA-256.
    let ipHash: string | undefined;
    c.set('ipHash', () => (ipHash ??= hashIp(clientIp(c, deps.config.BECKON_TRUST_PROXY))));
    await next();
    // Paths only, never query strings: invite tokens and visitor data travel there.
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ip: c.get('ipHash'),
    });
  });
  const bodyLimit = (maxSize: number) =>
    limitBody({
      maxSize,
      onError: () => {
        throw new AppError('payload_too_large', `Request bodies are at most ${maxSize} bytes`);
      },
    });
  const defaultLimit = bodyLimit(maxBodyBytes);
  const bulkLimit = bodyLimit(maxBulkBodyBytes);
  app.use((c, next) => (isBulkWrite(c.req.method, c.req.path) ? bulkLimit(c, next) : defaultLimit(c, next)));
  app.use(
    '/api/*',
    secureHeaders({ contentSecurityPolicy: dashboardCsp }),
    noStore(),
    sameOriginWrites(deps),
    apiKeyAuth(deps),
    // Last: it needs the key, or reads the session itself (CSRF checked), to know whose Idempotency-Key it is.
    idempotent(deps),
  );
  app.use('/app/*', secureHeaders({ contentSecurityPolicy: dashboardCsp }));
  app.use('/demo/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/v1/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/healthz', secureHeaders());

  // One chain, so AppType carries every route (separate `app.route` statements do not accumulate types);
  // the middlewares above are registered first either way, so the order is unchanged.
  return (
    app
      .route('/', healthRoutes(deps))
      .route('/v1', publicRoutes(deps))
      .route('/v1', publicCallbackRoutes(deps))
      .route('/v1', publicFeedbackRoutes(deps))
      .route('/v1', consentPublicRoutes(deps))
      .route('/v1', publicInvitationRoutes(deps))
      .route('/api/auth', authRoutes(deps))
      .route('/api/me', meRoutes(deps))
      .route('/api/sites', siteRoutes(deps))
      .route('/api/sites', siteChatRoutes(deps))
      .route('/api/sites', scoringRoutes(deps))
      .route('/api/sites', routingRoutes(deps))
      .route('/api/sites', visitorRoutes(deps))
      .route('/api/sites', siteCollectRoutes(deps))
      .route('/api/sites', integrationRoutes(deps))
      .route('/api/sites/:siteId/callbacks', siteCallbackRoutes(deps))
      .route('/api/sites/:siteId/feedback', siteFeedbackRoutes(deps))
      .route('/api/sites', audienceRoutes(deps))
      .route('/api/sites', privacyRoutes(deps))
      .route('/api/conversations', conversationRoutes(deps))
      .route('/api/leads', leadRoutes(deps))
      .route('/api/persons', personRoutes(deps))
      .route('/api/sites', webhookRoutes(deps))
      .route('/api/sites', triggerRoutes(deps))
      .route('/api/sites', invitationRoutes(deps))
      .route('/api/reports', reportRoutes(deps))
      .route('/api/api-keys', apiKeyRoutes(deps))
      .route('/api/agents', teamRoutes(deps))
      .route('/api/invites', inviteRoutes(deps))
      .route('/api/metrics', metricsRoutes(deps))
      // Last but the assets: the document describes every route registered before it (read on first request).
      .route('/api', openApiRoutes(app))
      .route('/', assetRoutes(deps))
  );
}

export type AppType = ReturnType<typeof createApp>;
