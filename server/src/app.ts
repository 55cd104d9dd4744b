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
import { apiKeyAuth, apiKeyRoutes, integrationRoutes } from './features/api-keys/index.js';
import { AppError, errorBody, handleError } from './lib/errors.js';
import { openApiRoutes } from './openapi.js';

export type { AppDeps } from './app-env.js';

/** Default cap for any request body; the widget endpoints set tighter ones. */
export const maxBodyBytes = 256 * 1024;

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
    c.set('ipHash', hashIp(clientIp(c, deps.config.BECKON_TRUST_PROXY)));
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
  app.use(
    limitBody({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError('payload_too_large', `Request bodies are at most ${maxBodyBytes} bytes`);
      },
    }),
  );
  app.use(
    '/api/*',
    secureHeaders({ contentSecurityPolicy: dashboardCsp }),
    noStore(),
    sameOriginWrites(deps),
    apiKeyAuth(deps),
  );
  app.use('/app/*', secureHeaders({ contentSecurityPolicy: dashboardCsp }));
  app.use('/demo/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/v1/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/healthz', secureHeaders());

  app.route('/', healthRoutes(deps));
  app.route('/v1', publicRoutes(deps));
  app.route('/v1', publicCallbackRoutes(deps));
  app.route('/v1', publicFeedbackRoutes(deps));
  app.route('/v1', consentPublicRoutes(deps));
  app.route('/v1', publicInvitationRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/me', meRoutes(deps));
  app.route('/api/sites', siteRoutes(deps));
  app.route('/api/sites', siteChatRoutes(deps));
  app.route('/api/sites', scoringRoutes(deps));
  app.route('/api/sites', routingRoutes(deps));
  app.route('/api/sites', visitorRoutes(deps));
  app.route('/api/sites', siteCollectRoutes(deps));
  app.route('/api/sites', integrationRoutes(deps));
  app.route('/api/sites/:siteId/callbacks', siteCallbackRoutes(deps));
  app.route('/api/sites/:siteId/feedback', siteFeedbackRoutes(deps));
  app.route('/api/sites', audienceRoutes(deps));
  app.route('/api/sites', privacyRoutes(deps));
  app.route('/api/conversations', conversationRoutes(deps));
  app.route('/api/leads', leadRoutes(deps));
  app.route('/api/persons', personRoutes(deps));
  app.route('/api/sites', webhookRoutes(deps));
  app.route('/api/sites', triggerRoutes(deps));
  app.route('/api/sites', invitationRoutes(deps));
  app.route('/api/api-keys', apiKeyRoutes(deps));
  app.route('/api/agents', teamRoutes(deps));
  app.route('/api/invites', inviteRoutes(deps));
  app.route('/api/metrics', metricsRoutes(deps));
  // Last but the assets: the document describes every route registered before it.
  app.route('/api', openApiRoutes(app));
  app.route('/', assetRoutes(deps));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
